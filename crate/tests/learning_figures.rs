//! The figures of learning and diffusion drawn by the crate's rules: ticks on every axis (the
//! colour bar's too), no text on other text or off the canvas, legends off the data they could
//! avoid, anti-aliased lines drawn where their points are (not at whole pixels).

use scorelab::learn::RbfFeatures;
use scorelab::plot::{TextBox, TickAxis, diffusion, learning};
use scorelab::prelude::*;
use scorelab::studies;

mod common;
use common::{assert_texts_on_canvas_and_apart, decode_png, reference_2d};

/// The 1-D data of notebook 07.
fn data_1d() -> GaussianMixture {
    GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 1.5], &[0.4, 0.6]).unwrap()
}

/// The VE process of notebook 07 and short reverse runs from its prior (SDE and ODE).
fn ve_paths() -> (Diffusion, ReverseRun, ReverseRun) {
    let ve = Diffusion::variance_exploding(&data_1d(), 0.01..=10.0).unwrap();
    let start = Particles::sample(&ve.marginal(1.0).unwrap(), 40, 1).unwrap();
    let sde = ReverseSampler::Sde
        .steps(200)
        .record(Record::Every(4))
        .seed(2)
        .run(&ve, &ve, &start)
        .unwrap();
    let ode = ReverseSampler::Ode
        .steps(100)
        .record(Record::Every(2))
        .run(&ve, &ve, &start)
        .unwrap();
    (ve, sde, ode)
}

fn paths_figure(ve: &Diffusion, sde: &ReverseRun, ode: &ReverseRun) -> Figure {
    diffusion::diffusion_paths(
        ve,
        &[("reverse SDE", sde), ("probability-flow ODE", ode)],
        12,
        -6.0..=6.0,
    )
    .unwrap()
}

/// KS distances as notebook 07 measures them: falling with the number of steps.
fn steps_series() -> (Vec<usize>, Vec<(String, Vec<f64>)>) {
    let steps = vec![5, 10, 20, 50, 100];
    let series = vec![
        ("SDE".to_string(), vec![0.40, 0.112, 0.038, 0.028, 0.031]),
        ("ODE".to_string(), vec![0.129, 0.039, 0.026, 0.032, 0.032]),
        (
            "learned".to_string(),
            vec![0.341, 0.117, 0.048, 0.025, 0.031],
        ),
    ];
    (steps, series)
}

/// The error map of notebook 06: a DSM fit at σ = 0.5 against the exact score of p_σ.
fn error_map() -> (GaussianMixture, Figure) {
    let gm = reference_2d();
    let samples = Particles::sample(&gm, 2000, 3).unwrap();
    let features = RbfFeatures::grid(2, -8.0..=8.0, 13).unwrap();
    let fit = LinearScore::dsm(0.5)
        .draws(2)
        .fit(&features, &samples, 4)
        .unwrap();
    let exact = gm.perturbed(0.5).unwrap();
    let fig = learning::score_error_map(&exact, &fit, -8.0..=8.0, -8.0..=8.0).unwrap();
    (exact, fig)
}

fn all_figures() -> Vec<(&'static str, Figure)> {
    let (steps, series) = steps_series();
    let (ve, sde, ode) = ve_paths();
    vec![
        (
            "steps",
            diffusion::steps_needed(&steps, &series, "KS distance D").unwrap(),
        ),
        ("error map", error_map().1),
        ("paths", paths_figure(&ve, &sde, &ode)),
    ]
}

/// Each axis' tick labels (text and box), as the canvas recorded them.
fn axes(fig: &Figure) -> Vec<(TickAxis, Vec<TextBox>)> {
    let mut axes: std::collections::BTreeMap<TickAxis, Vec<TextBox>> = Default::default();
    for t in fig.texts() {
        if let Some(axis) = t.axis {
            axes.entry(axis).or_default().push(t.clone());
        }
    }
    axes.into_iter().collect()
}

