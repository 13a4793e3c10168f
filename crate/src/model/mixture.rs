//! Gaussian mixtures in any dimension, with full covariances.
//!
//! Component k has weight $w_k$, mean $\mu_k$ and covariance $\Sigma_k = L_k L_k^\top$
//! (its Cholesky factor is kept; nothing is inverted per evaluation). With $\delta_k = x - \mu_k$,
//!
//! $$\ell_k(x) = \log w_k - \tfrac12 \delta_k^\top \Sigma_k^{-1} \delta_k - \tfrac12 \log|\Sigma_k| - \tfrac d2 \log 2\pi,$$
//!
//! $\log p(x) = \operatorname{logsumexp}_k \ell_k(x)$, the responsibilities are
//! $r = \operatorname{softmax}(\ell)$ and the score is $s(x) = -\sum_k r_k \Sigma_k^{-1} \delta_k$.
//! This stays exact and finite far from every mode, where dividing `∇p` by `p` gives 0/0.
//!
//! Evaluation whitens each offset once, $y_k = L_k^{-1}\delta_k$ (the inverse factor is computed
//! at construction), so $\delta_k^\top \Sigma_k^{-1} \delta_k = \lVert y_k\rVert^2$ and
//! $\Sigma_k^{-1}\delta_k = L_k^{-\top} y_k$, and accumulates the log-sum-exp online in one pass:
//! when $\ell_k$ exceeds the running maximum the running sums are rescaled, so each component
//! costs exactly one exponential, of a non-positive number. Points in dimension 1, 2 and 3 can also
//! be evaluated in batches ([`GaussianMixture::score_batch`]) by kernels specialised to the
//! dimension, with bit-identical results.

use rand::Rng;
use rand_distr::StandardNormal;

use crate::model::block_kernel::BlockKernel;
use crate::model::error::{BatchError, MixtureError};
use crate::model::score::{Dimension, LogDensity, Score, check_batch};
use crate::numeric::linalg;
use crate::numeric::math::exp_nonpositive;

mod batch;
mod fixed;

use crate::numeric::simd::LANES;
use fixed::Kernel;

const LN_2PI: f64 = 1.837_877_066_409_345_3;
/// Tolerance on Σ wₖ = 1 and on covariance symmetry (relative).
const TOLERANCE: f64 = 1e-6;
/// Points of up to this dimension are evaluated without heap allocation.
const STACK_DIM: usize = 16;

/// A mixture of Gaussians $p(x) = \sum_k w_k \mathcal N(x; \mu_k, \Sigma_k)$ on ℝᵈ.
///
/// Built only through validated constructors; every method after that is total.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new(
///     &[0.3, 0.7],
///     &[[-1.0, 0.0], [2.0, 1.0]],
///     &[[[1.0, 0.3], [0.3, 1.0]], [[0.5, 0.0], [0.0, 2.0]]],
/// )?;
/// assert_eq!(gm.dim(), 2);
/// // Far from the modes the score is still exact: it points back, ≈ −Σ⁻¹(x − μ).
/// let s = gm.score(&[1e6, -1e6]);
/// assert!(s.iter().all(|v| v.is_finite()));
/// # Ok::<(), MixtureError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixture {
    dim: usize,
    weights: Vec<f64>,
    /// K × d, row per component.
    means: Vec<f64>,
    /// K × d × d, row-major.
    covariances: Vec<f64>,
    /// K × d × d lower-triangular Cholesky factors.
    cholesky: Vec<f64>,
    /// K × d × d lower-triangular inverses of the Cholesky factors, Lₖ⁻¹.
    whitening: Vec<f64>,
    /// log wₖ − ½ log|Σₖ| − (d/2) log 2π.
    normalisers: Vec<f64>,
    /// The vector kernel of dimension 1, 2 or 3 (derived from the fields above).
    kernel: Kernel,
}

