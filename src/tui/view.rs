//! Rendering: `view(&Model, &mut Frame)` draws the whole screen from the
//! model, plus [`layout`], shared with [`update()`](super::update::update) so
//! that scrolling and mouse clicks agree with what is drawn.
//!
//! Status is always shown as a word and an icon as well as a colour, so the
//! screen reads the same with `NO_COLOR` and for colour-blind users.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span, Text};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Wrap};

use crate::model::{Check, Status, TlsInfo};
use crate::transcript::{Dir, Line, sanitize_str};

use super::explain::explain_at;
use super::form::Field;
use super::model::{CheckRow, GENERAL_TAB, Model, Overlay, Pane, RunState, Tab};

/// Smallest usable terminal; below it a message asks for a bigger window.
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// From this width on, the details pane sits beside the checks and the
/// transcript gets the full width.
pub const WIDE: u16 = 120;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

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

/// Makes engine text safe and single-line for a cell grid: sanitised again
/// (defence in depth), tabs as spaces.
pub fn clean(s: &str) -> String {
    sanitize_str(s).replace('\t', " ")
}

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

fn spinner(model: &Model) -> &'static str {
    SPINNER[(model.tick % SPINNER.len() as u64) as usize]
}

fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// Draws the whole screen.
pub fn view(model: &Model, frame: &mut Frame) {
    let area = frame.area();
    let Some(areas) = layout(area.width, area.height) else {
        too_small(model, frame, area);
        return;
    };
    header(model, frame, areas.header);
    checks_pane(model, frame, areas.checks);
    transcript_pane(model, frame, areas.transcript);
    details_pane(model, frame, &areas);
    footer(model, frame, areas.footer);
    match model.overlay {
        Overlay::None => {}
        Overlay::Help => help(frame, area),
        Overlay::Form => form(model, frame, area),
    }
}

/// Renders the model into a plain-text picture of the screen (one line per
/// row, trailing spaces kept), for snapshots and documentation.
pub fn render_to_string(model: &Model, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test backend");
    terminal.draw(|f| view(model, f)).expect("test backend");
    buffer_to_string(terminal.backend().buffer())
}

/// A buffer as text: each row's symbols, rows separated by newlines.
pub fn buffer_to_string(buf: &Buffer) -> String {
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
        TLine::styled("popscope: terminal too small", bold()),
        TLine::raw(format!(
            "{}x{} here; the screen needs at least {}x{}.",
            model.size.0.min(area.width),
            model.size.1.min(area.height),
            MIN_SIZE.0,
            MIN_SIZE.1
        )),
        TLine::raw("Enlarge the window, or press q to quit."),
    ]);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn pane_block<'a>(model: &Model, pane: Pane, title: TLine<'a>) -> Block<'a> {
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

fn focus_mark(model: &Model, pane: Pane) -> &'static str {
    if model.focus == pane && model.overlay == Overlay::None {
        "▶ "
    } else {
        ""
    }
}

// ---------------------------------------------------------------- header

fn options_line(model: &Model) -> String {
    let Some(cfg) = &model.config else {
        return "no diagnosis yet: press n to start one, ? for help".into();
    };
    let mut parts = Vec::new();
    match (cfg.target.port, cfg.target.security) {
        (Some(p), Some(s)) => parts.push(format!("port {p} ({})", s.as_str())),
        (Some(p), None) => parts.push(format!("port {p}")),
        (None, Some(s)) => parts.push(format!("security {}", s.as_str())),
        (None, None) => parts.push(format!("ports {} + {}", cfg.plain_port, cfg.tls_port)),
    }
    parts.push(format!("timeout {:?}", cfg.timeout));
    parts.push(format!("deadline {:?}", cfg.deadline));
    parts.push(
        match cfg.family {
            crate::config::Family::Any => "IPv4+IPv6",
            crate::config::Family::V4 => "IPv4 only",
            crate::config::Family::V6 => "IPv6 only",
        }
        .into(),
    );
    parts.push(match &cfg.ca_file {
        Some(p) => format!("CA: system + {}", p.display()),
        None => "CA: system".into(),
    });
    if let Some(n) = &cfg.tls_name {
        parts.push(format!("TLS name {n}"));
    }
    if !cfg.dns_servers.is_empty() {
        let s: Vec<String> = cfg.dns_servers.iter().map(|a| a.to_string()).collect();
        parts.push(format!("DNS {}", s.join(",")));
    }
    clean(&parts.join(" · "))
}

