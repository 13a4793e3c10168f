//! Renders the figures of the two ported notebooks to PNG files, and prints how long each took
//! to draw and encode and how large it is.
//!
//! ```text
//! cargo run --release --example port_figures -- [output directory, default target/figures]
//! ```

use std::time::Instant;

use scorelab::plot::Histograms;
use scorelab::prelude::*;

/// Draws a figure, encodes it, reports time and size, and saves it.
fn report(
    out: &std::path::Path,
    name: &str,
    draw: impl FnOnce() -> Result<Figure, PlotError>,
) -> Result<(), Box<dyn std::error::Error>> {
    let t = Instant::now();
    let figure = draw()?;
    let bytes = figure.png().len();
    let elapsed = t.elapsed();
    println!(
        "{name:24} {:4}×{:<4} {:6.1} ms {:7} bytes",
        figure.width(),
        figure.height(),
        elapsed.as_secs_f64() * 1e3,
        bytes
    );
    figure.save(out.join(name))?;
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/figures".into()),
    );
    std::fs::create_dir_all(&out)?;

    let gm1 = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    report(&out, "score_1d.png", || {
        Curves1d::new(&gm1, -6.0..=6.0).points(1000).render()
    })?;

    let gm2 = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    report(&out, "score_2d_field.png", || {
        ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
            .arrows(50)
            .levels(20)
            .render()
    })?;

    let start = uniform_start(-8.0, 8.0, 2, 3);
    let path = Ula::new(0.02)?.run(&gm2, &start, 500, 3)?;
    report(&out, "score_2d_langevin.png", || {
        ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
            .levels(25)
            .title("2D Gaussian Mixture: Score Field + Langevin Dynamics")
            .trajectory(&path)
            .render()
    })?;

    let sim = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
    let particles = Particles::uniform(10_000, 1, -3.0, 3.0, 0)?;
    let snaps = Ula::new(0.01)?.run_ensemble(&sim, &particles, 100, &[0, 1, 10, 100], 0)?;
    report(&out, "langevin_histograms.png", || {
        Histograms::snapshots(&sim, &snaps, -4.0..=5.0)
            .bins(50)
            .title("Langevin dynamics: particles approaching the target distribution")
            .render()
    })?;
    println!("wrote {}", out.display());
    Ok(())
}
