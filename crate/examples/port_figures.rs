//! Renders the three figures of the score-function port to PNG files.
//!
//! ```text
//! cargo run --release --example port_figures -- [output directory, default target/figures]
//! ```

use scorelab::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/figures".into()),
    );
    std::fs::create_dir_all(&out)?;

    let gm1 = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    Curves1d::new(&gm1, -6.0..=6.0)
        .points(1000)
        .render()?
        .save(out.join("score_1d.png"))?;

    let gm2 = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    let t = std::time::Instant::now();
    let field = ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
        .arrows(50)
        .levels(20)
        .render()?;
    println!("2-D field: {:?} in {:?}", field, t.elapsed());
    field.save(out.join("score_2d_field.png"))?;

    let start = uniform_start(-8.0, 8.0, 2, 3);
    let path = Ula::new(0.02)?.run(&gm2, &start, 500, 3)?;
    ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
        .levels(25)
        .title("2D Gaussian Mixture: Score Field + Langevin Dynamics")
        .trajectory(&path)
        .render()?
        .save(out.join("score_2d_langevin.png"))?;
    println!("wrote {}", out.display());
    Ok(())
}
