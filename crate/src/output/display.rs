//! How a [`Figure`] reaches the reader: PNG bytes, a file, or inline in an evcxr notebook.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::plot::PlotError;
use crate::plot::canvas::Rgb;
use crate::plot::{Figure, SHARP_BUDGET};

impl Figure {
    /// The PNG-encoded image at the figure's [density](Figure::density) (encoded once, on
    /// first use): indexed where 256 colours hold it exactly, or hold all but rare
    /// anti-aliasing blends (which take the nearest of them); truecolour where they would band
    /// a shading, as on a heat map.
    pub fn png(&self) -> &[u8] {
        // Encoding into memory fails only for sizes the canvas already refused.
        self.png
            .get_or_init(|| self.image().to_png().unwrap_or_default())
    }

    /// The figure as a PNG of its logical size, one pixel per logical pixel: each pixel the
    /// mean of the `density × density` block of [`png`](Self::png)'s image it covers. For
    /// places that show a PNG at its pixel size.
    pub fn png_1x(&self) -> Vec<u8> {
        match self.image_1x() {
            Cow::Borrowed(_) => self.png().to_vec(),
            Cow::Owned(small) => small.to_png().unwrap_or_default(),
        }
    }

    /// The pixels of [`png_1x`](Self::png_1x): the image averaged down to one pixel per
    /// logical pixel (borrowed as it is at density 1).
    pub(crate) fn image_1x(&self) -> Cow<'_, Rgb> {
        match self.density() {
            1 => Cow::Borrowed(self.image()),
            density => Cow::Owned(self.image().downsample(density)),
        }
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

    /// Shows the figure inline in an evcxr notebook (called by the kernel), as one output:
    ///
    /// - the HTML `<img>` of [`to_html`](Self::to_html), sharp on a high-density screen, which
    ///   front ends that render HTML (JupyterLab, trusted or not) prefer, if the dense PNG is at
    ///   most [`SHARP_BUDGET`](crate::plot::SHARP_BUDGET) bytes;
    /// - always, the figure at one pixel per logical pixel ([`png_1x`](Self::png_1x)) as
    ///   `image/png`: what front ends that show images only use (nbconvert's PDF export), and
    ///   what every front end shows of a figure too dense for the budget.
    pub fn evcxr_display(&self) {
        print!("{}", self.display_blocks());
    }

    /// What [`evcxr_display`](Self::evcxr_display) prints: one block per entry of
    /// [`display_bundle`](Self::display_bundle).
    pub(crate) fn display_blocks(&self) -> String {
        self.display_bundle()
            .iter()
            .map(|(mime, content)| evcxr_block(mime, content))
            .collect()
    }

    /// The figure's MIME bundle, as (MIME type, content) pairs, richest first: the rule
    /// [`evcxr_display`](Self::evcxr_display) documents.
    pub(crate) fn display_bundle(&self) -> Vec<(&'static str, String)> {
        // The two encodings are independent: made at once.
        let (dense, fallback) = rayon::join(|| self.png().len(), || self.png_1x());
        let mut bundle = Vec::with_capacity(2);
        if self.density() > 1 && dense <= SHARP_BUDGET {
            bundle.push(("text/html", self.to_html()));
        }
        bundle.push(("image/png", to_base64(&fallback)));
        bundle
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
        let blocks = fig.display_blocks();
        assert!(blocks.starts_with("EVCXR_BEGIN_CONTENT text/html\n<img "));
        assert!(blocks.contains("EVCXR_END_CONTENT\nEVCXR_BEGIN_CONTENT image/png\n"));
    }

    #[test]
    fn a_score_field_comes_at_2x_within_the_budget_and_shows_sharp() {
        let gm = GaussianMixture::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../presets/score_function_2d.json"
        ))
        .unwrap();
        let path = Ula::new(0.02)
            .unwrap()
            .run(&gm, &[-6.0, 6.0], 500, 3)
            .unwrap();
        let field = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
            .levels(25)
            .trajectory(&path)
            .render()
            .unwrap();
        assert_eq!(field.density(), 2);
        let dense = Rgb::from_png(field.png()).unwrap();
        assert_eq!((dense.width, dense.height), (1400, 1400));
        assert!(
            field.png().len() <= crate::plot::SHARP_BUDGET,
            "{} bytes",
            field.png().len()
        );
        assert!(
            field
                .display_blocks()
                .starts_with("EVCXR_BEGIN_CONTENT text/html\n<img ")
        );
    }
}
