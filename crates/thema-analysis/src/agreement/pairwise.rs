//! Statistics of pairs of coders: the two-coder contingency table ([`Table`]) and its
//! coefficients, and the multi-coder means of pairwise coefficients.
//!
//! With `p_ij` the share of units coder 1 put in `i` and coder 2 in `j`, `p_i.` and `p_.j` the
//! margins and `q` the number of categories:
//!
//! - **Cohen's kappa** (Cohen 1960): `p_e = Σ p_i. p_.i`; weighted (Cohen 1968) with weights
//!   `w_ij`: `p_o = Σ w_ij p_ij`, `p_e = Σ w_ij p_i. p_.j`.
//! - **Scott's pi** (Scott 1955): `p_e = Σ π_k²` with `π_k = (p_k. + p_.k) / 2`, the two coders'
//!   pooled proportions. Fleiss' kappa on two coders with complete data is Scott's pi.
//! - **Bennett, Alpert and Goldstein's S** (Bennett, Alpert & Goldstein 1954): `p_e = 1 / q`,
//!   `S = (q p_o − 1) / (q − 1)`. On two coders it equals Brennan and Prediger's coefficient
//!   (Brennan & Prediger 1981) and Randolph's free-marginal kappa (Randolph 2005) with the same
//!   categories, and it depends on `q`: the categories declared (`--categories`), else those
//!   observed.
//! - **Holsti's coefficient** (Holsti 1969, p. 140): `2M / (N_1 + N_2)`, `M` the units both coders
//!   put in the same category, `N_1`, `N_2` the units each coded. Without missing ratings it is
//!   the percent agreement.
//! - **Bangdiwala's B** (Bangdiwala 1985; Friendly & Meyer 2016, *Discrete Data Analysis with
//!   R*, §4.2.3): `B = Σ n_ii² / Σ n_i. n_.i` on counts, the agreement chart's shaded area over its
//!   rectangles.
//! - **Light's kappa** (Light 1971) and **Hubert's kappa** (Hubert 1977; Conger 1980): the mean
//!   over every pair of coders of Cohen's kappa and of Scott's pi. The name Hubert's kappa is
//!   also given to other coefficients (Conger's kappa in Warrens 2010; Fleiss' kappa in the R
//!   package agreer): `docs/agreement.md` says which and why this one.

use serde::Serialize;

use super::{chance_corrected, Ratings, Weights};
use crate::Undefined;

/// The table of two coders' ratings over the units both rated.
pub fn pair_table(ratings: &Ratings, a: usize, b: usize) -> Table {
    let q = ratings.labels.len();
    let mut cells = vec![vec![0.0; q]; q];
    for (row, &m) in ratings.cells.iter().zip(&ratings.multiplicity) {
        if let (Some(x), Some(y)) = (row[a], row[b]) {
            cells[x][y] += m;
        }
    }
    Table { cells }
}

/// The mean of `statistic` over every pair of coders (undefined if it is for one pair).
fn mean_over_pairs(ratings: &Ratings, statistic: fn(&Table) -> Result<f64, Undefined>) -> Result<f64, Undefined> {
    let mut values = Vec::new();
    for a in 0..ratings.coders {
        for b in a + 1..ratings.coders {
            values.push(statistic(&pair_table(ratings, a, b))?);
        }
    }
    Ok(values.iter().sum::<f64>() / values.len() as f64)
}

/// Light's kappa (Light 1971): the mean of Cohen's kappa over every pair of coders.
pub fn light_kappa(ratings: &Ratings) -> Result<f64, Undefined> {
    mean_over_pairs(ratings, Table::cohen_kappa)
}

/// Hubert's kappa (Hubert 1977): the mean of Scott's pi over every pair of coders.
pub fn hubert_kappa(ratings: &Ratings) -> Result<f64, Undefined> {
    mean_over_pairs(ratings, Table::scott_pi)
}

/// Scott's pi of the first two coders (Scott 1955).
pub fn scott_pi(ratings: &Ratings) -> Result<f64, Undefined> {
    pair_table(ratings, 0, 1).scott_pi()
}

/// Scott's pi's standard error and 95% interval: Gwet's variance of Fleiss' kappa (Gwet 2014,
/// §5.3) on the units both of the first two coders rated, where Fleiss' kappa is Scott's pi.
pub fn scott_pi_interval(ratings: &Ratings) -> Option<super::Interval> {
    let both: Vec<usize> =
        (0..ratings.cells.len()).filter(|&i| ratings.cells[i][..2].iter().all(Option::is_some)).collect();
    let pair = Ratings {
        cells: both.iter().map(|&i| ratings.cells[i][..2].to_vec()).collect(),
        multiplicity: both.iter().map(|&i| ratings.multiplicity[i]).collect(),
        coders: 2,
        ..ratings.clone()
    };
    let identity = pair.weights(Weights::Identity).ok()?;
    super::gwet_weighted(&pair, &identity).ok()?.fleiss_interval
}

