//! Measures the time per unit of work that the work budget (`scorelab::limits::work_budget`)
//! converts sizes into seconds with: one line per kind of work, ns per unit.
//!
//! ```text
//! cargo run --release --example work_costs
//! ```
//!
//! The constants in `src/limits.rs` were set from this on a shared two-core machine.

use std::time::Instant;

use scorelab::prelude::*;

fn time(label: &str, units: f64, mut work: impl FnMut()) {
    work(); // warm up (thread pool, caches)
    let started = Instant::now();
    work();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{label:<44} {units:>12.3e} units in {seconds:>7.3} s: {:>8.3} ns per unit",
        seconds * 1e9 / units
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    scorelab::set_show_progress(false);
    let gm2 = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    let gm1 = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6])?;

    // Ensembles: units are particle-steps.
    let start2 = Particles::uniform(-8.0..=8.0).dim(2).draw(20_000, 1)?;
    time("ULA ensemble, 2-D, 3 components", 2e4 * 500.0, || {
        Ula::new(0.02)
            .unwrap()
            .run_ensemble(&gm2, &start2, 500, &[500], 2)
            .unwrap();
    });
    time("MALA ensemble, 2-D, 3 components", 2e4 * 500.0, || {
        Mala::new(0.02)
            .unwrap()
            .run_ensemble(&gm2, &start2, 500, &[500], 2)
            .unwrap();
    });
    let samples2 = Particles::sample(&gm2, 4000, 3)?;
    let features2 = RbfFeatures::grid(2, -8.0..=8.0, 13)?;
    let fit2 = LinearScore::dsm(0.5)
        .draws(4)
        .fit(&features2, &samples2, 4)?;
    let start_small = Particles::uniform(-8.0..=8.0).dim(2).draw(2_000, 1)?;
    time(
        "ULA ensemble, 2-D, learned (172 features)",
        2e3 * 500.0,
        || {
            Ula::new(0.02)
                .unwrap()
                .run_ensemble(&fit2, &start_small, 500, &[500], 2)
                .unwrap();
        },
    );

    // Reverse samplers: units are particle-steps (the ODE evaluates the score twice a step).
    let vp = Diffusion::variance_preserving(&gm1, 0.1..=20.0)?;
    let start1 = Particles::sample(&vp.marginal(1.0)?, 20_000, 1)?;
    time("reverse SDE, 1-D, exact 2 components", 2e4 * 500.0, || {
        ReverseSampler::Sde
            .steps(500)
            .seed(2)
            .run(&vp, &vp, &start1)
            .unwrap();
    });
    time("reverse ODE, 1-D, exact 2 components", 2e4 * 500.0, || {
        ReverseSampler::Ode
            .steps(500)
            .seed(2)
            .run(&vp, &vp, &start1)
            .unwrap();
    });
    let vp2 = Diffusion::variance_preserving(&gm2, 0.1..=20.0)?;
    let start2vp = Particles::sample(&vp2.marginal(1.0)?, 20_000, 1)?;
    time("reverse ODE, 2-D, exact 3 components", 2e4 * 500.0, || {
        ReverseSampler::Ode
            .steps(500)
            .seed(2)
            .run(&vp2, &vp2, &start2vp)
            .unwrap();
    });
    let ve = Diffusion::variance_exploding(&gm1, 0.01..=10.0)?;
    let learned = NoiseConditionalScore::eps(0.05..=20.0)
        .bumps(8)
        .draws(32)
        .ridge(1e-3)
        .fit(
            &RbfFeatures::grid(1, -4.0..=4.0, 41)?,
            &Particles::sample(&gm1, 3000, 1)?,
            2,
        )?;
    let start_ve = Particles::sample(&ve.marginal(1.0)?, 2_000, 1)?;
    time(
        "reverse ODE, 1-D, learned (51 features)",
        2e3 * 500.0,
        || {
            ReverseSampler::Ode
                .steps(500)
                .seed(2)
                .run(&ve, &learned.for_diffusion(&ve), &start_ve)
                .unwrap();
        },
    );

    // DSM fits: units are noisy samples × M²/2.
    let m = features2.len() as f64;
    time(
        "DSM fit, 2-D, 172 features",
        4000.0 * 4.0 * m * m / 2.0,
        || {
            LinearScore::dsm(0.5)
                .draws(4)
                .fit(&features2, &samples2, 4)
                .unwrap();
        },
    );
    let features1 = RbfFeatures::grid(1, -12.0..=12.0, 49)?;
    let samples1 = Particles::sample(&gm1, 3000, 1)?;
    let m = features1.len() as f64;
    time(
        "DSM fit, 1-D, 51 features",
        3000.0 * 4.0 * m * m / 2.0,
        || {
            LinearScore::dsm(0.5)
                .ridge(1e-5)
                .draws(4)
                .fit(&features1, &samples1, 4)
                .unwrap();
        },
    );

    // Training: units are iterations × samples × components.
    let truth = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0])?;
    let start = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[1.5, 1.5])?;
    let data = Particles::sample(&truth, 600, 1)?;
    let start_2d = GaussianMixture::new(
        &[0.3, 0.4, 0.3],
        &[[-2.0, 0.0], [2.0, 0.0], [0.0, -2.0]],
        &[[[2.0, 0.0], [0.0, 2.0]]; 3],
    )?;
    let data_2d = Particles::sample(&gm2, 600, 1)?;
    for (method, label) in [
        (Method::ScoreMatching, "score matching"),
        (Method::DenoisingScoreMatching { sigma: 0.3 }, "DSM"),
        (Method::ContrastiveDivergence { k: 5, step: 0.1 }, "CD-5"),
    ] {
        time(
            &format!("Training {label}, 1-D, 2 components"),
            200.0 * 600.0 * 2.0,
            || {
                Training::new(method).fit(&data, &start, 2).unwrap();
            },
        );
        time(
            &format!("Training {label}, 2-D, 3 components"),
            200.0 * 600.0 * 3.0,
            || {
                Training::new(method).fit(&data_2d, &start_2d, 2).unwrap();
            },
        );
    }
    Ok(())
}
