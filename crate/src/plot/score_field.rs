//! The 2-D figure: labelled log-density contours under a quiver of score arrows, equal aspect,
//! optionally with a Langevin trajectory on top.

use std::ops::RangeInclusive;

use rayon::prelude::*;

use super::area::Area;
use super::axes::{Axis, Chart, PixelMap, draw_axes};
use super::canvas::Canvas;
use super::clip::Rect;
use super::color::Color;
use super::colormap::spectral;
use super::contour_labels::{Labeller, level_label};
use super::contours::Grid;
use super::legend::{Legend, Swatch};
use super::memo::Memo;
use super::quiver::{ARROW_GREY, quiver_wedge, shaft_share, to_f32};
use super::shapes::{Shapes, TurnedText};
use super::shared_scales::Ranges;
use super::text_box::TextBox;
use super::ticks::{contour_levels, decimals, format_tick};
use super::{Figure, check_range};
use crate::limits;
use crate::model::score::Density;
use crate::plot::PlotError;
use crate::sample::ensemble::Particles;
use crate::sample::trajectory::Trajectory;

/// Device pixels per logical pixel of a field: 2, as for every figure (see
/// [`DENSITY`](super::figure::DENSITY)); its quiver's colours are few, so its PNG stays indexed
/// and within a notebook figure's budget.
pub(crate) const FIELD_DENSITY: u32 = 2;

/// The points of a trajectory to draw, and the step to mark (for a frame of an animation).
pub(crate) struct Path<'p> {
    pub points: &'p [(f64, f64)],
    pub step: Option<usize>,
}

/// The score s(x) = ∇ₓ log p(x) of a 2-D density as arrows over contours of log p.
///
/// Arrow length is proportional to |s| (the mean arrow is 0.45 grid spacings long) unless
/// [`normalized`](Self::normalized). Arrows are matplotlib's quiver wedges, built in pixel
/// space (its default shaft width, heads 3, 5 and 4.5 shaft widths; short arrows shrink) and cut
/// at the plot's frame.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.5], [0.5, 1.0]]])?;
/// let fig = ScoreField::new(&gm, -3.0..=3.0, -3.0..=3.0).arrows(20).levels(10).render()?;
/// assert!(fig.png().len() > 1000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct ScoreField<'a> {
    density: &'a dyn Density,
    x_range: (f64, f64),
    y_range: (f64, f64),
    arrows: usize,
    resolution: usize,
    levels: usize,
    normalized: bool,
    size: (u32, u32),
    title: String,
    trajectory: Option<&'a Trajectory>,
    particles: Option<&'a Particles>,
    pixel_density: u32,
}

impl<'a> ScoreField<'a> {
    /// The field of `density` over `x_range × y_range`: 50 × 50 arrows, about 20 contour
    /// levels, 700 × 700 px.
    pub fn new(
        density: &'a dyn Density,
        x_range: RangeInclusive<f64>,
        y_range: RangeInclusive<f64>,
    ) -> Self {
        ScoreField {
            density,
            x_range: (*x_range.start(), *x_range.end()),
            y_range: (*y_range.start(), *y_range.end()),
            arrows: 50,
            resolution: 200,
            levels: 20,
            normalized: false,
            size: (700, 700),
            title: "Score Function (Gradient of log-p) for a 2D Gaussian Mixture".to_string(),
            trajectory: None,
            particles: None,
            pixel_density: FIELD_DENSITY,
        }
    }

    /// Device pixels per logical pixel (1..=4; default 1, see below). A field's 2 500
    /// anti-aliased arrows take 210-250 kB at 2, over a notebook figure's budget: a notebook
    /// shows such a figure at 1 all the same; draw at 2 for a file
    /// ([`Figure::save`](crate::plot::Figure::save)).
    pub fn density(mut self, density: u32) -> Self {
        self.pixel_density = density;
        self
    }