/// The number a tick label shows: "−2.5", "10⁻¹" or "3×10⁻²".
fn value(label: &str) -> f64 {
    const RAISED: &str = "⁻⁰¹²³⁴⁵⁶⁷⁸⁹";
    let (mantissa, power) = match label.split_once("10") {
        Some((m, p)) if !p.is_empty() && p.chars().all(|c| RAISED.contains(c)) => {
            (m.trim_end_matches('×'), Some(p))
        }
        _ => (label, None),
    };
    let number = |s: &str| s.replace('−', "-").parse::<f64>().unwrap();
    match power {
        None => number(mantissa),
        Some(p) => {
            let digits: String = p
                .chars()
                .map(|c| match RAISED.chars().position(|d| d == c) {
                    Some(0) => '-',
                    Some(i) => char::from(b'0' + i as u8 - 1),
                    None => c,
                })
                .collect();
            let m = if mantissa.is_empty() {
                1.0
            } else {
                number(mantissa)
            };
            m * 10f64.powi(digits.parse().unwrap())
        }
    }
}

fn centre(t: &TextBox) -> (f64, f64) {
    (0.5 * (t.x0 + t.x1), 0.5 * (t.y0 + t.y1))
}

/// From data to canvas pixels along one axis, read off its first and last tick labels
/// (logarithmic if `log`).
fn scale(ticks: &[TextBox], horizontal: bool, log: bool) -> impl Fn(f64) -> f64 + use<> {
    let f = move |v: f64| if log { v.log10() } else { v };
    let at = |t: &TextBox| {
        let (x, y) = centre(t);
        (f(value(&t.text)), if horizontal { x } else { y })
    };
    let ((v0, p0), (v1, p1)) = (at(&ticks[0]), at(&ticks[ticks.len() - 1]));
    move |v: f64| p0 + (f(v) - v0) / (v1 - v0) * (p1 - p0)
}

/// Data to canvas pixels on a heat map's plot (linear axes): from the axes whose corner is the
/// leftmost (the colour bar's is right of it).
fn plot_scales(fig: &Figure) -> (impl Fn(f64) -> f64, impl Fn(f64) -> f64) {
    let axes = axes(fig);
    let left = axes.iter().map(|(a, _)| a.x).min().unwrap();
    let find = |h: bool| {
        &axes
            .iter()
            .find(|(a, _)| a.horizontal == h && a.x == left)
            .unwrap()
            .1
    };
    (
        scale(find(true), true, false),
        scale(find(false), false, false),
    )
}

/// The box (left, top, right, bottom) of the legend whose entries are `names`: their labels'
/// boxes widened by the swatch on the left and the padding around.
fn legend_box(fig: &Figure, names: &[&str]) -> (f64, f64, f64, f64) {
    let boxes: Vec<&TextBox> = names
        .iter()
        .map(|n| fig.texts().iter().find(|t| t.text == *n).unwrap())
        .collect();
    let l = boxes.iter().map(|b| b.x0).fold(f64::INFINITY, f64::min);
    let t = boxes.iter().map(|b| b.y0).fold(f64::INFINITY, f64::min);
    let r = boxes.iter().map(|b| b.x1).fold(f64::NEG_INFINITY, f64::max);
    let b = boxes.iter().map(|b| b.y1).fold(f64::NEG_INFINITY, f64::max);
    (l - 41.0, t - 4.0, r + 7.0, b + 4.0)
}

fn inside((l, t, r, b): (f64, f64, f64, f64), (x, y): (f64, f64)) -> bool {
    x >= l && x <= r && y >= t && y <= b
}

/// Points every `1/n` of the way along each segment of a polyline.
fn along(points: &[(f64, f64)], n: usize) -> Vec<(f64, f64)> {
    points
        .windows(2)
        .flat_map(|w| {
            (0..=n).map(move |k| {
                let s = k as f64 / n as f64;
                (
                    w[0].0 + s * (w[1].0 - w[0].0),
                    w[0].1 + s * (w[1].1 - w[0].1),
                )
            })
        })
        .collect()
}

#[test]
fn every_axis_and_colour_bar_has_two_to_nine_labelled_ticks() {
    for (name, fig) in all_figures() {
        let axes = axes(&fig);
        let expected = if name == "steps" { 2 } else { 3 };
        assert_eq!(axes.len(), expected, "{name}: {axes:?}");
        for (axis, ticks) in &axes {
            let labels: Vec<&str> = ticks.iter().map(|t| t.text.as_str()).collect();
            // matplotlib's AutoLocator (at most 9 bins); a log axis over a decade or two labels
            // only its decades.
            assert!(
                (2..=9).contains(&labels.len()),
                "{name}: {axis:?} has ticks {labels:?}"
            );
        }
    }
}

