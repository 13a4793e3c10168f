//! How RGB images become PNG (lossless, indexed when the
//! image has few colours) or palette indices for GIF.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;

use flate2::write::ZlibEncoder;

use crate::plot::PlotError;
use crate::plot::canvas::Rgb;

/// zlib level for figure PNGs: at 2 a 700 × 700 figure deflates in a few milliseconds and is
/// within 10 % of the default level's size (which takes 20+ ms).
const DEFLATE_LEVEL: u32 = 2;

/// Deflated image data over this many bytes is deflated again at [`LARGE_LEVEL`]: 5-10 %
/// smaller, which keeps a 2× score field with a trajectory within a figure's 250 kB.
const LARGE: usize = 235_000;
const LARGE_LEVEL: u32 = 6;

/// zlib level for a live frame: at 1 the 2× score field with a trajectory deflates in 5 ms
/// (17 % larger than at 2, which takes 9 ms; the second pass at 6 takes 35 ms more).
const FAST_LEVEL: u32 = 1;

/// How hard [`Rgb::to_png_with`] works on the size of the PNG. Both efforts store the same
/// encoding (indexed or truecolour) and the same filtered rows, so the pixels are the same;
/// only the deflate differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effort {
    /// A figure kept in a notebook: deflated at [`DEFLATE_LEVEL`], and again at
    /// [`LARGE_LEVEL`] where that leaves more than [`LARGE`] bytes.
    Small,
    /// A live frame, shown while a slider moves and replaced by the next: one deflate at
    /// [`FAST_LEVEL`].
    Fast,
}

impl Rgb {
    /// Encodes the image as PNG, choosing the encoding from its colours: indexed and exact
    /// when it has at most 256; indexed with its 256 most frequent colours when they cover at
    /// least [`PALETTE_SHARE`] of its pixels (a figure of flat colours, where only rare
    /// anti-aliasing blends take the nearest of them); else truecolour (a heat map's shading,
    /// where a palette would band), each row filtered as [`truecolour_rows`] chooses.
    pub(crate) fn to_png(&self) -> Result<Vec<u8>, PlotError> {
        self.to_png_with(Effort::Small)
    }

    /// [`to_png`](Self::to_png), deflated with the given [`Effort`].
    pub(crate) fn to_png_with(&self, effort: Effort) -> Result<Vec<u8>, PlotError> {
        if let Some(palette) = Palette::exact(self, 256) {
            return self.to_indexed_png(palette, effort);
        }
        let palette = Palette::frequent([self], 256);
        if palette.covered >= PALETTE_SHARE * self.pixels_len() as f64 {
            return self.to_indexed_png(palette, effort);
        }
        truecolour_png(self.width, self.height, &self.data, 3, effort)
    }

    fn pixels_len(&self) -> usize {
        self.width as usize * self.height as usize
    }

    /// The image `factor` times smaller on each side, each pixel the mean of the `factor ×
    /// factor` block it covers (the sides must be multiples of `factor`, as a canvas drawn at
    /// density `factor` is).
    pub(crate) fn downsample(&self, factor: u32) -> Rgb {
        let f = factor.max(1) as usize;
        let (w, h) = (self.width as usize / f, self.height as usize / f);
        let stride = self.width as usize * 3;
        let mut sums = vec![0u32; w * 3];
        let mut data = Vec::with_capacity(w * h * 3);
        let (n, half) = ((f * f) as u32, (f * f) as u32 / 2);
        for y in 0..h {
            sums.fill(0);
            for row in self.data[y * f * stride..].chunks_exact(stride).take(f) {
                for (x, block) in row[..w * f * 3].chunks_exact(3 * f).enumerate() {
                    for px in block.chunks_exact(3) {
                        for c in 0..3 {
                            sums[3 * x + c] += u32::from(px[c]);
                        }
                    }
                }
            }
            data.extend(sums.iter().map(|&s| ((s + half) / n) as u8));
        }
        Rgb {
            width: w as u32,
            height: h as u32,
            data,
        }
    }

