//! Figures render to real PNGs of the requested size with the expected content.

use scorelab::plot::TickAxis;
use scorelab::prelude::*;
use scorelab::studies;

mod common;
use common::{assert_texts_on_canvas_and_apart, decode_png, reference_2d};

fn count(pixels: &[[u8; 3]], pred: impl Fn([u8; 3]) -> bool) -> usize {
    pixels.iter().filter(|p| pred(**p)).count()
}

#[test]
fn curves_1d_draws_three_coloured_curves_at_the_requested_size() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let fig = Curves1d::new(&gm, -6.0..=6.0)
        .size(900, 600)
        .render()
        .unwrap();
    // Drawn at density 2 (sharp on high-density screens), shown at 900 × 600.
    let (w, h, px) = decode_png(fig.png());
    assert_eq!((fig.width(), fig.height(), fig.density()), (900, 600, 2));
    assert_eq!((w, h), (1800, 1200));
    assert!(count(&px, |p| p == [0, 0, 255]) > 500, "no blue pdf curve");
    assert!(
        count(&px, |p| p == [0, 128, 0]) > 500,
        "no green log-pdf curve"
    );
    assert!(count(&px, |p| p == [255, 0, 0]) > 500, "no red score curve");
    // The pdf panel is the top third: blue appears only there.
    let blue_rows: Vec<usize> = px
        .iter()
        .enumerate()
        .filter(|(_, p)| **p == [0, 0, 255])
        .map(|(i, _)| i / w as usize)
        .collect();
    assert!(blue_rows.iter().all(|&r| r < h as usize / 3));
}

#[test]
fn curves_reproduce_the_mixture() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let [xs, p, log_p, s] = Curves1d::new(&gm, -6.0..=6.0)
        .points(1001)
        .curves()
        .unwrap();
    assert_eq!(xs.len(), 1001);
    assert_eq!(xs[500], 0.0);
    // Symmetric mixture: score is odd, zero at 0; log p is the log of p.
    assert!(s[500].abs() < 1e-15 && (s[100] + s[900]).abs() < 1e-12);
    assert!((log_p[300].exp() - p[300]).abs() < 1e-15);
}

#[test]
fn score_field_draws_contours_arrows_and_trajectory() {
    let gm = reference_2d();
    let start = Particles::uniform(-8.0..=8.0).dim(2).point(3).unwrap();
    let path = Ula::new(0.02).unwrap().run(&gm, &start, 500, 3).unwrap();
    let plain = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .render()
        .unwrap();
    let with_path = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .trajectory(&path)
        .render()
        .unwrap();
    // A field is drawn at density 2, like every figure, within a figure's 250 kB.
    let (w, h, px) = decode_png(plain.png());
    assert_eq!((w, h, plain.density()), (1400, 1400, 2));
    assert!(
        plain.png().len() < 250_000,
        "figure is {} bytes",
        plain.png().len()
    );
    // Arrows are dark grey; the innermost contour is Spectral's blue-violet end.
    let grey = |p: [u8; 3]| p[0] == p[1] && p[1] == p[2] && p[0] < 160;
    assert!(count(&px, grey) > 3_000, "no arrows");
    assert!(
        count(&px, |p| {
            let near = |a: u8, b: u8| a.abs_diff(b) < 40;
            near(p[0], 0x5e) && near(p[1], 0x4f) && near(p[2], 0xa2)
        }) > 200,
        "no innermost contour"
    );
    let (_, _, px2) = decode_png(with_path.png());
    assert_eq!(count(&px, |p| p == [255, 0, 0]), 0);
    assert!(
        count(&px2, |p| p == [255, 0, 0]) > 1_000,
        "no red trajectory"
    );
    assert!(
        count(&px2, |p| p == [0, 128, 0]) > 100,
        "no green start point"
    );
}

#[test]
fn normalized_arrows_differ_from_proportional_ones() {
    let gm = reference_2d();
    let a = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .levels(1)
        .render()
        .unwrap();
    let b = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .levels(1)
        .normalized(true)
        .render()
        .unwrap();
    assert_ne!(a.png(), b.png());
}

