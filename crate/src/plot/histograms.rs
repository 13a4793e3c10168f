//! Particle histograms over the target density, one panel per cloud, side by side — optionally
//! with the Fokker–Planck density p_t of the same time (computed when added, drawn as data).

use std::ops::RangeInclusive;

use super::area::Area;
use super::axes::{Axis, Chart, PixelMap, TITLE_FONT, draw_axes};
use super::color::Color;
use super::figure::DENSITY;
use super::legend::{DASH, Legend, Swatch};
use super::shapes::Shapes;
use super::shared_scales::Ranges;
use super::text::{Align, TextStyle};
use super::{Figure, check_range};
use crate::analysis::fokker_planck::{FokkerPlanck1d, FokkerPlanckError};
use crate::limits;
use crate::model::score::Density;
use crate::plot::PlotError;
use crate::sample::ensemble::{Particles, Snapshots};

/// Points (x, y) of a curve.
type Curve = (Vec<f64>, Vec<f64>);

#[derive(Clone)]
struct Panel {
    title: String,
    samples: Vec<f64>,
    time: Option<f64>,
    fokker_planck: Option<Curve>,
    /// The panel's own density and its legend label, drawn in place of the target pdf.
    own: Option<(String, Curve)>,
}

/// matplotlib's "orange" (the bars) and "r" (the target pdf), as in the original figure.
const BAR: Color = Color(255, 165, 0);
const TARGET: Color = Color(255, 0, 0);
/// The Fokker–Planck prediction: tab:blue, dashed.
const PREDICTION: Color = Color(31, 119, 180);
/// The bars' opacity.
const BAR_ALPHA: f64 = 0.6;
/// matplotlib's `axes.xmargin`: the x axis spans the data and 5 % of its range either side.
const X_MARGIN: f64 = 0.05;

/// Density histograms of 1-D particle clouds (orange bars) under the target pdf (red), in a
/// row, optionally with the Fokker–Planck density p_t of the same time (blue, dashed).
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::plot::Histograms;
/// let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
/// let start = Particles::uniform(-3.0..=3.0).draw(10_000, 0)?;
/// let snaps = Ula::new(0.01)?.run_ensemble(&gm, &start, 100, &[0, 1, 10, 100], 1)?;
/// let fig = Histograms::snapshots(&gm, &snaps, -4.0..=5.0).bins(50).render()?;
/// assert_eq!(fig.width(), 1600);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Histograms<'a> {
    density: &'a dyn Density,
    range: (f64, f64),
    bins: usize,
    panels: Vec<Panel>,
    title: String,
    panel_size: (u32, u32),
    /// Why p_t could not be computed for a panel, reported by `render`.
    fokker_planck_error: Option<FokkerPlanckError>,
    pixel_density: u32,
}

impl<'a> Histograms<'a> {
    /// No panels yet, over `range`, 50 bins.
    pub fn new(density: &'a dyn Density, range: RangeInclusive<f64>) -> Self {
        Histograms {
            density,
            range: (*range.start(), *range.end()),
            bins: 50,
            panels: Vec::new(),
            title: String::new(),
            panel_size: (400, 360),
            fokker_planck_error: None,
            pixel_density: DENSITY,
        }
    }

    /// Device pixels per logical pixel (1..=4; default 2, sharp on high-density screens).
    pub fn density(mut self, density: u32) -> Self {
        self.pixel_density = density;
        self
    }

    /// One panel per snapshot, titled with its step k and time t = kε ("step 100 · t = 1").
    pub fn snapshots(
        density: &'a dyn Density,
        snapshots: &Snapshots,
        range: RangeInclusive<f64>,
    ) -> Self {
        let mut h = Self::new(density, range);
        for ((step, cloud), &time) in snapshots.iter().zip(snapshots.times()) {
            h.panels.push(Panel {
                title: format!("step {step} · t = {}", format_number(time)),
                samples: cloud.coordinate(0),
                time: Some(time),
                fokker_planck: None,
                own: None,
            });
        }
        h
    }

    /// Adds a panel for a cloud (its first coordinate).
    pub fn panel(mut self, title: impl Into<String>, particles: &Particles) -> Self {
        self.panels.push(Panel {
            title: title.into(),
            samples: particles.coordinate(0),
            time: None,
            fokker_planck: None,
            own: None,
        });
        self
    }

