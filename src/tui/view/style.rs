//! Shared looks: status icons and colours, the spinner, dim/bold, and the
//! border and title of a pane (thick and cyan when it has the focus).

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line as TLine;
use ratatui::widgets::{Block, BorderType, Borders};

use crate::model::Status;
use crate::tui::model::{Model, Overlay, Pane};

/// Spinner frames, one per tick.
pub(super) const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Icon for a status (one column wide).
pub fn status_icon(s: Status) -> &'static str {
    match s {
        Status::Pass => "✔",
        Status::Warn => "▲",
        Status::Fail => "✖",
        Status::Info => "ℹ",
        Status::Skip => "–",
    }
}

/// Colour for a status.
pub fn status_style(s: Status) -> Style {
    match s {
        Status::Pass => Style::new().fg(Color::Green),
        Status::Warn => Style::new().fg(Color::Yellow),
        Status::Fail => Style::new().fg(Color::Red),
        Status::Info => Style::new().fg(Color::Blue),
        Status::Skip => Style::new().add_modifier(Modifier::DIM),
    }
}

pub(super) fn spinner(model: &Model) -> &'static str {
    SPINNER[(model.tick % SPINNER.len() as u64) as usize]
}

pub(super) fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub(super) fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub(super) fn pane_block<'a>(model: &Model, pane: Pane, title: TLine<'a>) -> Block<'a> {
    let focused = model.focus == pane && model.overlay == Overlay::None;
    let block = Block::new().borders(Borders::ALL).title(title);
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(Style::new().fg(Color::Cyan))
            .title_style(bold())
    } else {
        block.border_type(BorderType::Plain).border_style(dim())
    }
}

pub(super) fn focus_mark(model: &Model, pane: Pane) -> &'static str {
    if model.focus == pane && model.overlay == Overlay::None {
        "▶ "
    } else {
        ""
    }
}
