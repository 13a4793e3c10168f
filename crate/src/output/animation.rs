//! [`Animation`]: frames over time as an animated GIF, shown inline in a notebook.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use crate::output::display::{evcxr_block, to_base64};
use crate::output::raster::Palette;
use crate::plot::Figure;
use crate::plot::PlotError;
use crate::plot::canvas::Rgb;
use crate::plot::figure::DENSITY;
use crate::progress::Progress;

/// The most frames an animation or a sweep may have ([`limits::FRAMES`](crate::limits::FRAMES)).
pub const MAX_FRAMES: usize = crate::limits::FRAMES.max;

/// A looping animated GIF.
///
/// GIF is shown by every notebook front end, trusted or not, and by any browser or image viewer.
/// Colours are reduced to the 255 most frequent ones of the first, middle and last frames (figures
/// are flat colours plus anti-aliased edges, so this is hard to see), and each frame after the
/// first stores only the pixels that changed, so a growing trajectory on a fixed field is cheap.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
/// // The score of N(0, 1) over widening x ranges, 5 frames at 4 frames per second.
/// let anim = Animation::new(5, 4.0, |k| {
///     Curves1d::new(&gm, -1.0 - k as f64..=1.0 + k as f64).size(320, 300).render()
/// })?;
/// assert_eq!(anim.len(), 5);
/// assert!(anim.gif().starts_with(b"GIF89a"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Animation {
    width: u32,
    height: u32,
    /// Device pixels per logical pixel of its frames: shown at `width / density`.
    density: u32,
    frames: usize,
    gif: Vec<u8>,
}

impl std::fmt::Debug for Animation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Animation({} frames of {}×{} px, {} bytes of GIF)",
            self.frames,
            self.width,
            self.height,
            self.gif.len()
        )
    }
}

impl Animation {
    /// Draws frame `k` with `frame(k)` for `k` in `0..frames` and plays them at `fps` frames per
    /// second, looping.
    ///
    /// Errors: `frames` not in `1..=1000`, `fps` not in `(0, 50]`, frames of different sizes,
    /// or the first frame whose drawing failed ([`PlotError::Frame`]).
    pub fn new<F>(frames: usize, fps: f64, mut frame: F) -> Result<Animation, PlotError>
    where
        F: FnMut(usize) -> Result<Figure, PlotError>,
    {
        check_frames(frames)?;
        let delay = frame_delay(fps)?;
        let mut progress = Progress::new("animation", "frames", frames as u64);
        // Every frame at the density of a lone figure, shown at its logical size.
        let figures = (0..frames)
            .map(|k| {
                let figure = frame(k)
                    .and_then(|figure| figure.with_density(DENSITY))
                    .and_then(|figure| {
                        let image = figure.image();
                        crate::limits::check_frame_pixels(frames, image.width, image.height)?;
                        Ok(figure)
                    })
                    .map_err(|e| PlotError::Frame {
                        index: k,
                        at: format!("frame {k} of {frames}"),
                        cause: Box::new(e),
                    });
                progress.update(k as u64 + 1);
                figure
            })
            .collect::<Result<Vec<_>, _>>()?;
        progress.finish();
        Animation::from_figures(&figures, delay)
    }

    fn from_figures(figures: &[Figure], delay: u16) -> Result<Animation, PlotError> {
        let delays = vec![delay; figures.len()];
        let mut animation = encode(figures.len(), &delays, |k| Ok(figures[k].image().clone()))?;
        animation.density = DENSITY;
        Ok(animation)
    }

    /// Encodes `frames` RGB frames made by `frame(k)` at `density` device pixels per logical
    /// pixel, frame `k` shown for `delays[k]` hundredths of a second. `frame` is called for a few sample frames first (to choose the
    /// palette) and then once per frame in order, so it should be cheap or cached.
    pub(crate) fn from_rgb<F>(
        frames: usize,
        delays: &[u16],
        density: u32,
        frame: F,
    ) -> Result<Animation, PlotError>
    where
        F: FnMut(usize) -> Result<Rgb, PlotError>,
    {
        check_frames(frames)?;
        let mut animation = encode(frames, delays, frame)?;
        animation.density = density.max(1);
        Ok(animation)
    }

    /// Number of frames.
    pub fn len(&self) -> usize {
        self.frames
    }

    /// Whether there are no frames (never true: an animation has at least one).
    pub fn is_empty(&self) -> bool {
        self.frames == 0
    }

    /// Width of the GIF in pixels (its [`density`](Self::density) times the width it shows at).
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height of the GIF in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Pixels of the GIF per logical pixel: 2 for frames drawn as a lone figure is, so the
    /// animation is sharp on a high-density screen.
    pub fn density(&self) -> u32 {
        self.density
    }

    /// The GIF file's bytes.
    pub fn gif(&self) -> &[u8] {
        &self.gif
    }

