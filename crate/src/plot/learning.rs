//! The figures of learning a score and of diffusion: energy, learning curves, where a learned
//! score is wrong, Tweedie denoising, reverse-time paths over p_t, and steps needed.
//!
//! Each is a function returning a [`Figure`]; curves go through [`LinePlot`], fields through
//! [`ScoreField`]; only the two heat maps are drawn here.

use std::ops::RangeInclusive;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rand_distr::{Distribution, StandardNormal};

use super::axes::drawing;
use super::contours::Grid;
use super::font::FAMILY;
use super::Figure;
use super::{check_range, Curves1d, LinePlot, ScoreField};
use crate::error::PlotError;
use crate::learn::{tweedie, LearningCurve, LinearScore, RbfFeatures};
use crate::model::diffusion::{Diffusion, HORIZON};
use crate::model::mixture::GaussianMixture;
use crate::model::score::{Density, Dimension, LogDensity, Score};
use crate::sample::ensemble::{particle_rng, Particles};
use crate::sample::reverse::ReverseRun;

/// Lines in data coordinates, each a list of points.
type Polylines = Vec<Vec<(f64, f64)>>;

/// A density seen as an energy $E = -\log p$: contours of E, arrows of $s = -\nabla E$.
struct Energy<'a>(&'a dyn Density);

impl Dimension for Energy<'_> {
    fn dim(&self) -> usize {
        self.0.dim()
    }
}
impl LogDensity for Energy<'_> {
    fn log_prob(&self, x: &[f64]) -> f64 {
        -self.0.log_prob(x)
    }
}
impl Score for Energy<'_> {
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        self.0.score_into(x, out);
    }
}

/// The energy landscape $E(x) = -\log p(x)$ of a 2-D density (labelled contours; Z only shifts
/// the labels) with the score arrows $s = -\nabla E$, which point downhill in energy.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]])?;
/// let fig = scorelab::plot::learning::energy_field(&gm, -3.0..=3.0, -3.0..=3.0)?;
/// assert!(fig.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`ScoreField::render`].
pub fn energy_field(
    density: &dyn Density,
    x: RangeInclusive<f64>,
    y: RangeInclusive<f64>,
) -> Result<Figure, PlotError> {
    ScoreField::new(&Energy(density), x, y)
        .arrows(25)
        .levels(12)
        .size(600, 600)
        .title("Energy E = −log p (contours) and score s = −∇E (arrows)")
        .render()
}

/// The data's mean log-likelihood against iteration for each fit, with the true mixture's as a
/// dashed line.
///
/// # Errors
/// [`PlotError::InvalidParameter`] for no curves.
pub fn learning_curves(
    curves: &[&LearningCurve],
    truth: &GaussianMixture,
    data: &Particles,
) -> Result<Figure, PlotError> {
    if curves.is_empty() {
        return Err(PlotError::InvalidParameter {
            name: "curves",
            reason: "no learning curves to draw".into(),
        });
    }
    let mut plot = LinePlot::new("Learning curves: mean log-likelihood of the data")
        .labels("iteration", "mean log-likelihood of the data");
    let mut longest = 0;
    for (i, c) in curves.iter().enumerate() {
        let ll = c.log_likelihood();
        longest = longest.max(ll.len());
        let its: Vec<f64> = (0..ll.len()).map(|t| t as f64).collect();
        plot = plot.line(c.method().name(), &its, ll).color(i);
    }
    let ll_true = data.points().map(|x| truth.log_prob(x)).sum::<f64>() / data.len().max(1) as f64;
    let ends = [0.0, longest.saturating_sub(1) as f64];
    plot.dashed("true mixture", &ends, &[ll_true, ll_true])
        .color(5)
        .render()
}