    /// Adds a panel for a cloud (its first coordinate) drawn over its own density, the points
    /// `curve = (xs, ys)`, named `label` in the legend, instead of the target pdf.
    pub fn panel_over(
        mut self,
        title: impl Into<String>,
        particles: &Particles,
        label: impl Into<String>,
        (xs, ys): (&[f64], &[f64]),
    ) -> Self {
        self.panels.push(Panel {
            title: title.into(),
            samples: particles.coordinate(0),
            time: None,
            fokker_planck: None,
            own: Some((label.into(), (xs.to_vec(), ys.to_vec()))),
        });
        self
    }

    /// Number of bins (≥ 1).
    pub fn bins(mut self, bins: usize) -> Self {
        self.bins = bins;
        self
    }

    /// A title above the row of panels.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Adds p_t (blue, dashed) to each snapshot panel: a copy of `solver` is advanced to each
    /// panel's time now, and the densities are kept as data for [`render`](Self::render), which
    /// reports it if advancing failed (for example, too much work for the solver's grid).
    pub fn fokker_planck(mut self, solver: &FokkerPlanck1d) -> Self {
        let mut solver = solver.clone();
        for panel in &mut self.panels {
            let Some(t) = panel.time else { continue };
            if let Err(err) = solver.advance_to(t) {
                self.fokker_planck_error = Some(err);
                break;
            }
            panel.fokker_planck = Some((solver.centers().to_vec(), solver.density().to_vec()));
        }
        self
    }

    /// Size of each panel in pixels.
    pub fn panel_size(mut self, width: u32, height: u32) -> Self {
        self.panel_size = (width, height);
        self
    }

    /// Draws the figure.
    pub fn render(&self) -> Result<Figure, PlotError> {
        if self.density.dim() != 1 {
            return Err(PlotError::WrongDimension {
                expected: 1,
                found: self.density.dim(),
            });
        }
        check_range("histogram range", self.range)?;
        limits::BINS.check(self.bins)?;
        if let Some(err) = &self.fokker_planck_error {
            return Err(PlotError::FokkerPlanck(err.clone()));
        }
        if self.panels.is_empty() {
            return Err(PlotError::InvalidParameter {
                name: "panels",
                reason: "no clouds to draw".into(),
            });
        }
        let (a, b) = self.range;
        let width = (b - a) / self.bins as f64;
        let xs: Vec<f64> = (0..=400).map(|i| a + (b - a) * i as f64 / 400.0).collect();
        let pdf: Vec<f64> = xs
            .iter()
            .map(|&x| self.density.log_prob(&[x]).exp())
            .collect();
        let counts: Vec<Vec<f64>> = self
            .panels
            .iter()
            .map(|p| {
                let mut counts = vec![0.0; self.bins];
                for &x in &p.samples {
                    if x >= a && x <= b {
                        let i = (((x - a) / width) as usize).min(self.bins - 1);
                        counts[i] += 1.0;
                    }
                }
                let n = p.samples.len().max(1) as f64;
                counts.iter_mut().for_each(|c| *c /= n * width);
                counts
            })
            .collect();
        let top = counts
            .iter()
            .flatten()
            .chain(
                self.panels
                    .iter()
                    .flat_map(|p| p.fokker_planck.iter().chain(p.own.iter().map(|o| &o.1)))
                    .flat_map(|f| &f.1),
            )
            .chain(&pdf)
            .cloned()
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            * 1.05;
        let (pw, ph) = self.panel_size;
        let title_h = if self.title.is_empty() { 0 } else { 30 };
        let n = self.panels.len() as u32;
        let title = self.title.clone();
        let bins = self.bins;
        // The panels without their samples: the drawing needs only their counts.
        let panels: Vec<Panel> = self
            .panels
            .iter()
            .map(|p| Panel {
                samples: Vec::new(),
                ..p.clone()
            })
            .collect();
        Figure::drawn(self.pixel_density, move |density, ranges| {
            let (_, top) = ranges.shared("density", 0.0, top);
            Figure::render_at(pw * n, ph + title_h, density, |root| {
                if !title.is_empty() {
                    let style = TextStyle::new(TITLE_FONT).align(Align::Centre, Align::Centre);
                    root.text(&title, ((pw * n / 2) as i32, 17), style, None);
                }
                let body = root.region.margin(title_h as i32, 0, 0, 0);
                let regions = body.split_evenly(1, panels.len());
                // matplotlib's 5 % x margins, so neither bars nor curves end on the spines.
                let margin = X_MARGIN * (b - a);
                for ((region, counts), panel) in regions.into_iter().zip(&counts).zip(&panels) {
                    let x = Axis::linear(a - margin, b + margin, "x");
                    let y = Axis::linear(0.0, top.max(1e-12), "density");
                    let bars = ((a, b), bins, counts.as_slice());
                    let area = &mut root.at(region);
                    draw_panel(area, panel, bars, (&xs, &pdf), (&x, &y), ranges);
                }
                Ok(())
            })
        })
    }
}

