//! Unadjusted Langevin: reproducibility, its known bias on a Gaussian, divergence as an error.

use scorelab::prelude::*;

fn gaussian(sigma: f64) -> GaussianMixture {
    GaussianMixture::new_1d(&[1.0], &[0.0], &[sigma]).unwrap()
}

#[test]
fn same_seed_same_path_other_seed_other_path() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let ula = Ula::new(0.02).unwrap();
    let a = ula.run(&gm, &[0.3], 500, 42).unwrap();
    assert_eq!(a, ula.run(&gm, &[0.3], 500, 42).unwrap());
    assert_ne!(a, ula.run(&gm, &[0.3], 500, 43).unwrap());
}

#[test]
fn seeded_path_is_the_update_rule_on_the_noise_stream() {
    // The update rule recomputed by hand from the same noise: on N(0, 1),
    // x' = x + (ε(−x) + √(2ε) z) with z the next normal of particle 0's stream.
    let (eps, seed) = (0.1, 7);
    let gm = gaussian(1.0);
    let path = Ula::new(eps).unwrap().run(&gm, &[1.0], 200, seed).unwrap();
    let mut noise = NoiseStream::new(seed, 0);
    let mut x: f64 = 1.0;
    let mut z = [0.0];
    for (t, got) in path.coordinate(0).into_iter().enumerate() {
        assert_eq!(got.to_bits(), x.to_bits(), "step {t}: {got} vs {x}");
        noise.fill(&mut z);
        x += eps * (-x) + (2.0 * eps).sqrt() * z[0];
    }
}

#[test]
fn stationary_variance_matches_the_ula_bias_formula() {
    // On N(0, σ²), ULA is the AR(1) chain x' = (1 − ε/σ²) x + √(2ε) z with stationary variance
    // σ² / (1 − ε / 2σ²): 4/3 for σ = 1, ε = 0.5, not the target's 1.
    let (sigma, eps) = (1.0, 0.5);
    let path = Ula::new(eps)
        .unwrap()
        .run(&gaussian(sigma), &[0.0], 400_000, 5)
        .unwrap();
    let xs = &path.coordinate(0)[1000..];
    let var = xs.iter().map(|x| x * x).sum::<f64>() / xs.len() as f64;
    let predicted = sigma * sigma / (1.0 - eps / (2.0 * sigma * sigma));
    assert!(
        (var - predicted).abs() < 0.03,
        "variance {var}, predicted {predicted}"
    );
    assert!((var - 1.0).abs() > 0.25);
}

#[test]
fn too_large_a_step_is_reported_as_divergence() {
    // ε ≥ 2σ² makes |1 − ε/σ²| ≥ 1: the chain blows up.
    let err = Ula::new(2.5)
        .unwrap()
        .run(&gaussian(1.0), &[1.0], 100_000, 1)
        .unwrap_err();
    match err {
        SamplerError::Diverged {
            step,
            step_size,
            trigger,
        } => {
            assert!(step > 100 && step < 100_000);
            assert_eq!(step_size, 2.5);
            // |x| grows geometrically: it passes the bound long before overflowing.
            assert_eq!(trigger, DivergenceTrigger::Bound);
        }
        other => panic!("expected divergence, got {other:?}"),
    }
    assert!(err.to_string().contains("smaller step size"));
    assert!(err.to_string().contains("left |x| <= 1e150"), "{err}");
}

#[test]
fn single_chain_and_ensemble_stop_at_the_same_step_with_the_same_trigger() {
    // The case that used to return Ok with |x| up to 2.2e176 from a single chain.
    let target = gaussian(1.0);
    let chain = Ula::new(2.5).unwrap().run(&target, &[1.0], 1000, 1);
    let start = Particles::from_flat(1, vec![1.0]).unwrap();
    let ensemble = Ula::new(2.5)
        .unwrap()
        .run_ensemble(&target, &start, 1000, &[1000], 1);
    assert_eq!(chain.unwrap_err(), ensemble.unwrap_err());
}

#[test]
fn an_overflowing_step_is_reported_as_non_finite() {
    // ε s(x) = 1e10 · (−1e300) overflows to −∞ in the first step.
    let err = Ula::new(1e10)
        .unwrap()
        .run(&gaussian(1.0), &[1e300], 10, 1)
        .unwrap_err();
    assert_eq!(
        err,
        SamplerError::Diverged {
            step: 1,
            step_size: 1e10,
            trigger: DivergenceTrigger::NonFinite
        }
    );
    assert!(err.to_string().contains("infinite or NaN"), "{err}");
}

#[test]
fn invalid_inputs_are_typed_errors() {
    assert_eq!(
        Ula::new(0.0).unwrap_err(),
        SamplerError::InvalidStepSize { step: 0.0 }
    );
    assert!(matches!(
        Ula::new(f64::NAN),
        Err(SamplerError::InvalidStepSize { .. })
    ));
    let ula = Ula::new(0.1).unwrap();
    let gm = gaussian(1.0);
    assert_eq!(
        ula.run(&gm, &[0.0, 1.0], 10, 1).unwrap_err(),
        SamplerError::DimensionMismatch {
            expected: 1,
            found: 2
        }
    );
    assert_eq!(
        ula.run(&gm, &[f64::NAN], 10, 1).unwrap_err(),
        SamplerError::NonFiniteStart
    );
}

#[test]
fn trajectory_from_far_away_reaches_the_modes() {
    // Where the original notebook's score is 0 (pdf underflow), ours pulls the walker in.
    let gm = GaussianMixture::new(&[1.0], &[[0.0, -4.0]], &[[[1.0, 0.0], [0.0, 1.5]]]).unwrap();
    let path = Ula::new(0.02)
        .unwrap()
        .run(&gm, &[60.0, 60.0], 2000, 9)
        .unwrap();
    let end = path.point(path.len() - 1).unwrap();
    assert!(
        (end[0]).abs() < 4.0 && (end[1] + 4.0).abs() < 5.0,
        "ended at {end:?}"
    );
}

#[test]
fn a_limit_error_prints_its_message_once() {
    use std::error::Error;
    // Transparent: the sampler error shows the limit's message and does not hand it on again
    // as its source (a reporter printing the chain would print it twice).
    let gm = gaussian(1.0);
    let err: scorelab::error::SamplerError = Ula::new(0.01)
        .unwrap()
        .record(Record::Every(0))
        .run(&gm, &[0.0], 10, 1)
        .unwrap_err();
    let SamplerError::Limit(limit) = &err else {
        panic!("expected a limit error, got {err:?}");
    };
    assert_eq!(err.to_string(), limit.to_string());
    let mut source = err.source();
    while let Some(inner) = source {
        assert!(!err.to_string().contains(&inner.to_string()), "{inner}");
        source = inner.source();
    }
}
