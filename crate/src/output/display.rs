//! How a [`Figure`] reaches the reader: PNG bytes, a file, or inline in an evcxr notebook.

use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::error::PlotError;
use crate::plot::Figure;

impl Figure {
    /// The PNG-encoded image (encoded once, on first use), with at most 256 colours: the
    /// figure's own colours stay exact, rare anti-aliasing blends take the nearest of them.
    pub fn png(&self) -> &[u8] {
        // Encoding into memory fails only for sizes the canvas already refused.
        self.png
            .get_or_init(|| self.image().to_quantized_png(256).unwrap_or_default())
    }

    /// Writes the figure as a PNG file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let mut file = std::fs::File::create(path)?;
        file.write_all(self.png())?;
        Ok(())
    }

    /// Shows the figure inline in an evcxr notebook (called by the kernel).
    pub fn evcxr_display(&self) {
        print!("{}", evcxr_block("image/png", &to_base64(self.png())));
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
