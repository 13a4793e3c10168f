//! How close a reverse-time sampler's samples at t = 0 come to the data: the
//! Kolmogorov–Smirnov distance to the data mixture in 1-D.

use super::error::LearnError;
use crate::analysis::diagnostics::{ks_statistic, mixture_cdf};
use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;
use crate::sample::reverse::ReverseRun;

/// The Kolmogorov–Smirnov distance D of a 1-D run's samples at t = 0 from the mixture `data`:
/// the largest gap between their empirical CDF and the mixture's, $D = \sup_x|F_n(x) - F(x)|$.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
/// let start = Particles::sample(&vp.marginal(1.0)?, 1000, 1)?;
/// let run = ReverseSampler::Ode.steps(100).run(&vp, &vp, &start)?;
/// let d = scorelab::learn::ks_to_data(&run, &data)?;
/// assert!(d < 0.06, "D = {d}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`LearnError::DimensionMismatch`] unless both are 1-D, [`LearnError::EmptySamples`] for a run
/// without samples, [`LearnError::Diagnostic`] if a sample is not finite.
pub fn ks_to_data(run: &ReverseRun, data: &GaussianMixture) -> Result<f64, LearnError> {
    for found in [run.samples().dim(), data.dim()] {
        if found != 1 {
            return Err(LearnError::DimensionMismatch { expected: 1, found });
        }
    }
    let x = run.samples().coordinate(0);
    if x.is_empty() {
        return Err(LearnError::EmptySamples);
    }
    Ok(ks_statistic(&x, |v| {
        mixture_cdf(data, v).unwrap_or(f64::NAN)
    })?)
}

/// The mean distance between paired samples at t = 0 of two runs from the same start,
/// $\frac1n\sum_i\lVert x_i - y_i\rVert$: for the deterministic ODE, how far one score's flow
/// carries each particle from where another's does.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
/// let start = Particles::sample(&vp.marginal(1.0)?, 200, 1)?;
/// let coarse = ReverseSampler::Ode.steps(10).run(&vp, &vp, &start)?;
/// let fine = ReverseSampler::Ode.steps(400).run(&vp, &vp, &start)?;
/// assert_eq!(scorelab::learn::paired_gap(&fine, &fine)?, 0.0);
/// assert!(scorelab::learn::paired_gap(&coarse, &fine)? > 0.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`LearnError::DimensionMismatch`] for runs of different dimensions,
/// [`LearnError::InvalidParameter`] for different numbers of samples,
/// [`LearnError::EmptySamples`] for none.
pub fn paired_gap(a: &ReverseRun, b: &ReverseRun) -> Result<f64, LearnError> {
    let (a, b) = (a.samples(), b.samples());
    if a.dim() != b.dim() {
        return Err(LearnError::DimensionMismatch {
            expected: a.dim(),
            found: b.dim(),
        });
    }
    if a.len() != b.len() {
        return Err(LearnError::InvalidParameter {
            name: "paired samples",
            value: b.len() as f64,
            reason: "both runs need as many samples, from the same start",
        });
    }
    if a.is_empty() {
        return Err(LearnError::EmptySamples);
    }
    let total: f64 = a
        .points()
        .zip(b.points())
        .map(|(x, y)| {
            x.iter()
                .zip(y)
                .map(|(p, q)| (p - q) * (p - q))
                .sum::<f64>()
                .sqrt()
        })
        .sum();
    Ok(total / a.len() as f64)
}
