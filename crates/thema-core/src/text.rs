//! Text normalisation and word counting, done the same way everywhere in thema.

use unicode_segmentation::UnicodeSegmentation;

/// `1234567` as `1,234,567`, as thema prints counts.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `1 turn`, `2 turns`, `1,200 turns`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Normalise text once, at import: drop the byte order mark at the start (all of them: a file
/// re-saved by a careless tool can start with two) and turn CRLF and lone CR line endings into LF. Nothing else changes: spelling, spacing and Unicode forms stay as transcribed,
/// because codings from other tools point into the text as it was.
pub fn normalise(raw: &str) -> String {
    let raw = raw.trim_start_matches('\u{feff}');
    if !raw.contains('\r') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// True when `text` is already normalised (no byte order mark, no CR).
pub fn is_normalised(text: &str) -> bool {
    !text.starts_with('\u{feff}') && !text.contains('\r')
}

/// Number of words in `text`, by the Unicode word boundary rules (UAX #29): "don't" is one word,
/// "{vocalsound}" is one word, punctuation standing alone is none.
pub fn word_count(text: &str) -> usize {
    text.unicode_words().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_bom_and_line_endings() {
        assert_eq!(normalise("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalise("plain\n"), "plain\n");
        assert!(is_normalised(&normalise("\u{feff}x\r\n")));
        // Two byte order marks (found by fuzzing: UTF-16 whose text starts with another BOM).
        assert_eq!(normalise("\u{feff}\u{feff}x"), "x");
        assert!(!is_normalised("x\r\n"));
    }

    #[test]
    fn counts_words_like_a_reader() {
        assert_eq!(word_count("I don't know , really ."), 4);
        assert_eq!(word_count("It {disfmarker} it doesn't"), 4);
        assert_eq!(word_count(""), 0);
        assert_eq!(word_count("Café au lait, s'il vous plaît"), 6);
    }
}
