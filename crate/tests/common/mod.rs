//! Shared by the integration tests (each uses part of it).
#![allow(dead_code)]

use scorelab::{Dimension, GaussianMixture, LogDensity, Score};

/// The reference 2-D mixture of the port, from `presets/score_function_2d.json` (whose values
/// `tests/presets.rs` checks).
pub fn reference_2d() -> GaussianMixture {
    GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))
    .unwrap()
}

/// A mixture seen only through the score traits: no vector kernel, so samplers and batch
/// evaluation take the point-by-point path.
pub struct Opaque<'a>(pub &'a GaussianMixture);

impl Dimension for Opaque<'_> {
    fn dim(&self) -> usize {
        self.0.dim()
    }
}

impl LogDensity for Opaque<'_> {
    fn log_prob(&self, x: &[f64]) -> f64 {
        self.0.log_prob(x)
    }
}

impl Score for Opaque<'_> {
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        self.0.score_into(x, out)
    }
}

/// A d × d covariance with `scale` on the diagonal and `rho * scale` everywhere else.
pub fn equicorrelated(d: usize, rho: f64, scale: f64) -> Vec<Vec<f64>> {
    (0..d)
        .map(|i| {
            (0..d)
                .map(|j| if i == j { scale } else { rho * scale })
                .collect()
        })
        .collect()
}
