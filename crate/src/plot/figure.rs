//! [`Figure`]: a drawn image, with the boxes of all the text on it.

use std::sync::{Arc, OnceLock};

use super::canvas::{Area, Canvas, Rgb, TextBox};
use crate::error::PlotError;

/// Device pixels per logical pixel of every figure. The canvas can draw at 2 for
/// high-density screens, but evcxr has no way to attach a display size to an `image/png`
/// output, so a denser PNG would show twice as large; figures are drawn at 1.
pub(crate) const DENSITY: u32 = 1;

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
    /// Draws `draw` onto a white `width × height` canvas (logical pixels).
    pub(crate) fn render<F>(width: u32, height: u32, draw: F) -> Result<Figure, PlotError>
    where
        F: FnOnce(&Area<'_>) -> Result<(), PlotError>,
    {
        let mut canvas = Canvas::new(width, height, DENSITY)?;
        canvas.draw(draw)?;
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
