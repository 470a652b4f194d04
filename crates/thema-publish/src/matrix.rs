//! Code matrices as CSV and Markdown: a matrix of counts (entries by document, participant or
//! value), and the framework matrix (participants by theme, each cell the participant's coded
//! segments).

use std::cell::RefCell;
use std::io::Write;

use serde::Serialize;
use thema_analysis::matrix::Matrix;

use crate::PublishError;

/// A matrix of counts as CSV: a header of `entry` and the columns, one row an entry (by name).
pub fn csv(matrix: &Matrix) -> Result<String, PublishError> {
    let error = |e: &dyn std::fmt::Display| PublishError(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["entry".to_owned()];
    header.extend(matrix.columns.iter().cloned());
    w.write_record(&header).map_err(|e| error(&e))?;
    for (label, row) in matrix.row_labels.iter().zip(&matrix.cells) {
        let mut record = vec![label.clone()];
        record.extend(row.iter().map(ToString::to_string));
        w.write_record(&record).map_err(|e| error(&e))?;
    }
    String::from_utf8(w.into_inner().map_err(|e| error(&e))?).map_err(|e| error(&e))
}

/// A matrix of counts as a Markdown table.
pub fn markdown(matrix: &Matrix) -> String {
    let escape = |s: &str| s.replace('|', "\\|");
    let mut out = format!("| entry | {} |\n", matrix.columns.iter().map(|c| escape(c)).collect::<Vec<_>>().join(" | "));
    out.push_str(&format!("|---|{}\n", "---:|".repeat(matrix.columns.len())));
    for (label, row) in matrix.row_labels.iter().zip(&matrix.cells) {
        out.push_str(&format!(
            "| {} | {} |\n",
            escape(label),
            row.iter().map(ToString::to_string).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

/// A framework matrix's rows, each a participant (pseudonym) and a cell an entry (its quotes):
/// [`thema_analysis::matrix::Framework::into_rows`] gives them a row at a time.
pub type Rows<'a> = &'a mut dyn Iterator<Item = (String, Vec<Vec<String>>)>;

/// The framework matrix as CSV: a row a participant, a column an entry, each cell the quotes in
/// typographic quotation marks, one a line.
pub fn framework_csv(
    participants: &[String],
    entries: &[String],
    cells: &[Vec<Vec<String>>],
) -> Result<String, PublishError> {
    let mut out = Vec::new();
    write_framework_csv(&mut out, entries, &mut owned_rows(participants, cells))?;
    String::from_utf8(out).map_err(|e| PublishError(e.to_string()))
}

/// [`framework_csv`] written to `out` a row at a time, each row dropped once written.
pub fn write_framework_csv(out: &mut dyn Write, entries: &[String], rows: Rows) -> Result<(), PublishError> {
    let error = |e: &dyn std::fmt::Display| PublishError(e.to_string());
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["participant".to_owned()];
    header.extend(entries.iter().cloned());
    w.write_record(&header).map_err(|e| error(&e))?;
    for (p, row) in rows {
        let mut record = vec![p];
        record.extend(row.iter().map(|quotes| quotes.iter().map(|q| format!("“{q}”")).collect::<Vec<_>>().join("\n")));
        w.write_record(&record).map_err(|e| error(&e))?;
    }
    w.flush().map_err(|e| error(&e))
}

/// The framework matrix as Markdown: a section a participant, under each entry they spoke to its quotes.
pub fn framework_markdown(participants: &[String], entries: &[String], cells: &[Vec<Vec<String>>]) -> String {
    let mut out = Vec::new();
    write_framework_markdown(&mut out, entries, &mut owned_rows(participants, cells))
        .expect("writing to memory does not fail");
    String::from_utf8(out).expect("the quotes are text")
}

/// [`framework_markdown`] written to `out` a row at a time, each row dropped once written.
pub fn write_framework_markdown(out: &mut dyn Write, entries: &[String], rows: Rows) -> Result<(), PublishError> {
    let error = |e: std::io::Error| PublishError(e.to_string());
    for (p, row) in rows {
        write!(out, "## {p}\n\n").map_err(error)?;
        for (label, quotes) in entries.iter().zip(&row) {
            if quotes.is_empty() {
                continue;
            }
            write!(out, "**{label}**\n\n").map_err(error)?;
            for q in quotes {
                write!(out, "> “{}”\n\n", q.replace('\n', " ")).map_err(error)?;
            }
        }
    }
    Ok(())
}

/// The framework matrix as JSON (pretty, and a newline): `participants`, `entries`, and
/// `cells` (a row a participant, a cell an entry, a string a quote), written to `out` a row at a
/// time; `participants` are the rows' names, in the order of `rows`.
pub fn write_framework_json(
    out: &mut dyn Write,
    participants: &[String],
    entries: &[String],
    rows: Rows,
) -> Result<(), PublishError> {
    /// The rows, serialised as a sequence as they are taken.
    struct Cells<'a>(RefCell<Option<Rows<'a>>>);
    impl Serialize for Cells<'_> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let rows = self.0.borrow_mut().take().expect("the cells are written once");
            serializer.collect_seq(rows.map(|(_, cells)| cells))
        }
    }
    #[derive(Serialize)]
    struct Framework<'a, 'b> {
        participants: &'a [String],
        entries: &'a [String],
        cells: Cells<'b>,
    }
    let error = |e: &dyn std::fmt::Display| PublishError(e.to_string());
    let framework = Framework { participants, entries, cells: Cells(RefCell::new(Some(rows))) };
    serde_json::to_writer_pretty(&mut *out, &framework).map_err(|e| error(&e))?;
    out.write_all(b"\n").map_err(|e| error(&e))
}

/// Rows of a matrix held whole, copied as they are taken.
fn owned_rows<'a>(
    participants: &'a [String],
    cells: &'a [Vec<Vec<String>>],
) -> impl Iterator<Item = (String, Vec<Vec<String>>)> + 'a {
    participants.iter().cloned().zip(cells.iter().cloned())
}

