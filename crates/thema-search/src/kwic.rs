//! Keyword in context: each match of a search on a line of its own, aligned on the keyword.

use serde::Serialize;

use crate::search::Hit;

/// One keyword-in-context line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Turn id.
    pub turn: String,
    /// Up to `width` characters before the keyword, on one line.
    pub left: String,
    /// The matching words.
    pub keyword: String,
    /// Up to `width` characters after it.
    pub right: String,
}

/// The lines of `hits`, up to `width` characters of context on each side (whitespace folded to
/// single spaces and trimmed, cut at a character boundary).
pub fn lines(hits: &[Hit], width: usize) -> Vec<Line> {
    let mut out = Vec::new();
    for hit in hits {
        for m in &hit.matches {
            let left = fold(&hit.text[..m.start]);
            let right = fold(&hit.text[m.end..]);
            let left_chars = left.chars().count();
            let left: String = left.chars().skip(left_chars.saturating_sub(width)).collect();
            let right: String = right.chars().take(width).collect();
            out.push(Line {
                turn: hit.turn.clone(),
                left: left.trim_start().to_owned(),
                keyword: fold(&hit.text[m.clone()]),
                right: right.trim_end().to_owned(),
            });
        }
    }
    out
}

/// Whitespace runs (line breaks included) as one space, none at either end.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_align_on_the_keyword() {
        let text = "we went to court.\nThe court said no";
        let hit = Hit {
            turn: "fg1:T2".into(),
            document: "fg1".into(),
            number: 2,
            speaker: None,
            participant: None,
            text: text.into(),
            start: 0,
            score: 0.0,
            matches: vec![11..16, 22..27],
        };
        let lines = lines(&[hit], 8);
        // "we went to" -> its last 8 characters, " went to", trimmed.
        assert_eq!(lines[0].left, "went to");
        assert_eq!(lines[0].keyword, "court");
        // The line break folds to a space.
        assert_eq!(lines[0].right, ". The co");
        assert_eq!(lines[1].left, "urt. The");
        assert_eq!(lines[1].right, "said no");
    }
}
