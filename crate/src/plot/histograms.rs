//! Particle histograms over the target density, one panel per cloud, side by side — optionally
//! with the Fokker–Planck density p_t of the same time.

use std::ops::RangeInclusive;

use plotters::prelude::*;

use super::{check_range, font::FAMILY};
use crate::analysis::fokker_planck::FokkerPlanck1d;
use crate::error::PlotError;
use crate::model::score::Density;
use crate::output::display::{drawing, Figure};
use crate::sample::ensemble::{Particles, Snapshots};

/// Points (x, y) of a curve.
type Curve = (Vec<f64>, Vec<f64>);

struct Panel {
    title: String,
    samples: Vec<f64>,
    time: Option<f64>,
}

/// Density histograms of 1-D particle clouds (blue bars) under the target pdf (black), in a row.
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::plot::Histograms;
/// let gm = GaussianMixture::new_1d(&[0.6, 0.4], &[2.0, -2.0], &[0.5, 0.2])?;
/// let start = Particles::uniform(10_000, 1, -3.0, 3.0, 0)?;
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
    fokker_planck: Option<FokkerPlanck1d>,
    panel_size: (u32, u32),
}

impl<'a> Histograms<'a> {
    /// No panels yet, over `range`, 50 bins.
    pub fn new(density: &'a dyn Density, range: RangeInclusive<f64>) -> Self {
        Histograms {
            density,
            range: (*range.start(), *range.end()),
            bins: 50,
            panels: Vec::new(),
            fokker_planck: None,
            panel_size: (400, 360),
        }
    }

    /// One panel per snapshot, titled with its step ("t = 10").
    pub fn snapshots(
        density: &'a dyn Density,
        snapshots: &Snapshots,
        range: RangeInclusive<f64>,
    ) -> Self {
        let mut h = Self::new(density, range);
        for ((step, cloud), &time) in snapshots.iter().zip(snapshots.times()) {
            h.panels.push(Panel {
                title: format!("t = {step}"),
                samples: cloud.coordinate(0),
                time: Some(time),
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
        });
        self
    }

    /// Number of bins (≥ 1).
    pub fn bins(mut self, bins: usize) -> Self {
        self.bins = bins;
        self
    }

    /// Also draws p_t (red, dashed) from this solver advanced to each snapshot's time.
    pub fn fokker_planck(mut self, solver: &FokkerPlanck1d) -> Self {
        self.fokker_planck = Some(solver.clone());
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
        if self.bins == 0 || self.bins > 10_000 {
            return Err(PlotError::InvalidParameter {
                name: "bins",
                reason: format!("{} is not within 1..=10000", self.bins),
            });
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
        let mut solver = self.fokker_planck.clone();
        let panels: Vec<(Vec<f64>, Option<Curve>)> = self
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
                let fp = match (&mut solver, p.time) {
                    // Snapshot times are finite sums of step sizes: advancing cannot fail.
                    (Some(s), Some(t)) => s
                        .advance_to(t)
                        .ok()
                        .map(|()| (s.centers().to_vec(), s.density().to_vec())),
                    _ => None,
                };
                (counts, fp)
            })
            .collect();
        let top = panels
            .iter()
            .flat_map(|(c, fp)| c.iter().chain(fp.iter().flat_map(|f| f.1.iter())))
            .chain(&pdf)
            .cloned()
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max)
            * 1.08;
        let (pw, ph) = self.panel_size;
        Figure::render(pw * panels.len() as u32, ph, |root| {
            let areas = root.split_evenly((1, panels.len()));
            for ((area, (counts, fp)), panel) in areas.iter().zip(&panels).zip(&self.panels) {
                let mut chart = ChartBuilder::on(area)
                    .caption(&panel.title, (FAMILY, 17))
                    .margin(8)
                    .x_label_area_size(34)
                    .y_label_area_size(48)
                    .build_cartesian_2d(a..b, 0.0..top.max(1e-12))
                    .map_err(drawing)?;
                chart
                    .configure_mesh()
                    .disable_mesh()
                    .x_desc("x")
                    .y_desc("density")
                    .label_style((FAMILY, 12))
                    .axis_desc_style((FAMILY, 13))
                    .draw()
                    .map_err(drawing)?;
                let bar = RGBColor(100, 149, 237);
                chart
                    .draw_series(counts.iter().enumerate().map(|(i, &c)| {
                        let x0 = a + i as f64 * width;
                        Rectangle::new([(x0, 0.0), (x0 + width, c)], bar.mix(0.75).filled())
                    }))
                    .map_err(drawing)?
                    .label("particles")
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 5), (x + 20, y + 5)], bar.mix(0.75).filled())
                    });
                chart
                    .draw_series(LineSeries::new(
                        xs.iter().cloned().zip(pdf.iter().cloned()),
                        BLACK.stroke_width(2),
                    ))
                    .map_err(drawing)?
                    .label("target p")
                    .legend(|(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(2))
                    });
                if let Some((cx, cy)) = fp {
                    let red = RGBColor(214, 39, 40);
                    chart
                        .draw_series(DashedLineSeries::new(
                            cx.iter().cloned().zip(cy.iter().cloned()),
                            6,
                            4,
                            red.stroke_width(2),
                        ))
                        .map_err(drawing)?
                        .label("Fokker–Planck p_t")
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], red.stroke_width(2))
                        });
                }
                chart
                    .configure_series_labels()
                    .position(SeriesLabelPosition::UpperLeft)
                    .label_font((FAMILY, 12))
                    .background_style(WHITE.mix(0.85))
                    .border_style(RGBColor(200, 200, 200))
                    .draw()
                    .map_err(drawing)?;
            }
            Ok(())
        })
    }
}
