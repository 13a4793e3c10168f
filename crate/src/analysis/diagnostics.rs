//! How close a particle cloud is to its target: KS and W1 in 1-D, mode occupancy, MMD in 2-D.

use crate::analysis::diagnostic_error::DiagnosticError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;
use crate::sample::ensemble::Particles;

/// The CDF of a 1-D mixture, $F(x) = \sum_k w_k \Phi((x - \mu_k)/\sigma_k)$, or `None` if the
/// mixture is not 1-D.
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::diagnostics::mixture_cdf;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
/// assert!((mixture_cdf(&gm, 0.0).unwrap() - 0.5).abs() < 1e-15);
/// # Ok::<(), MixtureError>(())
/// ```
pub fn mixture_cdf(mixture: &GaussianMixture, x: f64) -> Option<f64> {
    if mixture.dim() != 1 {
        return None;
    }
    let cdf = (0..mixture.n_components())
        .map(|k| {
            let mu = mixture.mean(k).map_or(0.0, |m| m[0]);
            let sd = mixture.covariance(k).map_or(1.0, |c| c[0].sqrt());
            mixture.weights()[k] * 0.5 * libm::erfc(-(x - mu) / (sd * std::f64::consts::SQRT_2))
        })
        .sum::<f64>();
    Some(cdf.clamp(0.0, 1.0))
}

