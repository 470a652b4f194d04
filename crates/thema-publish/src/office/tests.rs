/// A short column ("foundation") is never narrower than its longest word, however long the
/// quotes beside it; the widths fill the text width exactly.
#[test]
fn short_columns_keep_their_words_whole() {
    // Theme, Role, Sub-themes, Description, Exemplar quotes, as in the example's theme table.
    let widths = super::column_widths(&[33, 10, 85, 130, 900], &[13, 10, 14, 12, 12]);
    assert!(widths[1] >= 10 * super::CHAR_TWIPS + super::CELL_PADDING_TWIPS, "{widths:?}");
    assert_eq!(widths.iter().sum::<usize>(), super::TEXT_WIDTH);
    assert_eq!(widths.iter().max(), Some(&widths[4]), "the quotes take the most room: {widths:?}");
    // Words too long for the page: widths in proportion, still filling the page.
    let widths = super::column_widths(&[60, 60], &[60, 60]);
    assert_eq!(widths.iter().sum::<usize>(), super::TEXT_WIDTH);
}

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::Value;

use super::*;
use crate::table::Row;

const QUOTES: &str = "“It’s like if you’re a mechanic…” -Simon, Peer Mentor\n\
                          “I want to give people the hope…” -Yelena, Peer Mentor";

/// A quote longer than the widest column (it wraps), in French, with an emoji, then Hebrew
/// and Arabic, and a Windows line break between them.
const HOPE_QUOTES_CRLF: &str = "“Je suis là pour toi, même quand le service dit qu’il n’y a plus rien à faire” \
                                    — José 🙂\r\nשלום, مرحبا بك";
const HOPE_QUOTES: &str = "“Je suis là pour toi, même quand le service dit qu’il n’y a plus rien à faire” \
                               — José 🙂\nשלום, مرحبا بك";

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// A theme table as a paper prints it: themes as bold heading rows, sub-themes indented
/// under them, quotes over several lines.
fn theme_table() -> Table {
    Table {
        title: "Table 2. Themes and sub-themes".into(),
        columns: strings(&["Theme", "Role", "Sub-themes", "Exemplar quotes"]),
        rows: vec![
            Row { cells: strings(&["Lived experience as expertise"]), level: 0, emphasis: true },
            Row {
                cells: strings(&[
                    "Credibility & trust <earned>",
                    "Peer Mentor",
                    "Shared history\nBeing believed",
                    QUOTES,
                ]),
                level: 1,
                emphasis: false,
            },
            Row {
                cells: strings(&["Hope as a practice", "Service user", "", HOPE_QUOTES_CRLF]),
                level: 1,
                emphasis: false,
            },
        ],
        notes: vec![
            "Note. Exemplars were chosen by two coders (κ = 0.81).".into(),
            "PM = peer mentor; SU = service user.".into(),
        ],
    }
}

/// Counts to sum, an identifier that only looks like a number, and a title with characters
/// a sheet name may not hold.
fn participants_table() -> Table {
    Table {
        title: "Table 1: Participants [by role] / wave?".into(),
        columns: strings(&["Role", "Participants", "Mean age", "Code"]),
        rows: vec![
            Row::new(strings(&["Peer Mentor", "12", "48.77", "007"])),
            Row::new(strings(&["Service user", "-3", "1e5", "12.5.1"])),
        ],
        notes: vec![],
    }
}

/// The same title as the theme table but longer than a sheet name, a control character, a
/// tab, and a row longer than the headings.
fn awkward_table() -> Table {
    Table {
        title: "Table 2. Themes and sub-themes (second coder)".into(),
        columns: strings(&["Code", "Count"]),
        rows: vec![Row::new(strings(&["bell\u{7}\tafter tab", "3", "extra"]))],
        notes: vec!["Line one\nline two".into()],
    }
}

fn tables() -> Vec<Table> {
    vec![theme_table(), participants_table(), awkward_table()]
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut file = archive.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).expect("UTF-8 part");
    text
}