    /// Arrows per axis (≥ 2).
    pub fn arrows(mut self, n: usize) -> Self {
        self.arrows = n;
        self
    }

    /// At most this many contour levels (1..=100), at round values.
    pub fn levels(mut self, n: usize) -> Self {
        self.levels = n;
        self
    }

    /// Grid points per axis on which log p is sampled for the contours (≥ 3; default 200).
    pub fn resolution(mut self, n: usize) -> Self {
        self.resolution = n;
        self
    }

    /// Draw every arrow with the same length: direction only.
    pub fn normalized(mut self, yes: bool) -> Self {
        self.normalized = yes;
        self
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width, height);
        self
    }

    /// The title above the plot.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Overlays a 2-D trajectory: a red line with small markers, its start in green, a legend.
    pub fn trajectory(mut self, trajectory: &'a Trajectory) -> Self {
        self.trajectory = Some(trajectory);
        self
    }

    /// Overlays a 2-D particle cloud as small dots (at most 8 000 of them, evenly strided, which
    /// keeps the image small).
    pub fn particles(mut self, particles: &'a Particles) -> Self {
        self.particles = Some(particles);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), PlotError> {
        if self.density.dim() != 2 {
            return Err(PlotError::WrongDimension {
                expected: 2,
                found: self.density.dim(),
            });
        }
        check_range("x range", self.x_range)?;
        check_range("y range", self.y_range)?;
        limits::LEVELS.check(self.levels)?;
        limits::ARROWS.check(self.arrows)?;
        limits::RESOLUTION.check(self.resolution)?;
        if let Some(p) = self.particles
            && p.dim() != 2
        {
            return Err(PlotError::WrongDimension {
                expected: 2,
                found: p.dim(),
            });
        }
        if let Some(t) = self.trajectory
            && t.dim() != 2
        {
            return Err(PlotError::WrongDimension {
                expected: 2,
                found: t.dim(),
            });
        }
        Ok(())
    }

    /// The trajectory to draw, if any.
    pub(crate) fn trajectory_ref(&self) -> Option<&'a Trajectory> {
        self.trajectory
    }

    /// Image size in pixels.
    /// Device pixels per logical pixel it draws at.
    pub(crate) fn pixel_density(&self) -> u32 {
        self.pixel_density
    }

    pub(crate) fn size_px(&self) -> (u32, u32) {
        self.size
    }

    /// Draws the figure.
    ///
    /// Drawn again with only its trajectory changed (a live figure whose step size moves, a
    /// sweep over the step size), it reuses the contours, arrows and axes drawn before: the
    /// last four fields drawn are kept, each for its values of log p and the score, settings,
    /// size, density and legend place, and the figure is the same, pixel for pixel.
    pub fn render(&self) -> Result<Figure, PlotError> {
        let field = self.field(self.pixel_density)?;
        let size = self.size;
        Figure::drawn(self.pixel_density, move |density, ranges| {
            field.figure(size, density, ranges)
        })
    }

    /// The figure drawn on one canvas, field and trajectory together, without the fields
    /// [`render`](Self::render) keeps: the rule `render` must equal, for tests and fuzzing.
    #[doc(hidden)]
    pub fn render_in_one_pass(&self) -> Result<Figure, PlotError> {
        let field = self.field(self.pixel_density)?;
        let (w, h) = self.size;
        Figure::drawn(self.pixel_density, move |density, ranges| {
            Figure::render_at(w, h, density, |root| {
                let path = field
                    .path
                    .as_ref()
                    .map(|(points, _)| Path { points, step: None });
                field.draw(root, true, path, ranges);
                Ok(())
            })
        })
    }

    /// What the figure draws, sampled from the density: log p on the contour grids (over the
    /// chart's equal-aspect view at `density`) and the score at the arrows.
    pub(crate) fn field(&self, density: u32) -> Result<Field, PlotError> {
        self.validate()?;
        let settings = Settings {
            x_range: self.x_range,
            y_range: self.y_range,
            arrows: self.arrows,
            levels: self.levels,
            normalized: self.normalized,
            title: self.title.clone(),
        };
        let log_p = if self.levels == 0 {
            None
        } else {
            let (w, h) = self.size;
            let view = settings.view(&Area::new(&mut Canvas::new(w, h, density)?));
            let aspect = (view.y1 - view.y0) / (view.x1 - view.x0);
            let nx = self.resolution;
            let ny = ((self.resolution as f64 * aspect).round() as usize).max(3);
            let grid = Grid::sample_batch(
                (view.x0, view.x1),
                (view.y0, view.y1),
                (nx, ny),
                |points, values| self.density.log_prob_batch(points, values),
            )
            .map_err(PlotError::Density)?;
            // The levels come from log p on the arrow grid over the requested ranges, the data
            // matplotlib's `contour(X, Y, Z, levels=n)` sees in the original; the lines from
            // the finer grid.
            let n = self.arrows;
            let coarse =
                Grid::sample_batch(self.x_range, self.y_range, (n, n), |points, values| {
                    self.density.log_prob_batch(points, values)
                })
                .map_err(PlotError::Density)?;
            Some((grid, coarse))
        };
        let n = self.arrows;
        let (x0, x1) = self.x_range;
        let (y0, y1) = self.y_range;
        let mut points = Vec::with_capacity(2 * n * n);
        for j in 0..n {
            for i in 0..n {
                points.extend_from_slice(&[
                    x0 + (x1 - x0) * i as f64 / (n - 1) as f64,
                    y0 + (y1 - y0) * j as f64 / (n - 1) as f64,
                ]);
            }
        }
        let mut scores = vec![0.0; points.len()];
        self.density
            .score_batch(&points, &mut scores)
            .map_err(PlotError::Density)?;
        let arrows = points
            .chunks_exact(2)
            .zip(scores.chunks_exact(2))
            .map(|(p, s)| ([p[0], p[1]], [s[0], s[1]]))
            .collect();
        // A chain with an accept step is MALA's, not plain Langevin dynamics.
        let path = self.trajectory.map(|t| {
            let name = match t.acceptance_rate() {
                Some(_) => "MALA chain",
                None => "Langevin trajectory",
            };
            (xy(t), name)
        });
        // At most 8 000 particles, evenly strided, which keeps the image small.
        let particles = self.particles.map(|particles| {
            let stride = particles.len().div_ceil(8_000).max(1);
            particles
                .points()
                .step_by(stride)
                .map(|p| (p[0], p[1]))
                .collect()
        });
        Ok(Field {
            backdrop: Backdrop {
                settings,
                log_p,
                arrows,
                particles,
            },
            path,
        })
    }
}

