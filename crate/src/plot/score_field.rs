//! The 2-D figure: labelled log-density contours under a quiver of score arrows, equal aspect,
//! optionally with a Langevin trajectory on top.

use std::ops::RangeInclusive;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::clip::Rect;
use super::colormap::spectral;
use super::contours::Grid;
use super::levels::{format_level, nice_levels, nice_step};
use super::{check_range, font::FAMILY};
use crate::error::PlotError;
use crate::limits;
use crate::model::score::Density;
use crate::output::animation::{Animation, MAX_FRAMES};
use crate::output::display::{drawing, Figure};
use crate::output::raster::Rgb;
use crate::output::sweep::Sweep;
use crate::sample::ensemble::Particles;
use crate::sample::langevin::Trajectory;

/// The chart every part of the field is drawn on.
type Chart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The points of a trajectory to draw, and the step to mark (for a frame of an animation).
struct Path<'p> {
    points: &'p [(f64, f64)],
    step: Option<usize>,
}

/// A trajectory growing over the field: the field without it, its points, and the last step
/// shown in each frame.
struct Growth {
    background: Rgb,
    points: Vec<(f64, f64)>,
    steps: Vec<usize>,
}

/// A contour label: its text, where it goes (pixels) and its colour.
type Label = (String, (i32, i32), RGBColor);

