//! [`TextBox`]: where a figure put a piece of text, upright or turned, and whether two such
//! boxes overlap.

/// Which axis a tick label belongs to: its direction and the plot's bottom-left corner (canvas
/// pixels), which tells panels apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TickAxis {
    /// The x axis (`true`) or the y axis.
    pub horizontal: bool,
    /// Left edge of the plot.
    pub x: i32,
    /// Bottom edge of the plot.
    pub y: i32,
}

/// A piece of text a figure shows, and where: its box in logical pixels (x to the right, y
/// down, from the figure's top-left corner), turned by `angle` about the box's centre.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    /// The text as the reader sees it (markup such as `p_{σ}` resolved to `pσ`).
    pub text: String,
    /// Left edge (before turning).
    pub x0: f64,
    /// Top edge (before turning).
    pub y0: f64,
    /// Right edge (before turning).
    pub x1: f64,
    /// Bottom edge (before turning).
    pub y1: f64,
    /// How far the text is turned about the box's centre, in degrees counter-clockwise as the
    /// reader sees it (0 for most text; a contour label follows its line). Text set vertically,
    /// such as a y-axis label, has angle 0 and a tall box.
    pub angle: f64,
    /// For a tick label, the axis it labels.
    pub axis: Option<TickAxis>,
}

impl TextBox {
    /// The corners as drawn (turned), in order around the box.
    pub fn corners(&self) -> [(f64, f64); 4] {
        let (cx, cy) = (0.5 * (self.x0 + self.x1), 0.5 * (self.y0 + self.y1));
        let (hw, hh) = (0.5 * (self.x1 - self.x0), 0.5 * (self.y1 - self.y0));
        // Along the text and across it, on a screen whose y axis points down.
        let (c, s) = (self.angle.to_radians().cos(), self.angle.to_radians().sin());
        let (along, across) = ((c, -s), (s, c));
        [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)].map(|(a, b)| {
            (
                cx + a * hw * along.0 + b * hh * across.0,
                cy + a * hw * along.1 + b * hh * across.1,
            )
        })
    }

    /// The smallest unturned box holding the text as drawn: (left, top, right, bottom).
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        self.corners().iter().fold(
            (
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ),
            |(l, t, r, b), &(x, y)| (l.min(x), t.min(y), r.max(x), b.max(y)),
        )
    }

    /// Whether two boxes, as drawn, share more than `tolerance` pixels in every direction
    /// (a negative tolerance asks whether they come closer than that). Turned boxes are
    /// compared along the sides of both (separating axes), so a label on a diagonal line
    /// overlaps only what it really covers.
    pub fn overlaps(&self, other: &TextBox, tolerance: f64) -> bool {
        let (a, b) = (self.corners(), other.corners());
        let sides = |c: &[(f64, f64); 4]| {
            [
                (c[1].0 - c[0].0, c[1].1 - c[0].1),
                (c[3].0 - c[0].0, c[3].1 - c[0].1),
            ]
        };
        sides(&a).into_iter().chain(sides(&b)).all(|(dx, dy)| {
            let n = dx.hypot(dy);
            if n == 0.0 {
                return true;
            }
            let project = |c: &[(f64, f64); 4]| {
                c.iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                        let v = (p.0 * dx + p.1 * dy) / n;
                        (lo.min(v), hi.max(v))
                    })
            };
            let ((a0, a1), (b0, b1)) = (project(&a), project(&b));
            a1.min(b1) - a0.max(b0) > tolerance
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turned_boxes_overlap_only_where_they_really_do() {
        let turned = |cx: f64, cy: f64, angle: f64| TextBox {
            text: String::new(),
            x0: cx - 30.0,
            y0: cy - 5.0,
            x1: cx + 30.0,
            y1: cy + 5.0,
            angle,
            axis: None,
        };
        // Two labels on parallel diagonals 14 px apart: their upright bounds overlap, the
        // labels do not.
        let (a, b) = (turned(100.0, 100.0, 45.0), turned(110.0, 110.0, 45.0));
        let (al, at, ar, ab) = a.bounds();
        let (bl, bt, _, _) = b.bounds();
        assert!(bl < ar && bt < ab && al < bl && at < bt);
        assert!(!a.overlaps(&b, 0.0));
        // Crossing labels overlap; an upright box is compared as before.
        assert!(a.overlaps(&turned(100.0, 100.0, -45.0), 0.5));
        assert!(turned(0.0, 0.0, 0.0).overlaps(&turned(50.0, 0.0, 0.0), 0.5));
        assert!(!turned(0.0, 0.0, 0.0).overlaps(&turned(61.0, 0.0, 0.0), 0.0));
        // A negative tolerance asks for a gap: 1 px apart is closer than 2.
        assert!(turned(0.0, 0.0, 0.0).overlaps(&turned(61.0, 0.0, 0.0), -2.0));
    }
}
