//! A general figure of named curves and point sets: the building block of the study figures
//! (errors against step size, occupancy over time, …).

use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;

use super::axes::{chart_builder, draw_axes, drawing, Axis, Chart, PixelMap};
use super::canvas::Area;
use super::legend::{Legend, Swatch, DASH};
use super::shapes::Shapes;
use super::shared_scales::shared;
use super::Figure;
use crate::error::PlotError;

/// The palette of successive series (matplotlib's "tab10").
pub(crate) const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    Line,
    Dashed,
    Points,
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
    log_y: bool,
    y_range: Option<(f64, f64)>,
    size: (u32, u32),
}

impl LinePlot {
    /// An empty plot with a title, 800 × 450 px.
    pub fn new(title: impl Into<String>) -> Self {
        LinePlot {
            title: title.into(),
            x_label: "x".into(),
            y_label: String::new(),
            series: Vec::new(),
            log_y: false,
            y_range: None,
            size: (800, 450),
        }
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

    /// Gives the last added series the palette colour `index` (to pair a curve with its
    /// reference line).
    pub fn color(mut self, index: usize) -> Self {
        if let Some(last) = self.series.last_mut() {
            last.color = Some(index);
        }
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

    fn visible(&self, y: f64) -> bool {
        y.is_finite() && (!self.log_y || y > 0.0)
    }

    /// Draws the figure.
    pub fn render(&self) -> Result<Figure, PlotError> {
        let points = || {
            self.series
                .iter()
                .flat_map(|s| s.xs.iter().zip(&s.ys))
                .filter(|(x, y)| x.is_finite() && self.visible(**y))
        };
        let (mut x0, mut x1, mut y0, mut y1) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for (&x, &y) in points() {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if !(x0 <= x1 && y0 <= y1) {
            return Err(PlotError::InvalidParameter {
                name: "series",
                reason: "no finite points to draw".into(),
            });
        }
        (x0, x1) = shared("x", x0, x1);
        (y0, y1) = shared("y", y0, y1);
        if let Some((lo, hi)) = self.y_range {
            super::check_range("y range", (lo, hi))?;
            if self.log_y && lo <= 0.0 {
                return Err(PlotError::InvalidParameter {
                    name: "y range",
                    reason: format!("[{lo}, {hi}] must be positive on a log axis"),
                });
            }
            (y0, y1) = (lo, hi);
        }
        if x1 == x0 {
            (x0, x1) = (x0 - 1.0, x1 + 1.0);
        }
        if y1 == y0 {
            (y0, y1) = if self.log_y {
                (y0 / 2.0, y1 * 2.0)
            } else {
                (y0 - 1.0, y1 + 1.0)
            };
        }
        // matplotlib's 5 % margins on each side.
        let x_pad = 0.05 * (x1 - x0);
        let x = Axis::linear(x0 - x_pad, x1 + x_pad, &self.x_label);
        let (w, h) = self.size;
        Figure::render(w, h, |root| {
            if self.log_y {
                let (ly0, ly1) = (y0.log10(), y1.log10());
                let pad = 0.05 * (ly1 - ly0);
                let (lo, hi) = (10f64.powf(ly0 - pad), 10f64.powf(ly1 + pad));
                let chart = chart_builder(root, true)
                    .build_cartesian_2d(x.lo..x.hi, (lo..hi).log_scale())
                    .map_err(drawing)?;
                let y = Axis {
                    lo,
                    hi,
                    log: true,
                    label: &self.y_label,
                };
                self.draw(root, chart, &x, &y)
            } else {
                let pad = if self.y_range.is_some() {
                    0.0
                } else {
                    0.05 * (y1 - y0)
                };
                let y = Axis::linear(y0 - pad, y1 + pad, &self.y_label);
                let chart = chart_builder(root, true)
                    .build_cartesian_2d(x.lo..x.hi, y.lo..y.hi)
                    .map_err(drawing)?;
                self.draw(root, chart, &x, &y)
            }
        })
    }

    fn draw<Y>(
        &self,
        root: &Area<'_>,
        chart: Chart<'_, '_, Y>,
        x: &Axis<'_>,
        y: &Axis<'_>,
    ) -> Result<(), PlotError>
    where
        Y: Ranged<ValueType = f64>,
    {
        let mut legend = Legend::default();
        let (ox, oy) = root.get_base_pixel();
        let map = PixelMap::new(&chart, y.log);
        for (i, s) in self.series.iter().enumerate() {
            let color = PALETTE[s.color.unwrap_or(i) % PALETTE.len()];
            let pts: Vec<(f64, f64)> =
                s.xs.iter()
                    .zip(&s.ys)
                    .filter(|(x, y)| x.is_finite() && self.visible(**y))
                    .map(|(&x, &y)| (x, y))
                    .collect();
            let pixels: Vec<(i32, i32)> = pts
                .iter()
                .map(|p| {
                    let (a, b) = chart.backend_coord(p);
                    (a - ox, b - oy)
                })
                .collect();
            let swatch = match s.style {
                Style::Line | Style::Dashed => {
                    let dashed = s.style == Style::Dashed;
                    let mut line = Shapes::new(color, 2.0);
                    if dashed {
                        line = line.dashed(DASH.0 as f32, DASH.1 as f32);
                    }
                    line.line(&map.all(&pts));
                    root.draw(&line).map_err(drawing)?;
                    legend.avoid_path(&pixels);
                    Swatch::Line {
                        color,
                        width: 2,
                        dashed,
                        marker: 0,
                    }
                }
                Style::Points => {
                    let mut markers = Shapes::new(color, 0.0);
                    for p in pts {
                        markers.disc(map.at(p), 4.0);
                    }
                    root.draw(&markers).map_err(drawing)?;
                    legend.avoid(pixels);
                    Swatch::Marker { color, radius: 4 }
                }
            };
            // A series with an empty name stays out of the legend.
            if !s.name.is_empty() {
                legend.entry(s.name.clone(), swatch);
            }
        }
        draw_axes(root, &chart, x, y, &self.title)?;
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        legend.draw(
            root,
            (xr.start - ox, yr.start - oy, xr.end - ox, yr.end - oy),
        )?;
        Ok(())
    }
}
