//! A flexible score with no neural network: linear in features, fit in closed form.
//!
//! $s_W(x) = W\varphi(x)$ with features $\varphi(x) = (1, x_1, \dots, x_d, e^{-\lVert x - c_j\rVert^2/2h^2})$,
//! radial-basis bumps on a grid of centres $c_j$ (cut to 0 beyond 5h). Denoising score matching with
//! $\tilde x = x + \sigma z$ is then ridge least squares,
//!
//! $$\min_W \frac1n\sum_i \big\lVert W\varphi(\tilde x_i) + (\tilde x_i - x_i)/\sigma^2\big\rVert^2 + \lambda\,\overline{\varphi^2}\,\lVert W\rVert^2
//! \;\Rightarrow\; W^\top = -(\Phi^\top\Phi/n + \lambda\,\overline{\varphi^2}\, I)^{-1}\,\Phi^\top T/n,$$
//!
//! with rows $T_i = (\tilde x_i - x_i)/\sigma^2$ and the ridge λ relative to the features' mean
//! square $\overline{\varphi^2} = \operatorname{tr}(\Phi^\top\Phi/n)/M = \frac1{nM}\sum_i\lVert\varphi(\tilde x_i)\rVert^2$
//! (M features), so that the same λ works whatever their scale; solved by one Cholesky
//! factorisation. Its minimiser approaches $\nabla\log p_\sigma$ where the
//! noisy data are dense; where they are sparse nothing pins it down.

use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

use super::error::{LearnError, check_dsm_sigma};
use crate::limits;
use crate::model::score::{Dimension, LogDensity, Score};
use crate::numeric::linalg;
use crate::progress::Progress;
use crate::sample::ensemble::Particles;
use crate::sample::seeding::{Purpose, stream_rng};

/// Samples per noise stream when the normal equations are accumulated.
const CHUNK: usize = 256;
/// Parallel tasks that accumulate the normal equations, each over consecutive chunks into its
/// own M × M system: fixed, so the sums do not depend on the thread count, and few, since
/// their systems are the fit's largest buffers.
const TASKS: usize = 8;
/// Each bump is cut to 0 beyond this many bandwidths from its centre.
const CUTOFF: f64 = 5.0;
/// The largest |coordinate| of a feature grid's range, and the inverse of its smallest spacing:
/// squared distances within the range and h² stay normal, finite numbers.
pub const RANGE_LIMIT: f64 = 1e150;

/// Radial-basis features on a regular grid of centres, plus a constant and the coordinates.
///
/// ```
/// use scorelab::prelude::*;
/// let f = RbfFeatures::grid(2, -4.0..=4.0, 5)?;
/// assert_eq!(f.len(), 1 + 2 + 25);
/// # Ok::<(), LearnError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RbfFeatures {
    dim: usize,
    centres: Vec<f64>,
    bandwidth: f64,
}

