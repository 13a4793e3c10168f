//! Runaway inputs: every size a caller can pass is either done quickly or refused with a typed
//! error before any work starts — never a panic, an abort or a run of minutes.

mod common;

use std::time::{Duration, Instant};

use common::reference_2d;
use proptest::prelude::*;
use scorelab::limits::{self, LimitError};
use scorelab::prelude::*;

/// Every test of this file runs under this budget, so any buffer over it must be refused.
const BUDGET: usize = 16 << 20;
/// The longest any single call may take here (the machine is shared and slow).
const TIME_LIMIT: Duration = Duration::from_secs(5);

fn limited<T>(call: impl FnOnce() -> T) -> T {
    set_memory_budget(BUDGET);
    let started = Instant::now();
    let out = call();
    let took = started.elapsed();
    assert!(took < TIME_LIMIT, "took {took:?}");
    out
}

/// A size as a reader might type it: small, zero, or absurd.
fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        4 => 0usize..200,
        1 => Just(0usize),
        2 => 1_000_000_000usize..=usize::MAX,
        1 => Just(usize::MAX),
    ]
}

fn limit_error(err: &SamplerError) -> Option<&LimitError> {
    match err {
        SamplerError::Limit(e) => Some(e),
        _ => None,
    }
}

#[test]
fn the_runaway_ula_run_is_refused_before_it_starts() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let err = limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0], 2_000_000_000, 1)).unwrap_err();
    assert_eq!(
        limit_error(&err),
        Some(&LimitError::OutOfRange {
            parameter: "steps",
            value: 2_000_000_000,
            min: 1,
            max: limits::STEPS.max
        })
    );
    assert!(err.to_string().contains("steps = 2000000000"), "{err}");
}

#[test]
fn a_trajectory_over_the_budget_says_how_much_and_how_to_ask_for_less() {
    let gm = reference_2d();
    // 10⁷ states of 2 coordinates, their step numbers and slices: 400 MB, over the budget.
    let err = limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0, 0.0], 10_000_000, 1)).unwrap_err();
    let Some(LimitError::OverBudget { what, bytes, .. }) = limit_error(&err) else {
        panic!("expected OverBudget, got {err:?}");
    };
    assert_eq!((*what, *bytes), ("trajectory", 400_000_040));
    let text = err.to_string();
    assert!(
        text.contains("400 MB")
            && text.contains(".record(Record::Every(k))")
            && text.contains("take fewer steps"),
        "{text}"
    );
    // 10⁶ steps: 40 MB for every step is refused, every 10th step (4 MB) runs.
    let ula = Ula::new(0.01).unwrap();
    assert!(limited(|| ula.run(&gm, &[0.0, 0.0], 1_000_000, 1)).is_err());
    let thin = limited(|| {
        ula.record(Record::Every(10))
            .run(&gm, &[0.0, 0.0], 1_000_000, 1)
    })
    .unwrap();
    assert_eq!(thin.len(), 100_001);
    // Within the budget the same call runs.
    assert!(limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0, 0.0], 100_000, 1)).is_ok());
}

#[test]
fn contour_levels_out_of_range_are_errors() {
    let gm = reference_2d();
    for n in [0, 1_000_000] {
        let err = limited(|| {
            ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
                .levels(n)
                .render()
        })
        .unwrap_err();
        assert!(
            matches!(err, PlotError::Limit(LimitError::OutOfRange { parameter: "levels", value, .. }) if value == n),
            "{err:?}"
        );
    }
}

#[test]
fn snapshots_over_the_budget_are_refused() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let start = limited(|| Particles::uniform(-1.0..=1.0).draw(1_000_000, 0)).unwrap();
    // 1 000 snapshots of 10⁶ particles: 8 GB.
    let record: Vec<usize> = (0..1000).collect();
    let err = limited(|| {
        Ula::new(0.01)
            .unwrap()
            .run_ensemble(&gm, &start, 1000, &record, 1)
    })
    .unwrap_err();
    assert!(
        matches!(
            limit_error(&err),
            Some(LimitError::OverBudget {
                what: "snapshots",
                ..
            })
        ),
        "{err:?}"
    );
}

