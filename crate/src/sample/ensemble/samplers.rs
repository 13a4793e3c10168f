//! Every run of every sampler: the vector path for scores in dimension ≤ 3, the point-by-point
//! path above; an ensemble runs its particles in parallel, a single chain is particle 0 with
//! every step recorded. All give the same numbers for the same particle.

use super::engine::{self, Chunk, Plan};
use super::{Particles, Snapshots, generic, lanes};
use crate::model::score::{LogDensity, Score};
use crate::numeric::simd::Simd;
use crate::sample::error::SamplerError;
use crate::sample::level::{Level, Levels};
use crate::sample::record::Record;
use crate::sample::rules::check_start;
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

/// ULA or annealed Langevin on one chunk of particles.
fn ula_chunk<S: Score + ?Sized>(
    levels: &[Level<'_, S>],
    seed: u64,
    simd: Simd,
    chunk: Chunk<'_, '_>,
) -> u64 {
    match levels[0].target.dim() {
        1 => lanes::ula_lanes::<1, S>(simd, levels, seed, chunk),
        2 => lanes::ula_lanes::<2, S>(simd, levels, seed, chunk),
        3 => lanes::ula_lanes::<3, S>(simd, levels, seed, chunk),
        _ => generic::ula_points(levels, seed, chunk),
    }
}

/// MALA on one chunk of particles.
fn mala_chunk<D: LogDensity + Score + ?Sized>(
    levels: &[Level<'_, D>],
    seed: u64,
    simd: Simd,
    chunk: Chunk<'_, '_>,
) -> u64 {
    match levels[0].target.dim() {
        1 => lanes::mala_lanes::<1, D>(simd, levels, seed, chunk),
        2 => lanes::mala_lanes::<2, D>(simd, levels, seed, chunk),
        3 => lanes::mala_lanes::<3, D>(simd, levels, seed, chunk),
        _ => generic::mala_points(levels, seed, chunk),
    }
}

/// The ensemble run of ULA or annealed Langevin.
pub(crate) fn ula_ensemble<S: Score + Sync + ?Sized>(
    levels: &Levels<'_, S>,
    start: &Particles,
    record: &[usize],
    seed: u64,
    simd: Simd,
) -> Result<Snapshots, SamplerError> {
    for level in levels.as_slice() {
        check_dim(level.target.dim(), start)?;
    }
    let task = if levels.as_slice().len() == 1 {
        "ULA ensemble"
    } else {
        "annealed Langevin ensemble"
    };
    let cost = levels
        .as_slice()
        .iter()
        .map(|l| l.target.evaluation_cost())
        .fold(0.0, f64::max);
    let plan = Plan::new(levels.n_steps(), record)?.costing(task, cost);
    let run = levels.as_slice();
    engine::run(
        start,
        &plan,
        false,
        |t| levels.step_size(t),
        |chunk| ula_chunk(run, seed, simd, chunk),
    )
}

/// The single chain of ULA or annealed Langevin: particle 0 of [`ula_ensemble`].
pub(crate) fn ula_chain<S: Score + ?Sized>(
    levels: &Levels<'_, S>,
    start: &[f64],
    record: Record,
    seed: u64,
    simd: Simd,
) -> Result<Trajectory, SamplerError> {
    let d = check_start(levels.first_target().dim(), start)?;
    for level in levels.as_slice() {
        check_start(level.target.dim(), start)?;
    }
    let task = if levels.as_slice().len() == 1 {
        "ULA"
    } else {
        "annealed Langevin"
    };
    let run = levels.as_slice();
    let (states, steps, _) = engine::run_one(
        task,
        start,
        levels.n_steps(),
        record,
        |t| levels.step_size(t),
        |chunk| ula_chunk(run, seed, simd, chunk),
    )?;
    Ok(Trajectory::new(d, states, steps, None))
}

/// The ensemble run of MALA.
pub(crate) fn mala_ensemble<D: LogDensity + Score + Sync + ?Sized>(
    levels: &Levels<'_, D>,
    start: &Particles,
    record: &[usize],
    seed: u64,
    simd: Simd,
) -> Result<Snapshots, SamplerError> {
    let target = levels.first_target();
    check_dim(target.dim(), start)?;
    // A MALA step evaluates the score and the log-density at the proposal.
    let cost = 2.0 * target.evaluation_cost();
    let plan = Plan::new(levels.n_steps(), record)?.costing("MALA ensemble", cost);
    let run = levels.as_slice();
    engine::run(
        start,
        &plan,
        true,
        |t| levels.step_size(t),
        |chunk| mala_chunk(run, seed, simd, chunk),
    )
}

/// The single chain of MALA: particle 0 of [`mala_ensemble`].
pub(crate) fn mala_chain<D: LogDensity + Score + ?Sized>(
    levels: &Levels<'_, D>,
    start: &[f64],
    record: Record,
    seed: u64,
    simd: Simd,
) -> Result<Trajectory, SamplerError> {
    let d = check_start(levels.first_target().dim(), start)?;
    let n_steps = levels.n_steps();
    let run = levels.as_slice();
    let (states, steps, accepted) = engine::run_one(
        "MALA",
        start,
        n_steps,
        record,
        |t| levels.step_size(t),
        |chunk| mala_chunk(run, seed, simd, chunk),
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
            let start = Particles::uniform(-4.0..=4.0).dim(d).draw(77, 1).unwrap();
            let ula = Levels::one(&gm, 0.05, 30);
            let mala = Levels::one(&gm, 0.4, 30);
            let ula_at = |simd| ula_ensemble(&ula, &start, &[0, 30], 3, simd);
            let mala_at = |simd| mala_ensemble(&mala, &start, &[30], 3, simd);
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
            let start = Particles::uniform(-4.0..=4.0).dim(d).draw(45, 2).unwrap();
            let plan = Plan::new(40, &[40]).unwrap();
            let ula = Levels::one(&gm, 0.05, 40);
            let point_by_point = engine::run(
                &start,
                &plan,
                false,
                |_| 0.05,
                |chunk| generic::ula_points(ula.as_slice(), 5, chunk),
            )
            .unwrap();
            let vector = ula_ensemble(&ula, &start, &[40], 5, Simd::best()).unwrap();
            assert_eq!(vector, point_by_point, "ULA, d = {d}");

            let mala = Levels::one(&gm, 0.4, 40);
            let point_by_point = engine::run(
                &start,
                &plan,
                true,
                |_| 0.4,
                |chunk| generic::mala_points(mala.as_slice(), 5, chunk),
            )
            .unwrap();
            let vector = mala_ensemble(&mala, &start, &[40], 5, Simd::best()).unwrap();
            assert_eq!(vector, point_by_point, "MALA, d = {d}");
        }
    }

    #[test]
    fn annealing_gives_the_same_bits_on_both_paths() {
        for d in 1..=3 {
            let (coarse, fine) = (mixture(d).perturbed(1.5).unwrap(), mixture(d));
            let start = Particles::uniform(-4.0..=4.0).dim(d).draw(21, 4).unwrap();
            let plan = Plan::new(30, &[10, 30]).unwrap();
            let levels = Levels::new(vec![
                Level {
                    target: &coarse,
                    step: 0.2,
                    steps: 10,
                },
                Level {
                    target: &fine,
                    step: 0.05,
                    steps: 20,
                },
            ]);
            let point_by_point = engine::run(
                &start,
                &plan,
                false,
                |t| levels.step_size(t),
                |c| generic::ula_points(levels.as_slice(), 6, c),
            )
            .unwrap();
            let vector = ula_ensemble(&levels, &start, &[10, 30], 6, Simd::best()).unwrap();
            assert_eq!(vector, point_by_point, "annealed, d = {d}");
        }
    }
}
