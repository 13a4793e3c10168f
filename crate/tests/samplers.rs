//! The claims the notebooks make about samplers, checked with statistics.

use scorelab::diagnostics::{
    ks_p_value, ks_statistic, mixture_cdf, mode_occupancy, wasserstein1_to_density,
};
use scorelab::prelude::*;

fn variance(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0)
}

#[test]
fn mala_is_exact_where_ula_is_biased() {
    // N(0, 1) at ε = 1.9: ULA's stationary variance is σ²/(1 − ε/2σ²) = 20; MALA keeps 1.
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let start = Particles::sample(&gm, 20_000, 1).unwrap();
    let eps = 1.9;
    let ula = Ula::new(eps)
        .unwrap()
        .run_ensemble(&gm, &start, 300, &[300], 2)
        .unwrap();
    let mala = Mala::new(eps)
        .unwrap()
        .run_ensemble(&gm, &start, 300, &[300], 3)
        .unwrap();
    let v_ula = variance(&ula.last().unwrap().coordinate(0));
    let v_mala = variance(&mala.last().unwrap().coordinate(0));
    let predicted = 1.0 / (1.0 - eps / 2.0);
    // Standard errors: 20·√(2/n) ≈ 0.2 and √(2/n) ≈ 0.01.
    assert!(
        (v_ula - predicted).abs() < 1.0,
        "ULA variance {v_ula}, predicted {predicted}"
    );
    assert!((v_mala - 1.0).abs() < 0.05, "MALA variance {v_mala}");
    let rate = mala.acceptance_rate().unwrap();
    assert!(rate > 0.05 && rate < 0.95, "acceptance {rate}");
}

#[test]
fn exact_sampler_passes_a_ks_test() {
    let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap();
    let xs = Particles::sample(&gm, 50_000, 9).unwrap().coordinate(0);
    let d = ks_statistic(&xs, |x| mixture_cdf(&gm, x).unwrap()).unwrap();
    let p = ks_p_value(d, xs.len()).unwrap();
    assert!(p > 0.01, "KS D = {d}, p = {p}");
}

#[test]
fn fokker_planck_conserves_mass_and_matches_particles() {
    // The sibling experiment: 10⁵ particles uniform on [−3, 3], ε = 0.01, 100 steps (t = 1).
    let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap();
    let start = Particles::uniform(-3.0..=3.0).draw(100_000, 4).unwrap();
    let snaps = Ula::new(0.01)
        .unwrap()
        .run_ensemble(&gm, &start, 100, &[0, 10, 100], 5)
        .unwrap();
    let mut fp = FokkerPlanck1d::new(&gm, -6.0..=6.0, 1200, |x| {
        if x.abs() <= 3.0 { 1.0 } else { 0.0 }
    })
    .unwrap();
    for (i, &t) in snaps.times().iter().enumerate() {
        fp.advance_to(t).unwrap();
        assert!(
            (fp.mass() - 1.0).abs() < 1e-9,
            "mass {} at t = {t}",
            fp.mass()
        );
        assert!(fp.density().iter().all(|p| *p >= 0.0));
        let w1 = wasserstein1_to_density(
            &snaps.get(i).unwrap().coordinate(0),
            fp.centers(),
            fp.density(),
        )
        .unwrap();
        println!("t = {t}: W1(particles, p_t) = {w1:.4}");
        assert!(w1 < 0.02, "W1(particles, p_t) = {w1} at t = {t}");
    }
}

