//! Draws the figures of learning the score and of diffusion (notebooks 06 and 07) as PNG files,
//! and times each computation and each figure (drawing and PNG encoding, fastest of 5 runs, and
//! the PNG's size): `cargo run --release --example learning_figures -- DIR`.

use std::time::{Duration, Instant};

use scorelab::learn::tweedie;
use scorelab::plot::{diffusion, learning};
use scorelab::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/figures".into());
    std::fs::create_dir_all(&dir)?;
    // Draws a figure 5 times, prints the fastest draw and encode and the PNG's size, saves it.
    let save = |name: &str, draw: &dyn Fn() -> Result<Figure, PlotError>| {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let (mut drawn, mut encoded) = (Duration::MAX, Duration::MAX);
        let mut last = None;
        for _ in 0..5 {
            let t = Instant::now();
            let fig = draw()?;
            let d = t.elapsed();
            fig.png();
            (drawn, encoded) = (drawn.min(d), encoded.min(t.elapsed() - d));
            last = Some(fig);
        }
        let fig = last.ok_or("no figure")?;
        println!(
            "figure {name:<12} {:>4}×{:<4} draw {:>5.1} ms  encode {:>5.1} ms  {:>7} bytes",
            fig.width(),
            fig.height(),
            ms(drawn),
            ms(encoded),
            fig.png().len()
        );
        fig.save(format!("{dir}/{name}.png"))?;
        Ok::<(), Box<dyn std::error::Error>>(())
    };
    let timed = |what: &str, start: Instant| {
        println!("{what:<44} {:>7.3} s", start.elapsed().as_secs_f64())
    };

    // 06: learning a density from samples.
    let gm2 = GaussianMixture::new(
        &[0.3, 0.5, 0.2],
        &[[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]],
        &[
            [[1.0, 0.3], [0.3, 1.0]],
            [[1.5, -0.2], [-0.2, 1.0]],
            [[1.0, 0.0], [0.0, 1.5]],
        ],
    )?;
    save("06_energy", &|| {
        learning::energy_field(&gm2, -8.0..=8.0, -8.0..=8.0)
    })?;

    let truth = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.6, 1.0])?;
    let start = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[1.5, 1.5])?;
    let data = Particles::sample(&truth, 600, 1)?;
    let mut curves = Vec::new();
    for method in [
        Method::ContrastiveDivergence { k: 5, step: 0.1 },
        Method::PersistentContrastiveDivergence { k: 5, step: 0.1 },
        Method::ScoreMatching,
        Method::DenoisingScoreMatching { sigma: 0.3 },
        Method::MaximumLikelihood,
    ] {
        let t = Instant::now();
        curves.push(Training::new(method).fit(&data, &start, 2)?);
        timed(&format!("fit {}", method.name()), t);
    }
    let refs: Vec<&_> = curves.iter().collect();
    save("06_curves", &|| {
        learning::learning_curves(&refs, &truth, &data)
    })?;
    save("06_means", &|| learning::mean_paths(&refs, &truth))?;

    let separated = GaussianMixture::new_1d(&[0.2, 0.8], &[-4.0, 4.0], &[1.0, 1.0])?;
    let t = Instant::now();
    let term = scorelab::studies::model_term(&separated)
        .samples(600)
        .step(0.1)
        .seed(1)
        .run()?;
    timed("CD's model term against chain length", t);
    save("06_model_term", &|| term.figure())?;
    let t = Instant::now();
    let weights = scorelab::studies::weight_recovery(&separated)
        .optimizer(Optimizer::GradientAscent)
        .learning_rate(0.5)
        .samples(600)
        .iterations(200)
        .seed(1)
        .run()?;
    timed("weight recovery, five fits by gradient ascent", t);
    println!("{}", weights.table()?);
    save("06_weights", &|| weights.figure())?;

    let samples = Particles::sample(&gm2, 4000, 3)?;
    let features = RbfFeatures::grid(2, -8.0..=8.0, 13)?;
    let t = Instant::now();
    let fit = LinearScore::dsm(0.5).draws(4).fit(&features, &samples, 4)?;
    timed("DSM linear fit, 16 000 noisy samples", t);
    let exact = gm2.perturbed(0.5)?;
    save("06_field", &|| {
        ScoreField::new(&fit.on(&exact), -8.0..=8.0, -8.0..=8.0)
            .arrows(30)
            .title("Learned score (DSM, σ = 0.5) over log p_σ")
            .render()
    })?;
    save("06_error", &|| {
        learning::score_error_map(&exact, &fit, -8.0..=8.0, -8.0..=8.0)
    })?;
    save("06_tweedie", &|| {
        scorelab::studies::tweedie_denoiser(&truth, 0.8)
            .draws(400)
            .seed(5)
            .run()?
            .figure()
    })?;
    let noisy = Particles::sample(&truth.perturbed(0.8)?, 5, 6)?;
    println!(
        "Tweedie of {:?}: {:?}",
        noisy.coordinate(0),
        tweedie(&truth.perturbed(0.8)?, 0.8, &noisy)?.coordinate(0)
    );

    let schedule = AnnealedLangevin::geometric()
        .sigmas(6.0, 0.3)
        .levels(8)
        .step(0.01)
        .steps_per_level(30)
        .build()?;
    let t = Instant::now();
    let learned = NoiseConditionalScore::eps(0.3..=6.0)
        .bumps(4)
        .draws(16)
        .ridge(1e-2)
        .fit(&RbfFeatures::grid(2, -3.0..=3.0, 13)?, &samples, 7)?;
    timed("noise-conditional fit, σ from 0.3 to 6", t);
    let t = Instant::now();
    let cloud = schedule.run_ensemble(
        &learned.levels(schedule.sigmas()),
        &Particles::uniform(-8.0..=8.0).dim(2).draw(1000, 8)?,
        &[schedule.total_steps()],
        9,
    )?;
    timed("annealed Langevin, learned score, 1000 x 240", t);
    let last = cloud.last().ok_or("no snapshot")?;
    save("06_annealed", &|| {
        ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
            .arrows(25)
            .particles(last)
            .title("Annealed Langevin with the one learned model s(x, σ)")
            .render()
    })?;

    // 07: from scores to diffusion.
    let data1 = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6])?;
    let ve = Diffusion::variance_exploding(&data1, 0.01..=10.0)?;
    let vp = Diffusion::variance_preserving(&data1, 0.1..=20.0)?;
    for (name, process) in [("ve", &ve), ("vp", &vp)] {
        let start = Particles::sample(&process.marginal(1.0)?, 2000, 1)?;
        let t = Instant::now();
        let sde = ReverseSampler::Sde
            .steps(500)
            .record(Record::Every(10))
            .seed(2)
            .run(process, process, &start)?;
        let ode = ReverseSampler::Ode
            .steps(200)
            .record(Record::Every(2))
            .run(process, process, &start)?;
        timed(
            &format!("{name}: SDE 500 + ODE 200 steps, 2000 particles"),
            t,
        );
        save(&format!("07_paths_{name}"), &|| {
            diffusion::diffusion_paths(
                process,
                &[("reverse SDE", &sde), ("probability-flow ODE", &ode)],
                12,
                -6.0..=6.0,
            )
        })?;
    }
    let t = Instant::now();
    let learned1 = NoiseConditionalScore::eps(0.05..=20.0)
        .bumps(8)
        .draws(32)
        .ridge(1e-3)
        .fit(
            &RbfFeatures::grid(1, -4.0..=4.0, 41)?,
            &Particles::sample(&data1, 3000, 1)?,
            2,
        )?;
    timed("1-D noise-conditional fit", t);
    let start = Particles::sample(&vp.marginal(1.0)?, 2000, 1)?;
    let learned_vp = learned1.for_diffusion(&vp);
    let t = Instant::now();
    let mut study = scorelab::studies::StepsNeeded::budgets(&[10, 20, 50, 100, 200, 500]).seed(3);
    let pc = ReverseSampler::PredictorCorrector { snr: 0.16 };
    for (name, sampler, score) in [
        ("SDE, exact", ReverseSampler::Sde, &vp as &dyn TimeScore),
        ("ODE, exact", ReverseSampler::Ode, &vp),
        ("PC, exact", pc, &vp),
        ("DDPM, exact", ReverseSampler::Ddpm, &vp),
        ("SDE, learned", ReverseSampler::Sde, &learned_vp),
        ("ODE, learned", ReverseSampler::Ode, &learned_vp),
        ("PC, learned", pc, &learned_vp),
        ("DDPM, learned", ReverseSampler::Ddpm, &learned_vp),
    ] {
        study = study.run(name, sampler, &vp, score, &start)?;
        if let Some(curve) = study.curves.last() {
            println!("{name}: KS D {:.3?}", curve.distances);
        }
    }
    timed("equal-cost study: 8 curves x 6 budgets", t);
    save("07_steps", &|| study.figure())?;
    let t = Instant::now();
    let mismatch = scorelab::studies::prior_mismatch(&data1)
        .beta_max(&[1.0, 2.0, 3.0, 5.0, 10.0, 20.0])
        .seed(3)
        .run()?;
    timed("prior mismatch over β_max", t);
    println!("{mismatch}");
    save("07_prior_mismatch", &|| mismatch.figure())?;
    Ok(())
}
