//! [`Live`]: named controls (sliders, checkboxes, dropdowns) and a closure that draws a
//! [`Figure`] from their values, redrawn in Rust on every drag in the project's kernel.
//!
//! In the project's kernel (`SCORELAB_LIVE_DIR` set), [`Live::show`] starts a thread that keeps
//! the closure and answers render requests on a Unix socket in that directory: one line of JSON
//! `{"values": {name: value, ...}, "draft": false}` in, one line `{"ok": true, "data":
//! {"image/png": ...}, "metadata": {...}}` (the frame in matplotlib's retina form) or `{"ok":
//! false, "error": "..."}` out. A draft, asked for while a slider moves, is the frame at one
//! pixel per logical pixel: drawn so by a closure that passes [`LiveValues::density`] to its
//! figure, else averaged down after drawing ([`Figure::png_1x`]'s pixels). That is a quarter of
//! the pixels to encode, send and decode at density 2. Anywhere else [`Live::show`] shows the
//! first frame as a plain figure.

use std::error::Error;
use std::ops::RangeInclusive;
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

use crate::output::display::evcxr_block;
use crate::output::live_error::LiveError;
use crate::output::live_socket::{THREAD_PREFIX, quiet_panics_on_live_threads, render, serve};
use crate::output::live_step::default_step;
pub use crate::output::live_values::LiveValues;
use crate::output::live_values::{Control, Kind, Setting, check_choice, check_number, values};
use crate::plot::Figure;

/// The environment variable naming the private directory in which the project's kernel expects
/// live figures' sockets. Read in [`Live::show`] only.
const LIVE_DIR_VARIABLE: &str = "SCORELAB_LIVE_DIR";

/// The MIME type of the block that describes the controls to the kernel.
const LIVE_MIME: &str = "application/vnd.scorelab.live+json";

/// Version of the live block's JSON and of the socket's requests and replies.
const PROTOCOL_VERSION: u32 = 3;

/// `show` calls in this process: numbers the sockets and threads.
static SHOWN: AtomicUsize = AtomicUsize::new(0);

/// A figure with named controls, redrawn by a closure from their values: in the project's
/// kernel, every slider drag draws a new frame in Rust; anywhere else (a plain evcxr kernel,
/// GitHub, nbviewer) the first frame shows as a plain figure.
///
/// Add controls with [`slider`](Self::slider) (and [`step`](Self::step)),
/// [`checkbox`](Self::checkbox) and [`dropdown`](Self::dropdown), then [`show`](Self::show) a
/// closure that reads their current values by name from [`LiveValues`]. While a slider moves,
/// frames come as drafts at one pixel per logical pixel; a closure that draws at
/// [`LiveValues::density`] draws them small.
///
/// ```
/// use scorelab::prelude::*;
///
/// let live = Live::new()
///     .slider("mean μ₁", -4.0..=4.0, 2.0)
///     .slider("weight w₁", 0.05..=0.95, 0.5)
///     .show(|v| {
///         let w = v.number("weight w₁")?;
///         let means = [v.number("mean μ₁")?, -2.0];
///         let gm = GaussianMixture::new_1d(&[w, 1.0 - w], &means, &[1.0, 1.0])?;
///         Curves1d::new(&gm, -6.0..=6.0).density(v.density()).render()
///     })?;
/// assert!(live.frame().png().starts_with(b"\x89PNG"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Live {
    controls: Vec<Control>,
    /// A misuse of the builder seen before `show` (reported by it).
    misuse: Option<f64>,
}

impl Live {
    /// A live figure without controls yet.
    pub fn new() -> Live {
        Live::default()
    }

    /// Adds a slider `name` over `range`, starting at `value`, in round steps (1, 2 or 5 × 10ⁿ)
    /// of about a hundredth of the range that reach its top and, where one can, `value`:
    /// −0.95..=0.95 from 0.8 moves by 0.01 (see [`step`](Self::step) to set one).
    /// [`show`](Self::show) checks that the range is finite and not empty, and that `value` lies
    /// in it.
    pub fn slider(
        mut self,
        name: impl Into<String>,
        range: RangeInclusive<f64>,
        value: f64,
    ) -> Live {
        let (min, max) = range.into_inner();
        self.controls.push(Control {
            name: name.into(),
            kind: Kind::Slider {
                min,
                max,
                step: None,
                value,
            },
        });
        self
    }