/// Text and entity references of an XML text node, as the reader hands them over.
fn text_of(event: &Event<'_>) -> Option<String> {
    match event {
        Event::Text(text) => Some(text.xml10_content().into_owned()),
        Event::GeneralRef(reference) => {
            if let Some(c) = reference.resolve_char_ref().expect("a character reference") {
                return Some(c.to_string());
            }
            let name = reference.xml10_content();
            let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                .unwrap_or_else(|| panic!("unknown entity &{name};"));
            Some(resolved.to_string())
        }
        _ => None,
    }
}

#[derive(Debug, Default)]
struct WordCell {
    paragraphs: Vec<String>,
    bold: bool,
    indent: Option<String>,
}

impl WordCell {
    fn text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

#[derive(Debug, Default)]
struct WordRow {
    repeated_heading: bool,
    cells: Vec<WordCell>,
}

#[derive(Debug, Default)]
struct WordTable {
    grid_columns: usize,
    rows: Vec<WordRow>,
}

/// The tables of a `word/document.xml`, read with quick-xml.
fn word_tables(xml: &str) -> Vec<WordTable> {
    let mut reader = Reader::from_str(xml);
    let mut tables: Vec<WordTable> = Vec::new();
    let (mut in_cell, mut in_text) = (false, false);
    loop {
        let event = reader.read_event().expect("well-formed document.xml");
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let table = tables.last_mut();
            let cell = table.and_then(|t| t.rows.last_mut()).and_then(|r| r.cells.last_mut());
            match e.name().as_ref() {
                "w:tbl" => tables.push(WordTable::default()),
                "w:gridCol" => tables.last_mut().expect("a table").grid_columns += 1,
                "w:tr" => tables.last_mut().expect("a table").rows.push(WordRow::default()),
                "w:tblHeader" => {
                    let table = tables.last_mut().expect("a table");
                    table.rows.last_mut().expect("a row").repeated_heading = true;
                }
                "w:tc" => {
                    in_cell = true;
                    let table = tables.last_mut().expect("a table");
                    table.rows.last_mut().expect("a row").cells.push(WordCell::default());
                }
                "w:p" if in_cell => cell.expect("a cell").paragraphs.push(String::new()),
                "w:b" if in_cell => cell.expect("a cell").bold = true,
                "w:ind" if in_cell => {
                    let left = e.try_get_attribute("w:left").expect("attributes").expect("w:left");
                    cell.expect("a cell").indent = Some(left.value.into_owned());
                }
                "w:tab" if in_cell => cell.expect("a cell").paragraphs.last_mut().expect("a w:p").push('\t'),
                "w:t" if !empty => in_text = true,
                _ => {}
            }
            continue;
        }
        match &event {
            Event::End(e) if e.name().as_ref() == "w:tc" => in_cell = false,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::Eof => break,
            _ => {
                if let Some(text) = text_of(&event).filter(|_| in_text && in_cell) {
                    let table = tables.last_mut().expect("a table");
                    let cell = table.rows.last_mut().and_then(|r| r.cells.last_mut());
                    let paragraph = cell.and_then(|c| c.paragraphs.last_mut());
                    paragraph.expect("w:t inside a w:p").push_str(&text);
                }
            }
        }
    }
    tables
}

/// A cell of an XLSX worksheet as stored: its type attribute (`s` for a shared string,
/// none for a number) and its value.
#[derive(Debug, PartialEq)]
struct SheetCell {
    kind: Option<String>,
    value: String,
}