impl GaussianMixture {
    /// A mixture from weights (summing to 1), means (one point of dimension d each) and
    /// covariances (one symmetric positive definite d × d matrix each, as rows).
    ///
    /// # Errors
    /// One [`MixtureError`] variant per way the parameters can be wrong, naming the component.
    pub fn new<M, C, R>(
        weights: &[f64],
        means: &[M],
        covariances: &[C],
    ) -> Result<Self, MixtureError>
    where
        M: AsRef<[f64]>,
        C: AsRef<[R]>,
        R: AsRef<[f64]>,
    {
        check_weights(
            weights,
            &[("means", means.len()), ("covariances", covariances.len())],
        )?;
        let dim = means[0].as_ref().len();
        if dim == 0 {
            return Err(MixtureError::ZeroDimension);
        }
        let mut flat_means = Vec::with_capacity(weights.len() * dim);
        let mut flat_covs = Vec::with_capacity(weights.len() * dim * dim);
        for (k, (mean, cov)) in means.iter().zip(covariances).enumerate() {
            let mean = mean.as_ref();
            if mean.len() != dim {
                return Err(MixtureError::DimensionMismatch {
                    component: k,
                    what: "mean",
                    expected: dim,
                    found: mean.len(),
                });
            }
            if mean.iter().any(|v| !v.is_finite()) {
                return Err(MixtureError::NonFiniteMean { component: k });
            }
            flat_means.extend_from_slice(mean);
            let rows = cov.as_ref();
            let bad_shape = rows.len() != dim || rows.iter().any(|r| r.as_ref().len() != dim);
            if bad_shape {
                let found = if rows.len() != dim {
                    rows.len()
                } else {
                    rows.iter()
                        .map(|r| r.as_ref().len())
                        .find(|&n| n != dim)
                        .unwrap_or(dim)
                };
                return Err(MixtureError::DimensionMismatch {
                    component: k,
                    what: "covariance",
                    expected: dim,
                    found,
                });
            }
            for row in rows {
                flat_covs.extend_from_slice(row.as_ref());
            }
        }
        from_flat(dim, weights.to_vec(), flat_means, flat_covs)
    }

    /// A 1-D mixture from weights, means and standard deviations σₖ (Σₖ = σₖ²).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    /// assert!((gm.pdf(&[0.0]) - 0.053_990_966_513_188_06).abs() < 1e-15);
    /// let err = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, -1.0]).unwrap_err();
    /// assert_eq!(err, MixtureError::NonPositiveStd { component: 1, std: -1.0 });
    /// # Ok::<(), MixtureError>(())
    /// ```
    pub fn new_1d(weights: &[f64], means: &[f64], stds: &[f64]) -> Result<Self, MixtureError> {
        check_weights(
            weights,
            &[("means", means.len()), ("standard deviations", stds.len())],
        )?;
        for (k, &m) in means.iter().enumerate() {
            if !m.is_finite() {
                return Err(MixtureError::NonFiniteMean { component: k });
            }
        }
        for (k, &s) in stds.iter().enumerate() {
            if !(s > 0.0 && s.is_finite()) {
                return Err(MixtureError::NonPositiveStd {
                    component: k,
                    std: s,
                });
            }
        }
        let variances = stds.iter().map(|s| s * s).collect();
        from_flat(1, weights.to_vec(), means.to_vec(), variances)
    }

    /// The noise-perturbed mixture $p_\sigma = \sum_k w_k \mathcal N(\mu_k, \Sigma_k + \sigma^2 I)$: the
    /// law of $x + \sigma z$ with $x \sim p$, $z \sim \mathcal N(0, I)$. Its score is the exact target
    /// of denoising score matching at noise level σ, and what annealed Langevin follows.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
    /// let wide = gm.perturbed(1.0)?;
    /// assert!((wide.covariance(0).unwrap()[0] - 1.25).abs() < 1e-15);
    /// # Ok::<(), MixtureError>(())
    /// ```
    ///
    /// # Errors
    /// [`MixtureError::InvalidNoise`] unless σ is finite and ≥ 0.
    pub fn perturbed(&self, sigma: f64) -> Result<GaussianMixture, MixtureError> {
        if !(sigma >= 0.0 && sigma.is_finite()) {
            return Err(MixtureError::InvalidNoise { sigma });
        }
        let d = self.dim;
        let mut covariances = self.covariances.clone();
        for cov in covariances.chunks_exact_mut(d * d) {
            for i in 0..d {
                cov[i * d + i] += sigma * sigma;
            }
        }
        from_flat(d, self.weights.clone(), self.means.clone(), covariances)
    }

    /// Number of components K.
    pub fn n_components(&self) -> usize {
        self.weights.len()
    }

