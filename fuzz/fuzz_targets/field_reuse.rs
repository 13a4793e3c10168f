//! A score field drawn again with a new trajectory, over the field kept from the drawing
//! before, against the same figure drawn in one pass: the same pixels and texts, always. Any
//! 2-D mixture of two components, plot ranges, arrow and level counts, and Langevin paths from
//! any start and step size (of any magnitude, ±∞ and NaN: those the sampler refuses are skipped).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use scorelab::prelude::*;

#[derive(Arbitrary, Debug)]
struct Input {
    means: [[f64; 2]; 2],
    variances: [f64; 2],
    weight: f64,
    range: [f64; 2],
    arrows: u8,
    levels: u8,
    paths: [(f64, [f64; 2], u8); 2],
    density: bool,
}

fuzz_target!(|input: Input| {
    let w = if input.weight.is_finite() {
        input.weight.abs().fract()
    } else {
        0.5
    };
    let cov = |v: f64| [[v, 0.0], [0.0, v]];
    let covs = [cov(input.variances[0]), cov(input.variances[1])];
    let Ok(gm) = GaussianMixture::new(&[w, 1.0 - w], &input.means, &covs) else {
        return;
    };
    let [lo, hi] = input.range;
    let paths: Vec<Trajectory> = input
        .paths
        .iter()
        .filter_map(|&(eps, start, steps)| {
            Ula::new(eps)
                .ok()?
                .run(&gm, &start, usize::from(steps % 64), 1)
                .ok()
        })
        .collect();
    for path in &paths {
        let field = ScoreField::new(&gm, lo..=hi, lo..=hi)
            .arrows(usize::from(input.arrows % 12) + 2)
            .levels(usize::from(input.levels % 12))
            .size(160, 150)
            .density(if input.density { 2 } else { 1 })
            .trajectory(path);
        match (field.render(), field.render_in_one_pass()) {
            (Ok(reused), Ok(one_pass)) => {
                assert!(reused == one_pass, "pixels differ");
                assert_eq!(reused.texts(), one_pass.texts());
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("one drawing failed: {a:?} against {b:?}"),
        }
    }
});
