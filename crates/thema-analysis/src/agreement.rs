//! Intercoder agreement on reliability data: units (rows) rated by coders (columns), a cell
//! empty where a coder gave no rating.
//!
//! Two families, each as its authors define it:
//!
//! - **Krippendorff's alpha** with his metrics (nominal, ordinal, interval, ratio), from the
//!   coincidence matrix (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
//!   `o_ck = Σ_u (number of c–k pairs of values from different coders in u) / (m_u − 1)` over units
//!   with `m_u ≥ 2` values, `n_c = Σ_k o_ck`, `n = Σ_c n_c`, and
//!   `α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck`.
//! - **Gwet's framework** for many raters with missing ratings (Gwet 2014, *Handbook of
//!   Inter-Rater Reliability*, 4th ed., ch. 2–5; R package irrCAC): with `r_ik` the number of
//!   raters putting unit `i` in category `k`, `r_i = Σ_k r_ik`, weights `w_kl` and
//!   `r*_ik = Σ_l w_kl r_il`, the observed agreement is
//!   `p_a = mean over units with r_i ≥ 2 of Σ_k r_ik (r*_ik − 1) / (r_i (r_i − 1))`, and each
//!   coefficient is `(p_a − p_e) / (1 − p_e)` with its own chance agreement `p_e`: Fleiss' kappa
//!   (`Σ w_kl π_k π_l`, `π_k` the mean over units of `r_ik / r_i`), Gwet's AC1/AC2
//!   (`T_w / (q (q − 1)) Σ π_k (1 − π_k)`, `T_w = Σ w_kl`), Brennan–Prediger (`T_w / q²`) and
//!   Conger's kappa (from each rater's own proportions: `Σ w_kl (p̄_k p̄_l − s²_kl / r)`).
//!   Brennan–Prediger with identity weights is also Randolph's free-marginal multirater kappa
//!   (Randolph 2005: Fleiss' observed agreement against `1 / q`). `q` counts the categories
//!   observed, or those declared ([`Ratings::with_categories`]). AC1/AC2 come with Gwet's
//!   variance (Gwet 2008; 2014, §5.3): with `n` units, each unit's
//!   `ac_i = (n / n_2) (p_a,i − p_e [r_i ≥ 2]) / (1 − p_e)` (`n_2` the units rated twice or more)
//!   and `p_e,i = T_w / (q (q − 1)) Σ_k r_ik (1 − π_k) / r_i`, `x_i = ac_i − 2 (1 − AC) (p_e,i − p_e) /
//!   (1 − p_e)`, `var = Σ (x_i − AC)² / (n (n − 1))`, and the interval `AC ± t_{0.975, n−1} se`, cut
//!   at 1 (as irrCAC computes it).
//!
//! The statistics of pairs of coders (Cohen's kappa, weighted or not, with its standard errors;
//! Scott's pi, Holsti, Bennett's S, Bangdiwala's B, and the means Light's and Hubert's kappa) are
//! in `pairwise.rs` ([`Table`]); the intraclass correlations and Kendall's W in `correlation.rs`;
//! alpha of one category against the others is alpha of [`Ratings::binarized`]. Every function
//! returns [`Undefined`] with the reason where a statistic has no value (no unit rated twice, no
//! variation), never NaN. docs/agreement.md lists them with their references and checks.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Undefined;

mod correlation;
mod distributions;
mod pairwise;

pub use correlation::{icc, kendall_w, Icc, IccMeasure, IccModel};

pub use pairwise::{
    all_agree, holsti, hubert_kappa, light_kappa, pair_table, scott_pi, scott_pi_interval, Inference, Table,
};

/// Level of measurement for Krippendorff's alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Categories without order.
    Nominal,
    /// Ranks: the distance between two values grows with the number of values between them.
    Ordinal,
    /// Differences: `(c − k)²`.
    Interval,
    /// Ratios: `((c − k) / (c + k))²`.
    Ratio,
}

impl std::str::FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "nominal" => Ok(Level::Nominal),
            "ordinal" => Ok(Level::Ordinal),
            "interval" => Ok(Level::Interval),
            "ratio" => Ok(Level::Ratio),
            other => Err(format!("`{other}` is not a level: nominal, ordinal, interval or ratio")),
        }
    }
}

/// Agreement weights of Gwet's framework (Gwet 2014, ch. 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    /// Full credit for the same category only (unweighted coefficients).
    Identity,
    /// `1 − |x_k − x_l| / (max − min)`.
    Linear,
    /// `1 − (x_k − x_l)² / (max − min)²`.
    Quadratic,
    /// Gwet's ordinal weights: `1 − C(|k − l| + 1, 2) / max`, from ranks.
    Ordinal,
}

/// Agreement weights as asked, by name or from a file, over the categories of the ratings.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedWeights {
    /// `linear`, `quadratic`, `ordinal`, or the file's name.
    pub name: String,
    /// `w[k][l]` over the categories of the ratings.
    pub matrix: Vec<Vec<f64>>,
}

impl NamedWeights {
    /// Weights by name (`identity`, `linear`, `quadratic`, `ordinal`) over the categories of
    /// `ratings`, or `None` for another name.
    pub fn named(name: &str, ratings: &Ratings) -> Option<Result<NamedWeights, RatingsError>> {
        let weights = match name {
            "identity" => Weights::Identity,
            "linear" => Weights::Linear,
            "quadratic" => Weights::Quadratic,
            "ordinal" => Weights::Ordinal,
            _ => return None,
        };
        Some(ratings.weights(weights).map(|matrix| NamedWeights { name: name.to_owned(), matrix }))
    }
}

