//! [`NoiseLevels1d`]: densities of the noise-perturbed mixtures p_σ of a 1-D mixture.

use std::ops::RangeInclusive;

use super::error::StudyError;
use super::shared::{check_range, grid, require_dim};
use crate::model::mixture::GaussianMixture;

use crate::plot::number;
use crate::plot::{Figure, LinePlot, PlotError};

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
/// [`StudyError::InvalidRange`] unless `range` is finite with start < end,
/// [`StudyError::WrongDimension`] unless the mixture is 1-D, [`StudyError::Mixture`] for an
/// invalid σ.
pub fn noise_levels_1d(
    mixture: &GaussianMixture,
    sigmas: &[f64],
    range: RangeInclusive<f64>,
) -> Result<NoiseLevels1d, StudyError> {
    check_range(&range)?;
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

impl NoiseLevels1d {
    /// One density per noise level.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let mut plot = LinePlot::new("Noise-perturbed densities p_σ = Σ wₖ N(μₖ, σₖ² + σ²)")
            .labels("x", "density");
        for (s, ys) in self.sigmas.iter().zip(&self.densities) {
            plot = plot.line(format!("σ = {}", number(*s)), &self.xs, ys);
        }
        plot.render()
    }
}

shown_as_figure!(NoiseLevels1d);
