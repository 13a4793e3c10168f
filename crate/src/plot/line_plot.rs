//! A general figure of named curves and point sets: the building block of the study figures
//! (errors against step size, occupancy over time, …).

use super::Figure;
use super::area::Area;
use super::axes::{Axis, Chart, PixelMap, draw_axes};
use super::color::Color;
use super::figure::DENSITY;
use super::legend::{DASH, Legend, Swatch};
use super::shapes::Shapes;
use super::shared_scales::Ranges;
use crate::plot::PlotError;

/// The palette of successive series (matplotlib's "tab10").
pub(crate) const PALETTE: [Color; 6] = [
    Color(31, 119, 180),
    Color(214, 39, 40),
    Color(44, 160, 44),
    Color(255, 127, 14),
    Color(148, 103, 189),
    Color(140, 86, 75),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    Line,
    Dashed,
    Points,
    LinePoints,
}

#[derive(Debug, Clone)]
struct Series {
    name: String,
    color: Option<usize>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    style: Style,
}

/// Curves and points on shared axes, with a legend.
///
/// ```
/// use scorelab::plot::LinePlot;
/// let xs: Vec<f64> = (0..50).map(|i| i as f64 / 10.0).collect();
/// let fig = LinePlot::new("Two curves")
///     .line("x²", &xs, &xs.iter().map(|x| x * x).collect::<Vec<_>>())
///     .points("x", &xs, &xs)
///     .render()?;
/// assert_eq!(fig.width(), 800);
/// # Ok::<(), scorelab::PlotError>(())
/// ```
#[derive(Debug, Clone)]
pub struct LinePlot {
    title: String,
    x_label: String,
    y_label: String,
    series: Vec<Series>,
    log_x: bool,
    log_y: bool,
    y_range: Option<(f64, f64)>,
    size: (u32, u32),
    density: u32,
}

impl LinePlot {
    /// An empty plot with a title, 800 × 450 px.
    pub fn new(title: impl Into<String>) -> Self {
        LinePlot {
            title: title.into(),
            x_label: "x".into(),
            y_label: String::new(),
            series: Vec::new(),
            log_x: false,
            log_y: false,
            y_range: None,
            size: (800, 450),
            density: DENSITY,
        }
    }

    /// Device pixels per logical pixel (1..=4; default 2, sharp on high-density screens).
    pub fn density(mut self, density: u32) -> Self {
        self.density = density;
        self
    }

    /// Axis labels.
    pub fn labels(mut self, x: impl Into<String>, y: impl Into<String>) -> Self {
        self.x_label = x.into();
        self.y_label = y.into();
        self
    }

    fn push(mut self, name: impl Into<String>, xs: &[f64], ys: &[f64], style: Style) -> Self {
        let n = xs.len().min(ys.len());
        self.series.push(Series {
            name: name.into(),
            color: None,
            xs: xs[..n].to_vec(),
            ys: ys[..n].to_vec(),
            style,
        });
        self
    }

    /// A solid curve through (xs, ys).
    pub fn line(self, name: impl Into<String>, xs: &[f64], ys: &[f64]) -> Self {
        self.push(name, xs, ys, Style::Line)
    }

    /// A dashed curve (a reference or prediction).
    pub fn dashed(self, name: impl Into<String>, xs: &[f64], ys: &[f64]) -> Self {
        self.push(name, xs, ys, Style::Dashed)
    }

    /// Markers at (xs, ys).
    pub fn points(self, name: impl Into<String>, xs: &[f64], ys: &[f64]) -> Self {
        self.push(name, xs, ys, Style::Points)
    }

    /// A solid curve through (xs, ys) with a marker on every point (a measurement at a few
    /// settings).
    pub fn line_with_markers(self, name: impl Into<String>, xs: &[f64], ys: &[f64]) -> Self {
        self.push(name, xs, ys, Style::LinePoints)
    }

    /// Gives the last added series the palette colour `index` (to pair a curve with its
    /// reference line).
    pub fn color(mut self, index: usize) -> Self {
        if let Some(last) = self.series.last_mut() {
            last.color = Some(index);
        }
        self
    }

    /// Logarithmic x axis (points with x ≤ 0 are left out), as matplotlib's: decades labelled
    /// 10ⁿ, minor ticks at 2…9 × 10ⁿ between them, labelled too on a range of about a decade.
    ///
    /// ```
    /// use scorelab::plot::LinePlot;
    /// let steps = [5.0, 10.0, 20.0, 50.0, 100.0];
    /// let fig = LinePlot::new("error against steps")
    ///     .line_with_markers("error", &steps, &[0.4, 0.1, 0.04, 0.03, 0.03])
    ///     .log_x(true)
    ///     .log_y(true)
    ///     .render()?;
    /// let labels: Vec<&str> = fig.texts().iter().map(|t| t.text.as_str()).collect();
    /// assert!(labels.contains(&"10¹") && labels.contains(&"10²"));
    /// # Ok::<(), scorelab::PlotError>(())
    /// ```
    pub fn log_x(mut self, yes: bool) -> Self {
        self.log_x = yes;
        self
    }

    /// Logarithmic y axis (non-positive values are left out).
    pub fn log_y(mut self, yes: bool) -> Self {
        self.log_y = yes;
        self
    }

