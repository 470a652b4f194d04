//! A study's codings as reliability data: for each unit (a turn or a sentence of a document
//! every compared coder has coded) and each code, whether each coder applied the code there; and
//! as a unitizing study (codes as categories on the code points of the documents, one after the
//! other).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use thema_core::{Coding, Document, Span, TextIndex};
use unicode_segmentation::UnicodeSegmentation;

use crate::agreement::{Ratings, RatingsError};
use crate::unitizing::{self, Unit};

/// What a unit of comparison is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// A turn (a document without turns is one unit).
    Turn,
    /// A sentence (UAX #29) of a turn.
    Sentence,
}

/// A unit of comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnitRef {
    /// Document id.
    pub document: String,
    /// Turn id.
    pub turn: String,
    /// Code points in the document.
    pub span: Span,
}

/// Coders' codes on shared units.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedUnits {
    /// The coders compared, in order.
    pub coders: Vec<String>,
    /// Documents every coder coded (has at least one coding in).
    pub documents: Vec<String>,
    /// Codes any of them applied there.
    pub codes: Vec<String>,
    /// The units.
    pub units: Vec<UnitRef>,
    /// `applied[u][k]`: the coders (bit `c` for coder `c`, at most 64) who applied code `k` in
    /// unit `u`.
    pub applied: Vec<Vec<u64>>,
}

/// A unit where coders differ on a code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    /// Turn id.
    pub turn: String,
    /// The unit's code points in the document (a sentence, or the turn).
    pub span: Span,
    /// Code id.
    pub code: String,
    /// Coders who applied it.
    pub applied_by: Vec<String>,
    /// Coders who did not.
    pub not_by: Vec<String>,
}

/// Build the units of `documents` coded by every one of `coders`.
/// At most 64 coders are compared at once.
pub fn coded_units(documents: &[Document], codings: &[Coding], coders: &[String], kind: UnitKind) -> CodedUnits {
    let coders = &coders[..coders.len().min(64)];
    let mut by_document: BTreeMap<&str, Vec<&Coding>> = BTreeMap::new();
    for c in codings.iter().filter(|c| !c.unplaced && coders.contains(&c.coder)) {
        by_document.entry(c.document.as_str()).or_default().push(c);
    }
    let mut out = CodedUnits {
        coders: coders.to_vec(),
        documents: Vec::new(),
        codes: Vec::new(),
        units: Vec::new(),
        applied: Vec::new(),
    };
    let shared: Vec<&Document> = documents
        .iter()
        .filter(|d| {
            let here = by_document.get(d.meta.id.as_str());
            coders.iter().all(|coder| here.is_some_and(|cs| cs.iter().any(|c| &c.coder == coder)))
        })
        .collect();
    let codes: BTreeSet<&str> =
        shared.iter().flat_map(|d| by_document[d.meta.id.as_str()].iter().map(|c| c.code.as_str())).collect();
    out.codes = codes.iter().map(|c| (*c).to_owned()).collect();
    let code_index: BTreeMap<&str, usize> = out.codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    for document in shared {
        out.documents.push(document.meta.id.clone());
        let units = units_of(document, kind);
        let first = out.units.len();
        for (id, span) in &units {
            out.units.push(UnitRef { document: document.meta.id.clone(), turn: id.clone(), span: *span });
            out.applied.push(vec![0; out.codes.len()]);
        }
        // Each coding marks the units it overlaps (units are in text order and do not overlap).
        for c in &by_document[document.meta.id.as_str()] {
            let (Some(&k), Some(coder)) = (code_index.get(c.code.as_str()), coders.iter().position(|x| x == &c.coder))
            else {
                continue;
            };
            let mut u = units.partition_point(|(_, span)| span.end <= c.start);
            while u < units.len() && units[u].1.start < c.end {
                out.applied[first + u][k] |= 1 << coder;
                u += 1;
            }
        }
    }
    out
}