/// What is wrong with reliability data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RatingsError {
    /// No unit.
    #[error("there are no units to compare")]
    NoUnits,
    /// Fewer than two coders.
    #[error("agreement needs at least two coders; the data has {0}")]
    OneCoder(usize),
    /// Rows of different lengths.
    #[error("unit {unit} has {found} ratings where the first unit has {expected}")]
    Ragged {
        /// 1-based unit.
        unit: usize,
        /// Cells found.
        found: usize,
        /// Cells expected.
        expected: usize,
    },
    /// A category named that no coder used.
    #[error("no coder used the category `{given}`; the categories are {}", known.join(", "))]
    UnknownCategory {
        /// The name given.
        given: String,
        /// The categories of the data.
        known: Vec<String>,
    },
    /// A value outside the declared categories.
    #[error("`{0}` is rated but is not one of the declared categories")]
    Undeclared(String),
    /// A metric that needs numbers got other values.
    #[error("the {level} metric needs numbers, and `{value}` is not one")]
    NotNumeric {
        /// The metric.
        level: String,
        /// The value.
        value: String,
    },
}

/// Distinct ratings, trimmed, each given an index the first time it is seen; an empty cell is
/// none. Few distinct labels are found by a scan, many by a hash map.
#[derive(Debug, Default)]
pub struct Labels {
    /// The labels, in the order first seen.
    pub names: Vec<String>,
    index: std::collections::HashMap<String, u32>,
}

impl Labels {
    /// The index of `cell`, trimmed (`None` when it is empty).
    pub fn intern(&mut self, cell: &str) -> Option<u32> {
        let cell = cell.trim();
        if cell.is_empty() {
            return None;
        }
        const SCAN: usize = 16;
        if self.names.len() <= SCAN {
            if let Some(i) = self.names.iter().position(|n| n == cell) {
                return Some(i as u32);
            }
        } else if let Some(&i) = self.index.get(cell) {
            return Some(i);
        }
        let i = self.names.len() as u32;
        self.names.push(cell.to_owned());
        if self.names.len() > SCAN {
            if self.index.is_empty() {
                self.index = self.names.iter().enumerate().map(|(i, n)| (n.clone(), i as u32)).collect();
            } else {
                self.index.insert(cell.to_owned(), i);
            }
        }
        Some(i)
    }
}

/// Reliability data: each cell a category index or none.
#[derive(Clone, Debug, PartialEq)]
pub struct Ratings {
    labels: Vec<String>,
    numbers: Option<Vec<f64>>,
    cells: Vec<Vec<Option<usize>>>,
    /// How many units each row stands for (1, or a pattern's count).
    multiplicity: Vec<f64>,
    coders: usize,
}

impl Ratings {
    /// Read rows of labels (`None` or an empty string is a missing rating). When every label is
    /// a number, categories are those numbers in increasing order; else labels in sorted order.
    pub fn new(rows: &[Vec<Option<String>>]) -> Result<Ratings, RatingsError> {
        let mut labels = Labels::default();
        let interned: Vec<Vec<Option<u32>>> =
            rows.iter().map(|row| row.iter().map(|c| c.as_deref().and_then(|c| labels.intern(c))).collect()).collect();
        Ratings::from_labels(&labels.names, &interned)
    }

    /// Rows of indices into `labels` (`None`: a missing rating), as a file reader makes them:
    /// the categories are worked out once a distinct label, not once a cell. Labels no cell
    /// uses are not categories. When every label used is a number, the categories are those
    /// numbers in increasing order (`1` and `1.0` are one category); else the labels, trimmed,
    /// in sorted order.
    ///
    /// # Panics
    /// If a cell's index is not below `labels.len()`.
    pub fn from_labels(labels: &[String], rows: &[Vec<Option<u32>>]) -> Result<Ratings, RatingsError> {
        let Some(first) = rows.first() else { return Err(RatingsError::NoUnits) };
        let coders = first.len();
        if coders < 2 {
            return Err(RatingsError::OneCoder(coders));
        }
        if let Some(i) = rows.iter().position(|r| r.len() != coders) {
            return Err(RatingsError::Ragged { unit: i + 1, found: rows[i].len(), expected: coders });
        }
        let mut used = vec![false; labels.len()];
        for c in rows.iter().flatten().flatten() {
            used[*c as usize] = true;
        }
        let parsed: Vec<Option<f64>> = labels
            .iter()
            .zip(&used)
            .map(|(l, &u)| if u { l.trim().parse::<f64>().ok().filter(|x| x.is_finite()) } else { None })
            .collect();
        let numeric = used.iter().zip(&parsed).all(|(&u, p)| !u || p.is_some());
        let (names, numbers, map): (Vec<String>, Option<Vec<f64>>, Vec<usize>) = if numeric {
            let mut numbers: Vec<f64> = parsed.iter().flatten().copied().collect();
            numbers.sort_by(f64::total_cmp);
            numbers.dedup();
            // `dedup` keeps one of -0 and 0, which `total_cmp` tells apart and `==` does not.
            let find = |x: f64| {
                numbers.binary_search_by(|n| n.total_cmp(&x)).ok().or_else(|| numbers.iter().position(|n| *n == x))
            };
            let map = parsed.iter().map(|p| p.and_then(find).unwrap_or(usize::MAX)).collect();
            (numbers.iter().map(|x| format_number(*x)).collect(), Some(numbers), map)
        } else {
            let mut names: Vec<String> =
                labels.iter().zip(&used).filter(|(_, &u)| u).map(|(l, _)| l.trim().to_owned()).collect();
            names.sort();
            names.dedup();
            let map = labels
                .iter()
                .map(|l| names.binary_search_by(|n| n.as_str().cmp(l.trim())).unwrap_or(usize::MAX))
                .collect();
            (names, None, map)
        };
        let cells: Vec<Vec<Option<usize>>> =
            rows.iter().map(|row| row.iter().map(|c| c.map(|c| map[c as usize])).collect()).collect();
        let multiplicity = vec![1.0; cells.len()];
        Ok(Ratings { labels: names, numbers, cells, multiplicity, coders })
    }

