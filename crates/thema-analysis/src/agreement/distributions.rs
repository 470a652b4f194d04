//! Student's t and Fisher's F distributions, for the confidence intervals of Gwet's variance
//! (t with `n − 1` degrees of freedom) and of the intraclass correlations (F): both from the
//! regularized incomplete beta function `I_x(a, b)`, evaluated by its continued fraction
//! (modified Lentz's method, as in Press et al., *Numerical Recipes*, 3rd ed., §6.4), and
//! inverted by bisection to the precision of a double.

/// `ln Γ(x)` for `x > 0` (Lanczos' approximation, g = 7, nine coefficients).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = G[0];
    for (i, g) in G.iter().enumerate().skip(1) {
        sum += g / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The continued fraction of the incomplete beta function.
fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The regularized incomplete beta function `I_x(a, b)`.
pub(crate) fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

/// The `x` at which an increasing `cdf` reaches `p`, by bisection from `[low, high]` (widened
/// upwards until it brackets `p`).
fn invert(cdf: impl Fn(f64) -> f64, p: f64, mut low: f64, mut high: f64) -> f64 {
    while cdf(high) < p {
        low = high;
        high *= 2.0;
    }
    for _ in 0..2_000 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        if cdf(mid) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// `P(T ≤ t)` for Student's t with `df` degrees of freedom.
pub(crate) fn t_cdf(t: f64, df: f64) -> f64 {
    let tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
    if t >= 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// The `p` quantile of Student's t with `df` degrees of freedom (`p` above one half).
pub(crate) fn t_quantile(p: f64, df: f64) -> f64 {
    invert(|t| t_cdf(t, df), p, 0.0, 1.0)
}

/// `P(F ≤ x)` for Fisher's F with `d1` and `d2` degrees of freedom.
pub(crate) fn f_cdf(x: f64, d1: f64, d2: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    incomplete_beta(d1 / 2.0, d2 / 2.0, d1 * x / (d1 * x + d2))
}

/// The `p` quantile of Fisher's F with `d1` and `d2` degrees of freedom.
pub(crate) fn f_quantile(p: f64, d1: f64, d2: f64) -> f64 {
    invert(|x| f_cdf(x, d1, d2), p, 0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_printed_tables() {
        // Student's t, 97.5%: 12.706 (1 df), 2.228 (10), 2.042 (30); tables to three places.
        for (df, t) in [(1.0, 12.706), (10.0, 2.228), (30.0, 2.042)] {
            assert!((t_quantile(0.975, df) - t).abs() < 5e-4, "{df}");
        }
        // F, 95%: 4.96 (1, 10 df), 2.69 (5, 20).
        assert!((f_quantile(0.95, 1.0, 10.0) - 4.96).abs() < 5e-3);
        assert!((f_quantile(0.95, 5.0, 20.0) - 2.71).abs() < 5e-3);
        // The t distribution's square is F(1, df).
        let t = t_quantile(0.975, 7.0);
        assert!((f_cdf(t * t, 1.0, 7.0) - 0.95).abs() < 1e-12);
    }
}