/// Asserts that `result` failed because `parameter` was out of range.
fn out_of_range<T, E: std::fmt::Debug + std::fmt::Display>(result: Result<T, E>, parameter: &str) {
    let Err(err) = result else {
        panic!("{parameter}: expected an error");
    };
    let debug = format!("{err:?}");
    assert!(
        debug.contains("OutOfRange") && debug.contains(&format!("parameter: {parameter:?}")),
        "{parameter}: {debug}"
    );
    assert!(
        err.to_string().starts_with(&format!("{parameter} = ")),
        "{err}"
    );
}

#[test]
fn recording_every_kth_step_keeps_the_same_states_as_the_full_run() {
    let gm = reference_2d();
    let start = [6.0, -7.0];
    let full = Ula::new(0.02).unwrap().run(&gm, &start, 1000, 5).unwrap();
    for k in [1, 7, 100, 1000, 5000] {
        let thin = Ula::new(0.02)
            .unwrap()
            .record(Record::Every(k))
            .run(&gm, &start, 1000, 5)
            .unwrap();
        let mut expected: Vec<usize> = (0..=1000).step_by(k).collect();
        if expected.last() != Some(&1000) {
            expected.push(1000);
        }
        assert_eq!(thin.steps(), expected.as_slice(), "k = {k}");
        for (&t, point) in thin.steps().iter().zip(thin.points()) {
            assert_eq!(Some(point), full.point(t), "k = {k}, step {t}");
        }
        assert_eq!(thin.view().nrows(), expected.len());
    }
    // MALA: the same states, and the acceptance rate counts every step.
    let mala = Mala::new(0.3).unwrap();
    let full = mala.run(&gm, &start, 999, 2).unwrap();
    let thin = mala
        .record(Record::Every(10))
        .run(&gm, &start, 999, 2)
        .unwrap();
    assert_eq!(thin.len(), 101);
    assert_eq!(thin.acceptance_rate(), full.acceptance_rate());
    for &t in thin.steps() {
        assert_eq!(thin.point(t), full.point(t));
    }
    assert_eq!(thin.point(5), None);
    // Annealed Langevin: steps counted over all levels.
    let sampler = AnnealedLangevin::geometric()
        .sigmas(5.0, 0.1)
        .levels(4)
        .step(1e-4)
        .steps_per_level(50)
        .build()
        .unwrap();
    let levels = sampler.perturbed_levels(&gm).unwrap();
    let full = sampler.run(&levels, &start, 3).unwrap();
    let thin = sampler
        .clone()
        .record(Record::Every(50))
        .run(&levels, &start, 3)
        .unwrap();
    assert_eq!(thin.steps(), &[0, 50, 100, 150, 200]);
    for &t in thin.steps() {
        assert_eq!(thin.point(t), full.point(t));
    }
}

#[test]
fn recording_every_0th_step_is_refused() {
    let gm = reference_2d();
    out_of_range(
        Ula::new(0.01)
            .unwrap()
            .record(Record::Every(0))
            .run(&gm, &[0.0, 0.0], 10, 1),
        "record every",
    );
    out_of_range(
        Mala::new(0.01)
            .unwrap()
            .record(Record::Every(0))
            .run(&gm, &[0.0, 0.0], 10, 1),
        "record every",
    );
}

#[test]
fn figure_sizes_are_bounded_in_one_place() {
    let gm2 = reference_2d();
    let field = || ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0);
    out_of_range(limited(|| field().arrows(1).render()), "arrows");
    out_of_range(limited(|| field().arrows(501).render()), "arrows");
    out_of_range(limited(|| field().resolution(2).render()), "resolution");
    out_of_range(
        limited(|| field().resolution(1 << 30).render()),
        "resolution",
    );
    out_of_range(limited(|| field().size(10, 300).render()), "figure width");
    out_of_range(
        limited(|| field().size(300, 100_000).render()),
        "figure height",
    );
    let gm1 = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let curves = |w, h| Curves1d::new(&gm1, -4.0..=4.0).size(w, h).render();
    out_of_range(limited(|| curves(u32::MAX, 300)), "figure width");
    // Frames: a sweep needs two, an animation one, both at most 1000.
    let small = |_| curves(40, 40);
    out_of_range(limited(|| Sweep::new("s", 0.0..=1.0, 1, small)), "frames");
    out_of_range(
        limited(|| Sweep::new("s", 0.0..=1.0, 1001, small)),
        "frames",
    );
    out_of_range(
        limited(|| Animation::new(0, 10.0, |_| curves(40, 40))),
        "frames",
    );
    let path = Ula::new(0.05)
        .unwrap()
        .run(&gm2, &[2.0, 2.0], 50, 1)
        .unwrap();
    let traced = field().size(200, 200).trajectory(&path);
    out_of_range(limited(|| traced.animate(1)), "frames");
    out_of_range(limited(|| traced.sweep_steps(5000)), "frames");
}

