//! The Monitoring Plugins rendering of a report (`popscope plugin`,
//! docs/monitoring.md): one status line `POP3 STATE - text | perfdata`, then
//! long text, and the state that becomes the exit code (0 OK, 1 WARNING,
//! 2 CRITICAL, 3 UNKNOWN). The status word is machine output; the text after
//! it is for people. Pure functions over a [`Report`].

use crate::model::{CheckId, EndpointReport, Security, Status};

use super::{Exporter, Report};

/// A plugin state: the status word and the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// `OK`, exit 0.
    Ok,
    /// `WARNING`, exit 1.
    Warning,
    /// `CRITICAL`, exit 2.
    Critical,
    /// `UNKNOWN`, exit 3.
    Unknown,
}

impl State {
    /// The exit code (0-3).
    pub fn code(self) -> u8 {
        match self {
            State::Ok => 0,
            State::Warning => 1,
            State::Critical => 2,
            State::Unknown => 3,
        }
    }

    /// The status word (machine output, never translated).
    pub fn word(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Warning => "WARNING",
            State::Critical => "CRITICAL",
            State::Unknown => "UNKNOWN",
        }
    }

    /// The state of a check or cause status.
    fn of(status: Status) -> State {
        match status {
            Status::Fail => State::Critical,
            Status::Warn => State::Warning,
            Status::Pass | Status::Info | Status::Skip => State::Ok,
        }
    }
}

/// A threshold in the Monitoring Plugins range syntax: `10` (alert outside
/// 0..10), `10:` (below 10), `~:10` (above 10), `10:20` (outside 10..20),
/// `@10:20` (inside 10..20). Bounds are inclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    lo: f64,
    hi: f64,
    inside: bool,
    text: String,
}

/// A range that could not be read; the message says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RangeError(pub String);

impl Range {
    /// Parses a range as written after `-w` / `-c`.
    pub fn parse(flag: &str, s: &str) -> Result<Range, RangeError> {
        let text = s.trim();
        let bad = || RangeError(words::bad_range(flag, s));
        let (inside, body) = match text.strip_prefix('@') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let num = |t: &str| -> Result<f64, RangeError> {
            let v: f64 = t.trim().parse().map_err(|_| bad())?;
            if v.is_finite() { Ok(v) } else { Err(bad()) }
        };
        let (lo, hi) = match body.split_once(':') {
            None => (0.0, num(body)?),
            Some((a, b)) => {
                let lo = if a == "~" { f64::NEG_INFINITY } else { num(a)? };
                let hi = if b.is_empty() { f64::INFINITY } else { num(b)? };
                (lo, hi)
            }
        };
        if body.is_empty() || lo > hi {
            return Err(bad());
        }
        Ok(Range {
            lo,
            hi,
            inside,
            text: text.to_string(),
        })
    }

    /// Whether `value` raises the alert.
    pub fn alerts(&self, value: f64) -> bool {
        let within = value >= self.lo && value <= self.hi;
        within == self.inside
    }

    /// The range as typed (it goes into the perfdata).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The thresholds a plugin run is judged with, on top of the report's own
/// verdict.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Thresholds {
    /// `-w`: WARNING when the total time (seconds) alerts.
    pub warning: Option<Range>,
    /// `-c`: CRITICAL when the total time (seconds) alerts.
    pub critical: Option<Range>,
    /// `--expiry-warn`: WARNING when the earliest certificate expires in
    /// fewer days.
    pub expiry_warn: u32,
    /// `--expiry-crit`: CRITICAL when it expires in fewer days.
    pub expiry_crit: Option<u32>,
}

/// One problem: its state and its sentence.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    state: State,
    text: String,
}

/// What a report amounts to for a monitoring system.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The state (exit code).
    pub state: State,
    /// The text of the status line after `POP3 STATE - `.
    pub summary: String,
    /// The performance data of the status line.
    pub perfdata: String,
    /// The long text lines.
    pub long: Vec<String>,
}

/// The Monitoring Plugins renderer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Nagios {
    /// The thresholds.
    pub thresholds: Thresholds,
}