    /// Sets the step of the slider added just before. [`show`](Self::show) checks that it is
    /// positive and at most the slider's range.
    ///
    /// ```
    /// use scorelab::prelude::*;
    ///
    /// let live = Live::new().slider("mean μ", -4.0..=4.0, 0.0).step(0.5);
    /// let shown = live.show(|v| {
    ///     let gm = GaussianMixture::new_1d(&[1.0], &[v.number("mean μ")?], &[1.0])?;
    ///     Curves1d::new(&gm, -6.0..=6.0).render()
    /// });
    /// assert!(shown.is_ok());
    ///
    /// // A step wider than the range is refused.
    /// let wide = Live::new().slider("mean μ", -4.0..=4.0, 0.0).step(10.0);
    /// let refused = wide.show(|v| {
    ///     let gm = GaussianMixture::new_1d(&[1.0], &[v.number("mean μ")?], &[1.0])?;
    ///     Curves1d::new(&gm, -6.0..=6.0).render()
    /// });
    /// assert!(matches!(refused, Err(LiveError::InvalidStep { .. })));
    /// ```
    pub fn step(mut self, step: f64) -> Live {
        match self.controls.last_mut() {
            Some(Control {
                kind: Kind::Slider { step: s, .. },
                ..
            }) => *s = Some(step),
            _ => self.misuse = self.misuse.or(Some(step)),
        }
        self
    }

    /// Adds a checkbox `name`, ticked if `value`.
    pub fn checkbox(mut self, name: impl Into<String>, value: bool) -> Live {
        self.controls.push(Control {
            name: name.into(),
            kind: Kind::Checkbox { value },
        });
        self
    }

    /// Adds a dropdown `name` over `options`, starting at `value` (which
    /// [`show`](Self::show) checks is one of them).
    pub fn dropdown(mut self, name: impl Into<String>, options: &[&str], value: &str) -> Live {
        self.controls.push(Control {
            name: name.into(),
            kind: Kind::Dropdown {
                options: options.iter().map(|o| o.to_string()).collect(),
                value: value.to_string(),
            },
        });
        self
    }

    /// Draws the first frame with `figure` at the controls' initial values and returns it, to be
    /// shown as the cell's output. In the project's kernel (which sets `SCORELAB_LIVE_DIR`), it
    /// also keeps `figure` on a thread that redraws it for every slider move, and the output
    /// tells the kernel which controls to build; anywhere else it is a plain figure.
    ///
    /// `figure` returns `Result<Figure, E>` for any error `E` (`?` on a [`LiveValues`] lookup
    /// converts into [`PlotError`](crate::PlotError), so a closure ending in `.render()` works).
    ///
    /// Errors: bad controls (an empty, reversed or non-finite range, an initial value outside
    /// it, a bad step, a duplicate name, a dropdown value not among its options, no control at
    /// all), the first frame's error or panic, or a socket that could not be opened.
    pub fn show<F, E>(self, figure: F) -> Result<LiveFigure, LiveError>
    where
        F: FnMut(&LiveValues) -> Result<Figure, E> + Send + 'static,
        E: Into<Box<dyn Error + Send + Sync>>,
    {
        let dir = std::env::var_os(LIVE_DIR_VARIABLE).map(PathBuf::from);
        self.show_in(dir.as_deref(), figure)
    }

    /// [`show`](Self::show), serving frames on a socket in `dir` if it is `Some`, instead of
    /// reading `SCORELAB_LIVE_DIR`.
    #[doc(hidden)]
    pub fn show_in<F, E>(self, dir: Option<&Path>, mut figure: F) -> Result<LiveFigure, LiveError>
    where
        F: FnMut(&LiveValues) -> Result<Figure, E> + Send + 'static,
        E: Into<Box<dyn Error + Send + Sync>>,
    {
        self.check()?;
        let first = render(&mut figure, &self.initial_values())?;
        let Some(dir) = dir else {
            return Ok(LiveFigure {
                frame: first,
                live: None,
            });
        };
        let n = SHOWN.fetch_add(1, Ordering::Relaxed);
        let socket = dir.join(format!("{}-{n}.sock", std::process::id()));
        let listener = UnixListener::bind(&socket).map_err(|cause| LiveError::Socket {
            path: socket.clone(),
            cause,
        })?;
        let block = self.describe(&socket);
        quiet_panics_on_live_threads();
        let controls = self.controls;
        std::thread::Builder::new()
            .name(format!("{THREAD_PREFIX}{n}"))
            .spawn(move || serve(listener, &controls, &mut figure))
            .map_err(|cause| LiveError::Socket {
                path: socket.clone(),
                cause,
            })?;
        Ok(LiveFigure {
            frame: first,
            live: Some((socket, block)),
        })
    }

