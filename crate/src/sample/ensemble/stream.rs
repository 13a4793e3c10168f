//! The random stream of each particle, and standard normal draws that vectorise.
//!
//! A stream is xoshiro256++ seeded by SplitMix64 from the key (seed, [`Purpose::Noise`], particle):
//! the generator of [`stream_rng`](crate::stream_rng), written out so that a block of
//! particles can keep its streams coordinate by coordinate and advance them with vector
//! instructions. Normals come in pairs by the Box–Muller transform,
//!
//! $$z_1 = \rho \cos\theta,\quad z_2 = \rho \sin\theta, \qquad \rho = \sqrt{-2 \ln u},\ \theta \sim \mathcal U[0, 2\pi),$$
//!
//! with branch-free ln, sin and cos, so a lane loop over it compiles to straight-line vector
//! code. A step that needs d normals takes ⌈d/2⌉ pairs and drops the last value if d is odd.

use crate::numeric::math::{ln_unit, sin_cos_octant};
use crate::sample::seeding::{Purpose, splitmix_next, stream_key};

/// Bits of 1.0: OR-ing 52 random bits into them gives a uniform float in [1, 2).
const ONE_BITS: u64 = 0x3ff0_0000_0000_0000;

/// The noise of one particle: the standard normals every sampler draws, in the order it draws
/// them. [`fill`](Self::fill) gives the d normals of one step; MALA then takes one
/// [`uniform`](Self::uniform) for its accept test.
///
/// With it the ULA loop can be written out by hand and gives exactly the numbers of
/// [`Ula::run`](crate::Ula::run) (which is particle 0 of [`Ula::run_ensemble`](crate::Ula::run_ensemble)):
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;
/// let (eps, n, seed) = (0.1, 50, 7);
/// let start = vec![0.5];
///
/// let mut noise = NoiseStream::new(seed, 0);
/// let (mut x, mut z) = (start.clone(), vec![0.0; 1]);
/// for _ in 0..n {
///     let s = gm.score(&x);
///     noise.fill(&mut z);
///     for i in 0..x.len() {
///         x[i] += eps * s[i] + (2.0 * eps).sqrt() * z[i];
///     }
/// }
/// let path = Ula::new(eps)?.run(&gm, &start, n, seed)?;
/// assert_eq!(path.point(n).unwrap(), x.as_slice());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct NoiseStream {
    s: [u64; 4],
}

impl NoiseStream {
    /// The noise of particle `particle` under `seed`: stream (seed, [`Purpose::Noise`], particle).
    pub fn new(seed: u64, particle: usize) -> Self {
        let mut x = stream_key(seed, Purpose::Noise, particle);
        NoiseStream {
            s: std::array::from_fn(|_| splitmix_next(&mut x)),
        }
    }

    /// Fills `z` with independent standard normals: ⌈len/2⌉ Box–Muller pairs, the last value
    /// of an odd length dropped.
    pub fn fill(&mut self, z: &mut [f64]) {
        self.normals_into(z);
    }

    #[inline(always)]
    pub(crate) fn next_u64(&mut self) -> u64 {
        xoshiro_next(&mut self.s)
    }

    /// A uniform number in [0, 1) with 53 random bits (the convention of `rand`).
    #[inline(always)]
    pub fn uniform(&mut self) -> f64 {
        unit_from_bits(self.next_u64())
    }

    /// Fills `z` with independent standard normals, ⌈len/2⌉ pairs.
    #[inline(always)]
    pub(crate) fn normals_into(&mut self, z: &mut [f64]) {
        for pair in z.chunks_mut(2) {
            let a = self.next_u64();
            let b = self.next_u64();
            let (z1, z2) = box_muller(a, b);
            pair[0] = z1;
            if let Some(v) = pair.get_mut(1) {
                *v = z2;
            }
        }
    }
}

/// The streams of a block of `L` particles, word by word: `s[w][l]` is word w of lane l.
#[derive(Debug, Clone)]
pub(crate) struct Streams<const L: usize> {
    s: [[u64; L]; 4],
}

impl<const L: usize> Streams<L> {
    /// The streams of particles `index(0), …, index(L − 1)` under `seed`.
    pub(crate) fn new(seed: u64, index: impl Fn(usize) -> usize) -> Self {
        let mut s = [[0; L]; 4];
        for l in 0..L {
            let one = NoiseStream::new(seed, index(l));
            for (w, v) in s.iter_mut().zip(one.s) {
                w[l] = v;
            }
        }
        Streams { s }
    }

    #[inline(always)]
    pub(crate) fn next_u64(&mut self) -> [u64; L] {
        let mut out = [0; L];
        for (l, o) in out.iter_mut().enumerate() {
            let mut s = [self.s[0][l], self.s[1][l], self.s[2][l], self.s[3][l]];
            *o = xoshiro_next(&mut s);
            for (w, v) in self.s.iter_mut().zip(s) {
                w[l] = v;
            }
        }
        out
    }

