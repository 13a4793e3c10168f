//! How a [`Figure`] reaches the reader: PNG bytes, a file, or inline in an evcxr notebook.

use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::error::PlotError;
use crate::plot::Figure;

impl Figure {
    /// The PNG-encoded image at the figure's [density](Figure::density) (encoded once, on
    /// first use), with at most 256 colours: the figure's own colours stay exact, rare
    /// anti-aliasing blends take the nearest of them.
    pub fn png(&self) -> &[u8] {
        // Encoding into memory fails only for sizes the canvas already refused.
        self.png
            .get_or_init(|| self.image().to_quantized_png(256).unwrap_or_default())
    }

    /// The figure as a PNG of its logical size, one pixel per logical pixel: each pixel the
    /// mean of the `density × density` block of [`png`](Self::png)'s image it covers. For
    /// places that show a PNG at its pixel size.
    pub fn png_1x(&self) -> Vec<u8> {
        let density = self.density();
        if density == 1 {
            return self.png().to_vec();
        }
        let small = self.image().downsample(density);
        small.to_quantized_png(256).unwrap_or_default()
    }

    /// Writes the figure as a PNG file (at its density).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let mut file = std::fs::File::create(path)?;
        file.write_all(self.png())?;
        Ok(())
    }

    /// The figure as an HTML `<img>` of its logical size carrying the dense PNG, so a
    /// high-density screen shows every device pixel of it. JupyterLab's sanitizer keeps
    /// `width`, `height` and a `data:` source, so this shows in an untrusted notebook too.
    pub fn to_html(&self) -> String {
        format!(
            r#"<img src="data:image/png;base64,{}" width="{}" height="{}" alt="figure, {}×{} px">"#,
            to_base64(self.png()),
            self.width(),
            self.height(),
            self.width(),
            self.height()
        )
    }

    /// Shows the figure inline in an evcxr notebook (called by the kernel): one output with
    /// the HTML `<img>` of [`to_html`](Self::to_html), which front ends that render HTML
    /// (JupyterLab, trusted or not) prefer, and, at density 1, the PNG of
    /// [`png_1x`](Self::png_1x) for those that show images only.
    pub fn evcxr_display(&self) {
        print!("{}", evcxr_block("text/html", &self.to_html()));
        print!("{}", evcxr_block("image/png", &to_base64(&self.png_1x())));
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