/// Cells by reference ("D4") of one worksheet part, and the shared strings of the workbook.
fn sheet_cells(bytes: &[u8], sheet: usize) -> Vec<(String, SheetCell)> {
    // A sheet written in constant-memory mode keeps its strings in its cells (`inlineStr`).
    let has_shared = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip").by_name("xl/sharedStrings.xml").is_ok();
    let shared = if has_shared { shared_strings(&unzip(bytes, "xl/sharedStrings.xml")) } else { Vec::new() };
    let xml = unzip(bytes, &format!("xl/worksheets/sheet{sheet}.xml"));
    let mut reader = Reader::from_str(&xml);
    let mut cells = Vec::new();
    let mut current: Option<(String, Option<String>, String)> = None;
    let mut in_value = false;
    loop {
        let event = reader.read_event().expect("well-formed worksheet");
        match &event {
            Event::Start(e) if e.name().as_ref() == "c" => {
                let attribute =
                    |name: &str| e.try_get_attribute(name).expect("attributes").map(|a| a.value.into_owned());
                current = Some((attribute("r").expect("r"), attribute("t"), String::new()));
            }
            Event::Start(e) if matches!(e.name().as_ref(), "v" | "t") => in_value = true,
            Event::End(e) if matches!(e.name().as_ref(), "v" | "t") => in_value = false,
            Event::End(e) if e.name().as_ref() == "c" => {
                let (reference, kind, value) = current.take().expect("a cell");
                let value = if kind.as_deref() == Some("s") {
                    shared[value.parse::<usize>().expect("an index")].clone()
                } else {
                    value
                };
                cells.push((reference, SheetCell { kind, value }));
            }
            Event::Eof => break,
            _ => {
                if let (Some(text), true) = (text_of(&event), in_value) {
                    current.as_mut().expect("a value in a cell").2.push_str(&text);
                }
            }
        }
    }
    cells
}

fn shared_strings(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let (mut strings, mut in_text) = (Vec::new(), false);
    loop {
        let event = reader.read_event().expect("well-formed shared strings");
        match &event {
            Event::Start(e) if e.name().as_ref() == "si" => strings.push(String::new()),
            Event::Start(e) if e.name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "t" => in_text = false,
            Event::Eof => break,
            _ => {
                if let (Some(text), true) = (text_of(&event), in_text) {
                    strings.last_mut().expect("a string").push_str(&text);
                }
            }
        }
    }
    strings
}

fn cell<'a>(cells: &'a [(String, SheetCell)], reference: &str) -> &'a SheetCell {
    cells.iter().find(|(r, _)| r == reference).map(|(_, c)| c).unwrap_or_else(|| panic!("no cell {reference}"))
}

#[test]
fn same_tables_give_same_bytes() {
    let tables = tables();
    let (xlsx_a, docx_a) = (xlsx(&tables).unwrap(), docx(&tables).unwrap());
    let (xlsx_b, docx_b) = (xlsx(&tables).unwrap(), docx(&tables).unwrap());
    assert!(xlsx_a == xlsx_b, "two XLSX files of the same tables differ");
    assert!(docx_a == docx_b, "two DOCX files of the same tables differ");

    // Equal bytes within one second prove little about the clock: check that no part holds
    // the time of writing.
    let core = unzip(&xlsx_a, "docProps/core.xml");
    assert!(core.contains(">1980-01-01T00:00:00Z</dcterms:created>"), "{core}");
    assert!(core.contains(">1980-01-01T00:00:00Z</dcterms:modified>"), "{core}");
    for bytes in [&xlsx_a, &docx_a] {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        for i in 0..archive.len() {
            let file = archive.by_index(i).unwrap();
            let modified = file.last_modified().expect("a timestamp");
            assert_eq!(modified, zip::DateTime::default(), "{:?}", file.name());
        }
    }
}

