//! The experiments of the teaching notebooks, computed here and returned as data: each result
//! has a `.figure()` (drawn in the plot layer) and shows that figure when it is a notebook cell's
//! value, so a cell stays one line and tests check the numbers without drawing.

use std::ops::RangeInclusive;

use ndarray::Array1;

use crate::analysis::diagnostics::{
    ks_statistic, mixture_cdf, mmd_squared, mode_occupancy, wasserstein1_to_density,
};
use crate::analysis::study_error::StudyError;
use crate::error::SamplerError;
use crate::model::mixture::GaussianMixture;
use crate::model::score::{Dimension, Score, finite_difference_score};
use crate::sample::annealed::AnnealedLangevin;
use crate::sample::ensemble::{Particles, Snapshots};
use crate::sample::langevin::Ula;
use crate::sample::mala::Mala;
use crate::sample::seeding::{Purpose, stream_key};

fn require_dim(mixture: &GaussianMixture, dim: usize) -> Result<(), StudyError> {
    if mixture.dim() == dim {
        Ok(())
    } else {
        Err(StudyError::WrongDimension {
            expected: dim,
            found: mixture.dim(),
        })
    }
}

/// `n` evenly spaced points over `range`, both ends included.
fn grid(range: &RangeInclusive<f64>, n: usize) -> Vec<f64> {
    Array1::linspace(*range.start(), *range.end(), n).to_vec()
}

/// The 1-D score at each point of `xs`.
fn score_1d(mixture: &GaussianMixture, xs: &[f64]) -> Vec<f64> {
    xs.iter().map(|&x| mixture.score(&[x])[0]).collect()
}

/// The Stein score ∇ₓ log p(x) beside the ordinary scores ∇_{μₖ} log p(x) of a 1-D mixture.
#[derive(Debug, Clone, PartialEq)]
pub struct SteinVsOrdinary {
    /// The grid.
    pub xs: Vec<f64>,
    /// ∇ₓ log p at each point.
    pub stein: Vec<f64>,
    /// ∇_{μₖ} log p at each point, one row per component k.
    pub ordinary: Vec<Vec<f64>>,
}

/// The Stein score beside the ordinary scores of a 1-D mixture over `range`. The Stein score
/// moves the point; the ordinary score moves a parameter, and is large only where its component
/// is responsible for x.
///
/// # Errors
/// [`StudyError::WrongDimension`] unless the mixture is 1-D.
pub fn stein_vs_ordinary(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
) -> Result<SteinVsOrdinary, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 600);
    let ordinary = (0..mixture.n_components())
        .map(|k| {
            xs.iter()
                .map(|&x| mixture.mean_score(&[x], k).map_or(f64::NAN, |g| g[0]))
                .collect()
        })
        .collect();
    Ok(SteinVsOrdinary {
        stein: score_1d(mixture, &xs),
        xs,
        ordinary,
    })
}

/// The analytic score against a central finite difference of log p.
#[derive(Debug, Clone, PartialEq)]
pub struct FiniteDifferenceCheck {
    /// The grid.
    pub xs: Vec<f64>,
    /// The analytic score.
    pub analytic: Vec<f64>,
    /// The finite difference with step h.
    pub numeric: Vec<f64>,
    /// The step h.
    pub h: f64,
    /// The largest |analytic − numeric| over the grid.
    pub worst: f64,
}

/// The analytic score of a 1-D mixture against a central finite difference of log p with step `h`.
///
/// # Errors
/// [`StudyError::WrongDimension`] unless the mixture is 1-D.
pub fn finite_difference_check(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
    h: f64,
) -> Result<FiniteDifferenceCheck, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 400);
    let analytic = score_1d(mixture, &xs);
    let numeric: Vec<f64> = xs
        .iter()
        .map(|&x| finite_difference_score(mixture, &[x], h)[0])
        .collect();
    let worst = analytic
        .iter()
        .zip(&numeric)
        .map(|(a, n)| (a - n).abs())
        .fold(0.0, f64::max);
    Ok(FiniteDifferenceCheck {
        xs,
        analytic,
        numeric,
        h,
        worst,
    })
}

/// The naive score ∇p / p beside the exact log-sum-exp score.
#[derive(Debug, Clone, PartialEq)]
pub struct NaiveVsExact {
    /// The grid.
    pub xs: Vec<f64>,
    /// The exact score.
    pub exact: Vec<f64>,
    /// ∇p / p in floating point ([`naive_score_1d`]).
    pub naive: Vec<f64>,
    /// How many naive values are not finite (0/0 where p underflows).
    pub lost: usize,
}

