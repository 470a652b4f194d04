//! Code co-occurrence over units, with the counts and coefficients researchers report.
//!
//! Every proximity rule is turned into a set of **units**, each holding the codes present in it;
//! all counts are then over units, so every coefficient is a proper 2 × 2 statistic:
//!
//! - `turn`: a unit is a turn; a code is present where one of its segments overlaps the turn.
//! - `turns:N`: a unit is a window of N + 1 consecutive turns of a document (sliding by one
//!   turn); a code is present where it is present in any of them.
//! - `chars:N`: a unit is a block of N code points of a document (`[0, N)`, `[N, 2N)`, …).
//! - `overlap`: a unit is a coded segment; the codes present are its own and those of every
//!   segment overlapping it.
//!
//! **Within one coder.** Two codes co-occur in a unit only when one coder applied both there:
//! coder A's X and coder B's Y on the same turn are two judgements of one turn, not a relation
//! between X and Y. A unit holds each code at most once, whoever applied it, so `n1` counts units
//! where any coder applied A, and `n12` units where some one coder applied both A and B. Under
//! `overlap`, a unit is one coder's segment and only that coder's overlapping segments count.
//!
//! For codes A and B: `n1` units hold A, `n2` hold B, `n12` hold both, of `N` units. Then
//! ATLAS.ti's c-coefficient `n12 / (n1 + n2 − n12)` (Jaccard), Dice `2 n12 / (n1 + n2)`,
//! Ochiai `n12 / √(n1 n2)`, phi `(N n12 − n1 n2) / √(n1 n2 (N − n1)(N − n2))`, lift
//! `N n12 / (n1 n2)` and PMI `log₂ lift`. As ATLAS.ti warns, when one code is used more than
//! five times as often as the other the coefficient says more about the frequencies than about
//! the relation: such pairs are flagged.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

/// The proximity rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Within {
    /// Segments that overlap.
    Overlap,
    /// The same turn.
    Turn,
    /// Within N turns.
    Turns(usize),
    /// Within blocks of N code points.
    Chars(usize),
}

impl std::str::FromStr for Within {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |n: &str| {
            n.parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(|| format!("`{n}` is not a positive number"))
        };
        match s.split_once(':') {
            None if s == "overlap" => Ok(Within::Overlap),
            None if s == "turn" => Ok(Within::Turn),
            Some(("turns", n)) => Ok(Within::Turns(number(n)?)),
            Some(("chars", n)) => Ok(Within::Chars(number(n)?)),
            _ => Err(format!("`{s}` is not a rule: overlap, turn, turns:N or chars:N")),
        }
    }
}

impl Within {
    /// The rule in words: `the same turn`, `2 turns`, `blocks of 500 characters`.
    pub fn description(self) -> String {
        match self {
            Within::Overlap => "overlapping segments".into(),
            Within::Turn => "the same turn".into(),
            Within::Turns(n) => format!("{n} turns"),
            Within::Chars(n) => format!("blocks of {n} characters"),
        }
    }
}

/// A coded segment, placed; its strings borrowed from the codings and the codebook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment<'s> {
    /// Document id.
    pub document: &'s str,
    /// Code points.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Code id.
    pub code: &'s str,
    /// Who applied it.
    pub coder: &'s str,
}

/// The codes present in a unit, each with the coders who applied it there: `(coder, code)`.
pub type Unit<'s> = BTreeSet<(&'s str, &'s str)>;

/// A document's turns, as code-point spans in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Document id.
    pub document: String,
    /// Length in code points.
    pub length: usize,
    /// Turn spans, in order (one span for the whole text if it has no turns).
    pub turns: Vec<(usize, usize)>,
}

/// Whether two segments have a coder in common; a pooled passage's coder is `hp+mk`.
fn shares_coder(a: &str, b: &str) -> bool {
    a.split('+').any(|x| b.split('+').any(|y| x == y))
}

/// The codes present in each unit.
pub fn units<'s>(layouts: &[Layout], segments: &[Segment<'s>], within: Within) -> Vec<Unit<'s>> {
    let by_document = by_document(segments);
    let mut out = Vec::new();
    for layout in layouts {
        let here = by_document.get(layout.document.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        out.extend(units_of(layout, here, within));
    }
    out
}

/// `segments` grouped by document, each group in the order given.
pub fn by_document<'a, 's>(segments: &'a [Segment<'s>]) -> HashMap<&'s str, Vec<&'a Segment<'s>>> {
    let mut by_document: HashMap<&'s str, Vec<&'a Segment<'s>>> = HashMap::new();
    for s in segments {
        by_document.entry(s.document).or_default().push(s);
    }
    by_document
}