#[test]
fn bad_figure_parameters_are_errors() {
    let gm1 = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let gm2 = reference_2d();
    let err = ScoreField::new(&gm1, -1.0..=1.0, -1.0..=1.0)
        .render()
        .unwrap_err();
    assert!(
        matches!(
            err,
            PlotError::WrongDimension {
                expected: 2,
                found: 1
            }
        ),
        "{err}"
    );
    let err = Curves1d::new(&gm2, -1.0..=1.0).render().unwrap_err();
    assert!(
        matches!(
            err,
            PlotError::WrongDimension {
                expected: 1,
                found: 2
            }
        ),
        "{err}"
    );
    let err = Curves1d::new(&gm1, 1.0..=-1.0).render().unwrap_err();
    assert!(err.to_string().contains("x range"), "{err}");
    let err = ScoreField::new(&gm2, -1.0..=1.0, -1.0..=1.0)
        .arrows(1)
        .render()
        .unwrap_err();
    assert!(err.to_string().contains("arrows"), "{err}");
    let err = Curves1d::new(&gm1, -1.0..=1.0)
        .size(0, 10)
        .render()
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("figure width = 0 is out of range: must be within 16..="),
        "{err}"
    );
}

#[test]
fn save_writes_the_png() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let fig = Curves1d::new(&gm, -3.0..=3.0)
        .size(300, 300)
        .render()
        .unwrap();
    let path = std::env::temp_dir().join(format!("scorelab-save-{}.png", std::process::id()));
    fig.save(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), fig.png());
    std::fs::remove_file(&path).unwrap();
}

/// The figures of the two ported notebooks, and the defects each must not have.
fn port_figures() -> Vec<(&'static str, Figure)> {
    let gm1 = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let gm2 = reference_2d();
    let start = Particles::uniform(-8.0..=8.0).dim(2).point(3).unwrap();
    let path = Ula::new(0.02).unwrap().run(&gm2, &start, 500, 3).unwrap();
    let sim = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap();
    let cloud = Particles::uniform(-3.0..=3.0).draw(10_000, 0).unwrap();
    let snaps = Ula::new(0.01)
        .unwrap()
        .run_ensemble(&sim, &cloud, 100, &[0, 1, 10, 100], 0)
        .unwrap();
    let xs: Vec<f64> = (1..=40).map(|i| i as f64 * 0.05).collect();
    let ys: Vec<f64> = xs.iter().map(|x| (-5.0 * x).exp()).collect();
    vec![
        ("1-D", Curves1d::new(&gm1, -6.0..=6.0).render().unwrap()),
        (
            "field",
            ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
                .render()
                .unwrap(),
        ),
        (
            "trajectory",
            ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
                .levels(25)
                .trajectory(&path)
                .render()
                .unwrap(),
        ),
        (
            "histograms",
            scorelab::plot::Histograms::snapshots(&sim, &snaps, -4.0..=5.0)
                .render()
                .unwrap(),
        ),
        (
            "log plot",
            LinePlot::new("decay of p_{σ}")
                .labels("σ", "MMD^{2}")
                .line("e^{-5x}", &xs, &ys)
                .dashed("reference", &xs, &xs)
                .log_y(true)
                .render()
                .unwrap(),
        ),
    ]
}

/// The port's figures, and the smaller sizes the notebooks' sweeps draw.
fn port_and_sweep_figures() -> Vec<(&'static str, Figure)> {
    let gm1 = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let gm2 = reference_2d();
    let mut figures = port_figures();
    figures.push((
        "sweep curves",
        Curves1d::new(&gm1, -6.0..=6.0)
            .size(720, 540)
            .render()
            .unwrap(),
    ));
    figures.push((
        "sweep field",
        ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0)
            .arrows(20)
            .levels(10)
            .size(460, 460)
            .render()
            .unwrap(),
    ));
    figures
}

