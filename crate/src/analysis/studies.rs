//! The experiments of the teaching notebooks, each computed here and returned as a figure, so a
//! notebook cell stays one line and the numbers behind it are tested.

use std::ops::RangeInclusive;

use crate::analysis::diagnostics::{
    ks_statistic, mixture_cdf, mmd_squared, mode_occupancy, wasserstein1_to_density,
};
use crate::error::{MixtureError, PlotError, SamplerError};
use crate::model::mixture::GaussianMixture;
use crate::model::score::{finite_difference_score, Dimension, Score};
use crate::plot::Figure;
use crate::plot::{Histograms, LinePlot};
use crate::sample::annealed::AnnealedLangevin;
use crate::sample::ensemble::{Particles, Snapshots};
use crate::sample::langevin::Ula;
use crate::sample::mala::Mala;

/// Any error of a study: bad mixture, sampler or figure parameters.
#[derive(Debug)]
pub enum StudyError {
    /// See [`MixtureError`].
    Mixture(MixtureError),
    /// See [`SamplerError`].
    Sampler(SamplerError),
    /// See [`PlotError`].
    Plot(PlotError),
    /// The study needs a mixture of another dimension.
    WrongDimension {
        /// What was required.
        expected: usize,
        /// What was given.
        found: usize,
    },
}

impl std::fmt::Display for StudyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StudyError::Mixture(e) => e.fmt(f),
            StudyError::Sampler(e) => e.fmt(f),
            StudyError::Plot(e) => e.fmt(f),
            StudyError::WrongDimension { expected, found } => {
                write!(
                    f,
                    "this study needs a {expected}-D mixture, got dimension {found}"
                )
            }
        }
    }
}

impl std::error::Error for StudyError {}

impl From<MixtureError> for StudyError {
    fn from(e: MixtureError) -> Self {
        StudyError::Mixture(e)
    }
}
impl From<SamplerError> for StudyError {
    fn from(e: SamplerError) -> Self {
        StudyError::Sampler(e)
    }
}
impl From<PlotError> for StudyError {
    fn from(e: PlotError) -> Self {
        StudyError::Plot(e)
    }
}

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

fn grid(range: &RangeInclusive<f64>, n: usize) -> Vec<f64> {
    let (a, b) = (*range.start(), *range.end());
    (0..n)
        .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
        .collect()
}

/// The Stein score ∇ₓ log p(x) beside the ordinary scores ∇_{μₖ} log p(x) of a 1-D mixture.
///
/// The Stein score moves the point; the ordinary score moves a parameter. Each ordinary score is
/// large only where its component is responsible for x.
pub fn stein_vs_ordinary(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
) -> Result<Figure, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 600);
    let stein: Vec<f64> = xs.iter().map(|&x| mixture.score(&[x])[0]).collect();
    let mut plot = LinePlot::new("Stein score ∇ₓ log p vs ordinary scores ∇_μₖ log p")
        .labels("x", "score")
        .line("Stein score ∇ₓ log p(x)", &xs, &stein);
    for k in 0..mixture.n_components() {
        let ys: Vec<f64> = xs
            .iter()
            .map(|&x| mixture.mean_score(&[x], k).map_or(f64::NAN, |g| g[0]))
            .collect();
        plot = plot.dashed(format!("ordinary score ∇_μ{k} log p(x)"), &xs, &ys);
    }
    Ok(plot.render()?)
}

/// The analytic score against a central finite difference of log p with step `h`, and the
/// largest difference between them in the title.
pub fn finite_difference_check(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
    h: f64,
) -> Result<Figure, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 400);
    let analytic: Vec<f64> = xs.iter().map(|&x| mixture.score(&[x])[0]).collect();
    let numeric: Vec<f64> = xs
        .iter()
        .map(|&x| finite_difference_score(mixture, &[x], h)[0])
        .collect();
    let worst = analytic
        .iter()
        .zip(&numeric)
        .map(|(a, n)| (a - n).abs())
        .fold(0.0, f64::max);
    let every = |v: &[f64]| v.iter().step_by(10).cloned().collect::<Vec<_>>();
    Ok(LinePlot::new(format!(
        "Analytic score vs finite difference (h = {h:e}): max |difference| = {worst:.1e}"
    ))
    .labels("x", "score")
    .line("analytic −Σ rₖ Σₖ⁻¹(x − μₖ)", &xs, &analytic)
    .points("finite difference of log p", &every(&xs), &every(&numeric))
    .render()?)
}

