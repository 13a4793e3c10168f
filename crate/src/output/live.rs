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

use std::borrow::Cow;
use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write};
use std::ops::RangeInclusive;
use std::os::unix::net::{UnixListener, UnixStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Map, Value, json};

use crate::output::display::{evcxr_block, to_base64};
use crate::output::live_error::LiveError;
use crate::output::raster::Effort;
use crate::plot::Figure;
use crate::plot::figure::DENSITY;

/// The environment variable naming the private directory in which the project's kernel expects
/// live figures' sockets. Read in [`Live::show`] only.
const LIVE_DIR_VARIABLE: &str = "SCORELAB_LIVE_DIR";

/// The MIME type of the block that describes the controls to the kernel.
const LIVE_MIME: &str = "application/vnd.scorelab.live+json";

/// Version of the live block's JSON and of the socket's requests and replies.
const PROTOCOL_VERSION: u32 = 3;

/// Serving threads are named with this prefix (then the socket's number).
const THREAD_PREFIX: &str = "scorelab-live-";

/// The density of a draft, asked for while a slider moves: one pixel per logical pixel.
const DRAFT_DENSITY: u32 = 1;

/// The longest request line read, in bytes: the values of a few controls need far fewer.
const MAX_REQUEST: u64 = 1 << 20;

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

/// One named control and its initial value.
#[derive(Debug, Clone)]
struct Control {
    name: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Slider {
        min: f64,
        max: f64,
        step: Option<f64>,
        value: f64,
    },
    Checkbox {
        value: bool,
    },
    Dropdown {
        options: Vec<String>,
        value: String,
    },
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::Slider { .. } => "slider",
            Kind::Checkbox { .. } => "checkbox",
            Kind::Dropdown { .. } => "dropdown",
        }
    }

    fn holds(&self) -> &'static str {
        match self {
            Kind::Slider { .. } => "a number",
            Kind::Checkbox { .. } => "true or false",
            Kind::Dropdown { .. } => "a string",
        }
    }
}

/// One control's value.
#[derive(Debug, Clone, PartialEq)]
enum Setting {
    Number(f64),
    Flag(bool),
    Choice(String),
}

/// The current value of every control of a [`Live`] figure, by name: what its closure draws
/// from. Asking for a name no control has, or for another kind than the control holds, is a
/// [`LiveError`] that `?` passes on.
///
/// ```
/// use scorelab::prelude::*;
///
/// let live = Live::new()
///     .slider("σ", 0.5..=2.0, 1.0)
///     .checkbox("wide", false)
///     .dropdown("preset", &["two modes", "three modes"], "three modes");
/// let shown = live.clone().show(|v| {
///     let means: &[f64] = match v.choice("preset")? {
///         "two modes" => &[-2.0, 2.0],
///         _ => &[-3.0, 0.0, 3.0],
///     };
///     let k = means.len();
///     let (weights, stds) = (vec![1.0 / k as f64; k], vec![v.number("σ")?; k]);
///     let gm = GaussianMixture::new_1d(&weights, means, &stds)?;
///     let half = if v.flag("wide")? { 10.0 } else { 6.0 };
///     Curves1d::new(&gm, -half..=half).render()
/// });
/// assert!(shown.is_ok());
///
/// // A name no control has, or a number asked of a checkbox, fails the frame.
/// let wrong = live.show(|v| {
///     let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[v.number("wide")?])?;
///     Curves1d::new(&gm, -6.0..=6.0).render()
/// });
/// assert_eq!(
///     wrong.unwrap_err().to_string(),
///     r#"control "wide" is a checkbox, which holds true or false, not a number"#
/// );
/// ```
#[derive(Debug, Clone)]
pub struct LiveValues {
    names: Vec<String>,
    kinds: Vec<&'static str>,
    settings: Vec<Setting>,
    density: u32,
}

