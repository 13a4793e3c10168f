//! Live figures: the controls a `Live` checks, the output it shows, and the frames its thread
//! serves on a real Unix socket.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use scorelab::prelude::*;
use serde_json::{Value, json};

mod common;
use common::decode_png;

/// A private directory for one test's sockets, removed at the end.
struct LiveDir(PathBuf);

impl LiveDir {
    fn new(test: &str) -> LiveDir {
        let dir = std::env::temp_dir().join(format!("scorelab-live-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        LiveDir(dir)
    }
}

impl Drop for LiveDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mixture(mean: f64, weight: f64) -> Result<GaussianMixture, MixtureError> {
    GaussianMixture::new_1d(&[weight, 1.0 - weight], &[mean, -2.0], &[1.0, 1.0])
}

fn panels(mean: f64, weight: f64) -> Result<Figure, PlotError> {
    Curves1d::new(&mixture(mean, weight)?, -6.0..=6.0)
        .size(320, 300)
        .render()
}

/// The 1-D panels with a mean and a weight slider, the weight's range as given.
fn live_panels(weights: std::ops::RangeInclusive<f64>) -> Live {
    Live::new()
        .slider("mean μ₁", -4.0..=4.0, 2.0)
        .slider("weight w₁", weights, 0.5)
}

fn show_panels(dir: &Path, weights: std::ops::RangeInclusive<f64>) -> LiveFigure {
    live_panels(weights)
        .show_in(Some(dir), |v| {
            panels(v.number("mean μ₁")?, v.number("weight w₁")?)
        })
        .unwrap()
}

/// One connection to a live figure's socket.
struct Client {
    writer: UnixStream,
    reader: BufReader<UnixStream>,
}

impl Client {
    fn connect(socket: &Path) -> Client {
        let writer = UnixStream::connect(socket).unwrap();
        let reader = BufReader::new(writer.try_clone().unwrap());
        Client { writer, reader }
    }

    fn send_line(&mut self, line: &str) -> Value {
        self.writer.write_all(line.as_bytes()).unwrap();
        self.writer.write_all(b"\n").unwrap();
        let mut reply = String::new();
        self.reader.read_line(&mut reply).unwrap();
        assert!(reply.ends_with('\n'), "a reply is one line: {reply:?}");
        serde_json::from_str(&reply).unwrap()
    }

    fn request(&mut self, values: Value) -> Value {
        self.send_line(&json!({ "values": values }).to_string())
    }
}

fn error_of(reply: &Value) -> &str {
    assert_eq!(reply["ok"], false, "{reply}");
    reply["error"].as_str().unwrap()
}

/// The MIME bundle of an `ok` reply, with each type's content.
fn data_of(reply: &Value) -> Vec<(String, String)> {
    assert_eq!(reply["ok"], true, "{reply}");
    let mut data: Vec<(String, String)> = reply["data"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    data.sort();
    data
}

/// The PNG of an `ok` reply, its only MIME type.
fn png_of(reply: &Value) -> Vec<u8> {
    let data = data_of(reply);
    assert_eq!(data.len(), 1, "a frame is one PNG: {data:?}");
    assert_eq!(data[0].0, "image/png");
    base64::engine::general_purpose::STANDARD
        .decode(&data[0].1)
        .unwrap()
}

/// Asserts that a reply is `figure`'s frame: the pixels of its PNG (at its density), drawn at
/// its logical size.
fn assert_frame_is(reply: &Value, figure: &Figure, what: &str) {
    let png = png_of(reply);
    assert_eq!(decode_png(&png), decode_png(figure.png()), "{what}");
    assert_eq!(
        reply["metadata"],
        json!({"image/png": {"width": figure.width(), "height": figure.height()}}),
        "{what}"
    );
}
/// The (MIME type, content) pairs of evcxr display blocks.
fn blocks(printed: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = printed
        .split("EVCXR_BEGIN_CONTENT ")
        .skip(1)
        .map(|block| {
            let (mime, rest) = block.split_once('\n').unwrap();
            let content = rest.strip_suffix("\nEVCXR_END_CONTENT\n").unwrap();
            (mime.to_string(), content.to_string())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_request_renders_the_pixels_of_the_figure_drawn_directly() {
    let dir = LiveDir::new("same-pixels");
    let live = show_panels(&dir.0, 0.05..=0.95);
    let socket = live.socket().unwrap();
    assert!(socket.starts_with(&dir.0));
    let mut client = Client::connect(socket);
    for (mean, weight) in [(1.5, 0.3), (-3.25, 0.9), (2.0, 0.5)] {
        let reply = client.request(json!({"mean μ₁": mean, "weight w₁": weight}));
        let direct = panels(mean, weight).unwrap();
        assert_eq!(direct.density(), 2);
        assert_frame_is(&reply, &direct, &format!("mean {mean}, weight {weight}"));
    }
    // The first frame is the figure at the initial values, shown by the cell as any figure
    // is, plus the block describing the controls.
    assert_eq!(live.frame().png(), panels(2.0, 0.5).unwrap().png());
    let mut shown = blocks(&live.display_blocks());
    let (mime, description) = shown.remove(0);
    assert_eq!(mime, "application/vnd.scorelab.live+json");
    let first = panels(2.0, 0.5).unwrap();
    let png_1x = base64::engine::general_purpose::STANDARD.encode(first.png_1x());
    assert_eq!(
        shown,
        [
            ("image/png".to_string(), png_1x),
            ("text/html".to_string(), first.to_html())
        ]
    );
    let description: Value = serde_json::from_str(&description).unwrap();
    assert_eq!(
        description,
        json!({
            "version": 3,
            "socket": socket.to_str().unwrap(),
            "controls": [
                // Unset steps: round, near a hundredth of the range (0.08 and 0.009).
                {"kind": "slider", "name": "mean μ₁", "min": -4.0, "max": 4.0, "step": 0.05,
                 "value": 2.0},
                {"kind": "slider", "name": "weight w₁", "min": 0.05, "max": 0.95,
                 "step": 0.005, "value": 0.5},
            ]
        })
    );
}

#[test]
fn a_draft_is_the_frame_at_one_pixel_per_logical_pixel_and_the_sharp_frame_reuses_it() {
    let dir = LiveDir::new("draft");
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let live = live_panels(0.05..=0.95)
        .show_in(Some(&dir.0), move |v| {
            counted.fetch_add(1, Ordering::SeqCst);
            panels(v.number("mean μ₁")?, v.number("weight w₁")?)
        })
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the first frame");
    let mut client = Client::connect(live.socket().unwrap());
    let draft = |mean: f64| json!({"values": {"mean μ₁": mean, "weight w₁": 0.3}, "draft": true});
    let direct = panels(1.5, 0.3).unwrap();
    let reply = client.send_line(&draft(1.5).to_string());
    let (width, height, pixels) = decode_png(&png_of(&reply));
    assert_eq!((width, height), (direct.width(), direct.height()));
    assert_eq!((width, height, pixels), decode_png(&direct.png_1x()));
    assert_ne!(decode_png(&png_of(&reply)), decode_png(direct.png()));
    assert_eq!(
        reply["metadata"],
        json!({"image/png": {"width": width, "height": height}})
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // The sharp frame for the same values, once the slider rests: drawn once, encoded again.
    let reply = client.request(json!({"mean μ₁": 1.5, "weight w₁": 0.3}));
    assert_frame_is(&reply, &direct, "the sharp frame after its draft");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "the draft's frame is reused"
    );
    let reply = client.request(json!({"mean μ₁": -1.0, "weight w₁": 0.3}));
    assert_frame_is(&reply, &panels(-1.0, 0.3).unwrap(), "other values");
    assert_eq!(calls.load(Ordering::SeqCst), 3, "other values are drawn");
    let refused = client.send_line(r#"{"values": {"mean μ₁": 0.0, "weight w₁": 0.3}, "draft": 1}"#);
    assert_eq!(
        error_of(&refused),
        r#"bad request: "draft" is 1, not true or false"#
    );
}

#[test]
fn a_closure_drawing_at_the_frames_density_draws_its_drafts_at_one_pixel_per_logical_pixel() {
    let dir = LiveDir::new("draft-density");
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let at = |mean: f64, density: u32| {
        Curves1d::new(&mixture(mean, 0.3)?, -6.0..=6.0)
            .size(320, 300)
            .density(density)
            .render()
    };
    let live = Live::new()
        .slider("mean μ₁", -4.0..=4.0, 2.0)
        .show_in(Some(&dir.0), move |v| {
            counted.fetch_add(1, Ordering::SeqCst);
            at(v.number("mean μ₁")?, v.density())
        })
        .unwrap();
    assert_eq!(
        live.frame().png(),
        at(2.0, 2).unwrap().png(),
        "the first frame is sharp"
    );
    let mut client = Client::connect(live.socket().unwrap());
    let reply = client.send_line(&json!({"values": {"mean μ₁": 1.5}, "draft": true}).to_string());
    let small = at(1.5, 1).unwrap();
    assert_eq!(decode_png(&png_of(&reply)), decode_png(small.png()));
    assert_ne!(
        decode_png(small.png()),
        decode_png(&at(1.5, 2).unwrap().png_1x()),
        "drawn small, not averaged down"
    );
    assert_eq!(
        reply["metadata"],
        json!({"image/png": {"width": 320, "height": 300}})
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // At rest, the same values are drawn again, sharp.
    let reply = client.request(json!({"mean μ₁": 1.5}));
    assert_frame_is(
        &reply,
        &at(1.5, 2).unwrap(),
        "the sharp frame after a small draft",
    );
    assert_eq!(calls.load(Ordering::SeqCst), 3);
}

#[test]
fn without_a_directory_the_cell_shows_a_plain_figure() {
    let live = live_panels(0.05..=0.95)
        .show_in(None, |v| {
            panels(v.number("mean μ₁")?, v.number("weight w₁")?)
        })
        .unwrap();
    assert!(live.socket().is_none());
    let shown = blocks(&live.display_blocks());
    assert_eq!(
        shown.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>(),
        ["image/png", "text/html"]
    );
    assert_eq!(shown[1].1, panels(2.0, 0.5).unwrap().to_html());
}

#[test]
fn an_out_of_range_value_is_refused_and_the_next_request_still_works() {
    let dir = LiveDir::new("out-of-range");
    let live = show_panels(&dir.0, 0.05..=0.95);
    let mut client = Client::connect(live.socket().unwrap());
    let reply = client.request(json!({"mean μ₁": 0.0, "weight w₁": 1.2}));
    assert_eq!(
        error_of(&reply),
        "weight w₁ = 1.2 is outside the slider's range 0.05..=0.95"
    );
    let reply = client.request(json!({"mean μ₁": 0.0, "weight w₁": 0.7}));
    assert_frame_is(
        &reply,
        &panels(0.0, 0.7).unwrap(),
        "after a refused request",
    );
    // A rounding error past an end (a slider stepping 0.05 + 100 × 0.009) is that end.
    let end = (0..100).fold(0.05, |x, _| x + 0.009);
    assert!(end > 0.95);
    let reply = client.request(json!({"mean μ₁": 4.0 + 1e-12, "weight w₁": end}));
    assert_frame_is(&reply, &panels(4.0, 0.95).unwrap(), "at the ends");
    let reply = client.request(json!({"mean μ₁": 4.001, "weight w₁": 0.5}));
    assert!(error_of(&reply).starts_with("mean μ₁ = 4.001 is outside"));
}

#[test]
fn the_closures_error_is_reported_and_serving_goes_on() {
    let dir = LiveDir::new("closure-error");
    // A slider wider than the weights a mixture accepts: the mixture refuses 1.2.
    let live = show_panels(&dir.0, 0.05..=1.5);
    let mut client = Client::connect(live.socket().unwrap());
    let reply = client.request(json!({"mean μ₁": 0.0, "weight w₁": 1.2}));
    let direct = panels(0.0, 1.2).unwrap_err().to_string();
    assert_eq!(error_of(&reply), direct);
    assert!(direct.contains("weight"), "{direct}");
    let reply = client.request(json!({"mean μ₁": 0.0, "weight w₁": 0.25}));
    assert_frame_is(
        &reply,
        &panels(0.0, 0.25).unwrap(),
        "after the closure's error",
    );
}

#[test]
fn a_panic_in_the_closure_is_caught_and_reported() {
    let dir = LiveDir::new("panic");
    let live = Live::new()
        .slider("x", 0.0..=1.0, 0.0)
        .show_in(Some(&dir.0), |v| {
            let x = v.number("x")?;
            assert!(x < 0.5, "x = {x} is too large for this figure");
            panels(x, 0.5)
        })
        .unwrap();
    let mut client = Client::connect(live.socket().unwrap());
    let reply = client.request(json!({"x": 0.75}));
    assert_eq!(
        error_of(&reply),
        "the figure's closure panicked: x = 0.75 is too large for this figure"
    );
    let reply = client.request(json!({"x": 0.25}));
    assert_frame_is(&reply, &panels(0.25, 0.5).unwrap(), "after the panic");
}

#[test]
fn bad_requests_are_refused_and_a_dropped_connection_does_not_stop_the_thread() {
    let dir = LiveDir::new("bad-requests");
    let live = Live::new()
        .slider("σ", 0.5..=2.0, 1.0)
        .checkbox("trajectory", true)
        .dropdown("preset", &["two modes", "three modes"], "two modes")
        .show_in(Some(&dir.0), |v| {
            let means: &[f64] = match v.choice("preset")? {
                "two modes" => &[-2.0, 2.0],
                _ => &[-3.0, 0.0, 3.0],
            };
            let weights = vec![1.0 / means.len() as f64; means.len()];
            let stds = vec![v.number("σ")?; means.len()];
            let title = if v.flag("trajectory")? { "on" } else { "off" };
            let gm = GaussianMixture::new_1d(&weights, means, &stds)?;
            LinePlot::new(title)
                .line("density", &[0.0, 1.0], &[gm.weights()[0], 1.0])
                .size(200, 150)
                .render()
        })
        .unwrap();
    let socket = live.socket().unwrap();
    let mut client = Client::connect(socket);
    let good = json!({"σ": 1.0, "trajectory": false, "preset": "three modes"});
    let cases = [
        ("not json", "bad request: not JSON"),
        (r#"{"value": {}}"#, r#"bad request: expected {"values""#),
        (
            r#"{"values": {"σ": 1.0, "trajectory": false}}"#,
            r#"the request has no value for control "preset""#,
        ),
        (
            r#"{"values": {"σ": 1.0, "trajectory": false, "preset": "two modes", "μ": 1}}"#,
            r#"no control is named "μ""#,
        ),
        (
            r#"{"values": {"σ": "1", "trajectory": false, "preset": "two modes"}}"#,
            r#"control "σ" is a slider, which holds a number, not a string"#,
        ),
        (
            r#"{"values": {"σ": 1.0, "trajectory": 1, "preset": "two modes"}}"#,
            r#"control "trajectory" is a checkbox, which holds true or false, not a number"#,
        ),
        (
            r#"{"values": {"σ": 1.0, "trajectory": true, "preset": "four modes"}}"#,
            r#"dropdown "preset": "four modes" is not one of its options"#,
        ),
        (
            r#"{"values": {"σ": 2.5, "trajectory": true, "preset": "two modes"}}"#,
            "σ = 2.5 is outside the slider's range 0.5..=2",
        ),
    ];
    for (request, error) in cases {
        let reply = client.send_line(request);
        assert!(
            error_of(&reply).starts_with(error),
            "{request}: {}",
            error_of(&reply)
        );
        assert!(!png_of(&client.request(good.clone())).is_empty());
    }
    // A connection closed mid-request, and one closed before reading its reply.
    let mut half = UnixStream::connect(socket).unwrap();
    half.write_all(r#"{"values": {"σ": 1"#.as_bytes()).unwrap();
    drop(half);
    let mut rude = UnixStream::connect(socket).unwrap();
    rude.write_all(format!("{}\n", json!({ "values": good })).as_bytes())
        .unwrap();
    drop(rude);
    drop(client);
    let mut client = Client::connect(socket);
    assert!(!png_of(&client.request(good)).is_empty());
}

#[test]
fn bad_controls_are_typed_errors_from_show() {
    let field = |v: &LiveValues| panels(v.number("a")?, 0.5);
    let show = |live: Live| live.show_in(None, field).unwrap_err();
    assert!(matches!(show(Live::new()), LiveError::NoControls));
    // The last: finite ends, but a width no f64 holds.
    for range in [
        1.0..=1.0,
        2.0..=1.0,
        f64::NAN..=1.0,
        0.0..=f64::INFINITY,
        -f64::MAX..=f64::MAX,
    ] {
        assert!(
            matches!(
                show(Live::new().slider("a", range.clone(), 1.0)),
                LiveError::InvalidRange { .. }
            ),
            "{range:?}"
        );
    }
    assert!(matches!(
        show(Live::new().slider("a", 0.0..=1.0, 2.0)),
        LiveError::OutOfRange { value: 2.0, .. }
    ));
    assert!(matches!(
        show(Live::new().slider("a", 0.0..=1.0, f64::NAN)),
        LiveError::OutOfRange { .. }
    ));
    for step in [0.0, -0.1, 2.0, f64::NAN] {
        assert!(matches!(
            show(Live::new().slider("a", 0.0..=1.0, 0.5).step(step)),
            LiveError::InvalidStep { .. }
        ));
    }
    assert!(matches!(
        show(Live::new().checkbox("b", true).step(0.1)),
        LiveError::StepWithoutSlider { .. }
    ));
    assert!(matches!(
        show(Live::new().slider("a", 0.0..=1.0, 0.5).checkbox("a", true)),
        LiveError::DuplicateName { .. }
    ));
    assert!(matches!(
        show(
            Live::new()
                .slider("a", 0.0..=1.0, 0.5)
                .dropdown("d", &[], "x")
        ),
        LiveError::NoOptions { .. }
    ));
    let e = show(
        Live::new()
            .slider("a", 0.0..=1.0, 0.5)
            .dropdown("d", &["x", "y"], "z"),
    );
    assert!(matches!(e, LiveError::NotAnOption { .. }));
    assert_eq!(
        e.to_string(),
        r#"dropdown "d": "z" is not one of its options ["x", "y"]"#
    );
}

#[test]
fn asking_for_an_unknown_name_or_another_kind_fails_the_first_frame() {
    let live = || Live::new().slider("a", 0.0..=1.0, 0.5).checkbox("b", true);
    let e = live()
        .show_in(None, |v| panels(v.number("c")?, 0.5))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"no control is named "c"; the controls are ["a", "b"]"#
    );
    let e = live()
        .show_in(None, |v| panels(v.number("b")?, 0.5))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        r#"control "b" is a checkbox, which holds true or false, not a number"#
    );
    // The closure's own error type comes back whole.
    let LiveError::Frame(inner) = live()
        .show_in(None, |v| panels(v.number("a")?, 1.5))
        .unwrap_err()
    else {
        panic!("a frame error")
    };
    assert!(matches!(
        inner.downcast_ref::<PlotError>(),
        Some(PlotError::Mixture(_))
    ));
}

#[test]
fn two_live_figures_serve_side_by_side() {
    let dir = LiveDir::new("two");
    let a = show_panels(&dir.0, 0.05..=0.95);
    let b = show_panels(&dir.0, 0.05..=0.95);
    assert_ne!(a.socket(), b.socket());
    let mut ca = Client::connect(a.socket().unwrap());
    let mut cb = Client::connect(b.socket().unwrap());
    let ra = ca.request(json!({"mean μ₁": 1.0, "weight w₁": 0.5}));
    let rb = cb.request(json!({"mean μ₁": -1.0, "weight w₁": 0.5}));
    assert_ne!(data_of(&ra), data_of(&rb));
}