#[test]
fn fokker_planck_has_the_target_as_fixed_point_and_attractor() {
    let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap();
    let l1 = |fp: &FokkerPlanck1d, gm: &GaussianMixture| {
        let dx = fp.centers()[1] - fp.centers()[0];
        fp.density()
            .iter()
            .zip(fp.centers())
            .map(|(p, &x)| (p - gm.pdf(&[x])).abs())
            .sum::<f64>()
            * dx
    };
    // Started at p, it stays at p (up to the grid's discretisation error).
    let mut fp = FokkerPlanck1d::new(&gm, -6.0..=6.0, 1200, |x| gm.pdf(&[x])).unwrap();
    fp.advance(5.0).unwrap();
    assert!(l1(&fp, &gm) < 1e-3, "drifted from p by {}", l1(&fp, &gm));
    // A single mode attracts any start.
    let single = GaussianMixture::new_1d(&[1.0], &[1.0], &[0.5]).unwrap();
    let mut fp = FokkerPlanck1d::new(&single, -6.0..=6.0, 1200, |x| {
        if x.abs() <= 3.0 { 1.0 } else { 0.0 }
    })
    .unwrap();
    fp.advance(10.0).unwrap();
    assert!(
        l1(&fp, &single) < 1e-3,
        "‖p_10 − p‖₁ = {}",
        l1(&fp, &single)
    );
    assert!((fp.mass() - 1.0).abs() < 1e-9);
}

#[test]
fn annealing_recovers_mode_weights_where_plain_langevin_does_not() {
    let gm = GaussianMixture::new_1d(&[0.8, 0.2], &[-5.0, 5.0], &[0.5, 0.5]).unwrap();
    let start = Particles::uniform(-8.0..=8.0).draw(10_000, 1).unwrap();
    let annealed = AnnealedLangevin::geometric()
        .sigmas(10.0, 0.05)
        .levels(15)
        .step(0.0002)
        .steps_per_level(100)
        .build()
        .unwrap();
    let levels = annealed.perturbed_levels(&gm).unwrap();
    let cost = annealed.total_steps();
    let a = annealed.run_ensemble(&levels, &start, &[cost], 2).unwrap();
    let u = Ula::new(0.05)
        .unwrap()
        .run_ensemble(&gm, &start, cost, &[cost], 2)
        .unwrap();
    let occ_annealed = mode_occupancy(&gm, a.last().unwrap()).unwrap();
    let occ_ula = mode_occupancy(&gm, u.last().unwrap()).unwrap();
    assert!(
        (occ_annealed[0] - 0.8).abs() < 0.03,
        "annealed occupancy {occ_annealed:?}"
    );
    assert!((occ_ula[0] - 0.8).abs() > 0.1, "ULA occupancy {occ_ula:?}");
}

#[test]
fn ensembles_are_identical_for_any_thread_count() {
    let gm = GaussianMixture::new(
        &[0.3, 0.7],
        &[[-2.0, 0.0], [2.0, 1.0]],
        &[[[1.0, 0.3], [0.3, 1.0]], [[0.5, 0.0], [0.0, 2.0]]],
    )
    .unwrap();
    let start = Particles::uniform(-5.0..=5.0)
        .dim(2)
        .draw(3_000, 8)
        .unwrap();
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            (
                Ula::new(0.05)
                    .unwrap()
                    .run_ensemble(&gm, &start, 50, &[10, 50], 3)
                    .unwrap(),
                Mala::new(0.3)
                    .unwrap()
                    .run_ensemble(&gm, &start, 50, &[50], 3)
                    .unwrap(),
            )
        })
    };
    assert_eq!(run(1), run(4));
}

#[test]
fn ensemble_matches_single_trajectories_statistically() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.5], &[0.7, 0.5]).unwrap();
    let ula = Ula::new(0.05).unwrap();
    let n = 4000;
    let singles: Vec<f64> = (0..n)
        .map(|s| {
            *ula.run(&gm, &[0.0], 100, s as u64)
                .unwrap()
                .coordinate(0)
                .last()
                .unwrap()
        })
        .collect();
    let start = Particles::from_flat(1, vec![0.0; n]).unwrap();
    let cloud = ula
        .run_ensemble(&gm, &start, 100, &[100], 77)
        .unwrap()
        .last()
        .unwrap()
        .coordinate(0);
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    assert!(
        (mean(&singles) - mean(&cloud)).abs() < 0.1,
        "{} vs {}",
        mean(&singles),
        mean(&cloud)
    );
    assert!((variance(&singles) - variance(&cloud)).abs() < 0.15);
}

