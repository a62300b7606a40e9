//! Waiting for a condition with a deadline: how the tests synchronise with
//! servers, child processes and terminals. Nothing sleeps for a fixed time
//! and hopes; a condition is polled until it holds, and only a deadline
//! that passes is an error. Deadlines are generous ([`DEADLINE`]): the tests
//! share small, loaded machines, and a deadline is a safety net against a
//! hang, not a speed assertion.

use std::time::{Duration, Instant};

/// The deadline for anything the tests wait for.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// How often a condition is polled.
const POLL: Duration = Duration::from_millis(25);

/// Polls `probe` until it returns `Some` (that value is returned) or
/// `deadline` has passed (`None`). `probe` runs at least once.
pub fn poll<T>(deadline: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + deadline;
    loop {
        if let Some(v) = probe() {
            return Some(v);
        }
        if Instant::now() >= end {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// Polls `probe` until it returns `Some`; panics naming `what` when
/// [`DEADLINE`] passes first.
pub fn until<T>(what: &str, probe: impl FnMut() -> Option<T>) -> T {
    poll(DEADLINE, probe)
        .unwrap_or_else(|| panic!("timed out after {DEADLINE:?} waiting for {what}"))
}

/// Polls `cond` until it holds; panics naming `what` when [`DEADLINE`]
/// passes first.
pub fn until_true(what: &str, mut cond: impl FnMut() -> bool) {
    until(what, || cond().then_some(()))
}
