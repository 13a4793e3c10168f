//! The ways θ can be fit: contrastive divergence (plain and persistent), score matching and
//! denoising score matching.

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
    /// Hyvärinen's implicit score matching.
    ScoreMatching,
    /// Denoising score matching at noise level σ.
    DenoisingScoreMatching {
        /// The noise level σ > 0.
        sigma: f64,
    },
}

impl Method {
    /// A short name for legends.
    pub fn name(&self) -> String {
        match self {
            Method::ContrastiveDivergence { k, .. } => format!("CD-{k}"),
            Method::PersistentContrastiveDivergence { k, .. } => format!("PCD-{k}"),
            Method::ScoreMatching => "score matching".into(),
            Method::DenoisingScoreMatching { sigma } => format!("DSM σ = {sigma}"),
        }
    }
}
