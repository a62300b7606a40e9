//! Overlays drawn over the panes: the help (`?`), the new-diagnosis form
//! (`n`) with its cursor and its error message, and the Diagnosis view
//! (`d`): the causes, the mail client settings that work now, the fixes of
//! the selected cause and the server software.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use crate::diagnosis::{ClientSecurity, ClientSetting};
use crate::i18n::t;
use crate::model::Status;
use crate::tui::form::Field;
use crate::tui::model::Model;

use super::style::{SPINNER, bold, dim, status_icon, status_style};
use super::text::{clean, wrap_into, wrap_prefixed};

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

/// Every key, as shown in the help overlay and docs/tui.md: the key and the
/// message that says what it does.
pub const KEYS: &[(&str, &str)] = &[
    ("? F1", "tui-key-help"),
    ("Tab Shift-Tab", "tui-key-pane"),
    ("↑ ↓", "tui-key-move"),
    ("PgUp PgDn", "tui-key-page"),
    ("Home End", "tui-key-home-end"),
    ("← → 1-9", "tui-key-tabs"),
    ("Enter", "tui-key-enter"),
    ("d", "tui-key-diagnosis"),
    ("mouse", "tui-key-mouse"),
    ("r", "tui-key-rerun"),
    ("n", "tui-key-new"),
    ("j / s", "tui-key-save"),
    ("q Esc Ctrl-C", "tui-key-quit"),
];

/// Draws the help overlay centred in `area`.
pub(super) fn render_help(frame: &mut Frame, area: Rect) {
    let mut lines = vec![TLine::styled(
        t!("tui-help-keys"),
        bold().add_modifier(Modifier::UNDERLINED),
    )];
    for (k, what) in KEYS {
        lines.push(TLine::from(vec![
            Span::styled(format!(" {k:<14}"), bold()),
            Span::raw(crate::i18n::tr(what, &[])),
        ]));
    }
    lines.push(TLine::raw(""));
    lines.push(TLine::styled(
        t!("tui-help-status"),
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
        t!("tui-help-transcript"),
        bold().add_modifier(Modifier::UNDERLINED),
    ));
    lines.push(TLine::from(vec![
        Span::raw(" "),
        Span::styled(t!("tui-legend-client"), Style::new().fg(Color::Cyan)),
        Span::raw("  "),
        Span::styled("S: +OK", Style::new().fg(Color::Green)),
        Span::raw("  "),
        Span::styled("S: -ERR", Style::new().fg(Color::Red)),
        Span::raw("  "),
        Span::styled(t!("tui-legend-body"), dim()),
        Span::raw("  "),
        Span::styled(t!("tui-legend-tls"), Style::new().fg(Color::Magenta)),
        Span::raw("  "),
        Span::styled(t!("tui-legend-note"), Style::new().fg(Color::Yellow)),
    ]));
    let h = lines.len() as u16 + 2;
    let r = centered(area, 72, h);
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(TLine::styled(t!("tui-help-title"), bold()))
        .title_bottom(TLine::from(t!("tui-help-bottom")).right_aligned());
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
        .title(TLine::styled(t!("tui-form-title"), bold()));
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let label_w = Field::ALL
        .iter()
        .map(|f| f.label().chars().count() as u16 + 2)
        .max()
        .unwrap_or(12);
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
        Paragraph::new(TLine::styled(t!("tui-form-hint"), dim())),
        Rect::new(inner.x, hint_y, inner.width, 1),
    );
    if let Some(c) = cursor {
        frame.set_cursor_position(c);
    }
}

/// Connection security in the mail clients' own words.
fn security_words(s: ClientSecurity) -> String {
    match s {
        ClientSecurity::SslTls => "SSL/TLS".into(),
        ClientSecurity::Starttls => "STARTTLS".into(),
        ClientSecurity::None => t!("tui-security-none"),
    }
}

