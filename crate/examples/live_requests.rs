//! Time per render request on a live figure's socket, for the 1-D panels and for the 2-D score
//! field with a Langevin trajectory: the whole request (parse, render, encode, reply), and the
//! render alone, as medians over a drag across the slider. Then the drafts of a diffusion's
//! marginal p(x, t) while t moves, drawn at `v.density()` against drawn at 2× and shrunk, in
//! alternate drags, with the ratio of the medians.
//!
//! `cargo run -p scorelab --example live_requests` (the dev profile is optimised)

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

use scorelab::plot::diffusion;
use scorelab::prelude::*;
use serde_json::{Value, json};

const REQUESTS: usize = 40;

fn panels(mean: f64, weight: f64) -> Result<Figure, PlotError> {
    let gm = GaussianMixture::new_1d(&[weight, 1.0 - weight], &[mean, -2.0], &[1.0, 1.0])?;
    Curves1d::new(&gm, -6.0..=6.0).render()
}

fn reference() -> GaussianMixture {
    GaussianMixture::new(
        &[0.3, 0.5, 0.2],
        &[[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]],
        &[
            [[1.0, 0.3], [0.3, 1.0]],
            [[1.5, -0.2], [-0.2, 1.0]],
            [[1.0, 0.0], [0.0, 1.5]],
        ],
    )
    .expect("the reference mixture is valid")
}

fn field(gm: &GaussianMixture, eps: f64, x1: f64) -> Result<Figure, PlotError> {
    let walk = Ula::new(eps)?.run(gm, &[x1, 6.0], 500, 3)?;
    ScoreField::new(gm, -8.0..=8.0, -8.0..=8.0)
        .arrows(20)
        .levels(10)
        .size(460, 460)
        .trajectory(&walk)
        .title(format!("ULA, ε = {eps:.3}"))
        .render()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Median time per request and the size of a reply, for `values(i)` over a drag (drafts if
/// `draft`, else sharp frames).
fn drag(socket: &Path, draft: bool, values: impl Fn(f64) -> Value) -> (Duration, usize) {
    let mut writer = UnixStream::connect(socket).expect("the socket accepts");
    let mut reader = BufReader::new(writer.try_clone().expect("a second handle"));
    let mut times = Vec::new();
    let mut reply = String::new();
    for i in 0..REQUESTS {
        let request = json!({ "values": values(i as f64 / REQUESTS as f64), "draft": draft })
            .to_string()
            + "\n";
        reply.clear();
        let start = Instant::now();
        writer.write_all(request.as_bytes()).expect("request sent");
        reader.read_line(&mut reply).expect("reply read");
        times.push(start.elapsed());
        assert!(
            reply.starts_with(r#"{"data""#) || reply.contains(r#""ok":true"#),
            "{reply}"
        );
    }
    (median(times), reply.len())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("scorelab-live-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;

    let live = Live::new()
        .slider("mean μ₁", -4.0..=4.0, 2.0)
        .slider("weight w₁", 0.05..=0.95, 0.5)
        .show_in(Some(&dir), |v| {
            panels(v.number("mean μ₁")?, v.number("weight w₁")?)
        })?;
    let render = median(
        (0..REQUESTS)
            .map(|i| {
                let start = Instant::now();
                panels(-4.0 + 8.0 * i as f64 / REQUESTS as f64, 0.3).map(|_| start.elapsed())
            })
            .collect::<Result<_, _>>()?,
    );
    let (request, bytes) = drag(
        live.socket().expect("served"),
        false,
        |f| json!({"mean μ₁": -4.0 + 8.0 * f, "weight w₁": 0.3}),
    );
    println!("1-D panels: render {render:.1?}, request {request:.1?}, reply {bytes} bytes");

    let gm = reference();
    let served = gm.clone();
    let live = Live::new()
        .slider("step size ε", 0.005..=0.4, 0.02)
        .slider("start x₁", -8.0..=8.0, 0.0)
        .show_in(Some(&dir), move |v| {
            field(&served, v.number("step size ε")?, v.number("start x₁")?)
        })?;
    let render = median(
        (0..REQUESTS)
            .map(|i| {
                let start = Instant::now();
                field(&gm, 0.02, -8.0 + 16.0 * i as f64 / REQUESTS as f64).map(|_| start.elapsed())
            })
            .collect::<Result<_, _>>()?,
    );
    let (request, bytes) = drag(
        live.socket().expect("served"),
        false,
        |f| json!({"step size ε": 0.02, "start x₁": -8.0 + 16.0 * f}),
    );
    println!(
        "2-D field + trajectory: render {render:.1?}, request {request:.1?}, reply {bytes} bytes"
    );

    let data = GaussianMixture::new_1d(&[0.3, 0.7], &[-2.0, 2.0], &[0.5, 0.5])?;
    let vp = Diffusion::variance_preserving(&data, 0.1..=20.0)?;
    let process = vp.clone();
    let drawn_2x = Live::new()
        .slider("time t", 0.0..=1.0, 0.1)
        .show_in(Some(&dir), move |v| {
            diffusion::marginal(&process, v.number("time t")?, -5.0..=5.0)
        })?;
    let at_density =
        Live::new()
            .slider("time t", 0.0..=1.0, 0.1)
            .show_in(Some(&dir), move |v| {
                diffusion::Marginal::new(&vp, v.number("time t")?, -5.0..=5.0)
                    .density(v.density())
                    .render()
            })?;
    let (mut times_shrunk, mut times_drawn) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        for (live, times) in [
            (&drawn_2x, &mut times_shrunk),
            (&at_density, &mut times_drawn),
        ] {
            let (request, _) = drag(
                live.socket().expect("served"),
                true,
                |f| json!({"time t": f}),
            );
            times.push(request);
        }
    }
    let (shrunk, drawn) = (median(times_shrunk), median(times_drawn));
    println!(
        "diffusion marginal, drafts: drawn at 2× and shrunk {shrunk:.1?}, drawn at v.density() \
         {drawn:.1?} ({:.1}× faster)",
        shrunk.as_secs_f64() / drawn.as_secs_f64()
    );

    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