/// One snapshot's panel: the histogram's bars (`counts` of `bins` bins over `range`), the
/// target pdf and p_t if there is one.
fn draw_panel(
    area: &mut Area<'_>,
    panel: &Panel,
    ((a, b), bins, counts): ((f64, f64), usize, &[f64]),
    (xs, pdf): (&[f64], &[f64]),
    (x, y): (&Axis<'_>, &Axis<'_>),
    ranges: &Ranges,
) {
    let width = (b - a) / bins as f64;
    let chart = Chart::new(area, true, (x.lo, x.hi), (y.lo, y.hi));
    let (ox, oy) = area.base();
    let rel = |p: (f64, f64)| {
        let (u, v) = chart.pixel(p);
        (u - ox, v - oy)
    };
    let map = PixelMap::new(&chart, false);
    let mut legend = Legend::default();
    // All bars one path: a pixel two bars share is blended once, so no seam darkens.
    let mut bars = Shapes::new(BAR, 0.0).alpha(BAR_ALPHA);
    for (i, &c) in counts.iter().enumerate() {
        let x0 = a + i as f64 * width;
        if c > 0.0 {
            let (l, t) = map.at((x0, c));
            let (r, bottom) = map.at((a + (i + 1) as f64 * width, 0.0));
            bars.polygon(&[(l, bottom), (l, t), (r, t), (r, bottom)]);
            legend.avoid_box(rel((x0, 0.0)), rel((x0 + width, c)));
        }
    }
    area.draw(&bars);
    legend.entry(
        "particles",
        Swatch::Bar {
            color: BAR,
            alpha: BAR_ALPHA,
        },
    );
    let (label, (xs, pdf)) = match &panel.own {
        Some((label, (xs, ys))) => (label.as_str(), (xs.as_slice(), ys.as_slice())),
        None => ("target p", (xs, pdf)),
    };
    let curve: Vec<(f64, f64)> = xs.iter().cloned().zip(pdf.iter().cloned()).collect();
    legend.avoid_path(&curve.iter().map(|&p| rel(p)).collect::<Vec<_>>());
    let mut target = Shapes::new(TARGET, 2.0);
    target.line(&map.all(&curve));
    area.draw(&target);
    legend.entry(
        label,
        Swatch::Line {
            color: TARGET,
            width: 2,
            dashed: false,
            marker: 0,
        },
    );
    if let Some((cx, cy)) = &panel.fokker_planck {
        let curve: Vec<(f64, f64)> = cx.iter().cloned().zip(cy.iter().cloned()).collect();
        legend.avoid_path(&curve.iter().map(|&p| rel(p)).collect::<Vec<_>>());
        let mut prediction = Shapes::new(PREDICTION, 2.0).dashed(DASH.0 as f32, DASH.1 as f32);
        prediction.line(&map.all(&curve));
        area.draw(&prediction);
        legend.entry(
            "Fokker–Planck p_t",
            Swatch::Line {
                color: PREDICTION,
                width: 2,
                dashed: true,
                marker: 0,
            },
        );
    }
    draw_axes(area, &chart, x, y, &panel.title);
    let p = chart.plot;
    legend.draw_in(area, (p.x0 - ox, p.y0 - oy, p.x1 - ox, p.y1 - oy), ranges);
}

/// A number as a reader writes it: 1 not 1.0, 0.01 not 0.010000000000000002, −0.5.
pub(crate) fn format_number(v: f64) -> String {
    super::number(v)
}