fn header(model: &Model, frame: &mut Frame, area: Rect) {
    let mut first = vec![Span::styled(
        " popscope ",
        bold().add_modifier(Modifier::REVERSED),
    )];
    if let Some(cfg) = &model.config {
        first.push(Span::raw(" "));
        first.push(Span::styled(clean(&cfg.target.input), bold()));
    }
    first.push(Span::raw("  "));
    match &model.state {
        RunState::Idle => first.push(Span::styled("idle", dim())),
        RunState::Running => {
            let (done, seen) = model.progress();
            first.push(Span::styled(
                format!("{} RUNNING", spinner(model)),
                bold().fg(Color::Cyan),
            ));
            first.push(Span::raw(format!("  {done}/{seen} checks done")));
        }
        RunState::Done => {
            if let Some(r) = &model.report {
                first.push(Span::styled(
                    format!("{} {}", status_icon(r.verdict), r.verdict.label()),
                    status_style(r.verdict).add_modifier(Modifier::BOLD | Modifier::REVERSED),
                ));
                first.push(Span::raw(format!(
                    "  {} · {} ms",
                    clean(&r.summary),
                    r.duration_ms
                )));
            }
        }
        RunState::Failed(e) => {
            first.push(Span::styled(
                "✖ ERROR",
                Style::new()
                    .fg(Color::Red)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            ));
            first.push(Span::raw(format!(
                "  the diagnosis could not run: {}",
                clean(e)
            )));
        }
    }
    let second = TLine::styled(format!(" {}", options_line(model)), dim());
    frame.render_widget(Paragraph::new(vec![TLine::from(first), second]), area);
}