    /// Writes the animation as a GIF file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), PlotError> {
        let mut file = std::fs::File::create(path)?;
        file.write_all(&self.gif)?;
        Ok(())
    }

    /// Shows the animation inline in an evcxr notebook (called by the kernel): at density 1 as
    /// image/gif; denser, as an HTML `<img>` of the logical size carrying the GIF (as
    /// [`Figure::to_html`] does), so a high-density screen shows every pixel of it.
    pub fn evcxr_display(&self) {
        print!("{}", self.display_block());
    }

    /// What [`evcxr_display`](Self::evcxr_display) prints.
    fn display_block(&self) -> String {
        let gif = to_base64(&self.gif);
        if self.density <= 1 {
            return evcxr_block("image/gif", &gif);
        }
        let (w, h) = (self.width / self.density, self.height / self.density);
        let img = format!(
            r#"<img src="data:image/gif;base64,{gif}" width="{w}" height="{h}" alt="animation, {} frames, {w}×{h} px">"#,
            self.frames
        );
        evcxr_block("text/html", &img)
    }
}

fn check_frames(frames: usize) -> Result<(), PlotError> {
    crate::limits::ANIMATION_FRAMES.check(frames)?;
    Ok(())
}

/// The GIF delay, in hundredths of a second, of one frame at `fps` frames per second.
pub(crate) fn frame_delay(fps: f64) -> Result<u16, PlotError> {
    if fps > 0.0 && fps <= 50.0 {
        Ok((100.0 / fps).round().max(2.0) as u16)
    } else {
        Err(PlotError::InvalidParameter {
            name: "fps",
            reason: format!("{fps} frames per second is not within (0, 50]"),
        })
    }
}

/// Index 255 is never a colour: it marks the pixels a frame leaves unchanged.
const TRANSPARENT: u8 = 255;

fn encode<F>(frames: usize, delays: &[u16], mut frame: F) -> Result<Animation, PlotError>
where
    F: FnMut(usize) -> Result<Rgb, PlotError>,
{
    let failed = |k: usize, e: PlotError| PlotError::Frame {
        index: k,
        at: format!("frame {k} of {frames}"),
        cause: Box::new(e),
    };
    let mut samples: Vec<usize> = vec![0, frames / 2, frames - 1];
    samples.dedup();
    let sampled = samples
        .iter()
        .map(|&k| frame(k).map_err(|e| failed(k, e)))
        .collect::<Result<Vec<_>, _>>()?;
    let (width, height) = (sampled[0].width, sampled[0].height);
    let mut palette = Palette::frequent(&sampled, TRANSPARENT as usize);
    drop(sampled);
    let mut colors = palette.to_bytes();
    colors.resize(256 * 3, 0);

    let mut gif = Vec::new();
    {
        let mut encoder =
            gif::Encoder::new(&mut gif, width as u16, height as u16, &colors).map_err(gif_error)?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(gif_error)?;
        let mut previous: Option<Vec<u8>> = None;
        for k in 0..frames {
            let image = frame(k).map_err(|e| failed(k, e))?;
            if (image.width, image.height) != (width, height) {
                return Err(failed(
                    k,
                    PlotError::InvalidParameter {
                        name: "frame size",
                        reason: format!(
                            "{}×{} px, but the first frame is {width}×{height} px",
                            image.width, image.height
                        ),
                    },
                ));
            }
            let indices = palette.indices(&image);
            let delay = delays.get(k).copied().unwrap_or(10);
            let gif_frame = match &previous {
                None => gif::Frame {
                    width: width as u16,
                    height: height as u16,
                    delay,
                    buffer: Cow::Borrowed(&indices),
                    ..gif::Frame::default()
                },
                Some(previous) => changed_part(previous, &indices, width as usize, delay),
            };
            encoder.write_frame(&gif_frame).map_err(gif_error)?;
            previous = Some(indices);
        }
    }
    Ok(Animation {
        width,
        height,
        density: 1,
        frames,
        gif,
    })
}

