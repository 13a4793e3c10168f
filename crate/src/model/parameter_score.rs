//! The ordinary score: the gradient of log p with respect to the *parameters*, not the point.
//!
//! Statistics calls $\nabla_\theta \log p_\theta(x)$ "the score" (Fisher's): it says how to move
//! the parameters to make an observed x more likely. Score-based generative modelling uses the
//! Stein score $\nabla_x \log p(x)$ instead: how to move the *point* towards higher density.
//!
//! A mixture is parameterised without constraints by [`MixtureParameters`]: softmax logits
//! $a$ ($w = \operatorname{softmax}(a)$), means $\mu_k$ and lower-triangular Cholesky factors
//! $L_k$ ($\Sigma_k = L_k L_k^\top$). With $\delta_k = x - \mu_k$, $v_k = \Sigma_k^{-1}\delta_k$,
//! $y_k = L_k^{-1}\delta_k$ and responsibilities $r_k(x)$:
//!
//! $$\frac{\partial \log p}{\partial a_k} = r_k - w_k,\qquad
//! \nabla_{\mu_k} \log p = r_k\, v_k,\qquad
//! \frac{\partial \log p}{\partial (L_k)_{ij}} = r_k \big(v_{k,i}\, y_{k,j} - [i = j]/(L_k)_{ii}\big)
//! \quad (i \ge j).$$
//!
//! The mean terms are the Stein score's k-th terms with the sign flipped: they sum to $-s(x)$.

use crate::model::error::MixtureError;
use crate::model::mixture::GaussianMixture;
use crate::model::mixture::white;
use crate::model::scaled::{Factor, offset_factors, product};
use crate::model::score::Dimension;
use crate::numeric::linalg;

/// Unconstrained mixture parameters θ = (logits, means, Cholesky factors), the coordinates in
/// which [`GaussianMixture::parameter_score`] is the gradient.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.25, 0.75], &[-1.0, 2.0], &[0.5, 2.0])?;
/// let theta = MixtureParameters::of(&gm);
/// assert_eq!(theta.len(), 6); // 2 logits, 2 means, 2 factors
/// let back = theta.to_mixture()?;
/// assert!((back.weights()[1] - 0.75).abs() < 1e-12);
/// # Ok::<(), MixtureError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MixtureParameters {
    dim: usize,
    /// Softmax logits a₁ … a_K.
    pub logits: Vec<f64>,
    /// K × d means, row per component.
    pub means: Vec<f64>,
    /// K × d × d lower-triangular Cholesky factors, row-major (upper entries stay 0).
    pub cholesky: Vec<f64>,
}

impl MixtureParameters {
    /// The parameters of `mixture` (logits log wₖ, centred; Cholesky factors with positive
    /// diagonal).
    pub fn of(mixture: &GaussianMixture) -> Self {
        let d = mixture.dim();
        let k = mixture.n_components();
        let logs: Vec<f64> = mixture.weights().iter().map(|w| w.ln()).collect();
        let finite: Vec<f64> = logs.iter().copied().filter(|l| l.is_finite()).collect();
        let centre = finite.iter().sum::<f64>() / finite.len().max(1) as f64;
        let mut means = Vec::with_capacity(k * d);
        let mut cholesky = Vec::with_capacity(k * d * d);
        for c in 0..k {
            means.extend_from_slice(mixture.mean(c).unwrap_or_default());
            let cov = mixture.covariance(c).unwrap_or_default();
            cholesky.extend(linalg::cholesky(cov, d).unwrap_or_else(|| vec![0.0; d * d]));
        }
        MixtureParameters {
            dim: d,
            logits: logs.iter().map(|l| (l - centre).max(-700.0)).collect(),
            means,
            cholesky,
        }
    }

    /// The dimension d of the mixture.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of free numbers: K (logits) + K d (means) + K d (d + 1)/2 (factors' lower triangles).
    pub fn len(&self) -> usize {
        let (k, d) = (self.logits.len(), self.dim);
        k * (1 + d + d * (d + 1) / 2)
    }

    /// Whether there are no components.
    pub fn is_empty(&self) -> bool {
        self.logits.is_empty()
    }

    /// θ as one flat vector: logits, then means, then each factor's lower triangle by rows.
    pub fn to_vec(&self) -> Vec<f64> {
        let d = self.dim;
        let mut v = self.logits.clone();
        v.extend_from_slice(&self.means);
        for l in self.cholesky.chunks_exact(d * d) {
            for i in 0..d {
                v.extend_from_slice(&l[i * d..=i * d + i]);
            }
        }
        v
    }