    fn to_indexed_png(&self, mut palette: Palette, effort: Effort) -> Result<Vec<u8>, PlotError> {
        let indices = palette.indices(self);
        indexed_png(
            self.width,
            self.height,
            &indices,
            palette.to_bytes(),
            None,
            effort,
        )
    }
}

/// The PNG of a `width × height` image of palette indices, one byte per pixel, into `palette`
/// (`R, G, B` bytes per colour), with `transparent` as its tRNS chunk (the alpha of the first
/// entries); rows filtered by [`index_rows`] and packed to the fewest bits the palette needs.
pub(crate) fn indexed_png(
    width: u32,
    height: u32,
    indices: &[u8],
    palette: Vec<u8>,
    transparent: Option<Vec<u8>>,
    effort: Effort,
) -> Result<Vec<u8>, PlotError> {
    let (bits, depth) = match palette.len() / 3 {
        0..=2 => (1, png::BitDepth::One),
        3..=4 => (2, png::BitDepth::Two),
        5..=16 => (4, png::BitDepth::Four),
        _ => (8, png::BitDepth::Eight),
    };
    let packed = pack(indices, width as usize, bits);
    let layout = Layout {
        width,
        height,
        color: png::ColorType::Indexed,
        depth,
        palette: Some(palette),
        transparent,
    };
    layout.write(&index_rows(&packed, height), effort)
}

/// The PNG of a `width × height` image of 8-bit samples, `channels` per pixel (3: RGB, 4:
/// RGBA), each row filtered as [`truecolour_rows`] chooses.
pub(crate) fn truecolour_png(
    width: u32,
    height: u32,
    data: &[u8],
    channels: usize,
    effort: Effort,
) -> Result<Vec<u8>, PlotError> {
    let layout = Layout {
        width,
        height,
        color: if channels == 4 {
            png::ColorType::Rgba
        } else {
            png::ColorType::Rgb
        },
        depth: png::BitDepth::Eight,
        palette: None,
        transparent: None,
    };
    let rows = truecolour_rows(data, width as usize * channels, channels);
    layout.write(&rows, effort)
}

/// What a PNG's header and palette chunks say about its rows.
struct Layout {
    width: u32,
    height: u32,
    color: png::ColorType,
    depth: png::BitDepth,
    palette: Option<Vec<u8>>,
    transparent: Option<Vec<u8>>,
}

impl Layout {
    /// Writes the PNG of rows already filtered (each with its filter byte), deflated as
    /// `effort` says.
    fn write(self, filtered: &[u8], effort: Effort) -> Result<Vec<u8>, PlotError> {
        let deflate = |level: u32| -> Result<Vec<u8>, PlotError> {
            let mut zlib = ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
            zlib.write_all(filtered)?;
            Ok(zlib.finish()?)
        };
        let idat = match effort {
            Effort::Fast => deflate(FAST_LEVEL)?,
            Effort::Small => {
                let idat = deflate(DEFLATE_LEVEL)?;
                if idat.len() > LARGE {
                    deflate(LARGE_LEVEL)?
                } else {
                    idat
                }
            }
        };
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, self.width, self.height);
        encoder.set_color(self.color);
        encoder.set_depth(self.depth);
        if let Some(palette) = self.palette {
            encoder.set_palette(palette);
        }
        if let Some(alpha) = self.transparent {
            encoder.set_trns(alpha);
        }
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer
            .write_chunk(png::chunk::IDAT, &idat)
            .map_err(png_error)?;
        // Dropping the writer appends the IEND chunk (its `finish` insists on image data
        // written through it).
        drop(writer);
        Ok(out)
    }
}

/// The rows of an indexed image, `height` of them in `data`, each unfiltered or, where
/// [`up_is_shorter`], stored as its difference from the row above.
fn index_rows(data: &[u8], height: u32) -> Vec<u8> {
    let rows = height.max(1) as usize;
    let row_bytes = data.len() / rows;
    let mut filtered = Vec::with_capacity(data.len() + rows);
    let mut previous: Option<&[u8]> = None;
    for row in data.chunks(row_bytes.max(1)) {
        match previous {
            Some(above) if up_is_shorter(row, above) => {
                filtered.push(2); // filter type Up: each byte minus the one above
                filtered.extend(row.iter().zip(above).map(|(b, a)| b.wrapping_sub(*a)));
            }
            _ => {
                filtered.push(0); // filter type None
                filtered.extend_from_slice(row);
            }
        }
        previous = Some(row);
    }
    filtered
}