impl Nagios {
    /// Judges a report with the thresholds.
    pub fn evaluate(&self, report: &Report) -> Evaluation {
        let th = &self.thresholds;
        let total = report.duration_ms as f64 / 1000.0;
        let cert_days = earliest_cert_days(report);
        let mut problems: Vec<Problem> = report
            .diagnosis
            .causes
            .iter()
            .filter(|c| State::of(c.status) > State::Ok)
            .map(|c| Problem {
                state: State::of(c.status),
                text: clean(&c.summary),
            })
            .collect();
        if problems.is_empty() && report.verdict.severity() > 0 {
            problems.push(Problem {
                state: State::of(report.verdict),
                text: clean(&report.summary),
            });
        }
        let mut extra = Vec::new();
        if let Some((days, ep)) = &cert_days
            && *days >= 0
        {
            let expiry_reported = report
                .checks
                .iter()
                .any(|c| c.id == CheckId::TlsExpiry && c.status.severity() > 0);
            if th.expiry_crit.is_some_and(|crit| *days < i64::from(crit)) {
                extra.push(Problem {
                    state: State::Critical,
                    text: words::expiry(ep, *days, "--expiry-crit", th.expiry_crit.unwrap_or(0)),
                });
            } else if *days < i64::from(th.expiry_warn) && !expiry_reported {
                extra.push(Problem {
                    state: State::Warning,
                    text: words::expiry(ep, *days, "--expiry-warn", th.expiry_warn),
                });
            }
        }
        if let Some(c) = th.critical.as_ref().filter(|c| c.alerts(total)) {
            extra.push(Problem {
                state: State::Critical,
                text: words::slow(total, "-c", c.as_str()),
            });
        } else if let Some(w) = th.warning.as_ref().filter(|w| w.alerts(total)) {
            extra.push(Problem {
                state: State::Warning,
                text: words::slow(total, "-w", w.as_str()),
            });
        }
        problems.extend(extra.iter().cloned());
        let state = problems.iter().map(|p| p.state).max().unwrap_or(State::Ok);
        let summary = match problems.iter().find(|p| p.state == state) {
            Some(top) if problems.len() > 1 => words::more(&top.text, problems.len() - 1),
            Some(top) => top.text.clone(),
            None => words::fine(&services(&report.endpoints), total),
        };
        let mut long: Vec<String> = report
            .checks
            .iter()
            .filter(|c| c.status.severity() > 0)
            .map(|c| {
                let state = State::of(c.status).word();
                match &c.endpoint {
                    Some(ep) => format!("{state} {} {}: {}", c.id, clean(ep), clean(&c.summary)),
                    None => format!("{state} {}: {}", c.id, clean(&c.summary)),
                }
            })
            .collect();
        long.extend(
            extra
                .iter()
                .map(|p| format!("{} {}", p.state.word(), p.text)),
        );
        long.extend(
            report
                .diagnosis
                .client_settings
                .iter()
                .map(|s| words::works(&clean(&crate::diagnosis::describe_setting(s)))),
        );
        Evaluation {
            state,
            summary,
            perfdata: perfdata(report, th, total, cert_days.map(|(d, _)| d)),
            long,
        }
    }
}

impl Exporter for Nagios {
    fn render(&self, report: &Report) -> Vec<u8> {
        let e = self.evaluate(report);
        let mut out = status_line(e.state, &e.summary, &e.perfdata);
        for line in &e.long {
            out.push_str(line);
            out.push('\n');
        }
        out.into_bytes()
    }
}

/// `POP3 STATE - text | perfdata` and a newline.
fn status_line(state: State, text: &str, perfdata: &str) -> String {
    let mut line = format!("POP3 {} - {}", state.word(), clean(text));
    if !perfdata.is_empty() {
        line.push_str(" | ");
        line.push_str(perfdata);
    }
    line.push('\n');
    line
}

/// The one line of a usage or internal error: `POP3 UNKNOWN - message`.
pub fn unknown(message: &str) -> Vec<u8> {
    status_line(State::Unknown, message, "").into_bytes()
}

/// The line printed when the `-t` limit cut the run (CRITICAL: the
/// service did not answer in time, as `check_pop` reports a socket timeout).
pub fn timed_out(limit_secs: f64) -> Vec<u8> {
    let perf = format!("time={}s;;;0", secs(limit_secs));
    status_line(State::Critical, &words::timed_out(limit_secs), &perf).into_bytes()
}

