//! [`Sweep`]: a figure drawn over a range of one or two parameters, with a slider to move
//! through the frames and a play button, like matplotlib's `to_jshtml`.

mod player;

use std::fmt::Display;
use std::ops::RangeInclusive;

use rayon::prelude::*;

use crate::limits::{self, FRAMES};
use crate::plot::Figure;
use crate::plot::PlotError;
use crate::plot::canvas::Rgb;
use crate::plot::figure::DENSITY;
use crate::plot::shared_scales;
use crate::progress::Progress;

/// A figure pre-rendered for each value of one parameter (or each pair of values of two),
/// shown as an HTML player: the image, a slider per parameter labelled with its name and
/// current value, and a play / pause button.
///
/// Notebook front ends remove `<script>` from untrusted notebooks (every freshly cloned one).
/// Without scripts the player shows one frame (the middle one, or [`initial`](Self::initial))
/// and a line saying how to enable the slider: trust the notebook.
///
/// The closure is called once per frame. Every frame has the same axes and contour levels by
/// default: each frame's figure is drawn again with the union of all frames' data ranges
/// (frames whose own ranges are already the union are kept as they are). This holds for the
/// figures that keep their data ([`Curves1d`](crate::Curves1d), [`ScoreField`](crate::ScoreField),
/// [`Histograms`](crate::Histograms), [`LinePlot`](crate::LinePlot)); other figures keep their
/// own axes. Their legends keep one place too: the one that covers least data over all frames
/// together. [`rescale(true)`](Self::rescale) shows every frame with its own axes.
///
/// The player holds the frame shown first as its PNG ([`Figure::png`]) and every other frame
/// as what it changes over that one: a PNG, transparent where the two are equal, which the
/// player's script draws over it. Frames on shared axes differ in a few per cent of their
/// pixels, so this takes a fraction of their own PNGs: 25 frames of the 1-D panels at
/// 720 × 540 px hold 0.29 MB instead of 1.04 MB. Frames are shown at the density of a lone
/// [`Figure`] (2: sharp on a high-density screen; see [`Figure::with_density`]) while the
/// player holds at most 700 kB of PNG, else at density 1.
///
/// ```
/// use scorelab::prelude::*;
/// // Move two unit Gaussians apart: the score between them flattens, then turns over.
/// let sweep = Sweep::new("mode separation", 0.0..=6.0, 7, |d| {
///     let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-d / 2.0, d / 2.0], &[1.0, 1.0])?;
///     Curves1d::new(&gm, -6.0..=6.0).size(320, 300).render()
/// })?;
/// assert_eq!(sweep.len(), 7);
/// assert_eq!(sweep.labels(0), ["0", "1", "2", "3", "4", "5", "6"]);
/// assert!(sweep.to_html().contains(r#"type="range""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Sweep {
    sliders: Vec<Slider>,
    /// One figure per combination of values, the last parameter varying fastest, all drawn
    /// with the same axes (the union of every frame's data ranges).
    fixed: Vec<Figure>,
    /// The same frames, each with its own axes.
    own: Vec<Figure>,
    rescale: bool,
    initial: usize,
    fps: f64,
    /// What the player holds of `fixed` and of `own`: the initial frame's PNG, and each
    /// other frame as its overlay on that one (see [`stored_pngs`]).
    stored: [Vec<Vec<u8>>; 2],
}

/// The most bytes of PNG a sweep's player may hold at density 2: base64 makes it under 1 MB,
/// half of a notebook's 2 MB, which also holds the notebook's figures.
const SWEEP_BUDGET: usize = 700_000;

/// One swept parameter: its name and the label of each of its values, as its slider shows them.
#[derive(Clone)]
struct Slider {
    name: String,
    labels: Vec<String>,
}