#[test]
fn ensemble_reports_divergence_and_bad_snapshots() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let start = Particles::uniform(-1.0..=1.0).draw(100, 0).unwrap();
    let err = Ula::new(3.0)
        .unwrap()
        .run_ensemble(&gm, &start, 5000, &[5000], 1)
        .unwrap_err();
    assert!(matches!(err, SamplerError::Diverged { .. }), "{err}");
    let err = Ula::new(0.1)
        .unwrap()
        .run_ensemble(&gm, &start, 10, &[11], 1)
        .unwrap_err();
    assert!(err.to_string().contains("snapshot step"), "{err}");
    let start2 = Particles::uniform(-1.0..=1.0).dim(2).draw(10, 0).unwrap();
    let err = Ula::new(0.1)
        .unwrap()
        .run_ensemble(&gm, &start2, 10, &[10], 1)
        .unwrap_err();
    assert_eq!(
        err,
        SamplerError::DimensionMismatch {
            expected: 1,
            found: 2
        }
    );
}

#[test]
fn the_annealing_builder_refuses_bad_settings_with_typed_errors() {
    let build = |b: AnnealedLangevinBuilder| b.build().unwrap_err();
    let defaults = AnnealedLangevin::geometric().build().unwrap();
    assert_eq!(defaults.sigmas().len(), 10);
    assert_eq!(defaults.sigmas()[0], 10.0);
    assert_eq!(defaults.sigmas()[9], 0.01);
    assert_eq!(defaults.total_steps(), 1000);
    assert!(matches!(
        build(AnnealedLangevin::geometric().sigmas(0.1, 1.0)),
        SamplerError::InvalidParameter {
            name: "sigma_min",
            ..
        }
    ));
    assert!(matches!(
        build(AnnealedLangevin::geometric().sigmas(f64::NAN, 0.1)),
        SamplerError::InvalidParameter {
            name: "sigma_max",
            ..
        }
    ));
    assert!(matches!(
        build(AnnealedLangevin::geometric().step(-1.0)),
        SamplerError::InvalidStepSize { step: -1.0 }
    ));
    assert!(matches!(
        build(AnnealedLangevin::geometric().levels(0)),
        SamplerError::Limit(_)
    ));
}

#[test]
fn every_sampler_records_the_ends_or_every_kth_step() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let full = Ula::new(0.1).unwrap().run(&gm, &[2.0], 25, 3).unwrap();
    let ends = Ula::new(0.1)
        .unwrap()
        .record(Record::Ends)
        .run(&gm, &[2.0], 25, 3)
        .unwrap();
    assert_eq!(ends.steps(), &[0, 25]);
    assert_eq!(ends.point(25), full.point(25));
    let mala = Mala::new(0.5).unwrap().record(Record::Every(10));
    assert_eq!(
        mala.run(&gm, &[2.0], 25, 3).unwrap().steps(),
        &[0, 10, 20, 25]
    );

    let vp = Diffusion::variance_preserving(&gm, 0.1..=20.0).unwrap();
    let start = Particles::sample(&vp.marginal(1.0).unwrap(), 50, 1).unwrap();
    let every = ReverseSampler::Sde
        .steps(25)
        .record(Record::Every(10))
        .seed(2);
    assert_eq!(every.run(&vp, &vp, &start).unwrap().times().len(), 4);
    let ends = ReverseSampler::Sde
        .steps(25)
        .seed(2)
        .run(&vp, &vp, &start)
        .unwrap();
    assert_eq!(ends.times(), &[1.0, 0.0]);
    assert!(matches!(
        ReverseSampler::Ode
            .record(Record::Every(0))
            .run(&vp, &vp, &start),
        Err(SamplerError::Limit(_))
    ));
}
