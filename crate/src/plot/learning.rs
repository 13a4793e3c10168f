//! The figures of learning a score and of diffusion: energy, learning curves, where a learned
//! score is wrong, reverse-time paths over p_t, and steps needed. They draw what they are
//! given; the studies that sample and fit ([`crate::studies`]) draw through them.
//!
//! Each is a function returning a [`Figure`]: curves go through [`LinePlot`], fields through
//! [`ScoreField`], grids through the heat map.

use std::ops::RangeInclusive;

use super::color::Color;

use super::Figure;
use super::contours::Grid;
use super::figure::DENSITY;
use super::heat_map::{LineSet, LineStyle, Polylines, heat_map, heat_map_at};
use super::line_plot::PALETTE;
use super::ticks::{decimals, format_tick};
use super::{Curves1d, LinePlot, ScoreField, check_range};
use crate::learn::LearningCurve;
use crate::model::diffusion::{Diffusion, HORIZON};
use crate::model::mixture::GaussianMixture;
use crate::model::score::{Density, Dimension, LogDensity, Score};
use crate::plot::PlotError;
use crate::sample::ensemble::Particles;
use crate::sample::reverse::ReverseRun;

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

    fn evaluation_cost(&self) -> f64 {
        self.0.evaluation_cost()
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

/// The data's mean log-likelihood against iteration for each fit (solid, dashed or marked in
/// turn), with the true mixture's as a dashed line. A fit with a [`FitWarning`](crate::learn::FitWarning) is labelled "did not move".
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
        // A fit that did not move says so in its legend entry (its warning in full: Display).
        let name = if c.warnings().is_empty() {
            c.method().name()
        } else {
            format!("{} (did not move)", c.method().name())
        };
        plot = styled(plot, i, name, &its, ll);
    }
    let ll_true = data.points().map(|x| truth.log_prob(x)).sum::<f64>() / data.len().max(1) as f64;
    let ends = [0.0, longest.saturating_sub(1) as f64];
    plot.dashed("true mixture", &ends, &[ll_true, ll_true])
        .color(5)
        .render()
}

