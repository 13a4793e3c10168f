//! A Langevin trajectory growing over a [`ScoreField`], as an [`Animation`] or a [`Sweep`] over
//! its steps. The field is drawn once; each frame adds the path on a copy of it.

use crate::output::animation::Animation;
use crate::output::sweep::Sweep;
use crate::plot::PlotError;
use crate::plot::area::Area;
use crate::plot::canvas::Canvas;
use crate::plot::score_field::{Field, Path};
use crate::plot::shared_scales::Ranges;
use crate::plot::{Figure, ScoreField};

/// A trajectory growing over the field: the field without it, its points, and the last point
/// shown in each frame with its step number.
struct Growth {
    density: u32,
    field: Field,
    background: Canvas,
    points: Vec<(f64, f64)>,
    steps: Vec<usize>,
    numbers: Vec<usize>,
}

impl ScoreField<'_> {
    /// The trajectory growing over the field: `frames` frames from the start alone to the
    /// whole path, at 10 frames per second, the last frame held for 2 s; each frame shows its
    /// step t in the legend. Needs a [`trajectory`](Self::trajectory).
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.5], [0.5, 1.0]]])?;
    /// let path = Ula::new(0.05)?.run(&gm, &[2.5, -2.5], 100, 1)?;
    /// let field = ScoreField::new(&gm, -3.0..=3.0, -3.0..=3.0).arrows(15).size(300, 300);
    /// let anim = field.trajectory(&path).animate(11)?;
    /// assert_eq!(anim.len(), 11);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn animate(&self, frames: usize) -> Result<Animation, PlotError> {
        // At the field's density (2 by default), shown at its logical size.
        let growth = self.growth(frames)?;
        let mut delays = vec![10; frames];
        delays[frames - 1] = 200;
        Animation::from_rgb(frames, &delays, growth.density, |k| {
            Ok(self.grown(&growth, k)?.image().clone())
        })
    }

    /// The same frames as [`animate`](Self::animate), as a [`Sweep`] over the step t: a slider
    /// to go back and forth in time.
    pub fn sweep_steps(&self, frames: usize) -> Result<Sweep, PlotError> {
        // At the field's density, like a lone field (see `Sweep`).
        let growth = self.growth(frames)?;
        let labels = growth.numbers.iter().map(|t| t.to_string()).collect();
        Sweep::from_frames("step t", labels, |k| self.grown(&growth, k))
    }

    /// For a growing trajectory: the field without it (at the field's density), its points, and the last
    /// step of each of `frames` frames (evenly spaced from 0 to the end).
    fn growth(&self, frames: usize) -> Result<Growth, PlotError> {
        self.validate()?;
        let Some(trajectory) = self.trajectory_ref() else {
            return Err(PlotError::InvalidParameter {
                name: "trajectory",
                reason: "there is none to animate; add one with .trajectory(&path)".to_string(),
            });
        };
        crate::limits::FRAMES.check(frames)?;
        let density = self.pixel_density();
        let field = self.field(density)?;
        let points = field
            .path
            .as_ref()
            .map_or_else(Vec::new, |(p, _)| p.clone());
        let last = points.len().saturating_sub(1);
        let steps: Vec<usize> = (0..frames)
            .map(|k| (k as f64 * last as f64 / (frames - 1) as f64).round() as usize)
            .collect();
        let numbers = steps.iter().map(|&i| trajectory.steps()[i]).collect();
        let (w, h) = self.size_px();
        crate::limits::check_frame_pixels(frames, w * density, h * density)?;
        let mut background = Canvas::new(w, h, density)?;
        field.draw(&mut Area::new(&mut background), true, None, &Ranges::own());
        Ok(Growth {
            density,
            field,
            background,
            points,
            steps,
            numbers,
        })
    }

    /// Frame `k`: the field with the trajectory's states 0..=t drawn on it, t its step.
    fn grown(&self, growth: &Growth, k: usize) -> Result<Figure, PlotError> {
        let t = growth.steps[k];
        let mut canvas = growth.background.clone();
        let shown = &growth.points[..(t + 1).min(growth.points.len())];
        growth.field.draw(
            &mut Area::new(&mut canvas),
            false,
            Some(Path {
                points: shown,
                step: Some(growth.numbers[k]),
            }),
            &Ranges::own(),
        );
        Ok(Figure::from_canvas(canvas))
    }
}
