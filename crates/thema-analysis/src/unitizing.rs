//! Krippendorff's unitizing alpha (α_U; Krippendorff 1995, "On the reliability of unitizing
//! contiguous data", *Sociological Methodology* 25: 47–76; 2004, *Content Analysis*, 2nd ed.,
//! p. 251–256): agreement on where units of each category begin and end on a continuum (here,
//! the code points of a transcript), as DKPro Statistics computes it.
//!
//! For a category `c`, each coder's continuum `[B, B + L)` is cut into sections: their units of
//! `c` and the gaps between them. Two sections `g` (coder i) and `h` (coder j), with begins
//! `b`, lengths `l`, differ by
//!
//! - `(b_g − b_h)² + (b_g + l_g − b_h − l_h)²` when both are units and they overlap,
//! - `l_g²` when `g` is a unit lying inside the gap `h` (and `l_h²` the other way round),
//! - `0` otherwise.
//!
//! The observed disagreement sums this over the overlapping sections of every pair of coders:
//! `D_o,c = 2 Σ_{i<j} Σ_{g,h} δ²(g, h) / (m (m − 1) L²)`; the expected disagreement over every
//! way the same units could lie on the continuum is
//! `D_e,c = (2 / L) Σ_units u [ (N_c − 1)(2 l_u³ − 3 l_u² + l_u) / 3 + l_u² Σ_{gaps ≥ l_u} (l_gap − l_u + 1) ]
//! / (m L (m L − 1) − Σ_units l_u (l_u − 1))`, with `N_c` the number of units of `c` (all
//! coders) and the gaps of all coders. Then `α_c = 1 − D_o,c / D_e,c` (0 when they are equal),
//! and overall `α_U = 1 − mean_c D_o,c / mean_c D_e,c`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::Undefined;

/// A unit one coder marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// First position.
    pub begin: u64,
    /// Length (positions).
    pub length: u64,
    /// Coder, 0-based.
    pub coder: usize,
    /// Category.
    pub category: String,
}

/// Units of several coders on one continuum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Study {
    /// Where the continuum begins.
    pub begin: u64,
    /// Its length.
    pub length: u64,
    /// Number of coders.
    pub coders: usize,
    /// The units.
    pub units: Vec<Unit>,
}

/// α_U for one category, with its parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CategoryAlpha {
    /// The category.
    pub category: String,
    /// Observed disagreement.
    pub observed: f64,
    /// Expected disagreement.
    pub expected: f64,
    /// `1 − observed / expected`.
    pub alpha: f64,
}

/// What is wrong with unitizing data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UnitizingError {
    /// A unit outside the continuum.
    #[error("unit {index} ({begin}..{end}) lies outside the continuum {from}..{to}")]
    Outside {
        /// 1-based unit.
        index: usize,
        /// Its begin.
        begin: u64,
        /// Its end.
        end: u64,
        /// Continuum begin.
        from: u64,
        /// Continuum end.
        to: u64,
    },
    /// A coder beyond the number of coders.
    #[error("unit {index} is by coder {coder}, but there are {coders} coders")]
    Coder {
        /// 1-based unit.
        index: usize,
        /// Its coder.
        coder: usize,
        /// Number of coders.
        coders: usize,
    },
    /// One coder's units of one category overlap.
    #[error("coder {coder} has overlapping units of `{category}` at {at}")]
    Overlap {
        /// The coder.
        coder: usize,
        /// The category.
        category: String,
        /// Where.
        at: u64,
    },
    /// Fewer than two coders.
    #[error("unitizing agreement needs at least two coders")]
    OneCoder,
}

/// A section of one coder's continuum for one category: a unit or a gap.
#[derive(Clone, Copy, Debug)]
struct Section {
    begin: u64,
    length: u64,
    unit: bool,
}

/// δ² between two sections (see the module documentation).
pub fn distance(begin1: u64, length1: u64, unit1: bool, begin2: u64, length2: u64, unit2: bool) -> f64 {
    let (b1, l1, b2, l2) = (begin1 as f64, length1 as f64, begin2 as f64, length2 as f64);
    let shift = b1 - b2;
    if unit1 && unit2 && -l1 < shift && shift < l2 {
        shift * shift + (b1 + l1 - b2 - l2).powi(2)
    } else if unit1 && !unit2 && b1 >= b2 && b1 + l1 <= b2 + l2 {
        l1 * l1
    } else if !unit1 && unit2 && b2 >= b1 && b2 + l2 <= b1 + l1 {
        l2 * l2
    } else {
        0.0
    }
}

impl Study {
    /// Check the study: units inside the continuum, coders in range, no overlap within one
    /// coder's units of one category.
    pub fn validate(&self) -> Result<(), UnitizingError> {
        if self.coders < 2 {
            return Err(UnitizingError::OneCoder);
        }
        let end = self.begin + self.length;
        for (i, u) in self.units.iter().enumerate() {
            if u.begin < self.begin || u.begin + u.length > end {
                return Err(UnitizingError::Outside {
                    index: i + 1,
                    begin: u.begin,
                    end: u.begin + u.length,
                    from: self.begin,
                    to: end,
                });
            }
            if u.coder >= self.coders {
                return Err(UnitizingError::Coder { index: i + 1, coder: u.coder, coders: self.coders });
            }
        }
        for category in self.categories() {
            for coder in 0..self.coders {
                let units = self.units_of(coder, &category);
                for w in units.windows(2) {
                    if w[1].begin < w[0].begin + w[0].length {
                        return Err(UnitizingError::Overlap { coder, category: category.clone(), at: w[1].begin });
                    }
                }
            }
        }
        Ok(())
    }

