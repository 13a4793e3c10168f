//! The mixture's math against independent computations.

use proptest::prelude::*;
use rand::SeedableRng;
use scorelab::NoiseStream;
use scorelab::prelude::*;

mod common;
use common::reference_2d;

/// A random valid mixture: K ≤ 4 components, Σ = AAᵀ + 0.2 I.
fn arb_mixture(dim: usize) -> impl Strategy<Value = GaussianMixture> {
    (1usize..=4).prop_flat_map(move |k| {
        (
            prop::collection::vec(0.05f64..1.0, k),
            prop::collection::vec(prop::collection::vec(-5.0f64..5.0, dim), k),
            prop::collection::vec(prop::collection::vec(-1.0f64..1.0, dim * dim), k),
        )
            .prop_map(move |(w, means, a)| {
                let total: f64 = w.iter().sum();
                let weights: Vec<f64> = w.iter().map(|v| v / total).collect();
                let covs: Vec<Vec<Vec<f64>>> = a
                    .iter()
                    .map(|a| {
                        (0..dim)
                            .map(|i| {
                                (0..dim)
                                    .map(|j| {
                                        let aat: f64 =
                                            (0..dim).map(|m| a[i * dim + m] * a[j * dim + m]).sum();
                                        aat + if i == j { 0.2 } else { 0.0 }
                                    })
                                    .collect()
                            })
                            .collect()
                    })
                    .collect();
                GaussianMixture::new(&weights, &means, &covs).unwrap()
            })
    })
}

