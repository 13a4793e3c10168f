//! Predictor–corrector and DDPM's ancestral step: they reach the data, count their score
//! evaluations, and refuse what they cannot do.

use scorelab::learn::ks_to_data;
use scorelab::prelude::*;

fn data() -> GaussianMixture {
    GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6]).unwrap()
}

#[test]
fn every_sampler_reaches_the_data_with_the_exact_score() {
    let data = data();
    let vp = Diffusion::variance_preserving(&data, 0.1..=20.0).unwrap();
    let ve = Diffusion::variance_exploding(&data, 0.01..=10.0).unwrap();
    let pc = ReverseSampler::PredictorCorrector { snr: 0.16 };
    for (process, samplers) in [(&vp, vec![ReverseSampler::Ddpm, pc]), (&ve, vec![pc])] {
        let start = Particles::sample(&process.marginal(1.0).unwrap(), 2000, 1).unwrap();
        for sampler in samplers {
            let run = sampler
                .steps(200)
                .seed(4)
                .run(process, process, &start)
                .unwrap();
            let d = ks_to_data(&run, &data).unwrap();
            assert!(d < 0.04, "{sampler:?}: KS D = {d}");
            assert!(run.warnings().is_empty(), "{run}");
        }
    }
}

#[test]
fn runs_count_their_score_evaluations() {
    let data = data();
    let vp = Diffusion::variance_preserving(&data, 0.1..=20.0).unwrap();
    let start = Particles::sample(&vp.marginal(1.0).unwrap(), 10, 1).unwrap();
    let count = |sampler: ReverseSampler| {
        sampler
            .steps(50)
            .run(&vp, &vp, &start)
            .unwrap()
            .score_evaluations()
    };
    assert_eq!(count(ReverseSampler::Sde), 50);
    assert_eq!(count(ReverseSampler::Ddpm), 50);
    assert_eq!(count(ReverseSampler::Ode), 100);
    // The last corrector would act at t = 0, where v = 0 and its step α is 0: skipped.
    assert_eq!(count(ReverseSampler::PredictorCorrector { snr: 0.1 }), 99);
}

#[test]
fn ddpm_is_the_reverse_sde_to_first_order() {
    // Same noise streams, short steps: both discretise the same SDE, so their paths agree.
    let data = data();
    let vp = Diffusion::variance_preserving(&data, 0.1..=20.0).unwrap();
    let start = Particles::sample(&vp.marginal(1.0).unwrap(), 200, 1).unwrap();
    let gap = |steps: usize| {
        let a = ReverseSampler::Sde
            .steps(steps)
            .seed(2)
            .run(&vp, &vp, &start)
            .unwrap();
        let b = ReverseSampler::Ddpm
            .steps(steps)
            .seed(2)
            .run(&vp, &vp, &start)
            .unwrap();
        let (xa, xb) = (a.samples().coordinate(0), b.samples().coordinate(0));
        xa.iter().zip(&xb).map(|(p, q)| (p - q).abs()).sum::<f64>() / xa.len() as f64
    };
    let (coarse, fine) = (gap(100), gap(1600));
    assert!(
        fine < 0.02 && fine < coarse / 4.0,
        "mean gap {coarse} → {fine}"
    );
}

#[test]
fn samplers_refuse_what_they_cannot_do() {
    let data = data();
    let ve = Diffusion::variance_exploding(&data, 0.01..=10.0).unwrap();
    let start = Particles::sample(&ve.marginal(1.0).unwrap(), 10, 1).unwrap();
    let err = ReverseSampler::Ddpm
        .steps(10)
        .run(&ve, &ve, &start)
        .unwrap_err();
    assert!(err.to_string().contains("variance-preserving"), "{err}");
    for snr in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let sampler = ReverseSampler::PredictorCorrector { snr };
        let err = sampler.steps(10).run(&ve, &ve, &start).unwrap_err();
        assert!(err.to_string().contains("snr"), "{err}");
    }
}
