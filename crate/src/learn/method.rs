//! The ways θ can be fit: contrastive divergence (plain and persistent) and its exact limit
//! (maximum likelihood), score matching and denoising score matching. Adding one is a new objective file and a variant here.

use super::contrastive::{ContrastiveDivergence, ExactModelTerm};
use super::denoising::DenoisingScoreMatching;
use super::error::LearnError;
use super::hyvarinen::ScoreMatching;
use super::objective::Objective;
use crate::sample::ensemble::Particles;

/// How θ is fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// CD-k: each iteration restarts MALA chains at the data and runs `k` steps of size `step`.
    ContrastiveDivergence {
        /// MALA steps per iteration.
        k: usize,
        /// MALA step size ε.
        step: f64,
    },
    /// Persistent CD: the chains carry over between iterations.
    PersistentContrastiveDivergence {
        /// MALA steps per iteration.
        k: usize,
        /// MALA step size ε.
        step: f64,
    },
    /// The exact log-likelihood gradient, for reference: CD's model term computed from the
    /// normaliser $Z = \sum_k e^{a_k}$ that a mixture knows,
    /// $\mathbb E_{p_\theta}[\partial_{a_k}\log\tilde p_\theta] = w_k$ and 0 for the means and
    /// factors, instead of estimated from chains. No model samples.
    MaximumLikelihood,
    /// Hyvärinen's implicit score matching.
    ScoreMatching,
    /// Denoising score matching at noise level σ.
    DenoisingScoreMatching {
        /// The noise level σ > 0.
        sigma: f64,
    },
}

impl Method {
    /// A short name for legends; σ with three significant digits, in scientific notation
    /// outside 10⁻³ ≤ σ < 10³.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// assert_eq!(Method::DenoisingScoreMatching { sigma: 0.5 }.name(), "DSM σ = 0.5");
    /// assert_eq!(Method::DenoisingScoreMatching { sigma: 1e152 }.name(), "DSM σ = 1e152");
    /// ```
    pub fn name(&self) -> String {
        match self {
            Method::ContrastiveDivergence { k, .. } => format!("CD-{k}"),
            Method::PersistentContrastiveDivergence { k, .. } => format!("PCD-{k}"),
            Method::MaximumLikelihood => "max. likelihood (Z known)".into(),
            Method::ScoreMatching => "score matching".into(),
            Method::DenoisingScoreMatching { sigma } => format!("DSM σ = {}", compact(*sigma)),
        }
    }
}

/// The method's objective on `data`, checked: the one place a [`Method`] becomes code.
pub(crate) fn objective<'a>(
    method: Method,
    data: &'a Particles,
    seed: u64,
) -> Result<Box<dyn Objective + 'a>, LearnError> {
    Ok(match method {
        Method::ContrastiveDivergence { k, step } => {
            Box::new(ContrastiveDivergence::new(data, k, step, seed, false)?)
        }
        Method::PersistentContrastiveDivergence { k, step } => {
            Box::new(ContrastiveDivergence::new(data, k, step, seed, true)?)
        }
        Method::MaximumLikelihood => Box::new(ExactModelTerm::new(data)),
        Method::ScoreMatching => Box::new(ScoreMatching::new(data)),
        Method::DenoisingScoreMatching { sigma } => {
            Box::new(DenoisingScoreMatching::new(data, sigma, seed)?)
        }
    })
}

/// `x` to three significant digits without trailing zeros: plainly for 10⁻³ ≤ |x| < 10³,
/// otherwise in scientific notation (`1.5e-7`, `1e152`).
fn compact(x: f64) -> String {
    let magnitude = x.abs();
    if magnitude == 0.0 || !magnitude.is_finite() {
        return format!("{x}");
    }
    if (1e-3..1e3).contains(&magnitude) {
        let decimals = (2 - magnitude.log10().floor() as i32).max(0) as usize;
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    } else {
        let text = format!("{x:.2e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        format!("{}e{exponent}", trim_zeros(mantissa))
    }
}

/// A decimal number without the zeros (and point) that end its fraction.
fn trim_zeros(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::compact;

    #[test]
    fn numbers_are_compact_at_every_scale() {
        let cases = [
            (0.5, "0.5"),
            (0.3, "0.3"),
            (1.0, "1"),
            (0.123456, "0.123"),
            (2.71428, "2.71"),
            (999.4, "999"),
            (1234.4, "1.23e3"),
            (1e-150, "1e-150"),
            (1.5e-7, "1.5e-7"),
            (1e152, "1e152"),
            (-12345.0, "-1.23e4"),
            (0.0, "0"),
        ];
        for (x, text) in cases {
            assert_eq!(compact(x), text, "{x}");
        }
    }
}
