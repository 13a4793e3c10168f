//! Sweeps and animations: the frames they hold, the HTML player, the GIF, and their errors.

use base64::Engine;
use scorelab::prelude::*;

mod common;
use common::{decode_png, reference_2d};

fn mixture_1d(separation: f64) -> Result<GaussianMixture, MixtureError> {
    GaussianMixture::new_1d(
        &[0.5, 0.5],
        &[-separation / 2.0, separation / 2.0],
        &[1.0, 1.0],
    )
}

fn small_curves(separation: f64) -> Result<Figure, PlotError> {
    Curves1d::new(&mixture_1d(separation)?, -6.0..=6.0)
        .size(320, 300)
        .render()
}

/// Every `data:image/png;base64,...` payload in `html`, decoded.
fn embedded_pngs(html: &str) -> Vec<Vec<u8>> {
    html.split("data:image/png;base64,")
        .skip(1)
        .map(|rest| {
            let b64: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "+/=".contains(*c))
                .collect();
            base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap()
        })
        .collect()
}

fn red_pixels(pixels: &[[u8; 3]]) -> usize {
    pixels.iter().filter(|p| **p == [255, 0, 0]).count()
}

#[test]
fn sweep_holds_one_distinct_frame_per_value() {
    let sweep = Sweep::new("mode separation", 0.0..=6.0, 5, small_curves).unwrap();
    assert_eq!(sweep.len(), 5);
    assert_eq!(sweep.labels(0), ["0", "1.5", "3", "4.5", "6"]);
    assert!(sweep.labels(1).is_empty());
    // Sweep frames are drawn at a lone figure's density 2 (these fit the sweep's budget).
    let direct = mixture_1d(4.5).unwrap();
    let direct = Curves1d::new(&direct, -6.0..=6.0)
        .size(320, 300)
        .render()
        .unwrap();
    let (_, _, want) = decode_png(direct.png());
    // With its own axes, a frame is the figure drawn alone.
    let rescaled = sweep.clone().rescale(true);
    let (w, h, got) = decode_png(rescaled.frames()[3].png());
    assert_eq!((w, h), (640, 600));
    // Frames are reduced to 256 colours: nearly every pixel is unchanged.
    let same = want.iter().zip(&got).filter(|(a, b)| a == b).count();
    assert!(
        same as f64 > 0.98 * want.len() as f64,
        "{same} of {}",
        want.len()
    );
    for (k, pair) in sweep.frames().windows(2).enumerate() {
        assert!(
            pair[0].png() != pair[1].png(),
            "frames {k} and {} are equal",
            k + 1
        );
    }
}

