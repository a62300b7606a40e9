//! Rendering: `view(&Model, &mut Frame)` draws the whole screen from the
//! model, plus [`layout`], shared with [`update()`](super::update::update) so
//! that scrolling and mouse clicks agree with what is drawn.
//!
//! Each part of the screen has its own module with a
//! `render(frame, rect, model)`: `header` (target, options, verdict),
//! `checks` (the checks list), `transcript` (tabs and lines), `details`
//! (check detail, remedy, evidence, certificate tree, what a transcript line
//! means), `footer` (keys or the last notice) and `overlays` (help, the
//! new-diagnosis form and the Diagnosis view). `style` and `text` hold what they share.
//!
//! Status is always shown as a word and an icon as well as a colour, so the
//! screen reads the same with `NO_COLOR` and for colour-blind users.

mod checks;
mod details;
mod footer;
mod header;
mod overlays;
mod style;
mod text;
mod transcript;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line as TLine, Text};
use ratatui::widgets::{Paragraph, Wrap};

use super::model::{Model, Overlay, Pane};
use crate::i18n::t;

pub use details::details_lines;
pub use overlays::diagnosis_extent;
#[cfg(test)]
pub use overlays::diagnosis_lines;
pub use transcript::tab_strip;

use style::bold;

/// Smallest usable terminal; below it a message asks for a bigger window.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// From this width on, the details pane sits beside the checks and the
/// transcript gets the full width.
pub const WIDE: u16 = 120;

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Target, options and verdict (two lines).
    pub header: Rect,
    /// The checks pane (with border).
    pub checks: Rect,
    /// The transcript pane (with border; the first inner line holds the tabs).
    pub transcript: Rect,
    /// The details pane (with border).
    pub details: Rect,
    /// Key hints or the last notice (one line).
    pub footer: Rect,
}

impl Areas {
    /// Visible rows of the checks list.
    pub fn checks_rows(&self) -> usize {
        self.checks.height.saturating_sub(2) as usize
    }

    /// Visible transcript lines (below the tab row).
    pub fn transcript_rows(&self) -> usize {
        self.transcript.height.saturating_sub(3) as usize
    }

    /// Visible details lines.
    pub fn details_rows(&self) -> usize {
        self.details.height.saturating_sub(2) as usize
    }

    /// Width of the details text.
    pub fn details_width(&self) -> usize {
        self.details.width.saturating_sub(2) as usize
    }

    /// The pane under a screen position.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        let p = Position::new(x, y);
        if self.checks.contains(p) {
            Some(Pane::Checks)
        } else if self.transcript.contains(p) {
            Some(Pane::Transcript)
        } else if self.details.contains(p) {
            Some(Pane::Details)
        } else {
            None
        }
    }
}

/// Splits a screen of `width` x `height`; `None` when it is smaller than
/// [`MIN_SIZE`].
pub fn layout(width: u16, height: u16) -> Option<Areas> {
    if width < MIN_SIZE.0 || height < MIN_SIZE.1 {
        return None;
    }
    let area = Rect::new(0, 0, width, height);
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
    if width >= WIDE {
        let [checks, details] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        Some(Areas {
            header,
            checks,
            transcript: bottom,
            details,
            footer,
        })
    } else {
        let [transcript, details] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(bottom);
        Some(Areas {
            header,
            checks: top,
            transcript,
            details,
            footer,
        })
    }
}

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    let Some(areas) = layout(area.width, area.height) else {
        too_small(model, frame, area);
        return;
    };
    header::render(frame, areas.header, model);
    checks::render(frame, areas.checks, model);
    transcript::render(frame, areas.transcript, model);
    details::render(frame, areas.details, model);
    footer::render(frame, areas.footer, model);
    match model.overlay {
        Overlay::None => {}
        Overlay::Help => overlays::render_help(frame, area),
        Overlay::Form => overlays::render_form(frame, area, model),
        Overlay::Diagnosis => overlays::render_diagnosis(frame, area, model),
    }
}

#[cfg(test)]
/// Renders the model into a plain-text picture of the screen (one line per
/// row, trailing spaces kept), for snapshots and documentation.
pub fn render_to_string(model: &Model, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test backend");
    terminal.draw(|f| view(model, f)).expect("test backend");
    buffer_to_string(terminal.backend().buffer())
}

#[cfg(test)]
/// A buffer as text: each row's symbols, rows separated by newlines.
pub fn buffer_to_string(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0usize;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(x, y)];
            let sym = cell.symbol();
            out.push_str(sym);
            // wide symbols cover the next cell(s)
            let w = TLine::raw(sym.to_string()).width();
            skip = w.saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

fn too_small(model: &Model, frame: &mut Frame, area: Rect) {
    let text = Text::from(vec![
        TLine::styled(t!("tui-too-small"), bold()),
        TLine::raw(t!(
            "tui-too-small-size",
            width = model.size.0.min(area.width),
            height = model.size.1.min(area.height),
            min_width = MIN_SIZE.0,
            min_height = MIN_SIZE.1
        )),
        TLine::raw(t!("tui-too-small-hint")),
    ]);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}