fn assert_score_matches_finite_difference(gm: &GaussianMixture, x: &[f64]) {
    let analytic = gm.score(x);
    let numeric = finite_difference_score(gm, x, 1e-5);
    for (a, n) in analytic.iter().zip(&numeric) {
        assert!(
            (a - n).abs() <= 1e-5 * (1.0 + a.abs()),
            "score {analytic:?} vs finite difference {numeric:?} at {x:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn score_is_gradient_of_log_prob_1d(gm in arb_mixture(1), x in prop::collection::vec(-8.0f64..8.0, 1)) {
        assert_score_matches_finite_difference(&gm, &x);
    }
    #[test]
    fn score_is_gradient_of_log_prob_2d(gm in arb_mixture(2), x in prop::collection::vec(-8.0f64..8.0, 2)) {
        assert_score_matches_finite_difference(&gm, &x);
    }
    #[test]
    fn score_is_gradient_of_log_prob_3d(gm in arb_mixture(3), x in prop::collection::vec(-8.0f64..8.0, 3)) {
        assert_score_matches_finite_difference(&gm, &x);
    }
    #[test]
    fn score_is_gradient_of_log_prob_5d(gm in arb_mixture(5), x in prop::collection::vec(-8.0f64..8.0, 5)) {
        assert_score_matches_finite_difference(&gm, &x);
    }
}

/// ℓₖ(x) and −Σₖ⁻¹(x − μₖ) of one component, computed from scratch with a 2 × 2 inverse.
fn component_2d(gm: &GaussianMixture, k: usize, x: &[f64]) -> (f64, [f64; 2]) {
    let (m, c) = (gm.mean(k).unwrap(), gm.covariance(k).unwrap());
    let det = c[0] * c[3] - c[1] * c[2];
    let inv = [c[3] / det, -c[1] / det, -c[2] / det, c[0] / det];
    let d = [x[0] - m[0], x[1] - m[1]];
    let g = [inv[0] * d[0] + inv[1] * d[1], inv[2] * d[0] + inv[3] * d[1]];
    let quad = d[0] * g[0] + d[1] * g[1];
    let ell =
        gm.weights()[k].ln() - 0.5 * quad - 0.5 * det.ln() - (2.0 * std::f64::consts::PI).ln();
    (ell, [-g[0], -g[1]])
}

#[test]
fn far_field_equals_the_dominant_component() {
    let gm = reference_2d();
    for x in [[100.0, -100.0], [1e6, 0.0], [-1e6, 1e6], [0.0, -1e6]] {
        let terms: Vec<(f64, [f64; 2])> = (0..3).map(|k| component_2d(&gm, k, &x)).collect();
        let (ell, s) = terms
            .iter()
            .cloned()
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .unwrap();
        let score = gm.score(&x);
        let log_p = gm.log_prob(&x);
        assert!(
            score.iter().all(|v| v.is_finite()) && log_p.is_finite(),
            "non-finite at {x:?}"
        );
        assert!(
            (log_p - ell).abs() <= 1e-9 * ell.abs(),
            "log p {log_p} vs {ell} at {x:?}"
        );
        for i in 0..2 {
            assert!(
                (score[i] - s[i]).abs() <= 1e-9 * s[i].abs().max(1.0),
                "score {score:?} vs {s:?} at {x:?}"
            );
        }
    }
}

#[test]
fn dividing_pdf_values_fails_where_the_log_sum_exp_does_not() {
    // What the original notebook computes: ∇p / p, with p underflowing to 0 at (100, −100).
    let gm = reference_2d();
    let x = [100.0, -100.0];
    assert_eq!(gm.pdf(&x), 0.0);
    assert!(gm.score(&x).iter().all(|v| v.is_finite() && v.abs() > 10.0));
}

#[test]
fn density_1d_integrates_to_one() {
    let gm =
        GaussianMixture::new_1d(&[0.2, 0.5, 0.3], &[-3.0, 0.5, 4.0], &[0.5, 1.0, 2.0]).unwrap();
    let (a, b, n) = (-30.0, 30.0, 60_001);
    let h = (b - a) / (n - 1) as f64;
    let integral: f64 = (0..n)
        .map(|i| {
            let w = if i == 0 || i == n - 1 { 0.5 } else { 1.0 };
            w * gm.pdf(&[a + i as f64 * h])
        })
        .sum::<f64>()
        * h;
    assert!((integral - 1.0).abs() < 1e-9, "integral = {integral}");
}

#[test]
fn exact_sampler_matches_mixture_moments() {
    let gm = reference_2d();
    let mut rng = NoiseStream::seed_from_u64(11);
    let n = 200_000;
    let samples: Vec<Vec<f64>> = (0..n).map(|_| gm.sample(&mut rng)).collect();
    let mean = |i: usize| samples.iter().map(|s| s[i]).sum::<f64>() / n as f64;
    let (m0, m1) = (mean(0), mean(1));
    // E[x] = Σ wₖ μₖ; Cov = Σ wₖ (Σₖ + μₖ μₖᵀ) − E[x] E[x]ᵀ.
    let w = gm.weights();
    let exp_mean = |i: usize| (0..3).map(|k| w[k] * gm.mean(k).unwrap()[i]).sum::<f64>();
    let exp_cov = |i: usize, j: usize| {
        (0..3)
            .map(|k| {
                let (m, c) = (gm.mean(k).unwrap(), gm.covariance(k).unwrap());
                w[k] * (c[i * 2 + j] + m[i] * m[j])
            })
            .sum::<f64>()
            - exp_mean(i) * exp_mean(j)
    };
    assert!(
        (m0 - exp_mean(0)).abs() < 0.03 && (m1 - exp_mean(1)).abs() < 0.03,
        "mean ({m0}, {m1})"
    );
    let cov = |i: usize, j: usize, mi: f64, mj: f64| {
        samples
            .iter()
            .map(|s| (s[i] - mi) * (s[j] - mj))
            .sum::<f64>()
            / (n - 1) as f64
    };
    for (i, j) in [(0, 0), (0, 1), (1, 1)] {
        let (got, want) = (cov(i, j, mean(i), mean(j)), exp_cov(i, j));
        assert!(
            (got - want).abs() < 0.05 * want.abs().max(1.0),
            "cov[{i}{j}] = {got}, expected {want}"
        );
    }
}

#[test]
fn responsibilities_are_a_distribution_even_far_away() {
    let gm = reference_2d();
    for x in [[0.0, 0.0], [-3.0, 0.0], [1e5, -1e5]] {
        let r = gm.responsibilities(&x);
        assert!((r.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(r.iter().all(|v| (0.0..=1.0).contains(v)));
    }
    // At a mode its own component dominates.
    assert!(gm.responsibilities(&[3.0, 1.0])[1] > 0.99);
}

mod errors {
    use super::*;
    use MixtureError::*;

    const EYE: [[f64; 2]; 2] = [[1.0, 0.0], [0.0, 1.0]];

    fn new2(weights: &[f64], means: &[[f64; 2]], covs: &[[[f64; 2]; 2]]) -> MixtureError {
        GaussianMixture::new(weights, means, covs).unwrap_err()
    }

    #[test]
    fn empty() {
        assert_eq!(GaussianMixture::new_1d(&[], &[], &[]).unwrap_err(), Empty);
    }

    #[test]
    fn length_mismatch() {
        let err = GaussianMixture::new_1d(&[0.5, 0.5], &[0.0], &[1.0, 1.0]).unwrap_err();
        assert_eq!(
            err,
            LengthMismatch {
                what: "means",
                expected: 2,
                found: 1
            }
        );
        assert!(err.to_string().contains("2 weights but 1 means"), "{err}");
    }

    #[test]
    fn negative_weight() {
        let err = GaussianMixture::new_1d(&[1.5, -0.5], &[0.0, 1.0], &[1.0, 1.0]).unwrap_err();
        assert_eq!(
            err,
            NegativeWeight {
                component: 1,
                weight: -0.5
            }
        );
        assert!(err.to_string().contains("component 1"));
    }

    #[test]
    fn non_finite_weight() {
        let err = GaussianMixture::new_1d(&[f64::NAN, 1.0], &[0.0, 1.0], &[1.0, 1.0]).unwrap_err();
        assert!(matches!(err, NonFiniteWeight { component: 0, .. }));
    }

    #[test]
    fn weights_do_not_sum_to_one() {
        let err = GaussianMixture::new_1d(&[0.5, 0.4], &[0.0, 1.0], &[1.0, 1.0]).unwrap_err();
        assert_eq!(err, WeightsDoNotSumToOne { sum: 0.9 });
        assert!(err.to_string().contains("sum to 0.9"));
    }

    #[test]
    fn zero_dimension() {
        let err = GaussianMixture::new(&[1.0], &[Vec::<f64>::new()], &[Vec::<Vec<f64>>::new()])
            .unwrap_err();
        assert_eq!(err, ZeroDimension);
    }

    #[test]
    fn dimension_mismatch() {
        let means = [vec![0.0, 0.0], vec![1.0]];
        let err = GaussianMixture::new(&[0.5, 0.5], &means, &[EYE, EYE]).unwrap_err();
        assert_eq!(
            err,
            DimensionMismatch {
                component: 1,
                what: "mean",
                expected: 2,
                found: 1
            }
        );
        let covs = [vec![vec![1.0, 0.0], vec![0.0, 1.0]], vec![vec![1.0]]];
        let err = GaussianMixture::new(&[0.5, 0.5], &[[0.0, 0.0], [1.0, 1.0]], &covs).unwrap_err();
        assert_eq!(
            err,
            DimensionMismatch {
                component: 1,
                what: "covariance",
                expected: 2,
                found: 1
            }
        );
    }

    #[test]
    fn non_finite_mean() {
        assert_eq!(
            new2(&[1.0], &[[0.0, f64::INFINITY]], &[EYE]),
            NonFiniteMean { component: 0 }
        );
    }

    #[test]
    fn non_finite_covariance() {
        assert_eq!(
            new2(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, f64::NAN]]]),
            NonFiniteCovariance { component: 0 }
        );
    }

    #[test]
    fn covariance_not_symmetric() {
        let err = new2(
            &[0.5, 0.5],
            &[[0.0, 0.0], [1.0, 1.0]],
            &[EYE, [[1.0, 0.3], [0.2, 1.0]]],
        );
        assert_eq!(
            err,
            CovarianceNotSymmetric {
                component: 1,
                row: 1,
                col: 0
            }
        );
    }

    #[test]
    fn covariance_not_positive_definite() {
        let err = new2(&[1.0], &[[0.0, 0.0]], &[[[1.0, 2.0], [2.0, 1.0]]]);
        assert_eq!(err, CovarianceNotPositiveDefinite { component: 0 });
        assert!(err.to_string().contains("not positive definite"));
    }

    #[test]
    fn non_positive_std() {
        let err = GaussianMixture::new_1d(&[1.0], &[0.0], &[0.0]).unwrap_err();
        assert_eq!(
            err,
            NonPositiveStd {
                component: 0,
                std: 0.0
            }
        );
    }
}