    /// The categories, sorted.
    pub fn categories(&self) -> Vec<String> {
        self.units.iter().map(|u| u.category.clone()).collect::<BTreeSet<_>>().into_iter().collect()
    }

    fn units_of(&self, coder: usize, category: &str) -> Vec<&Unit> {
        let mut units: Vec<&Unit> = self.units.iter().filter(|u| u.coder == coder && u.category == category).collect();
        units.sort_by_key(|u| (u.begin, u.length));
        units
    }

    /// One coder's sections for one category, covering the continuum.
    fn sections(&self, coder: usize, category: &str) -> Vec<Section> {
        let mut out = Vec::new();
        let mut at = self.begin;
        for u in self.units_of(coder, category) {
            if u.begin > at {
                out.push(Section { begin: at, length: u.begin - at, unit: false });
            }
            out.push(Section { begin: u.begin, length: u.length, unit: true });
            at = u.begin + u.length;
        }
        let end = self.begin + self.length;
        if at < end {
            out.push(Section { begin: at, length: end - at, unit: false });
        }
        out
    }

    /// Observed disagreement for `category`.
    pub fn observed(&self, category: &str) -> f64 {
        let m = self.coders as f64;
        let l = self.length as f64;
        let mut total = 0.0;
        for i in 0..self.coders {
            let a = self.sections(i, category);
            for j in i + 1..self.coders {
                let b = self.sections(j, category);
                // Every pair of overlapping sections, by a sweep over both lists.
                let (mut x, mut y) = (0, 0);
                while x < a.len() && y < b.len() {
                    let (g, h) = (a[x], b[y]);
                    total += distance(g.begin, g.length, g.unit, h.begin, h.length, h.unit);
                    if g.begin + g.length <= h.begin + h.length {
                        x += 1;
                    }
                    if h.begin + h.length <= g.begin + g.length {
                        y += 1;
                    }
                }
            }
        }
        2.0 * total / (m * (m - 1.0) * l * l)
    }

    /// Expected disagreement for `category`.
    pub fn expected(&self, category: &str) -> f64 {
        let m = self.coders as f64;
        let l = self.length as f64;
        let units: Vec<&Unit> = self.units.iter().filter(|u| u.category == category).collect();
        let n = units.len() as f64;
        let squared: f64 = units.iter().map(|u| u.length as f64 * (u.length as f64 - 1.0)).sum();
        let mut gaps: Vec<u64> =
            (0..self.coders).flat_map(|c| self.sections(c, category)).filter(|s| !s.unit).map(|s| s.length).collect();
        gaps.sort_unstable();
        // Sums of the longest gaps, so that each unit's share is one binary search.
        let mut suffix = vec![0.0f64; gaps.len() + 1];
        for i in (0..gaps.len()).rev() {
            suffix[i] = suffix[i + 1] + gaps[i] as f64;
        }
        let mut total = 0.0;
        for u in &units {
            let lu = u.length as f64;
            let own = (n - 1.0) * (2.0 * lu.powi(3) - 3.0 * lu * lu + lu) / 3.0;
            // Σ over gaps g ≥ l of (g − l + 1).
            let from = gaps.partition_point(|&g| g < u.length);
            let fits = suffix[from] - (gaps.len() - from) as f64 * (lu - 1.0);
            total += own + lu * lu * fits;
        }
        total * (2.0 / l) / (m * l * (m * l - 1.0) - squared)
    }

    /// α_U of each category.
    pub fn category_alphas(&self) -> Vec<CategoryAlpha> {
        self.categories()
            .into_iter()
            .map(|c| {
                let (observed, expected) = (self.observed(&c), self.expected(&c));
                let alpha = if observed == expected { 0.0 } else { 1.0 - observed / expected };
                CategoryAlpha { category: c, observed, expected, alpha }
            })
            .collect()
    }

    /// α_U over all categories: `1 − mean D_o / mean D_e`.
    pub fn alpha(&self) -> Result<f64, Undefined> {
        let per = self.category_alphas();
        if per.is_empty() {
            return Err(Undefined::new("unitizing alpha is undefined: no coder marked a unit"));
        }
        let observed: f64 = per.iter().map(|c| c.observed).sum::<f64>() / per.len() as f64;
        let expected: f64 = per.iter().map(|c| c.expected).sum::<f64>() / per.len() as f64;
        if observed == expected {
            return Ok(0.0);
        }
        Ok(1.0 - observed / expected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_of_the_dkpro_checks() {
        // Krippendorff (2004) p. 254: two units of c, a unit inside a gap.
        assert_eq!(distance(225, 70, true, 220, 80, true), 50.0);
        assert_eq!(distance(370, 30, true, 355, 20, true), 850.0);
        assert_eq!(distance(400, 50, false, 400, 20, true), 400.0);
        assert_eq!(distance(0, 1, false, 0, 2, false), 0.0);
    }

    #[test]
    fn overlapping_units_of_one_coder_are_refused() {
        let unit = |begin, length| Unit { begin, length, coder: 0, category: "c".into() };
        let study = Study { begin: 0, length: 100, coders: 2, units: vec![unit(0, 10), unit(5, 10)] };
        assert!(matches!(study.validate(), Err(UnitizingError::Overlap { at: 5, .. })));
        let study = Study { begin: 0, length: 10, coders: 2, units: vec![unit(5, 10)] };
        assert!(matches!(study.validate(), Err(UnitizingError::Outside { .. })));
    }
}