    /// Rows of numbers (`None` is a missing rating; NaN and infinities are refused as
    /// missing too).
    pub fn from_numbers(rows: &[Vec<Option<f64>>]) -> Result<Ratings, RatingsError> {
        let Some(first) = rows.first() else { return Err(RatingsError::NoUnits) };
        let coders = first.len();
        if coders < 2 {
            return Err(RatingsError::OneCoder(coders));
        }
        if let Some(i) = rows.iter().position(|r| r.len() != coders) {
            return Err(RatingsError::Ragged { unit: i + 1, found: rows[i].len(), expected: coders });
        }
        let mut numbers: Vec<f64> = rows.iter().flatten().flatten().copied().filter(|x| x.is_finite()).collect();
        numbers.sort_by(f64::total_cmp);
        numbers.dedup();
        let cells: Vec<Vec<Option<usize>>> = rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| {
                        c.filter(|x| x.is_finite()).and_then(|x| numbers.binary_search_by(|n| n.total_cmp(&x)).ok())
                    })
                    .collect()
            })
            .collect();
        let labels = numbers.iter().map(|x| format_number(*x)).collect();
        let multiplicity = vec![1.0; cells.len()];
        Ok(Ratings { labels, numbers: Some(numbers), cells, multiplicity, coders })
    }

    /// Presence data (`0`, `1`) from rows of booleans, one a unit, without going through text:
    /// the categories are the values that occur.
    pub fn binary(rows: &[Vec<bool>]) -> Result<Ratings, RatingsError> {
        let Some(first) = rows.first() else { return Err(RatingsError::NoUnits) };
        let coders = first.len();
        let mut patterns: std::collections::BTreeMap<&[bool], usize> = std::collections::BTreeMap::new();
        for r in rows {
            *patterns.entry(r.as_slice()).or_default() += 1;
        }
        let patterns: Vec<(Vec<bool>, usize)> = patterns.into_iter().map(|(p, n)| (p.to_vec(), n)).collect();
        Ratings::from_patterns(coders, &patterns)
    }

    /// Presence data given as distinct patterns (each coder's `0`/`1`) and how many units have
    /// each: the same statistics as the units one by one, at the cost of the patterns.
    pub fn from_patterns(coders: usize, patterns: &[(Vec<bool>, usize)]) -> Result<Ratings, RatingsError> {
        if patterns.iter().all(|(_, n)| *n == 0) {
            return Err(RatingsError::NoUnits);
        }
        if coders < 2 {
            return Err(RatingsError::OneCoder(coders));
        }
        let used = |want: bool| patterns.iter().any(|(p, n)| *n > 0 && p.contains(&want));
        let (zeros, ones) = (used(false), used(true));
        let mut numbers = Vec::new();
        if zeros {
            numbers.push(0.0);
        }
        if ones {
            numbers.push(1.0);
        }
        let one = usize::from(zeros);
        let cells = patterns.iter().map(|(p, _)| p.iter().map(|&b| Some(if b { one } else { 0 })).collect()).collect();
        let multiplicity = patterns.iter().map(|(_, n)| *n as f64).collect();
        Ok(Ratings {
            labels: numbers.iter().map(|x| format_number(*x)).collect(),
            numbers: Some(numbers),
            cells,
            multiplicity,
            coders,
        })
    }

    /// The same ratings over a declared list of categories, which must hold every value rated:
    /// categories nobody used count for the statistics whose chance agreement depends on the
    /// number of categories (Bennett's S, Brennan-Prediger, Randolph, Gwet's AC1/AC2) and for
    /// the weights. Numbers are put in increasing order; other labels keep the declared order
    /// (the order of ordinal weights).
    pub fn with_categories(&self, declared: &[String]) -> Result<Ratings, RatingsError> {
        let mut names: Vec<String> = Vec::new();
        for d in declared.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
            if !names.iter().any(|n| n == d) {
                names.push(d.to_owned());
            }
        }
        let numbers: Option<Vec<f64>> = names.iter().map(|n| n.parse::<f64>().ok().filter(|x| x.is_finite())).collect();
        let (labels, numbers) = match numbers {
            Some(mut numbers) if self.numbers.is_some() => {
                numbers.sort_by(f64::total_cmp);
                numbers.dedup();
                (numbers.iter().map(|x| format_number(*x)).collect::<Vec<_>>(), Some(numbers))
            }
            _ => (names, None),
        };
        let position = |old: usize| -> Result<usize, RatingsError> {
            let found = match (&numbers, &self.numbers) {
                (Some(new), Some(before)) => new.iter().position(|x| *x == before[old]),
                _ => labels.iter().position(|l| *l == self.labels[old]),
            };
            found.ok_or_else(|| RatingsError::Undeclared(self.labels[old].clone()))
        };
        let map: Vec<usize> = (0..self.labels.len()).map(position).collect::<Result<_, _>>()?;
        let cells = self.cells.iter().map(|row| row.iter().map(|c| c.map(|c| map[c])).collect()).collect();
        Ok(Ratings { labels, numbers, cells, multiplicity: self.multiplicity.clone(), coders: self.coders })
    }

    /// Ratings from a subject-by-category table (Fleiss 1971): one row a unit, one count a
    /// category, each count the number of raters who put the unit there. The raters have no
    /// names, so only statistics of the counts apply (Fleiss, Randolph, Gwet's AC1,
    /// Brennan-Prediger, percent agreement, alpha), not those of each rater (Cohen, Conger).
    pub fn from_counts(categories: &[String], rows: &[Vec<usize>]) -> Result<Ratings, RatingsError> {
        let width = rows.iter().map(|r| r.iter().sum::<usize>()).max().ok_or(RatingsError::NoUnits)?;
        if width < 2 {
            return Err(RatingsError::OneCoder(width));
        }
        let text: Vec<Vec<Option<String>>> = rows
            .iter()
            .map(|row| {
                let mut cells: Vec<Option<String>> = Vec::with_capacity(width);
                for (k, &n) in row.iter().enumerate() {
                    cells.extend(std::iter::repeat_n(Some(categories[k].clone()), n));
                }
                cells.resize(width, None);
                cells
            })
            .collect();
        Ratings::new(&text)?.with_categories(categories)
    }

    /// The same units with each rating 1 where it is `category` and 0 where it is another (a
    /// missing rating stays missing): the data of one category against all others.
    pub fn binarized(&self, category: &str) -> Result<Ratings, RatingsError> {
        let Some(target) = self.labels.iter().position(|l| l == category.trim()) else {
            return Err(RatingsError::UnknownCategory { given: category.to_owned(), known: self.labels.clone() });
        };
        let cells =
            self.cells.iter().map(|row| row.iter().map(|c| c.map(|c| usize::from(c == target))).collect()).collect();
        Ok(Ratings {
            labels: vec!["0".to_owned(), "1".to_owned()],
            numbers: Some(vec![0.0, 1.0]),
            cells,
            multiplicity: self.multiplicity.clone(),
            coders: self.coders,
        })
    }

    /// Units.
    pub fn units(&self) -> usize {
        self.multiplicity.iter().sum::<f64>() as usize
    }

    /// Coders.
    pub fn coders(&self) -> usize {
        self.coders
    }

    /// Category labels in order.
    pub fn categories(&self) -> &[String] {
        &self.labels
    }

    /// The ratings of one unit.
    pub fn unit(&self, i: usize) -> &[Option<usize>] {
        &self.cells[i]
    }

    /// The same ratings with identical rows made one row of their summed multiplicity, in the
    /// order first seen, or `None` when no two rows are identical. A resample of units is then a
    /// draw over the distinct rows: the same distribution at the cost of the rows that differ
    /// (a million units of 4 coders and 5 categories have at most 6^4 distinct rows).
    fn grouped(&self) -> Option<Ratings> {
        let mut first: std::collections::HashMap<&[Option<usize>], usize> = std::collections::HashMap::new();
        let mut cells: Vec<Vec<Option<usize>>> = Vec::new();
        let mut multiplicity: Vec<f64> = Vec::new();
        for (row, &m) in self.cells.iter().zip(&self.multiplicity) {
            match first.entry(row.as_slice()) {
                std::collections::hash_map::Entry::Occupied(at) => multiplicity[*at.get()] += m,
                std::collections::hash_map::Entry::Vacant(at) => {
                    at.insert(cells.len());
                    cells.push(row.clone());
                    multiplicity.push(m);
                }
            }
        }
        (cells.len() < self.cells.len()).then(|| Ratings { cells, multiplicity, ..self.clone_without_rows() })
    }

    /// The categories and coders, without any rows.
    fn clone_without_rows(&self) -> Ratings {
        Ratings {
            labels: self.labels.clone(),
            numbers: self.numbers.clone(),
            cells: Vec::new(),
            multiplicity: Vec::new(),
            coders: self.coders,
        }
    }

    /// The same data with each row counted as often as `draws` says (for the bootstrap).
    fn with_multiplicity(&self, draws: Vec<f64>) -> Ratings {
        Ratings { multiplicity: draws, ..self.clone() }
    }

    /// The categories' values for a metric that needs numbers.
    fn numbers(&self, level: &str) -> Result<&[f64], RatingsError> {
        self.numbers.as_deref().ok_or_else(|| RatingsError::NotNumeric {
            level: level.to_owned(),
            value: self.labels.iter().find(|l| l.parse::<f64>().is_err()).cloned().unwrap_or_default(),
        })
    }

    /// `r_ik`: for each unit with at least one rating, the number of coders per category.
    fn counts(&self) -> Vec<(Vec<f64>, f64)> {
        let q = self.labels.len();
        self.cells
            .iter()
            .zip(&self.multiplicity)
            .filter(|(_, &m)| m > 0.0)
            .filter_map(|(row, &m)| {
                let mut counts = vec![0.0; q];
                for c in row.iter().flatten() {
                    counts[*c] += 1.0;
                }
                (counts.iter().sum::<f64>() > 0.0).then_some((counts, m))
            })
            .collect()
    }

    /// Gwet's weight matrix.
    pub fn weights(&self, weights: Weights) -> Result<Vec<Vec<f64>>, RatingsError> {
        let q = self.labels.len();
        let x: Vec<f64> = match (weights, &self.numbers) {
            (Weights::Linear | Weights::Quadratic, Some(numbers)) => numbers.clone(),
            (Weights::Linear | Weights::Quadratic, None) => self.numbers("weighted")?.to_vec(),
            _ => (1..=q).map(|k| k as f64).collect(),
        };
        let range = x.iter().copied().fold(f64::MIN, f64::max) - x.iter().copied().fold(f64::MAX, f64::min);
        let ordinal_max = if q > 1 { (q * (q - 1)) as f64 / 2.0 } else { 1.0 };
        let mut w = vec![vec![0.0; q]; q];
        for k in 0..q {
            for l in 0..q {
                w[k][l] = match weights {
                    Weights::Identity => f64::from(u8::from(k == l)),
                    _ if k == l => 1.0,
                    Weights::Linear => 1.0 - (x[k] - x[l]).abs() / range,
                    Weights::Quadratic => 1.0 - (x[k] - x[l]).powi(2) / range.powi(2),
                    Weights::Ordinal => {
                        let n = (k.abs_diff(l) + 1) as f64;
                        1.0 - n * (n - 1.0) / 2.0 / ordinal_max
                    }
                };
            }
        }
        Ok(w)
    }
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// `(p_a − p_e) / (1 − p_e)`, undefined when chance agreement is perfect.
fn chance_corrected(pa: f64, pe: f64, what: &str) -> Result<f64, Undefined> {
    if (1.0 - pe).abs() < 1e-12 {
        return Err(Undefined::new(format!(
            "{what} is undefined: chance agreement is 1 (one category used throughout)"
        )));
    }
    Ok((pa - pe) / (1.0 - pe))
}

