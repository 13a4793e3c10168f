//! The ordinary score: the gradient of log p with respect to a *parameter*, not the point.
//!
//! Statistics calls $\nabla_\theta \log p_\theta(x)$ "the score" (Fisher's): it says how to move
//! the parameters to make an observed x more likely. Score-based generative modelling uses the
//! Stein score $\nabla_x \log p(x)$ instead: how to move the *point* towards higher density.
//! For a mixture and the mean of component k,
//!
//! $$\nabla_{\mu_k} \log p(x) = r_k(x)\, \Sigma_k^{-1} (x - \mu_k),$$
//!
//! the Stein score's k-th term with the sign flipped: they sum to $-s(x)$ over k.

use crate::model::mixture::GaussianMixture;

impl GaussianMixture {
    /// $\nabla_{\mu_k} \log p(x) = r_k(x)\,\Sigma_k^{-1}(x - \mu_k)$, or `None` if there is no
    /// component k.
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
    pub fn mean_score(&self, x: &[f64], k: usize) -> Option<Vec<f64>> {
        if k >= self.n_components() {
            return None;
        }
        let r = self.responsibilities(x)[k];
        Some(
            self.precision_times_delta(k, x)
                .into_iter()
                .map(|g| r * g)
                .collect(),
        )
    }
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
}