impl RbfFeatures {
    /// `per_axis`ᵈ centres evenly on `range` in each coordinate, bandwidth h equal to their
    /// spacing.
    ///
    /// # Errors
    /// [`LearnError::InvalidParameter`] for dimension 0 or above 3, an empty range, one reaching
    /// beyond ±[`RANGE_LIMIT`] (squared distances across it would overflow), or a spacing h
    /// below [`RANGE_LIMIT`]⁻¹ or too fine to tell neighbouring centres apart at the range's
    /// magnitude (h² would underflow or the bumps coincide); [`LearnError::Limit`] for
    /// centres per axis outside
    /// [`limits::CENTRES_PER_AXIS`] or more features (1 + d + centres) than
    /// [`limits::FEATURES`] allows.
    pub fn grid(
        dim: usize,
        range: std::ops::RangeInclusive<f64>,
        per_axis: usize,
    ) -> Result<Self, LearnError> {
        let (lo, hi) = (*range.start(), *range.end());
        if !(1..=3).contains(&dim) {
            return Err(invalid("dimension", dim as f64, "must be 1, 2 or 3"));
        }
        limits::CENTRES_PER_AXIS.check(per_axis)?;
        limits::FEATURES.check(1 + dim + per_axis.pow(dim as u32))?;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(invalid(
                "range start",
                lo,
                "the range must be finite, start < end",
            ));
        }
        for (name, value) in [("range start", lo), ("range end", hi)] {
            if value.abs() > RANGE_LIMIT {
                return Err(invalid(
                    name,
                    value,
                    "the range must lie within ±1e150, so squared distances stay finite",
                ));
            }
        }
        let step = (hi - lo) / (per_axis - 1) as f64;
        // Neighbouring centres must differ by many rounding steps of the coordinates.
        let resolution = 1024.0 * f64::EPSILON * lo.abs().max(hi.abs());
        if !(step >= 1.0 / RANGE_LIMIT && step > resolution) {
            return Err(invalid(
                "centre spacing",
                step,
                "too fine: h² would underflow or neighbouring bumps coincide; widen the range \
                 or use fewer centres",
            ));
        }
        let n = per_axis.pow(dim as u32);
        let mut centres = Vec::with_capacity(n * dim);
        for i in 0..n {
            let mut rest = i;
            for _ in 0..dim {
                centres.push(lo + step * (rest % per_axis) as f64);
                rest /= per_axis;
            }
        }
        Ok(RbfFeatures {
            dim,
            centres,
            bandwidth: step,
        })
    }

    /// Number of features M (constant, coordinates, bumps).
    pub fn len(&self) -> usize {
        1 + self.dim + self.centres.len() / self.dim
    }

    /// Always false: there is at least the constant.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// φ(x) into `out` (length M).
    ///
    /// # Panics
    /// If `x` does not have the features' dimension d or `out` does not have length M; the
    /// message names both lengths.
    pub fn eval_into(&self, x: &[f64], out: &mut [f64]) {
        let d = self.dim;
        assert!(
            x.len() == d,
            "x has length {}, the features have dimension {d}",
            x.len()
        );
        assert!(
            out.len() == self.len(),
            "feature output has length {}, there are {} features",
            out.len(),
            self.len()
        );
        out[0] = 1.0;
        out[1..=d].copy_from_slice(x);
        let h2 = self.bandwidth * self.bandwidth;
        for (o, c) in out[1 + d..].iter_mut().zip(self.centres.chunks_exact(d)) {
            let r2: f64 = x.iter().zip(c).map(|(a, b)| (a - b) * (a - b)).sum();
            // Beyond 5h a bump is below 4·10⁻⁶: it is part of the model to drop it.
            *o = if r2 > CUTOFF * CUTOFF * h2 {
                0.0
            } else {
                (-0.5 * r2 / h2).exp()
            };
        }
    }
}

impl Dimension for RbfFeatures {
    fn dim(&self) -> usize {
        self.dim
    }
}

/// A score linear in [`RbfFeatures`], fit by denoising score matching at one noise level σ.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let data = Particles::sample(&gm, 4000, 1)?;
/// let features = RbfFeatures::grid(1, -5.0..=5.0, 21)?;
/// let fit = LinearScore::dsm(0.5).draws(4).fit(&features, &data, 2)?;
/// // Near a mode the learned score is close to that of p_σ.
/// let exact = gm.perturbed(0.5)?.score(&[1.5])[0];
/// assert!((fit.score(&[1.5])[0] - exact).abs() < 0.2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LinearScore {
    features: RbfFeatures,
    /// d × M, row per output coordinate.
    weights: Vec<f64>,
    sigma: f64,
}

/// How a [`LinearScore`] is fit by denoising score matching: the noise level σ, the ridge λ
/// and the number of noise draws per sample. Made by [`LinearScore::dsm`].
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
/// let data = Particles::sample(&gm, 4000, 1)?;
/// let features = RbfFeatures::grid(1, -5.0..=5.0, 21)?;
/// let fit = LinearScore::dsm(0.5).draws(4).fit(&features, &data, 2)?;
/// // Near a mode the learned score is close to that of p_σ.
/// let exact = gm.perturbed(0.5)?.score(&[1.5])[0];
/// assert!((fit.score(&[1.5])[0] - exact).abs() < 0.2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DsmFit {
    sigma: f64,
    ridge: f64,
    draws: usize,
}

impl DsmFit {
    /// Noise level σ, ridge 10⁻⁴, one draw per sample (made by [`LinearScore::dsm`]).
    pub(crate) fn new(sigma: f64) -> Self {
        DsmFit {
            sigma,
            ridge: 1e-4,
            draws: 1,
        }
    }

    /// The ridge λ ≥ 0, relative to the features' mean square (see [`DsmFit::fit`]).
    pub fn ridge(mut self, ridge: f64) -> Self {
        self.ridge = ridge;
        self
    }

    /// Independent noises x̃ = x + σz drawn per sample.
    pub fn draws(mut self, draws: usize) -> Self {
        self.draws = draws;
        self
    }

