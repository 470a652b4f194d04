//! XLSX and DOCX: the office formats a researcher hands to co-authors, supervisors and journals.
//!
//! [`xlsx`] writes one worksheet a table with `rust_xlsxwriter`; [`docx`] writes a Word document
//! by hand, as a zip of a few WordprocessingML parts (ECMA-376 Part 1, §17). Both are
//! reproducible: the same tables give the same bytes, because every date written is fixed and
//! every part is written in a fixed order.

use std::borrow::Cow;
use std::io::{Cursor, Write};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use thema_core::markup::{self, Markup};

use crate::table::Table;
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
    let mut workbook = Workbook::new();
    // Without this the creation date is the current time and no two files are alike.
    let created = ExcelDateTime::from_ymd(1980, 1, 1)
        .map_err(|e| PublishError(format!("cannot set the XLSX creation date: {e}")))?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    for (table, name) in tables.iter().zip(sheet_names(tables)) {
        let sheet = workbook.add_worksheet();
        write_sheet(sheet, table, &name).map_err(|e| {
            PublishError(format!("cannot write table \"{}\" to XLSX (sheet \"{name}\"): {e}", table.title))
        })?;
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
    for row in &table.rows {
        for (i, (length, cell)) in lengths.iter_mut().zip(&row.cells).enumerate() {
            let indent = if i == 0 { 2 * row.level.min(MAX_LEVEL) } else { 0 };
            *length = (*length).max(longest_line(cell) + indent);
        }
    }
    lengths
}

/// Whether XML 1.0 allows the character (§2.2): Rust's `char` already excludes surrogates, so
/// what is left are the C0 controls other than tab, newline and carriage return, and U+FFFE and
/// U+FFFF.

// ---------------------------------------------------------------------------------------------
// XLSX

/// Writes one table into its worksheet. An error names the row and column it stopped at.
fn write_sheet(sheet: &mut Worksheet, table: &Table, name: &str) -> Result<(), String> {
    let fail = |e: XlsxError| e.to_string();
    sheet.set_name(name).map_err(fail)?;
    // Printed like the DOCX: landscape A4 (paper size 9), as wide as one page, headings repeated.
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    let columns = column_count(table);
    let lengths = column_lengths(table, columns);
    // A column whose longest line does not fit the widest column wraps.
    let wraps: Vec<bool> = lengths.iter().map(|&n| n + 2 > MAX_COLUMN_CHARS).collect();
    let widths: Vec<usize> = lengths.iter().map(|&n| (n + 2).clamp(MIN_COLUMN_CHARS + 2, MAX_COLUMN_CHARS)).collect();
    for (col, &width) in widths.iter().enumerate() {
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
            let format = cell_format(heading, wraps[col]).set_bold().set_border_bottom(FormatBorder::Thin);
            sheet
                .write_string_with_format(row, col_number(col)?, cell_text(heading), &format)
                .map_err(|e| format!("heading of column {}: {e}", col + 1))?;
        }
        set_row_height(sheet, row, &table.columns, 0, &widths).map_err(fail)?;
        row += 1;
        // Everything above the first row of data stays in view, and on every printed page.
        sheet.set_freeze_panes(row, 0).map_err(fail)?;
        sheet.set_repeat_rows(row - 1, row - 1).map_err(fail)?;
    }
    for (i, table_row) in table.rows.iter().enumerate() {
        for (col, cell) in table_row.cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let mut format = cell_format(cell, wraps[col]);
            if table_row.emphasis {
                format = format.set_bold();
            }
            if col == 0 && table_row.level > 0 {
                // Excel indents only left-aligned text.
                format = format.set_align(FormatAlign::Left).set_indent(table_row.level.min(MAX_LEVEL) as u8);
            }
            let written = match plain_number(cell) {
                Some(number) => sheet.write_number_with_format(row, col_number(col)?, number, &format),
                None => sheet.write_string_with_format(row, col_number(col)?, cell_text(cell), &format),
            };
            written.map_err(|e| format!("row {}, column {}: {e}", i + 1, col + 1))?;
        }
        set_row_height(sheet, row, &table_row.cells, table_row.level, &widths)
            .map_err(|e| format!("row {}: {e}", i + 1))?;
        row = row.checked_add(1).ok_or_else(|| format!("row {}: too many rows", i + 1))?;
    }
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
mod tests {
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
        let shared = shared_strings(&unzip(bytes, "xl/sharedStrings.xml"));
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
        let imports =
            || Command::new("python3").args(["-c", "import openpyxl, docx"]).output().map(|o| o.status.success());
        match imports() {
            Err(e) => return Err(format!("cannot run python3: {e}")),
            Ok(true) => return Ok(()),
            Ok(false) => {}
        }
        let install =
            Command::new("python3").args(["-m", "pip", "install", "--quiet", "openpyxl", "python-docx"]).output();
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
}
