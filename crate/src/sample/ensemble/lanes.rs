//! The vector path for scores in dimension 1, 2 and 3: particles advance in blocks of
//! [`LANES`], stored coordinate by coordinate, and the score is asked for a whole block at once
//! ([`Score::score_block`]; a Gaussian mixture answers with its vector kernel).
//!
//! Each particle still draws from its own stream, in the same order as on the point-by-point
//! path, and applies the same [rules](crate::sample::rules) lane by lane: both paths give
//! identical results, bit for bit. The block only lets the compiler evaluate the score, the
//! exponentials and the update of all lanes with vector instructions, and keeps the whole state in
//! registers.

// Index loops over lanes and coordinates read like the formulas and vectorise best.
#![allow(clippy::needless_range_loop)]

use super::engine::{ChunkRecord, Divergence};
use super::stream::Streams;
use crate::error::DivergenceTrigger;
use crate::model::score::{LogDensity, Score};
use crate::numeric::simd::{multiversion, Block, LANES};
use crate::sample::rules::{divergence, diverges, langevin_move, mala_accepts, mala_terms};

multiversion!(pub(crate) fn ula_chunk<const D: usize, S: (Score + ?Sized)>(
    segments: &[Segment<'_, S>],
    seed: u64,
    first: usize,
    points: &[f64],
    record: &mut ChunkRecord<'_>,
    divergence: &Divergence,
) -> u64 = ula_kernel;);

multiversion!(pub(crate) fn mala_chunk<const D: usize, S: (LogDensity + Score + ?Sized)>(
    target: &S,
    eps: f64,
    n_steps: usize,
    seed: u64,
    first: usize,
    points: &[f64],
    record: &mut ChunkRecord<'_>,
    divergence: &Divergence,
) -> u64 = mala_kernel;);

/// `steps` ULA steps of size `step` on one target: a whole ULA run, or one level of annealing.
pub(crate) struct Segment<'a, S: ?Sized> {
    pub(crate) target: &'a S,
    pub(crate) step: f64,
    pub(crate) steps: usize,
}

/// A block of particles: their states, streams and how many lanes are real particles.
struct Lanes<const D: usize> {
    x: Block<D>,
    rngs: Streams<LANES>,
    active: usize,
}

impl<const D: usize> Lanes<D> {
    /// The particles `first..first + points.len() / D`; lanes past the end repeat the last one
    /// (same start, same stream) and are never recorded.
    fn load(seed: u64, first: usize, points: &[f64]) -> Self {
        let active = points.len() / D;
        let mut x = [[0.0; LANES]; D];
        for l in 0..LANES {
            let p = l.min(active - 1);
            for i in 0..D {
                x[i][l] = points[p * D + i];
            }
        }
        let rngs = Streams::new(seed, |l| first + l.min(active - 1));
        Lanes { x, rngs, active }
    }

    /// Standard normal draws, ⌈D/2⌉ pairs per lane from its own stream, as on the generic path.
    #[inline(always)]
    fn normals(&mut self) -> Block<D> {
        let mut z = [[0.0; LANES]; D];
        let mut i = 0;
        while i < D {
            let (z1, z2) = self.rngs.normal_pair();
            z[i] = z1;
            if i + 1 < D {
                z[i + 1] = z2;
            }
            i += 2;
        }
        z
    }

    /// The divergence rule some particle breaks, non-finite first (padding lanes repeat a real
    /// particle exactly).
    #[inline(always)]
    fn divergence(&self) -> Option<DivergenceTrigger> {
        let mut any = false;
        for xi in &self.x {
            for &v in xi {
                any |= diverges(v);
            }
        }
        if !any {
            return None;
        }
        self.x.iter().flatten().filter_map(|&v| divergence(v)).min()
    }

    /// Records the real particles if snapshot `next` is taken at step `t`.
    #[inline(always)]
    fn record(&self, record: &mut ChunkRecord<'_>, next: usize, t: usize, j0: usize) -> usize {
        if !record.due(next, t) {
            return next;
        }
        for l in 0..self.active {
            record.record(next, t, j0 + l, |i| self.x[i][l]);
        }
        next + 1
    }
}