    /// The weights w₁ … w_K.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Mean μₖ of component `k`, or `None` if there is no such component.
    pub fn mean(&self, k: usize) -> Option<&[f64]> {
        self.means.get(k * self.dim..(k + 1) * self.dim)
    }

    /// Covariance Σₖ of component `k` as a flat row-major d × d slice.
    pub fn covariance(&self, k: usize) -> Option<&[f64]> {
        let dd = self.dim * self.dim;
        self.covariances.get(k * dd..(k + 1) * dd)
    }

    /// The density p(x) = exp(log p(x)).
    pub fn pdf(&self, x: &[f64]) -> f64 {
        self.log_prob(x).exp()
    }

    /// Responsibilities rₖ(x) = wₖ N(x; μₖ, Σₖ) / p(x), computed as softmax(ℓ) so they stay
    /// well defined far from every mode.
    ///
    /// # Panics
    /// If `x` does not have the mixture's dimension; the message names both.
    pub fn responsibilities(&self, x: &[f64]) -> Vec<f64> {
        check_len("x", x.len(), self.dim);
        let mut y = vec![0.0; self.dim];
        let ell: Vec<f64> = (0..self.n_components())
            .map(|k| component_log_term(self, k, x, &mut y))
            .map(|l| if l.is_nan() { f64::NEG_INFINITY } else { l })
            .collect();
        let max = ell.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        if max == f64::NEG_INFINITY && x.iter().all(|v| v.is_finite()) {
            // Beyond f64's range every ℓₖ underflows: one-hot on the nearest component.
            let mut r = vec![0.0; ell.len()];
            if let Some((k, _)) = nearest_far_component(self, x) {
                r[k] = 1.0;
            }
            return r;
        }
        let mut r: Vec<f64> = ell.iter().map(|l| (l - max).exp()).collect();
        let sum: f64 = r.iter().sum();
        r.iter_mut().for_each(|v| *v /= sum);
        r
    }

    /// log p(x) and, when `score` is given, s(x) written into it, in one pass over the components
    /// (an online log-sum-exp: the running sums are rescaled whenever a larger ℓₖ appears).
    ///
    /// # Panics
    /// If `x` or `score` does not have the mixture's dimension; the message names both.
    pub fn log_prob_and_score(&self, x: &[f64], score: Option<&mut [f64]>) -> f64 {
        check_len("x", x.len(), self.dim);
        let d = self.dim;
        let mut stack = [0.0; 2 * STACK_DIM];
        let mut heap = Vec::new();
        let buf: &mut [f64] = if d <= STACK_DIM {
            &mut stack[..2 * d]
        } else {
            heap.resize(2 * d, 0.0);
            &mut heap
        };
        let (y, acc) = buf.split_at_mut(d);
        let want_score = score.is_some();
        let mut max = f64::NEG_INFINITY;
        let mut sum = 0.0;
        let mut first = true;
        for k in 0..self.n_components() {
            if self.normalisers[k] == f64::NEG_INFINITY {
                continue; // zero weight
            }
            let ell = component_log_term(self, k, x, y);
            if ell == f64::NEG_INFINITY || ell.is_nan() {
                // A point so far away that the quadratic form overflowed (NaN from ∞ − ∞ as
                // well); handled by the far-field branch below if no term is left.
                continue;
            }
            if want_score {
                linalg::mul_lower_transposed_in_place(white(self, k), d, y);
            }
            if first {
                // The first term: max = ℓ, Σ = e⁰ = 1, acc = Σ⁻¹δ.
                first = false;
                max = ell;
                sum = 1.0;
                acc.copy_from_slice(y);
                continue;
            }
            // One exponential per component: e^{−|ℓ − max|} rescales the old sums when ℓ is the
            // new maximum, and weighs the new term otherwise.
            let diff = ell - max;
            let e = exp_nonpositive(-diff.abs());
            let (old, new) = if diff > 0.0 {
                max = ell;
                (e, 1.0)
            } else {
                (1.0, e)
            };
            sum = sum * old + new;
            if want_score {
                for (a, g) in acc.iter_mut().zip(y.iter()) {
                    *a = *a * old + new * g;
                }
            }
        }
        if max == f64::NEG_INFINITY && x.iter().all(|v| v.is_finite()) {
            return far_field(self, x, score);
        }
        if let Some(out) = score {
            check_len("score output", out.len(), d);
            for (o, a) in out.iter_mut().zip(acc.iter()) {
                *o = -a / sum;
            }
        }
        max + sum.ln()
    }

