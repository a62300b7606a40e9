//! The footer: the last notice (an error in red) or the key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::t;
use crate::tui::model::Model;

use super::style::bold;
use super::text::clean;

/// Draws the footer line into `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let line = match &model.notice {
        Some(n) if n.error => TLine::styled(
            t!("tui-footer-error", text = clean(&n.text)),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        Some(n) => TLine::styled(
            format!(" {}", clean(&n.text)),
            Style::new().fg(Color::Green),
        ),
        None => {
            let keys: [(&str, String); 9] = [
                ("?", t!("tui-footer-help")),
                ("d", t!("tui-footer-diagnosis")),
                ("Tab", t!("tui-footer-pane")),
                ("↑↓", t!("tui-footer-move")),
                ("←→", t!("tui-footer-tab")),
                ("r", t!("tui-footer-run")),
                ("n", t!("tui-footer-new")),
                ("j/s", t!("tui-footer-save")),
                ("q", t!("tui-footer-quit")),
            ];
            let mut spans = vec![Span::raw(" ")];
            for (k, what) in keys {
                spans.push(Span::styled(k, bold().add_modifier(Modifier::REVERSED)));
                spans.push(Span::raw(format!(" {what}  ")));
            }
            TLine::from(spans)
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}
