//! The framework matrix (participants by theme, each cell the participant's coded segments)
//! as CSV or Markdown.

use crate::PublishError;

/// The matrix as CSV: a row a participant, a column an entry, each cell the quotes in
/// typographic quotation marks, one a line.
pub fn csv(participants: &[String], entries: &[String], cells: &[Vec<Vec<String>>]) -> Result<String, PublishError> {
    let error = |e: &dyn std::fmt::Display| PublishError(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["participant".to_owned()];
    header.extend(entries.iter().cloned());
    w.write_record(&header).map_err(|e| error(&e))?;
    for (p, row) in participants.iter().zip(cells) {
        let mut record = vec![p.clone()];
        record.extend(row.iter().map(|quotes| quotes.iter().map(|q| format!("“{q}”")).collect::<Vec<_>>().join("\n")));
        w.write_record(&record).map_err(|e| error(&e))?;
    }
    String::from_utf8(w.into_inner().map_err(|e| error(&e))?).map_err(|e| error(&e))
}

/// The matrix as Markdown: a section a participant, under each entry they spoke to its quotes.
pub fn markdown(participants: &[String], entries: &[String], cells: &[Vec<Vec<String>>]) -> String {
    let mut output = String::new();
    for (p, row) in participants.iter().zip(cells) {
        output.push_str(&format!("## {p}\n\n"));
        for (label, quotes) in entries.iter().zip(row) {
            if quotes.is_empty() {
                continue;
            }
            output.push_str(&format!("**{label}**\n\n"));
            for q in quotes {
                output.push_str(&format!("> “{}”\n\n", q.replace('\n', " ")));
            }
        }
    }
    output
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_row_a_participant_a_quote_a_line() {
        let people = vec!["Simon".to_owned(), "Kent".to_owned()];
        let entries = vec!["Hope".to_owned(), "Trust".to_owned()];
        let cells = vec![vec![vec!["one".to_owned(), "two".to_owned()], vec![]], vec![vec![], vec!["three\nlines".to_owned()]]];
        assert_eq!(
            super::csv(&people, &entries, &cells).unwrap(),
            "participant,Hope,Trust\nSimon,\"“one”\n“two”\",\nKent,,\"“three\nlines”\"\n"
        );
        assert_eq!(
            super::markdown(&people, &entries, &cells),
            "## Simon\n\n**Hope**\n\n> “one”\n\n> “two”\n\n## Kent\n\n**Trust**\n\n> “three lines”\n\n"
        );
    }
}
