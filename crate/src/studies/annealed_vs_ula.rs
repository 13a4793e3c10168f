//! [`AnnealedVsUla`]: annealed Langevin and plain ULA of the same number of steps from the same start.

use std::ops::RangeInclusive;

use super::error::StudyError;
use super::shared::{check_range, require_dim};
use crate::analysis::diagnostics::mode_occupancy;
use crate::model::mixture::GaussianMixture;

use crate::plot::{Figure, Histograms, PlotError};
use crate::plot::{number, number_list};
use crate::sample::annealed::AnnealedLangevin;
use crate::sample::ensemble::Particles;
use crate::sample::langevin::Ula;

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

/// The comparison of annealed Langevin with plain ULA, built by [`annealed_vs_ula`];
/// [`run`](Self::run) runs both.
#[derive(Debug, Clone)]
pub struct AnnealedVsUlaStudy<'a> {
    mixture: &'a GaussianMixture,
    annealed: &'a AnnealedLangevin,
    start: &'a Particles,
    ula_step: f64,
    range: RangeInclusive<f64>,
    seed: u64,
}

/// Annealed Langevin and plain ULA of the same number of steps from `start`, with each one's
/// mode occupancy to compare with the weights. By default ULA's step is 0.05, the histograms
/// cover −8..=8 and the seed is 0.
pub fn annealed_vs_ula<'a>(
    mixture: &'a GaussianMixture,
    annealed: &'a AnnealedLangevin,
    start: &'a Particles,
) -> AnnealedVsUlaStudy<'a> {
    AnnealedVsUlaStudy {
        mixture,
        annealed,
        start,
        ula_step: 0.05,
        range: -8.0..=8.0,
        seed: 0,
    }
}

impl AnnealedVsUlaStudy<'_> {
    /// ULA's step size (0.05 by default).
    pub fn ula_step(mut self, step: f64) -> Self {
        self.ula_step = step;
        self
    }

    /// The range the histograms cover (−8..=8 by default).
    pub fn range(mut self, range: RangeInclusive<f64>) -> Self {
        self.range = range;
        self
    }

    /// The seed of both runs (0 by default).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Runs both samplers.
    ///
    /// # Errors
    /// [`StudyError::InvalidRange`] unless the range is finite with start < end,
    /// [`StudyError::WrongDimension`] unless the mixture is 1-D, and the samplers' errors.
    pub fn run(&self) -> Result<AnnealedVsUla, StudyError> {
        let (mixture, annealed, ula_step, start, range, seed) = (
            self.mixture,
            self.annealed,
            self.ula_step,
            self.start,
            self.range.clone(),
            self.seed,
        );
        check_range(&range)?;
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
}

impl AnnealedVsUla {
    /// The two final clouds as histograms over the target, titled with their occupancies.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let fmt = |o: &[f64]| number_list(o, 3);
        Histograms::new(&self.mixture, self.range.clone())
            .panel(
                format!(
                    "annealed, {} steps: occupancy {}",
                    self.cost,
                    fmt(&self.annealed_occupancy)
                ),
                &self.annealed,
            )
            .panel(
                format!(
                    "ULA ε = {}, {} steps: occupancy {}",
                    number(self.ula_step),
                    self.cost,
                    fmt(&self.ula_occupancy)
                ),
                &self.ula,
            )
            .panel_size(620, 380)
            .render()
    }
}

shown_as_figure!(AnnealedVsUla);