/// The naive score ∇p(x) / p(x), computed in floating point as the original notebook does,
/// beside the exact score: where p underflows to 0 the naive one is 0/0.
///
/// # Errors
/// [`StudyError::WrongDimension`] unless the mixture is 1-D.
pub fn naive_vs_exact(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
) -> Result<NaiveVsExact, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 481);
    let naive: Vec<f64> = xs.iter().map(|&x| naive_score_1d(mixture, x)).collect();
    Ok(NaiveVsExact {
        exact: score_1d(mixture, &xs),
        lost: naive.iter().filter(|v| !v.is_finite()).count(),
        xs,
        naive,
    })
}

/// ∇p(x) / p(x) with p and ∇p summed as plain floating-point densities.
pub fn naive_score_1d(mixture: &GaussianMixture, x: f64) -> f64 {
    let (mut p, mut dp) = (0.0, 0.0);
    for k in 0..mixture.n_components() {
        let mu = mixture.mean(k).map_or(0.0, |m| m[0]);
        let var = mixture.covariance(k).map_or(1.0, |c| c[0]);
        let density = mixture.weights()[k] * (-(x - mu) * (x - mu) / (2.0 * var)).exp()
            / (2.0 * std::f64::consts::PI * var).sqrt();
        p += density;
        dp += -density * (x - mu) / var;
    }
    dp / p
}

/// ULA's and MALA's stationary variance on N(0, σ²) against step size.
#[derive(Debug, Clone, PartialEq)]
pub struct StepSizeBias {
    /// σ of the target.
    pub sigma: f64,
    /// The step sizes ε.
    pub steps: Vec<f64>,
    /// Steps run per ensemble.
    pub n_steps: usize,
    /// Particles per ensemble.
    pub particles: usize,
    /// ULA's measured variance at each step size.
    pub ula: Vec<f64>,
    /// MALA's measured variance at each step size.
    pub mala: Vec<f64>,
}

impl StepSizeBias {
    /// ULA's predicted stationary variance σ² / (1 − ε / 2σ²).
    pub fn predicted(&self, eps: f64) -> f64 {
        let s2 = self.sigma * self.sigma;
        s2 / (1.0 - eps / (2.0 * s2))
    }
}

/// ULA's stationary variance on N(0, σ²) against step size ε, measured with an ensemble of
/// `particles` started from exact samples, to compare with σ² / (1 − ε / 2σ²); MALA's at the same
/// steps stays at σ².
///
/// # Errors
/// [`StudyError::Sampler`] unless every step lies in (0, 2σ²), or σ is invalid.
pub fn step_size_bias(
    sigma: f64,
    steps: &[f64],
    particles: usize,
    seed: u64,
) -> Result<StepSizeBias, StudyError> {
    let target = GaussianMixture::new_1d(&[1.0], &[0.0], &[sigma])?;
    let s2 = sigma * sigma;
    if let Some(&bad) = steps.iter().find(|&&e| !(e > 0.0 && e < 2.0 * s2)) {
        return Err(SamplerError::InvalidParameter {
            name: "step size",
            value: bad,
            reason: "steps must lie in (0, 2σ²)",
        }
        .into());
    }
    let start = Particles::sample(&target, particles, seed)?;
    let variance = |p: &Particles| {
        let x = p.coordinate(0);
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0)
    };
    let n_steps = 400;
    let (mut ula, mut mala) = (Vec::new(), Vec::new());
    for (i, &eps) in steps.iter().enumerate() {
        let s = stream_key(seed, Purpose::Run, i);
        let u = Ula::new(eps)?.run_ensemble(&target, &start, n_steps, &[n_steps], s)?;
        let m = Mala::new(eps)?.run_ensemble(&target, &start, n_steps, &[n_steps], s)?;
        ula.push(u.last().map_or(f64::NAN, variance));
        mala.push(m.last().map_or(f64::NAN, variance));
    }
    Ok(StepSizeBias {
        sigma,
        steps: steps.to_vec(),
        n_steps,
        particles,
        ula,
        mala,
    })
}

/// The fraction of particles in each mode at each recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct OccupancyOverTime {
    /// The recorded steps.
    pub steps: Vec<usize>,
    /// Occupancy per step, one value per component.
    pub occupancy: Vec<Vec<f64>>,
    /// The mixture's weights.
    pub weights: Vec<f64>,
    /// The mixture's means.
    pub means: Vec<Vec<f64>>,
}

