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
    /// Marked as an exemplar of its code (and of the themes above it) for the theme table.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exemplar: bool,
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
            exemplar: false,
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

/// The current time as RFC 3339 in UTC, to the second; or, when `SOURCE_DATE_EPOCH` is set (the
/// reproducible-builds convention), that time, so that scripted runs give identical files.
pub fn now() -> String {
    let fixed = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<u64>().ok());
    let time = match fixed {
        Some(seconds) => std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds),
        None => std::time::SystemTime::now(),
    };
    humantime::format_rfc3339_seconds(time).to_string()
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
        Document { meta: DocumentMeta::new("fg1", "interview"), text: text.into(), turns: Vec::<Turn>::new() }
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

/// What happened to a coding when its document's text changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Anchor {
    /// The quote is still at the same place.
    Unchanged,
    /// The same quote was found elsewhere (the text before it changed).
    Moved,
    /// The quote itself was edited; the segment between its old context now holds it.
    Changed,
    /// No place could be found; the coding is kept and flagged.
    Unplaced,
}

/// Length of the longest common suffix of `a` and `b`, in characters.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).count()
}

/// Length of the longest common prefix of `a` and `b`, in characters.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Find a coding's place in a corrected text: where it was if the quote is still there; else the
/// occurrence of the quote whose surroundings best match the stored context (ties: the nearest
/// to the old place); else, when the quote itself was edited, the stretch between the stored
/// context before and after it; else nowhere, and the coding is flagged `unplaced` (never
/// dropped). The returned coding has its span, quote and context updated.
pub fn reanchor(coding: &Coding, text: &str) -> (Coding, Anchor) {
    let index = TextIndex::new(text);
    let mut out = coding.clone();
    let refresh = |out: &mut Coding, span: Span| {
        let span = index.widen_to_graphemes(span);
        out.start = span.start;
        out.end = span.end;
        out.quote = index.slice(span).unwrap_or("").to_owned();
        let before = Span { start: span.start.saturating_sub(CONTEXT_CHARS), end: span.start };
        let after = Span { start: span.end, end: (span.end + CONTEXT_CHARS).min(index.char_len()) };
        out.before = index.slice(before).unwrap_or("").to_owned();
        out.after = index.slice(after).unwrap_or("").to_owned();
        out.unplaced = false;
    };
    if index.slice(coding.span()).is_ok_and(|q| q == coding.quote) {
        out.unplaced = false;
        return (out, Anchor::Unchanged);
    }
    let candidates: Vec<Span> = if coding.quote.is_empty() {
        Vec::new()
    } else {
        text.match_indices(coding.quote.as_str()).filter_map(|(at, q)| index.span_of_bytes(at..at + q.len())).collect()
    };
    let score = |span: &Span| {
        let before =
            index.slice(Span { start: span.start.saturating_sub(CONTEXT_CHARS), end: span.start }).unwrap_or("");
        let after =
            index.slice(Span { start: span.end, end: (span.end + CONTEXT_CHARS).min(index.char_len()) }).unwrap_or("");
        let context = common_suffix(before, &coding.before) + common_prefix(after, &coding.after);
        (std::cmp::Reverse(context), span.start.abs_diff(coding.start))
    };
    if let Some(best) = candidates.iter().min_by_key(|s| score(s)) {
        refresh(&mut out, *best);
        return (out, Anchor::Moved);
    }
    // The quote was edited: look for its old surroundings, in order, close together.
    let tail: String = {
        let chars: Vec<char> = coding.before.chars().collect();
        chars[chars.len().saturating_sub(20)..].iter().collect()
    };
    let head: String = coding.after.chars().take(20).collect();
    if tail.chars().count() >= 8 && head.chars().count() >= 8 {
        let mut best: Option<Span> = None;
        for (at, _) in text.match_indices(tail.as_str()) {
            let from = at + tail.len();
            if let Some(gap) = text[from..].find(head.as_str()) {
                let span = index.span_of_bytes(from..from + gap);
                let old = coding.quote.chars().count().max(1);
                if let Some(span) = span.filter(|s| s.len() * 2 >= old && s.len() <= old * 2 && !s.is_empty()) {
                    if best.is_none_or(|b| span.start.abs_diff(coding.start) < b.start.abs_diff(coding.start)) {
                        best = Some(span);
                    }
                }
            }
        }
        if let Some(span) = best {
            let span = Span { start: span.start, end: span.end };
            let trimmed = index.slice(span).unwrap_or("");
            let lead = trimmed.len() - trimmed.trim_start().len();
            let trail = trimmed.len() - trimmed.trim_end().len();
            let (s, e) = (index.byte_of(span.start).unwrap_or(0) + lead, index.byte_of(span.end).unwrap_or(0) - trail);
            if let Some(inner) = index.span_of_bytes(s..e.max(s)) {
                refresh(&mut out, inner);
                return (out, Anchor::Changed);
            }
        }
    }
    out.unplaced = true;
    (out, Anchor::Unplaced)
}

#[cfg(test)]
mod reanchor_tests {
    use super::*;

    fn coding(text: &str, quote: &str, code: &str) -> Coding {
        let start = text.find(quote).unwrap();
        let index = TextIndex::new(text);
        let span = index.span_of_bytes(start..start + quote.len()).unwrap();
        let doc =
            crate::Document { meta: crate::DocumentMeta::new("d", "interview"), text: text.into(), turns: vec![] };
        Coding::new(&doc, span, code, "hp", "t").unwrap()
    }

    const OLD: &str =
        "Mo: It is a matter of showing that there is a way out. Just by seeing somebody who found a way out.";

    #[test]
    fn unchanged_moved_changed_unplaced() {
        let first = coding(OLD, "showing that there is a way out", "way-out");
        assert_eq!(reanchor(&first, OLD).1, Anchor::Unchanged);
        // Text inserted before: the quote moves.
        let edited = format!("[inaudible] {OLD}");
        let (moved, anchor) = reanchor(&first, &edited);
        assert_eq!(anchor, Anchor::Moved);
        assert_eq!(&edited[moved.start..moved.end], "showing that there is a way out");
        // Two occurrences of "a way out": the context decides.
        let second = {
            let start = OLD.rfind("a way out").unwrap();
            let index = TextIndex::new(OLD);
            let mut c = first.clone();
            let span = index.span_of_bytes(start..start + 9).unwrap();
            c.start = span.start;
            c.end = span.end;
            c.quote = "a way out".into();
            c.before = OLD[..start].chars().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
            c.after = OLD[start + 9..].into();
            c
        };
        let (m, anchor) = reanchor(&second, &edited);
        assert_eq!(anchor, Anchor::Moved);
        assert_eq!(m.start, edited.rfind("a way out").unwrap());
        // The quote itself corrected by the transcriber.
        let corrected = OLD.replace("showing that there is a way out", "showing them that there is a way out");
        let (c, anchor) = reanchor(&first, &corrected);
        assert_eq!(anchor, Anchor::Changed);
        assert_eq!(c.quote, "showing them that there is a way out");
        // Gone entirely: kept, flagged.
        let (u, anchor) = reanchor(&first, "Mo: something else entirely was said here, nothing alike.");
        assert_eq!(anchor, Anchor::Unplaced);
        assert!(u.unplaced);
        assert_eq!(u.quote, first.quote);
    }
}