/// The settings of a [`ScoreField`] that its drawing needs.
#[derive(Clone, PartialEq)]
struct Settings {
    x_range: (f64, f64),
    y_range: (f64, f64),
    arrows: usize,
    levels: usize,
    normalized: bool,
    title: String,
}

impl Settings {
    /// The data ranges shown on `root`: the requested ones, one widened so a unit is as long on
    /// both axes.
    fn view(&self, root: &Area<'_>) -> Rect {
        let (pw, ph) = Chart::new(root, true, (0.0, 1.0), (0.0, 1.0)).plot.size();
        equal_aspect(self.x_range, self.y_range, pw.max(1), ph.max(1))
    }
}

/// A [`ScoreField`] sampled from its density, owning all it draws.
#[derive(Clone)]
pub(crate) struct Field {
    /// All it draws under the path.
    backdrop: Backdrop,
    /// The trajectory's points and its name in the legend.
    pub(crate) path: Option<(Vec<(f64, f64)>, &'static str)>,
}

/// What a field draws under its path: title, axes, contours with their labels, arrows and
/// particles.
#[derive(Clone, PartialEq)]
struct Backdrop {
    settings: Settings,
    /// log p on the grid the contour lines are traced on and on the arrow grid (which sets
    /// the levels); none without contours.
    log_p: Option<(Grid, Grid)>,
    /// Each arrow's point and score.
    arrows: Vec<([f64; 2], [f64; 2])>,
    /// The particles to draw as dots.
    particles: Option<Vec<(f64, f64)>>,
}

/// Where a field's pieces go on a canvas, and the ranges its scales take.
struct Layout {
    view: Rect,
    chart: Chart,
    /// The trajectory's legend, placed where the whole path covers least.
    legend: Option<Legend>,
    /// The legend's box, which contour labels keep clear of.
    legend_box: Option<(i32, i32, i32, i32)>,
    /// The range the contour levels span; none without contours.
    levels: Option<(f64, f64)>,
}

/// Everything a backdrop's pixels depend on: the backdrop, the canvas (logical size and
/// density) and its layout's inputs that the backdrop does not hold.
#[derive(PartialEq)]
struct BackdropKey {
    backdrop: Backdrop,
    size: (u32, u32),
    density: u32,
    legend_box: Option<(i32, i32, i32, i32)>,
    levels: Option<(f64, f64)>,
}

/// The backdrops drawn last, for a figure drawn again with only its path changed: a live
/// figure while its step size moves, a sweep over the step size. Four: a draft and a sharp
/// frame, each with its legend in two places.
static BACKDROPS: Memo<BackdropKey, Canvas> = Memo::new(4);

/// The largest backdrop kept, in bytes of RGBA: 16 MB, a field of 1000 × 1000 at density 2
/// (the default 700 × 700 takes 7.8 MB). A larger one is drawn every time, so the kept ones
/// never hold more than 64 MB.
const KEPT_BYTES: usize = 16 << 20;

impl Field {
    /// Lays out the title and the equal-aspect chart, then draws the backdrop (title, axes,
    /// contours, arrows, particles) if `field`, and a path with its legend (its last step
    /// marked, if given). The layout depends only on the settings, the whole path and
    /// `ranges`, so drawing a path alone on a copy of the backdrop puts it where a single
    /// call would.
    pub(crate) fn draw(
        &self,
        root: &mut Area<'_>,
        field: bool,
        path: Option<Path<'_>>,
        ranges: &Ranges,
    ) {
        let layout = self.layout(root, path.as_ref().and_then(|p| p.step), ranges);
        if field {
            self.backdrop.draw(root, &layout);
        }
        if let Some(path) = path {
            draw_path(root, &layout, path.points, ranges);
        }
    }

