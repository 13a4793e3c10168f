//! Where the 2-D field's render time goes, at density 1 and 2, in one run: the whole figure,
//! then with 2 × 2 arrows instead of 50 × 50, with one contour level instead of 20, and with a
//! trajectory. Median of several runs (the machine may be busy), drawing and PNG encoding apart.
//!
//! ```text
//! cargo run --release --example field_timing
//! ```

use std::time::Instant;

use scorelab::prelude::*;

const RUNS: usize = 15;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let gm = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    let start = Particles::uniform(-8.0..=8.0).dim(2).point(3)?;
    let path = Ula::new(0.02)?.run(&gm, &start, 500, 3)?;
    let field = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .arrows(50)
        .levels(20);
    let cases = [
        ("field", field.clone()),
        ("field, 2x2 arrows", field.clone().arrows(2)),
        ("field, one contour", field.clone().levels(1)),
        (
            "field + trajectory",
            field.clone().levels(25).trajectory(&path),
        ),
    ];
    for density in [1, 2] {
        for (name, figure) in &cases {
            let (mut draw, mut encode) = (Vec::new(), Vec::new());
            let mut bytes = 0;
            for _ in 0..RUNS {
                let t = Instant::now();
                let fig = figure.clone().density(density).render()?;
                let drawn = t.elapsed();
                bytes = fig.png().len();
                draw.push(drawn.as_secs_f64() * 1e3);
                encode.push((t.elapsed() - drawn).as_secs_f64() * 1e3);
            }
            let (d, e) = (median(draw), median(encode));
            println!(
                "density {density}  {name:22} {:6.1} ms (draw {d:5.1} + encode {e:5.1})  {bytes:7} bytes",
                d + e
            );
        }
    }
    Ok(())
}