    /// Overwrites θ from a flat vector laid out as [`to_vec`](Self::to_vec) (extra values are
    /// ignored, missing ones leave θ unchanged).
    pub fn set_from(&mut self, v: &[f64]) {
        if v.len() < self.len() {
            return;
        }
        let (k, d) = (self.logits.len(), self.dim);
        self.logits.copy_from_slice(&v[..k]);
        self.means.copy_from_slice(&v[k..k + k * d]);
        let mut at = k + k * d;
        for l in self.cholesky.chunks_exact_mut(d * d) {
            for i in 0..d {
                l[i * d..=i * d + i].copy_from_slice(&v[at..=at + i]);
                at += i + 1;
            }
        }
    }

    /// The weights softmax(a).
    pub fn weights(&self) -> Vec<f64> {
        let max = self
            .logits
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = self.logits.iter().map(|a| (a - max).exp()).collect();
        let sum: f64 = e.iter().sum();
        e.iter().map(|v| v / sum).collect()
    }

    /// The mixture these parameters describe, Σₖ = Lₖ Lₖᵀ.
    ///
    /// # Errors
    /// A [`MixtureError`] if a factor is singular (a zero on its diagonal) or a value is not
    /// finite.
    pub fn to_mixture(&self) -> Result<GaussianMixture, MixtureError> {
        let d = self.dim;
        let k = self.logits.len();
        let weights = self.weights();
        if let Some(c) = weights.iter().position(|w| !w.is_finite()) {
            return Err(MixtureError::NonFiniteWeight {
                component: c,
                weight: weights[c],
            });
        }
        let means: Vec<&[f64]> = self.means.chunks_exact(d).collect();
        let covs: Vec<Vec<Vec<f64>>> = self
            .cholesky
            .chunks_exact(d * d)
            .map(|l| {
                (0..d)
                    .map(|i| {
                        (0..d)
                            .map(|j| (0..d).map(|m| l[i * d + m] * l[j * d + m]).sum())
                            .collect()
                    })
                    .collect()
            })
            .collect();
        debug_assert_eq!(covs.len(), k);
        GaussianMixture::new(&weights, &means, &covs)
    }
}

/// $\nabla_\theta \log p_\theta(x)$ in the coordinates of [`MixtureParameters`], laid out the
/// same way ([`to_vec`](Self::to_vec) matches [`MixtureParameters::to_vec`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterScore {
    dim: usize,
    /// ∂ log p / ∂aₖ = rₖ − wₖ.
    pub logits: Vec<f64>,
    /// ∇_μₖ log p = rₖ Σₖ⁻¹(x − μₖ), K × d.
    pub means: Vec<f64>,
    /// ∂ log p / ∂(Lₖ)ᵢⱼ for i ≥ j, K × d × d (upper entries 0).
    pub cholesky: Vec<f64>,
}

impl ParameterScore {
    /// The gradient as one flat vector, in the layout of [`MixtureParameters::to_vec`].
    pub fn to_vec(&self) -> Vec<f64> {
        let d = self.dim;
        let mut v = self.logits.clone();
        v.extend_from_slice(&self.means);
        for l in self.cholesky.chunks_exact(d * d) {
            for i in 0..d {
                v.extend_from_slice(&l[i * d..=i * d + i]);
            }
        }
        v
    }
}

impl GaussianMixture {
    /// $\nabla_{\mu_k} \log p(x) = r_k(x)\,\Sigma_k^{-1}(x - \mu_k)$, or `None` if there is no
    /// component k. Exactly 0 where $r_k$ underflows to 0 (far from component k); for every
    /// finite x, finite where the true value is and an infinity of its sign where it is beyond
    /// f64's range (offsets that overflow are recomputed with a power of two factored out).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    /// let x = [0.5];
    /// // Summed over components, the mean scores are minus the Stein score.
    /// let total = gm.mean_score(&x, 0).unwrap()[0] + gm.mean_score(&x, 1).unwrap()[0];
    /// assert!((total + gm.score(&x)[0]).abs() < 1e-12);
    /// # Ok::<(), MixtureError>(())
    /// ```
    ///
    /// # Panics
    /// If `x` does not have the mixture's dimension, like [`score`](crate::Score::score).
    pub fn mean_score(&self, x: &[f64], k: usize) -> Option<Vec<f64>> {
        if k >= self.n_components() {
            return None;
        }
        let r = self.responsibilities(x)[k];
        let (_, v) = offset_factors(self, k, x);
        Some(mean_terms(r, &v))
    }

