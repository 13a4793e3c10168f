//! [`DistancesOverTime`]: the KS statistic and W1 distance of 1-D particle clouds to their target, per recorded step.

use super::error::StudyError;
use super::shared::{as_f64, grid, require_dim};
use crate::analysis::diagnostics::{ks_statistic, mixture_cdf, wasserstein1_to_density};
use crate::model::mixture::GaussianMixture;

use crate::plot::{Figure, LinePlot, PlotError};
use crate::sample::ensemble::Snapshots;

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

impl DistancesOverTime {
    /// KS and W1 against step.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let steps = as_f64(&self.steps);
        LinePlot::new("Distance of the particles to the target")
            .labels("step", "distance")
            .line("Kolmogorov–Smirnov D", &steps, &self.ks)
            .line("Wasserstein W_1", &steps, &self.w1)
            .render()
    }
}

shown_as_figure!(DistancesOverTime);
