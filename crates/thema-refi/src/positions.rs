//! Selection positions at the border. Inside thema a position is a Unicode code point in the
//! normalised text (UTF-8, LF line endings, no byte order mark), as REFI-QDA 1.5 (section 10.2)
//! prescribes. Programs that wrote a file count otherwise:
//!
//! - NVivo (Windows 12.6 and later) counts UTF-16 code units: a character outside the Basic
//!   Multilingual Plane (most emoji) counts two.
//! - ATLAS.ti counts a CR LF line ending as one character although its text file holds both.
//! - Everyone else counts code points of the text file as stored, so CR LF counts two.
//!
//! A byte order mark is never counted. [`SourceText::new`] normalises a source's text and keeps
//! the table that takes the writer's positions to code points of the normalised text.

/// What a file's positions count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Unicode code points of the text as stored (the standard).
    CodePoints,
    /// UTF-16 code units (NVivo).
    Utf16,
    /// Code points, with CR LF counted as one (ATLAS.ti).
    CrlfAsOne,
}

impl Unit {
    /// The unit a file's `origin` attribute implies.
    pub fn for_origin(origin: &str) -> Unit {
        let o = origin.to_lowercase();
        if o.contains("nvivo") {
            Unit::Utf16
        } else if o.contains("atlas.ti") || o.contains("atlasti") || o.contains("atlas ti") {
            Unit::CrlfAsOne
        } else {
            Unit::CodePoints
        }
    }

    /// Parse a unit named on the command line.
    pub fn parse(name: &str) -> Option<Unit> {
        match name {
            "code-points" | "codepoints" => Some(Unit::CodePoints),
            "utf16" | "utf-16" => Some(Unit::Utf16),
            "crlf-as-one" => Some(Unit::CrlfAsOne),
            _ => None,
        }
    }

    /// The unit's name.
    pub fn name(self) -> &'static str {
        match self {
            Unit::CodePoints => "code-points",
            Unit::Utf16 => "utf16",
            Unit::CrlfAsOne => "crlf-as-one",
        }
    }
}

/// A source's text normalised, with the table from the writer's positions to thema's.
#[derive(Clone, Debug)]
pub struct SourceText {
    /// The normalised text.
    pub text: String,
    /// `units[i]`: the writer's count before normalised character `i`; one more entry at the
    /// end holds the total. Empty when the two counts are the same everywhere.
    units: Vec<u64>,
    /// Length of the normalised text in characters.
    chars: usize,
}

impl SourceText {
    /// Normalise `raw` (already decoded; a leading byte order mark is dropped and not counted)
    /// and record how `unit` counts it.
    pub fn new(raw: &str, unit: Unit) -> SourceText {
        let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let identity = !raw.contains('\r') && (unit != Unit::Utf16 || raw.chars().all(|c| (c as u32) < 0x10000));
        if identity {
            return SourceText { text: raw.to_owned(), units: Vec::new(), chars: raw.chars().count() };
        }
        let mut text = String::with_capacity(raw.len());
        let mut units = Vec::with_capacity(raw.len() + 1);
        let mut count = 0u64;
        let mut chars = raw.chars().peekable();
        while let Some(c) = chars.next() {
            units.push(count);
            if c == '\r' {
                text.push('\n');
                if chars.peek() == Some(&'\n') {
                    chars.next();
                    count += if unit == Unit::CrlfAsOne { 1 } else { 2 };
                } else {
                    count += 1;
                }
            } else {
                text.push(c);
                count += if unit == Unit::Utf16 { c.len_utf16() as u64 } else { 1 };
            }
        }
        units.push(count);
        let chars = units.len() - 1;
        SourceText { text, units, chars }
    }

    /// Length in the writer's units.
    pub fn unit_len(&self) -> u64 {
        self.units.last().copied().unwrap_or(self.chars as u64)
    }

    /// The code point of the normalised text at the writer's position `at`. A position inside
    /// a character (between the two halves of a surrogate pair, or between CR and LF) goes to
    /// the character's start, or with `round_up` past its end. `None` past the end of the text.
    pub fn to_code_point(&self, at: u64, round_up: bool) -> Option<usize> {
        if self.units.is_empty() {
            return (at <= self.chars as u64).then_some(at as usize);
        }
        if at > self.unit_len() {
            return None;
        }
        match self.units.binary_search(&at) {
            Ok(i) => Some(i),
            Err(i) => Some(if round_up { i } else { i - 1 }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_origin() {
        assert_eq!(Unit::for_origin("NVivo 14 for Windows"), Unit::Utf16);
        assert_eq!(Unit::for_origin("ATLAS.ti Win 23.4.0"), Unit::CrlfAsOne);
        assert_eq!(Unit::for_origin("QualCoder 3.5"), Unit::CodePoints);
        assert_eq!(Unit::for_origin(""), Unit::CodePoints);
    }

    /// "héllo 😀 wörld" on two lines with CR LF: each writer's positions of "wörld" and of the
    /// emoji land on the same code points of the normalised text.
    #[test]
    fn emoji_crlf_and_bom_map_to_the_same_code_points() {
        let raw = "\u{feff}héllo 😀\r\nwörld\r\nend";
        let normalised = "héllo 😀\nwörld\nend";
        let world = normalised.chars().position(|c| c == 'w').unwrap();
        let emoji = normalised.chars().position(|c| c == '😀').unwrap();
        // Code points of the stored text (BOM not counted): CR LF two.
        let s = SourceText::new(raw, Unit::CodePoints);
        assert_eq!(s.text, normalised);
        assert_eq!(s.to_code_point(9, false), Some(world));
        // UTF-16: the emoji is two units, CR LF two.
        let s = SourceText::new(raw, Unit::Utf16);
        assert_eq!(s.to_code_point(6, false), Some(emoji));
        assert_eq!(s.to_code_point(10, false), Some(world));
        // The middle of the surrogate pair rounds to the emoji's start or past its end.
        assert_eq!(s.to_code_point(7, false), Some(emoji));
        assert_eq!(s.to_code_point(7, true), Some(emoji + 1));
        // ATLAS.ti: CR LF one.
        let s = SourceText::new(raw, Unit::CrlfAsOne);
        assert_eq!(s.to_code_point(8, false), Some(world));
        assert_eq!(s.to_code_point(s.unit_len(), false), Some(normalised.chars().count()));
        assert_eq!(s.to_code_point(s.unit_len() + 1, false), None);
        // Between CR and LF of the code-point count: start goes back, end goes on.
        let s = SourceText::new(raw, Unit::CodePoints);
        assert_eq!(s.to_code_point(8, false), Some(7));
        assert_eq!(s.to_code_point(8, true), Some(8));
    }

    #[test]
    fn plain_text_is_the_identity() {
        let s = SourceText::new("abc\ndef", Unit::Utf16);
        assert_eq!(s.to_code_point(5, false), Some(5));
        assert_eq!(s.to_code_point(8, false), None);
    }
}
