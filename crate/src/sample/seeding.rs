//! One keying rule for every random stream: a stream is named by (seed, purpose, index).
//!
//! A reader passes the same seed to many calls: a start cloud, a sampler, a fit. If two of those
//! drew from the same stream, the start would be correlated with the sampler's noise and the
//! statistics of the run would be wrong. One ULA step on N(0, 1) from an exact draw x₀ gives
//! x₁ = (1 − ε) x₀ + √(2ε) z, of variance (1 − ε)² + 2ε = 1.25 at ε = 0.5 when z is independent
//! of x₀; with one stream for both it came out 0.80. So each kind of randomness has its own
//! [`Purpose`], and the stream of (seed, purpose, index) is xoshiro256++ seeded by SplitMix64
//! from the key
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

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The random number generator of every sampler: seeded, fast, the same stream on every platform.
pub type SamplerRng = Xoshiro256PlusPlus;

/// What a random stream is used for. Streams of different purposes are independent even under
/// the same seed and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Purpose {
    /// The Langevin noise of a sampler (ULA, MALA, annealed), one stream per particle:
    /// [`NoiseStream`](crate::NoiseStream).
    Noise,
    /// Points uniform on a box: [`Particles::uniform`](crate::Particles::uniform) and
    /// [`uniform_start`](crate::uniform_start), one stream per particle.
    Start,
    /// Exact draws from a mixture: [`Particles::sample`](crate::Particles::sample), one stream
    /// per particle.
    Draw,
    /// The noise σz added to data for denoising score matching, one stream per chunk of samples.
    Perturbation,
    /// The noise of the reverse-time SDE, one stream per (step, chunk of particles).
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
pub fn stream_rng(seed: u64, purpose: Purpose, index: usize) -> SamplerRng {
    SamplerRng::seed_from_u64(stream_key(seed, purpose, index))
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

#[cfg(test)]
mod tests {
    use rand::RngCore;

    use super::*;

    #[test]
    fn the_generator_is_xoshiro_seeded_by_splitmix_from_the_key() {
        // rand_xoshiro seeds its state with four SplitMix64 outputs of the key; so does NoiseStream.
        let key = stream_key(7, Purpose::Noise, 12);
        let mut x = key;
        let words: [u64; 4] = std::array::from_fn(|_| splitmix_next(&mut x));
        let mut bytes = [0u8; 32];
        for (chunk, w) in bytes.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        let mut ours = SamplerRng::from_seed(bytes);
        let mut theirs = stream_rng(7, Purpose::Noise, 12);
        for _ in 0..8 {
            assert_eq!(ours.next_u64(), theirs.next_u64());
        }
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