/// The share of pixels a lossy palette's 256 colours must cover exactly for a figure to be
/// stored indexed: a figure's anti-aliasing blends are a few per cent of its pixels (up to 15 %
/// for a score field with a trajectory at 1×); a shading in more shades than that, or a
/// photograph, leaves most pixels uncovered.
const PALETTE_SHARE: f64 = 0.8;

/// The rows of an 8-bit image (`stride` bytes each, `bpp` per pixel), each with the PNG filter whose output
/// has the smallest sum of magnitudes (libpng's heuristic): Sub, Up or Paeth turn a smooth
/// shading into small differences deflate packs well; flat rows stay unfiltered.
fn truecolour_rows(data: &[u8], stride: usize, bpp: usize) -> Vec<u8> {
    let stride = stride.max(1);
    let mut out = Vec::with_capacity(data.len() + data.len() / stride);
    let zeros = vec![0u8; stride];
    let mut above: &[u8] = &zeros;
    let mut candidate = vec![0u8; stride];
    let mut best = vec![0u8; stride];
    for row in data.chunks_exact(stride) {
        let mut best_filter = 0u8;
        best.copy_from_slice(row);
        let mut best_cost = cost(row);
        for filter in 1..=4u8 {
            for i in 0..stride {
                let left = if i >= bpp { row[i - bpp] } else { 0 };
                let up_left = if i >= bpp { above[i - bpp] } else { 0 };
                let predicted = match filter {
                    1 => left,
                    2 => above[i],
                    3 => ((u16::from(left) + u16::from(above[i])) / 2) as u8,
                    _ => paeth(left, above[i], up_left),
                };
                candidate[i] = row[i].wrapping_sub(predicted);
            }
            let c = cost(&candidate);
            if c < best_cost {
                best_cost = c;
                best_filter = filter;
                best.copy_from_slice(&candidate);
            }
        }
        out.push(best_filter);
        out.extend_from_slice(&best);
        above = row;
    }
    out
}

/// Sum of the bytes as signed magnitudes.
fn cost(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .map(|&b| u64::from((b as i8).unsigned_abs()))
        .sum()
}

/// PNG's Paeth predictor: of left, above and upper-left, the one nearest left + above −
/// upper-left.
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

impl Rgb {
    /// Decodes an 8-bit PNG (RGB, RGBA, grey or indexed) into RGB; alpha is dropped.
    pub(crate) fn from_png(bytes: &[u8]) -> Result<Rgb, PlotError> {
        let mut decoder = png::Decoder::new(bytes);
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().map_err(png_error)?;
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).map_err(png_error)?;
        let channels = info.color_type.samples();
        let data: Vec<u8> = buf[..info.buffer_size()]
            .chunks_exact(channels)
            .flat_map(|p| match channels {
                1 | 2 => [p[0], p[0], p[0]],
                _ => [p[0], p[1], p[2]],
            })
            .collect();
        Ok(Rgb {
            width: info.width,
            height: info.height,
            data,
        })
    }
}

/// Whether a row stored as its difference from the row `above` (PNG's "Up" filter) has
/// clearly fewer runs of one byte (by a third) than the row itself. A heat map's rows repeat
/// cell after cell and become zeros; stored as they are, level-2 deflate misses the match a
/// whole row back and codes every cell again (a 780 × 600 heat map at density 2: 183 kB
/// unfiltered, 91 kB so). Rows of lines and text on white stay unfiltered, where they
/// compress best.
fn up_is_shorter(row: &[u8], above: &[u8]) -> bool {
    let runs = |bytes: &mut dyn Iterator<Item = u8>| {
        let mut last = None;
        bytes.filter(|&b| last.replace(b) != Some(b)).count()
    };
    let diff = runs(&mut row.iter().zip(above).map(|(b, a)| b.wrapping_sub(*a)));
    3 * diff < 2 * runs(&mut row.iter().copied())
}

