//! Shared helpers for integration tests.
//!
//! Each test binary that needs them says `mod support;`; not every binary
//! uses every helper, hence the `dead_code` allowance inside the modules.

pub mod dovecot;
pub mod servers;