#[test]
fn frames_times_pixels_are_refused_after_the_first_frame() {
    let gm1 = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    // 1000 frames of 1000 × 1000 px at density 2: 4·10⁹ device pixels, over the 10⁸ allowed.
    let drawn = std::cell::Cell::new(0);
    let big = || {
        drawn.set(drawn.get() + 1);
        Curves1d::new(&gm1, -4.0..=4.0).size(1000, 1000).render()
    };
    let err = limited(|| Sweep::new("s", 0.0..=1.0, 1000, |_| big())).unwrap_err();
    assert!(
        report(&err).contains("frames × pixels = 4000000000"),
        "{err}"
    );
    assert_eq!(drawn.get(), 1, "refused after the first frame");
    drawn.set(0);
    let err = limited(|| Animation::new(1000, 10.0, |_| big())).unwrap_err();
    assert!(
        report(&err).contains("frames × pixels = 4000000000"),
        "{err}"
    );
    assert_eq!(drawn.get(), 1);
    // A growing trajectory knows its size before drawing anything.
    let gm2 = reference_2d();
    let path = Ula::new(0.05)
        .unwrap()
        .run(&gm2, &[2.0, 2.0], 2000, 1)
        .unwrap();
    let field = ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0).size(1000, 1000);
    out_of_range(
        limited(|| field.trajectory(&path).animate(1000)),
        "frames × pixels",
    );
}

#[test]
fn fokker_planck_grids_and_their_work_are_bounded() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let flat = |_: f64| 1.0;
    for cells in [0, 2, 1 << 40] {
        out_of_range(
            limited(|| FokkerPlanck1d::new(&gm, -4.0..=4.0, cells, flat)),
            "cells",
        );
    }
    // 10⁵ cells: time steps of ~10⁻⁹, so even a short duration is too much work.
    let mut fine = limited(|| FokkerPlanck1d::new(&gm, -4.0..=4.0, 100_000, flat)).unwrap();
    out_of_range(limited(|| fine.advance(1.0)), "cells × time steps");
    out_of_range(limited(|| fine.advance(1e300)), "cells × time steps");
    // The series' grid (notebook 04: 900 cells, the sibling mixture, t up to 1) is well within.
    let sibling = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap();
    let mut series = FokkerPlanck1d::new(&sibling, -4.0..=5.0, 900, flat).unwrap();
    assert!(limited(|| series.advance(1.0)).is_ok());
}

#[test]
fn histograms_report_a_fokker_planck_density_they_cannot_compute() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let cloud = Particles::uniform(-3.0..=3.0).draw(200, 0).unwrap();
    let snaps = Ula::new(0.01)
        .unwrap()
        .run_ensemble(&gm, &cloud, 100, &[0, 100], 0)
        .unwrap();
    // 10⁵ cells cannot be advanced to t = 1 within the work bound: an error, not a panel without p_t.
    let fine = limited(|| FokkerPlanck1d::new(&gm, -4.0..=4.0, 100_000, |_: f64| 1.0)).unwrap();
    let err = limited(|| {
        scorelab::plot::Histograms::snapshots(&gm, &snaps, -4.0..=4.0)
            .fokker_planck(&fine)
            .render()
    })
    .unwrap_err();
    assert!(
        err.to_string().starts_with("cells × time steps = "),
        "{err}"
    );
    let coarse = FokkerPlanck1d::new(&gm, -4.0..=4.0, 400, |_: f64| 1.0).unwrap();
    assert!(
        scorelab::plot::Histograms::snapshots(&gm, &snaps, -4.0..=4.0)
            .fokker_planck(&coarse)
            .render()
            .is_ok()
    );
}