/// Each fit's means (1-D mixtures) against iteration, with the true means dashed.
///
/// # Errors
/// [`PlotError::WrongDimension`] unless the truth is 1-D, [`PlotError::InvalidParameter`] for
/// no curves.
pub fn mean_paths(curves: &[&LearningCurve], truth: &GaussianMixture) -> Result<Figure, PlotError> {
    if truth.dim() != 1 {
        return Err(PlotError::WrongDimension {
            expected: 1,
            found: truth.dim(),
        });
    }
    if curves.is_empty() {
        return Err(PlotError::InvalidParameter {
            name: "curves",
            reason: "no learning curves to draw".into(),
        });
    }
    let mut plot =
        LinePlot::new("Means during the fit (dashed: the true means)").labels("iteration", "μₖ");
    let mut longest = 0;
    for (i, c) in curves.iter().enumerate() {
        for k in 0..truth.n_components() {
            let path = c.mean_path(k, 0);
            longest = longest.max(path.len());
            let its: Vec<f64> = (0..path.len()).map(|t| t as f64).collect();
            let name = if k == 0 {
                c.method().name()
            } else {
                String::new()
            };
            plot = plot.line(name, &its, &path).color(i);
        }
    }
    let ends = [0.0, longest.saturating_sub(1) as f64];
    for k in 0..truth.n_components() {
        let mu = truth.mean(k).map_or(0.0, |m| m[0]);
        let name = if k == 0 { "true" } else { "" };
        plot = plot.dashed(name, &ends, &[mu, mu]).color(5);
    }
    plot.render()
}

/// Where a learned score is wrong: $\log_{10}\lVert s_\theta - s\rVert$ over the plane as a heat map,
/// with the contours of the exact density at 1 %, 0.1 % and 0.01 % of its peak (dashed where it is
/// low).
///
/// # Errors
/// [`PlotError::WrongDimension`] unless both are 2-D; [`PlotError::InvalidParameter`] for an
/// empty range.
pub fn score_error_map(
    exact: &dyn Density,
    learned: &dyn Score,
    x: RangeInclusive<f64>,
    y: RangeInclusive<f64>,
) -> Result<Figure, PlotError> {
    for found in [exact.dim(), learned.dim()] {
        if found != 2 {
            return Err(PlotError::WrongDimension { expected: 2, found });
        }
    }
    let (xr, yr) = ((*x.start(), *x.end()), (*y.start(), *y.end()));
    check_range("x range", xr)?;
    check_range("y range", yr)?;
    let n = 120;
    let error = Grid::sample(xr, yr, (n, n), |a, b| {
        let (s, t) = (learned.score(&[a, b]), exact.score(&[a, b]));
        let e = ((s[0] - t[0]).powi(2) + (s[1] - t[1]).powi(2)).sqrt();
        e.max(1e-6).log10()
    });
    let logp = Grid::sample(xr, yr, (n, n), |a, b| exact.log_prob(&[a, b]));
    let peak = logp.finite_range().map_or(0.0, |r| r.1);
    let contours: Vec<(Polylines, String)> = [2.0, 3.0, 4.0]
        .iter()
        .map(|&dec| {
            (
                logp.level_lines(peak - dec * std::f64::consts::LN_10),
                format!("p = {} % of its peak", tick(&(100.0 / 10f64.powf(dec)))),
            )
        })
        .collect();
    heat_map(
        &error,
        "Error of the learned score, log₁₀‖learned − exact‖ (contours: data density)",
        ("x₁", "x₂"),
        "log₁₀ error",
        &contours,
        &[],
    )
}

/// The error map of [`score_error_map`] for a score fit by DSM at noise σ (one noise draw per
/// sample, ridge 10⁻⁴) against the exact score of $p_\sigma$: one frame of a sweep over σ.
///
/// # Errors
/// [`PlotError::InvalidParameter`] if the fit fails (σ ≤ 0, too few samples for the features,
/// dimensions that disagree), else as [`score_error_map`].
pub fn dsm_error_map(
    data: &GaussianMixture,
    features: &RbfFeatures,
    samples: &Particles,
    sigma: f64,
    x: RangeInclusive<f64>,
    y: RangeInclusive<f64>,
) -> Result<Figure, PlotError> {
    let fit_failed = |e: &dyn std::fmt::Display| PlotError::InvalidParameter {
        name: "fit",
        reason: e.to_string(),
    };
    let exact = data.perturbed(sigma).map_err(|e| fit_failed(&e))?;
    let fit =
        LinearScore::fit_dsm(features, samples, sigma, 1e-4, 1, 4).map_err(|e| fit_failed(&e))?;
    score_error_map(&exact, &fit, x, y)
}

