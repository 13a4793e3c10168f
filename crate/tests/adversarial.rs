//! Arbitrary numbers — NaN, ±∞, 0, subnormals, f64::MAX — at every parameter of the diffusion
//! processes, the learned scores and the reverse-time samplers: each call returns a typed error
//! or finite numbers, and never panics.

use proptest::prelude::*;
use scorelab::learn::{LearnError, tweedie};
use scorelab::prelude::*;

/// A number as a reader might type it, or a careless computation produce.
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -10.0..10.0f64,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(5e-324),
        1 => Just(f64::MIN_POSITIVE),
        1 => Just(f64::MAX),
        1 => Just(-f64::MAX),
        1 => Just(1e-300),
        1 => Just(1e300),
        1 => Just(1e150),
        1 => Just(1e-150),
        2 => any::<f64>(),
    ]
}

/// A positive scale, often extreme.
fn scale() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => 1e-3..1e3f64,
        2 => number(),
        1 => (-320.0..308.0f64).prop_map(|e| 10f64.powf(e)),
    ]
}

fn data() -> GaussianMixture {
    GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6]).unwrap()
}

fn finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

/// Checks a process that was built: its marginals, exact scores and both reverse samplers.
fn exercise(process: &Diffusion, steps: usize, t: f64) {
    let t = t.clamp(0.0, 1.0);
    let t = if t.is_nan() { 0.5 } else { t };
    for time in [0.0, t, 1.0] {
        let marginal = process
            .marginal(time)
            .expect("a built process has every marginal");
        for x in [0.0, 3.0, -1e6] {
            let s = process.score_at(&[x], time).unwrap();
            assert!(
                finite(&s),
                "s({x}, {time}) = {s:?} for {:?}",
                process.schedule()
            );
        }
        let mut out = [0.0; 2];
        process.score_batch_at(time, &[0.5, -0.5], &mut out);
        assert!(finite(&out), "{out:?}");
        assert!(marginal.log_prob(&[0.0]).is_finite());
    }
    let start = Particles::sample(&process.marginal(1.0).unwrap(), 8, 1).unwrap();
    for sampler in [ReverseSampler::Sde, ReverseSampler::Ode] {
        match sampler
            .steps(steps)
            .record(Record::Every(1))
            .seed(2)
            .run(process, process, &start)
        {
            // Particles hold finite values only.
            Ok(run) => assert!(finite(run.samples().as_flat())),
            Err(SamplerError::Diverged { .. } | SamplerError::Limit(_)) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn diffusions_take_any_schedule(a in scale(), b in scale(), t in number(), steps in 0usize..40) {
        let gm = data();
        if let Ok(ve) = Diffusion::variance_exploding(&gm, a..=b) {
            exercise(&ve, steps, t);
        }
        if let Ok(vp) = Diffusion::variance_preserving(&gm, a..=b) {
            exercise(&vp, steps, t);
        }
        // Invalid times are errors for the fallible calls.
        let vp = Diffusion::variance_preserving(&gm, 0.1..=20.0).unwrap();
        if !(0.0..=1.0).contains(&t) {
            prop_assert!(vp.marginal(t).is_err());
            prop_assert!(vp.score_at(&[0.0], t).is_err());
        }
    }

    #[test]
    fn feature_grids_take_any_range(dim in 0usize..5, lo in number(), hi in number(), per_axis in 0usize..12, x in number()) {
        if let Ok(f) = RbfFeatures::grid(dim, lo..=hi, per_axis) {
            let mut phi = vec![0.0; f.len()];
            for point in [lo, hi, 0.5 * lo + 0.5 * hi] {
                f.eval_into(&vec![point; dim], &mut phi);
                prop_assert!(finite(&phi), "φ({point}) on [{lo}, {hi}]: {phi:?}");
            }
            if x.is_finite() && x.abs() < 1e150 {
                f.eval_into(&vec![x; dim], &mut phi);
                prop_assert!(finite(&phi), "φ({x}) on [{lo}, {hi}]: {phi:?}");
            }
        }
    }

    #[test]
    fn dsm_fits_take_any_noise_and_ridge(sigma in scale(), ridge in number(), draws in 0usize..4, shift in number()) {
        let gm = data();
        let mut data = Particles::sample(&gm, 200, 1).unwrap();
        if shift.is_finite() && shift.abs() < 1e100 {
            data = Particles::from_flat(1, data.as_flat().iter().map(|x| x + shift).collect()).unwrap();
        }
        let features = RbfFeatures::grid(1, -6.0..=6.0, 9).unwrap();
        match LinearScore::dsm(sigma).ridge(ridge).draws(draws).fit(&features, &data, 3) {
            Ok(fit) => {
                for x in data.points().take(20) {
                    let s = fit.score(x);
                    prop_assert!(finite(&s), "σ = {sigma}, ridge = {ridge}: s({x:?}) = {s:?}");
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        match Training::new(Method::DenoisingScoreMatching { sigma }).iterations(3).learning_rate(ridge.abs().min(1e300)).fit(&data, &gm, 1) {
            Ok(curve) => prop_assert!(curve.final_mixture().is_ok()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let cd = Method::ContrastiveDivergence { k: 2, step: sigma };
        match Training::new(cd).iterations(3).fit(&data, &gm, 1) {
            Ok(curve) => prop_assert!(curve.final_mixture().is_ok()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn tweedie_takes_any_noise(sigma in scale(), x in number(), std in scale()) {
        let gm = data();
        let noisy = match Particles::from_flat(1, vec![x, 0.5]) {
            Ok(p) => p,
            Err(_) => return Ok(()),
        };
        if let Ok(score) = GaussianMixture::new_1d(&[1.0], &[0.0], &[std]) {
            for target in [&gm, &score] {
                match tweedie(target, sigma, &noisy) {
                    Ok(clean) => prop_assert!(finite(clean.as_flat())),
                    Err(LearnError::InvalidNoise { .. } | LearnError::NonFiniteResult { .. }) => {}
                    Err(e) => prop_assert!(false, "{e:?}"),
                }
            }
        }
    }

    #[test]
    fn learned_diffusion_scores_take_any_time_and_point(t in 0.0..=1.0f64, x in number(), beta in scale()) {
        use std::sync::OnceLock;
        static LEARNED: OnceLock<NoiseConditionalScore> = OnceLock::new();
        let learned = LEARNED.get_or_init(|| {
            let samples = Particles::sample(&data(), 500, 1).unwrap();
            let features = RbfFeatures::grid(1, -4.0..=4.0, 17).unwrap();
            NoiseConditionalScore::eps(0.3..=3.0).bumps(3).fit(&features, &samples, 2).unwrap()
        });
        if let Ok(vp) = Diffusion::variance_preserving(&data(), 0.1..=beta) {
            let score = learned.for_diffusion(&vp);
            let mut out = [0.0; 2];
            score.score_batch_at(t, &[x, 0.5], &mut out);
            if x.is_finite() && x.abs() < 1e100 {
                prop_assert!(finite(&out), "s({x}, {t}) = {out:?} under β_max = {beta}");
            }
        }
    }
}
