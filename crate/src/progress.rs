//! Progress of long work, shown in the notebook cell while it runs.
//!
//! The evcxr kernel (0.22) forwards a cell's standard output line by line while the cell runs,
//! but shows rich output (figures) only when the cell ends, and it has no way to update an
//! output in place: a carriage return does not redraw a line, each line is appended. So progress
//! is a few plain lines on standard output, ever further apart — after 1 s, 2 s, 4 s, 8 s, then
//! every 10 s — each with the work done and the time left:
//!
//! ```text
//! ULA: 25 000 000 of 200 000 000 steps (12 %), 2 s so far, about 14 s left
//! ```
//!
//! Work shorter than a second prints nothing. Before the first progress line of the process comes
//! a note that interrupting the Rust kernel loses its variables. Progress is shown by default
//! inside the evcxr kernel and nowhere else; [`set_show_progress`] changes that.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Work that has run this long shows its first progress line.
const FIRST_REPORT: Duration = Duration::from_secs(1);
/// The longest wait between two progress lines.
const MAX_INTERVAL: Duration = Duration::from_secs(10);

/// Printed once per process (each copy of the crate; the project's kernel loads one), before the
/// first progress line.
pub const INTERRUPT_NOTE: &str = "Note: interrupting the Rust kernel ends its worker process and \
loses every variable of the notebook. This cell stops by itself; scorelab refuses sizes that \
would run for minutes or exhaust memory before starting.";

/// `"1"` shows progress, `"0"` hides it; unset, the kernel decides. Like the memory budget,
/// this setting lives in the process environment, where a plain evcxr kernel, which links a
/// fresh copy of the crate with its own statics into every cell, still sees it in the next cell.
pub const SHOW_VARIABLE: &str = "SCORELAB_PROGRESS";
/// Set once the note on interrupting has been printed by this copy of the crate.
static NOTE_SHOWN: AtomicBool = AtomicBool::new(false);

/// Whether long work prints progress: by default only inside the evcxr kernel (whose worker
/// process has `EVCXR_IS_RUNTIME` set).
pub fn show_progress() -> bool {
    match std::env::var(SHOW_VARIABLE).as_deref() {
        Ok("1") => true,
        Ok("0") => false,
        _ => std::env::var_os("EVCXR_IS_RUNTIME").is_some(),
    }
}

/// Shows or hides progress lines from now on, in or out of a notebook. Call it from the
/// notebook cell's own thread, as any setting (see [`set_memory_budget`](crate::set_memory_budget)).
pub fn set_show_progress(show: bool) {
    crate::limits::store(SHOW_VARIABLE, if show { "1" } else { "0" }.to_string());
}

/// Tracks one long computation of `total` units and prints its progress when it is due.
///
/// ```
/// let mut progress = scorelab::Progress::new("ULA", "steps", 1_000);
/// for step in 1..=1_000u64 {
///     // ... one step of work ...
///     progress.update(step);
/// }
/// progress.finish();
/// ```
#[derive(Debug)]
pub struct Progress {
    task: &'static str,
    unit: &'static str,
    total: u64,
    started: Instant,
    next_report: Duration,
    shown: bool,
    enabled: bool,
}

impl Progress {
    /// Starts the clock on `total` units of `unit` (e.g. `"steps"`) of the work `task`.
    pub fn new(task: &'static str, unit: &'static str, total: u64) -> Self {
        Progress {
            task,
            unit,
            total,
            started: Instant::now(),
            next_report: FIRST_REPORT,
            shown: false,
            enabled: show_progress(),
        }
    }

    /// Records that `done` units are finished; prints a line if one is due. Cheap enough to
    /// call every few thousand operations (one clock read).
    pub fn update(&mut self, done: u64) {
        if !self.enabled {
            return;
        }
        if let Some(line) = self.due(done, self.started.elapsed()) {
            if !NOTE_SHOWN.swap(true, Ordering::Relaxed) {
                print_line(INTERRUPT_NOTE);
            }
            print_line(&line);
        }
    }

    /// Ends the work; if any progress was shown, prints how long it took.
    pub fn finish(self) {
        if self.shown {
            print_line(&self.summary(self.started.elapsed()));
        }
    }

    /// The progress line for `done` units after `elapsed`, if one is due; moves the schedule on.
    fn due(&mut self, done: u64, elapsed: Duration) -> Option<String> {
        if elapsed < self.next_report {
            return None;
        }
        self.next_report = (elapsed * 2).min(elapsed + MAX_INTERVAL);
        self.shown = true;
        let fraction = done as f64 / self.total.max(1) as f64;
        let left = if done == 0 {
            "time left unknown".to_string()
        } else {
            let seconds = elapsed.as_secs_f64() * (1.0 / fraction - 1.0);
            format!("about {} left", seconds_text(seconds))
        };
        Some(format!(
            "{}: {} of {} {} ({:.0} %), {} so far, {left}",
            self.task,
            grouped(done),
            grouped(self.total),
            self.unit,
            100.0 * fraction,
            seconds_text(elapsed.as_secs_f64()),
        ))
    }

    /// The closing line: the work and how long it took.
    fn summary(&self, elapsed: Duration) -> String {
        format!(
            "{}: {} {} in {}",
            self.task,
            grouped(self.total),
            self.unit,
            seconds_text(elapsed.as_secs_f64())
        )
    }
}

/// One line on standard output; a closed output is ignored (progress never fails the work).
fn print_line(line: &str) {
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// `1234567` as `"1 234 567"`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Seconds as `"14 s"`, or `"3 min 20 s"` from a minute on.
fn seconds_text(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {} s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker(total: u64) -> Progress {
        Progress {
            task: "ULA",
            unit: "steps",
            total,
            started: Instant::now(),
            next_report: FIRST_REPORT,
            shown: false,
            enabled: true,
        }
    }

    #[test]
    fn nothing_is_printed_in_the_first_second() {
        let mut p = tracker(100);
        assert_eq!(p.due(50, Duration::from_millis(900)), None);
        assert!(!p.shown);
    }

    #[test]
    fn a_line_gives_the_work_done_and_the_time_left() {
        let mut p = tracker(200_000_000);
        let line = p.due(25_000_000, Duration::from_secs(2)).unwrap();
        assert_eq!(
            line,
            "ULA: 25 000 000 of 200 000 000 steps (12 %), 2 s so far, about 14 s left"
        );
        assert_eq!(
            p.summary(Duration::from_secs(200)),
            "ULA: 200 000 000 steps in 3 min 20 s"
        );
    }

    #[test]
    fn lines_come_ever_further_apart_but_at_least_every_ten_seconds() {
        let mut p = tracker(1_000);
        let printed: Vec<u64> = (0..=60)
            .filter(|&s| p.due(s, Duration::from_secs(s)).is_some())
            .collect();
        assert_eq!(printed, [1, 2, 4, 8, 16, 26, 36, 46, 56]);
    }

    #[test]
    fn no_time_left_is_guessed_before_any_work_is_done() {
        let mut p = tracker(10);
        assert!(
            p.due(0, Duration::from_secs(1))
                .unwrap()
                .ends_with("time left unknown")
        );
    }
}
