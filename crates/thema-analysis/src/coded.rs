//! A study's codings as reliability data: for each unit (a turn or a sentence of a document
//! every compared coder has coded) and each code, whether each coder applied the code there; and
//! as a unitizing study (codes as categories on the code points of the documents, one after the
//! other).

use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// Coders' codes on shared units, sparse: for each unit, only the codes some coder applied
/// there, with the coders who did; every other unit and code is a unit nobody applied the code
/// to (pattern 0), counted, not stored. (Stored densely, 2M turns × 144 codes × 8 bytes would
/// take 2.3 GB.)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodedUnits {
    /// The coders compared, in order.
    pub coders: Vec<String>,
    /// Documents every coder coded (has at least one coding in).
    pub documents: Vec<String>,
    /// Each of `documents`' length in code points.
    pub lengths: Vec<usize>,
    /// Codes any of them applied there.
    pub codes: Vec<String>,
    /// The units, compactly (see [`CodedUnits::unit`]).
    places: Vec<Place>,
    /// Unit `u`'s marks are `marks[starts[u]..starts[u + 1]]`.
    starts: Vec<usize>,
    /// `(code, coders)`: the coders (bit `c` for coder `c`, at most 64) who applied the code in
    /// the unit, never 0; in increasing order of code within a unit.
    marks: Vec<(u32, u64)>,
}

/// Where a unit is: its document (an index of `documents`), its turn's number (none where the
/// document has no turns and is one unit) and its code points; 32 bytes where a [`UnitRef`]
/// takes some 130 with its two strings (2M turns: 64 MB, not 260).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    document: u32,
    turn: Option<u32>,
    span: Span,
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
    let ids: Vec<&str> = documents.iter().map(|d| d.meta.id.as_str()).collect();
    let by_id: HashMap<&str, &Document> = documents.iter().map(|d| (d.meta.id.as_str(), d)).collect();
    let found = coded_units_loading(&ids, codings, coders, kind, |id| {
        let document = by_id[id];
        Ok::<_, std::convert::Infallible>((std::borrow::Cow::Borrowed(document), document.text.chars().count()))
    });
    match found {
        Ok(units) => units,
        Err(never) => match never {},
    }
}

/// [`coded_units`] over the documents `ids` (in that order), loading with `load` only those
/// every coder coded, one at a time: a study's texts need not all be in memory at once. `load`
/// gives a document and the length of its text in code points; when the units are turns, the
/// text itself is not read, and the document may come without it.
pub fn coded_units_loading<'d, E>(
    ids: &[&str],
    codings: &[Coding],
    coders: &[String],
    kind: UnitKind,
    mut load: impl FnMut(&str) -> Result<(std::borrow::Cow<'d, Document>, usize), E>,
) -> Result<CodedUnits, E> {
    let coders = &coders[..coders.len().min(64)];
    let mut by_document: HashMap<&str, Vec<&Coding>> = HashMap::new();
    for c in codings.iter().filter(|c| !c.unplaced && coders.contains(&c.coder)) {
        by_document.entry(c.document.as_str()).or_default().push(c);
    }
    let mut out = CodedUnits {
        coders: coders.to_vec(),
        documents: Vec::new(),
        lengths: Vec::new(),
        codes: Vec::new(),
        places: Vec::new(),
        starts: vec![0],
        marks: Vec::new(),
    };
    let shared: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|id| {
            let here = by_document.get(id);
            coders.iter().all(|coder| here.is_some_and(|cs| cs.iter().any(|c| &c.coder == coder)))
        })
        .collect();
    let codes: BTreeSet<&str> = shared.iter().flat_map(|d| by_document[d].iter().map(|c| c.code.as_str())).collect();
    out.codes = codes.iter().map(|c| (*c).to_owned()).collect();
    let code_index: HashMap<&str, u32> = out.codes.iter().enumerate().map(|(i, c)| (c.as_str(), i as u32)).collect();
    // One document's marks as (unit, code, coder bit), sorted and merged per unit and code.
    let mut marks: Vec<(usize, u32, u64)> = Vec::new();
    for id in shared {
        let (document, length) = load(id)?;
        out.documents.push(document.meta.id.clone());
        out.lengths.push(length);
        let units = units_of(&document, length, kind);
        drop(document);
        // Each coding marks the units it overlaps (units are in text order and do not overlap).
        marks.clear();
        for c in &by_document[id] {
            let (Some(&k), Some(coder)) = (code_index.get(c.code.as_str()), coders.iter().position(|x| x == &c.coder))
            else {
                continue;
            };
            let mut u = units.partition_point(|(_, span)| span.end <= c.start);
            while u < units.len() && units[u].1.start < c.end {
                marks.push((u, k, 1 << coder));
                u += 1;
            }
        }
        marks.sort_unstable_by_key(|&(u, k, _)| (u, k));
        let mut next = marks.iter().peekable();
        let index = (out.documents.len() - 1) as u32;
        for (u, (turn, span)) in units.into_iter().enumerate() {
            let first = out.marks.len();
            while let Some(&(_, k, bit)) = next.next_if(|m| m.0 == u) {
                match out.marks[first..].last_mut() {
                    Some(last) if last.0 == k => last.1 |= bit,
                    _ => out.marks.push((k, bit)),
                }
            }
            out.starts.push(out.marks.len());
            out.places.push(Place { document: index, turn, span });
        }
    }
    Ok(out)
}