#[test]
fn player_html_has_slider_frames_and_a_visible_fallback() {
    let sweep = Sweep::new("mode <separation>", 0.0..=6.0, 7, small_curves).unwrap();
    let html = sweep.to_html();
    assert!(html.contains(r#"data-frames="7""#));
    assert_eq!(html.matches(r#"<input "#).count(), 1);
    assert!(html.contains(r#"type="range" min="0" max="6" step="1" value="3""#));
    assert!(html.contains("mode &lt;separation&gt;"), "name is escaped");
    assert!(!html.contains("<separation>"));
    // Every frame once: the initial one in <img>, the others in the script.
    let pngs = embedded_pngs(&html);
    assert_eq!(pngs.len(), 7);
    assert!(pngs.iter().all(|p| p.starts_with(b"\x89PNG")));
    assert_eq!(pngs[0], sweep.frames()[3].png());
    // Without scripts: the <img> and the note are shown, the controls hidden by an inline style
    // (untrusted JupyterLab output keeps `style` but drops the `hidden` attribute).
    let (before_script, _) = html.split_once("<script>").unwrap();
    assert!(before_script.contains("<img "));
    assert!(before_script.contains("-controls\" style=\"display:none\">"));
    assert!(before_script.contains("Trust Notebook"));
    assert!(before_script.contains("mode &lt;separation&gt; = 3 (frame 4 of 7)"));
    assert_eq!(html.matches("<script>").count(), 1);
    assert_eq!(html.matches("</script>").count(), 1);
    assert!(html.trim_end().ends_with("</div>"));
}

/// RGBA pixels of a PNG, as a browser decodes it (a palette's tRNS entries as alpha).
fn decode_rgba(png: &[u8]) -> Vec<[u8; 4]> {
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

#[test]
fn the_player_holds_each_frame_as_its_change_over_the_first_shown() {
    // The port's sweep of a mean: 25 frames of 720 × 540 px.
    let sweep = Sweep::new("mean μ₁", -4.0..=4.0, 25, |m| {
        let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[m, 2.0], &[1.0, 1.0])?;
        Curves1d::new(&gm, -6.0..=6.0).size(720, 540).render()
    })
    .unwrap();
    assert!(sweep.frames().iter().all(|f| f.density() == 2));
    let pngs = embedded_pngs(&sweep.to_html());
    let (initial, n) = (sweep.len() / 2, sweep.len());
    assert_eq!(pngs[0], sweep.frames()[initial].png());
    // The frames' own PNGs would take several times what the player holds.
    let own: usize = sweep.frames().iter().map(|f| f.png().len()).sum();
    let held: usize = pngs.iter().map(Vec::len).sum();
    assert!(
        held * 3 < own,
        "{held} bytes held for {own} bytes of frames"
    );
    assert!(held < 700_000, "{held} bytes");
    // Each other frame, drawn over the first shown, is exactly that frame.
    let base = decode_rgba(&pngs[0]);
    let others = (0..n).filter(|&i| i != initial);
    assert_eq!(pngs.len(), n);
    for (png, i) in pngs[1..].iter().zip(others) {
        let composed: Vec<[u8; 3]> = base
            .iter()
            .zip(decode_rgba(png))
            .map(|(b, o)| match o[3] {
                255 => [o[0], o[1], o[2]],
                0 => [b[0], b[1], b[2]],
                a => panic!("frame {i}: alpha {a}"),
            })
            .collect();
        assert!(
            composed == decode_png(sweep.frames()[i].png()).2,
            "frame {i}"
        );
    }
}

#[test]
fn every_player_gets_its_own_element_ids() {
    let sweep = Sweep::new("d", 0.0..=1.0, 2, small_curves).unwrap();
    let id = |html: &str| {
        let start = html.find(" id=\"").unwrap() + 5;
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    let (a, b) = (sweep.to_html(), sweep.clone().to_html());
    assert_ne!(id(&a), id(&b));
    assert!(a.contains(&format!("{}-s0", id(&a))));
}

#[test]
fn initial_frame_and_speed_can_be_chosen_within_range() {
    let sweep = Sweep::new("d", 0.0..=1.0, 3, small_curves).unwrap();
    let first = sweep.clone().initial(0).unwrap().fps(2.0).unwrap();
    let html = first.to_html();
    assert_eq!(embedded_pngs(&html)[0], sweep.frames()[0].png());
    assert!(html.contains("}, 500);"), "2 frames per second");
    assert!(sweep.clone().initial(3).is_err());
    assert!(sweep.clone().fps(0.0).is_err());
    assert!(sweep.fps(f64::INFINITY).is_err());
}

#[test]
fn sweep_over_integers_and_a_grid_of_two_parameters() {
    let sweep = Sweep::over("points", (10..=40).step_by(10), |n| {
        Curves1d::new(&mixture_1d(4.0)?, -6.0..=6.0)
            .points(n)
            .size(320, 300)
            .render()
    })
    .unwrap();
    assert_eq!(sweep.labels(0), ["10", "20", "30", "40"]);

    let grid = Sweep::grid(
        ("separation", 0.0..=4.0, 3),
        ("std", 0.5..=1.0, 2),
        |d, s| {
            let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-d / 2.0, d / 2.0], &[s, s])?;
            Curves1d::new(&gm, -6.0..=6.0).size(320, 300).render()
        },
    )
    .unwrap();
    assert_eq!(grid.len(), 6);
    // Frames go row by row, the second parameter fastest: frame 3 is (separation 2, std 1).
    let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-1.0, 1.0], &[1.0, 1.0]).unwrap();
    let want = Curves1d::new(&gm, -6.0..=6.0)
        .size(320, 300)
        .render()
        .unwrap();
    let (_, _, a) = decode_png(want.png());
    let (_, _, b) = decode_png(grid.clone().rescale(true).frames()[3].png());
    let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
    assert!(same as f64 > 0.98 * a.len() as f64);
    let html = grid.to_html();
    assert_eq!(html.matches(r#"type="range""#).count(), 2);
    assert!(html.contains("separation = 2, std = 1 (frame 4 of 6)"));
}

/// The tick labels of a figure (its numeric texts) with their positions.
fn texts(figure: &Figure) -> Vec<(String, i64, i64)> {
    figure
        .texts()
        .iter()
        .filter(|t| t.text.replace('−', "-").parse::<f64>().is_ok())
        .map(|t| (t.text.clone(), t.x0.round() as i64, t.y0.round() as i64))
        .collect()
}

#[test]
fn sweep_frames_share_their_axes_unless_rescaled() {
    // The pdf's peak falls from 0.8 to 0.2 as the std grows: per-frame axes would differ.
    let sweep = Sweep::new("std", 0.5..=2.0, 4, |s| {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[s])?;
        Curves1d::new(&gm, -4.0..=4.0).size(320, 300).render()
    })
    .unwrap();
    let first = texts(&sweep.frames()[0]);
    for frame in sweep.frames() {
        assert_eq!(texts(frame), first, "tick labels moved between frames");
    }
    let own = sweep.clone().rescale(true);
    assert_ne!(texts(&own.frames()[0]), texts(&own.frames()[3]));
    // The frame spanning the whole range already has the shared axes; only its legend may
    // move, to the place best for all frames together.
    assert_eq!(texts(&own.frames()[0]), texts(&sweep.frames()[0]));
}

#[test]
fn bad_sweeps_are_errors_not_panics() {
    let invalid = |r: Result<Sweep, PlotError>, what: &str| {
        let err = r.unwrap_err();
        assert!(
            matches!(
                err,
                PlotError::InvalidParameter { .. } | PlotError::Limit(_)
            ) && err.to_string().contains(what),
            "{err}"
        );
    };
    invalid(
        Sweep::new("d", 1.0..=1.0, 5, small_curves),
        "parameter range",
    );
    invalid(
        Sweep::new("d", 2.0..=1.0, 5, small_curves),
        "parameter range",
    );
    invalid(
        Sweep::new("d", 0.0..=f64::NAN, 5, small_curves),
        "parameter range",
    );
    invalid(Sweep::new("d", 0.0..=1.0, 0, small_curves), "frames");
    invalid(Sweep::new("d", 0.0..=1.0, 1, small_curves), "frames");
    invalid(Sweep::new("d", 0.0..=1.0, 1001, small_curves), "frames");
    invalid(Sweep::over("d", Vec::<f64>::new(), small_curves), "values");
    invalid(
        Sweep::over("d", 0.., |_: u32| small_curves(1.0)),
        "values = 1001 is out of range: must be within 2..=1000",
    );
    invalid(
        Sweep::grid(("a", 0.0..=1.0, 40), ("b", 0.0..=1.0, 30), |_, _| {
            small_curves(1.0)
        }),
        "frames",
    );
}

#[test]
fn a_failing_frame_names_its_value_and_the_cause() {
    // A negative standard deviation from the 4th value on.
    let err = Sweep::new("std", -1.0..=2.0, 7, |s| {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0 - s])?;
        Curves1d::new(&gm, -3.0..=3.0).size(100, 100).render()
    })
    .unwrap_err();
    match &err {
        PlotError::Frame { index, cause, .. } => {
            assert_eq!(*index, 4);
            assert!(matches!(**cause, PlotError::Mixture(_)));
        }
        other => panic!("expected a frame error, got {other:?}"),
    }
    // The message says which frame failed and why (a notebook shows only the message); a
    // reporter that walks the sources tells the cause once.
    let message = err.to_string();
    assert!(message.starts_with("frame 4 (std = 1): "), "{message}");
    assert!(
        message.contains("standard deviation of component 0 is 0"),
        "{message}"
    );
    let chain = report(&err);
    assert_eq!(chain.matches("standard deviation").count(), 1, "{chain}");
}

#[test]
fn animation_is_a_looping_gif_with_every_frame() {
    let anim = Animation::new(4, 5.0, |k| small_curves(k as f64)).unwrap();
    assert!(anim.gif().starts_with(b"GIF89a"));
    // At density 2, as a lone figure: 640 × 600 device pixels.
    assert_eq!((anim.len(), anim.width(), anim.height()), (4, 640, 600));
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(anim.gif()).unwrap();
    let mut delays = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        delays.push(frame.delay);
    }
    assert_eq!(delays, [20, 20, 20, 20]);
    assert_eq!(decoder.repeat(), gif::Repeat::Infinite);

    let path = std::env::temp_dir().join(format!("scorelab-anim-{}.gif", std::process::id()));
    anim.save(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), anim.gif());
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn bad_animations_are_errors_not_panics() {
    assert!(Animation::new(0, 10.0, |_| small_curves(1.0)).is_err());
    assert!(Animation::new(1001, 10.0, |_| small_curves(1.0)).is_err());
    assert!(Animation::new(3, 0.0, |_| small_curves(1.0)).is_err());
    assert!(Animation::new(3, -1.0, |_| small_curves(1.0)).is_err());
    let err = Animation::new(3, 10.0, |k| {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0 - k as f64])?;
        Curves1d::new(&gm, -3.0..=3.0).size(100, 100).render()
    })
    .unwrap_err();
    assert!(
        err.to_string().starts_with("frame 1 (frame 1 of 3)"),
        "{err}"
    );
}

