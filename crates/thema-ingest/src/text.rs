//! Plain text and Markdown transcripts with speaker labels.
//!
//! The text is kept exactly as written (after normalisation); turns are the stretches of speech
//! that follow a speaker label. Labels are recognised in the forms real transcripts use:
//!
//! | form | example |
//! |---|---|
//! | name and colon | `Simon: I was released in May.` |
//! | bold Markdown | `**Simon:** I was...`, `**Simon**: I was...` |
//! | time first | `[00:01:02] Simon: I was...`, `00:01:02 Simon: ...` |
//! | time after the name | `Simon (00:01:02): ...`, `Simon [01:02]: ...` |
//! | roles and codes | `Interviewer:`, `Participant:`, `I:`, `R:`, `P1:`, `Speaker 2:` |
//! | bracketed | `[id1] I like the course.` (QualCoder) |
//! | on its own line | `Simon:` or `Speaker 1  0:03` (Otter, Teams), speech on the next lines |
//!
//! A line that starts with a word and a colon is not always a speaker ("Remember: ..."), so a
//! label without a time or markup must look like a name or a role (capitalised words, at most
//! five, no sentence punctuation, not a common heading word like `Note` or `Date`), and it must
//! either recur, be a role, or stand in a document where other labels recur. Labels the caller
//! knows (participants' pseudonyms) are always accepted, and a caller can restrict labels to a
//! fixed list.
//!
//! Text before the first label is kept as unattributed turns, one a paragraph, and reported. A
//! file with no labels at all becomes one unattributed turn a paragraph, with a warning.

use std::collections::{BTreeMap, HashSet};

use thema_core::{Span, TextIndex, Timestamp, Turn};

use crate::transcript::{excerpt, SourceLine, Transcript};

/// The longest label, in characters.
const MAX_LABEL_CHARS: usize = 40;
/// How far into a line a label is looked for, in bytes: keeps huge lines linear.
const LABEL_WINDOW: usize = 256;

/// Words that start `Word:` lines without being speakers (headings and sentence openers).
const NOT_LABELS: &[&str] = &[
    "note",
    "notes",
    "nb",
    "ps",
    "date",
    "time",
    "location",
    "place",
    "venue",
    "title",
    "subject",
    "re",
    "transcript",
    "transcription",
    "transcriber",
    "duration",
    "length",
    "recording",
    "audio",
    "video",
    "file",
    "source",
    "present",
    "attendees",
    "participants",
    "topic",
    "summary",
    "keywords",
    "tags",
    "update",
    "warning",
    "important",
    "example",
    "e.g",
    "i.e",
    "yes",
    "no",
    "ok",
    "okay",
    "so",
    "well",
    "and",
    "but",
    "also",
    "then",
    "like",
    "because",
    "anyway",
    "remember",
    "see",
    "http",
    "https",
    "www",
    "mailto",
    "tel",
    "edit",
    "edited",
    "page",
    "section",
    "chapter",
    "part",
    "table",
    "figure",
    "step",
    "total",
    "name",
    "age",
    "gender",
    "site",
    "study",
    "project",
    "session",
    "group",
    "codes",
    "code",
    "memo",
    "theme",
    "reference",
    "references",
    "comment",
    "comments",
    "end",
    "start",
    "begin",
    "background",
    "method",
    "methods",
    "results",
    "discussion",
    "conclusion",
    "abstract",
    "introduction",
    "aim",
    "aims",
    "objective",
    "objectives",
    "design",
    "setting",
    "findings",
    "purpose",
    "questions",
    "limitations",
    "implications",
    "recommendation",
    "recommendations",
    "context",
    "overview",
    "description",
    "definition",
    "contents",
    "agenda",
    "action",
    "actions",
];

/// Labels that are roles or codes rather than names; accepted even if they occur once.
fn is_role_label(label: &str) -> bool {
    let lower = label.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let role_words = [
        "interviewer",
        "interviewee",
        "participant",
        "respondent",
        "moderator",
        "facilitator",
        "researcher",
        "speaker",
        "person",
        "member",
        "host",
        "guest",
        "client",
        "staff",
        "student",
        "teacher",
        "parent",
        "patient",
        "nurse",
        "doctor",
        "unknown",
        "audience",
        "int",
        "resp",
        "mod",
        "fac",
        "iv",
        "ie",
        "i",
        "r",
        "p",
        "q",
        "a",
        "m",
        "f",
    ];
    match words.as_slice() {
        [word] => {
            role_words.contains(word)
                // P1, R12, FG1P3, S02
                || (word.len() <= 6
                    && word.starts_with(|c: char| c.is_ascii_alphabetic())
                    && word.ends_with(|c: char| c.is_ascii_digit())
                    && word.chars().all(|c| c.is_ascii_alphanumeric()))
        }
        [word, number] => role_words.contains(word) && number.chars().all(|c| c.is_ascii_alphanumeric()),
        _ => false,
    }
}

