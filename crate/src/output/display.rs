//! [`Figure`]: a rendered image that shows itself inline in a notebook and saves to a file.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::PlotError;
use crate::output::raster::Rgb;

/// A rendered figure, held as PNG.
///
/// In a Rust notebook (evcxr), a `Figure` as the last expression of a cell is shown inline.
/// PNG is what JupyterLab displays even in an untrusted notebook (a freshly cloned one).
#[derive(Clone, PartialEq, Eq)]
pub struct Figure {
    width: u32,
    height: u32,
    png: Vec<u8>,
}

impl std::fmt::Debug for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Figure({}×{} px, {} bytes of PNG)",
            self.width,
            self.height,
            self.png.len()
        )
    }
}

impl Figure {
    /// Renders `draw` onto a white `width × height` canvas and encodes it as PNG.
    pub(crate) fn render<F>(width: u32, height: u32, draw: F) -> Result<Figure, PlotError>
    where
        F: FnOnce(&DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), PlotError>,
    {
        let mut image = Rgb::white(width, height)?;
        image.draw(draw)?;
        Figure::from_rgb(&image)
    }

    /// Encodes an RGB image (lossless; indexed PNG when it has at most 256 colours).
    pub(crate) fn from_rgb(image: &Rgb) -> Result<Figure, PlotError> {
        Ok(Figure {
            width: image.width,
            height: image.height,
            png: image.to_png()?,
        })
    }

    /// A figure from PNG bytes already known to be a `width × height` image.
    pub(crate) fn from_png(width: u32, height: u32, png: Vec<u8>) -> Figure {
        Figure { width, height, png }
    }

    /// Decodes the figure back into RGB pixels.
    pub(crate) fn to_rgb(&self) -> Result<Rgb, PlotError> {
        Rgb::from_png(&self.png)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The PNG-encoded image.
    pub fn png(&self) -> &[u8] {
        &self.png
    }

    /// Writes the figure as a PNG file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let mut file = std::fs::File::create(path)?;
        file.write_all(&self.png)?;
        Ok(())
    }

    /// Shows the figure inline in an evcxr notebook (called by the kernel).
    pub fn evcxr_display(&self) {
        print!("{}", evcxr_block("image/png", &to_base64(&self.png)));
    }
}

/// Standard base64 (with padding), as notebooks expect for binary outputs.
pub(crate) fn to_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// One output block of the evcxr display protocol. Several blocks printed by one
/// `evcxr_display` become one output holding several MIME types; the front end picks the
/// richest it may show.
pub(crate) fn evcxr_block(mime: &str, content: &str) -> String {
    format!("EVCXR_BEGIN_CONTENT {mime}\n{content}\nEVCXR_END_CONTENT\n")
}

/// Maps any drawing-backend error to [`PlotError::Drawing`].
pub(crate) fn drawing<E: std::fmt::Display>(err: E) -> PlotError {
    PlotError::Drawing(err.to_string())
}
