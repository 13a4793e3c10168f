//! Derivatives of log p at points of every magnitude, up to ±f64::MAX: the divergence of the
//! score, the mean scores and the parameter score, each against a value computed independently
//! by a formula that cannot cancel or overflow at the point in question.

use proptest::prelude::*;
use scorelab::learn::score_divergence;
use scorelab::prelude::*;

const MAX: f64 = f64::MAX;

/// `a` equals `b` to a relative `tol`; infinities must match exactly (sign included).
fn close(a: f64, b: f64, tol: f64) -> bool {
    if b.is_infinite() {
        return a == b;
    }
    (a - b).abs() <= tol * b.abs()
}

/// 2 × 2 helpers, written out: the inverse's entries and the Cholesky factor's inverse.
fn inverse_2x2(c: &[f64]) -> [f64; 4] {
    let det = c[0] * c[3] - c[1] * c[2];
    [c[3] / det, -c[1] / det, -c[2] / det, c[0] / det]
}

/// Σ⁻¹(x − μ) for a 2 × 2 Σ, as (Σ⁻¹(x/2 − μ/2)) · 2 so that x − μ never overflows: the product
/// overflows only where the true value does.
fn precision_times_delta_2d(c: &[f64], mu: &[f64], x: &[f64]) -> [f64; 2] {
    let p = inverse_2x2(c);
    let d = [x[0] / 2.0 - mu[0] / 2.0, x[1] / 2.0 - mu[1] / 2.0];
    [
        (p[0] * d[0] + p[1] * d[1]) * 2.0,
        (p[2] * d[0] + p[3] * d[1]) * 2.0,
    ]
}

/// L⁻¹(x − μ) for a 2 × 2 Σ = LLᵀ, the same way.
fn whitened_2d(c: &[f64], mu: &[f64], x: &[f64]) -> [f64; 2] {
    let l11 = c[0].sqrt();
    let l21 = c[2] / l11;
    let l22 = (c[3] - l21 * l21).sqrt();
    let d = [x[0] / 2.0 - mu[0] / 2.0, x[1] / 2.0 - mu[1] / 2.0];
    let y1 = d[0] / l11;
    [y1 * 2.0, (d[1] - l21 * y1) / l22 * 2.0]
}

#[test]
fn divergence_of_one_gaussian_is_minus_the_trace_everywhere() {
    // s = −Σ⁻¹(x − μ) is linear, so ∇·s = −tr Σ⁻¹ at every x.
    let cov = [[0.5, 0.2], [0.2, 1.5]];
    let gm = GaussianMixture::new(&[1.0], &[[1.0, -2.0]], &[cov]).unwrap();
    let trace = (0.5 + 1.5) / (0.5 * 1.5 - 0.2 * 0.2);
    for x in [
        [0.3, 0.1],
        [1e8, -3e7],
        [-2e15, 1e15],
        [1e150, 1e150],
        [1e200, -1e199],
        [MAX, -MAX],
        [-MAX, -MAX],
        [MAX, 0.0],
        [5e-324, 0.0],
        [0.0, 0.0],
    ] {
        let div = score_divergence(&gm, &x);
        assert!(
            close(div, -trace, 1e-14),
            "at {x:?}: {div}, exact {}",
            -trace
        );
    }
}

/// ∇·s of a 1-D mixture of two components in a form that cannot cancel:
/// $r_0 r_1 (v_0 - v_1)^2 - r_0/\sigma_0^2 - r_1/\sigma_1^2$ with $v_k = (x - \mu_k)/\sigma_k^2$,
/// $v_0 - v_1$ expanded in x, and $r_0 r_1$ from $\Delta = \ell_0 - \ell_1$ by a difference of
/// squares. Valid while the squares do not overflow (|x| ≤ 10¹⁵⁰ here).
fn divergence_1d(w: [f64; 2], m: [f64; 2], s: [f64; 2], x: f64) -> f64 {
    let (a, b) = ((x - m[0]) / s[0], (x - m[1]) / s[1]);
    let delta = (w[0] / s[0]).ln() - (w[1] / s[1]).ln() - 0.5 * (a - b) * (a + b);
    let (r0, r1) = (1.0 / (1.0 + (-delta).exp()), 1.0 / (1.0 + delta.exp()));
    let (p0, p1) = (1.0 / (s[0] * s[0]), 1.0 / (s[1] * s[1]));
    let spread = if r0 * r1 == 0.0 {
        0.0
    } else {
        let gap = x * (p0 - p1) - m[0] * p0 + m[1] * p1;
        r0 * r1 * gap * gap
    };
    spread - r0 * p0 - r1 * p1
}

