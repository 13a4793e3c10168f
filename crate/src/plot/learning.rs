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
use super::heat_map::{LineSet, LineStyle, MapLabels, MapStyle, Polylines, heat_map_at};
use super::{LinePlot, ScoreField, check_range, number};
use crate::learn::LearningCurve;
use crate::model::mixture::GaussianMixture;
use crate::model::score::{Density, Dimension, LogDensity, Score};
use crate::plot::PlotError;
use crate::sample::ensemble::Particles;

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
                format!("p = {} % of its peak", number(share)),
                LineStyle {
                    color,
                    width,
                    dashed,
                },
            )
        })
        // A level the density never reaches inside the window draws nothing: no legend entry.
        .filter(|(lines, _, _)| lines.iter().any(|line| line.len() > 1))
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
        let style = MapStyle {
            equal_aspect: true,
            ..MapStyle::default()
        };
        let labels = MapLabels {
            title: "Error of the learned score, log₁₀‖learned − exact‖ (contours: data density)",
            x: "x₁",
            y: "x₂",
            bar: "log₁₀ error",
        };
        heat_map_at(&error, colours, density, style, labels, &sets)
    })
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

    #[test]
    fn the_error_map_lists_only_the_contours_it_draws() {
        let peak_share = |fig: &Figure| {
            fig.texts()
                .iter()
                .filter(|t| t.text.contains("of its peak"))
                .count()
        };
        let unit = |s: f64| {
            GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[s * s, 0.0], [0.0, s * s]]]).unwrap()
        };
        // σ = 1 over [-4, 4]²: 1 %, 0.1 % and 0.01 % of the peak lie at r = 3.0, 3.7 and 4.3,
        // so two closed contours and part of the third are drawn.
        let narrow = score_error_map(&unit(1.0), &unit(1.1), -4.0..=4.0, -4.0..=4.0).unwrap();
        assert_eq!(peak_share(&narrow), 3);
        // σ = 4: even 1 % of the peak lies at r = 12, outside [-3, 3]²: no contour, no entry.
        let wide = score_error_map(&unit(4.0), &unit(4.4), -3.0..=3.0, -3.0..=3.0).unwrap();
        assert_eq!(peak_share(&wide), 0);
    }
}
