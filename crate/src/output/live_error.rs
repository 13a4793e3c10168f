//! [`LiveError`]: why a [`Live`](crate::Live) figure could not be shown, or a frame not drawn.

use std::path::PathBuf;

use crate::plot::PlotError;

/// Why a [`Live`](crate::Live) figure could not be shown, or why one of its frames could not be
/// drawn: bad controls (caught by [`show`](crate::Live::show)), a value asked for under a name
/// or kind the controls do not have, a render request the controls refuse, or the figure's own
/// closure failing.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LiveError {
    /// A `Live` without any control has nothing to drag.
    #[error("a live figure needs at least one control")]
    NoControls,
    /// Two controls share a name.
    #[error("two controls are named \"{name}\"; each needs its own name")]
    DuplicateName {
        /// The name given twice.
        name: String,
    },
    /// A slider's range is empty, reversed or not finite.
    #[error(
        "slider \"{name}\": invalid range {min}..={max}, the ends must be finite with min < max, and max − min finite"
    )]
    InvalidRange {
        /// The slider.
        name: String,
        /// The lower end given.
        min: f64,
        /// The upper end given.
        max: f64,
    },
    /// A slider's step is not positive, not finite, or wider than its range.
    #[error("slider \"{name}\": invalid step {step}, it must be positive and at most max − min")]
    InvalidStep {
        /// The slider.
        name: String,
        /// The step given.
        step: f64,
    },
    /// [`step`](crate::Live::step) was called with no slider before it.
    #[error("step({step}) must follow a slider")]
    StepWithoutSlider {
        /// The step given.
        step: f64,
    },
    /// A slider value (its initial value, or one in a render request) is outside its range.
    #[error("{name} = {value} is outside the slider's range {min}..={max}")]
    OutOfRange {
        /// The slider.
        name: String,
        /// The value given.
        value: f64,
        /// The slider's lower end.
        min: f64,
        /// The slider's upper end.
        max: f64,
    },
    /// A dropdown has no options.
    #[error("dropdown \"{name}\" has no options")]
    NoOptions {
        /// The dropdown.
        name: String,
    },
    /// A dropdown value (its initial value, or one in a render request) is not among its options.
    #[error("dropdown \"{name}\": \"{value}\" is not one of its options {options:?}")]
    NotAnOption {
        /// The dropdown.
        name: String,
        /// The value given.
        value: String,
        /// The dropdown's options.
        options: Vec<String>,
    },
    /// A value was asked for, or sent, under a name no control has.
    #[error("no control is named \"{name}\"; the controls are {known:?}")]
    UnknownControl {
        /// The name asked for.
        name: String,
        /// The names of the controls.
        known: Vec<String>,
    },
    /// A value was asked for as another kind than its control holds (a number of a checkbox).
    #[error("control \"{name}\" is a {kind}, which holds {holds}, not {asked}")]
    WrongKind {
        /// The control.
        name: String,
        /// What the control is: `"slider"`, `"checkbox"` or `"dropdown"`.
        kind: &'static str,
        /// What it holds: `"a number"`, `"true or false"` or `"a string"`.
        holds: &'static str,
        /// What was asked for or sent.
        asked: &'static str,
    },
    /// A render request left a control without a value.
    #[error("the request has no value for control \"{name}\"")]
    MissingValue {
        /// The control.
        name: String,
    },
    /// A render request is not one line of JSON of the form `{"values": {...}}`.
    #[error("bad request: {reason}")]
    BadRequest {
        /// What is wrong with it.
        reason: String,
    },
    /// The figure's closure returned an error (its message is this error's).
    #[error(transparent)]
    Frame(Box<dyn std::error::Error + Send + Sync>),
    /// The figure's closure panicked; the panic was caught.
    #[error("the figure's closure panicked: {message}")]
    Panic {
        /// The panic's message.
        message: String,
    },
    /// The socket that serves frames could not be opened.
    #[error("could not serve the live figure on {path:?}: {cause}")]
    Socket {
        /// The socket's path.
        path: PathBuf,
        /// Why (in the message; see [`crate::error`] on wrapping).
        cause: std::io::Error,
    },
}

/// `?` on a [`LiveValues`](crate::LiveValues) lookup inside a figure's closure that ends in
/// `.render()` keeps the lookup's error whole, as [`PlotError::Study`] (a boxed error whose
/// `downcast_ref::<LiveError>()` gets it back).
impl From<LiveError> for PlotError {
    fn from(e: LiveError) -> Self {
        PlotError::Study(Box::new(e))
    }
}
