//! `thema check --fix`: each coder's codings brought back to the rule of one coding a passage a
//! code a coder. Exact copies of a coding (a git merge can leave them) are removed; codings of one
//! code that overlap or touch are joined by [`coding::place`](crate::coding::place), the rule
//! `code` and autocode use. One line in the decision log a coder a kind of repair.
//!
//! [`repair_codings`] writes through the study: inside a transaction
//! ([`Study::begin`](crate::Study)) it is one step `thema undo` reverts.

use std::collections::{BTreeMap, BTreeSet};

use crate::coding::{exact_copies, joined_pairs, place, Placed};
use crate::span::SpanError;
use crate::study::Decision;
use crate::{Coding, Document, Study, StudyError};

/// A coding placed among the others of its code while joining, other than simply kept: what the
/// command line reports as it does for `thema code`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joined {
    /// Whose coding.
    pub coder: String,
    /// Its document.
    pub document: String,
    /// How it was placed.
    pub placed: Placed,
    /// Where it started.
    pub start: usize,
    /// Its quote.
    pub quote: String,
    /// Its code.
    pub code: String,
}

/// What [`repair_codings`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repair {
    /// Each coder's exact copies removed, in the decision log's words.
    pub copies_removed: Vec<String>,
    /// The codings joined into others, in the order they were placed.
    pub joins: Vec<Joined>,
    /// How many codings were joined into the codings they overlapped or touched.
    pub joined: usize,
}

/// Why a repair stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RepairError {
    /// The study could not be read or written.
    #[error(transparent)]
    Study(#[from] StudyError),
    /// A coding's span does not fit its document's text (`thema check` reports which).
    #[error(transparent)]
    Span(#[from] SpanError),
}

impl crate::error::Hint for RepairError {
    fn hint(&self) -> Option<String> {
        None
    }
}

/// Repair every coder's codings, as `who` in the decision log.
pub fn repair_codings(study: &Study, who: &str) -> Result<Repair, RepairError> {
    let mut repair = Repair { copies_removed: remove_copies(study, who)?, ..Repair::default() };
    let mut documents: BTreeMap<String, Document> = BTreeMap::new();
    for owner in study.coders()? {
        let codings = study.load_coder_codings(&owner)?;
        let pairs = joined_pairs(&codings);
        if pairs.is_empty() {
            continue;
        }
        // Only codings in a pair change; each is placed among the others of its document and
        // code, so neither the work nor the texts read grow with the rest of the file.
        let touched: BTreeSet<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
        let (mut rest, mut kept): (Vec<Coding>, Vec<Coding>) = (Vec::new(), Vec::new());
        for (i, c) in codings.into_iter().enumerate() {
            if touched.contains(&i) {
                rest.push(c);
            } else {
                kept.push(c);
            }
        }
        rest.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let before = rest.len();
        let mut groups: BTreeMap<(String, String), Vec<Coding>> = BTreeMap::new();
        for c in rest {
            if !documents.contains_key(&c.document) {
                documents.insert(c.document.clone(), study.load_document(&c.document)?);
            }
            let document = &documents[&c.document];
            let (start, quote, code, doc) = (c.start, c.quote.clone(), c.code.clone(), c.document.clone());
            let group = groups.entry((c.document.clone(), c.code.clone())).or_default();
            let placed = place(group, c, document)?;
            if placed != Placed::Added {
                repair.joins.push(Joined { coder: owner.clone(), document: doc, placed, start, quote, code });
            }
        }
        let merged = before - groups.values().map(Vec::len).sum::<usize>();
        repair.joined += merged;
        kept.extend(groups.into_values().flatten());
        study.save_coder_codings(&owner, &kept)?;
        study.log_decision(&Decision {
            time: crate::coding::now(),
            who: who.to_owned(),
            action: "join-codings".to_owned(),
            what: format!(
                "{} of `{owner}` that overlapped or touched another of its code",
                crate::text::count(merged, "coding", "codings")
            ),
            why: "one coding a passage a code a coder (`thema check --fix`)".to_owned(),
        })?;
    }
    Ok(repair)
}

/// Remove codings that are exact copies of another, with one line in the decision log a coder
/// that had any; what was removed, in the log's words.
fn remove_copies(study: &Study, who: &str) -> Result<Vec<String>, StudyError> {
    let mut removed = Vec::new();
    for owner in study.coders()? {
        let codings = study.load_coder_codings(&owner)?;
        let copies = exact_copies(&codings);
        if copies.is_empty() {
            continue;
        }
        let copied: BTreeSet<usize> = copies.iter().map(|&(copy, _)| copy).collect();
        // Lines as the file holds them: the n-th coding is on the n-th line that is not blank.
        let text = crate::study::read_text(&study.codings_path(&owner))?;
        let numbers: Vec<usize> =
            text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n + 1).collect();
        let lines: Vec<String> = copied.iter().map(|&i| numbers.get(i).copied().unwrap_or(i + 1).to_string()).collect();
        let what = format!(
            "{} of `{owner}` that copied another exactly ({} {} of `codings/{owner}.jsonl`)",
            crate::text::count(copies.len(), "coding", "codings"),
            if lines.len() == 1 { "line" } else { "lines" },
            lines.join(", ")
        );
        let kept: Vec<Coding> =
            codings.into_iter().enumerate().filter(|(i, _)| !copied.contains(i)).map(|(_, c)| c).collect();
        study.save_coder_codings(&owner, &kept)?;
        study.log_decision(&Decision {
            time: crate::coding::now(),
            who: who.to_owned(),
            action: "remove-copied-codings".to_owned(),
            what: what.clone(),
            why: "a coding counted once (`thema check --fix`)".to_owned(),
        })?;
        removed.push(what);
    }
    Ok(removed)
}