/// Labels that mark interviewers, moderators and facilitators.
pub fn is_interviewer_label(label: &str) -> bool {
    let lower = label.trim().to_lowercase();
    let first = lower.split([' ', '(']).next().unwrap_or("");
    matches!(
        first,
        "interviewer" | "i" | "int" | "iv" | "moderator" | "mod" | "facilitator" | "fac" | "q" | "researcher"
    )
}

/// How a label was recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strength {
    /// Markup, a time or a line of its own make it a label.
    Strong,
    /// `Word:` or `[word]` alone: accepted by the document-level rules.
    Weak,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct LabelMatch {
    label: String,
    time: Option<Timestamp>,
    /// Byte offset in the line where the speech starts (the line's length if none).
    speech: usize,
    strength: Strength,
}

/// A leading time: `[00:01:02]`, `(00:01:02)`, `00:01:02` followed by white space or ` - `.
fn leading_time(line: &str) -> Option<(Timestamp, usize)> {
    let (inner, after) = if let Some(rest) = line.strip_prefix('[') {
        let close = rest.find(']')?;
        (&rest[..close], close + 2)
    } else if let Some(rest) = line.strip_prefix('(') {
        let close = rest.find(')')?;
        (&rest[..close], close + 2)
    } else {
        let end = line.find(|c: char| c.is_whitespace()).unwrap_or(line.len());
        (&line[..end], end)
    };
    if !inner.contains(':') {
        return None;
    }
    let time = Timestamp::parse(inner)?;
    let rest = &line[after..];
    let trimmed = rest.trim_start();
    let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    Some((time, line.len() - trimmed.len()))
}

/// A time at the end of a label: `Simon (00:01:02)`, `Simon [01:02]`, `Speaker 1  0:03`.
fn trailing_time(label: &str) -> Option<(Timestamp, &str)> {
    let label = label.trim_end();
    let (inner, head) = if let Some(rest) = label.strip_suffix(')') {
        let open = rest.rfind('(')?;
        (&rest[open + 1..], &rest[..open])
    } else if let Some(rest) = label.strip_suffix(']') {
        let open = rest.rfind('[')?;
        (&rest[open + 1..], &rest[..open])
    } else {
        // The space may be wider than a byte (U+0085, U+3000 in Japanese transcripts).
        let (open, space) = label.char_indices().rev().find(|(_, c)| c.is_whitespace())?;
        (&label[open + space.len_utf8()..], &label[..open])
    };
    if !inner.contains(':') {
        return None;
    }
    Some((Timestamp::parse(inner)?, head.trim_end()))
}

