//! Co-occurrence on a study: the codings of a coder set, each coder's on their own, over the
//! units of a proximity rule ([`crate::cooccur`]), pooled or a table per document; and the
//! matrix of one coefficient a heatmap draws.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use thema_core::coders::CoderSet;
use thema_core::filter::Where;
use thema_core::placements::Placements;
use thema_core::{Codebook, DocumentMeta, EntryKind, Study};

use crate::choice::choices;
use crate::cooccur::{self, Layout, Pair, Segment, Within};
use crate::error::AnalysisError;

choices! {
    /// A coefficient of co-occurrence, to sort pairs by and to draw.
    pub enum Coefficient {
        /// ATLAS.ti's c-coefficient `n12 / (n1 + n2 − n12)`.
        C = "c",
        /// Dice `2 n12 / (n1 + n2)`.
        Dice = "dice",
        /// Ochiai `n12 / √(n1 n2)`.
        Ochiai = "ochiai",
        /// The phi coefficient of the 2 × 2 table.
        Phi = "phi",
        /// Lift `N n12 / (n1 n2)`.
        Lift = "lift",
        /// Pointwise mutual information `log₂ lift`.
        Pmi = "pmi",
    }
}

impl Coefficient {
    /// The coefficient of a pair (phi has none where a code is in every unit or none).
    pub fn of(self, p: &Pair) -> Option<f64> {
        match self {
            Coefficient::C => Some(p.c),
            Coefficient::Dice => Some(p.dice),
            Coefficient::Ochiai => Some(p.ochiai),
            Coefficient::Phi => p.phi,
            Coefficient::Lift => Some(p.lift),
            Coefficient::Pmi => Some(p.pmi),
        }
    }

    /// True for the coefficients that lie between 0 and 1 (c, Dice, Ochiai); phi, lift and PMI
    /// are drawn over the range they take, with 0 and 1 inside it.
    pub fn is_share(self) -> bool {
        matches!(self, Coefficient::C | Coefficient::Dice | Coefficient::Ochiai)
    }
}

/// The entry kind `name` names (`theme`, `sub-theme`, `category`, `code`), or why not.
pub fn entry_kind(name: &str) -> Result<EntryKind, AnalysisError> {
    EntryKind::from_name(name).ok_or_else(|| AnalysisError::UnknownKind(name.to_owned()))
}

/// What co-occurrence counts.
#[derive(Clone, Debug, PartialEq)]
pub struct CooccurOptions {
    /// When two codes co-occur.
    pub within: Within,
    /// Count each code as its nearest ancestor of this kind ([`Codebook::rolled_up`]); a code
    /// with no ancestor of the kind is left out, as in a matrix of that kind.
    pub roll_up: Option<EntryKind>,
    /// Only these codes, each with everything under it (ids or names); none: every code.
    pub codes: Vec<String>,
    /// Only turns whose speaker or document meets every condition.
    pub conditions: Vec<Where>,
    /// One report a document instead of one pooled.
    pub per_document: bool,
    /// The coefficient pairs are sorted by.
    pub coefficient: Coefficient,
    /// Only pairs that co-occur in at least this many units.
    pub min: usize,
}

impl Default for CooccurOptions {
    /// Within a turn, every code, every turn, pooled, sorted by c, every pair.
    fn default() -> Self {
        CooccurOptions {
            within: Within::Turn,
            roll_up: None,
            codes: Vec::new(),
            conditions: Vec::new(),
            per_document: false,
            coefficient: Coefficient::C,
            min: 1,
        }
    }
}

/// Co-occurrence in one group of documents (all pooled, or one).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CooccurReport {
    /// The document, when a report is one document's.
    pub document: Option<String>,
    /// The units counted.
    pub units: usize,
    /// Units each code is present in.
    pub counts: BTreeMap<String, usize>,
    /// The pairs that co-occur, by the coefficient, highest first.
    pub pairs: Vec<Pair>,
}

/// Co-occurrence as the options ask: the codes compared and a report per group.
#[derive(Clone, Debug)]
pub struct Cooccurrence {
    /// The study's codebook, for names.
    pub codebook: Codebook,
    /// The codes compared (rolled up), sorted.
    pub codes: Vec<String>,
    /// One report pooled, or one a document.
    pub reports: Vec<CooccurReport>,
}

