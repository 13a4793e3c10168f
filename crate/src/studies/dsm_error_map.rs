//! [`DsmErrorMap`]: a score fit by denoising score matching at noise σ against the exact score
//! of the perturbed mixture p_σ.

use std::ops::RangeInclusive;

use super::error::StudyError;
use crate::learn::{LinearScore, RbfFeatures};
use crate::model::mixture::GaussianMixture;
use crate::plot::learning::score_error_map;
use crate::plot::{Figure, PlotError};
use crate::sample::ensemble::Particles;

/// The ridge λ of the fits of `dsm_error_map`: small, only to keep the normal equations
/// well posed.
const DSM_RIDGE: f64 = 1e-4;

/// The seed of the noise draws of the fits of `dsm_error_map`.
const DSM_SEED: u64 = 4;

/// A linear score fit by DSM at noise σ (one noise draw per sample, ridge 10⁻⁴, seed 4: the
/// [`ridge`](Self::ridge) and [`seed`](Self::seed) fields) beside the exact score of $p_\sigma$, over `x × y`: one frame of a sweep over σ.
#[derive(Debug, Clone)]
pub struct DsmErrorMap {
    /// The noise level σ.
    pub sigma: f64,
    /// The exact perturbed mixture $p_\sigma$.
    pub exact: GaussianMixture,
    /// The fitted score.
    pub fit: LinearScore,
    /// The ridge of the fit.
    pub ridge: f64,
    /// The seed of its noise draws.
    pub seed: u64,
    /// The x range of the map.
    pub x: RangeInclusive<f64>,
    /// The y range of the map.
    pub y: RangeInclusive<f64>,
}

/// Fits the score of `samples` of `data` by DSM at noise `sigma` on `features`, to be mapped
/// over the samples' bounding box (or a [`window`](DsmErrorMap::window)).
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]])?;
/// let features = RbfFeatures::grid(2, -3.0..=3.0, 5)?;
/// let samples = Particles::sample(&gm, 400, 1)?;
/// let map = scorelab::studies::dsm_error_map(&gm, &features, &samples, 0.5)?;
/// assert_eq!((map.ridge, map.seed), (1e-4, 4));
/// // Over the samples' bounding box unless a window is given.
/// let xs = samples.coordinate(0);
/// assert_eq!(*map.x.start(), xs.iter().copied().fold(f64::INFINITY, f64::min));
/// let map = map.window(-3.0..=3.0, -3.0..=3.0);
/// assert!(map.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`StudyError::Mixture`] for σ < 0, [`StudyError::Learn`] if the fit fails (σ ≤ 0, too few
/// samples for the features, dimensions that disagree).
pub fn dsm_error_map(
    data: &GaussianMixture,
    features: &RbfFeatures,
    samples: &Particles,
    sigma: f64,
) -> Result<DsmErrorMap, StudyError> {
    let [x, y] = [0, 1].map(|axis| {
        let values = samples.coordinate(axis.min(samples.dim().saturating_sub(1)));
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        lo..=hi
    });
    let exact = data.perturbed(sigma)?;
    let fit = LinearScore::dsm(sigma)
        .ridge(DSM_RIDGE)
        .fit(features, samples, DSM_SEED)?;
    Ok(DsmErrorMap {
        sigma,
        exact,
        fit,
        ridge: DSM_RIDGE,
        seed: DSM_SEED,
        x,
        y,
    })
}

impl DsmErrorMap {
    /// The same map over the window `x × y`.
    pub fn window(self, x: RangeInclusive<f64>, y: RangeInclusive<f64>) -> Self {
        DsmErrorMap { x, y, ..self }
    }

    /// The map of the fit's error against the exact score ([`score_error_map`]).
    pub fn figure(&self) -> Result<Figure, PlotError> {
        score_error_map(&self.exact, &self.fit, self.x.clone(), self.y.clone())
    }
}

shown_as_figure!(DsmErrorMap);