/// Krippendorff's alpha with his metric for `level`.
pub fn krippendorff_alpha(ratings: &Ratings, level: Level) -> Result<Result<f64, Undefined>, RatingsError> {
    let q = ratings.labels.len();
    let numbers = match level {
        Level::Nominal => None,
        Level::Ordinal => Some(ratings.numbers("ordinal")?),
        Level::Interval => Some(ratings.numbers("interval")?),
        Level::Ratio => Some(ratings.numbers("ratio")?),
    };
    let mut o = vec![vec![0.0; q]; q];
    // One unit's values per category, and which categories it touched.
    let mut counts = vec![0.0f64; q];
    let mut touched: Vec<usize> = Vec::with_capacity(ratings.coders);
    for (row, &weight) in ratings.cells.iter().zip(&ratings.multiplicity) {
        if weight == 0.0 {
            continue;
        }
        touched.clear();
        for c in row.iter().flatten() {
            if counts[*c] == 0.0 {
                touched.push(*c);
            }
            counts[*c] += 1.0;
        }
        let m: f64 = touched.iter().map(|&c| counts[c]).sum();
        if m >= 2.0 {
            for &c in &touched {
                for &k in &touched {
                    let pairs = counts[c] * (counts[k] - f64::from(u8::from(c == k)));
                    o[c][k] += weight * pairs / (m - 1.0);
                }
            }
        }
        for &c in &touched {
            counts[c] = 0.0;
        }
    }
    let marginals: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = marginals.iter().sum();
    if n < 2.0 {
        return Ok(Err(Undefined::new("alpha is undefined: no unit has values from two coders")));
    }
    let delta = |c: usize, k: usize| -> f64 {
        if c == k {
            return 0.0;
        }
        match (level, numbers) {
            (Level::Nominal, _) | (_, None) => 1.0,
            (Level::Ordinal, Some(_)) => {
                let (a, b) = (c.min(k), c.max(k));
                let between: f64 = marginals[a..=b].iter().sum();
                (between - (marginals[c] + marginals[k]) / 2.0).powi(2)
            }
            (Level::Interval, Some(x)) => (x[c] - x[k]).powi(2),
            (Level::Ratio, Some(x)) => {
                let sum = x[c] + x[k];
                if sum == 0.0 {
                    0.0
                } else {
                    ((x[c] - x[k]) / sum).powi(2)
                }
            }
        }
    };
    let mut observed = 0.0;
    let mut expected = 0.0;
    for c in 0..q {
        for k in 0..q {
            let d = delta(c, k);
            observed += o[c][k] * d;
            expected += marginals[c] * marginals[k] * d;
        }
    }
    if expected == 0.0 {
        return Ok(Err(Undefined::new("alpha is undefined: there is no variation in the values")));
    }
    Ok(Ok(1.0 - (n - 1.0) * observed / expected))
}