/// Bidirectional marks, embeddings and isolates (LRM, RLM, ALM, LRE..RLO, LRI..PDI): Arabic and
/// Hebrew transcripts put them around names so that the colon lands on the right side. They are
/// invisible, so a label is read without them at its ends.
fn is_bidi_mark(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A label candidate without surrounding white space and bidirectional marks.
fn trim_label(label: &str) -> &str {
    label.trim_matches(|c: char| c.is_whitespace() || is_bidi_mark(c))
}

/// True when `label` could be a speaker label at all.
fn is_label_shaped(label: &str) -> bool {
    let chars = label.chars().count();
    if chars == 0 || chars > MAX_LABEL_CHARS || label.split_whitespace().count() > 5 {
        return false;
    }
    let first = label.chars().next().unwrap_or(' ');
    if !first.is_alphanumeric() {
        return false;
    }
    if label.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    label.chars().all(|c| c.is_alphanumeric() || is_combining_accent(c) || " .'’-_()&/#".contains(c))
}

/// Combining accents, which are not alphanumeric themselves: `José` typed or saved decomposed
/// (`e` + U+0301, as macOS and some editors write it) is still a name.
fn is_combining_accent(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// True when a `Word:` label looks like a name or role: capitalised words (or a role).
fn is_name_like(label: &str) -> bool {
    if is_role_label(label) {
        return true;
    }
    let lower = label.to_lowercase();
    if NOT_LABELS.contains(&lower.as_str()) || NOT_LABELS.contains(&lower.split_whitespace().next().unwrap_or("")) {
        return false;
    }
    // Scripts without case (Arabic, Hebrew, Chinese, Devanagari...) count as capitalised.
    label.split_whitespace().all(|w| {
        w.starts_with(|c: char| c.is_ascii_digit() || (c.is_alphabetic() && !c.is_lowercase()))
            || matches!(w, "de" | "da" | "van" | "von" | "der" | "la" | "le" | "di" | "du" | "bin" | "al")
    })
}

/// Transcription notes in brackets that are not speakers: `[laughs] ...`.
fn is_bracket_note(label: &str) -> bool {
    let lower = label.to_lowercase();
    let first = lower.split_whitespace().next().unwrap_or("");
    matches!(
        first,
        "laughs"
            | "laughter"
            | "laughing"
            | "inaudible"
            | "crosstalk"
            | "cross-talk"
            | "pause"
            | "silence"
            | "unclear"
            | "overlapping"
            | "overlap"
            | "coughs"
            | "cough"
            | "music"
            | "applause"
            | "sighs"
            | "sigh"
            | "redacted"
            | "name"
            | "place"
            | "organisation"
            | "organization"
            | "noise"
            | "background"
            | "break"
            | "end"
            | "start"
            | "phone"
            | "indistinct"
            | "unintelligible"
            | "interruption"
            | "interrupts"
            | "long"
            | "short"
            | "sic"
            | "emphasis"
            | "crying"
            | "cries"
            | "clears"
            | "whispers"
            | "door"
            | "knock"
    ) || lower.contains("...")
        || lower.contains('…')
}

/// The first colon outside brackets and parentheses (`Simon (00:01:02): Hi` -> after `)`).
fn label_colon(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => return Some(i),
            _ => {}
        }
        if i > MAX_LABEL_CHARS * 4 {
            return None;
        }
    }
    None
}

/// Whether `line` starts with something shaped like a speaker label (`Name:`, `**Name:**`, a
/// time then a name). Whether the file's labels are accepted is decided over the whole file
/// ([`parse_text_with`]); this is the line-by-line test the clean-up uses to keep turns apart.
pub fn starts_with_label(line: &str, markdown: bool) -> bool {
    match_label(line, markdown).is_some()
}

