//! A small element tree read from other people's XML, safely, and the escaping thema writes.
//!
//! Reading refuses a document type declaration (REFI-QDA files never have one, and it is how
//! entity-expansion attacks such as "billion laughs" and external entities begin), refuses any
//! entity other than the five XML predefines and character references, and stops at a nesting
//! depth of 256 and 20 million elements. Each element keeps the line it starts on, for errors.
//!
//! Names, attribute values and text borrow from the XML where they can (a value with no escape
//! in it is the XML's own bytes), so a project of half a million selections is read without a
//! million small allocations.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::RefiError;

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 256;
/// Most elements accepted in one file.
const MAX_ELEMENTS: usize = 20_000_000;

/// An element: its local name (namespace prefix dropped), attributes, children and text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element<'a> {
    /// Local name.
    pub name: &'a str,
    /// Namespace URI declared on this element with `xmlns`, if any.
    pub namespace: Option<Cow<'a, str>>,
    /// Attributes by local name, in document order, unescaped.
    pub attrs: Vec<(&'a str, Cow<'a, str>)>,
    /// Child elements in document order.
    pub children: Vec<Element<'a>>,
    /// Text directly inside the element (CDATA included), unescaped. White space between child
    /// elements is not kept.
    pub text: Cow<'a, str>,
    /// 1-based line of the start tag.
    pub line: usize,
}

impl<'a> Element<'a> {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_ref())
    }

    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Children named `name`.
    pub fn children_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Children of the wrapper child `wrapper` named `name` (`Codes`/`Code`); none if the
    /// wrapper is missing or empty, which real exporters write although the schema forbids it.
    pub fn wrapped<'s>(&'s self, wrapper: &'s str, name: &'s str) -> impl Iterator<Item = &'s Element<'a>> + 's {
        self.children_named(wrapper).flat_map(move |w| w.children_named(name))
    }

    /// The text of child `name`, trimmed; empty if there is none.
    pub fn child_text(&self, name: &str) -> String {
        self.child(name).map(|c| c.text.trim().to_owned()).unwrap_or_default()
    }
}

/// Parse `xml` (from `file`, for errors) into its root element.
pub fn parse<'a>(xml: &'a str, file: &str) -> Result<Element<'a>, RefiError> {
    let xml = xml.strip_prefix('\u{feff}').unwrap_or(xml);
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0usize;
    // Line counting: newlines before `counted` are in `line`.
    let mut counted = 0usize;
    let mut line = 1usize;
    let mut line_at = |pos: usize| {
        let pos = pos.min(xml.len());
        if pos > counted {
            line += xml.as_bytes()[counted..pos].iter().filter(|&&b| b == b'\n').count();
            counted = pos;
        }
        line
    };
    let error = |line: usize, message: String| RefiError::Xml { file: file.to_owned(), line, message };
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => {
                let at = line_at(reader.error_position() as usize);
                return Err(error(at, format!("the XML is not well formed: {e}")));
            }
        };
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(error(
                    line_at(before),
                    "the file declares a document type (<!DOCTYPE>), which REFI-QDA files never do; \
                     refusing it rather than resolving or expanding its entities"
                        .into(),
                ))
            }
            Event::Start(e) => {
                elements += 1;
                let at = line_at(before);
                let element = start(xml, &e, at, file)?;
                if stack.len() >= MAX_DEPTH || elements > MAX_ELEMENTS {
                    return Err(error(at, format!("the XML nests deeper than {MAX_DEPTH} or has more than {MAX_ELEMENTS} elements; refusing it")));
                }
                stack.push(element);
            }
            Event::Empty(e) => {
                elements += 1;
                let at = line_at(before);
                let element = start(xml, &e, at, file)?;
                if elements > MAX_ELEMENTS {
                    return Err(error(at, format!("the XML has more than {MAX_ELEMENTS} elements; refusing it")));
                }
                close(&mut stack, &mut root, element, file)?;
            }
            Event::End(_) => {
                let element = stack.pop().ok_or_else(|| error(line_at(before), "an end tag closes nothing".into()))?;
                close(&mut stack, &mut root, element, file)?;
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    push_text(xml, &mut top.text, &t);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    push_text(xml, &mut top.text, &t);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match &*r {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => match r.resolve_char_ref() {
                        Ok(Some(ch)) => ch,
                        _ => {
                            return Err(error(
                                line_at(before),
                                format!(
                                    "the entity `&{};` is not one XML defines; thema does not expand entities",
                                    &*r
                                ),
                            ))
                        }
                    },
                };
                if let Some(top) = stack.last_mut() {
                    top.text.to_mut().push(resolved);
                }
            }
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(error(open.line, format!("`<{}>` is never closed", open.name)));
    }
    root.ok_or_else(|| error(1, "the file has no root element".into()))
}

