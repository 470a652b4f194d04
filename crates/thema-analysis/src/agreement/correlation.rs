//! Agreement on numbers and ranks: the intraclass correlations and Kendall's W, on the units
//! every coder rated (units with a missing rating are left out, as R's irr and psych do).
//!
//! **Intraclass correlation** (Shrout & Fleiss 1979; McGraw & Wong 1996), from the analysis of
//! variance of `n` units by `k` coders: the mean squares of units `MSR = SSR / (n − 1)`, of coders
//! `MSC = SSC / (k − 1)`, of error `MSE = SSE / ((n − 1)(k − 1))` and within units
//! `MSW = (SSC + SSE) / (n (k − 1))`:
//!
//! | model, measure | ICC | Shrout & Fleiss |
//! |---|---|---|
//! | one-way, single | `(MSR − MSW) / (MSR + (k − 1) MSW)` | ICC(1,1) |
//! | two-way agreement, single | `(MSR − MSE) / (MSR + (k − 1) MSE + k (MSC − MSE) / n)` | ICC(2,1) |
//! | two-way consistency, single | `(MSR − MSE) / (MSR + (k − 1) MSE)` | ICC(3,1) |
//! | one-way, average | `(MSR − MSW) / MSR` | ICC(1,k) |
//! | two-way agreement, average | `(MSR − MSE) / (MSR + (MSC − MSE) / n)` | ICC(2,k) |
//! | two-way consistency, average | `(MSR − MSE) / MSR` | ICC(3,k) |
//!
//! The 95% intervals are Shrout and Fleiss's (their eq. 6-8 and the average-measure forms of
//! McGraw & Wong 1996, Table 7), from F quantiles; the two-way agreement interval uses
//! Satterthwaite's degrees of freedom as they give them (also pingouin's and psych's).
//!
//! **Kendall's W** (Kendall & Babington Smith 1939): each coder ranks the units (ties get their
//! mean rank), `R_i` is unit `i`'s sum of ranks over the `m` coders, `S = Σ (R_i − R̄)²`, and
//! `W = 12 S / (m² (n³ − n) − m Σ T_j)` with the tie correction `T_j = Σ (t³ − t)` over the groups
//! of `t` tied units of coder `j` (`T_j = 0` without it).

use serde::Serialize;

use super::{Ratings, RatingsError};
use crate::choice::choices;
use crate::Undefined;

use super::distributions::f_quantile;

choices! {
    /// The model of an intraclass correlation.
    pub enum IccModel {
        /// Each unit rated by its own coders: ICC(1).
        OneWay = "oneway",
        /// The same coders, a random sample of coders, absolute agreement: ICC(2).
        TwoWayAgreement = "twoway-agreement",
        /// The same coders, fixed, consistency: ICC(3).
        TwoWayConsistency = "twoway-consistency",
    }
}

choices! {
    /// Whether an intraclass correlation is of one coder's rating or of the coders' mean.
    pub enum IccMeasure {
        /// One coder's rating.
        Single = "single",
        /// The mean of the `k` coders' ratings.
        Average = "average",
    }
}

/// An intraclass correlation with its test and interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Icc {
    /// The coefficient.
    pub value: f64,
    /// The F statistic of the model's test of no correlation.
    pub f: f64,
    /// Its degrees of freedom.
    pub df: (f64, f64),
    /// The 95% interval (none where an error mean square is 0).
    pub ci95: Option<(f64, f64)>,
    /// Units used (every coder rated them).
    pub units: usize,
}

/// The units every coder rated, as numbers (or, for labels, their rank among the categories),
/// each as often as it occurs.
fn complete(ratings: &Ratings, values: Option<&[f64]>) -> Vec<Vec<f64>> {
    let mut out = Vec::new();
    for (row, &m) in ratings.cells.iter().zip(&ratings.multiplicity) {
        if m <= 0.0 || row.iter().any(Option::is_none) {
            continue;
        }
        let x: Vec<f64> = row.iter().flatten().map(|&c| values.map_or((c + 1) as f64, |v| v[c])).collect();
        out.extend(std::iter::repeat_n(x, m.round() as usize));
    }
    out
}