#[cfg(test)]
mod tests {
    use thema_analysis::matrix::Matrix;

    #[test]
    fn counts_by_entry_name() {
        let matrix = Matrix {
            rows: vec!["hope".into(), "a-b".into()],
            row_labels: vec!["Hope".into(), "a|b, c".into()],
            columns: vec!["fg1".into(), "int1".into()],
            cells: vec![vec![2, 0], vec![1, 3]],
        };
        assert_eq!(super::csv(&matrix).unwrap(), "entry,fg1,int1\nHope,2,0\n\"a|b, c\",1,3\n");
        assert_eq!(
            super::markdown(&matrix),
            "| entry | fg1 | int1 |\n|---|---:|---:|\n| Hope | 2 | 0 |\n| a\\|b, c | 1 | 3 |\n"
        );
        assert_eq!(matrix.totals(), [("Hope".to_owned(), 2), ("a|b, c".to_owned(), 4)]);
    }

    /// The JSON written a row at a time is what serialising the matrix held whole gives (the
    /// way `matrix --framework --format json` wrote it before), rows and no rows.
    #[test]
    fn framework_json_a_row_at_a_time_is_the_whole_matrix_serialised() {
        #[derive(serde::Serialize)]
        struct Whole<'a> {
            participants: &'a [String],
            entries: &'a [String],
            cells: &'a [Vec<Vec<String>>],
        }
        let people = ["Simon".to_owned(), "Kent".to_owned()];
        let entries = ["Hope".to_owned(), "Trust".to_owned()];
        let cells =
            [vec![vec!["one".to_owned(), "t\"wo".to_owned()], vec![]], vec![vec![], vec!["three\nlines".to_owned()]]];
        for (people, cells) in [(&people[..], &cells[..]), (&[][..], &[][..])] {
            let mut out = Vec::new();
            super::write_framework_json(&mut out, people, &entries, &mut super::owned_rows(people, cells)).unwrap();
            let whole =
                serde_json::to_string_pretty(&Whole { participants: people, entries: &entries, cells }).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole + "\n");
        }
    }

    #[test]
    fn a_row_a_participant_a_quote_a_line() {
        let people = vec!["Simon".to_owned(), "Kent".to_owned()];
        let entries = vec!["Hope".to_owned(), "Trust".to_owned()];
        let cells =
            vec![vec![vec!["one".to_owned(), "two".to_owned()], vec![]], vec![vec![], vec!["three\nlines".to_owned()]]];
        assert_eq!(
            super::framework_csv(&people, &entries, &cells).unwrap(),
            "participant,Hope,Trust\nSimon,\"“one”\n“two”\",\nKent,,\"“three\nlines”\"\n"
        );
        assert_eq!(
            super::framework_markdown(&people, &entries, &cells),
            "## Simon\n\n**Hope**\n\n> “one”\n\n> “two”\n\n## Kent\n\n**Trust**\n\n> “three lines”\n\n"
        );
    }
}
