//! The bundled font (DejaVu Sans, licence in `assets/`), so figures need no system font libraries.

/// The family name figures ask for (the canvas draws every text with the bundled font).
pub(crate) const FAMILY: &str = "sans-serif";

/// DejaVu Sans.
pub(crate) static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