/// The score s(x) = ∇ₓ log p(x) of a 2-D density as arrows over contours of log p.
///
/// Arrow length is proportional to |s| (the mean arrow is 0.45 grid spacings long) unless
/// [`normalized`](Self::normalized); heads are drawn in pixel space, so they keep their shape.
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
        }
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

    fn validate(&self) -> Result<(), PlotError> {
        if self.density.dim() != 2 {
            return Err(PlotError::WrongDimension {
                expected: 2,
                found: self.density.dim(),
            });
        }
        check_range("x range", self.x_range)?;
        check_range("y range", self.y_range)?;
        limits::LEVELS.check(self.levels)?;
        if self.arrows < 2 || self.arrows > 500 {
            return Err(PlotError::InvalidParameter {
                name: "arrows",
                reason: format!("{} is not within 2..=500", self.arrows),
            });
        }
        if self.resolution < 3 || self.resolution > 2000 {
            return Err(PlotError::InvalidParameter {
                name: "resolution",
                reason: format!("{} is not within 3..=2000", self.resolution),
            });
        }
        if let Some(t) = self.trajectory {
            if t.dim() != 2 {
                return Err(PlotError::WrongDimension {
                    expected: 2,
                    found: t.dim(),
                });
            }
        }
        Ok(())
    }

    /// Draws the figure.
    pub fn render(&self) -> Result<Figure, PlotError> {
        self.validate()?;
        let (w, h) = self.size;
        let path = self.trajectory.map(xy);
        Figure::render(w, h, |root| {
            self.draw(
                root,
                true,
                path.as_deref().map(|points| Path { points, step: None }),
            )
        })
    }

    /// The trajectory growing over the field: `frames` frames from the start alone to the
    /// whole path, at 10 frames per second, the last frame held for 2 s; each frame marks its
    /// step t. Needs a [`trajectory`](Self::trajectory).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.5], [0.5, 1.0]]])?;
    /// let path = Ula::new(0.05)?.run(&gm, &[2.5, -2.5], 100, 1)?;
    /// let field = ScoreField::new(&gm, -3.0..=3.0, -3.0..=3.0).arrows(15).size(300, 300);
    /// let anim = field.trajectory(&path).animate(11)?;
    /// assert_eq!(anim.len(), 11);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn animate(&self, frames: usize) -> Result<Animation, PlotError> {
        let Growth {
            background,
            points,
            steps,
        } = self.growth(frames)?;
        let mut delays = vec![10; frames];
        delays[frames - 1] = 200;
        Animation::from_rgb(frames, &delays, |k| {
            self.grown(&background, &points, steps[k])
        })
    }

    /// The same frames as [`animate`](Self::animate), as a [`Sweep`] over the step t: a slider
    /// to go back and forth in time.
    pub fn sweep_steps(&self, frames: usize) -> Result<Sweep, PlotError> {
        let Growth {
            background,
            points,
            steps,
        } = self.growth(frames)?;
        let labels = steps.iter().map(|t| t.to_string()).collect();
        Sweep::from_rgb("step t", labels, |k| {
            self.grown(&background, &points, steps[k])
        })
    }

    /// For a growing trajectory: the field without it, its points, and the last step of each
    /// of `frames` frames (evenly spaced from 0 to the end).
    fn growth(&self, frames: usize) -> Result<Growth, PlotError> {
        self.validate()?;
        let Some(trajectory) = self.trajectory else {
            return Err(PlotError::InvalidParameter {
                name: "trajectory",
                reason: "there is none to animate; add one with .trajectory(&path)".to_string(),
            });
        };
        if !(2..=MAX_FRAMES).contains(&frames) {
            return Err(PlotError::InvalidParameter {
                name: "frames",
                reason: format!("{frames} is not within 2..={MAX_FRAMES}"),
            });
        }
        let points = xy(trajectory);
        let last = points.len().saturating_sub(1);
        let steps = (0..frames)
            .map(|k| (k as f64 * last as f64 / (frames - 1) as f64).round() as usize)
            .collect();
        let (w, h) = self.size;
        let mut background = Rgb::white(w, h)?;
        background.draw(|root| self.draw(root, true, None))?;
        Ok(Growth {
            background,
            points,
            steps,
        })
    }

    /// `background` with the trajectory's states 0..=t drawn on it and step t marked.
    fn grown(&self, background: &Rgb, points: &[(f64, f64)], t: usize) -> Result<Rgb, PlotError> {
        let mut image = background.clone();
        let shown = &points[..(t + 1).min(points.len())];
        image.draw(|root| {
            self.draw(
                root,
                false,
                Some(Path {
                    points: shown,
                    step: Some(t),
                }),
            )
        })?;
        Ok(image)
    }

    /// Lays out the title and the equal-aspect chart, then draws the field (title, mesh,
    /// contours, arrows) if `field`, and a path (with its last step marked, if given). The
    /// layout depends only on the settings, so drawing a path alone on a copy of the field
    /// puts it where a single call would.
    fn draw(
        &self,
        root: &DrawingArea<BitMapBackend<'_>, Shift>,
        field: bool,
        path: Option<Path<'_>>,
    ) -> Result<(), PlotError> {
        // What `DrawingArea::titled` does, with the drawing optional.
        let style = TextStyle::from((FAMILY, 18).into_font());
        let (w, _) = root.dim_in_pixel();
        let (_, text_h) = root
            .estimate_text_size(&self.title, &style)
            .map_err(drawing)?;
        let pad = (text_h / 2).min(5);
        if field {
            let style = style.pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new(
                self.title.clone(),
                ((w / 2) as i32, pad as i32),
                style,
            ))
            .map_err(drawing)?;
        }
        let area = root.margin(2 * pad + text_h, 0, 0, 0);
        let builder = |area| {
            let mut b = ChartBuilder::on(area);
            b.margin(10).x_label_area_size(40).y_label_area_size(50);
            b
        };
        // Measure the plotting area, then widen one range so a unit is as long on both axes.
        let (pw, ph) = builder(&area)
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)
            .map_err(drawing)?
            .plotting_area()
            .dim_in_pixel();
        let view = equal_aspect(self.x_range, self.y_range, pw.max(1), ph.max(1));
        let mut chart = builder(&area)
            .build_cartesian_2d(view.x0..view.x1, view.y0..view.y1)
            .map_err(drawing)?;
        if field {
            self.draw_field(root, &mut chart, view)?;
        }
        match path {
            Some(path) => draw_trajectory(&mut chart, path.points, view, path.step),
            None => Ok(()),
        }
    }

    /// Mesh, contours, arrows and contour labels.
    fn draw_field(
        &self,
        root: &DrawingArea<BitMapBackend<'_>, Shift>,
        chart: &mut Chart<'_, '_>,
        view: Rect,
    ) -> Result<(), PlotError> {
        chart
            .configure_mesh()
            .x_desc("x")
            .y_desc("y")
            .label_style((FAMILY, 13))
            .axis_desc_style((FAMILY, 14))
            .bold_line_style(RGBColor(176, 176, 176).stroke_width(1))
            .light_line_style(TRANSPARENT)
            .draw()
            .map_err(drawing)?;
        let labels = self.draw_contours(chart, view)?;
        self.draw_arrows(root, chart)?;
        for (text, (px, py), color) in labels {
            draw_label(root, &text, (px, py), color)?;
        }
        if let Some(particles) = self.particles {
            let stride = particles.len().div_ceil(8_000).max(1);
            let dot = RGBColor(30, 90, 200).mix(0.5).filled();
            chart
                .draw_series(
                    particles
                        .points()
                        .step_by(stride)
                        .map(|p| (p[0], p[1]))
                        .filter(|p| view.contains(*p))
                        .map(|p| Circle::new(p, 1, dot)),
                )
                .map_err(drawing)?;
        }
        Ok(())
    }

    /// Draws the level lines; returns where to put each label (text, pixel, colour).
    fn draw_contours(
        &self,
        chart: &mut Chart<'_, '_>,
        view: Rect,
    ) -> Result<Vec<Label>, PlotError> {
        let mut labels = Vec::new();
        if self.levels == 0 {
            return Ok(labels);
        }
        let aspect = (view.y1 - view.y0) / (view.x1 - view.x0);
        let nx = self.resolution;
        let ny = ((self.resolution as f64 * aspect).round() as usize).max(3);
        let grid = Grid::sample_batch(
            (view.x0, view.x1),
            (view.y0, view.y1),
            (nx, ny),
            |points, values| self.density.log_prob_batch(points, values),
        )
        .map_err(batch_error)?;
        let Some((lo, hi)) = grid.finite_range() else {
            return Ok(labels);
        };
        let levels = nice_levels(lo, hi, self.levels);
        let step = nice_step(hi - lo, self.levels);
        let (first, last) = (
            levels.first().copied().unwrap_or(lo),
            levels.last().copied().unwrap_or(hi),
        );
        for &level in &levels {
            let t = if last > first {
                (level - first) / (last - first)
            } else {
                0.5
            };
            let color = spectral(t);
            for line in grid.level_lines(level) {
                for piece in view.clip_polyline(&line) {
                    let pixels: Vec<(i32, i32)> =
                        piece.iter().map(|p| chart.backend_coord(p)).collect();
                    let length: f64 = pixels.windows(2).map(|w| pixel_distance(w[0], w[1])).sum();
                    if length > 90.0 {
                        labels.push((format_level(level, step), midpoint(&pixels, length), color));
                    }
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            piece,
                            color.stroke_width(2),
                        )))
                        .map_err(drawing)?;
                }
            }
        }
        Ok(labels)
    }

    /// Score arrows on an `arrows × arrows` grid over the requested ranges.
    fn draw_arrows(
        &self,
        root: &DrawingArea<BitMapBackend<'_>, Shift>,
        chart: &Chart<'_, '_>,
    ) -> Result<(), PlotError> {
        let n = self.arrows;
        let (x0, x1) = self.x_range;
        let (y0, y1) = self.y_range;
        let spacing = ((x1 - x0) / (n - 1) as f64).min((y1 - y0) / (n - 1) as f64);
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
            .map_err(batch_error)?;
        let field: Vec<([f64; 2], [f64; 2])> = points
            .chunks_exact(2)
            .zip(scores.chunks_exact(2))
            .map(|(p, s)| ([p[0], p[1]], [s[0], s[1]]))
            .collect();
        let norms: Vec<f64> = field
            .iter()
            .map(|(_, s)| s[0].hypot(s[1]))
            .filter(|v| v.is_finite())
            .collect();
        let mean = norms.iter().sum::<f64>() / norms.len().max(1) as f64;
        let color = RGBColor(64, 64, 64);
        for (p, s) in field {
            let norm = s[0].hypot(s[1]);
            if !(norm.is_finite() && norm > 0.0) {
                continue;
            }
            let scale = if self.normalized {
                0.75 * spacing / norm
            } else {
                0.45 * spacing / mean.max(f64::MIN_POSITIVE)
            };
            let tail = chart.backend_coord(&(p[0], p[1]));
            let tip = chart.backend_coord(&(p[0] + scale * s[0], p[1] + scale * s[1]));
            draw_arrow(root, tail, tip, color)?;
        }
        Ok(())
    }
}