    /// The ordinary score $\nabla_\theta \log p_\theta(x)$ with respect to every parameter:
    /// softmax logits ($r_k - w_k$), means ($r_k\Sigma_k^{-1}\delta_k$) and Cholesky factors
    /// ($r_k(v_{k,i}y_{k,j} - [i=j]/(L_k)_{ii})$), in the layout of [`MixtureParameters`].
    /// Like [`mean_score`](Self::mean_score), finite where the truth is and an infinity of the
    /// right sign where it is beyond f64's range, for every finite x.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    /// let g = gm.parameter_score(&[-2.0]);
    /// // At the first mean, log p rises with that component's weight and not with its mean.
    /// assert!(g.logits[0] > 0.0 && g.means[0] == 0.0);
    /// # Ok::<(), MixtureError>(())
    /// ```
    ///
    /// # Panics
    /// If `x` does not have the mixture's dimension, like [`score`](crate::Score::score).
    pub fn parameter_score(&self, x: &[f64]) -> ParameterScore {
        let d = self.dim();
        let r = self.responsibilities(x);
        let w = self.weights();
        let mut means = Vec::with_capacity(r.len() * d);
        let mut cholesky = vec![0.0; r.len() * d * d];
        for (k, &rk) in r.iter().enumerate() {
            let (y, v) = offset_factors(self, k, x);
            let rv = mean_terms(rk, &v);
            means.extend_from_slice(&rv);
            if rk == 0.0 {
                continue;
            }
            // L's diagonal is the inverse of L⁻¹'s.
            let white = white(self, k);
            let g = &mut cholesky[k * d * d..(k + 1) * d * d];
            for i in 0..d {
                for j in 0..=i {
                    let diag = if i == j { white[i * d + i] } else { 0.0 };
                    let plain = rv[i] * y[j].0;
                    g[i * d + j] = if v[i].1 == 0 && y[j].1 == 0 && plain.is_finite() {
                        plain - rk * diag
                    } else {
                        // r vᵢ yⱼ beyond f64 (or only its factor r vᵢ or yⱼ): from the factors.
                        let exact = product(&[(rk, 0), v[i], y[j]]);
                        if exact.is_finite() {
                            exact - rk * diag
                        } else {
                            exact
                        }
                    };
                }
            }
        }
        ParameterScore {
            dim: d,
            logits: r.iter().zip(w).map(|(r, w)| r - w).collect(),
            means,
            cholesky,
        }
    }
}

/// $r\,\Sigma_k^{-1}\delta_k$ from the factors of $v_k$: exactly 0 when r is 0 (where
/// $\Sigma_k^{-1}\delta_k$ may be beyond f64's range and 0 · ∞ would be NaN).
fn mean_terms(r: f64, v: &[Factor]) -> Vec<f64> {
    v.iter()
        .map(|&(f, e)| {
            if r == 0.0 {
                0.0
            } else if e == 0 {
                r * f
            } else {
                product(&[(r, 0), (f, e)])
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn mean_score_is_the_gradient_in_the_mean() {
        // Finite difference in μ₁ of log p at a fixed x.
        let (w, m, s) = ([0.3, 0.7], [-1.0, 1.5], [0.8, 1.2]);
        let gm = GaussianMixture::new_1d(&w, &m, &s).unwrap();
        let x = [0.4];
        let h = 1e-6;
        let shifted = |dm: f64| {
            GaussianMixture::new_1d(&w, &[m[0], m[1] + dm], &s)
                .unwrap()
                .log_prob(&x)
        };
        let numeric = (shifted(h) - shifted(-h)) / (2.0 * h);
        let analytic = gm.mean_score(&x, 1).unwrap()[0];
        assert!((numeric - analytic).abs() < 1e-7, "{numeric} vs {analytic}");
        assert!(gm.mean_score(&x, 2).is_none());
    }

    #[test]
    fn mean_score_far_away_is_exact_not_nan() {
        // At (f64::MAX, 0) component 1 is nearer; component 0's responsibility underflows to 0
        // while Σ⁻¹δ overflows: the product must be 0, not NaN.
        let gm = GaussianMixture::new(
            &[0.5, 0.5],
            &[[-3.0, 0.0], [3.0, 0.0]],
            &[[[0.25, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]],
        )
        .unwrap();
        let x = [f64::MAX, 0.0];
        // The premise: r₀ is exactly 0 and Σ₀⁻¹δ₀ = (4(x₀ + 3), 0) is beyond f64, so a plain
        // product would be NaN.
        assert_eq!(gm.responsibilities(&x)[0], 0.0);
        assert!((4.0 * (x[0] + 3.0)).is_infinite());
        let far = gm.mean_score(&x, 0).unwrap();
        assert_eq!(far, vec![0.0, 0.0]);
        assert!(gm.parameter_score(&x).means.iter().all(|v| !v.is_nan()));
    }
}
