//! How figures reach the reader: [`Figure`](crate::Figure) as PNG (shown inline by evcxr),
//! [`Sweep`](crate::Sweep) (a slider over pre-rendered frames), [`Live`](crate::Live) (controls
//! that redraw a figure in Rust on every drag) and
//! [`Animation`](crate::Animation) (GIF).

pub(crate) mod animation;
pub(crate) mod display;
pub(crate) mod field_frames;
pub(crate) mod live;
pub(crate) mod live_error;
pub(crate) mod live_socket;
pub(crate) mod live_step;
pub(crate) mod live_values;
pub(crate) mod overlay;
pub(crate) mod raster;
pub(crate) mod sweep;
