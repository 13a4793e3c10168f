//! One keying rule for every random stream: a stream is named by (seed, purpose, index).
//!
//! A reader passes the same seed to many calls: a start cloud, a sampler, a fit. If two of those
//! drew from the same stream, the start would be correlated with the sampler's noise and the
//! statistics of the run would be wrong. One ULA step on N(0, 1) from an exact draw x₀ gives
//! x₁ = (1 − ε) x₀ + √(2ε) z, of variance (1 − ε)² + 2ε = 1.25 at ε = 0.5 when z is independent
//! of x₀; if z were drawn from x₀'s own stream the two would be correlated and the variance would
//! not be 1.25 (`tests/seeding.rs` measures it). So each kind of randomness has its own
//! [`Purpose`], and the stream of (seed, purpose, index) is a [`NoiseStream`] — xoshiro256++
//! seeded by SplitMix64 — from the key
//!
//! $$k = \mathrm{sm}\big(\text{seed} \oplus \mathrm{sm}(\text{index} \oplus c_{\text{purpose}})\big),
//! \qquad c_{\text{purpose}} = \texttt{0x5EED5EED5EED5EED} \oplus (\text{purpose} \ll 56),$$
//!
//! where sm is the SplitMix64 mixing function, a bijection of u64. For the same seed, two
//! streams coincide only if index ⊕ c agrees, which for different purposes needs an index of
//! 2⁵⁶ or more: no call reaches that (particles and steps are bounded far below).
//!
//! ```
//! use rand::Rng;
//! use scorelab::{stream_rng, Purpose};
//! let mut start = stream_rng(7, Purpose::Start, 0);
//! let mut noise = stream_rng(7, Purpose::Noise, 0);
//! assert_ne!(start.random::<u64>(), noise.random::<u64>());
//! ```

use rand::{RngCore, SeedableRng};

use crate::sample::normals::{box_muller, unit_from_bits};

/// What a random stream is used for. Streams of different purposes are independent even under
/// the same seed and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// The Langevin noise of a sampler (ULA, MALA, annealed), one stream per particle:
    /// [`NoiseStream::new`].
    Noise,
    /// Points uniform on a box: [`Particles::uniform`](crate::Particles::uniform) and
    /// [`UniformBox::point`](crate::UniformBox::point), one stream per particle.
    Start,
    /// Exact draws from a mixture: [`Particles::sample`](crate::Particles::sample), one stream
    /// per particle.
    Draw,
    /// The noise σz added to data for denoising score matching, one stream per chunk of samples.
    Perturbation,
    /// The noise of the reverse-time SDE, one stream per particle.
    ReverseNoise,
    /// The seed of the i-th run in a series (the chains of each CD iteration, each noise level
    /// of a noise-conditional fit, each step size of a study): the index is the run's number.
    Run,
}

impl Purpose {
    /// The constant c that separates this purpose's indices from every other's.
    const fn salt(self) -> u64 {
        let tag = match self {
            Purpose::Noise => 0,
            Purpose::Start => 1,
            Purpose::Draw => 2,
            Purpose::Perturbation => 3,
            Purpose::ReverseNoise => 4,
            Purpose::Run => 5,
        };
        0x5EED_5EED_5EED_5EED ^ (tag << 56)
    }
}

/// The key of stream (seed, purpose, index): the seed of its generator, or the seed passed on to
/// the index-th run of a series ([`Purpose::Run`]).
pub fn stream_key(seed: u64, purpose: Purpose, index: usize) -> u64 {
    splitmix64(seed ^ splitmix64(index as u64 ^ purpose.salt()))
}

/// The generator of stream (seed, purpose, index): independent of thread count and order.
///
/// ```
/// use rand::Rng;
/// use scorelab::{stream_rng, Purpose};
/// let a: f64 = stream_rng(1, Purpose::Draw, 3).random();
/// assert_eq!(a, stream_rng(1, Purpose::Draw, 3).random::<f64>());
/// ```
pub fn stream_rng(seed: u64, purpose: Purpose, index: usize) -> NoiseStream {
    NoiseStream::seed_from_u64(stream_key(seed, purpose, index))
}

/// SplitMix64's increment, the golden ratio in 64 bits.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output for state `z`: the state advanced by one increment, then mixed.
pub(crate) fn splitmix64(z: u64) -> u64 {
    let mut z = z.wrapping_add(GOLDEN_GAMMA);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The next output of the SplitMix64 sequence with state `x`, advancing it.
pub(crate) fn splitmix_next(x: &mut u64) -> u64 {
    let out = splitmix64(*x);
    *x = x.wrapping_add(GOLDEN_GAMMA);
    out
}

/// The one random generator: xoshiro256++ (the generator of `rand_xoshiro`'s
/// `Xoshiro256PlusPlus`, output for output), its state seeded by four SplitMix64 outputs of a
/// key. Every stream of the crate is one ([`stream_rng`]); it implements [`RngCore`], so
/// `rand`'s and `rand_distr`'s distributions draw from it, and it draws the standard normals of
/// every sampler itself ([`fill`](Self::fill)), in the order the samplers draw them: the d
/// normals of a step, then, for MALA, one [`uniform`](Self::uniform) for its accept test.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoiseStream {
    s: [u64; 4],
}