/// Fraction of particles in each mode against step, to compare with the mode weights.
///
/// # Errors
/// [`StudyError::NoSnapshots`] for empty snapshots, [`StudyError::Diagnostic`] if the particles
/// do not have the mixture's dimension.
pub fn occupancy_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
) -> Result<OccupancyOverTime, StudyError> {
    if snapshots.is_empty() {
        return Err(StudyError::NoSnapshots);
    }
    let occupancy = snapshots
        .iter()
        .map(|(_, p)| mode_occupancy(mixture, p))
        .collect::<Result<_, _>>()?;
    Ok(OccupancyOverTime {
        steps: snapshots.steps().to_vec(),
        occupancy,
        weights: mixture.weights().to_vec(),
        means: (0..mixture.n_components())
            .map(|k| mixture.mean(k).unwrap_or_default().to_vec())
            .collect(),
    })
}

/// The KS statistic and W1 distance of 1-D particle clouds to their target, per recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct DistancesOverTime {
    /// The recorded steps.
    pub steps: Vec<usize>,
    /// Kolmogorov–Smirnov D per step.
    pub ks: Vec<f64>,
    /// Wasserstein W1 per step.
    pub w1: Vec<f64>,
}

/// KS statistic and W1 distance of 1-D particle clouds to the target, against step.
///
/// # Errors
/// [`StudyError::WrongDimension`] unless the mixture is 1-D, [`StudyError::NoSnapshots`] for
/// empty snapshots, [`StudyError::Diagnostic`] for clouds of another dimension.
pub fn distances_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
) -> Result<DistancesOverTime, StudyError> {
    require_dim(mixture, 1)?;
    if snapshots.is_empty() {
        return Err(StudyError::NoSnapshots);
    }
    let (lo, hi) = mixture_range(mixture);
    let xs = grid(&(lo..=hi), 4001);
    let pdf: Vec<f64> = xs.iter().map(|&x| mixture.pdf(&[x])).collect();
    let (mut ks, mut w1) = (Vec::new(), Vec::new());
    for (_, p) in snapshots.iter() {
        if p.dim() != 1 {
            return Err(StudyError::WrongDimension {
                expected: 1,
                found: p.dim(),
            });
        }
        let samples = p.coordinate(0);
        ks.push(ks_statistic(&samples, |x| {
            mixture_cdf(mixture, x).unwrap_or(f64::NAN)
        })?);
        w1.push(wasserstein1_to_density(&samples, &xs, &pdf)?);
    }
    Ok(DistancesOverTime {
        steps: snapshots.steps().to_vec(),
        ks,
        w1,
    })
}

/// A range covering every component of a 1-D mixture to ±8 standard deviations.
fn mixture_range(mixture: &GaussianMixture) -> (f64, f64) {
    (0..mixture.n_components()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), k| {
        let mu = mixture.mean(k).map_or(0.0, |m| m[0]);
        let sd = mixture.covariance(k).map_or(1.0, |c| c[0].sqrt());
        (lo.min(mu - 8.0 * sd), hi.max(mu + 8.0 * sd))
    })
}

/// MMD² of particle clouds to exact samples of their target, per recorded step.
#[derive(Debug, Clone, PartialEq)]
pub struct MmdOverTime {
    /// The recorded steps.
    pub steps: Vec<usize>,
    /// MMD² per step (Gaussian kernel, bandwidth 1, up to 1000 points per cloud).
    pub mmd: Vec<f64>,
}

/// MMD² between particle clouds and 1000 exact samples of the target, against step.
///
/// # Errors
/// [`StudyError::NoSnapshots`] for empty snapshots, [`StudyError::Diagnostic`] for clouds of
/// another dimension or of fewer than 2 particles.
pub fn mmd_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
    seed: u64,
) -> Result<MmdOverTime, StudyError> {
    if snapshots.is_empty() {
        return Err(StudyError::NoSnapshots);
    }
    let reference = Particles::sample(mixture, 1000, seed)?;
    let mmd = snapshots
        .iter()
        .map(|(_, p)| mmd_squared(p, &reference, 1.0, 1000))
        .collect::<Result<_, _>>()?;
    Ok(MmdOverTime {
        steps: snapshots.steps().to_vec(),
        mmd,
    })
}

/// Densities of the noise-perturbed mixtures p_σ of a 1-D mixture.
#[derive(Debug, Clone, PartialEq)]
pub struct NoiseLevels1d {
    /// The grid.
    pub xs: Vec<f64>,
    /// The noise levels σ.
    pub sigmas: Vec<f64>,
    /// p_σ on the grid, one row per σ.
    pub densities: Vec<Vec<f64>>,
}

