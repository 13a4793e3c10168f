//! Learning the score from samples: parameter scores, CD, score matching, DSM, Tweedie.

use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};
use scorelab::NoiseStream;
use scorelab::learn::{FitWarning, score_divergence, tweedie};
use scorelab::prelude::*;

fn truth_1d() -> GaussianMixture {
    GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0]).unwrap()
}

fn start_1d() -> GaussianMixture {
    GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[1.5, 1.5]).unwrap()
}

/// A mixture with full covariances in dimension d (d = 1, 2, 3).
fn mixture_in(d: usize) -> GaussianMixture {
    let cov = |scale: f64, rho: f64| -> Vec<Vec<f64>> {
        (0..d)
            .map(|i| {
                (0..d)
                    .map(|j| {
                        if i == j {
                            scale * (1.0 + 0.3 * i as f64)
                        } else {
                            rho
                        }
                    })
                    .collect()
            })
            .collect()
    };
    let means: Vec<Vec<f64>> = vec![
        (0..d).map(|i| -1.0 + 0.5 * i as f64).collect(),
        (0..d).map(|i| 1.5 - 0.7 * i as f64).collect(),
        (0..d).map(|i| 0.2 * i as f64).collect(),
    ];
    GaussianMixture::new(
        &[0.2, 0.5, 0.3],
        &means,
        &[cov(1.0, 0.3), cov(0.7, -0.2), cov(1.6, 0.1)],
    )
    .unwrap()
}