    /// One uniform in [0, 1) per lane.
    #[inline(always)]
    pub(crate) fn uniform(&mut self) -> [f64; L] {
        self.next_u64().map(unit_from_bits)
    }

    /// One pair of standard normals per lane.
    #[inline(always)]
    pub(crate) fn normal_pair(&mut self) -> ([f64; L], [f64; L]) {
        let a = self.next_u64();
        let b = self.next_u64();
        let mut z1 = [0.0; L];
        let mut z2 = [0.0; L];
        for l in 0..L {
            (z1[l], z2[l]) = box_muller(a[l], b[l]);
        }
        (z1, z2)
    }
}

/// xoshiro256++: returns the next output and advances the state.
#[inline(always)]
fn xoshiro_next(s: &mut [u64; 4]) -> u64 {
    let out = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
    let t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3].rotate_left(45);
    out
}

#[inline(always)]
fn unit_from_bits(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Two independent standard normals from two random words: the radius from `a`
/// (u = 2 − [1, 2) ∈ (0, 1], 52 bits, so |z| ≤ 8.5), the angle from `b` (a quarter turn from its
/// top two bits, an offset uniform in [−π/4, π/4) from the next 52).
#[inline(always)]
pub(crate) fn box_muller(a: u64, b: u64) -> (f64, f64) {
    let u = 2.0 - f64::from_bits((a >> 12) | ONE_BITS);
    let rho = (-2.0 * ln_unit(u)).sqrt();
    let offset = f64::from_bits(((b << 2) >> 12) | ONE_BITS) - 1.5;
    let (sin, cos) = sin_cos_octant(offset * std::f64::consts::FRAC_PI_2);
    // Quarter turn q: (cos, sin) ↦ (cos, sin), (−sin, cos), (−cos, −sin), (sin, −cos).
    let q = b >> 62;
    let swap = q & 1;
    let (x, y) = if swap == 1 { (sin, cos) } else { (cos, sin) };
    let flip_x = (q ^ (q >> 1)) & 1; // q = 1, 2
    let flip_y = q >> 1; // q = 2, 3
    let x = f64::from_bits(x.to_bits() ^ (flip_x << 63));
    let y = f64::from_bits(y.to_bits() ^ (flip_y << 63));
    (rho * x, rho * y)
}

#[cfg(test)]
mod tests {
    use rand::RngCore;

    use super::*;
    use crate::sample::seeding::stream_rng;

    #[test]
    fn stream_is_the_noise_rng() {
        for (seed, index) in [(0, 0), (7, 12345), (u64::MAX, 3)] {
            let mut ours = NoiseStream::new(seed, index);
            let mut theirs = stream_rng(seed, Purpose::Noise, index);
            for _ in 0..10 {
                assert_eq!(ours.next_u64(), theirs.next_u64());
            }
        }
    }

    #[test]
    fn lanes_follow_their_own_streams() {
        let mut block = Streams::<4>::new(9, |l| 100 + l);
        let mut singles: Vec<NoiseStream> = (0..4).map(|l| NoiseStream::new(9, 100 + l)).collect();
        for _ in 0..3 {
            let (z1, z2) = block.normal_pair();
            let u = block.uniform();
            for (l, one) in singles.iter_mut().enumerate() {
                let mut z = [0.0; 2];
                one.normals_into(&mut z);
                assert_eq!((z1[l], z2[l]), (z[0], z[1]));
                assert_eq!(u[l], one.uniform());
            }
        }
    }

    #[test]
    fn normals_have_standard_moments_and_quadrants() {
        let mut stream = NoiseStream::new(1, 0);
        let n = 400_000;
        let mut z = vec![0.0; n];
        stream.normals_into(&mut z);
        let m = |k: i32| z.iter().map(|v| v.powi(k)).sum::<f64>() / n as f64;
        assert!(m(1).abs() < 0.01, "mean {}", m(1));
        assert!((m(2) - 1.0).abs() < 0.01, "variance {}", m(2));
        assert!(m(3).abs() < 0.03, "third moment {}", m(3));
        assert!((m(4) - 3.0).abs() < 0.05, "fourth moment {}", m(4));
        // Pairs are uncorrelated and every quadrant is equally likely.
        let corr = z.chunks_exact(2).map(|p| p[0] * p[1]).sum::<f64>() / (n / 2) as f64;
        assert!(corr.abs() < 0.01, "correlation {corr}");
        let mut quadrants = [0usize; 4];
        for p in z.chunks_exact(2) {
            quadrants[usize::from(p[0] < 0.0) + 2 * usize::from(p[1] < 0.0)] += 1;
        }
        for q in quadrants {
            assert!(
                (q as f64 / (n / 2) as f64 - 0.25).abs() < 0.005,
                "{quadrants:?}"
            );
        }
        // P(|z| > 2) = 0.0455.
        let tail = z.iter().filter(|v| v.abs() > 2.0).count() as f64 / n as f64;
        assert!((tail - 0.0455).abs() < 0.002, "tail {tail}");
    }
}
