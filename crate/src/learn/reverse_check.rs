//! How close a reverse-time sampler's samples at t = 0 come to the data, and how that depends on
//! the number of steps: the Kolmogorov–Smirnov distance to the data mixture in 1-D.

use super::error::LearnError;
use crate::analysis::diagnostics::{ks_p_value, ks_statistic, mixture_cdf};
use crate::model::diffusion::{Diffusion, TimeScore};
use crate::model::mixture::GaussianMixture;
use crate::model::score::Dimension;
use crate::sample::ensemble::Particles;
use crate::sample::reverse::{ReverseRun, ReverseSampler};

/// The KS distance D of a 1-D run's samples at t = 0 from the mixture `data`, and its p-value.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1, 20.0)?;
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

/// The KS distance to the process's data after a run of each step count in `steps`, all from
/// the same `start` particles and `seed`: one curve of "how many steps are needed".
///
/// # Errors
/// As [`ReverseRunner::run`](crate::ReverseRunner::run) and [`ks_to_data`].
pub fn steps_study(
    sampler: ReverseSampler,
    process: &Diffusion,
    score: &dyn TimeScore,
    start: &Particles,
    steps: &[usize],
    seed: u64,
) -> Result<Vec<f64>, LearnError> {
    steps
        .iter()
        .map(|&n| {
            let run = sampler.steps(n).seed(seed).run(process, score, start)?;
            Ok(ks_to_data(&run, process.data())?.0)
        })
        .collect()
}
