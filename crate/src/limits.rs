//! Bounds on every size a caller can pass, the memory budget large buffers are sized within,
//! and the work budget long computations are estimated against.
//!
//! In the Rust notebook kernel a runaway cell costs the whole notebook: interrupting a cell, or
//! an allocation the system refuses, ends the kernel's worker process and every variable with
//! it. So each size a builder takes is checked against a [`Bound`] before any work starts, and
//! each large buffer is reserved up front, within [`memory_budget`], with
//! [`Vec::try_reserve_exact`]: a mistyped parameter gives a [`LimitError`], never an abort.
//! Sizes that are each within bounds can still multiply into hours (iterations × samples,
//! steps × particles): their product is converted to an estimated time and checked against
//! [`work_budget`] before the first step.
//!
//! ```
//! use scorelab::limits::{self, LimitError};
//!
//! // A bound names the parameter, the value and the limit.
//! let err = limits::LEVELS.check(1_000_000).unwrap_err();
//! assert_eq!(err.to_string(), "levels = 1000000 is out of range: must be within 1..=100");
//!
//! // A buffer over the budget says how much was asked and how to ask for less.
//! let err = limits::reserve::<f64>("trajectory", 4_000_000_000, "take fewer steps").unwrap_err();
//! assert!(matches!(err, LimitError::OverBudget { bytes: 32_000_000_000, .. }));
//!
//! // Work over the budget says how long it would take and how to ask for less.
//! let err = limits::check_work("fit", 1e15, "take fewer iterations").unwrap_err();
//! assert!(err.to_string().starts_with("the fit would take about 8.1 days"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::time::Duration;

/// The allowed values `min..=max` of one size parameter, and its name for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The parameter's name as the caller writes it (e.g. `"levels"`).
    pub parameter: &'static str,
    /// The smallest value allowed.
    pub min: usize,
    /// The largest value allowed.
    pub max: usize,
}

impl Bound {
    /// The value, if it is within `min..=max`; otherwise [`LimitError::OutOfRange`].
    pub fn check(&self, value: usize) -> Result<usize, LimitError> {
        if (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(LimitError::OutOfRange {
                parameter: self.parameter,
                value,
                min: self.min,
                max: self.max,
            })
        }
    }
}

/// Steps of one sampler run. Memory is bounded separately by the budget (a trajectory stores
/// every recorded state, see [`RECORD_EVERY`]); this caps the time: 2·10⁷ ULA steps on a
/// 3-component 2-D mixture took 5 s on a shared two-core machine, so 10⁸ take under a minute.
pub const STEPS: Bound = Bound {
    parameter: "steps",
    min: 1,
    max: 100_000_000,
};

/// Particles in one ensemble.
pub const PARTICLES: Bound = Bound {
    parameter: "particles",
    min: 1,
    max: 100_000_000,
};

/// Snapshots kept of an ensemble run.
pub const SNAPSHOTS: Bound = Bound {
    parameter: "snapshots",
    min: 1,
    max: 10_000,
};

/// Points at which a curve is evaluated.
pub const POINTS: Bound = Bound {
    parameter: "points",
    min: 2,
    max: 1_000_000,
};

/// Noise levels σ₁ > … > σ_L of annealed Langevin dynamics.
pub const NOISE_LEVELS: Bound = Bound {
    parameter: "noise levels",
    min: 1,
    max: 10_000,
};

/// Contour levels of a figure; 0 would silently draw none.
pub const LEVELS: Bound = Bound {
    parameter: "levels",
    min: 1,
    max: 100,
};

/// Iterations of a fitting loop.
pub const ITERATIONS: Bound = Bound {
    parameter: "iterations",
    min: 1,
    max: 1_000_000,
};

/// Histogram bins.
pub const BINS: Bound = Bound {
    parameter: "bins",
    min: 1,
    max: 10_000,
};

/// Arrows per side of a score field.
pub const ARROWS: Bound = Bound {
    parameter: "arrows",
    min: 2,
    max: 500,
};

/// Grid points per side on which a field's log-density is evaluated for its contours.
pub const RESOLUTION: Bound = Bound {
    parameter: "resolution",
    min: 3,
    max: 2_000,
};