/// The units of one document, `here` being its segments.
pub fn units_of<'s>(layout: &Layout, here: &[&Segment<'s>], within: Within) -> Vec<Unit<'s>> {
    let mut out = Vec::new();
    match within {
        Within::Overlap => {
            for s in here {
                let codes = here
                    .iter()
                    .filter(|t| shares_coder(t.coder, s.coder) && t.start < s.end && s.start < t.end)
                    .map(|t| (t.coder, t.code))
                    .collect();
                out.push(codes);
            }
        }
        Within::Turn | Within::Turns(_) => {
            // Each segment marks the turns it overlaps (turns are in order and do not overlap).
            let mut per_turn: Vec<Unit> = vec![BTreeSet::new(); layout.turns.len()];
            for s in here {
                let mut t = layout.turns.partition_point(|&(_, b)| b <= s.start);
                while t < layout.turns.len() && layout.turns[t].0 < s.end {
                    per_turn[t].insert((s.coder, s.code));
                    t += 1;
                }
            }
            let width = if let Within::Turns(n) = within { n + 1 } else { 1 };
            if width == 1 {
                out = per_turn;
            } else if per_turn.len() <= width {
                if !per_turn.is_empty() {
                    out.push(per_turn.iter().flatten().cloned().collect());
                }
            } else {
                for w in per_turn.windows(width) {
                    out.push(w.iter().flatten().cloned().collect());
                }
            }
        }
        Within::Chars(n) => {
            let blocks = layout.length.div_ceil(n).max(1);
            let mut per_block: Vec<Unit> = vec![BTreeSet::new(); blocks];
            for s in here {
                for block in per_block.iter_mut().take(s.end.div_ceil(n).min(blocks)).skip(s.start / n) {
                    block.insert((s.coder, s.code));
                }
            }
            out = per_block;
        }
    }
    out
}

/// Counts and coefficients of one pair of codes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pair {
    /// First code.
    pub a: String,
    /// Second code.
    pub b: String,
    /// Units with A.
    pub n1: usize,
    /// Units with B.
    pub n2: usize,
    /// Units with both.
    pub n12: usize,
    /// Units in all.
    pub n: usize,
    /// c-coefficient (Jaccard).
    pub c: f64,
    /// Dice.
    pub dice: f64,
    /// Ochiai.
    pub ochiai: f64,
    /// Phi; `None` (JSON null) when a code is in every unit.
    pub phi: Option<f64>,
    /// Lift.
    pub lift: f64,
    /// PMI, log₂ lift.
    pub pmi: f64,
    /// One code is used more than five times as often as the other.
    pub unbalanced: bool,
}

/// Every pair of `codes` (in the order given) that co-occurs at least once, and each code's
/// count: a code counts once in a unit whoever applied it; a pair counts once in a unit where
/// one coder applied both.
pub fn pairs(units: &[Unit], codes: &[String]) -> (BTreeMap<String, usize>, Vec<Pair>) {
    let mut tally = Tally::new(codes);
    for unit in units {
        tally.add(unit);
    }
    tally.finish()
}

/// The most codes [`Tally`] counts pairs of in a table (`codes²` counts, 32 MB at 2,048); with
/// more, it keeps the pairs seen in a map.
const DENSE_CODES: usize = 2048;

/// The counts of [`pairs`], a unit at a time, so that the units of a large study need not all
/// be held at once: [`Tally::add`] each unit, then [`Tally::finish`].
pub struct Tally<'c> {
    codes: &'c [String],
    index: HashMap<&'c str, usize>,
    /// Units counted.
    units: usize,
    /// Units each code is present in.
    single: Vec<usize>,
    /// Units each pair `(i, j)`, `i < j`, is present in, at `i * codes + j`: a table while it
    /// is small ([`DENSE_CODES`] codes or fewer), else only the pairs seen.
    both: Vec<usize>,
    sparse: HashMap<usize, usize>,
    /// The places in `both` counted since the last [`Tally::take`].
    touched: Vec<usize>,
    present: Vec<usize>,
    mine: Vec<usize>,
    pairs_here: Vec<usize>,
}

