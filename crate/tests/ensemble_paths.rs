//! The fast path for Gaussian mixtures (dimension ≤ 3) against the generic path for any score:
//! the same numbers, bit for bit, on any number of threads.

use scorelab::prelude::*;

mod common;
use common::{Opaque, reference_2d};

fn mixture(d: usize) -> GaussianMixture {
    match d {
        1 => {
            GaussianMixture::new_1d(&[0.6, 0.0, 0.4], &[2.0, 0.0, -2.0], &[0.5, 1.0, 0.2]).unwrap()
        }
        2 => reference_2d(),
        _ => GaussianMixture::new(
            &[0.5, 0.5],
            &[[1.0, -1.0, 0.5], [-2.0, 0.0, 1.0]],
            &[
                [[1.0, 0.2, 0.0], [0.2, 0.8, 0.1], [0.0, 0.1, 1.2]],
                [[0.6, 0.0, -0.1], [0.0, 1.0, 0.0], [-0.1, 0.0, 0.9]],
            ],
        )
        .unwrap(),
    }
}

fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn ula_fast_path_equals_generic_path_in_every_small_dimension() {
    for d in 1..=3 {
        let gm = mixture(d);
        // 1037 particles: several chunks and a partial block of lanes.
        let start = Particles::uniform(-5.0..=5.0)
            .dim(d)
            .draw(1037, 11)
            .unwrap();
        let ula = Ula::new(0.05).unwrap();
        let fast = ula.run_ensemble(&gm, &start, 60, &[0, 7, 60], 5).unwrap();
        let generic = ula
            .run_ensemble(&Opaque(&gm), &start, 60, &[0, 7, 60], 5)
            .unwrap();
        assert_eq!(fast, generic, "dimension {d}");
    }
}

#[test]
fn mala_fast_path_equals_generic_path() {
    for d in 1..=3 {
        let gm = mixture(d);
        let start = Particles::uniform(-4.0..=4.0).dim(d).draw(523, 2).unwrap();
        let mala = Mala::new(0.4).unwrap();
        let fast = mala.run_ensemble(&gm, &start, 40, &[20, 40], 9).unwrap();
        let generic = mala
            .run_ensemble(&Opaque(&gm), &start, 40, &[20, 40], 9)
            .unwrap();
        assert_eq!(fast, generic, "dimension {d}");
        let rate = fast.acceptance_rate().unwrap();
        assert!(rate > 0.2 && rate < 1.0, "acceptance {rate}");
    }
}

#[test]
fn annealed_fast_path_equals_generic_path() {
    let gm = reference_2d();
    let annealed = AnnealedLangevin::geometric()
        .sigmas(5.0, 0.3)
        .levels(4)
        .step(0.01)
        .steps_per_level(15)
        .build()
        .unwrap();
    let levels = annealed.perturbed_levels(&gm).unwrap();
    let opaque: Vec<Opaque<'_>> = levels.iter().map(Opaque).collect();
    let start = Particles::uniform(-8.0..=8.0).dim(2).draw(700, 3).unwrap();
    let record = [0, 15, 16, 60];
    let fast = annealed.run_ensemble(&levels, &start, &record, 4).unwrap();
    let generic = annealed.run_ensemble(&opaque, &start, &record, 4).unwrap();
    assert_eq!(fast, generic);
    assert!(
        (fast.times()[3]
            - (0..4)
                .map(|i| 15.0 * annealed.step_size(i).unwrap())
                .sum::<f64>())
        .abs()
            < 1e-12
    );
}

#[test]
fn fast_paths_are_identical_for_any_thread_count() {
    let gm = reference_2d();
    let start = Particles::uniform(-8.0..=8.0)
        .dim(2)
        .draw(2_100, 8)
        .unwrap();
    let run = || {
        (
            Ula::new(0.02)
                .unwrap()
                .run_ensemble(&gm, &start, 50, &[10, 50], 3)
                .unwrap(),
            Mala::new(0.3)
                .unwrap()
                .run_ensemble(&gm, &start, 50, &[50], 3)
                .unwrap(),
        )
    };
    let one = with_threads(1, run);
    assert_eq!(one, with_threads(2, run));
    assert_eq!(one, with_threads(3, run));
}

