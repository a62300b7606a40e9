//! Overlays drawn over the panes: the help (`?`) and the new-diagnosis form
//! (`n`) with its cursor and its error message.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::model::Status;
use crate::tui::form::Field;
use crate::tui::model::Model;

use super::style::{SPINNER, bold, dim, status_icon, status_style};
use super::text::clean;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Every key, as shown in the help overlay and docs/tui.md.
pub const KEYS: &[(&str, &str)] = &[
    ("? F1", "this help (any key closes it)"),
    ("Tab Shift-Tab", "next / previous pane"),
    ("↑ ↓", "move the selection, or scroll the details"),
    ("PgUp PgDn", "a page up / down"),
    ("Home End", "first / last (End follows new lines)"),
    ("← → 1-9", "previous / next / n-th transcript tab"),
    ("Enter", "on a check: show its endpoint's transcript"),
    (
        "mouse",
        "wheel scrolls the pane under the pointer; click selects",
    ),
    ("r", "run the same diagnosis again"),
    ("n", "new diagnosis: target and options form"),
    ("j / s", "save the report as JSON / text (path shown below)"),
    ("q Esc Ctrl-C", "quit"),
];

/// Draws the help overlay centred in `area`.
pub(super) fn render_help(frame: &mut Frame, area: Rect) {
    let mut lines = vec![TLine::styled(
        "Keys",
        bold().add_modifier(Modifier::UNDERLINED),
    )];
    for (k, what) in KEYS {
        lines.push(TLine::from(vec![
            Span::styled(format!(" {k:<14}"), bold()),
            Span::raw(*what),
        ]));
    }
    lines.push(TLine::raw(""));
    lines.push(TLine::styled(
        "Status",
        bold().add_modifier(Modifier::UNDERLINED),
    ));
    let mut st = vec![Span::raw(" ")];
    for s in [
        Status::Pass,
        Status::Warn,
        Status::Fail,
        Status::Info,
        Status::Skip,
    ] {
        st.push(Span::styled(
            format!("{} {}", status_icon(s), s.label()),
            status_style(s),
        ));
        st.push(Span::raw("  "));
    }
    st.push(Span::styled(
        format!("{} RUN", SPINNER[0]),
        Style::new().fg(Color::Cyan),
    ));
    lines.push(TLine::from(st));
    lines.push(TLine::styled(
        "Transcript",
        bold().add_modifier(Modifier::UNDERLINED),
    ));
    lines.push(TLine::from(vec![
        Span::raw(" "),
        Span::styled("C: client", Style::new().fg(Color::Cyan)),
        Span::raw("  "),
        Span::styled("S: +OK", Style::new().fg(Color::Green)),
        Span::raw("  "),
        Span::styled("S: -ERR", Style::new().fg(Color::Red)),
        Span::raw("  "),
        Span::styled("S: body", dim()),
        Span::raw("  "),
        Span::styled("TLS event", Style::new().fg(Color::Magenta)),
        Span::raw("  "),
        Span::styled("-- note", Style::new().fg(Color::Yellow)),
    ]));
    let h = lines.len() as u16 + 2;
    let r = centered(area, 72, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(TLine::styled(" popscope help ", bold()))
        .title_bottom(TLine::from(" press any key ").right_aligned());
    frame.render_widget(Paragraph::new(lines).block(block), r);
}

/// Draws the new-diagnosis form centred in `area` and puts the cursor in
/// the focused field.
pub(super) fn render_form(frame: &mut Frame, area: Rect, model: &Model) {
    let f = &model.form;
    let width = 76.min(area.width.saturating_sub(2)).max(40);
    let height = Field::ALL.len() as u16 + 6;
    let r = centered(area, width, height);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(Color::Cyan))
        .title(TLine::styled(" New diagnosis ", bold()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let label_w = 12u16;
    let mut cursor = None;
    for (i, field) in Field::ALL.iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.bottom() {
            break;
        }
        let focused = i == f.focus;
        let value = f.display_value(*field);
        let label = Span::styled(
            format!(
                "{}{:<w$}",
                if focused { "▶" } else { " " },
                field.label(),
                w = label_w as usize - 1
            ),
            if focused { bold() } else { Style::default() },
        );
        let input_w = inner.width.saturating_sub(label_w) as usize;
        let input = if value.is_empty() {
            Span::styled(
                format!("{:<input_w$}", field.placeholder()),
                dim().add_modifier(Modifier::ITALIC),
            )
        } else {
            Span::raw(format!("{value:<input_w$}"))
        };
        let input = if focused {
            input.patch_style(Style::new().add_modifier(Modifier::UNDERLINED))
        } else {
            input
        };
        frame.render_widget(
            Paragraph::new(TLine::from(vec![label, input])),
            Rect::new(inner.x, y, inner.width, 1),
        );
        if focused {
            let col = if field.is_secret() {
                value.chars().count()
            } else {
                f.cursor.min(value.chars().count())
            };
            let x = (inner.x + label_w + col as u16).min(inner.right().saturating_sub(1));
            cursor = Some(Position::new(x, y));
        }
    }
    let msg_y = inner.y + Field::ALL.len() as u16 + 1;
    if let Some(e) = &f.error
        && msg_y < inner.bottom()
    {
        let err = Paragraph::new(TLine::styled(
            format!(" ✖ {}", clean(e)),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ))
        .wrap(Wrap { trim: true });
        frame.render_widget(
            err,
            Rect::new(inner.x, msg_y, inner.width, 2.min(inner.bottom() - msg_y)),
        );
    }
    let hint_y = inner.bottom().saturating_sub(1);
    frame.render_widget(
        Paragraph::new(TLine::styled(
            " Enter start · Tab/↑↓ field · ←→ Home End edit · Ctrl-U clear · Esc cancel",
            dim(),
        )),
        Rect::new(inner.x, hint_y, inner.width, 1),
    );
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}
