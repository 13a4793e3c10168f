//! A score field drawn again with only its trajectory changed reuses the field it drew last
//! time; the figure must be the one drawn on a single canvas (`render_in_one_pass`), pixel for
//! pixel and text for text, whichever field was kept: as the legend moves, at both densities,
//! at extreme inputs, and in a sweep whose frames share their scales.

use std::sync::{Mutex, MutexGuard, PoisonError};

use scorelab::plot::PlotError;
use scorelab::prelude::*;

mod common;
use common::reference_2d;

/// The kept fields are the process's: one test at a time, so that another test's fields do
/// not push out the ones a test means to reuse.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The figure `render` draws equals the one drawn in one pass.
fn assert_same(field: &ScoreField<'_>, what: &str) {
    let reused = field.render().unwrap();
    let one_pass = field.render_in_one_pass().unwrap();
    assert!(reused == one_pass, "{what}: the pixels differ");
    assert_eq!(reused.texts(), one_pass.texts(), "{what}: the texts differ");
}

#[test]
fn a_field_drawn_again_for_each_new_trajectory_is_the_field_drawn_in_one_pass() {
    let _one = one_at_a_time();
    let gm = reference_2d();
    // Starts in all four corners move the legend (placed where the path covers least), so
    // the kept fields differ by the legend's place and some renders find theirs kept.
    let starts = [
        [-7.0, 7.0],
        [7.0, 7.0],
        [7.0, -7.0],
        [-7.0, -7.0],
        [0.0, 7.5],
    ];
    let mut legends = std::collections::HashSet::new();
    for density in [1, 2] {
        for (k, start) in starts.iter().enumerate() {
            for eps in [0.01, 0.05, 0.2] {
                let path = Ula::new(eps)
                    .unwrap()
                    .run(&gm, start, 200, k as u64)
                    .unwrap();
                let field = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
                    .arrows(20)
                    .levels(12)
                    .size(400, 360)
                    .trajectory(&path)
                    .density(density);
                assert_same(
                    &field,
                    &format!("density {density}, start {start:?}, ε {eps}"),
                );
                let figure = field.render().unwrap();
                let legend = figure
                    .texts()
                    .iter()
                    .find(|t| t.text == "Initial point")
                    .map(|t| (t.x0.round() as i64, t.y0.round() as i64));
                legends.insert(legend);
            }
        }
    }
    assert!(legends.len() >= 3, "the legend stayed in {legends:?}");
}

#[test]
fn extreme_trajectories_and_mixtures_draw_the_same_as_in_one_pass() {
    let _one = one_at_a_time();
    // A mixture whose log p spans hundreds of thousands of nats over the plot, and one so
    // narrow that it is -inf almost everywhere on the grid.
    let wide = GaussianMixture::new(
        &[0.5, 0.5],
        &[[-1e3, 0.0], [1e3, 0.0]],
        &[[[1e-2, 0.0], [0.0, 1e-2]], [[1e2, 0.0], [0.0, 1e2]]],
    )
    .unwrap();
    let narrow =
        GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1e-300, 0.0], [0.0, 1e-300]]]).unwrap();
    let gm = reference_2d();
    // A path that leaves the plot at once (a large step), one starting far outside it, and
    // one that stays put.
    let paths = [
        Ula::new(50.0)
            .unwrap()
            .run(&gm, &[0.5, 0.5], 30, 1)
            .unwrap(),
        Ula::new(0.05)
            .unwrap()
            .run(&gm, &[1e150, -1e150], 30, 2)
            .unwrap(),
        Ula::new(1e-300)
            .unwrap()
            .run(&gm, &[1.0, 1.0], 30, 3)
            .unwrap(),
    ];
    for (name, density) in [("wide", &wide), ("narrow", &narrow), ("three", &gm)] {
        for (k, path) in paths.iter().enumerate() {
            let field = ScoreField::new(density, -8.0..=8.0, -8.0..=8.0)
                .arrows(12)
                .levels(8)
                .size(300, 280)
                .trajectory(path);
            assert_same(&field, &format!("{name} mixture, path {k}"));
        }
    }
}

/// The field drawn in one pass, or by `render`.
fn drawn(field: &ScoreField<'_>, one_pass: bool) -> Result<Figure, PlotError> {
    if one_pass {
        field.render_in_one_pass()
    } else {
        field.render()
    }
}

/// The frames of a sweep of `frames`, drawn by `render` and in one pass, are the same.
fn assert_same_sweeps(frames: impl Fn(bool) -> Sweep) {
    let (reused, one_pass) = (frames(false), frames(true));
    for (k, (a, b)) in reused.frames().iter().zip(one_pass.frames()).enumerate() {
        assert!(a == b, "frame {k}: the pixels differ");
        assert_eq!(a.texts(), b.texts(), "frame {k}: the texts differ");
    }
}

#[test]
fn a_sweep_over_the_step_size_has_the_frames_of_one_pass_drawings() {
    let _one = one_at_a_time();
    let gm = reference_2d();
    assert_same_sweeps(|one_pass| {
        Sweep::new("step size ε", 0.01..=0.3, 6, |eps| {
            let path = Ula::new(eps)?.run(&gm, &[-6.0, 6.0], 150, 4)?;
            let field = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
                .arrows(15)
                .levels(10)
                .size(320, 300)
                .trajectory(&path);
            drawn(&field, one_pass)
        })
        .unwrap()
    });
}

/// Each frame is drawn first with its own contour levels, then again with the levels of all
/// frames together: the field kept from the first drawing must not stand in for the second.
/// Without a trajectory, nothing else tells the two drawings apart.
#[test]
fn a_sweep_over_a_variance_draws_every_frame_with_the_shared_contour_levels() {
    let _one = one_at_a_time();
    assert_same_sweeps(|one_pass| {
        Sweep::new("variance σ²", 0.5..=3.0, 4, |v| {
            let gm = GaussianMixture::new(
                &[0.5, 0.5],
                &[[-2.0, 0.0], [2.0, 0.0]],
                &[[[v, 0.0], [0.0, v]], [[0.3, 0.0], [0.0, 0.3]]],
            )?;
            let field = ScoreField::new(&gm, -6.0..=6.0, -6.0..=6.0)
                .arrows(12)
                .levels(10)
                .size(300, 280);
            drawn(&field, one_pass)
        })
        .unwrap()
    });
}

#[test]
fn a_field_too_large_to_keep_is_drawn_the_same_as_in_one_pass() {
    let _one = one_at_a_time();
    let gm = reference_2d();
    let path = Ula::new(0.05)
        .unwrap()
        .run(&gm, &[-6.0, 6.0], 100, 6)
        .unwrap();
    // 2200 × 2000 device pixels: 17.6 MB of RGBA, over the 16 MB kept at most.
    let field = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .arrows(10)
        .levels(5)
        .size(1100, 1000)
        .trajectory(&path);
    assert_same(&field, "1100 × 1000 at density 2");
}