#[test]
fn both_paths_report_the_same_earliest_divergence() {
    let gm = mixture(2);
    let start = Particles::uniform(-3.0..=3.0)
        .dim(2)
        .draw(3_000, 0)
        .unwrap();
    let ula = Ula::new(4.0).unwrap();
    let fast = with_threads(2, || ula.run_ensemble(&gm, &start, 2000, &[2000], 1)).unwrap_err();
    let generic = with_threads(1, || {
        ula.run_ensemble(&Opaque(&gm), &start, 2000, &[2000], 1)
    })
    .unwrap_err();
    assert!(matches!(fast, SamplerError::Diverged { .. }), "{fast}");
    assert_eq!(fast, generic);
}

#[test]
fn ensemble_matches_single_trajectories_in_2d() {
    let gm = reference_2d();
    let ula = Ula::new(0.02).unwrap();
    let n = 3000;
    let mut singles = Vec::with_capacity(2 * n);
    for s in 0..n {
        let path = ula.run(&gm, &[0.5, 0.5], 200, s as u64).unwrap();
        singles.extend_from_slice(path.point(200).unwrap());
    }
    let start = Particles::from_flat(2, [0.5, 0.5].repeat(n)).unwrap();
    let cloud = ula.run_ensemble(&gm, &start, 200, &[200], 77).unwrap();
    let cloud = cloud.last().unwrap().as_flat();
    for axis in 0..2 {
        let mean = |v: &[f64]| v.iter().skip(axis).step_by(2).sum::<f64>() / n as f64;
        let (a, b) = (mean(&singles), mean(cloud));
        // Each coordinate has standard deviation ≲ 3.5; the standard error of a difference of
        // two means of 3000 is ≈ 0.09.
        assert!((a - b).abs() < 0.35, "axis {axis}: {a} vs {b}");
    }
}

#[test]
fn batch_evaluation_equals_pointwise_evaluation() {
    for d in 1..=4 {
        let gm = if d == 4 {
            GaussianMixture::new(
                &[0.5, 0.5],
                &[[0.0; 4], [1.0, 2.0, 3.0, 4.0]],
                &[
                    [
                        [1.0, 0.0, 0.0, 0.0],
                        [0.0, 2.0, 0.0, 0.0],
                        [0.0, 0.0, 1.0, 0.5],
                        [0.0, 0.0, 0.5, 1.0],
                    ],
                    [
                        [1.0, 0.0, 0.0, 0.0],
                        [0.0, 1.0, 0.0, 0.0],
                        [0.0, 0.0, 1.0, 0.0],
                        [0.0, 0.0, 0.0, 1.0],
                    ],
                ],
            )
            .unwrap()
        } else {
            mixture(d)
        };
        let points = Particles::uniform(-9.0..=9.0)
            .dim(d)
            .draw(5_003, 1)
            .unwrap();
        let points = points.as_flat();
        let mut scores = vec![0.0; points.len()];
        let mut logs = vec![0.0; points.len() / d];
        gm.score_batch(points, &mut scores).unwrap();
        gm.log_prob_batch(points, &mut logs).unwrap();
        for (i, x) in points.chunks_exact(d).enumerate() {
            assert_eq!(
                &scores[i * d..(i + 1) * d],
                gm.score(x).as_slice(),
                "d {d} point {i}"
            );
            assert_eq!(
                logs[i].to_bits(),
                gm.log_prob(x).to_bits(),
                "d {d} point {i}"
            );
        }
    }
}

#[test]
fn batch_shapes_are_checked() {
    let gm = reference_2d();
    let mut out = vec![0.0; 4];
    assert_eq!(
        gm.score_batch(&[0.0; 3], &mut out).unwrap_err(),
        BatchError::RaggedPoints { len: 3, dim: 2 }
    );
    assert_eq!(
        gm.score_batch(&[0.0; 6], &mut out).unwrap_err(),
        BatchError::OutputLength {
            expected: 6,
            found: 4
        }
    );
    assert!(gm.log_prob_batch(&[0.0; 8], &mut out).is_ok());
    assert!(
        Opaque(&gm)
            .log_prob_batch(&[0.0; 8], &mut out[..3])
            .is_err()
    );
}