/// True when the speaker `label` of a turn of `meta` meets `conditions`.
fn speaks(study: &Study, conditions: &[Where], meta: &DocumentMeta, label: Option<&str>) -> bool {
    if conditions.is_empty() {
        return true;
    }
    let speaker = label.and_then(|l| meta.speakers.iter().find(|s| s.label == l));
    let interviewer = speaker.is_some_and(|s| s.interviewer);
    let person = speaker.and_then(|s| s.participant.as_deref()).and_then(|p| study.participants.get(p));
    conditions.iter().all(|c| c.holds(meta, person, interviewer))
}

/// Co-occurrence on the codings of `set`, each coder's on their own: two codes co-occur in a
/// unit only when one coder applied both there (see [`crate::cooccur`]).
pub fn cooccurrence(study: &Study, set: &CoderSet, options: &CooccurOptions) -> Result<Cooccurrence, AnalysisError> {
    cooccurrence_with(study, study.load_codebook()?, set, options)
}

/// [`cooccurrence`] with the study's codebook already read.
pub fn cooccurrence_with(
    study: &Study,
    codebook: Codebook,
    set: &CoderSet,
    options: &CooccurOptions,
) -> Result<Cooccurrence, AnalysisError> {
    let mut wanted: Option<BTreeSet<String>> = None;
    for c in &options.codes {
        let entry = codebook.resolve(c).map_err(AnalysisError::UnknownCode)?;
        let set = wanted.get_or_insert_with(BTreeSet::new);
        set.insert(entry.id.clone());
        set.extend(codebook.descendants(&entry.id));
    }
    let conditions = &options.conditions;
    // The documents' turns and lengths, not their texts; a block of documents' turns at a time.
    let mut layouts: Vec<Layout> = Vec::with_capacity(study.documents().len());
    let lengths = study.document_lengths()?;
    let mut reader = thema_core::turncache::TurnReader::new(study);
    for (metas, lengths) in study.documents().chunks(Study::TURNS_BLOCK).zip(lengths.chunks(Study::TURNS_BLOCK)) {
        let ids: Vec<&str> = metas.iter().map(|m| m.id.as_str()).collect();
        for ((meta, &length), turns) in metas.iter().zip(lengths).zip(reader.turns_of(&ids)?) {
            let turns = if turns.is_empty() {
                vec![(0, length)]
            } else {
                turns
                    .iter()
                    .filter(|t| speaks(study, conditions, meta, t.speaker.as_deref()))
                    .map(|t| (t.span.start, t.span.end))
                    .collect()
            };
            layouts.push(Layout { document: meta.id.clone(), length, turns });
        }
    }
    let by_id: BTreeMap<&str, &Layout> = layouts.iter().map(|l| (l.document.as_str(), l)).collect();
    // The codings without their words, each string once; a segment borrows them.
    let placements: Vec<Placements> = set.coders.iter().map(|c| study.coder_placements(c)).collect::<Result<_, _>>()?;
    // Each code as it is counted (rolled up), once a code.
    let mut counted: HashMap<&str, Option<String>> = HashMap::new();
    for p in &placements {
        for r in &p.records {
            let code = p.str(r.code);
            if !counted.contains_key(code) {
                let as_counted = match options.roll_up {
                    None => Some(code.to_owned()),
                    Some(kind) => crate::matrix::rolled(&codebook, code, kind),
                };
                counted.insert(code, as_counted);
            }
        }
    }
    let mut segments: Vec<Segment> = Vec::with_capacity(placements.iter().map(|p| p.records.len()).sum());
    for p in &placements {
        segments.extend(coder_segments(p, &wanted, conditions, &by_id, &counted));
    }
    let mut codes: BTreeSet<&str> = BTreeSet::new();
    for s in &segments {
        codes.insert(s.code);
    }
    let codes: Vec<String> = codes.into_iter().map(str::to_owned).collect();
    if codes.len() < 2 {
        return Err(AnalysisError::TooFewCodes { found: codes.len(), rolled_up: options.roll_up });
    }
    let by_document = cooccur::by_document(&segments);
    let coefficient = |p: &Pair| options.coefficient.of(p);
    let mut reports = Vec::new();
    // The units of a document are counted as they are made, and dropped.
    let groups: Vec<(Option<String>, &[Layout])> = if options.per_document {
        layouts.iter().map(|l| (Some(l.document.clone()), std::slice::from_ref(l))).collect()
    } else {
        vec![(None, &layouts[..])]
    };
    let mut tally = cooccur::Tally::new(&codes);
    for (document, layouts) in groups {
        for layout in layouts {
            let here = by_document.get(layout.document.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            for unit in cooccur::units_of(layout, here, options.within) {
                tally.add(&unit);
            }
        }
        let units = tally.units();
        let (counts, mut pairs) = tally.take();
        // A code and an entry above it (an in-vivo code and its sub-theme) co-occur wherever the
        // two are applied together by design: such pairs say nothing and are left out.
        pairs.retain(|p| p.n12 >= options.min && !codebook.is_nested(&p.a, &p.b));
        pairs.sort_by(|a, b| {
            coefficient(b)
                .unwrap_or(f64::MIN)
                .total_cmp(&coefficient(a).unwrap_or(f64::MIN))
                .then(a.a.cmp(&b.a))
                .then(a.b.cmp(&b.b))
        });
        reports.push(CooccurReport { document, units, counts, pairs });
    }
    Ok(Cooccurrence { codebook, codes, reports })
}

/// The segments of one coder's codings that [`cooccurrence`] compares: placed, of the wanted
/// codes, in a turn of the wanted speakers; each code as `counted` counts it (left out for `None`).
fn coder_segments<'s>(
    placements: &'s Placements,
    wanted: &'s Option<BTreeSet<String>>,
    conditions: &'s [Where],
    by_id: &'s BTreeMap<&str, &Layout>,
    counted: &'s HashMap<&str, Option<String>>,
) -> impl Iterator<Item = Segment<'s>> + 's {
    placements.records.iter().filter_map(move |r| {
        let (document, code) = (placements.str(r.document), placements.str(r.code));
        if r.unplaced || wanted.as_ref().is_some_and(|w| !w.contains(code)) {
            return None;
        }
        if !conditions.is_empty()
            && !by_id.get(document).is_some_and(|l| l.turns.iter().any(|&(a, b)| r.start < b && a < r.end))
        {
            return None;
        }
        let code = counted.get(code)?.as_deref()?;
        Some(Segment { document, start: r.start, end: r.end, code, coder: placements.str(r.coder) })
    })
}

