//! Where the 2-D field's render time goes, at density 1 and 2, in one run (each drawn in one
//! pass, as the first render of a field is): the whole figure,
//! then with 2 × 2 arrows instead of 50 × 50, with one contour level instead of 20, and with a
//! trajectory. Median of several runs (the machine may be busy), drawing and PNG encoding apart.
//! Then the field with a new trajectory on every render, as while a live slider moves the step
//! size: drawn in one pass, and drawn over the field kept from the render before, in alternate
//! runs, with the ratio of the medians.
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
                let fig = figure.clone().density(density).render_in_one_pass()?;
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
    for density in [1, 2] {
        let (mut one_pass, mut kept) = (Vec::new(), Vec::new());
        for run in 0..2 * RUNS {
            let eps = 0.02 + 0.001 * run as f64;
            let path = Ula::new(eps)?.run(&gm, &start, 500, 3)?;
            let figure = field.clone().levels(25).trajectory(&path).density(density);
            let t = Instant::now();
            if run % 2 == 0 {
                figure.render_in_one_pass()?;
                one_pass.push(t.elapsed().as_secs_f64() * 1e3);
            } else {
                figure.render()?;
                kept.push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
        let (a, b) = (median(one_pass), median(kept));
        println!(
            "density {density}  new trajectory: in one pass {a:5.1} ms, over the kept field {b:5.1} ms ({:.1}x)",
            a / b
        );
    }
    Ok(())
}
