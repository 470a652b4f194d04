//! Documents: a transcript's normalised text, its turns and its metadata.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::span::{Span, TextIndex};
use crate::text::word_count;
use crate::timestamp::Timestamp;

/// Kinds of document a study commonly holds; any other slug is accepted too.
pub const KNOWN_KINDS: &[&str] = &["interview", "focus-group", "survey", "fieldnotes", "meeting", "document", "other"];

/// What thema knows about a document besides its text and turns (`document.toml`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// Stable id, also the name of the document's folder and the prefix of its turn ids.
    pub id: String,
    /// Human title.
    pub title: String,
    /// `interview`, `focus-group`, `survey`, `fieldnotes`, ... (a lowercase slug).
    pub kind: String,
    /// Date of the session, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Wave of a longitudinal study (1 = first round of interviews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wave: Option<u32>,
    /// Position in import order, starting at 1.
    pub sequence: u32,
    /// Where the text came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Free attributes of the document (site, mode of interview, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Speaker labels used in the turns, each linked to a participant or marked as interviewer.
    /// Kept in `speakers.csv` beside `document.toml`, one row a label, so that a survey with
    /// thousands of respondents stays compact.
    #[serde(skip)]
    #[schemars(skip)]
    pub speakers: Vec<Speaker>,
}

impl DocumentMeta {
    /// Metadata with an id and kind; the title is the id, the rest empty.
    pub fn new(id: &str, kind: &str) -> Self {
        DocumentMeta {
            id: id.to_owned(),
            title: id.to_owned(),
            kind: kind.to_owned(),
            date: None,
            wave: None,
            sequence: 1,
            source: None,
            attributes: BTreeMap::new(),
            speakers: Vec::new(),
        }
    }
}

/// The file a document was imported from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// File name (without its directory, which may itself identify someone).
    pub file: String,
    /// Format it was read as (`text`, `vtt`, `srt`, `sbv`, `docx`, `odt`, `csv`, `json`).
    pub format: String,
    /// Character encoding it was decoded from.
    pub encoding: String,
    /// SHA-256 of the original bytes, lowercase hex.
    pub sha256: String,
}

/// One speaker label of a document and who it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    /// The label as written in the transcript (`Simon`, `P1`, `Interviewer`).
    pub label: String,
    /// Id of the participant this label stands for, once linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<String>,
    /// True for interviewers, moderators and facilitators, who are not participants.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interviewer: bool,
}

impl Speaker {
    /// How the link reads in listings: a participant id, `interviewer`, or `unlinked`.
    pub fn link_label(&self) -> String {
        match (&self.participant, self.interviewer) {
            (Some(id), _) => id.clone(),
            (None, true) => "interviewer".to_owned(),
            (None, false) => "unlinked".to_owned(),
        }
    }
}

/// A speaker turn: the stretch of text one person said without interruption.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Turn {
    /// 1-based number, fixed at import; the turn id is `<document>:T<number>`.
    pub number: u32,
    /// Speaker label, or `None` for text not attributed to anyone.
    pub speaker: Option<String>,
    /// What was said, without the speaker label.
    pub span: Span,
    /// Start time in the recording, when the source had times.
    pub time_start: Option<Timestamp>,
    /// End time in the recording.
    pub time_end: Option<Timestamp>,
}

/// One row of `turns.csv`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TurnRecord {
    /// Turn number, 1-based.
    pub turn: u32,
    /// Speaker label; empty when unattributed.
    #[serde(default)]
    pub speaker: String,
    /// First code point of the speech.
    pub start: usize,
    /// One past the last code point of the speech.
    pub end: usize,
    /// Start time, `hh:mm:ss.mmm`, or empty.
    #[serde(default)]
    pub time_start: Option<Timestamp>,
    /// End time, `hh:mm:ss.mmm`, or empty.
    #[serde(default)]
    pub time_end: Option<Timestamp>,
}

