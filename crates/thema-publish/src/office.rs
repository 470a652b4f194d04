//! XLSX and DOCX: the office formats a researcher hands to co-authors, supervisors and journals.
//!
//! [`xlsx`] writes one worksheet a table with `rust_xlsxwriter`; [`docx`] writes a Word document
//! by hand, as a zip of a few WordprocessingML parts (ECMA-376 Part 1, §17). Both are
//! reproducible: the same tables give the same bytes, because every date written is fixed and
//! every part is written in a fixed order.

use std::borrow::Cow;
use std::io::{Cursor, Seek, Write};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use thema_core::markup::{self, Markup};

use crate::table::{Row, Table};
use crate::PublishError;

/// The widest column, in characters; longer text wraps inside it.
const MAX_COLUMN_CHARS: usize = 60;

/// The narrowest column, in characters, so a short heading is not squeezed.
const MIN_COLUMN_CHARS: usize = 6;

/// The deepest indentation shown: Excel's limit (in the DOCX a step is 0.5 cm, so 7.5 cm).
const MAX_LEVEL: usize = 15;

/// Excel's limit on a worksheet name, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;

/// One worksheet a table (sheet names from titles, made unique and valid: <=31 chars, no []:*?/\).
///
/// Each sheet holds the title in bold on the first row (when there is one), the column headings
/// in bold below it, frozen so they stay in view, then the rows and, after a blank row, the notes
/// in italic. A cell that is a plain integer or decimal ("12", "48.77") is stored as a number so
/// that a spreadsheet can sum it; every other cell is stored as text.
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, PublishError> {
    let mut workbook = reproducible_workbook()?;
    for (table, name) in tables.iter().zip(sheet_names(tables)) {
        let sheet = workbook.add_worksheet();
        write_sheet(sheet, table, &name).map_err(|e| sheet_error(table, &name, &e))?;
    }
    workbook.save_to_buffer().map_err(|e| PublishError(format!("cannot write the XLSX workbook: {e}")))
}

/// A Word document: each table's title as a heading paragraph, then a real Word table (w:tbl) with a
/// repeated bold header row, then its notes as small paragraphs.
///
/// The page is landscape A4, since theme tables carry long quote columns. Columns get widths in
/// proportion to their longest line (capped, so one long quote does not starve the others); a
/// cell's lines (`\n`) become paragraphs of their own; heading rows (`emphasis`) are bold and a
/// row's `level` indents its first cell.
pub fn docx(tables: &[Table]) -> Result<Vec<u8>, PublishError> {
    let document = document_xml(tables);
    // `[Content_Types].xml` first: some readers sniff the package by its first entry.
    let parts: [(&str, &str); 7] = [
        ("[Content_Types].xml", DOCX_CONTENT_TYPES),
        ("_rels/.rels", DOCX_PACKAGE_RELS),
        ("docProps/app.xml", DOCX_APP),
        ("word/_rels/document.xml.rels", DOCX_DOCUMENT_RELS),
        ("word/document.xml", &document),
        ("word/settings.xml", DOCX_SETTINGS),
        ("word/styles.xml", DOCX_STYLES),
    ];
    // A fixed timestamp (1980-01-01, the earliest a zip can hold) and fixed permissions keep the
    // bytes the same from one run, machine and clock to the next.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        zip.start_file(name, options)
            .and_then(|()| zip.write_all(text.as_bytes()).map_err(Into::into))
            .map_err(|e| PublishError(format!("cannot write `{name}` into the DOCX: {e}")))?;
    }
    let cursor = zip.finish().map_err(|e| PublishError(format!("cannot finish the DOCX zip: {e}")))?;
    Ok(cursor.into_inner())
}

// ---------------------------------------------------------------------------------------------
// What both formats share

/// The number of columns a table needs: its headings or its longest row, whichever is wider.
fn column_count(table: &Table) -> usize {
    table.rows.iter().map(|row| row.cells.len()).chain([table.columns.len()]).max().unwrap_or(0)
}

