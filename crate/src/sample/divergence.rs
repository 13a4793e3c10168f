//! When a run has diverged: a coordinate that is NaN or infinite, or beyond [`DIVERGENCE_BOUND`].

use std::fmt;

/// A state coordinate beyond this magnitude counts as divergence: past it the target's density
/// underflows f64 entirely (|x − μ|² ≳ 10³⁰⁰), so the chain has left every region that matters.
pub const DIVERGENCE_BOUND: f64 = 1e150;

/// Which divergence rule stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DivergenceTrigger {
    /// A coordinate became NaN or infinite.
    NonFinite,
    /// A coordinate exceeded [`DIVERGENCE_BOUND`] in magnitude.
    Bound,
}

/// What happened to the state: "became infinite or NaN", or "left |x| <= 1e150".
impl fmt::Display for DivergenceTrigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DivergenceTrigger::NonFinite => write!(f, "became infinite or NaN"),
            DivergenceTrigger::Bound => write!(f, "left |x| <= {DIVERGENCE_BOUND:e}"),
        }
    }
}

/// Whether a coordinate has diverged: NaN, infinite, or beyond [`DIVERGENCE_BOUND`].
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)] // one comparison, false for NaN: vectorises best
pub(crate) fn diverges(v: f64) -> bool {
    !(v.abs() <= DIVERGENCE_BOUND)
}

/// Which divergence rule a coordinate breaks, if any.
#[inline(always)]
pub(crate) fn divergence(v: f64) -> Option<DivergenceTrigger> {
    if !diverges(v) {
        None
    } else if v.is_finite() {
        Some(DivergenceTrigger::Bound)
    } else {
        Some(DivergenceTrigger::NonFinite)
    }
}

/// The rule a point breaks, non-finite first.
#[inline(always)]
pub(crate) fn point_divergence(x: &[f64]) -> Option<DivergenceTrigger> {
    x.iter().filter_map(|&v| divergence(v)).min()
}
