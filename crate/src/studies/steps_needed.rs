//! [`StepsNeeded`]: how far a reverse-time sampler's samples at t = 0 are from the data, against
//! the number of steps, one curve per sampler and score.

use super::error::StudyError;
use crate::learn::{LearnError, ks_to_data};
use crate::model::diffusion::{Diffusion, TimeScore};
use crate::plot::diffusion::steps_needed;
use crate::plot::{Figure, PlotError};
use crate::sample::ensemble::Particles;
use crate::sample::reverse::ReverseSampler;

/// The KS distance to the data after a run of each step count, one curve per sampler and score,
/// all from the same start and seed.
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::studies::StepsNeeded;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let ve = Diffusion::variance_exploding(&data, 0.01..=10.0)?;
/// let start = Particles::sample(&ve.marginal(1.0)?, 300, 1)?;
/// let study = StepsNeeded::new(&[5, 100], 3)
///     .run("SDE", ReverseSampler::Sde, &ve, &ve, &start)?
///     .run("ODE", ReverseSampler::Ode, &ve, &ve, &start)?;
/// assert_eq!(study.series.len(), 2);
/// // More steps, closer to the data.
/// assert!(study.series[0].1[1] < study.series[0].1[0]);
/// assert!(study.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepsNeeded {
    /// The step counts.
    pub steps: Vec<usize>,
    /// The seed of every run.
    pub seed: u64,
    /// Per curve, its name and the KS distance D after each step count.
    pub series: Vec<(String, Vec<f64>)>,
}

impl StepsNeeded {
    /// No curves yet: runs of each of `steps` with `seed`.
    pub fn new(steps: &[usize], seed: u64) -> StepsNeeded {
        StepsNeeded {
            steps: steps.to_vec(),
            seed,
            series: Vec::new(),
        }
    }

    /// Adds the curve `name`: `sampler` with `score` for `process` from `start`
    /// (the KS distance to the process's data after a run of each step count).
    ///
    /// # Errors
    /// As [`ReverseRunner::run`](crate::ReverseRunner::run) and [`ks_to_data`], as
    /// [`StudyError::Learn`].
    pub fn run(
        mut self,
        name: impl Into<String>,
        sampler: ReverseSampler,
        process: &Diffusion,
        score: &dyn TimeScore,
        start: &Particles,
    ) -> Result<StepsNeeded, StudyError> {
        let distances = steps_study(sampler, process, score, start, &self.steps, self.seed)?;
        self.series.push((name.into(), distances));
        Ok(self)
    }

    /// The curves against the step counts, both axes logarithmic.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        steps_needed(&self.steps, &self.series, "KS distance D")
    }
}

shown_as_figure!(StepsNeeded);

/// The KS distance to the process's data after a run of each step count in `steps`, all from
/// the same `start` particles and `seed`: one curve of "how many steps are needed".
///
/// # Errors
/// As [`ReverseRunner::run`](crate::ReverseRunner::run) and [`ks_to_data`].
fn steps_study(
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
