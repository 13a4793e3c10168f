//! Hyvärinen's score-matching objective for a mixture and its exact gradient in θ.
//!
//! Per point, with responsibilities $r_k$, $\delta_k = x - \mu_k$, $W_k = L_k^{-1}$,
//! $y_k = W_k\delta_k$, $v_k = W_k^\top y_k = \Sigma_k^{-1}\delta_k$, $P_k = \Sigma_k^{-1}$ and the
//! Stein score $s = -\sum_k r_k v_k$, the integrand is
//!
//! $$h(x) = \tfrac12\lVert s\rVert^2 + \nabla\cdot s = \sum_k r_k u_k - \tfrac12\lVert s\rVert^2,
//! \qquad u_k = \lVert v_k\rVert^2 - \operatorname{tr}P_k.$$
//!
//! Differentiating, with $c_k = u_k + s^\top v_k$, $\bar c = \sum_k r_k c_k$ and $q_k = 2v_k + s$:
//!
//! $$\frac{\partial h}{\partial a_k} = r_k(c_k - \bar c),\qquad
//! \nabla_{\mu_k} h = r_k\big[(c_k - \bar c)\,v_k - P_k q_k\big],$$
//! $$\frac{\partial h}{\partial (L_k)_{ij}} = r_k\big[(c_k - \bar c)(v_{k,i}y_{k,j} - [i=j]W_{k,ii})
//! + 2(W_kP_k)_{ji} - v_{k,i}(W_kq_k)_j - (P_kq_k)_i\,y_{k,j}\big]\quad(i \ge j).$$
//!
//! They are evaluated with $e_k = v_k + s = \sum_j r_j(v_k - v_j)$, in which no two large terms
//! cancel: $h = \tfrac12\lVert s\rVert^2 + \sum_k r_k\lVert e_k\rVert^2 - \sum_k r_k\operatorname{tr}P_k$,
//! $c_k = \lVert e_k\rVert^2 - s^\top e_k - \operatorname{tr}P_k$ and $\bar c = \nabla\cdot s$
//! (see [`score_divergence`]).
//!
//! One pass over the data gives the objective and its gradient; the unit tests check the gradient
//! against central differences of the objective.

use crate::model::mixture::white;
use rayon::prelude::*;

use crate::model::mixture::GaussianMixture;
use crate::model::parameter_score::MixtureParameters;
use crate::model::scaled::{Scale, direct_offsets, product, scaled_offsets};
use crate::model::score::{Dimension, Score};
use crate::numeric::linalg;

/// Points per parallel task (fixed, so sums do not depend on the thread count).
const CHUNK: usize = 128;

