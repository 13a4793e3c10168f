//! Shared by the integration tests (each uses part of it).
#![allow(dead_code)]

use scorelab::plot::Figure;
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

/// (width, height, RGB pixels row after row) of a PNG, indexed or RGB.
pub fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut decoder = png::Decoder::new(bytes);
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a valid PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(info.color_type.samples())
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, pixels)
}

/// Asserts that every text of `fig` lies on its canvas and overlaps no other.
pub fn assert_texts_on_canvas_and_apart(name: &str, fig: &Figure) {
    let texts = fig.texts();
    for (i, a) in texts.iter().enumerate() {
        let (x0, y0, x1, y1) = a.bounds();
        assert!(
            x0 >= 0.0 && y0 >= 0.0 && x1 <= fig.width() as f64 && y1 <= fig.height() as f64,
            "{name}: {a:?} leaves the {}×{} canvas",
            fig.width(),
            fig.height()
        );
        for b in &texts[i + 1..] {
            assert!(!a.overlaps(b, 0.5), "{name}: {a:?} overlaps {b:?}");
        }
    }
}
