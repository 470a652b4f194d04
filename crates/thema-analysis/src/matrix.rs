//! Code matrices: codebook entries (codes, or rolled up to categories, sub-themes or themes) by
//! document, participant or participant attribute, each cell the number of coded segments, their
//! presence (0/1) or the words coded; and the framework matrix, participants by theme, each cell
//! the participant's coded segments.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use thema_core::filter::{self, KeyOf, Where};
use thema_core::segment::{Segment, Voicing};
use thema_core::{Codebook, EntryKind, Study};

/// What a cell holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Value {
    /// Coded segments.
    Segments,
    /// 1 if any, else 0.
    Presence,
    /// Words (UAX #29) in the coded segments.
    Words,
}

/// A matrix with labelled rows and columns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Matrix {
    /// Row ids (codebook entries).
    pub rows: Vec<String>,
    /// Row labels (entry names).
    pub row_labels: Vec<String>,
    /// Column labels.
    pub columns: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<usize>>,
}

/// The entry a code counts as when rolling up to `kind`: its nearest ancestor of that kind, or
/// none (it is left out) when it has none. `Code` keeps every code as it is.
pub fn rolled(codebook: &Codebook, code: &str, kind: EntryKind) -> Option<String> {
    if kind == EntryKind::Code {
        return Some(code.to_owned());
    }
    codebook.rolled_up(code, kind).map(|e| e.id.clone())
}

/// The columns of a segment. For `document` or another document field or attribute (`wave`,
/// `kind`...), the document's value. For `participant` (pseudonym), `role` or a participant
/// column, the value of every participant who speaks inside the segment and meets
/// `conditions`, each value once: a question-and-answer passage with two participants counts
/// for both. No column (the segment is left out) when no participant is credited.
/// `of` says which of the two `by` is (`thema_core::filter::key_of`, asked once, not a segment).
pub fn columns_of(study: &Study, segment: &Segment, by: &str, of: KeyOf, conditions: &[Where]) -> Vec<String> {
    let blank = || "(blank)".to_owned();
    let Some(meta) = study.document_meta(&segment.coding.document) else { return Vec::new() };
    if of == KeyOf::Document {
        return vec![filter::value_of(by, meta, None, false).filter(|v| !v.is_empty()).unwrap_or_else(blank)];
    }
    let mut columns: Vec<String> = Vec::new();
    for person in segment.participants.iter().filter_map(|p| study.participants.get(p)) {
        if !conditions.iter().all(|c| c.holds(meta, Some(person), false)) {
            continue;
        }
        let value = match by {
            "participant" => person.pseudonym.clone(),
            key => filter::value_of(key, meta, Some(person), false).filter(|v| !v.is_empty()).unwrap_or_else(blank),
        };
        if !columns.contains(&value) {
            columns.push(value);
        }
    }
    columns
}

/// Build the matrix of `segments` with rows rolled up to `kind` and columns from `column`
/// (in the order of `columns` when given, else sorted); a segment counts once in each of its
/// columns.
pub fn matrix(
    codebook: &Codebook,
    segments: &[Segment],
    kind: EntryKind,
    value: Value,
    column: &dyn Fn(&Segment) -> Vec<String>,
    columns: Option<Vec<String>>,
) -> Matrix {
    // Row, then column: (segments, words).
    let mut cells: BTreeMap<String, BTreeMap<String, (usize, usize)>> = BTreeMap::new();
    let mut seen_columns = BTreeSet::new();
    // Each code's row, looked up once.
    let mut rows_of: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for s in segments.iter().filter(|s| !s.coding.unplaced) {
        let code = s.coding.code.as_str();
        let row = rows_of.entry(code).or_insert_with(|| rolled(codebook, code, kind));
        let Some(row) = row.as_ref() else { continue };
        let words = match value {
            Value::Words => unicode_segmentation::UnicodeSegmentation::unicode_words(s.coding.quote.as_str()).count(),
            Value::Segments | Value::Presence => 0,
        };
        for col in column(s) {
            let in_row = match cells.get_mut(row.as_str()) {
                Some(in_row) => in_row,
                None => cells.entry(row.clone()).or_default(),
            };
            let cell = match in_row.get_mut(col.as_str()) {
                Some(cell) => cell,
                None => {
                    seen_columns.insert(col.clone());
                    in_row.entry(col).or_default()
                }
            };
            cell.0 += 1;
            cell.1 += words;
        }
    }
    // Rows in codebook (tree) order, then codes not in the codebook.
    let mut rows: Vec<String> =
        codebook.tree().into_iter().map(|(_, e)| e.id.clone()).filter(|id| cells.contains_key(id)).collect();
    rows.extend(cells.keys().filter(|r| !rows.contains(r)).cloned().collect::<Vec<_>>());
    let columns = columns.unwrap_or_else(|| seen_columns.into_iter().collect());
    let cells = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| {
                    let (n, w) = cells.get(r).and_then(|in_row| in_row.get(c)).copied().unwrap_or((0, 0));
                    match value {
                        Value::Segments => n,
                        Value::Presence => usize::from(n > 0),
                        Value::Words => w,
                    }
                })
                .collect()
        })
        .collect();
    let row_labels = rows.iter().map(|r| codebook.get(r).map_or_else(|| r.clone(), |e| e.name.clone())).collect();
    Matrix { rows, row_labels, columns, cells }
}

