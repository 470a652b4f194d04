//! Participants: one row a person in `participants.csv`, linked from speaker labels.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::settings::check_value;

/// The columns every `participants.csv` starts with.
pub const REQUIRED_COLUMNS: [&str; 3] = ["id", "pseudonym", "role"];

/// One person taking part in the study.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Participant {
    /// Stable id (`simon`, `P01`): letters, digits, `-`, `_`, `.`.
    pub id: String,
    /// The name used in quotes and tables; never the person's real name.
    pub pseudonym: String,
    /// Role in the study (`Peer Mentor`, `Program Manager`, `Respondent`).
    pub role: String,
    /// Further attributes (age, gender, region...), typed in `thema.toml`; empty cells are absent.
    #[serde(flatten)]
    pub attributes: BTreeMap<String, String>,
}

/// The participants table, in the order of its rows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Participants {
    /// Attribute columns after `id,pseudonym,role`, in file order.
    pub attribute_columns: Vec<String>,
    /// Rows, sorted by id when saved. Private so that the lookup below is always true to them:
    /// read with [`Participants::rows`], add with [`Participants::add`], change in place with
    /// [`Participants::rows_mut`].
    rows: Vec<Participant>,
    /// Line of each row in the file it was read from (for messages); empty for a table built in
    /// memory.
    pub source_lines: Vec<u64>,
    /// The rows by id and by label, made by the first lookup (see [`Lookup`]).
    lookup: LookupCell,
}

/// The rows of each participant id, and of each label a speaker could be linked by (an id
/// ignoring ASCII case, a pseudonym ignoring case). Made once, kept up to date by
/// [`Participants::add`] and dropped by [`Participants::rows_mut`]: a table with many
/// participants is looked up once a coding, turn or speaker label, and a scan of the rows each
/// time made attribution quadratic (7 s for 200,000 codings and 2,000 participants) and
/// `import --add-participants` too (267 s for 50,000 speakers).
#[derive(Debug, Default)]
struct Lookup {
    ids: std::collections::HashMap<String, usize>,
    /// Ids in ASCII lower case -> rows (`P1` and `p1` are two ids).
    folded_ids: std::collections::HashMap<String, Vec<usize>>,
    /// Pseudonyms in lower case -> rows.
    pseudonyms: std::collections::HashMap<String, Vec<usize>>,
}

impl Lookup {
    fn of(rows: &[Participant]) -> Lookup {
        let mut lookup = Lookup::default();
        for (i, p) in rows.iter().enumerate() {
            lookup.insert(i, p);
        }
        lookup
    }

    fn insert(&mut self, row: usize, p: &Participant) {
        self.ids.entry(p.id.clone()).or_insert(row);
        self.folded_ids.entry(p.id.to_ascii_lowercase()).or_default().push(row);
        self.pseudonyms.entry(p.pseudonym.to_lowercase()).or_default().push(row);
    }
}

/// A lookup made on first use from `&self`. Two tables are equal whatever their lookups hold; a
/// clone starts without one.
#[derive(Default)]
struct LookupCell(std::sync::OnceLock<Lookup>);

impl Clone for LookupCell {
    fn clone(&self) -> Self {
        LookupCell::default()
    }
}

impl std::fmt::Debug for LookupCell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

impl PartialEq for LookupCell {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for LookupCell {}

/// What is wrong with a participants table, with the line it is on (1 = header).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParticipantsError {
    /// 1-based line number in the CSV file.
    pub line: u64,
    /// What is wrong and what to do.
    pub message: String,
}

/// True for participant ids: 1 to 64 of `A-Z a-z 0-9 - _ .`, starting with a letter or digit.
pub fn is_valid_participant_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || b"-_.".contains(&c))
}

