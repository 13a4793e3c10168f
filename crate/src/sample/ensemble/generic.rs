//! The point-by-point path, for scores in dimension above 3: each particle runs alone, its step
//! calling the target point by point, with the same [rules](crate::sample::rules) as the vector
//! path.

use super::engine::{Chunk, ChunkRecord};
use super::walk::{Walker, run_chunk};
use crate::model::score::{LogDensity, Score};
use crate::sample::divergence::{DivergenceTrigger, point_divergence};
use crate::sample::level::Level;
use crate::sample::rules::{langevin_move, mala_accepts, mala_terms};
use crate::sample::seeding::NoiseStream;

/// What ULA and MALA do to one particle at each step.
trait PointStep {
    /// Starts level `level` of the run with the particle at `x`.
    fn enter(&mut self, level: usize, x: &[f64]);
    /// Advances `x` by one step; returns whether a proposal was accepted (never for ULA).
    fn advance(&mut self, x: &mut [f64], rng: &mut NoiseStream) -> bool;
}

/// Particle `j` of a chunk on the point-by-point path: its state, stream and step.
struct Point<T> {
    j: usize,
    x: Vec<f64>,
    rng: NoiseStream,
    step: T,
}

impl<T: PointStep> Walker for Point<T> {
    fn enter(&mut self, level: usize) {
        self.step.enter(level, &self.x);
    }

    fn advance(&mut self, _t: usize) -> u64 {
        u64::from(self.step.advance(&mut self.x, &mut self.rng))
    }

    fn divergence(&self) -> Option<DivergenceTrigger> {
        point_divergence(&self.x)
    }

    fn record(&self, record: &mut ChunkRecord<'_>, next: usize, t: usize) -> usize {
        record.record(next, t, self.j, |i| self.x[i])
    }
}

/// Runs the particles of `chunk` one by one, each with the step `step_for(d)` makes.
fn run_points<S: Score + ?Sized, T: PointStep>(
    levels: &[Level<'_, S>],
    seed: u64,
    chunk: Chunk<'_, '_>,
    step_for: impl Fn(usize) -> T,
) -> u64 {
    let d = levels[0].target.dim();
    run_chunk(chunk, levels, (1, d), |particle, j, start| Point {
        j,
        x: start.to_vec(),
        rng: NoiseStream::new(seed, particle),
        step: step_for(d),
    })
}

/// ULA, or annealed Langevin (one level per noise level), on the particles of `chunk`.
pub(crate) fn ula_points<S: Score + ?Sized>(
    levels: &[Level<'_, S>],
    seed: u64,
    chunk: Chunk<'_, '_>,
) -> u64 {
    run_points(levels, seed, chunk, |d| UlaPoint {
        levels,
        level: levels[0],
        noise: 0.0,
        score: vec![0.0; d],
        z: vec![0.0; d],
    })
}

/// MALA on the particles of `chunk`; returns the number of accepted proposals.
pub(crate) fn mala_points<D: LogDensity + Score + ?Sized>(
    levels: &[Level<'_, D>],
    seed: u64,
    chunk: Chunk<'_, '_>,
) -> u64 {
    run_points(levels, seed, chunk, |d| MalaPoint {
        levels,
        level: levels[0],
        noise: 0.0,
        log_p: 0.0,
        score: vec![0.0; d],
        z: vec![0.0; d],
        proposal: vec![0.0; d],
        proposal_score: vec![0.0; d],
    })
}

/// ULA through the levels: the current level, √(2ε), and scratch for the score and the normals.
struct UlaPoint<'a, S: ?Sized> {
    levels: &'a [Level<'a, S>],
    level: Level<'a, S>,
    noise: f64,
    score: Vec<f64>,
    z: Vec<f64>,
}

impl<S: Score + ?Sized> PointStep for UlaPoint<'_, S> {
    fn enter(&mut self, level: usize, _x: &[f64]) {
        self.level = self.levels[level];
        self.noise = (2.0 * self.level.step).sqrt();
    }

    fn advance(&mut self, x: &mut [f64], rng: &mut NoiseStream) -> bool {
        let (eps, noise) = (self.level.step, self.noise);
        rng.fill(&mut self.z);
        self.level.target.score_into(x, &mut self.score);
        for ((xi, si), zi) in x.iter_mut().zip(&self.score).zip(&self.z) {
            *xi = langevin_move(*xi, *si, *zi, eps, noise);
        }
        false
    }
}

/// MALA through the levels (see [`Mala`](crate::Mala) for the acceptance rule): the current
/// level, √(2ε), log p(x) and s(x), and scratch for the proposal.
struct MalaPoint<'a, D: ?Sized> {
    levels: &'a [Level<'a, D>],
    level: Level<'a, D>,
    noise: f64,
    log_p: f64,
    score: Vec<f64>,
    z: Vec<f64>,
    proposal: Vec<f64>,
    proposal_score: Vec<f64>,
}

impl<D: LogDensity + Score + ?Sized> PointStep for MalaPoint<'_, D> {
    fn enter(&mut self, level: usize, x: &[f64]) {
        self.level = self.levels[level];
        self.noise = (2.0 * self.level.step).sqrt();
        self.log_p = self.level.target.log_prob(x);
        self.level.target.score_into(x, &mut self.score);
    }

    fn advance(&mut self, x: &mut [f64], rng: &mut NoiseStream) -> bool {
        let (target, eps, noise) = (self.level.target, self.level.step, self.noise);
        rng.fill(&mut self.z);
        let u = rng.uniform();
        let proposal = self.proposal.iter_mut().zip(x.iter());
        for ((p, xi), (si, zi)) in proposal.zip(self.score.iter().zip(&self.z)) {
            *p = langevin_move(*xi, *si, *zi, eps, noise);
        }
        if self.proposal.iter().any(|v| !v.is_finite()) {
            return false;
        }
        let log_p_new = target.log_prob(&self.proposal);
        target.score_into(&self.proposal, &mut self.proposal_score);
        let mut forward = 0.0;
        let mut backward = 0.0;
        for (i, &xi) in x.iter().enumerate() {
            let (p, s, s_new) = (self.proposal[i], self.score[i], self.proposal_score[i]);
            let (f, b) = mala_terms(p, xi, s, s_new, eps);
            forward += f;
            backward += b;
        }
        if mala_accepts(u, log_p_new, self.log_p, forward, backward, eps) {
            x.copy_from_slice(&self.proposal);
            self.score.copy_from_slice(&self.proposal_score);
            self.log_p = log_p_new;
            true
        } else {
            false
        }
    }
}