/// Frames of a [`Sweep`](crate::Sweep) (values of its parameter, or pairs of values) or of a
/// growing trajectory; a player needs at least two.
pub const FRAMES: Bound = Bound {
    parameter: "frames",
    min: 2,
    max: 1_000,
};

/// Frames of an [`Animation`](crate::Animation); one frame is a still image.
pub const ANIMATION_FRAMES: Bound = Bound {
    parameter: "frames",
    min: 1,
    max: FRAMES.max,
};

/// A figure's width in pixels, as given to `.size(..)`; the image holds density² times as
/// many device pixels, within the memory budget.
pub const FIGURE_WIDTH: Bound = Bound {
    parameter: "figure width",
    min: 16,
    max: 4_096,
};

/// A figure's height in pixels, as given to `.size(..)`.
pub const FIGURE_HEIGHT: Bound = Bound {
    parameter: "figure height",
    min: 16,
    max: 4_096,
};

/// Frames × pixels per frame of a sweep or an animation: the work of drawing them and the
/// memory of keeping them (10⁸ is 400 frames of 500 × 500 px, 300 MB of RGB).
pub const FRAME_PIXELS: Bound = Bound {
    parameter: "frames × pixels",
    min: 1,
    max: 100_000_000,
};

/// Cells of a Fokker–Planck grid.
pub const CELLS: Bound = Bound {
    parameter: "cells",
    min: 3,
    max: 100_000,
};

/// Cells × time steps of one Fokker–Planck advance: its time steps shrink as the cells' width
/// squared, so a fine grid or a long duration multiplies the work (measured: 1.4·10⁸ cell-steps
/// in 1.0–1.6 s on a shared two-core machine, so 10⁹ take about 10 s).
pub const GRID_STEPS: Bound = Bound {
    parameter: "cells × time steps",
    min: 1,
    max: 1_000_000_000,
};

/// Radial-basis centres per axis of a learned score's features.
pub const CENTRES_PER_AXIS: Bound = Bound {
    parameter: "centres per axis",
    min: 2,
    max: 1_000,
};

/// Features M of a learned linear score: its ridge system is M × M, its work per noisy sample
/// M²/2 (2 000 features: 32 MB per system).
pub const FEATURES: Bound = Bound {
    parameter: "features",
    min: 1,
    max: 2_000,
};

/// Noise draws per sample in denoising score matching.
pub const DRAWS: Bound = Bound {
    parameter: "draws",
    min: 1,
    max: 1_000,
};

/// Noisy samples (samples × draws) of one denoising-score-matching fit.
pub const NOISY_SAMPLES: Bound = Bound {
    parameter: "samples × draws",
    min: 1,
    max: 100_000_000,
};

/// MALA steps k per iteration of contrastive divergence.
pub const CD_STEPS: Bound = Bound {
    parameter: "k",
    min: 1,
    max: 10_000,
};

/// Record every k-th step of a single run (see [`Record::Every`](crate::Record::Every)).
pub const RECORD_EVERY: Bound = Bound {
    parameter: "record every",
    min: 1,
    max: STEPS.max,
};

/// Checks `frames` frames of `width × height` device pixels against [`FRAME_PIXELS`] and the
/// memory budget (one RGB copy of every frame), once the first frame's size is known.
pub fn check_frame_pixels(frames: usize, width: u32, height: u32) -> Result<(), LimitError> {
    let pixels = frames.saturating_mul((width as usize).saturating_mul(height as usize));
    FRAME_PIXELS.check(pixels)?;
    check_bytes(
        "frames",
        pixels.saturating_mul(3),
        "draw fewer frames or smaller figures",
    )
}

/// The budget when none was set: a quarter of the machine's memory, at most 4 GiB (2 GiB where
/// the machine's memory cannot be read), so a large request fails long before the machine
/// starts swapping.
pub fn default_memory_budget() -> usize {
    const CAP: usize = 4 << 30;
    total_memory().map_or(2 << 30, |total| (total / 4).min(CAP))
}

