//! Every run of every sampler: the vector path for scores in dimension ≤ 3, the point-by-point
//! path above; an ensemble runs its particles in parallel, a single chain is particle 0 with
//! every step recorded. All give the same numbers for the same particle.

use super::engine::{self, ChunkRecord, Divergence, Plan};
use super::generic::{self, MalaTransition, UlaTransition};
use super::lanes::{self, Segment};
use super::{Particles, Snapshots};
use crate::model::score::{LogDensity, Score};
use crate::numeric::simd::Simd;
use crate::sample::error::SamplerError;
use crate::sample::rules::check_start;
use crate::sample::step_schedule::StepSchedule;
use crate::sample::trajectory::Trajectory;

fn check_dim(expected: usize, start: &Particles) -> Result<(), SamplerError> {
    if start.dim() != expected {
        return Err(SamplerError::DimensionMismatch {
            expected,
            found: start.dim(),
        });
    }
    Ok(())
}

/// ULA or annealed Langevin on one chunk of particles: level i has target `levels[i]`.
fn ula_chunk<S: Score + ?Sized>(
    levels: &[&S],
    schedule: &StepSchedule,
    seed: u64,
    simd: Simd,
    (first, points, record, divergence): (usize, &[f64], &mut ChunkRecord<'_>, &Divergence),
) -> u64 {
    let d = levels[0].dim();
    let segments: Vec<Segment<'_, S>> = levels
        .iter()
        .zip(schedule.counts())
        .enumerate()
        .map(|(i, (&target, steps))| Segment {
            target,
            step: schedule.level_step_size(i),
            steps,
        })
        .collect();
    let (s, f, p, r, v) = (&segments[..], first, points, record, divergence);
    match d {
        1 => lanes::ula_lanes::<1, S>(simd, s, seed, f, p, r, v),
        2 => lanes::ula_lanes::<2, S>(simd, s, seed, f, p, r, v),
        3 => lanes::ula_lanes::<3, S>(simd, s, seed, f, p, r, v),
        _ => {
            let transition = UlaTransition { levels, schedule };
            generic::run_chunk(&transition, d, schedule.n_steps(), seed, f, p, r, v)
        }
    }
}

/// MALA on one chunk of particles.
#[allow(clippy::too_many_arguments)]
fn mala_chunk<D: LogDensity + Score + ?Sized>(
    target: &D,
    eps: f64,
    n_steps: usize,
    seed: u64,
    simd: Simd,
    (first, points, record, divergence): (usize, &[f64], &mut ChunkRecord<'_>, &Divergence),
) -> u64 {
    let (f, p, r, v) = (first, points, record, divergence);
    match target.dim() {
        1 => lanes::mala_lanes::<1, D>(simd, target, eps, n_steps, seed, f, p, r, v),
        2 => lanes::mala_lanes::<2, D>(simd, target, eps, n_steps, seed, f, p, r, v),
        3 => lanes::mala_lanes::<3, D>(simd, target, eps, n_steps, seed, f, p, r, v),
        d => {
            let transition = MalaTransition { eps, target };
            generic::run_chunk(&transition, d, n_steps, seed, f, p, r, v)
        }
    }
}

/// The ensemble run of ULA or annealed Langevin.
pub(crate) fn ula_ensemble<S: Score + Sync + ?Sized>(
    levels: &[&S],
    schedule: &StepSchedule,
    start: &Particles,
    record: &[usize],
    seed: u64,
    simd: Simd,
) -> Result<Snapshots, SamplerError> {
    for level in levels {
        check_dim(level.dim(), start)?;
    }
    let task = if levels.len() == 1 {
        "ULA ensemble"
    } else {
        "annealed Langevin ensemble"
    };
    let cost = levels
        .iter()
        .map(|l| l.evaluation_cost())
        .fold(0.0, f64::max);
    let plan = Plan::new(schedule.n_steps(), record)?.costing(task, cost);
    engine::run(
        start,
        &plan,
        false,
        |t| schedule.step_size(t),
        |f, p, r, v| ula_chunk(levels, schedule, seed, simd, (f, p, r, v)),
    )
}

/// The single chain of ULA or annealed Langevin: particle 0 of [`ula_ensemble`].
pub(crate) fn ula_chain<S: Score + ?Sized>(
    levels: &[&S],
    schedule: &StepSchedule,
    start: &[f64],
    every: usize,
    seed: u64,
    simd: Simd,
) -> Result<Trajectory, SamplerError> {
    let d = check_start(levels[0].dim(), start)?;
    for level in levels {
        check_start(level.dim(), start)?;
    }
    let task = if levels.len() == 1 {
        "ULA"
    } else {
        "annealed Langevin"
    };
    let (states, steps, _) = engine::run_one(
        task,
        start,
        schedule.n_steps(),
        every,
        |t| schedule.step_size(t),
        |f, p, r, v| ula_chunk(levels, schedule, seed, simd, (f, p, r, v)),
    )?;
    Ok(Trajectory::new(d, states, steps, None))
}

/// The ensemble run of MALA.
pub(crate) fn mala_ensemble<D: LogDensity + Score + Sync + ?Sized>(
    eps: f64,
    target: &D,
    start: &Particles,
    n_steps: usize,
    record: &[usize],
    seed: u64,
    simd: Simd,
) -> Result<Snapshots, SamplerError> {
    check_dim(target.dim(), start)?;
    // A MALA step evaluates the score and the log-density at the proposal.
    let plan = Plan::new(n_steps, record)?.costing("MALA ensemble", 2.0 * target.evaluation_cost());
    engine::run(
        start,
        &plan,
        true,
        |_| eps,
        |f, p, r, v| mala_chunk(target, eps, n_steps, seed, simd, (f, p, r, v)),
    )
}

/// The single chain of MALA: particle 0 of [`mala_ensemble`].
pub(crate) fn mala_chain<D: LogDensity + Score + ?Sized>(
    eps: f64,
    target: &D,
    start: &[f64],
    n_steps: usize,
    every: usize,
    seed: u64,
    simd: Simd,
) -> Result<Trajectory, SamplerError> {
    let d = check_start(target.dim(), start)?;
    let (states, steps, accepted) = engine::run_one(
        "MALA",
        start,
        n_steps,
        every,
        |_| eps,
        |f, p, r, v| mala_chunk(target, eps, n_steps, seed, simd, (f, p, r, v)),
    )?;
    let rate = (n_steps > 0).then(|| accepted as f64 / n_steps as f64);
    Ok(Trajectory::new(d, states, steps, rate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;

    fn mixture(d: usize) -> GaussianMixture {
        let mean = |s: f64| -> Vec<f64> { (0..d).map(|i| s * (1.0 + 0.3 * i as f64)).collect() };
        let cov = |rho: f64| -> Vec<Vec<f64>> {
            (0..d)
                .map(|i| (0..d).map(|j| if i == j { 1.0 } else { rho }).collect())
                .collect()
        };
        GaussianMixture::new(
            &[0.4, 0.6],
            &[mean(1.5), mean(-1.0)],
            &[cov(0.3), cov(-0.2)],
        )
        .unwrap()
    }

    #[test]
    fn every_simd_variant_gives_the_same_bits() {
        let variants = Simd::available();
        assert_eq!(variants[0], Simd::Baseline);
        for d in 1..=3 {
            let gm = mixture(d);
            let start = Particles::uniform(77, d, -4.0, 4.0, 1).unwrap();
            let schedule = StepSchedule::constant(0.05, 30);
            let ula_at = |simd| ula_ensemble(&[&gm], &schedule, &start, &[0, 30], 3, simd);
            let mala_at = |simd| mala_ensemble(0.4, &gm, &start, 30, &[30], 3, simd);
            let (ula_base, mala_base) = (
                ula_at(Simd::Baseline).unwrap(),
                mala_at(Simd::Baseline).unwrap(),
            );
            for &simd in &variants[1..] {
                assert_eq!(ula_at(simd).unwrap(), ula_base, "ULA, {simd:?}, d = {d}");
                assert_eq!(mala_at(simd).unwrap(), mala_base, "MALA, {simd:?}, d = {d}");
            }
        }
    }

    #[test]
    fn the_vector_path_equals_the_point_by_point_path() {
        for d in 1..=3 {
            let gm = mixture(d);
            let start = Particles::uniform(45, d, -4.0, 4.0, 2).unwrap();
            let plan = Plan::new(40, &[40]).unwrap();
            let schedule = StepSchedule::constant(0.05, 40);
            let levels = [&gm];
            let point_by_point = engine::run(
                &start,
                &plan,
                false,
                |_| 0.05,
                |f, p, r, v| {
                    let transition = UlaTransition {
                        levels: &levels,
                        schedule: &schedule,
                    };
                    generic::run_chunk(&transition, d, 40, 5, f, p, r, v)
                },
            )
            .unwrap();
            let vector = ula_ensemble(&levels, &schedule, &start, &[40], 5, Simd::best()).unwrap();
            assert_eq!(vector, point_by_point, "ULA, d = {d}");

            let point_by_point = engine::run(
                &start,
                &plan,
                true,
                |_| 0.4,
                |f, p, r, v| {
                    let transition = MalaTransition {
                        eps: 0.4,
                        target: &gm,
                    };
                    generic::run_chunk(&transition, d, 40, 5, f, p, r, v)
                },
            )
            .unwrap();
            let vector = mala_ensemble(0.4, &gm, &start, 40, &[40], 5, Simd::best()).unwrap();
            assert_eq!(vector, point_by_point, "MALA, d = {d}");
        }
    }
}
