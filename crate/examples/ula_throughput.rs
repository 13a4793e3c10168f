//! ULA throughput on the reference 2-D three-component mixture: the scorelab side of the
//! side-by-side benchmark in `experiment/bench/`.
//!
//! ```text
//! cargo run --release --example ula_throughput -- N STEPS REPEATS [FINAL_CLOUD_FILE]
//! ```
//!
//! Starts N particles uniform on [−8, 8]², runs STEPS steps of ULA with ε = 0.02 REPEATS times,
//! and prints one JSON line: the wall time of every repeat, ns per particle-step, threads, and
//! the final cloud's mean and covariance. With a file name, also writes the final cloud there
//! as raw little-endian f64, row per particle.

use std::io::Write;
use std::time::Instant;

use scorelab::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: usize| -> Result<usize, Box<dyn std::error::Error>> {
        Ok(args
            .get(i)
            .map(|s| s.parse())
            .transpose()?
            .unwrap_or(default))
    };
    let (n, steps, repeats) = (arg(1, 100_000)?, arg(2, 100)?, arg(3, 3)?.max(1));
    let gm = GaussianMixture::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../presets/score_function_2d.json"
    ))?;
    let ula = Ula::new(0.02)?;
    let start = Particles::uniform(-8.0..=8.0).dim(2).draw(n, 1)?;
    let mut seconds = Vec::with_capacity(repeats);
    let mut last = None;
    for r in 0..repeats {
        let t = Instant::now();
        let snaps = ula.run_ensemble(&gm, &start, steps, &[steps], 2 + r as u64)?;
        seconds.push(t.elapsed().as_secs_f64());
        last = snaps.last().cloned();
    }
    let cloud = last.ok_or("no snapshot")?;
    let xs = cloud.as_flat();
    let mean = [0, 1].map(|a| xs.iter().skip(a).step_by(2).sum::<f64>() / n as f64);
    let mut cov = [0.0; 3];
    for p in cloud.points() {
        let (dx, dy) = (p[0] - mean[0], p[1] - mean[1]);
        cov[0] += dx * dx;
        cov[1] += dx * dy;
        cov[2] += dy * dy;
    }
    cov.iter_mut().for_each(|c| *c /= (n - 1) as f64);
    if let Some(path) = args.get(4) {
        let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
        for v in xs {
            file.write_all(&v.to_le_bytes())?;
        }
    }
    let ns: Vec<String> = seconds
        .iter()
        .map(|s| format!("{:.4}", s * 1e9 / (n * steps) as f64))
        .collect();
    println!(
        "{{\"n\": {n}, \"steps\": {steps}, \"threads\": {}, \"seconds\": {:?}, \"ns_per_particle_step\": [{}], \"mean\": {:?}, \"cov\": {:?}}}",
        rayon::current_num_threads(),
        seconds,
        ns.join(", "),
        mean,
        cov
    );
    Ok(())
}
