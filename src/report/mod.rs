//! The report: one serialisable value built from an outcome and its checks,
//! and renderers that turn it into bytes (pure functions, snapshot-testable).

pub mod json;
pub mod many;
pub mod nagios;
pub mod text;

use serde::Serialize;

use crate::diagnosis::DiagnosisContext;
use crate::i18n::t;
use crate::model::{Check, EndpointReport, Status};
use crate::probe::outcome::Outcome;
use crate::target::Target;

/// JSON schema identifier; bumped only on incompatible changes.
pub const SCHEMA: &str = "popscope.report/v1";

/// `tool` object.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tool {
    /// Always `popscope`.
    pub name: &'static str,
    /// Crate version.
    pub version: &'static str,
}

/// `target` object.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TargetInfo {
    /// What the user typed.
    pub input: String,
    /// The host probed (name or IP).
    pub host: String,
    /// host | host-port | url | ip | email.
    pub kind: String,
    /// User name from the target, if any.
    pub user: Option<String>,
}

/// The whole report (docs/json.md).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// Tool name and version.
    pub tool: Tool,
    /// The target.
    pub target: TargetInfo,
    /// RFC 3339 start time.
    pub started_at: String,
    /// Run time in ms.
    pub duration_ms: u64,
    /// Worst status: pass, warn or fail.
    pub verdict: Status,
    /// One line for humans and monitoring.
    pub summary: String,
    /// Every check.
    pub checks: Vec<Check>,
    /// Every endpoint probed.
    pub endpoints: Vec<EndpointReport>,
    /// The login session and dialogue, when one ran (null otherwise).
    pub dialogue: Option<Box<DialogueReport>>,
    /// Root causes, client settings and server software (docs/diagnosis.md).
    pub diagnosis: Box<crate::diagnosis::Diagnosis>,
}

/// `dialogue` object: where the session ran and its steps.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DialogueReport {
    /// `address:port` of the session, null when no endpoint was usable.
    pub endpoint: Option<String>,
    /// Profile, steps, safety facts (docs/json.md).
    #[serde(flatten)]
    pub outcome: Option<crate::script::DialogueOutcome>,
}

/// The exit code for a verdict: 0 pass, 1 warn, 2 fail (Nagios convention).
pub fn exit_code(verdict: Status) -> u8 {
    verdict.severity()
}

/// One-line summary: verdict, counts and the first problem.
pub fn summarize(checks: &[Check]) -> (Status, String) {
    let verdict = Status::worst(checks.iter().map(|c| c.status));
    let fails = checks.iter().filter(|c| c.status == Status::Fail).count();
    let warns = checks.iter().filter(|c| c.status == Status::Warn).count();
    let first = checks
        .iter()
        .filter(|c| c.status == verdict && verdict != Status::Pass)
        .map(|c| match &c.endpoint {
            Some(ep) => t!(
                "report-first-on",
                check = c.id.to_string(),
                endpoint = ep,
                summary = &c.summary
            ),
            None => t!(
                "report-first",
                check = c.id.to_string(),
                summary = &c.summary
            ),
        })
        .next()
        .unwrap_or_default();
    let summary = match verdict {
        Status::Fail => t!(
            "report-summary-fail",
            failures = t!("report-failures", count = fails),
            warnings = t!("report-warnings", count = warns),
            first = first
        ),
        Status::Warn => t!(
            "report-summary-warn",
            warnings = t!("report-warnings", count = warns),
            first = first
        ),
        _ => t!(
            "report-summary-pass",
            count = checks.iter().filter(|c| c.status == Status::Pass).count()
        ),
    };
    (verdict, summary)
}

/// Builds the report from an outcome, its checks and what the diagnosis
/// needs to know about the run's configuration. The summary is the top
/// cause's sentence (or `all N checks passed`).
pub fn build(
    target: &Target,
    outcome: &Outcome,
    checks: Vec<Check>,
    ctx: &DiagnosisContext,
) -> Report {
    let (verdict, mut summary) = summarize(&checks);
    let diagnosis = Box::new(crate::diagnosis::diagnose(target, outcome, &checks, ctx));
    if let Some(top) = diagnosis.top() {
        summary = top.summary.clone();
    }
    let endpoints: Vec<EndpointReport> = outcome
        .legs
        .iter()
        .map(|leg| {
            let caps_plain = leg
                .capa_plain
                .as_ref()
                .and_then(|(c, _)| c.lines().map(|l| l.to_vec()));
            let caps_tls = leg
                .capa_tls
                .as_ref()
                .and_then(|(c, _)| c.lines().map(|l| l.to_vec()));
            let security = match (&leg.security, &leg.stls) {
                (
                    crate::model::Security::Plain,
                    Some((crate::probe::outcome::Stls::Accepted { .. }, _)),
                ) => crate::model::Security::Starttls,
                (s, _) => *s,
            };
            EndpointReport {
                address: leg.addr.ip().to_string(),
                port: leg.addr.port(),
                security,
                connect_ms: leg
                    .connect
                    .as_ref()
                    .and_then(|c| c.as_ref().ok())
                    .map(|d| d.as_millis() as u64),
                greeting: leg.greeting_text.clone(),
                capabilities: caps_tls.clone().or(caps_plain.clone()).unwrap_or_default(),
                capabilities_before_tls: if leg.security == crate::model::Security::Plain {
                    caps_plain
                } else {
                    None
                },
                tls: leg.tls.as_ref().and_then(|t| t.as_ref().ok()).map(|s| {
                    crate::model::TlsInfo {
                        version: Some(s.version.clone()),
                        cipher: Some(s.cipher.clone()),
                        sni: s.sni.clone(),
                        certificates: s.certificates.clone(),
                        verification: crate::model::Verification {
                            trusted: s.verify_error.is_none(),
                            error: s.verify_error.clone(),
                        },
                    }
                }),
                round_trips: leg.round_trips,
                transcript: leg.transcript.clone(),
            }
        })
        .collect();
    let mut endpoints: Vec<EndpointReport> = endpoints;
    // Null unless a dialogue actually ran (its absence is explained by auth.login).
    let dialogue = outcome
        .dialogue
        .as_ref()
        .filter(|d| d.outcome.is_some())
        .map(|d| {
            // The session's lines join its endpoint's transcript.
            if let Some(ep) = d.endpoint
                && let Some(e) = endpoints
                    .iter_mut()
                    .find(|e| e.port == ep.port() && e.address == ep.ip().to_string())
            {
                e.transcript.extend(d.transcript.iter().cloned());
            }
            Box::new(DialogueReport {
                endpoint: d.endpoint.map(|e| e.to_string()),
                outcome: d.outcome.clone(),
            })
        });
    Report {
        schema: SCHEMA,
        tool: Tool {
            name: "popscope",
            version: env!("CARGO_PKG_VERSION"),
        },
        target: TargetInfo {
            input: target.input.clone(),
            host: outcome
                .dns
                .host
                .clone()
                .unwrap_or_else(|| target.host.to_string()),
            kind: target.kind.as_str().to_string(),
            user: target.user.clone(),
        },
        started_at: crate::timefmt::rfc3339(outcome.started_at),
        duration_ms: outcome.duration.as_millis() as u64,
        verdict,
        summary,
        checks,
        endpoints,
        dialogue,
        diagnosis,
    }
}

/// A renderer: report → bytes.
pub trait Exporter {
    /// Serialises the report.
    fn render(&self, report: &Report) -> Vec<u8>;
}

#[cfg(test)]
mod explain_tests;
#[cfg(test)]
mod lang_tests;
