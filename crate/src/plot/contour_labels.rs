//! Contour labels set inline, as matplotlib's `clabel(inline=True)` sets them: on their line,
//! turned to its direction, the line broken beneath; none overlapping another label, the
//! plot's frame or a legend.
//!
//! Lines are polylines in canvas pixels. A line gets a label if it is at least twice as long
//! as the label is wide; the label goes to the first of a few spots along the line (middle
//! first) where the line is nearly straight under it and the label's turned box keeps clear
//! of everything placed before.

use super::color::Color;
use super::shapes::TurnedText;
use super::text_box::TextBox;

/// Gap (px) kept between a label and the line's ends where it is broken, and between labels.
const PAD: f64 = 2.0;
/// Spots along a line tried for its label, as fractions of its length.
const SPOTS: [f64; 7] = [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9];

/// Places labels and remembers where, so later ones keep clear.
pub(crate) struct Labeller {
    frame: TextBox,
    obstacles: Vec<TextBox>,
    labels: Vec<TurnedText>,
}

/// A polyline with the distance walked to each of its points.
struct Walk<'p> {
    points: &'p [(f32, f32)],
    distance: Vec<f64>,
}

impl<'p> Walk<'p> {
    fn new(points: &'p [(f32, f32)]) -> Walk<'p> {
        let mut distance = Vec::with_capacity(points.len());
        let mut total = 0.0;
        for (k, p) in points.iter().enumerate() {
            if k > 0 {
                let q = points[k - 1];
                total += f64::from(p.0 - q.0).hypot(f64::from(p.1 - q.1));
            }
            distance.push(total);
        }
        Walk { points, distance }
    }

    fn length(&self) -> f64 {
        self.distance.last().copied().unwrap_or(0.0)
    }

    /// The index of the segment holding distance `d`, and the point at `d`.
    fn at(&self, d: f64) -> (usize, (f32, f32)) {
        let k = self
            .distance
            .partition_point(|&x| x <= d)
            .clamp(1, self.points.len().max(2) - 1);
        let (a, b) = (self.points[k - 1], self.points[k]);
        let span = self.distance[k] - self.distance[k - 1];
        let f = if span > 0.0 {
            ((d - self.distance[k - 1]) / span).clamp(0.0, 1.0) as f32
        } else {
            0.0
        };
        (k, (a.0 + f * (b.0 - a.0), a.1 + f * (b.1 - a.1)))
    }

    /// The line up to distance `from` and from distance `to` on (empty pieces left out).
    fn without(&self, from: f64, to: f64) -> Vec<Vec<(f32, f32)>> {
        let (i, a) = self.at(from);
        let (j, b) = self.at(to);
        let mut before = self.points[..i].to_vec();
        before.push(a);
        let mut after = vec![b];
        after.extend_from_slice(&self.points[j..]);
        [before, after]
            .into_iter()
            .filter(|piece| piece.len() >= 2)
            .collect()
    }
}

impl Labeller {
    /// Labels inside `frame` (left, top, right, bottom, in canvas pixels), clear of `legend`.
    pub(crate) fn new(frame: (i32, i32, i32, i32), legend: Option<(i32, i32, i32, i32)>) -> Self {
        let boxed = |(l, t, r, b): (i32, i32, i32, i32)| TextBox {
            text: String::new(),
            x0: f64::from(l),
            y0: f64::from(t),
            x1: f64::from(r),
            y1: f64::from(b),
            angle: 0.0,
            axis: None,
        };
        Labeller {
            frame: boxed(frame),
            obstacles: legend.into_iter().map(boxed).collect(),
            labels: Vec::new(),
        }
    }

