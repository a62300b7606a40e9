//! The checks pane: one row per check (marker, status icon and word, id,
//! endpoint, duration, summary), scrolled to keep the selection visible.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::t;
use crate::tui::model::{CheckRow, Model, Pane, RunState};

use super::style::{bold, dim, focus_mark, pane_block, spinner, status_icon, status_style};
use super::text::clean;

fn check_row_line(
    model: &Model,
    row: &CheckRow,
    selected: bool,
    id_w: usize,
    ep_w: usize,
) -> TLine<'static> {
    let marker = if selected { "▶" } else { " " };
    let (icon, word, style) = match &row.check {
        Some(c) => (
            status_icon(c.status),
            c.status.label(),
            status_style(c.status),
        ),
        None if model.is_running() => (spinner(model), "RUN ", Style::new().fg(Color::Cyan)),
        None => ("…", "----", dim()),
    };
    let ep = row
        .endpoint
        .as_deref()
        .map(clean)
        .unwrap_or_else(|| "-".into());
    let dur = row
        .check
        .as_ref()
        .and_then(|c| c.duration_ms)
        .map(|d| format!("{d}ms"))
        .unwrap_or_default();
    let summary = match &row.check {
        Some(c) => clean(&c.summary),
        None if model.is_running() => t!("tui-running"),
        None => t!("tui-did-not-finish"),
    };
    let mut line = TLine::from(vec![
        Span::raw(marker),
        Span::styled(
            format!("{icon} {word:<4}"),
            style.add_modifier(Modifier::BOLD),
        ),
        Span::raw(" "),
        Span::styled(format!("{:<id_w$}", row.id.to_string()), bold()),
        Span::raw(" "),
        Span::styled(format!("{ep:<ep_w$}"), dim()),
        Span::raw(format!(" {dur:>6} ")),
        Span::raw(summary),
    ]);
    if selected && model.focus == Pane::Checks {
        line = line.patch_style(Style::new().add_modifier(Modifier::REVERSED));
    }
    line
}

/// Draws the checks pane (with its border) into `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let (done, seen) = model.progress();
    let title = TLine::from(t!(
        "tui-checks-title",
        mark = focus_mark(model, Pane::Checks),
        done = done,
        seen = seen
    ));
    let block = pane_block(model, Pane::Checks, title);
    let inner = block.inner(area);
    let rows = inner.height as usize;
    let mut lines = Vec::new();
    if model.checks.is_empty() {
        let msg = match model.state {
            RunState::Running => t!("tui-checks-waiting"),
            RunState::Idle => t!("tui-checks-idle"),
            _ => t!("tui-checks-none"),
        };
        lines.push(TLine::styled(format!(" {msg}"), dim()));
    } else {
        let id_w = model
            .checks
            .iter()
            .map(|r| r.id.to_string().chars().count())
            .max()
            .unwrap_or(0)
            .min(20);
        let ep_w = model
            .checks
            .iter()
            .map(|r| r.endpoint.as_deref().map_or(1, |e| e.chars().count()))
            .max()
            .unwrap_or(1)
            .min(24);
        let offset = model
            .check_offset
            .min(model.checks.len().saturating_sub(rows));
        for (i, row) in model.checks.iter().enumerate().skip(offset).take(rows) {
            lines.push(check_row_line(model, row, i == model.check_sel, id_w, ep_w));
        }
    }
    let block = if model.checks.len() > rows {
        block.title_bottom(
            TLine::from(format!(" {}/{} ", model.check_sel + 1, model.checks.len()))
                .right_aligned(),
        )
    } else {
        block
    };
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