/// The machine's memory in bytes (Linux: `MemTotal` of `/proc/meminfo`), read once per process.
fn total_memory() -> Option<usize> {
    static TOTAL: std::sync::OnceLock<Option<usize>> = std::sync::OnceLock::new();
    *TOTAL.get_or_init(read_total_memory)
}

fn read_total_memory() -> Option<usize> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// Where the budget lives: the process environment, not a static. The evcxr kernel links a
/// fresh copy of the crate into every cell it compiles, each with its own statics, so a static
/// set in one cell is not seen by the next; the environment is the worker process's own.
/// Setting it before starting the kernel works too.
pub const BUDGET_VARIABLE: &str = "SCORELAB_MEMORY_BUDGET";

/// The most bytes one buffer may take, in bytes. See [`set_memory_budget`].
pub fn memory_budget() -> usize {
    std::env::var(BUDGET_VARIABLE)
        .ok()
        .and_then(|bytes| bytes.parse().ok())
        .unwrap_or_else(default_memory_budget)
}

/// Sets the most bytes one buffer may take (at least 1 MiB is kept) and returns the previous
/// budget. Raise it to record a longer run on a large machine; lower it to fail sooner.
///
/// ```
/// let before = scorelab::set_memory_budget(64 << 20);
/// assert_eq!(scorelab::memory_budget(), 64 << 20);
/// scorelab::set_memory_budget(before);
/// ```
pub fn set_memory_budget(bytes: usize) -> usize {
    let previous = memory_budget();
    store(BUDGET_VARIABLE, bytes.max(1 << 20).to_string());
    previous
}

/// Writes a setting where the next cell reads it (see [`BUDGET_VARIABLE`]). Only the public
/// setters call it, on the thread of the reader who calls them; nothing in the crate writes the
/// environment from any other thread.
pub(crate) fn store(variable: &str, value: String) {
    // SAFETY: a setter runs on the reader's own thread (a notebook cell's) as a call of its own;
    // the crate reads the environment only inside other calls, and its worker threads idle
    // between calls, so no thread reads or writes the environment meanwhile.
    unsafe { std::env::set_var(variable, value) };
}

/// The time one unit of work takes, in nanoseconds. A unit is one multiply-add, an `exp`
/// counting 20 (see [`Score::evaluation_cost`](crate::Score::evaluation_cost)). Measured with
/// `cargo run --release --example work_costs` on a shared two-core machine (AVX2): ULA
/// ensembles 0.28 ns per unit on a 3-component 2-D mixture and 0.46 with a 172-feature learned
/// score, MALA 0.34, the reverse samplers 0.47–0.72 (exact and learned), DSM fits 0.35–0.58,
/// [`Training`](crate::learn::Training) 0.4–0.7. The largest, rounded up, so an estimate errs
/// towards too long.
pub const NANOS_PER_UNIT: f64 = 0.7;

/// The work budget when none was set: 2 minutes of estimated time, about 1.7·10¹¹ units.
pub const DEFAULT_WORK_BUDGET: Duration = Duration::from_secs(120);

/// Where the work budget lives, in seconds (like [`BUDGET_VARIABLE`], the process environment).
pub const WORK_BUDGET_VARIABLE: &str = "SCORELAB_WORK_BUDGET";

/// The longest estimated time one computation may take before it is refused. See
/// [`set_work_budget`].
pub fn work_budget() -> Duration {
    std::env::var(WORK_BUDGET_VARIABLE)
        .ok()
        .and_then(|seconds| seconds.parse::<f64>().ok())
        .filter(|seconds| *seconds >= 0.0)
        // Past Duration's range (f64::INFINITY included) the budget has no limit.
        .map(|seconds| Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX))
        .unwrap_or(DEFAULT_WORK_BUDGET)
}