    /// Puts `label` (its text, size and colour; its centre and angle are chosen here) on the
    /// polyline `line` if there is room, and returns the line to draw: broken under the label,
    /// or whole.
    pub(crate) fn label(&mut self, line: &[(f32, f32)], label: TurnedText) -> Vec<Vec<(f32, f32)>> {
        let walk = Walk::new(line);
        let (w, h) = label.size();
        let half = 0.5 * w + PAD;
        let length = walk.length();
        if line.len() < 2 || length < 2.0 * w {
            return vec![line.to_vec()];
        }
        for f in SPOTS {
            let d = (f * length).clamp(half, length - half);
            let ((_, a), (_, centre), (_, b)) = (walk.at(d - half), walk.at(d), walk.at(d + half));
            let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
            // Nearly straight under the label: the chord almost as long as the arc.
            if dx.hypot(dy) < 0.9 * 2.0 * half {
                continue;
            }
            // Turned to the line's direction, kept upright (between −90° and 90°).
            let mut angle = (-dy).atan2(dx).to_degrees();
            if angle > 90.0 {
                angle -= 180.0;
            } else if angle <= -90.0 {
                angle += 180.0;
            }
            let (cx, cy) = (f64::from(centre.0), f64::from(centre.1));
            let spot = TextBox {
                text: String::new(),
                x0: cx - half,
                y0: cy - 0.5 * h,
                x1: cx + half,
                y1: cy + 0.5 * h,
                angle,
                axis: None,
            };
            let (l, t, r, bottom) = spot.bounds();
            let inside = l > self.frame.x0 + PAD
                && r < self.frame.x1 - PAD
                && t > self.frame.y0 + PAD
                && bottom < self.frame.y1 - PAD;
            if inside && !self.obstacles.iter().any(|o| spot.overlaps(o, -PAD)) {
                self.obstacles.push(spot);
                self.labels.push(TurnedText {
                    centre,
                    angle,
                    ..label
                });
                return walk.without(d - half, d + half);
            }
        }
        vec![line.to_vec()]
    }

