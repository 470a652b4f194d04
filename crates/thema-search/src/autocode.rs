//! Auto-coding: code every hit of a search, by the rule of one coding a passage a code a coder
//! ([`thema_core::coding::place`], the rule `thema code` follows): a hit inside a coding of the
//! code by the coder is already coded, one that overlaps or touches such a coding widens it.

use std::collections::BTreeMap;

use serde::Serialize;
use thema_core::codebook::CodebookError;
use thema_core::coding::{now, Placed, Sweep};
use thema_core::{CodebookEntry, Coding, Span, SpanError, Study, StudyError, TextIndex};

use crate::{Hit, HitOrder, Request, SearchError, SearchIndex};

/// What of a hit is coded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Unit {
    /// The words that matched.
    #[default]
    Hit,
    /// The whole turn.
    Turn,
}

/// How to auto-code.
#[derive(Clone, Debug, Default)]
pub struct AutocodeOptions {
    /// The code, by id or name.
    pub code: String,
    /// Who codes.
    pub coder: String,
    /// What of each hit is coded.
    pub unit: Unit,
    /// Work out what would be coded, and save nothing.
    pub dry_run: bool,
}

/// What auto-coding did (or, with `dry_run`, would do).
#[derive(Clone, Debug, Serialize)]
pub struct Autocoded {
    /// The codebook entry coded with.
    #[serde(skip)]
    pub entry: CodebookEntry,
    /// New codings, in document order.
    pub added: Vec<Coding>,
    /// Existing codings of the code widened to take in a hit they overlapped or touched.
    pub extended: Vec<Coding>,
    /// Hits inside an existing coding of the code by the coder, skipped.
    pub already_coded: usize,
    /// Nothing was saved.
    pub dry_run: bool,
}

/// Why auto-coding failed. [`AutocodeError::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AutocodeError {
    /// The search failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The code is not in the codebook.
    #[error("{refusal}")]
    Code {
        /// What the codebook said.
        refusal: CodebookError,
        /// The code as given.
        code: String,
    },
    /// Some hits matched without words (by filters, a regex or a field): nothing to code in them.
    #[error("some hits have no words to code (the query matches them by filters, a regex or a field)")]
    NoWords,
    /// A hit's span does not fit its document.
    #[error(transparent)]
    Span(#[from] SpanError),
    /// The study could not be read or written.
    #[error(transparent)]
    Study(#[from] StudyError),
}

impl AutocodeError {
    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            AutocodeError::Code { code, .. } => Some(format!(
                "`thema codebook` lists the entries; a new code is added with `thema codebook add \"{code}\"`"
            )),
            AutocodeError::NoWords => Some("code whole turns with `--unit turn`, or search for words".to_owned()),
            _ => None,
        }
    }
}

/// Hits grouped by document, in the order the documents first come, each group in hit order.
/// Hits in document order come a document at a time, unless two documents share an import
/// sequence (a `document.toml` edited by hand): their turns then alternate, and a document met
/// twice was swept twice, the second time without the codings of the first, which let a hit
/// inside a coding made the first time be added again.
fn by_document(hits: &[Hit]) -> Vec<Vec<&Hit>> {
    let mut groups: Vec<Vec<&Hit>> = Vec::new();
    let mut group_of: BTreeMap<&str, usize> = BTreeMap::new();
    for hit in hits {
        let at = *group_of.entry(hit.document.as_str()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(hit);
    }
    groups
}

/// Code every turn `request` finds (in document order, however the request orders them), in
/// one search. Only the coder's codings with the code in a hit's document can join a new
/// coding, so each hit is placed among those alone, by a [`Sweep`] over the document: placing
/// among all the coder's codings made auto-coding quadratic.
pub fn autocode(
    study: &Study,
    index: &SearchIndex,
    request: &Request,
    options: &AutocodeOptions,
) -> Result<Autocoded, AutocodeError> {
    let request = Request { order: HitOrder::Document, ..request.clone() };
    let results = index.search_all(&request)?;
    let codebook = study.load_codebook()?;
    let entry = codebook
        .resolve(&options.code)
        .map_err(|refusal| AutocodeError::Code { refusal, code: options.code.clone() })?
        .clone();
    let whole_turns = options.unit == Unit::Turn;
    if !whole_turns && results.hits.iter().any(|h| h.matches.is_empty()) {
        return Err(AutocodeError::NoWords);
    }
    let coder = options.coder.as_str();
    let (mine, others): (Vec<Coding>, Vec<Coding>) =
        study.load_coder_codings(coder)?.into_iter().partition(|c| c.code == entry.id);
    let mut of_document: BTreeMap<String, Vec<Coding>> = BTreeMap::new();
    for c in mine {
        of_document.entry(c.document.clone()).or_default().push(c);
    }
    // The codings of the documents with hits, once placed; `of_document` keeps the others.
    let mut placed: Vec<Coding> = Vec::new();
    let mut added = Vec::new();
    let mut extended: Vec<Coding> = Vec::new();
    let mut already = 0;
    let time = now();
    // Each document is read and its text indexed once, for all its hits (indexing it again for
    // each hit made auto-coding quadratic in its length), and its hits placed in one sweep.
    for hits in by_document(&results.hits) {
        let document = study.load_document(&hits[0].document)?;
        let hits = hits.into_iter();
        let text = TextIndex::new(&document.text);
        let mut codings = Sweep::new(of_document.remove(&document.meta.id).unwrap_or_default());
        // This run's codings of the document: the only ones a later hit can widen.
        let first_added = added.len();
        let first_extended = extended.len();
        for hit in hits {
            let spans: Vec<Span> = if whole_turns {
                vec![Span { start: hit.start, end: hit.start + hit.text.chars().count() }]
            } else {
                hit.matches
                    .iter()
                    .map(|m| {
                        let start = hit.start + hit.text[..m.start].chars().count();
                        Span { start, end: start + hit.text[m.clone()].chars().count() }
                    })
                    .collect()
            };
            for span in spans {
                let new = Coding::in_text(&document.meta.id, &text, span, &entry.id, coder, &time)?;
                match codings.place(new.clone(), &document)? {
                    Placed::Added => added.push(new),
                    Placed::Extended(span) => {
                        // A passage added by this run and widened since is listed once, as added.
                        let grown = |c: &Coding| span.encloses(c.span());
                        let was_added = added[first_added..].iter().any(grown);
                        for (list, first) in [(&mut added, first_added), (&mut extended, first_extended)] {
                            let mut ours = list.split_off(first);
                            ours.retain(|c| !grown(c));
                            list.append(&mut ours);
                        }
                        let merged = codings.last().cloned().into_iter();
                        if was_added {
                            added.extend(merged)
                        } else {
                            extended.extend(merged)
                        }
                    }
                    Placed::Covered(_) => already += 1,
                }
            }
        }
        placed.extend(codings.into_codings());
    }
    if !options.dry_run && (!added.is_empty() || !extended.is_empty()) {
        let codings: Vec<Coding> =
            others.into_iter().chain(of_document.into_values().flatten()).chain(placed).collect();
        study.save_coder_codings(coder, &codings)?;
    }
    Ok(Autocoded { entry, added, extended, already_coded: already, dry_run: options.dry_run })
}

impl thema_core::error::Hint for AutocodeError {
    fn hint(&self) -> Option<String> {
        AutocodeError::hint(self)
    }
}
