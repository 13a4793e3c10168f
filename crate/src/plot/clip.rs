//! Clipping polylines to a rectangle, so nothing is drawn outside a chart's plotting area.

/// An axis-aligned box `[x0, x1] × [y0, y1]`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rect {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

impl Rect {
    pub fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.y0 && y <= self.y1
    }

    /// The part of segment `a → b` inside the box (Liang–Barsky), if any.
    pub fn clip_segment(&self, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        (t0 <= t1).then_some((
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        ))
    }

    /// The part of a polygon inside the box (Sutherland–Hodgman): a polygon again, empty if
    /// none is inside. A polygon that is not convex may come back with edges along the box's
    /// sides, which cover no area.
    pub fn clip_polygon(&self, polygon: &[(f64, f64)]) -> Vec<(f64, f64)> {
        // Each side as (which coordinate, bound, keep values above the bound).
        let sides = [
            (0, self.x0, true),
            (0, self.x1, false),
            (1, self.y0, true),
            (1, self.y1, false),
        ];
        let mut current = polygon.to_vec();
        for (axis, bound, above) in sides {
            let inside = |p: (f64, f64)| {
                let v = if axis == 0 { p.0 } else { p.1 };
                if above { v >= bound } else { v <= bound }
            };
            let cross = |a: (f64, f64), b: (f64, f64)| {
                let (va, vb) = if axis == 0 { (a.0, b.0) } else { (a.1, b.1) };
                let t = (bound - va) / (vb - va);
                let p = (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1));
                if axis == 0 {
                    (bound, p.1)
                } else {
                    (p.0, bound)
                }
            };
            let input = std::mem::take(&mut current);
            let Some(&last) = input.last() else {
                return Vec::new();
            };
            let mut prev = last;
            for &p in &input {
                match (inside(prev), inside(p)) {
                    (true, true) => current.push(p),
                    (true, false) => current.push(cross(prev, p)),
                    (false, true) => {
                        current.push(cross(prev, p));
                        current.push(p);
                    }
                    (false, false) => {}
                }
                prev = p;
            }
        }
        current
    }

    /// The pieces of a polyline inside the box.
    pub fn clip_polyline(&self, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
        let mut pieces = Vec::new();
        let mut current: Vec<(f64, f64)> = Vec::new();
        for w in points.windows(2) {
            match self.clip_segment(w[0], w[1]) {
                Some((p, q)) => {
                    if current.last() != Some(&p) {
                        if current.len() > 1 {
                            pieces.push(std::mem::take(&mut current));
                        }
                        current.clear();
                        current.push(p);
                    }
                    current.push(q);
                }
                None => {
                    if current.len() > 1 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
            }
        }
        if current.len() > 1 {
            pieces.push(current);
        }
        pieces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_leaving_and_reentering_is_split() {
        let r = Rect {
            x0: 0.0,
            x1: 1.0,
            y0: 0.0,
            y1: 1.0,
        };
        let pieces = r.clip_polyline(&[(0.5, 0.5), (1.5, 0.5), (1.5, 0.8), (0.5, 0.8)]);
        assert_eq!(
            pieces,
            vec![vec![(0.5, 0.5), (1.0, 0.5)], vec![(1.0, 0.8), (0.5, 0.8)]]
        );
        assert!(r.clip_segment((2.0, 2.0), (3.0, 3.0)).is_none());
    }

    #[test]
    fn a_polygon_across_a_side_is_cut_there() {
        let r = Rect {
            x0: 0.0,
            x1: 1.0,
            y0: 0.0,
            y1: 1.0,
        };
        let square = [(0.5, 0.25), (1.5, 0.25), (1.5, 0.75), (0.5, 0.75)];
        let cut = r.clip_polygon(&square);
        assert!(cut.iter().all(|&p| r.contains(p)), "{cut:?}");
        let area: f64 = (0..cut.len())
            .map(|i| {
                let (a, b) = (cut[i], cut[(i + 1) % cut.len()]);
                0.5 * (a.0 * b.1 - b.0 * a.1)
            })
            .sum();
        assert!((area.abs() - 0.25).abs() < 1e-12, "area {area}");
        assert!(
            r.clip_polygon(&[(2.0, 2.0), (3.0, 2.0), (3.0, 3.0)])
                .is_empty()
        );
    }
}
