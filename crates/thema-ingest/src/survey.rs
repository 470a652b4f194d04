//! CSV (or TSV) of open-ended survey answers: one row a response. One column holds the answer
//! text; one identifies the respondent; the others become the respondent's attributes.
//!
//! The answer column is `--text-column`, or else the column with the longest texts on average.
//! The id column is `--id-column`, or else the first column if its values are all present and
//! distinct, or else the row number (`R1`, `R2`, ...). Each answer becomes a turn whose speaker
//! is the respondent id; empty answers add no turn but the respondent is kept. To import several
//! open questions of one survey, import the file once per question with `--text-column`.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::IngestError;
use crate::format::Format;
use crate::transcript::{Respondent, Transcript, TranscriptBuilder};
use crate::Options;

fn delimiter(header: &str, file_name: &str) -> u8 {
    if file_name.to_ascii_lowercase().ends_with(".tsv") || header.matches('\t').count() > header.matches(',').count() {
        b'\t'
    } else if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// Read a survey CSV.
pub fn parse_csv(text: &str, file_name: &str, options: &Options) -> Result<Transcript, IngestError> {
    let header_line = text.lines().next().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(header_line, file_name))
        .flexible(true)
        .from_reader(text.as_bytes());
    let err = |line: u64, message: String| IngestError::at(Format::Csv, line as usize, message);
    let headers = thema_core::table::read_header(&mut reader).map_err(|message| err(1, message))?;
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record =
            record.map_err(|e| err(e.position().map_or(0, |p| p.line()), format!("cannot read the row: {e}")))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(err(line, format!("the row has {} fields but the header has {}", record.len(), headers.len())));
        }
        rows.push((line, record.iter().map(str::to_owned).collect()));
    }
    if rows.is_empty() {
        return Err(IngestError::format(Format::Csv, "the file has a header but no responses"));
    }
    let find = |name: &str, what: &str| {
        headers.iter().position(|h| h.eq_ignore_ascii_case(name)).ok_or_else(|| {
            IngestError::format(
                Format::Csv,
                format!(
                    "no {what} column `{name}`; the columns are {}",
                    headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                ),
            )
        })
    };
    let id_column = match &options.id_column {
        Some(name) => Some(find(name, "id")?),
        None => {
            let mut values = BTreeSet::new();
            let unique = rows.iter().all(|(_, r)| !r[0].trim().is_empty() && values.insert(r[0].trim()));
            (unique && headers.len() > 1).then_some(0)
        }
    };
    let text_column = match &options.text_column {
        Some(name) => find(name, "text")?,
        None => (0..headers.len())
            .filter(|&c| Some(c) != id_column)
            .max_by_key(|&c| rows.iter().map(|(_, r)| r[c].chars().count()).sum::<usize>())
            .unwrap_or(0),
    };
    if Some(text_column) == id_column {
        return Err(IngestError::format(Format::Csv, "the text column and the id column are the same"));
    }
    let mut builder = TranscriptBuilder::new();
    let mut respondents = Vec::new();
    let mut empty = 0;
    for (i, (_, row)) in rows.iter().enumerate() {
        let label = match id_column {
            Some(c) => row[c].trim().to_owned(),
            None => format!("R{}", i + 1),
        };
        let attributes: BTreeMap<String, String> = headers
            .iter()
            .enumerate()
            .filter(|(c, _)| *c != text_column && Some(*c) != id_column)
            .filter(|(c, _)| !row[*c].trim().is_empty())
            .map(|(c, h)| (h.clone(), row[c].trim().to_owned()))
            .collect();
        if !builder.push_turn(Some(&label), &row[text_column], None, None) {
            empty += 1;
        }
        respondents.push(Respondent { label, attributes });
    }
    let mut transcript = builder.finish();
    transcript.respondents = respondents;
    transcript.respondent_labels_generated = id_column.is_none();
    // Say which columns were chosen when the user did not name them.
    let mut chosen = Vec::new();
    if options.text_column.is_none() {
        chosen
            .push(format!("answers read from column `{}` (choose another with `--text-column`)", headers[text_column]));
    }
    if options.id_column.is_none() {
        chosen.push(match id_column {
            Some(c) => format!("respondents identified by column `{}` (choose another with `--id-column`)", headers[c]),
            None => "respondents numbered by row: R1, R2, ... (name an id column with `--id-column`)".to_owned(),
        });
    }
    if !chosen.is_empty() {
        transcript.warn(None, chosen.join("; "));
    }
    if empty > 0 {
        let who = if empty == 1 { "respondent" } else { "respondents" };
        transcript.warn(None, format!("{empty} {who} left the answer empty"));
    }
    Ok(transcript)
}

#[cfg(test)]
mod tests {
    use super::*;
    use thema_core::TextIndex;

    const SURVEY: &str = "Case,Age,Gender,freetext\nID4,24,f,\"I wanted to do more studies,\nbut work.\"\nID5,,m,Work and family.\nID6,67,m,\n";

    #[test]
    fn picks_the_longest_column_and_the_unique_first_column() {
        let t = parse_csv(SURVEY, "s.csv", &Options::default()).unwrap();
        assert_eq!(t.turns.len(), 2);
        let index = TextIndex::new(&t.text);
        assert_eq!(index.slice(t.turns[0].span).unwrap(), "I wanted to do more studies,\nbut work.");
        assert_eq!(t.turns[1].speaker.as_deref(), Some("ID5"));
        assert_eq!(t.respondents.len(), 3);
        assert_eq!(
            t.respondents[0].attributes,
            BTreeMap::from([("Age".into(), "24".into()), ("Gender".into(), "f".into())])
        );
        assert_eq!(t.respondents[1].attributes.get("Age"), None);
        assert_eq!(
            t.warnings[0].message,
            "answers read from column `freetext` (choose another with `--text-column`); respondents identified by column `Case` (choose another with `--id-column`)"
        );
        assert_eq!(t.warnings[1].message, "1 respondent left the answer empty");
    }

    #[test]
    fn named_columns_and_errors() {
        let options = Options { text_column: Some("gender".into()), ..Options::default() };
        let t = parse_csv(SURVEY, "s.csv", &options).unwrap();
        assert_eq!(t.turns.len(), 3);
        let options = Options { text_column: Some("answer".into()), ..Options::default() };
        let e = parse_csv(SURVEY, "s.csv", &options).unwrap_err().to_string();
        assert_eq!(e, "no text column `answer`; the columns are `Case`, `Age`, `Gender`, `freetext`");
        let e = parse_csv("a,b\n1,2,3\n", "s.csv", &Options::default()).unwrap_err().to_string();
        assert_eq!(e, "line 2: the row has 3 fields but the header has 2");
        let e = parse_csv("a,a\n1,2\n", "s.csv", &Options::default()).unwrap_err().to_string();
        assert_eq!(e, "line 1: column `a` appears twice");
    }

    #[test]
    fn tab_separated_and_row_numbers() {
        let t = parse_csv("answer\tage\nGood course\t30\nGood course\t40\n", "s.tsv", &Options::default()).unwrap();
        assert_eq!(t.turns.iter().map(|t| t.speaker.clone().unwrap()).collect::<Vec<_>>(), ["R1", "R2"]);
        assert_eq!(t.respondents[1].attributes["age"], "40");
    }
}