#[test]
fn no_text_overlaps_other_text_or_leaves_the_canvas() {
    for (name, fig) in all_figures() {
        let texts = fig.texts();
        assert!(texts.len() > 6, "{name}: only {} texts", texts.len());
        assert_texts_on_canvas_and_apart(name, &fig);
        for a in texts {
            assert!(!a.text.contains(['_', '^', '{', '}']), "{name}: {a:?}");
        }
    }
}

#[test]
fn the_steps_legend_leaves_the_rising_curves_alone() {
    // Distances that rise with the steps fill the upper right, where a fixed legend sat.
    let steps = [5, 10, 20, 50, 100];
    let series: Vec<(String, Vec<f64>)> = (0..3)
        .map(|k| {
            let ys = steps
                .iter()
                .map(|&s| 0.01 * (1.0 + k as f64) * (s as f64).sqrt())
                .collect();
            (format!("sampler {k}"), ys)
        })
        .collect();
    let fig = diffusion::steps_needed(&steps, &series, "error").unwrap();
    let axes = axes(&fig);
    let (x, y) = (&axes[0], &axes[1]);
    let (x, y) = if x.0.horizontal { (x, y) } else { (y, x) };
    let (px, py) = (scale(&x.1, true, true), scale(&y.1, false, true));
    let legend = legend_box(&fig, &["sampler 0", "sampler 1", "sampler 2"]);
    for (_, ys) in &series {
        let line: Vec<(f64, f64)> = steps
            .iter()
            .zip(ys)
            .map(|(&s, &v)| (px(s as f64), py(v)))
            .collect();
        for p in along(&line, 40) {
            assert!(!inside(legend, p), "legend {legend:?} covers {p:?}");
        }
    }
}

#[test]
fn the_paths_legend_covers_no_path() {
    let (ve, sde, ode) = ve_paths();
    let fig = paths_figure(&ve, &sde, &ode);
    let (px, py) = plot_scales(&fig);
    let legend = legend_box(&fig, &["reverse SDE", "probability-flow ODE"]);
    for run in [&sde, &ode] {
        for i in 0..12 {
            let line: Vec<(f64, f64)> = run
                .times()
                .iter()
                .zip(run.path(i, 0))
                .filter(|(_, x)| x.abs() <= 6.0)
                .map(|(&t, x)| (px(t), py(x)))
                .collect();
            for p in along(&line, 10) {
                assert!(!inside(legend, p), "legend {legend:?} covers {p:?}");
            }
        }
    }
}

#[test]
fn the_error_maps_legend_sits_beside_the_map_over_no_data() {
    let (_, fig) = error_map();
    let (px, py) = plot_scales(&fig);
    let (l, t, _, _) = legend_box(
        &fig,
        &[
            "p = 1 % of its peak",
            "p = 0.1 % of its peak",
            "p = 0.01 % of its peak",
        ],
    );
    // Right of the map (and of its colour bar), level with the map's top.
    assert!(
        l > px(8.0),
        "legend at x = {l}, the map ends at {}",
        px(8.0)
    );
    assert!(t >= py(8.0) && t < py(0.0), "legend at y = {t}");
}

#[test]
fn diagonal_lines_are_anti_aliased_at_density_two() {
    // One straight series from corner to corner, on log axes.
    let fig = diffusion::steps_needed(
        &[1, 1000],
        &[("diagonal".to_string(), vec![1e-3, 1.0])],
        "D",
    )
    .unwrap();
    assert_eq!(fig.density(), 2);
    let (_, _, px) = decode_png(fig.png());
    let blue = [31u8, 119, 180];
    let pure = px.iter().filter(|&&p| p == blue).count();
    let blends = px
        .iter()
        .filter(|&&p| p != blue && p != [255; 3] && (0..3).all(|c| p[c] >= blue[c]))
        .count();
    assert!(pure > 100, "{pure} pure pixels");
    assert!(blends > pure / 2, "{blends} blends for {pure} pure pixels");
}

