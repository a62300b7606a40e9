//! What a transcript line means, for the details pane: a thin adapter from a
//! line's [`LineKind`] to the teaching prose in [`crate::pop3::explain`].
//!
//! The kind says what the line is (which command a reply answers, which TLS
//! event, ...); the text is only read for its variable parts (a command's
//! arguments, the numbers and response code of a status line). Everything
//! here is pure: a line in, text out.

use crate::pop3::explain as prose;
use crate::pop3::response::parse_status;
use crate::transcript::{Line, LineKind};

/// Explains one transcript line.
///
/// ```text
/// use popscope::transcript::{Dir, Line, LineKind};
/// use popscope::tui::explain::explain_line;
/// let line = Line::new(0, Dir::Client, "STAT").with_kind(LineKind::command("STAT"));
/// assert!(explain_line(&line).contains("number of messages"));
/// ```
pub fn explain_line(line: &Line) -> String {
    let text = line.text.as_str();
    match &line.kind {
        LineKind::Unclassified => prose::unclassified(line.dir),
        LineKind::Command { verb } => prose::command_line(verb, args_of(text)),
        LineKind::SaslResponse { redacted } => prose::sasl_response(*redacted),
        LineKind::SaslCancel => prose::sasl_cancel(),
        LineKind::Greeting { .. } => match parse_status(text.as_bytes()) {
            Ok(status) => prose::greeting_line(&status),
            Err(_) => prose::not_pop3_line(true),
        },
        LineKind::Reply { to, .. } => match parse_status(text.as_bytes()) {
            Ok(status) => prose::reply_line(to.as_deref(), &status),
            Err(_) => prose::not_pop3_line(false),
        },
        LineKind::Challenge => prose::challenge_line(),
        LineKind::Body { of } => prose::body_line(of.as_deref(), text),
        LineKind::Capability => prose::capability_line(text),
        LineKind::End { .. } => prose::end_line(),
        LineKind::NotPop3 { greeting } => prose::not_pop3_line(*greeting),
        LineKind::Fragment => prose::fragment_line(),
        LineKind::TlsEvent(kind) => prose::tls_event(*kind),
        LineKind::Note(kind) => prose::note(*kind),
    }
}

/// Explains the line at `index` of a transcript (empty past the end).
pub fn explain_at(lines: &[Line], index: usize) -> String {
    lines.get(index).map(explain_line).unwrap_or_default()
}

/// The arguments of a command line: everything after its verb.
fn args_of(text: &str) -> &str {
    match text.trim().split_once(' ') {
        Some((_, rest)) => rest.trim(),
        None => "",
    }
}

#[cfg(test)]
mod tests;
