//! The details pane: for a check its status, detail, remedy, evidence and
//! (for TLS checks) the certificate tree with each certificate's SHA-256
//! fingerprint; for a transcript line who sent it and what it means. [`details_lines`] is shared with update for scrolling.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::Paragraph;

use crate::model::{Check, Status, TlsInfo};
use crate::transcript::Dir;
use crate::tui::explain::explain_at;
use crate::tui::model::{CheckRow, GENERAL_TAB, Model, Pane, Tab};

use super::style::{bold, dim, focus_mark, pane_block, status_icon, status_style};
use super::text::{clean, fingerprint_lines, wrap_into};
use super::transcript::line_style;

fn heading(out: &mut Vec<TLine<'static>>, text: &str) {
    out.push(TLine::styled(
        text.to_string(),
        bold().add_modifier(Modifier::UNDERLINED),
    ));
}

/// Width of the fact names in the certificate tree (`SHA-256` and a space).
const NAME_W: usize = 8;

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
            ("SHA-256", c.sha256.clone()),
        ];
        let k = rows.len();
        for (j, (name, value)) in rows.into_iter().enumerate() {
            let twig = if j + 1 == k { "└ " } else { "├ " };
            let prefix = format!("{cont}{twig}{name:<NAME_W$}");
            let plen = prefix.chars().count();
            let bodies: Vec<String> = if name == "SHA-256" {
                // colon-separated upper-case pairs, as mail clients show it,
                // broken only after a colon
                fingerprint_lines(&value, width.saturating_sub(plen).max(8))
            } else {
                let mut wrapped = Vec::new();
                wrap_into(&mut wrapped, &value, width, plen, Style::default());
                wrapped
                    .into_iter()
                    .map(|l| {
                        let text: String = l.spans.iter().map(|s| s.content.to_string()).collect();
                        text[plen.min(text.len())..].to_string()
                    })
                    .collect()
            };
            for (w, body) in bodies.into_iter().enumerate() {
                let lead = if w == 0 {
                    prefix.clone()
                } else {
                    format!(
                        "{cont}{}{}",
                        if j + 1 == k { "  " } else { "│ " },
                        " ".repeat(NAME_W)
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
    if c.id.is_tls()
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

/// Draws the details pane (border, visible lines, scroll position) into
/// `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let what = match model.details_for {
        Pane::Transcript => "transcript line".to_string(),
        _ => model
            .selected_check()
            .map(|r| r.id.to_string())
            .unwrap_or_else(|| "check".into()),
    };
    let title = TLine::from(format!(
        " {}Details: {what} ",
        focus_mark(model, Pane::Details)
    ));
    let block = pane_block(model, Pane::Details, title);
    let inner = block.inner(area);
    let lines = details_lines(model, inner.width as usize);
    let rows = inner.height as usize;
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
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
