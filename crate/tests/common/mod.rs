//! Shared by the integration tests.

use scorelab::GaussianMixture;

/// The reference 2-D mixture of the port, from `presets/score_function_2d.json` (whose values
/// `tests/presets.rs` checks).
pub fn reference_2d() -> GaussianMixture {
    GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))
    .unwrap()
}