impl LiveValues {
    fn find(&self, name: &str, asked: &'static str) -> Result<&Setting, LiveError> {
        let i =
            self.names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| LiveError::UnknownControl {
                    name: name.to_string(),
                    known: self.names.clone(),
                })?;
        let wrong = || LiveError::WrongKind {
            name: name.to_string(),
            kind: self.kinds[i],
            holds: match self.settings[i] {
                Setting::Number(_) => "a number",
                Setting::Flag(_) => "true or false",
                Setting::Choice(_) => "a string",
            },
            asked,
        };
        match (&self.settings[i], asked) {
            (s @ Setting::Number(_), "a number")
            | (s @ Setting::Flag(_), "true or false")
            | (s @ Setting::Choice(_), "a string") => Ok(s),
            _ => Err(wrong()),
        }
    }

    /// The value of slider `name`.
    pub fn number(&self, name: &str) -> Result<f64, LiveError> {
        match self.find(name, "a number")? {
            Setting::Number(x) => Ok(*x),
            _ => unreachable!("find checks the kind"),
        }
    }

    /// Whether checkbox `name` is ticked.
    pub fn flag(&self, name: &str) -> Result<bool, LiveError> {
        match self.find(name, "true or false")? {
            Setting::Flag(b) => Ok(*b),
            _ => unreachable!("find checks the kind"),
        }
    }

    /// The option chosen in dropdown `name`.
    pub fn choice(&self, name: &str) -> Result<&str, LiveError> {
        match self.find(name, "a string")? {
            Setting::Choice(s) => Ok(s),
            _ => unreachable!("find checks the kind"),
        }
    }

    /// Device pixels per logical pixel to draw this frame at: 1 for a draft, while a slider
    /// moves, else 2, the density figures have. Passed to a figure's `density`, a draft costs
    /// a quarter of the drawing; a figure drawn at its own density comes as a draft all the
    /// same, averaged down after drawing.
    ///
    /// ```
    /// use scorelab::prelude::*;
    ///
    /// let live = Live::new().slider("mean μ", -4.0..=4.0, 0.0).show(|v| {
    ///     let gm = GaussianMixture::new_1d(&[1.0], &[v.number("mean μ")?], &[1.0])?;
    ///     Curves1d::new(&gm, -6.0..=6.0).density(v.density()).render()
    /// })?;
    /// // The first frame is sharp.
    /// assert_eq!(live.frame().density(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn density(&self) -> u32 {
        self.density
    }
}

impl Live {
    /// A live figure without controls yet.
    pub fn new() -> Live {
        Live::default()
    }

    /// Adds a slider `name` over `range`, starting at `value`, in steps of a hundredth of the
    /// range (see [`step`](Self::step)). [`show`](Self::show) checks that the range is finite
    /// and not empty, and that `value` lies in it.
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
                    if !(min.is_finite() && max.is_finite() && min < max) {
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
                    "step": step.unwrap_or((max - min) / 100.0), "value": value,
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

/// The values of a sharp frame (at the figures' density).
fn values(controls: &[Control], settings: Vec<Setting>) -> LiveValues {
    LiveValues {
        names: controls.iter().map(|c| c.name.clone()).collect(),
        kinds: controls.iter().map(|c| c.kind.name()).collect(),
        settings,
        density: DENSITY,
    }
}

fn check_number(name: &str, value: f64, min: f64, max: f64) -> Result<(), LiveError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(LiveError::OutOfRange {
            name: name.to_string(),
            value,
            min,
            max,
        })
    }
}

fn check_choice(name: &str, value: &str, options: &[String]) -> Result<(), LiveError> {
    if options.iter().any(|o| o == value) {
        Ok(())
    } else {
        Err(LiveError::NotAnOption {
            name: name.to_string(),
            value: value.to_string(),
            options: options.to_vec(),
        })
    }
}

/// Draws one frame, turning the closure's error or panic into a [`LiveError`].
fn render<F, E>(figure: &mut F, values: &LiveValues) -> Result<Figure, LiveError>
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    match catch_unwind(AssertUnwindSafe(|| figure(values))) {
        Ok(Ok(frame)) => Ok(frame),
        Ok(Err(e)) => Err(LiveError::Frame(e.into())),
        Err(payload) => Err(LiveError::Panic {
            message: panic_message(payload.as_ref()),
        }),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a message)".to_string()
    }
}