impl std::fmt::Debug for Sweep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sliders: Vec<String> = self
            .sliders
            .iter()
            .map(|a| format!("{} ({} values)", a.name, a.labels.len()))
            .collect();
        write!(
            f,
            "Sweep over {}: {} frames, {} bytes of PNG",
            sliders.join(" × "),
            self.frames().len(),
            self.shown_pngs().iter().map(Vec::len).sum::<usize>()
        )
    }
}

impl Sweep {
    /// `frames` evenly spaced values of `name` over `range` (both ends included), one figure
    /// drawn by `figure(value)` for each.
    ///
    /// Errors: an empty or non-finite range, `frames` not in `2..=1000`, or the first figure
    /// that failed ([`PlotError::Frame`], naming the value).
    pub fn new<F>(
        name: impl Into<String>,
        range: RangeInclusive<f64>,
        frames: usize,
        figure: F,
    ) -> Result<Sweep, PlotError>
    where
        F: FnMut(f64) -> Result<Figure, PlotError>,
    {
        let values = linspace(range, frames)?;
        let labels = format_values(&values);
        Sweep::build(
            vec![Slider {
                name: name.into(),
                labels,
            }],
            values.into_iter(),
            figure,
        )
    }

    /// One figure per value of `values` (at least 2, at most 1000), in order; each value is
    /// labelled as it displays. Use it for integer steps, e.g. `(0..=500).step_by(25)`.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let sweep = Sweep::over("points", [10, 100, 1000], |n| {
    ///     Curves1d::new(&gm, -4.0..=4.0).points(n).size(320, 300).render()
    /// })?;
    /// assert_eq!(sweep.labels(0), ["10", "100", "1000"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn over<T, I, F>(name: impl Into<String>, values: I, figure: F) -> Result<Sweep, PlotError>
    where
        T: Display + Clone,
        I: IntoIterator<Item = T>,
        F: FnMut(T) -> Result<Figure, PlotError>,
    {
        let values: Vec<T> = values.into_iter().take(FRAMES.max + 1).collect();
        check_count("values", values.len())?;
        let labels = values.iter().map(|v| v.to_string()).collect();
        Sweep::build(
            vec![Slider {
                name: name.into(),
                labels,
            }],
            values.into_iter(),
            figure,
        )
    }

