//! popscope: a POP3 diagnostic and troubleshooting toolkit.
//!
//! Data flows one way: [`target`] → [`probe`] (events) → outcome →
//! [`checks`] → [`report`] → renderers or the TUI. Core code never prints.

pub mod app;
pub mod checks;
pub mod cli;
pub mod config;
pub mod lab;
pub mod model;
pub mod pop3;
pub mod probe;
pub mod report;
pub mod script;
pub mod target;
pub mod timefmt;
pub mod transcript;
pub mod tui;