    /// One exact draw: pick k with probability wₖ, return μₖ + Lₖ z with z ~ N(0, I).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Vec<f64> {
        let mut out = vec![0.0; self.dim];
        self.sample_into(rng, &mut out);
        out
    }

    /// Like [`sample`](Self::sample), writing into `out` (length d).
    ///
    /// # Panics
    /// If `out` does not have the mixture's dimension; the message names both.
    pub fn sample_into<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        check_len("sample output", out.len(), self.dim);
        let u: f64 = rng.random();
        let mut k = self.n_components() - 1;
        let mut cumulative = 0.0;
        for (i, w) in self.weights.iter().enumerate() {
            cumulative += w;
            if u < cumulative {
                k = i;
                break;
            }
        }
        let z: Vec<f64> = (0..self.dim).map(|_| rng.sample(StandardNormal)).collect();
        linalg::mul_lower(chol(self, k), self.dim, &z, out);
        for (o, m) in out.iter_mut().zip(self.mean(k).unwrap_or_default()) {
            *o += m;
        }
    }
}

/// Where every ℓₖ(x) is below f64's range (|x − μ| beyond about 10¹⁵⁴): log p is −∞ to f64
/// precision, and the responsibilities are one-hot on the component with the smallest
/// quadratic form. Working with δ / m (m = the largest |xᵢ|, |μᵢ|) keeps that comparison and
/// the score −Σₖ⁻¹δ free of overflow until the score itself exceeds f64's range (±∞, never NaN).
#[cold]
fn far_field(gm: &GaussianMixture, x: &[f64], score: Option<&mut [f64]>) -> f64 {
    let d = gm.dim;
    if let (Some(out), Some((k, m))) = (score, nearest_far_component(gm, x)) {
        check_len("score output", out.len(), d);
        let mean = &gm.means[k * d..(k + 1) * d];
        for ((o, xi), mi) in out.iter_mut().zip(x).zip(mean) {
            *o = xi / m - mi / m;
        }
        linalg::mul_lower_in_place(white(gm, k), d, out);
        linalg::mul_lower_transposed_in_place(white(gm, k), d, out);
        out.iter_mut().for_each(|o| *o *= -m);
    }
    f64::NEG_INFINITY
}

/// The component with the smallest quadratic form at a point where they all overflow,
/// compared as logarithms of (δ/m)ᵀΣ⁻¹(δ/m) · m²; returns it with the scale m.
fn nearest_far_component(gm: &GaussianMixture, x: &[f64]) -> Option<(usize, f64)> {
    let d = gm.dim;
    let mut best: Option<(f64, usize, f64)> = None; // (log quad, k, scale)
    let mut y = vec![0.0; d];
    for k in 0..gm.n_components() {
        if gm.weights[k] == 0.0 {
            continue;
        }
        let mean = &gm.means[k * d..(k + 1) * d];
        let m = x.iter().chain(mean).fold(0.0f64, |a, v| a.max(v.abs()));
        if m == 0.0 {
            return Some((k, 1.0));
        }
        for ((yi, xi), mi) in y.iter_mut().zip(x).zip(mean) {
            *yi = xi / m - mi / m;
        }
        linalg::mul_lower_in_place(white(gm, k), d, &mut y);
        let log_quad = 2.0 * m.ln() + y.iter().map(|v| v * v).sum::<f64>().ln();
        if best.is_none_or(|(lq, _, _)| log_quad < lq) {
            best = Some((log_quad, k, m));
        }
    }
    best.map(|(_, k, m)| (k, m))
}

/// ℓₖ(x); leaves the whitened offset Lₖ⁻¹(x − μₖ) in `y`.
#[inline]
fn component_log_term(gm: &GaussianMixture, k: usize, x: &[f64], y: &mut [f64]) -> f64 {
    let d = gm.dim;
    let mean = &gm.means[k * d..(k + 1) * d];
    for ((yi, xi), mi) in y.iter_mut().zip(x).zip(mean) {
        *yi = xi - mi;
    }
    linalg::mul_lower_in_place(white(gm, k), d, y);
    let mut quad = y[0] * y[0];
    for v in &y[1..] {
        quad += v * v;
    }
    gm.normalisers[k] - 0.5 * quad
}

