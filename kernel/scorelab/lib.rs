//! `scorelab` in the project's notebook kernel: every item of the prebuilt shared library
//! (`target/kernel/release/libscorelab.so`, built by `make setup` from `crate/`).
//!
//! rust-analyzer (`cfg(rust_analyzer)`) reads the crate's source instead, so completion and
//! type inference see the same items.
#[cfg(not(rust_analyzer))]
pub use scorelab_prebuilt::*;
#[cfg(rust_analyzer)]
pub use scorelab_source::*;
