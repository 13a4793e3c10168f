//! The one noise-conditional model: its score against the exact score of p_σ at many σ.

use scorelab::prelude::*;

/// √(E‖learned − exact‖² / E‖exact‖²) over samples of p_σ.
fn relative_error(model: &NoiseConditionalScore, gm: &GaussianMixture, sigma: f64) -> f64 {
    let p = gm.perturbed(sigma).unwrap();
    let xs = Particles::sample(&p, 4000, 99).unwrap();
    let (mut err, mut norm) = (0.0, 0.0);
    for x in xs.points() {
        let exact = p.score(x);
        let learned = model.score_at_sigma(x, sigma);
        err += exact
            .iter()
            .zip(&learned)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>();
        norm += exact.iter().map(|a| a * a).sum::<f64>();
    }
    (err / norm).sqrt()
}

#[test]
fn one_fit_matches_the_exact_score_at_every_noise_level_in_1d() {
    let gm = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6]).unwrap();
    let data = Particles::sample(&gm, 3000, 1).unwrap();
    let features = RbfFeatures::grid(1, -4.0..=4.0, 41).unwrap();
    let model = NoiseConditionalScore::eps(0.05..=20.0)
        .bumps(8)
        .draws(32)
        .ridge(1e-3)
        .fit(&features, &data, 2)
        .unwrap();
    // Below 15 % of the score's size from σ = 0.3 up, even far beyond σ_max; at σ = 0.1 the
    // noise target z carries little signal (ε̂ = −σ s is small), so errors there grow.
    for (sigma, bound) in [
        (0.1, 0.35),
        (0.3, 0.15),
        (1.0, 0.15),
        (3.0, 0.1),
        (10.0, 0.05),
    ] {
        let e = relative_error(&model, &gm, sigma);
        assert!(e < bound, "σ = {sigma}: relative error {e:.3}");
    }
    assert!(relative_error(&model, &gm, 100.0) < 0.05);
    // A model fit on other data is far off: the test would catch a wrong fit.
    let shifted = GaussianMixture::new_1d(&[0.7, 0.3], &[-1.5, 2.0], &[0.6, 0.4]).unwrap();
    assert!(relative_error(&model, &shifted, 1.0) > 0.3);
}

#[test]
fn one_fit_matches_the_exact_score_in_2d() {
    let gm = GaussianMixture::new(
        &[0.3, 0.5, 0.2],
        &[[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]],
        &[
            [[1.0, 0.3], [0.3, 1.0]],
            [[1.5, -0.2], [-0.2, 1.0]],
            [[1.0, 0.0], [0.0, 1.5]],
        ],
    )
    .unwrap();
    let data = Particles::sample(&gm, 4000, 3).unwrap();
    let features = RbfFeatures::grid(2, -3.0..=3.0, 13).unwrap();
    let model = NoiseConditionalScore::eps(0.3..=6.0)
        .bumps(4)
        .draws(16)
        .ridge(1e-2)
        .fit(&features, &data, 7)
        .unwrap();
    // Measured 0.33, 0.19, 0.11, 0.11, 0.05: the smallest σ is the hardest, as in 1-D.
    for (sigma, bound) in [(0.3, 0.45), (0.5, 0.3), (1.0, 0.2), (3.0, 0.2), (6.0, 0.1)] {
        let e = relative_error(&model, &gm, sigma);
        assert!(e < bound, "σ = {sigma}: relative error {e:.3}");
    }
}

#[test]
fn the_score_is_minus_the_predicted_noise_over_sigma_and_floors_at_sigma_min() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[0.5, 0.5]).unwrap();
    let data = Particles::sample(&gm, 1000, 1).unwrap();
    let features = RbfFeatures::grid(1, -4.0..=4.0, 21).unwrap();
    let model = NoiseConditionalScore::eps(0.1..=5.0)
        .fit(&features, &data, 2)
        .unwrap();
    let (x, sigma) = ([0.7], 0.8);
    let s = model.score_at_sigma(&x, sigma)[0];
    assert!((s + model.predicted_noise(&x, sigma)[0] / sigma).abs() < 1e-12);
    assert_eq!(
        model.score_at_sigma(&x, 0.01),
        model.score_at_sigma(&x, 0.1)
    );
    assert_eq!(
        model.score_at_sigma(&x, f64::NAN),
        model.score_at_sigma(&x, 0.1)
    );
    let mut out = [0.0];
    model.at(sigma).score_into(&x, &mut out);
    assert_eq!(out[0], s);
}

#[test]
fn bad_settings_are_refused_with_the_parameter_named() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let data = Particles::sample(&gm, 500, 1).unwrap();
    let features = RbfFeatures::grid(1, -4.0..=4.0, 21).unwrap();
    let fit = |f: scorelab::learn::EpsFit| f.fit(&features, &data, 1).unwrap_err().to_string();
    assert!(fit(NoiseConditionalScore::eps(1.0..=0.5)).contains("sigma_max"));
    assert!(fit(NoiseConditionalScore::eps(0.0..=1.0)).contains("σ = 0"));
    assert!(fit(NoiseConditionalScore::eps(0.1..=1.0).bumps(1)).contains("bumps"));
    assert!(fit(NoiseConditionalScore::eps(0.1..=1.0).ridge(-1.0)).contains("ridge"));
    let few = Particles::sample(&gm, 20, 1).unwrap();
    let err = NoiseConditionalScore::eps(0.1..=1.0)
        .fit(&features, &few, 1)
        .unwrap_err();
    assert!(matches!(err, LearnError::TooFewSamples { .. }), "{err}");
}