#[test]
fn divergence_of_a_1d_mixture_matches_a_form_that_cannot_cancel() {
    let (w, m, s) = ([0.5, 0.5], [-1.0, 1.0], [0.8, 0.6]);
    let gm = GaussianMixture::new_1d(&w, &m, &s).unwrap();
    for x in [
        -3.0, -0.4, 0.0, 0.15, 0.3, 1.0, 2.5, 10.0, 1e4, 1e8, -1e8, 1e15, 1e100, -1e150,
    ] {
        let div = score_divergence(&gm, &[x]);
        let exact = divergence_1d(w, m, s, x);
        assert!(
            (div - exact).abs() <= 1e-12 * (1.0 + exact.abs()),
            "at {x}: {div}, exact {exact}"
        );
    }
    // Beyond, the wider component has all the responsibility: ∇·s = −1/0.8² exactly.
    for x in [1e200, -1e300, MAX, -MAX] {
        assert_eq!(score_divergence(&gm, &[x]), -1.5625, "at {x}");
    }
}

#[test]
fn divergence_far_out_between_two_equal_components() {
    // Means (±1, 0), identity covariances, equal weights: on the axis x₁ = 0 both components
    // have responsibility ½ at every height, v₀ − v₁ = (2, 0), so
    // ∇·s = r₀r₁‖v₀ − v₁‖² − tr I = 1 − 2 = −1.
    let eye = [[1.0, 0.0], [0.0, 1.0]];
    let gm = GaussianMixture::new(&[0.5, 0.5], &[[1.0, 0.0], [-1.0, 0.0]], &[eye, eye]).unwrap();
    for t in [0.0, 3.0, 1e8, -1e12, 1e150] {
        let x = [0.0, t];
        assert_eq!(gm.responsibilities(&x), vec![0.5, 0.5]);
        let div = score_divergence(&gm, &x);
        assert!((div + 1.0).abs() <= 1e-14, "at {x:?}: {div}, exact −1");
    }
}

#[test]
fn divergence_keeps_a_small_offset_next_to_a_large_coordinate() {
    // Both components centred at (10³⁰⁰, 0); at x = (10³⁰⁰, 10⁻¹⁴⁹) the narrow one has
    // v = (0, 10¹⁵¹) and the responsibilities are balanced (wₐ chosen so), so the spread term
    // rₐr_b(vₐ − v_b)² ≈ 2·10³⁰¹ dominates. Offsets divided by a scale of 10³⁰⁰ would lose it.
    let (wa, narrow) = (1e-128, 1e-300);
    let gm = GaussianMixture::new(
        &[wa, 1.0 - wa],
        &[[1e300, 0.0], [1e300, 0.0]],
        &[[[1.0, 0.0], [0.0, narrow]], [[1.0, 0.0], [0.0, 1.0]]],
    )
    .unwrap();
    let delta = 1e-149;
    let x = [1e300, delta];
    let gap = delta / narrow - delta;
    let log_ratio = (wa / (1.0 - wa)).ln() - 0.5 * narrow.ln() - 0.5 * (delta * delta / narrow);
    let (ra, rb) = (
        1.0 / (1.0 + (-log_ratio).exp()),
        1.0 / (1.0 + log_ratio.exp()),
    );
    let exact = ra * rb * gap * gap - ra * (1.0 + 1.0 / narrow) - rb * 2.0;
    let div = score_divergence(&gm, &x);
    assert!(close(div, exact, 1e-12), "{div}, exact {exact}");
}

/// A 2-D component whose whitened offset L⁻¹(x − μ) overflows at (f64::MAX, −f64::MAX) while
/// Σ⁻¹(x − μ) = (1.07·10³⁰⁶, −1.31·10³⁰⁸) does not.
const TILTED: [[f64; 2]; 2] = [[3.06, -1.346], [-1.346, 1.36]];