fn section(out: &mut Vec<TLine<'static>>, text: &str) {
    out.push(TLine::styled(
        text.to_string(),
        bold().add_modifier(Modifier::UNDERLINED),
    ));
}

fn settings_table(out: &mut Vec<TLine<'static>>, settings: &[ClientSetting], width: usize) {
    let head = [
        t!("tui-settings-server"),
        t!("tui-settings-port"),
        t!("tui-settings-security"),
        t!("tui-settings-auth"),
        t!("tui-settings-user"),
    ];
    let rows: Vec<[String; 5]> = settings
        .iter()
        .map(|s| {
            [
                clean(&s.host),
                s.port.to_string(),
                security_words(s.security),
                clean(&crate::diagnosis::auth_words(&s.auth)),
                s.user.as_deref().map(clean).unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    let mut w = head.clone().map(|h| h.chars().count());
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            w[i] = w[i].max(cell.chars().count());
        }
    }
    let fmt_row = |cells: [&str; 5]| -> String {
        let mut l = String::from("  ");
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                l.push_str(c);
            } else {
                l.push_str(&format!("{c:<width$}  ", width = w[i]));
            }
        }
        l
    };
    out.push(TLine::styled(
        fmt_row([&head[0], &head[1], &head[2], &head[3], &head[4]]),
        bold(),
    ));
    for (r, s) in rows.iter().zip(settings) {
        out.push(TLine::styled(
            fmt_row([&r[0], &r[1], &r[2], &r[3], &r[4]]),
            status_style(Status::Pass),
        ));
        if let Some(n) = &s.note {
            wrap_into(out, n, width, 4, dim());
        }
    }
}

/// The Diagnosis view's lines for a text width: the top cause and the other
/// causes (the selected one marked), the mail client settings that work now
/// (or that none can help), the fixes of the selected cause, the checks it
/// explains, and the server software.
pub fn diagnosis_lines(model: &Model, width: usize) -> Vec<TLine<'static>> {
    let mut out = Vec::new();
    let Some(report) = &model.report else {
        out.push(TLine::styled(t!("tui-diagnosis-none-yet"), dim()));
        return out;
    };
    let d = &report.diagnosis;
    let causes = model.causes();
    if causes.is_empty() {
        section(&mut out, &t!("tui-diagnosis-cause"));
        let (st, text) = if report.verdict == Status::Pass {
            (Status::Pass, t!("tui-diagnosis-no-problem"))
        } else {
            (report.verdict, t!("tui-diagnosis-no-cause"))
        };
        wrap_prefixed(
            &mut out,
            vec![Span::styled(
                format!("  {} {:<4} ", status_icon(st), st.label()),
                status_style(st).add_modifier(Modifier::BOLD),
            )],
            9,
            &text,
            width,
            Style::default(),
        );
    }
    let sel = model.cause_sel.min(causes.len().saturating_sub(1));
    for (i, c) in causes.iter().enumerate() {
        if i == 0 {
            section(&mut out, &t!("tui-diagnosis-top-cause"));
        } else if i == 1 {
            section(&mut out, &t!("tui-diagnosis-other-problems"));
        }
        let selected = i == sel;
        let marker = if selected { "▶ " } else { "  " };
        let style = if selected {
            bold().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        };
        wrap_prefixed(
            &mut out,
            vec![
                Span::raw(marker),
                Span::styled(
                    format!("{} {:<4} ", status_icon(c.status), c.status.label()),
                    status_style(c.status).add_modifier(Modifier::BOLD),
                ),
            ],
            9,
            &c.summary,
            width,
            style,
        );
    }
    out.push(TLine::raw(""));
    section(&mut out, &t!("tui-diagnosis-settings"));
    if d.client_settings.is_empty() {
        wrap_prefixed(
            &mut out,
            vec![Span::styled(
                "  ✖ ",
                status_style(Status::Fail).add_modifier(Modifier::BOLD),
            )],
            4,
            &t!("tui-diagnosis-no-setting"),
            width,
            bold(),
        );
    } else {
        settings_table(&mut out, &d.client_settings, width);
    }
    if let Some(c) = causes.get(sel) {
        out.push(TLine::raw(""));
        section(
            &mut out,
            &t!("tui-diagnosis-client-fix", id = c.id.to_string()),
        );
        let client = if c.client_fix.trim().is_empty() {
            t!("tui-diagnosis-client-nothing")
        } else {
            c.client_fix.clone()
        };
        wrap_into(&mut out, &client, width, 2, Style::new().fg(Color::Yellow));
        section(&mut out, &t!("tui-diagnosis-server-fix"));
        let server = if c.server_fix.trim().is_empty() {
            t!("tui-diagnosis-server-nothing")
        } else {
            c.server_fix.clone()
        };
        wrap_into(&mut out, &server, width, 2, Style::new().fg(Color::Yellow));
        if !c.explains.is_empty() {
            let refs: Vec<String> = c
                .explains
                .iter()
                .map(|r| match &r.endpoint {
                    Some(ep) => t!(
                        "tui-diagnosis-check-on",
                        id = r.id.to_string(),
                        endpoint = ep
                    ),
                    None => r.id.to_string(),
                })
                .collect();
            section(&mut out, &t!("tui-diagnosis-explains"));
            wrap_into(&mut out, &refs.join(", "), width, 2, dim());
        }
    }
    out.push(TLine::raw(""));
    let server = match &d.server {
        Some(s) => {
            let mut t = clean(&s.software);
            if let Some(v) = &s.version {
                t.push(' ');
                t.push_str(&clean(v));
            }
            t!(
                "tui-diagnosis-server-identified",
                software = t,
                evidence = clean(&crate::diagnosis::evidence_words(&s.evidence))
            )
        }
        None => t!("tui-diagnosis-server-unknown"),
    };
    let label = t!("tui-diagnosis-server-label");
    let label_w = label.chars().count();
    wrap_prefixed(
        &mut out,
        vec![Span::styled(label, bold())],
        label_w,
        &server,
        width,
        Style::default(),
    );
    out
}