#[test]
fn beyond_f64_range_the_score_stays_exact_and_never_nan() {
    let gm = reference_2d();
    // |x − μ|² overflows f64 here: log p is below the representable range, the score is not.
    for x in [
        [1e200, 0.0],
        [-3e250, 2e250],
        [f64::MAX, -f64::MAX],
        [0.0, -1e300],
    ] {
        let s = gm.score(&x);
        assert_eq!(gm.log_prob(&x), f64::NEG_INFINITY);
        assert!(s.iter().all(|v| !v.is_nan()), "NaN score at {x:?}: {s:?}");
        let r = gm.responsibilities(&x);
        assert_eq!(
            r.iter().sum::<f64>(),
            1.0,
            "responsibilities {r:?} at {x:?}"
        );
    }
    // Found by fuzzing: an 8-D point with one coordinate near −1.4e306.
    let gm8 = GaussianMixture::new(&[1.0], &[[0.0; 8]], &[identity(8)]).unwrap();
    let x = [
        -1.420563255064188e306,
        3.9e-265,
        3.9e-265,
        3.9e-265,
        3.9e-265,
        3.9e-265,
        4.1e-29,
        1.1e-72,
    ];
    assert_eq!(gm8.responsibilities(&x), vec![1.0]);
    assert!(gm8.score(&x).iter().all(|v| !v.is_nan()));
    // Where it is representable it equals −Σₖ⁻¹(x − μₖ) of the nearest component (here the third,
    // straight below, with Σ = diag(1, 1.5)).
    let s = gm.score(&[0.0, -1e200]);
    assert!(
        (s[0]).abs() < 1e186 && (s[1] - 1e200 / 1.5).abs() < 1e186,
        "{s:?}"
    );
}

