//! The vector path for scores in dimension 1, 2 and 3: particles advance in blocks of
//! [`LANES`], stored coordinate by coordinate, and the score is asked for a whole block at once
//! ([`ScoreBlock::score_block`](crate::ScoreBlock::score_block); a Gaussian mixture answers with its vector kernel).
//!
//! Each particle still draws from its own stream, in the same order as on the point-by-point
//! path, and applies the same [rules](crate::sample::rules) lane by lane: both paths give
//! identical results, bit for bit. The block only lets the compiler evaluate the score, the
//! exponentials and the update of all lanes with vector instructions, and keeps the whole state in
//! registers.

// Index loops over lanes and coordinates read like the formulas and vectorise best.
#![allow(clippy::needless_range_loop)]

use super::engine::{Chunk, ChunkRecord};
use super::stream::Streams;
use super::walk::{Walker, run_chunk};
use crate::model::block::{LogDensityBlock, ScoreBlock};
use crate::model::score::{LogDensity, Score};
use crate::numeric::simd::{Block, LANES, multiversion};
use crate::sample::divergence::{DivergenceTrigger, divergence, diverges};
use crate::sample::level::Level;
use crate::sample::rules::{langevin_move, mala_accepts, mala_terms};

multiversion!(pub(crate) fn ula_lanes<const D: usize, S: (Score + ?Sized)>(
    levels: &[Level<'_, S>],
    seed: u64,
    chunk: Chunk<'_, '_>,
) -> u64 = ula_kernel;);

multiversion!(pub(crate) fn mala_lanes<const D: usize, S: (LogDensity + Score + ?Sized)>(
    levels: &[Level<'_, S>],
    seed: u64,
    chunk: Chunk<'_, '_>,
) -> u64 = mala_kernel;);

/// A block of particles: their states, streams and how many lanes are real particles.
struct Lanes<const D: usize> {
    x: Block<D>,
    rngs: Streams<LANES>,
    active: usize,
}

impl<const D: usize> Lanes<D> {
    /// The particles `first..first + points.len() / D` (run indices); lanes past the end repeat
    /// the last one (same start, same stream) and are never recorded.
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

/// One transition of a block: what ULA and MALA do to the lanes at each step.
trait LaneStep<const D: usize> {
    /// Starts level `level` of the run with the lanes at `p`.
    fn enter(&mut self, level: usize, p: &Lanes<D>);
    /// Takes the next step; returns how many real particles had a proposal accepted.
    fn advance(&mut self, p: &mut Lanes<D>) -> u64;
}

/// A block of particles under a transition, at particles `j0..` of its chunk.
struct BlockWalk<const D: usize, T> {
    lanes: Lanes<D>,
    step: T,
    j0: usize,
}

impl<const D: usize, T: LaneStep<D>> Walker for BlockWalk<D, T> {
    #[inline(always)]
    fn enter(&mut self, level: usize) {
        self.step.enter(level, &self.lanes);
    }

    #[inline(always)]
    fn advance(&mut self, _t: usize) -> u64 {
        self.step.advance(&mut self.lanes)
    }

    #[inline(always)]
    fn divergence(&self) -> Option<DivergenceTrigger> {
        self.lanes.divergence()
    }

    #[inline(always)]
    fn record(&self, record: &mut ChunkRecord<'_>, next: usize, t: usize) -> usize {
        self.lanes.record(record, next, t, self.j0)
    }
}

/// Runs the blocks of `chunk` through `levels`, each under the step `step_for()` makes.
#[inline(always)]
fn run_blocks<const D: usize, S: ?Sized, T: LaneStep<D>>(
    levels: &[Level<'_, S>],
    seed: u64,
    chunk: Chunk<'_, '_>,
    step_for: impl Fn() -> T,
) -> u64 {
    run_chunk(chunk, levels, (LANES, D), |first, j0, points| BlockWalk {
        lanes: Lanes::<D>::load(seed, first, points),
        step: step_for(),
        j0,
    })
}

/// ULA, or annealed Langevin (one level per noise level), on the particles of `chunk`.
/// Returns 0: ULA has no proposals to accept.
#[inline(always)]
fn ula_kernel<const D: usize, S: Score + ?Sized>(
    levels: &[Level<'_, S>],
    seed: u64,
    chunk: Chunk<'_, '_>,
) -> u64 {
    run_blocks::<D, _, _>(levels, seed, chunk, || UlaStep {
        levels,
        level: levels[0],
        noise: 0.0,
    })
}

/// ULA through the levels: the current level and √(2ε).
struct UlaStep<'a, S: ?Sized> {
    levels: &'a [Level<'a, S>],
    level: Level<'a, S>,
    noise: f64,
}

impl<const D: usize, S: Score + ?Sized> LaneStep<D> for UlaStep<'_, S> {
    #[inline(always)]
    fn enter(&mut self, level: usize, _p: &Lanes<D>) {
        self.level = self.levels[level];
        self.noise = (2.0 * self.level.step).sqrt();
    }

    #[inline(always)]
    fn advance(&mut self, p: &mut Lanes<D>) -> u64 {
        let (eps, noise) = (self.level.step, self.noise);
        let z = p.normals();
        let mut s = [[0.0; LANES]; D];
        self.level.target.score_block(&p.x, &mut s);
        for i in 0..D {
            for l in 0..LANES {
                p.x[i][l] = langevin_move(p.x[i][l], s[i][l], z[i][l], eps, noise);
            }
        }
        0
    }
}

/// MALA on the particles of `chunk`; returns the number of accepted proposals.
#[inline(always)]
fn mala_kernel<const D: usize, S: LogDensity + Score + ?Sized>(
    levels: &[Level<'_, S>],
    seed: u64,
    chunk: Chunk<'_, '_>,
) -> u64 {
    run_blocks::<D, _, _>(levels, seed, chunk, || MalaStep {
        levels,
        level: levels[0],
        noise: 0.0,
        log_p: [0.0; LANES],
        score: [[0.0; LANES]; D],
    })
}

/// log p and s at a block: from the score's pass when it yields log p, else asked apart.
#[inline(always)]
fn log_prob_and_score<const D: usize, S: LogDensity + Score + ?Sized>(
    target: &S,
    x: &Block<D>,
    score: &mut Block<D>,
) -> [f64; LANES] {
    match target.score_block_with_log_prob(x, score) {
        Some(log_p) => log_p,
        None => target.log_prob_block(x),
    }
}

/// MALA on a block through the levels: the current level, √(2ε), and log p and s at the lanes'
/// current points.
struct MalaStep<'a, const D: usize, S: ?Sized> {
    levels: &'a [Level<'a, S>],
    level: Level<'a, S>,
    noise: f64,
    log_p: [f64; LANES],
    score: Block<D>,
}

impl<const D: usize, S: LogDensity + Score + ?Sized> LaneStep<D> for MalaStep<'_, D, S> {
    #[inline(always)]
    fn enter(&mut self, level: usize, p: &Lanes<D>) {
        self.level = self.levels[level];
        self.noise = (2.0 * self.level.step).sqrt();
        self.log_p = log_prob_and_score(self.level.target, &p.x, &mut self.score);
    }

    #[inline(always)]
    fn advance(&mut self, p: &mut Lanes<D>) -> u64 {
        let (eps, noise) = (self.level.step, self.noise);
        let (s, log_p) = (&mut self.score, &mut self.log_p);
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
        let log_p_new = log_prob_and_score(self.level.target, &proposal, &mut s_new);
        let mut accepted = 0;
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
        accepted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;

    /// MALA takes log p of a proposal from the mixture's score pass. It must give the bits of
    /// the separate calls, for ordinary, far-out and non-finite lanes alike.
    #[test]
    fn log_prob_from_the_score_pass_equals_it_apart() {
        let specials = [
            0.3,
            -2.5,
            1e140,
            3e149,
            1e155,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ];
        for d in 1..=3 {
            let means: Vec<Vec<f64>> = vec![vec![-1.0; d], vec![2.0; d]];
            let covs: Vec<Vec<Vec<f64>>> = (0..2)
                .map(|k| {
                    (0..d)
                        .map(|i| {
                            (0..d)
                                .map(|j| if i == j { 1.0 + k as f64 } else { 0.2 })
                                .collect()
                        })
                        .collect()
                })
                .collect();
            let gm = GaussianMixture::new(&[0.4, 0.6], &means, &covs).unwrap();
            for shift in 0..LANES {
                let mut x = vec![[0.0; LANES]; d];
                for (i, xi) in x.iter_mut().enumerate() {
                    for l in 0..LANES {
                        xi[l] = if i == 0 {
                            specials[(l + shift) % LANES]
                        } else {
                            0.5 * l as f64 - i as f64
                        };
                    }
                }
                let mut together = vec![[0.0; LANES]; d];
                let lp_together = gm.score_block_with_log_prob(&x, &mut together).unwrap();
                let mut apart = vec![[0.0; LANES]; d];
                gm.score_block(&x, &mut apart);
                let lp_apart = gm.log_prob_block(&x);
                let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&lp_together), bits(&lp_apart), "log p, d = {d}");
                for (a, b) in together.iter().zip(&apart) {
                    assert_eq!(bits(a), bits(b), "score, d = {d}");
                }
            }
        }
    }
}
