//! [`StepsNeeded`]: how far a reverse-time sampler's samples at t = 0 are from the data,
//! against what the run cost in score evaluations, one curve per sampler and score.

use super::error::StudyError;
use crate::analysis::diagnostics::{ks_statistic, mixture_cdf};
use crate::learn::{LearnError, ks_to_data};
use crate::model::diffusion::{Diffusion, TimeScore};
use crate::plot::diffusion::{DistanceCurve, distance_against_cost};
use crate::plot::{Figure, PlotError};
use crate::sample::ensemble::Particles;
use crate::sample::reverse::ReverseSampler;

/// The KS distance to the data against the score evaluations per particle, one curve per
/// sampler and score, all from the same start and seed: samplers compared at **equal cost**.
/// Each budget B is run as ⌊B / evaluations per step⌋ steps (Heun's ODE and predictor–corrector
/// take two per step), and the curve's x is what the run reports it used.
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::studies::StepsNeeded;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let ve = Diffusion::variance_exploding(&data, 0.01..=10.0)?;
/// let start = Particles::sample(&ve.marginal(1.0)?, 300, 1)?;
/// let study = StepsNeeded::budgets(&[10, 200])
///     .seed(3)
///     .run("SDE", ReverseSampler::Sde, &ve, &ve, &start)?
///     .run("ODE", ReverseSampler::Ode, &ve, &ve, &start)?;
/// assert_eq!(study.curves.len(), 2);
/// // Heun: 5 steps, 10 evaluations; then 100 steps, 200.
/// assert_eq!(study.curves[1].costs, vec![10.0, 200.0]);
/// // More evaluations, closer to the data.
/// assert!(study.curves[0].distances[1] < study.curves[0].distances[0]);
/// assert!(study.figure()?.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct StepsNeeded {
    /// The score-evaluation budgets per particle.
    pub budgets: Vec<usize>,
    /// The seed of every run.
    pub seed: u64,
    /// Per curve: its name, the evaluations each run used and its KS distance D.
    pub curves: Vec<DistanceCurve>,
    /// The KS distance of as many exact samples of the data as the runs have particles
    /// (the mean over 8 draws): the floor no sampler can go below, set by the first curve.
    pub floor: Option<f64>,
}

impl StepsNeeded {
    /// No curves yet: runs within each of the score-evaluation `budgets` per particle, seed 0.
    pub fn budgets(budgets: &[usize]) -> StepsNeeded {
        StepsNeeded {
            budgets: budgets.to_vec(),
            seed: 0,
            curves: Vec::new(),
            floor: None,
        }
    }

    /// The seed of every run's noise.
    pub fn seed(self, seed: u64) -> StepsNeeded {
        StepsNeeded { seed, ..self }
    }

    /// Adds the curve `name`: `sampler` with `score` for `process` from `start`, one run per
    /// budget (the KS distance to the process's data after each). A learned score's curve is
    /// drawn dashed in the colour of the exact curve of the same sampler, when there is one.
    ///
    /// # Errors
    /// [`StudyError::InvalidParameter`] for a budget below the sampler's evaluations per step;
    /// as [`ReverseRunner::run`](crate::ReverseRunner::run) and [`ks_to_data`], as
    /// [`StudyError::Learn`].
    pub fn run(
        mut self,
        name: impl Into<String>,
        sampler: ReverseSampler,
        process: &Diffusion,
        score: &dyn TimeScore,
        start: &Particles,
    ) -> Result<StepsNeeded, StudyError> {
        let per_step = sampler.evaluations_per_step();
        if let Some(&b) = self.budgets.iter().find(|&&b| b < per_step) {
            return Err(StudyError::InvalidParameter {
                name: "budget",
                value: b as f64,
                reason: "must allow at least one step (two evaluations for Heun's ODE and PC)",
            });
        }
        let (mut costs, mut distances) = (Vec::new(), Vec::new());
        for &b in &self.budgets {
            let run = sampler
                .steps(b / per_step)
                .seed(self.seed)
                .run(process, score, start)
                .map_err(LearnError::from)?;
            costs.push(run.score_evaluations() as f64);
            distances.push(ks_to_data(&run, process.data())?);
        }
        if self.floor.is_none() {
            self.floor = Some(exact_floor(process, start.len(), self.seed)?);
        }
        let name = name.into();
        let same_sampler = self
            .curves
            .iter()
            .position(|c| c.name.split(',').next() == name.split(',').next());
        let color = same_sampler.and_then(|i| self.curves[i].color.or(Some(i)));
        self.curves.push(DistanceCurve {
            name,
            costs,
            distances,
            dashed: color.is_some(),
            color,
        });
        Ok(self)
    }

    /// The curves against the score evaluations, both axes logarithmic, with the exact
    /// samples' floor dashed.
    pub fn figure(&self) -> Result<Figure, PlotError> {
        let floor = self
            .floor
            .map(|f| ("D of as many exact samples (floor)", f));
        distance_against_cost(&self.curves, floor, "KS distance D")
    }
}

shown_as_figure!(StepsNeeded);

/// The mean KS distance from the data of `n` exact samples of it, over 8 draws.
fn exact_floor(process: &Diffusion, n: usize, seed: u64) -> Result<f64, LearnError> {
    let data = process.data();
    let mut total = 0.0;
    for k in 0..8 {
        let key = crate::sample::seeding::stream_key(seed, crate::Purpose::Run, k);
        let x = Particles::sample(data, n, key)?.coordinate(0);
        total += ks_statistic(&x, |v| mixture_cdf(data, v).unwrap_or(f64::NAN))?;
    }
    Ok(total / 8.0)
}