fn png_error<E: std::error::Error + Send + Sync + 'static>(err: E) -> PlotError {
    PlotError::Io(std::io::Error::other(err))
}

/// Packs one index per pixel into rows of `bits`-bit samples, each row starting on a byte.
fn pack(indices: &[u8], width: usize, bits: usize) -> Vec<u8> {
    if bits == 8 {
        return indices.to_vec();
    }
    let per_byte = 8 / bits;
    let row_bytes = width.div_ceil(per_byte);
    let mut out = Vec::with_capacity(row_bytes * indices.len() / width.max(1));
    for row in indices.chunks(width) {
        for group in row.chunks(per_byte) {
            let mut byte = 0u8;
            for (k, &i) in group.iter().enumerate() {
                byte |= i << (8 - bits * (k + 1));
            }
            out.push(byte);
        }
    }
    out
}

/// Hashes a packed colour with one multiplication (Fibonacci hashing): colours are keys this
/// module makes itself, so the DoS-resistant default hasher only costs time.
#[derive(Default)]
struct ColorHasher(u64);

impl Hasher for ColorHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b));
        }
    }

    fn write_u32(&mut self, c: u32) {
        self.0 = (self.0 ^ u64::from(c)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// A map keyed by packed `0xRRGGBB` colours.
type ColorMap<V> = HashMap<u32, V, BuildHasherDefault<ColorHasher>>;

/// Up to 256 colours and a map from any colour to the index of the nearest one.
pub(crate) struct Palette {
    colors: Vec<u32>,
    lookup: ColorMap<u8>,
    /// How many pixels of the images it was made from have exactly one of its colours.
    covered: f64,
}

impl Palette {
    /// Every colour of `image`, sorted, if there are at most `max` (≤ 256).
    pub(crate) fn exact(image: &Rgb, max: usize) -> Option<Palette> {
        let mut seen = ColorMap::default();
        let mut last = None;
        for c in image.pixels() {
            if last != Some(c) {
                seen.insert(c, ());
                if seen.len() > max.min(256) {
                    return None;
                }
                last = Some(c);
            }
        }
        let mut colors: Vec<u32> = seen.into_keys().collect();
        colors.sort_unstable();
        Some(Palette::from_colors(colors))
    }

    /// The `max` (≤ 256) most frequent colours of `images`; the rest map to the nearest of them.
    ///
    /// Figures are flat colours plus anti-aliased edges, so the frequent colours are the
    /// figure's own and the rare ones are blends that the nearest frequent colour replaces well.
    pub(crate) fn frequent<'a>(images: impl IntoIterator<Item = &'a Rgb>, max: usize) -> Palette {
        let mut counts: ColorMap<u64> = ColorMap::default();
        for image in images {
            let mut run: Option<(u32, u64)> = None;
            for c in image.pixels() {
                match &mut run {
                    Some((color, n)) if *color == c => *n += 1,
                    _ => {
                        if let Some((color, n)) = run {
                            *counts.entry(color).or_default() += n;
                        }
                        run = Some((c, 1));
                    }
                }
            }
            if let Some((color, n)) = run {
                *counts.entry(color).or_default() += n;
            }
        }
        let mut ranked: Vec<(u32, u64)> = counts.into_iter().collect();
        // Most frequent first; ties broken by colour so the palette is deterministic.
        ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(max.clamp(1, 256));
        let covered = ranked.iter().map(|&(_, n)| n as f64).sum();
        let mut colors: Vec<u32> = ranked.into_iter().map(|(c, _)| c).collect();
        colors.sort_unstable();
        Palette {
            covered,
            ..Palette::from_colors(colors)
        }
    }

    fn from_colors(colors: Vec<u32>) -> Palette {
        let lookup = colors
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, i as u8))
            .collect();
        Palette {
            colors,
            lookup,
            covered: 0.0,
        }
    }

    /// The colours as `R, G, B` bytes.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        self.colors
            .iter()
            .flat_map(|c| [(c >> 16) as u8, (c >> 8) as u8, *c as u8])
            .collect()
    }

    /// The index of the colour nearest to `c` (remembered for the next time).
    pub(crate) fn index(&mut self, c: u32) -> u8 {
        if let Some(&i) = self.lookup.get(&c) {
            return i;
        }
        let i = nearest(&self.colors, c);
        self.lookup.insert(c, i);
        i
    }

    /// One palette index per pixel of `image`. A run of one colour is looked up once; other
    /// colours go through a small direct-mapped cache before the map (an anti-aliased figure
    /// alternates between a few hundred colours, which the cache holds).
    pub(crate) fn indices(&mut self, image: &Rgb) -> Vec<u8> {
        const SLOTS: usize = 4096;
        let mut cache = vec![(u32::MAX, 0u8); SLOTS];
        let slot = |c: u32| (c.wrapping_mul(0x9e37_79b1) >> 20) as usize % SLOTS;
        let mut out = Vec::with_capacity(image.width as usize * image.height as usize);
        let mut last: Option<(u32, u8)> = None;
        for c in image.pixels() {
            let i = match last {
                Some((color, i)) if color == c => i,
                _ => {
                    let k = slot(c);
                    if cache[k].0 == c {
                        cache[k].1
                    } else {
                        let i = self.index(c);
                        cache[k] = (c, i);
                        i
                    }
                }
            };
            last = Some((c, i));
            out.push(i);
        }
        out
    }
}