/// ULA (one segment) or annealed Langevin (one segment per level) on the particles `first..`
/// starting at `points`. Returns 0: ULA accepts every step.
#[inline(always)]
fn ula_kernel<const D: usize, S: Score + ?Sized>(
    segments: &[Segment<'_, S>],
    seed: u64,
    first: usize,
    points: &[f64],
    record: &mut ChunkRecord<'_>,
    divergence: &Divergence,
) -> u64 {
    for (b, block) in points.chunks(LANES * D).enumerate() {
        let j0 = b * LANES;
        let mut p = Lanes::<D>::load(seed, first + j0, block);
        let mut next = p.record(record, record.first_from(0), 0, j0);
        let mut t = 0;
        'run: for segment in segments {
            let eps = segment.step;
            let noise = (2.0 * eps).sqrt();
            for _ in 0..segment.steps {
                t += 1;
                if !divergence.allows(t) {
                    break 'run;
                }
                let z = p.normals();
                let mut s = [[0.0; LANES]; D];
                segment.target.score_block(&p.x, &mut s);
                for i in 0..D {
                    for l in 0..LANES {
                        p.x[i][l] = langevin_move(p.x[i][l], s[i][l], z[i][l], eps, noise);
                    }
                }
                if let Some(trigger) = p.divergence() {
                    divergence.report(t, trigger);
                    break 'run;
                }
                next = p.record(record, next, t, j0);
            }
        }
    }
    0
}

/// MALA with step `eps` for `n_steps` steps on the particles `first..` starting at `points`;
/// returns the number of accepted proposals.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn mala_kernel<const D: usize, S: LogDensity + Score + ?Sized>(
    target: &S,
    eps: f64,
    n_steps: usize,
    seed: u64,
    first: usize,
    points: &[f64],
    record: &mut ChunkRecord<'_>,
    divergence: &Divergence,
) -> u64 {
    let noise = (2.0 * eps).sqrt();
    let mut accepted = 0;
    for (b, block) in points.chunks(LANES * D).enumerate() {
        let j0 = b * LANES;
        let mut p = Lanes::<D>::load(seed, first + j0, block);
        let mut s = [[0.0; LANES]; D];
        target.score_block(&p.x, &mut s);
        let mut log_p = target.log_prob_block(&p.x);
        let mut next = p.record(record, record.first_from(0), 0, j0);
        for t in 1..=n_steps {
            if !divergence.allows(t) {
                break;
            }
            let z = p.normals();
            let u = p.rngs.uniform();
            let mut proposal = [[0.0; LANES]; D];
            let mut finite = [true; LANES];
            for i in 0..D {
                for l in 0..LANES {
                    proposal[i][l] = langevin_move(p.x[i][l], s[i][l], z[i][l], eps, noise);
                    finite[l] &= proposal[i][l].is_finite();
                }
            }
            let mut s_new = [[0.0; LANES]; D];
            target.score_block(&proposal, &mut s_new);
            let log_p_new = target.log_prob_block(&proposal);
            for l in 0..LANES {
                let mut forward = 0.0;
                let mut backward = 0.0;
                for i in 0..D {
                    let (f, b) = mala_terms(proposal[i][l], p.x[i][l], s[i][l], s_new[i][l], eps);
                    forward += f;
                    backward += b;
                }
                // A non-finite proposal is rejected, as on the point-by-point path.
                if finite[l] && mala_accepts(u[l], log_p_new[l], log_p[l], forward, backward, eps) {
                    for i in 0..D {
                        p.x[i][l] = proposal[i][l];
                        s[i][l] = s_new[i][l];
                    }
                    log_p[l] = log_p_new[l];
                    accepted += u64::from(l < p.active);
                }
            }
            if let Some(trigger) = p.divergence() {
                divergence.report(t, trigger);
                break;
            }
            next = p.record(record, next, t, j0);
        }
    }
    accepted
}
