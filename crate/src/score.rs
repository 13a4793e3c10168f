//! The two things a sampler or a figure asks of a density: its log-density and its score.
//!
//! The (Stein) score of a density p on ℝᵈ is the gradient of its log with respect to the point,
//! $s(x) = \nabla_x \log p(x)$. It needs no normalising constant, which is why a learned model
//! can supply it. Samplers bound only what they use: [`Ula`](crate::Ula) needs [`Score`];
//! figures of the field need both.

/// A space of fixed dimension d.
pub trait Dimension {
    /// The dimension d of points `x` this density accepts.
    fn dim(&self) -> usize;
}

/// A (possibly unnormalised) log-density, log p(x).
pub trait LogDensity: Dimension {
    /// log p(x). `x.len()` must equal [`dim`](Dimension::dim).
    fn log_prob(&self, x: &[f64]) -> f64;
}

/// The score s(x) = ∇ₓ log p(x).
pub trait Score: Dimension {
    /// Writes s(x) into `out`. `x` and `out` must both have length [`dim`](Dimension::dim).
    fn score_into(&self, x: &[f64], out: &mut [f64]);

    /// s(x) as a new vector.
    fn score(&self, x: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.dim()];
        self.score_into(x, &mut out);
        out
    }
}

/// Central finite difference of `log_prob`, (log p(x + h eᵢ) − log p(x − h eᵢ)) / 2h, per
/// coordinate: the numerical score to check an analytic one against. Its error is O(h²).
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
/// let fd = finite_difference_score(&gm, &[0.7], 1e-5);
/// assert!((fd[0] - gm.score(&[0.7])[0]).abs() < 1e-8);
/// ```
pub fn finite_difference_score<D: LogDensity + ?Sized>(density: &D, x: &[f64], h: f64) -> Vec<f64> {
    let mut probe = x.to_vec();
    (0..x.len())
        .map(|i| {
            probe[i] = x[i] + h;
            let up = density.log_prob(&probe);
            probe[i] = x[i] - h;
            let down = density.log_prob(&probe);
            probe[i] = x[i];
            (up - down) / (2.0 * h)
        })
        .collect()
}

/// A density whose log and score are both known: what figures of the field draw.
/// Every type with [`LogDensity`] and [`Score`] is one.
pub trait Density: LogDensity + Score {}

impl<T: LogDensity + Score + ?Sized> Density for T {}
