//! DOCX and ODT, read with zip and quick-xml: no office suite needed.
//!
//! Both return the document's paragraphs as text, one paragraph a line with a blank line between
//! paragraphs, which the caller reads for speaker labels like plain text. What is kept:
//!
//! - DOCX (`word/document.xml`): the text of runs (`w:t`), tabs, non-breaking hyphens; a line
//!   break inside a paragraph (`w:br`, `w:cr`) becomes a space, so that a label and its speech
//!   stay on one line. Deleted text of tracked changes (`w:del`) and field codes (`w:instrText`)
//!   are left out, inserted text kept; the fallback copy of alternate content (`mc:Fallback`) is
//!   skipped so text boxes are not read twice.
//! - ODT (`content.xml`): `text:p` and `text:h`, with `text:s` spaces, tabs and line breaks;
//!   footnotes (`text:note`), comments (`office:annotation`) and tracked deletions are left out.
//! - Tables: a row of two cells whose first cell is short and reads like a name (the speaker
//!   column of Teams, Rev and many transcription services) becomes one line `Name: speech`;
//!   other rows give one line a cell paragraph.
//!
//! Safety (the limits live in [`crate::archive`]): the file must be a zip archive (an RTF file or
//! an old binary `.doc` is named as such); only the entries needed are read, never written to
//! disk; an entry may inflate to at most
//! [`Limits::max_entry_bytes`] and, past the first megabyte, to at most
//! [`Limits::max_ratio`] times its compressed size (whatever its header claims); archives with
//! more than 10,000 entries or encrypted entries are refused; XML with a document type
//! declaration or custom entities is refused rather than expanded.

use std::io::Cursor;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::archive::ArchiveLimits;
pub use crate::archive::{inflate_bounded, Overflow};
use crate::error::IngestError;
use crate::Limits;

/// Most entries an archive may have.
const MAX_ENTRIES: usize = ArchiveLimits::OFFICE.max_entries;
/// Longest first cell, in characters, of a table row read as `speaker: speech`.
const MAX_LABEL_CELL: usize = 40;

/// Paragraphs of a DOCX.
pub fn docx_text(bytes: &[u8], limits: &Limits) -> Result<String, IngestError> {
    let mut archive = open_zip(bytes, "DOCX")?;
    let xml = read_entry(&mut archive, "word/document.xml", limits, "DOCX")?;
    paragraphs(&xml, "word/document.xml", Dialect::Docx)
}

/// Paragraphs of an ODT.
pub fn odt_text(bytes: &[u8], limits: &Limits) -> Result<String, IngestError> {
    let mut archive = open_zip(bytes, "ODT")?;
    if archive.index_for_name("mimetype").is_some() {
        let mimetype = read_entry(&mut archive, "mimetype", limits, "ODT")?;
        if mimetype.trim() != "application/vnd.oasis.opendocument.text" {
            return Err(IngestError::Archive(format!(
                "the file is not an ODT text document: its mimetype is `{}`",
                mimetype.trim()
            )));
        }
    }
    let xml = read_entry(&mut archive, "content.xml", limits, "ODT")?;
    paragraphs(&xml, "content.xml", Dialect::Odt)
}

fn open_zip<'a>(bytes: &'a [u8], kind: &str) -> Result<zip::ZipArchive<Cursor<&'a [u8]>>, IngestError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        let what = if bytes.starts_with(b"{\\rtf") {
            " (it is an RTF file: save it as DOCX, or as plain text, and import that)"
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            " (it is an old binary Word .doc file: save it as DOCX and import that)"
        } else if bytes.starts_with(b"%PDF") {
            " (it is a PDF: export the transcript as DOCX or text and import that)"
        } else {
            ""
        };
        return Err(IngestError::Archive(format!("the file is not a {kind}: it is not a zip archive{what}")));
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| IngestError::Archive(format!("the file is not a readable {kind} (damaged zip archive: {e})")))?;
    if archive.len() > MAX_ENTRIES {
        return Err(IngestError::Archive(format!(
            "the {kind} has {} entries, more than the {MAX_ENTRIES} thema accepts",
            archive.len()
        )));
    }
    Ok(archive)
}

