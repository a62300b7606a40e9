//! popscope: a POP3 diagnostic and troubleshooting toolkit.
//!
//! Data flows one way: target -> plan (DNS) -> probe (events) -> outcome ->
//! checks -> report -> renderers or the TUI. Core code never prints. The
//! library's entry point is [`diagnose`] (or [`Engine`] to share a resolver
//! and trust store across runs) over a [`RunConfig`] built with
//! [`RunConfig::builder`]. docs/architecture.md is the map.

mod app;
mod checks;
mod cli;
mod config;
mod diagnosis;
pub mod exporter;
pub mod i18n;
pub mod lab;
mod model;
mod pop3;
mod probe;
#[cfg(test)]
mod props_tests;
mod report;
mod run;
mod script;
mod target;
mod timefmt;
mod transcript;
mod tui;

pub use app::main;
pub use config::{ConfigError, Family, LoginConfig, RunConfig, RunConfigBuilder};
pub use model::{Check, CheckId, Event, Security, Status};
pub use report::{Report, SCHEMA, exit_code};
pub use run::{Engine, EventSink, RunError, diagnose};
pub use transcript::{Dir, Line};
