//! The 1-D figure: density, log-density and score of a 1-D distribution in three stacked panels.

use std::ops::RangeInclusive;

use super::Figure;
use super::area::Area;
use super::axes::{Axis, Chart, PixelMap, draw_axes};
use super::check_range;
use super::color::Color;
use super::figure::DENSITY;
use super::legend::{Legend, Swatch};
use super::shapes::Shapes;
use super::shared_scales::Ranges;
use crate::limits;
use crate::model::score::Density;
use crate::plot::PlotError;

/// What the panel titles call the distribution unless told otherwise.
const DEFAULT_NAME: &str = "Mixture of Gaussians";

/// pdf (blue), log-pdf (green) and score (red) of a 1-D density over `[a, b]`, stacked.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
/// let fig = Curves1d::new(&gm, -6.0..=6.0).points(1000).render()?;
/// assert_eq!((fig.width(), fig.height()), (1200, 800));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Curves1d<'a> {
    density: &'a dyn Density,
    range: (f64, f64),
    points: usize,
    size: (u32, u32),
    name: String,
    pixel_density: u32,
}

impl<'a> Curves1d<'a> {
    /// The three curves of `density` over `range`, 1000 points, 1200 × 800 px.
    pub fn new(density: &'a dyn Density, range: RangeInclusive<f64>) -> Self {
        Curves1d {
            density,
            range: (*range.start(), *range.end()),
            points: 1000,
            size: (1200, 800),
            name: DEFAULT_NAME.to_string(),
            pixel_density: DENSITY,
        }
    }

    /// Device pixels per logical pixel (1..=4; default 2, sharp on high-density screens).
    pub fn density(mut self, density: u32) -> Self {
        self.pixel_density = density;
        self
    }

    /// Number of evaluation points (2..=1 000 000).
    pub fn points(mut self, n: usize) -> Self {
        self.points = n;
        self
    }

    /// Image size in pixels.
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width, height);
        self
    }

    /// What the panel titles call the distribution ("Mixture of Gaussians" by default).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The sampled curves: x, p(x), log p(x), s(x).
    pub fn curves(&self) -> Result<[Vec<f64>; 4], PlotError> {
        if self.density.dim() != 1 {
            return Err(PlotError::WrongDimension {
                expected: 1,
                found: self.density.dim(),
            });
        }
        check_range("x range", self.range)?;
        limits::POINTS.check(self.points)?;
        let (a, b) = self.range;
        let n = self.points;
        let xs: Vec<f64> = (0..n)
            .map(|i| a + (b - a) * i as f64 / (n - 1) as f64)
            .collect();
        let log_p: Vec<f64> = xs.iter().map(|&x| self.density.log_prob(&[x])).collect();
        let p = log_p.iter().map(|l| l.exp()).collect();
        let score = xs.iter().map(|&x| self.density.score(&[x])[0]).collect();
        Ok([xs, p, log_p, score])
    }

    /// Draws the figure.
    pub fn render(&self) -> Result<Figure, PlotError> {
        let [xs, p, log_p, score] = self.curves()?;
        let name = &self.name;
        // The default keeps the original figure's titles; a given name reads "PDF of …" like
        // the other two panels.
        let (pdf_title, pdf_legend) = if name == DEFAULT_NAME {
            (format!("{name} PDF"), "Mixture PDF".to_string())
        } else {
            (format!("PDF of {name}"), "PDF".to_string())
        };
        let panels = [
            (pdf_title, "PDF", pdf_legend, p, Color::BLUE),
            (
                format!("Log-PDF of {name}"),
                "Log-PDF",
                "Log-PDF".to_string(),
                log_p,
                Color(0, 128, 0),
            ),
            (
                format!("Score Function of {name}"),
                "Score Function",
                "Score Function".to_string(),
                score,
                Color::RED,
            ),
        ];
        let (w, h) = self.size;
        Figure::drawn(self.pixel_density, move |density, ranges| {
            Figure::render_at(w, h, density, |root| {
                let regions = root.region.split_evenly(3, 1);
                for (region, (title, y_label, legend, ys, color)) in
                    regions.into_iter().zip(&panels)
                {
                    let curve = (xs.as_slice(), ys.as_slice());
                    let area = &mut root.at(region);
                    draw_panel(area, (title, y_label, legend), curve, *color, ranges);
                }
                Ok(())
            })
        })
    }
}

fn draw_panel(
    area: &mut Area<'_>,
    (title, y_label, legend): (&str, &str, &str),
    (xs, ys): (&[f64], &[f64]),
    color: Color,
    ranges: &Ranges,
) {
    let finite = ys.iter().filter(|v| v.is_finite());
    let lo = finite.clone().cloned().fold(f64::INFINITY, f64::min);
    let hi = finite.cloned().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = ranges.shared("panel y", lo, hi);
    let (lo, hi) = if lo < hi {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let pad = 0.05 * (hi - lo);
    let x_pad = 0.05 * (xs[xs.len() - 1] - xs[0]);
    let x = Axis::linear(xs[0] - x_pad, xs[xs.len() - 1] + x_pad, "x");
    let y = Axis::linear(lo - pad, hi + pad, y_label);
    let chart = Chart::new(area, true, (x.lo, x.hi), (y.lo, y.hi));
    let points: Vec<(f64, f64)> = xs
        .iter()
        .zip(ys)
        .filter(|(_, y)| y.is_finite())
        .map(|(&x, &y)| (x, y))
        .collect();
    let (ox, oy) = area.base();
    let pixels: Vec<(i32, i32)> = points
        .iter()
        .map(|&p| {
            let (a, b) = chart.pixel(p);
            (a - ox, b - oy)
        })
        .collect();
    let mut curve = Shapes::new(color, 2.0);
    curve.line(&PixelMap::new(&chart, false).all(&points));
    area.draw(&curve);
    draw_axes(area, &chart, &x, &y, title);
    let mut entries = Legend::default();
    entries.avoid_path(&pixels);
    entries.entry(
        legend,
        Swatch::Line {
            color,
            width: 2,
            dashed: false,
            marker: 0,
        },
    );
    let p = chart.plot;
    entries.draw_in(area, (p.x0 - ox, p.y0 - oy, p.x1 - ox, p.y1 - oy), ranges);
}