impl From<&Turn> for TurnRecord {
    fn from(turn: &Turn) -> Self {
        TurnRecord {
            turn: turn.number,
            speaker: turn.speaker.clone().unwrap_or_default(),
            start: turn.span.start,
            end: turn.span.end,
            time_start: turn.time_start,
            time_end: turn.time_end,
        }
    }
}

impl TryFrom<TurnRecord> for Turn {
    type Error = String;
    fn try_from(record: TurnRecord) -> Result<Self, String> {
        let span = Span::new(record.start, record.end)
            .ok_or_else(|| format!("end {} is before start {}", record.end, record.start))?;
        Ok(Turn {
            number: record.turn,
            speaker: (!record.speaker.is_empty()).then_some(record.speaker),
            span,
            time_start: record.time_start,
            time_end: record.time_end,
        })
    }
}

/// A document with its text and turns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Metadata.
    pub meta: DocumentMeta,
    /// Normalised text (UTF-8, LF line endings, no byte order mark).
    pub text: String,
    /// Turns in text order.
    pub turns: Vec<Turn>,
}

/// Per-document figures shown by `thema ls` and reported after import.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DocumentStats {
    /// Number of turns.
    pub turns: usize,
    /// Number of distinct speaker labels in the turns.
    pub speakers: usize,
    /// Words in the turns (or in the whole text when there are no turns).
    pub words: usize,
    /// Turns with no speaker.
    pub unattributed_turns: usize,
    /// Length of the text in code points (the unit of spans), for analyses that need a
    /// document's extent without its text.
    #[serde(skip)]
    pub chars: usize,
}

impl Document {
    /// The id of turn `number` of this document, like `fg1:T17`.
    pub fn turn_id(&self, number: u32) -> String {
        TurnId { document: self.meta.id.clone(), number }.to_string()
    }

    /// Turn `number` (1-based).
    pub fn turn(&self, number: u32) -> Option<&Turn> {
        let i = usize::try_from(number).ok()?.checked_sub(1)?;
        self.turns.get(i).filter(|t| t.number == number)
    }

    /// The text of each turn, in order, converting spans with one shared index.
    pub fn turn_texts(&self) -> Vec<(&Turn, &str)> {
        let index = TextIndex::new(&self.text);
        self.turns.iter().map(|t| (t, index.slice(t.span).unwrap_or(""))).collect()
    }

    /// Turns, distinct speakers and words.
    pub fn stats(&self) -> DocumentStats {
        let texts = self.turn_texts();
        let mut labels: Vec<&str> = self.turns.iter().filter_map(|t| t.speaker.as_deref()).collect();
        labels.sort_unstable();
        labels.dedup();
        let words =
            if texts.is_empty() { word_count(&self.text) } else { texts.iter().map(|(_, s)| word_count(s)).sum() };
        DocumentStats {
            turns: self.turns.len(),
            speakers: labels.len(),
            words,
            unattributed_turns: self.turns.iter().filter(|t| t.speaker.is_none()).count(),
            chars: self.text.chars().count(),
        }
    }

    /// The metadata entry for a speaker label.
    pub fn speaker(&self, label: &str) -> Option<&Speaker> {
        self.meta.speakers.iter().find(|s| s.label == label)
    }
}

/// A turn id, `<document>:T<number>`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TurnId {
    /// Document id.
    pub document: String,
    /// Turn number, 1-based.
    pub number: u32,
}

impl std::fmt::Display for TurnId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:T{}", self.document, self.number)
    }
}

impl std::str::FromStr for TurnId {
    type Err = String;
    /// Accepts `fg1:T17`, `fg1:t17` and `fg1:17`.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a turn id like `fg1:T17`");
        let (document, number) = s.rsplit_once(':').ok_or_else(bad)?;
        let number = number.strip_prefix(['T', 't']).unwrap_or(number);
        let number: u32 = number.parse().map_err(|_| bad())?;
        if number == 0 || !is_valid_id(document) {
            return Err(bad());
        }
        Ok(TurnId { document: document.to_owned(), number })
    }
}

