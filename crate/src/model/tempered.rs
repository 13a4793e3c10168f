//! A density at temperature T: $p_T(x) \propto p(x)^{1/T} = e^{-E(x)/T}$ with the energy
//! $E = -\log p$, whose score is $s/T$.

use crate::model::block_kernel::BlockKernel;
use crate::model::score::{Dimension, LogDensity, Score};
use crate::numeric::simd::LANES;

/// The density `p` at temperature T: $\log p_T = \log p / T$ (unnormalised) and score
/// $s_T = s / T = -\nabla E / T$. T = 1 is `p` itself, T > 1 flattens it, T < 1 sharpens it
/// around the minima of the energy $E = -\log p$.
///
/// ULA with step $\varepsilon T$ on $s_T$ is $x + \varepsilon T\,s/T + \sqrt{2\varepsilon T}\,z
/// = x - \varepsilon\nabla E(x) + \sqrt{2\varepsilon T}\,z$: gradient descent on E plus noise of
/// temperature T.
///
/// ```
/// use scorelab::prelude::*;
/// let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;
/// let hot = Tempered::new(&gm, 4.0)?;
/// assert_eq!(hot.score(&[2.0]), vec![-0.5]); // s(2) = −2, divided by T = 4
/// assert_eq!(hot.log_prob(&[2.0]), gm.log_prob(&[2.0]) / 4.0);
/// // p^{1/4} of N(0, 1) is N(0, 4): its ULA cloud has variance near 4.
/// let start = Particles::sample(&gm, 4000, 1)?;
/// let cloud = Ula::new(0.05 * 4.0)?.run_ensemble(&hot, &start, 2000, &[2000], 2)?;
/// let xs = cloud.last().unwrap().coordinate(0);
/// let var = xs.iter().map(|x| x * x).sum::<f64>() / xs.len() as f64;
/// assert!((var - 4.0).abs() < 0.4, "{var}");
/// assert!(Tempered::new(&gm, 0.0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Tempered<'a, D: ?Sized> {
    density: &'a D,
    temperature: f64,
}

/// Why a density could not be tempered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TemperedError {
    /// The temperature is not finite and > 0.
    #[error(
        "invalid temperature T = {temperature}: must be finite and > 0 (at T = 0 the noise vanishes and Langevin dynamics is plain gradient descent on the energy, which has no density)"
    )]
    InvalidTemperature {
        /// The temperature given.
        temperature: f64,
    },
}

impl<'a, D: ?Sized> Tempered<'a, D> {
    /// `density` at temperature T (finite, > 0).
    pub fn new(density: &'a D, temperature: f64) -> Result<Self, TemperedError> {
        if temperature > 0.0 && temperature.is_finite() {
            Ok(Tempered {
                density,
                temperature,
            })
        } else {
            Err(TemperedError::InvalidTemperature { temperature })
        }
    }

    /// The temperature T.
    pub fn temperature(&self) -> f64 {
        self.temperature
    }
}

impl<D: Dimension + ?Sized> Dimension for Tempered<'_, D> {
    fn dim(&self) -> usize {
        self.density.dim()
    }

    fn block_kernel(&self) -> Option<&dyn BlockKernel> {
        self.density
            .block_kernel()
            .map(|_| self as &dyn BlockKernel)
    }
}

impl<D: LogDensity + ?Sized> LogDensity for Tempered<'_, D> {
    fn log_prob(&self, x: &[f64]) -> f64 {
        self.density.log_prob(x) / self.temperature
    }
}

impl<D: Score + ?Sized> Score for Tempered<'_, D> {
    fn score_into(&self, x: &[f64], out: &mut [f64]) {
        self.density.score_into(x, out);
        out.iter_mut().for_each(|s| *s /= self.temperature);
    }

    fn evaluation_cost(&self) -> f64 {
        self.density.evaluation_cost()
    }
}

/// The inner density's vector kernel, divided by T: the same bits as the per-point methods.
impl<D: Dimension + ?Sized> BlockKernel for Tempered<'_, D> {
    fn score_lanes(&self, x: &[[f64; LANES]], out: &mut [[f64; LANES]]) {
        if let Some(kernel) = self.density.block_kernel() {
            kernel.score_lanes(x, out);
            self.cool(out);
        }
    }

    fn score_and_log_prob_lanes(
        &self,
        x: &[[f64; LANES]],
        out: &mut [[f64; LANES]],
    ) -> Option<[f64; LANES]> {
        let kernel = self.density.block_kernel()?;
        let log_p = kernel.score_and_log_prob_lanes(x, out);
        self.cool(out);
        log_p.map(|l| l.map(|v| v / self.temperature))
    }

    fn log_prob_lanes(&self, x: &[[f64; LANES]]) -> [f64; LANES] {
        match self.density.block_kernel() {
            Some(kernel) => kernel.log_prob_lanes(x).map(|v| v / self.temperature),
            None => [f64::NAN; LANES],
        }
    }
}

impl<D: ?Sized> Tempered<'_, D> {
    /// Divides every lane of a block of scores by T.
    fn cool(&self, out: &mut [[f64; LANES]]) {
        out.iter_mut()
            .flatten()
            .for_each(|s| *s /= self.temperature);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::mixture::GaussianMixture;

    /// The vector kernel against the per-point methods at one block of points, bit for bit.
    fn assert_same_bits(tempered: &Tempered<'_, GaussianMixture>, xs: [f64; LANES]) {
        let kernel = tempered
            .block_kernel()
            .expect("a mixture in 1-D has a vector kernel");
        let mut out = [[0.0; LANES]];
        let log_p = kernel.score_and_log_prob_lanes(&[xs], &mut out);
        let mut only = [[0.0; LANES]];
        kernel.score_lanes(&[xs], &mut only);
        let logs = kernel.log_prob_lanes(&[xs]);
        for (i, &x) in xs.iter().enumerate() {
            let (score, log) = (tempered.score(&[x])[0], tempered.log_prob(&[x]));
            assert_eq!(out[0][i].to_bits(), score.to_bits(), "score at {x}");
            assert_eq!(only[0][i].to_bits(), score.to_bits(), "score alone at {x}");
            assert_eq!(logs[i].to_bits(), log.to_bits(), "log p at {x}");
            if let Some(l) = log_p {
                assert_eq!(l[i].to_bits(), log.to_bits(), "log p with the score at {x}");
            }
        }
    }

    #[test]
    fn the_vector_kernel_gives_the_per_point_bits() {
        let gm = GaussianMixture::new_1d(&[0.7, 0.3], &[-1.2, 1.2], &[0.6, 0.6]).unwrap();
        let extreme = [
            0.0,
            -0.0,
            1e-300,
            -1e8,
            1e200,
            -f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ];
        for t in [0.37, 1.0, 1e-300, 1e300] {
            let tempered = Tempered::new(&gm, t).unwrap();
            assert_same_bits(&tempered, std::array::from_fn(|i| -3.0 + 0.7 * i as f64));
            for shift in 0..extreme.len() {
                assert_same_bits(
                    &tempered,
                    std::array::from_fn(|i| extreme[(i + shift) % extreme.len()]),
                );
            }
        }
    }

    #[test]
    fn a_temperature_that_is_not_finite_and_positive_is_refused() {
        let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0]).unwrap();
        for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                Tempered::new(&gm, t),
                Err(TemperedError::InvalidTemperature { .. })
            ));
        }
        assert_eq!(
            Tempered::new(&gm, 1.0).unwrap().score(&[0.5]),
            gm.score(&[0.5])
        );
    }
}
