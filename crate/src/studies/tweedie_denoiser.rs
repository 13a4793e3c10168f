//! [`TweedieDenoiser`]: Tweedie's posterior mean E[x | x̃] against noisy and clean pairs in 1-D.

use std::ops::RangeInclusive;

use rand_distr::{Distribution, StandardNormal};

use super::error::StudyError;
use super::shared::require_dim;
use crate::learn::tweedie;
use crate::model::mixture::GaussianMixture;
use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::ensemble::Particles;
use crate::sample::seeding::{Purpose, stream_rng};

/// Tweedie's denoiser in 1-D: pairs (noisy x̃ = x + σz, clean x), and the posterior mean
/// $\mathbb E[x\mid\tilde x] = \tilde x + \sigma^2\nabla\log p_\sigma(\tilde x)$ on a grid.
#[derive(Debug, Clone, PartialEq)]
pub struct TweedieDenoiser {
    /// The noise level σ.
    pub sigma: f64,
    /// The range of x̃ the denoiser is drawn over.
    pub range: RangeInclusive<f64>,
    /// Clean draws x from the mixture.
    pub clean: Vec<f64>,
    /// Their noisy versions x̃ = x + σz, one noise draw each.
    pub noisy: Vec<f64>,
    /// Evenly spaced x̃ over the range.
    pub grid: Vec<f64>,
    /// E[x | x̃] at each grid point.
    pub denoised: Vec<f64>,
}

/// `n` draws of the 1-D mixture `data` (seeded by `seed`), each with its own noise draw (from
/// the [`Purpose::Perturbation`] stream of the same seed), and Tweedie's denoiser over `range`.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let study = scorelab::studies::tweedie_denoiser(&gm, 0.8, 200, -5.0..=5.0, 5)?;
/// // Denoising pulls x̃ towards the nearer mode: below x̃ right of +2.
/// let i = study.grid.iter().position(|&x| x >= 4.0).unwrap();
/// assert!(study.denoised[i] < study.grid[i]);
/// assert!(study.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`StudyError::WrongDimension`] unless `data` is 1-D; [`StudyError::Mixture`] or
/// [`StudyError::Learn`] for σ ≤ 0; [`StudyError::Sampler`] for a non-finite range or too many
/// draws.
pub fn tweedie_denoiser(
    data: &GaussianMixture,
    sigma: f64,
    n: usize,
    range: RangeInclusive<f64>,
    seed: u64,
) -> Result<TweedieDenoiser, StudyError> {
    require_dim(data, 1)?;
    let (lo, hi) = (*range.start(), *range.end());
    let perturbed = data.perturbed(sigma)?;
    let clean = Particles::sample(data, n.max(2), seed)?.coordinate(0);
    // x̃ = x + σ z, each clean point with its own noise draw.
    let mut rng = stream_rng(seed, Purpose::Perturbation, 0);
    let noisy: Vec<f64> = clean
        .iter()
        .map(|x| {
            let z: f64 = StandardNormal.sample(&mut rng);
            x + sigma * z
        })
        .collect();
    let grid: Vec<f64> = (0..=300)
        .map(|i| lo + (hi - lo) * i as f64 / 300.0)
        .collect();
    let points = Particles::from_flat(1, grid.clone())?;
    let denoised = tweedie(&perturbed, sigma, &points)?.coordinate(0);
    Ok(TweedieDenoiser {
        sigma,
        range,
        clean,
        noisy,
        grid,
        denoised,
    })
}

impl TweedieDenoiser {
    /// The pairs as dots, the denoiser as a curve through them, and the identity (no
    /// denoising) dashed.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let (lo, hi) = (*self.range.start(), *self.range.end());
        LinePlot::new(format!("Tweedie's denoiser, σ = {}", self.sigma))
            .labels("noisy y = x + σz", "clean x")
            .points("pairs (y, x)", &self.noisy, &self.clean)
            .color(0)
            .line(
                "Tweedie: E[x | y] = y + σ² ∇log pσ(y)",
                &self.grid,
                &self.denoised,
            )
            .color(1)
            .dashed("no denoising: x = y", &[lo, hi], &[lo, hi])
            .color(5)
            .y_range(lo, hi)
            .render()
    }
}

shown_as_figure!(TweedieDenoiser);
