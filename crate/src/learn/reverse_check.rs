//! How close a reverse-time sampler's samples at t = 0 come to the data: the
//! Kolmogorov–Smirnov distance to the data mixture in 1-D.

use super::error::LearnError;
use crate::analysis::diagnostics::{ks_p_value, ks_statistic, mixture_cdf};
use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;
use crate::sample::reverse::ReverseRun;

/// The KS distance D of a 1-D run's samples at t = 0 from the mixture `data`, and its p-value.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
/// let start = Particles::sample(&vp.marginal(1.0)?, 1000, 1)?;
/// let run = ReverseSampler::Ode.steps(100).run(&vp, &vp, &start)?;
/// let (d, p) = scorelab::learn::ks_to_data(&run, &data)?;
/// assert!(d < 0.06 && p > 0.01, "D = {d}, p = {p}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`LearnError::DimensionMismatch`] unless both are 1-D, [`LearnError::EmptySamples`] for a run
/// without samples, [`LearnError::Diagnostic`] if a sample is not finite.
pub fn ks_to_data(run: &ReverseRun, data: &GaussianMixture) -> Result<(f64, f64), LearnError> {
    for found in [run.samples().dim(), data.dim()] {
        if found != 1 {
            return Err(LearnError::DimensionMismatch { expected: 1, found });
        }
    }
    let x = run.samples().coordinate(0);
    if x.is_empty() {
        return Err(LearnError::EmptySamples);
    }
    let d = ks_statistic(&x, |v| mixture_cdf(data, v).unwrap_or(f64::NAN))?;
    Ok((d, ks_p_value(d, x.len())?))
}
