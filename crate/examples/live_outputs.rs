//! Writes the port's live outputs to files, with how long each took to make: a sweep of the
//! 1-D mixture's mode separation and a sweep over time of a Langevin trajectory (HTML players),
//! and the same trajectory as an animated GIF.
//!
//! ```text
//! cargo run --release --example live_outputs -- [output directory, default target/live]
//! ```

use std::time::Instant;

use scorelab::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/live".into()),
    );
    std::fs::create_dir_all(&out)?;

    let t = Instant::now();
    let separation = Sweep::new("mode separation", 0.0..=6.0, 31, |d| {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-d / 2.0, d / 2.0], &[1.0, 1.0])?;
        Curves1d::new(&gm, -6.0..=6.0).size(720, 540).render()
    })?;
    report("mode-separation sweep", t, &separation.to_html());
    separation.save_html(out.join("sweep_separation.html"))?;

    let gm2 = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    let t = Instant::now();
    let correlation = Sweep::new("correlation", -0.9..=0.9, 30, |rho| {
        let gm = GaussianMixture::new(
            &[0.3, 0.5, 0.2],
            &[[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]],
            &[
                [[1.0, rho], [rho, 1.0]],
                [[1.5, -0.2], [-0.2, 1.0]],
                [[1.0, 0.0], [0.0, 1.5]],
            ],
        )?;
        ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
            .arrows(25)
            .size(480, 480)
            .title("Score field")
            .render()
    })?;
    report("2-D correlation sweep", t, &correlation.to_html());
    correlation.save_html(out.join("sweep_correlation.html"))?;

    let start = Particles::uniform(-8.0..=8.0).dim(2).point(3)?;
    let path = Ula::new(0.02)?.run(&gm2, &start, 500, 3)?;
    let field = ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
        .levels(25)
        .title("2D Gaussian Mixture: Score Field + Langevin Dynamics")
        .size(560, 560)
        .trajectory(&path);
    let t = Instant::now();
    let steps = field.sweep_steps(26)?;
    report("trajectory sweep over t", t, &steps.to_html());
    steps.save_html(out.join("sweep_steps.html"))?;

    let t = Instant::now();
    let anim = field.animate(51)?;
    println!(
        "trajectory GIF: {:?} in {:.0} ms",
        anim,
        t.elapsed().as_secs_f64() * 1e3
    );
    anim.save(out.join("trajectory.gif"))?;
    println!("wrote {}", out.display());
    Ok(())
}

fn report(what: &str, started: Instant, html: &str) {
    println!(
        "{what}: {} bytes of HTML in {:.0} ms",
        html.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
}
