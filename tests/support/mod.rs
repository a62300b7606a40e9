//! Shared helpers of the integration tests (`tests/tests.rs`) and the
//! benchmark (`tests/bench.rs`): the one way to build the `popscope`
//! command ([`cmd`]), the report helpers ([`report`]), servers on a private
//! tokio runtime ([`net`]), the tmux driver ([`tmux`]), a raw POP3 client
//! ([`pop3`]), the private Dovecot ([`dovecot`]), the other real servers
//! ([`servers`]), their test PKI ([`pki`]) and waiting for a condition with a
//! deadline ([`wait`]).
//!
//! The benchmark uses only part of this, hence the `dead_code` allowance.

#![allow(dead_code)]

pub mod cmd;
pub mod dovecot;
pub mod http;
pub mod net;
pub mod pki;
pub mod pop3;
pub mod report;
pub mod servers;
pub mod tmux;
pub mod wait;

/// Environment variable that turns "a tool the tests need is missing"
/// (Dovecot, tmux, python3) from a skip into a test failure. `.ci/run`
/// sets it to `1`.
pub const REQUIRE_ENV: &str = "POPSCOPE_REQUIRE_INTEROP";

/// Whether [`REQUIRE_ENV`] is set (to anything but empty or `0`).
pub fn interop_required() -> bool {
    std::env::var(REQUIRE_ENV).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Returns `false` after printing `SKIPPED test: why`, or panics when
/// [`interop_required`] says skipping is not allowed.
pub fn skip(test: &str, why: &str) -> bool {
    if interop_required() {
        panic!("{test}: {REQUIRE_ENV} is set, but {why}");
    }
    eprintln!("SKIPPED {test}: {why}");
    false
}