/// Sets the longest estimated time, in seconds, one computation may take (at least 1 s is kept;
/// `f64::INFINITY` lifts the limit) and returns the previous budget in seconds. Raise it before
/// a run you mean to wait for; the estimate is printed in the error that refused it.
///
/// ```
/// let before = scorelab::set_work_budget(600.0);
/// assert_eq!(scorelab::work_budget().as_secs(), 600);
/// scorelab::set_work_budget(f64::INFINITY);
/// assert_eq!(scorelab::work_budget(), std::time::Duration::MAX);
/// scorelab::set_work_budget(before);
/// ```
pub fn set_work_budget(seconds: f64) -> f64 {
    let previous = work_budget().as_secs_f64();
    let seconds = if seconds.is_nan() {
        1.0
    } else {
        seconds.max(1.0)
    };
    store(WORK_BUDGET_VARIABLE, seconds.to_string());
    previous
}

/// Checks that `units` of work (see [`NANOS_PER_UNIT`]) fit the work budget; `what` names the
/// computation, `advice` says how to ask for less.
///
/// # Errors
/// [`LimitError::OverWorkBudget`] with the estimated time.
pub fn check_work(what: &'static str, units: f64, advice: &'static str) -> Result<(), LimitError> {
    let seconds = units * NANOS_PER_UNIT * 1e-9;
    let budget = work_budget();
    // NaN units (never produced here) would compare false: count them as over.
    if seconds <= budget.as_secs_f64() {
        return Ok(());
    }
    Err(LimitError::OverWorkBudget {
        what,
        estimate: Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX),
        budget,
        advice,
    })
}

/// Checks that `bytes` fit the budget; `what` names the buffer, `advice` says how to need less.
pub fn check_bytes(
    what: &'static str,
    bytes: usize,
    advice: &'static str,
) -> Result<(), LimitError> {
    let budget = memory_budget();
    if bytes <= budget {
        Ok(())
    } else {
        Err(LimitError::OverBudget {
            what,
            bytes,
            budget,
            advice,
        })
    }
}

/// An empty vector with room for `len` values, reserved within the budget: over the budget, or
/// when the system refuses the memory, a [`LimitError`] instead of an abort.
pub fn reserve<T>(
    what: &'static str,
    len: usize,
    advice: &'static str,
) -> Result<Vec<T>, LimitError> {
    let bytes = len.saturating_mul(std::mem::size_of::<T>());
    check_bytes(what, bytes, advice)?;
    let mut buffer = Vec::new();
    buffer
        .try_reserve_exact(len)
        .map_err(|_| LimitError::AllocationFailed { what, bytes })?;
    Ok(buffer)
}

/// Why a size was refused before any work started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LimitError {
    /// A size parameter is outside its [`Bound`].
    #[error("{parameter} = {value} is out of range: must be within {min}..={max}")]
    OutOfRange {
        /// The parameter's name.
        parameter: &'static str,
        /// The value given.
        value: usize,
        /// The smallest value allowed.
        min: usize,
        /// The largest value allowed.
        max: usize,
    },
    /// A buffer would take more than [`memory_budget`] bytes.
    #[error(
        "the {what} would take {}, over the memory budget of {}; {advice}, or raise the budget \
         with scorelab::set_memory_budget(bytes)",
        ByteSize(*bytes),
        ByteSize(*budget)
    )]
    OverBudget {
        /// What the buffer holds (e.g. `"trajectory"`).
        what: &'static str,
        /// The bytes it would take.
        bytes: usize,
        /// The budget at the time.
        budget: usize,
        /// How to ask for less (e.g. `"take fewer steps"`).
        advice: &'static str,
    },
    /// The system refused memory within the budget.
    #[error(
        "the system refused {} for the {what}; ask for less, or lower \
         scorelab::set_memory_budget(bytes) to fail earlier",
        ByteSize(*bytes)
    )]
    AllocationFailed {
        /// What the buffer holds.
        what: &'static str,
        /// The bytes asked for.
        bytes: usize,
    },
    /// A computation's estimated time is over [`work_budget`].
    #[error(
        "the {what} would take about {}, over the work budget of {}; {advice}, or raise the \
         budget with scorelab::set_work_budget(seconds)",
        Span(*estimate),
        Span(*budget)
    )]
    OverWorkBudget {
        /// The computation (e.g. `"ULA ensemble"`).
        what: &'static str,
        /// Its estimated time.
        estimate: Duration,
        /// The budget at the time.
        budget: Duration,
        /// How to ask for less (e.g. `"use fewer particles or steps"`).
        advice: &'static str,
    },
}

