//! The two things a sampler or a figure asks of a density: its log-density and its score.
//!
//! The (Stein) score of a density p on ℝᵈ is the gradient of its log with respect to the point,
//! $s(x) = \nabla_x \log p(x)$. It needs no normalising constant, which is why a learned model
//! can supply it. Samplers bound only what they use: [`Ula`](crate::Ula) needs [`Score`];
//! figures of the field need both.

use crate::error::BatchError;
use crate::model::mixture::GaussianMixture;

/// A space of fixed dimension d.
pub trait Dimension {
    /// The dimension d of points `x` this density accepts.
    fn dim(&self) -> usize;
}

/// A (possibly unnormalised) log-density, log p(x).
pub trait LogDensity: Dimension {
    /// log p(x). `x.len()` must equal [`dim`](Dimension::dim).
    fn log_prob(&self, x: &[f64]) -> f64;

    /// log p at n points at once: `points` holds them one after another (n × d values), `out`
    /// receives n values. The default calls [`log_prob`](Self::log_prob) on each point;
    /// [`GaussianMixture`] overrides it with a parallel kernel giving identical results.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    /// let mut out = [0.0; 3];
    /// gm.log_prob_batch(&[-1.0, 0.0, 1.0], &mut out)?;
    /// assert_eq!(out[1], gm.log_prob(&[0.0]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`BatchError`] if `points` is not whole points or `out` does not have length n.
    fn log_prob_batch(&self, points: &[f64], out: &mut [f64]) -> Result<(), BatchError> {
        let d = check_batch(self.dim(), points.len(), out.len(), 1)?;
        for (x, o) in points.chunks_exact(d).zip(out.iter_mut()) {
            *o = self.log_prob(x);
        }
        Ok(())
    }
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

    /// s at n points at once: `points` holds them one after another (n × d values), `out`
    /// receives the n scores the same way. The default calls [`score_into`](Self::score_into) on
    /// each point; [`GaussianMixture`] overrides it with a parallel kernel giving identical results.
    ///
    /// # Errors
    /// [`BatchError`] if `points` is not whole points or `out` has another length.
    fn score_batch(&self, points: &[f64], out: &mut [f64]) -> Result<(), BatchError> {
        let d = check_batch(self.dim(), points.len(), out.len(), self.dim())?;
        for (x, s) in points.chunks_exact(d).zip(out.chunks_exact_mut(d)) {
            self.score_into(x, s);
        }
        Ok(())
    }

    /// The Gaussian mixture this is the score of, if it is one. Samplers then run it through
    /// kernels specialised to small dimensions (same numbers, several times faster). The
    /// default, `None`, leaves them to [`score_into`](Self::score_into); an implementation must
    /// return `Some` only if its `score_into` is exactly that mixture's.
    fn as_gaussian_mixture(&self) -> Option<&GaussianMixture> {
        None
    }
}

/// Checks a batch: `len` values of points of dimension `dim`, `out_len` outputs of `per_point`
/// values each. Returns the dimension.
pub(crate) fn check_batch(
    dim: usize,
    len: usize,
    out_len: usize,
    per_point: usize,
) -> Result<usize, BatchError> {
    if dim == 0 || !len.is_multiple_of(dim) {
        return Err(BatchError::RaggedPoints { len, dim });
    }
    let expected = len / dim * per_point;
    if out_len != expected {
        return Err(BatchError::OutputLength {
            expected,
            found: out_len,
        });
    }
    Ok(dim)
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