#[test]
fn trajectory_grows_over_the_field_frame_by_frame() {
    let gm = reference_2d();
    let start = Particles::uniform(-8.0..=8.0).dim(2).point(3).unwrap();
    let path = Ula::new(0.02).unwrap().run(&gm, &start, 500, 3).unwrap();
    let field = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0)
        .arrows(20)
        .size(360, 360)
        .trajectory(&path);
    let sweep = field.sweep_steps(6).unwrap();
    assert_eq!(sweep.labels(0), ["0", "100", "200", "300", "400", "500"]);
    let reds: Vec<usize> = sweep
        .frames()
        .iter()
        .map(|f| red_pixels(&decode_png(f.png()).2))
        .collect();
    assert!(reds.windows(2).all(|w| w[0] < w[1]), "{reds:?}");
    // The last frame is the static figure, up to the "t = 500" box in a corner.
    let (_, _, whole) = decode_png(field.clone().render().unwrap().png());
    let diff = red_pixels(&whole).abs_diff(reds[5]);
    assert!(diff * 50 < reds[5], "{} vs {}", red_pixels(&whole), reds[5]);

    let anim = field.animate(6).unwrap();
    assert_eq!(anim.len(), 6);
    assert!(anim.gif().starts_with(b"GIF89a"));
    assert!(anim.gif().len() < 6 * sweep.frames()[0].png().len());
}

