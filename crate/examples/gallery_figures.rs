//! The gallery's scorelab side for the families the port does not draw: a heat map with a colour
//! bar (07's reverse-time paths over log p(x, t)), log axes (05's step signal-to-noise) and the
//! Stein vs ordinary scores (01). Each figure is written as a PNG at its own density, and the
//! numbers it shows as JSON beside it, so that `experiment/gallery.py` draws the same numbers
//! with matplotlib.
//!
//! ```text
//! cargo run --release --example gallery_figures -- [output directory, default target/gallery/ours]
//! ```

use std::fmt::Write as _;
use std::path::Path;

use scorelab::plot::diffusion;
use scorelab::prelude::*;
use scorelab::studies;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/gallery/ours".into()),
    );
    std::fs::create_dir_all(&out)?;
    stein_vs_ordinary(&out)?;
    log_axes(&out)?;
    heat_map(&out)?;
    println!("wrote {}", out.display());
    Ok(())
}

/// 01's Stein score against the ordinary scores of the two means.
fn stein_vs_ordinary(out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    let study = studies::stein_vs_ordinary(&gm, -6.0..=6.0)?;
    let figure = study.figure()?;
    figure.save(out.join("stein_vs_ordinary.png"))?;
    let json = format!(
        r#"{{"size": [{}, {}], "xs": {}, "stein": {}, "ordinary": [{}]}}"#,
        figure.width(),
        figure.height(),
        array(&study.xs),
        array(&study.stein),
        study
            .ordinary
            .iter()
            .map(|ys| array(ys))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(out.join("stein_vs_ordinary.json"), json)?;
    Ok(())
}

/// 05's signal-to-noise of one annealed Langevin step against σ, both axes logarithmic.
fn log_axes(out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let gm = GaussianMixture::new_1d(&[0.8, 0.2], &[-5.0, 5.0], &[0.5, 0.5])?;
    let annealed = AnnealedLangevin::geometric()
        .sigmas(10.0, 0.05)
        .levels(15)
        .step(0.0002)
        .steps_per_level(100)
        .build()?;
    let snr = studies::step_signal_to_noise(&gm, &annealed)
        .draws(2000)
        .seed(8)
        .run()?;
    let figure = snr.figure()?;
    figure.save(out.join("log_axes.png"))?;
    let json = format!(
        r#"{{"size": [{}, {}], "sigmas": {}, "steps": {}, "ratio": {}, "ratio_first_step": {}, "ratio_last_step": {}}}"#,
        figure.width(),
        figure.height(),
        array(&snr.sigmas),
        array(&snr.steps),
        array(&snr.ratio),
        array(&snr.ratio_first_step),
        array(&snr.ratio_last_step)
    );
    std::fs::write(out.join("log_axes.json"), json)?;
    Ok(())
}

/// 07's reverse-time paths of the variance-preserving diffusion over its log p(x, t).
fn heat_map(out: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let (weights, means, stds) = ([0.3, 0.7], [-2.0, 1.5], [0.4, 0.6]);
    let (beta_min, beta_max) = (0.1, 20.0);
    let data = GaussianMixture::new_1d(&weights, &means, &stds)?;
    let vp = Diffusion::variance_preserving(&data, beta_min..=beta_max)?;
    let start = Particles::sample(&vp.marginal(1.0)?, 2000, 1)?;
    let sde = ReverseSampler::Sde
        .steps(500)
        .record(Record::Every(10))
        .seed(2)
        .run(&vp, &vp, &start)?;
    let ode = ReverseSampler::Ode
        .steps(200)
        .record(Record::Every(2))
        .run(&vp, &vp, &start)?;
    let paths = 12;
    let figure = diffusion::diffusion_paths(
        &vp,
        &[("reverse SDE", &sde), ("probability-flow ODE", &ode)],
        paths,
        -6.0..=6.0,
    )?;
    figure.save(out.join("heat_map.png"))?;
    let run_json = |run: &ReverseRun| {
        let lines: Vec<String> = (0..paths).map(|i| array(&run.path(i, 0))).collect();
        format!(
            r#"{{"times": {}, "paths": [{}]}}"#,
            array(run.times()),
            lines.join(", ")
        )
    };
    let json = format!(
        r#"{{"size": [{}, {}], "weights": {}, "means": {}, "stds": {}, "beta": [{beta_min}, {beta_max}], "range": [-6.0, 6.0], "sde": {}, "ode": {}}}"#,
        figure.width(),
        figure.height(),
        array(&weights),
        array(&means),
        array(&stds),
        run_json(&sde),
        run_json(&ode)
    );
    std::fs::write(out.join("heat_map.json"), json)?;
    Ok(())
}

/// A JSON array of numbers, each in Rust's shortest round-trip form.
fn array(values: &[f64]) -> String {
    let mut s = String::from("[");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        let _ = write!(s, "{v:?}");
    }
    s.push(']');
    s
}