/// A byte count as people read it: `"16.0 GB"`, `"512 kB"` (decimal units).
struct ByteSize(usize);

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.0 as f64;
        match self.0 {
            0..1_000 => write!(f, "{} B", self.0),
            1_000..1_000_000 => write!(f, "{:.0} kB", bytes / 1e3),
            1_000_000..1_000_000_000 => write!(f, "{:.0} MB", bytes / 1e6),
            _ => write!(f, "{:.1} GB", bytes / 1e9),
        }
    }
}

/// A duration as people read it, with one decimal below 10 of its unit: `"40 s"`, `"12 min"`,
/// `"3.5 h"`, `"8.1 days"`, `"300 years"`.
struct Span(Duration);

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0.as_secs_f64();
        let (value, unit) = match s {
            s if s < 60.0 => (s, "s"),
            s if s < 3600.0 => (s / 60.0, "min"),
            s if s < 86_400.0 => (s / 3600.0, "h"),
            s if s < 3.156e7 => (s / 86_400.0, "days"),
            s => (s / 3.156e7, "years"),
        };
        if value < 10.0 && value.fract() != 0.0 {
            write!(f, "{value:.1} {unit}")
        } else {
            write!(f, "{value:.0} {unit}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_accept_their_ends_and_name_what_is_outside() {
        assert_eq!(LEVELS.check(1), Ok(1));
        assert_eq!(LEVELS.check(100), Ok(100));
        let err = LEVELS.check(0).unwrap_err();
        assert_eq!(
            err,
            LimitError::OutOfRange {
                parameter: "levels",
                value: 0,
                min: 1,
                max: 100
            }
        );
        assert!(
            STEPS
                .check(2_000_000_000)
                .unwrap_err()
                .to_string()
                .contains("steps = 2000000000")
        );
    }

    #[test]
    fn over_budget_says_how_much_and_how_to_ask_for_less() {
        let err = reserve::<f64>("trajectory", usize::MAX, "take fewer steps").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("trajectory"), "{text}");
        assert!(text.contains("take fewer steps"), "{text}");
        assert!(text.contains("set_memory_budget"), "{text}");
        assert!(matches!(
            err,
            LimitError::OverBudget {
                bytes: usize::MAX,
                ..
            }
        ));
    }

    #[test]
    fn a_buffer_within_the_budget_is_reserved() {
        let v = reserve::<f64>("grid", 1000, "use a coarser grid").unwrap();
        assert!(v.capacity() >= 1000 && v.is_empty());
    }

    #[test]
    fn default_budget_leaves_the_machine_usable() {
        let budget = default_memory_budget();
        assert!((1 << 20..=4 << 30).contains(&budget));
        if let Some(total) = total_memory() {
            assert!(budget <= total / 4);
        }
    }

    #[test]
    fn spans_read_naturally() {
        let span = |s: f64| Span(Duration::from_secs_f64(s)).to_string();
        assert_eq!(span(40.0), "40 s");
        assert_eq!(span(120.0), "2 min");
        assert_eq!(span(3.5 * 3600.0), "3.5 h");
        assert_eq!(span(8.1 * 86_400.0), "8.1 days");
        assert_eq!(span(3e10), "951 years");
    }

    #[test]
    fn work_within_the_budget_passes_and_over_it_says_how_long() {
        assert_eq!(check_work("fit", 1e9, "take fewer iterations"), Ok(()));
        let err = check_work("fit", f64::INFINITY, "take fewer iterations").unwrap_err();
        assert!(matches!(
            err,
            LimitError::OverWorkBudget {
                estimate: Duration::MAX,
                ..
            }
        ));
        let text = err.to_string();
        assert!(text.contains("take fewer iterations"), "{text}");
        assert!(text.contains("set_work_budget"), "{text}");
    }

    #[test]
    fn byte_sizes_read_naturally() {
        assert_eq!(ByteSize(999).to_string(), "999 B");
        assert_eq!(ByteSize(512_000).to_string(), "512 kB");
        assert_eq!(ByteSize(16_000_000_008).to_string(), "16.0 GB");
    }
}