#[inline]
fn chol(gm: &GaussianMixture, k: usize) -> &[f64] {
    let dd = gm.dim * gm.dim;
    &gm.cholesky[k * dd..(k + 1) * dd]
}

/// Lₖ⁻¹ of `gm`, row-major lower-triangular.
#[inline]
pub(crate) fn white(gm: &GaussianMixture, k: usize) -> &[f64] {
    let dd = gm.dim * gm.dim;
    &gm.whitening[k * dd..(k + 1) * dd]
}

/// Validates covariances (symmetric, positive definite) and precomputes factors.
fn from_flat(
    dim: usize,
    weights: Vec<f64>,
    means: Vec<f64>,
    covariances: Vec<f64>,
) -> Result<GaussianMixture, MixtureError> {
    let dd = dim * dim;
    let mut cholesky = Vec::with_capacity(covariances.len());
    let mut whitening = Vec::with_capacity(covariances.len());
    let mut log_norm = Vec::with_capacity(weights.len());
    for (k, cov) in covariances.chunks_exact(dd).enumerate() {
        if cov.iter().any(|v| !v.is_finite()) {
            return Err(MixtureError::NonFiniteCovariance { component: k });
        }
        for i in 0..dim {
            for j in 0..i {
                let (a, b) = (cov[i * dim + j], cov[j * dim + i]);
                if (a - b).abs() > TOLERANCE * (a.abs().max(b.abs())).max(f64::MIN_POSITIVE) {
                    return Err(MixtureError::CovarianceNotSymmetric {
                        component: k,
                        row: i,
                        col: j,
                    });
                }
            }
        }
        let l = linalg::cholesky(cov, dim)
            .ok_or(MixtureError::CovarianceNotPositiveDefinite { component: k })?;
        let log_det: f64 = 2.0 * (0..dim).map(|i| l[i * dim + i].ln()).sum::<f64>();
        if !log_det.is_finite() {
            return Err(MixtureError::CovarianceNotPositiveDefinite { component: k });
        }
        log_norm.push(weights[k].ln() - 0.5 * log_det - 0.5 * dim as f64 * LN_2PI);
        whitening.extend_from_slice(&linalg::invert_lower(&l, dim));
        cholesky.extend_from_slice(&l);
    }
    let mut mixture = GaussianMixture {
        dim,
        weights,
        means,
        covariances,
        cholesky,
        whitening,
        normalisers: log_norm,
        kernel: Kernel::None,
    };
    mixture.kernel = Kernel::of(&fixed::Parts {
        dim: mixture.dim,
        means: &mixture.means,
        whitening: &mixture.whitening,
        log_norm: &mixture.normalisers,
    });
    Ok(mixture)
}

/// Panics with a message naming both lengths: a wrong-length point is a programming error,
/// like indexing out of bounds.
#[inline]
fn check_len(what: &str, found: usize, dim: usize) {
    assert!(
        found == dim,
        "{what} has length {found}, the mixture has dimension {dim}"
    );
}

