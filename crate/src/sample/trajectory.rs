//! The recorded states of one sampler run.

use ndarray::ArrayView2;

use crate::sample::record::Record;

/// The states x₀, x₁, …, x_T of one sampler run, each of dimension d — or, for a run with
/// [`Record::Every(k)`](crate::Record::Every), the states at steps 0, k, 2k, … and T. Serialises to JSON
/// (`serde_json::to_string(&path)`) for saving runs.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trajectory {
    dim: usize,
    /// One row of d per recorded state.
    points: Vec<f64>,
    /// The step number of each recorded state, ascending.
    steps: Vec<usize>,
    acceptance_rate: Option<f64>,
}

impl Trajectory {
    pub(crate) fn new(
        dim: usize,
        points: Vec<f64>,
        steps: Vec<usize>,
        acceptance_rate: Option<f64>,
    ) -> Self {
        Trajectory {
            dim,
            points,
            steps,
            acceptance_rate,
        }
    }

    /// The bytes a run of `n_steps` steps in dimension `dim`, keeping the states `record`
    /// says, allocates for its trajectory: per recorded state its d coordinates, its step
    /// number and, while the run lasts, a slice into it — (d + 3) words. This is the amount
    /// checked against the [memory budget](crate::memory_budget) before the run starts.
    ///
    /// ```
    /// use scorelab::{Record, Trajectory};
    /// // 10⁶ steps in 2-D: 40 MB for every step, 400 kB for every 100th.
    /// assert_eq!(Trajectory::memory_estimate(2, 1_000_000, Record::Every(1)), 40_000_040);
    /// assert_eq!(Trajectory::memory_estimate(2, 1_000_000, Record::Every(100)), 400_040);
    /// assert_eq!(Trajectory::memory_estimate(2, 1_000_000, Record::Ends), 80);
    /// ```
    pub fn memory_estimate(dim: usize, n_steps: usize, record: Record) -> usize {
        record
            .len(n_steps)
            .saturating_mul(dim.saturating_add(3))
            .saturating_mul(std::mem::size_of::<f64>())
    }

    /// Fraction of accepted proposals, for samplers with an accept step (MALA); `None` otherwise.
    pub fn acceptance_rate(&self) -> Option<f64> {
        self.acceptance_rate
    }

    /// Number of recorded states: T + 1 (the start included) when every step is recorded.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether there are no states (never true for a trajectory from a sampler).
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The state at step t, or `None` past the end or if step t was not recorded.
    pub fn point(&self, t: usize) -> Option<&[f64]> {
        let i = self.steps.binary_search(&t).ok()?;
        self.points.get(i * self.dim..(i + 1) * self.dim)
    }

    /// The step number of each recorded state, in order: 0, 1, …, T, or 0, k, 2k, …, T for a
    /// run with [`Record::Every(k)`](crate::Record::Every).
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// The recorded states in order.
    pub fn points(&self) -> impl Iterator<Item = &[f64]> + '_ {
        self.points.chunks_exact(self.dim)
    }

    /// Coordinate `axis` of every recorded state (empty if `axis >= d`).
    pub fn coordinate(&self, axis: usize) -> Vec<f64> {
        if axis >= self.dim {
            return Vec::new();
        }
        self.points().map(|p| p[axis]).collect()
    }

    /// The recorded states as a [`len`](Self::len) × d array view, row i being the state at
    /// step [`steps()[i]`](Self::steps).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let path = Ula::new(0.1)?.run(&gm, &[2.0], 10, 1)?;
    /// let states = path.view();
    /// assert_eq!(states.dim(), (11, 1));
    /// assert_eq!(states[[0, 0]], 2.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn view(&self) -> ArrayView2<'_, f64> {
        ArrayView2::from_shape((self.len(), self.dim), &self.points)
            .unwrap_or_else(|_| unreachable!("a trajectory holds whole states"))
    }
}