#[test]
fn a_single_chain_is_particle_zero_of_the_ensemble() {
    for d in 1..=4 {
        let gm = if d == 4 {
            GaussianMixture::new(
                &[1.0],
                &[[0.5, -0.5, 1.0, 0.0]],
                &[[
                    [1.0, 0.2, 0.0, 0.0],
                    [0.2, 1.0, 0.0, 0.1],
                    [0.0, 0.0, 0.5, 0.0],
                    [0.0, 0.1, 0.0, 2.0],
                ]],
            )
            .unwrap()
        } else {
            mixture(d)
        };
        let cloud = Particles::uniform(-3.0..=3.0).dim(d).draw(37, 4).unwrap();
        let x0 = cloud.point(0).unwrap().to_vec();
        let n = 25;
        let ula = Ula::new(0.07).unwrap();
        let chain = ula.run(&gm, &x0, n, 8).unwrap();
        let snaps = ula.run_ensemble(&gm, &cloud, n, &[n], 8).unwrap();
        assert_eq!(
            chain.point(n),
            snaps.last().unwrap().point(0),
            "ULA, d = {d}"
        );

        let mala = Mala::new(0.3).unwrap();
        let chain = mala.run(&gm, &x0, n, 8).unwrap();
        let snaps = mala.run_ensemble(&gm, &cloud, n, &[n], 8).unwrap();
        assert_eq!(
            chain.point(n),
            snaps.last().unwrap().point(0),
            "MALA, d = {d}"
        );

        let annealed = AnnealedLangevin::geometric()
            .sigmas(3.0, 0.3)
            .levels(4)
            .step(0.01)
            .steps_per_level(6)
            .build()
            .unwrap();
        let levels = annealed.perturbed_levels(&gm).unwrap();
        let total = annealed.total_steps();
        let chain = annealed.run(&levels, &x0, 8).unwrap();
        let snaps = annealed.run_ensemble(&levels, &cloud, &[total], 8).unwrap();
        assert_eq!(
            chain.point(total),
            snaps.last().unwrap().point(0),
            "annealed, d = {d}"
        );
    }
}

#[test]
fn a_slice_runs_its_own_score_not_the_mixture_behind_it() {
    // An axis-aligned slice through a Gaussian with diagonal covariance is the 2-D Gaussian of
    // those axes: samplers on the slice must follow the slice's score, not the 3-D mixture's.
    let full = GaussianMixture::new(
        &[1.0],
        &[[1.0, -2.0, 0.5]],
        &[[[0.5, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 1.5]]],
    )
    .unwrap();
    let plane = Slice2d::new(&full, [0, 2], &[0.0, 7.0, 0.0]).unwrap();
    let flat = GaussianMixture::new(&[1.0], &[[1.0, 0.5]], &[[[0.5, 0.0], [0.0, 1.5]]]).unwrap();
    let start = Particles::uniform(-3.0..=3.0).dim(2).draw(200, 1).unwrap();
    let ula = Ula::new(0.05).unwrap();
    let on_slice = ula.run_ensemble(&plane, &start, 50, &[50], 3).unwrap();
    let on_flat = ula.run_ensemble(&flat, &start, 50, &[50], 3).unwrap();
    let (a, b) = (on_slice.last().unwrap(), on_flat.last().unwrap());
    for (x, y) in a.as_flat().iter().zip(b.as_flat()) {
        assert!((x - y).abs() < 1e-12, "{x} vs {y}");
    }
}

#[test]
fn far_out_particles_take_the_same_path_through_the_kernel() {
    // Starts beyond the kernel's safe range go through the general path lane by lane (far-field
    // branch); the outcome, states or divergence, is the same as point by point.
    for d in 1..=3 {
        let gm = mixture(d);
        for far in [1e140, 3e149, 1e155, 1e200, f64::MAX] {
            let mut data = vec![0.5; 11 * d];
            data[3 * d] = far;
            data[7 * d] = -far;
            let start = Particles::from_flat(d, data).unwrap();
            for eps in [1e-300, 1e-3] {
                let ula = Ula::new(eps).unwrap();
                let fast = ula.run_ensemble(&gm, &start, 3, &[3], 1);
                let generic = ula.run_ensemble(&Opaque(&gm), &start, 3, &[3], 1);
                assert_eq!(fast, generic, "d = {d}, start {far:e}, ε = {eps:e}");
                let mala = Mala::new(eps).unwrap();
                let fast = mala.run_ensemble(&gm, &start, 3, &[3], 1);
                let generic = mala.run_ensemble(&Opaque(&gm), &start, 3, &[3], 1);
                assert_eq!(fast, generic, "MALA d = {d}, start {far:e}, ε = {eps:e}");
            }
        }
    }
}