/// Recognise a speaker label at the start of `line`.
fn match_label(line: &str, markdown: bool) -> Option<LabelMatch> {
    let indent = line.len() - line.trim_start().len();
    let mut window_end = line.len().min(indent + LABEL_WINDOW);
    while !line.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let window = &line[indent..window_end];
    let (time, offset) = match leading_time(window) {
        Some((time, after)) => (Some(time), indent + after),
        None => (None, indent),
    };
    let rest = &line[offset..window_end];
    let rest = rest.strip_prefix(">> ").unwrap_or(rest);
    let base = line.len() - (line.len() - window_end) - rest.len();
    let speech_at = |consumed: usize| {
        let after = &line[base + consumed..];
        base + consumed + (after.len() - after.trim_start().len())
    };

    // **Label:** / **Label**: / __Label:__ / *Label:*
    for marker in ["**", "__", "*", "_"] {
        if let Some(inner) = rest.strip_prefix(marker) {
            if let Some(close) = inner.find(marker) {
                let (label, consumed) = match inner[..close].strip_suffix(':') {
                    Some(label) => (label, marker.len() + close + marker.len()),
                    None if inner[close + marker.len()..].starts_with(':') => {
                        (&inner[..close], marker.len() + close + marker.len() + 1)
                    }
                    None => continue,
                };
                let (time, label) = match trailing_time(label) {
                    Some((t, head)) => (Some(t), trim_label(head)),
                    None => (time, trim_label(label)),
                };
                if is_label_shaped(label) {
                    // A bold label alone on its line may be a heading (`**Methods:**`): let
                    // the document-level rules decide, unless a time comes with it.
                    let speech = speech_at(consumed);
                    let alone = line[speech..].trim().is_empty() && time.is_none();
                    let strength = if alone { Strength::Weak } else { Strength::Strong };
                    return Some(LabelMatch { label: label.to_owned(), time, speech, strength });
                }
            }
            if markdown {
                return None;
            }
        }
    }

    // [Label] speech
    if let Some(inner) = rest.strip_prefix('[') {
        if let Some(close) = inner.find(']') {
            let label = trim_label(&inner[..close]);
            let after = &inner[close + 1..];
            if (after.is_empty() || after.starts_with(char::is_whitespace) || after.starts_with(':'))
                && is_label_shaped(label)
                && !is_bracket_note(label)
                && Timestamp::parse(label).is_none()
            {
                let consumed = 1 + close + 1 + usize::from(after.starts_with(':'));
                return Some(LabelMatch {
                    label: label.to_owned(),
                    time,
                    speech: speech_at(consumed),
                    strength: Strength::Weak,
                });
            }
        }
        return None;
    }

    // Label: speech / Label (00:01): speech / Label:
    if let Some(colon) = label_colon(rest) {
        let head = &rest[..colon];
        let after = &rest[colon + 1..];
        // A colon inside a time (`12:30`) is not a label's colon.
        let in_time = after.starts_with(|c: char| c.is_ascii_digit()) && head.ends_with(|c: char| c.is_ascii_digit());
        if !in_time
            && (after.is_empty()
                || after.starts_with(char::is_whitespace)
                || window_end < line.len() && colon + 1 == rest.len())
        {
            let (label_time, label) = match trailing_time(head) {
                Some((t, h)) => (Some(t), trim_label(h)),
                None => (None, trim_label(head)),
            };
            if is_label_shaped(label) {
                let strength = if time.is_some() || label_time.is_some() { Strength::Strong } else { Strength::Weak };
                return Some(LabelMatch {
                    label: label.to_owned(),
                    time: time.or(label_time),
                    speech: speech_at(colon + 1),
                    strength,
                });
            }
        }
    }

    // `Speaker 1  0:03` alone on a line (Otter, Teams).
    if window_end == line.len() {
        if let Some((t, label)) = trailing_time(rest) {
            if is_label_shaped(label) && is_name_like(label) {
                return Some(LabelMatch {
                    label: label.to_owned(),
                    time: Some(t),
                    speech: line.len(),
                    strength: Strength::Strong,
                });
            }
        }
    }
    None
}

/// Options for reading speaker labels.
#[derive(Clone, Debug, Default)]
pub struct LabelRules {
    /// Labels always accepted (the pseudonyms and ids of known participants).
    pub known: Vec<String>,
    /// When set, only these labels count as speakers; other `Word:` lines are speech.
    pub only: Option<Vec<String>>,
}

/// A turn as byte offsets, before conversion to code points.
struct PendingTurn {
    speaker: Option<String>,
    /// Where the speech starts; `None` until a label on its own line is followed by speech.
    start: Option<usize>,
    end: usize,
    time: Option<Timestamp>,
}

struct Line<'a> {
    number: usize,
    start: usize,
    text: &'a str,
}

/// Read plain text (or Markdown) with speaker labels, using the default label rules.
pub fn parse_text(text: &str, markdown: bool) -> Transcript {
    parse_text_with(text, markdown, &LabelRules::default())
}