/// The lines of a cell: split at `\n`, `\r\n` or a lone `\r`.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line)).flat_map(|line| line.split('\r'))
}

/// The text as a spreadsheet cell holds it: every line break a plain `\n`, and without the
/// characters XML 1.0 forbids. (`rust_xlsxwriter` would keep those as Excel's `_xHHHH_` escapes,
/// which other readers show literally; the DOCX drops them too, so both formats agree.)
fn cell_text(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| c != '\r' && markup::is_markup_char(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<String> =
        lines(text).map(|line| line.chars().filter(|&c| markup::is_markup_char(c)).collect()).collect();
    Cow::Owned(lines.join("\n"))
}

/// The length of a cell's longest line, in characters.
fn longest_line(text: &str) -> usize {
    lines(text).map(|line| line.chars().count()).max().unwrap_or(0)
}

/// For each column, the length of its longest line (heading included), counting the indentation
/// of the first column as two characters a level.
fn column_lengths(table: &Table, columns: usize) -> Vec<usize> {
    let mut lengths = vec![0; columns];
    for (length, heading) in lengths.iter_mut().zip(&table.columns) {
        *length = longest_line(heading);
    }
    add_row_lengths(&mut lengths, &table.rows);
    lengths
}

/// Lengthens `lengths` to the longest line of each column of `rows` (see [`column_lengths`]).
fn add_row_lengths(lengths: &mut [usize], rows: &[Row]) {
    for row in rows {
        for (i, (length, cell)) in lengths.iter_mut().zip(&row.cells).enumerate() {
            let indent = if i == 0 { 2 * row.level.min(MAX_LEVEL) } else { 0 };
            *length = (*length).max(longest_line(cell) + indent);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// XLSX

/// Writes one table into its worksheet. An error names the row and column it stopped at.
fn write_sheet(sheet: &mut Worksheet, table: &Table, name: &str) -> Result<(), String> {
    let layout = Layout::of(&column_lengths(table, column_count(table)));
    let mut row = write_head(sheet, table, name, &layout)?;
    write_rows(sheet, &table.rows, 0, &mut row, &layout)?;
    write_notes(sheet, table, row)
}

/// Each column's width in characters, and whether its text wraps.
struct Layout {
    widths: Vec<usize>,
    wraps: Vec<bool>,
}

impl Layout {
    /// The layout of columns whose longest lines are `lengths` ([`column_lengths`]).
    fn of(lengths: &[usize]) -> Layout {
        Layout {
            // A column whose longest line does not fit the widest column wraps.
            wraps: lengths.iter().map(|&n| n + 2 > MAX_COLUMN_CHARS).collect(),
            widths: lengths.iter().map(|&n| (n + 2).clamp(MIN_COLUMN_CHARS + 2, MAX_COLUMN_CHARS)).collect(),
        }
    }
}

/// Names the sheet, sets its page and column widths, and writes the title and the column
/// headings: the sheet's next row is returned.
fn write_head(sheet: &mut Worksheet, table: &Table, name: &str, layout: &Layout) -> Result<u32, String> {
    let fail = |e: XlsxError| e.to_string();
    sheet.set_name(name).map_err(fail)?;
    // Printed like the DOCX: landscape A4 (paper size 9), as wide as one page, headings repeated.
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    for (col, &width) in layout.widths.iter().enumerate() {
        sheet.set_column_width(col_number(col)?, width as f64).map_err(fail)?;
    }

    let mut row: u32 = 0;
    if !table.title.trim().is_empty() {
        let format = Format::new().set_bold().set_font_size(12);
        sheet.write_string_with_format(row, 0, cell_text(&table.title), &format).map_err(|e| format!("title: {e}"))?;
        row += 1;
    }
    if !table.columns.is_empty() {
        for (col, heading) in table.columns.iter().enumerate() {
            let format = cell_format(heading, layout.wraps[col]).set_bold().set_border_bottom(FormatBorder::Thin);
            sheet
                .write_string_with_format(row, col_number(col)?, cell_text(heading), &format)
                .map_err(|e| format!("heading of column {}: {e}", col + 1))?;
        }
        set_row_height(sheet, row, &table.columns, 0, &layout.widths).map_err(fail)?;
        row += 1;
        // Everything above the first row of data stays in view, and on every printed page.
        sheet.set_freeze_panes(row, 0).map_err(fail)?;
        sheet.set_repeat_rows(row - 1, row - 1).map_err(fail)?;
    }
    Ok(row)
}

/// Writes `rows` from the sheet's row `row` on (moving it past them); `before` rows of the
/// table came before them (for the row numbers of errors).
fn write_rows(
    sheet: &mut Worksheet,
    rows: &[Row],
    before: usize,
    row: &mut u32,
    layout: &Layout,
) -> Result<(), String> {
    for (i, table_row) in rows.iter().enumerate() {
        let i = before + i;
        for (col, cell) in table_row.cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let mut format = cell_format(cell, layout.wraps[col]);
            if table_row.emphasis {
                format = format.set_bold();
            }
            if col == 0 && table_row.level > 0 {
                // Excel indents only left-aligned text.
                format = format.set_align(FormatAlign::Left).set_indent(table_row.level.min(MAX_LEVEL) as u8);
            }
            let written = match plain_number(cell) {
                Some(number) => sheet.write_number_with_format(*row, col_number(col)?, number, &format),
                None => sheet.write_string_with_format(*row, col_number(col)?, cell_text(cell), &format),
            };
            written.map_err(|e| format!("row {}, column {}: {e}", i + 1, col + 1))?;
        }
        set_row_height(sheet, *row, &table_row.cells, table_row.level, &layout.widths)
            .map_err(|e| format!("row {}: {e}", i + 1))?;
        *row = row.checked_add(1).ok_or_else(|| format!("row {}: too many rows", i + 1))?;
    }
    Ok(())
}

/// Writes the table's notes from the sheet's row `row` on, after a blank row.
fn write_notes(sheet: &mut Worksheet, table: &Table, mut row: u32) -> Result<(), String> {
    if !table.notes.is_empty() {
        // A blank row, then one row a line: a note is left unwrapped so it runs across the
        // (empty) cells to its right instead of being squeezed into the first column.
        row = row.saturating_add(1);
        let format = Format::new().set_italic();
        for (i, line) in table.notes.iter().flat_map(|note| lines(note)).enumerate() {
            if !line.is_empty() {
                sheet
                    .write_string_with_format(row, 0, cell_text(line), &format)
                    .map_err(|e| format!("line {} of the notes: {e}", i + 1))?;
            }
            row = row.saturating_add(1);
        }
    }
    Ok(())
}

/// The longest line of each column of a table whose rows come a batch at a time: the first of
/// the two passes an [`XlsxStream`] takes (its column widths come before its rows).
pub struct ColumnLengths(Vec<usize>);

impl ColumnLengths {
    /// The lengths of `head`'s column headings.
    pub fn new(head: &Table) -> ColumnLengths {
        ColumnLengths(column_lengths(head, head.columns.len()))
    }

    /// Count `rows` in.
    pub fn add(&mut self, rows: &[Row]) {
        let columns = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        if columns > self.0.len() {
            self.0.resize(columns, 0);
        }
        add_row_lengths(&mut self.0, rows);
    }
}

/// A one-sheet workbook written a batch of rows at a time, in `rust_xlsxwriter`'s constant
/// memory mode (each row goes to a temporary file once the next is begun): the cells are those
/// [`xlsx`] writes for the table of every row, but memory holds one batch. The sheet's strings
/// are stored in its cells rather than in a table of shared strings, so the bytes differ from
/// [`xlsx`]'s; the values, formats, widths and heights do not.
pub struct XlsxStream<'t> {
    workbook: Workbook,
    table: &'t Table,
    layout: Layout,
    row: u32,
    written: usize,
}

impl<'t> XlsxStream<'t> {
    /// A workbook with `head`'s title and column headings written, its columns as wide as
    /// `lengths` (of every row to come) make them. `head.rows` are not written.
    pub fn new(head: &'t Table, lengths: ColumnLengths) -> Result<XlsxStream<'t>, PublishError> {
        let mut workbook = reproducible_workbook()?;
        let name = sheet_names(std::slice::from_ref(head)).remove(0);
        let layout = Layout::of(&lengths.0);
        let sheet = workbook.add_worksheet_with_constant_memory();
        let row = write_head(sheet, head, &name, &layout).map_err(|e| sheet_error(head, &name, &e))?;
        Ok(XlsxStream { workbook, table: head, layout, row, written: 0 })
    }

    /// Write the next rows.
    pub fn rows(&mut self, rows: &[Row]) -> Result<(), PublishError> {
        let sheet = first_sheet(&mut self.workbook)?;
        write_rows(sheet, rows, self.written, &mut self.row, &self.layout)
            .map_err(|e| sheet_error(self.table, &sheet.name(), &e))?;
        self.written += rows.len();
        Ok(())
    }

    /// Write the notes and the whole workbook to `out`.
    pub fn finish<W: Write + Seek + Send>(mut self, out: W) -> Result<(), PublishError> {
        let sheet = first_sheet(&mut self.workbook)?;
        write_notes(sheet, self.table, self.row).map_err(|e| sheet_error(self.table, &sheet.name(), &e))?;
        self.workbook.save_to_writer(out).map_err(|e| PublishError(format!("cannot write the XLSX workbook: {e}")))
    }
}

fn first_sheet(workbook: &mut Workbook) -> Result<&mut Worksheet, PublishError> {
    workbook.worksheet_from_index(0).map_err(|e| PublishError(format!("cannot write the XLSX workbook: {e}")))
}

/// A workbook whose bytes depend only on what is written into it.
fn reproducible_workbook() -> Result<Workbook, PublishError> {
    let mut workbook = Workbook::new();
    // Without this the creation date is the current time and no two files are alike.
    let created = ExcelDateTime::from_ymd(1980, 1, 1)
        .map_err(|e| PublishError(format!("cannot set the XLSX creation date: {e}")))?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    Ok(workbook)
}

fn sheet_error(table: &Table, name: &str, e: &str) -> PublishError {
    PublishError(format!("cannot write table \"{}\" to XLSX (sheet \"{name}\"): {e}", table.title))
}

/// Makes a row tall enough for its longest cell, when that takes more than one line.
///
/// Excel fits the height of a row with wrapped text when it opens the file, but LibreOffice does
/// not (it keeps the one-line default and the lines overlap the next row), so the height is set
/// here from an estimate: a cell's lines, each wrapped at its column's width less the padding
/// and indentation counted in [`column_lengths`], at 15 points a line (Excel's default row),
/// up to Excel's tallest row, 409 points.
fn set_row_height(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[String],
    level: usize,
    widths: &[usize],
) -> Result<(), XlsxError> {
    let line_count = |(col, (cell, width)): (usize, (&String, &usize))| {
        let indent = if col == 0 { 2 * level.min(MAX_LEVEL) } else { 0 };
        let usable = width.saturating_sub(2 + indent).max(1);
        lines(cell).map(|line| line.chars().count().div_ceil(usable).max(1)).sum::<usize>()
    };
    let height = cells.iter().zip(widths).enumerate().map(line_count).max().unwrap_or(1);
    if height > 1 {
        sheet.set_row_height(row, (15.0 * height as f64).min(409.0))?;
    }
    Ok(())
}

/// The format every data or heading cell starts from: top-aligned, wrapped when the column wraps
/// or the cell holds several lines (Excel shows a line break only in a wrapped cell).
fn cell_format(text: &str, column_wraps: bool) -> Format {
    let format = Format::new().set_align(FormatAlign::Top);
    if column_wraps || text.contains(['\n', '\r']) {
        format.set_text_wrap()
    } else {
        format
    }
}

/// A column index as Excel's column number.
fn col_number(col: usize) -> Result<u16, String> {
    u16::try_from(col).map_err(|_| format!("column {}: more columns than Excel allows", col + 1))
}

/// The value of a cell that is a plain integer or decimal: an optional minus sign, digits, and
/// optionally a point followed by digits ("12", "-3", "48.77"). Not a number: anything with
/// spaces, a plus sign, an exponent or thousands separators, a leading zero ("007" is an
/// identifier), or more than 15 significant digits (an `f64` would not keep them all).
fn plain_number(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || fraction.is_some_and(|f| !all_digits(f)) {
        return None;
    }
    if whole.len() > 1 && whole.starts_with('0') {
        return None;
    }
    if whole.len() + fraction.map_or(0, str::len) > 15 {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// One worksheet name a table, from its title: without the characters Excel refuses
/// (`[]:*?/\`, controls), without leading or trailing apostrophes, at most 31 UTF-16 code units,
/// and unique ignoring case. A table without a usable title is named "Table N".
fn sheet_names(tables: &[Table]) -> Vec<String> {
    // Excel reserves "History" for its change tracking.
    let mut taken = vec!["history".to_string()];
    let mut names = Vec::with_capacity(tables.len());
    for (i, table) in tables.iter().enumerate() {
        let cleaned: String = table
            .title
            .chars()
            .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { ' ' } else { c })
            .collect();
        let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
        let base = match cleaned.trim_matches('\'').trim() {
            "" => format!("Table {}", i + 1),
            base => base.to_string(),
        };
        let mut name = truncate_utf16(&base, MAX_SHEET_NAME);
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            name = format!("{}{suffix}", truncate_utf16(&base, MAX_SHEET_NAME - suffix.len()));
            n += 1;
        }
        taken.push(name.to_lowercase());
        names.push(name);
    }
    names
}

/// The longest prefix of `text` that fits in `max` UTF-16 code units, without trailing spaces or
/// apostrophes (Excel refuses a name that ends in one).
fn truncate_utf16(text: &str, max: usize) -> String {
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        used += c.len_utf16();
        if used > max {
            break;
        }
        out.push(c);
    }
    out.trim_end_matches([' ', '\'']).to_string()
}

// ---------------------------------------------------------------------------------------------
// DOCX

/// Page width and height of landscape A4, in twentieths of a point (twips).
const PAGE_WIDTH: usize = 16838;
const PAGE_HEIGHT: usize = 11906;
/// Page margins: 2 cm.
const PAGE_MARGIN: usize = 1134;
/// The width a table takes: the page between its margins.
const TEXT_WIDTH: usize = PAGE_WIDTH - 2 * PAGE_MARGIN;
/// Indentation of the first cell, per `level`: 0.5 cm.
const LEVEL_INDENT: usize = 284;

/// `word/document.xml`: each table in turn, then the section with the page setup.
fn document_xml(tables: &[Table]) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        "\n",
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
        "<w:body>",
    ));
    for table in tables {
        if !table.title.trim().is_empty() {
            for line in lines(&table.title) {
                paragraph(&mut xml, Some("Heading1"), 0, false, line);
            }
        }
        word_table(&mut xml, table);
        for line in table.notes.iter().flat_map(|note| lines(note)) {
            paragraph(&mut xml, Some("TableNote"), 0, false, line);
        }
        // An empty paragraph after every table: it spaces the tables, keeps two tables in a row
        // from merging into one, and lets the body end in a paragraph as Word expects.
        xml.push_str("<w:p/>");
    }
    xml.push_str(&format!(
        concat!(
            r#"<w:sectPr><w:pgSz w:w="{w}" w:h="{h}" w:orient="landscape"/>"#,
            r#"<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="567" "#,
            r#"w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
        ),
        w = PAGE_WIDTH,
        h = PAGE_HEIGHT,
        m = PAGE_MARGIN,
    ));
    xml
}

