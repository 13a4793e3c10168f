//! The path for any score (a learned model, a slice, …): each particle runs alone through a
//! [`Transition`] that calls the target point by point.

use rand::Rng;

use super::engine::{ChunkRecord, Divergence};
use super::particle_rng;
use crate::langevin::SamplerRng;
use crate::mala::Mala;
use crate::score::{LogDensity, Score};

/// One Markov chain transition applied to a single particle.
pub(crate) trait Transition: Sync {
    /// Per-particle cached values (e.g. MALA's log p and score).
    type Cache: Send;
    fn init(&self, x: &[f64]) -> Self::Cache;
    /// Advances `x` by step `t` (1-based); returns whether a proposal was accepted (always true
    /// for ULA).
    fn advance(
        &self,
        t: usize,
        x: &mut [f64],
        cache: &mut Self::Cache,
        rng: &mut SamplerRng,
    ) -> bool;
}

/// Runs the particles `first..` starting at `points` (row per particle of dimension `d`) for
/// `n_steps` steps; returns the number of accepted proposals.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_chunk<T: Transition>(
    transition: &T,
    d: usize,
    n_steps: usize,
    seed: u64,
    first: usize,
    points: &[f64],
    record: &mut ChunkRecord<'_>,
    divergence: &Divergence,
) -> u64 {
    let mut accepted = 0;
    let mut x = vec![0.0; d];
    for (j, start) in points.chunks_exact(d).enumerate() {
        x.copy_from_slice(start);
        let mut rng = particle_rng(seed, first + j);
        let mut cache = transition.init(&x);
        let mut next = record.first_from(0);
        next = record.record(next, 0, j, |i| x[i]);
        for t in 1..=n_steps {
            if !divergence.allows(t) {
                break;
            }
            if transition.advance(t, &mut x, &mut cache, &mut rng) {
                accepted += 1;
            }
            if x.iter().any(|v| !v.is_finite()) {
                divergence.report(t);
                break;
            }
            next = record.record(next, t, j, |i| x[i]);
        }
    }
    accepted
}

/// ULA, or annealed Langevin: the step size and target of step t come from `level(t)`.
pub(crate) struct UlaTransition<'a, S: ?Sized> {
    pub(crate) levels: &'a [&'a S],
    pub(crate) step_sizes: &'a [f64],
    pub(crate) steps_per_level: usize,
}

impl<S: Score + Sync + ?Sized> Transition for UlaTransition<'_, S> {
    type Cache = Vec<f64>;
    fn init(&self, x: &[f64]) -> Vec<f64> {
        vec![0.0; x.len()]
    }
    fn advance(&self, t: usize, x: &mut [f64], score: &mut Vec<f64>, rng: &mut SamplerRng) -> bool {
        let level = ((t - 1) / self.steps_per_level.max(1)).min(self.levels.len() - 1);
        let eps = self.step_sizes[level];
        self.levels[level].score_into(x, score);
        let noise = (2.0 * eps).sqrt();
        for (xi, si) in x.iter_mut().zip(score.iter()) {
            let z: f64 = rng.sample(rand_distr::StandardNormal);
            *xi += eps * si + noise * z;
        }
        true
    }
}

pub(crate) struct MalaTransition<'a, D: ?Sized> {
    pub(crate) mala: Mala,
    pub(crate) target: &'a D,
}

/// MALA's per-particle cache: log p(x), s(x), and scratch for the proposal.
pub(crate) struct MalaCache {
    log_p: f64,
    score: Vec<f64>,
    proposal: Vec<f64>,
    proposal_score: Vec<f64>,
}

impl<D: LogDensity + Score + Sync + ?Sized> Transition for MalaTransition<'_, D> {
    type Cache = MalaCache;
    fn init(&self, x: &[f64]) -> MalaCache {
        let d = x.len();
        MalaCache {
            log_p: self.target.log_prob(x),
            score: self.target.score(x),
            proposal: vec![0.0; d],
            proposal_score: vec![0.0; d],
        }
    }
    fn advance(&self, _: usize, x: &mut [f64], c: &mut MalaCache, rng: &mut SamplerRng) -> bool {
        self.mala.transition(
            self.target,
            x,
            &mut c.log_p,
            &mut c.score,
            &mut c.proposal,
            &mut c.proposal_score,
            rng,
        )
    }
}
