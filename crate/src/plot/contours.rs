//! Contour lines of a function sampled on a regular grid (marching squares, `contour` crate).

use contour::ContourBuilder;

/// A function sampled at `nx × ny` points of `[x0, x1] × [y0, y1]`, row-major in y.
#[derive(Clone, PartialEq)]
pub(crate) struct Grid {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub nx: usize,
    pub ny: usize,
    /// The samples, non-finite ones replaced by a value below every finite one (they would
    /// break interpolation).
    values: Vec<f64>,
    /// Smallest and largest finite sample.
    finite: Option<(f64, f64)>,
}

impl Grid {
    /// The samples, row after row, non-finite ones replaced as described on the field.
    pub(crate) fn values(&self) -> &[f64] {
        &self.values
    }

    fn new(x: (f64, f64), y: (f64, f64), (nx, ny): (usize, usize), mut values: Vec<f64>) -> Grid {
        let finite_values = values.iter().copied().filter(|v| v.is_finite());
        let lo = finite_values.clone().fold(f64::INFINITY, f64::min);
        let hi = finite_values.fold(f64::NEG_INFINITY, f64::max);
        let finite = (lo <= hi).then_some((lo, hi));
        let floor = finite.map_or(0.0, |(lo, _)| lo) - 1.0;
        for v in values.iter_mut().filter(|v| !v.is_finite()) {
            *v = floor;
        }
        Grid {
            x0: x.0,
            x1: x.1,
            y0: y.0,
            y1: y.1,
            nx,
            ny,
            values,
            finite,
        }
    }

    /// Samples `f` at the grid points.
    #[allow(dead_code)] // the figures sample in batches; kept for point-by-point functions
    pub fn sample(
        x: (f64, f64),
        y: (f64, f64),
        (nx, ny): (usize, usize),
        mut f: impl FnMut(f64, f64) -> f64,
    ) -> Grid {
        let mut values = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            let yj = y.0 + (y.1 - y.0) * j as f64 / (ny - 1) as f64;
            for i in 0..nx {
                let xi = x.0 + (x.1 - x.0) * i as f64 / (nx - 1) as f64;
                values.push(f(xi, yj));
            }
        }
        Grid::new(x, y, (nx, ny), values)
    }

    /// Samples a batch function: `f(points, values)` gets every grid point as an (x, y) pair,
    /// in the order of [`sample`](Self::sample), and fills one value per point.
    pub fn sample_batch<E>(
        x: (f64, f64),
        y: (f64, f64),
        (nx, ny): (usize, usize),
        f: impl FnOnce(&[f64], &mut [f64]) -> Result<(), E>,
    ) -> Result<Grid, E> {
        let mut points = Vec::with_capacity(2 * nx * ny);
        for j in 0..ny {
            let yj = y.0 + (y.1 - y.0) * j as f64 / (ny - 1) as f64;
            for i in 0..nx {
                let xi = x.0 + (x.1 - x.0) * i as f64 / (nx - 1) as f64;
                points.extend_from_slice(&[xi, yj]);
            }
        }
        let mut values = vec![0.0; nx * ny];
        f(&points, &mut values)?;
        Ok(Grid::new(x, y, (nx, ny), values))
    }

    /// Smallest and largest finite value.
    pub fn finite_range(&self) -> Option<(f64, f64)> {
        self.finite
    }

    /// The polylines where the sampled function equals `level`, in data coordinates, cut where
    /// they leave the sampled box (marching squares closes rings along the border; those border
    /// runs are not level lines and are dropped).
    pub fn level_lines(&self, level: f64) -> Vec<Vec<(f64, f64)>> {
        let hx = (self.x1 - self.x0) / (self.nx - 1) as f64;
        let hy = (self.y1 - self.y0) / (self.ny - 1) as f64;
        // The contour crate puts sample i at cell centre i + 0.5.
        let builder = ContourBuilder::new(self.nx, self.ny, true)
            .x_origin(self.x0 - 0.5 * hx)
            .y_origin(self.y0 - 0.5 * hy)
            .x_step(hx)
            .y_step(hy);
        let Ok(lines) = builder.lines(&self.values, &[level]) else {
            return Vec::new();
        };
        let (ex, ey) = (1e-9 * hx, 1e-9 * hy);
        let inside = |x: f64, y: f64| {
            x >= self.x0 - ex && x <= self.x1 + ex && y >= self.y0 - ey && y <= self.y1 + ey
        };
        let mut out = Vec::new();
        for line in lines {
            for ring in &line.geometry().0 {
                let mut current: Vec<(f64, f64)> = Vec::new();
                for c in &ring.0 {
                    if inside(c.x, c.y) {
                        current.push((c.x, c.y));
                    } else if !current.is_empty() {
                        if current.len() > 1 {
                            out.push(std::mem::take(&mut current));
                        } else {
                            current.clear();
                        }
                    }
                }
                if current.len() > 1 {
                    out.push(current);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circle_level_lies_on_the_circle() {
        // f = -(x² + y²): the level -4 is the circle of radius 2.
        let grid = Grid::sample((-3.0, 3.0), (-3.0, 3.0), (121, 121), |x, y| {
            -(x * x + y * y)
        });
        let lines = grid.level_lines(-4.0);
        let n: usize = lines.iter().map(|l| l.len()).sum();
        assert!(n > 50);
        for (x, y) in lines.iter().flatten() {
            assert!(
                ((x * x + y * y).sqrt() - 2.0).abs() < 0.01,
                "({x}, {y}) is off the circle"
            );
        }
    }

    #[test]
    fn lines_stop_at_the_border() {
        // f = x: the level 0.5 is a vertical segment crossing the whole box.
        let grid = Grid::sample((-1.0, 1.0), (-1.0, 1.0), (41, 41), |x, _| x);
        let lines = grid.level_lines(0.5);
        assert!(!lines.is_empty());
        for (x, y) in lines.iter().flatten() {
            assert!((x - 0.5).abs() < 1e-9);
            assert!((-1.0..=1.0).contains(y));
        }
    }
}
