//! The values of a [`Live`](crate::Live) figure's controls: each control's kind and initial
//! value, the values a frame is drawn for ([`LiveValues`]), and their checks.

use crate::output::live_error::LiveError;
use crate::plot::figure::DENSITY;

/// One named control and its initial value.
#[derive(Debug, Clone)]
pub(crate) struct Control {
    pub(crate) name: String,
    pub(crate) kind: Kind,
}

/// A control's kind, with its range or options and its initial value.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
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
    /// The kind's name, as the kernel's description gives it.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Kind::Slider { .. } => "slider",
            Kind::Checkbox { .. } => "checkbox",
            Kind::Dropdown { .. } => "dropdown",
        }
    }

    /// What a value of this kind is, for error messages.
    pub(crate) fn holds(&self) -> &'static str {
        match self {
            Kind::Slider { .. } => "a number",
            Kind::Checkbox { .. } => "true or false",
            Kind::Dropdown { .. } => "a string",
        }
    }
}

/// One control's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Setting {
    Number(f64),
    Flag(bool),
    Choice(String),
}

/// The current value of every control of a [`Live`](crate::Live) figure, by name: what its
/// closure draws from. Asking for a name no control has, or for another kind than the control
/// holds, is a [`LiveError`] that `?` passes on.
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
    pub(crate) settings: Vec<Setting>,
    pub(crate) density: u32,
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

/// The values of a sharp frame (at the figures' density).
pub(crate) fn values(controls: &[Control], settings: Vec<Setting>) -> LiveValues {
    LiveValues {
        names: controls.iter().map(|c| c.name.clone()).collect(),
        kinds: controls.iter().map(|c| c.kind.name()).collect(),
        settings,
        density: DENSITY,
    }
}

/// Checks that slider `name`'s `value` is within its range.
pub(crate) fn check_number(name: &str, value: f64, min: f64, max: f64) -> Result<(), LiveError> {
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

/// Checks that `value` is one of dropdown `name`'s options.
pub(crate) fn check_choice(name: &str, value: &str, options: &[String]) -> Result<(), LiveError> {
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
