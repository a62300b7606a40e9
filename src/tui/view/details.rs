//! The details pane: for a check its status, detail, remedy, evidence and
//! (for TLS checks) the certificate tree with each certificate's SHA-256
//! fingerprint; for a transcript line who sent it and what it means. [`details_lines`] is shared with update for scrolling.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::t;
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

fn cert_tree(out: &mut Vec<TLine<'static>>, tls: &TlsInfo, width: usize) {
    heading(out, &t!("tui-details-tls-session"));
    let mut facts = Vec::new();
    if let Some(v) = &tls.version {
        facts.push(v.clone());
    }
    if let Some(c) = &tls.cipher {
        facts.push(c.clone());
    }
    facts.push(match &tls.sni {
        Some(s) => format!("SNI {s}"),
        None => t!("tui-details-no-sni"),
    });
    wrap_into(out, &facts.join(" · "), width, 2, Style::default());
    if tls.verification.trusted {
        out.push(TLine::styled(
            t!("tui-details-chain-trusted"),
            status_style(Status::Pass),
        ));
    } else {
        let why = match tls.verification.error.as_deref() {
            Some(e) => e.to_string(),
            None => t!("tui-details-not-trusted-reason"),
        };
        wrap_into(
            out,
            &t!("tui-details-not-trusted", why = why),
            width,
            2,
            status_style(Status::Fail),
        );
    }
    heading(out, &t!("tui-details-chain"));
    if tls.certificates.is_empty() {
        out.push(TLine::styled(t!("tui-details-no-certificate"), dim()));
    }
    let n = tls.certificates.len();
    for (i, c) in tls.certificates.iter().enumerate() {
        let last_cert = i + 1 == n;
        let role = if i == 0 {
            t!("tui-details-role-leaf")
        } else if c.subject == c.issuer {
            t!("tui-details-role-root")
        } else {
            t!("tui-details-role-intermediate")
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
        let rows: Vec<(String, String)> = vec![
            (t!("tui-details-issuer"), c.issuer.clone()),
            (
                t!("tui-details-sans"),
                if c.sans.is_empty() {
                    t!("tui-details-none")
                } else {
                    c.sans.join(", ")
                },
            ),
            (
                t!("tui-details-valid"),
                format!("{} → {}", c.not_before, c.not_after),
            ),
            (
                t!("tui-details-key"),
                format!("{} · {}", c.key, c.signature_algorithm),
            ),
            ("SHA-256".to_string(), c.sha256.clone()),
        ];
        // Width of the fact names (the longest and a space).
        let name_w = rows
            .iter()
            .map(|(n, _)| n.chars().count() + 1)
            .max()
            .unwrap_or(8);
        let k = rows.len();
        for (j, (name, value)) in rows.into_iter().enumerate() {
            let twig = if j + 1 == k { "└ " } else { "├ " };
            let prefix = format!("{cont}{twig}{name:<name_w$}");
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
                        " ".repeat(name_w)
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
                t!("tui-running")
            } else {
                t!("tui-did-not-finish")
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
        heading(&mut out, &t!("tui-details-detail"));
        wrap_into(&mut out, detail, width, 2, Style::default());
    }
    if !remedy.is_empty() {
        heading(&mut out, &t!("tui-details-remedy"));
        wrap_into(&mut out, remedy, width, 2, Style::new().fg(Color::Yellow));
    }
    if !data.is_null() {
        heading(&mut out, &t!("tui-details-evidence"));
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
        out.push(TLine::styled(t!("tui-details-no-line"), dim()));
        return out;
    };
    let sec = tab
        .security
        .map(|s| format!(" ({})", s.as_str()))
        .unwrap_or_default();
    let title = t!(
        "tui-details-line-title",
        tab = format!("{}{sec}", clean(&tab.label)),
        line = tab.selected + 1,
        total = tab.lines.len(),
        ms = l.t_ms
    );
    wrap_into(&mut out, &title, width, 0, bold());
    let (_, style) = line_style(l);
    let who = match l.dir {
        Dir::Client => t!("tui-details-client-sent"),
        Dir::Server => t!("tui-details-server-sent"),
        Dir::Tls => t!("tui-details-tls-event"),
        Dir::Note => t!("tui-details-note"),
    };
    out.push(TLine::raw(who));
    wrap_into(&mut out, &l.text, width, 2, style);
    heading(&mut out, &t!("tui-details-meaning"));
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
            None => vec![TLine::styled(t!("tui-no-transcript-yet"), dim())],
        },
        _ => match model.selected_check() {
            Some(row) => check_details(model, row, width),
            None => vec![TLine::styled(t!("tui-details-select"), dim())],
        },
    }
}

/// Draws the details pane (border, visible lines, scroll position) into
/// `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
    let what = match model.details_for {
        Pane::Transcript => t!("tui-details-of-line"),
        _ => model
            .selected_check()
            .map(|r| r.id.to_string())
            .unwrap_or_else(|| t!("tui-details-of-check")),
    };
    let title = TLine::from(t!(
        "tui-details-title",
        mark = focus_mark(model, Pane::Details),
        what = what
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
