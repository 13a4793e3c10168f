//! [`Figure`]: a drawn image, with the boxes of all the text on it.

use std::sync::{Arc, OnceLock};

use super::area::Area;
use super::canvas::{Canvas, Rgb, TextBox};
use super::shared_scales::{Ranges, Scales};
use crate::plot::error::PlotError;

/// Device pixels per logical pixel of a figure: 2, so figures stay sharp on high-density
/// screens (the notebook shows them at their logical size through an `<img>` with `width` and
/// `height`, see [`Figure::evcxr_display`]). Score fields, sweep frames and animations too.
pub(crate) const DENSITY: u32 = 2;

/// The most bytes a figure's dense PNG may take to be shown sharp in a notebook: a notebook
/// figure's budget, 250 kB, which a 2-D score field at density 2 keeps; a denser figure is shown
/// at one pixel per logical pixel (see [`Figure::evcxr_display`]).
pub const SHARP_BUDGET: usize = 250_000;

/// A figure's drawing: at a density, with its scales' ranges taken from [`Ranges`].
pub(crate) type Drawing = dyn Fn(u32, &Ranges) -> Result<Figure, PlotError> + Send + Sync;

/// A rendered figure: its pixels and where each piece of its text went.
///
/// In a Rust notebook (evcxr), a `Figure` as the last expression of a cell is shown inline as
/// PNG, which JupyterLab displays even in an untrusted notebook (a freshly cloned one).
#[derive(Clone)]
pub struct Figure {
    width: u32,
    height: u32,
    image: Arc<Rgb>,
    texts: Vec<TextBox>,
    pub(crate) png: OnceLock<Vec<u8>>,
    /// The data ranges its scales were drawn with, in drawing order.
    scales: Scales,
    /// How to draw it again at another density or with other ranges (kept by the figures that
    /// own their data).
    drawing: Option<Arc<Drawing>>,
}

impl PartialEq for Figure {
    fn eq(&self, other: &Figure) -> bool {
        self.image == other.image
    }
}

impl std::fmt::Debug for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Figure({}×{} px at density {}, {} texts)",
            self.width,
            self.height,
            self.density(),
            self.texts.len()
        )
    }
}

impl Figure {
    /// The figure `drawing` makes at `density` with its scales spanning its own data; it
    /// remembers those ranges and `drawing`, to be drawn again by [`with_density`](Self::with_density)
    /// or with the ranges of a sweep's other frames.
    pub(crate) fn drawn<F>(density: u32, drawing: F) -> Result<Figure, PlotError>
    where
        F: Fn(u32, &Ranges) -> Result<Figure, PlotError> + Send + Sync + 'static,
    {
        let ranges = Ranges::own();
        let mut figure = drawing(density, &ranges)?;
        figure.scales = ranges.recorded();
        figure.drawing = Some(Arc::new(drawing));
        Ok(figure)
    }

    /// The data ranges its scales were drawn with.
    pub(crate) fn scales(&self) -> &Scales {
        &self.scales
    }

    /// The figure drawn again at `density` with `scales` in place of its own ranges, scale by
    /// scale; `None` if it does not keep its drawing.
    pub(crate) fn redrawn(
        &self,
        density: u32,
        scales: &Scales,
    ) -> Option<Result<Figure, PlotError>> {
        let drawing = self.drawing.as_ref()?;
        Some(drawing(density, &Ranges::apply(scales)).map(|mut figure| {
            figure.scales = scales.clone();
            figure.drawing = Some(Arc::clone(drawing));
            figure
        }))
    }

