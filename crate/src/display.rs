//! [`Figure`]: a rendered image that shows itself inline in a notebook and saves to a file.

use std::io::Write;
use std::path::Path;

use base64::Engine;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::error::PlotError;
use crate::plot::font;

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
        if width < 16 || height < 16 || width > 8192 || height > 8192 {
            return Err(PlotError::InvalidParameter {
                name: "figure size",
                reason: format!("{width}×{height} px; each side must be within 16..=8192"),
            });
        }
        font::register();
        let mut rgb = vec![255u8; width as usize * height as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
            draw(&root)?;
            root.present().map_err(drawing)?;
        }
        let png = encode_png(&rgb, width, height)?;
        Ok(Figure { width, height, png })
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
        let b64 = base64::engine::general_purpose::STANDARD.encode(&self.png);
        println!("EVCXR_BEGIN_CONTENT image/png\n{b64}\nEVCXR_END_CONTENT");
    }
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Default);
        let mut writer = encoder
            .write_header()
            .map_err(|e| PlotError::Io(e.into()))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| PlotError::Io(e.into()))?;
    }
    Ok(out)
}

/// Maps any drawing-backend error to [`PlotError::Drawing`].
pub(crate) fn drawing<E: std::fmt::Display>(err: E) -> PlotError {
    PlotError::Drawing(err.to_string())
}