    /// The figure `w × h` at `density`: the backdrop, drawn or the one [`BACKDROPS`] keeps for
    /// the same key (up to [`KEPT_BYTES`]), and the whole path with its legend over a copy of it. The same pixels,
    /// texts and ranges as [`draw`](Self::draw) with the backdrop and the path on one canvas.
    pub(crate) fn figure(
        &self,
        (w, h): (u32, u32),
        density: u32,
        ranges: &Ranges,
    ) -> Result<Figure, PlotError> {
        let mut canvas = Canvas::new(w, h, density)?;
        let layout = self.layout(&Area::new(&mut canvas), None, ranges);
        let draw_backdrop = |mut canvas: Canvas| {
            self.backdrop.draw(&mut Area::new(&mut canvas), &layout);
            canvas
        };
        let bytes = (w * density) as usize * (h * density) as usize * 4;
        let mut canvas = if bytes > KEPT_BYTES {
            draw_backdrop(canvas)
        } else {
            let key = self.backdrop_key((w, h), density, &layout);
            let kept = BACKDROPS.get_or_make(key, || Ok::<_, PlotError>(draw_backdrop(canvas)))?;
            (*kept).clone()
        };
        if let Some((points, _)) = &self.path {
            draw_path(&mut Area::new(&mut canvas), &layout, points, ranges);
        }
        Ok(Figure::from_canvas(canvas))
    }