/// The coefficients of Gwet's framework on the same data and weights.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gwet {
    /// Observed (weighted) agreement `p_a`; with identity weights, percent agreement as Gwet
    /// defines it (the mean over units rated twice or more of the pairwise agreement).
    pub percent: f64,
    /// Fleiss' kappa (generalised to missing ratings and weights).
    pub fleiss_kappa: Result<f64, Undefined>,
    /// Its standard error and 95% interval (Gwet 2014, as irrCAC computes them).
    pub fleiss_interval: Option<Interval>,
    /// Gwet's AC1 (identity weights) or AC2.
    pub gwet_ac: Result<f64, Undefined>,
    /// Brennan and Prediger's coefficient.
    pub brennan_prediger: Result<f64, Undefined>,
    /// Its standard error and 95% interval (Gwet 2014, as irrCAC computes them).
    pub brennan_prediger_interval: Option<Interval>,
    /// Conger's kappa.
    pub conger_kappa: Result<f64, Undefined>,
    /// Gwet's AC1/AC2's standard error and 95% interval (Gwet 2008; Gwet 2014, §5.3, as
    /// irrCAC computes them), when there are two units or more.
    pub gwet_ac_interval: Option<Interval>,
    /// Krippendorff's alpha in Gwet's weighted form (with identity weights, the nominal alpha;
    /// with quadratic weights, the interval alpha).
    pub krippendorff_alpha: Result<f64, Undefined>,
}

/// A coefficient's standard error and 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// Standard error.
    pub se: f64,
    /// Lower and upper bound.
    pub ci95: (f64, f64),
}

/// Gwet's coefficients (see the module's documentation for the formulas).
pub fn gwet(ratings: &Ratings, weights: Weights) -> Result<Result<Gwet, Undefined>, RatingsError> {
    let w = ratings.weights(weights)?;
    Ok(gwet_weighted(ratings, &w))
}

