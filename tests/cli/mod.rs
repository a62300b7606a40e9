//! Modules of the integration test binary (see `tests/tests.rs`).

mod util;

mod debug_text;
mod dns;
mod exit_codes;
mod hostile;
mod ipv6;
mod lab_cmd;
mod login_reuse;
mod many;
mod output;
mod plugin;
mod scenarios;
mod schema;
mod two_port;
mod untrusted;
mod wrong_answers;