    /// The labels placed, to draw over everything else.
    pub(crate) fn into_labels(self) -> Vec<TurnedText> {
        self.labels
    }
}

/// Contour label size (points): matplotlib's `clabel` default, the text size of the axes.
pub(crate) const LABEL_POINTS: f32 = 10.0;

/// A level's label as matplotlib's `clabel` sets it: `text` at 10 pt in its line's `color`
/// (not darkened); [`Labeller::label`] chooses its centre and angle.
pub(crate) fn level_label(text: String, color: Color) -> TurnedText {
    TurnedText {
        text,
        centre: (0.0, 0.0),
        angle: 0.0,
        size: LABEL_POINTS,
        color,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::canvas::{Canvas, Drawable};

    fn label(text: &str) -> TurnedText {
        TurnedText {
            text: text.to_string(),
            centre: (0.0, 0.0),
            angle: 0.0,
            size: 11.0,
            color: Color(0, 0, 0),
        }
    }

    #[test]
    fn a_level_label_is_ten_points_in_its_lines_own_colour() {
        // A pale level of the spectral map: its label is as pale as its line, as in matplotlib.
        let pale = Color(254, 224, 139);
        let mut label = level_label("−12.5".to_string(), pale);
        label.centre = (60.0, 20.0);
        let mut canvas = Canvas::new(120, 40, 2).unwrap();
        label.draw_on(&mut canvas);
        let inked: Vec<(u8, u8, u8)> = canvas
            .to_rgb()
            .pixels()
            .filter(|&p| p != 0xffffff)
            .map(|p| ((p >> 16) as u8, (p >> 8) as u8, p as u8))
            .collect();
        assert!(inked.len() > 100, "{} pixels", inked.len());
        // Anti-aliasing blends only towards white: no pixel darker than the colour, and the
        // glyphs' stems show the colour itself.
        let channels = |(r, g, b): (u8, u8, u8)| {
            [(r, pale.0), (g, pale.1), (b, pale.2)].map(|(c, l)| (i16::from(c), i16::from(l)))
        };
        for p in &inked {
            assert!(channels(*p).iter().all(|&(c, l)| c + 2 >= l), "{p:?}");
        }
        assert!(
            inked
                .iter()
                .any(|&p| channels(p).iter().all(|&(c, l)| c <= l + 2))
        );
        // 10 pt as the tick labels: as tall as a tick label's box.
        let (_, h) = label.size();
        let (_, tick_h) = crate::plot::text::measure("−12.5", 10);
        assert!((h - f64::from(tick_h)).abs() < 1.0, "{h} vs {tick_h}");
    }

    #[test]
    fn a_label_follows_a_diagonal_line_and_breaks_it() {
        let mut labeller = Labeller::new((0, 0, 400, 400), None);
        let line = [(50.0, 350.0), (350.0, 50.0)];
        let pieces = labeller.label(&line, label("-7.5"));
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        let labels = labeller.into_labels();
        assert_eq!(labels.len(), 1);
        // Up and to the right on screen is 45° counter-clockwise.
        assert!((labels[0].angle - 45.0).abs() < 1e-6, "{}", labels[0].angle);
        // The gap in the line is the label's width plus padding, centred on the label.
        let gap = f64::from(pieces[1][0].0 - pieces[0][1].0) * 2f64.sqrt();
        let (w, _) = label("-7.5").size();
        assert!((gap - (w + 2.0 * PAD)).abs() < 0.5, "gap {gap}, width {w}");
        assert_eq!(labels[0].centre, (200.0, 200.0));
    }

    #[test]
    fn labels_keep_clear_of_each_other_the_frame_and_the_legend() {
        // Two parallel lines 6 px apart: the second label may not sit next to the first.
        let mut labeller = Labeller::new((0, 0, 400, 400), Some((150, 90, 250, 130)));
        let a = labeller.label(&[(20.0, 200.0), (380.0, 200.0)], label("1"));
        let b = labeller.label(&[(20.0, 206.0), (380.0, 206.0)], label("2"));
        // A line through the legend keeps its label out of it.
        let c = labeller.label(&[(100.0, 110.0), (300.0, 110.0)], label("3"));
        // A line along the frame's edge has no room.
        let d = labeller.label(&[(0.0, 2.0), (400.0, 2.0)], label("4"));
        assert_eq!((a.len(), b.len(), c.len(), d.len()), (2, 2, 2, 1));
        let labels = labeller.into_labels();
        let boxes: Vec<TextBox> = labels
            .iter()
            .map(|l| {
                let (w, h) = l.size();
                let (x, y) = (f64::from(l.centre.0), f64::from(l.centre.1));
                TextBox {
                    text: l.text.clone(),
                    x0: x - w / 2.0,
                    y0: y - h / 2.0,
                    x1: x + w / 2.0,
                    y1: y + h / 2.0,
                    angle: l.angle,
                    axis: None,
                }
            })
            .collect();
        assert_eq!(boxes.len(), 3);
        assert!(!boxes[0].overlaps(&boxes[1], 0.0));
        let legend = TextBox {
            text: String::new(),
            x0: 150.0,
            y0: 90.0,
            x1: 250.0,
            y1: 130.0,
            angle: 0.0,
            axis: None,
        };
        assert!(!boxes[2].overlaps(&legend, 0.0), "{:?}", boxes[2]);
    }

    #[test]
    fn a_short_or_tightly_curved_line_keeps_no_label() {
        let mut labeller = Labeller::new((0, 0, 400, 400), None);
        assert_eq!(
            labeller
                .label(&[(100.0, 100.0), (110.0, 100.0)], label("-12.5"))
                .len(),
            1
        );
        // A small circle: no stretch is straight enough for the label.
        let circle: Vec<(f32, f32)> = (0..=40)
            .map(|k| {
                let t = k as f32 / 40.0 * std::f32::consts::TAU;
                (200.0 + 14.0 * t.cos(), 200.0 + 14.0 * t.sin())
            })
            .collect();
        assert_eq!(labeller.label(&circle, label("-12.5")).len(), 1);
        assert!(labeller.into_labels().is_empty());
    }
}