/// Gwet's coefficients with a weight matrix over the categories of `ratings` (`w[k][l]`, 1 on
/// the diagonal).
pub fn gwet_weighted(ratings: &Ratings, w: &[Vec<f64>]) -> Result<Gwet, Undefined> {
    let q = ratings.labels.len();
    let counts = ratings.counts();
    let n: f64 = counts.iter().map(|(_, m)| m).sum();
    let weighted = |row: &[f64]| -> Vec<f64> { (0..q).map(|k| (0..q).map(|l| w[k][l] * row[l]).sum()).collect() };
    let twice: Vec<&(Vec<f64>, f64)> = counts.iter().filter(|(r, _)| r.iter().sum::<f64>() >= 2.0).collect();
    let n_twice: f64 = twice.iter().map(|(_, m)| m).sum();
    if twice.is_empty() {
        return Err(Undefined::new("agreement is undefined: no unit was rated by two coders"));
    }
    let agreement = |row: &[f64]| -> f64 {
        let ri: f64 = row.iter().sum();
        let star = weighted(row);
        (0..q).map(|k| row[k] * (star[k] - 1.0)).sum::<f64>() / (ri * (ri - 1.0))
    };
    let pa = twice.iter().map(|(r, m)| m * agreement(r)).sum::<f64>() / n_twice;
    let pi: Vec<f64> =
        (0..q).map(|k| counts.iter().map(|(r, m)| m * r[k] / r.iter().sum::<f64>()).sum::<f64>() / n).collect();
    let total_weight: f64 = w.iter().flatten().sum();
    let fleiss_pe: f64 = (0..q).flat_map(|k| (0..q).map(move |l| (k, l))).map(|(k, l)| w[k][l] * pi[k] * pi[l]).sum();
    let ac_pe =
        if q > 1 { total_weight / (q * (q - 1)) as f64 * pi.iter().map(|p| p * (1.0 - p)).sum::<f64>() } else { 1.0 };
    let bp_pe = total_weight / (q * q) as f64;
    // Conger: each rater's proportions over the units they rated.
    let r = ratings.coders;
    let mut classification = vec![vec![0.0; q]; r];
    for (row, &m) in ratings.cells.iter().zip(&ratings.multiplicity) {
        for (g, c) in row.iter().enumerate() {
            if let Some(c) = c {
                classification[g][*c] += m;
            }
        }
    }
    let raters: Vec<Vec<f64>> = classification
        .iter()
        .filter(|row| row.iter().sum::<f64>() > 0.0)
        .map(|row| {
            let total: f64 = row.iter().sum();
            row.iter().map(|x| x / total).collect()
        })
        .collect();
    let rr = raters.len() as f64;
    let mean: Vec<f64> = (0..q).map(|k| raters.iter().map(|p| p[k]).sum::<f64>() / rr).collect();
    let mut conger_pe = 0.0;
    for k in 0..q {
        for l in 0..q {
            let cross: f64 = raters.iter().map(|p| p[k] * p[l]).sum();
            let s2 = if rr > 1.0 { (cross - rr * mean[k] * mean[l]) / (rr - 1.0) } else { 0.0 };
            conger_pe += w[k][l] * (mean[k] * mean[l] - s2 / rr);
        }
    }
    // Krippendorff in Gwet's form: units rated twice or more only.
    let values: f64 = twice.iter().map(|(r, m)| m * r.iter().sum::<f64>()).sum();
    let r_mean = values / n_twice;
    let epsilon = 1.0 / values;
    let pa_prime = twice
        .iter()
        .map(|(row, m)| {
            let ri: f64 = row.iter().sum();
            let star = weighted(row);
            m * (0..q).map(|k| row[k] * (star[k] - 1.0)).sum::<f64>() / (r_mean * (ri - 1.0))
        })
        .sum::<f64>()
        / n_twice;
    let alpha_pa = (1.0 - epsilon) * pa_prime + epsilon;
    let alpha_pi: Vec<f64> =
        (0..q).map(|k| twice.iter().map(|(r, m)| m * r[k] / r_mean).sum::<f64>() / n_twice).collect();
    let alpha_pe: f64 =
        (0..q).flat_map(|k| (0..q).map(move |l| (k, l))).map(|(k, l)| w[k][l] * alpha_pi[k] * alpha_pi[l]).sum();
    let gwet_ac = chance_corrected(pa, ac_pe, "Gwet's AC");
    // Gwet's linearisation: each unit's share of the coefficient `c` (chance agreement `pe`)
    // and of its chance agreement (`pe_i`, `pe` itself where chance does not depend on the data).
    let interval = |c: &Result<f64, Undefined>, pe: f64, pe_i: &dyn Fn(&[f64]) -> f64| -> Option<Interval> {
        let c = *c.as_ref().ok().filter(|_| n >= 2.0 && q > 1)?;
        let squares: f64 = counts
            .iter()
            .map(|(row, m)| {
                let ri: f64 = row.iter().sum();
                let (pa_i, pe_r2) = if ri >= 2.0 { (agreement(row), pe) } else { (0.0, 0.0) };
                let c_i = n / n_twice * (pa_i - pe_r2) / (1.0 - pe);
                let x = c_i - 2.0 * (1.0 - c) * (pe_i(row) - pe) / (1.0 - pe);
                m * (x - c).powi(2)
            })
            .sum();
        let se = (squares / (n * (n - 1.0))).sqrt();
        let t = distributions::t_quantile(0.975, n - 1.0);
        Some(Interval { se, ci95: (c - t * se, (c + t * se).min(1.0)) })
    };
    let scale = if q > 1 { total_weight / (q * (q - 1)) as f64 } else { 0.0 };
    let ac_pe_i = |row: &[f64]| scale * (0..q).map(|k| row[k] * (1.0 - pi[k])).sum::<f64>() / row.iter().sum::<f64>();
    let gwet_ac_interval = interval(&gwet_ac, ac_pe, &ac_pe_i);
    let fleiss_kappa = chance_corrected(pa, fleiss_pe, "Fleiss' kappa");
    // Fleiss' unit chance agreement: r_ik against the symmetrised weighted proportions.
    let pi_w: Vec<f64> = (0..q).map(|k| (0..q).map(|l| (w[k][l] + w[l][k]) / 2.0 * pi[l]).sum()).collect();
    let fleiss_pe_i = |row: &[f64]| (0..q).map(|k| row[k] * pi_w[k]).sum::<f64>() / row.iter().sum::<f64>();
    let fleiss_interval = interval(&fleiss_kappa, fleiss_pe, &fleiss_pe_i);
    let brennan_prediger = chance_corrected(pa, bp_pe, "Brennan-Prediger");
    let brennan_prediger_interval = interval(&brennan_prediger, bp_pe, &|_| bp_pe);
    Ok(Gwet {
        percent: pa,
        fleiss_kappa,
        fleiss_interval,
        gwet_ac,
        gwet_ac_interval,
        brennan_prediger,
        brennan_prediger_interval,
        conger_kappa: chance_corrected(pa, conger_pe, "Conger's kappa"),
        krippendorff_alpha: chance_corrected(alpha_pa, alpha_pe, "alpha"),
    })
}