/// Read plain text (or Markdown) with speaker labels.
pub fn parse_text_with(text: &str, markdown: bool, rules: &LabelRules) -> Transcript {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, raw) in text.split('\n').enumerate() {
        lines.push(Line { number: i + 1, start, text: raw });
        start += raw.len() + 1;
    }
    let matches: Vec<Option<LabelMatch>> = lines
        .iter()
        .map(|l| if markdown && l.text.starts_with('#') { None } else { match_label(l.text, markdown) })
        .collect();
    let accepted = accept_labels(&matches, rules);

    let mut transcript = Transcript { text: text.to_owned(), ..Transcript::default() };
    // Turns as byte ranges first; converted to code points once at the end.
    let mut turns: Vec<PendingTurn> = Vec::new();
    let mut in_labelled = false;
    let mut paragraph_open = false;
    let mut empty_labels = Vec::new();
    for (line, found) in lines.iter().zip(&matches) {
        let trimmed_len = line.text.trim_end().len();
        let is_heading = markdown && line.text.starts_with('#');
        match found.as_ref().filter(|m| accepted.contains_key(m.label.as_str())) {
            Some(m) => {
                let speech_start = (m.speech < trimmed_len).then_some(line.start + m.speech);
                let end = line.start + trimmed_len;
                turns.push(PendingTurn { speaker: Some(m.label.clone()), start: speech_start, end, time: m.time });
                if speech_start.is_none() {
                    empty_labels.push((line.number, m.label.clone(), turns.len() - 1));
                }
                in_labelled = true;
                paragraph_open = false;
            }
            None if trimmed_len == 0 => paragraph_open = false,
            None if in_labelled && !is_heading => {
                if let Some(turn) = turns.last_mut() {
                    let first = line.start + (line.text.len() - line.text.trim_start().len());
                    turn.start.get_or_insert(first);
                    turn.end = line.start + trimmed_len;
                }
            }
            None => {
                // Before the first label (or a Markdown heading): unattributed paragraphs.
                transcript.unattributed.push(SourceLine { line: line.number, text: excerpt(line.text) });
                let first = line.start + (line.text.len() - line.text.trim_start().len());
                if paragraph_open && !is_heading {
                    if let Some(turn) = turns.last_mut() {
                        turn.end = line.start + trimmed_len;
                    }
                } else {
                    turns.push(PendingTurn {
                        speaker: None,
                        start: Some(first),
                        end: line.start + trimmed_len,
                        time: None,
                    });
                }
                paragraph_open = !is_heading;
                if is_heading {
                    in_labelled = false;
                }
            }
        }
    }
    for (line, label, _) in &empty_labels {
        transcript.warn(Some(*line), format!("speaker label `{label}` with no speech after it"));
    }
    let index = TextIndex::new(text);
    let mut number = 0;
    for PendingTurn { speaker, start, end, time } in turns {
        let Some(start) = start else { continue };
        let Some(span) = index.span_of_bytes(start..end.max(start)) else { continue };
        // Trimming white space can land inside a grapheme (a combining mark after a space).
        let span = index.widen_to_graphemes(span);
        number += 1;
        transcript.turns.push(Turn {
            number,
            speaker,
            span: Span { start: span.start, end: span.end },
            time_start: time,
            time_end: None,
        });
    }
    if accepted.is_empty() {
        let paragraphs = transcript.turns.len();
        transcript.unattributed.clear();
        transcript
            .warn(None, format!("no speaker labels found: imported {paragraphs} paragraphs as unattributed turns"));
    }
    transcript
}