    /// Fits W to `data` by DSM at noise σ: each sample gets `draws` independent noises
    /// x̃ = x + σz, drawn from the streams of `seed`, and W solves the ridge least squares
    ///
    /// $$W^\top = -(\Phi^\top\Phi/n + \lambda\,\overline{\varphi^2}\, I)^{-1}\,\Phi^\top T/n,
    /// \qquad T_i = (\tilde x_i - x_i)/\sigma^2,$$
    ///
    /// with λ = the ridge relative to the features' mean square
    /// $\overline{\varphi^2} = \operatorname{tr}(\Phi^\top\Phi/n)/M$ (M features), not an absolute λI.
    ///
    /// The work is about samples × draws × M²/2 (fewer where bumps are cut to 0); a fit that
    /// runs over a second shows its progress.
    ///
    /// # Errors
    /// [`LearnError::EmptySamples`], [`LearnError::TooFewSamples`] (fewer noisy samples than
    /// features), [`LearnError::InvalidNoise`] for σ outside
    /// [`NOISE_RANGE`](crate::learn::NOISE_RANGE), [`LearnError::NoiseBelowRounding`] for σ
    /// too small to change the data, [`LearnError::DimensionMismatch`],
    /// [`LearnError::InvalidParameter`] for a negative ridge, [`LearnError::Limit`] for draws
    /// outside [`limits::DRAWS`], samples × draws outside [`limits::NOISY_SAMPLES`], normal
    /// equations over the memory budget ([`LinearScore::memory_estimate`]) or a fit over the
    /// [work budget](limits::work_budget), [`LearnError::Singular`].
    pub fn fit(
        &self,
        features: &RbfFeatures,
        data: &Particles,
        seed: u64,
    ) -> Result<LinearScore, LearnError> {
        let (sigma, ridge, draws) = (self.sigma, self.ridge, self.draws);
        let sigma = check_dsm_sigma(sigma, data.as_flat())?;
        if data.is_empty() {
            return Err(LearnError::EmptySamples);
        }
        if data.dim() != features.dim {
            return Err(LearnError::DimensionMismatch {
                expected: features.dim,
                found: data.dim(),
            });
        }
        if !(ridge >= 0.0 && ridge.is_finite()) {
            return Err(invalid("ridge", ridge, "must be finite and >= 0"));
        }
        limits::DRAWS.check(draws)?;
        let (d, m) = (features.dim, features.len());
        let n = limits::NOISY_SAMPLES.check(data.len().saturating_mul(draws))?;
        if n < m {
            return Err(LearnError::TooFewSamples {
                found: n,
                needed: m,
            });
        }
        limits::check_bytes(
            "normal equations",
            LinearScore::memory_estimate(m, d),
            "use fewer features",
        )?;
        limits::check_work(
            "DSM fit",
            work_estimate(n, m, d),
            "use fewer samples, draws or features",
        )?;
        let weights =
            ridge_least_squares(data, draws, (m, ridge), seed, "DSM fit", |x, rng, row| {
                for ((noisy, target), xi) in row.input.iter_mut().zip(&mut row.target).zip(x) {
                    let z: f64 = StandardNormal.sample(rng);
                    *noisy = xi + sigma * z;
                    *target = -z / sigma; // −(x̃ − x)/σ²
                }
                features.eval_into(&row.input, &mut row.dense);
                row.keep_nonzero();
            })?;
        Ok(LinearScore {
            features: features.clone(),
            weights,
            sigma,
        })
    }
}

impl LinearScore {
    /// The settings of a fit by denoising score matching at noise level σ, with ridge 10⁻⁴
    /// and one draw per sample until set otherwise; [`DsmFit::fit`] makes the fit.
    ///
    /// ```
    /// use scorelab::prelude::*;
    /// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[0.5, 0.5])?;
    /// let data = Particles::sample(&gm, 2000, 1)?;
    /// let features = RbfFeatures::grid(1, -5.0..=5.0, 21)?;
    /// let fit = LinearScore::dsm(0.5).ridge(1e-3).draws(2).fit(&features, &data, 7)?;
    /// assert_eq!(fit.sigma(), 0.5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn dsm(sigma: f64) -> DsmFit {
        DsmFit::new(sigma)
    }

    /// The bytes a fit with `features` features in dimension `dim` takes at its peak: one
    /// system ΦᵀΦ (M × M) and ΦᵀT (M × d) per parallel task plus their sum, in f64. This is the
    /// amount checked against the [memory budget](crate::memory_budget) before a fit starts.
    ///
    /// ```
    /// use scorelab::learn::LinearScore;
    /// // 172 features (13 × 13 centres in 2-D): 2.1 MB; 2 000 features: 288 MB.
    /// assert_eq!(LinearScore::memory_estimate(172, 2), 9 * (172 * 172 + 172 * 2) * 8);
    /// ```
    pub fn memory_estimate(features: usize, dim: usize) -> usize {
        let system = features
            .saturating_mul(features)
            .saturating_add(features.saturating_mul(dim));
        system.saturating_mul((TASKS + 1) * std::mem::size_of::<f64>())
    }

    /// The noise level σ the score was fit at.
    pub fn sigma(&self) -> f64 {
        self.sigma
    }

    /// Draw this score's arrows over the contours of `density` (e.g. the data's p_σ) with
    /// [`ScoreField`](crate::ScoreField).
    pub fn on<'a, D: LogDensity + ?Sized>(&'a self, density: &'a D) -> ScoreOnDensity<'a, D> {
        ScoreOnDensity {
            score: self,
            density,
        }
    }
}

