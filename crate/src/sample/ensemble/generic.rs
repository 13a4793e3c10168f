//! The point-by-point path, for scores in dimension above 3: each particle runs alone through a [`Transition`] that calls the target
//! point by point, with the same [rules](crate::sample::rules) as the vector path.

use super::engine::{ChunkRecord, Divergence};
use super::walk::{Walker, walk};
use crate::model::score::{LogDensity, Score};
use crate::sample::divergence::{DivergenceTrigger, point_divergence};
use crate::sample::rules::{langevin_move, mala_accepts, mala_terms};
use crate::sample::seeding::NoiseStream;
use crate::sample::step_schedule::StepSchedule;

/// One Markov chain transition applied to a single particle.
pub(crate) trait Transition {
    /// Per-particle cached values (e.g. MALA's log p and score).
    type Cache;
    fn init(&self, x: &[f64]) -> Self::Cache;
    /// Advances `x` by step `t` (1-based); returns whether a proposal was accepted (never for
    /// ULA).
    fn advance(
        &self,
        t: usize,
        x: &mut [f64],
        cache: &mut Self::Cache,
        rng: &mut NoiseStream,
    ) -> bool;
}

/// Particle `j` of a chunk on the point-by-point path: its state, cache and stream.
struct Point<'a, T: Transition> {
    transition: &'a T,
    j: usize,
    x: Vec<f64>,
    cache: T::Cache,
    rng: NoiseStream,
}

impl<T: Transition> Walker for Point<'_, T> {
    fn advance(&mut self, t: usize) -> u64 {
        let accepted = self
            .transition
            .advance(t, &mut self.x, &mut self.cache, &mut self.rng);
        u64::from(accepted)
    }

    fn divergence(&self) -> Option<DivergenceTrigger> {
        point_divergence(&self.x)
    }

    fn record(&self, record: &mut ChunkRecord<'_>, next: usize, t: usize) -> usize {
        record.record(next, t, self.j, |i| self.x[i])
    }
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
    for (j, start) in points.chunks_exact(d).enumerate() {
        let mut point = Point {
            transition,
            j,
            x: start.to_vec(),
            cache: transition.init(start),
            rng: NoiseStream::new(seed, first + j),
        };
        accepted += walk(&mut point, [n_steps], record, divergence);
    }
    accepted
}

/// ULA, or annealed Langevin: the target and step size of step t are those of its level.
pub(crate) struct UlaTransition<'a, S: ?Sized> {
    pub(crate) levels: &'a [&'a S],
    pub(crate) schedule: &'a StepSchedule,
}

/// Scratch space of one particle: its score and its normal draws.
pub(crate) struct UlaCache {
    score: Vec<f64>,
    z: Vec<f64>,
}

impl<S: Score + ?Sized> Transition for UlaTransition<'_, S> {
    type Cache = UlaCache;
    fn init(&self, x: &[f64]) -> UlaCache {
        UlaCache {
            score: vec![0.0; x.len()],
            z: vec![0.0; x.len()],
        }
    }
    fn advance(&self, t: usize, x: &mut [f64], c: &mut UlaCache, rng: &mut NoiseStream) -> bool {
        let level = self.schedule.level(t);
        let eps = self.schedule.step_size(t);
        rng.fill(&mut c.z);
        self.levels[level].score_into(x, &mut c.score);
        let noise = (2.0 * eps).sqrt();
        for ((xi, si), zi) in x.iter_mut().zip(&c.score).zip(&c.z) {
            *xi = langevin_move(*xi, *si, *zi, eps, noise);
        }
        false
    }
}

/// MALA with step size `eps` (see [`Mala`](crate::Mala) for the acceptance rule).
pub(crate) struct MalaTransition<'a, D: ?Sized> {
    pub(crate) eps: f64,
    pub(crate) target: &'a D,
}

/// MALA's per-particle cache: log p(x), s(x), and scratch for the proposal.
pub(crate) struct MalaCache {
    log_p: f64,
    score: Vec<f64>,
    z: Vec<f64>,
    proposal: Vec<f64>,
    proposal_score: Vec<f64>,
}

impl<D: LogDensity + Score + ?Sized> Transition for MalaTransition<'_, D> {
    type Cache = MalaCache;
    fn init(&self, x: &[f64]) -> MalaCache {
        let d = x.len();
        MalaCache {
            log_p: self.target.log_prob(x),
            score: self.target.score(x),
            z: vec![0.0; d],
            proposal: vec![0.0; d],
            proposal_score: vec![0.0; d],
        }
    }
    fn advance(&self, _: usize, x: &mut [f64], c: &mut MalaCache, rng: &mut NoiseStream) -> bool {
        let eps = self.eps;
        let noise = (2.0 * eps).sqrt();
        rng.fill(&mut c.z);
        let u = rng.uniform();
        for (((p, xi), si), zi) in c.proposal.iter_mut().zip(x.iter()).zip(&c.score).zip(&c.z) {
            *p = langevin_move(*xi, *si, *zi, eps, noise);
        }
        if c.proposal.iter().any(|v| !v.is_finite()) {
            return false;
        }
        let log_p_new = self.target.log_prob(&c.proposal);
        self.target.score_into(&c.proposal, &mut c.proposal_score);
        let mut forward = 0.0;
        let mut backward = 0.0;
        for (i, &xi) in x.iter().enumerate() {
            let (f, b) = mala_terms(c.proposal[i], xi, c.score[i], c.proposal_score[i], eps);
            forward += f;
            backward += b;
        }
        if mala_accepts(u, log_p_new, c.log_p, forward, backward, eps) {
            x.copy_from_slice(&c.proposal);
            c.score.copy_from_slice(&c.proposal_score);
            c.log_p = log_p_new;
            true
        } else {
            false
        }
    }
}