#[test]
fn no_text_overlaps_other_text_or_leaves_the_canvas() {
    for (name, fig) in port_and_sweep_figures() {
        let texts = fig.texts();
        assert!(texts.len() > 10, "{name}: only {} texts", texts.len());
        assert_texts_on_canvas_and_apart(name, &fig);
        // Contour labels follow their lines: on the fields, most are turned.
        if name.contains("field") || name == "trajectory" {
            let turned = texts.iter().filter(|t| t.angle.abs() > 5.0).count();
            assert!(turned >= 3, "{name}: {turned} turned labels");
        }
    }
}

#[test]
fn no_rendered_text_shows_markup_or_a_trailing_zero_on_integers() {
    for (name, fig) in port_figures() {
        for t in fig.texts() {
            assert!(
                !t.text.contains(['_', '^', '{', '}']),
                "{name}: {:?}",
                t.text
            );
            assert!(
                !t.text.contains('['),
                "{name}: {:?} prints a vector",
                t.text
            );
        }
    }
}

/// The tick labels of each axis of a figure, as the canvas recorded them.
fn tick_groups(fig: &Figure) -> Vec<(TickAxis, Vec<String>)> {
    let mut axes: std::collections::BTreeMap<TickAxis, Vec<String>> = Default::default();
    for t in fig.texts() {
        if let Some(axis) = t.axis {
            axes.entry(axis).or_default().push(t.text.clone());
        }
    }
    axes.into_iter().collect()
}

#[test]
fn every_axis_has_two_to_nine_ticks_and_integers_print_without_decimals() {
    for (name, fig) in port_and_sweep_figures() {
        let groups = tick_groups(&fig);
        let panels = |horizontal: bool| {
            groups
                .iter()
                .filter(|(a, _)| a.horizontal == horizontal)
                .count()
        };
        assert!(
            panels(true) >= 1 && panels(true) == panels(false),
            "{name}: {groups:?}"
        );
        for (axis, g) in &groups {
            // Integers print without ".0" (a mixed axis such as −7.5, −5.0 keeps one decimal).
            // AutoLocator's nbins is at most 9; a short axis may get two or three ticks.
            assert!(
                (2..=9).contains(&g.len()),
                "{name}: {axis:?} has ticks {g:?}"
            );
            assert!(!g.iter().all(|t| t.ends_with(".0")), "{name}: {g:?}");
        }
    }
    // Stacked and side-by-side panels are told apart: three axes pairs, and four.
    let count = |name: &str| {
        tick_groups(
            &port_figures()
                .into_iter()
                .find(|(n, _)| *n == name)
                .unwrap()
                .1,
        )
        .len()
    };
    assert_eq!(count("1-D"), 6);
    assert_eq!(count("histograms"), 8);
}

#[test]
fn lines_are_anti_aliased() {
    // A straight diagonal line: an aliased one is pure colour on white; an anti-aliased one
    // has intermediate shades along its edges.
    let xs = [0.0, 1.0];
    let fig = LinePlot::new("diagonal")
        .line("y = x", &xs, &xs)
        .render()
        .unwrap();
    let (_, _, px) = decode_png(fig.png());
    let blue = [31u8, 119, 180];
    let pure = count(&px, |p| p == blue);
    let blends = count(&px, |p| {
        p != blue && p != [255, 255, 255] && (0..3).all(|c| p[c] >= blue[c])
    });
    assert!(pure > 100, "{pure} pure pixels");
    assert!(
        blends > pure / 2,
        "{blends} blended pixels for {pure} pure ones"
    );
}

#[test]
fn a_one_dimensional_cloud_on_a_field_is_an_error() {
    let gm = reference_2d();
    let cloud = Particles::uniform(-3.0..=3.0).draw(100, 0).unwrap();
    let err = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .particles(&cloud)
        .render()
        .unwrap_err();
    assert!(
        matches!(
            err,
            PlotError::WrongDimension {
                expected: 2,
                found: 1
            }
        ),
        "{err}"
    );
}