/// Fleiss' statistics from the number of raters per unit and category, with the same number
/// of raters for every unit (Fleiss 1971).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fleiss {
    /// Mean observed agreement `P̄`.
    pub observed: f64,
    /// Chance agreement `P̄_e = Σ p_j²`.
    pub expected: f64,
    /// Kappa.
    pub kappa: Result<f64, Undefined>,
    /// Kappa for each category: `1 − Σ_i n_ij (n − n_ij) / (N n (n − 1) p_j (1 − p_j))`.
    pub categories: Vec<Result<f64, Undefined>>,
}

/// Fleiss' kappa from a units × categories table of counts.
pub fn fleiss(counts: &[Vec<f64>]) -> Result<Fleiss, Undefined> {
    let units = counts.len() as f64;
    let Some(first) = counts.first() else { return Err(Undefined::new("there are no units")) };
    let raters: f64 = first.iter().sum();
    if raters < 2.0 {
        return Err(Undefined::new("Fleiss' kappa needs two or more raters per unit"));
    }
    if let Some(i) = counts.iter().position(|r| (r.iter().sum::<f64>() - raters).abs() > 1e-9) {
        return Err(Undefined::new(format!(
            "unit {} has {} ratings where the first has {raters}: Fleiss' kappa needs the same number for each",
            i + 1,
            counts[i].iter().sum::<f64>()
        )));
    }
    let q = first.len();
    let observed =
        counts.iter().map(|r| (r.iter().map(|x| x * x).sum::<f64>() - raters) / (raters * (raters - 1.0))).sum::<f64>()
            / units;
    let p: Vec<f64> = (0..q).map(|j| counts.iter().map(|r| r[j]).sum::<f64>() / (units * raters)).collect();
    let expected: f64 = p.iter().map(|x| x * x).sum();
    let categories = (0..q)
        .map(|j| {
            let spread = p[j] * (1.0 - p[j]);
            if spread == 0.0 {
                return Err(Undefined::new("no variation in this category"));
            }
            let disagreement: f64 = counts.iter().map(|r| r[j] * (raters - r[j])).sum();
            Ok(1.0 - disagreement / (units * raters * (raters - 1.0) * spread))
        })
        .collect();
    Ok(Fleiss { observed, expected, kappa: chance_corrected(observed, expected, "Fleiss' kappa"), categories })
}

/// The `r_ik` table of complete reliability data, for [`fleiss`].
pub fn category_counts(ratings: &Ratings) -> Vec<Vec<f64>> {
    ratings.counts().into_iter().flat_map(|(r, m)| std::iter::repeat_n(r, m.round() as usize)).collect()
}

/// xorshift64* (Vigna), seeded: the bootstrap's generator.
struct XorShift(u64);

impl rand_core::RngCore for XorShift {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        rand_core::impls::fill_bytes_via_next(self, dst);
    }
}

/// A percentile bootstrap interval of Krippendorff's alpha over units resampled with
/// replacement: `draws` samples from a seeded generator (xorshift64*), so the same data and
/// seed give the same interval. Units with the same ratings form one row of the data; resampling
/// N units with replacement gives each row a multinomial count, drawn here row by row as
/// binomials (Kachitvichyanukul & Schmeiser's BTPE, from `rand_distr`), so that a draw costs the
/// number of distinct rows, not the number of units: a study's million units take as long as
/// its few hundred distinct patterns.
pub fn alpha_bootstrap(
    ratings: &Ratings,
    level: Level,
    draws: usize,
    seed: u64,
    confidence: f64,
) -> Result<Result<(f64, f64), Undefined>, RatingsError> {
    use rand_distr::{Binomial, Distribution};
    let mut rng = XorShift(seed.max(1));
    let units = ratings.units();
    if units == 0 {
        return Ok(Err(Undefined::new("there are no units to resample")));
    }
    let grouped = ratings.grouped();
    let ratings = grouped.as_ref().unwrap_or(ratings);
    let total: f64 = ratings.multiplicity.iter().sum();
    let mut alphas = Vec::with_capacity(draws);
    for _ in 0..draws {
        let mut counts = vec![0.0; ratings.multiplicity.len()];
        let mut left = units as u64;
        let mut mass = total;
        for (count, &m) in counts.iter_mut().zip(&ratings.multiplicity) {
            if left == 0 || m <= 0.0 {
                continue;
            }
            let p = (m / mass).clamp(0.0, 1.0);
            let k = if p >= 1.0 { left } else { Binomial::new(left, p).map_or(0, |b| b.sample(&mut rng)) };
            *count = k as f64;
            left -= k;
            mass -= m;
        }
        if let Ok(alpha) = krippendorff_alpha(&ratings.with_multiplicity(counts), level)? {
            alphas.push(alpha);
        }
    }
    if alphas.len() < draws / 2 || alphas.is_empty() {
        return Ok(Err(Undefined::new("the bootstrap could not compute alpha on most resamples")));
    }
    alphas.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    let at = |p: f64| alphas[((p * (alphas.len() - 1) as f64).round() as usize).min(alphas.len() - 1)];
    Ok(Ok((at(tail), at(1.0 - tail))))
}

