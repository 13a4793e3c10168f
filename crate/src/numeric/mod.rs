//! Numerical building blocks shared by the layers above: Cholesky factors, fast elementary
//! functions, and SIMD dispatch.

pub(crate) mod linalg;
pub(crate) mod math;
pub(crate) mod simd;