/// The naive score ∇p(x) / p(x), computed in floating point as the original notebook does, beside
/// the exact log-sum-exp score: where p underflows to 0 the naive one is 0/0 (missing points).
pub fn naive_vs_exact(
    mixture: &GaussianMixture,
    range: RangeInclusive<f64>,
) -> Result<Figure, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 481);
    let exact: Vec<f64> = xs.iter().map(|&x| mixture.score(&[x])[0]).collect();
    let naive: Vec<f64> = xs.iter().map(|&x| naive_score_1d(mixture, x)).collect();
    let lost = naive.iter().filter(|v| !v.is_finite()).count();
    Ok(LinePlot::new(format!(
        "Exact score vs ∇p / p: {lost} of {} points are 0/0 = NaN",
        xs.len()
    ))
    .labels("x", "score")
    .line("exact (log-sum-exp)", &xs, &exact)
    .points("naive ∇p / p", &xs, &naive)
    .render()?)
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

/// ULA's stationary variance on N(0, σ²) against step size ε, measured with an ensemble and
/// compared with σ² / (1 − ε / 2σ²); MALA's at the same steps stays at σ².
pub fn step_size_bias(
    sigma: f64,
    steps: &[f64],
    particles: usize,
    seed: u64,
) -> Result<Figure, StudyError> {
    let target = GaussianMixture::new_1d(&[1.0], &[0.0], &[sigma])?;
    let start = Particles::sample(&target, particles, seed)?;
    let variance = |p: &Particles| {
        let x = p.coordinate(0);
        let n = x.len() as f64;
        let m = x.iter().sum::<f64>() / n;
        x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0)
    };
    let n_steps = 400;
    let (mut ula_v, mut mala_v) = (Vec::new(), Vec::new());
    for (i, &eps) in steps.iter().enumerate() {
        let s = seed.wrapping_add(i as u64 + 1);
        let u = Ula::new(eps)?.run_ensemble(&target, &start, n_steps, &[n_steps], s)?;
        let m = Mala::new(eps)?.run_ensemble(&target, &start, n_steps, &[n_steps], s)?;
        ula_v.push(u.last().map_or(f64::NAN, variance));
        mala_v.push(m.last().map_or(f64::NAN, variance));
    }
    let s2 = sigma * sigma;
    let lo = steps.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = steps.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if !(lo > 0.0 && hi < 2.0 * s2) {
        return Err(SamplerError::InvalidParameter {
            name: "step size",
            value: hi,
            reason: "steps must lie in (0, 2σ²)",
        }
        .into());
    }
    let fine = grid(&(lo..=hi), 200);
    let predicted: Vec<f64> = fine.iter().map(|e| s2 / (1.0 - e / (2.0 * s2))).collect();
    Ok(LinePlot::new(format!(
        "Stationary variance on N(0, {s2}) after {n_steps} steps, {particles} particles"
    ))
    .labels("step size ε", "variance")
    .dashed("ULA predicted σ²/(1 − ε/2σ²)", &fine, &predicted)
    .points("ULA measured", steps, &ula_v)
    .points("MALA measured", steps, &mala_v)
    .dashed("target σ²", &[fine[0], fine[fine.len() - 1]], &[s2, s2])
    .log_y(true)
    .render()?)
}

/// Fraction of particles in each mode against step, with the mode weights dashed.
pub fn occupancy_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
) -> Result<Figure, StudyError> {
    let steps: Vec<f64> = snapshots.steps().iter().map(|&s| s as f64).collect();
    let occupancy: Vec<Vec<f64>> = snapshots
        .iter()
        .map(|(_, p)| mode_occupancy(mixture, p))
        .collect();
    let mut plot = LinePlot::new("Mode occupancy over time")
        .labels("step", "fraction of particles")
        .y_range(0.0, 1.0);
    let ends = [steps[0], steps[steps.len() - 1]];
    for k in 0..mixture.n_components() {
        let ys: Vec<f64> = occupancy.iter().map(|o| o[k]).collect();
        plot = plot
            .line(
                format!("mode {k} (μ = {:?})", mixture.mean(k).unwrap_or_default()),
                &steps,
                &ys,
            )
            .color(k);
    }
    for k in 0..mixture.n_components() {
        let w = mixture.weights()[k];
        plot = plot
            .dashed(format!("weight w{k} = {w}"), &ends, &[w, w])
            .color(k);
    }
    Ok(plot.render()?)
}

