//! The probe engine: async, emits events, knows nothing about rendering.

pub mod certs;
pub mod dns;
pub mod legacy;
pub mod outcome;
pub mod plan;
pub mod tcp;
pub mod tls;
