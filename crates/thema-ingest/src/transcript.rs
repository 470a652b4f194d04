//! What a reader produces: normalised text, turns, and what it could not attribute.

use std::collections::BTreeMap;

use serde::Serialize;
use thema_core::{Span, Timestamp, Turn};

/// A line of the source that no speaker label covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceLine {
    /// 1-based line in the source (for DOCX and ODT: the paragraph number).
    pub line: usize,
    /// The line's text, shortened to 120 characters.
    pub text: String,
}

/// Something the reader worked around: a skipped cue, an empty turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// 1-based line in the source, when there is one.
    pub line: Option<usize>,
    /// What happened.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A survey respondent: the speaker label of their answer and the other columns of their row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Respondent {
    /// Respondent id, also the speaker label of their turn.
    pub label: String,
    /// The row's other columns (empty cells left out).
    pub attributes: BTreeMap<String, String>,
}

/// A transcript read from a file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    /// Normalised text (UTF-8, LF, no byte order mark).
    pub text: String,
    /// Turns in text order, numbered from 1.
    pub turns: Vec<Turn>,
    /// Lines that could not be attributed to a speaker.
    pub unattributed: Vec<SourceLine>,
    /// What the reader worked around.
    pub warnings: Vec<Warning>,
    /// Respondents of a survey, with their attributes.
    pub respondents: Vec<Respondent>,
    /// True when respondent labels are row numbers made up by the reader rather than ids from
    /// the file, so they identify nobody beyond this document.
    pub respondent_labels_generated: bool,
    /// What the clean-up of an export removed and joined (PDF, and text read with `clean`).
    pub cleaned: Option<CleanReport>,
}

impl Transcript {
    /// Record a warning.
    pub fn warn(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.warnings.push(Warning { line, message: message.into() });
    }

    /// Each turn's speaker and speech, in order.
    pub fn turn_texts(&self) -> Vec<(Option<&str>, &str)> {
        let index = thema_core::TextIndex::new(&self.text);
        self.turns.iter().map(|t| (t.speaker.as_deref(), index.slice(t.span).unwrap_or(""))).collect()
    }

    /// Speaker labels in order of first appearance.
    pub fn speaker_labels(&self) -> Vec<&str> {
        let mut seen = std::collections::BTreeSet::new();
        self.turns.iter().filter_map(|t| t.speaker.as_deref()).filter(|label| seen.insert(*label)).collect()
    }
}

/// Shorten a line for a report.
pub fn excerpt(line: &str) -> String {
    let line = line.trim();
    match line.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_owned(),
    }
}

/// Speech as stored: normalised line endings, trimmed; `None` when nothing is left.
fn clean_speech(speech: &str) -> Option<String> {
    let speech = thema_core::text::normalise(speech);
    let trimmed = speech.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Builds the text of formats that have no text of their own (captions, JSON, CSV): each turn is
/// rendered as a paragraph `Speaker: speech`, turns separated by a blank line, and the builder
/// keeps the code point span of each speech.
#[derive(Debug, Default)]
pub struct TranscriptBuilder {
    text: String,
    chars: usize,
    turns: Vec<Turn>,
}

impl TranscriptBuilder {
    /// An empty transcript.
    pub fn new() -> TranscriptBuilder {
        TranscriptBuilder::default()
    }

    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
        self.chars += s.chars().count();
    }

    /// Add a turn. The speech is normalised (line endings) and trimmed; an empty speech adds
    /// nothing and returns false.
    pub fn push_turn(
        &mut self,
        speaker: Option<&str>,
        speech: &str,
        time_start: Option<Timestamp>,
        time_end: Option<Timestamp>,
    ) -> bool {
        let Some(speech) = clean_speech(speech) else { return false };
        if !self.text.is_empty() {
            self.push_str("\n");
        }
        let speaker = speaker.map(str::trim).filter(|s| !s.is_empty());
        if let Some(label) = speaker {
            self.push_str(label);
            self.push_str(": ");
        }
        let start = self.chars;
        self.push_str(&speech);
        let end = self.chars;
        self.push_str("\n");
        let number = self.turns.len() as u32 + 1;
        self.turns.push(Turn {
            number,
            speaker: speaker.map(str::to_owned),
            span: Span { start, end },
            time_start,
            time_end,
        });
        true
    }

    /// Add a caption cue: joined to the last turn with a space when it has the same (named)
    /// speaker, so that consecutive cues of one person become one turn; otherwise a new turn.
    pub fn push_cue(
        &mut self,
        speaker: Option<&str>,
        speech: &str,
        time_start: Option<Timestamp>,
        time_end: Option<Timestamp>,
    ) -> bool {
        let Some(speech) = clean_speech(speech) else { return false };
        let speaker = speaker.map(str::trim).filter(|s| !s.is_empty());
        let same = speaker.is_some() && self.turns.last().is_some_and(|t| t.speaker.as_deref() == speaker);
        if !same {
            return self.push_turn(speaker, &speech, time_start, time_end);
        }
        // Drop the final newline, append, put it back.
        self.text.pop();
        self.chars -= 1;
        self.push_str(" ");
        self.push_str(&speech);
        let end = self.chars;
        self.push_str("\n");
        if let Some(last) = self.turns.last_mut() {
            last.span.end = end;
            if time_end.is_some() {
                last.time_end = time_end;
            }
        }
        true
    }

    /// Number of turns so far.
    pub fn len(&self) -> usize {
        self.turns.len()
    }

    /// True when no turn has been added.
    pub fn is_empty(&self) -> bool {
        self.turns.is_empty()
    }

    /// The transcript. Spans that would split a grapheme cluster (speech starting with a
    /// combining mark, which joins the space before it) are widened to whole graphemes.
    pub fn finish(mut self) -> Transcript {
        if !self.text.is_ascii() {
            let index = thema_core::TextIndex::new(&self.text);
            for turn in &mut self.turns {
                turn.span = index.widen_to_graphemes(turn.span);
            }
        }
        Transcript { text: self.text, turns: self.turns, ..Transcript::default() }
    }
}