#[test]
fn the_learning_figures_are_small_enough_for_a_notebook() {
    for (name, fig) in all_figures() {
        assert_eq!(fig.density(), 2, "{name}");
        assert!(
            fig.png().len() < 250_000,
            "{name}: {} bytes",
            fig.png().len()
        );
    }
}

/// Per column of a figure, the centre of a line's ink: rows within 5 px of the column's
/// strongest blend of white and `color`, each weighted by how far it is from white towards
/// `color` (pixels that are not such a blend, like the grey edges of text, weigh nothing).
fn ink_centres(fig: &Figure, color: [u8; 3], columns: std::ops::Range<usize>) -> Vec<(f64, f64)> {
    let (w, h, px) = decode_png(fig.png());
    let (w, h) = (w as usize, h as usize);
    let ink = |x: usize, y: usize| {
        // How far towards `color` each channel is; a blend has them all alike.
        let t = |c: usize| f64::from(255 - px[y * w + x][c]) / f64::from(255 - color[c]);
        let (lo, hi) = (t(0).min(t(1)).min(t(2)), t(0).max(t(1)).max(t(2)));
        if hi - lo < 0.15 { t(0) } else { 0.0 }
    };
    columns
        .filter_map(|x| {
            let peak = (0..h).max_by(|&a, &b| ink(x, a).total_cmp(&ink(x, b)))?;
            let rows = peak.saturating_sub(5)..(peak + 6).min(h);
            let weight: f64 = rows.clone().map(|y| ink(x, y)).sum();
            let sum: f64 = rows.map(|y| ink(x, y) * y as f64).sum();
            (weight > 0.5).then(|| (x as f64, sum / weight))
        })
        .collect()
}

#[test]
fn a_line_through_many_points_is_drawn_where_they_are_not_at_whole_pixels() {
    // A shallow straight line through 400 points: at density 2 its vertices fall between
    // device pixels. Drawn exactly, the ink's centre in every column lies on one straight
    // line; with every vertex moved to a whole pixel it steps by up to half a pixel.
    let xs: Vec<f64> = (0..400).map(|i| i as f64 / 399.0).collect();
    let ys: Vec<f64> = xs.iter().map(|x| 0.2 + 0.13 * x).collect();
    let fig = LinePlot::new("a shallow line")
        .line("y = 0.2 + 0.13 x", &xs, &ys)
        .y_range(0.0, 1.0)
        .render()
        .unwrap();
    assert_eq!(fig.density(), 2);
    let w = 2 * fig.width() as usize;
    let centres = ink_centres(&fig, [31, 119, 180], w / 3..2 * w / 3);
    assert!(centres.len() > w / 4, "{} columns with ink", centres.len());
    // Least-squares line through the centres, and the largest distance from it.
    let n = centres.len() as f64;
    let (mx, my) = centres
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let slope = centres
        .iter()
        .map(|(x, y)| (x - mx) * (y - my))
        .sum::<f64>()
        / centres.iter().map(|(x, _)| (x - mx).powi(2)).sum::<f64>();
    let worst = centres
        .iter()
        .map(|(x, y)| (y - (my + slope * (x - mx))).abs())
        .fold(0.0, f64::max);
    // Drawn exactly: 0.09 px at most. Vertices at whole device pixels: 0.47 px.
    assert!(
        worst < 0.2,
        "the line strays {worst:.3} device px from straight"
    );
}

#[test]
fn the_ode_paths_swatch_shows_on_the_legend() {
    // The ODE paths are deep blue, to read on the pale heat map; their legend swatch must show:
    // some pixel beside the label is clearly blue.
    let (ve, sde, ode) = ve_paths();
    let fig = paths_figure(&ve, &sde, &ode);
    let label = fig
        .texts()
        .iter()
        .find(|t| t.text == "probability-flow ODE")
        .unwrap();
    let (w, _, px) = decode_png(fig.png());
    let w = w as usize;
    let cy = (label.y0 + label.y1) / 2.0;
    let blue = (2 * (label.x0 - 30.0) as usize..2 * (label.x0 - 10.0) as usize)
        .flat_map(|x| (2 * (cy - 3.0) as usize..2 * (cy + 3.0) as usize).map(move |y| (x, y)))
        .filter(|&(x, y)| {
            let [r, _, b] = px[y * w + x];
            r < 100 && b > 150
        })
        .count();
    assert!(blue > 10, "{blue} blue pixels: the swatch does not show");
}