/// Checks that there are at least `needed` samples and all are finite; returns them sorted.
fn sorted_samples(samples: &[f64], needed: usize) -> Result<Vec<f64>, DiagnosticError> {
    if samples.len() < needed {
        return Err(DiagnosticError::TooFewSamples {
            needed,
            found: samples.len(),
        });
    }
    if let Some(index) = samples.iter().position(|v| !v.is_finite()) {
        return Err(DiagnosticError::NonFiniteSample { index });
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(sorted)
}

/// The Kolmogorov–Smirnov statistic $D_n = \sup_x |F_n(x) - F(x)|$ of `samples` against `cdf`.
///
/// ```
/// use scorelab::diagnostics::ks_statistic;
/// let d = ks_statistic(&[0.25, 0.75], |x| x.clamp(0.0, 1.0))?;
/// assert_eq!(d, 0.25);
/// assert!(ks_statistic(&[0.1, f64::NAN, 0.3], |x| x).is_err());
/// assert!(ks_statistic(&[0.1, 0.3], |_| f64::NAN).is_err());
/// # Ok::<(), scorelab::DiagnosticError>(())
/// ```
///
/// # Errors
/// [`DiagnosticError::TooFewSamples`] for no samples, [`DiagnosticError::NonFiniteSample`] for a
/// NaN or infinite one, [`DiagnosticError::InvalidCdf`] where `cdf` returns NaN or a value
/// outside [0, 1].
pub fn ks_statistic(samples: &[f64], cdf: impl Fn(f64) -> f64) -> Result<f64, DiagnosticError> {
    let sorted = sorted_samples(samples, 1)?;
    let n = sorted.len() as f64;
    let mut d = 0.0f64;
    for (i, &x) in sorted.iter().enumerate() {
        let f = cdf(x);
        if !(0.0..=1.0).contains(&f) {
            return Err(DiagnosticError::InvalidCdf { x, value: f });
        }
        d = d.max((f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs()));
    }
    Ok(d)
}

/// Asymptotic p-value of a KS statistic `d` from `n` samples:
/// $Q(\lambda) = 2 \sum_{k \ge 1} (-1)^{k-1} e^{-2k^2\lambda^2}$, λ = (√n + 0.12 + 0.11/√n) d.
///
/// ```
/// use scorelab::diagnostics::ks_p_value;
/// assert!(ks_p_value(0.02, 1000)? > 0.5);
/// assert!(ks_p_value(0.1, 0).is_err() && ks_p_value(f64::NAN, 10).is_err());
/// # Ok::<(), scorelab::DiagnosticError>(())
/// ```
///
/// # Errors
/// [`DiagnosticError::TooFewSamples`] for n = 0, [`DiagnosticError::InvalidParameter`] unless
/// d ∈ [0, 1] (NaN included).
pub fn ks_p_value(d: f64, n: usize) -> Result<f64, DiagnosticError> {
    if n == 0 {
        return Err(DiagnosticError::TooFewSamples {
            needed: 1,
            found: 0,
        });
    }
    if !(0.0..=1.0).contains(&d) {
        return Err(DiagnosticError::InvalidParameter {
            name: "KS statistic",
            value: d,
            reason: "must be in [0, 1]",
        });
    }
    let sn = (n as f64).sqrt();
    let lambda = (sn + 0.12 + 0.11 / sn) * d;
    if lambda < 0.2 {
        return Ok(1.0);
    }
    let q: f64 = (1..=100)
        .map(|k| {
            let k = k as f64;
            (if k as i64 % 2 == 1 { 2.0 } else { -2.0 }) * (-2.0 * k * k * lambda * lambda).exp()
        })
        .sum();
    Ok(q.clamp(0.0, 1.0))
}

/// The 1-Wasserstein distance $W_1 = \int |F_n(x) - F(x)|\,dx$ between `samples` and a density
/// given on an increasing grid `xs` (values `density`, normalised here by the trapezoid rule),
/// integrated over the grid.
///
/// # Errors
/// [`DiagnosticError`] for no samples or a non-finite one, a grid of fewer than 2 points or not
/// strictly increasing, a density of another length, negative, non-finite or without mass.
pub fn wasserstein1_to_density(
    samples: &[f64],
    xs: &[f64],
    density: &[f64],
) -> Result<f64, DiagnosticError> {
    let sorted = sorted_samples(samples, 1)?;
    if xs.len() < 2 {
        return Err(DiagnosticError::InvalidParameter {
            name: "grid length",
            value: xs.len() as f64,
            reason: "needs at least 2 points",
        });
    }
    if let Some(index) =
        (0..xs.len()).find(|&i| !xs[i].is_finite() || (i > 0 && xs[i] <= xs[i - 1]))
    {
        return Err(DiagnosticError::GridNotIncreasing { index });
    }
    if density.len() != xs.len() {
        return Err(DiagnosticError::LengthMismatch {
            what: "density",
            expected: xs.len(),
            found: density.len(),
        });
    }
    if density.iter().any(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(DiagnosticError::InvalidDensity {
            reason: "values must be finite and >= 0",
        });
    }
    let mut cdf = vec![0.0; xs.len()];
    for i in 1..xs.len() {
        cdf[i] = cdf[i - 1] + 0.5 * (density[i] + density[i - 1]) * (xs[i] - xs[i - 1]);
    }
    let total = cdf[xs.len() - 1];
    if !(total > 0.0 && total.is_finite()) {
        return Err(DiagnosticError::InvalidDensity {
            reason: "its integral over the grid must be finite and > 0",
        });
    }
    let n = sorted.len() as f64;
    let empirical = |x: f64| sorted.partition_point(|&s| s <= x) as f64 / n;
    let gaps: Vec<f64> = xs
        .iter()
        .zip(&cdf)
        .map(|(&x, &f)| (empirical(x) - f / total).abs())
        .collect();
    Ok((1..xs.len())
        .map(|i| 0.5 * (gaps[i] + gaps[i - 1]) * (xs[i] - xs[i - 1]))
        .sum())
}

/// Fraction of particles assigned to each component, by largest responsibility rₖ(x): where the
/// cloud puts its mass, to compare with the weights wₖ.
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::diagnostics::mode_occupancy;
/// let gm = GaussianMixture::new_1d(&[0.7, 0.3], &[-4.0, 4.0], &[1.0, 1.0])?;
/// let exact = Particles::sample(&gm, 20_000, 1)?;
/// let occ = mode_occupancy(&gm, &exact)?;
/// assert!((occ[0] - 0.7).abs() < 0.02);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`DiagnosticError::DimensionMismatch`] if the particles do not have the mixture's dimension.
pub fn mode_occupancy(
    mixture: &GaussianMixture,
    particles: &Particles,
) -> Result<Vec<f64>, DiagnosticError> {
    let k = mixture.n_components();
    let mut counts = vec![0usize; k];
    if particles.dim() != mixture.dim() {
        return Err(DiagnosticError::DimensionMismatch {
            expected: mixture.dim(),
            found: particles.dim(),
        });
    }
    for p in particles.points() {
        counts[most_responsible(mixture, p)] += 1;
    }
    Ok(counts
        .iter()
        .map(|&c| c as f64 / particles.len() as f64)
        .collect())
}

/// The component with the largest responsibility $r_k(x)$ at x (the first on a tie): the mode x
/// belongs to.
pub(crate) fn most_responsible(mixture: &GaussianMixture, x: &[f64]) -> usize {
    let r = mixture.responsibilities(x);
    (0..r.len())
        .max_by(|&a, &b| r[a].total_cmp(&r[b]))
        .unwrap_or(0)
}

/// Squared maximum mean discrepancy (unbiased) between two clouds with a Gaussian kernel
/// $k(x, y) = e^{-\lVert x-y\rVert^2 / 2h^2}$, on at most `max_points` of each (evenly strided).
/// Near 0 when both come from the same law.
///
/// # Errors
/// [`DiagnosticError`] if the clouds differ in dimension, the bandwidth is not finite and > 0,
/// `max_points` < 2, or a cloud has fewer than 2 particles.
pub fn mmd_squared(
    a: &Particles,
    b: &Particles,
    bandwidth: f64,
    max_points: usize,
) -> Result<f64, DiagnosticError> {
    if a.dim() != b.dim() {
        return Err(DiagnosticError::DimensionMismatch {
            expected: a.dim(),
            found: b.dim(),
        });
    }
    if !(bandwidth > 0.0 && bandwidth.is_finite()) {
        return Err(DiagnosticError::InvalidParameter {
            name: "bandwidth",
            value: bandwidth,
            reason: "must be finite and > 0",
        });
    }
    if max_points < 2 {
        return Err(DiagnosticError::InvalidParameter {
            name: "max_points",
            value: max_points as f64,
            reason: "must be >= 2 (the estimate leaves each point out)",
        });
    }
    let pick = |p: &Particles| -> Vec<Vec<f64>> {
        let stride = p.len().div_ceil(max_points).max(1);
        p.points().step_by(stride).map(<[f64]>::to_vec).collect()
    };
    let (xa, xb) = (pick(a), pick(b));
    let fewest = xa.len().min(xb.len());
    if fewest < 2 {
        return Err(DiagnosticError::TooFewSamples {
            needed: 2,
            found: fewest,
        });
    }
    let kernel = |x: &[f64], y: &[f64]| {
        let d2: f64 = x.iter().zip(y).map(|(u, v)| (u - v) * (u - v)).sum();
        (-d2 / (2.0 * bandwidth * bandwidth)).exp()
    };
    let within = |xs: &[Vec<f64>]| {
        let n = xs.len() as f64;
        let mut s = 0.0;
        for i in 0..xs.len() {
            for j in 0..xs.len() {
                if i != j {
                    s += kernel(&xs[i], &xs[j]);
                }
            }
        }
        s / (n * (n - 1.0))
    };
    let cross: f64 = xa
        .iter()
        .map(|x| xb.iter().map(|y| kernel(x, y)).sum::<f64>())
        .sum::<f64>()
        / (xa.len() * xb.len()) as f64;
    Ok(within(&xa) + within(&xb) - 2.0 * cross)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ks_of_exact_samples_is_small_and_of_shifted_is_large() {
        let gm = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.0], &[0.5, 1.0]).unwrap();
        let exact = Particles::sample(&gm, 20_000, 3).unwrap().coordinate(0);
        let d = ks_statistic(&exact, |x| mixture_cdf(&gm, x).unwrap()).unwrap();
        assert!(ks_p_value(d, exact.len()).unwrap() > 0.01, "D = {d}");
        let shifted: Vec<f64> = exact.iter().map(|x| x + 0.1).collect();
        let d2 = ks_statistic(&shifted, |x| mixture_cdf(&gm, x).unwrap()).unwrap();
        assert!(ks_p_value(d2, shifted.len()).unwrap() < 1e-6, "D = {d2}");
    }

    #[test]
    fn w1_of_a_shift_is_the_shift() {
        // W1 between N(0,1) samples shifted by 0.5 and the N(0,1) density is 0.5.
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let samples: Vec<f64> = Particles::sample(&gm, 50_000, 2)
            .unwrap()
            .coordinate(0)
            .iter()
            .map(|x| x + 0.5)
            .collect();
        let xs: Vec<f64> = (0..4001).map(|i| -10.0 + i as f64 * 0.005).collect();
        let dens: Vec<f64> = xs.iter().map(|&x| gm.pdf(&[x])).collect();
        let w1 = wasserstein1_to_density(&samples, &xs, &dens).unwrap();
        assert!((w1 - 0.5).abs() < 0.02, "W1 = {w1}");
    }

    #[test]
    fn mmd_separates_clouds() {
        let a = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let b = GaussianMixture::new(&[1.0], &[[1.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let pa = Particles::sample(&a, 1000, 1).unwrap();
        let pa2 = Particles::sample(&a, 1000, 2).unwrap();
        let pb = Particles::sample(&b, 1000, 3).unwrap();
        let same = mmd_squared(&pa, &pa2, 1.0, 1000).unwrap();
        let differ = mmd_squared(&pa, &pb, 1.0, 1000).unwrap();
        assert!(
            same.abs() < 0.01 && differ > 0.05,
            "same {same}, differ {differ}"
        );
    }

    #[test]
    fn wrong_inputs_are_typed_errors() {
        use DiagnosticError::*;
        assert_eq!(
            ks_statistic(&[0.1, f64::NAN, 0.3], |x| x),
            Err(NonFiniteSample { index: 1 })
        );
        assert_eq!(
            ks_statistic(&[], |x| x),
            Err(TooFewSamples {
                needed: 1,
                found: 0
            })
        );
        // A NaN CDF used to give D = 0; n = 0 a p-value of 0 and D = NaN a NaN one.
        assert_eq!(
            ks_statistic(&[0.1, 0.5, 0.9], |_| f64::NAN).map_err(|e| e.to_string()),
            Err("the CDF at x = 0.1 is NaN, not a value in [0, 1]".to_string())
        );
        assert_eq!(
            ks_statistic(&[0.1, 0.5], |x| 3.0 * x),
            Err(InvalidCdf { x: 0.5, value: 1.5 })
        );
        assert_eq!(
            ks_p_value(0.1, 0),
            Err(TooFewSamples {
                needed: 1,
                found: 0
            })
        );
        assert!(matches!(
            ks_p_value(f64::NAN, 10),
            Err(InvalidParameter {
                name: "KS statistic",
                ..
            })
        ));
        assert!(matches!(
            ks_p_value(1.5, 10),
            Err(InvalidParameter {
                name: "KS statistic",
                ..
            })
        ));
        // A decreasing grid used to give W1 = −1.
        assert_eq!(
            wasserstein1_to_density(&[0.0], &[1.0, 0.0, -1.0], &[1.0, 1.0, 1.0]),
            Err(GridNotIncreasing { index: 1 })
        );
        assert!(matches!(
            wasserstein1_to_density(&[0.0], &[0.0, 1.0], &[0.0, 0.0]),
            Err(InvalidDensity { .. })
        ));
        let one = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let two = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let (a, b) = (
            Particles::sample(&one, 50, 1).unwrap(),
            Particles::sample(&two, 50, 1).unwrap(),
        );
        // max_points = 0 used to be taken as 2; bandwidth 0 and mixed dimensions gave NaN.
        assert!(matches!(
            mmd_squared(&a, &a, 1.0, 0),
            Err(InvalidParameter {
                name: "max_points",
                ..
            })
        ));
        assert!(matches!(
            mmd_squared(&a, &a, 0.0, 10),
            Err(InvalidParameter {
                name: "bandwidth",
                ..
            })
        ));
        assert_eq!(
            mmd_squared(&a, &b, 1.0, 10),
            Err(DimensionMismatch {
                expected: 1,
                found: 2
            })
        );
        // Mixed dimensions used to give NaN occupancies.
        assert_eq!(
            mode_occupancy(&one, &b),
            Err(DimensionMismatch {
                expected: 1,
                found: 2
            })
        );
    }
}