/// The units of one document.
fn units_of(document: &Document, kind: UnitKind) -> Vec<(String, Span)> {
    let turns: Vec<(String, Span)> = if document.turns.is_empty() {
        vec![(document.meta.id.clone(), Span { start: 0, end: document.text.chars().count() })]
    } else {
        document.turns.iter().map(|t| (document.turn_id(t.number), t.span)).collect()
    };
    match kind {
        UnitKind::Turn => turns,
        UnitKind::Sentence => {
            let index = TextIndex::new(&document.text);
            let mut out = Vec::new();
            for (id, span) in turns {
                let text = index.slice(span).unwrap_or("");
                let mut at = span.start;
                for sentence in text.split_sentence_bounds() {
                    let len = sentence.chars().count();
                    if !sentence.trim().is_empty() {
                        out.push((id.clone(), Span { start: at, end: at + len }));
                    }
                    at += len;
                }
            }
            out
        }
    }
}

/// Pattern counts of a [`CodedUnits`], from [`CodedUnits::tallies`].
#[derive(Clone, Debug)]
pub struct Tallies {
    coders: usize,
    /// For each code, units by the pattern of coders who applied it.
    pub per_code: Vec<BTreeMap<u64, usize>>,
}

impl Tallies {
    /// Reliability data for one code, or all codes pooled (each unit and code a unit).
    pub fn ratings(&self, code: Option<usize>) -> Result<Ratings, RatingsError> {
        let mut pooled: BTreeMap<u64, usize> = BTreeMap::new();
        let patterns = match code {
            Some(k) => &self.per_code[k],
            None => {
                for p in &self.per_code {
                    for (&mask, &n) in p {
                        *pooled.entry(mask).or_default() += n;
                    }
                }
                &pooled
            }
        };
        let patterns: Vec<(Vec<bool>, usize)> =
            patterns.iter().map(|(&mask, &n)| ((0..self.coders).map(|c| mask >> c & 1 == 1).collect(), n)).collect();
        Ratings::from_patterns(self.coders, &patterns)
    }

    /// Units coder `c` applied code `k` to.
    pub fn applied(&self, k: usize, c: usize) -> usize {
        self.per_code[k].iter().filter(|(&mask, _)| mask >> c & 1 == 1).map(|(_, &n)| n).sum()
    }
}

impl CodedUnits {
    /// Reliability data for one code (1 applied, 0 not), or for all codes pooled (each unit and
    /// code a unit of the data) when `code` is `None`.
    pub fn ratings(&self, code: Option<usize>) -> Result<Ratings, RatingsError> {
        // Distinct patterns of the coders' 0/1 and how many units have each.
        let mut patterns: BTreeMap<u64, usize> = BTreeMap::new();
        for unit in &self.applied {
            match code {
                Some(k) => *patterns.entry(unit[k]).or_default() += 1,
                None => {
                    for &mask in unit {
                        *patterns.entry(mask).or_default() += 1;
                    }
                }
            }
        }
        let coders = self.coders.len();
        let patterns: Vec<(Vec<bool>, usize)> =
            patterns.into_iter().map(|(mask, n)| ((0..coders).map(|c| mask >> c & 1 == 1).collect(), n)).collect();
        Ratings::from_patterns(coders, &patterns)
    }

    /// In one pass over the units: for each code, how many units have each pattern of coders
    /// who applied it (bit `c` for coder `c`; units where nobody applied it under pattern 0).
    pub fn tallies(&self) -> Tallies {
        let k = self.codes.len();
        let mut per_code: Vec<BTreeMap<u64, usize>> = vec![BTreeMap::new(); k];
        for unit in &self.applied {
            for (code, &mask) in unit.iter().enumerate() {
                if mask != 0 {
                    *per_code[code].entry(mask).or_default() += 1;
                }
            }
        }
        let units = self.applied.len();
        for patterns in &mut per_code {
            let coded: usize = patterns.values().sum();
            if units > coded {
                patterns.insert(0, units - coded);
            }
        }
        Tallies { coders: self.coders.len(), per_code }
    }

    /// Whether coder `c` applied code `k` in unit `u`.
    pub fn has(&self, u: usize, k: usize, c: usize) -> bool {
        self.applied[u][k] >> c & 1 == 1
    }

    /// The same units with codes rolled up into `groups` (id, indexes of member codes): a coder
    /// applied a group where they applied any of its members.
    pub fn rolled_up(&self, groups: &[(String, Vec<usize>)]) -> CodedUnits {
        let applied = self
            .applied
            .iter()
            .map(|unit| groups.iter().map(|(_, members)| members.iter().fold(0, |mask, &k| mask | unit[k])).collect())
            .collect();
        CodedUnits { codes: groups.iter().map(|(id, _)| id.clone()).collect(), applied, ..self.clone() }
    }

