//! The one definition of each piece of a Langevin transition, applied coordinate by coordinate:
//! by the point-by-point path and, lane by lane, by the vector path (so both give the same bits).
//!
//! - Move: $x' = x + (\varepsilon\, s(x) + \sqrt{2\varepsilon}\, z)$, the ULA step and MALA's proposal.
//! - MALA: accept when $\ln u < \log\alpha$ with
//!   $\log \alpha = \log p(x') - \log p(x) + \frac{\lVert x' - x - \varepsilon s(x)\rVert^2 - \lVert x - x' - \varepsilon s(x')\rVert^2}{4\varepsilon}$.
//! - Divergence: a coordinate that is NaN or infinite, or beyond [`DIVERGENCE_BOUND`].

pub use crate::error::DivergenceTrigger;

/// A state coordinate beyond this magnitude counts as divergence: past it the target's density
/// underflows f64 entirely (|x − μ|² ≳ 10³⁰⁰), so the chain has left every region that matters.
pub const DIVERGENCE_BOUND: f64 = 1e150;

/// One coordinate of a Langevin move: x + (ε s + √(2ε) z), with `noise` = √(2ε).
#[inline(always)]
pub(crate) fn langevin_move(x: f64, score: f64, z: f64, eps: f64, noise: f64) -> f64 {
    x + (eps * score + noise * z)
}

/// The terms of coordinate i in MALA's proposal densities: (x'ᵢ − xᵢ − ε sᵢ(x))² and
/// (xᵢ − x'ᵢ − ε sᵢ(x'))², summed in coordinate order into the forward and backward norms.
#[inline(always)]
pub(crate) fn mala_terms(
    proposal: f64,
    x: f64,
    score: f64,
    proposal_score: f64,
    eps: f64,
) -> (f64, f64) {
    let f = proposal - x - eps * score;
    let b = x - proposal - eps * proposal_score;
    (f * f, b * b)
}

/// Whether MALA accepts: ln u < log α. A NaN log α (e.g. an underflowed density) rejects.
#[inline(always)]
pub(crate) fn mala_accepts(
    u: f64,
    log_p_proposal: f64,
    log_p: f64,
    forward: f64,
    backward: f64,
    eps: f64,
) -> bool {
    u.ln() < log_p_proposal - log_p + (forward - backward) / (4.0 * eps)
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