/// `s`, which quick-xml read from `xml`, as a slice of `xml` (so it lives as long), or `None` if
/// it is a copy (an unescaped value).
fn within<'a>(xml: &'a str, s: &str) -> Option<&'a str> {
    let offset = (s.as_ptr() as usize).checked_sub(xml.as_ptr() as usize)?;
    xml.get(offset..offset + s.len()).filter(|x| x.as_ptr() == s.as_ptr())
}

fn borrowed<'a>(xml: &'a str, s: Cow<'_, str>) -> Cow<'a, str> {
    match s {
        Cow::Borrowed(b) => within(xml, b).map_or_else(|| Cow::Owned(b.to_owned()), Cow::Borrowed),
        Cow::Owned(o) => Cow::Owned(o),
    }
}

/// Append text to an element's text. White space alone, between child elements, is dropped
/// unless it follows text (`&lt; &gt;` keeps its space).
fn push_text<'a>(xml: &'a str, text: &mut Cow<'a, str>, chunk: &str) {
    if text.is_empty() {
        *text = within(xml, chunk).map_or_else(|| Cow::Owned(chunk.to_owned()), Cow::Borrowed);
    } else if !(chunk.trim().is_empty() && text.trim().is_empty()) {
        text.to_mut().push_str(chunk);
    }
}

fn start<'a>(xml: &'a str, e: &BytesStart<'_>, line: usize, file: &str) -> Result<Element<'a>, RefiError> {
    let local = e.local_name();
    let name = within(xml, local.as_ref()).unwrap_or("");
    let mut element = Element { name, line, ..Element::default() };
    for attr in e.attributes() {
        let attr = attr.map_err(|err| RefiError::Xml {
            file: file.to_owned(),
            line,
            message: format!("a bad attribute in `<{}>`: {err}", element.name),
        })?;
        let key = attr.key;
        let value = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).map_err(|err| RefiError::Xml {
            file: file.to_owned(),
            line,
            message: format!("a bad attribute value in `<{}>`: {err} (thema expands no entities)", element.name),
        })?;
        if key.as_ref() == "xmlns" {
            element.namespace = Some(borrowed(xml, value));
            continue;
        }
        if key.as_ref().starts_with("xmlns:") {
            continue;
        }
        let local = within(xml, key.local_name().as_ref()).unwrap_or("");
        element.attrs.push((local, borrowed(xml, value)));
    }
    Ok(element)
}

fn close<'a>(
    stack: &mut [Element<'a>],
    root: &mut Option<Element<'a>>,
    element: Element<'a>,
    file: &str,
) -> Result<(), RefiError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => {
            return Err(RefiError::Xml {
                file: file.to_owned(),
                line: element.line,
                message: "the file has more than one root element".into(),
            })
        }
    }
    Ok(())
}

/// Escape text for an element's content or an attribute value (double-quoted), keeping line breaks as
/// character references: [`thema_core::markup`] with [`Markup::XmlAttribute`](thema_core::markup::Markup).
pub fn escape(text: &str) -> String {
    thema_core::markup::escape(text, thema_core::markup::Markup::XmlAttribute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_attributes_text_and_lines() {
        let xml = "<?xml version=\"1.0\"?>\n<a xmlns=\"urn:x\" k=\"v &amp; w\">\n  <b n=\"1\">x &lt; y&#233;</b>\n  <b n=\"2\"/><![CDATA[<raw>]]>\n</a>";
        let root = parse(xml, "t.xml").unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.namespace.as_deref(), Some("urn:x"));
        assert_eq!(root.attr("k"), Some("v & w"));
        let bs: Vec<_> = root.children_named("b").collect();
        assert_eq!(bs.len(), 2);
        assert_eq!(bs[0].text, "x < yé");
        assert_eq!((bs[0].line, bs[1].line), (3, 4));
        assert!(root.text.contains("<raw>"));
    }

    #[test]
    fn refuses_doctypes_unknown_entities_and_bad_xml_naming_the_line() {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>\n<a>&lol2;</a>";
        let e = parse(laughs, "p.qde").unwrap_err().to_string();
        assert!(e.starts_with("p.qde: line 2:") && e.contains("document type"), "{e}");
        let external = "<a>\n<b>&xxe;</b></a>";
        let e = parse(external, "p.qde").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("&xxe;"), "{e}");
        let e = parse("<a k=\"&ent;\"/>", "p.qde").unwrap_err().to_string();
        assert!(e.contains("attribute"), "{e}");
        let e = parse("<a>\n<b>\n</a>", "p.qde").unwrap_err().to_string();
        assert!(e.contains("line 3") || e.contains("line 2"), "{e}");
        let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        assert!(parse(&deep, "d").unwrap_err().to_string().contains("deeper"));
    }

    #[test]
    fn escape_round_trips_through_parse() {
        let s = "a & b < c > \"d\"\nline\ttab \u{1F600} \u{0007}";
        let xml = format!("<a v=\"{}\">{}</a>", escape(s), escape(s));
        let root = parse(&xml, "t").unwrap();
        let expected = s.replace('\u{0007}', "");
        assert_eq!(root.attr("v"), Some(expected.as_str()));
        assert_eq!(root.text, expected);
    }
}