/// The smallest rectangle holding every pixel that differs from `previous`, with unchanged
/// pixels inside it transparent (so they compress to almost nothing); a single transparent
/// pixel when nothing changed.
fn changed_part(previous: &[u8], current: &[u8], width: usize, delay: u16) -> gif::Frame<'static> {
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for (i, (a, b)) in previous.iter().zip(current).enumerate() {
        if a != b {
            let (x, y) = (i % width, i / width);
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    let mut frame = gif::Frame {
        delay,
        transparent: Some(TRANSPARENT),
        dispose: gif::DisposalMethod::Keep,
        ..gif::Frame::default()
    };
    if x0 == usize::MAX {
        frame.width = 1;
        frame.height = 1;
        frame.buffer = Cow::Owned(vec![TRANSPARENT]);
        return frame;
    }
    let mut buffer = Vec::with_capacity((x1 - x0 + 1) * (y1 - y0 + 1));
    for y in y0..=y1 {
        let row = y * width;
        for x in x0..=x1 {
            let (a, b) = (previous[row + x], current[row + x]);
            buffer.push(if a == b { TRANSPARENT } else { b });
        }
    }
    frame.left = x0 as u16;
    frame.top = y0 as u16;
    frame.width = (x1 - x0 + 1) as u16;
    frame.height = (y1 - y0 + 1) as u16;
    frame.buffer = Cow::Owned(buffer);
    frame
}

fn gif_error(err: gif::EncodingError) -> PlotError {
    match err {
        gif::EncodingError::Io(err) => PlotError::Io(err),
        other => PlotError::Io(std::io::Error::other(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trajectory_animation_is_drawn_at_2x_and_shown_at_its_logical_size() {
        use crate::prelude::*;
        let gm = GaussianMixture::new(&[1.0], &[[0.0, 0.0]], &[[[1.0, 0.5], [0.5, 1.0]]]).unwrap();
        let path = Ula::new(0.05)
            .unwrap()
            .run(&gm, &[2.5, -2.5], 40, 1)
            .unwrap();
        let field = ScoreField::new(&gm, -3.0..=3.0, -3.0..=3.0)
            .arrows(10)
            .size(300, 280)
            .trajectory(&path);
        let anim = field.animate(4).unwrap();
        assert_eq!((anim.width(), anim.height(), anim.density()), (600, 560, 2));
        let block = anim.display_block();
        assert!(
            block.starts_with("EVCXR_BEGIN_CONTENT text/html\n<img src=\"data:image/gif;base64,")
        );
        assert!(block.contains(r#"width="300" height="280""#));
        let sweep = field.sweep_steps(3).unwrap();
        assert_eq!(sweep.frames()[0].image().width, 600);
    }

    /// A `size × size` white frame with a black square of side `k + 1` in the top-left corner.
    fn square(size: u32, k: usize) -> Rgb {
        let mut image = Rgb {
            width: size,
            height: size,
            data: vec![255; 3 * (size * size) as usize],
        };
        for y in 0..=k {
            for x in 0..=k {
                let i = 3 * (y * size as usize + x);
                image.data[i..i + 3].copy_from_slice(&[0, 0, 0]);
            }
        }
        image
    }

    /// Decodes every frame composited onto the canvas, as RGBA.
    fn decode(gif: &[u8]) -> Vec<Vec<u8>> {
        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(gif).unwrap();
        let (w, h) = (decoder.width() as usize, decoder.height() as usize);
        let mut canvas = vec![0u8; w * h * 4];
        let mut out = Vec::new();
        while let Some(frame) = decoder.read_next_frame().unwrap() {
            for y in 0..frame.height as usize {
                for x in 0..frame.width as usize {
                    let src = 4 * (y * frame.width as usize + x);
                    if frame.buffer[src + 3] == 0 {
                        continue; // transparent: keep what is there
                    }
                    let dst = 4 * ((frame.top as usize + y) * w + frame.left as usize + x);
                    canvas[dst..dst + 4].copy_from_slice(&frame.buffer[src..src + 4]);
                }
            }
            out.push(canvas.clone());
        }
        out
    }

    #[test]
    fn frames_decode_to_what_was_drawn() {
        let anim = Animation::from_rgb(6, &[10; 6], 1, |k| Ok(square(20, k.min(3)))).unwrap();
        assert!(anim.gif().starts_with(b"GIF89a"));
        let frames = decode(anim.gif());
        assert_eq!(frames.len(), 6);
        for (k, rgba) in frames.iter().enumerate() {
            let black = rgba.chunks_exact(4).filter(|p| p[..3] == [0, 0, 0]).count();
            assert_eq!(black, (k.min(3) + 1).pow(2), "frame {k}");
        }
    }

    #[test]
    fn later_frames_store_only_what_changed() {
        let one = Animation::from_rgb(1, &[10], 1, |_| Ok(square(200, 0))).unwrap();
        let many = Animation::from_rgb(50, &[10; 50], 1, |k| Ok(square(200, k / 10))).unwrap();
        // 49 more frames, each at most a 5 × 5 change: far less than 49 full frames.
        assert!(many.gif().len() < one.gif().len() + 49 * 100, "{many:?}");
    }

    #[test]
    fn bad_parameters_are_errors() {
        let err = Animation::from_rgb(0, &[], 1, |_| Ok(square(20, 0))).unwrap_err();
        assert!(err.to_string().contains("frames"), "{err}");
        assert!(frame_delay(0.0).is_err() && frame_delay(f64::NAN).is_err());
        assert!(frame_delay(51.0).is_err());
        assert_eq!(frame_delay(10.0).unwrap(), 10);
        let err =
            Animation::from_rgb(3, &[10; 3], 1, |k| Ok(square(20 + k as u32, 0))).unwrap_err();
        assert!(
            matches!(&err, PlotError::Frame { index: 1, cause, .. }
                if cause.to_string().contains("first frame is 20×20")),
            "{err}"
        );
    }
}