#[test]
fn histogram_titles_give_steps_and_time() {
    let sim = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2]).unwrap();
    let cloud = Particles::uniform(-3.0..=3.0).draw(1000, 0).unwrap();
    let snaps = Ula::new(0.01)
        .unwrap()
        .run_ensemble(&sim, &cloud, 100, &[0, 100], 0)
        .unwrap();
    let fig = scorelab::plot::Histograms::snapshots(&sim, &snaps, -4.0..=5.0)
        .render()
        .unwrap();
    let titles: Vec<&str> = fig.texts().iter().map(|t| t.text.as_str()).collect();
    assert!(titles.contains(&"step 100 · t = 1"), "{titles:?}");
}

#[test]
fn a_mala_chain_is_labelled_as_one() {
    let gm = reference_2d();
    let legend_has = |path: &Trajectory, name: &str| {
        ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
            .trajectory(path)
            .render()
            .unwrap()
            .texts()
            .iter()
            .any(|t| t.text == name)
    };
    let ula = Ula::new(0.02)
        .unwrap()
        .run(&gm, &[0.0, 0.0], 50, 1)
        .unwrap();
    let mala = Mala::new(0.5)
        .unwrap()
        .run(&gm, &[0.0, 0.0], 50, 1)
        .unwrap();
    assert!(legend_has(&ula, "Langevin trajectory") && !legend_has(&ula, "MALA chain"));
    assert!(legend_has(&mala, "MALA chain") && !legend_has(&mala, "Langevin trajectory"));
}

/// Whether `text` shows a number the way Rust's Debug or `{:e}` writes it: an ASCII hyphen as
/// a minus sign ("-4", "x - 1" is fine), an `e` exponent ("1e-5", "2.1e-10"), a vector in
/// brackets, or, in a text with words (a title or legend, not a tick or contour label, whose
/// decimals follow the step), a trailing zero after rounding ("0.220").
fn shows_raw_number(text: &str) -> bool {
    let c: Vec<char> = text.chars().collect();
    (0..c.len()).any(|i| {
        let next_digit = c.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        let prev = if i > 0 { c[i - 1] } else { ' ' };
        (c[i] == '-' && next_digit)
            || (c[i] == 'e' && prev.is_ascii_digit() && matches!(c.get(i + 1), Some('-' | '+')))
            || (c[i] == '['
                && c.get(i + 1)
                    .is_some_and(|d| d.is_ascii_digit() || *d == '-'))
    }) || (text.chars().any(char::is_alphabetic)
        && text
            .split(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
            .any(|w| w.contains('.') && w.len() > 3 && w.ends_with('0') && !w.ends_with(".0")))
}

#[test]
fn numbers_in_figures_have_true_minus_signs_and_no_debug_output() {
    assert!(shows_raw_number("μ = [-4.0]") && shows_raw_number("h = 1e-5"));
    assert!(shows_raw_number("ε = 0.220") && shows_raw_number("−7.5, -5"));
    assert!(!shows_raw_number(
        "Log-PDF of x − 1, ε = 0.22, −5.0, 2.1×10⁻¹⁰, CD-k"
    ));
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let stuck = GaussianMixture::new_1d(&[0.8, 0.2], &[-4.0, 4.0], &[0.5, 0.5]).unwrap();
    let start = Particles::uniform(-6.0..=6.0).draw(2_000, 2).unwrap();
    let snaps = Ula::new(0.01)
        .unwrap()
        .run_ensemble(&stuck, &start, 100, &[0, 50, 100], 3)
        .unwrap();
    let mut figures = port_and_sweep_figures();
    figures.extend([
        (
            "finite difference",
            studies::finite_difference_check(&gm, -6.0..=6.0, 1e-5)
                .unwrap()
                .figure()
                .unwrap(),
        ),
        (
            "occupancy",
            studies::occupancy_over_time(&stuck, &snaps)
                .unwrap()
                .figure()
                .unwrap(),
        ),
        (
            "step size bias",
            studies::step_size_bias(1.0)
                .steps(&[0.05, 0.5, 1.0])
                .particles(500)
                .run()
                .unwrap()
                .figure()
                .unwrap(),
        ),
    ]);
    for (name, fig) in figures {
        for t in fig.texts() {
            assert!(!shows_raw_number(&t.text), "{name}: {:?}", t.text);
        }
    }
}
