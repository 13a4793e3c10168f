use scorelab::prelude::*;
fn main() {
    let s = Sweep::new("d", 0.0..=6.0, 2, |d| Curves1d::new(&GaussianMixture::new_1d(&[0.5, 0.5], &[-d / 2.0, d / 2.0], &[1.0, 1.0])?, -6.0..=6.0).size(320, 300).render()).unwrap();
    s.evcxr_display();
}
