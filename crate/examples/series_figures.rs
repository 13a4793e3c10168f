//! Renders the teaching series' figures to PNG files.
//!
//! ```text
//! cargo run --release --example series_figures -- [output directory, default target/figures]
//! ```

use scorelab::plot::Histograms;
use scorelab::prelude::*;
use scorelab::studies;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/figures".into()),
    );
    std::fs::create_dir_all(&out)?;
    let save = |name: &str, fig: Figure| fig.save(out.join(name));

    // 01: the score function.
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
    save(
        "01_stein_vs_ordinary.png",
        studies::stein_vs_ordinary(&gm, -6.0..=6.0)?.figure()?,
    )?;
    save(
        "01_finite_difference.png",
        studies::finite_difference_check(&gm, -6.0..=6.0, 1e-5)?.figure()?,
    )?;
    save(
        "01_naive_vs_exact.png",
        studies::naive_vs_exact(&gm, -60.0..=60.0)?.figure()?,
    )?;

    // 02: the score as a field.
    let tilted = GaussianMixture::new(
        &[0.5, 0.5],
        &[[-2.0, 0.0], [2.0, 0.0]],
        &[[[1.0, 0.8], [0.8, 1.0]], [[1.0, -0.8], [-0.8, 1.0]]],
    )?;
    save(
        "02_tilted_normalized.png",
        ScoreField::new(&tilted, -5.0..=5.0, -5.0..=5.0)
            .arrows(25)
            .normalized(true)
            .title("Direction only")
            .render()?,
    )?;
    let gm3 = GaussianMixture::new(
        &[0.5, 0.5],
        &[[-2.0, 0.0, 1.0], [2.0, 0.0, -1.0]],
        &[
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        ],
    )?;
    let plane = Slice2d::new(&gm3, [0, 1], &[0.0, 0.0, 1.0])?;
    save(
        "02_slice.png",
        ScoreField::new(&plane, -5.0..=5.0, -5.0..=5.0)
            .arrows(25)
            .title("3-D mixture, slice x₃ = 1")
            .render()?,
    )?;

    // 03: Langevin dynamics.
    save(
        "03_step_size_bias.png",
        studies::step_size_bias(1.0)
            .steps(&[0.05, 0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 1.9])
            .particles(20_000)
            .seed(1)
            .run()?
            .figure()?,
    )?;
    let wells = GaussianMixture::new_1d(&[0.7, 0.3], &[-1.2, 1.2], &[0.6, 0.6])?;
    let tempering = studies::tempered_langevin(&wells).seed(3).run()?;
    save("03_gradient_descent.png", tempering.descent_figure()?)?;
    save("03_temperatures.png", tempering.figure()?)?;

    // 04: particles and Fokker–Planck (the sibling experiment's parameters).
    let sib = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
    let start = Particles::uniform(-3.0..=3.0).draw(100_000, 0)?;
    let snaps = Ula::new(0.01)?.run_ensemble(&sib, &start, 100, &[0, 1, 10, 100], 1)?;
    let fp = FokkerPlanck1d::new(&sib, -4.0..=5.0, 900, |x| {
        if x.abs() <= 3.0 { 1.0 } else { 0.0 }
    })?;
    save(
        "04_histograms.png",
        Histograms::snapshots(&sib, &snaps, -4.0..=5.0)
            .bins(50)
            .fokker_planck(&fp)
            .render()?,
    )?;
    let stuck = GaussianMixture::new_1d(&[0.8, 0.2], &[-4.0, 4.0], &[0.5, 0.5])?;
    let start2 = Particles::uniform(-6.0..=6.0).draw(100_000, 2)?;
    let record: Vec<usize> = (0..=40).map(|i| i * 50).collect();
    let snaps2 = Ula::new(0.01)?.run_ensemble(&stuck, &start2, 2000, &record, 3)?;
    save(
        "04_occupancy.png",
        studies::occupancy_over_time(&stuck, &snaps2)?.figure()?,
    )?;
    save(
        "04_distances.png",
        studies::distances_over_time(&stuck, &snaps2)?.figure()?,
    )?;
    let gm2 = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    let cloud = Particles::uniform(-8.0..=8.0).dim(2).draw(20_000, 4)?;
    let snaps3 = Ula::new(0.02)?.run_ensemble(
        &gm2,
        &cloud,
        500,
        &[0, 10, 20, 50, 100, 200, 300, 400, 500],
        5,
    )?;
    save(
        "04_mmd.png",
        studies::mmd_over_time(&gm2, &snaps3, 6)?.figure()?,
    )?;
    save(
        "04_cloud.png",
        ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
            .arrows(25)
            .particles(snaps3.last().unwrap())
            .title("20 000 particles after 500 ULA steps")
            .render()?,
    )?;

    // 05: annealing.
    let far = GaussianMixture::new_1d(&[0.8, 0.2], &[-5.0, 5.0], &[0.5, 0.5])?;
    save(
        "05_noise_levels.png",
        studies::noise_levels_1d(&far, &[0.0, 1.0, 3.0, 10.0], -12.0..=12.0)?.figure()?,
    )?;
    let annealed = AnnealedLangevin::geometric()
        .sigmas(10.0, 0.05)
        .levels(15)
        .step(0.0002)
        .steps_per_level(100)
        .build()?;
    let start3 = Particles::uniform(-8.0..=8.0).draw(20_000, 7)?;
    save(
        "05_annealed_vs_ula.png",
        studies::annealed_vs_ula(&far, &annealed, &start3)
            .ula_step(0.05)
            .range(-8.0..=8.0)
            .seed(8)
            .run()?
            .figure()?,
    )?;
    save(
        "05_step_signal_to_noise.png",
        studies::step_signal_to_noise(&far, &annealed)
            .seed(8)
            .run()?
            .figure()?,
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
