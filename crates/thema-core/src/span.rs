//! Spans: half-open ranges of code points into a document's normalised text.
//!
//! thema counts positions in Unicode scalar values (code points), the unit REFI-QDA uses, so a
//! span means the same thing in every tool that reads the study. Rust strings are indexed by
//! bytes; [`TextIndex`] converts between the two in O(1) for ASCII text and O(log n + 64) otherwise.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use unicode_segmentation::GraphemeCursor;

/// A half-open range `[start, end)` of code points.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Span {
    /// First code point of the span.
    pub start: usize,
    /// One past the last code point of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `None` when `end < start`.
    pub fn new(start: usize, end: usize) -> Option<Span> {
        (start <= end).then_some(Span { start, end })
    }

    /// Number of code points covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when `position` lies inside the span.
    pub fn contains(&self, position: usize) -> bool {
        self.start <= position && position < self.end
    }

    /// True when `other` lies wholly inside this span.
    pub fn encloses(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one code point (an empty span overlaps nothing).
    pub fn overlaps(&self, other: Span) -> bool {
        self.start.max(other.start) < self.end.min(other.end)
    }

    /// The code points both spans cover, if any.
    pub fn intersection(&self, other: Span) -> Option<Span> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Span { start, end })
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// The span moved by `delta` code points; `None` if it would fall below zero.
    pub fn shifted(&self, delta: isize) -> Option<Span> {
        let start = self.start.checked_add_signed(delta)?;
        let end = self.end.checked_add_signed(delta)?;
        Some(Span { start, end })
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// Why a span does not fit a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SpanError {
    /// The span ends after the text.
    #[error("span {span} ends after the text, which has {len} code points")]
    OutOfBounds {
        /// The offending span.
        span: Span,
        /// Length of the text in code points.
        len: usize,
    },
    /// An end of the span falls inside a grapheme cluster (for example between a letter and its
    /// combining accent, or inside an emoji sequence).
    #[error("span {span} splits a character at code point {at}")]
    SplitsGrapheme {
        /// The offending span.
        span: Span,
        /// The position inside a grapheme cluster.
        at: usize,
    },
}

/// Code point to byte offset conversions for one text.
///
/// Keeps the byte offset of every 64th code point, so a lookup is a jump plus at most 63 steps.
#[derive(Debug, Clone)]
pub struct TextIndex<'a> {
    text: &'a str,
    /// Byte offset of code point `64 * i`; empty for ASCII text, where the two coincide.
    checkpoints: Vec<usize>,
    chars: usize,
}

const STRIDE: usize = 64;