fn identity(d: usize) -> Vec<Vec<f64>> {
    (0..d)
        .map(|i| (0..d).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

mod batch_vs_single {
    use proptest::prelude::*;
    use scorelab::prelude::*;

    fn mixture(d: usize) -> GaussianMixture {
        let mean = |s: f64| -> Vec<f64> { (0..d).map(|i| s * (1.0 + i as f64)).collect() };
        let cov = |rho: f64, scale: f64| super::common::equicorrelated(d, rho, scale);
        GaussianMixture::new(
            &[0.3, 0.7],
            &[mean(1.0), mean(-2.0)],
            &[cov(0.2, 1e-3), cov(-0.1, 2.0)],
        )
        .unwrap()
    }

    /// Any f64 of any magnitude, ±∞ and NaN.
    fn coordinate() -> impl Strategy<Value = f64> {
        prop_oneof![
            (-308i32..=308, -1.0f64..1.0).prop_map(|(e, m)| m * 10f64.powi(e)),
            Just(f64::MAX),
            Just(-f64::MAX),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::NAN),
            any::<f64>(),
        ]
    }

    fn assert_same(gm: &GaussianMixture, points: &[f64]) {
        let d = gm.dim();
        let n = points.len() / d;
        let (mut scores, mut logs) = (vec![0.0; n * d], vec![0.0; n]);
        gm.score_batch(points, &mut scores).unwrap();
        gm.log_prob_batch(points, &mut logs).unwrap();
        for (i, x) in points.chunks_exact(d).enumerate() {
            let single = gm.score(x);
            for (a, b) in scores[i * d..(i + 1) * d].iter().zip(&single) {
                assert_eq!(a.to_bits(), b.to_bits(), "score at {x:?}: {a} vs {b}");
            }
            let lp = gm.log_prob(x);
            assert_eq!(
                logs[i].to_bits(),
                lp.to_bits(),
                "log p at {x:?}: {} vs {lp}",
                logs[i]
            );
        }
    }

    #[test]
    fn the_cases_that_used_to_differ() {
        let gm = mixture(2);
        assert_same(
            &gm,
            &[1e155, 0.0, 1.62e154, 0.0, 1e200, 0.0, f64::MAX, -f64::MAX],
        );
        let mut out = [0.0; 2];
        gm.score_batch(&[1e155, 0.0], &mut out).unwrap();
        assert!(out.iter().all(|v| !v.is_nan()), "{out:?}");
        let mut lp = [0.0];
        gm.log_prob_batch(&[1e200, 0.0], &mut lp).unwrap();
        assert_eq!(lp[0], f64::NEG_INFINITY);
    }

    #[test]
    fn a_mean_that_overflows_the_quadratic_form_by_itself() {
        // Found by fuzzing: with σ² = 1.26e-321 and μ = 5.2e120 the quadratic form at x = 0 is
        // ∞, so no point is in the kernel's safe range.
        let gm = GaussianMixture::new_1d(
            &[7.438731244095193e-251, 1.0 - 7.438731244095193e-251],
            &[5.164499756173817e120, 7.290231990012995e-304],
            &[1.26e-321f64.sqrt(), 1.4537218113066502e135f64.sqrt()],
        )
        .unwrap();
        assert_same(&gm, &[0.0, 1.0, -3e-11]);
    }

    proptest! {
        #[test]
        fn batch_equals_single_at_every_magnitude(
            d in 1usize..=4,
            coords in prop::collection::vec(coordinate(), 1..80),
        ) {
            let n = coords.len() / d;
            prop_assume!(n > 0);
            assert_same(&mixture(d), &coords[..n * d]);
        }
    }
}
