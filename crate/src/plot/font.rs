//! The bundled font (DejaVu Sans, licence in `assets/`), so figures need no system font libraries.

/// DejaVu Sans.
pub(crate) static FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