#[test]
fn learning_sizes_are_bounded() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
    let data = Particles::sample(&gm, 400, 1).unwrap();
    out_of_range(RbfFeatures::grid(1, -5.0..=5.0, 1), "centres per axis");
    out_of_range(
        RbfFeatures::grid(1, -5.0..=5.0, usize::MAX),
        "centres per axis",
    );
    // 50² + 3 features is over 2 000.
    out_of_range(RbfFeatures::grid(2, -5.0..=5.0, 50), "features");
    let features = RbfFeatures::grid(1, -5.0..=5.0, 21).unwrap();
    for draws in [0, 1_000_000] {
        out_of_range(
            limited(|| LinearScore::dsm(0.5).draws(draws).fit(&features, &data, 1)),
            "draws",
        );
    }
    let many = limited(|| Particles::sample(&gm, 1_000_000, 1)).unwrap();
    out_of_range(
        limited(|| LinearScore::dsm(0.5).draws(1000).fit(&features, &many, 1)),
        "samples × draws",
    );
    out_of_range(
        limited(|| {
            NoiseConditionalScore::eps(0.5..=1.0)
                .bumps(20_000)
                .fit(&features, &data, 1)
        }),
        "noise levels",
    );
    for k in [0, 1 << 40] {
        let cd = Training::new(Method::ContrastiveDivergence { k, step: 0.1 });
        out_of_range(limited(|| cd.iterations(5).fit(&data, &gm, 1)), "k");
    }
}

