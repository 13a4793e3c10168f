//! Figures render to real PNGs of the requested size with the expected content.

use scorelab::prelude::*;

mod common;
use common::reference_2d;

/// Decodes a PNG into (width, height, RGB pixels).
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().expect("a valid PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = buf[..info.buffer_size()]
        .chunks_exact(3)
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    (info.width, info.height, pixels)
}

fn count(pixels: &[[u8; 3]], pred: impl Fn([u8; 3]) -> bool) -> usize {
    pixels.iter().filter(|p| pred(**p)).count()
}

#[test]
fn curves_1d_draws_three_coloured_curves_at_the_requested_size() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let fig = Curves1d::new(&gm, -6.0..=6.0)
        .size(900, 600)
        .render()
        .unwrap();
    let (w, h, px) = decode(fig.png());
    assert_eq!((w, h), (900, 600));
    assert!(count(&px, |p| p == [0, 0, 255]) > 500, "no blue pdf curve");
    assert!(
        count(&px, |p| p == [0, 128, 0]) > 500,
        "no green log-pdf curve"
    );
    assert!(count(&px, |p| p == [255, 0, 0]) > 500, "no red score curve");
    // The pdf panel is the top third: blue appears only there.
    let blue_rows: Vec<usize> = px
        .iter()
        .enumerate()
        .filter(|(_, p)| **p == [0, 0, 255])
        .map(|(i, _)| i / w as usize)
        .collect();
    assert!(blue_rows.iter().all(|&r| r < h as usize / 3));
}

#[test]
fn curves_reproduce_the_mixture() {
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0]).unwrap();
    let [xs, p, log_p, s] = Curves1d::new(&gm, -6.0..=6.0)
        .points(1001)
        .curves()
        .unwrap();
    assert_eq!(xs.len(), 1001);
    assert_eq!(xs[500], 0.0);
    // Symmetric mixture: score is odd, zero at 0; log p is the log of p.
    assert!(s[500].abs() < 1e-15 && (s[100] + s[900]).abs() < 1e-12);
    assert!((log_p[300].exp() - p[300]).abs() < 1e-15);
}

#[test]
fn score_field_draws_contours_arrows_and_trajectory() {
    let gm = reference_2d();
    let start = uniform_start(-8.0, 8.0, 2, 3);
    let path = Ula::new(0.02).unwrap().run(&gm, &start, 500, 3).unwrap();
    let plain = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .render()
        .unwrap();
    let with_path = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .trajectory(&path)
        .render()
        .unwrap();
    let (w, h, px) = decode(plain.png());
    assert_eq!((w, h), (700, 700));
    assert!(
        plain.png().len() < 150_000,
        "figure is {} bytes",
        plain.png().len()
    );
    // Arrows are dark grey; the innermost contour is Spectral's blue-violet end.
    assert!(count(&px, |p| p == [64, 64, 64]) > 5_000, "no arrows");
    assert!(
        count(&px, |p| p == [0x5e, 0x4f, 0xa2]) > 200,
        "no innermost contour"
    );
    let (_, _, px2) = decode(with_path.png());
    assert_eq!(count(&px, |p| p == [230, 0, 0]), 0);
    assert!(
        count(&px2, |p| p == [230, 0, 0]) > 1_000,
        "no red trajectory"
    );
    assert!(
        count(&px2, |p| p == [0, 128, 0]) > 100,
        "no green start point"
    );
}

#[test]
fn normalized_arrows_differ_from_proportional_ones() {
    let gm = reference_2d();
    let a = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .levels(1)
        .render()
        .unwrap();
    let b = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .levels(1)
        .normalized(true)
        .render()
        .unwrap();
    assert_ne!(a.png(), b.png());
}

#[test]
fn bad_figure_parameters_are_errors() {
    let gm1 = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let gm2 = reference_2d();
    let err = ScoreField::new(&gm1, -1.0..=1.0, -1.0..=1.0)
        .render()
        .unwrap_err();
    assert!(
        matches!(
            err,
            PlotError::WrongDimension {
                expected: 2,
                found: 1
            }
        ),
        "{err}"
    );
    let err = Curves1d::new(&gm2, -1.0..=1.0).render().unwrap_err();
    assert!(
        matches!(
            err,
            PlotError::WrongDimension {
                expected: 1,
                found: 2
            }
        ),
        "{err}"
    );
    let err = Curves1d::new(&gm1, 1.0..=-1.0).render().unwrap_err();
    assert!(err.to_string().contains("x range"), "{err}");
    let err = ScoreField::new(&gm2, -1.0..=1.0, -1.0..=1.0)
        .arrows(1)
        .render()
        .unwrap_err();
    assert!(err.to_string().contains("arrows"), "{err}");
    let err = Curves1d::new(&gm1, -1.0..=1.0)
        .size(0, 10)
        .render()
        .unwrap_err();
    assert!(err.to_string().contains("figure size"), "{err}");
}

#[test]
fn save_writes_the_png() {
    let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
    let fig = Curves1d::new(&gm, -3.0..=3.0)
        .size(300, 300)
        .render()
        .unwrap();
    let path = std::env::temp_dir().join(format!("scorelab-save-{}.png", std::process::id()));
    fig.save(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), fig.png());
    std::fs::remove_file(&path).unwrap();
}
