//! A frame stored as what it changes over a base frame: a PNG that is transparent where the
//! two are equal, drawn over the base image. The frames of a sweep share their axes,
//! labels and most of their curves, so each overlay holds a few per cent of a frame's pixels
//! and deflates to a fraction of the frame's own PNG.

use std::collections::HashMap;

use crate::output::raster::{Effort, indexed_png, truecolour_png};
use crate::plot::PlotError;
use crate::plot::canvas::Rgb;

impl Rgb {
    /// The PNG that, drawn over `base` pixel for pixel, shows `self` exactly: `self`'s colour
    /// where the two images differ, transparent elsewhere. Indexed with a transparent first
    /// entry when the changed pixels have at most 255 colours, else RGBA.
    ///
    /// Errors when the two images differ in size.
    pub(crate) fn overlay_png(&self, base: &Rgb) -> Result<Vec<u8>, PlotError> {
        if (self.width, self.height) != (base.width, base.height) {
            return Err(PlotError::InvalidParameter {
                name: "overlay",
                reason: format!(
                    "a {}×{} image cannot be drawn over a {}×{} one",
                    self.width, self.height, base.width, base.height
                ),
            });
        }
        let changed: Vec<bool> = self
            .pixels()
            .zip(base.pixels())
            .map(|(c, b)| c != b)
            .collect();
        let mut index: HashMap<u32, u8> = HashMap::new();
        let mut palette = vec![0u8; 3];
        for (c, _) in self.pixels().zip(&changed).filter(|(_, d)| **d) {
            if index.contains_key(&c) {
                continue;
            }
            if index.len() == 255 {
                return self.rgba_overlay(&changed);
            }
            index.insert(c, (index.len() + 1) as u8);
            palette.extend_from_slice(&c.to_be_bytes()[1..]);
        }
        let indices: Vec<u8> = self
            .pixels()
            .zip(&changed)
            .map(|(c, d)| if *d { index[&c] } else { 0 })
            .collect();
        indexed_png(
            self.width,
            self.height,
            &indices,
            palette,
            Some(vec![0]),
            Effort::Small,
        )
    }

    /// The overlay as RGBA: unchanged pixels all zero, changed ones opaque.
    fn rgba_overlay(&self, changed: &[bool]) -> Result<Vec<u8>, PlotError> {
        let data: Vec<u8> = self
            .data
            .chunks_exact(3)
            .zip(changed)
            .flat_map(|(c, d)| if *d { [c[0], c[1], c[2], 255] } else { [0; 4] })
            .collect();
        truecolour_png(self.width, self.height, &data, 4, Effort::Small)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Rgb {
        let mut data = Vec::new();
        for y in 0..height {
            for x in 0..width {
                data.extend_from_slice(&pixel(x, y));
            }
        }
        Rgb {
            width,
            height,
            data,
        }
    }

    /// RGBA pixels of a PNG, as a browser decodes it.
    fn rgba(png: &[u8]) -> Vec<[u8; 4]> {
        let mut decoder = png::Decoder::new(png);
        decoder.set_transformations(png::Transformations::ALPHA);
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf[..info.buffer_size()]
            .chunks_exact(4)
            .map(|p| [p[0], p[1], p[2], p[3]])
            .collect()
    }

    /// `over` drawn on `base`, as the sweep's player composes them.
    fn composed(base: &Rgb, over: &[u8]) -> Rgb {
        let data = base
            .data
            .chunks_exact(3)
            .zip(rgba(over))
            .flat_map(|(b, o)| match o[3] {
                255 => [o[0], o[1], o[2]],
                0 => [b[0], b[1], b[2]],
                a => panic!("partial alpha {a}"),
            })
            .collect();
        Rgb {
            width: base.width,
            height: base.height,
            data,
        }
    }

    #[test]
    fn an_overlay_drawn_over_its_base_is_the_frame() {
        let base = image(120, 80, |x, y| {
            if (x + y) % 7 == 0 {
                [0, 0, 255]
            } else {
                [255; 3]
            }
        });
        // A few flat colours moved (indexed), then a shading of 120 × 80 colours (RGBA).
        let moved = image(120, 80, |x, y| match (x + 3 * y) % 11 {
            0 => [200, 30, 30],
            1 => [0, 0, 255],
            _ => [255; 3],
        });
        let shaded = image(120, 80, |x, y| [x as u8, y as u8, 40]);
        for (frame, indexed) in [(&moved, true), (&shaded, false), (&base, true)] {
            let over = frame.overlay_png(&base).unwrap();
            let info = png::Decoder::new(&over[..]).read_info().unwrap();
            assert_eq!(info.info().color_type == png::ColorType::Indexed, indexed);
            assert!(composed(&base, &over) == *frame);
        }
        // Over itself an overlay is all transparent and next to nothing.
        let nothing = base.overlay_png(&base).unwrap();
        assert!(rgba(&nothing).iter().all(|p| p[3] == 0));
        assert!(nothing.len() < 200, "{} bytes", nothing.len());
    }

    #[test]
    fn images_of_different_sizes_are_refused() {
        let (a, b) = (image(4, 4, |_, _| [0; 3]), image(4, 5, |_, _| [0; 3]));
        let err = a.overlay_png(&b).unwrap_err().to_string();
        assert!(err.contains("4×4") && err.contains("4×5"), "{err}");
    }
}