#[test]
fn learning_buffers_are_sized_within_the_budget() {
    let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
    // 44² + 3 = 1939 features: 9 systems of 1939² values, 271 MB, over the 16 MB budget.
    let features = RbfFeatures::grid(2, -4.0..=4.0, 44).unwrap();
    assert_eq!(features.len(), 1939);
    let data = Particles::sample(&gm, 2000, 1).unwrap();
    let err = limited(|| LinearScore::dsm(0.5).fit(&features, &data, 1)).unwrap_err();
    let LearnError::Limit(LimitError::OverBudget { what, bytes, .. }) = err else {
        panic!("expected OverBudget, got {err:?}");
    };
    assert_eq!(what, "normal equations");
    assert_eq!(bytes, LinearScore::memory_estimate(1939, 2));
    assert!(bytes > 270_000_000);
    // A learning curve keeps θ after every iteration: 10⁶ iterations of 30 components is
    // over the budget, refused before the first iteration.
    let weights = vec![1.0 / 30.0; 30];
    let means: Vec<f64> = (0..30).map(|i| i as f64).collect();
    let stds = vec![1.0; 30];
    let start = GaussianMixture::new_1d(&weights, &means, &stds).unwrap();
    let samples = Particles::sample(&start, 100, 1).unwrap();
    let err = limited(|| {
        Training::new(Method::ScoreMatching)
            .iterations(1_000_000)
            .fit(&samples, &start, 1)
    })
    .unwrap_err();
    assert!(
        matches!(
            err,
            LearnError::Limit(LimitError::OverBudget {
                what: "learning curve",
                ..
            })
        ),
        "{err:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn samplers_take_any_size(steps in size(), particles in size(), snapshots in size(), every in size()) {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
        let _ = limited(|| Ula::new(0.01).unwrap().run(&gm, &[0.0], steps, 1));
        let _ = limited(|| Mala::new(0.01).unwrap().run(&gm, &[0.0], steps, 1));
        let _ = limited(|| Ula::new(0.01).unwrap().record(Record::Every(every)).run(&gm, &[0.0], steps, 1));
        let _ = limited(|| Mala::new(0.01).unwrap().record(Record::Every(every)).run(&gm, &[0.0], steps, 1));
        let _ = limited(|| AnnealedLangevin::geometric().sigmas(2.0, 0.1).levels(particles).step(0.01).steps_per_level(steps).build());
        let _ = limited(|| Particles::sample(&gm, particles, 1));
        if let Ok(start) = limited(|| Particles::uniform(-3.0..=3.0).draw(particles, 1)) {
            let record: Vec<usize> = (0..snapshots.min(20_000)).map(|k| k % (steps.max(1))).collect();
            let _ = limited(|| Ula::new(0.01).unwrap().run_ensemble(&gm, &start, steps, &record, 1));
        }
    }

    #[test]
    fn figures_take_any_size(levels in size(), arrows in size(), resolution in size(), bins in size(), side in size()) {
        let gm2 = reference_2d();
        let field = ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0).size(200, 200);
        let _ = limited(|| field.clone().levels(levels).arrows(arrows).resolution(resolution).render());
        let side = u32::try_from(side).unwrap_or(u32::MAX);
        let _ = limited(|| field.clone().arrows(5).resolution(20).size(side, 60).render());
        let _ = limited(|| field.clone().arrows(5).resolution(20).size(60, side).render());
        let gm1 = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let cloud = Particles::sample(&gm1, 1000, 1).unwrap();
        let _ = limited(|| Histograms::new(&gm1, -4.0..=4.0).panel("t = 0", &cloud).bins(bins).render());
        let _ = limited(|| Curves1d::new(&gm1, -4.0..=4.0).points(levels).size(200, 300).render());
    }

    #[test]
    fn fokker_planck_takes_any_size(cells in size(), duration in prop_oneof![0.0..10.0, 1e3..1e300f64]) {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        if let Ok(mut fp) = limited(|| FokkerPlanck1d::new(&gm, -4.0..=4.0, cells, |_| 1.0)) {
            let _ = limited(|| fp.advance(duration));
        }
    }

    #[test]
    fn frames_take_any_count(frames in size(), side in 16u32..2_000) {
        let gm1 = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        // Cheap frames of any size: a sweep or animation that would draw too much is refused
        // after the first one.
        let frame = || Curves1d::new(&gm1, -4.0..=4.0).points(2).size(side, 16).render();
        if frames <= 3 || frames.saturating_mul(side as usize * 16) > 100_000_000 {
            let _ = limited(|| Sweep::new("s", 0.0..=1.0, frames, |_| frame()));
            let _ = limited(|| Animation::new(frames, 10.0, |_| frame()));
        }
        let gm2 = reference_2d();
        let path = Ula::new(0.05).unwrap().run(&gm2, &[1.0, 1.0], 20, 1).unwrap();
        let field = ScoreField::new(&gm2, -3.0..=3.0, -3.0..=3.0).arrows(4).resolution(10);
        if frames <= 3 || frames > 1000 {
            let _ = limited(|| field.clone().size(side, 60).trajectory(&path).animate(frames));
        }
    }

    /// Values a little over a quick size and up to a bound are legitimate long work, so only
    /// quick sizes and those past a bound (which must be refused at once) are run here.
    #[test]
    fn learning_takes_any_size(per_axis in size(), draws in size(), levels in size(), k in size(), iterations in size()) {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
        let data = Particles::sample(&gm, 300, 1).unwrap();
        if let Ok(features) = RbfFeatures::grid(1, -5.0..=5.0, per_axis) {
            // Small fits only: the work grows as features².
            let draws = if features.len() > 60 { draws.max(1 << 20) } else { draws };
            let _ = limited(|| LinearScore::dsm(0.5).ridge(1e-3).draws(draws).fit(&features, &data, 1));
        }
        let _ = RbfFeatures::grid(2, -5.0..=5.0, per_axis);
        let _ = RbfFeatures::grid(3, -5.0..=5.0, per_axis);
        let features = RbfFeatures::grid(1, -5.0..=5.0, 9).unwrap();
        let bumps = levels.min(20_000);
        if !(5..=limits::NOISE_LEVELS.max).contains(&levels) {
            let _ = limited(|| NoiseConditionalScore::eps(0.5..=1.0).bumps(bumps).ridge(1e-3).fit(&features, &data, 1));
        }
        let cd = Training::new(Method::ContrastiveDivergence { k, step: 0.1 });
        if !(20..=limits::CD_STEPS.max).contains(&k) {
            let _ = limited(|| cd.iterations(3).fit(&data, &gm, 1));
        }
        if !(50..=limits::ITERATIONS.max).contains(&iterations) {
            let _ = limited(|| Training::new(Method::ScoreMatching).iterations(iterations).fit(&data, &gm, 1));
        }
    }
}

