//! [`Figure`]: a drawn image, with the boxes of all the text on it.

use std::cell::Cell;
use std::sync::{Arc, OnceLock};

use super::canvas::{Area, Canvas, Rgb, TextBox};
use crate::plot::PlotError;

/// Device pixels per logical pixel of a figure: 2, so figures stay sharp on high-density
/// screens (the notebook shows them at their logical size through an `<img>` with `width` and
/// `height`, see [`Figure::evcxr_display`]). A [`ScoreField`](super::ScoreField) draws at 1:
/// its 2 500 anti-aliased arrows would take 210-250 kB and 60-80 ms at 2, over the budgets of a
/// notebook figure (150 kB, 50 ms).
pub(crate) const DENSITY: u32 = 2;

/// The most bytes a figure's dense PNG may take to be shown sharp in a notebook (the size
/// budget of a notebook figure); a denser figure is shown at one pixel per logical pixel
/// (see [`Figure::evcxr_display`]).
pub const SHARP_BUDGET: usize = 150_000;

thread_local! {
    /// The density [`at_density`] asks of every figure drawn on this thread, if any.
    static FORCED_DENSITY: Cell<Option<u32>> = const { Cell::new(None) };
}

/// Runs `draw` with every figure it renders on this thread drawn at `density` device pixels per
/// logical pixel instead of its own (2; 1 for a [`ScoreField`](super::ScoreField)); a density
/// outside 1..=4 makes those figures fail with
/// [`PlotError::InvalidParameter`](crate::plot::PlotError::InvalidParameter). Animations and
/// sweeps draw their frames at 1 (a GIF shows at its pixel size; a sweep holds many frames).
///
/// ```
/// use scorelab::prelude::*;
/// use scorelab::plot::at_density;
/// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
/// let sharp = Curves1d::new(&gm, -3.0..=3.0).size(300, 300).render()?;
/// let plain = at_density(1, || Curves1d::new(&gm, -3.0..=3.0).size(300, 300).render())?;
/// assert_eq!((sharp.density(), plain.density()), (2, 1));
/// assert!(plain.png().len() < sharp.png().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn at_density<T>(density: u32, draw: impl FnOnce() -> T) -> T {
    /// Puts the previous setting back, also when `draw` panics.
    struct Restore(Option<u32>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FORCED_DENSITY.set(self.0);
        }
    }
    let _restore = Restore(FORCED_DENSITY.replace(Some(density)));
    draw()
}

/// The density of a figure drawn now on this thread whose own density is `default`.
pub(crate) fn density_or(default: u32) -> u32 {
    FORCED_DENSITY.get().unwrap_or(default)
}

/// A rendered figure: its pixels and where each piece of its text went.
///
/// In a Rust notebook (evcxr), a `Figure` as the last expression of a cell is shown inline as
/// PNG, which JupyterLab displays even in an untrusted notebook (a freshly cloned one).
#[derive(Clone)]
pub struct Figure {
    width: u32,
    height: u32,
    image: Arc<Rgb>,
    texts: Vec<TextBox>,
    pub(crate) png: OnceLock<Vec<u8>>,
}

impl PartialEq for Figure {
    fn eq(&self, other: &Figure) -> bool {
        self.image == other.image
    }
}

impl std::fmt::Debug for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Figure({}×{} px at density {}, {} texts)",
            self.width,
            self.height,
            self.density(),
            self.texts.len()
        )
    }
}

impl Figure {
    /// Draws `draw` onto a white `width × height` canvas (logical pixels) at [`DENSITY`].
    pub(crate) fn render<F>(width: u32, height: u32, draw: F) -> Result<Figure, PlotError>
    where
        F: FnOnce(&Area<'_>) -> Result<(), PlotError>,
    {
        Figure::render_at(width, height, DENSITY, draw)
    }

    /// Draws `draw` onto a white `width × height` canvas at `density` (unless [`at_density`]
    /// asks for another).
    pub(crate) fn render_at<F>(
        width: u32,
        height: u32,
        density: u32,
        draw: F,
    ) -> Result<Figure, PlotError>
    where
        F: FnOnce(&Area<'_>) -> Result<(), PlotError>,
    {
        let mut canvas = Canvas::new(width, height, density_or(density))?;
        canvas.draw(draw)?;
        Ok(Figure::from_canvas(canvas))
    }

    /// The figure a finished canvas holds.
    pub(crate) fn from_canvas(canvas: Canvas) -> Figure {
        let (width, height) = canvas.size();
        let image = Arc::new(canvas.to_rgb());
        Figure {
            width,
            height,
            image,
            texts: canvas.into_texts(),
            png: OnceLock::new(),
        }
    }

    /// The pixels, `density()` times the logical size on each side.
    pub(crate) fn image(&self) -> &Rgb {
        &self.image
    }

    /// Width in logical pixels (the size the notebook shows).
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in logical pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Device pixels per logical pixel on each side.
    pub fn density(&self) -> u32 {
        self.image.width / self.width.max(1)
    }

    /// Every piece of text on the figure (titles, tick and axis labels, legend entries,
    /// contour labels) with its box in logical pixels.
    pub fn texts(&self) -> &[TextBox] {
        &self.texts
    }
}
