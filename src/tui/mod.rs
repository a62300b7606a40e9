//! The terminal user interface (`popscope tui`), built as The Elm
//! Architecture: one [`Model`], one [`Message`] enum, [`update()`] (pure, returns
//! [`Command`]s for side effects) and [`view()`] (draws the model).
//!
//! The TUI never touches the network: a diagnosis is started through an
//! injected [`Runner`], whose live [`Event`]s fill the
//! checks and transcript panes and whose final [`Report`] replaces them.
//! Terminal I/O lives in [`runtime`] only, so everything else is tested with
//! ratatui's `TestBackend`.
//!
//! Screen: a header (target, options, verdict), the checks pane, the
//! transcript pane (one tab per endpoint), the details pane (check detail,
//! remedy, evidence, certificate chain, or what a transcript line means), a
//! footer (keys or the last notice), and overlays for help (`?`), the
//! new-diagnosis form (`n`) and the Diagnosis view (`d`: the causes, the
//! mail client settings that work now, the fixes). See docs/tui.md.

pub mod explain;
pub mod form;
pub mod model;
pub mod runtime;
#[cfg(test)]
pub mod testing;
pub mod update;
pub mod view;

#[cfg(test)]
mod diagnosis_tests;
#[cfg(test)]
mod french_tests;
#[cfg(test)]
mod screens_tests;

pub use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

use crate::config::RunConfig;
use crate::model::Event;
use crate::report::Report;

pub use runtime::run;

/// Starts diagnoses for the TUI. The application implements it with the real
/// engine; tests use [`testing::ScriptedRunner`].
pub trait Runner: Send + Sync + 'static {
    /// Starts a diagnosis; events stream into `events`; the future resolves
    /// to the final report. `start` itself must return at once (the work
    /// happens when the future is polled); dropping the future cancels the
    /// diagnosis.
    fn start(
        &self,
        cfg: RunConfig,
        events: UnboundedSender<Event>,
    ) -> BoxFuture<'static, anyhow::Result<Report>>;
}