/// A `w:tbl`: the headings as a bold, shaded row that Word repeats on every page, then the rows,
/// every one padded to the full number of columns (Word needs a cell for every grid column and a
/// paragraph in every cell).
fn word_table(xml: &mut String, table: &Table) {
    let columns = column_count(table);
    if columns == 0 {
        return;
    }
    let widths = column_widths(&column_lengths(table, columns), &column_words(table, columns));
    xml.push_str(&format!(r#"<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>"#));
    xml.push_str(concat!(
        "<w:tblBorders>",
        r#"<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"<w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"<w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        r#"<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#,
        "</w:tblBorders>",
        r#"<w:tblLayout w:type="fixed"/>"#,
        "<w:tblCellMar>",
        r#"<w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>"#,
        r#"<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>"#,
        "</w:tblCellMar>",
        r#"<w:tblLook w:val="0620" w:firstRow="1" w:lastRow="0" w:firstColumn="0" "#,
        r#"w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>"#,
        "</w:tblPr><w:tblGrid>",
    ));
    for width in &widths {
        xml.push_str(&format!(r#"<w:gridCol w:w="{width}"/>"#));
    }
    xml.push_str("</w:tblGrid>");

    if !table.columns.is_empty() {
        // cantSplit: a heading row broken over two pages reads as two rows.
        xml.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (col, width) in widths.iter().enumerate() {
            let heading = table.columns.get(col).map_or("", String::as_str);
            cell(xml, *width, true, 0, true, heading);
        }
        xml.push_str("</w:tr>");
    }
    for row in &table.rows {
        xml.push_str("<w:tr>");
        for (col, width) in widths.iter().enumerate() {
            let text = row.cells.get(col).map_or("", String::as_str);
            let level = if col == 0 { row.level.min(MAX_LEVEL) } else { 0 };
            cell(xml, *width, false, level, row.emphasis, text);
        }
        xml.push_str("</w:tr>");
    }
    xml.push_str("</w:tbl>");
}

/// The longest word of each column (headings included): a column narrower than that breaks
/// words ("foun / dati / on").
fn column_words(table: &Table, columns: usize) -> Vec<usize> {
    let longest = |text: &str| text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
    let mut words = vec![0; columns];
    for (word, heading) in words.iter_mut().zip(&table.columns) {
        *word = longest(heading);
    }
    for row in &table.rows {
        for (word, cell) in words.iter_mut().zip(&row.cells) {
            *word = (*word).max(longest(cell));
        }
    }
    words
}

/// Twips a character of the 10 pt body text takes, on average, in DejaVu Sans or Calibri, with
/// room for bold headings.
const CHAR_TWIPS: usize = 125;
/// Twips of a cell's left and right margins together, with a little to spare.
const CELL_PADDING_TWIPS: usize = 260;

/// Column widths in twips that add up to the text width: each column first gets room for its
/// longest word (so no word is broken), then what is left is shared in proportion to each
/// column's longest line (at most 200 characters' worth, so that one long quote does not starve
/// the rest). When the words alone do not fit, widths are in proportion only.
fn column_widths(lengths: &[usize], words: &[usize]) -> Vec<usize> {
    // A page is wider than a spreadsheet column: long text may take up to 200 characters' share.
    let weights: Vec<usize> = lengths.iter().map(|&n| n.clamp(MIN_COLUMN_CHARS, 200)).collect();
    let total: usize = weights.iter().sum::<usize>().max(1);
    let floors: Vec<usize> = words.iter().map(|&w| w.min(MAX_COLUMN_CHARS) * CHAR_TWIPS + CELL_PADDING_TWIPS).collect();
    let floor_sum: usize = floors.iter().sum();
    let mut widths: Vec<usize> = if floor_sum < TEXT_WIDTH {
        let spare = TEXT_WIDTH - floor_sum;
        floors.iter().zip(&weights).map(|(f, w)| f + spare * w / total).collect()
    } else {
        weights.iter().map(|w| TEXT_WIDTH * w / total).collect()
    };
    // Integer division leaves a few twips over: the last column takes them.
    let used: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += TEXT_WIDTH.saturating_sub(used);
    }
    widths
}

/// A `w:tc` with one paragraph a line of its text.
fn cell(xml: &mut String, width: usize, heading: bool, level: usize, bold: bool, text: &str) {
    xml.push_str(&format!(r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#));
    if heading {
        xml.push_str(r#"<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>"#);
    }
    xml.push_str("</w:tcPr>");
    let style = heading.then_some("TableHeading");
    for line in lines(text) {
        paragraph(xml, style, level, bold, line);
    }
    xml.push_str("</w:tc>");
}

/// A `w:p` holding one line: optionally styled, indented and bold. A tab becomes `w:tab`.
fn paragraph(xml: &mut String, style: Option<&str>, level: usize, bold: bool, line: &str) {
    xml.push_str("<w:p>");
    if style.is_some() || level > 0 {
        xml.push_str("<w:pPr>");
        if let Some(style) = style {
            xml.push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
        }
        if level > 0 {
            xml.push_str(&format!(r#"<w:ind w:left="{}"/>"#, level * LEVEL_INDENT));
        }
        xml.push_str("</w:pPr>");
    }
    if !line.is_empty() {
        xml.push_str("<w:r>");
        if bold {
            xml.push_str("<w:rPr><w:b/><w:bCs/></w:rPr>");
        }
        for (i, piece) in line.split('\t').enumerate() {
            if i > 0 {
                xml.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                // `preserve`: XML would otherwise let a reader drop leading and trailing spaces.
                xml.push_str(r#"<w:t xml:space="preserve">"#);
                xml.push_str(&xml_text(piece));
                xml.push_str("</w:t>");
            }
        }
        xml.push_str("</w:r>");
    }
    xml.push_str("</w:p>");
}

/// Text as XML character data: without the characters XML 1.0 forbids (a document with one is
/// not well-formed, and Word refuses to open it), and with `&`, `<`, `>` and quotes escaped.
fn xml_text(text: &str) -> String {
    markup::escape(text, Markup::Xml)
}

/// `[Content_Types].xml`: the media type of every part.
const DOCX_CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
    r#"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#,
    r#"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#,
    r#"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#,
    "</Types>",
);

/// `_rels/.rels`: where the document and its properties are.
const DOCX_PACKAGE_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#,
    "</Relationships>",
);

/// `docProps/app.xml`: the application that wrote the file, and no dates (they would change the
/// bytes from one run to the next).
const DOCX_APP: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#,
    "<Application>thema</Application>",
    "</Properties>",
);

/// `word/_rels/document.xml.rels`: the document's styles and settings.
const DOCX_DOCUMENT_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#,
    r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#,
    "</Relationships>",
);

/// `word/settings.xml`: compatibility mode 15 so that Word opens the file as a current document
/// rather than in "Compatibility Mode".
const DOCX_SETTINGS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:defaultTabStop w:val="709"/>"#,
    r#"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#,
    "</w:settings>",
);

/// `word/styles.xml`: 10 pt body text, "Heading 1" for the titles, "Table Heading" for the
/// heading row, 9 pt "Table Note" for the notes, and Word's default table style.
const DOCX_STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    "<w:docDefaults>",
    r#"<w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>"#,
    r#"<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:rPrDefault>"#,
    r#"<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>"#,
    "</w:docDefaults>",
    r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
    r#"<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>"#,
    r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>"#,
    r#"<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>"#,
    r#"<w:rPr><w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableHeading"><w:name w:val="Table Heading"/>"#,
    r#"<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/></w:pPr></w:style>"#,
    r#"<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableNote"><w:name w:val="Table Note"/>"#,
    r#"<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="60"/></w:pPr>"#,
    r#"<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>"#,
    r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>"#,
    r#"<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>"#,
    r#"<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>"#,
    r#"<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#,
    "</w:styles>",
);

#[cfg(test)]
mod tests;