/// The framework matrix: each participant (by pseudonym) by each entry of `kind`, the cell the
/// participant's words in the segments under it, in document order; a passage of several
/// participants is in each one's row, with their own words, when they meet `conditions`.
/// The whole matrix at once; [`Framework`] builds it from segments a block of documents at a
/// time and gives it a row at a time.
pub fn framework(
    study: &Study,
    codebook: &Codebook,
    segments: &[Segment],
    kind: EntryKind,
    conditions: &[Where],
) -> (Vec<String>, Vec<String>, Vec<Vec<Vec<String>>>) {
    let mut framework = Framework::new(study, codebook, kind, conditions);
    framework.add(segments);
    let (people, labels) = (framework.people(), framework.entries());
    (people, labels, framework.into_rows().map(|(_, row)| row).collect())
}

/// The framework matrix (see [`framework`]) built from segments given in document order, a
/// block of whole documents at a time, holding only the quotes of its cells.
pub struct Framework<'a> {
    study: &'a Study,
    codebook: &'a Codebook,
    kind: EntryKind,
    conditions: &'a [Where],
    /// Each code's entry, looked up once.
    rows_of: BTreeMap<String, Option<String>>,
    /// Pseudonym, then entry id: the quotes.
    cells: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    themes: BTreeSet<String>,
}

impl<'a> Framework<'a> {
    /// An empty matrix of entries of `kind`.
    pub fn new(study: &'a Study, codebook: &'a Codebook, kind: EntryKind, conditions: &'a [Where]) -> Self {
        Framework {
            study,
            codebook,
            kind,
            conditions,
            rows_of: BTreeMap::new(),
            cells: BTreeMap::new(),
            themes: BTreeSet::new(),
        }
    }

    /// Add the segments of whole documents, after those added before: a document's segments
    /// all in one call.
    pub fn add(&mut self, segments: &[Segment]) {
        let study = self.study;
        // A passage coded with two codes under one entry (`hope` and `faith` under a theme) is
        // one quote in that entry's cell, not two. Documents are whole in a call, so the
        // passages seen need not outlive it.
        let mut placed: BTreeSet<(&str, String, &str, usize, usize)> = BTreeSet::new();
        for s in segments.iter().filter(|s| !s.coding.unplaced) {
            let code = s.coding.code.as_str();
            let theme = match self.rows_of.get(code) {
                Some(theme) => theme.clone(),
                None => {
                    let theme = rolled(self.codebook, code, self.kind);
                    self.rows_of.insert(code.to_owned(), theme.clone());
                    theme
                }
            };
            let Some(theme) = theme else { continue };
            // Each participant credited, with their own words in the passage (the whole quote
            // when it cannot be split by turn).
            for id in &s.participants {
                let Some(person) = study.participants.get(id) else { continue };
                if !self
                    .conditions
                    .iter()
                    .all(|c| study.document_meta(&s.coding.document).is_some_and(|m| c.holds(m, Some(person), false)))
                {
                    continue;
                }
                let words: Vec<&str> = s
                    .voices
                    .iter()
                    .filter(|v| v.who == Voicing::Participant(id.clone()))
                    .map(|v| s.words_of(v).trim())
                    .filter(|w| !w.is_empty())
                    .collect();
                if !placed.insert((
                    id.as_str(),
                    theme.clone(),
                    s.coding.document.as_str(),
                    s.coding.start,
                    s.coding.end,
                )) {
                    continue;
                }
                let quote = if words.is_empty() { s.coding.quote.clone() } else { words.join(" … ") };
                if !self.themes.contains(&theme) {
                    self.themes.insert(theme.clone());
                }
                let row = match self.cells.get_mut(&person.pseudonym) {
                    Some(row) => row,
                    None => self.cells.entry(person.pseudonym.clone()).or_default(),
                };
                match row.get_mut(&theme) {
                    Some(cell) => cell.push(quote),
                    None => {
                        row.insert(theme.clone(), vec![quote]);
                    }
                }
            }
        }
    }

    /// The participants (pseudonyms) with a quote, in order: the rows.
    pub fn people(&self) -> Vec<String> {
        self.cells.keys().cloned().collect()
    }

    /// The ids of the entries with a quote, in codebook (tree) order.
    fn columns(&self) -> Vec<String> {
        self.codebook.tree().into_iter().map(|(_, e)| e.id.clone()).filter(|id| self.themes.contains(id)).collect()
    }

    /// The names of the entries with a quote, in codebook (tree) order: the columns.
    pub fn entries(&self) -> Vec<String> {
        self.columns().iter().map(|t| self.codebook.get(t).map_or_else(|| t.clone(), |e| e.name.clone())).collect()
    }

    /// The rows in order, each a participant and a cell an entry: each row is given up as it
    /// is taken, so what was written need not stay in memory.
    pub fn into_rows(self) -> impl Iterator<Item = (String, Vec<Vec<String>>)> + 'a {
        let columns = self.columns();
        self.cells.into_iter().map(move |(person, mut row)| {
            let cells = columns.iter().map(|t| row.remove(t).unwrap_or_default()).collect();
            (person, cells)
        })
    }
}

impl Matrix {
    /// Each row's label and total (its code frequency), in row order.
    pub fn totals(&self) -> Vec<(String, usize)> {
        self.row_labels.iter().cloned().zip(self.cells.iter().map(|r| r.iter().sum())).collect()
    }
}
