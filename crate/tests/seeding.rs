//! The same seed given to a start cloud and to a sampler must not correlate them: every random
//! stream is keyed by (seed, purpose, index).

use scorelab::prelude::*;

/// Sample variance and the correlation of x₀ with the first step's noise, √(2ε) z = x₁ − (1 − ε) x₀
/// (ULA on N(0, 1), whose score is −x).
fn first_step_statistics(start: &Particles, eps: f64, seed: u64) -> (f64, f64) {
    let standard = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let run = Ula::new(eps)
        .unwrap()
        .run_ensemble(&standard, start, 1, &[1], seed)
        .unwrap();
    let x0 = start.coordinate(0);
    let x1 = run.last().unwrap().coordinate(0);
    let noise: Vec<f64> = x0
        .iter()
        .zip(&x1)
        .map(|(a, b)| b - (1.0 - eps) * a)
        .collect();
    let n = x0.len() as f64;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n;
    let cov = |a: &[f64], b: &[f64]| {
        let (ma, mb) = (mean(a), mean(b));
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - ma) * (y - mb))
            .sum::<f64>()
            / (n - 1.0)
    };
    let corr = cov(&x0, &noise) / (cov(&x0, &x0) * cov(&noise, &noise)).sqrt();
    (cov(&x1, &x1), corr)
}

#[test]
fn an_exact_start_and_the_sampler_under_one_seed_are_independent() {
    // x₁ = (1 − ε) x₀ + √(2ε) z: variance (1 − ε)² + 2ε = 1.25 at ε = 0.5 if z is independent of
    // x₀. With one stream for both the variance was 0.80 and corr(x₀, z) = −0.45.
    let standard = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let n = 200_000;
    for seed in [0, 7] {
        let start = Particles::sample(&standard, n, seed).unwrap();
        let (variance, corr) = first_step_statistics(&start, 0.5, seed);
        // Standard errors: √(2/n)·1.25 = 0.004 for the variance, 1/√n = 0.0022 for corr.
        assert!(
            (variance - 1.25).abs() < 0.02,
            "seed {seed}: variance {variance}"
        );
        assert!(corr.abs() < 0.015, "seed {seed}: corr {corr}");
    }
}

#[test]
fn a_uniform_draw_and_the_sampler_under_one_seed_are_independent() {
    let n = 200_000;
    let start = Particles::uniform(-3.0..=3.0).draw(n, 3).unwrap();
    let (_, corr) = first_step_statistics(&start, 0.1, 3);
    assert!(corr.abs() < 0.015, "corr {corr}");
}

#[test]
fn a_uniform_point_is_the_first_particle_of_a_uniform_cloud() {
    for (dim, seed) in [(1, 0), (2, 3), (3, u64::MAX)] {
        let law = Particles::uniform(-8.0..=8.0).dim(dim);
        let cloud = law.draw(5, seed).unwrap();
        assert_eq!(cloud.point(0), Some(law.point(seed).unwrap().as_slice()));
    }
}

#[test]
fn a_box_with_no_dimension_or_bad_bounds_is_refused() {
    for law in [
        Particles::uniform(-1.0..=1.0).dim(0),
        Particles::uniform(1.0..=-1.0),
        Particles::uniform(0.0..=f64::INFINITY),
        Particles::uniform(f64::NAN..=1.0),
    ] {
        assert!(
            matches!(law.draw(3, 0), Err(SamplerError::InvalidParameter { .. })),
            "{law:?}"
        );
        assert!(law.point(0).is_err(), "{law:?}");
    }
}

#[test]
fn draws_starts_and_noise_differ_under_one_seed() {
    use rand::Rng;
    use scorelab::{Purpose, stream_rng};
    let first = |p: Purpose| stream_rng(11, p, 0).random::<u64>();
    let all = [
        first(Purpose::Noise),
        first(Purpose::Start),
        first(Purpose::Draw),
        first(Purpose::Perturbation),
        first(Purpose::ReverseNoise),
        first(Purpose::Run),
    ];
    for i in 0..all.len() {
        for j in 0..i {
            assert_ne!(all[i], all[j]);
        }
    }
}

#[test]
fn every_stream_is_a_noise_stream() {
    use rand::RngCore;
    use scorelab::{Purpose, stream_rng};
    // The Langevin noise of particle 7 is stream (seed, Noise, 7), one generator type for both.
    let mut noise = NoiseStream::new(5, 7);
    let mut keyed: NoiseStream = stream_rng(5, Purpose::Noise, 7);
    for _ in 0..4 {
        assert_eq!(noise.next_u64(), keyed.next_u64());
    }
}

#[test]
fn each_particle_of_the_reverse_sde_draws_from_its_own_stream() {
    // A particle's path does not depend on how many particles run beside it (and so on how
    // they are split into parallel chunks).
    let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
    let vp = Diffusion::variance_preserving(&data, 0.1..=20.0).unwrap();
    let many = Particles::sample(&vp.marginal(1.0).unwrap(), 600, 1).unwrap();
    let few = Particles::from_flat(1, many.as_flat()[..10].to_vec()).unwrap();
    let run = |start: &Particles| {
        ReverseSampler::Sde
            .steps(50)
            .seed(4)
            .run(&vp, &vp, start)
            .unwrap()
            .samples()
            .clone()
    };
    let (all, alone) = (run(&many), run(&few));
    assert_eq!(&all.as_flat()[..10], alone.as_flat());
}
