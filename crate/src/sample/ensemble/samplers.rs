//! `run_ensemble` of each sampler: the lane path for Gaussian mixtures in dimension ≤ 3, the
//! generic path for every other score; both give the same numbers.

use super::engine::{self, Plan};
use super::generic::{self, MalaTransition, UlaTransition};
use super::lanes::{self, Segment};
use super::{Particles, Snapshots};
use crate::error::SamplerError;
use crate::model::mixture::{FixedMixture, GaussianMixture};
use crate::model::score::{LogDensity, Score};
use crate::sample::annealed::AnnealedLangevin;
use crate::sample::langevin::Ula;
use crate::sample::mala::Mala;

fn check_dim(expected: usize, start: &Particles) -> Result<(), SamplerError> {
    if start.dim() != expected {
        return Err(SamplerError::DimensionMismatch {
            expected,
            found: start.dim(),
        });
    }
    Ok(())
}

/// ULA or annealed Langevin: level i has target `levels[i]` and step size `step_sizes[i]` for
/// `steps_per_level` steps (the last level runs to `plan.n_steps`).
fn run_levels<S: Score + Sync + ?Sized>(
    levels: &[&S],
    step_sizes: &[f64],
    steps_per_level: usize,
    start: &Particles,
    plan: &Plan,
    seed: u64,
) -> Result<Snapshots, SamplerError> {
    let d = start.dim();
    let level_of = |t: usize| ((t - 1) / steps_per_level.max(1)).min(levels.len() - 1);
    let step_size = |t: usize| step_sizes[level_of(t)];
    let mixtures: Option<Vec<&GaussianMixture>> =
        levels.iter().map(|s| s.as_gaussian_mixture()).collect();
    if let Some(mixtures) = mixtures {
        // Steps per level as the generic path counts them: all levels but the last have T.
        let counts: Vec<usize> = (0..levels.len())
            .map(|i| {
                let begin = (i * steps_per_level.max(1)).min(plan.n_steps);
                let end = if i + 1 == levels.len() {
                    plan.n_steps
                } else {
                    ((i + 1) * steps_per_level.max(1)).min(plan.n_steps)
                };
                end - begin
            })
            .collect();
        macro_rules! fixed {
            ($d:literal) => {{
                let segments: Option<Vec<Segment<$d>>> = mixtures
                    .iter()
                    .zip(step_sizes)
                    .zip(&counts)
                    .map(|((m, &step), &steps)| {
                        FixedMixture::<$d>::new(m).map(|mixture| Segment {
                            mixture,
                            step,
                            steps,
                        })
                    })
                    .collect();
                if let Some(segments) = segments {
                    return engine::run(
                        start,
                        plan,
                        false,
                        step_size,
                        |first, points, rec, div| {
                            lanes::ula_chunk::<$d>(&segments, seed, first, points, rec, div)
                        },
                    );
                }
            }};
        }
        match d {
            1 => fixed!(1),
            2 => fixed!(2),
            3 => fixed!(3),
            _ => {}
        }
    }
    let transition = UlaTransition {
        levels,
        step_sizes,
        steps_per_level,
    };
    engine::run(start, plan, false, step_size, |first, points, rec, div| {
        generic::run_chunk(&transition, d, plan.n_steps, seed, first, points, rec, div)
    })
}

impl Ula {
    /// Runs every particle of `start` for `n_steps` ULA steps in parallel, keeping the clouds at
    /// the steps in `record` (0 is the start). Same seed, same result, on any number of threads.
    ///
    /// A [`GaussianMixture`] of dimension 1, 2 or 3 runs through kernels specialised to its
    /// dimension (blocks of particles in vector registers); any other score runs point by point.
    /// Both give the same numbers.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
    /// let start = Particles::uniform(10_000, 1, -3.0, 3.0, 0)?;
    /// let snaps = Ula::new(0.01)?.run_ensemble(&gm, &start, 100, &[0, 1, 10, 100], 7)?;
    /// assert_eq!(snaps.steps(), &[0, 1, 10, 100]);
    /// assert!((snaps.times()[3] - 1.0).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SamplerError::DimensionMismatch`] if the particles do not have the target's dimension,
    /// [`SamplerError::InvalidParameter`] for a snapshot step after `n_steps`, and
    /// [`SamplerError::Diverged`] (with the earliest step) if a particle becomes non-finite.
    pub fn run_ensemble<S: Score + Sync + ?Sized>(
        &self,
        target: &S,
        start: &Particles,
        n_steps: usize,
        record: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        check_dim(target.dim(), start)?;
        let plan = Plan::new(n_steps, record)?;
        run_levels(&[target], &[self.step_size()], n_steps, start, &plan, seed)
    }
}

impl Mala {
    /// Like [`Ula::run_ensemble`], with MALA transitions; the snapshots carry the acceptance rate.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let start = Particles::sample(&gm, 1000, 1)?;
    /// let snaps = Mala::new(0.5)?.run_ensemble(&gm, &start, 20, &[20], 2)?;
    /// assert!(snaps.acceptance_rate().unwrap() > 0.8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`Ula::run_ensemble`].
    pub fn run_ensemble<D: LogDensity + Score + Sync + ?Sized>(
        &self,
        target: &D,
        start: &Particles,
        n_steps: usize,
        record: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        check_dim(target.dim(), start)?;
        let plan = Plan::new(n_steps, record)?;
        let eps = self.step_size();
        let step_size = |_| eps;
        if let Some(gm) = target.as_gaussian_mixture() {
            macro_rules! fixed {
                ($d:literal) => {{
                    if let Some(mixture) = FixedMixture::<$d>::new(gm) {
                        return engine::run(
                            start,
                            &plan,
                            true,
                            step_size,
                            |first, pts, rec, div| {
                                lanes::mala_chunk::<$d>(
                                    &mixture, eps, n_steps, seed, first, pts, rec, div,
                                )
                            },
                        );
                    }
                }};
            }
            match start.dim() {
                1 => fixed!(1),
                2 => fixed!(2),
                3 => fixed!(3),
                _ => {}
            }
        }
        let transition = MalaTransition { eps, target };
        let d = start.dim();
        engine::run(start, &plan, true, step_size, |first, points, rec, div| {
            generic::run_chunk(&transition, d, n_steps, seed, first, points, rec, div)
        })
    }
}

impl AnnealedLangevin {
    /// Runs every particle through all noise levels; `record` counts steps over all levels
    /// (level i covers steps i·T + 1 ..= (i + 1)·T). Mixture levels of dimension ≤ 3 take the
    /// same fast path as [`Ula::run_ensemble`].
    ///
    /// # Errors
    /// [`SamplerError::InvalidParameter`] unless there is one score per noise level, and as
    /// [`Ula::run_ensemble`].
    pub fn run_ensemble<S: Score + Sync>(
        &self,
        levels: &[S],
        start: &Particles,
        record: &[usize],
        seed: u64,
    ) -> Result<Snapshots, SamplerError> {
        if levels.len() != self.sigmas().len() {
            return Err(SamplerError::InvalidParameter {
                name: "number of score levels",
                value: levels.len() as f64,
                reason: "must equal the number of noise levels",
            });
        }
        for level in levels {
            check_dim(level.dim(), start)?;
        }
        let plan = Plan::new(self.total_steps(), record)?;
        let refs: Vec<&S> = levels.iter().collect();
        let step_sizes: Vec<f64> = (0..levels.len())
            .map(|i| self.step_size(i).unwrap_or(0.0))
            .collect();
        run_levels(
            &refs,
            &step_sizes,
            self.steps_per_level(),
            start,
            &plan,
            seed,
        )
    }
}