    /// Units and codes where the coders differ.
    pub fn disagreements(&self) -> Vec<Disagreement> {
        let mut out = Vec::new();
        for (u, unit) in self.units.iter().enumerate() {
            for (k, code) in self.codes.iter().enumerate() {
                let mask = self.applied[u][k];
                let all = (1u64 << self.coders.len()) - 1;
                if mask != 0 && mask != all {
                    let pick = |want: bool| {
                        self.coders
                            .iter()
                            .enumerate()
                            .filter(|(c, _)| (mask >> c & 1 == 1) == want)
                            .map(|(_, name)| name.clone())
                            .collect()
                    };
                    out.push(Disagreement {
                        turn: unit.turn.clone(),
                        span: unit.span,
                        code: code.clone(),
                        applied_by: pick(true),
                        not_by: pick(false),
                    });
                }
            }
        }
        out
    }
}

/// The codings of the shared documents as a unitizing study: the documents one after the other
/// on one continuum of code points, codes as categories; one coder's overlapping or touching
/// codings of one code are joined first.
pub fn unitizing_study(documents: &[Document], codings: &[Coding], coded: &CodedUnits) -> unitizing::Study {
    let mut offset = 0u64;
    let mut units = Vec::new();
    for id in &coded.documents {
        let Some(document) = documents.iter().find(|d| &d.meta.id == id) else { continue };
        let length = document.text.chars().count() as u64;
        for (c, coder) in coded.coders.iter().enumerate() {
            let mut by_code: BTreeMap<&str, Vec<(u64, u64)>> = BTreeMap::new();
            for coding in codings.iter().filter(|x| &x.document == id && &x.coder == coder && !x.unplaced) {
                by_code.entry(coding.code.as_str()).or_default().push((coding.start as u64, coding.end as u64));
            }
            for (code, mut spans) in by_code {
                spans.sort_unstable();
                let mut joined: Vec<(u64, u64)> = Vec::new();
                for (s, e) in spans {
                    match joined.last_mut() {
                        Some(last) if s <= last.1 => last.1 = last.1.max(e),
                        _ => joined.push((s, e)),
                    }
                }
                for (s, e) in joined {
                    units.push(Unit { begin: offset + s, length: e - s, coder: c, category: code.to_owned() });
                }
            }
        }
        offset += length;
    }
    unitizing::Study { begin: 0, length: offset.max(1), coders: coded.coders.len(), units }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::{krippendorff_alpha, Level};

    /// The one-pass tallies give the same reliability data as reading the units code by code.
    #[test]
    fn tallies_match_the_units() {
        // Three coders, two codes, six units.
        let applied = vec![
            vec![0b111, 0],
            vec![0b011, 0b100],
            vec![0, 0],
            vec![0b001, 0b111],
            vec![0b111, 0b110],
            vec![0, 0b001],
        ];
        let units = CodedUnits {
            coders: vec!["a".into(), "b".into(), "c".into()],
            documents: Vec::new(),
            codes: vec!["x".into(), "y".into()],
            units: Vec::new(),
            applied,
        };
        let tallies = units.tallies();
        for code in [Some(0), Some(1), None] {
            let slow = units.ratings(code).unwrap();
            let fast = tallies.ratings(code).unwrap();
            assert_eq!(slow.units(), fast.units(), "{code:?}");
            let (a, b) = (
                krippendorff_alpha(&slow, Level::Nominal).unwrap(),
                krippendorff_alpha(&fast, Level::Nominal).unwrap(),
            );
            assert_eq!(a.map_err(|e| e.0), b.map_err(|e| e.0), "{code:?}");
        }
        assert_eq!(tallies.ratings(None).unwrap().units(), 12);
        // Coder a applied x in units 1, 2, 4, 5; coder c applied y in units 2, 4, 5.
        assert_eq!(tallies.applied(0, 0), 4);
        assert_eq!(tallies.applied(1, 2), 3);
        assert_eq!(tallies.applied(1, 0), 2);
    }
}