#[test]
fn reverse_samplers_and_fits_bound_their_sizes() {
    let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
    let process = Diffusion::variance_preserving(&data, 0.1..=20.0).unwrap();
    let start = Particles::uniform(-3.0..=3.0).draw(1000, 1).unwrap();
    for sampler in [ReverseSampler::Sde, ReverseSampler::Ode] {
        for steps in [0, 1_000_000_000] {
            let err = limited(|| sampler.steps(steps).seed(1).run(&process, &process, &start))
                .unwrap_err();
            assert!(
                matches!(
                    limit_error(&err),
                    Some(LimitError::OutOfRange {
                        parameter: "steps",
                        ..
                    })
                ),
                "{err:?}"
            );
        }
        // Recording every step of a long run would take 8 GB: refused before it starts.
        let err = limited(|| {
            sampler
                .steps(1_000_000)
                .record(Record::Every(1))
                .seed(1)
                .run(&process, &process, &start)
        })
        .unwrap_err();
        assert!(
            matches!(limit_error(&err), Some(LimitError::OverBudget { .. })),
            "{err:?}"
        );
    }
    let samples = Particles::sample(&data, 200, 1).unwrap();
    for iterations in [0, 1 << 40] {
        let err = limited(|| {
            Training::new(Method::ScoreMatching)
                .iterations(iterations)
                .fit(&samples, &data, 1)
        })
        .unwrap_err();
        assert!(
            matches!(
                err,
                LearnError::Limit(LimitError::OutOfRange {
                    parameter: "iterations",
                    ..
                })
            ),
            "{err:?}"
        );
    }
}

/// The work error of `err`, which must be one.
fn over_work<E: std::fmt::Debug + std::fmt::Display>(err: E, limit: Option<&LimitError>) {
    let Some(LimitError::OverWorkBudget { estimate, .. }) = limit else {
        panic!("expected OverWorkBudget, got {err:?}");
    };
    assert!(*estimate > limits::work_budget(), "{err}");
    let text = err.to_string();
    assert!(text.contains("would take about"), "{text}");
    assert!(
        text.contains("scorelab::set_work_budget(seconds)"),
        "{text}"
    );
}

fn learn_limit(err: &LearnError) -> Option<&LimitError> {
    match err {
        LearnError::Limit(e) => Some(e),
        _ => None,
    }
}

#[test]
fn work_over_the_budget_is_refused_before_it_starts() {
    // Each size is within its own bound and its buffers within the memory budget; their
    // products would run for hours.
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5]).unwrap();
    let many = limited(|| Particles::sample(&gm, 1_000_000, 1)).unwrap();
    let err = limited(|| {
        Training::new(Method::ScoreMatching)
            .iterations(50_000)
            .fit(&many, &gm, 1)
    })
    .unwrap_err();
    over_work(&err, learn_limit(&err));
    let process = Diffusion::variance_preserving(&gm, 0.1..=20.0).unwrap();
    for sampler in [ReverseSampler::Sde, ReverseSampler::Ode] {
        let err = limited(|| {
            sampler
                .steps(1_000_000)
                .seed(1)
                .run(&process, &process, &many)
        })
        .unwrap_err();
        over_work(&err, limit_error(&err));
    }
    let steps = 1_000_000;
    let err = limited(|| {
        Ula::new(0.01)
            .unwrap()
            .run_ensemble(&gm, &many, steps, &[steps], 1)
    })
    .unwrap_err();
    over_work(&err, limit_error(&err));
    let err = limited(|| {
        Mala::new(0.01)
            .unwrap()
            .run_ensemble(&gm, &many, steps, &[steps], 1)
    })
    .unwrap_err();
    over_work(&err, limit_error(&err));
    let annealed = AnnealedLangevin::geometric()
        .sigmas(2.0, 0.1)
        .levels(100)
        .step(0.01)
        .steps_per_level(10_000)
        .build()
        .unwrap();
    let levels = annealed.perturbed_levels(&gm).unwrap();
    let err = limited(|| annealed.run_ensemble(&levels, &many, &[annealed.total_steps()], 1))
        .unwrap_err();
    over_work(&err, limit_error(&err));
    // 10⁸ noisy samples (the bound) on 400 features: 9·10¹² units.
    let samples = Particles::sample(&gm, 100_000, 1).unwrap();
    let features = RbfFeatures::grid(1, -5.0..=5.0, 397).unwrap();
    let err = limited(|| {
        LinearScore::dsm(0.5)
            .draws(1000)
            .fit(&features, &samples, 1)
    })
    .unwrap_err();
    over_work(&err, learn_limit(&err));
    let features = RbfFeatures::grid(1, -5.0..=5.0, 98).unwrap();
    let err = limited(|| {
        NoiseConditionalScore::eps(0.05..=3.0)
            .bumps(2)
            .draws(1000)
            .fit(&features, &samples, 1)
    })
    .unwrap_err();
    over_work(&err, learn_limit(&err));
}

/// An error and its sources, as an error reporter prints them (a frame's error names the frame
/// and why it failed).
fn report(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str("\ncaused by: ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