/// The marginal $p(x, t)$ of a 1-D diffusion at time t as a curve (pdf, log-pdf and score
/// panels): one frame of a sweep over t.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1, 20.0)?;
/// assert!(scorelab::plot::learning::marginal(&vp, 0.3, -5.0..=5.0)?.png().len() > 1000);
/// assert!(scorelab::plot::learning::marginal(&vp, 1.5, -5.0..=5.0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`PlotError::InvalidParameter`] for t outside [0, T], else as [`Curves1d::render`].
pub fn marginal(
    process: &Diffusion,
    t: f64,
    range: RangeInclusive<f64>,
) -> Result<Figure, PlotError> {
    let p_t = process
        .marginal(t)
        .map_err(|e| PlotError::InvalidParameter {
            name: "t",
            reason: e.to_string(),
        })?;
    Curves1d::new(&p_t, range)
        .name(format!("p(x, t), t = {t}"))
        .render()
}

/// Tweedie's denoiser in 1-D: `n` pairs (noisy x̃ = x + σz, clean x) as dots, the posterior mean
/// $\mathbb E[x\mid\tilde x] = \tilde x + \sigma^2\nabla\log p_\sigma(\tilde x)$ as a curve through
/// them, and the identity (no denoising) dashed.
///
/// # Errors
/// [`PlotError::WrongDimension`] unless `data` is 1-D; [`PlotError::InvalidParameter`] for
/// σ ≤ 0 or an empty range.
pub fn tweedie_denoiser(
    data: &GaussianMixture,
    sigma: f64,
    n: usize,
    range: RangeInclusive<f64>,
    seed: u64,
) -> Result<Figure, PlotError> {
    if data.dim() != 1 {
        return Err(PlotError::WrongDimension {
            expected: 1,
            found: data.dim(),
        });
    }
    let (lo, hi) = (*range.start(), *range.end());
    check_range("range", (lo, hi))?;
    let bad_sigma = |e: &dyn std::fmt::Display| PlotError::InvalidParameter {
        name: "sigma",
        reason: e.to_string(),
    };
    let perturbed = data.perturbed(sigma).map_err(|e| bad_sigma(&e))?;
    let clean = Particles::sample(data, n.max(2), seed).map_err(|e| bad_sigma(&e))?;
    // x̃ = x + σ z, each clean point with its own noise draw.
    let mut rng = particle_rng(seed, 1);
    let xs: Vec<f64> = clean.coordinate(0);
    let xt: Vec<f64> = xs
        .iter()
        .map(|x| {
            let z: f64 = StandardNormal.sample(&mut rng);
            x + sigma * z
        })
        .collect::<Vec<f64>>();
    let grid: Vec<f64> = (0..=300)
        .map(|i| lo + (hi - lo) * i as f64 / 300.0)
        .collect();
    let points = Particles::from_flat(1, grid.clone()).map_err(|e| bad_sigma(&e))?;
    let denoised = tweedie(&perturbed, sigma, &points)
        .map_err(|e| bad_sigma(&e))?
        .coordinate(0);
    LinePlot::new(format!("Tweedie's denoiser, σ = {sigma}"))
        .labels("noisy y = x + σz", "clean x")
        .points("pairs (y, x)", &xt, &xs)
        .color(0)
        .line("Tweedie: E[x | y] = y + σ² ∇log pσ(y)", &grid, &denoised)
        .color(1)
        .dashed("no denoising: x = y", &[lo, hi], &[lo, hi])
        .color(5)
        .y_range(lo, hi)
        .render()
}