/// The divergence of a mixture's Stein score, the Laplacian of log p. With
/// $v_k = \Sigma_k^{-1}(x - \mu_k)$ and $s = -\sum_k r_k v_k$,
///
/// $$\nabla\cdot s = \sum_k r_k\lVert v_k + s\rVert^2 - \sum_k r_k \operatorname{tr}\Sigma_k^{-1},
/// \qquad v_k + s = \sum_j r_j\,(v_k - v_j):$$
///
/// the spread of the $v_k$ under the responsibilities, minus their mean trace. No term cancels
/// another (the expanded form $\sum_k r_k\lVert v_k\rVert^2 - \lVert s\rVert^2 - \dots$ loses every
/// digit once $\lVert v\rVert^2 \gg 1/\varepsilon$). Where an offset or the spread is beyond
/// f64's range it is recomputed with powers of two factored out, so the value is exact for every
/// finite x up to ±f64::MAX: far out it is $-\operatorname{tr}\Sigma_k^{-1}$ of the nearest
/// component, and +∞ only where the spread itself is beyond f64's range. NaN if x is not finite.
///
/// ```
/// use scorelab::prelude::*;
/// // For N(0, 4): s = −x/4, so ∇·s = −1/4 everywhere.
/// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[2.0])?;
/// assert!((scorelab::learn::score_divergence(&gm, &[1.3]) + 0.25).abs() < 1e-12);
/// assert_eq!(scorelab::learn::score_divergence(&gm, &[f64::MAX]), -0.25);
/// # Ok::<(), MixtureError>(())
/// ```
///
/// # Panics
/// If `x` does not have the mixture's dimension, like [`Score::score`].
pub fn score_divergence(mixture: &GaussianMixture, x: &[f64]) -> f64 {
    let r = mixture.responsibilities(x);
    if x.iter().any(|v| !v.is_finite()) {
        return f64::NAN;
    }
    let d = mixture.dim();
    let mut vs = vec![0.0; r.len() * d];
    let mut es = vec![0.0; r.len() * d];
    let mut y = vec![0.0; d];
    let active = || (0..r.len()).filter(|&k| r[k] > 0.0);
    let mut trace = 0.0;
    for k in active() {
        direct_offsets(mixture, k, x, &mut y, &mut vs[k * d..(k + 1) * d]);
        trace += r[k] * white(mixture, k).iter().map(|w| w * w).sum::<f64>();
    }
    if vs.iter().all(|v| v.is_finite()) {
        let spread = centre(&r, &vs, d, &mut es);
        if spread.is_finite() && trace.is_finite() {
            return spread - trace;
        }
    }
    // Beyond f64's range somewhere: the same with the offsets scaled by m c² (one scale for all
    // components, so that their differences are formed), each ‖e_k‖² renormalised before it is
    // squared, and the scales put back term by term.
    let scale = Scale::of(mixture, x, active());
    let mut trace = 0.0;
    for k in active() {
        scaled_offsets(mixture, k, x, scale, &mut y, &mut vs[k * d..(k + 1) * d]);
        trace += r[k] * scale.trace(mixture, k);
    }
    centre(&r, &vs, d, &mut es);
    // ∇·s in units of u = c² when c > 1 (else 1): the trace is then at most 4d², and a spread
    // beyond f64's range in these units is one beyond it in any.
    let unit_exp = 2 * scale.white.max(0);
    let mut spread = 0.0;
    for k in active() {
        let e = &es[k * d..(k + 1) * d];
        let largest = e.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        if largest > 0.0 {
            let (_, exp) = libm::frexp(largest);
            let norm: f64 = e.iter().map(|v| libm::scalbn(*v, -exp).powi(2)).sum();
            let exp = 2 * (scale.vector_exp() + exp) - unit_exp;
            spread += product(&[(r[k], 0), (norm, exp)]);
        }
    }
    let inner = spread - libm::scalbn(trace, 2 * scale.white - unit_exp);
    libm::scalbn(inner, unit_exp)
}

/// $e_k = \sum_j r_j (v_k - v_j)$, which is $v_k + s$, into `out` for every k with $r_k > 0$
/// (0 elsewhere); returns $\sum_k r_k\lVert e_k\rVert^2$. As pairwise differences, a component
/// holding all the responsibility gets $e_k = 0$ exactly however large $v_k$ is.
fn centre(r: &[f64], vs: &[f64], d: usize, out: &mut [f64]) -> f64 {
    let mut total = 0.0;
    for (k, &rk) in r.iter().enumerate() {
        let e = &mut out[k * d..(k + 1) * d];
        e.fill(0.0);
        if rk == 0.0 {
            continue;
        }
        let vk = &vs[k * d..(k + 1) * d];
        for (j, &rj) in r.iter().enumerate() {
            if rj == 0.0 || j == k {
                continue;
            }
            for ((ei, a), b) in e.iter_mut().zip(vk).zip(&vs[j * d..(j + 1) * d]) {
                *ei += rj * (a - b);
            }
        }
        total += rk * dot(e, e);
    }
    total
}

/// Per-component matrices that do not depend on x: $P_k = W_k^\top W_k$, $W_kP_k$, tr $P_k$.
struct Precisions {
    precision: Vec<f64>,
    white_precision: Vec<f64>,
    trace: Vec<f64>,
}

impl Precisions {
    fn of(model: &GaussianMixture) -> Self {
        let d = model.dim();
        let n = model.n_components();
        let mut precision = vec![0.0; n * d * d];
        let mut white_precision = vec![0.0; n * d * d];
        let mut trace = vec![0.0; n];
        for k in 0..n {
            let w = white(model, k);
            let p = &mut precision[k * d * d..(k + 1) * d * d];
            for i in 0..d {
                for j in 0..d {
                    p[i * d + j] = (0..d).map(|m| w[m * d + i] * w[m * d + j]).sum();
                }
            }
            let wp = &mut white_precision[k * d * d..(k + 1) * d * d];
            for i in 0..d {
                for j in 0..d {
                    wp[i * d + j] = (0..d).map(|m| w[i * d + m] * p[m * d + j]).sum();
                }
            }
            trace[k] = (0..d).map(|i| p[i * d + i]).sum();
        }
        Precisions {
            precision,
            white_precision,
            trace,
        }
    }
}

