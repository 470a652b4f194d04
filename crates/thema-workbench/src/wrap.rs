//! Lines and words of a turn's text, by grapheme and display width: a wide CJK character takes two
//! columns, a combining mark none, and no grapheme is ever cut in two.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// One line of wrapped text: the code points `start..end` of the text it was cut from (ends
/// after the spaces at which it broke) and its display width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// The pieces a line may break between: runs of white space, line breaks, and what lies between
/// them (a word with the punctuation on it, `thing.` or `“thingy`, stays whole).
fn units(text: &str) -> Vec<&str> {
    let mut units = Vec::new();
    let mut open: Option<usize> = None; // byte start of the run of non-blank pieces being joined
    let mut at = 0;
    for piece in text.split_word_bounds() {
        let blank = piece.chars().all(char::is_whitespace);
        match (blank, open) {
            (true, Some(from)) => {
                units.push(&text[from..at]);
                units.push(piece);
                open = None;
            }
            (true, None) => units.push(piece),
            (false, None) => open = Some(at),
            (false, Some(_)) => {}
        }
        at += piece.len();
    }
    if let Some(from) = open {
        units.push(&text[from..]);
    }
    units
}

/// Wrap `text` to `width` columns: lines break after the spaces between words, never between a
/// word and the punctuation on it; a word wider than a line is cut between graphemes. A line
/// break in the text starts a new line. Always at least one line, so an empty turn still shows.
pub fn wrap(text: &str, width: usize) -> Vec<Line> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let (mut start, mut used, mut at) = (0usize, 0usize, 0usize);
    for piece in units(text) {
        let chars = piece.chars().count();
        if piece.starts_with('\n') || piece.starts_with('\r') {
            lines.push(Line { start, end: at });
            at += chars;
            (start, used) = (at, 0);
            continue;
        }
        let w = piece.width();
        let blank = piece.chars().all(char::is_whitespace);
        if used + w > width && !blank {
            if used > 0 {
                lines.push(Line { start, end: at });
                (start, used) = (at, 0);
            }
            if w > width {
                // A word longer than a line: cut it between graphemes.
                for g in piece.graphemes(true) {
                    let gw = g.width();
                    if used + gw > width && used > 0 {
                        lines.push(Line { start, end: at });
                        (start, used) = (at, 0);
                    }
                    used += gw;
                    at += g.chars().count();
                }
                continue;
            }
        }
        // Spaces at the end of a line hang past it rather than starting the next one.
        used += if blank { w.min(width.saturating_sub(used)) } else { w };
        at += chars;
    }
    lines.push(Line { start, end: at });
    lines
}

/// The words of `text` (runs with a letter or digit, as `unicode-segmentation` finds word
/// boundaries), as code point ranges.
pub fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for piece in text.split_word_bounds() {
        let n = piece.chars().count();
        if piece.chars().any(char::is_alphanumeric) {
            out.push((at, at + n));
        }
        at += n;
    }
    out
}

/// The sentences of `text` (UAX 29 sentence boundaries, as `unicode-segmentation` finds them),
/// as code point ranges without the white space after them.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for piece in text.split_sentence_bounds() {
        let n = piece.chars().count();
        let kept = piece.trim_end().chars().count();
        if kept > 0 {
            out.push((at, at + kept));
        }
        at += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_stays_on_its_word() {
        // Broke as "...the other thing" / ". Whereas" before: a line ends at a space only.
        let text = "under the other thing. Whereas “thingy” is";
        let lines = wrap(text, 21);
        assert_eq!(cut(text, &lines), ["under the other ", "thing. Whereas ", "“thingy” is"]);
    }

    fn cut<'a>(text: &'a str, lines: &[Line]) -> Vec<&'a str> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let byte = |c: usize| chars.get(c).map_or(text.len(), |&(b, _)| b);
        lines.iter().map(|l| &text[byte(l.start)..byte(l.end)]).collect()
    }

    #[test]
    fn lines_break_between_words_and_keep_their_spaces() {
        let text = "the bus pass costs too much";
        // 10 columns: "the bus " (8, the next word would make 12), "pass costs" (10), " too much".
        assert_eq!(cut(text, &wrap(text, 10)), ["the bus ", "pass costs ", "too much"]);
    }

    #[test]
    fn wide_characters_take_two_columns_and_combining_marks_none() {
        // Four CJK characters are 8 columns: at 5 columns, two a line.
        let text = "交通費用";
        assert_eq!(cut(text, &wrap(text, 5)), ["交通", "費用"]);
        // "cafe\u{301}" is 4 columns and 5 code points: it fits in 4 and the accent stays on.
        let text = "cafe\u{301} ok";
        assert_eq!(cut(text, &wrap(text, 4)), ["cafe\u{301} ", "ok"]);
    }

    #[test]
    fn a_long_word_is_cut_between_graphemes_and_line_breaks_start_lines() {
        assert_eq!(cut("abcdefg", &wrap("abcdefg", 3)), ["abc", "def", "g"]);
        assert_eq!(cut("a\nb", &wrap("a\nb", 10)), ["a", "b"]);
        assert_eq!(wrap("", 10), [Line { start: 0, end: 0 }]);
        // Width 0 is taken as 1, never a loop without end.
        assert_eq!(wrap("ab", 0).len(), 2);
    }

    #[test]
    fn words_skip_spaces_and_punctuation() {
        // "It's" is one word to UAX 29; "£20" is "£" (no letter) and "20".
        assert_eq!(words("It's £20, really."), [(0, 4), (6, 8), (10, 16)]);
    }

    #[test]
    fn sentences_end_at_their_full_stop_and_skip_the_space_after() {
        // "Money is tight." (0..15), "Really?" (16..23), "Yes!!" (25..30) after two spaces.
        assert_eq!(sentences("Money is tight. Really?  Yes!!"), [(0, 15), (16, 23), (25, 30)]);
        // A title's full stop ends a sentence to UAX 29 only before a capital: "Dr. smith" is one.
        assert_eq!(sentences("ask Dr. smith now"), [(0, 17)]);
        assert_eq!(sentences(""), Vec::<(usize, usize)>::new());
    }
}
