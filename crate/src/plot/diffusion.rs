//! The figures of diffusion: the marginal p(x, t), reverse-time paths over p_t, and the
//! distance of a sampler's samples from the data against its steps. They draw what they are
//! given; the studies that sample ([`crate::studies`]) draw through them.

use std::ops::RangeInclusive;

use super::color::Color;

use super::Figure;
use super::contours::Grid;
use super::figure::DENSITY;
use super::heat_map::{LineSet, LineStyle, MapLabels, MapStyle, Polylines, heat_map};
use super::line_plot::PALETTE;
use super::{Curves1d, LinePlot, check_range};
use crate::model::diffusion::{Diffusion, HORIZON};
use crate::model::mixture::GaussianMixture;
use crate::model::score::{Dimension, LogDensity};
use crate::plot::PlotError;
use crate::sample::reverse::{ReverseRun, ReverseSampler};

/// The marginal $p(x, t)$ of a 1-D diffusion at time t as a curve (pdf, log-pdf and score
/// panels): one frame of a sweep over t. Short for [`Marginal::new`]`(process, t,
/// range).render()`.
///
/// ```
/// use scorelab::prelude::*;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
/// assert!(scorelab::plot::diffusion::marginal(&vp, 0.3, -5.0..=5.0)?.png().len() > 1000);
/// assert!(scorelab::plot::diffusion::marginal(&vp, 1.5, -5.0..=5.0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`Marginal::render`].
pub fn marginal(
    process: &Diffusion,
    t: f64,
    range: RangeInclusive<f64>,
) -> Result<Figure, PlotError> {
    Marginal::new(process, t, range).render()
}

/// The figure of [`marginal`], with its pixel density set: a live cell passes
/// `.density(v.density())`, so that its drafts while a slider moves are drawn at one pixel
/// per logical pixel rather than drawn at 2× and shrunk.
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::plot::diffusion::Marginal;
/// let data = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
/// let draft = Marginal::new(&vp, 0.3, -5.0..=5.0).density(1).render()?;
/// assert_eq!((draft.width(), draft.height(), draft.density()), (1200, 800, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Marginal<'a> {
    process: &'a Diffusion,
    t: f64,
    range: RangeInclusive<f64>,
    density: u32,
}

impl<'a> Marginal<'a> {
    /// $p(x, t)$ of `process` over `range`, at the default density (2).
    pub fn new(process: &'a Diffusion, t: f64, range: RangeInclusive<f64>) -> Self {
        Marginal {
            process,
            t,
            range,
            density: DENSITY,
        }
    }

    /// Device pixels per logical pixel (1..=4; default 2), as [`Curves1d::density`].
    pub fn density(mut self, density: u32) -> Self {
        self.density = density;
        self
    }

    /// Draws the figure.
    ///
    /// # Errors
    /// [`PlotError::Diffusion`] for t outside [0, T], else as [`Curves1d::render`].
    pub fn render(&self) -> Result<Figure, PlotError> {
        let p_t = self.process.marginal(self.t)?;
        Curves1d::new(&p_t, self.range.clone())
            .name(format!("p_t, t = {}", super::number(self.t)))
            .density(self.density)
            .render()
    }
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
    // log p below FLOOR is clamped to it; the colour bar then ends in a triangle below.
    const FLOOR: f64 = -12.0;
    let mut clamped = false;
    let density = Grid::sample((0.0, HORIZON), (lo, hi), (nt, nx), |t, x| {
        let i = ((t / HORIZON) * (nt - 1) as f64).round() as usize;
        let logp = marginals.get(i).map_or(f64::NAN, |m| m.log_prob(&[x]));
        clamped |= logp < FLOOR;
        logp.max(FLOOR)
    });
    let paths_of = |run: &ReverseRun| -> Polylines {
        (0..paths)
            .map(|i| run.times().iter().copied().zip(run.path(i, 0)).collect())
            .collect()
    };
    let lines: Vec<Polylines> = runs.iter().map(|(_, run)| paths_of(run)).collect();
    // Dark lines that read on the heat map's pale and mid shades: black, then deep blue.
    let colors = [Color(0, 0, 0), Color(0, 60, 220)]
        .into_iter()
        .chain(PALETTE.iter().copied());
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
        .zip(runs)
        .map(|(((name, lines), color), (_, run))| LineSet {
            name,
            lines,
            style: LineStyle {
                color,
                // Smooth deterministic paths drawn heavier than the jagged noisy ones.
                width: if run.sampler() == ReverseSampler::Ode {
                    2
                } else {
                    1
                },
                dashed: false,
            },
        })
        .collect();
    let style = MapStyle {
        extend_min: clamped,
        ..MapStyle::default()
    };
    let labels = MapLabels {
        title: "Reverse-time paths over log p(x, t)",
        x: "time t (the samplers start at t = 1, right, and run left to t = 0)",
        y: "x",
        bar: "log p(x, t)",
    };
    heat_map(&density, style, labels, &sets)
}

