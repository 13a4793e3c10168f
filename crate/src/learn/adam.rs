//! Adam, one optimiser of [`Training`](crate::learn::Training) ([`Optimizer::Adam`](
//! crate::learn::Optimizer::Adam)).

use super::optimizer::UpdateRule;
use crate::model::parameter_score::MixtureParameters;

/// Adam (Kingma & Ba) for gradient *ascent*, with its usual constants.
pub(crate) struct Adam {
    rate: f64,
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}

impl Adam {
    /// Adam for θ of `n` values at learning rate `rate`.
    pub(crate) fn new(n: usize, rate: f64) -> Self {
        Adam {
            rate,
            m: vec![0.0; n],
            v: vec![0.0; n],
            t: 0,
        }
    }
}

impl UpdateRule for Adam {
    fn ascend(&mut self, theta: &mut MixtureParameters, gradient: &[f64], decay: f64) {
        const B1: f64 = 0.9;
        const B2: f64 = 0.999;
        self.t += 1;
        let mut values = theta.to_vec();
        for (i, g) in gradient.iter().enumerate() {
            self.m[i] = B1 * self.m[i] + (1.0 - B1) * g;
            self.v[i] = B2 * self.v[i] + (1.0 - B2) * g * g;
            let m = self.m[i] / (1.0 - B1.powi(self.t));
            let v = self.v[i] / (1.0 - B2.powi(self.t));
            values[i] += decay * self.rate * m / (v.sqrt() + 1e-8);
        }
        theta.set_from(&values);
    }
}
