//! popscope's integration tests: the real `popscope` binary run against
//! servers the tests start themselves on loopback (the built-in lab, an
//! in-process DNS server, tiny hostile TCP servers, a private Dovecot, real
//! POP3 clients, a real terminal in tmux).
//!
//! One test binary (`[[test]] integration` in Cargo.toml, `autotests =
//! false`): every binary links the whole crate, and link time dominates.
//! The suites are modules; their shared helpers live in `tests/support/`.
//! The benchmark (`tests/bench.rs`, with `tests/bench/exporter.rs`) is a
//! separate target of ignored tests.
//!
//! Nothing here touches an address other than 127.0.0.1 / ::1, and no test
//! asks the system resolver. Nothing sleeps to synchronise: tests wait for a
//! condition with a deadline (`support::wait`), and no test asserts how
//! fast something was.

mod support;

mod architecture;
mod classroom;
mod cli;
mod exporter;
mod hostile_corpus;
mod interop;
mod lab_abuse;
mod lab_clients;
mod secrets;
mod servers;
mod tui_e2e;