/// Categories and counts, by label, for reports.
pub fn distribution(ratings: &Ratings) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (row, &m) in ratings.cells.iter().zip(&ratings.multiplicity) {
        for c in row.iter().flatten() {
            *out.entry(ratings.labels[*c].clone()).or_default() += m as usize;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratings(rows: &[&[Option<f64>]]) -> Ratings {
        Ratings::from_numbers(&rows.iter().map(|r| r.to_vec()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn identical_units_grouped_give_the_same_statistics() {
        let rows: Vec<Vec<Option<f64>>> = (0..60)
            .map(|i| vec![Some(f64::from(i % 3)), Some(f64::from((i / 2) % 3)), (i % 7 != 0).then_some(1.0)])
            .collect();
        let units = Ratings::from_numbers(&rows).unwrap();
        let grouped = units.grouped().expect("60 units of 3 coders over 3 values repeat");
        assert!(grouped.cells.len() < 20, "{} rows", grouped.cells.len());
        assert_eq!(grouped.units(), 60);
        for level in [Level::Nominal, Level::Ordinal, Level::Interval, Level::Ratio] {
            let (a, b) = (krippendorff_alpha(&units, level).unwrap(), krippendorff_alpha(&grouped, level).unwrap());
            assert!((a.clone().unwrap() - b.unwrap()).abs() < 1e-12, "{level:?}: {a:?}");
        }
        let (a, b) =
            (gwet(&units, Weights::Identity).unwrap().unwrap(), gwet(&grouped, Weights::Identity).unwrap().unwrap());
        assert!((a.fleiss_kappa.unwrap() - b.fleiss_kappa.unwrap()).abs() < 1e-12);
        // Distinct rows are left as they are, so the bootstrap's draws stay what they were.
        assert!(grouped.grouped().is_none());
    }

    #[test]
    fn perfect_agreement_and_no_variation() {
        let r = ratings(&[&[Some(1.0), Some(1.0)], &[Some(2.0), Some(2.0)]]);
        assert_eq!(krippendorff_alpha(&r, Level::Nominal).unwrap().unwrap(), 1.0);
        let same = ratings(&[&[Some(1.0), Some(1.0)], &[Some(1.0), Some(1.0)]]);
        let err = krippendorff_alpha(&same, Level::Nominal).unwrap().unwrap_err();
        assert!(err.0.contains("no variation"), "{err}");
        let g = gwet(&same, Weights::Identity).unwrap().unwrap();
        assert!(g.fleiss_kappa.is_err() && g.percent == 1.0);
    }

    #[test]
    fn binary_rows_match_text_rows() {
        let rows = vec![vec![true, false], vec![true, true], vec![false, false], vec![false, true]];
        let text: Vec<Vec<Option<String>>> =
            rows.iter().map(|r| r.iter().map(|&b| Some(u8::from(b).to_string())).collect()).collect();
        let (patterns, units) = (Ratings::binary(&rows).unwrap(), Ratings::new(&text).unwrap());
        assert_eq!(patterns.units(), units.units());
        for level in [Level::Nominal, Level::Interval] {
            assert_eq!(krippendorff_alpha(&patterns, level).unwrap(), krippendorff_alpha(&units, level).unwrap());
        }
        let (a, b) =
            (gwet(&patterns, Weights::Identity).unwrap().unwrap(), gwet(&units, Weights::Identity).unwrap().unwrap());
        assert!((a.percent - b.percent).abs() < 1e-12);
        assert!((a.gwet_ac.unwrap() - b.gwet_ac.unwrap()).abs() < 1e-12);
        assert!((a.conger_kappa.unwrap() - b.conger_kappa.unwrap()).abs() < 1e-12);
        assert_eq!(pair_table(&patterns, 0, 1).cohen_kappa(), pair_table(&units, 0, 1).cohen_kappa());
        let zeros = vec![vec![false, false]];
        assert_eq!(Ratings::binary(&zeros).unwrap().categories(), ["0"]);
    }

    #[test]
    fn bad_data_is_refused() {
        assert_eq!(Ratings::new(&[]).unwrap_err(), RatingsError::NoUnits);
        assert_eq!(Ratings::new(&[vec![Some("a".into())]]).unwrap_err(), RatingsError::OneCoder(1));
        let words = Ratings::new(&[vec![Some("yes".into()), Some("no".into())]]).unwrap();
        assert!(matches!(krippendorff_alpha(&words, Level::Interval), Err(RatingsError::NotNumeric { .. })));
        let lone = ratings(&[&[Some(1.0), None], &[None, Some(2.0)]]);
        assert!(krippendorff_alpha(&lone, Level::Nominal).unwrap().is_err());
    }

    #[test]
    fn bootstrap_is_reproducible_and_brackets_alpha() {
        let rows: Vec<Vec<Option<f64>>> = (0..60)
            .map(|i| vec![Some(f64::from(i % 4)), Some(f64::from(if i % 7 == 0 { (i + 1) % 4 } else { i % 4 }))])
            .collect();
        let r = Ratings::from_numbers(&rows).unwrap();
        let alpha = krippendorff_alpha(&r, Level::Nominal).unwrap().unwrap();
        let a = alpha_bootstrap(&r, Level::Nominal, 500, 42, 0.95).unwrap().unwrap();
        let b = alpha_bootstrap(&r, Level::Nominal, 500, 42, 0.95).unwrap().unwrap();
        assert_eq!(a, b);
        assert!(a.0 <= alpha && alpha <= a.1, "{a:?} {alpha}");
    }
}
