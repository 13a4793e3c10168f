//! [`TweedieDenoiser`]: Tweedie's posterior mean E[x | x̃] against noisy and clean pairs in 1-D.

use std::ops::RangeInclusive;

use rand_distr::{Distribution, StandardNormal};

use super::error::StudyError;
use super::shared::require_dim;
use crate::learn::tweedie;
use crate::model::mixture::GaussianMixture;
use crate::plot::number;
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

/// Settings of a Tweedie study on the 1-D mixture `data` at noise σ, made by
/// [`tweedie_denoiser`]; [`run`](Self::run) draws and denoises.
#[derive(Debug, Clone)]
pub struct TweedieStudy<'a> {
    data: &'a GaussianMixture,
    sigma: f64,
    draws: usize,
    seed: u64,
}

/// Tweedie's denoiser for the 1-D mixture `data` at noise `sigma`: 400 draws with seed 0
/// unless [`draws`](TweedieStudy::draws) and [`seed`](TweedieStudy::seed) say otherwise.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let study = scorelab::studies::tweedie_denoiser(&gm, 0.8).draws(200).seed(5).run()?;
/// // Denoising pulls x̃ towards the nearer mode: below x̃ right of +2.
/// let i = study.grid.iter().position(|&x| x >= 4.0).unwrap();
/// assert!(study.denoised[i] < study.grid[i]);
/// // The denoiser is drawn over every noisy point.
/// let (lo, hi) = (*study.range.start(), *study.range.end());
/// assert!(study.noisy.iter().all(|y| (lo..=hi).contains(y)));
/// assert!(study.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn tweedie_denoiser(data: &GaussianMixture, sigma: f64) -> TweedieStudy<'_> {
    TweedieStudy {
        data,
        sigma,
        draws: 400,
        seed: 0,
    }
}

impl TweedieStudy<'_> {
    /// How many clean points are drawn, each with its own noise (at least 2; 400 by default).
    pub fn draws(mut self, n: usize) -> Self {
        self.draws = n;
        self
    }

    /// The seed of the clean draws and of their noise (0 by default).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The clean draws (from stream (seed, [`Purpose::Draw`], i)), each with its own noise draw
    /// (from the [`Purpose::Perturbation`] stream of the seed), and Tweedie's denoiser over the
    /// span of the noisy points.
    ///
    /// # Errors
    /// [`StudyError::InvalidParameter`] for fewer than 2 draws;
    /// [`StudyError::WrongDimension`] unless the data is 1-D; [`StudyError::Mixture`] or
    /// [`StudyError::Learn`] for σ ≤ 0; [`StudyError::Sampler`] for too many draws.
    pub fn run(&self) -> Result<TweedieDenoiser, StudyError> {
        let (data, sigma, seed) = (self.data, self.sigma, self.seed);
        if self.draws < 2 {
            return Err(StudyError::InvalidParameter {
                name: "draws",
                value: self.draws as f64,
                reason: "the denoiser needs at least 2 draws",
            });
        }
        require_dim(data, 1)?;
        let perturbed = data.perturbed(sigma)?;
        let clean = Particles::sample(data, self.draws, seed)?.coordinate(0);
        // x̃ = x + σ z, each clean point with its own noise draw.
        let mut rng = stream_rng(seed, Purpose::Perturbation, 0);
        let noisy: Vec<f64> = clean
            .iter()
            .map(|x| {
                let z: f64 = StandardNormal.sample(&mut rng);
                x + sigma * z
            })
            .collect();
        let (lo, hi) = span(&noisy);
        let grid: Vec<f64> = (0..=300)
            .map(|i| lo + (hi - lo) * i as f64 / 300.0)
            .collect();
        let points = Particles::from_flat(1, grid.clone())?;
        let denoised = tweedie(&perturbed, sigma, &points)?.coordinate(0);
        Ok(TweedieDenoiser {
            sigma,
            range: lo..=hi,
            clean,
            noisy,
            grid,
            denoised,
        })
    }
}

/// The smallest and largest value, widened by 5 % of their distance on each side (as a plot's
/// margins), and to at least a unit wide.
fn span(values: &[f64]) -> (f64, f64) {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let pad = (0.05 * (hi - lo)).max(0.5);
    (lo - pad, hi + pad)
}

impl TweedieDenoiser {
    /// The pairs as dots, the denoiser as a curve through them, and the identity (no
    /// denoising) dashed.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let (lo, hi) = (*self.range.start(), *self.range.end());
        // The clean points are the y values: the noise spreads x̃ only.
        let (clean_lo, clean_hi) = span(&self.clean);
        LinePlot::new(format!("Tweedie's denoiser, σ = {}", number(self.sigma)))
            .labels("noisy x̃ = x + σz", "clean x")
            .points("pairs (x̃, x)", &self.noisy, &self.clean)
            .color(0)
            .line(
                "Tweedie: E[x | x̃] = x̃ + σ² ∇log p_σ(x̃)",
                &self.grid,
                &self.denoised,
            )
            .color(1)
            .dashed("no denoising: x = x̃", &[lo, hi], &[lo, hi])
            .color(5)
            .y_range(clean_lo, clean_hi)
            .render()
    }
}

shown_as_figure!(TweedieDenoiser);