/// Reverse-time paths over the landscape of a 1-D diffusion: $\log p_t(x)$ as a heat map over
/// (t, x), and the first `paths` particles of each run as lines from t = T down to 0.
///
/// # Errors
/// [`PlotError::WrongDimension`] unless the process is 1-D; [`PlotError::InvalidParameter`] for
/// an empty range.
pub fn diffusion_paths(
    process: &Diffusion,
    runs: &[(&str, &ReverseRun)],
    paths: usize,
    range: RangeInclusive<f64>,
) -> Result<Figure, PlotError> {
    if process.dim() != 1 {
        return Err(PlotError::WrongDimension {
            expected: 1,
            found: process.dim(),
        });
    }
    let (lo, hi) = (*range.start(), *range.end());
    check_range("range", (lo, hi))?;
    let (nt, nx) = (80, 120);
    let marginals: Vec<GaussianMixture> = (0..nt)
        .filter_map(|i| process.marginal(HORIZON * i as f64 / (nt - 1) as f64).ok())
        .collect();
    let density = Grid::sample((0.0, HORIZON), (lo, hi), (nt, nx), |t, x| {
        let i = ((t / HORIZON) * (nt - 1) as f64).round() as usize;
        marginals
            .get(i)
            .map_or(f64::NAN, |m| m.log_prob(&[x]))
            .max(-12.0)
    });
    let lines: Vec<(String, Polylines)> = runs
        .iter()
        .map(|(name, run)| {
            let lines = (0..paths)
                .map(|i| {
                    run.times()
                        .iter()
                        .copied()
                        .zip(run.path(i, 0))
                        .collect::<Vec<_>>()
                })
                .collect();
            (name.to_string(), lines)
        })
        .collect();
    heat_map(
        &density,
        "Reverse-time paths over log p(x, t)",
        ("time t", "x"),
        "log p(x, t)",
        &[],
        &lines,
    )
}

/// Distance of the samples at t = 0 from the data against the number of steps, one curve per
/// sampler, both axes logarithmic (ticks at the step counts and at 1-2-5 steps of the metric).
///
/// ```
/// let fig = scorelab::plot::learning::steps_needed(
///     &[5, 10, 20],
///     &[("SDE".to_string(), vec![0.4, 0.1, 0.03])],
///     "KS distance D",
/// )?;
/// assert!(fig.png().len() > 1000);
/// # Ok::<(), scorelab::error::PlotError>(())
/// ```
///
/// # Errors
/// [`PlotError::InvalidParameter`] for no series, fewer than two step counts, a series whose
/// length differs from the step counts, or no positive finite value.
pub fn steps_needed(
    steps: &[usize],
    series: &[(String, Vec<f64>)],
    metric: &str,
) -> Result<Figure, PlotError> {
    let invalid = |name: &'static str, reason: &str| PlotError::InvalidParameter {
        name,
        reason: reason.into(),
    };
    if series.is_empty() {
        return Err(invalid("series", "nothing to draw"));
    }
    if steps.len() < 2 || steps.contains(&0) {
        return Err(invalid("steps", "needs at least two positive step counts"));
    }
    if series.iter().any(|(_, ys)| ys.len() != steps.len()) {
        return Err(invalid(
            "series",
            "each series needs one value per step count",
        ));
    }
    let positive = || {
        series
            .iter()
            .flat_map(|(_, ys)| ys.iter().copied())
            .filter(|y| y.is_finite() && *y > 0.0)
    };
    let y0 = positive().fold(f64::INFINITY, f64::min);
    let y1 = positive().fold(f64::NEG_INFINITY, f64::max);
    if y0 > y1 {
        return Err(invalid("series", "no positive finite value"));
    }
    let (x0, x1) = (
        *steps.iter().min().unwrap_or(&1) as f64,
        *steps.iter().max().unwrap_or(&1) as f64,
    );
    let y_ticks = one_two_five(y0, y1);
    Figure::render(800, 450, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(
                format!("How many steps? {metric} of the samples at t = 0"),
                (FAMILY, 18),
            )
            .margin(15)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(
                (x0 / 1.15..x1 * 1.15).log_scale(),
                (y0 / 1.25..y1 * 1.25).log_scale(),
            )
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("steps (log scale)")
            .y_desc(format!("{metric} (log scale)"))
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            // Ticks are drawn below, at the step counts and at 1-2-5 values.
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&|_| String::new())
            .draw()
            .map_err(drawing)?;
        let grey = RGBColor(220, 220, 220);
        let (gx0, gx1, gy0, gy1) = (x0 / 1.15, x1 * 1.15, y0 / 1.25, y1 * 1.25);
        let label = TextStyle::from((FAMILY, 13).into_font()).color(&BLACK);
        for &s in steps {
            let x = s as f64;
            chart
                .draw_series([PathElement::new([(x, gy0), (x, gy1)], grey)])
                .map_err(drawing)?;
            chart
                .draw_series([Text::new(
                    s.to_string(),
                    (x, gy0),
                    label.pos(Pos::new(HPos::Center, VPos::Top)),
                )])
                .map_err(drawing)?;
        }
        for &y in &y_ticks {
            chart
                .draw_series([PathElement::new([(gx0, y), (gx1, y)], grey)])
                .map_err(drawing)?;
            chart
                .draw_series([Text::new(
                    format!("{} ", tick(&y)),
                    (gx0, y),
                    label.pos(Pos::new(HPos::Right, VPos::Center)),
                )])
                .map_err(drawing)?;
        }
        for (i, (name, ys)) in series.iter().enumerate() {
            let colour = super::line_plot::PALETTE[i % super::line_plot::PALETTE.len()];
            let pts: Vec<(f64, f64)> = steps
                .iter()
                .zip(ys)
                .filter(|(_, y)| y.is_finite() && **y > 0.0)
                .map(|(&s, &y)| (s as f64, y))
                .collect();
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 4, colour.filled())))
                .map_err(drawing)?;
            chart
                .draw_series(LineSeries::new(pts, colour.stroke_width(2)))
                .map_err(drawing)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(0, 0), (24, 0)], colour.stroke_width(2))
                        + Circle::new((12, 0), 4, colour.filled())
                });
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(200, 200, 200))
            .label_font((FAMILY, 13))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(drawing)?;
        Ok(())
    })
}

