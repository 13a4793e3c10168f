//! The bundled font (DejaVu Sans, licence in `assets/`), so figures need no system font libraries.

use std::sync::Once;

use plotters::style::FontStyle;

/// The family name figures use.
pub(crate) const FAMILY: &str = "sans-serif";

static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Registers the bundled font with plotters once per process.
pub(crate) fn register() {
    REGISTER.call_once(|| {
        // The font is a fixed, known-good file; a failure here would be a packaging bug that
        // the crate's tests catch, and text would then be left out rather than panic.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}
