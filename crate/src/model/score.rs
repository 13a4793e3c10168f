//! The two things a sampler or a figure asks of a density: its log-density and its score.
//!
//! The (Stein) score of a density p on ℝᵈ is the gradient of its log with respect to the point,
//! $s(x) = \nabla_x \log p(x)$. It needs no normalising constant, which is why a learned model
//! can supply it. Samplers bound only what they use: [`Ula`](crate::Ula) needs [`Score`];
//! figures of the field need both.

use std::borrow::Cow;

use ndarray::{Array1, Array2, ArrayView2};

use crate::model::block_kernel::BlockKernel;
use crate::model::error::BatchError;

/// A space of fixed dimension d.
pub trait Dimension {
    /// The dimension d of points `x` this density accepts.
    fn dim(&self) -> usize;

    /// The vector kernel that evaluates blocks of points for the samplers, if the type has one
    /// (the mixture's in d ≤ 3). The default, `None`, evaluates them point by point.
    #[doc(hidden)]
    fn block_kernel(&self) -> Option<&dyn BlockKernel> {
        None
    }
}

/// A (possibly unnormalised) log-density, log p(x).
pub trait LogDensity: Dimension {
    /// log p(x). `x.len()` must equal [`dim`](Dimension::dim).
    ///
    /// # Panics
    /// The implementations in this crate panic if `x` has another length, with a message
    /// naming both lengths.
    fn log_prob(&self, x: &[f64]) -> f64;

    /// log p at n points at once: `points` holds them one after another (n × d values), `out`
    /// receives n values. The default calls [`log_prob`](Self::log_prob) on each point;
    /// [`GaussianMixture`](crate::GaussianMixture) overrides it with a parallel kernel giving identical results.
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

    /// log p at the n rows of an n × d array, through [`log_prob_batch`](Self::log_prob_batch).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    /// let xs = ndarray::Array::linspace(-3.0, 3.0, 7).insert_axis(ndarray::Axis(1));
    /// let lp = gm.log_prob_rows(xs.view())?;
    /// assert_eq!(lp[3], gm.log_prob(&[0.0]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`BatchError::Columns`] unless the array has d columns.
    fn log_prob_rows(&self, points: ArrayView2<'_, f64>) -> Result<Array1<f64>, BatchError> {
        let flat = standard_rows(self.dim(), &points)?;
        let mut out = Array1::zeros(points.nrows());
        let values = out.as_slice_mut().unwrap_or_default();
        self.log_prob_batch(&flat, values)?;
        Ok(out)
    }
}

/// The score s(x) = ∇ₓ log p(x).
pub trait Score: Dimension {
    /// Writes s(x) into `out`. `x` and `out` must both have length [`dim`](Dimension::dim).
    ///
    /// # Panics
    /// The implementations in this crate panic if `x` or `out` has another length, with a
    /// message naming both lengths, e.g. "x has length 3, the mixture has dimension 2".
    fn score_into(&self, x: &[f64], out: &mut [f64]);

    /// s(x) as a new vector.
    ///
    /// # Panics
    /// As [`score_into`](Self::score_into).
    fn score(&self, x: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; self.dim()];
        self.score_into(x, &mut out);
        out
    }

    /// s at n points at once: `points` holds them one after another (n × d values), `out`
    /// receives the n scores the same way. The default calls [`score_into`](Self::score_into) on
    /// each point; [`GaussianMixture`](crate::GaussianMixture) overrides it with a parallel kernel giving identical results.
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

    /// s at the n rows of an n × d array, as an n × d array, through
    /// [`score_batch`](Self::score_batch).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new(&[1.0], &[[1.0, 2.0]], &[[[1.0, 0.0], [0.0, 4.0]]])?;
    /// let points = ndarray::array![[1.0, 2.0], [2.0, 2.0], [1.0, 6.0]];
    /// let s = gm.score_rows(points.view())?;
    /// assert_eq!(s, ndarray::array![[0.0, 0.0], [-1.0, 0.0], [0.0, -1.0]]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`BatchError::Columns`] unless the array has d columns.
    fn score_rows(&self, points: ArrayView2<'_, f64>) -> Result<Array2<f64>, BatchError> {
        let flat = standard_rows(self.dim(), &points)?;
        let mut out = Array2::zeros(points.raw_dim());
        let values = out.as_slice_mut().unwrap_or_default();
        self.score_batch(&flat, values)?;
        Ok(out)
    }

    /// The rough cost of one evaluation, in multiply-adds with an `exp` counted as 20: what the
    /// [work budget](crate::limits::work_budget) turns a run's size into time with. The default
    /// is one Gaussian's in dimension d, d(d + 1)/2 + d + 20; a score that costs much more
    /// should say so, so that a run of hours is refused before it starts.
    fn evaluation_cost(&self) -> f64 {
        gaussian_cost(self.dim())
    }
}

/// The cost of one Gaussian's score in dimension d (see [`Score::evaluation_cost`]): a
/// triangular solve, the quadratic form and one `exp`.
pub(crate) fn gaussian_cost(d: usize) -> f64 {
    let d = d as f64;
    d * (d + 1.0) / 2.0 + d + 20.0
}

/// The rows of `points` as one flat row-major buffer, after checking there are `dim` columns.
fn standard_rows<'a>(
    dim: usize,
    points: &'a ArrayView2<'_, f64>,
) -> Result<Cow<'a, [f64]>, BatchError> {
    if points.ncols() != dim {
        return Err(BatchError::Columns {
            expected: dim,
            found: points.ncols(),
        });
    }
    Ok(match points.as_slice() {
        Some(flat) => Cow::Borrowed(flat),
        None => Cow::Owned(points.iter().copied().collect()),
    })
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