fn check_weights(weights: &[f64], others: &[(&'static str, usize)]) -> Result<(), MixtureError> {
    if weights.is_empty() {
        return Err(MixtureError::Empty);
    }
    for &(what, found) in others {
        if found != weights.len() {
            return Err(MixtureError::LengthMismatch {
                what,
                expected: weights.len(),
                found,
            });
        }
    }
    for (k, &w) in weights.iter().enumerate() {
        if !w.is_finite() {
            return Err(MixtureError::NonFiniteWeight {
                component: k,
                weight: w,
            });
        }
        if w < 0.0 {
            return Err(MixtureError::NegativeWeight {
                component: k,
                weight: w,
            });
        }
    }
    let sum: f64 = weights.iter().sum();
    if (sum - 1.0).abs() > TOLERANCE {
        return Err(MixtureError::WeightsDoNotSumToOne { sum });
    }
    Ok(())
}

impl Dimension for GaussianMixture {
    fn dim(&self) -> usize {
        self.dim
    }

    #[inline(always)]
    fn block_kernel(&self) -> Option<&dyn BlockKernel> {
        Some(self)
    }
}

impl LogDensity for GaussianMixture {
    fn log_prob(&self, x: &[f64]) -> f64 {
        self.log_prob_and_score(x, None)
    }

    /// In parallel, by blocks of points for d ≤ 3; identical to [`log_prob`](Self::log_prob) on
    /// each point.
    fn log_prob_batch(&self, points: &[f64], out: &mut [f64]) -> Result<(), BatchError> {
        check_batch(self.dim, points.len(), out.len(), 1)?;
        batch::log_prob_batch_checked(self, points, out);
        Ok(())
    }
}

impl Score for GaussianMixture {
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        self.log_prob_and_score(x, Some(out));
    }

    /// In parallel, by blocks of points for d ≤ 3; identical to [`score_into`](Self::score_into)
    /// on each point.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new(&[1.0], &[[1.0, 2.0]], &[[[1.0, 0.0], [0.0, 4.0]]])?;
    /// let grid: Vec<f64> = (0..100).flat_map(|i| [i as f64 * 0.1, -1.0]).collect();
    /// let mut scores = vec![0.0; grid.len()];
    /// gm.score_batch(&grid, &mut scores)?;
    /// assert_eq!(&scores[2..4], gm.score(&[0.1, -1.0]).as_slice());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn score_batch(&self, points: &[f64], out: &mut [f64]) -> Result<(), BatchError> {
        check_batch(self.dim, points.len(), out.len(), self.dim)?;
        batch::score_batch_checked(self, points, out);
        Ok(())
    }

    /// One Gaussian's cost per component.
    fn evaluation_cost(&self) -> f64 {
        self.n_components() as f64 * crate::model::score::gaussian_cost(self.dim)
    }
}

/// The vector kernels of dimension 1, 2 and 3 (see [`fixed`]); in other dimensions the blocks
/// go point by point through the general path.
impl BlockKernel for GaussianMixture {
    /// By the vector kernel of dimension 1, 2 or 3, bit-identical to
    /// [`score_into`](Score::score_into) on each point (lanes beyond its reach, far out or
    /// non-finite, are evaluated by `score_into` itself).
    #[inline(always)]
    fn score_lanes(&self, x: &[[f64; LANES]], out: &mut [[f64; LANES]]) {
        match &self.kernel {
            Kernel::D1(k) => batch::score_block_with(self, k, x, out, None),
            Kernel::D2(k) => batch::score_block_with(self, k, x, out, None),
            Kernel::D3(k) => batch::score_block_with(self, k, x, out, None),
            Kernel::None => batch::score_lanes_one_by_one(self, x, out, [true; LANES]),
        }
    }

    /// By one pass of the vector kernel of dimension 1, 2 or 3: its log-sum-exp gives log p,
    /// bit-identical to [`log_prob`](LogDensity::log_prob) on each point.
    #[inline(always)]
    fn score_and_log_prob_lanes(
        &self,
        x: &[[f64; LANES]],
        out: &mut [[f64; LANES]],
    ) -> Option<[f64; LANES]> {
        let mut log_p = [0.0; LANES];
        match &self.kernel {
            Kernel::D1(k) => batch::score_block_with(self, k, x, out, Some(&mut log_p)),
            Kernel::D2(k) => batch::score_block_with(self, k, x, out, Some(&mut log_p)),
            Kernel::D3(k) => batch::score_block_with(self, k, x, out, Some(&mut log_p)),
            Kernel::None => {
                batch::score_lanes_one_by_one(self, x, out, [true; LANES]);
                return None;
            }
        }
        Some(log_p)
    }

    /// By the vector kernel of dimension 1, 2 or 3, bit-identical to
    /// [`log_prob`](LogDensity::log_prob) on each point.
    #[inline(always)]
    fn log_prob_lanes(&self, x: &[[f64; LANES]]) -> [f64; LANES] {
        match &self.kernel {
            Kernel::D1(k) => batch::log_prob_block_with(self, k, x),
            Kernel::D2(k) => batch::log_prob_block_with(self, k, x),
            Kernel::D3(k) => batch::log_prob_block_with(self, k, x),
            Kernel::None => {
                let mut lp = [0.0; LANES];
                batch::log_prob_lanes_one_by_one(self, x, &mut lp, [true; LANES]);
                lp
            }
        }
    }
}