/// The values a request line asks a frame for, checked against the controls: every control
/// present, none unknown, each of its control's kind and within its range or options; at
/// density 1 if `draft` (true or false, if given) is true.
fn parse_request(line: &[u8], controls: &[Control]) -> Result<LiveValues, LiveError> {
    let bad = |reason: String| LiveError::BadRequest { reason };
    let request: Value =
        serde_json::from_slice(line).map_err(|e| bad(format!("not JSON ({e})")))?;
    let Some(given) = request.get("values").and_then(Value::as_object) else {
        return Err(bad(r#"expected {"values": {name: value, ...}}"#.to_string()));
    };
    let draft = match request.get("draft") {
        None => false,
        Some(Value::Bool(draft)) => *draft,
        Some(other) => return Err(bad(format!(r#""draft" is {other}, not true or false"#))),
    };
    if let Some(unknown) = given
        .keys()
        .find(|k| !controls.iter().any(|c| &c.name == *k))
    {
        return Err(LiveError::UnknownControl {
            name: unknown.clone(),
            known: controls.iter().map(|c| c.name.clone()).collect(),
        });
    }
    let settings = controls
        .iter()
        .map(|c| setting(c, given))
        .collect::<Result<Vec<_>, _>>()?;
    let mut values = values(controls, settings);
    if draft {
        values.density = DRAFT_DENSITY;
    }
    Ok(values)
}

fn setting(control: &Control, given: &Map<String, Value>) -> Result<Setting, LiveError> {
    let name = &control.name;
    let value = given
        .get(name)
        .ok_or_else(|| LiveError::MissingValue { name: name.clone() })?;
    let wrong = || LiveError::WrongKind {
        name: name.clone(),
        kind: control.kind.name(),
        holds: control.kind.holds(),
        asked: match value {
            Value::Null => "null",
            Value::Bool(_) => "true or false",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        },
    };
    match &control.kind {
        Kind::Slider { min, max, .. } => {
            let x = value.as_f64().ok_or_else(wrong)?;
            // A front end's slider, stepping from one end, may land a rounding error past the
            // other: such a value is that end.
            let slack = 1e-9 * (max - min);
            let x = if x < *min && x >= min - slack {
                *min
            } else if x > *max && x <= max + slack {
                *max
            } else {
                x
            };
            check_number(name, x, *min, *max)?;
            Ok(Setting::Number(x))
        }
        Kind::Checkbox { .. } => value.as_bool().map(Setting::Flag).ok_or_else(wrong),
        Kind::Dropdown { options, .. } => {
            let s = value.as_str().ok_or_else(wrong)?;
            check_choice(name, s, options)?;
            Ok(Setting::Choice(s.to_string()))
        }
    }
}

/// The last frame drawn on a connection and the values it was drawn for.
type LastFrame = Option<(Vec<Setting>, Figure)>;

/// The reply line to one request line (with its `\n`). A request for the values of `last`
/// (the sharp frame asked for once a slider rests, after its draft) reuses that frame rather
/// than calling the closure again, unless a sharp frame is asked for and `last` was drawn at
/// density 1 (a closure that draws at [`LiveValues::density`]).
fn answer<F, E>(line: &[u8], controls: &[Control], figure: &mut F, last: &mut LastFrame) -> String
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    let reply = parse_request(line, controls).and_then(|values| {
        let draft = values.density == DRAFT_DENSITY;
        let frame = match last.take() {
            Some((drawn, frame)) if drawn == values.settings && (draft || frame.density() > 1) => {
                frame
            }
            _ => render(figure, &values)?,
        };
        // Encoding cannot fail for a figure drawn; a panic in it is reported all the same.
        let reply = catch_unwind(AssertUnwindSafe(|| frame_reply(&frame, draft))).unwrap_or_else(
            |payload| {
                Err(LiveError::Panic {
                    message: panic_message(payload.as_ref()),
                })
            },
        );
        *last = Some((values.settings, frame));
        reply
    });
    reply
        .unwrap_or_else(|e| json!({"ok": false, "error": e.to_string()}))
        .to_string()
        + "\n"
}

/// A frame as the kernel shows it, in matplotlib's retina form: the PNG at the figure's
/// density as `image/png`, deflated for speed ([`Effort::Fast`], the same pixels as
/// [`Figure::png`]), or for a draft the pixels of [`Figure::png_1x`]; and the logical size as
/// the output's metadata, which the front end draws it at (a draft and a sharp frame alike).
fn frame_reply(frame: &Figure, draft: bool) -> Result<Value, LiveError> {
    let image = if draft {
        frame.image_1x()
    } else {
        Cow::Borrowed(frame.image())
    };
    let png = image
        .to_png_with(Effort::Fast)
        .map_err(|e| LiveError::Frame(e.into()))?;
    let metadata = json!({"image/png": {"width": frame.width(), "height": frame.height()}});
    Ok(json!({"ok": true, "data": {"image/png": to_base64(&png)}, "metadata": metadata}))
}

/// Serves connections one at a time, for as long as the process lives.
fn serve<F, E>(listener: UnixListener, controls: &[Control], figure: &mut F)
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => serve_connection(stream, controls, figure),
            // Out of file descriptors, say: wait, rather than spin.
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

/// Answers every request line of one connection, until it closes or fails.
fn serve_connection<F, E>(stream: UnixStream, controls: &[Control], figure: &mut F)
where
    F: FnMut(&LiveValues) -> Result<Figure, E>,
    E: Into<Box<dyn Error + Send + Sync>>,
{
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    let mut last = None;
    loop {
        line.clear();
        match (&mut reader).take(MAX_REQUEST).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let complete = line.last() == Some(&b'\n');
        let reply = if !complete && line.len() as u64 >= MAX_REQUEST {
            let e = LiveError::BadRequest {
                reason: format!("longer than {MAX_REQUEST} bytes"),
            };
            json!({"ok": false, "error": e.to_string()}).to_string() + "\n"
        } else {
            answer(&line, controls, figure, &mut last)
        };
        if writer.write_all(reply.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
        if !complete {
            // The peer ended without a newline (or sent too much): nothing more to read.
            return;
        }
    }
}

/// A panic in a figure's closure on a serving thread is caught and reported in the reply; this
/// keeps the panic hook from also printing it on the process's stderr (a notebook would show it
/// under whatever cell runs then). Panics elsewhere print as before.
fn quiet_panics_on_live_threads() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let live = std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with(THREAD_PREFIX));
            if !live {
                previous(info);
            }
        }));
    });
}
