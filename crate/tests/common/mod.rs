//! Shared by the integration tests.

use scorelab::GaussianMixture;

/// The reference 2-D mixture of the port (and of `presets/score_function_2d.json`).
pub fn reference_2d() -> GaussianMixture {
    GaussianMixture::new(
        &[0.3, 0.5, 0.2],
        &[[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]],
        &[
            [[1.0, 0.3], [0.3, 1.0]],
            [[1.5, -0.2], [-0.2, 1.0]],
            [[1.0, 0.0], [0.0, 1.5]],
        ],
    )
    .unwrap()
}