    /// Checks the controls, as [`show`](Self::show) documents.
    fn check(&self) -> Result<(), LiveError> {
        if let Some(step) = self.misuse {
            return Err(LiveError::StepWithoutSlider { step });
        }
        if self.controls.is_empty() {
            return Err(LiveError::NoControls);
        }
        for (i, control) in self.controls.iter().enumerate() {
            let name = &control.name;
            if self.controls[..i].iter().any(|c| &c.name == name) {
                return Err(LiveError::DuplicateName { name: name.clone() });
            }
            match &control.kind {
                Kind::Slider {
                    min,
                    max,
                    step,
                    value,
                } => {
                    let (min, max) = (*min, *max);
                    if !(min < max && (max - min).is_finite()) {
                        return Err(LiveError::InvalidRange {
                            name: name.clone(),
                            min,
                            max,
                        });
                    }
                    if let Some(step) = *step
                        && !(step > 0.0 && step <= max - min)
                    {
                        return Err(LiveError::InvalidStep {
                            name: name.clone(),
                            step,
                        });
                    }
                    check_number(name, *value, min, max)?;
                }
                Kind::Checkbox { .. } => {}
                Kind::Dropdown { options, value } => {
                    if options.is_empty() {
                        return Err(LiveError::NoOptions { name: name.clone() });
                    }
                    check_choice(name, value, options)?;
                }
            }
        }
        Ok(())
    }

    fn initial_values(&self) -> LiveValues {
        let settings = self
            .controls
            .iter()
            .map(|c| match &c.kind {
                Kind::Slider { value, .. } => Setting::Number(*value),
                Kind::Checkbox { value } => Setting::Flag(*value),
                Kind::Dropdown { value, .. } => Setting::Choice(value.clone()),
            })
            .collect();
        values(&self.controls, settings)
    }

    /// The live block's JSON: the socket and the controls, with their initial values.
    fn describe(&self, socket: &Path) -> String {
        let controls: Vec<Value> = self
            .controls
            .iter()
            .map(|c| match &c.kind {
                Kind::Slider {
                    min,
                    max,
                    step,
                    value,
                } => json!({
                    "kind": "slider", "name": c.name, "min": min, "max": max,
                    "step": step.unwrap_or_else(|| default_step(*min, *max, *value)), "value": value,
                }),
                Kind::Checkbox { value } => {
                    json!({"kind": "checkbox", "name": c.name, "value": value})
                }
                Kind::Dropdown { options, value } => json!({
                    "kind": "dropdown", "name": c.name, "options": options, "value": value,
                }),
            })
            .collect();
        json!({
            "version": PROTOCOL_VERSION,
            "socket": socket.to_string_lossy(),
            "controls": controls,
        })
        .to_string()
    }
}

/// What [`Live::show`] returns: the first frame, shown as the cell's output, and (in the
/// project's kernel) the description of the controls that the kernel turns into sliders.
///
/// ```
/// use scorelab::prelude::*;
///
/// let live = Live::new().slider("mean μ", -3.0..=3.0, 1.0).show(|v| {
///     let gm = GaussianMixture::new_1d(&[1.0], &[v.number("mean μ")?], &[1.0])?;
///     Curves1d::new(&gm, -6.0..=6.0).render()
/// })?;
/// // Outside the project's kernel: the first frame only, no socket.
/// let at_one = GaussianMixture::new_1d(&[1.0], &[1.0], &[1.0])?;
/// assert_eq!(live.frame().png(), Curves1d::new(&at_one, -6.0..=6.0).render()?.png());
/// # if std::env::var_os("SCORELAB_LIVE_DIR").is_none() {
/// assert!(live.socket().is_none());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct LiveFigure {
    frame: Figure,
    /// The socket and the live block's JSON, if frames are served.
    live: Option<(PathBuf, String)>,
}

impl LiveFigure {
    /// The first frame, drawn at the controls' initial values.
    pub fn frame(&self) -> &Figure {
        &self.frame
    }

    /// The socket serving frames, if any (only in the project's kernel).
    pub fn socket(&self) -> Option<&Path> {
        self.live.as_ref().map(|(path, _)| path.as_path())
    }

    /// Shows the first frame inline in an evcxr notebook (called by the kernel), exactly as
    /// [`Figure::evcxr_display`] does, plus, when frames are served, a block of type
    /// `application/vnd.scorelab.live+json` describing the controls.
    pub fn evcxr_display(&self) {
        print!("{}", self.display_blocks());
    }

    /// What [`evcxr_display`](Self::evcxr_display) prints.
    #[doc(hidden)]
    pub fn display_blocks(&self) -> String {
        let mut out = self.frame.display_blocks();
        if let Some((_, block)) = &self.live {
            out += &evcxr_block(LIVE_MIME, block);
        }
        out
    }
}