/// A density's batch evaluation refused the grid (only a custom density can).
fn batch_error(err: crate::error::BatchError) -> PlotError {
    PlotError::InvalidParameter {
        name: "density",
        reason: err.to_string(),
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

fn pixel_distance(a: (i32, i32), b: (i32, i32)) -> f64 {
    ((a.0 - b.0) as f64).hypot((a.1 - b.1) as f64)
}

/// The point halfway along a pixel polyline of total `length`.
fn midpoint(pixels: &[(i32, i32)], length: f64) -> (i32, i32) {
    let mut walked = 0.0;
    for w in pixels.windows(2) {
        let d = pixel_distance(w[0], w[1]);
        if walked + d >= 0.5 * length {
            return w[1];
        }
        walked += d;
    }
    pixels[pixels.len() / 2]
}

/// A shaft and a filled head; the head is at most 35 % of the arrow and 5 px, built in pixel space.
fn draw_arrow(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    tail: (i32, i32),
    tip: (i32, i32),
    color: RGBColor,
) -> Result<(), PlotError> {
    let (dx, dy) = ((tip.0 - tail.0) as f64, (tip.1 - tail.1) as f64);
    let len = dx.hypot(dy);
    if len < 1.0 {
        return root.draw_pixel(tail, &color).map_err(drawing);
    }
    let (ux, uy) = (dx / len, dy / len);
    let head = (0.35 * len).min(5.0);
    let half = 0.5 * head;
    let base = (tip.0 as f64 - ux * head, tip.1 as f64 - uy * head);
    let wing = |sign: f64| {
        (
            (base.0 - sign * uy * half).round() as i32,
            (base.1 + sign * ux * half).round() as i32,
        )
    };
    root.draw(&PathElement::new(
        vec![tail, (base.0.round() as i32, base.1.round() as i32)],
        color,
    ))
    .map_err(drawing)?;
    root.draw(&Polygon::new(
        vec![tip, wing(1.0), wing(-1.0)],
        color.filled(),
    ))
    .map_err(drawing)
}

/// A contour label on a white box that hides the line beneath it, in a darker shade of the
/// line's colour so pale levels stay legible.
fn draw_label(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    text: &str,
    (px, py): (i32, i32),
    color: RGBColor,
) -> Result<(), PlotError> {
    let font = TextStyle::from((FAMILY, 12).into_font());
    let (tw, th) = root.estimate_text_size(text, &font).map_err(drawing)?;
    let (hw, hh) = (tw as i32 / 2 + 2, th as i32 / 2 + 1);
    root.draw(&Rectangle::new(
        [(px - hw, py - hh), (px + hw, py + hh)],
        WHITE.filled(),
    ))
    .map_err(drawing)?;
    let darken = |c: u8| (u16::from(c) * 3 / 4) as u8;
    let darker = RGBColor(darken(color.0), darken(color.1), darken(color.2));
    let style = font
        .color(&darker)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(text.to_string(), (px, py), style))
        .map_err(drawing)
}

fn xy(trajectory: &Trajectory) -> Vec<(f64, f64)> {
    trajectory.points().map(|p| (p[0], p[1])).collect()
}

/// The path through `points` with a marker on each, the first in green, a legend, and, when
/// `step` is given, "t = step" in the top-left corner.
fn draw_trajectory<'a, 'b: 'a>(
    chart: &mut Chart<'a, 'b>,
    points: &[(f64, f64)],
    view: Rect,
    step: Option<usize>,
) -> Result<(), PlotError> {
    let red = RGBColor(230, 0, 0);
    for piece in view.clip_polyline(points) {
        chart
            .draw_series(std::iter::once(PathElement::new(
                piece,
                red.stroke_width(1),
            )))
            .map_err(drawing)?;
    }
    chart
        .draw_series(
            points
                .iter()
                .filter(|p| view.contains(**p))
                .map(|&p| Circle::new(p, 2, red.filled())),
        )
        .map_err(drawing)?
        .label("Langevin trajectory")
        .legend(move |(x, y)| {
            EmptyElement::at((x, y))
                + PathElement::new(vec![(0, 0), (24, 0)], red.stroke_width(1))
                + Circle::new((12, 0), 3, red.filled())
        });
    let green = RGBColor(0, 128, 0);
    chart
        .draw_series(
            points
                .first()
                .filter(|p| view.contains(**p))
                .map(|&p| Circle::new(p, 7, green.filled())),
        )
        .map_err(drawing)?
        .label("Initial point")
        .legend(move |(x, y)| Circle::new((x + 12, y), 6, green.filled()));
    if let Some(t) = step {
        let area = chart.plotting_area();
        let font = TextStyle::from((FAMILY, 15).into_font());
        let text = format!("t = {t}");
        let (tw, th) = area.estimate_text_size(&text, &font).map_err(drawing)?;
        let (x, y) = chart.backend_coord(&(view.x0, view.y1));
        let root = area.strip_coord_spec();
        let (ox, oy) = root.get_base_pixel();
        let (x, y) = (x - ox + 8, y - oy + 8);
        root.draw(&Rectangle::new(
            [(x - 4, y - 3), (x + tw as i32 + 4, y + th as i32 + 3)],
            ShapeStyle::from(WHITE.mix(0.85)).filled(),
        ))
        .map_err(drawing)?;
        root.draw(&Text::new(text, (x, y), font)).map_err(drawing)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FAMILY, 14))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(190, 190, 190))
        .draw()
        .map_err(drawing)
}
