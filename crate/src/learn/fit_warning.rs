//! Telling a fit that learnt nothing from one that converged: θ against its own noise.

use super::method::Method;

/// What a finished [`Training`](super::Training) fit should not be trusted for.
#[derive(Debug, Clone, PartialEq)]
pub enum FitWarning {
    /// θ moved less than its own noise: the likelihood-ratio statistic of the fitted θ against
    /// the start, $\Lambda = 2n(\bar\ell_{\text{end}} - \bar\ell_{\text{start}})$ over the n data
    /// points, is below P, the number of parameters, in absolute value (a fit that lowered the
    /// likelihood by more than that has moved, if not toward the maximum). Near the maximum-likelihood θ, Λ is
    /// $n\,\Delta\theta^\top F\,\Delta\theta$ (F the Fisher information), and the sampling noise of n
    /// points alone moves the maximum by an amount whose Λ has mean P (Wilks: χ²_P). So |Λ| < P
    /// means the data cannot tell the fitted θ from the start: either the start was already a
    /// good fit, or the method stalled.
    DidNotMove {
        /// The method.
        method: Method,
        /// Λ.
        statistic: f64,
        /// P.
        parameters: usize,
        /// The share of MALA proposals accepted over the fit (contrastive divergence only).
        acceptance: Option<f64>,
    },
}

impl FitWarning {
    /// The warning for a fit of `parameters` values on `samples` points whose mean
    /// log-likelihood went from `start` to `end`, if |Λ| < P.
    pub(crate) fn check(
        method: Method,
        samples: usize,
        parameters: usize,
        (start, end): (f64, f64),
        acceptance: Option<f64>,
    ) -> Option<Self> {
        let statistic = 2.0 * samples as f64 * (end - start);
        // A NaN statistic (never from a fit that succeeded) also warns.
        let moved = statistic.abs() >= parameters as f64;
        (!moved).then_some(FitWarning::DidNotMove {
            method,
            statistic,
            parameters,
            acceptance,
        })
    }
}

impl std::fmt::Display for FitWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            FitWarning::DidNotMove {
                method,
                statistic,
                parameters,
                acceptance,
            } => {
                write!(
                    f,
                    "θ moved less than its own noise: |2n·Δ(mean log-likelihood)| = \
                     {:.3}, below {parameters}, what sampling noise alone gives for \
                     {parameters} parameters; ",
                    statistic.abs()
                )?;
                match (method, acceptance) {
                    (
                        Method::ContrastiveDivergence { step, .. }
                        | Method::PersistentContrastiveDivergence { step, .. },
                        Some(rate),
                    ) if rate < 0.05 => write!(
                        f,
                        "MALA accepted {:.1} % of its moves at step {step}, so the model \
                         samples stayed at the data and the gradient is about 0: use a \
                         smaller step",
                        100.0 * rate
                    ),
                    (Method::DenoisingScoreMatching { sigma }, _) => write!(
                        f,
                        "at σ = {sigma} the DSM objective depends on θ only to order σ, which \
                         may be below what its differences resolve: use σ comparable to the \
                         data's spread"
                    ),
                    _ => write!(
                        f,
                        "if the start was not already a good fit, raise the iterations or the \
                         learning rate"
                    ),
                }
            }
        }
    }
}