    /// A figure for every pair of values of two parameters: `a.2` evenly spaced values of
    /// `a.0` over `a.1`, the same for `b`; one slider each. The play button moves the first.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let sweep = Sweep::grid(("mean", -1.0..=1.0, 3), ("std", 0.5..=1.5, 2), |m, s| {
    ///     let gm = GaussianMixture::new_1d(&[1.0], &[m], &[s])?;
    ///     Curves1d::new(&gm, -4.0..=4.0).size(320, 300).render()
    /// })?;
    /// assert_eq!(sweep.len(), 6);
    /// assert_eq!(sweep.labels(1), ["0.5", "1.5"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn grid<A, B, F>(
        a: (A, RangeInclusive<f64>, usize),
        b: (B, RangeInclusive<f64>, usize),
        mut figure: F,
    ) -> Result<Sweep, PlotError>
    where
        A: Into<String>,
        B: Into<String>,
        F: FnMut(f64, f64) -> Result<Figure, PlotError>,
    {
        let (va, vb) = (linspace(a.1, a.2)?, linspace(b.1, b.2)?);
        check_count("frames", va.len() * vb.len())?;
        let sliders = vec![
            Slider {
                name: a.0.into(),
                labels: format_values(&va),
            },
            Slider {
                name: b.0.into(),
                labels: format_values(&vb),
            },
        ];
        let pairs = va.iter().flat_map(|&x| vb.iter().map(move |&y| (x, y)));
        Sweep::build(sliders, pairs, |(x, y)| figure(x, y))
    }

    /// Draws every frame, calling `image` once per item of `values` (one per frame, in frame
    /// order). Frames whose data ranges differ from the union of all frames' are drawn again
    /// with that union by the figure itself.
    fn build<T, F>(
        sliders: Vec<Slider>,
        values: impl Iterator<Item = T>,
        mut image: F,
    ) -> Result<Sweep, PlotError>
    where
        F: FnMut(T) -> Result<Figure, PlotError>,
    {
        let mut sweep = Sweep {
            sliders,
            fixed: Vec::new(),
            own: Vec::new(),
            rescale: false,
            initial: 0,
            fps: 8.0,
            stored: [Vec::new(), Vec::new()],
        };
        let values: Vec<T> = values.collect();
        let mut ranges = Vec::with_capacity(values.len());
        let mut progress = Progress::new("sweep", "frames", values.len() as u64);
        let count = values.len();
        for (index, value) in values.into_iter().enumerate() {
            let frame = image(value).and_then(|frame| {
                let frame = frame.with_density(DENSITY)?;
                let image = frame.image();
                limits::check_frame_pixels(count, image.width, image.height)?;
                Ok(frame)
            });
            match frame {
                Ok(frame) => {
                    ranges.push(frame.scales().clone());
                    sweep.own.push(frame);
                }
                Err(e) => return Err(sweep.frame_error(index, e)),
            }
            progress.update(index as u64 + 1);
        }
        progress.finish();
        let union = shared_scales::union(&ranges);
        let mut progress = Progress::new("sweep on shared axes", "frames", ranges.len() as u64);
        for (index, scales) in ranges.iter().enumerate() {
            let own = &sweep.own[index];
            let frame = match own.redrawn(own.density(), &union) {
                Some(frame) if *scales != union => {
                    frame.map_err(|e| sweep.frame_error(index, e))?
                }
                _ => own.clone(),
            };
            sweep.fixed.push(frame);
            progress.update(index as u64 + 1);
        }
        progress.finish();
        sweep.initial = sweep.own.len() / 2;
        sweep.pad_frames();
        sweep.store()?;
        Ok(sweep)
    }

    /// Makes what the player holds of both sets of frames, for the current initial frame.
    /// A set whose PNGs would take more than [`SWEEP_BUDGET`] bytes is drawn again at density
    /// 1 (a quarter of the pixels), so a notebook holding the sweep stays within its budget.
    fn store(&mut self) -> Result<(), PlotError> {
        let fixed = self.stored_within_budget(false)?;
        let same = self
            .fixed
            .iter()
            .zip(&self.own)
            .all(|(f, o)| f.png() == o.png());
        let own = if same {
            fixed.clone()
        } else {
            self.stored_within_budget(true)?
        };
        self.stored = [fixed, own];
        Ok(())
    }

    /// What the player holds of the frames with their own axes (`own`) or shared ones, at
    /// density 1 if at their density it would take more than [`SWEEP_BUDGET`] bytes.
    fn stored_within_budget(&mut self, own: bool) -> Result<Vec<Vec<u8>>, PlotError> {
        let initial = self.initial;
        let frames = if own { &mut self.own } else { &mut self.fixed };
        let pngs = stored_pngs(frames, initial)?;
        if pngs.iter().map(Vec::len).sum::<usize>() <= SWEEP_BUDGET {
            return Ok(pngs);
        }
        for frame in frames.iter_mut() {
            *frame = frame.with_density(1)?;
        }
        stored_pngs(frames, initial)
    }

    fn frame_error(&self, index: usize, source: PlotError) -> PlotError {
        PlotError::Frame {
            index,
            at: self.describe(index),
            cause: Box::new(source),
        }
    }

    /// One frame per label, drawn by `frame(index)`.
    pub(crate) fn from_frames<F>(
        name: impl Into<String>,
        labels: Vec<String>,
        frame: F,
    ) -> Result<Sweep, PlotError>
    where
        F: FnMut(usize) -> Result<Figure, PlotError>,
    {
        check_count("frames", labels.len())?;
        let n = labels.len();
        let sliders = vec![Slider {
            name: name.into(),
            labels,
        }];
        Sweep::build(sliders, 0..n, frame)
    }

    /// Pads every frame with white on the right and at the bottom to the size of the largest,
    /// so the player's image keeps its place (a heat map is wider where its colour bar's
    /// labels or legend are).
    fn pad_frames(&mut self) {
        let all = || self.fixed.iter().chain(&self.own);
        let width = all().map(Figure::width).max().unwrap_or(0);
        let height = all().map(Figure::height).max().unwrap_or(0);
        for frames in [&mut self.fixed, &mut self.own] {
            for frame in frames.iter_mut() {
                if (frame.width(), frame.height()) != (width, height) {
                    *frame = frame.padded(width, height);
                }
            }
        }
    }

    /// Whether each frame keeps its own axes (`true`) or all share the union of their data
    /// ranges (`false`, the default).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let sweep = Sweep::new("std", 0.5..=2.0, 4, |s| {
    ///     let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[s])?;
    ///     Curves1d::new(&gm, -4.0..=4.0).size(320, 300).render()
    /// })?;
    /// let rescaled = sweep.clone().rescale(true);
    /// // The narrowest pdf spans every frame's ranges, so its frame has the same axes either
    /// // way (its legend may move: a sweep's frames share the place best for all of them);
    /// // the widest pdf's frame gets its own, smaller axes.
    /// let ticks = |f: &Figure| -> Vec<(String, i64, i64)> {
    ///     let numbers = f.texts().iter().filter(|t| t.text.parse::<f64>().is_ok());
    ///     numbers.map(|t| (t.text.clone(), t.x0 as i64, t.y0 as i64)).collect()
    /// };
    /// assert_eq!(ticks(&sweep.frames()[0]), ticks(&rescaled.frames()[0]));
    /// assert_ne!(ticks(&sweep.frames()[3]), ticks(&rescaled.frames()[3]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn rescale(mut self, yes: bool) -> Sweep {
        self.rescale = yes;
        self
    }

    /// The frame shown first, and the only one shown when scripts are off (default: the
    /// middle frame). Errors if `index` is not a frame.
    pub fn initial(mut self, index: usize) -> Result<Sweep, PlotError> {
        if index >= self.own.len() {
            return Err(PlotError::InvalidParameter {
                name: "initial frame",
                reason: format!("{index} is not below the {} frames", self.own.len()),
            });
        }
        self.initial = index;
        self.store()?;
        Ok(self)
    }

    /// Frames per second of the play button (default 8). Errors unless in `(0, 50]`.
    pub fn fps(mut self, fps: f64) -> Result<Sweep, PlotError> {
        crate::output::animation::frame_delay(fps)?;
        self.fps = fps;
        Ok(self)
    }

    /// Number of frames.
    pub fn len(&self) -> usize {
        self.own.len()
    }

    /// Whether there are no frames (never true: a sweep has at least two).
    pub fn is_empty(&self) -> bool {
        self.own.is_empty()
    }

    /// The frames as shown (see [`rescale`](Self::rescale)), the last parameter varying
    /// fastest.
    pub fn frames(&self) -> &[Figure] {
        if self.rescale { &self.own } else { &self.fixed }
    }

    /// What the player holds of the frames shown ([`stored_pngs`]).
    fn shown_pngs(&self) -> &[Vec<u8>] {
        &self.stored[usize::from(self.rescale)]
    }

    /// How the values of parameter `axis` (0, or 1 for a [`grid`](Self::grid)) are labelled;
    /// empty if there is no such parameter.
    pub fn labels(&self, axis: usize) -> &[String] {
        self.sliders.get(axis).map_or(&[], |a| &a.labels)
    }

    /// "name = value" for every parameter of frame `index`.
    fn describe(&self, index: usize) -> String {
        let mut rest = index;
        let mut parts: Vec<String> = Vec::new();
        for axis in self.sliders.iter().rev() {
            let n = axis.labels.len().max(1);
            parts.push(format!("{} = {}", axis.name, axis.labels[rest % n]));
            rest /= n;
        }
        parts.reverse();
        parts.join(", ")
    }
}