/// The earliest certificate expiry in days (`tls.expiry`'s `days_left`)
/// and the endpoint that serves it.
fn earliest_cert_days(report: &Report) -> Option<(i64, String)> {
    report
        .checks
        .iter()
        .filter(|c| c.id == CheckId::TlsExpiry)
        .filter_map(|c| {
            let days = c.data.get("days_left")?.as_i64()?;
            Some((days, c.endpoint.clone().unwrap_or_default()))
        })
        .min_by_key(|(d, _)| *d)
}

/// The services that answered, in the words monitoring users know.
fn services(endpoints: &[EndpointReport]) -> Vec<String> {
    let mut out = Vec::new();
    for e in endpoints {
        let name = match e.security {
            Security::Starttls => words::pop3_starttls(),
            Security::ImplicitTls => words::POP3S.to_string(),
            Security::Plain => words::POP3.to_string(),
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Human text safe for a plugin line: no `|` (it starts the perfdata), no
/// control characters, no line breaks.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '|' => '/',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A perfdata label from safe characters only: letters, digits, `_`, `.`,
/// `-`; anything else (`:` and brackets of endpoints) becomes `_`.
pub fn label(raw: &str) -> String {
    let safe: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    quote(&safe)
}

/// Quotes a label when it holds anything but letters, digits, `_`, `.`, `-`
/// (never the case after [`label`], kept as the rule).
fn quote(label: &str) -> String {
    if label
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        label.to_string()
    } else {
        format!("'{}'", label.replace(['\'', '='], "_"))
    }
}

/// Seconds with millisecond precision.
fn secs(v: f64) -> String {
    format!("{v:.3}")
}

/// Milliseconds as seconds, or `U` when unknown.
fn ms_value(ms: Option<u64>) -> String {
    ms.map_or_else(
        || "U".to_string(),
        |m| format!("{}s", secs(m as f64 / 1000.0)),
    )
}

/// The performance data: `'label'=value[UOM];warn;crit;min;max`, separated
/// by spaces.
fn perfdata(report: &Report, th: &Thresholds, total: f64, cert_days: Option<i64>) -> String {
    let range = |r: &Option<Range>| {
        r.as_ref()
            .map(|r| r.as_str().to_string())
            .unwrap_or_default()
    };
    let mut items = vec![format!(
        "time={}s;{};{};0;",
        secs(total),
        range(&th.warning),
        range(&th.critical)
    )];
    let crit_days = th.expiry_crit.map(|d| format!("{d}:")).unwrap_or_default();
    items.push(format!(
        "cert_days={};{}:;{crit_days};;",
        cert_days.map_or_else(|| "U".to_string(), |d| d.to_string()),
        th.expiry_warn
    ));
    for e in &report.endpoints {
        let key = if e.address.contains(':') {
            format!("[{}]:{}", e.address, e.port)
        } else {
            format!("{}:{}", e.address, e.port)
        };
        let check_ms = |id: CheckId| {
            report
                .checks
                .iter()
                .find(|c| c.id == id && c.endpoint.as_deref() == Some(key.as_str()))
                .and_then(|c| c.duration_ms)
        };
        let suffix = format!("{}_{}", e.address, e.port);
        items.push(format!(
            "{}={};;;0;",
            label(&format!("connect_{suffix}")),
            ms_value(e.connect_ms)
        ));
        items.push(format!(
            "{}={};;;0;",
            label(&format!("greeting_{suffix}")),
            ms_value(check_ms(CheckId::Pop3Greeting))
        ));
        items.push(format!(
            "{}={};;;0;",
            label(&format!("tls_handshake_{suffix}")),
            ms_value(check_ms(CheckId::TlsHandshake))
        ));
        items.push(format!(
            "{}={};;;0;",
            label(&format!("round_trips_{suffix}")),
            e.round_trips
        ));
    }
    items.join(" ")
}

/// Every sentence of the plugin output, in one place (messages
/// `monitoring-*` in `src/i18n/*/monitoring.ftl`).
mod words {
    use crate::i18n::t;

    /// Plain POP3 upgraded with STLS.
    pub fn pop3_starttls() -> String {
        t!("monitoring-pop3-starttls")
    }
    /// Implicit TLS.
    pub const POP3S: &str = "POP3S";
    /// Plain POP3 without TLS.
    pub const POP3: &str = "POP3";

    /// The OK summary.
    pub fn fine(services: &[String], total: f64) -> String {
        let what = services
            .iter()
            .cloned()
            .reduce(|left, right| t!("monitoring-and", left = left, right = right))
            .unwrap_or_else(|| POP3.to_string());
        t!(
            "monitoring-fine",
            services = what,
            total = format!("{total:.3}")
        )
    }

    /// The top problem and how many others the long text lists.
    pub fn more(top: &str, others: usize) -> String {
        t!("monitoring-more", top = top, others = others)
    }

    /// A total time beyond `-w`/`-c`.
    pub fn slow(total: f64, flag: &str, range: &str) -> String {
        t!(
            "monitoring-slow",
            total = format!("{total:.3}"),
            flag = flag,
            range = range
        )
    }

    /// A certificate expiring within `--expiry-warn`/`--expiry-crit` days.
    pub fn expiry(endpoint: &str, days: i64, flag: &str, limit: u32) -> String {
        t!(
            "monitoring-expiry",
            endpoint = endpoint,
            days = days,
            flag = flag,
            limit = limit
        )
    }

    /// The `-t` limit cut the run.
    pub fn timed_out(limit: f64) -> String {
        t!("monitoring-timed-out", limit = limit.to_string())
    }

    /// A setting that works now.
    pub fn works(setting: &str) -> String {
        t!("monitoring-works", setting = setting)
    }

    /// A bad `-w`/`-c` value.
    pub fn bad_range(flag: &str, typed: &str) -> String {
        t!(
            "monitoring-bad-range",
            flag = flag,
            typed = crate::transcript::sanitize_str(typed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_the_monitoring_plugins_syntax() {
        let r = Range::parse("-w", "10").unwrap();
        assert!(!r.alerts(0.0) && !r.alerts(10.0) && r.alerts(10.5) && r.alerts(-1.0));
        let r = Range::parse("-w", "10:").unwrap();
        assert!(r.alerts(9.9) && !r.alerts(10.0) && !r.alerts(1e9));
        let r = Range::parse("-w", "~:10").unwrap();
        assert!(!r.alerts(-5.0) && r.alerts(10.1));
        let r = Range::parse("-w", "10:20").unwrap();
        assert!(r.alerts(9.0) && !r.alerts(15.0) && r.alerts(21.0));
        let r = Range::parse("-w", "@10:20").unwrap();
        assert!(!r.alerts(9.0) && r.alerts(15.0) && !r.alerts(21.0));
        let r = Range::parse("-w", "0").unwrap();
        assert!(r.alerts(0.001) && !r.alerts(0.0));
        assert_eq!(Range::parse("-c", "1.5").unwrap().as_str(), "1.5");
        for bad in ["", "x", "5:1", "@", "1:2:3", "inf", "NaN", "~"] {
            let e = Range::parse("-c", bad).unwrap_err();
            assert!(e.0.starts_with("-c "), "{bad}: {e}");
        }
    }

    #[test]
    fn labels_use_safe_characters_only() {
        assert_eq!(label("connect_127.0.0.1_110"), "connect_127.0.0.1_110");
        assert_eq!(label("connect_::1_995"), "connect___1_995");
        assert_eq!(label("a b'c=d|e"), "a_b_c_d_e");
        assert_eq!(quote("a b"), "'a b'");
    }

    #[test]
    fn text_never_breaks_the_line_grammar() {
        assert_eq!(clean(" a|b\r\nc\u{1b} "), "a/b  c");
        let line = String::from_utf8(unknown("bad | flag\nhere")).unwrap();
        assert_eq!(line, "POP3 UNKNOWN - bad / flag here\n");
        let line = String::from_utf8(timed_out(10.0)).unwrap();
        assert!(line.starts_with("POP3 CRITICAL - no complete answer within 10 s"));
        assert!(line.ends_with("| time=10.000s;;;0\n"), "{line}");
    }
}