/// The units of one document of `length` code points: each its turn's number (`None` for a
/// document without turns) and its code points. Only sentences need the text.
fn units_of(document: &Document, length: usize, kind: UnitKind) -> Vec<(Option<u32>, Span)> {
    let turns: Vec<(Option<u32>, Span)> = if document.turns.is_empty() {
        vec![(None, Span { start: 0, end: length })]
    } else {
        document.turns.iter().map(|t| (Some(t.number), t.span)).collect()
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
                        out.push((id, Span { start: at, end: at + len }));
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
    /// Units with the dense table `applied[u][k]` (the coders who applied code `k` in unit `u`,
    /// bit `c` for coder `c`), for tests and small data.
    pub fn from_dense(
        coders: Vec<String>,
        codes: Vec<String>,
        documents: Vec<String>,
        units: &[(usize, Option<u32>, Span)],
        applied: &[Vec<u64>],
    ) -> CodedUnits {
        let mut out = CodedUnits {
            coders,
            lengths: vec![0; documents.len()],
            documents,
            codes,
            places: units.iter().map(|&(d, turn, span)| Place { document: d as u32, turn, span }).collect(),
            starts: vec![0],
            marks: Vec::new(),
        };
        for row in applied {
            out.marks.extend(row.iter().enumerate().filter(|(_, &m)| m != 0).map(|(k, &m)| (k as u32, m)));
            out.starts.push(out.marks.len());
        }
        out
    }

    /// How many units there are in the table (the rows of `applied`).
    fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    /// How many units there are.
    pub fn unit_count(&self) -> usize {
        self.places.len()
    }

    /// Unit `u`: its document, turn id (the document's id for a document without turns) and
    /// code points.
    pub fn unit(&self, u: usize) -> UnitRef {
        let place = self.places[u];
        let document = self.documents[place.document as usize].clone();
        let turn = match place.turn {
            Some(number) => thema_core::TurnId { document: document.clone(), number }.to_string(),
            None => document.clone(),
        };
        UnitRef { document, turn, span: place.span }
    }

    /// The codes some coder applied in unit `u`, each with the coders who did (bit `c` for
    /// coder `c`), in increasing order of code.
    pub fn marks(&self, u: usize) -> &[(u32, u64)] {
        &self.marks[self.starts[u]..self.starts[u + 1]]
    }

    /// Reliability data for one code (1 applied, 0 not), or for all codes pooled (each unit and
    /// code a unit of the data) when `code` is `None`.
    pub fn ratings(&self, code: Option<usize>) -> Result<Ratings, RatingsError> {
        // Distinct patterns of the coders' 0/1 and how many units have each; the units and codes
        // without a mark have pattern 0.
        let mut patterns: BTreeMap<u64, usize> = BTreeMap::new();
        let mut marked = 0;
        for &(k, mask) in &self.marks {
            if code.is_none_or(|c| c == k as usize) {
                *patterns.entry(mask).or_default() += 1;
                marked += 1;
            }
        }
        let cells = if code.is_some() { self.rows() } else { self.rows() * self.codes.len() };
        if cells > marked {
            *patterns.entry(0).or_default() += cells - marked;
        }
        let coders = self.coders.len();
        let patterns: Vec<(Vec<bool>, usize)> =
            patterns.into_iter().map(|(mask, n)| ((0..coders).map(|c| mask >> c & 1 == 1).collect(), n)).collect();
        Ratings::from_patterns(coders, &patterns)
    }

    /// In one pass over the marks: for each code, how many units have each pattern of coders
    /// who applied it (bit `c` for coder `c`; units where nobody applied it under pattern 0).
    pub fn tallies(&self) -> Tallies {
        let k = self.codes.len();
        let mut per_code: Vec<BTreeMap<u64, usize>> = vec![BTreeMap::new(); k];
        for &(code, mask) in &self.marks {
            *per_code[code as usize].entry(mask).or_default() += 1;
        }
        let units = self.rows();
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
        let marks = self.marks(u);
        marks.binary_search_by_key(&k, |&(code, _)| code as usize).is_ok_and(|i| marks[i].1 >> c & 1 == 1)
    }

    /// The same units with codes rolled up into `groups` (id, indexes of member codes): a coder
    /// applied a group where they applied any of its members.
    pub fn rolled_up(&self, groups: &[(String, Vec<usize>)]) -> CodedUnits {
        // The groups each code belongs to.
        let mut member_of: Vec<Vec<u32>> = vec![Vec::new(); self.codes.len()];
        for (g, (_, members)) in groups.iter().enumerate() {
            for &k in members {
                if let Some(of) = member_of.get_mut(k) {
                    of.push(g as u32);
                }
            }
        }
        let mut masks = vec![0u64; groups.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut starts = vec![0];
        let mut marks = Vec::new();
        for u in 0..self.rows() {
            for &(k, mask) in self.marks(u) {
                for &g in &member_of[k as usize] {
                    if masks[g as usize] == 0 {
                        touched.push(g);
                    }
                    masks[g as usize] |= mask;
                }
            }
            touched.sort_unstable();
            for &g in &touched {
                marks.push((g, std::mem::take(&mut masks[g as usize])));
            }
            touched.clear();
            starts.push(marks.len());
        }
        CodedUnits { codes: groups.iter().map(|(id, _)| id.clone()).collect(), starts, marks, ..self.clone() }
    }

    /// How many units and codes the coders differ on: [`CodedUnits::disagreements`]' length.
    pub fn disagreement_count(&self) -> usize {
        let all = all_coders(self.coders.len());
        self.marks.iter().filter(|&&(_, mask)| mask != all).count()
    }

    /// Units and codes where the coders differ, the first `limit`.
    pub fn disagreements_up_to(&self, limit: usize) -> Vec<Disagreement> {
        let all = all_coders(self.coders.len());
        let mut out = Vec::new();
        for u in 0..self.places.len() {
            for &(k, mask) in self.marks(u) {
                if out.len() == limit {
                    return out;
                }
                if mask != all {
                    let unit = self.unit(u);
                    let pick = |want: bool| coders_where(&self.coders, mask, want);
                    out.push(Disagreement {
                        turn: unit.turn,
                        span: unit.span,
                        code: self.codes[k as usize].clone(),
                        applied_by: pick(true),
                        not_by: pick(false),
                    });
                }
            }
        }
        out
    }

    /// Units and codes where the coders differ.
    pub fn disagreements(&self) -> Vec<Disagreement> {
        self.disagreements_up_to(usize::MAX)
    }
}

/// The mask of every one of `coders` coders.
fn all_coders(coders: usize) -> u64 {
    if coders >= 64 {
        u64::MAX
    } else {
        (1u64 << coders) - 1
    }
}

/// The codings of the shared documents as a unitizing study: the documents one after the other
/// on one continuum of code points, codes as categories; one coder's overlapping or touching
/// codings of one code are joined first.
pub fn unitizing_study(codings: &[Coding], coded: &CodedUnits) -> unitizing::Study {
    let mut by_document: HashMap<&str, Vec<&Coding>> = HashMap::new();
    for coding in codings.iter().filter(|x| !x.unplaced) {
        by_document.entry(coding.document.as_str()).or_default().push(coding);
    }
    let mut offset = 0u64;
    let mut units = Vec::new();
    for (id, &length) in coded.documents.iter().zip(&coded.lengths) {
        let here = by_document.get(id.as_str()).map_or(&[][..], Vec::as_slice);
        for (c, coder) in coded.coders.iter().enumerate() {
            let mut by_code: BTreeMap<&str, Vec<(u64, u64)>> = BTreeMap::new();
            for coding in here.iter().filter(|x| &x.coder == coder) {
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
        offset += length as u64;
    }
    unitizing::Study { begin: 0, length: offset.max(1), coders: coded.coders.len(), units }
}

/// The coders whose bit in `mask` is `applied` (set for those who applied a code, clear for
/// those who did not).
fn coders_where(coders: &[String], mask: u64, applied: bool) -> Vec<String> {
    coders.iter().enumerate().filter(|(c, _)| (mask >> c & 1 == 1) == applied).map(|(_, name)| name.clone()).collect()
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
        let units = CodedUnits::from_dense(
            vec!["a".into(), "b".into(), "c".into()],
            vec!["x".into(), "y".into()],
            Vec::new(),
            &[],
            &applied,
        );
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

    /// The dense table the sparse marks stand for, built as `coded_units` did before it was
    /// sparse: `applied[u][k]` the coders who applied code `k` in unit `u`.
    fn dense(
        documents: &[Document],
        codings: &[Coding],
        coders: &[String],
        kind: UnitKind,
    ) -> (Vec<Vec<u64>>, Vec<UnitRef>) {
        let shared = coded_units(documents, codings, coders, kind);
        let mut applied = Vec::new();
        let mut refs = Vec::new();
        for id in &shared.documents {
            let document = documents.iter().find(|d| &d.meta.id == id).unwrap();
            let units = units_of(document, document.text.chars().count(), kind);
            refs.extend(units.iter().map(|&(turn, span)| UnitRef {
                document: id.clone(),
                turn: turn.map_or_else(|| id.clone(), |n| document.turn_id(n)),
                span,
            }));
            let first = applied.len();
            applied.extend(std::iter::repeat_n(vec![0u64; shared.codes.len()], units.len()));
            for c in codings.iter().filter(|c| &c.document == id && !c.unplaced) {
                let (Some(k), Some(coder)) =
                    (shared.codes.iter().position(|x| x == &c.code), coders.iter().position(|x| x == &c.coder))
                else {
                    continue;
                };
                for (u, (_, span)) in units.iter().enumerate() {
                    if span.start < c.end && c.start < span.end {
                        applied[first + u][k] |= 1 << coder;
                    }
                }
            }
        }
        (applied, refs)
    }

    /// The old dense computations on `applied`: the tallies, the reliability data of each
    /// code and of all codes pooled, the disagreements.
    struct Dense<'a> {
        coders: &'a [String],
        codes: &'a [String],
        units: &'a [UnitRef],
        applied: &'a [Vec<u64>],
    }

    impl Dense<'_> {
        fn per_code(&self) -> Vec<BTreeMap<u64, usize>> {
            let mut per_code: Vec<BTreeMap<u64, usize>> = vec![BTreeMap::new(); self.codes.len()];
            for unit in self.applied {
                for (code, &mask) in unit.iter().enumerate() {
                    *per_code[code].entry(mask).or_default() += 1;
                }
            }
            per_code
        }

        fn ratings(&self, code: Option<usize>) -> Result<Ratings, RatingsError> {
            let mut patterns: BTreeMap<u64, usize> = BTreeMap::new();
            for unit in self.applied {
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

        fn disagreements(&self) -> Vec<Disagreement> {
            let mut out = Vec::new();
            for (u, unit) in self.units.iter().enumerate() {
                for (k, code) in self.codes.iter().enumerate() {
                    let mask = self.applied[u][k];
                    let all = (1u64 << self.coders.len()) - 1;
                    if mask != 0 && mask != all {
                        let pick = |want: bool| super::coders_where(self.coders, mask, want);
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

    /// Everything computed from reliability data, as comparable values.
    fn statistics(ratings: Result<Ratings, RatingsError>) -> Vec<String> {
        match ratings {
            Ok(r) => vec![
                format!("{r:?}"),
                format!("{:?}", krippendorff_alpha(&r, Level::Nominal).unwrap()),
                format!("{:?}", crate::agreement::alpha_bootstrap(&r, Level::Nominal, 200, 7, 0.95).unwrap()),
                format!("{:?}", crate::agreement::gwet(&r, crate::agreement::Weights::Identity)),
            ],
            Err(e) => vec![e.to_string()],
        }
    }

    /// The sparse units' figures.
    fn summary(units: &CodedUnits) -> Vec<String> {
        // The tallies with pattern 0 counted even where it is 0, as the dense table counts it.
        let mut per_code = units.tallies().per_code;
        for p in &mut per_code {
            p.entry(0).or_default();
        }
        let disagreements = units.disagreements();
        assert_eq!(disagreements.len(), units.disagreement_count());
        assert_eq!(units.disagreements_up_to(2), disagreements.iter().take(2).cloned().collect::<Vec<_>>());
        let mut out = vec![format!("{per_code:?}"), format!("{disagreements:?}")];
        for code in std::iter::once(None).chain((0..units.codes.len()).map(Some)) {
            out.extend(statistics(units.ratings(code)));
            out.extend(statistics(units.tallies().ratings(code)));
        }
        out
    }

    /// The dense table's figures, in the same order as [`summary`].
    fn dense_summary(dense: &Dense) -> Vec<String> {
        let mut per_code = dense.per_code();
        for p in &mut per_code {
            p.entry(0).or_default();
        }
        let mut out = vec![format!("{per_code:?}"), format!("{:?}", dense.disagreements())];
        for code in std::iter::once(None).chain((0..dense.codes.len()).map(Some)) {
            out.extend(statistics(dense.ratings(code)));
            out.extend(statistics(dense.ratings(code)));
        }
        out
    }

    /// The sparse units give exactly what the dense table gives, on seeded random studies: the
    /// tallies, every statistic (alpha's bootstrap too), the disagreements, rolled-up codes.
    #[test]
    fn sparse_units_match_the_dense_table() {
        use thema_core::{DocumentMeta, Turn};
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut below = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for round in 0..40 {
            let (docs, turns, codes) = (1 + below(4), 1 + below(12), 1 + below(6));
            let coders: Vec<String> = (0..2 + below(3)).map(|c| format!("coder{c}")).collect();
            let documents: Vec<Document> = (0..docs)
                .map(|d| {
                    let text = "Yes. I think so! Maybe not.\n".repeat(turns);
                    let turns = (0..turns)
                        .map(|t| Turn {
                            number: t as u32 + 1,
                            speaker: None,
                            span: Span { start: t * 28, end: t * 28 + 27 },
                            time_start: None,
                            time_end: None,
                        })
                        .collect();
                    Document { meta: DocumentMeta::new(&format!("d{d}"), "interview"), text, turns }
                })
                .collect();
            let mut documents = documents;
            for d in &mut documents {
                // Some documents without turns: each is one unit.
                if below(4) == 0 {
                    d.turns.clear();
                }
            }
            let mut codings = Vec::new();
            for _ in 0..below(60) {
                let d = below(docs);
                let start = below(turns * 28);
                let end = (start + 1 + below(40)).min(turns * 28);
                codings.push(Coding {
                    document: format!("d{d}"),
                    start,
                    end,
                    quote: String::new(),
                    before: String::new(),
                    after: String::new(),
                    code: format!("k{}", below(codes)),
                    coder: coders[below(coders.len())].clone(),
                    time: String::new(),
                    memo: String::new(),
                    unplaced: below(10) == 0,
                    exemplar: false,
                });
            }
            for kind in [UnitKind::Turn, UnitKind::Sentence] {
                let sparse = coded_units(&documents, &codings, &coders, kind);
                let (applied, refs) = dense(&documents, &codings, &coders, kind);
                assert_eq!(applied.len(), sparse.unit_count(), "round {round}");
                assert_eq!((0..sparse.unit_count()).map(|u| sparse.unit(u)).collect::<Vec<_>>(), refs);
                let dense = Dense { coders: &coders, codes: &sparse.codes, units: &refs, applied: &applied };
                assert_eq!(summary(&sparse), dense_summary(&dense), "round {round} {kind:?}");
                for (u, row) in applied.iter().enumerate() {
                    for (k, &mask) in row.iter().enumerate() {
                        for c in 0..coders.len() {
                            assert_eq!(sparse.has(u, k, c), mask >> c & 1 == 1);
                        }
                    }
                }
                // Rolling up: the OR of the members' masks, group by group.
                let groups: Vec<(String, Vec<usize>)> = (0..1 + below(3))
                    .map(|g| (format!("g{g}"), (0..sparse.codes.len()).filter(|_| below(2) == 0).collect()))
                    .collect();
                let rolled: Vec<Vec<u64>> = applied
                    .iter()
                    .map(|row| groups.iter().map(|(_, m)| m.iter().fold(0, |a, &k| a | row[k])).collect())
                    .collect();
                let names: Vec<String> = groups.iter().map(|(g, _)| g.clone()).collect();
                let dense = Dense { coders: &coders, codes: &names, units: &refs, applied: &rolled };
                assert_eq!(summary(&sparse.rolled_up(&groups)), dense_summary(&dense), "round {round} {kind:?}");
            }
        }
    }
}