/// Index of the colour in `colors` closest to `c`, by a weighted RGB distance close to what the
/// eye sees (green counts most, blue least).
fn nearest(colors: &[u32], c: u32) -> u8 {
    let channels = |c: u32| {
        [
            (c >> 16) as i32 & 255,
            (c >> 8) as i32 & 255,
            c as i32 & 255,
        ]
    };
    let [r, g, b] = channels(c);
    let distance = |p: u32| {
        let [pr, pg, pb] = channels(p);
        3 * (pr - r).pow(2) + 4 * (pg - g).pow(2) + 2 * (pb - b).pow(2)
    };
    colors
        .iter()
        .enumerate()
        .min_by_key(|&(_, &p)| distance(p))
        .map_or(0, |(i, _)| i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Rgb {
        let data = (0..height)
            .flat_map(|y| (0..width).map(move |x| (x, y)))
            .flat_map(|(x, y)| pixel(x, y))
            .collect();
        Rgb {
            width,
            height,
            data,
        }
    }

    #[test]
    fn cells_repeating_down_the_rows_are_stored_as_differences() {
        // 120 cells of 13 × 13 px, each its own colour: rows repeat 12 times in 13.
        let cells = image(1560, 1560, |x, y| {
            let k = (x / 13 * 7 + y / 13 * 3) % 200;
            [k as u8, (255 - k) as u8, 90]
        });
        let png = cells.to_png().unwrap();
        assert!(Rgb::from_png(&png).unwrap() == cells);
        assert!(png.len() < 60_000, "{} bytes", png.len());
        assert!(up_is_shorter(&[1, 2, 3, 4], &[1, 2, 3, 4]));
        assert!(!up_is_shorter(&[0; 8], &[0, 1, 0, 1, 0, 1, 0, 1]));
    }

    #[test]
    fn png_round_trips_losslessly_at_every_bit_depth() {
        for n_colors in [2u32, 3, 9, 200, 256] {
            let img = image(37, 21, |x, y| {
                let k = (x * 21 + y) % n_colors;
                [k as u8, (k * 7 % 256) as u8, (k / 256) as u8]
            });
            let png = img.to_png().unwrap();
            assert!(png.starts_with(b"\x89PNG"));
            assert!(Rgb::from_png(&png).unwrap() == img, "{n_colors} colours");
            let indexed = png::Decoder::new(&png[..])
                .read_info()
                .unwrap()
                .info()
                .color_type
                == png::ColorType::Indexed;
            assert!(indexed, "{n_colors} colours");
        }
    }

    fn color_type(png: &[u8]) -> png::ColorType {
        png::Decoder::new(png)
            .read_info()
            .unwrap()
            .info()
            .color_type
    }

    #[test]
    fn a_shading_is_stored_in_truecolour_losslessly_and_flat_colours_indexed() {
        // A smooth two-channel shading: 65 536 colours, no palette holds it.
        let shading = image(256, 256, |x, y| [x as u8, y as u8, 128]);
        let png = shading.to_png().unwrap();
        let info = color_type(&png);
        assert_eq!(info, png::ColorType::Rgb);
        assert!(Rgb::from_png(&png).unwrap() == shading);
        // Sub/Up filters turn it into near-constant rows: far below its 196 kB of pixels.
        assert!(png.len() < 20_000, "{} bytes", png.len());
        // White with 2 % rare blends of red: indexed, the blends replaced by their nearest.
        let figure = image(100, 100, |x, y| match (x, y) {
            (0..=1, _) => [255, y as u8, y as u8],
            (2..=30, _) => [255, 0, 0],
            _ => [255, 255, 255],
        });
        let png = figure.to_png().unwrap();
        let info = color_type(&png);
        assert_eq!(info, png::ColorType::Indexed);
    }

    #[test]
    fn a_fast_png_holds_the_same_pixels_in_the_same_encoding() {
        let shading = image(256, 256, |x, y| [x as u8, y as u8, 128]);
        let blends = image(100, 100, |x, y| match (x, y) {
            (0..=1, _) => [255, y as u8, y as u8],
            (2..=30, _) => [255, 0, 0],
            _ => [255, 255, 255],
        });
        // 200 colours scattered: over `LARGE` bytes deflated, so `Small` deflates twice.
        let scattered = image(800, 800, |x, y| {
            let k = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 200;
            [k as u8, 255 - k as u8, (k * 3 % 256) as u8]
        });
        // The smallest images: one pixel, one row, one column.
        let dot = image(1, 1, |_, _| [7, 8, 9]);
        let row = image(300, 1, |x, _| [x as u8, 0, 255]);
        let column = image(1, 300, |_, y| [0, y as u8, 9]);
        for (name, img) in [
            ("shading", &shading),
            ("blends", &blends),
            ("scattered", &scattered),
            ("dot", &dot),
            ("row", &row),
            ("column", &column),
        ] {
            let small = img.to_png_with(Effort::Small).unwrap();
            let fast = img.to_png_with(Effort::Fast).unwrap();
            if img.data.len() > 1000 {
                assert_ne!(small, fast, "{name}: the efforts deflate differently");
            }
            assert_eq!(color_type(&fast), color_type(&small), "{name}");
            let (small, fast) = (
                Rgb::from_png(&small).unwrap(),
                Rgb::from_png(&fast).unwrap(),
            );
            assert!(fast == small, "{name}: the same pixels");
        }
        assert!(Rgb::from_png(&scattered.to_png().unwrap()).unwrap() == scattered);
    }

    #[test]
    fn downsampling_averages_each_block() {
        // 4 × 2 at factor 2: a black-and-white checker block, then a uniform red block.
        let img = image(4, 2, |x, y| match (x, y) {
            (0, 0) | (1, 1) => [0, 0, 0],
            (0..=1, _) => [255, 255, 255],
            _ => [200, 10, 0],
        });
        let small = img.downsample(2);
        assert_eq!((small.width, small.height), (2, 1));
        assert_eq!(small.data, vec![128, 128, 128, 200, 10, 0]);
        assert!(img.downsample(1) == img);
    }

    #[test]
    fn frequent_palette_keeps_common_colours_and_maps_rare_ones_to_the_nearest() {
        // 300 colours: white dominates, then pure red; the rest are rare near-whites.
        let img = image(100, 100, |x, y| match (x, y) {
            (0..=2, 0..=99) => [255 - x as u8, 255, 255 - (y % 100) as u8],
            (3..=19, _) => [255, 0, 0],
            _ => [255, 255, 255],
        });
        let mut palette = Palette::frequent([&img], 4);
        assert_eq!(palette.to_bytes().len(), 3 * 4);
        let white = palette.index(0xffffff);
        let red = palette.index(0xff0000);
        assert_ne!(white, red);
        assert_eq!(palette.index(0xfefefe), white);
        assert_eq!(palette.index(0xf00505), red);
    }
}