#[test]
fn animating_needs_a_trajectory_and_two_frames() {
    let gm = reference_2d();
    let path = Ula::new(0.02)
        .unwrap()
        .run(&gm, &[0.0, 0.0], 10, 1)
        .unwrap();
    let field = ScoreField::new(&gm, -8.0..=8.0, -8.0..=8.0).size(100, 100);
    let err = field.animate(10).unwrap_err();
    assert!(err.to_string().contains("trajectory"), "{err}");
    assert!(field.clone().trajectory(&path).animate(1).is_err());
    assert!(field.clone().trajectory(&path).sweep_steps(0).is_err());
    assert!(field.trajectory(&path).animate(2).is_ok());
}

/// An error and its sources, one per line, as an error reporter prints them.
fn report(err: &dyn std::error::Error) -> String {
    let mut lines = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        lines.push(cause.to_string());
        source = cause.source();
    }
    lines.join("\ncaused by: ")
}

#[test]
fn a_sweep_calls_the_closure_once_per_frame() {
    // The pdf's peak falls as the std grows: every frame but the first gets the shared axes,
    // drawn again by the figure itself, not by calling the closure a second time.
    let calls = std::cell::Cell::new(0);
    let sweep = Sweep::new("std", 0.5..=2.0, 6, |s| {
        calls.set(calls.get() + 1);
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[s])?;
        Curves1d::new(&gm, -4.0..=4.0).size(200, 200).render()
    })
    .unwrap();
    assert_eq!(calls.get(), 6);
    let first = texts(&sweep.frames()[0]);
    assert!(sweep.frames().iter().all(|f| texts(f) == first));
    calls.set(0);
    let grid = Sweep::grid(("mean", -1.0..=1.0, 3), ("std", 0.5..=1.5, 2), |m, s| {
        calls.set(calls.get() + 1);
        let gm = GaussianMixture::new_1d(&[1.0], &[m], &[s])?;
        Curves1d::new(&gm, -4.0..=4.0).size(200, 200).render()
    })
    .unwrap();
    assert_eq!((grid.len(), calls.get()), (6, 6));
}

#[test]
fn frames_keep_the_figure_s_density_within_the_sweep_budget() {
    let gm = mixture_1d(2.0).unwrap();
    let sharp = Curves1d::new(&gm, -6.0..=6.0)
        .size(200, 150)
        .render()
        .unwrap();
    assert_eq!(sharp.density(), 2);
    let sweep = Sweep::new("d", 0.0..=1.0, 2, |_| Ok(sharp.clone())).unwrap();
    let (w, h, _) = decode_png(sweep.frames()[0].png());
    assert_eq!((w, h), (400, 300));
    // A figure averaged down (not drawn again) keeps its size and texts.
    let vp = Diffusion::variance_preserving(&gm, 0.1..=20.0).unwrap();
    let heat = scorelab::plot::diffusion::diffusion_paths(&vp, &[], 0, -6.0..=6.0).unwrap();
    let plain = heat.with_density(1).unwrap();
    assert_eq!((plain.width(), plain.density()), (heat.width(), 1));
    assert_eq!(plain.texts().len(), heat.texts().len());
    assert!(heat.with_density(3).is_err());
    assert!(sharp.with_density(0).is_err());
}