/// KS statistic and W1 distance of 1-D particle clouds to the target, against step.
pub fn distances_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
) -> Result<Figure, StudyError> {
    require_dim(mixture, 1)?;
    let steps: Vec<f64> = snapshots.steps().iter().map(|&s| s as f64).collect();
    let (lo, hi) = (mixture_range(mixture).0, mixture_range(mixture).1);
    let xs = grid(&(lo..=hi), 4001);
    let pdf: Vec<f64> = xs.iter().map(|&x| mixture.pdf(&[x])).collect();
    let (mut ks, mut w1) = (Vec::new(), Vec::new());
    for (_, p) in snapshots.iter() {
        let samples = p.coordinate(0);
        ks.push(ks_statistic(&samples, |x| {
            mixture_cdf(mixture, x).unwrap_or(f64::NAN)
        }));
        w1.push(wasserstein1_to_density(&samples, &xs, &pdf));
    }
    Ok(LinePlot::new("Distance of the particles to the target")
        .labels("step", "distance")
        .line("Kolmogorov–Smirnov D", &steps, &ks)
        .line("Wasserstein W1", &steps, &w1)
        .render()?)
}

/// A range covering every component of a 1-D mixture to ±8 standard deviations.
fn mixture_range(mixture: &GaussianMixture) -> (f64, f64) {
    (0..mixture.n_components()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), k| {
        let mu = mixture.mean(k).map_or(0.0, |m| m[0]);
        let sd = mixture.covariance(k).map_or(1.0, |c| c[0].sqrt());
        (lo.min(mu - 8.0 * sd), hi.max(mu + 8.0 * sd))
    })
}

/// MMD² between 2-D particle clouds and exact samples of the target, against step.
pub fn mmd_over_time(
    mixture: &GaussianMixture,
    snapshots: &Snapshots,
    seed: u64,
) -> Result<Figure, StudyError> {
    let reference = Particles::sample(mixture, 1000, seed)?;
    let steps: Vec<f64> = snapshots.steps().iter().map(|&s| s as f64).collect();
    let mmd: Vec<f64> = snapshots
        .iter()
        .map(|(_, p)| mmd_squared(p, &reference, 1.0, 1000).max(1e-6))
        .collect();
    Ok(
        LinePlot::new("MMD² to exact samples (Gaussian kernel, h = 1)")
            .labels("step", "MMD²")
            .line("particles vs target", &steps, &mmd)
            .log_y(true)
            .render()?,
    )
}

/// Densities of the noise-perturbed mixtures p_σ of a 1-D mixture, one curve per σ.
pub fn noise_levels_1d(
    mixture: &GaussianMixture,
    sigmas: &[f64],
    range: RangeInclusive<f64>,
) -> Result<Figure, StudyError> {
    require_dim(mixture, 1)?;
    let xs = grid(&range, 600);
    let mut plot = LinePlot::new("Noise-perturbed densities p_σ = Σ wₖ N(μₖ, σₖ² + σ²)")
        .labels("x", "density");
    for &s in sigmas {
        let p = mixture.perturbed(s)?;
        let ys: Vec<f64> = xs.iter().map(|&x| p.pdf(&[x])).collect();
        plot = plot.line(format!("σ = {s}"), &xs, &ys);
    }
    Ok(plot.render()?)
}

/// Annealed Langevin and plain ULA of the same number of steps from the same start, side by
/// side as histograms, titled with each one's mode occupancy against the weights.
pub fn annealed_vs_ula(
    mixture: &GaussianMixture,
    annealed: &AnnealedLangevin,
    ula_step: f64,
    start: &Particles,
    range: RangeInclusive<f64>,
    seed: u64,
) -> Result<Figure, StudyError> {
    require_dim(mixture, 1)?;
    let levels = annealed.perturbed_levels(mixture)?;
    let cost = annealed.total_steps();
    let a = annealed.run_ensemble(&levels, start, &[cost], seed)?;
    let u = Ula::new(ula_step)?.run_ensemble(mixture, start, cost, &[cost], seed)?;
    let fmt = |o: Vec<f64>| {
        o.iter()
            .map(|v| format!("{v:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (ca, cu) = (
        a.last().ok_or(SamplerError::NonFiniteStart)?,
        u.last().ok_or(SamplerError::NonFiniteStart)?,
    );
    Ok(Histograms::new(mixture, range)
        .panel(
            format!(
                "annealed, {cost} steps: occupancy {}",
                fmt(mode_occupancy(mixture, ca))
            ),
            ca,
        )
        .panel(
            format!(
                "ULA ε = {ula_step}, {cost} steps: occupancy {}",
                fmt(mode_occupancy(mixture, cu))
            ),
            cu,
        )
        .panel_size(620, 380)
        .render()?)
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
    }

    #[test]
    fn studies_reject_the_wrong_dimension() {
        let gm2 = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let err = stein_vs_ordinary(&gm2, -1.0..=1.0).unwrap_err();
        assert!(err.to_string().contains("1-D mixture"), "{err}");
    }
}
