//! The header: line 1 the target and the run state (spinner and progress;
//! once done the verdict and the top cause in plain words, or the checks'
//! summary when nothing is wrong; or the runner's error); line 2 the options
//! in force.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line as TLine, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::t;
use crate::tui::model::{Model, RunState};

use super::style::{bold, dim, spinner, status_icon, status_style};
use super::text::{clean, human_duration, truncate};

fn options_line(model: &Model) -> String {
    let Some(cfg) = &model.config else {
        return t!("tui-header-no-diagnosis");
    };
    let mut parts = Vec::new();
    match (cfg.target.port, cfg.target.security) {
        (Some(p), Some(s)) => parts.push(t!(
            "tui-header-port-security",
            port = p,
            security = s.as_str()
        )),
        (Some(p), None) => parts.push(t!("tui-header-port", port = p)),
        (None, Some(s)) => parts.push(t!("tui-header-security", security = s.as_str())),
        (None, None) => parts.push(t!(
            "tui-header-ports",
            plain = cfg.plain_port,
            tls = cfg.tls_port
        )),
    }
    parts.push(t!(
        "tui-header-timeout",
        duration = human_duration(cfg.timeout)
    ));
    parts.push(t!(
        "tui-header-deadline",
        duration = human_duration(cfg.deadline)
    ));
    parts.push(match cfg.family {
        crate::config::Family::Any => "IPv4+IPv6".into(),
        crate::config::Family::V4 => t!("tui-header-ipv4-only"),
        crate::config::Family::V6 => t!("tui-header-ipv6-only"),
    });
    parts.push(match &cfg.ca_file {
        Some(p) => t!("tui-header-ca-file", path = p.display().to_string()),
        None => t!("tui-header-ca-system"),
    });
    if let Some(n) = &cfg.tls_name {
        parts.push(t!("tui-header-tls-name", name = n));
    }
    if !cfg.dns_servers.is_empty() {
        let s: Vec<String> = cfg.dns_servers.iter().map(|a| a.to_string()).collect();
        parts.push(format!("DNS {}", s.join(",")));
    }
    clean(&parts.join(" · "))
}

/// Draws the two header lines into `area`.
pub(super) fn render(frame: &mut Frame, area: Rect, model: &Model) {
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
        RunState::Idle => first.push(Span::styled(t!("tui-header-idle"), dim())),
        RunState::Running => {
            let (done, seen) = model.progress();
            first.push(Span::styled(
                format!("{} {}", spinner(model), t!("tui-header-running")),
                bold().fg(Color::Cyan),
            ));
            first.push(Span::raw(format!(
                "  {}",
                t!("tui-header-progress", done = done, seen = seen)
            )));
        }
        RunState::Done => {
            if let Some(r) = &model.report {
                first.push(Span::styled(
                    format!("{} {}", status_icon(r.verdict), r.verdict.label()),
                    status_style(r.verdict).add_modifier(Modifier::BOLD | Modifier::REVERSED),
                ));
                first.push(Span::raw("  "));
                // the top cause in plain words, else the checks' summary
                let causes = model.causes();
                let (what, style) = match causes.first() {
                    Some(top) => (clean(&top.summary), bold()),
                    None => (clean(&r.summary), Style::default()),
                };
                // the cause gets the room: the run time only without one
                let tail = match causes.len() {
                    0 => format!(" · {} ms", r.duration_ms),
                    1 => String::new(),
                    n => t!("tui-header-more", count = n - 1),
                };
                let used: usize = first.iter().map(Span::width).sum();
                let room =
                    (area.width as usize).saturating_sub(used + TLine::raw(tail.as_str()).width());
                first.push(Span::styled(truncate(&what, room.max(1)), style));
                first.push(Span::raw(tail));
            }
        }
        RunState::Failed(e) => {
            first.push(Span::styled(
                format!("✖ {}", t!("tui-header-error")),
                Style::new()
                    .fg(Color::Red)
                    .add_modifier(Modifier::BOLD | Modifier::REVERSED),
            ));
            first.push(Span::raw(format!(
                "  {}",
                t!("tui-header-could-not-run", error = clean(e))
            )));
        }
    }
    let second = TLine::styled(format!(" {}", options_line(model)), dim());
    frame.render_widget(Paragraph::new(vec![TLine::from(first), second]), area);
}
