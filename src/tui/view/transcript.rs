//! The transcript pane: a tab strip (one tab per endpoint, plus general)
//! and the selected tab's lines, coloured by direction and reply.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::t;
use crate::transcript::{Dir, Line};
use crate::tui::model::{Model, Overlay, Pane};

use super::style::{dim, focus_mark, pane_block, status_icon, status_style};
use super::text::clean;

/// The visible tab titles for a tab row of `width` columns: (tab index,
/// x offset, title). Shared by drawing and mouse clicks.
pub fn tab_strip(model: &Model, width: u16) -> Vec<(usize, u16, String)> {
    let titles: Vec<String> = model
        .tabs
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let icon = model
                .endpoint_status(&t.label)
                .map(status_icon)
                .unwrap_or("·");
            let sec = t
                .security
                .map(|s| format!(" {}", s.as_str()))
                .unwrap_or_default();
            format!(" {} {icon} {}{sec} ", i + 1, clean(&t.label))
        })
        .collect();
    let w = |s: &String| s.chars().count() as u16 + 1; // + separator
    // start early enough to keep the selected tab visible
    let sel = model.tab_sel.min(titles.len().saturating_sub(1));
    let mut start = 0;
    while start < sel && titles[start..=sel].iter().map(w).sum::<u16>() > width {
        start += 1;
    }
    let mut out = Vec::new();
    let mut x = 0u16;
    for (i, t) in titles.into_iter().enumerate().skip(start) {
        let tw = w(&t);
        if x >= width {
            break;
        }
        out.push((i, x, t));
        x = x.saturating_add(tw);
    }
    out
}

/// Style of a transcript line: client cyan, +OK green, -ERR red, other
/// server lines (multi-line bodies) dim, TLS magenta, notes yellow.
pub fn line_style(l: &Line) -> (&'static str, Style) {
    match l.dir {
        Dir::Client => ("C:", Style::new().fg(Color::Cyan)),
        Dir::Server if l.text.starts_with("+OK") => ("S:", Style::new().fg(Color::Green)),
        Dir::Server if l.text.starts_with("-ERR") => ("S:", Style::new().fg(Color::Red)),
        Dir::Server => ("S:", dim()),
        Dir::Tls => ("TLS", Style::new().fg(Color::Magenta)),
        Dir::Note => ("--", Style::new().fg(Color::Yellow)),
    }
}

fn transcript_line(l: &Line, selected: bool, focused: bool) -> TLine<'static> {
    let (tag, style) = line_style(l);
    let marker = if selected { "▶" } else { " " };
    let line = TLine::from(vec![
        Span::raw(marker),
        Span::styled(format!("{:>6}ms ", l.t_ms), dim()),
        Span::styled(format!("{tag:<3} "), style.add_modifier(Modifier::BOLD)),
        Span::styled(l.text.replace('\t', " "), style),
    ]);
    if selected && focused {
        line.patch_style(Style::new().add_modifier(Modifier::REVERSED))
    } else {
        line
    }
}

/// Draws the transcript pane (border, tab strip, lines) into `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let tab = model.current_tab();
    let mut title = t!(
        "tui-transcript-title",
        mark = focus_mark(model, Pane::Transcript)
    );
    if let Some(t) = tab
        && !t.follow
    {
        title.push_str(&t!("tui-transcript-paused"));
    }
    let block = pane_block(model, Pane::Transcript, TLine::from(title));
    let inner = block.inner(area);
    let block = match tab {
        Some(t) if !t.lines.is_empty() => block.title_bottom(
            TLine::from(format!(
                " {}/{} ",
                t.selected.min(t.lines.len() - 1) + 1,
                t.lines.len()
            ))
            .right_aligned(),
        ),
        _ => block,
    };
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let [tabs_area, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    // tab strip
    let mut spans = Vec::new();
    let mut x = 0u16;
    for (i, tx, title) in tab_strip(model, tabs_area.width) {
        if tx > x {
            spans.push(Span::raw(" ".repeat((tx - x) as usize)));
        }
        let st = model
            .endpoint_status(&model.tabs[i].label)
            .map(status_style)
            .unwrap_or_default();
        let st = if i == model.tab_sel {
            st.add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            st
        };
        x = tx + title.chars().count() as u16;
        spans.push(Span::styled(title, st));
        spans.push(Span::styled("│", dim()));
        x += 1;
    }
    if spans.is_empty() {
        spans.push(Span::styled(
            format!(" {}", t!("tui-no-transcript-yet")),
            dim(),
        ));
    }
    frame.render_widget(Paragraph::new(TLine::from(spans)), tabs_area);
    // lines
    let Some(tab) = tab else { return };
    let rows = body.height as usize;
    let top = tab.top(rows);
    let focused = model.focus == Pane::Transcript && model.overlay == Overlay::None;
    let lines: Vec<TLine> = tab
        .lines
        .iter()
        .enumerate()
        .skip(top)
        .take(rows)
        .map(|(i, l)| transcript_line(l, i == tab.selected, focused))
        .collect();
    frame.render_widget(Paragraph::new(lines), body);
}