#[test]
fn mean_score_at_the_corners_of_f64_is_minus_the_score() {
    // One component: ∇_μ log p = Σ⁻¹(x − μ) = −s(x), and the score is exact there.
    for (cov, mean) in [
        (TILTED, [0.0, 0.0]),
        (TILTED, [2.0, -1.0]),
        ([[1.0, 0.3], [0.3, 2.0]], [0.5, 0.5]),
        ([[150.0, 148.5], [148.5, 150.0]], [0.0, 1.0]),
    ] {
        let gm = GaussianMixture::new(&[1.0], &[mean], &[cov]).unwrap();
        let c = gm.covariance(0).unwrap().to_vec();
        for x in [
            [MAX, -MAX],
            [-MAX, MAX],
            [MAX, MAX],
            [-1e300, 1e300],
            [MAX, 0.0],
            [1e200, -1e200],
            [3.0, -4.0],
        ] {
            let exact = precision_times_delta_2d(&c, &mean, &x);
            let s = gm.score(&x);
            let g = gm.mean_score(&x, 0).unwrap();
            let by_theta = gm.parameter_score(&x).means;
            for i in 0..2 {
                assert!(
                    close(g[i], exact[i], 1e-13),
                    "{cov:?} at {x:?}: mean score {g:?}, exact {exact:?}"
                );
                assert!(
                    close(-s[i], exact[i], 1e-13),
                    "{cov:?} at {x:?}: score {s:?}, exact {exact:?}"
                );
                assert_eq!(by_theta[i].to_bits(), g[i].to_bits(), "{cov:?} at {x:?}");
            }
        }
    }
}

#[test]
fn mean_score_of_two_components_far_out_belongs_to_the_nearest() {
    // At (MAX, −MAX) the tilted component is nearer; the other's responsibility is 0.
    let gm = GaussianMixture::new(
        &[0.5, 0.5],
        &[[0.0, 0.0], [1.0, 1.0]],
        &[TILTED, [[0.5, 0.0], [0.0, 0.5]]],
    )
    .unwrap();
    let x = [MAX, -MAX];
    assert_eq!(gm.responsibilities(&x), vec![1.0, 0.0]);
    let exact = precision_times_delta_2d(gm.covariance(0).unwrap(), &[0.0, 0.0], &x);
    let g = gm.mean_score(&x, 0).unwrap();
    assert!(
        close(g[0], exact[0], 1e-13) && close(g[1], exact[1], 1e-13),
        "{g:?}, exact {exact:?}"
    );
    assert_eq!(gm.mean_score(&x, 1).unwrap(), vec![0.0, 0.0]);
}

#[test]
fn mean_score_keeps_a_small_offset_next_to_a_large_coordinate() {
    // δ = (0, 10⁻¹⁴⁹) from a mean at (10³⁰⁰, 0): Σ⁻¹δ = (0, 10¹⁵¹), nothing near overflow.
    let gm = GaussianMixture::new(&[1.0], &[[1e300, 0.0]], &[[[1.0, 0.0], [0.0, 1e-300]]]).unwrap();
    let x = [1e300, 1e-149];
    let g = gm.mean_score(&x, 0).unwrap();
    assert!(g[0] == 0.0 && close(g[1], 1e151, 1e-14), "{g:?}");
    assert_eq!(g, gm.score(&x).iter().map(|v| -v).collect::<Vec<_>>());
}

#[test]
fn cholesky_score_far_out_overflows_with_the_right_sign() {
    // ∂ log p/∂(L)ᵢⱼ = vᵢyⱼ − [i = j]/Lᵢᵢ with v = Σ⁻¹δ, y = L⁻¹δ: at (MAX, −MAX) every vᵢyⱼ is
    // beyond f64 (|v| ~ 10³⁰⁸, |y| ~ 10³⁰⁸), so each entry is an infinity of the sign of vᵢyⱼ.
    let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[TILTED]).unwrap();
    let c = gm.covariance(0).unwrap().to_vec();
    for x in [[MAX, -MAX], [-MAX, MAX], [1e300, -1e300]] {
        let v = precision_times_delta_2d(&c, &[0.0, 0.0], &x);
        let y = whitened_2d(&c, &[0.0, 0.0], &x);
        let g = gm.parameter_score(&x).cholesky;
        for (i, j) in [(0, 0), (1, 0), (1, 1)] {
            let expected = f64::INFINITY.copysign(v[i] * y[j].signum());
            assert_eq!(g[i * 2 + j], expected, "({i}, {j}) at {x:?}: {g:?}");
        }
    }
}

