//! The products the mock plays. Each owns its routes, wire models and error format, and none
//! imports another.

pub(crate) mod azure;
pub(crate) mod vb365;