/// What the clean-up of an export ([`crate::clean::clean`]) changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CleanReport {
    /// Page numbers, running headers and footers removed.
    pub page_lines: usize,
    /// Lines removed because the page before ended with them.
    pub repeated_lines: usize,
    /// Paragraph numbers removed.
    pub paragraph_numbers: usize,
    /// Words hyphenated at a line end, joined.
    pub hyphenations: usize,
    /// Lines joined to the line before (hard wraps inside a paragraph).
    pub joined_lines: usize,
}

impl CleanReport {
    /// Whether anything changed.
    pub fn is_empty(&self) -> bool {
        *self == CleanReport::default()
    }
}

impl std::fmt::Display for CleanReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut removed = Vec::new();
        if self.paragraph_numbers > 0 {
            removed.push(plural(self.paragraph_numbers, "paragraph number", "paragraph numbers"));
        }
        if self.page_lines > 0 {
            removed.push(plural(self.page_lines, "page number, header or footer", "page numbers, headers and footers"));
        }
        if self.repeated_lines > 0 {
            removed.push(plural(
                self.repeated_lines,
                "line repeated across a page break",
                "lines repeated across page breaks",
            ));
        }
        let mut joined = Vec::new();
        if self.hyphenations > 0 {
            joined.push(plural(self.hyphenations, "word hyphenated at a line end", "words hyphenated at a line end"));
        }
        if self.joined_lines > 0 {
            joined.push(plural(self.joined_lines, "wrapped line", "wrapped lines"));
        }
        let mut parts = Vec::new();
        if !removed.is_empty() {
            parts.push(format!("removed {}", removed.join(", ")));
        }
        if !joined.is_empty() {
            parts.push(format!("joined {}", joined.join(" and ")));
        }
        if parts.is_empty() {
            f.write_str("nothing to clean")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_turns_and_merges_cues() {
        let mut b = TranscriptBuilder::new();
        assert!(b.push_cue(Some("Jane Doe"), "Good morning", Some(Timestamp(0)), Some(Timestamp(1000))));
        assert!(b.push_cue(Some("Jane Doe"), "everyone.", Some(Timestamp(1000)), Some(Timestamp(2000))));
        assert!(b.push_cue(Some("Jöhn"), "Morning 👋", Some(Timestamp(2000)), Some(Timestamp(3000))));
        assert!(!b.push_turn(None, "  \r\n ", None, None));
        assert!(b.push_turn(None, "[laughter]", None, None));
        let t = b.finish();
        assert_eq!(t.text, "Jane Doe: Good morning everyone.\n\nJöhn: Morning 👋\n\n[laughter]\n");
        let texts: Vec<&str> = t.turn_texts().into_iter().map(|(_, s)| s).collect();
        assert_eq!(texts, ["Good morning everyone.", "Morning 👋", "[laughter]"]);
        assert_eq!(t.turns[0].time_end, Some(Timestamp(2000)));
        assert_eq!(t.turns.iter().map(|t| t.number).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(t.speaker_labels(), ["Jane Doe", "Jöhn"]);
    }
}