/// A random valid mixture in dimension d: K ≤ 3 components, Σ = AAᵀ + 0.2 I, with each mean
/// and covariance multiplied by 10ᵖ for p drawn from `scales`.
fn arb_mixture(
    dim: usize,
    scales: std::ops::RangeInclusive<i32>,
) -> impl Strategy<Value = GaussianMixture> {
    (1usize..=3).prop_flat_map(move |k| {
        (
            prop::collection::vec(0.05f64..1.0, k),
            prop::collection::vec(prop::collection::vec(-5.0f64..5.0, dim), k),
            prop::collection::vec(prop::collection::vec(-1.0f64..1.0, dim * dim), k),
            prop::collection::vec((scales.clone(), scales.clone()), k),
        )
            .prop_map(move |(w, means, a, scales)| {
                let total: f64 = w.iter().sum();
                let weights: Vec<f64> = w.iter().map(|v| v / total).collect();
                let means: Vec<Vec<f64>> = means
                    .iter()
                    .zip(&scales)
                    .map(|(m, (p, _))| m.iter().map(|v| v * 10f64.powi(*p)).collect())
                    .collect();
                let covs: Vec<Vec<Vec<f64>>> = a
                    .iter()
                    .zip(&scales)
                    .map(|(a, (_, q))| {
                        (0..dim)
                            .map(|i| {
                                (0..dim)
                                    .map(|j| {
                                        let aat: f64 =
                                            (0..dim).map(|m| a[i * dim + m] * a[j * dim + m]).sum();
                                        (aat + if i == j { 0.2 } else { 0.0 }) * 10f64.powi(*q)
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

/// Any finite f64: every magnitude, ±MAX, 0 and subnormals.
fn coordinate() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-308i32..=308, -1.0f64..1.0).prop_map(|(e, m)| m * 10f64.powi(e)),
        Just(MAX),
        Just(-MAX),
        Just(0.0),
        Just(-0.0),
        Just(5e-324),
        Just(-2.2e-310),
        any::<f64>().prop_filter("finite", |v| v.is_finite()),
    ]
}

/// tr Σₖ⁻¹ of every component, from the explicit inverse of the covariance.
fn traces(gm: &GaussianMixture) -> Vec<f64> {
    let d = gm.dim();
    (0..gm.n_components())
        .map(|k| {
            let c = gm.covariance(k).unwrap();
            // Solve Σ z = eᵢ by Gauss-Jordan; tr Σ⁻¹ = Σᵢ zᵢ.
            (0..d)
                .map(|i| {
                    let mut a: Vec<Vec<f64>> = (0..d)
                        .map(|r| {
                            let mut row = c[r * d..(r + 1) * d].to_vec();
                            row.push(if r == i { 1.0 } else { 0.0 });
                            row
                        })
                        .collect();
                    for p in 0..d {
                        let pivot = a[p][p];
                        for v in a[p].iter_mut() {
                            *v /= pivot;
                        }
                        let pivot_row = a[p].clone();
                        for (r, row) in a.iter_mut().enumerate() {
                            if r != p {
                                let f = row[p];
                                for (v, pv) in row.iter_mut().zip(&pivot_row) {
                                    *v -= f * pv;
                                }
                            }
                        }
                    }
                    a[i][d]
                })
                .sum()
        })
        .collect()
}

fn check_extreme_point(gm: &GaussianMixture, x: &[f64]) {
    let d = gm.dim();
    let k = gm.n_components();
    let r = gm.responsibilities(x);
    let tr = traces(gm);
    // ∇·s = Σ rₖ‖vₖ − v̄‖² − Σ rₖ tr Σₖ⁻¹ ≥ −max tr Σₖ⁻¹; with one responsibility it is −tr Σₖ⁻¹.
    let div = score_divergence(gm, x);
    let max_tr = tr.iter().cloned().fold(0.0, f64::max);
    assert!(div >= -max_tr * (1.0 + 1e-12), "∇·s = {div} at {x:?}");
    if let Some(only) = (0..k).find(|&j| r[j] == 1.0)
        && r.iter().filter(|&&v| v > 0.0).count() == 1
    {
        assert!(close(div, -tr[only], 1e-12), "∇·s = {div} at {x:?}");
    }
    // Σₖ ∇_μₖ log p = −s, to the accuracy of the score itself (|error| ≲ ε ‖Σ⁻¹‖ |x − μ|).
    let s = gm.score(x);
    let theta = gm.parameter_score(x);
    let scale = x
        .iter()
        .chain((0..k).flat_map(|j| gm.mean(j).unwrap()))
        .fold(1.0f64, |a, v| a.max(v.abs()))
        * max_tr;
    let mut sum = vec![0.0; d];
    for j in 0..k {
        let g = gm.mean_score(x, j).unwrap();
        assert_eq!(&theta.means[j * d..(j + 1) * d], g.as_slice());
        for (a, v) in sum.iter_mut().zip(&g) {
            assert!(!v.is_nan(), "mean score {g:?} of {j} at {x:?}");
            *a += v;
        }
    }
    for i in 0..d {
        if s[i].is_infinite() || sum[i].is_infinite() {
            assert_eq!(sum[i], -s[i], "Σ mean scores {sum:?}, score {s:?} at {x:?}");
        } else {
            assert!(
                (sum[i] + s[i]).abs() <= 1e-12 * scale,
                "Σ mean scores {sum:?}, score {s:?} at {x:?}"
            );
        }
    }
    assert!(theta.logits.iter().all(|v| v.is_finite()), "{theta:?}");
    assert!(
        theta.cholesky.iter().all(|v| !v.is_nan()),
        "{theta:?} at {x:?}"
    );
}

/// Σᵢ ∂sᵢ/∂xᵢ by central differences of the score.
fn divergence_by_differences(gm: &GaussianMixture, x: &[f64]) -> f64 {
    let h = 1e-5;
    (0..x.len())
        .map(|i| {
            let (mut up, mut down) = (x.to_vec(), x.to_vec());
            up[i] += h;
            down[i] -= h;
            (gm.score(&up)[i] - gm.score(&down)[i]) / (2.0 * h)
        })
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn derivatives_are_finite_or_rightly_infinite_at_every_magnitude(
        (gm, x) in (1usize..=3).prop_flat_map(|d| {
            (arb_mixture(d, 0..=0), prop::collection::vec(coordinate(), d))
        })
    ) {
        check_extreme_point(&gm, &x);
    }

    #[test]
    fn divergence_matches_finite_differences(
        (gm, x) in (1usize..=3).prop_flat_map(|d| {
            (arb_mixture(d, 0..=0), prop::collection::vec(-6.0f64..6.0, d))
        })
    ) {
        let div = score_divergence(&gm, &x);
        let numeric = divergence_by_differences(&gm, &x);
        prop_assert!(
            (div - numeric).abs() <= 1e-5 * (1.0 + div.abs()),
            "∇·s = {} vs finite differences {} at {:?}", div, numeric, x
        );
    }

    #[test]
    fn nothing_is_nan_for_mixtures_of_every_scale(
        (gm, x) in (1usize..=3).prop_flat_map(|d| {
            (arb_mixture(d, -300..=300), prop::collection::vec(coordinate(), d))
        })
    ) {
        let div = score_divergence(&gm, &x);
        let max_tr = traces(&gm).into_iter().fold(0.0, f64::max);
        prop_assert!(div >= -max_tr * (1.0 + 1e-9), "∇·s = {} at {:?}", div, x);
        let theta = gm.parameter_score(&x).to_vec();
        prop_assert!(theta.iter().all(|v| !v.is_nan()), "{:?} at {:?}", theta, x);
        if gm.n_components() == 1 && gm.log_prob(&x) > f64::NEG_INFINITY {
            // Not in the score's far field: both are the plain −Σ⁻¹(x − μ), bit for bit.
            let minus_s: Vec<f64> = gm.score(&x).iter().map(|v| -v).collect();
            prop_assert_eq!(gm.mean_score(&x, 0).unwrap(), minus_s);
        }
    }
}
