//! The one escaper of text written into XML and HTML: REFI-QDA files, SVG charts and the theme
//! map, GraphML, DOCX and XLSX parts, and the HTML report and tables.
//!
//! One rule for characters that markup cannot carry, whatever the target: the C0 control
//! characters other than tab, line feed and carriage return, and the non-characters U+FFFE and
//! U+FFFF, are dropped, as XML 1.0 forbids them (a file holding one is refused by every parser);
//! so are DEL and the C1 controls (U+007F to U+009F), which XML 1.0 discourages and HTML counts
//! as parse errors, and which browsers and word processors render unpredictably. A transcript can hold them
//! (a stray form feed from a word processor, an escape from a terminal log), so every writer
//! passes its text through here rather than deciding again.
//!
//! The targets differ only in spelling, each kept as the files thema has always written so that
//! the same study gives the same bytes:
//!
//! | target | `'` | tab, line feed, carriage return |
//! |---|---|---|
//! | [`Markup::Xml`] | `&apos;` | as they are |
//! | [`Markup::XmlAttribute`] | as it is | `&#9;`, `&#10;`, `&#13;` (so attribute-value normalisation keeps them) |
//! | [`Markup::Html`] | `&#39;` | tab and line feed as they are; carriage return dropped |
//!
//! `&`, `<`, `>` and `"` are escaped everywhere.

/// Where escaped text goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Markup {
    /// Element content or a double-quoted attribute of an XML document (SVG, GraphML, Office
    /// Open XML parts).
    Xml,
    /// Text that may land in a double-quoted XML attribute and must keep its line breaks
    /// (REFI-QDA: names and descriptions).
    XmlAttribute,
    /// HTML element content or a double-quoted attribute.
    Html,
}

/// Whether thema keeps `c` in markup (see the module's rule).
pub fn is_markup_char(c: char) -> bool {
    !matches!(
        c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

/// `text` escaped for `target`, with the characters markup cannot carry dropped.
pub fn escape(text: &str, target: Markup) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, target);
    out
}

/// [`escape`], appending to `out`.
pub fn escape_into(out: &mut String, text: &str, target: Markup) {
    for c in text.chars() {
        match (c, target) {
            ('&', _) => out.push_str("&amp;"),
            ('<', _) => out.push_str("&lt;"),
            ('>', _) => out.push_str("&gt;"),
            ('"', _) => out.push_str("&quot;"),
            ('\'', Markup::Xml) => out.push_str("&apos;"),
            ('\'', Markup::Html) => out.push_str("&#39;"),
            ('\t', Markup::XmlAttribute) => out.push_str("&#9;"),
            ('\n', Markup::XmlAttribute) => out.push_str("&#10;"),
            ('\r', Markup::XmlAttribute) => out.push_str("&#13;"),
            ('\r', Markup::Html) => {}
            (c, _) if !is_markup_char(c) => {}
            (c, _) => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_spelled_for_each_target() {
        let text = "a<b & \"c\" 'd'>";
        assert_eq!(escape(text, Markup::Xml), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;");
        assert_eq!(escape(text, Markup::XmlAttribute), "a&lt;b &amp; &quot;c&quot; 'd'&gt;");
        assert_eq!(escape(text, Markup::Html), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
    }

    #[test]
    fn line_breaks_survive_where_each_target_needs_them() {
        let text = "one\ttwo\nthree\r\nfour";
        assert_eq!(escape(text, Markup::Xml), text);
        assert_eq!(escape(text, Markup::XmlAttribute), "one&#9;two&#10;three&#13;&#10;four");
        assert_eq!(escape(text, Markup::Html), "one\ttwo\nthree\nfour");
    }

    #[test]
    fn characters_xml_forbids_are_dropped_everywhere() {
        // NUL, a form feed, an escape, a vertical tab and the two non-characters: none may reach
        // an XML file; DEL and a C1 control (NEL) go too.
        let text = "a\u{0}b\u{c}c\u{1b}[0md\u{b}e\u{fffe}f\u{ffff}g\u{7f}\u{85}";
        for target in [Markup::Xml, Markup::XmlAttribute, Markup::Html] {
            assert_eq!(escape(text, target), "abc[0mdefg", "{target:?}");
        }
        // Text outside the Basic Multilingual Plane and typographic quotes pass unchanged.
        assert_eq!(escape("“I know” 🙂", Markup::Xml), "“I know” 🙂");
    }
}