    /// The same figure at `density` device pixels per logical pixel (1..=4): drawn again if it
    /// keeps its drawing (the figures of [`Curves1d`](super::Curves1d),
    /// [`ScoreField`](super::ScoreField), [`Histograms`](super::Histograms) and
    /// [`LinePlot`](super::LinePlot) do), else its pixels averaged down to a density that
    /// divides its own.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
    /// let sharp = Curves1d::new(&gm, -3.0..=3.0).size(300, 300).render()?;
    /// let plain = sharp.with_density(1)?;
    /// assert_eq!((sharp.density(), plain.density()), (2, 1));
    /// assert_eq!((plain.width(), plain.height()), (300, 300));
    /// assert!(plain.png().len() < sharp.png().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`PlotError::InvalidParameter`] for a density outside 1..=4, or one that does not divide
    /// the density of a figure that cannot be drawn again.
    pub fn with_density(&self, density: u32) -> Result<Figure, PlotError> {
        if density == self.density() {
            return Ok(self.clone());
        }
        if let Some(figure) = self.redrawn(density, &self.scales) {
            return figure.map(|mut figure| {
                figure.scales = self.scales.clone();
                figure
            });
        }
        let own = self.density();
        if density == 0 || density > own || !own.is_multiple_of(density) {
            return Err(PlotError::InvalidParameter {
                name: "figure density",
                reason: format!(
                    "{density}: this figure is drawn at {own} and can only be averaged down to a density dividing it"
                ),
            });
        }
        Ok(Figure {
            width: self.width,
            height: self.height,
            image: Arc::new(self.image.downsample(own / density)),
            texts: self.texts.clone(),
            png: OnceLock::new(),
            scales: self.scales.clone(),
            drawing: None,
        })
    }

    /// The figure at the top left of a white `width × height` canvas (logical pixels, each
    /// side at least the figure's own), at the same density. It keeps its texts and scales,
    /// and, drawn again, is padded the same.
    pub(crate) fn padded(&self, width: u32, height: u32) -> Figure {
        let (width, height) = (width.max(self.width), height.max(self.height));
        let d = self.density();
        let (w, h) = ((width * d) as usize, (height * d) as usize);
        let mut data = vec![255u8; w * h * 3];
        let row = self.image.width as usize * 3;
        for (to, from) in data
            .chunks_exact_mut(w * 3)
            .zip(self.image.data.chunks_exact(row))
        {
            to[..row].copy_from_slice(from);
        }
        // Drawn again (at another density, say), it is padded the same.
        let drawing = self.drawing.as_ref().map(|inner| {
            let inner = Arc::clone(inner);
            Arc::new(move |density: u32, ranges: &Ranges| {
                inner(density, ranges).map(|figure| figure.padded(width, height))
            }) as Arc<Drawing>
        });
        Figure {
            width,
            height,
            image: Arc::new(Rgb {
                width: w as u32,
                height: h as u32,
                data,
            }),
            texts: self.texts.clone(),
            png: OnceLock::new(),
            scales: self.scales.clone(),
            drawing,
        }
    }

    /// Draws `draw` onto a white `width × height` canvas at `density`.
    pub(crate) fn render_at<F>(
        width: u32,
        height: u32,
        density: u32,
        draw: F,
    ) -> Result<Figure, PlotError>
    where
        F: FnOnce(&mut Area<'_>) -> Result<(), PlotError>,
    {
        let mut canvas = Canvas::new(width, height, density)?;
        draw(&mut Area::new(&mut canvas))?;
        Ok(Figure::from_canvas(canvas))
    }

    /// The figure a finished canvas holds.
    pub(crate) fn from_canvas(canvas: Canvas) -> Figure {
        let (width, height) = canvas.size();
        let image = Arc::new(canvas.to_rgb());
        Figure {
            width,
            height,
            image,
            texts: canvas.into_texts(),
            png: OnceLock::new(),
            scales: Vec::new(),
            drawing: None,
        }
    }

    /// The pixels, `density()` times the logical size on each side.
    pub(crate) fn image(&self) -> &Rgb {
        &self.image
    }

    /// Width in logical pixels (the size the notebook shows).
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in logical pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Device pixels per logical pixel on each side.
    pub fn density(&self) -> u32 {
        self.image.width / self.width.max(1)
    }

    /// Every piece of text on the figure (titles, tick and axis labels, legend entries,
    /// contour labels) with its box in logical pixels.
    pub fn texts(&self) -> &[TextBox] {
        &self.texts
    }
}