    /// What its backdrop, drawn `size` at `density` with `layout`, depends on.
    fn backdrop_key(&self, size: (u32, u32), density: u32, layout: &Layout) -> BackdropKey {
        BackdropKey {
            backdrop: self.backdrop.clone(),
            size,
            density,
            legend_box: layout.legend_box,
            levels: layout.levels,
        }
    }

    /// The layout on `root`, the legend showing `step` if given. Passes the legend's badness,
    /// then the contour levels' range, through `ranges`, as a single drawing does.
    fn layout(&self, root: &Area<'_>, step: Option<usize>, ranges: &Ranges) -> Layout {
        let view = self.backdrop.settings.view(root);
        let chart = Chart::new(root, true, (view.x0, view.x1), (view.y0, view.y1));
        let legend = self
            .path
            .as_ref()
            .map(|(points, name)| trajectory_legend(&chart, points, name, step));
        let legend_box = legend
            .as_ref()
            .and_then(|l| l.place_in(plot_box(&chart), ranges));
        let levels = self.backdrop.log_p.as_ref().and_then(|(grid, coarse)| {
            let (lo, hi) = coarse.finite_range().or(grid.finite_range())?;
            Some(ranges.shared("contour levels", lo, hi))
        });
        Layout {
            view,
            chart,
            legend,
            legend_box,
            levels,
        }
    }
}

impl Backdrop {
    /// Contours, arrows, contour labels, particles, axes and title.
    fn draw(&self, root: &mut Area<'_>, layout: &Layout) {
        let (chart, view) = (&layout.chart, layout.view);
        let labels = self.draw_contours(root, layout);
        self.draw_arrows(root, chart);
        for label in &labels {
            draw_label(root, label);
        }
        if let Some(particles) = &self.particles {
            for &p in particles.iter().filter(|p| view.contains(**p)) {
                root.canvas
                    .fill_circle(chart.pixel(p), 1, Color(30, 90, 200), 0.5);
            }
        }
        let x = Axis::linear(view.x0, view.x1, "x");
        let y = Axis::linear(view.y0, view.y1, "y");
        draw_axes(root, chart, &x, &y, &self.settings.title);
    }

    /// Draws the level lines (matplotlib's levels for `contour(levels = n)`); returns the
    /// labels to draw on them: one per long enough line, inline, none overlapping another,
    /// the frame or the legend.
    fn draw_contours(&self, root: &mut Area<'_>, layout: &Layout) -> Vec<TurnedText> {
        let (Some((grid, _)), Some((lo, hi))) = (&self.log_p, layout.levels) else {
            return Vec::new();
        };
        let (chart, view) = (&layout.chart, layout.view);
        let levels = contour_levels(lo, hi, self.settings.levels);
        let step = levels
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        let places = if step.is_finite() { decimals(step) } else { 1 };
        let (first, last) = (
            levels.first().copied().unwrap_or(lo),
            levels.last().copied().unwrap_or(hi),
        );
        let map = PixelMap::new(chart, false);
        let mut labeller = Labeller::new(plot_box(chart), layout.legend_box);
        // Each level's lines are traced independently: in parallel.
        let traced: Vec<Vec<Vec<(f64, f64)>>> =
            levels.par_iter().map(|&l| grid.level_lines(l)).collect();
        for (&level, level_lines) in levels.iter().zip(traced) {
            let t = if last > first {
                (level - first) / (last - first)
            } else {
                0.5
            };
            let color = spectral(t);
            let mut lines = Shapes::new(color, 2.0);
            for line in level_lines {
                for piece in view.clip_polyline(&line) {
                    let label = level_label(format_tick(level, places), color);
                    for part in labeller.label(&map.all(&piece), label) {
                        lines.line(&part);
                    }
                }
            }
            root.draw(&lines);
        }
        labeller.into_labels()
    }