#[test]
fn docx_tables_read_back() {
    let bytes = docx(&tables()).unwrap();
    for part in ["[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml"] {
        assert!(!unzip(&bytes, part).is_empty(), "{part}");
    }
    let xml = unzip(&bytes, "word/document.xml");
    let tables = word_tables(&xml);
    assert_eq!(tables.len(), 3);

    let themes = &tables[0];
    assert_eq!(themes.grid_columns, 4);
    assert_eq!(themes.rows.len(), 1 + 3, "a heading row and three rows");
    assert!(themes.rows.iter().all(|row| row.cells.len() == 4));
    let heading = &themes.rows[0];
    assert!(heading.repeated_heading && heading.cells.iter().all(|c| c.bold));
    let texts: Vec<String> = heading.cells.iter().map(WordCell::text).collect();
    assert_eq!(texts, theme_table().columns);
    assert!(themes.rows[1..].iter().all(|row| !row.repeated_heading));

    let theme = &themes.rows[1];
    assert!(theme.cells[0].bold, "an emphasis row is bold");
    assert_eq!(theme.cells[0].text(), "Lived experience as expertise");
    assert_eq!(theme.cells[3].text(), "", "a short row is padded");

    let sub_theme = &themes.rows[2];
    assert!(!sub_theme.cells[0].bold);
    assert_eq!(sub_theme.cells[0].text(), "Credibility & trust <earned>");
    assert_eq!(sub_theme.cells[0].indent.as_deref(), Some("284"));
    assert_eq!(sub_theme.cells[1].indent, None);
    assert_eq!(sub_theme.cells[3].paragraphs.len(), 2, "one paragraph a line");
    assert_eq!(sub_theme.cells[3].text(), QUOTES);
    assert_eq!(themes.rows[3].cells[3].text(), HOPE_QUOTES);

    let awkward = &tables[2];
    assert_eq!(awkward.grid_columns, 3, "the longest row sets the grid");
    assert_eq!(awkward.rows[0].cells.len(), 3);
    assert_eq!(awkward.rows[1].cells[0].text(), "bell\tafter tab");

    assert!(xml.contains(r#"<w:pStyle w:val="Heading1"/>"#));
    assert!(xml.contains("Table 2. Themes and sub-themes</w:t>"));
    assert!(xml.contains("Note. Exemplars were chosen by two coders (κ = 0.81).</w:t>"));
    assert!(xml.contains(r#"w:orient="landscape""#));
}

/// The layout of a worksheet part: each column's, row's and cell's attributes but a cell's type
/// (a shared or an inline string) and a row's `spans` (an optional hint of its first and last
/// column, which constant-memory mode leaves out), in order.
fn sheet_layout(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    let mut layout = Vec::new();
    loop {
        match reader.read_event().expect("well-formed worksheet") {
            Event::Start(e) | Event::Empty(e) if matches!(e.name().as_ref(), "col" | "row" | "c" | "pane") => {
                let attributes: Vec<String> = e
                    .attributes()
                    .map(|a| a.expect("an attribute"))
                    .filter(|a| !matches!(a.key.as_ref(), "t" | "spans"))
                    .map(|a| format!("{}={}", a.key.as_ref(), a.value))
                    .collect();
                layout.push(format!("{} {}", e.name().as_ref(), attributes.join(" ")));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    layout
}

/// A table written a row at a time ([`XlsxStream`], constant-memory mode) has the cells,
/// formats, column widths, row heights and frozen headings of the table written whole; only
/// its strings are stored in the cells instead of a shared table.
#[test]
fn xlsx_streamed_a_row_at_a_time_is_the_table_written_whole() {
    for table in tables() {
        let whole = xlsx(std::slice::from_ref(&table)).unwrap();
        let head = Table { rows: Vec::new(), ..table.clone() };
        let mut lengths = ColumnLengths::new(&head);
        for row in table.rows.chunks(1) {
            lengths.add(row);
        }
        let mut stream = XlsxStream::new(&head, lengths).unwrap();
        for row in table.rows.chunks(1) {
            stream.rows(row).unwrap();
        }
        let mut streamed = Cursor::new(Vec::new());
        stream.finish(&mut streamed).unwrap();
        let streamed = streamed.into_inner();
        let shared = |cells: Vec<(String, SheetCell)>| -> Vec<(String, SheetCell)> {
            cells
                .into_iter()
                .map(|(r, c)| {
                    let kind = c.kind.map(|k| if k == "inlineStr" { "s".to_owned() } else { k });
                    (r, SheetCell { kind, value: c.value })
                })
                .collect()
        };
        assert_eq!(shared(sheet_cells(&streamed, 1)), sheet_cells(&whole, 1), "{}", table.title);
        let (a, b) = (unzip(&streamed, "xl/worksheets/sheet1.xml"), unzip(&whole, "xl/worksheets/sheet1.xml"));
        assert!(a.contains("inlineStr") && !b.contains("inlineStr"), "{}", table.title);
        assert_eq!(sheet_layout(&a), sheet_layout(&b), "{}", table.title);
        assert_eq!(unzip(&streamed, "xl/styles.xml"), unzip(&whole, "xl/styles.xml"), "{}", table.title);
        assert_eq!(unzip(&streamed, "xl/workbook.xml"), unzip(&whole, "xl/workbook.xml"), "{}", table.title);
    }
}

#[test]
fn xlsx_cells_read_back() {
    let bytes = xlsx(&tables()).unwrap();
    let workbook = unzip(&bytes, "xl/workbook.xml");
    for name in [
        r#"name="Table 2. Themes and sub-themes""#,
        r#"name="Table 1 Participants by role wa""#,
        r#"name="Table 2. Themes and sub-the (2)""#,
    ] {
        assert!(workbook.contains(name), "{name} in {workbook}");
    }

    let themes = sheet_cells(&bytes, 1);
    assert_eq!(cell(&themes, "A1").value, "Table 2. Themes and sub-themes");
    assert_eq!(cell(&themes, "D2").value, "Exemplar quotes");
    assert_eq!(cell(&themes, "A4").value, "Credibility & trust <earned>");
    assert_eq!(cell(&themes, "D4").value, QUOTES);
    assert_eq!(cell(&themes, "D5").value, HOPE_QUOTES);
    assert_eq!(cell(&themes, "A7").value, theme_table().notes[0]);
    let rows = themes.iter().map(|(r, _)| r.trim_start_matches(char::is_alphabetic));
    let last_row = rows.map(|n| n.parse::<u32>().unwrap()).max();
    assert_eq!(last_row, Some(8), "title, headings, 3 rows, a blank row, 2 notes");
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"ySplit="2""#) && sheet.contains(r#"state="frozen""#));

    let participants = sheet_cells(&bytes, 2);
    let number = |value: &str| SheetCell { kind: None, value: value.into() };
    let text = |value: &str| SheetCell { kind: Some("s".into()), value: value.into() };
    assert_eq!(cell(&participants, "B3"), &number("12"));
    assert_eq!(cell(&participants, "C3"), &number("48.77"));
    assert_eq!(cell(&participants, "D3"), &text("007"));
    assert_eq!(cell(&participants, "B4"), &number("-3"));
    assert_eq!(cell(&participants, "C4"), &text("1e5"));
    assert_eq!(cell(&participants, "D4"), &text("12.5.1"));

    let awkward = sheet_cells(&bytes, 3);
    assert_eq!(cell(&awkward, "A3"), &text("bell\tafter tab"));
    assert_eq!(cell(&awkward, "C3"), &text("extra"));
}

#[test]
fn a_cell_excel_cannot_hold_is_an_error_that_names_it() {
    let mut table = theme_table();
    table.rows[2].cells[3] = "word ".repeat(7000);
    let error = xlsx(&[table]).unwrap_err().to_string();
    assert!(
        error.starts_with(r#"cannot write table "Table 2. Themes and sub-themes" to XLSX"#)
            && error.contains("row 3, column 4: "),
        "{error}"
    );
}

#[test]
fn a_deep_level_is_capped_not_a_panic() {
    let mut table = theme_table();
    table.rows[1].level = usize::MAX;
    assert!(xlsx(std::slice::from_ref(&table)).is_ok());
    let xml = unzip(&docx(&[table]).unwrap(), "word/document.xml");
    assert!(xml.contains(&format!(r#"<w:ind w:left="{}"/>"#, MAX_LEVEL * LEVEL_INDENT)));
}

#[test]
fn plain_numbers() {
    for (text, number) in [("12", 12.0), ("48.77", 48.77), ("-3", -3.0), ("0", 0.0), ("0.5", 0.5)] {
        assert_eq!(plain_number(text), Some(number), "{text}");
    }
    for text in ["", "-", "007", "1e5", "+4", " 4", "4 ", "1,000", "12.", ".5", "1.2.3", "NaN"] {
        assert_eq!(plain_number(text), None, "{text:?}");
    }
    assert_eq!(plain_number("1234567890123456"), None, "16 digits lose precision");
}

#[test]
fn sheet_names_are_valid_and_unique() {
    let titled = |title: &str| Table { title: title.into(), ..Table::default() };
    let tables = [
        titled("Themes"),
        titled("themes"),
        titled(""),
        titled("'History'"),
        titled("a:b/c\\d?e*f[g]h"),
        titled(&"🙂".repeat(20)),
    ];
    let names = sheet_names(&tables);
    assert_eq!(names[..5], ["Themes", "themes (2)", "Table 3", "History (2)", "a b c d e f g h"]);
    assert_eq!(names[5], "🙂".repeat(15), "31 UTF-16 units hold 15 emoji");
}

#[test]
fn xml_text_is_escaped_and_valid() {
    assert_eq!(xml_text("a & b < c > \"d\" 'e'"), "a &amp; b &lt; c &gt; &quot;d&quot; &apos;e&apos;");
    assert_eq!(xml_text("bell\u{7}\u{FFFE}é"), "bellé");
    let lines: Vec<&str> = lines("a\r\nb\rc\nd").collect();
    assert_eq!(lines, ["a", "b", "c", "d"]);
}

/// Writes both files into a temporary directory.
fn write_files(dir: &Path) -> (PathBuf, PathBuf) {
    let tables = tables();
    // Different stems: LibreOffice names each PDF after its source.
    let (xlsx_path, docx_path) = (dir.join("workbook.xlsx"), dir.join("document.docx"));
    std::fs::write(&xlsx_path, xlsx(&tables).unwrap()).unwrap();
    std::fs::write(&docx_path, docx(&tables).unwrap()).unwrap();
    (xlsx_path, docx_path)
}

const PYTHON_READER: &str = r#"
import json, sys
import docx, openpyxl

book = openpyxl.load_workbook(sys.argv[1])
sheets = []
for sheet in book.worksheets:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    sheets.append({"name": sheet.title, "rows": rows})

themes = book.worksheets[0]
looks = {
    "frozen at": themes.freeze_panes,
    "heading bold": themes["A2"].font.b,
    "theme bold": themes["A3"].font.b,
    "sub-theme bold": themes["A4"].font.b,
    "sub-theme indent": themes["A4"].alignment.indent,
    "sub-theme alignment": themes["A4"].alignment.horizontal,
    "quotes wrap": themes["D4"].alignment.wrap_text,
    "note italic": themes["A7"].font.i,
}

document = docx.Document(sys.argv[2])
tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
styles = [[p.style.name, p.text] for p in document.paragraphs if p.text]
print(json.dumps({"sheets": sheets, "looks": looks, "tables": tables, "paragraphs": styles}))
"#;

/// Whether python3 can import openpyxl and python-docx, installing them once if not.
fn python_readers() -> Result<(), String> {
    let imports = || Command::new("python3").args(["-c", "import openpyxl, docx"]).output().map(|o| o.status.success());
    match imports() {
        Err(e) => return Err(format!("cannot run python3: {e}")),
        Ok(true) => return Ok(()),
        Ok(false) => {}
    }
    let install = Command::new("python3").args(["-m", "pip", "install", "--quiet", "openpyxl", "python-docx"]).output();
    match (install, imports()) {
        (_, Ok(true)) => Ok(()),
        (Ok(out), _) => Err(format!(
            "openpyxl and python-docx could not be installed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        (Err(e), _) => Err(format!("cannot run pip: {e}")),
    }
}

#[test]
fn openpyxl_and_python_docx_read_the_files() {
    if let Err(why) = python_readers() {
        thema_testkit::skip(why);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (xlsx_path, docx_path) = write_files(dir.path());
    let out = Command::new("python3").args(["-c", PYTHON_READER]).arg(&xlsx_path).arg(&docx_path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the Python reader failed: {stderr}");
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();

    let tables = tables();
    let sheets = read["sheets"].as_array().unwrap();
    assert_eq!(sheets.len(), tables.len());
    for ((sheet, table), name) in sheets.iter().zip(&tables).zip(sheet_names(&tables)) {
        assert_eq!(sheet["name"], name.as_str());
        assert_eq!(sheet["rows"], Value::Array(expected_sheet_rows(table)), "{name}");
    }

    // Written out, not derived from `plain_number`: numbers must come back as numbers.
    assert_eq!(sheets[1]["rows"][2], serde_json::json!(["Peer Mentor", 12, 48.77, "007"]));
    assert_eq!(sheets[1]["rows"][3], serde_json::json!(["Service user", -3, "1e5", "12.5.1"]));

    let looks = serde_json::json!({
        "frozen at": "A3",
        "heading bold": true,
        "theme bold": true,
        "sub-theme bold": false,
        "sub-theme indent": 1.0,
        "sub-theme alignment": "left",
        "quotes wrap": true,
        "note italic": true,
    });
    assert_eq!(read["looks"], looks);

    let word = read["tables"].as_array().unwrap();
    assert_eq!(word.len(), tables.len());
    for (word, table) in word.iter().zip(&tables) {
        assert_eq!(word, &Value::Array(expected_word_rows(table)), "{}", table.title);
    }
    let paragraphs = read["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs[0], serde_json::json!(["Heading 1", tables[0].title]));
    assert_eq!(paragraphs[1], serde_json::json!(["Table Note", tables[0].notes[0]]));
}

/// The rows openpyxl should find on a table's sheet, trailing empty cells left off.
fn expected_sheet_rows(table: &Table) -> Vec<Value> {
    let value = |text: &str| match plain_number(text) {
        _ if text.is_empty() => Value::Null,
        Some(n) if n.fract() == 0.0 => Value::from(n as i64),
        Some(n) => Value::from(n),
        None => Value::from(cell_text(text).into_owned()),
    };
    let row = |cells: &[String]| {
        let mut row: Vec<Value> = cells.iter().map(|c| value(c)).collect();
        while row.last() == Some(&Value::Null) {
            row.pop();
        }
        Value::Array(row)
    };
    let mut rows = vec![row(std::slice::from_ref(&table.title)), row(&table.columns)];
    rows.extend(table.rows.iter().map(|r| row(&r.cells)));
    if !table.notes.is_empty() {
        rows.push(Value::Array(vec![]));
        let notes = table.notes.iter().flat_map(|n| lines(n));
        rows.extend(notes.map(|line| row(&[line.to_string()])));
    }
    rows
}

/// The cell texts python-docx should find in a table's Word table.
fn expected_word_rows(table: &Table) -> Vec<Value> {
    let columns = column_count(table);
    let row = |cells: &[String]| {
        let text = |i: usize| {
            let cell = cells.get(i).map_or("", String::as_str);
            Value::from(cell_text(cell).into_owned())
        };
        Value::Array((0..columns).map(text).collect())
    };
    let mut rows = vec![row(&table.columns)];
    rows.extend(table.rows.iter().map(|r| row(&r.cells)));
    rows
}

/// The LibreOffice program on PATH, if any.
fn libreoffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| [dir.join("soffice"), dir.join("libreoffice")])
        .find(|program| program.is_file())
}

#[test]
fn libreoffice_converts_both_files_to_pdf() {
    let Some(program) = libreoffice() else {
        thema_testkit::skip(
            "LibreOffice not installed \
                 (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (xlsx_path, docx_path) = write_files(dir.path());
    // A profile of its own, so a LibreOffice already running (or another test) holds no lock.
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    let out_dir = dir.path().join("pdf");
    let mut child = Command::new(&program)
        .arg(profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out_dir)
        .arg(&xlsx_path)
        .arg(&docx_path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("LibreOffice took more than 180 s to convert two small files");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = child.wait_with_output().unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "LibreOffice failed: {log}");
    for name in ["workbook.xlsx", "document.docx"] {
        let pdf = out_dir.join(Path::new(name).with_extension("pdf"));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}; {log}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF"), "{} is not a PDF", pdf.display());
        eprintln!("LibreOffice converted {name} to a PDF of {} bytes", bytes.len());
    }
}
