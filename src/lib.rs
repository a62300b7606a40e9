//! popscope: a POP3 diagnostic and troubleshooting toolkit.
//!
//! Data flows one way: target -> plan (DNS) -> probe (events) -> outcome ->
//! checks -> report -> renderers or the TUI. Core code never prints. The
//! library's entry point is [`diagnose`] (or [`Engine`] to share a resolver
//! and trust store across runs) over a [`RunConfig`] built with
//! [`RunConfig::builder`]. docs/architecture.md is the map.

pub mod app;
pub mod checks;
pub mod cli;
pub mod config;
pub mod lab;
pub mod model;
pub mod pop3;
pub mod probe;
pub mod report;
pub mod run;
pub mod script;
pub mod target;
pub mod timefmt;
pub mod transcript;
pub mod tui;

pub use config::{ConfigError, Family, LoginConfig, RunConfig, RunConfigBuilder};
pub use model::{Check, Event, Security, Status};
pub use report::{Report, SCHEMA, exit_code};
pub use run::{Engine, EventSink, RunError, diagnose};
pub use transcript::{Dir, Line};
