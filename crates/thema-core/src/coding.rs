//! Codings: a code applied by a coder to a span of a document, one line of
//! `codings/<coder>.jsonl`. A coding keeps the exact quoted text and a little context on each
//! side, so that `thema check` can verify it and a corrected transcript can re-anchor it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::span::{Span, SpanError, TextIndex};

/// Code points of context kept on each side of a coded segment.
pub const CONTEXT_CHARS: usize = 40;

/// One coding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// Document id.
    pub document: String,
    /// First code point of the segment.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The coded text, exactly.
    pub quote: String,
    /// Up to 40 code points of text before the segment.
    #[serde(default)]
    pub before: String,
    /// Up to 40 code points of text after the segment.
    #[serde(default)]
    pub after: String,
    /// Codebook entry id.
    pub code: String,
    /// Who applied it.
    pub coder: String,
    /// When, RFC 3339 in UTC.
    pub time: String,
    /// A note on this coding.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub memo: String,
    /// Set when a corrected transcript left the segment without a place; `thema check` lists it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unplaced: bool,
}

impl Coding {
    /// A coding of `span` in `document`, with its quote and context taken from the text.
    pub fn new(document: &Document, span: Span, code: &str, coder: &str, time: &str) -> Result<Coding, SpanError> {
        let index = TextIndex::new(&document.text);
        index.check(span)?;
        let quote = index.slice(span)?.to_owned();
        let before_start = span.start.saturating_sub(CONTEXT_CHARS);
        let after_end = (span.end + CONTEXT_CHARS).min(index.char_len());
        Ok(Coding {
            document: document.meta.id.clone(),
            start: span.start,
            end: span.end,
            quote,
            before: index.slice(Span { start: before_start, end: span.start })?.to_owned(),
            after: index.slice(Span { start: span.end, end: after_end })?.to_owned(),
            code: code.to_owned(),
            coder: coder.to_owned(),
            time: time.to_owned(),
            memo: String::new(),
            unplaced: false,
        })
    }

    /// The coded span.
    pub fn span(&self) -> Span {
        Span { start: self.start, end: self.end }
    }

    /// The order codings are saved in: document, span, code.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        (&self.document, self.start, self.end, &self.code)
    }

    /// True when both apply the same code to the same span of the same document.
    pub fn same_segment(&self, other: &Coding) -> bool {
        self.document == other.document && self.start == other.start && self.end == other.end && self.code == other.code
    }
}

/// Every place `quote` occurs in `text` as whole words, as code point spans (overlapping
/// occurrences included): a quote that starts or ends with a letter or digit does not match
/// inside a longer word, so "the" is not found in "there".
pub fn find_quote(text: &str, quote: &str) -> Vec<Span> {
    if quote.is_empty() {
        return Vec::new();
    }
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let starts_word = word(quote.chars().next());
    let ends_word = word(quote.chars().next_back());
    let index = TextIndex::new(text);
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(quote) {
        let start = from + at;
        let end = start + quote.len();
        let glued_before = starts_word && word(text[..start].chars().next_back());
        let glued_after = ends_word && word(text[end..].chars().next());
        if !glued_before && !glued_after {
            if let Some(span) = index.span_of_bytes(start..end) {
                spans.push(span);
            }
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    spans
}

/// The current time as RFC 3339 in UTC, to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// True for coder ids: 1 to 64 of `a-z 0-9 - _ .`, starting with a letter or digit (they name
/// files).
pub fn is_valid_coder(coder: &str) -> bool {
    crate::document::is_valid_id(coder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocumentMeta, Turn};

    fn doc(text: &str) -> Document {
        Document {
            meta: DocumentMeta {
                id: "fg1".into(),
                title: "t".into(),
                kind: "interview".into(),
                date: None,
                wave: None,
                sequence: 1,
                source: None,
                attributes: Default::default(),
                speakers: vec![],
            },
            text: text.into(),
            turns: Vec::<Turn>::new(),
        }
    }

    #[test]
    fn quotes_and_context() {
        let d = doc("Mo: showing them a way out of the revolving door 🚪 of prison");
        let span = find_quote(&d.text, "revolving door 🚪")[0];
        assert_eq!(span, Span { start: 34, end: 50 });
        let c = Coding::new(&d, span, "way-out", "hp", "2026-11-23T04:00:00Z").unwrap();
        assert_eq!(c.quote, "revolving door 🚪");
        assert_eq!(c.before, "Mo: showing them a way out of the ");
        assert_eq!(c.after, " of prison");
        assert!(Coding::new(&d, Span { start: 0, end: 999 }, "x", "hp", "t").is_err());
    }

    #[test]
    fn finds_every_occurrence() {
        assert_eq!(find_quote("a-a-a", "a-a"), [Span { start: 0, end: 3 }, Span { start: 2, end: 5 }]);
        assert!(find_quote("aaa", "aa").is_empty(), "inside a word");
        assert_eq!(
            find_quote("the theme, there, the end", "the"),
            [Span { start: 0, end: 3 }, Span { start: 18, end: 21 }]
        );
        assert_eq!(find_quote("bathe", "the").len(), 0);
        assert_eq!(find_quote("(the) end", "(the)").len(), 1);
        assert_eq!(find_quote("way out, way out", "way out").len(), 2);
        assert!(find_quote("x", "").is_empty());
    }

    #[test]
    fn time_is_rfc3339_utc() {
        let t = now();
        assert_eq!(t.len(), 20);
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
    }
}