/// True for ids thema accepts for documents: 1 to 64 of `a-z 0-9 - _ .`, starting with a letter
/// or digit. Lowercase so that ids mean the same on case-insensitive file systems.
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// A document id made from a file name stem: `Focus Group 1 (final)` -> `focus-group-1-final`.
pub fn slugify(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 64 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "document".to_owned()
    } else {
        out
    }
}

/// An id not yet `taken`, made from a name by [`slugify`] (`fallback` when the name has no ASCII
/// letter or digit, for which [`slugify`] gives `document`), numbered from 2 when taken:
/// `Offering hope` -> `offering-hope`, then `offering-hope-2`. The one way thema makes ids of
/// codebook entries, participants and imported sources.
pub fn fresh_id(name: &str, fallback: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slugify(name);
    let base = if base.is_empty() || base == "document" { fallback.to_owned() } else { base };
    numbered(&base, taken)
}

/// `base` if it is not `taken`, else the first of `base-2`, `base-3`... that is not.
pub fn numbered(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// True for `YYYY-MM-DD` with a valid month and day.
pub fn is_valid_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>()) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turn_ids_parse_and_print() {
        let id: TurnId = "fg1:T17".parse().unwrap();
        assert_eq!(id, TurnId { document: "fg1".into(), number: 17 });
        assert_eq!(id.to_string(), "fg1:T17");
        assert_eq!("fg1:17".parse::<TurnId>().unwrap().number, 17);
        for bad in ["fg1", "fg1:T0", "fg1:Tx", ":T1", "FG 1:T2"] {
            assert!(bad.parse::<TurnId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn fresh_ids_are_numbered_past_the_taken_ones() {
        let taken = ["offering-hope", "offering-hope-2", "code"];
        let is_taken = |id: &str| taken.contains(&id);
        assert_eq!(fresh_id("Offering hope", "code", is_taken), "offering-hope-3");
        assert_eq!(fresh_id("Trust", "code", is_taken), "trust");
        // No ASCII letter or digit: the fallback, numbered too.
        assert_eq!(fresh_id("田中", "code", is_taken), "code-2");
        assert_eq!(fresh_id("田中", "participant", is_taken), "participant");
        assert_eq!(numbered("", |id| id.is_empty()), "-2");
    }

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(slugify("Focus Group 1 (final)"), "focus-group-1-final");
        assert_eq!(slugify("ID1"), "id1");
        assert_eq!(slugify("---"), "document");
        assert_eq!(slugify("Entrevista número 2"), "entrevista-n-mero-2");
        for s in ["Focus Group 1 (final)", "ID1", "---", &"x".repeat(300)] {
            assert!(is_valid_id(&slugify(s)), "{s}");
        }
    }

    #[test]
    fn dates() {
        assert!(is_valid_date("2024-02-29"));
        assert!(!is_valid_date("2023-02-29"));
        assert!(!is_valid_date("2023-13-01"));
        assert!(!is_valid_date("23-01-01"));
    }

    #[test]
    fn stats_count_speech_not_labels() {
        let text = "Simon: Hope matters.\n\nKent: Yes it does.\n".to_owned();
        let doc = Document {
            meta: DocumentMeta::new("fg1", "focus-group"),
            turns: vec![
                Turn {
                    number: 1,
                    speaker: Some("Simon".into()),
                    span: Span { start: 7, end: 20 },
                    time_start: None,
                    time_end: None,
                },
                Turn {
                    number: 2,
                    speaker: Some("Kent".into()),
                    span: Span { start: 28, end: 40 },
                    time_start: None,
                    time_end: None,
                },
            ],
            text,
        };
        let texts = doc.turn_texts();
        assert_eq!(texts[0].1, "Hope matters.");
        assert_eq!(texts[1].1, "Yes it does.");
        assert_eq!(doc.stats(), DocumentStats { turns: 2, speakers: 2, words: 5, unattributed_turns: 0, chars: 41 });
        assert_eq!(doc.turn_id(2), "fg1:T2");
        assert_eq!(doc.turn(2).unwrap().speaker.as_deref(), Some("Kent"));
        assert!(doc.turn(3).is_none());
    }
}
