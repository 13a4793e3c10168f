//! Data ranges shared by the frames of a sweep, so that every frame has the same axes and the
//! same contour levels and frames can be compared.
//!
//! A figure passes the data range of each of its scales (a panel's y axis, the range its
//! contour levels span, …) through [`shared`], in drawing order. Outside a sweep the range
//! comes back unchanged. A sweep draws its frames in two passes: [`record`] collects every
//! frame's ranges, then [`apply`] draws each frame with the union of all frames' ranges, scale
//! by scale.

use std::cell::RefCell;

/// The ranges one frame passed through [`shared`], in order, each with its scale's name.
pub(crate) type Scales = Vec<(&'static str, f64, f64)>;

enum Mode {
    /// Ranges pass unchanged and are remembered.
    Record(Scales),
    /// The k-th range is replaced by the k-th of these when it is for the same scale.
    Apply(Scales, usize),
}

thread_local! {
    static MODE: RefCell<Option<Mode>> = const { RefCell::new(None) };
}

/// The range to draw scale `name` with, for data spanning `lo..=hi`.
pub(crate) fn shared(name: &'static str, lo: f64, hi: f64) -> (f64, f64) {
    MODE.with_borrow_mut(|mode| match mode {
        None => (lo, hi),
        Some(Mode::Record(scales)) => {
            scales.push((name, lo, hi));
            (lo, hi)
        }
        Some(Mode::Apply(scales, next)) => {
            let k = *next;
            *next += 1;
            match scales.get(k) {
                Some(&(n, a, b)) if n == name => (a, b),
                _ => (lo, hi),
            }
        }
    })
}

/// Runs `draw` (one frame), returning what it returned and the ranges it passed through
/// [`shared`].
pub(crate) fn record<T>(draw: impl FnOnce() -> T) -> (T, Scales) {
    let previous = MODE.replace(Some(Mode::Record(Vec::new())));
    let out = draw();
    let recorded = match MODE.replace(previous) {
        Some(Mode::Record(scales)) => scales,
        _ => Vec::new(),
    };
    (out, recorded)
}

/// Runs `draw` (one frame) with `scales` in place of the ranges it passes through [`shared`].
pub(crate) fn apply<T>(scales: &Scales, draw: impl FnOnce() -> T) -> T {
    let previous = MODE.replace(Some(Mode::Apply(scales.clone(), 0)));
    let out = draw();
    MODE.set(previous);
    out
}

/// Scale by scale, the smallest interval holding every frame's range (frames whose scales
/// differ from the first frame's in number or names are left out).
pub(crate) fn union<'a>(frames: impl IntoIterator<Item = &'a Scales>) -> Scales {
    let mut frames = frames.into_iter();
    let Some(mut all) = frames.next().cloned() else {
        return Vec::new();
    };
    for frame in frames {
        let same = frame.len() == all.len() && frame.iter().zip(&all).all(|(f, a)| f.0 == a.0);
        if same {
            for (a, f) in all.iter_mut().zip(frame) {
                a.1 = a.1.min(f.1);
                a.2 = a.2.max(f.2);
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_pass_unchanged_outside_a_sweep_and_take_the_union_inside() {
        assert_eq!(shared("y", 1.0, 2.0), (1.0, 2.0));
        let (_, a) = record(|| shared("y", 0.0, 1.0));
        let (_, b) = record(|| shared("y", -1.0, 0.5));
        let all = union([&a, &b]);
        assert_eq!(all, vec![("y", -1.0, 1.0)]);
        assert_eq!(apply(&all, || shared("y", 0.2, 0.3)), (-1.0, 1.0));
        // A scale of another name keeps its own range; after the frame, ranges pass again.
        assert_eq!(apply(&all, || shared("levels", 3.0, 4.0)), (3.0, 4.0));
        assert_eq!(shared("y", 5.0, 6.0), (5.0, 6.0));
    }
}