// ---------------------------------------------------------------- checks

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
        None if model.is_running() => "running…".into(),
        None => "did not finish".into(),
    };
    let mut line = TLine::from(vec![
        Span::raw(marker),
        Span::styled(
            format!("{icon} {word:<4}"),
            style.add_modifier(Modifier::BOLD),
        ),
        Span::raw(" "),
        Span::styled(format!("{:<id_w$}", clean(&row.id)), bold()),
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

fn checks_pane(model: &Model, frame: &mut Frame, area: Rect) {
    let (done, seen) = model.progress();
    let title = TLine::from(format!(
        " {}Checks {done}/{seen} ",
        focus_mark(model, Pane::Checks)
    ));
    let block = pane_block(model, Pane::Checks, title);
    let inner = block.inner(area);
    let rows = inner.height as usize;
    let mut lines = Vec::new();
    if model.checks.is_empty() {
        let msg = match model.state {
            RunState::Running => "waiting for the first check…",
            RunState::Idle => "no diagnosis yet: press n to start one",
            _ => "no checks",
        };
        lines.push(TLine::styled(format!(" {msg}"), dim()));
    } else {
        let id_w = model
            .checks
            .iter()
            .map(|r| r.id.chars().count())
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

// ---------------------------------------------------------------- transcript

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

fn transcript_pane(model: &Model, frame: &mut Frame, area: Rect) {
    let tab = model.current_tab();
    let mut title = format!(" {}Transcript ", focus_mark(model, Pane::Transcript));
    if let Some(t) = tab
        && !t.follow
    {
        title.push_str("(paused: End follows) ");
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
        spans.push(Span::styled(" no transcript yet", dim()));
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

// ---------------------------------------------------------------- details

fn wrap_into(out: &mut Vec<TLine<'static>>, text: &str, width: usize, indent: usize, style: Style) {
    let width = width.max(indent + 8);
    let avail = width - indent;
    let pad = " ".repeat(indent);
    for para in text.split('\n') {
        let para = clean(para);
        let mut cur = String::new();
        let mut cur_len = 0usize;
        for word in para.split(' ') {
            let wl = word.chars().count();
            if cur_len > 0 && cur_len + 1 + wl > avail {
                out.push(TLine::styled(format!("{pad}{cur}"), style));
                cur.clear();
                cur_len = 0;
            }
            if wl > avail {
                // hard-split long words (hex, base64, URLs)
                let chars: Vec<char> = word.chars().collect();
                for chunk in chars.chunks(avail) {
                    if cur_len > 0 {
                        out.push(TLine::styled(format!("{pad}{cur}"), style));
                        cur.clear();
                    }
                    cur = chunk.iter().collect();
                    cur_len = chunk.len();
                }
                continue;
            }
            if cur_len > 0 {
                cur.push(' ');
                cur_len += 1;
            }
            cur.push_str(word);
            cur_len += wl;
        }
        out.push(TLine::styled(format!("{pad}{cur}"), style));
    }
}

fn heading(out: &mut Vec<TLine<'static>>, text: &str) {
    out.push(TLine::styled(
        text.to_string(),
        bold().add_modifier(Modifier::UNDERLINED),
    ));
}

fn cert_tree(out: &mut Vec<TLine<'static>>, tls: &TlsInfo, width: usize) {
    heading(out, "TLS session");
    let mut facts = Vec::new();
    if let Some(v) = &tls.version {
        facts.push(v.clone());
    }
    if let Some(c) = &tls.cipher {
        facts.push(c.clone());
    }
    facts.push(match &tls.sni {
        Some(s) => format!("SNI {s}"),
        None => "no SNI".into(),
    });
    wrap_into(out, &facts.join(" · "), width, 2, Style::default());
    if tls.verification.trusted {
        out.push(TLine::styled(
            "  ✔ chain trusted",
            status_style(Status::Pass),
        ));
    } else {
        let why = tls.verification.error.as_deref().unwrap_or("not trusted");
        wrap_into(
            out,
            &format!("✖ NOT trusted: {why}"),
            width,
            2,
            status_style(Status::Fail),
        );
    }
    heading(out, "Certificate chain (leaf first)");
    if tls.certificates.is_empty() {
        out.push(TLine::styled("  (the server sent no certificate)", dim()));
    }
    let n = tls.certificates.len();
    for (i, c) in tls.certificates.iter().enumerate() {
        let last_cert = i + 1 == n;
        let role = if i == 0 {
            "leaf"
        } else if c.subject == c.issuer {
            "root"
        } else {
            "intermediate"
        };
        let (branch, cont) = if last_cert {
            ("└─", "   ")
        } else {
            ("├─", "│  ")
        };
        let head = format!("{branch}[{i}] ");
        let hlen = head.chars().count();
        let mut wrapped = Vec::new();
        wrap_into(
            &mut wrapped,
            &format!("{} ({role})", c.subject),
            width,
            hlen,
            bold(),
        );
        for (w, l) in wrapped.into_iter().enumerate() {
            let text: String = l.spans.iter().map(|s| s.content.to_string()).collect();
            let body = text[hlen.min(text.len())..].to_string();
            let lead = if w == 0 {
                head.clone()
            } else {
                format!("{cont}{}", " ".repeat(hlen.saturating_sub(3)))
            };
            out.push(TLine::from(vec![
                Span::styled(lead, dim()),
                Span::styled(body, bold()),
            ]));
        }
        let rows: Vec<(&str, String)> = vec![
            ("issuer", c.issuer.clone()),
            (
                "SANs",
                if c.sans.is_empty() {
                    "(none)".into()
                } else {
                    c.sans.join(", ")
                },
            ),
            ("valid", format!("{} → {}", c.not_before, c.not_after)),
            ("key", format!("{} · {}", c.key, c.signature_algorithm)),
            ("sha256", c.sha256.clone()),
        ];
        let k = rows.len();
        for (j, (name, value)) in rows.into_iter().enumerate() {
            let twig = if j + 1 == k { "└ " } else { "├ " };
            let prefix = format!("{cont}{twig}{name:<7}");
            let plen = prefix.chars().count();
            let mut wrapped = Vec::new();
            wrap_into(&mut wrapped, &value, width, plen, Style::default());
            for (w, l) in wrapped.into_iter().enumerate() {
                let text: String = l.spans.iter().map(|s| s.content.to_string()).collect();
                let body = text[plen.min(text.len())..].to_string();
                let lead = if w == 0 {
                    prefix.clone()
                } else {
                    format!(
                        "{cont}{}{}",
                        if j + 1 == k { "  " } else { "│ " },
                        " ".repeat(7)
                    )
                };
                out.push(TLine::from(vec![
                    Span::styled(lead, dim()),
                    Span::raw(body),
                ]));
            }
        }
    }
}

fn check_details(model: &Model, row: &CheckRow, width: usize) -> Vec<TLine<'static>> {
    let mut out = Vec::new();
    let ep = row
        .endpoint
        .as_deref()
        .map(|e| format!(" @ {}", clean(e)))
        .unwrap_or_default();
    wrap_into(&mut out, &format!("{}{ep}", row.id), width, 0, bold());
    let Some(c) = &row.check else {
        out.push(TLine::styled(
            if model.is_running() {
                "running…"
            } else {
                "did not finish"
            },
            dim(),
        ));
        return out;
    };
    let Check {
        status,
        summary,
        detail,
        remedy,
        duration_ms,
        data,
        ..
    } = c;
    let mut st = vec![Span::styled(
        format!("{} {}", status_icon(*status), status.label()),
        status_style(*status).add_modifier(Modifier::BOLD),
    )];
    if let Some(d) = duration_ms {
        st.push(Span::raw(format!(" · {d} ms")));
    }
    out.push(TLine::from(st));
    wrap_into(&mut out, summary, width, 0, Style::default());
    if !detail.is_empty() {
        heading(&mut out, "Detail");
        wrap_into(&mut out, detail, width, 2, Style::default());
    }
    if !remedy.is_empty() {
        heading(&mut out, "Remedy");
        wrap_into(&mut out, remedy, width, 2, Style::new().fg(Color::Yellow));
    }
    if !data.is_null() {
        heading(&mut out, "Evidence");
        let pretty = serde_json::to_string_pretty(data).unwrap_or_default();
        for l in pretty.lines() {
            // keep JSON indentation; wrap long values with a hanging indent
            let indent = l.chars().take_while(|c| *c == ' ').count() + 2;
            let mut w = Vec::new();
            wrap_into(&mut w, l.trim_start(), width, indent.min(width / 2), dim());
            out.extend(w);
        }
    }
    if c.id.starts_with("tls.")
        && let Some(ep) = &c.endpoint
        && let Some(tls) = model.tls_info(ep)
    {
        cert_tree(&mut out, tls, width);
    }
    out
}

fn line_details(model: &Model, tab: &Tab, width: usize) -> Vec<TLine<'static>> {
    let mut out = Vec::new();
    let Some(l) = tab.lines.get(tab.selected) else {
        out.push(TLine::styled("no transcript line selected", dim()));
        return out;
    };
    let sec = tab
        .security
        .map(|s| format!(" ({})", s.as_str()))
        .unwrap_or_default();
    let title = format!(
        "{}{sec} · line {} of {} · +{} ms",
        clean(&tab.label),
        tab.selected + 1,
        tab.lines.len(),
        l.t_ms
    );
    wrap_into(&mut out, &title, width, 0, bold());
    let (_, style) = line_style(l);
    let who = match l.dir {
        Dir::Client => "Client (popscope) sent:",
        Dir::Server => "Server sent:",
        Dir::Tls => "TLS event:",
        Dir::Note => "Note:",
    };
    out.push(TLine::raw(who));
    wrap_into(&mut out, &l.text, width, 2, style);
    heading(&mut out, "What it means");
    wrap_into(
        &mut out,
        &explain_at(&tab.lines, tab.selected),
        width,
        2,
        Style::default(),
    );
    if l.dir == Dir::Tls
        && tab.label != GENERAL_TAB
        && let Some(tls) = model.tls_info(&tab.label)
    {
        cert_tree(&mut out, tls, width);
    }
    out
}

/// The details pane's lines for a text width, already wrapped (used by
/// update to bound scrolling).
pub fn details_lines(model: &Model, width: usize) -> Vec<TLine<'static>> {
    match model.details_for {
        Pane::Transcript => match model.current_tab() {
            Some(tab) => line_details(model, tab, width),
            None => vec![TLine::styled("no transcript yet", dim())],
        },
        _ => match model.selected_check() {
            Some(row) => check_details(model, row, width),
            None => vec![TLine::styled(
                "select a check (↑↓) or a transcript line to see what it means",
                dim(),
            )],
        },
    }
}

fn details_pane(model: &Model, frame: &mut Frame, areas: &Areas) {
    let what = match model.details_for {
        Pane::Transcript => "transcript line".to_string(),
        _ => model
            .selected_check()
            .map(|r| clean(&r.id))
            .unwrap_or_else(|| "check".into()),
    };
    let title = TLine::from(format!(
        " {}Details: {what} ",
        focus_mark(model, Pane::Details)
    ));
    let block = pane_block(model, Pane::Details, title);
    let lines = details_lines(model, areas.details_width());
    let rows = areas.details_rows();
    let scroll = model.details_scroll.min(lines.len().saturating_sub(rows));
    let block = if lines.len() > rows {
        block.title_bottom(
            TLine::from(format!(
                " {}-{}/{} ",
                scroll + 1,
                (scroll + rows).min(lines.len()),
                lines.len()
            ))
            .right_aligned(),
        )
    } else {
        block
    };
    let visible: Vec<TLine> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(visible).block(block), areas.details);
}

// ---------------------------------------------------------------- footer

fn footer(model: &Model, frame: &mut Frame, area: Rect) {
    let line = match &model.notice {
        Some(n) if n.error => TLine::styled(
            format!(" error: {}", clean(&n.text)),
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
        Some(n) => TLine::styled(
            format!(" {}", clean(&n.text)),
            Style::new().fg(Color::Green),
        ),
        None => {
            let keys: [(&str, &str); 8] = [
                ("?", "help"),
                ("Tab", "pane"),
                ("↑↓", "move"),
                ("←→", "tab"),
                ("r", "re-run"),
                ("n", "new"),
                ("j/s", "save"),
                ("q", "quit"),
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

// ---------------------------------------------------------------- overlays

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

fn help(frame: &mut Frame, area: Rect) {
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

fn form(model: &Model, frame: &mut Frame, area: Rect) {
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
