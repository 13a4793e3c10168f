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
    /// (JupyterLab, trusted or not) prefer, and the figure at one pixel per logical pixel
    /// ([`png_1x`](Self::png_1x)) as `image/png`, for those that show images only (nbconvert's
    /// PDF export, a terminal front end).
    pub fn evcxr_display(&self) {
        // The two encodings are independent: made at once.
        let (html, fallback) = rayon::join(|| self.to_html(), || self.png_1x());
        print!("{}", evcxr_block("text/html", &html));
        print!("{}", evcxr_block("image/png", &to_base64(&fallback)));
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

#[cfg(test)]
mod tests {
    use crate::plot::canvas::Rgb;
    use crate::prelude::*;
    use base64::Engine;

    #[test]
    fn the_html_shows_the_dense_png_at_the_logical_size_and_the_fallback_is_1x() {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        let fig = Curves1d::new(&gm, -3.0..=3.0)
            .size(300, 240)
            .render()
            .unwrap();
        assert_eq!(fig.density(), 2);
        let html = fig.to_html();
        assert!(html.starts_with("<img ") && html.contains(r#"width="300" height="240""#));
        let b64 = html
            .split("data:image/png;base64,")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        let embedded = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(embedded, fig.png());
        let dense = Rgb::from_png(fig.png()).unwrap();
        let small = Rgb::from_png(&fig.png_1x()).unwrap();
        assert_eq!((dense.width, dense.height), (600, 480));
        assert_eq!((small.width, small.height), (300, 240));
    }
}
