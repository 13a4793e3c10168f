//! A vector kernel: what a type evaluating [`LANES`] points at once offers through
//! [`Dimension::block_kernel`](crate::Dimension::block_kernel).

use crate::numeric::simd::LANES;

/// A vector kernel evaluating [`LANES`] points at once, offered through
/// [`Dimension::block_kernel`](crate::Dimension::block_kernel). Each method must give the same
/// bits as the per-point methods.
#[doc(hidden)]
pub trait BlockKernel {
    /// s at the points of the block `x`, into `out` (d × [`LANES`] each).
    fn score_lanes(&self, x: &[[f64; LANES]], out: &mut [[f64; LANES]]);

    /// s into `out`, and log p at the same points when the kernel's pass yields it.
    fn score_and_log_prob_lanes(
        &self,
        x: &[[f64; LANES]],
        out: &mut [[f64; LANES]],
    ) -> Option<[f64; LANES]>;

    /// log p at the points of the block `x`.
    fn log_prob_lanes(&self, x: &[[f64; LANES]]) -> [f64; LANES];
}