/// The densities of p_σ = Σ wₖ N(μₖ, σₖ² + σ²) of a 1-D mixture over `range`, one per σ.
///
/// # Errors
/// [`StudyError::WrongDimension`] unless the mixture is 1-D, [`StudyError::Mixture`] for an
/// invalid σ.
pub fn noise_levels_1d(
    mixture: &GaussianMixture,
    sigmas: &[f64],
    range: RangeInclusive<f64>,
) -> Result<NoiseLevels1d, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 600);
    let densities = sigmas
        .iter()
        .map(|&s| {
            let p = mixture.perturbed(s)?;
            Ok(xs.iter().map(|&x| p.pdf(&[x])).collect())
        })
        .collect::<Result<_, StudyError>>()?;
    Ok(NoiseLevels1d {
        xs,
        sigmas: sigmas.to_vec(),
        densities,
    })
}

/// Annealed Langevin and plain ULA of the same number of steps from the same start.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnealedVsUla {
    /// The target.
    pub mixture: GaussianMixture,
    /// The range the histograms cover.
    pub range: RangeInclusive<f64>,
    /// Steps of each run.
    pub cost: usize,
    /// ULA's step size.
    pub ula_step: f64,
    /// The annealed particles at the end.
    pub annealed: Particles,
    /// The ULA particles at the end.
    pub ula: Particles,
    /// Mode occupancy of the annealed particles.
    pub annealed_occupancy: Vec<f64>,
    /// Mode occupancy of the ULA particles.
    pub ula_occupancy: Vec<f64>,
}

/// Annealed Langevin and plain ULA (step `ula_step`) of the same number of steps from `start`,
/// with each one's mode occupancy to compare with the weights.
///
/// # Errors
/// [`StudyError::WrongDimension`] unless the mixture is 1-D, and the samplers' errors.
pub fn annealed_vs_ula(
    mixture: &GaussianMixture,
    annealed: &AnnealedLangevin,
    ula_step: f64,
    start: &Particles,
    range: RangeInclusive<f64>,
    seed: u64,
) -> Result<AnnealedVsUla, StudyError> {
    require_dim(mixture, 1)?;
    let levels = annealed.perturbed_levels(mixture)?;
    let cost = annealed.total_steps();
    let a = annealed.run_ensemble(&levels, start, &[cost], seed)?;
    let u = Ula::new(ula_step)?.run_ensemble(mixture, start, cost, &[cost], seed)?;
    let (a, u) = match (a.last(), u.last()) {
        (Some(a), Some(u)) => (a.clone(), u.clone()),
        _ => return Err(StudyError::NoSnapshots),
    };
    Ok(AnnealedVsUla {
        mixture: mixture.clone(),
        range,
        cost,
        ula_step,
        annealed_occupancy: mode_occupancy(mixture, &a)?,
        ula_occupancy: mode_occupancy(mixture, &u)?,
        annealed: a,
        ula: u,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_score_breaks_where_the_density_underflows() {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
        assert!((naive_score_1d(&gm, 1.0) - gm.score(&[1.0])[0]).abs() < 1e-12);
        assert!(naive_score_1d(&gm, 45.0).is_nan());
        assert!(gm.score(&[45.0])[0].is_finite());
        let study = naive_vs_exact(&gm, -60.0..=60.0).unwrap();
        assert!(study.lost > 0 && study.exact.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn studies_reject_the_wrong_dimension() {
        let gm2 = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let err = stein_vs_ordinary(&gm2, -1.0..=1.0).unwrap_err();
        assert!(err.to_string().contains("1-D mixture"), "{err}");
    }

    #[test]
    fn a_run_without_snapshots_is_refused_before_any_study() {
        // The studies also reject empty snapshots (`StudyError::NoSnapshots`), but the engine
        // refuses to make them: recording nothing is a mistake, not a result.
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let start = Particles::uniform(10, 1, -1.0, 1.0, 1).unwrap();
        let err = Ula::new(0.1)
            .unwrap()
            .run_ensemble(&gm, &start, 5, &[], 1)
            .unwrap_err();
        assert!(err.to_string().contains("snapshots = 0"), "{err}");
    }

    #[test]
    fn the_grid_is_ndarray_linspace() {
        assert_eq!(grid(&(-1.0..=1.0), 5), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    }
}