/// The values 1, 2, 5 × 10ⁿ within [lo, hi] (at least the decade ends around them).
fn one_two_five(lo: f64, hi: f64) -> Vec<f64> {
    let mut ticks = Vec::new();
    let mut decade = 10f64.powf(lo.log10().floor());
    while decade <= hi {
        for m in [1.0, 2.0, 5.0] {
            let v = m * decade;
            if v >= lo / 1.25 && v <= hi * 1.25 {
                ticks.push(v);
            }
        }
        decade *= 10.0;
    }
    ticks
}

/// A tick label: integers without ".0", other values with at most 4 significant digits.
fn tick(v: &f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        return format!("{}", *v as i64);
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let text = format!("{v:.digits$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// A heat map of `grid` (sequential colours, colour bar on the right) with optional contour
/// lines and named line sets on top.
fn heat_map(
    grid: &Grid,
    title: &str,
    (x_label, y_label): (&str, &str),
    bar_label: &str,
    contours: &[(Polylines, String)],
    lines: &[(String, Polylines)],
) -> Result<Figure, PlotError> {
    let (lo, hi) = grid.finite_range().unwrap_or((0.0, 1.0));
    let span = (hi - lo).max(1e-12);
    Figure::render(780, 600, |root| {
        let (main, bar) = root.split_horizontally(690);
        let mut chart = ChartBuilder::on(&main)
            .caption(title, (FAMILY, 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(grid.x0..grid.x1, grid.y0..grid.y1)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .label_style((FAMILY, 12))
            .axis_desc_style((FAMILY, 13))
            .draw()
            .map_err(drawing)?;
        let (hx, hy) = (
            (grid.x1 - grid.x0) / (grid.nx - 1) as f64,
            (grid.y1 - grid.y0) / (grid.ny - 1) as f64,
        );
        chart
            .draw_series(grid.values().iter().enumerate().map(|(i, v)| {
                let (cx, cy) = (
                    grid.x0 + (i % grid.nx) as f64 * hx,
                    grid.y0 + (i / grid.nx) as f64 * hy,
                );
                Rectangle::new(
                    [
                        (cx - hx / 2.0, cy - hy / 2.0),
                        (cx + hx / 2.0, cy + hy / 2.0),
                    ],
                    sequential((v - lo) / span).filled(),
                )
            }))
            .map_err(drawing)?;
        let styles = [
            BLACK.stroke_width(2),
            BLACK.stroke_width(1),
            RGBColor(90, 90, 90).stroke_width(1),
        ];
        for ((segments, name), style) in contours.iter().zip(styles.iter().cycle()) {
            let style = *style;
            let mut first = true;
            for seg in segments {
                let series = chart
                    .draw_series(LineSeries::new(seg.iter().copied(), style))
                    .map_err(drawing)?;
                if first {
                    series
                        .label(name.as_str())
                        .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], style));
                    first = false;
                }
            }
        }
        let colours = [RGBColor(31, 119, 180), RGBColor(255, 255, 255)];
        for ((name, set), colour) in lines.iter().zip(colours.iter().cycle()) {
            let style = colour.stroke_width(1);
            for (i, line) in set.iter().enumerate() {
                let series = chart
                    .draw_series(LineSeries::new(line.iter().copied(), style))
                    .map_err(drawing)?;
                if i == 0 {
                    series.label(name.as_str()).legend(move |(x, y)| {
                        PathElement::new([(x, y), (x + 20, y)], style.stroke_width(2))
                    });
                }
            }
        }
        if !contours.is_empty() || !lines.is_empty() {
            chart
                .configure_series_labels()
                .background_style(RGBColor(235, 235, 235).mix(0.9))
                .border_style(BLACK)
                .label_font((FAMILY, 12))
                .position(SeriesLabelPosition::UpperRight)
                .draw()
                .map_err(drawing)?;
        }
        // The colour bar.
        let mut bar_chart = ChartBuilder::on(&bar)
            .margin_top(40)
            .margin_bottom(50)
            .margin_right(8)
            .y_label_area_size(45)
            .build_cartesian_2d(0.0..1.0, lo..hi.max(lo + 1e-12))
            .map_err(drawing)?;
        bar_chart
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_desc(bar_label)
            .y_label_formatter(&tick)
            .label_style((FAMILY, 11))
            .axis_desc_style((FAMILY, 12))
            .draw()
            .map_err(drawing)?;
        bar_chart
            .draw_series((0..100).map(|i| {
                let (a, b) = (
                    lo + span * i as f64 / 100.0,
                    lo + span * (i + 1) as f64 / 100.0,
                );
                Rectangle::new(
                    [(0.0, a), (1.0, b)],
                    sequential((i as f64 + 0.5) / 100.0).filled(),
                )
            }))
            .map_err(drawing)?;
        Ok(())
    })
}

/// A sequential colour map (matplotlib's "magma", coarsely, in 41 bands): black-purple → red →
/// pale yellow.
fn sequential(t: f64) -> RGBColor {
    const ANCHORS: [(u8, u8, u8); 6] = [
        (0, 0, 4),
        (59, 15, 112),
        (140, 41, 129),
        (222, 73, 104),
        (254, 159, 109),
        (252, 253, 191),
    ];
    // 40 bands: a small palette keeps the PNG indexed and small.
    let t = if t.is_finite() {
        (t.clamp(0.0, 1.0) * 40.0).round() / 40.0
    } else {
        0.0
    };
    let pos = t * (ANCHORS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(ANCHORS.len() - 2);
    let f = pos - i as f64;
    let lerp = |a: u8, b: u8| (a as f64 + f * (b as f64 - a as f64)).round() as u8;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::{one_two_five, tick};

    #[test]
    fn ticks_drop_trailing_zeros() {
        let labels: Vec<String> = [2.0, -6.0, 0.3, 0.30000000000000004, 0.05, -0.0, 1.5]
            .iter()
            .map(tick)
            .collect();
        assert_eq!(labels, ["2", "-6", "0.3", "0.3", "0.05", "0", "1.5"]);
    }

    #[test]
    fn log_ticks_step_one_two_five() {
        assert_eq!(one_two_five(0.025, 0.4), [0.02, 0.05, 0.1, 0.2, 0.5]);
    }
}