/// Read one entry as UTF-8, refusing zip bombs whatever the entry's header claims.
fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
    kind: &str,
) -> Result<String, IngestError> {
    // Asked first, from the raw entry: opening an encrypted entry fails with the zip crate's
    // "password required", which does not say what to do.
    let encrypted = archive.index_for_name(name).and_then(|i| archive.by_index_raw(i).ok().map(|e| e.encrypted()));
    if encrypted == Some(true) {
        return Err(IngestError::Archive(format!(
            "`{name}` in the {kind} is encrypted; remove the password and save it again"
        )));
    }
    let mut entry = archive.by_name(name).map_err(|e| match e {
        zip::result::ZipError::FileNotFound => {
            IngestError::Archive(format!("the file is not a {kind}: it has no `{name}`"))
        }
        other => IngestError::Archive(format!("cannot read `{name}` in the {kind}: {other}")),
    })?;
    if entry.encrypted() {
        return Err(IngestError::Archive(format!(
            "`{name}` in the {kind} is encrypted; remove the password and save it again"
        )));
    }
    let compressed = entry.compressed_size();
    let out =
        inflate_bounded(&mut entry, compressed, limits.max_entry_bytes, limits.max_ratio, 0).map_err(|e| match e {
            Overflow::Read(e) => IngestError::Archive(format!("cannot inflate `{name}` in the {kind}: {e}")),
            Overflow::Size => IngestError::Archive(format!(
            "`{name}` in the {kind} inflates to more than {} MB, the limit for one entry; refusing it (a zip bomb?)",
            limits.max_entry_bytes >> 20
        )),
            Overflow::Ratio => IngestError::Archive(format!(
                "`{name}` in the {kind} inflates more than {} times its compressed size; refusing it (a zip bomb?)",
                limits.max_ratio
            )),
        })?;
    String::from_utf8(out).map_err(|e| {
        IngestError::Archive(format!("`{name}` in the {kind} is not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Docx,
    Odt,
}

/// A table being read: its current row's cells, each a list of paragraphs.
#[derive(Default)]
struct Table {
    row: Vec<Vec<String>>,
}

/// Collects paragraphs, in document order, into lines.
struct Collector {
    lines: Vec<String>,
    /// Open paragraphs (text boxes nest paragraphs inside paragraphs).
    open: Vec<String>,
    tables: Vec<Table>,
}

impl Collector {
    fn text(&mut self, s: &str) {
        if let Some(p) = self.open.last_mut() {
            p.push_str(s);
        }
    }

    fn close_paragraph(&mut self) {
        let Some(p) = self.open.pop() else { return };
        // One paragraph, one line: the caller maps line numbers back to paragraphs.
        let p = p.trim().replace(['\n', '\r'], " ");
        match self.tables.last_mut().and_then(|t| t.row.last_mut()) {
            Some(cell) if self.open.is_empty() => cell.push(p),
            _ if p.is_empty() => {}
            _ => self.lines.push(p),
        }
    }

    fn close_row(&mut self) {
        let Some(table) = self.tables.last_mut() else { return };
        let cells: Vec<String> = table
            .row
            .drain(..)
            .map(|c| c.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" "))
            .collect();
        let label_like = |s: &str| {
            let s = s.trim_end_matches(':');
            !s.is_empty() && s.chars().count() <= MAX_LABEL_CELL && !s.contains(['.', '?', '!', ',', ';'])
        };
        match cells.as_slice() {
            [first, second] if label_like(first) && !second.is_empty() => {
                let label = first.trim_end_matches(':');
                self.lines.push(format!("{label}: {second}"));
            }
            _ => self.lines.extend(cells.into_iter().filter(|c| !c.is_empty())),
        }
    }
}

fn xml_error(entry: &str, reader: &Reader<&[u8]>, e: impl std::fmt::Display) -> IngestError {
    IngestError::Archive(format!("`{entry}` is not well-formed XML at byte {}: {e}", reader.error_position()))
}

/// Read the paragraphs of a WordprocessingML or ODF body.
fn paragraphs(xml: &str, entry: &str, dialect: Dialect) -> Result<String, IngestError> {
    let mut reader = Reader::from_str(xml);
    let mut c = Collector { lines: Vec::new(), open: Vec::new(), tables: Vec::new() };
    // Depth inside elements whose text is not part of the transcript.
    let mut skip = 0usize;
    // Inside a DOCX run (`w:r`) or text element (`w:t`).
    let mut runs = 0usize;
    let mut in_text = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(entry, &reader, e))?;
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                return Err(IngestError::Archive(format!(
                    "`{entry}` declares a document type, which DOCX and ODT files never do; refusing it rather than expanding its entities"
                )))
            }
            Event::Start(e) => {
                let name = e.local_name();
                let name: &str = name.as_ref();
                let qname = e.name();
                let qname: &str = qname.as_ref();
                if skip > 0 || is_skipped(dialect, name, qname) {
                    skip += 1;
                    continue;
                }
                match (dialect, name) {
                    (Dialect::Docx, "p") | (Dialect::Odt, "p" | "h") => c.open.push(String::new()),
                    (Dialect::Docx, "r") => runs += 1,
                    (Dialect::Docx, "t") if runs > 0 || qname == "w:t" => in_text += 1,
                    (Dialect::Docx, "tbl") | (Dialect::Odt, "table") => c.tables.push(Table::default()),
                    (Dialect::Docx, "tc") | (Dialect::Odt, "table-cell") => {
                        if let Some(t) = c.tables.last_mut() {
                            t.row.push(Vec::new());
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) => {
                if skip > 0 {
                    continue;
                }
                let name = e.local_name();
                let name: &str = name.as_ref();
                match (dialect, name) {
                    (Dialect::Docx, "tab") if runs > 0 => c.text("\t"),
                    (Dialect::Docx, "br" | "cr") if runs > 0 => c.text(" "),
                    (Dialect::Docx, "noBreakHyphen") if runs > 0 => c.text("-"),
                    (Dialect::Docx, "p") | (Dialect::Odt, "p" | "h") => {}
                    (Dialect::Odt, "s") => {
                        let count = e
                            .try_get_attribute("text:c")
                            .ok()
                            .flatten()
                            .and_then(|a| a.value.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .min(1000);
                        c.text(&" ".repeat(count));
                    }
                    (Dialect::Odt, "tab") => c.text("\t"),
                    (Dialect::Odt, "line-break") => c.text(" "),
                    (Dialect::Docx, "tc") | (Dialect::Odt, "table-cell" | "covered-table-cell") => {
                        if let Some(t) = c.tables.last_mut() {
                            t.row.push(Vec::new());
                        }
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let name = e.local_name();
                let name: &str = name.as_ref();
                match (dialect, name) {
                    (Dialect::Docx, "p") | (Dialect::Odt, "p" | "h") => c.close_paragraph(),
                    (Dialect::Docx, "r") => runs = runs.saturating_sub(1),
                    (Dialect::Docx, "t") => in_text = in_text.saturating_sub(1),
                    (Dialect::Docx, "tr") | (Dialect::Odt, "table-row") => c.close_row(),
                    (Dialect::Docx, "tbl") | (Dialect::Odt, "table") => {
                        c.close_row();
                        c.tables.pop();
                    }
                    _ => {}
                }
            }
            Event::Text(t) if skip == 0 => match dialect {
                Dialect::Docx if in_text > 0 => c.text(&t),
                // ODF collapses white space in text; `text:s` and `text:tab` give explicit space.
                Dialect::Odt if !c.open.is_empty() => {
                    let folded: String = t.chars().map(|ch| if ch.is_whitespace() { ' ' } else { ch }).collect();
                    let mut collapsed = String::with_capacity(folded.len());
                    for ch in folded.chars() {
                        if !(ch == ' ' && collapsed.ends_with(' ')) {
                            collapsed.push(ch);
                        }
                    }
                    c.text(&collapsed);
                }
                _ => {}
            },
            Event::CData(t) if skip == 0 && (in_text > 0 || (dialect == Dialect::Odt && !c.open.is_empty())) => c.text(&t),
            Event::GeneralRef(r) if skip == 0 => {
                let resolved = match &*r {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => match r.resolve_char_ref() {
                        Ok(Some(ch)) => Some(ch),
                        _ => {
                            return Err(IngestError::Archive(format!(
                                "`{entry}` uses the entity `&{};`, which thema does not expand",
                                &*r
                            )))
                        }
                    },
                };
                if let Some(ch) = resolved {
                    if in_text > 0 || (dialect == Dialect::Odt && !c.open.is_empty()) {
                        c.text(ch.encode_utf8(&mut [0; 4]));
                    }
                }
            }
            _ => {}
        }
    }
    while !c.open.is_empty() {
        c.close_paragraph();
    }
    Ok(c.lines.join("\n\n"))
}

/// Elements whose content is not part of the transcript text.
fn is_skipped(dialect: Dialect, local: &str, qualified: &str) -> bool {
    match dialect {
        Dialect::Docx => {
            matches!(local, "del" | "delText" | "instrText" | "Fallback" | "pPr" | "rPr" | "sectPr")
                || qualified == "w:moveFrom"
        }
        Dialect::Odt => matches!(
            local,
            "note"
                | "annotation"
                | "tracked-changes"
                | "automatic-styles"
                | "font-face-decls"
                | "scripts"
                | "note-citation"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docx_body(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>{body}</w:body></w:document>"#
        )
    }

    #[test]
    fn runs_tabs_breaks_and_tracked_changes() {
        let xml = docx_body(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>Simon:</w:t></w:r><w:r><w:t xml:space="preserve"> It&apos;s a way </w:t></w:r><w:del><w:r><w:delText>not this</w:delText></w:r></w:del><w:ins><w:r><w:t>out</w:t></w:r></w:ins><w:r><w:br/><w:t>of prison&amp;jail</w:t><w:tab/><w:t>x</w:t><w:noBreakHyphen/><w:t>y</w:t></w:r></w:p><w:p/><w:p><w:r><w:instrText>PAGE</w:instrText><w:t>Kent: Yes.</w:t></w:r></w:p>"#,
        );
        assert_eq!(
            paragraphs(&xml, "d", Dialect::Docx).unwrap(),
            "Simon: It's a way out of prison&jail\tx-y\n\nKent: Yes."
        );
    }

    #[test]
    fn speaker_tables_become_labelled_lines() {
        let row = |a: &str, b: &str| {
            format!("<w:tr><w:tc><w:p><w:r><w:t>{a}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{b}</w:t></w:r></w:p><w:p><w:r><w:t>More.</w:t></w:r></w:p></w:tc></w:tr>")
        };
        let xml = docx_body(&format!(
            "<w:tbl>{}{}{}</w:tbl><w:p><w:r><w:t>After.</w:t></w:r></w:p>",
            row("Interviewer", "How long?"),
            row("Pam:", "Ten years."),
            row("A long sentence, not a name.", "Other")
        ));
        assert_eq!(
            paragraphs(&xml, "d", Dialect::Docx).unwrap(),
            "Interviewer: How long? More.\n\nPam: Ten years. More.\n\nA long sentence, not a name.\n\nOther More.\n\nAfter."
        );
    }

    #[test]
    fn fallback_copies_are_not_read_twice() {
        let xml = docx_body(
            r#"<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>Box</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>Box</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent><w:t>Main</w:t></w:r></w:p>"#,
        );
        assert_eq!(paragraphs(&xml, "d", Dialect::Docx).unwrap(), "Box\n\nMain");
    }

    #[test]
    fn odt_spaces_notes_and_headings() {
        let xml = r#"<office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text><text:h>Interview 2</text:h><text:p>R:<text:s text:c="3"/>I   was
 there<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>footnote</text:p></text:note-body></text:note>.<text:line-break/>Yes<text:tab/>no</text:p><office:annotation><text:p>comment</text:p></office:annotation></office:text></office:body></office:document-content>"#;
        assert_eq!(paragraphs(xml, "content.xml", Dialect::Odt).unwrap(), "Interview 2\n\nR:   I was there. Yes\tno");
    }

    #[test]
    fn entity_expansion_is_refused() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"#;
        let e = paragraphs(laughs, "word/document.xml", Dialect::Docx).unwrap_err().to_string();
        assert!(e.contains("declares a document type"), "{e}");
        let custom = docx_body("<w:p><w:r><w:t>&lol;</w:t></w:r></w:p>");
        let e = paragraphs(&custom, "word/document.xml", Dialect::Docx).unwrap_err().to_string();
        assert!(e.contains("entity `&lol;`"), "{e}");
        let e = paragraphs(&docx_body("<w:p><w:r><w:t>x</w:r></w:p>"), "word/document.xml", Dialect::Docx)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("`word/document.xml` is not well-formed XML at byte"), "{e}");
    }
}