#[test]
fn parameter_score_matches_finite_differences_in_1_2_3_dimensions() {
    for d in 1..=3 {
        let gm = mixture_in(d);
        let theta = MixtureParameters::of(&gm);
        let base = theta.to_vec();
        assert_eq!(base.len(), theta.len());
        for x in [
            vec![0.3; d],
            (0..d).map(|i| 1.0 - i as f64).collect::<Vec<_>>(),
        ] {
            let analytic = gm.parameter_score(&x).to_vec();
            assert_eq!(analytic.len(), base.len());
            let h = 1e-6;
            for i in 0..base.len() {
                let at = |delta: f64| {
                    let mut p = theta.clone();
                    let mut v = base.clone();
                    v[i] += delta;
                    p.set_from(&v);
                    p.to_mixture().unwrap().log_prob(&x)
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                assert!(
                    (numeric - analytic[i]).abs() < 1e-6 * (1.0 + numeric.abs()),
                    "d = {d}, θ[{i}]: finite difference {numeric}, analytic {}",
                    analytic[i]
                );
            }
        }
    }
}

#[test]
fn parameters_round_trip_through_the_mixture() {
    let gm = mixture_in(2);
    let back = MixtureParameters::of(&gm).to_mixture().unwrap();
    for k in 0..3 {
        assert!((back.weights()[k] - gm.weights()[k]).abs() < 1e-12);
        for (a, b) in back
            .covariance(k)
            .unwrap()
            .iter()
            .zip(gm.covariance(k).unwrap())
        {
            assert!((a - b).abs() < 1e-12);
        }
    }
}

#[test]
fn score_divergence_matches_finite_differences() {
    let gm = mixture_in(2);
    let x = [0.4, -0.3];
    let h = 1e-5;
    let mut numeric = 0.0;
    for i in 0..2 {
        let (mut up, mut down) = (x, x);
        up[i] += h;
        down[i] -= h;
        numeric += (gm.score(&up)[i] - gm.score(&down)[i]) / (2.0 * h);
    }
    let analytic = score_divergence(&gm, &x);
    assert!((numeric - analytic).abs() < 1e-6, "{numeric} vs {analytic}");
}

/// Largest error over weights, means and standard deviations of a 1-D two-component fit.
fn parameter_error(fit: &GaussianMixture, truth: &GaussianMixture) -> f64 {
    (0..2)
        .flat_map(|k| {
            [
                (fit.weights()[k] - truth.weights()[k]).abs(),
                (fit.mean(k).unwrap()[0] - truth.mean(k).unwrap()[0]).abs(),
                (fit.covariance(k).unwrap()[0].sqrt() - truth.covariance(k).unwrap()[0].sqrt())
                    .abs(),
            ]
        })
        .fold(0.0, f64::max)
}

#[test]
fn every_method_recovers_the_true_parameters() {
    // 2000 seeded samples; the sampling error of the MLE is about 0.03 here, so 0.1 is a
    // tolerance a wrong gradient cannot meet (the start is 1.0 away).
    let truth = truth_1d();
    let data = Particles::sample(&truth, 2000, 11).unwrap();
    assert!(parameter_error(&start_1d(), &truth) > 0.5);
    let methods = [
        Method::ContrastiveDivergence { k: 5, step: 0.1 },
        Method::PersistentContrastiveDivergence { k: 5, step: 0.1 },
        Method::ScoreMatching,
        Method::DenoisingScoreMatching { sigma: 0.3 },
    ];
    for method in methods {
        let fit = Training::new(method)
            .iterations(300)
            .fit(&data, &start_1d(), 3)
            .unwrap();
        let err = parameter_error(&fit.final_mixture().unwrap(), &truth);
        println!(
            "{}: error {err:.4}, model samples {}",
            method.name(),
            fit.model_samples()
        );
        assert!(
            err < 0.1,
            "{}: largest parameter error {err}",
            method.name()
        );
        let ll = fit.log_likelihood();
        assert!(
            ll[ll.len() - 1] > ll[0] + 0.1,
            "{}: log-likelihood did not rise",
            method.name()
        );
        let cd = matches!(
            method,
            Method::ContrastiveDivergence { .. } | Method::PersistentContrastiveDivergence { .. }
        );
        assert_eq!(fit.model_samples() > 0, cd);
    }
}

#[test]
fn dsm_linear_fit_is_right_where_data_are_and_wrong_where_they_are_not() {
    let truth = truth_2d();
    let sigma = 0.5;
    let data = Particles::sample(&truth, 4000, 5).unwrap();
    let features = RbfFeatures::grid(2, -8.0..=8.0, 13).unwrap();
    let fit = LinearScore::dsm(sigma)
        .draws(4)
        .fit(&features, &data, 6)
        .unwrap();
    let exact = truth.perturbed(sigma).unwrap();
    let threshold = 0.01;
    let (mut dense, mut sparse) = (Vec::new(), Vec::new());
    for i in 0..41 {
        for j in 0..41 {
            let x = [-8.0 + 0.4 * i as f64, -8.0 + 0.4 * j as f64];
            let (s, t) = (fit.score(&x), exact.score(&x));
            let err = ((s[0] - t[0]).powi(2) + (s[1] - t[1]).powi(2)).sqrt();
            let norm = (t[0] * t[0] + t[1] * t[1]).sqrt();
            if exact.pdf(&x) > threshold {
                dense.push(err / (1.0 + norm));
            } else if exact.pdf(&x) < 1e-4 {
                sparse.push(err / (1.0 + norm));
            }
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let worst_dense = dense.iter().cloned().fold(0.0, f64::max);
    println!(
        "dense: mean {} worst {worst_dense}; sparse: mean {}",
        mean(&dense),
        mean(&sparse)
    );
    assert!(
        worst_dense < 0.35,
        "where p_σ > {threshold} the error reaches {worst_dense}"
    );
    assert!(
        mean(&sparse) > 3.0 * mean(&dense),
        "the error should be larger where p_σ < 1e-4: {} vs {}",
        mean(&sparse),
        mean(&dense)
    );
}

fn truth_2d() -> GaussianMixture {
    GaussianMixture::new(
        &[0.3, 0.5, 0.2],
        &[[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]],
        &[
            [[1.0, 0.3], [0.3, 1.0]],
            [[1.5, -0.2], [-0.2, 1.0]],
            [[1.0, 0.0], [0.0, 1.5]],
        ],
    )
    .unwrap()
}

#[test]
fn tweedie_equals_the_monte_carlo_posterior_mean() {
    // E[x | x̃] by self-normalised importance sampling: x_i ~ p, weights N(x̃; x_i, σ²).
    let truth = truth_1d();
    let sigma = 0.8;
    let prior = Particles::sample(&truth, 400_000, 21)
        .unwrap()
        .coordinate(0);
    for noisy in [-3.0, -1.0, 0.2, 2.5] {
        let w: Vec<f64> = prior
            .iter()
            .map(|x| (-(noisy - x) * (noisy - x) / (2.0 * sigma * sigma)).exp())
            .collect();
        let sw: f64 = w.iter().sum();
        let mean: f64 = prior.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>() / sw;
        let var: f64 = prior
            .iter()
            .zip(&w)
            .map(|(x, w)| (x - mean).powi(2) * w)
            .sum::<f64>()
            / sw;
        let ess = sw * sw / w.iter().map(|w| w * w).sum::<f64>();
        let stderr = (var / ess).sqrt();
        let points = Particles::from_flat(1, vec![noisy]).unwrap();
        let exact = tweedie(&truth.perturbed(sigma).unwrap(), sigma, &points).unwrap();
        let t = exact.point(0).unwrap()[0];
        assert!(
            (t - mean).abs() < 4.0 * stderr,
            "x̃ = {noisy}: Tweedie {t}, MC {mean} ± {stderr}"
        );
        assert!(
            (t - noisy).abs() > 10.0 * stderr,
            "the test must see the correction"
        );
    }
}

#[test]
fn annealed_langevin_with_the_learned_score_matches_the_exact_one() {
    let truth = truth_2d();
    let data = Particles::sample(&truth, 3000, 2).unwrap();
    let features = RbfFeatures::grid(2, -3.0..=3.0, 13).unwrap();
    let schedule = AnnealedLangevin::geometric()
        .sigmas(6.0, 0.3)
        .levels(8)
        .step(0.01)
        .steps_per_level(60)
        .build()
        .unwrap();
    let learned = NoiseConditionalScore::eps(0.3..=6.0)
        .bumps(4)
        .draws(16)
        .ridge(1e-2)
        .fit(&features, &data, 3)
        .unwrap();
    let start = Particles::uniform(-8.0..=8.0).dim(2).draw(2000, 4).unwrap();
    let total = schedule.total_steps();
    let run = schedule
        .run_ensemble(&learned.levels(schedule.sigmas()), &start, &[total], 5)
        .unwrap();
    let exact_run = schedule
        .run_ensemble(
            &schedule.perturbed_levels(&truth).unwrap(),
            &start,
            &[total],
            5,
        )
        .unwrap();
    let reference = Particles::sample(&truth, 2000, 9).unwrap();
    let mmd_learned =
        scorelab::diagnostics::mmd_squared(run.last().unwrap(), &reference, 1.0, 1000).unwrap();
    let mmd_exact =
        scorelab::diagnostics::mmd_squared(exact_run.last().unwrap(), &reference, 1.0, 1000)
            .unwrap();
    let mmd_uniform = scorelab::diagnostics::mmd_squared(&start, &reference, 1.0, 1000).unwrap();
    println!("MMD² learned {mmd_learned}, exact {mmd_exact}, start {mmd_uniform}");
    assert!(mmd_learned < 0.02 && mmd_exact < 0.02 && mmd_uniform > 0.05);
}

#[test]
fn bad_input_gets_typed_errors() {
    let truth = truth_1d();
    let data = Particles::sample(&truth, 50, 1).unwrap();
    let f = RbfFeatures::grid(1, -5.0..=5.0, 80).unwrap();
    assert_eq!(
        LinearScore::dsm(0.5)
            .ridge(1e-3)
            .fit(&f, &data, 0)
            .unwrap_err(),
        LearnError::TooFewSamples {
            found: 50,
            needed: 82
        }
    );
    for sigma in [0.0, -1.0, f64::NAN] {
        assert!(matches!(
            LinearScore::dsm(sigma)
                .ridge(1e-3)
                .draws(4)
                .fit(&f, &data, 0),
            Err(LearnError::InvalidNoise { .. })
        ));
        assert!(matches!(
            Training::new(Method::DenoisingScoreMatching { sigma }).fit(&data, &truth, 0),
            Err(LearnError::InvalidNoise { .. })
        ));
        assert!(matches!(
            tweedie(&truth, sigma, &data),
            Err(LearnError::InvalidNoise { .. })
        ));
    }
    let two_d = Particles::sample(&truth_2d(), 100, 1).unwrap();
    assert!(matches!(
        Training::new(Method::ScoreMatching).fit(&two_d, &truth, 0),
        Err(LearnError::DimensionMismatch {
            expected: 1,
            found: 2
        })
    ));
    assert!(matches!(
        Training::new(Method::ContrastiveDivergence { k: 0, step: 0.1 }).fit(&data, &truth, 0),
        Err(LearnError::Limit(LimitError::OutOfRange {
            parameter: "k",
            ..
        }))
    ));
    assert!(matches!(
        NoiseConditionalScore::eps(0.5..=1.0)
            .bumps(0)
            .fit(&f, &data, 0),
        Err(LearnError::InvalidParameter { name: "bumps", .. })
    ));
    assert!(RbfFeatures::grid(0, -1.0..=1.0, 3).is_err());
    assert!(RbfFeatures::grid(1, 1.0..=1.0, 3).is_err());
    // An empty sample set cannot be made as Particles; the error names it.
    assert!(Particles::from_flat(1, vec![]).is_err());
    let _ = NoiseStream::seed_from_u64(0);
    let _: f64 = StandardNormal.sample(&mut NoiseStream::seed_from_u64(0));
}

#[test]
fn feature_grids_whose_spacing_overflows_or_vanishes_are_refused() {
    for (lo, hi) in [
        (-1e308, 1e308),
        (0.0, 1e-320),
        (-1e200, 1e200),
        (1e10, 1e10 + 1e-5),
    ] {
        let err = RbfFeatures::grid(1, lo..=hi, 5).unwrap_err();
        assert!(
            matches!(err, LearnError::InvalidParameter { .. }),
            "[{lo}, {hi}]: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("range") || text.contains("spacing"), "{text}");
    }
    // At the limits the features are finite.
    for (lo, hi) in [(-1e150, 1e150), (0.0, 1e-140)] {
        let f = RbfFeatures::grid(1, lo..=hi, 5).unwrap();
        let mut phi = vec![0.0; f.len()];
        for x in [lo, 0.5 * (lo + hi), hi] {
            f.eval_into(&[x], &mut phi);
            assert!(
                phi.iter().all(|v| v.is_finite()),
                "[{lo}, {hi}] at {x}: {phi:?}"
            );
        }
    }
}

#[test]
fn noise_levels_that_underflow_or_overflow_are_refused_at_entry() {
    let truth = truth_1d();
    let data = Particles::sample(&truth, 600, 1).unwrap();
    let f = RbfFeatures::grid(1, -5.0..=5.0, 21).unwrap();
    for sigma in [1e-300, 1e200, f64::INFINITY] {
        assert_eq!(
            LinearScore::dsm(sigma)
                .ridge(1e-3)
                .fit(&f, &data, 0)
                .unwrap_err(),
            LearnError::InvalidNoise { sigma }
        );
        assert_eq!(
            Training::new(Method::DenoisingScoreMatching { sigma })
                .iterations(3)
                .fit(&data, &start_1d(), 0)
                .unwrap_err(),
            LearnError::InvalidNoise { sigma }
        );
        let err = tweedie(&truth, sigma, &data).unwrap_err();
        assert_eq!(err, LearnError::InvalidNoise { sigma });
        assert!(err.to_string().contains("1e150"), "{err}");
    }
    // Within the range but lost in the rounding of data of size ~5: x + σz == x.
    let sigma = 1e-140;
    let err = LinearScore::dsm(sigma)
        .ridge(1e-3)
        .fit(&f, &data, 0)
        .unwrap_err();
    let LearnError::NoiseBelowRounding { smallest, .. } = err else {
        panic!("{err:?}");
    };
    assert!((1e-13..1e-11).contains(&smallest), "{smallest}");
    assert!(err.to_string().contains("use σ ≥"), "{err}");
    assert!(matches!(
        NoiseConditionalScore::eps(sigma..=1.0)
            .ridge(1e-3)
            .fit(&f, &data, 0),
        Err(LearnError::NoiseBelowRounding { .. })
    ));
    // A score that is not that of p_σ can overflow x̃ + σ²s(x̃): said so, not NonFiniteStart.
    let narrow = GaussianMixture::new_1d(&[1.0], &[0.0], &[1e-5]).unwrap();
    let err = tweedie(&narrow, 1e150, &data).unwrap_err();
    assert!(matches!(err, LearnError::NonFiniteResult { .. }), "{err:?}");
}

#[test]
fn a_fit_that_did_not_move_says_so() {
    let truth = truth_1d();
    let data = Particles::sample(&truth, 600, 1).unwrap();
    let start = start_1d();
    let dsm = Training::new(Method::DenoisingScoreMatching { sigma: 1e-10 })
        .fit(&data, &start, 2)
        .unwrap();
    assert_eq!(dsm.warnings().len(), 1, "{dsm}");
    let text = dsm.to_string();
    assert!(text.contains("moved less than its own noise"), "{text}");
    assert!(text.contains("σ comparable"), "{text}");
    let cd = Training::new(Method::ContrastiveDivergence { k: 5, step: 1e300 })
        .fit(&data, &start, 2)
        .unwrap();
    let [
        FitWarning::DidNotMove {
            statistic,
            parameters: 6,
            acceptance: Some(rate),
            ..
        },
    ] = cd.warnings()
    else {
        panic!("{cd:?}");
    };
    assert!(*statistic < 6.0 && *rate < 0.01, "{cd}");
    assert!(cd.to_string().contains("use a smaller step"), "{cd}");
    // The notebook's fits move far beyond their noise.
    for method in [
        Method::DenoisingScoreMatching { sigma: 0.3 },
        Method::ContrastiveDivergence { k: 5, step: 0.1 },
    ] {
        let fit = Training::new(method).fit(&data, &start, 2).unwrap();
        assert!(fit.warnings().is_empty(), "{fit}");
    }
}

#[test]
fn a_step_that_leaves_the_data_behind_is_an_error() {
    // Data of spread 1.4e14, DSM at σ = 1e16 and a learning rate of 5e170: the first step moves
    // θ so far that the data's log-likelihood is −∞. It returned Ok with −∞ in the curve.
    let law = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.4e14]).unwrap();
    let data = Particles::sample(&law, 100, 1).unwrap();
    let err = Training::new(Method::DenoisingScoreMatching { sigma: 1e16 })
        .learning_rate(5e170)
        .iterations(4)
        .fit(&data, &start_1d(), 2)
        .unwrap_err();
    assert!(matches!(err, LearnError::NonFiniteResult { .. }), "{err:?}");
    assert!(err.to_string().contains("smaller learning rate"), "{err}");
    // Data beyond f64's range of the start: refused before the first step.
    let far = GaussianMixture::new_1d(&[1.0], &[1e154], &[1.0]).unwrap();
    let data = Particles::sample(&far, 10, 1).unwrap();
    let err = Training::new(Method::ScoreMatching)
        .fit(&data, &start_1d(), 2)
        .unwrap_err();
    assert!(err.to_string().contains("start nearer"), "{err}");
}

#[test]
fn dsm_settings_default_to_ridge_1e_4_and_one_draw_and_refuse_bad_values() {
    let data = Particles::sample(&truth_1d(), 400, 1).unwrap();
    let f = RbfFeatures::grid(1, -5.0..=5.0, 11).unwrap();
    let default = LinearScore::dsm(0.5).fit(&f, &data, 3).unwrap();
    let explicit = LinearScore::dsm(0.5)
        .ridge(1e-4)
        .draws(1)
        .fit(&f, &data, 3)
        .unwrap();
    assert_eq!(default, explicit);
    let other = LinearScore::dsm(0.5).ridge(1e-2).fit(&f, &data, 3).unwrap();
    assert_ne!(default, other, "the ridge must reach the fit");
    assert!(matches!(
        LinearScore::dsm(0.5).ridge(-1.0).fit(&f, &data, 3),
        Err(LearnError::InvalidParameter { name: "ridge", .. })
    ));
    assert!(matches!(
        LinearScore::dsm(0.5).draws(0).fit(&f, &data, 3),
        Err(LearnError::Limit(_))
    ));
    assert!(matches!(
        NoiseConditionalScore::eps(0.5..=2.0)
            .ridge(f64::NAN)
            .fit(&f, &data, 3),
        Err(LearnError::InvalidParameter { name: "ridge", .. })
    ));
}

#[test]
fn a_wrapped_error_is_either_transparent_or_says_its_cause_once() {
    use std::error::Error;
    let inner = GaussianMixture::new_1d(&[], &[], &[]).unwrap_err();
    let wrapped = LearnError::from(inner.clone());
    // Context plus the cause in the message (what a notebook shows), not again as the source.
    assert!(
        wrapped.to_string().contains(&inner.to_string()),
        "{wrapped}"
    );
    assert!(wrapped.source().is_none());

    let limit = LinearScore::dsm(0.5)
        .draws(0)
        .fit(
            &RbfFeatures::grid(1, -5.0..=5.0, 11).unwrap(),
            &Particles::sample(&truth_1d(), 100, 1).unwrap(),
            1,
        )
        .unwrap_err();
    let LearnError::Limit(inner) = &limit else {
        panic!("{limit:?}")
    };
    assert_eq!(limit.to_string(), inner.to_string());
    assert_eq!(
        limit.source().map(|s| s.to_string()),
        inner.source().map(|s| s.to_string())
    );
}

#[test]
fn legends_write_noise_levels_compactly() {
    assert_eq!(
        Method::DenoisingScoreMatching { sigma: 0.5 }.name(),
        "DSM σ = 0.5"
    );
    assert_eq!(
        Method::DenoisingScoreMatching { sigma: 1e152 }.name(),
        "DSM σ = 1e152"
    );
    assert_eq!(
        Method::DenoisingScoreMatching { sigma: 1.0 / 3.0 }.name(),
        "DSM σ = 0.333"
    );
}