/// What a player holds of `frames`: the PNG of frame `initial`, the one shown first and
/// without scripts, and for every other frame its overlay on that one as the PNG shows it
/// ([`Rgb::overlay_png`]) or, where that is smaller (a heat map changes everywhere), its own
/// PNG, which drawn over the first frame covers it. Made in parallel; the frames must have one
/// size ([`Sweep::pad_frames`]).
fn stored_pngs(frames: &[Figure], initial: usize) -> Result<Vec<Vec<u8>>, PlotError> {
    let base = Rgb::from_png(frames[initial].png())?;
    frames
        .par_iter()
        .enumerate()
        .map(|(i, frame)| {
            let own = frame.png();
            if i == initial {
                return Ok(own.to_vec());
            }
            let overlay = Rgb::from_png(own)?.overlay_png(&base)?;
            Ok(if overlay.len() < own.len() {
                overlay
            } else {
                own.to_vec()
            })
        })
        .collect()
}

fn check_count(parameter: &'static str, n: usize) -> Result<(), PlotError> {
    let bound = limits::Bound {
        parameter,
        ..limits::FRAMES
    };
    bound.check(n)?;
    Ok(())
}

/// `n` evenly spaced values from `range.start()` to `range.end()`, both included.
fn linspace(range: RangeInclusive<f64>, n: usize) -> Result<Vec<f64>, PlotError> {
    let (a, b) = (*range.start(), *range.end());
    if !(a.is_finite() && b.is_finite() && a < b) {
        return Err(PlotError::InvalidParameter {
            name: "parameter range",
            reason: format!("[{a}, {b}] must be finite with start < end"),
        });
    }
    check_count("frames", n)?;
    Ok((0..n)
        .map(|i| {
            if i + 1 == n {
                b
            } else {
                a + (b - a) * i as f64 / (n - 1) as f64
            }
        })
        .collect())
}