impl Participants {
    /// Parse `participants.csv`. Reports the first structural problem (missing column, bad id,
    /// duplicate id, ragged row) with its line.
    pub fn parse(text: &str) -> Result<Participants, ParticipantsError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let err = |line: u64, message: String| ParticipantsError { line, message };
        if text.trim().is_empty() {
            return Err(err(1, "the file is empty; it needs the header `id,pseudonym,role`".into()));
        }
        let headers = crate::table::read_header(&mut reader).map_err(|message| err(1, message))?;
        for (i, required) in REQUIRED_COLUMNS.iter().enumerate() {
            if headers.get(i).map(String::as_str) != Some(*required) {
                let found = headers.get(i).map_or("nothing".to_owned(), |h| format!("`{h}`"));
                let missing = !headers.iter().any(|h| h == required);
                let what = if missing { "is missing" } else { "is out of place" };
                return Err(err(
                    1,
                    format!(
                        "column `{required}` {what} (column {} is {found}); the header must start \
                         with `id,pseudonym,role`",
                        i + 1
                    ),
                ));
            }
        }
        let attribute_columns: Vec<String> = headers[3..].to_vec();
        let mut rows: Vec<Participant> = Vec::new();
        let mut source_lines = Vec::new();
        let mut ids = std::collections::BTreeMap::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                err(line, format!("cannot read the row: {e}"))
            })?;
            let line = record.position().map_or(0, |p| p.line());
            if record.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            if record.len() != headers.len() {
                return Err(err(
                    line,
                    format!("the row has {} fields but the header has {}", record.len(), headers.len()),
                ));
            }
            let id = record[0].trim().to_owned();
            if !is_valid_participant_id(&id) {
                return Err(err(
                    line,
                    format!("`{id}` is not a valid participant id (letters, digits, `-`, `_`, `.`)"),
                ));
            }
            if let Some(first) = ids.insert(id.clone(), line) {
                return Err(err(line, format!("participant id `{id}` is already used on line {first}")));
            }
            let attributes = attribute_columns
                .iter()
                .zip(record.iter().skip(3))
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.trim().to_owned()))
                .collect();
            source_lines.push(line);
            rows.push(Participant {
                id,
                pseudonym: record[1].trim().to_owned(),
                role: record[2].trim().to_owned(),
                attributes,
            });
        }
        Ok(Participants { attribute_columns, rows, source_lines, lookup: LookupCell::default() })
    }

    /// The table as CSV: header `id,pseudonym,role` and the attribute columns, rows sorted by id.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        let header = REQUIRED_COLUMNS.iter().map(|s| s.to_string()).chain(self.attribute_columns.iter().cloned());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(header);
        let mut rows: Vec<&Participant> = self.rows.iter().collect();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        for p in rows {
            let fields = [p.id.as_str(), p.pseudonym.as_str(), p.role.as_str()]
                .into_iter()
                .chain(self.attribute_columns.iter().map(|c| p.attributes.get(c).map_or("", String::as_str)));
            let _ = writer.write_record(fields);
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The rows, in the order they were read or added.
    pub fn rows(&self) -> &[Participant] {
        &self.rows
    }

    /// The rows, to change in place (ids included): the lookup is made again on the next use.
    pub fn rows_mut(&mut self) -> &mut [Participant] {
        self.lookup = LookupCell::default();
        &mut self.rows
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.0.get_or_init(|| Lookup::of(&self.rows))
    }

    /// The participant with this id.
    pub fn get(&self, id: &str) -> Option<&Participant> {
        self.lookup().ids.get(id).and_then(|&i| self.rows.get(i))
    }

    /// The participant with this id, or a message that offers the closest ids.
    pub fn known(&self, id: &str) -> Result<&Participant, String> {
        self.get(id).ok_or_else(|| {
            let suggestion = crate::suggest::did_you_mean(id, self.rows.iter().map(|p| p.id.as_str()));
            format!("no participant `{id}` in `participants.csv`{suggestion}")
        })
    }

    /// The participant a speaker label names: the label equals an id or a pseudonym, ignoring
    /// case. `None` when nobody or more than one person matches.
    pub fn match_label(&self, label: &str) -> Option<&Participant> {
        let label = label.trim();
        let lookup = self.lookup();
        let mut rows: Vec<usize> =
            [lookup.folded_ids.get(&label.to_ascii_lowercase()), lookup.pseudonyms.get(&label.to_lowercase())]
                .into_iter()
                .flatten()
                .flatten()
                .copied()
                .collect();
        rows.sort_unstable();
        rows.dedup();
        match rows[..] {
            [only] => self.rows.get(only),
            _ => None,
        }
    }

    /// Add a participant, adding columns for new attributes. Fails on a duplicate or invalid id.
    pub fn add(&mut self, participant: Participant) -> Result<(), String> {
        if !is_valid_participant_id(&participant.id) {
            return Err(format!("`{}` is not a valid participant id", participant.id));
        }
        if self.get(&participant.id).is_some() {
            return Err(format!("participant `{}` already exists", participant.id));
        }
        for key in participant.attributes.keys() {
            if !self.attribute_columns.contains(key) {
                self.attribute_columns.push(key.clone());
            }
        }
        if let Some(lookup) = self.lookup.0.get_mut() {
            lookup.insert(self.rows.len(), &participant);
        }
        self.rows.push(participant);
        self.source_lines.clear();
        Ok(())
    }

    /// Set attributes of the participant `id` (a column is added for a new name; an empty value
    /// removes the attribute). `pseudonym` and `role` are columns of their own and are set too.
    /// Fails, changing nothing, on an unknown id.
    pub fn set(&mut self, id: &str, values: &BTreeMap<String, String>) -> Result<(), String> {
        let Some(at) = self.rows.iter().position(|p| p.id == id) else {
            return Err(format!("there is no participant `{id}`"));
        };
        if values.get("pseudonym").is_some_and(|v| v.trim().is_empty()) {
            return Err(format!("`{id}` needs a pseudonym: quotes and tables name participants by it"));
        }
        for key in values.keys().filter(|k| !matches!(k.as_str(), "pseudonym" | "role")) {
            if !self.attribute_columns.contains(key) && !values[key].is_empty() {
                self.attribute_columns.push(key.clone());
            }
        }
        let person = &mut self.rows_mut()[at];
        for (key, value) in values {
            match key.as_str() {
                "pseudonym" => person.pseudonym = value.clone(),
                "role" => person.role = value.clone(),
                _ if value.is_empty() => {
                    person.attributes.remove(key);
                }
                _ => {
                    person.attributes.insert(key.clone(), value.clone());
                }
            }
        }
        self.source_lines.clear();
        Ok(())
    }

    /// A participant id not yet used, made from a speaker label: `Speaker 1` -> `speaker-1`.
    pub fn fresh_id(&self, label: &str) -> String {
        crate::document::fresh_id(label, "participant", |id| self.get(id).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::AttributeType;

    const TABLE: &str =
        "id,pseudonym,role,age,region\nsimon,Simon,Peer Mentor,52,Fraser\nmo,Mo,UTGSS Executive Director,,\n";

    #[test]
    fn lookup_follows_changes_to_the_rows() {
        let mut table = Participants::parse(TABLE).unwrap();
        assert_eq!(table.get("mo").unwrap().pseudonym, "Mo");
        assert!(table.get("ada").is_none());
        // A rename in place (as `thema deidentify` does) after the lookup was made.
        table.rows_mut()[1].id = "ada".into();
        assert!(table.get("mo").is_none());
        assert_eq!(table.get("ada").unwrap().pseudonym, "Mo");
        assert_eq!(table.match_label("ADA").unwrap().pseudonym, "Mo");
        table.rows_mut().swap(0, 1);
        assert_eq!(table.get("simon").unwrap().pseudonym, "Simon");
        assert_eq!(table.get("ada").unwrap().pseudonym, "Mo");
        let added = Participant {
            id: "zoe".into(),
            pseudonym: "Zoe".into(),
            role: "Peer Mentor".into(),
            attributes: BTreeMap::new(),
        };
        // Added after the lookup was made: found by id and by label.
        assert_eq!(table.match_label("simon").unwrap().id, "simon");
        table.add(added).unwrap();
        assert_eq!(table.get("zoe").unwrap().pseudonym, "Zoe");
        assert_eq!(table.match_label(" ZOE ").unwrap().id, "zoe");
        assert_eq!(table.fresh_id("Zoe"), "zoe-2");
        assert!(table.add(Participant { id: "zoe".into(), ..table.get("zoe").unwrap().clone() }).is_err());
        assert_eq!(table.clone(), table);
    }

    #[test]
    fn parses_and_writes_canonically() {
        let table = Participants::parse(TABLE).unwrap();
        assert_eq!(table.attribute_columns, ["age", "region"]);
        assert_eq!(table.rows().len(), 2);
        assert_eq!(table.get("simon").unwrap().attributes["age"], "52");
        assert!(table.get("mo").unwrap().attributes.is_empty());
        let written = table.to_csv();
        // Sorted by id; empty cells stay empty.
        assert_eq!(
            written,
            "id,pseudonym,role,age,region\nmo,Mo,UTGSS Executive Director,,\nsimon,Simon,Peer Mentor,52,Fraser\n"
        );
        assert_eq!(Participants::parse(&written).unwrap().to_csv(), written);
    }

    #[test]
    fn reports_missing_columns_and_duplicates_with_lines() {
        let e = Participants::parse("id,pseudonym\nsimon,Simon\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("`role` is missing"), "{e}");
        let e = Participants::parse("id,pseudonym,role\na,A,x\nb,B,y\na,C,z\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("already used on line 2"), "{e}");
        let e = Participants::parse("id,pseudonym,role\na,A\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Participants::parse("").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = Participants::parse("id,pseudonym,role\nhas space,A,x\n").unwrap_err();
        assert!(e.message.contains("not a valid participant id"), "{e}");
    }

    #[test]
    fn matches_labels_by_id_or_pseudonym() {
        let table = Participants::parse(TABLE).unwrap();
        assert_eq!(table.match_label("SIMON").unwrap().id, "simon");
        assert_eq!(table.match_label("Mo").unwrap().id, "mo");
        assert!(table.match_label("Kent").is_none());
        // Two people a label could name: nobody is chosen. `P1` and `p1` are two ids; a
        // pseudonym equal to another's id, ignoring case, makes that label ambiguous too.
        let two = Participants::parse("id,pseudonym,role\nP1,Ann,x\np1,Bea,x\nbo,Ann,x\ncy,BO,x\ndi,Di,x\n").unwrap();
        assert!(two.match_label("p1").is_none());
        assert_eq!(two.match_label("P1"), None);
        assert!(two.match_label("ann").is_none());
        assert!(two.match_label("Bo").is_none());
        assert_eq!(two.match_label("bea").unwrap().id, "p1");
        // An id and a pseudonym of one person count once.
        assert_eq!(two.match_label("DI").unwrap().id, "di");
        assert_eq!(table.fresh_id("Simon"), "simon-2");
        assert_eq!(table.fresh_id("Speaker 1"), "speaker-1");
    }

    #[test]
    fn typed_values() {
        assert!(check_value(AttributeType::Number, "48.5").is_ok());
        assert!(check_value(AttributeType::Number, "forty").is_err());
        assert!(check_value(AttributeType::Date, "2021-03-04").is_ok());
        assert!(check_value(AttributeType::Boolean, "yes").is_ok());
        assert!(check_value(AttributeType::Boolean, "maybe").is_err());
    }
}
