//! Human-readable report: summary, colour-coded transcripts, checks with
//! status words (readable without colour) and remedies.

use super::{Exporter, Report};
use crate::i18n::t;
use crate::model::Status;
use crate::transcript::{Dir, Line};

/// Text renderer settings.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    /// Emit ANSI colour.
    pub color: bool,
    /// Include transcripts.
    pub transcript: bool,
    /// Only transcripts.
    pub transcript_only: bool,
    /// Explain the dialogue: a `== dialogue ==` section with each step's
    /// command, reply and explanation, and every `+OK`/`-ERR` line of the
    /// transcripts tagged with the command it answers (pipelined or not).
    pub explain: bool,
}

/// The profile whose text reports explain by default.
pub const EXPLAINED_PROFILE: &str = "teaching";

/// Whether a text report of `r` explains when neither `--explain` nor
/// `--no-explain` was given: only for the `teaching` profile.
pub fn default_explain(r: &Report) -> bool {
    r.dialogue
        .as_ref()
        .and_then(|d| d.outcome.as_ref())
        .is_some_and(|o| o.profile == EXPLAINED_PROFILE)
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";
const MAGENTA: &str = "\x1b[35m";
const CYAN: &str = "\x1b[36m";

impl Text {
    fn paint(&self, style: &str, s: &str) -> String {
        if self.color && !s.is_empty() {
            format!("{style}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    /// Colour of a status.
    pub fn status_style(s: Status) -> &'static str {
        match s {
            Status::Pass => GREEN,
            Status::Warn => YELLOW,
            Status::Fail => RED,
            Status::Info => BLUE,
            Status::Skip => DIM,
        }
    }

    /// One transcript line, `+12ms C: CAPA`.
    pub fn line(&self, l: &Line) -> String {
        let (tag, style) = match l.dir {
            Dir::Client => ("C:", CYAN),
            Dir::Server => {
                if l.text.starts_with("+OK") {
                    ("S:", GREEN)
                } else if l.text.starts_with("-ERR") {
                    ("S:", RED)
                } else {
                    ("S:", DIM)
                }
            }
            Dir::Tls => ("TLS", MAGENTA),
            Dir::Note => ("--", YELLOW),
        };
        let to = match (&l.kind, self.explain) {
            (crate::transcript::LineKind::Reply { to: Some(verb), .. }, true) => {
                format!("  {}", self.paint(DIM, &words::reply_to(verb)))
            }
            _ => String::new(),
        };
        format!(
            "  {} {} {}{to}",
            self.paint(DIM, &format!("{:>6}ms", l.t_ms)),
            self.paint(style, &format!("{tag:<3}")),
            self.paint(style, &l.text)
        )
    }

    /// The `== dialogue ==` section: every step with what was sent, the
    /// status line that answered it, its verdict and its explanations.
    fn dialogue(&self, r: &Report, o: &mut String) {
        let Some(outcome) = r.dialogue.as_ref().and_then(|d| d.outcome.as_ref()) else {
            return;
        };
        o.push_str(&format!(
            "\n{}\n",
            self.paint(BOLD, &words::dialogue_heading(&outcome.profile))
        ));
        for st in &outcome.steps {
            let label = self.paint(
                Self::status_style(st.status),
                &format!("{:<4}", st.status.label()),
            );
            let piped = if st.pipelined {
                format!(" {}", self.paint(DIM, &t!("report-pipelined")))
            } else {
                String::new()
            };
            o.push_str(&format!(
                "  {label}  {} {}{piped}\n",
                self.paint(BOLD, &format!("{:>2}.", st.index)),
                sanitize_str(&st.command_shown)
            ));
            if let Some(got) = &st.got {
                o.push_str(&format!(
                    "        {} {}\n",
                    self.paint(BOLD, &words::reply_heading(&st.verb)),
                    got
                ));
            }
            if !st.reason.is_empty() && st.status != Status::Pass {
                o.push_str(&format!("        {}\n", sanitize_str(&st.reason)));
            }
            if !st.explanation.is_empty() {
                o.push_str(&format!(
                    "        {} {}\n",
                    self.paint(BOLD, &t!("report-what-it-does")),
                    sanitize_str(&st.explanation)
                ));
            }
            if let Some(meaning) = st.meaning.as_deref().filter(|m| !m.is_empty()) {
                o.push_str(&format!(
                    "        {} {}\n",
                    self.paint(BOLD, &t!("report-what-it-means")),
                    sanitize_str(meaning)
                ));
            }
        }
    }
}

/// Sanitises text that did not come through the transcript (profile
/// explanations, verdict reasons): one line, no control characters.
fn sanitize_str(s: &str) -> String {
    crate::transcript::sanitize_str(s)
}

/// The words of the explained text report (messages `report-*` in
/// `src/i18n/*/report.ftl`).
mod words {
    use crate::i18n::t;

    /// The tag after a status line: the command it answers.
    pub(super) fn reply_to(verb: &str) -> String {
        t!("report-reply-to", verb = verb)
    }

    /// Before a step's status line.
    pub(super) fn reply_heading(verb: &str) -> String {
        t!("report-reply-heading", verb = verb)
    }

    /// The section heading.
    pub(super) fn dialogue_heading(profile: &str) -> String {
        t!("report-dialogue-heading", profile = profile)
    }

    /// Whether a cause's client fix starts with the sentence that no
    /// client setting can help (said once already), in English or in the
    /// current language.
    pub(super) fn is_no_setting(fix: &str) -> bool {
        let en =
            crate::i18n::format_in(crate::i18n::Lang::En, "report-no-client-setting-start", &[]);
        en.is_some_and(|p| fix.starts_with(&p))
            || fix.starts_with(&t!("report-no-client-setting-start"))
    }
}

impl Text {
    /// The Diagnosis block: the cause, the other problems (each once), the
    /// client settings that work now (or that none can help), the fixes
    /// for the client and for the server, and the server software.
    fn diagnosis(&self, r: &Report, o: &mut String) {
        let d = &r.diagnosis;
        o.push_str(&format!(
            "\n{}\n",
            self.paint(BOLD, &t!("report-diagnosis-heading"))
        ));
        if let Some(top) = d.top() {
            o.push_str(&format!(
                "  {} {} [{}]\n",
                self.paint(
                    &format!("{BOLD}{}", Self::status_style(top.status)),
                    &t!("report-cause")
                ),
                top.summary,
                top.id
            ));
            for c in d.causes.iter().skip(1) {
                o.push_str(&format!(
                    "  {} {} [{}]\n",
                    self.paint(Self::status_style(c.status), &t!("report-also")),
                    c.summary,
                    c.id
                ));
            }
        } else {
            o.push_str(&format!("  {}\n", t!("report-no-problem")));
        }
        if d.client_settings.is_empty() {
            if d.top().is_some_and(|t| t.status == Status::Fail) {
                o.push_str(&format!("  {}\n", t!("report-no-client-setting")));
            }
        } else {
            o.push_str(&format!(
                "  {}\n",
                self.paint(BOLD, &t!("report-settings-heading"))
            ));
            for s in &d.client_settings {
                o.push_str(&format!(
                    "    - {}\n",
                    crate::diagnosis::describe_setting(s)
                ));
                if let Some(n) = &s.note {
                    o.push_str(&format!("      {n}\n"));
                }
            }
        }
        if let Some(top) = d.top() {
            let said = d.client_settings.is_empty() && top.status == Status::Fail;
            let repeats = said && words::is_no_setting(&top.client_fix);
            if !top.client_fix.is_empty() && !repeats {
                o.push_str(&format!(
                    "  {} {}\n",
                    self.paint(BOLD, &t!("report-client-fix")),
                    top.client_fix
                ));
            }
            if !top.server_fix.is_empty() {
                o.push_str(&format!(
                    "  {} {}\n",
                    self.paint(BOLD, &t!("report-server-fix")),
                    top.server_fix
                ));
            }
        }
        if let Some(sw) = &d.server {
            let version = sw
                .version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default();
            o.push_str(&format!(
                "  {} {}{version} {}\n",
                self.paint(BOLD, &t!("report-server-software")),
                sw.software,
                t!(
                    "report-server-evidence",
                    evidence = crate::diagnosis::evidence_words(&sw.evidence)
                )
            ));
        }
    }

    /// The certificates each endpoint served, with their SHA-256
    /// fingerprints in the form mail clients show them.
    fn certificates(&self, r: &Report, o: &mut String) {
        let with_tls: Vec<_> = r
            .endpoints
            .iter()
            .filter_map(|e| e.tls.as_ref().map(|t| (e, t)))
            .filter(|(_, t)| !t.certificates.is_empty())
            .collect();
        if with_tls.is_empty() {
            return;
        }
        o.push_str(&format!(
            "\n{}\n",
            self.paint(BOLD, &t!("report-certificates-heading"))
        ));
        for (e, t) in with_tls {
            let addr = if e.address.contains(':') {
                format!("[{}]:{}", e.address, e.port)
            } else {
                format!("{}:{}", e.address, e.port)
            };
            o.push_str(&format!("  {}\n", t!("report-cert-on", address = addr)));
            for (i, c) in t.certificates.iter().enumerate() {
                let role = if i == 0 {
                    t!("report-cert-leaf")
                } else {
                    t!("report-cert-issuer")
                };
                o.push_str(&format!("    {role} {}\n", c.subject));
                o.push_str(&format!(
                    "      {} {}\n",
                    t!("report-cert-issued-by"),
                    c.issuer
                ));
                o.push_str(&format!(
                    "      {}\n",
                    t!(
                        "report-cert-valid",
                        from = &c.not_before,
                        until = &c.not_after
                    )
                ));
                o.push_str(&format!(
                    "      {} {}\n",
                    t!("report-cert-fingerprint"),
                    crate::diagnosis::fingerprint(&c.sha256)
                ));
            }
        }
    }
}

impl Exporter for Text {
    fn render(&self, r: &Report) -> Vec<u8> {
        let mut o = String::new();
        let verdict = self.paint(
            &format!("{BOLD}{}", Self::status_style(r.verdict)),
            r.verdict.label(),
        );
        if !self.transcript_only {
            let resolved = if r.target.host != r.target.input {
                t!("report-resolved", host = &r.target.host)
            } else {
                String::new()
            };
            let headline = t!(
                "report-headline",
                tool = self.paint(BOLD, "popscope"),
                target = &r.target.input,
                resolved = resolved,
                verdict = &verdict,
                ms = r.duration_ms.to_string()
            );
            o.push_str(&format!("{headline}\n{}\n", r.summary));
        }
        if !self.transcript_only {
            self.diagnosis(r, &mut o);
        }
        if self.transcript || self.transcript_only {
            for ep in &r.endpoints {
                let addr = if ep.address.contains(':') {
                    format!("[{}]:{}", ep.address, ep.port)
                } else {
                    format!("{}:{}", ep.address, ep.port)
                };
                o.push_str(&format!(
                    "\n{}\n",
                    self.paint(BOLD, &format!("== {addr} ({}) ==", ep.security.as_str()))
                ));
                for l in &ep.transcript {
                    o.push_str(&self.line(l));
                    o.push('\n');
                }
            }
        }
        if self.explain && !self.transcript_only {
            self.dialogue(r, &mut o);
        }
        if !self.transcript_only {
            o.push_str(&format!(
                "\n{}\n",
                self.paint(BOLD, &t!("report-checks-heading"))
            ));
            for c in &r.checks {
                let label = self.paint(
                    Self::status_style(c.status),
                    &format!("{:<4}", c.status.label()),
                );
                let ep = c
                    .endpoint
                    .as_deref()
                    .map(|e| format!(" {}", self.paint(DIM, &t!("report-check-on", endpoint = e))))
                    .unwrap_or_default();
                o.push_str(&format!(
                    "  {label}  {}{}  {}\n",
                    self.paint(BOLD, &c.id.to_string()),
                    ep,
                    c.summary
                ));
                if !c.detail.is_empty() && c.status != Status::Pass {
                    o.push_str(&format!("        {}\n", c.detail));
                }
                if !c.remedy.is_empty() && c.status.severity() > 0 {
                    o.push_str(&format!(
                        "        {} {}\n",
                        self.paint(BOLD, &t!("report-fix")),
                        c.remedy
                    ));
                }
            }
            self.certificates(r, &mut o);
            o.push_str(&format!(
                "\n{}\n",
                t!(
                    "report-verdict-line",
                    verdict = &verdict,
                    summary = &r.summary
                )
            ));
        }
        o.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Check, EndpointReport, Security};
    use crate::report::{Report, TargetInfo, Tool};

    fn report() -> Report {
        Report {
            schema: crate::report::SCHEMA,
            tool: Tool {
                name: "popscope",
                version: "0",
            },
            target: TargetInfo {
                input: "h".into(),
                host: "h".into(),
                kind: "host".into(),
                user: None,
            },
            started_at: "2026-01-01T00:00:00Z".into(),
            duration_ms: 3,
            verdict: Status::Fail,
            summary: "1 failure".into(),
            checks: vec![
                Check::new(
                    crate::model::CheckId::TlsChain,
                    Status::Fail,
                    Some("[::1]:995".into()),
                    "self-signed",
                )
                .remedy("get a real certificate"),
            ],
            dialogue: None,
            diagnosis: Default::default(),
            endpoints: vec![EndpointReport {
                address: "::1".into(),
                port: 995,
                security: Security::ImplicitTls,
                connect_ms: Some(1),
                greeting: None,
                capabilities: vec![],
                capabilities_before_tls: None,
                tls: None,
                round_trips: 3,
                transcript: vec![
                    Line {
                        t_ms: 1,
                        dir: Dir::Server,
                        text: "+OK hi".into(),
                        kind: Default::default(),
                    },
                    Line {
                        t_ms: 2,
                        dir: Dir::Client,
                        text: "PASS ********".into(),
                        kind: Default::default(),
                    },
                ],
            }],
        }
    }

    #[test]
    fn plain_text_has_no_escape_and_keeps_words() {
        let t = Text {
            color: false,
            transcript: true,
            transcript_only: false,
            explain: false,
        };
        let out = String::from_utf8(t.render(&report())).unwrap();
        assert!(!out.contains('\x1b'));
        assert!(
            out.contains("FAIL  tls.chain on [::1]:995  self-signed"),
            "{out}"
        );
        assert!(out.contains("fix: get a real certificate"));
        assert!(out.contains("== [::1]:995 (implicit-tls) =="));
        assert!(out.contains("S:  +OK hi"));
        assert!(out.starts_with("popscope h: FAIL in 3 ms"), "{out}");
    }

    #[test]
    fn colour_marks_ok_and_status() {
        let t = Text {
            color: true,
            transcript: true,
            transcript_only: false,
            explain: false,
        };
        let out = String::from_utf8(t.render(&report())).unwrap();
        assert!(out.contains(&format!("{GREEN}+OK hi{RESET}")));
        assert!(out.contains(&format!("{RED}FAIL{RESET}")));
    }

    #[test]
    fn transcript_switches() {
        let only = Text {
            color: false,
            transcript: true,
            transcript_only: true,
            explain: false,
        };
        let out = String::from_utf8(only.render(&report())).unwrap();
        assert!(!out.contains("== checks =="));
        let none = Text {
            color: false,
            transcript: false,
            transcript_only: false,
            explain: false,
        };
        let out = String::from_utf8(none.render(&report())).unwrap();
        assert!(!out.contains("+OK hi"));
    }

    #[test]
    fn diagnosis_block_first_and_fingerprints_in_the_certificates() {
        use crate::diagnosis::{Cause, CauseId, CheckRef, Diagnosis};
        let mut r = report();
        r.summary = "The certificate is self-signed".into();
        *r.diagnosis = Diagnosis {
            causes: vec![Cause {
                id: CauseId::CertSelfSigned,
                status: Status::Fail,
                summary: "The certificate is self-signed".into(),
                explains: vec![CheckRef::to(&r.checks[0])],
                client_fix: "Compare the fingerprint.".into(),
                server_fix: "Install a real certificate.".into(),
            }],
            client_settings: vec![],
            server: None,
        };
        r.endpoints[0].tls = Some(crate::model::TlsInfo {
            certificates: vec![crate::model::CertInfo {
                subject: "CN=h".into(),
                issuer: "CN=h".into(),
                sha256: "ab01".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let t = Text {
            color: false,
            transcript: false,
            transcript_only: false,
            explain: false,
        };
        let out = String::from_utf8(t.render(&r)).unwrap();
        let diag = out.find("== diagnosis ==").expect("diagnosis block");
        assert!(diag < out.find("== checks ==").unwrap(), "{out}");
        assert!(
            out.contains("cause: The certificate is self-signed [cert.self-signed]"),
            "{out}"
        );
        assert!(
            out.contains("No mail client setting can help: the fix is on the server."),
            "{out}"
        );
        assert!(
            out.contains("In the mail client: Compare the fingerprint."),
            "{out}"
        );
        assert!(
            out.contains("On the server: Install a real certificate."),
            "{out}"
        );
        assert!(out.contains("SHA-256: AB:01"), "{out}");
    }
}