/// Labels for evenly spaced values: as many decimals as the spacing needs, no more.
fn format_values(values: &[f64]) -> Vec<String> {
    let step = (values[values.len() - 1] - values[0]) / (values.len() - 1) as f64;
    // Two significant digits of the step, e.g. 0.25 → 2 decimals, 0.2069 → 2, 5 → 0.
    let decimals = (1.0 - step.log10().floor()).clamp(0.0, 12.0) as usize;
    values
        .iter()
        .map(|v| {
            let s = format!("{v:.decimals$}");
            let s = if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                s
            };
            if s == "-0" { "0".to_string() } else { s }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_map_frames_share_one_colour_scale_at_2x() {
        use crate::prelude::*;
        let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let sweep = Sweep::over("σ", [0.3, 3.0], |sigma| {
            let learned = gm.perturbed(sigma)?;
            crate::plot::learning::score_error_map(&gm, &learned, -3.0..=3.0, -3.0..=3.0)
        })
        .unwrap();
        assert!(sweep.frames().iter().all(|f| f.density() == 2));
        // Right of the map: the colour bar, its tick labels and the legend, the same in every
        // frame when the scale is shared, not when each frame keeps its own.
        let strip = |f: &Figure| {
            let image = f.image();
            let (w, from) = (image.width as usize, image.width as usize * 7 / 10);
            image
                .data
                .chunks_exact(3 * w)
                .flat_map(|row| row[3 * from..].to_vec())
                .collect::<Vec<u8>>()
        };
        let fixed = sweep.frames();
        assert!(strip(&fixed[0]) == strip(&fixed[1]));
        let own = sweep.clone().rescale(true);
        assert!(strip(&own.frames()[0]) != strip(&own.frames()[1]));
    }

    #[test]
    fn a_frame_is_held_as_its_overlay_or_its_own_png_whichever_is_smaller() {
        use crate::prelude::*;
        // A heat map changes almost everywhere with σ, curves along a few lines.
        let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.0], [0.0, 1.0]]]).unwrap();
        let maps = Sweep::over("σ", [0.3, 1.0, 3.0], |sigma| {
            let learned = gm.perturbed(sigma)?;
            crate::plot::learning::score_error_map(&gm, &learned, -3.0..=3.0, -3.0..=3.0)
        })
        .unwrap();
        let gm1 = |m: f64| GaussianMixture::new_1d(&[1.0], &[m], &[1.0]);
        let curves = Sweep::new("μ", -1.0..=1.0, 3, |m| {
            Curves1d::new(&gm1(m)?, -4.0..=4.0).size(320, 300).render()
        })
        .unwrap();
        for sweep in [&maps, &curves] {
            let held = sweep.shown_pngs();
            let base = Rgb::from_png(&held[1]).unwrap();
            for i in [0, 2] {
                let own = sweep.frames()[i].png();
                let overlay = Rgb::from_png(own).unwrap().overlay_png(&base).unwrap();
                assert!(held[i] == overlay || held[i] == own, "frame {i}");
                assert_eq!(held[i].len(), overlay.len().min(own.len()), "frame {i}");
            }
        }
        // The curves' overlays are a fraction of their frames.
        let held = curves.shown_pngs();
        assert!(held[0].len() * 3 < curves.frames()[0].png().len());
    }

    #[test]
    fn frames_of_different_sizes_are_padded_to_the_largest_at_the_top_left() {
        use crate::prelude::*;
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let curves = |w: f64| {
            Curves1d::new(&gm, -3.0..=3.0)
                .size(w as u32, 100 + w as u32 / 10)
                .render()
        };
        let sweep = Sweep::new("size", 100.0..=200.0, 2, curves).unwrap();
        for frame in sweep.frames() {
            assert_eq!((frame.width(), frame.height()), (200, 120));
        }
        // Drawn again at density 1, a padded frame is drawn at 1, then padded.
        let at_one = sweep.frames()[0].with_density(1).unwrap();
        let drawn_at_one = curves(100.0).unwrap().with_density(1).unwrap();
        assert!(at_one.image().data.len() == 200 * 120 * 3);
        assert!(at_one == drawn_at_one.padded(200, 120));
        let narrow = curves(100.0).unwrap().with_density(DENSITY).unwrap();
        let (padded, small) = (sweep.frames()[0].image(), narrow.image());
        let (pw, sw) = (padded.width as usize * 3, small.width as usize * 3);
        for (y, row) in padded.data.chunks_exact(pw).enumerate() {
            match small.data.chunks_exact(sw).nth(y) {
                Some(drawn) => {
                    assert_eq!(&row[..sw], drawn, "row {y}");
                    assert!(row[sw..].iter().all(|&b| b == 255), "row {y}");
                }
                None => assert!(row.iter().all(|&b| b == 255), "row {y}"),
            }
        }
    }

    #[test]
    fn values_are_evenly_spaced_and_labelled_with_the_needed_decimals() {
        let v = linspace(0.5..=4.0, 8).unwrap();
        assert_eq!(v.first(), Some(&0.5));
        assert_eq!(v.last(), Some(&4.0));
        assert_eq!(
            format_values(&v),
            ["0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4"]
        );
        let v = linspace(-1.0..=1.0, 30).unwrap();
        let labels = format_values(&v);
        assert_eq!(labels[0], "-1");
        assert_eq!(labels[1], "-0.931");
        assert_eq!(labels[29], "1");
        assert_eq!(
            format_values(&linspace(0.0..=500.0, 6).unwrap()),
            ["0", "100", "200", "300", "400", "500"]
        );
    }

    #[test]
    fn bad_ranges_and_counts_are_errors() {
        assert!(linspace(1.0..=1.0, 5).is_err());
        assert!(linspace(2.0..=1.0, 5).is_err());
        assert!(linspace(0.0..=f64::NAN, 5).is_err());
        assert!(linspace(0.0..=1.0, 1).is_err());
        assert!(linspace(0.0..=1.0, 0).is_err());
        assert!(linspace(0.0..=1.0, FRAMES.max + 1).is_err());
    }
}
