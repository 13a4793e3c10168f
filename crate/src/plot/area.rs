//! [`Area`]: a rectangle of whole logical pixels on a [`Canvas`], the part of a figure one
//! panel, plot or colour bar is laid out in.

use super::canvas::{Canvas, Drawable};
use super::color::Color;
use super::text::TextStyle;
use super::text_box::TickAxis;

/// A rectangle of whole logical pixels: columns `x0..x1`, rows `y0..y1` (canvas pixels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Region {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

impl Region {
    /// Its size (width, height) in pixels (0 across a side cut to nothing).
    pub(crate) fn size(&self) -> (u32, u32) {
        let side = |a: i32, b: i32| (b - a).max(0) as u32;
        (side(self.x0, self.x1), side(self.y0, self.y1))
    }

    /// The region less `top`, `bottom`, `left` and `right` pixels on each side.
    pub(crate) fn margin(&self, top: i32, bottom: i32, left: i32, right: i32) -> Region {
        Region {
            x0: self.x0 + left,
            y0: self.y0 + top,
            x1: self.x1 - right,
            y1: self.y1 - bottom,
        }
    }

    /// The region cut at `x` pixels from its left edge: (left part, right part).
    pub(crate) fn split_at_x(&self, x: i32) -> (Region, Region) {
        let cut = self.x0 + x;
        (Region { x1: cut, ..*self }, Region { x0: cut, ..*self })
    }

    /// `rows × cols` regions tiling this one row after row, the first `size % n` of each
    /// direction one pixel larger.
    pub(crate) fn split_evenly(&self, rows: usize, cols: usize) -> Vec<Region> {
        let cut = |from: i32, to: i32, n: usize, i: usize| {
            let size = (to - from).max(0) as usize;
            from + (i * (size / n)) as i32 + i.min(size % n) as i32
        };
        (0..rows)
            .flat_map(|r| (0..cols).map(move |c| (r, c)))
            .map(|(r, c)| Region {
                x0: cut(self.x0, self.x1, cols, c),
                x1: cut(self.x0, self.x1, cols, c + 1),
                y0: cut(self.y0, self.y1, rows, r),
                y1: cut(self.y0, self.y1, rows, r + 1),
            })
            .collect()
    }

    /// The grid the breakpoints `xs` and `ys` (pixels from the top-left corner) cut the region
    /// into, row after row; breakpoints are sorted with the edges, so a breakpoint outside the
    /// region gives an empty cell instead of a negative one.
    pub(crate) fn grid(&self, xs: [i32; 2], ys: [i32; 2]) -> Vec<Region> {
        let mut x = [self.x0, self.x1, self.x0 + xs[0], self.x0 + xs[1]];
        let mut y = [self.y0, self.y1, self.y0 + ys[0], self.y0 + ys[1]];
        x.sort_unstable();
        y.sort_unstable();
        y.windows(2)
            .flat_map(|ys| {
                x.windows(2).map(move |xs| Region {
                    x0: xs[0],
                    x1: xs[1],
                    y0: ys[0],
                    y1: ys[1],
                })
            })
            .collect()
    }
}

/// A [`Region`] of a canvas to draw on; coordinates given to it are relative to its top-left
/// corner unless a method says otherwise.
pub(crate) struct Area<'a> {
    pub(crate) canvas: &'a mut Canvas,
    pub(crate) region: Region,
}

impl<'a> Area<'a> {
    /// The whole canvas.
    pub(crate) fn new(canvas: &'a mut Canvas) -> Area<'a> {
        let (w, h) = canvas.size();
        Area {
            canvas,
            region: Region {
                x0: 0,
                y0: 0,
                x1: w as i32,
                y1: h as i32,
            },
        }
    }

    /// Another region of the same canvas, to draw on for a while.
    pub(crate) fn at(&mut self, region: Region) -> Area<'_> {
        Area {
            canvas: self.canvas,
            region,
        }
    }

    /// The canvas position of the area's top-left corner.
    pub(crate) fn base(&self) -> (i32, i32) {
        (self.region.x0, self.region.y0)
    }

    /// Its size (width, height) in pixels.
    pub(crate) fn size(&self) -> (u32, u32) {
        self.region.size()
    }

    /// Canvas coordinates of the point `(x, y)` relative to the area.
    pub(crate) fn absolute(&self, (x, y): (i32, i32)) -> (i32, i32) {
        (x + self.region.x0, y + self.region.y0)
    }

    /// Paints `item`, which is placed in canvas coordinates.
    pub(crate) fn draw(&mut self, item: &impl Drawable) {
        item.draw_on(self.canvas);
    }

    /// A polyline through the pixels `points` (see [`Canvas::stroke`]).
    pub(crate) fn stroke(&mut self, points: &[(i32, i32)], color: Color, width: u32, closed: bool) {
        let points: Vec<(i32, i32)> = points.iter().map(|&p| self.absolute(p)).collect();
        self.canvas.stroke(&points, color, width, closed);
    }

    /// A filled rectangle of whole pixels (see [`Canvas::fill_rect`]).
    pub(crate) fn fill_rect(&mut self, a: (i32, i32), b: (i32, i32), color: Color, alpha: f64) {
        let (a, b) = (self.absolute(a), self.absolute(b));
        self.canvas.fill_rect(a, b, color, alpha);
    }

    /// A disc around a pixel's centre (see [`Canvas::fill_circle`]).
    pub(crate) fn fill_circle(&mut self, at: (i32, i32), radius: u32, color: Color, alpha: f64) {
        let at = self.absolute(at);
        self.canvas.fill_circle(at, radius, color, alpha);
    }

    /// A line of text (see [`Canvas::text`]).
    pub(crate) fn text(
        &mut self,
        markup: &str,
        at: (i32, i32),
        style: TextStyle,
        axis: Option<TickAxis>,
    ) {
        let at = self.absolute(at);
        self.canvas.text(markup, at, style, axis);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn even_splits_tile_the_region_with_the_remainder_first() {
        let r = Region {
            x0: 0,
            y0: 10,
            x1: 10,
            y1: 17,
        };
        let parts = r.split_evenly(3, 1);
        let rows: Vec<(i32, i32)> = parts.iter().map(|p| (p.y0, p.y1)).collect();
        assert_eq!(rows, vec![(10, 13), (13, 15), (15, 17)]);
        assert!(parts.iter().all(|p| (p.x0, p.x1) == (0, 10)));
    }

    #[test]
    fn a_grid_with_a_breakpoint_outside_has_empty_cells_not_negative_ones() {
        let r = Region {
            x0: 0,
            y0: 0,
            x1: 50,
            y1: 40,
        };
        let cells = r.grid([62, 50], [0, 40 - 46]);
        assert_eq!(cells.len(), 9);
        assert!(cells.iter().all(|c| c.x1 >= c.x0 && c.y1 >= c.y0));
    }
}