/// Decide which candidate labels are speakers.
fn accept_labels<'a>(matches: &'a [Option<LabelMatch>], rules: &LabelRules) -> BTreeMap<&'a str, usize> {
    let mut counts: BTreeMap<&str, (usize, Strength)> = BTreeMap::new();
    for m in matches.iter().flatten() {
        let entry = counts.entry(m.label.as_str()).or_insert((0, Strength::Weak));
        entry.0 += 1;
        if m.strength == Strength::Strong {
            entry.1 = Strength::Strong;
        }
    }
    // Sets made once: a study can know tens of thousands of names, and a survey or a large
    // focus group has as many labels, so a scan of the names for each label was quadratic.
    let known_ascii: HashSet<String> = rules.known.iter().map(|k| k.to_ascii_lowercase()).collect();
    let known_lower: HashSet<String> = rules.known.iter().map(|k| k.to_lowercase()).collect();
    let is_known =
        |label: &str| known_ascii.contains(&label.to_ascii_lowercase()) || known_lower.contains(&label.to_lowercase());
    if let Some(only) = &rules.only {
        let only: HashSet<String> = only.iter().map(|o| o.to_lowercase()).collect();
        return counts
            .into_iter()
            .filter(|(label, _)| only.contains(&label.to_lowercase()))
            .map(|(label, (n, _))| (label, n))
            .collect();
    }
    let plausible =
        |label: &str, strength: Strength| is_known(label) || strength == Strength::Strong || is_name_like(label);
    // Labels that stand on their own: known, strong, roles, or name-like and recurring; or, in a
    // short exchange where nobody speaks twice, two or more name-like labels.
    let anchors = counts
        .iter()
        .filter(|(label, (n, strength))| {
            is_known(label)
                || *strength == Strength::Strong
                || is_role_label(label)
                || (*n >= 2 && plausible(label, *strength))
        })
        .count()
        + usize::from(counts.iter().filter(|(label, (_, strength))| plausible(label, *strength)).count() >= 2);
    counts
        .into_iter()
        .filter(|(label, (n, strength))| {
            is_known(label)
                || *strength == Strength::Strong
                || is_role_label(label)
                || (*n >= 2 && plausible(label, *strength))
                || (anchors > 0 && plausible(label, *strength))
        })
        .map(|(label, (n, _))| (label, n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_forms() {
        // Line, and the label, time and speech expected from it.
        type Case<'a> = (&'a str, Option<(&'a str, Option<&'a str>, &'a str)>);
        let cases: &[Case] = &[
            ("Simon: I was released.", Some(("Simon", None, "I was released."))),
            ("**Simon:** I was released.", Some(("Simon", None, "I was released."))),
            ("**Simon**: I was released.", Some(("Simon", None, "I was released."))),
            ("[00:01:02] Simon: Hi", Some(("Simon", Some("00:01:02.000"), "Hi"))),
            ("00:01:02 Simon: Hi", Some(("Simon", Some("00:01:02.000"), "Hi"))),
            ("Simon (00:01:02): Hi", Some(("Simon", Some("00:01:02.000"), "Hi"))),
            ("Speaker 1  0:03", Some(("Speaker 1", Some("00:00:03.000"), ""))),
            ("Interviewer:", Some(("Interviewer", None, ""))),
            ("P1: yes", Some(("P1", None, "yes"))),
            ("[id1] hello, I like the course.", Some(("id1", None, "hello, I like the course."))),
            ("[laughs] anyway", None),
            ("At 12:30 we met", None),
            ("12:30 we met", None),
            ("She said: go home", Some(("She said", None, "go home"))),
            ("http://example.org is down", None),
            ("A very long sentence that goes on and on, and then: has a colon", None),
            // Right-to-left names, with the bidirectional marks editors put around them.
            ("سارة: كانت صعبة", Some(("سارة", None, "كانت صعبة"))),
            ("\u{200f}דנה\u{200f}: שלום", Some(("דנה", None, "שלום"))),
            // A space of more than one byte before a time (found by fuzzing: it panicked).
            ("話者1\u{3000}0:03", Some(("話者1", Some("00:00:03.000"), ""))),
            ("Kim\u{85}0:03", Some(("Kim", Some("00:00:03.000"), ""))),
            ("**\u{2067}ليلى\u{2069}:** نعم", Some(("ليلى", None, "نعم"))),
            // A decomposed accent (e + U+0301) in a name.
            ("Jose\u{301}: hola", Some(("Jose\u{301}", None, "hola"))),
        ];
        for (line, expected) in cases {
            let got = match_label(line, false).map(|m| {
                let time = m.time.map(|t| t.to_string());
                (m.label, time, line[m.speech..].to_owned())
            });
            let expected = expected.map(|(l, t, s)| (l.to_owned(), t.map(str::to_owned), s.to_owned()));
            assert_eq!(got, expected, "{line}");
        }
    }

    #[test]
    fn right_to_left_transcripts_get_their_speakers() {
        let text = "المحاورة: كيف كانت تجربتك؟\n\nسارة: \u{200f}كانت صعبة.\n\nالمحاورة: وبعد ذلك؟\n\n\u{200f}سارة\u{200f}: وجدت الأمل.\n";
        let t = parse_text(text, false);
        assert_eq!(t.speaker_labels(), ["المحاورة", "سارة"]);
        let speech: Vec<&str> = t.turn_texts().into_iter().map(|(_, s)| s).collect();
        assert_eq!(speech, ["كيف كانت تجربتك؟", "\u{200f}كانت صعبة.", "وبعد ذلك؟", "وجدت الأمل."]);
        assert!(t.unattributed.is_empty() && t.warnings.is_empty(), "{t:?}");
    }

    #[test]
    fn focus_group_with_continuations_and_a_preamble() {
        let text = "Focus group 1, March 2021\n\nFacilitator: What brought you here?\n\nSimon: Shared experience.\nIt makes this all possible.\n\nKent: Hope.\n\nBrian: Me too.\nRemember: we were there.\n";
        let t = parse_text(text, false);
        assert_eq!(
            t.turn_texts(),
            [
                (None, "Focus group 1, March 2021"),
                (Some("Facilitator"), "What brought you here?"),
                (Some("Simon"), "Shared experience.\nIt makes this all possible."),
                (Some("Kent"), "Hope."),
                (Some("Brian"), "Me too.\nRemember: we were there."),
            ]
        );
        assert_eq!(t.unattributed, [SourceLine { line: 1, text: "Focus group 1, March 2021".into() }]);
        assert!(t.warnings.is_empty());
    }

    #[test]
    fn bold_headings_alone_are_not_speakers() {
        let t =
            parse_text("**Research topic:**\nWomen in Ireland.\n\n**Methodology:**\nBiographical interviews\n", true);
        assert!(t.turns.iter().all(|t| t.speaker.is_none()), "{:?}", t.turns);
        let t =
            parse_text("**Interviewer:**\nHow long?\n\n**Simon:**\nTen years.\n\n**Interviewer:**\nAnd now?\n", true);
        assert_eq!(
            t.turn_texts(),
            [(Some("Interviewer"), "How long?"), (Some("Simon"), "Ten years."), (Some("Interviewer"), "And now?")]
        );
    }

    #[test]
    fn labels_on_their_own_line() {
        let text = "Speaker 1  0:03\nWelcome everyone.\n\nSpeaker 2  0:10\nThanks.\nGlad to be here.\n";
        let t = parse_text(text, false);
        assert_eq!(
            t.turn_texts(),
            [(Some("Speaker 1"), "Welcome everyone."), (Some("Speaker 2"), "Thanks.\nGlad to be here.")]
        );
        assert_eq!(t.turns[1].time_start, Some(Timestamp(10_000)));
    }

    #[test]
    fn no_labels_means_unattributed_paragraphs_and_a_warning() {
        let t = parse_text("First paragraph\nstill first.\n\nSecond.\n", false);
        assert_eq!(t.turn_texts(), [(None, "First paragraph\nstill first."), (None, "Second.")]);
        assert_eq!(t.warnings[0].message, "no speaker labels found: imported 2 paragraphs as unattributed turns");
    }

    #[test]
    fn single_colon_headings_are_not_speakers() {
        let t = parse_text("Background: this study looks at peer work.\n\nMethods: interviews.\n", false);
        assert!(t.turns.iter().all(|t| t.speaker.is_none()));
    }

    #[test]
    fn known_and_only_rules() {
        let text = "Mo: The revolving door.\n\nNotes: the door\n";
        let rules = LabelRules { known: vec!["Mo".into()], only: None };
        let t = parse_text_with(text, false, &rules);
        assert_eq!(t.turn_texts(), [(Some("Mo"), "The revolving door.\n\nNotes: the door")]);
        let rules = LabelRules { known: vec![], only: Some(vec!["Mo".into()]) };
        assert_eq!(parse_text_with("Mo: a\nKent: b\n", false, &rules).turns.len(), 1);
    }

    #[test]
    fn markdown_headings_break_turns() {
        let t = parse_text(
            "# Interview 3\n\n**I:** How long?\n\n**R:** Ten years.\n\n## Part two\n\n**I:** And now?\n",
            true,
        );
        assert_eq!(
            t.turn_texts(),
            [
                (None, "# Interview 3"),
                (Some("I"), "How long?"),
                (Some("R"), "Ten years."),
                (None, "## Part two"),
                (Some("I"), "And now?")
            ]
        );
    }

    #[test]
    fn unicode_spans_are_code_points() {
        let t = parse_text("Zoë: Café ☕ is where 👩‍👩‍👧 met.\nJosé: Sí.\n", false);
        assert_eq!(t.turn_texts(), [(Some("Zoë"), "Café ☕ is where 👩‍👩‍👧 met."), (Some("José"), "Sí.")]);
        assert_eq!(t.turns[0].span.start, 5);
    }

    #[test]
    fn huge_single_line_is_linear() {
        let line = "word ".repeat(10_000_000);
        let started = std::time::Instant::now();
        let t = parse_text(&line, false);
        assert_eq!(t.turns.len(), 1);
        assert!(started.elapsed().as_secs() < 10);
    }

    #[test]
    fn interviewer_labels() {
        for l in ["Interviewer", "I", "Moderator (HP)", "Q", "Facilitator"] {
            assert!(is_interviewer_label(l), "{l}");
        }
        for l in ["Simon", "R", "P1", "Participant"] {
            assert!(!is_interviewer_label(l), "{l}");
        }
    }
}