impl Dimension for LinearScore {
    fn dim(&self) -> usize {
        self.features.dim
    }
}

impl Score for LinearScore {
    /// $s_W(x) = W\varphi(x)$.
    ///
    /// # Panics
    /// If `x` or `out` does not have the score's dimension d; the message names both lengths
    /// (as [`GaussianMixture`](crate::GaussianMixture)'s does).
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        let d = self.features.dim;
        assert!(
            x.len() == d,
            "x has length {}, the score has dimension {d}",
            x.len()
        );
        assert!(
            out.len() == d,
            "score output has length {}, the score has dimension {d}",
            out.len()
        );
        let m = self.features.len();
        let mut phi = [0.0; 256];
        let mut heap;
        let phi: &mut [f64] = if m <= phi.len() {
            &mut phi[..m]
        } else {
            heap = vec![0.0; m];
            &mut heap
        };
        self.features.eval_into(x, phi);
        for (o, row) in out.iter_mut().zip(self.weights.chunks_exact(m)) {
            *o = row.iter().zip(phi.iter()).map(|(w, p)| w * p).sum();
        }
    }

    /// Per feature: its distance (d), its `exp` (20) and d outputs.
    fn evaluation_cost(&self) -> f64 {
        let d = self.features.dim as f64;
        self.features.len() as f64 * (2.0 * d + 20.0)
    }
}

/// A learned score drawn over another density's contours: `log_prob` from the density, `score`
/// from the learned model.
#[derive(Debug, Clone, Copy)]
pub struct ScoreOnDensity<'a, D: ?Sized> {
    score: &'a LinearScore,
    density: &'a D,
}

impl<D: LogDensity + ?Sized> Dimension for ScoreOnDensity<'_, D> {
    fn dim(&self) -> usize {
        self.score.dim()
    }
}

impl<D: LogDensity + ?Sized> LogDensity for ScoreOnDensity<'_, D> {
    fn log_prob(&self, x: &[f64]) -> f64 {
        self.density.log_prob(x)
    }
}

impl<D: LogDensity + ?Sized> Score for ScoreOnDensity<'_, D> {
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        self.score.score_into(x, out);
    }

    fn evaluation_cost(&self) -> f64 {
        self.score.evaluation_cost()
    }
}

/// `len` zeros, reserved within the memory budget.
fn zeros(len: usize) -> Result<Vec<f64>, LearnError> {
    let mut buffer = limits::reserve("normal equations", len, "use fewer features")?;
    buffer.resize(len, 0.0);
    Ok(buffer)
}

fn invalid(name: &'static str, value: f64, reason: &'static str) -> LearnError {
    LearnError::InvalidParameter {
        name,
        value,
        reason,
    }
}

/// The units of work (see [`limits::NANOS_PER_UNIT`]) of a fit on `noisy` noisy samples
/// with `features` features in dimension `dim`: per noisy sample its features (d + 20
/// each, for the `exp`) and its half of the M × M normal equations; then one Cholesky
/// factorisation (M³/3) and d solves.
pub(crate) fn work_estimate(noisy: usize, features: usize, dim: usize) -> f64 {
    let (n, m, d) = (noisy as f64, features as f64, dim as f64);
    n * (m * m / 2.0 + m * (2.0 * d + 20.0)) + m * m * m / 3.0 + d * m * m
}

/// One noisy sample's row of a ridge regression: its input (d values, scratch), its features
/// (`dense`, M values, scratch), the indices and values of the non-zero ones (what the normal
/// equations read), and its target (d values).
pub(crate) struct Row {
    pub(crate) input: Vec<f64>,
    pub(crate) dense: Vec<f64>,
    pub(crate) index: Vec<usize>,
    pub(crate) value: Vec<f64>,
    pub(crate) target: [f64; 3],
}