#[test]
fn failures_of_a_figure_s_inputs_keep_their_type() {
    let data = data_1d();
    let vp = Diffusion::variance_preserving(&data, 0.1..=20.0).unwrap();
    // A time past the horizon is the diffusion's error, not a string about a parameter.
    let err = diffusion::marginal(&vp, 1.5, -5.0..=5.0).unwrap_err();
    assert!(matches!(err, PlotError::Diffusion(_)), "{err:?}");
    // A negative noise level is the mixture's error (it was reported as "invalid sigma").
    let err = studies::tweedie_denoiser(&data, -1.0)
        .draws(50)
        .seed(5)
        .run()
        .unwrap_err();
    assert!(matches!(err, StudyError::Mixture(_)), "{err:?}");
    // Too many clean points is the sampler's limit, not "invalid sigma".
    let err = studies::tweedie_denoiser(&data, 0.5)
        .draws(usize::MAX)
        .seed(5)
        .run()
        .unwrap_err();
    assert!(matches!(err, StudyError::Sampler(_)), "{err:?}");
    // Features of another dimension than the samples: the fit's own error.
    let gm2 = reference_2d();
    let features = RbfFeatures::grid(1, -4.0..=4.0, 4).unwrap();
    let samples = Particles::sample(&gm2, 50, 0).unwrap();
    let err = studies::dsm_error_map(&gm2, &features, &samples, 0.5).unwrap_err();
    assert!(matches!(err, StudyError::Learn(_)), "{err:?}");
    // Inside a sweep's closure, `?` keeps the study's error whole.
    let err = Sweep::over("σ", [0.5, 1.0], |s| {
        studies::dsm_error_map(&gm2, &features, &samples, s)?
            .window(-8.0..=8.0, -8.0..=8.0)
            .figure()
    })
    .unwrap_err();
    let PlotError::Frame { cause, .. } = err else {
        panic!("expected a frame error, got {err:?}")
    };
    let PlotError::Study(study) = *cause else {
        panic!("expected a study's error, got {cause:?}")
    };
    assert!(
        matches!(study.downcast_ref(), Some(StudyError::Learn(_))),
        "{study:?}"
    );
}

#[test]
fn a_marginal_is_drawn_at_the_density_asked_for_and_as_the_short_form_draws_it() {
    let vp = Diffusion::variance_preserving(&data_1d(), 0.1..=20.0).unwrap();
    let short = diffusion::marginal(&vp, 0.3, -5.0..=5.0).unwrap();
    let built = diffusion::Marginal::new(&vp, 0.3, -5.0..=5.0)
        .render()
        .unwrap();
    assert_eq!(short.density(), 2);
    assert_eq!(
        built.png(),
        short.png(),
        "the short form is the builder's default"
    );
    // A live draft: one pixel per logical pixel, drawn so rather than shrunk from 2×.
    let draft = diffusion::Marginal::new(&vp, 0.3, -5.0..=5.0)
        .density(1)
        .render()
        .unwrap();
    assert_eq!(
        (draft.width(), draft.height(), draft.density()),
        (1200, 800, 1)
    );
    let (w, h, _) = decode_png(draft.png());
    assert_eq!((w, h), (1200, 800));
    assert_ne!(
        draft.png(),
        &short.png_1x()[..],
        "drawn at 1×, not the 2× figure shrunk"
    );
    for bad in [0, 5] {
        let err = diffusion::Marginal::new(&vp, 0.3, -5.0..=5.0)
            .density(bad)
            .render()
            .unwrap_err();
        assert!(
            matches!(err, PlotError::InvalidParameter { .. }),
            "{bad}: {err:?}"
        );
    }
    let err = diffusion::Marginal::new(&vp, f64::NAN, -5.0..=5.0)
        .density(1)
        .render()
        .unwrap_err();
    assert!(matches!(err, PlotError::Diffusion(_)), "{err:?}");
}