    /// Score arrows on an `arrows × arrows` grid over the requested ranges: matplotlib's
    /// quiver wedges, all in one path, cut at the plot's frame.
    fn draw_arrows(&self, root: &mut Area<'_>, chart: &Chart) {
        let n = self.settings.arrows;
        let (x0, x1) = self.settings.x_range;
        let (y0, y1) = self.settings.y_range;
        let spacing = ((x1 - x0) / (n - 1) as f64).min((y1 - y0) / (n - 1) as f64);
        let field = &self.arrows;
        let norms: Vec<f64> = field
            .iter()
            .map(|(_, s)| s[0].hypot(s[1]))
            .filter(|v| v.is_finite())
            .collect();
        let mean = norms.iter().sum::<f64>() / norms.len().max(1) as f64;
        let map = PixelMap::new(chart, false);
        let p = chart.plot;
        let frame = Rect {
            x0: f64::from(p.x0),
            x1: f64::from(p.x1),
            y0: f64::from(p.y0),
            y1: f64::from(p.y1),
        };
        let width = shaft_share(field.len()) * f64::from(p.x1 - p.x0);
        let mut arrows = Shapes::new(ARROW_GREY, 0.0);
        for &(p, s) in field {
            let norm = s[0].hypot(s[1]);
            if !norm.is_finite() {
                continue;
            }
            let scale = if norm == 0.0 {
                0.0
            } else if self.settings.normalized {
                0.75 * spacing / norm
            } else {
                0.45 * spacing / mean.max(f64::MIN_POSITIVE)
            };
            let (tail, tip) = (
                map.at((p[0], p[1])),
                map.at((p[0] + scale * s[0], p[1] + scale * s[1])),
            );
            let wedge = quiver_wedge(tail, tip, width);
            if wedge.iter().all(|&q| frame.contains(q)) {
                arrows.polygon(&to_f32(&wedge));
            } else {
                let cut = frame.clip_polygon(&wedge);
                if cut.len() >= 3 {
                    arrows.polygon(&to_f32(&cut));
                }
            }
        }
        root.draw(&arrows);
    }
}

/// Widens the smaller of the two ranges so one data unit spans the same number of pixels on both
/// axes (matplotlib's `axis("equal")`).
fn equal_aspect((x0, x1): (f64, f64), (y0, y1): (f64, f64), pw: u32, ph: u32) -> Rect {
    let per_pixel = ((x1 - x0) / pw as f64).max((y1 - y0) / ph as f64);
    let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
    let (hw, hh) = (0.5 * per_pixel * pw as f64, 0.5 * per_pixel * ph as f64);
    Rect {
        x0: cx - hw,
        x1: cx + hw,
        y0: cy - hh,
        y1: cy + hh,
    }
}

/// The plotting area's box (left, top, right, bottom) in canvas pixels.
fn plot_box(chart: &Chart) -> (i32, i32, i32, i32) {
    let p = chart.plot;
    (p.x0, p.y0, p.x1, p.y1)
}

/// A contour label, on a white box that keeps the arrows beneath it from crossing the text.
fn draw_label(root: &mut Area<'_>, label: &TurnedText) {
    let (w, h) = label.size();
    let (cx, cy) = (f64::from(label.centre.0), f64::from(label.centre.1));
    let spot = TextBox {
        text: String::new(),
        x0: cx - 0.5 * w - 1.0,
        y0: cy - 0.5 * h + 1.0,
        x1: cx + 0.5 * w + 1.0,
        y1: cy + 0.5 * h - 1.0,
        angle: label.angle,
        axis: None,
    };
    let mut backing = Shapes::new(Color::WHITE, 0.0);
    backing.polygon(&spot.corners().map(|(x, y)| (x as f32, y as f32)));
    root.draw(&backing);
    root.draw(label);
}

pub(crate) fn xy(trajectory: &Trajectory) -> Vec<(f64, f64)> {
    trajectory.points().map(|p| (p[0], p[1])).collect()
}

const PATH_RED: Color = Color(255, 0, 0);
const START_GREEN: Color = Color(0, 128, 0);

/// The trajectory's legend, avoiding the whole path; with the step shown, when given.
fn trajectory_legend(
    chart: &Chart,
    points: &[(f64, f64)],
    name: &str,
    step: Option<usize>,
) -> Legend {
    let mut legend = Legend::default();
    let pixels: Vec<(i32, i32)> = points.iter().map(|&p| chart.pixel(p)).collect();
    legend.avoid_path(&pixels);
    legend.entry(
        name,
        Swatch::Line {
            color: PATH_RED,
            width: 1,
            dashed: false,
            marker: 2,
        },
    );
    legend.entry(
        "Initial point",
        Swatch::Marker {
            color: START_GREEN,
            radius: 6,
        },
    );
    if let Some(t) = step {
        legend.entry(format!("step t = {t}"), Swatch::Blank);
    }
    legend
}

/// The path through `points` and its legend, where `layout` places them.
fn draw_path(root: &mut Area<'_>, layout: &Layout, points: &[(f64, f64)], ranges: &Ranges) {
    draw_trajectory(root, &layout.chart, points, layout.view);
    if let Some(legend) = &layout.legend {
        legend.draw_in(root, plot_box(&layout.chart), ranges);
    }
}

/// The path through `points` with a marker on each, the first in green.
fn draw_trajectory(root: &mut Area<'_>, chart: &Chart, points: &[(f64, f64)], view: Rect) {
    let map = PixelMap::new(chart, false);
    let mut path = Shapes::new(PATH_RED, 1.0);
    for piece in view.clip_polyline(points) {
        path.line(&map.all(&piece));
    }
    for &p in points.iter().filter(|p| view.contains(**p)) {
        path.disc(map.at(p), 2.0);
    }
    root.draw(&path);
    if let Some(&start) = points.first().filter(|p| view.contains(**p)) {
        let mut marker = Shapes::new(START_GREEN, 0.0);
        marker.disc(map.at(start), 6.0);
        root.draw(&marker);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;
    use crate::sample::langevin::Ula;

    /// What makes a kept field found again: two fields whose trajectories differ have equal
    /// backdrops and, with the legend in the same place, equal keys; another mixture does not.
    #[test]
    fn only_the_trajectory_changed_keeps_the_key() {
        let gm = GaussianMixture::new(
            &[0.5, 0.5],
            &[[-2.0, 0.0], [2.0, 1.0]],
            &[[[1.0, 0.2], [0.2, 1.0]], [[0.5, 0.0], [0.0, 0.5]]],
        )
        .unwrap();
        let other = GaussianMixture::new(
            &[0.5, 0.5],
            &[[-2.0, 0.0], [2.0, 1.5]],
            &[[[1.0, 0.2], [0.2, 1.0]], [[0.5, 0.0], [0.0, 0.5]]],
        )
        .unwrap();
        let key = |gm: &GaussianMixture, eps: f64| {
            let path = Ula::new(eps)
                .unwrap()
                .run(gm, &[-5.0, -5.0], 100, 1)
                .unwrap();
            let plot = ScoreField::new(gm, -6.0..=6.0, -6.0..=6.0).trajectory(&path);
            let field = plot.field(1).unwrap();
            let (w, h) = plot.size_px();
            let mut canvas = Canvas::new(w, h, 1).unwrap();
            let layout = field.layout(&Area::new(&mut canvas), None, &Ranges::own());
            field.backdrop_key((w, h), 1, &layout)
        };
        assert!(key(&gm, 0.05) == key(&gm, 0.06));
        assert!(key(&gm, 0.05) != key(&other, 0.05));
    }
}