/// Holsti's coefficient of coders `a` and `b`: `2M / (N_1 + N_2)` (Holsti 1969), `N_1` and
/// `N_2` counting every unit each coder rated, also those the other left empty.
pub fn holsti(ratings: &Ratings, a: usize, b: usize) -> Result<f64, Undefined> {
    let (mut same, mut decisions) = (0.0, 0.0);
    for (row, &m) in ratings.cells.iter().zip(&ratings.multiplicity) {
        decisions += m * (f64::from(u8::from(row[a].is_some())) + f64::from(u8::from(row[b].is_some())));
        if row[a].is_some() && row[a] == row[b] {
            same += m;
        }
    }
    if decisions == 0.0 {
        return Err(Undefined::new("Holsti's coefficient is undefined: neither coder rated a unit"));
    }
    Ok(2.0 * same / decisions)
}

/// The share of units rated by every coder on which all coders agree (irr's `agree`).
pub fn all_agree(ratings: &Ratings) -> Result<f64, Undefined> {
    let complete: Vec<(&Vec<Option<usize>>, f64)> = ratings
        .cells
        .iter()
        .zip(ratings.multiplicity.iter().copied())
        .filter(|(r, m)| *m > 0.0 && r.iter().all(Option::is_some))
        .collect();
    let total: f64 = complete.iter().map(|(_, m)| m).sum();
    if total == 0.0 {
        return Err(Undefined::new("no unit was rated by every coder"));
    }
    let agree: f64 = complete.iter().filter(|(r, _)| r.windows(2).all(|w| w[0] == w[1])).map(|(_, m)| m).sum();
    Ok(agree / total)
}

/// A two-coder contingency table (rows: coder 1's categories, columns: coder 2's).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Counts.
    pub cells: Vec<Vec<f64>>,
}

impl Table {
    fn n(&self) -> f64 {
        self.cells.iter().flatten().sum()
    }

