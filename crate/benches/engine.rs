//! Micro-benchmarks of the particle engine: the score kernels and ULA ensembles on the
//! reference 2-D mixture, fast path against generic path.
//!
//! ```text
//! cargo bench --bench engine
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use scorelab::prelude::*;

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
    .expect("valid mixture")
}

/// The mixture behind the score traits only: samplers take the generic path.
struct Opaque<'a>(&'a GaussianMixture);

impl Dimension for Opaque<'_> {
    fn dim(&self) -> usize {
        2
    }
}

impl Score for Opaque<'_> {
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        self.0.score_into(x, out)
    }
}

fn scores(c: &mut Criterion) {
    let gm = reference();
    let points = Particles::uniform(-8.0..=8.0)
        .dim(2)
        .draw(10_000, 1)
        .expect("valid box")
        .as_flat()
        .to_vec();
    let mut out = vec![0.0; points.len()];
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("pointwise", |b| {
        b.iter(|| {
            for (x, s) in points.chunks_exact(2).zip(out.chunks_exact_mut(2)) {
                gm.score_into(black_box(x), s);
            }
        })
    });
    group.bench_function("batch", |b| {
        b.iter(|| {
            gm.score_batch(black_box(&points), &mut out)
                .expect("shapes")
        })
    });
    group.finish();
}

fn ensembles(c: &mut Criterion) {
    let gm = reference();
    let (n, steps) = (20_000, 20);
    let start = Particles::uniform(-8.0..=8.0)
        .dim(2)
        .draw(n, 1)
        .expect("valid box");
    let ula = Ula::new(0.02).expect("valid step");
    let mala = Mala::new(0.02).expect("valid step");
    let mut group = c.benchmark_group("ensemble_2d");
    group.sample_size(10);
    group.throughput(Throughput::Elements((n * steps) as u64));
    group.bench_function(BenchmarkId::new("ula", "fast"), |b| {
        b.iter(|| ula.run_ensemble(&gm, &start, steps, &[steps], 2))
    });
    group.bench_function(BenchmarkId::new("ula", "generic"), |b| {
        b.iter(|| ula.run_ensemble(&Opaque(&gm), &start, steps, &[steps], 2))
    });
    group.bench_function(BenchmarkId::new("mala", "fast"), |b| {
        b.iter(|| mala.run_ensemble(&gm, &start, steps, &[steps], 2))
    });
    group.finish();
}

criterion_group!(benches, scores, ensembles);
criterion_main!(benches);