impl NoiseStream {
    /// The Langevin noise of particle `particle` under `seed`: stream
    /// (seed, [`Purpose::Noise`], particle).
    pub fn new(seed: u64, particle: usize) -> Self {
        stream_rng(seed, Purpose::Noise, particle)
    }

    /// Fills `z` with independent standard normals: ⌈len/2⌉ Box–Muller pairs, the last value
    /// of an odd length dropped.
    #[inline(always)]
    pub fn fill(&mut self, z: &mut [f64]) {
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

    /// A uniform number in [0, 1) with 53 random bits (the convention of `rand`).
    #[inline(always)]
    pub fn uniform(&mut self) -> f64 {
        unit_from_bits(self.next_u64())
    }

    /// The four words of the state, for a block of streams kept word by word.
    pub(crate) fn state(&self) -> [u64; 4] {
        self.s
    }
}

/// xoshiro256++: returns the next output and advances the state.
#[inline(always)]
pub(crate) fn xoshiro_next(s: &mut [u64; 4]) -> u64 {
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

impl RngCore for NoiseStream {
    #[inline(always)]
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        xoshiro_next(&mut self.s)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand::rand_core::impls::fill_bytes_via_next(self, dest);
    }
}

impl SeedableRng for NoiseStream {
    type Seed = [u8; 32];

    /// The state read as four little-endian words; the all-zero seed, a fixed point of
    /// xoshiro, is replaced by `seed_from_u64(0)`.
    fn from_seed(seed: [u8; 32]) -> Self {
        if seed.iter().all(|&b| b == 0) {
            return Self::seed_from_u64(0);
        }
        NoiseStream {
            s: std::array::from_fn(|w| {
                let mut word = [0; 8];
                word.copy_from_slice(&seed[8 * w..8 * w + 8]);
                u64::from_le_bytes(word)
            }),
        }
    }

    /// The state from four SplitMix64 outputs of `key`.
    fn seed_from_u64(key: u64) -> Self {
        let mut x = key;
        NoiseStream {
            s: std::array::from_fn(|_| splitmix_next(&mut x)),
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::RngCore;

    use super::*;

    #[test]
    fn the_generator_is_rand_xoshiros_xoshiro256plusplus() {
        use rand_xoshiro::Xoshiro256PlusPlus;
        // Its published reference sequence, from the state (1, 2, 3, 4).
        let mut bytes = [0u8; 32];
        for (w, chunk) in bytes.chunks_exact_mut(8).enumerate() {
            chunk.copy_from_slice(&(w as u64 + 1).to_le_bytes());
        }
        let mut reference = NoiseStream::from_seed(bytes);
        for e in [41943041, 58720359, 3588806011781223, 3591011842654386] {
            assert_eq!(reference.next_u64(), e);
        }
        // Seeded from a key, and through every method `rand` draws with, as rand_xoshiro.
        for key in [0, 7, stream_key(7, Purpose::Noise, 12), u64::MAX] {
            let mut ours = NoiseStream::seed_from_u64(key);
            let mut theirs = Xoshiro256PlusPlus::seed_from_u64(key);
            for _ in 0..8 {
                assert_eq!(ours.next_u64(), theirs.next_u64());
                assert_eq!(ours.next_u32(), theirs.next_u32());
            }
            let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
            ours.fill_bytes(&mut a);
            theirs.fill_bytes(&mut b);
            assert_eq!(a, b);
        }
        assert_eq!(
            NoiseStream::from_seed([0; 32]),
            NoiseStream::seed_from_u64(0)
        );
    }

    #[test]
    fn purposes_never_share_a_stream() {
        let purposes = [
            Purpose::Noise,
            Purpose::Start,
            Purpose::Draw,
            Purpose::Perturbation,
            Purpose::ReverseNoise,
            Purpose::Run,
        ];
        let mut keys = std::collections::HashSet::new();
        for seed in [0, 1, 7, u64::MAX] {
            for p in purposes {
                for i in 0..1000 {
                    assert!(
                        keys.insert((seed, stream_key(seed, p, i))),
                        "{seed} {p:?} {i}"
                    );
                }
            }
        }
    }
}