/// Where the Diagnosis overlay goes on a screen of `area`, and its lines.
fn diagnosis_geometry(model: &Model, area: Rect) -> (Rect, Vec<TLine<'static>>) {
    let width = 100.min(area.width.saturating_sub(2)).max(20);
    let lines = diagnosis_lines(model, width.saturating_sub(2) as usize);
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2).max(3));
    (centered(area, width, height), lines)
}

/// The Diagnosis overlay's visible rows and its number of lines, for the
/// model's terminal size (used by update to bound scrolling).
pub fn diagnosis_extent(model: &Model) -> (usize, usize) {
    let area = Rect::new(0, 0, model.size.0, model.size.1);
    let (r, lines) = diagnosis_geometry(model, area);
    (r.height.saturating_sub(2) as usize, lines.len())
}

/// Draws the Diagnosis overlay centred in `area`.
pub(super) fn render_diagnosis(frame: &mut Frame, area: Rect, model: &Model) {
    let (r, lines) = diagnosis_geometry(model, area);
    let rows = r.height.saturating_sub(2) as usize;
    let scroll = model.diagnosis_scroll.min(lines.len().saturating_sub(rows));
    frame.render_widget(Clear, r);
    let mut bottom = t!("tui-diagnosis-bottom");
    if lines.len() > rows {
        bottom = t!(
            "tui-diagnosis-bottom-scroll",
            first = scroll + 1,
            last = (scroll + rows).min(lines.len()),
            total = lines.len()
        );
    }
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(Color::Cyan))
        .title(TLine::styled(t!("tui-diagnosis-title"), bold()))
        .title_bottom(TLine::from(bottom).right_aligned());
    let visible: Vec<TLine> = lines.into_iter().skip(scroll).take(rows).collect();
    frame.render_widget(Paragraph::new(visible).block(block), r);
}