    fn proportions(&self) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
        let n = self.n();
        let p: Vec<Vec<f64>> = self.cells.iter().map(|r| r.iter().map(|x| x / n).collect()).collect();
        let rows: Vec<f64> = p.iter().map(|r| r.iter().sum()).collect();
        let cols: Vec<f64> = (0..p.len()).map(|j| p.iter().map(|r| r[j]).sum()).collect();
        (p, rows, cols)
    }

    /// Observed agreement `p_o = Σ p_ii`.
    pub fn observed(&self) -> f64 {
        let (p, ..) = self.proportions();
        (0..p.len()).map(|i| p[i][i]).sum()
    }

    /// Cohen's chance agreement `p_e = Σ p_i. p_.i`.
    pub fn expected(&self) -> f64 {
        let (_, rows, cols) = self.proportions();
        rows.iter().zip(&cols).map(|(a, b)| a * b).sum()
    }

    /// Cohen's kappa (Cohen 1960).
    pub fn cohen_kappa(&self) -> Result<f64, Undefined> {
        if self.n() == 0.0 {
            return Err(Undefined::new("the two coders rated no unit in common"));
        }
        chance_corrected(self.observed(), self.expected(), "Cohen's kappa")
    }

    /// Scott's pi (Scott 1955): chance agreement from the coders' pooled proportions.
    pub fn scott_pi(&self) -> Result<f64, Undefined> {
        if self.n() == 0.0 {
            return Err(Undefined::new("the two coders rated no unit in common"));
        }
        let (_, rows, cols) = self.proportions();
        let pe: f64 = rows.iter().zip(&cols).map(|(a, b)| ((a + b) / 2.0).powi(2)).sum();
        chance_corrected(self.observed(), pe, "Scott's pi")
    }

    /// Bennett, Alpert and Goldstein's S: chance agreement `1 / q` over the table's `q`
    /// categories.
    pub fn bennett_s(&self) -> Result<f64, Undefined> {
        if self.n() == 0.0 {
            return Err(Undefined::new("the two coders rated no unit in common"));
        }
        let q = self.cells.len();
        if q < 2 {
            return Err(Undefined::new(
                "Bennett's S is undefined: there is one category (declare the others with `--categories`)",
            ));
        }
        chance_corrected(self.observed(), 1.0 / q as f64, "Bennett's S")
    }

    /// Bangdiwala's B: `Σ n_ii² / Σ n_i. n_.i`.
    pub fn bangdiwala_b(&self) -> Result<f64, Undefined> {
        let (p, rows, cols) = self.proportions();
        if self.n() == 0.0 {
            return Err(Undefined::new("the two coders rated no unit in common"));
        }
        let area: f64 = rows.iter().zip(&cols).map(|(a, b)| a * b).sum();
        if area == 0.0 {
            return Err(Undefined::new("Bangdiwala's B is undefined: the coders used no category in common"));
        }
        Ok((0..p.len()).map(|i| p[i][i] * p[i][i]).sum::<f64>() / area)
    }

    /// The largest kappa the margins allow: `p_o` at `Σ min(p_i., p_.i)` (Cohen 1960).
    pub fn cohen_kappa_max(&self) -> Result<f64, Undefined> {
        let (_, rows, cols) = self.proportions();
        let most: f64 = rows.iter().zip(&cols).map(|(a, b)| a.min(*b)).sum();
        chance_corrected(most, self.expected(), "kappa max")
    }

    /// Kappa's large-sample standard error, its standard error under the null hypothesis, the z
    /// statistic and the 95% confidence interval (Fleiss, Cohen & Everitt 1969, as SAS PROC FREQ
    /// prints them), with `weights` (`Identity` for Cohen's kappa).
    pub fn kappa_inference(&self, weights: &[Vec<f64>]) -> Result<Inference, Undefined> {
        let n = self.n();
        if n == 0.0 {
            return Err(Undefined::new("the table is empty"));
        }
        let (p, rows, cols) = self.proportions();
        let q = p.len();
        let po: f64 = (0..q).flat_map(|i| (0..q).map(move |j| (i, j))).map(|(i, j)| weights[i][j] * p[i][j]).sum();
        let pe: f64 =
            (0..q).flat_map(|i| (0..q).map(move |j| (i, j))).map(|(i, j)| weights[i][j] * rows[i] * cols[j]).sum();
        let kappa = chance_corrected(po, pe, "kappa")?;
        let row_mean: Vec<f64> = (0..q).map(|i| (0..q).map(|j| cols[j] * weights[i][j]).sum()).collect();
        let col_mean: Vec<f64> = (0..q).map(|j| (0..q).map(|i| rows[i] * weights[i][j]).sum()).collect();
        let mut variance = 0.0;
        let mut variance0 = 0.0;
        for i in 0..q {
            for j in 0..q {
                variance += p[i][j] * (weights[i][j] - (row_mean[i] + col_mean[j]) * (1.0 - kappa)).powi(2);
                variance0 += rows[i] * cols[j] * (weights[i][j] - (row_mean[i] + col_mean[j])).powi(2);
            }
        }
        variance = (variance - (kappa - pe * (1.0 - kappa)).powi(2)) / ((1.0 - pe).powi(2) * n);
        variance0 = (variance0 - pe * pe) / ((1.0 - pe).powi(2) * n);
        let ase = variance.max(0.0).sqrt();
        let ase0 = variance0.max(0.0).sqrt();
        Ok(Inference {
            kappa,
            ase,
            ase_h0: ase0,
            z: if ase0 > 0.0 { kappa / ase0 } else { f64::INFINITY },
            ci95: (kappa - 1.959_963_984_540_054 * ase, kappa + 1.959_963_984_540_054 * ase),
        })
    }

    /// Gwet's AC1 (identity weights) or AC2 and its chance agreement, for two coders.
    pub fn gwet_ac(&self, weights: &[Vec<f64>]) -> Result<(f64, f64), Undefined> {
        let (p, rows, cols) = self.proportions();
        let q = p.len();
        if q < 2 {
            return Err(Undefined::new("Gwet's AC needs two or more categories"));
        }
        let pa: f64 = (0..q).flat_map(|i| (0..q).map(move |j| (i, j))).map(|(i, j)| weights[i][j] * p[i][j]).sum();
        let total: f64 = weights.iter().flatten().sum();
        let pi: Vec<f64> = (0..q).map(|k| (rows[k] + cols[k]) / 2.0).collect();
        let pe = total / (q * (q - 1)) as f64 * pi.iter().map(|x| x * (1.0 - x)).sum::<f64>();
        Ok((chance_corrected(pa, pe, "Gwet's AC")?, pe))
    }

    /// Weights for a table's categories 1..q (Cohen's linear and quadratic weights).
    pub fn weights(&self, weights: Weights) -> Vec<Vec<f64>> {
        let q = self.cells.len();
        let labels: Vec<Option<String>> = (1..=q).map(|k| Some(k.to_string())).collect();
        let ratings = Ratings::new(&[labels.clone(), labels]).expect("two coders, one unit");
        ratings.weights(weights).unwrap_or_default()
    }
}

/// Kappa with its standard errors.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inference {
    /// The coefficient.
    pub kappa: f64,
    /// Asymptotic standard error.
    pub ase: f64,
    /// Standard error under the null hypothesis of chance agreement.
    pub ase_h0: f64,
    /// `kappa / ase_h0`.
    pub z: f64,
    /// `kappa ± 1.96 ase`.
    pub ci95: (f64, f64),
}