/// One coefficient of every pair of codes, as a heatmap draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// The codes' names, in the order of the rows and columns.
    pub labels: Vec<String>,
    /// `values[i][j]`: the coefficient of codes i and j; none on the diagonal and for pairs that
    /// do not co-occur.
    pub values: Vec<Vec<Option<f64>>>,
    /// The lowest value of the colour scale.
    pub min: f64,
    /// The highest.
    pub max: f64,
    /// `Co-occurrence (c, within the same turn)`.
    pub title: String,
}

impl Cooccurrence {
    /// The name of a code (its id when the codebook has no such entry).
    pub fn name(&self, id: &str) -> String {
        self.codebook.get(id).map_or_else(|| id.to_owned(), |e| e.name.clone())
    }

    /// The heatmap of `coefficient` in the pooled (or first) report, the codes in their order
    /// or, with `cluster`, ordered by average-linkage clustering on c; `None` without a report.
    pub fn heatmap(&self, coefficient: Coefficient, within: Within, cluster: bool) -> Option<Heatmap> {
        let pooled = self.reports.first()?;
        let codes = &self.codes;
        let index: BTreeMap<(&str, &str), &Pair> = pooled
            .pairs
            .iter()
            .flat_map(|p| [((p.a.as_str(), p.b.as_str()), p), ((p.b.as_str(), p.a.as_str()), p)])
            .collect();
        let value =
            |i: usize, j: usize| index.get(&(codes[i].as_str(), codes[j].as_str())).and_then(|p| coefficient.of(p));
        let order: Vec<usize> = if cluster {
            cooccur::cluster_order(codes, &|i, j| {
                index.get(&(codes[i].as_str(), codes[j].as_str())).map_or(0.0, |p| p.c)
            })
        } else {
            (0..codes.len()).collect()
        };
        let labels: Vec<String> = order.iter().map(|&i| self.name(&codes[i])).collect();
        let values: Vec<Vec<Option<f64>>> =
            order.iter().map(|&i| order.iter().map(|&j| if i == j { None } else { value(i, j) }).collect()).collect();
        let present: Vec<f64> = values.iter().flatten().flatten().copied().collect();
        let (min, max) = if coefficient.is_share() {
            (0.0, 1.0)
        } else {
            (
                present.iter().copied().fold(f64::INFINITY, f64::min).min(0.0),
                present.iter().copied().fold(f64::NEG_INFINITY, f64::max).max(1.0),
            )
        };
        let title = format!("Co-occurrence ({coefficient}, within {})", within.description());
        Some(Heatmap { labels, values, min, max, title })
    }
}
