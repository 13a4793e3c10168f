//! Renders the figures of the two ported notebooks to PNG files, and prints how long each takes
//! to draw and to encode (fastest of several runs) and how large it is.
//!
//! ```text
//! cargo run --release --example port_figures -- [output directory, default target/figures] [density, default each figure's own]
//! ```

use std::time::{Duration, Instant};

/// Each figure is drawn this many times; the fastest run is reported (the machine may be busy).
const RUNS: usize = 5;

use scorelab::plot::Histograms;
use scorelab::prelude::*;

/// Times of one figure: drawing, then PNG encoding.
fn time_once(
    draw: &impl Fn() -> Result<Figure, PlotError>,
) -> Result<(Figure, Duration, Duration), PlotError> {
    let t = Instant::now();
    let figure = draw()?;
    let drawn = t.elapsed();
    figure.png();
    Ok((figure, drawn, t.elapsed() - drawn))
}

/// Draws a figure `RUNS` times, reports the fastest draw and encode, size, and saves it.
fn report(
    out: &std::path::Path,
    name: &str,
    draw: impl Fn() -> Result<Figure, PlotError>,
) -> Result<(), Box<dyn std::error::Error>> {
    let (figure, mut drawn, mut encoded) = time_once(&draw)?;
    for _ in 1..RUNS {
        let (_, d, e) = time_once(&draw)?;
        drawn = drawn.min(d);
        encoded = encoded.min(e);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let t = Instant::now();
    let fallback = figure.png_1x().len();
    let fallback_ms = ms(t.elapsed());
    println!(
        "{name:24} {:4}×{:<4} at {}x {:6.1} ms (draw {:5.1} + encode {:5.1}) {:7} bytes; \
         1x fallback {:6} bytes in {:4.1} ms",
        figure.width(),
        figure.height(),
        figure.density(),
        ms(drawn + encoded),
        ms(drawn),
        ms(encoded),
        figure.png().len(),
        fallback,
        fallback_ms,
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
    let density = std::env::args().nth(2).map(|d| d.parse()).transpose()?;
    draw_all(&out, density)
}

/// Draws every figure, each at `density` if given, else at its own.
fn draw_all(out: &std::path::Path, density: Option<u32>) -> Result<(), Box<dyn std::error::Error>> {
    let gm1 = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    report(out, "score_1d.png", || {
        let curves = Curves1d::new(&gm1, -6.0..=6.0).points(1000);
        match density {
            Some(d) => curves.density(d),
            None => curves,
        }
        .render()
    })?;

    let gm2 = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    report(out, "score_2d_field.png", || {
        let field = ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
            .arrows(50)
            .levels(20);
        match density {
            Some(d) => field.density(d),
            None => field,
        }
        .render()
    })?;

    let start = Particles::uniform(-8.0..=8.0).dim(2).point(3)?;
    let path = Ula::new(0.02)?.run(&gm2, &start, 500, 3)?;
    report(out, "score_2d_langevin.png", || {
        let field = ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
            .levels(25)
            .title("2D Gaussian Mixture: Score Field + Langevin Dynamics")
            .trajectory(&path);
        match density {
            Some(d) => field.density(d),
            None => field,
        }
        .render()
    })?;

    let sim = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
    let particles = Particles::uniform(-3.0..=3.0).draw(10_000, 0)?;
    let snaps = Ula::new(0.01)?.run_ensemble(&sim, &particles, 100, &[0, 1, 10, 100], 0)?;
    report(out, "langevin_histograms.png", || {
        let histograms = Histograms::snapshots(&sim, &snaps, -4.0..=5.0)
            .bins(50)
            .title("Langevin dynamics: particles approaching the target distribution");
        match density {
            Some(d) => histograms.density(d),
            None => histograms,
        }
        .render()
    })?;
    println!("wrote {}", out.display());
    Ok(())
}
