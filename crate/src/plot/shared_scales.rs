//! [`Ranges`]: the data ranges a figure draws its scales with, so that the frames of a sweep
//! can share the same axes and contour levels and be compared.
//!
//! A figure passes the data range of each of its scales (a panel's y axis, the range its
//! contour levels span, …) through [`Ranges::shared`], in drawing order. Drawn on its own, every
//! range comes back unchanged and is remembered ([`Ranges::own`]); a sweep then redraws each
//! frame with [`Ranges::apply`] and the union of all frames' ranges, scale by scale.

use std::cell::RefCell;

/// The ranges one figure passed through [`Ranges::shared`], in order, each with its scale's
/// name.
pub(crate) type Scales = Vec<(&'static str, f64, f64)>;

/// The "scale" a legend passes the badness of each of its candidate positions through: the
/// frames of a sweep add theirs up ([`union`]), and every frame takes the position with the
/// least total.
pub(crate) const LEGEND_BADNESS: &str = "legend badness";

/// How a figure's scales get their ranges: from its own data, or from given ranges.
pub(crate) struct Ranges(RefCell<Mode>);

enum Mode {
    /// Ranges pass unchanged and are remembered.
    Own(Scales),
    /// The k-th range is replaced by the k-th of these when it is for the same scale.
    Apply(Scales, usize),
}

impl Ranges {
    /// Every scale spans its own data; the ranges are remembered ([`recorded`](Self::recorded)).
    pub(crate) fn own() -> Ranges {
        Ranges(RefCell::new(Mode::Own(Vec::new())))
    }

    /// The k-th scale drawn spans the k-th of `scales` when it has the same name (else its own
    /// data).
    pub(crate) fn apply(scales: &Scales) -> Ranges {
        Ranges(RefCell::new(Mode::Apply(scales.clone(), 0)))
    }

    /// The range to draw scale `name` with, for data spanning `lo..=hi`.
    pub(crate) fn shared(&self, name: &'static str, lo: f64, hi: f64) -> (f64, f64) {
        match &mut *self.0.borrow_mut() {
            Mode::Own(scales) => {
                scales.push((name, lo, hi));
                (lo, hi)
            }
            Mode::Apply(scales, next) => {
                let k = *next;
                *next += 1;
                match scales.get(k) {
                    Some(&(n, a, b)) if n == name => (a, b),
                    _ => (lo, hi),
                }
            }
        }
    }

    /// The ranges passed through [`shared`](Self::shared) so far, when they were the figure's
    /// own (none for [`apply`](Self::apply)).
    pub(crate) fn recorded(self) -> Scales {
        match self.0.into_inner() {
            Mode::Own(scales) => scales,
            Mode::Apply(..) => Vec::new(),
        }
    }
}

/// Scale by scale, the smallest interval holding every frame's range (frames whose scales
/// differ from the first frame's in number or names are left out); a legend's badness
/// ([`LEGEND_BADNESS`]) is summed instead.
pub(crate) fn union<'a>(frames: impl IntoIterator<Item = &'a Scales>) -> Scales {
    let mut frames = frames.into_iter();
    let Some(mut all) = frames.next().cloned() else {
        return Vec::new();
    };
    for frame in frames {
        let same = frame.len() == all.len() && frame.iter().zip(&all).all(|(f, a)| f.0 == a.0);
        if same {
            for (a, f) in all.iter_mut().zip(frame) {
                if a.0 == LEGEND_BADNESS {
                    (a.1, a.2) = (a.1 + f.1, a.2 + f.2);
                } else {
                    a.1 = a.1.min(f.1);
                    a.2 = a.2.max(f.2);
                }
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_ranges_pass_unchanged_and_applied_ones_replace_them_by_name() {
        let a = Ranges::own();
        assert_eq!(a.shared("y", 0.0, 1.0), (0.0, 1.0));
        let b = Ranges::own();
        assert_eq!(b.shared("y", -1.0, 0.5), (-1.0, 0.5));
        let all = union([&a.recorded(), &b.recorded()]);
        assert_eq!(all, vec![("y", -1.0, 1.0)]);
        assert_eq!(Ranges::apply(&all).shared("y", 0.2, 0.3), (-1.0, 1.0));
        // A scale of another name keeps its own range.
        assert_eq!(Ranges::apply(&all).shared("levels", 3.0, 4.0), (3.0, 4.0));
    }
}