/// Adds $h(x)$'s gradient (layout of [`MixtureParameters::to_vec`]) to `grad`, returns $h(x)$.
fn accumulate(model: &GaussianMixture, pre: &Precisions, x: &[f64], grad: &mut [f64]) -> f64 {
    let d = model.dim();
    let n = model.n_components();
    let r = model.responsibilities(x);
    let s = model.score(x);
    let mut ys = vec![0.0; n * d];
    let mut vs = vec![0.0; n * d];
    for (k, &rk) in r.iter().enumerate() {
        if rk == 0.0 {
            continue;
        }
        let y = &mut ys[k * d..(k + 1) * d];
        for ((yi, xi), mi) in y.iter_mut().zip(x).zip(model.mean(k).unwrap_or_default()) {
            *yi = xi - mi;
        }
        linalg::mul_lower_in_place(white(model, k), d, y);
        let v = &mut vs[k * d..(k + 1) * d];
        v.copy_from_slice(y);
        linalg::mul_lower_transposed_in_place(white(model, k), d, v);
    }
    // With e_k = v_k + s: ∇·s = Σ r_k‖e_k‖² − Σ r_k tr P_k, and c_k = ‖e_k‖² − sᵀe_k − tr P_k
    // (= u_k + sᵀv_k), whose r-weighted mean c̄ is ∇·s. No difference of large terms is formed.
    let mut es = vec![0.0; n * d];
    let spread = centre(&r, &vs, d, &mut es);
    let divergence = spread
        - r.iter()
            .zip(&pre.trace)
            .filter(|(rk, _)| **rk > 0.0)
            .map(|(rk, t)| rk * t)
            .sum::<f64>();
    let mut c = vec![0.0; n];
    for (k, &rk) in r.iter().enumerate() {
        if rk > 0.0 {
            let e = &es[k * d..(k + 1) * d];
            c[k] = dot(e, e) - dot(&s, e) - pre.trace[k];
        }
    }
    let h = 0.5 * dot(&s, &s) + divergence;
    let c_bar = divergence;
    let means_at = n;
    let chol_at = n + n * d;
    let tri = d * (d + 1) / 2;
    let mut q = vec![0.0; d];
    let mut pq = vec![0.0; d];
    let mut wq = vec![0.0; d];
    for (k, &rk) in r.iter().enumerate() {
        if rk == 0.0 {
            continue;
        }
        let (y, v) = (&ys[k * d..(k + 1) * d], &vs[k * d..(k + 1) * d]);
        let p = &pre.precision[k * d * d..(k + 1) * d * d];
        let wp = &pre.white_precision[k * d * d..(k + 1) * d * d];
        let w = white(model, k);
        let gap = c[k] - c_bar;
        for i in 0..d {
            q[i] = 2.0 * v[i] + s[i];
        }
        for i in 0..d {
            pq[i] = dot(&p[i * d..(i + 1) * d], &q);
            wq[i] = dot(&w[i * d..(i + 1) * d], &q);
        }
        grad[k] += rk * gap;
        for i in 0..d {
            grad[means_at + k * d + i] += rk * (gap * v[i] - pq[i]);
        }
        let mut at = chol_at + k * tri;
        for i in 0..d {
            for j in 0..=i {
                let diag = if i == j { w[i * d + i] } else { 0.0 };
                grad[at] += rk
                    * (gap * (v[i] * y[j] - diag) + 2.0 * wp[j * d + i]
                        - v[i] * wq[j]
                        - pq[i] * y[j]);
                at += 1;
            }
        }
    }
    h
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Hyvärinen's objective $J(\theta) = \frac1n\sum_i h(x_i)$ over the points of `flat` (d per
/// point) and its gradient $\nabla_\theta J$ in the layout of [`MixtureParameters::to_vec`].
pub(crate) fn objective_and_gradient(model: &GaussianMixture, flat: &[f64]) -> (f64, Vec<f64>) {
    let d = model.dim();
    let len = MixtureParameters::of(model).len();
    let pre = Precisions::of(model);
    let parts: Vec<(f64, Vec<f64>)> = flat
        .par_chunks(CHUNK * d)
        .map(|chunk| {
            let mut grad = vec![0.0; len];
            let value = chunk
                .chunks_exact(d)
                .map(|x| accumulate(model, &pre, x, &mut grad))
                .sum::<f64>();
            (value, grad)
        })
        .collect();
    let count = (flat.len() / d).max(1) as f64;
    let mut grad = vec![0.0; len];
    let mut value = 0.0;
    for (v, g) in &parts {
        value += v;
        for (total, gi) in grad.iter_mut().zip(g) {
            *total += gi;
        }
    }
    grad.iter_mut().for_each(|g| *g /= count);
    (value / count, grad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// J(θ) straight from its definition, ½‖s‖² + ∇·s.
    fn objective(theta: &MixtureParameters, flat: &[f64]) -> f64 {
        let model = theta.to_mixture().unwrap();
        let d = model.dim();
        let points: Vec<&[f64]> = flat.chunks_exact(d).collect();
        points
            .iter()
            .map(|x| {
                let s = model.score(x);
                0.5 * dot(&s, &s) + score_divergence(&model, x)
            })
            .sum::<f64>()
            / points.len() as f64
    }

    fn check_against_differences(model: &GaussianMixture, seed: u64) {
        let data = Particles::sample(model, 200, seed).unwrap();
        // Fit a different θ than the data's, so the gradient is far from 0.
        let mut theta = MixtureParameters::of(model);
        let shifted: Vec<f64> = theta
            .to_vec()
            .iter()
            .enumerate()
            .map(|(i, v)| v + 0.15 * ((i as f64 * 1.7).sin()))
            .collect();
        theta.set_from(&shifted);
        let at = theta.to_mixture().unwrap();
        let (value, grad) = objective_and_gradient(&at, data.as_flat());
        assert!((value - objective(&theta, data.as_flat())).abs() < 1e-9 * value.abs().max(1.0));
        let h = 1e-5;
        let base = theta.to_vec();
        for i in 0..base.len() {
            let mut probe = theta.clone();
            let mut v = base.clone();
            v[i] += h;
            probe.set_from(&v);
            let up = objective(&probe, data.as_flat());
            v[i] -= 2.0 * h;
            probe.set_from(&v);
            let down = objective(&probe, data.as_flat());
            let numeric = (up - down) / (2.0 * h);
            assert!(
                (numeric - grad[i]).abs() < 1e-5 * numeric.abs().max(1.0),
                "θ[{i}]: finite difference {numeric} vs analytic {}",
                grad[i]
            );
        }
    }

    #[test]
    fn objective_far_out_does_not_cancel() {
        // N(0, 1) at x = 10⁸: h = ½x² − 1 = 4 999 999 999 999 999, an integer below 2⁵³.
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let (value, grad) = objective_and_gradient(&gm, &[1e8]);
        assert_eq!(value, 4_999_999_999_999_999.0);
        // ∂h/∂a = r(c − c̄) = 0 for a single component.
        assert_eq!(grad[0], 0.0);
    }

    #[test]
    fn gradient_matches_finite_differences_1d() {
        let gm = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0]).unwrap();
        check_against_differences(&gm, 1);
    }

    #[test]
    fn gradient_matches_finite_differences_2d() {
        let gm = GaussianMixture::new(
            &[0.4, 0.6],
            &[[-1.5, 0.5], [1.0, -0.5]],
            &[[[1.0, 0.3], [0.3, 0.8]], [[0.6, -0.2], [-0.2, 1.2]]],
        )
        .unwrap();
        check_against_differences(&gm, 2);
    }

    #[test]
    fn gradient_matches_finite_differences_3d() {
        let gm = GaussianMixture::new(
            &[0.5, 0.5],
            &[[-1.0, 0.0, 0.5], [1.0, 0.5, -0.5]],
            &[
                [[1.0, 0.2, 0.1], [0.2, 0.9, -0.1], [0.1, -0.1, 1.1]],
                [[0.7, 0.0, 0.2], [0.0, 1.0, 0.3], [0.2, 0.3, 1.3]],
            ],
        )
        .unwrap();
        check_against_differences(&gm, 3);
    }
}