impl Row {
    fn new(d: usize, m: usize) -> Self {
        Row {
            input: vec![0.0; d],
            dense: vec![0.0; m],
            index: Vec::with_capacity(m),
            value: Vec::with_capacity(m),
            target: [0.0; 3],
        }
    }

    /// Sets the sparse features from `dense`, in order (a bump cut to 0 adds nothing).
    pub(crate) fn keep_nonzero(&mut self) {
        self.index.clear();
        self.value.clear();
        for (i, &v) in self.dense.iter().enumerate() {
            if v != 0.0 {
                self.index.push(i);
                self.value.push(v);
            }
        }
    }
}

/// The ridge least squares of every fit here: each sample of `data` gives `draws` rows, made by
/// `row(x, rng, row)` from the noise stream of its chunk, and the weights (d × M, row per
/// output coordinate) solve
/// $W^\top = (\Phi^\top\Phi/n + \lambda\,\overline{\varphi^2}\, I)^{-1}\,\Phi^\top T/n$
/// with `(M, λ)` = `size` and $\overline{\varphi^2} = \operatorname{tr}(\Phi^\top\Phi/n)/M$.
///
/// Chunk c of 256 samples draws from stream (seed, [`Purpose::Perturbation`], c); the chunks
/// are summed in a fixed number of tasks, in order, so the result does not depend on the
/// thread count. The caller has checked the limits; `name` labels the progress line.
pub(crate) fn ridge_least_squares<F>(
    data: &Particles,
    draws: usize,
    (m, ridge): (usize, f64),
    seed: u64,
    name: &'static str,
    row: F,
) -> Result<Vec<f64>, LearnError>
where
    F: Fn(&[f64], &mut crate::sample::seeding::NoiseStream, &mut Row) + Sync,
{
    let d = data.dim();
    let n = data.len() * draws;
    let chunks = data.len().div_ceil(CHUNK);
    let per_task = chunks.div_ceil(TASKS);
    let progress = std::sync::Mutex::new(Progress::new(name, "noisy samples", n as u64));
    let done = std::sync::atomic::AtomicU64::new(0);
    let partial = data
        .as_flat()
        .par_chunks(per_task * CHUNK * d)
        .enumerate()
        .map(|(task, xs)| {
            let mut gram = zeros(m * m)?;
            let mut cross = zeros(m * d)?;
            let mut r = Row::new(d, m);
            for (c, xs) in xs.chunks(CHUNK * d).enumerate() {
                let mut rng = stream_rng(seed, Purpose::Perturbation, task * per_task + c);
                for x in xs.chunks_exact(d) {
                    for _ in 0..draws {
                        row(x, &mut rng, &mut r);
                        for (k, (&i, &pi)) in r.index.iter().zip(&r.value).enumerate() {
                            for (&j, &pj) in r.index[k..].iter().zip(&r.value[k..]) {
                                gram[i * m + j] += pi * pj;
                            }
                            for a in 0..d {
                                cross[i * d + a] += pi * r.target[a];
                            }
                        }
                    }
                }
                let len = (xs.len() / d * draws) as u64;
                let so_far = done.fetch_add(len, std::sync::atomic::Ordering::Relaxed) + len;
                if let Ok(mut progress) = progress.try_lock() {
                    progress.update(so_far);
                }
            }
            Ok((gram, cross))
        })
        .collect::<Result<Vec<_>, LearnError>>()?;
    if let Ok(progress) = progress.into_inner() {
        progress.finish();
    }
    let mut gram = zeros(m * m)?;
    let mut cross = zeros(m * d)?;
    for (g, c) in &partial {
        gram.iter_mut().zip(g).for_each(|(a, b)| *a += b / n as f64);
        cross
            .iter_mut()
            .zip(c)
            .for_each(|(a, b)| *a += b / n as f64);
    }
    drop(partial);
    let mean_square = (0..m).map(|i| gram[i * m + i]).sum::<f64>() / m as f64;
    for i in 0..m {
        for j in 0..i {
            gram[i * m + j] = gram[j * m + i];
        }
        gram[i * m + i] += ridge * mean_square;
    }
    let l = linalg::cholesky(&gram, m).ok_or(LearnError::Singular)?;
    let mut weights = vec![0.0; d * m];
    for a in 0..d {
        let mut b: Vec<f64> = (0..m).map(|i| cross[i * d + a]).collect();
        linalg::solve_lower(&l, m, &mut b);
        linalg::solve_lower_transposed(&l, m, &mut b);
        weights[a * m..(a + 1) * m].copy_from_slice(&b);
    }
    Ok(weights)
}