    /// Fixes the y range instead of fitting the data.
    pub fn y_range(mut self, lo: f64, hi: f64) -> Self {
        self.y_range = Some((lo, hi));
        self
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width, height);
        self
    }

    /// Whether the point (x, y) can be drawn on the plot's axes.
    fn visible(&self, (x, y): (f64, f64)) -> bool {
        x.is_finite() && y.is_finite() && (!self.log_x || x > 0.0) && (!self.log_y || y > 0.0)
    }

    /// Draws the figure.
    ///
    /// # Errors
    /// [`PlotError::InvalidParameter`] if no point can be drawn, or for a y range that is empty
    /// or not positive on a log axis.
    pub fn render(&self) -> Result<Figure, PlotError> {
        let plot = self.clone();
        Figure::drawn(self.density, move |density, ranges| {
            plot.draw_at(density, ranges)
        })
    }

    /// The figure at `density`, its axes spanning `ranges`.
    fn draw_at(&self, density: u32, ranges: &Ranges) -> Result<Figure, PlotError> {
        let (mut x0, mut x1, mut y0, mut y1) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for s in &self.series {
            for p in s.xs.iter().copied().zip(s.ys.iter().copied()) {
                if self.visible(p) {
                    (x0, x1) = (x0.min(p.0), x1.max(p.0));
                    (y0, y1) = (y0.min(p.1), y1.max(p.1));
                }
            }
        }
        if !(x0 <= x1 && y0 <= y1) {
            return Err(PlotError::InvalidParameter {
                name: "series",
                reason: "no finite points to draw".into(),
            });
        }
        (x0, x1) = ranges.shared("x", x0, x1);
        (y0, y1) = ranges.shared("y", y0, y1);
        let mut fixed_y = false;
        if let Some((lo, hi)) = self.y_range {
            super::check_range("y range", (lo, hi))?;
            if self.log_y && lo <= 0.0 {
                return Err(PlotError::InvalidParameter {
                    name: "y range",
                    reason: format!("[{lo}, {hi}] must be positive on a log axis"),
                });
            }
            (y0, y1, fixed_y) = (lo, hi, true);
        }
        let x = padded(x0, x1, self.log_x, &self.x_label);
        let y = if fixed_y {
            Axis {
                lo: y0,
                hi: y1,
                log: self.log_y,
                label: &self.y_label,
            }
        } else {
            padded(y0, y1, self.log_y, &self.y_label)
        };
        let (w, h) = self.size;
        Figure::render_at(w, h, density, |root| {
            let (xr, yr) = (x.range(), y.range());
            let chart = Chart::new(root, true, (xr.start, xr.end), (yr.start, yr.end));
            self.draw(root, &chart, (&x, &y), ranges);
            Ok(())
        })
    }

    fn draw(
        &self,
        root: &mut Area<'_>,
        chart: &Chart,
        (x, y): (&Axis<'_>, &Axis<'_>),
        ranges: &Ranges,
    ) {
        let mut legend = Legend::default();
        let (ox, oy) = root.base();
        let map = PixelMap::scaled(chart, (x.log, y.log));
        let marker = |color| Swatch::Marker { color, radius: 4 };
        for (i, s) in self.series.iter().enumerate() {
            let color = PALETTE[s.color.unwrap_or(i) % PALETTE.len()];
            let pts: Vec<(f64, f64)> =
                s.xs.iter()
                    .copied()
                    .zip(s.ys.iter().copied())
                    .filter(|&p| self.visible(p))
                    .collect();
            let pixels = map.all(&pts);
            let relative: Vec<(i32, i32)> = pixels
                .iter()
                .map(|&(a, b)| (a.round() as i32 - ox, b.round() as i32 - oy))
                .collect();
            let has_line = s.style != Style::Points;
            let has_markers = matches!(s.style, Style::Points | Style::LinePoints);
            if has_line {
                let dashed = s.style == Style::Dashed;
                let mut line = Shapes::new(color, 2.0);
                if dashed {
                    line = line.dashed(DASH.0 as f32, DASH.1 as f32);
                }
                line.line(&pixels);
                root.draw(&line);
                legend.avoid_path(&relative);
            }
            if has_markers {
                let mut markers = Shapes::new(color, 0.0);
                for &p in &pixels {
                    markers.disc(p, 4.0);
                }
                root.draw(&markers);
                legend.avoid(relative);
            }
            let swatch = match s.style {
                Style::Points => marker(color),
                style => Swatch::Line {
                    color,
                    width: 2,
                    dashed: style == Style::Dashed,
                    marker: if has_markers { 4 } else { 0 },
                },
            };
            // A series with an empty name stays out of the legend.
            if !s.name.is_empty() {
                legend.entry(s.name.clone(), swatch);
            }
        }
        draw_axes(root, chart, x, y, &self.title);
        let p = chart.plot;
        legend.draw_in(root, (p.x0 - ox, p.y0 - oy, p.x1 - ox, p.y1 - oy), ranges);
    }
}

/// The axis over `[lo, hi]` with matplotlib's 5 % margins on each side (of the logarithms on a
/// log axis); a single value gets a unit (a factor 2 on a log axis) either side.
fn padded(lo: f64, hi: f64, log: bool, label: &str) -> Axis<'_> {
    if log {
        let (l0, l1) = (lo.log10(), hi.log10());
        let (l0, l1) = if l1 > l0 {
            (l0, l1)
        } else {
            (l0 - 2f64.log10(), l1 + 2f64.log10())
        };
        let pad = 0.05 * (l1 - l0);
        Axis::log(10f64.powf(l0 - pad), 10f64.powf(l1 + pad), label)
    } else {
        let (lo, hi) = if hi > lo {
            (lo, hi)
        } else {
            (lo - 1.0, hi + 1.0)
        };
        let pad = 0.05 * (hi - lo);
        Axis::linear(lo - pad, hi + pad, label)
    }
}