/// The intraclass correlation of `model` and `measure` on numeric ratings.
pub fn icc(ratings: &Ratings, model: IccModel, measure: IccMeasure) -> Result<Result<Icc, Undefined>, RatingsError> {
    let values = ratings.numbers("intraclass correlation")?;
    let x = complete(ratings, Some(values));
    let (n, k) = (x.len() as f64, ratings.coders as f64);
    if n < 2.0 {
        return Ok(Err(Undefined::new("the intraclass correlation needs two or more units rated by every coder")));
    }
    let grand = x.iter().flatten().sum::<f64>() / (n * k);
    let row_means: Vec<f64> = x.iter().map(|r| r.iter().sum::<f64>() / k).collect();
    let col_means: Vec<f64> = (0..ratings.coders).map(|j| x.iter().map(|r| r[j]).sum::<f64>() / n).collect();
    let total: f64 = x.iter().flatten().map(|v| (v - grand).powi(2)).sum();
    let ssr = k * row_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let ssc = n * col_means.iter().map(|m| (m - grand).powi(2)).sum::<f64>();
    let sse = (total - ssr - ssc).max(0.0);
    let (msr, msc) = (ssr / (n - 1.0), ssc / (k - 1.0));
    let mse = sse / ((n - 1.0) * (k - 1.0));
    let msw = (ssc + sse) / (n * (k - 1.0));
    let (df1, q) = (n - 1.0, 0.975);
    let value = match (model, measure) {
        (IccModel::OneWay, IccMeasure::Single) => (msr - msw) / (msr + (k - 1.0) * msw),
        (IccModel::TwoWayAgreement, IccMeasure::Single) => (msr - mse) / (msr + (k - 1.0) * mse + k * (msc - mse) / n),
        (IccModel::TwoWayConsistency, IccMeasure::Single) => (msr - mse) / (msr + (k - 1.0) * mse),
        (IccModel::OneWay, IccMeasure::Average) => (msr - msw) / msr,
        (IccModel::TwoWayAgreement, IccMeasure::Average) => (msr - mse) / (msr + (msc - mse) / n),
        (IccModel::TwoWayConsistency, IccMeasure::Average) => (msr - mse) / msr,
    };
    if !value.is_finite() {
        return Ok(Err(Undefined::new("the intraclass correlation is undefined: the ratings do not vary")));
    }
    let average = |single: f64| single * k / (1.0 + single * (k - 1.0));
    let (f, df2, ci95) = match model {
        IccModel::OneWay | IccModel::TwoWayConsistency => {
            let (error, df2) = if model == IccModel::OneWay { (msw, n * (k - 1.0)) } else { (mse, df1 * (k - 1.0)) };
            let f = msr / error;
            let ci = (error > 0.0).then(|| {
                let low = f / f_quantile(q, df1, df2);
                let high = f * f_quantile(q, df2, df1);
                match measure {
                    IccMeasure::Single => ((low - 1.0) / (low + k - 1.0), (high - 1.0) / (high + k - 1.0)),
                    IccMeasure::Average => (1.0 - 1.0 / low, 1.0 - 1.0 / high),
                }
            });
            (f, df2, ci)
        }
        IccModel::TwoWayAgreement => {
            let df2 = df1 * (k - 1.0);
            let f = msr / mse;
            // Satterthwaite's degrees of freedom for the single-measure ICC(2,1).
            let single = (msr - mse) / (msr + (k - 1.0) * mse + k * (msc - mse) / n);
            let fj = msc / mse;
            let ci = (mse > 0.0).then(|| {
                let a = k * single * fj + n * (1.0 + (k - 1.0) * single) - k * single;
                let v = df2 * a.powi(2)
                    / (df1 * (k * single * fj).powi(2) + (n * (1.0 + (k - 1.0) * single) - k * single).powi(2));
                let upper_f = f_quantile(q, df1, v);
                let lower_f = f_quantile(q, v, df1);
                let spread = k * msc + (k * n - k - n) * mse;
                let low = n * (msr - upper_f * mse) / (upper_f * spread + n * msr);
                let high = n * (lower_f * msr - mse) / (spread + n * lower_f * msr);
                match measure {
                    IccMeasure::Single => (low, high),
                    IccMeasure::Average => (average(low), average(high)),
                }
            });
            (f, df2, ci)
        }
    };
    Ok(Ok(Icc { value, f, df: (df1, df2), ci95, units: x.len() }))
}

/// Mean ranks (1-based) of `values`, ties sharing their mean rank, and the tie term `Σ (t³ − t)`.
fn ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut ties = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = rank;
        }
        let t = (end - start) as f64;
        ties += t * t * t - t;
        start = end;
    }
    (out, ties)
}

/// Kendall's coefficient of concordance W of the coders' rankings of the units, with or
/// without the correction for ties.
pub fn kendall_w(ratings: &Ratings, tie_correction: bool) -> Result<f64, Undefined> {
    let x = complete(ratings, ratings.numbers.as_deref());
    let (n, m) = (x.len() as f64, ratings.coders as f64);
    if n < 2.0 {
        return Err(Undefined::new("Kendall's W needs two or more units ranked by every coder"));
    }
    let mut sums = vec![0.0; x.len()];
    let mut ties = 0.0;
    for j in 0..ratings.coders {
        let (r, t) = ranks(&x.iter().map(|row| row[j]).collect::<Vec<_>>());
        for (s, r) in sums.iter_mut().zip(r) {
            *s += r;
        }
        ties += t;
    }
    let mean = sums.iter().sum::<f64>() / n;
    let s: f64 = sums.iter().map(|r| (r - mean).powi(2)).sum();
    let denominator = m * m * (n * n * n - n) - if tie_correction { m * ties } else { 0.0 };
    if denominator <= 0.0 {
        return Err(Undefined::new("Kendall's W is undefined: every coder tied every unit"));
    }
    Ok(12.0 * s / denominator)
}