impl<'c> Tally<'c> {
    /// No unit counted yet, over `codes` (in the order the pairs take).
    pub fn new(codes: &'c [String]) -> Tally<'c> {
        Tally {
            codes,
            index: codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect(),
            units: 0,
            single: vec![0; codes.len()],
            both: if codes.len() <= DENSE_CODES { vec![0; codes.len() * codes.len()] } else { Vec::new() },
            sparse: HashMap::new(),
            touched: Vec::new(),
            present: Vec::new(),
            mine: Vec::new(),
            pairs_here: Vec::new(),
        }
    }

    /// The units counted so far.
    pub fn units(&self) -> usize {
        self.units
    }

    /// Count one unit (an empty one counts too, in `N`).
    pub fn add(&mut self, unit: &Unit) {
        self.units += 1;
        if unit.is_empty() {
            return;
        }
        let index = &self.index;
        self.present.clear();
        self.present.extend(unit.iter().filter_map(|(_, c)| index.get(c).copied()));
        self.present.sort_unstable();
        self.present.dedup();
        for &i in &self.present {
            self.single[i] += 1;
        }
        // Each coder's codes in the unit, as a run. A pooled passage (`hp+mk`, see
        // `thema_core::coders::pool`) was applied by each of its coders.
        let mut by_coder: Vec<(&str, usize)> = unit
            .iter()
            .filter_map(|&(coders, c)| index.get(c).map(|&i| (coders, i)))
            .flat_map(|(coders, i)| coders.split('+').map(move |coder| (coder, i)))
            .collect();
        by_coder.sort_unstable();
        let width = self.codes.len();
        self.pairs_here.clear();
        for run in by_coder.chunk_by(|a, b| a.0 == b.0) {
            self.mine.clear();
            self.mine.extend(run.iter().map(|&(_, i)| i));
            self.mine.dedup();
            for (x, &i) in self.mine.iter().enumerate() {
                for &j in &self.mine[x + 1..] {
                    self.pairs_here.push(i.min(j) * width + i.max(j));
                }
            }
        }
        self.pairs_here.sort_unstable();
        self.pairs_here.dedup();
        for &pair in &self.pairs_here {
            if self.both.is_empty() {
                *self.sparse.entry(pair).or_default() += 1;
                continue;
            }
            if self.both[pair] == 0 {
                self.touched.push(pair);
            }
            self.both[pair] += 1;
        }
    }

    /// Each code's count and the pairs that co-occur, in the order of the codes.
    pub fn finish(mut self) -> (BTreeMap<String, usize>, Vec<Pair>) {
        self.take()
    }

    /// As [`Tally::finish`], and start again from no unit: one tally serves document after
    /// document without clearing its whole table of pairs.
    pub fn take(&mut self) -> (BTreeMap<String, usize>, Vec<Pair>) {
        let (codes, n) = (self.codes, self.units);
        let width = codes.len();
        let counts = codes.iter().cloned().zip(self.single.iter().copied()).collect();
        let mut counted: Vec<(usize, usize)> = if self.both.is_empty() {
            self.sparse.drain().collect()
        } else {
            self.touched.drain(..).map(|at| (at, std::mem::take(&mut self.both[at]))).collect()
        };
        counted.sort_unstable();
        let single = &self.single;
        let pairs = counted
            .into_iter()
            .map(|(at, n12)| {
                let (i, j) = (at / width, at % width);
                let (n1, n2) = (single[i] as f64, single[j] as f64);
                let (n12f, nf) = (n12 as f64, n as f64);
                let spread = n1 * n2 * (nf - n1) * (nf - n2);
                let lift = nf * n12f / (n1 * n2);
                Pair {
                    a: codes[i].clone(),
                    b: codes[j].clone(),
                    n1: single[i],
                    n2: single[j],
                    n12,
                    n,
                    c: n12f / (n1 + n2 - n12f),
                    dice: 2.0 * n12f / (n1 + n2),
                    ochiai: n12f / (n1 * n2).sqrt(),
                    phi: (spread > 0.0).then(|| (nf * n12f - n1 * n2) / spread.sqrt()),
                    lift,
                    pmi: lift.log2(),
                    unbalanced: n1.max(n2) > 5.0 * n1.min(n2),
                }
            })
            .collect();
        self.single.iter_mut().for_each(|n| *n = 0);
        self.units = 0;
        (counts, pairs)
    }
}

/// Order `codes` by average-linkage hierarchical clustering on `1 − similarity`, so that codes
/// that co-occur sit together on a heatmap. Ties merge the earliest clusters first, so the
/// order is deterministic.
pub fn cluster_order(codes: &[String], similarity: &dyn Fn(usize, usize) -> f64) -> Vec<usize> {
    let mut clusters: Vec<Vec<usize>> = (0..codes.len()).map(|i| vec![i]).collect();
    while clusters.len() > 1 {
        let mut best = (f64::INFINITY, 0, 1);
        for x in 0..clusters.len() {
            for y in x + 1..clusters.len() {
                let mut total = 0.0;
                for &i in &clusters[x] {
                    for &j in &clusters[y] {
                        total += 1.0 - similarity(i, j);
                    }
                }
                let d = total / (clusters[x].len() * clusters[y].len()) as f64;
                if d < best.0 - 1e-12 {
                    best = (d, x, y);
                }
            }
        }
        let merged = clusters.remove(best.2);
        clusters[best.1].extend(merged);
    }
    clusters.pop().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg<'s>(document: &'s str, start: usize, end: usize, code: &'s str) -> Segment<'s> {
        Segment { document, start, end, code, coder: "hp" }
    }

    #[test]
    fn codes_co_occur_only_when_one_coder_applied_both() {
        let layout = Layout { document: "d".into(), length: 30, turns: vec![(0, 10), (10, 20), (20, 30)] };
        let by = |coder: &'static str, start, end, code: &'static str| Segment { coder, ..seg("d", start, end, code) };
        let segments = [
            // T1: hp codes a, mk codes b: a disagreement, not a co-occurrence.
            by("hp", 0, 5, "a"),
            by("mk", 2, 8, "b"),
            // T2: hp codes a and b; mk codes a too (a counts once in the turn).
            by("hp", 10, 12, "a"),
            by("hp", 14, 18, "b"),
            by("mk", 10, 15, "a"),
            // T3: both coders apply a and b: one co-occurrence, not two.
            by("hp", 20, 25, "a"),
            by("hp", 20, 25, "b"),
            by("mk", 21, 29, "a"),
            by("mk", 21, 29, "b"),
        ];
        let codes = vec!["a".to_owned(), "b".to_owned()];
        let turns = units(std::slice::from_ref(&layout), &segments, Within::Turn);
        let (counts, found) = pairs(&turns, &codes);
        assert_eq!((counts["a"], counts["b"]), (3, 3));
        assert_eq!((found[0].n1, found[0].n2, found[0].n12, found[0].n), (3, 3, 2, 3));
        // Overlap: a unit is one coder's segment with that coder's overlapping segments; mk's
        // b in T1 overlaps hp's a there but is not counted with it.
        let overlaps = units(&[layout], &segments, Within::Overlap);
        let (_, found) = pairs(&overlaps, &codes);
        // Units: hp a@0, mk b@2 (alone), hp a@10, hp b@14, mk a@10, hp a,b@20 (x2), mk a,b@21 (x2).
        assert_eq!((found[0].n12, found[0].n), (4, 9));
    }

    #[test]
    fn a_pooled_passage_co_occurs_with_each_of_its_coders_codes() {
        // Pooled primary coders: hp and mk both coded a (one passage, `hp+mk`); only hp coded b.
        // hp applied both in the turn, so they co-occur; mk's c is no pair of hp's b.
        let layout = Layout { document: "d".into(), length: 10, turns: vec![(0, 10)] };
        let by = |coder: &'static str, start, end, code: &'static str| Segment { coder, ..seg("d", start, end, code) };
        let segments = [by("hp+mk", 0, 5, "a"), by("hp", 6, 9, "b"), by("mk", 6, 9, "c")];
        let codes = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let (_, found) = pairs(&units(std::slice::from_ref(&layout), &segments, Within::Turn), &codes);
        let n12 = |a: &str, b: &str| found.iter().find(|p| p.a == a && p.b == b).map_or(0, |p| p.n12);
        assert_eq!((n12("a", "b"), n12("a", "c"), n12("b", "c")), (1, 1, 0));
        let (_, found) = pairs(&units(&[layout], &segments, Within::Overlap), &codes);
        assert!(found.iter().all(|p| p.n12 == 0), "no segment overlaps another");
    }

    #[test]
    fn counts_and_coefficients_by_turn() {
        let layout = Layout { document: "d".into(), length: 40, turns: vec![(0, 10), (10, 20), (20, 30), (30, 40)] };
        let segments = [seg("d", 0, 5, "a"), seg("d", 2, 8, "b"), seg("d", 12, 15, "a"), seg("d", 25, 28, "b")];
        let units = units(std::slice::from_ref(&layout), &segments, Within::Turn);
        assert_eq!(units.len(), 4);
        let codes = vec!["a".to_owned(), "b".to_owned()];
        let (counts, pairs) = pairs(&units, &codes);
        assert_eq!((counts["a"], counts["b"]), (2, 2));
        let p = &pairs[0];
        assert_eq!((p.n1, p.n2, p.n12, p.n), (2, 2, 1, 4));
        assert!((p.c - 1.0 / 3.0).abs() < 1e-12);
        assert!((p.dice - 0.5).abs() < 1e-12 && (p.ochiai - 0.5).abs() < 1e-12);
        // phi = (4·1 − 2·2) / √(2·2·2·2) = 0; lift = 4·1/(2·2) = 1.
        assert!(p.phi.unwrap().abs() < 1e-12 && (p.lift - 1.0).abs() < 1e-12);
        // Within one turn of each other: windows T1-T2 {a, b}, T2-T3 {a, b}, T3-T4 {b}.
        let near = super::units(&[layout], &segments, Within::Turns(1));
        let (_, pairs) = super::pairs(&near, &codes);
        assert_eq!((pairs[0].n1, pairs[0].n2, pairs[0].n12, pairs[0].n), (2, 3, 2, 3));
    }

    #[test]
    fn a_tally_taken_starts_again_from_nothing() {
        // Document 1: a and b together in T1; document 2: b and c together, a alone.
        let one = Layout { document: "d1".into(), length: 20, turns: vec![(0, 10), (10, 20)] };
        let two = Layout { document: "d2".into(), length: 30, turns: vec![(0, 10), (10, 20), (20, 30)] };
        let segments = [
            seg("d1", 0, 4, "a"),
            seg("d1", 5, 9, "b"),
            seg("d2", 0, 4, "b"),
            seg("d2", 5, 9, "c"),
            seg("d2", 12, 15, "a"),
        ];
        let codes = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
        let by_document = by_document(&segments);
        let mut tally = Tally::new(&codes);
        let mut taken = Vec::new();
        for layout in [&one, &two] {
            for unit in units_of(layout, &by_document[layout.document.as_str()], Within::Turn) {
                tally.add(&unit);
            }
            taken.push((tally.units(), tally.take()));
        }
        let found = |(_, (_, pairs)): &(usize, (BTreeMap<String, usize>, Vec<Pair>))| {
            pairs.iter().map(|p| (p.a.clone(), p.b.clone(), p.n12, p.n)).collect::<Vec<_>>()
        };
        assert_eq!(found(&taken[0]), [("a".into(), "b".into(), 1, 2)]);
        // Nothing of document 1 is left in document 2's counts.
        assert_eq!(found(&taken[1]), [("b".into(), "c".into(), 1, 3)]);
        assert_eq!((taken[1].0, taken[1].1 .0["a"], taken[1].1 .0["b"]), (3, 1, 1));
        // Pooled, the same units give the sum of both.
        let (counts, pairs) = pairs(&units(&[one, two], &segments, Within::Turn), &codes);
        assert_eq!((counts["a"], counts["b"], counts["c"], pairs.len()), (2, 2, 1, 2));
    }

    #[test]
    fn more_codes_than_a_table_holds_are_counted_the_same() {
        // 2,100 codes (over DENSE_CODES): turn t holds codes t, t + 1 and t + 700, one coder.
        let n = 2100;
        let codes: Vec<String> = (0..n).map(|i| format!("c{i:04}")).collect();
        let turns: Vec<(usize, usize)> = (0..n).map(|t| (t * 10, t * 10 + 10)).collect();
        let layout = Layout { document: "d".into(), length: n * 10, turns };
        let mut segments = Vec::new();
        for t in 0..n {
            for k in [t, (t + 1) % n, (t + 700) % n] {
                segments.push(seg("d", t * 10, t * 10 + 5, &codes[k]));
            }
        }
        let (counts, pairs) = pairs(&units(&[layout], &segments, Within::Turn), &codes);
        // Each code is in three turns; each turn gives three pairs, all distinct across turns.
        assert!(counts.values().all(|&c| c == 3));
        assert_eq!(pairs.len(), 3 * n);
        assert!(pairs.iter().all(|p| p.n12 == 1 && p.n == n && p.a < p.b));
        // In the order of the codes.
        assert!(pairs.windows(2).all(|w| (&w[0].a, &w[0].b) < (&w[1].a, &w[1].b)));
    }

    #[test]
    fn rules_parse() {
        assert_eq!("turns:3".parse::<Within>().unwrap(), Within::Turns(3));
        assert_eq!("chars:200".parse::<Within>().unwrap(), Within::Chars(200));
        assert!("turns:0".parse::<Within>().is_err() && "near".parse::<Within>().is_err());
    }

    #[test]
    fn clustering_puts_related_codes_together() {
        let codes: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| (*s).to_owned()).collect();
        // a~c and b~d are close.
        let sim = |i: usize, j: usize| if (i + j) % 2 == 0 { 0.9 } else { 0.1 };
        let order = cluster_order(&codes, &sim);
        let pos = |x: usize| order.iter().position(|&o| o == x).unwrap();
        assert_eq!(pos(0).abs_diff(pos(2)), 1);
        assert_eq!(pos(1).abs_diff(pos(3)), 1);
    }
}