impl<'a> TextIndex<'a> {
    /// Index `text`.
    pub fn new(text: &'a str) -> TextIndex<'a> {
        if text.is_ascii() {
            return TextIndex { text, checkpoints: Vec::new(), chars: text.len() };
        }
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut chars = 0;
        for (byte, _) in text.char_indices() {
            if chars % STRIDE == 0 {
                checkpoints.push(byte);
            }
            chars += 1;
        }
        TextIndex { text, checkpoints, chars }
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Length of the text in code points.
    pub fn char_len(&self) -> usize {
        self.chars
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// Byte offset of code point `position` (the text's byte length for `position == char_len`).
    pub fn byte_of(&self, position: usize) -> Option<usize> {
        if position > self.chars {
            return None;
        }
        if self.is_ascii() || position == self.chars {
            return Some(if position == self.chars { self.text.len() } else { position });
        }
        let base = self.checkpoints[position / STRIDE];
        let skip = position % STRIDE;
        match self.text[base..].char_indices().nth(skip) {
            Some((offset, _)) => Some(base + offset),
            None => Some(self.text.len()),
        }
    }

    /// Code point position of byte offset `byte`; `None` if it is not on a character boundary.
    pub fn char_of(&self, byte: usize) -> Option<usize> {
        if byte > self.text.len() || !self.text.is_char_boundary(byte) {
            return None;
        }
        if self.is_ascii() {
            return Some(byte);
        }
        // The last checkpoint at or before `byte`.
        let slot = self.checkpoints.partition_point(|&b| b <= byte) - 1;
        let base = self.checkpoints[slot];
        Some(slot * STRIDE + self.text[base..byte].chars().count())
    }

    /// Byte range of a code point span.
    pub fn byte_range(&self, span: Span) -> Result<std::ops::Range<usize>, SpanError> {
        match (self.byte_of(span.start), self.byte_of(span.end)) {
            (Some(start), Some(end)) => Ok(start..end),
            _ => Err(SpanError::OutOfBounds { span, len: self.chars }),
        }
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> Result<&'a str, SpanError> {
        Ok(&self.text[self.byte_range(span)?])
    }

    /// Convert a byte range (on character boundaries) into a code point span.
    pub fn span_of_bytes(&self, range: std::ops::Range<usize>) -> Option<Span> {
        Span::new(self.char_of(range.start)?, self.char_of(range.end)?)
    }

    /// True when code point `position` is at a grapheme cluster boundary (the text's ends are).
    pub fn is_grapheme_boundary(&self, position: usize) -> bool {
        match self.byte_of(position) {
            Some(byte) => is_grapheme_boundary_at_byte(self.text, byte),
            None => false,
        }
    }

    /// The smallest span that covers `span` and does not split a grapheme cluster (both ends
    /// moved outwards to the nearest boundary, and clamped to the text).
    pub fn widen_to_graphemes(&self, span: Span) -> Span {
        let mut start = span.start.min(self.chars);
        let mut end = span.end.min(self.chars).max(start);
        while start > 0 && !self.is_grapheme_boundary(start) {
            start -= 1;
        }
        while end < self.chars && !self.is_grapheme_boundary(end) {
            end += 1;
        }
        Span { start, end }
    }

    /// Check that `span` lies in the text and does not split a grapheme cluster.
    pub fn check(&self, span: Span) -> Result<(), SpanError> {
        if span.end > self.chars {
            return Err(SpanError::OutOfBounds { span, len: self.chars });
        }
        for at in [span.start, span.end] {
            if !self.is_grapheme_boundary(at) {
                return Err(SpanError::SplitsGrapheme { span, at });
            }
        }
        Ok(())
    }
}

/// True when byte offset `byte` of `text` is a grapheme cluster boundary.
pub fn is_grapheme_boundary_at_byte(text: &str, byte: usize) -> bool {
    if byte == 0 || byte == text.len() {
        return true;
    }
    if !text.is_char_boundary(byte) {
        return false;
    }
    // Fast path: between two ASCII characters other than CR LF there is always a boundary.
    let bytes = text.as_bytes();
    let (before, after) = (bytes[byte - 1], bytes[byte]);
    if before.is_ascii() && after.is_ascii() && !(before == b'\r' && after == b'\n') {
        return true;
    }
    // Look at a window around the position: grapheme rules only need local context, except for
    // runs of regional indicators, which the cursor asks about through `PreContext`.
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    cursor.is_boundary(text, 0).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ascii_and_unicode_offsets_agree_with_char_indices() {
        for text in ["", "abc", "héllo wörld", "👩‍👩‍👧 family", "e\u{301}cole", "日本語のテキスト"]
        {
            let index = TextIndex::new(text);
            let expected: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            for (cp, byte) in expected.iter().enumerate() {
                assert_eq!(index.byte_of(cp), Some(*byte), "{text:?} cp {cp}");
                assert_eq!(index.char_of(*byte), Some(cp), "{text:?} byte {byte}");
            }
            assert_eq!(index.byte_of(expected.len()), None);
        }
    }

    #[test]
    fn combining_accent_and_zwj_sequences_are_not_split() {
        let text = "e\u{301}t\u{e9} 👩‍👩‍👧!";
        let index = TextIndex::new(text);
        assert!(index.check(Span { start: 0, end: 2 }).is_ok());
        assert_eq!(
            index.check(Span { start: 0, end: 1 }),
            Err(SpanError::SplitsGrapheme { span: Span { start: 0, end: 1 }, at: 1 })
        );
        // The family emoji is code points 5..10 (woman, ZWJ, woman, ZWJ, girl).
        assert!(index.check(Span { start: 5, end: 10 }).is_ok());
        assert!(index.check(Span { start: 5, end: 7 }).is_err());
        assert!(matches!(index.check(Span { start: 0, end: 99 }), Err(SpanError::OutOfBounds { len: 11, .. })));
    }

    #[test]
    fn widening_keeps_whole_graphemes() {
        // A combining accent after the space belongs to the space's grapheme.
        let text = "Zoë: \u{301}hi 👩‍👩‍👧";
        let index = TextIndex::new(text);
        // Code points: Z o ë : space U+0301 h i space woman ZWJ woman ZWJ girl (14).
        assert_eq!(index.char_len(), 14);
        assert_eq!(index.widen_to_graphemes(Span { start: 5, end: 8 }), Span { start: 4, end: 8 });
        assert_eq!(index.widen_to_graphemes(Span { start: 6, end: 8 }), Span { start: 6, end: 8 });
        assert_eq!(index.widen_to_graphemes(Span { start: 10, end: 12 }), Span { start: 9, end: 14 });
        assert_eq!(index.widen_to_graphemes(Span { start: 2, end: 99 }), Span { start: 2, end: 14 });
        for a in 0..=14 {
            for b in a..=14 {
                assert!(index.check(index.widen_to_graphemes(Span { start: a, end: b })).is_ok());
            }
        }
    }

    #[test]
    fn crlf_is_one_grapheme() {
        assert!(!is_grapheme_boundary_at_byte("a\r\nb", 2));
        assert!(is_grapheme_boundary_at_byte("a\r\nb", 3));
    }

    fn any_text() -> impl Strategy<Value = String> {
        // Mix ASCII, accented letters, combining marks, CJK, emoji and ZWJ.
        proptest::collection::vec(
            prop_oneof![
                Just("a"),
                Just(" "),
                Just("\n"),
                Just("é"),
                Just("\u{301}"),
                Just("語"),
                Just("😀"),
                Just("\u{200d}"),
                Just("🇨🇦"),
                Just("\r\n"),
            ],
            0..200,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn byte_and_char_round_trip(text in any_text()) {
            let index = TextIndex::new(&text);
            prop_assert_eq!(index.char_len(), text.chars().count());
            for (cp, (byte, _)) in text.char_indices().enumerate() {
                prop_assert_eq!(index.byte_of(cp), Some(byte));
                prop_assert_eq!(index.char_of(byte), Some(cp));
            }
            for byte in 0..text.len() {
                if !text.is_char_boundary(byte) {
                    prop_assert_eq!(index.char_of(byte), None);
                }
            }
        }

        #[test]
        fn grapheme_boundaries_match_the_segmenter(text in any_text()) {
            use unicode_segmentation::UnicodeSegmentation;
            let index = TextIndex::new(&text);
            let mut boundaries: Vec<usize> =
                text.grapheme_indices(true).map(|(b, _)| b).chain([text.len()]).collect();
            boundaries.dedup();
            for cp in 0..=index.char_len() {
                let byte = index.byte_of(cp).unwrap();
                prop_assert_eq!(index.is_grapheme_boundary(cp), boundaries.contains(&byte));
            }
        }

        #[test]
        fn span_algebra(a in 0usize..50, b in 0usize..50, c in 0usize..50, d in 0usize..50) {
            let x = Span::new(a.min(b), a.max(b)).unwrap();
            let y = Span::new(c.min(d), c.max(d)).unwrap();
            let cover = x.cover(y);
            prop_assert!(cover.encloses(x) && cover.encloses(y));
            match x.intersection(y) {
                Some(i) => {
                    prop_assert!(x.overlaps(y));
                    prop_assert!(x.encloses(i) && y.encloses(i));
                    prop_assert!(!i.is_empty());
                }
                None => prop_assert!(!x.overlaps(y)),
            }
            prop_assert_eq!(x.overlaps(y), y.overlaps(x));
            prop_assert_eq!(x.shifted(3).unwrap().len(), x.len());
        }

        #[test]
        fn checked_spans_end_on_segmenter_boundaries(text in any_text(), a in 0usize..400, b in 0usize..400) {
            use unicode_segmentation::UnicodeSegmentation;
            let index = TextIndex::new(&text);
            let span = Span::new(a.min(b), a.max(b)).unwrap();
            let boundaries: Vec<usize> =
                text.grapheme_indices(true).map(|(b, _)| b).chain([text.len()]).collect();
            match index.check(span) {
                Ok(()) => {
                    let range = index.byte_range(span).unwrap();
                    prop_assert!(boundaries.contains(&range.start));
                    prop_assert!(boundaries.contains(&range.end));
                    prop_assert_eq!(index.slice(span).unwrap().chars().count(), span.len());
                }
                Err(SpanError::OutOfBounds { .. }) => prop_assert!(span.end > index.char_len()),
                Err(SpanError::SplitsGrapheme { at, .. }) => {
                    let byte = index.byte_of(at).unwrap();
                    prop_assert!(!boundaries.contains(&byte));
                }
            }
        }
    }
}