/// Curve `i` of a comparison in its own colour and pattern (solid, dashed, or solid with a
/// marker every 12th point, offset per curve), so a curve lying on another stays visible.
pub(crate) fn styled(plot: LinePlot, i: usize, name: String, xs: &[f64], ys: &[f64]) -> LinePlot {
    match i % 3 {
        0 => plot.line(name, xs, ys).color(i),
        1 => plot.dashed(name, xs, ys).color(i),
        _ => {
            let every = |v: &[f64]| v.iter().skip((4 * i) % 12).step_by(12).copied().collect();
            let (mx, my): (Vec<f64>, Vec<f64>) = (every(xs), every(ys));
            // The legend entry (line and marker) draws nothing; the curve and its markers
            // follow unnamed.
            plot.line_with_markers(name, &[], &[])
                .color(i)
                .line("", xs, ys)
                .color(i)
                .points("", &mx, &my)
                .color(i)
        }
    }
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
/// low). In a [`Sweep`](crate::Sweep) every frame shares one colour scale, so a colour means the
/// same error in each.
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
    // Both scores over the whole grid in one batch each (the mixture's is vectorised).
    let error = Grid::sample_batch(xr, yr, (n, n), |points, values| {
        let (mut s, mut t) = (vec![0.0; points.len()], vec![0.0; points.len()]);
        learned.score_batch(points, &mut s)?;
        exact.score_batch(points, &mut t)?;
        for ((v, s), t) in values
            .iter_mut()
            .zip(s.chunks_exact(2))
            .zip(t.chunks_exact(2))
        {
            let e = ((s[0] - t[0]).powi(2) + (s[1] - t[1]).powi(2)).sqrt();
            *v = e.max(1e-6).log10();
        }
        Ok(())
    })
    .map_err(PlotError::Density)?;
    let logp = Grid::sample_batch(xr, yr, (n, n), |points, values| {
        exact.log_prob_batch(points, values)
    })
    .map_err(PlotError::Density)?;
    let peak = logp.finite_range().map_or(0.0, |r| r.1);
    // Solid at 1 % of the peak, dashed below; the lowest in grey.
    let styles = [
        (2.0, Color(0, 0, 0), 2, false),
        (3.0, Color(0, 0, 0), 1, true),
        (4.0, Color(90, 90, 90), 1, true),
    ];
    let contours: Vec<(Polylines, String, LineStyle)> = styles
        .iter()
        .map(|&(dec, color, width, dashed)| {
            let share = 100.0 / 10f64.powf(dec);
            (
                logp.level_lines(peak - dec * std::f64::consts::LN_10),
                format!("p = {} % of its peak", format_tick(share, decimals(share))),
                LineStyle {
                    color,
                    width,
                    dashed,
                },
            )
        })
        .collect();
    let colours = error.finite_range().unwrap_or((0.0, 1.0));
    // One colour scale across a sweep's frames: the range passes through `shared`.
    Figure::drawn(DENSITY, move |density, ranges| {
        let colours = ranges.shared("colour", colours.0, colours.1);
        let sets: Vec<LineSet<'_>> = contours
            .iter()
            .map(|(lines, name, style)| LineSet {
                name,
                lines,
                style: *style,
            })
            .collect();
        heat_map_at(
            &error,
            colours,
            density,
            "Error of the learned score, log₁₀‖learned − exact‖ (contours: data density)",
            ("x₁", "x₂"),
            "log₁₀ error",
            &sets,
        )
    })
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
/// [`PlotError::Diffusion`] for t outside [0, T], else as [`Curves1d::render`].
pub fn marginal(
    process: &Diffusion,
    t: f64,
    range: RangeInclusive<f64>,
) -> Result<Figure, PlotError> {
    let p_t = process.marginal(t)?;
    Curves1d::new(&p_t, range)
        .name(format!("p(x, t), t = {t}"))
        .render()
}

/// Reverse-time paths over the landscape of a 1-D diffusion: $\log p_t(x)$ as a heat map over
/// (t, x), and the first `paths` particles of each run as lines from t = T down to 0. A run
/// with a [`ReverseWarning`](crate::ReverseWarning) is labelled "steps too long".
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
    let paths_of = |run: &ReverseRun| -> Polylines {
        (0..paths)
            .map(|i| run.times().iter().copied().zip(run.path(i, 0)).collect())
            .collect()
    };
    let lines: Vec<Polylines> = runs.iter().map(|(_, run)| paths_of(run)).collect();
    // Blue and white, as the first two runs were drawn; further runs take the palette.
    let colors = [PALETTE[0], Color(255, 255, 255)]
        .into_iter()
        .chain(PALETTE[1..].iter().copied());
    let names: Vec<String> = runs
        .iter()
        .map(|(name, run)| {
            if run.warnings().is_empty() {
                name.to_string()
            } else {
                format!("{name} (steps too long)")
            }
        })
        .collect();
    let sets: Vec<LineSet<'_>> = names
        .iter()
        .zip(&lines)
        .zip(colors.cycle())
        .map(|((name, lines), color)| LineSet {
            name,
            lines,
            style: LineStyle {
                color,
                width: 1,
                dashed: false,
            },
        })
        .collect();
    heat_map(
        &density,
        "Reverse-time paths over log p(x, t)",
        ("time t", "x"),
        "log p(x, t)",
        &sets,
    )
}

/// Distance of the samples at t = 0 from the data against the number of steps, one curve per
/// sampler, both axes logarithmic (labelled by decade, or at 1-2-5 values within a short range).
///
/// ```
/// let fig = scorelab::plot::learning::steps_needed(
///     &[5, 10, 20],
///     &[("SDE".to_string(), vec![0.4, 0.1, 0.03])],
///     "KS distance D",
/// )?;
/// assert!(fig.png().len() > 1000);
/// # Ok::<(), scorelab::PlotError>(())
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
    if !series
        .iter()
        .flat_map(|(_, ys)| ys)
        .any(|y| y.is_finite() && *y > 0.0)
    {
        return Err(invalid("series", "no positive finite value"));
    }
    let xs: Vec<f64> = steps.iter().map(|&s| s as f64).collect();
    let mut plot = LinePlot::new(format!("How many steps? {metric} of the samples at t = 0"))
        .labels("steps (log scale)", format!("{metric} (log scale)"))
        .log_x(true)
        .log_y(true);
    for (name, ys) in series {
        plot = plot.line_with_markers(name.as_str(), &xs, ys);
    }
    plot.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_map_passes_its_colour_range_to_a_sweep() {
        let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let wide = gm.perturbed(1.0).unwrap();
        let figure = score_error_map(&gm, &wide, -3.0..=3.0, -3.0..=3.0).unwrap();
        let colour = figure.scales().iter().find(|s| s.0 == "colour").copied();
        let (_, lo, hi) = colour.expect("a colour scale a sweep can share");
        assert!(lo < hi);
        // Redrawn with another frame's wider range, the figure keeps its size.
        let shared = vec![("colour", lo - 2.0, hi + 2.0)];
        let again = figure.redrawn(1, &shared).unwrap().unwrap();
        assert_eq!(again.scales(), &shared);
    }
}
