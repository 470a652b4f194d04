//! A table as papers print it: a title, column headings, rows (some of them headings of a group,
//! some indented under another), and notes under the table.

use std::io::Write;

/// A table to publish.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// Title above the table ("Table 2. Themes and sub-themes").
    pub title: String,
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows, in order.
    pub rows: Vec<Row>,
    /// Notes printed under the table (how exemplars were chosen, abbreviations).
    pub notes: Vec<String>,
}

/// One row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// Cells, one a column. A cell may hold several lines (quotes): `\n` separates them, and each
    /// format shows them as separate lines of one cell.
    pub cells: Vec<String>,
    /// Depth in a hierarchy: the first cell is indented this many steps.
    pub level: usize,
    /// A heading row (a theme in the theme table): set in bold.
    pub emphasis: bool,
}

impl Row {
    /// A plain row at the top level.
    pub fn new(cells: Vec<String>) -> Row {
        Row { cells, level: 0, emphasis: false }
    }
}

impl Table {
    /// A table with a title and column headings, and no rows yet.
    pub fn new(title: &str, columns: &[&str]) -> Table {
        Table {
            title: title.to_owned(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            ..Table::default()
        }
    }

    /// The table without the columns no row fills (for reading; exports for filling in keep
    /// them).
    pub fn without_empty_columns(&self) -> Table {
        let keep: Vec<usize> = (0..self.columns.len())
            .filter(|&j| self.rows.iter().any(|r| !Self::cell(r, j).trim().is_empty()))
            .collect();
        Table {
            title: self.title.clone(),
            columns: keep.iter().map(|&j| self.columns[j].clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| Row {
                    cells: keep.iter().map(|&j| Self::cell(r, j).to_owned()).collect(),
                    level: r.level,
                    emphasis: r.emphasis,
                })
                .collect(),
            notes: self.notes.clone(),
        }
    }

    /// A row's cell `j`, empty where the row is short.
    fn cell(row: &Row, j: usize) -> &str {
        row.cells.get(j).map_or("", String::as_str)
    }

    /// GitHub-flavoured Markdown: the title in bold, a pipe table, notes in italics. Lines of a
    /// cell are joined by `<br>`; depth is shown by em spaces; heading rows are bold.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        self.markdown_head(&mut out);
        self.markdown_rows(&self.rows, &mut out);
        self.markdown_notes(&mut out);
        out
    }

    /// What [`Table::markdown`] writes before the rows: the title and the column headings.
    fn markdown_head(&self, out: &mut String) {
        if !self.title.is_empty() {
            out.push_str(&format!("**{}**\n\n", markdown_escape(&self.title)));
        }
        let header: Vec<String> = self.columns.iter().map(|c| markdown_escape(c)).collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        out.push_str(&format!("|{}\n", "---|".repeat(self.columns.len())));
    }

