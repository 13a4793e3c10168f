//! The random streams of a block of particles, kept word by word so that the lanes advance with
//! vector instructions: lane l draws exactly what [`NoiseStream::new`]`(seed, particle)` would
//! for its particle, normals by the same Box–Muller transform.

use crate::sample::normals::{box_muller, unit_from_bits};
use crate::sample::seeding::{NoiseStream, xoshiro_next};

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
            for (w, v) in s.iter_mut().zip(one.state()) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_follow_their_own_streams() {
        let mut block = Streams::<4>::new(9, |l| 100 + l);
        let mut singles: Vec<NoiseStream> = (0..4).map(|l| NoiseStream::new(9, 100 + l)).collect();
        for _ in 0..3 {
            let (z1, z2) = block.normal_pair();
            let u = block.uniform();
            for (l, one) in singles.iter_mut().enumerate() {
                let mut z = [0.0; 2];
                one.fill(&mut z);
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
        stream.fill(&mut z);
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
