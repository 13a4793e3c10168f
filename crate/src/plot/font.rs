//! The bundled font (DejaVu Sans, licence in `assets/`), so figures need no system font libraries.

use std::sync::Once;

use plotters::style::FontStyle;

/// The family name figures ask for (the canvas draws every text with the bundled font).
pub(crate) const FAMILY: &str = "sans-serif";

/// DejaVu Sans.
pub(crate) static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

static REGISTER: Once = Once::new();

/// Registers the bundled font with plotters once per process, so that plotters' own layout
/// (captions, series labels) can measure text too.
pub(crate) fn register() {
    REGISTER.call_once(|| {
        // A fixed, known-good file: a failure would be a packaging bug the tests catch.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}