    /// `rows` as [`Table::markdown`] writes this table's, one line each.
    fn markdown_rows(&self, rows: &[Row], out: &mut String) {
        for row in rows {
            let cells: Vec<String> = (0..self.columns.len())
                .map(|j| {
                    let text = markdown_escape(Self::cell(row, j));
                    let text = if row.emphasis && j == 0 && !text.is_empty() { format!("**{text}**") } else { text };
                    if j == 0 {
                        format!("{}{text}", "&emsp;".repeat(row.level))
                    } else {
                        text
                    }
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
    }

    /// What [`Table::markdown`] writes after the rows: the notes.
    fn markdown_notes(&self, out: &mut String) {
        for note in &self.notes {
            out.push_str(&format!("\n*{}*\n", markdown_escape(note)));
        }
    }

    /// CSV (RFC 4180): a header line, then one line a row; no title or notes, so that it loads
    /// straight into R or a spreadsheet. A `level` column leads when any row is indented.
    pub fn csv(&self) -> Result<String, crate::PublishError> {
        let levels = self.rows.iter().any(|r| r.level > 0);
        let mut csv = CsvRows::new(self, levels, Vec::new())?;
        csv.write(self, &self.rows)?;
        let bytes = csv.finish()?;
        String::from_utf8(bytes).map_err(|e| crate::PublishError(format!("writing CSV: {e}")))
    }

    /// This table's title, columns and notes written with rows that come a batch at a time
    /// (the coded segments of a large study, a block of documents at a time): the bytes are
    /// those of [`Table::markdown`] or [`Table::csv`] of the table holding every row, but
    /// memory holds one batch. `self.rows` are not written. Markdown and CSV only; a streamed
    /// CSV has no `level` column, so its rows are at the top level.
    pub fn stream<W: Write>(
        &self,
        format: crate::ExportFormat,
        out: W,
    ) -> Result<TableStream<'_, W>, crate::PublishError> {
        let fail = |e: std::io::Error| crate::PublishError(format!("writing the {}: {e}", format.name()));
        let inner = match format {
            crate::ExportFormat::Markdown => {
                let mut out = out;
                let mut head = String::new();
                self.markdown_head(&mut head);
                out.write_all(head.as_bytes()).map_err(fail)?;
                Streamed::Markdown(out)
            }
            crate::ExportFormat::Csv => Streamed::Csv(Box::new(CsvRows::new(self, false, out)?)),
            other => {
                return Err(crate::PublishError(format!(
                    "a table is not written a part at a time as `{}`",
                    other.name()
                )))
            }
        };
        Ok(TableStream { table: self, inner })
    }
    /// A LaTeX `longtable` (packages `booktabs` and `longtable`), breaking across pages with the
    /// header repeated; column widths in proportion to their longest line of text.
    pub fn latex(&self) -> String {
        let n = self.columns.len().max(1);
        // Width of each column from its longest line, at least 6 and at most 60 characters.
        let widths: Vec<f64> = (0..n)
            .map(|j| {
                let longest = std::iter::once(self.columns.get(j).map_or("", String::as_str))
                    .chain(self.rows.iter().map(|r| Self::cell(r, j)))
                    .flat_map(str::lines)
                    .map(|l| l.chars().count())
                    .max()
                    .unwrap_or(0);
                longest.clamp(6, 60) as f64
            })
            .collect();
        let total: f64 = widths.iter().sum();
        // Leave room for the column separation (2 \tabcolsep a column).
        let share = |w: f64| (w / total * (1.0 - 0.04 * n as f64)).max(0.05);
        let spec: Vec<String> = widths.iter().map(|w| format!("p{{{:.3}\\linewidth}}", share(*w))).collect();
        let mut out = String::from("% needs \\usepackage{booktabs} and \\usepackage{longtable}\n");
        out.push_str(&format!("\\begin{{longtable}}{{@{{}}{}@{{}}}}\n", spec.join("")));
        if !self.title.is_empty() {
            out.push_str(&format!("\\caption{{{}}}\\\\\n", latex_escape(&self.title)));
        }
        let header: Vec<String> = self.columns.iter().map(|c| format!("\\textbf{{{}}}", latex_escape(c))).collect();
        out.push_str(&format!("\\toprule\n{} \\\\\n\\midrule\n\\endhead\n", header.join(" & ")));
        out.push_str("\\bottomrule\n\\endfoot\n");
        for row in &self.rows {
            let cells: Vec<String> = (0..n)
                .map(|j| {
                    let text =
                        Self::cell(row, j).lines().map(latex_escape).collect::<Vec<String>>().join(" \\newline ");
                    let text =
                        if row.emphasis && j == 0 && !text.is_empty() { format!("\\textbf{{{text}}}") } else { text };
                    if j == 0 && row.level > 0 {
                        format!("\\hspace*{{{}em}}{text}", row.level)
                    } else {
                        text
                    }
                })
                .collect();
            out.push_str(&format!("{} \\\\\n", cells.join(" & ")));
        }
        out.push_str("\\end{longtable}\n");
        for note in &self.notes {
            out.push_str(&format!("\n\\noindent\\emph{{{}}}\n", latex_escape(note)));
        }
        out
    }

    /// An HTML `<table>` with its caption and notes, for the report: cell lines become `<br>`,
    /// depth a class (`level-1` ...), heading rows `<strong>`.
    pub fn html(&self, id: &str) -> String {
        let mut out = format!("<div class=\"table\">\n<table id=\"{}\">\n", html_escape(id));
        if !self.title.is_empty() {
            out.push_str(&format!("<caption>{}</caption>\n", html_escape(&self.title)));
        }
        out.push_str("<thead><tr>");
        for c in &self.columns {
            out.push_str(&format!("<th>{}</th>", html_escape(c)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &self.rows {
            let class = match (row.level, row.emphasis) {
                (0, false) => String::new(),
                (0, true) => " class=\"heading\"".to_owned(),
                (l, false) => format!(" class=\"level-{}\"", l.min(6)),
                (l, true) => format!(" class=\"heading level-{}\"", l.min(6)),
            };
            out.push_str(&format!("<tr{class}>"));
            for j in 0..self.columns.len() {
                let text = Self::cell(row, j).lines().map(html_escape).collect::<Vec<String>>().join("<br>");
                out.push_str(&format!("<td>{text}</td>"));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</div>\n");
        for note in &self.notes {
            out.push_str(&format!("<p class=\"note\">{}</p>\n", html_escape(note)));
        }
        out
    }
}

/// Text safe inside a Markdown table cell: backslashes and pipes escaped, lines joined by `<br>`.
fn markdown_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|").replace('\n', "<br>")
}

/// A table being written a batch of rows at a time ([`Table::stream`]).
pub struct TableStream<'t, W: Write> {
    table: &'t Table,
    inner: Streamed<W>,
}

enum Streamed<W: Write> {
    Markdown(W),
    // Boxed: the CSV writer's buffer would make every stream as large.
    Csv(Box<CsvRows<W>>),
}

impl<W: Write> TableStream<'_, W> {
    /// Write the next rows.
    pub fn rows(&mut self, rows: &[Row]) -> Result<(), crate::PublishError> {
        match &mut self.inner {
            Streamed::Markdown(out) => {
                let mut text = String::new();
                self.table.markdown_rows(rows, &mut text);
                out.write_all(text.as_bytes()).map_err(|e| crate::PublishError(format!("writing the md: {e}")))
            }
            Streamed::Csv(csv) => csv.write(self.table, rows),
        }
    }

    /// Write what follows the rows (Markdown's notes), flush, and give the writer back.
    pub fn finish(self) -> Result<W, crate::PublishError> {
        match self.inner {
            Streamed::Markdown(mut out) => {
                let mut text = String::new();
                self.table.markdown_notes(&mut text);
                out.write_all(text.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(|e| crate::PublishError(format!("writing the md: {e}")))?;
                Ok(out)
            }
            Streamed::Csv(csv) => csv.finish(),
        }
    }
}

/// CSV rows of a table, after its header line; with a leading `level` column or without.
struct CsvRows<W: Write> {
    writer: csv::Writer<W>,
    levels: bool,
}

impl<W: Write> CsvRows<W> {
    /// A writer that has written the header line of `table`.
    fn new(table: &Table, levels: bool, out: W) -> Result<CsvRows<W>, crate::PublishError> {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
        let mut header: Vec<&str> = Vec::new();
        if levels {
            header.push("level");
        }
        header.extend(table.columns.iter().map(String::as_str));
        writer.write_record(&header).map_err(csv_error)?;
        Ok(CsvRows { writer, levels })
    }

    fn write(&mut self, table: &Table, rows: &[Row]) -> Result<(), crate::PublishError> {
        for row in rows {
            let mut record: Vec<&str> = Vec::with_capacity(table.columns.len() + 1);
            let level = row.level.to_string();
            if self.levels {
                record.push(&level);
            }
            record.extend((0..table.columns.len()).map(|j| Table::cell(row, j)));
            self.writer.write_record(&record).map_err(csv_error)?;
        }
        Ok(())
    }

    fn finish(self) -> Result<W, crate::PublishError> {
        self.writer.into_inner().map_err(|e| crate::PublishError(format!("writing CSV: {e}")))
    }
}

fn csv_error(e: csv::Error) -> crate::PublishError {
    crate::PublishError(format!("writing CSV: {e}"))
}

/// Text safe inside LaTeX.
pub fn latex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text safe inside HTML elements and attribute values.
pub fn html_escape(text: &str) -> String {
    thema_core::markup::escape(text, thema_core::markup::Markup::Html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = Table::new("Table 2. Themes", &["Theme", "Exemplar quotes"]);
        t.rows.push(Row {
            cells: vec!["Offering hope".into(), "“a way out” -Mo\n“not so bad” -Neil".into()],
            level: 0,
            emphasis: true,
        });
        t.rows.push(Row {
            cells: vec!["providing reassurance | 50% & more_".into(), String::new()],
            level: 1,
            emphasis: false,
        });
        t.notes.push("Quotes marked with `thema exemplar`.".into());
        t
    }

    #[test]
    fn markdown_escapes_pipes_and_keeps_lines() {
        let md = sample().markdown();
        assert!(md.starts_with("**Table 2. Themes**\n\n| Theme | Exemplar quotes |\n|---|---|\n"), "{md}");
        assert!(md.contains("| **Offering hope** | “a way out” -Mo<br>“not so bad” -Neil |"), "{md}");
        assert!(md.contains("| &emsp;providing reassurance \\| 50% & more_ |  |"), "{md}");
    }

    #[test]
    fn csv_has_a_level_column_and_quoted_lines() {
        let csv = sample().csv().unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.headers().unwrap(), vec!["level", "Theme", "Exemplar quotes"]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][2], "“a way out” -Mo\n“not so bad” -Neil");
        assert_eq!(&rows[1][0], "1");
    }

    /// Rows written a batch at a time give the bytes of the whole table's.
    #[test]
    fn streamed_in_batches_is_the_whole_table() {
        let whole = sample();
        let head = Table { rows: Vec::new(), ..whole.clone() };
        let write = |format: crate::ExportFormat, table: &Table| {
            let mut stream = head.stream(format, Vec::new()).unwrap();
            for row in table.rows.chunks(1) {
                stream.rows(row).unwrap();
            }
            String::from_utf8(stream.finish().unwrap()).unwrap()
        };
        assert_eq!(write(crate::ExportFormat::Markdown, &whole), whole.markdown());
        // CSV streams rows at the top level (no `level` column).
        let mut flat = whole.clone();
        for row in &mut flat.rows {
            row.level = 0;
        }
        assert_eq!(write(crate::ExportFormat::Csv, &flat), flat.csv().unwrap());
        assert!(head.stream(crate::ExportFormat::Latex, Vec::new()).is_err());
        // No rows: the heading and the notes.
        assert_eq!(
            head.stream(crate::ExportFormat::Markdown, Vec::new()).unwrap().finish().unwrap(),
            head.markdown().into_bytes()
        );
    }

    #[test]
    fn latex_escapes_specials() {
        let tex = sample().latex();
        assert!(tex.contains("\\hspace*{1em}providing reassurance | 50\\% \\& more\\_"), "{tex}");
        assert!(tex.contains("“a way out” -Mo \\newline “not so bad” -Neil"), "{tex}");
        assert!(tex.contains("\\caption{Table 2. Themes}"));
        assert_eq!(latex_escape("a\\b~^{}#$"), "a\\textbackslash{}b\\textasciitilde{}\\textasciicircum{}\\{\\}\\#\\$");
    }

    #[test]
    fn empty_columns_can_go() {
        let mut t = sample();
        t.columns.push("Example".into());
        let slim = t.without_empty_columns();
        assert_eq!(slim.columns, ["Theme", "Exemplar quotes"]);
        assert_eq!(slim.rows[1].level, 1);
        assert_eq!(slim.rows[0].cells[1], t.rows[0].cells[1]);
    }

    #[test]
    fn html_escapes() {
        let html = sample().html("themes");
        assert!(html.contains("<tr class=\"level-1\"><td>providing reassurance | 50% &amp; more_</td><td></td></tr>"));
        assert!(html.contains("<td>“a way out” -Mo<br>“not so bad” -Neil</td>"));
        assert_eq!(html_escape("<a href='x'>\u{7}"), "&lt;a href=&#39;x&#39;&gt;");
    }
}