/// Distance of the samples at t = 0 from the data against the number of steps, one curve per
/// sampler, both axes logarithmic (labelled by decade, or at 1-2-5 values within a short range).
///
/// ```
/// let fig = scorelab::plot::diffusion::steps_needed(
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
    let xs: Vec<f64> = steps.iter().map(|&s| s as f64).collect();
    if steps.contains(&0) {
        return Err(PlotError::InvalidParameter {
            name: "steps",
            reason: "needs at least two positive step counts".into(),
        });
    }
    let curves: Vec<DistanceCurve> = series
        .iter()
        .map(|(name, ys)| DistanceCurve {
            name: name.clone(),
            costs: xs.clone(),
            distances: ys.clone(),
            dashed: false,
            color: None,
        })
        .collect();
    log_log_curves(
        &format!("How many steps? {metric} of the samples at t = 0"),
        "steps (log scale)",
        &curves,
        None,
        metric,
    )
}

/// One curve of [`distance_against_cost`]: a sampler's distance from the data after each
/// cost, drawn solid with markers or dashed, in its own or a chosen palette colour.
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceCurve {
    /// The legend's name.
    pub name: String,
    /// The x values: score evaluations per particle (or steps).
    pub costs: Vec<f64>,
    /// The distance after each.
    pub distances: Vec<f64>,
    /// Dashed, without markers (e.g. the learned score's twin of a solid exact curve).
    pub dashed: bool,
    /// The palette colour, to pair curves; `None` for the next one in turn.
    pub color: Option<usize>,
}

/// Distance of the samples at t = 0 from the data against the score evaluations per particle
/// (the cost), one curve per sampler and score, both axes logarithmic, with an optional
/// horizontal reference `floor` = (name, value), e.g. the distance of as many exact samples.
///
/// ```
/// use scorelab::plot::diffusion::{DistanceCurve, distance_against_cost};
/// let curve = DistanceCurve {
///     name: "SDE".into(),
///     costs: vec![10.0, 20.0, 40.0],
///     distances: vec![0.4, 0.1, 0.03],
///     dashed: false,
///     color: None,
/// };
/// let fig = distance_against_cost(&[curve], Some(("exact samples", 0.02)), "KS distance D")?;
/// assert!(fig.png().len() > 1000);
/// # Ok::<(), scorelab::PlotError>(())
/// ```
///
/// # Errors
/// [`PlotError::InvalidParameter`] for no curves, a curve with fewer than two costs or a
/// cost that is not positive, costs and distances of different lengths, or no positive finite
/// distance.
pub fn distance_against_cost(
    curves: &[DistanceCurve],
    floor: Option<(&str, f64)>,
    metric: &str,
) -> Result<Figure, PlotError> {
    log_log_curves(
        &format!("Equal cost: {metric} of the samples at t = 0"),
        "score evaluations per particle (log scale)",
        curves,
        floor,
        metric,
    )
}

/// The curves on log–log axes, after checking them.
fn log_log_curves(
    title: &str,
    x_label: &str,
    curves: &[DistanceCurve],
    floor: Option<(&str, f64)>,
    metric: &str,
) -> Result<Figure, PlotError> {
    let invalid = |name: &'static str, reason: &str| PlotError::InvalidParameter {
        name,
        reason: reason.into(),
    };
    if curves.is_empty() {
        return Err(invalid("series", "nothing to draw"));
    }
    for c in curves {
        if c.costs.len() < 2 || c.costs.iter().any(|&x| !(x > 0.0 && x.is_finite())) {
            return Err(invalid(
                "steps",
                "needs at least two positive step counts or costs",
            ));
        }
        if c.costs.len() != c.distances.len() {
            return Err(invalid(
                "series",
                "each series needs one value per step count",
            ));
        }
    }
    if !curves
        .iter()
        .flat_map(|c| &c.distances)
        .any(|y| y.is_finite() && *y > 0.0)
    {
        return Err(invalid("series", "no positive finite value"));
    }
    // Head room above the curves, where the legend of many curves fits without covering them.
    let positive = || {
        curves
            .iter()
            .flat_map(|c| &c.distances)
            .chain(floor.iter().map(|(_, v)| v))
            .copied()
            .filter(|y| y.is_finite() && *y > 0.0)
    };
    let (lo, hi) = (
        positive().fold(f64::INFINITY, f64::min),
        positive().fold(0.0, f64::max),
    );
    let rows = curves.len() + usize::from(floor.is_some());
    let mut plot = LinePlot::new(title)
        .labels(x_label, format!("{metric} (log scale)"))
        .log_x(true)
        .log_y(true)
        .size(800, 520)
        .y_range(lo / 1.2, hi * (1.5 + 0.4 * rows as f64));
    for c in curves {
        plot = if c.dashed {
            plot.dashed(c.name.as_str(), &c.costs, &c.distances)
        } else {
            plot.line_with_markers(c.name.as_str(), &c.costs, &c.distances)
        };
        if let Some(k) = c.color {
            plot = plot.color(k);
        }
    }
    if let Some((name, value)) = floor {
        let lo = curves
            .iter()
            .flat_map(|c| &c.costs)
            .fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = curves
            .iter()
            .flat_map(|c| &c.costs)
            .fold(0.0f64, |a, &b| a.max(b));
        plot = plot.dashed(name, &[lo, hi], &[value, value]).color(5);
    }
    plot.render()
}
