//! The shared vocabulary of the engine and its front ends: statuses, checks,
//! endpoint facts, certificate facts and the live [`Event`] stream.
//!
//! These types are what the JSON report serialises (see `docs/json.md`), so
//! field names here are part of the stable `popscope.report/v1` schema.

use serde::Serialize;
use std::fmt;

use crate::transcript::Line;

/// The result of one check. Ordered by severity for [`Status::worst`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Nothing to judge (the check did not apply or could not run).
    Skip,
    /// A fact worth knowing that is not a problem.
    Info,
    /// The check passed.
    Pass,
    /// A problem that does not stop mail from being fetched (yet).
    Warn,
    /// A problem that stops mail from being fetched safely.
    Fail,
}

impl Status {
    /// 0 for pass/info/skip, 1 for warn, 2 for fail (the Nagios levels).
    pub fn severity(self) -> u8 {
        match self {
            Status::Skip | Status::Info | Status::Pass => 0,
            Status::Warn => 1,
            Status::Fail => 2,
        }
    }

    /// The worst of a set of statuses; `Pass` for an empty set.
    pub fn worst<I: IntoIterator<Item = Status>>(it: I) -> Status {
        it.into_iter()
            .filter(|s| s.severity() > 0)
            .max_by_key(|s| s.severity())
            .unwrap_or(Status::Pass)
    }

    /// Lower-case word used in text, JSON and the TUI.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Skip => "skip",
            Status::Info => "info",
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }

    /// Upper-case label for reports, readable without colour.
    pub fn label(self) -> &'static str {
        match self {
            Status::Skip => "SKIP",
            Status::Info => "INFO",
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A check's stable identifier (docs/checks.md). Serialised as its dotted
/// name (`tls.chain`); `pop3.step.N` carries the step number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckId {
    /// `dns.resolve`: the host's A/AAAA records.
    DnsResolve,
    /// `dns.mx`: the domain's MX records.
    DnsMx,
    /// `dns.srv`: RFC 6186 SRV records.
    DnsSrv,
    /// `tcp.connect`: TCP reachability.
    TcpConnect,
    /// `pop3.greeting`: the `+OK` greeting.
    Pop3Greeting,
    /// `pop3.capa`: CAPA (RFC 2449).
    Pop3Capa,
    /// `auth.cleartext`: whether a password could travel unencrypted.
    AuthCleartext,
    /// `tls.stls`: STLS offered and the upgrade works.
    TlsStls,
    /// `tls.stls-injection`: the STARTTLS command-injection flaw.
    TlsStlsInjection,
    /// `tls.handshake`: the TLS handshake completes.
    TlsHandshake,
    /// `tls.protocol`: negotiated TLS version and cipher.
    TlsProtocol,
    /// `tls.chain`: the certificate chain verifies.
    TlsChain,
    /// `tls.hostname`: the certificate is valid for the name.
    TlsHostname,
    /// `tls.expiry`: validity dates.
    TlsExpiry,
    /// `tls.key`: key strength.
    TlsKey,
    /// `auth.login`: the login with the user's credentials.
    AuthLogin,
    /// `pop3.dialogue`: the replayed dialogue profile as a whole.
    Pop3Dialogue,
    /// `run.deadline`: the whole run hit --deadline.
    RunDeadline,
    /// `run.interrupted`: Ctrl-C.
    RunInterrupted,
    /// `pop3.step.N`: step N (1-based) of the replayed profile.
    Pop3Step(u32),
}

impl CheckId {
    /// Every id with a fixed name (`pop3.step.N` aside), in report order.
    pub const FIXED: [CheckId; 19] = [
        CheckId::DnsResolve,
        CheckId::DnsMx,
        CheckId::DnsSrv,
        CheckId::TcpConnect,
        CheckId::Pop3Greeting,
        CheckId::Pop3Capa,
        CheckId::AuthCleartext,
        CheckId::TlsStls,
        CheckId::TlsStlsInjection,
        CheckId::TlsHandshake,
        CheckId::TlsProtocol,
        CheckId::TlsChain,
        CheckId::TlsHostname,
        CheckId::TlsExpiry,
        CheckId::TlsKey,
        CheckId::AuthLogin,
        CheckId::Pop3Dialogue,
        CheckId::RunDeadline,
        CheckId::RunInterrupted,
    ];

    /// The dotted name of a fixed id; `None` for `pop3.step.N`.
    pub fn fixed_name(self) -> Option<&'static str> {
        Some(match self {
            CheckId::DnsResolve => "dns.resolve",
            CheckId::DnsMx => "dns.mx",
            CheckId::DnsSrv => "dns.srv",
            CheckId::TcpConnect => "tcp.connect",
            CheckId::Pop3Greeting => "pop3.greeting",
            CheckId::Pop3Capa => "pop3.capa",
            CheckId::AuthCleartext => "auth.cleartext",
            CheckId::TlsStls => "tls.stls",
            CheckId::TlsStlsInjection => "tls.stls-injection",
            CheckId::TlsHandshake => "tls.handshake",
            CheckId::TlsProtocol => "tls.protocol",
            CheckId::TlsChain => "tls.chain",
            CheckId::TlsHostname => "tls.hostname",
            CheckId::TlsExpiry => "tls.expiry",
            CheckId::TlsKey => "tls.key",
            CheckId::AuthLogin => "auth.login",
            CheckId::Pop3Dialogue => "pop3.dialogue",
            CheckId::RunDeadline => "run.deadline",
            CheckId::RunInterrupted => "run.interrupted",
            CheckId::Pop3Step(_) => return None,
        })
    }

    /// Whether the id concerns TLS (`tls.*`).
    pub fn is_tls(self) -> bool {
        self.fixed_name().is_some_and(|n| n.starts_with("tls."))
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.fixed_name()) {
            (_, Some(n)) => f.write_str(n),
            (CheckId::Pop3Step(n), None) => write!(f, "pop3.step.{n}"),
            _ => Ok(()),
        }
    }
}

impl std::str::FromStr for CheckId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(id) = CheckId::FIXED.iter().find(|c| c.fixed_name() == Some(s)) {
            return Ok(*id);
        }
        s.strip_prefix("pop3.step.")
            .and_then(|n| n.parse().ok())
            .map(CheckId::Pop3Step)
            .ok_or_else(|| crate::i18n::t!("probe-unknown-check-id", id = s))
    }
}

impl Serialize for CheckId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One judged check, with a stable `id` from `docs/checks.md`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Stable identifier such as `tls.chain`.
    pub id: CheckId,
    /// The verdict.
    pub status: Status,
    /// `address:port` this check concerns, or `None` for target-wide checks.
    pub endpoint: Option<String>,
    /// One line saying what was found.
    pub summary: String,
    /// Longer explanation (may be empty).
    pub detail: String,
    /// What to do about it (empty when nothing needs doing).
    pub remedy: String,
    /// Time the underlying step took, when it was timed.
    pub duration_ms: Option<u64>,
    /// Machine-readable evidence, check-specific (documented per id).
    pub data: serde_json::Value,
}

impl Check {
    /// A check with empty detail/remedy/data.
    pub fn new(
        id: CheckId,
        status: Status,
        endpoint: Option<String>,
        summary: impl Into<String>,
    ) -> Self {
        Check {
            id,
            status,
            endpoint,
            summary: summary.into(),
            detail: String::new(),
            remedy: String::new(),
            duration_ms: None,
            data: serde_json::Value::Null,
        }
    }

    /// Builder: sets the detail text.
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.detail = d.into();
        self
    }

    /// Builder: sets the remedy text.
    pub fn remedy(mut self, r: impl Into<String>) -> Self {
        self.remedy = r.into();
        self
    }

    /// Builder: sets the duration.
    pub fn duration(mut self, d: Option<std::time::Duration>) -> Self {
        self.duration_ms = d.map(|d| d.as_millis() as u64);
        self
    }

    /// Builder: sets the evidence.
    pub fn data(mut self, v: serde_json::Value) -> Self {
        self.data = v;
        self
    }
}

/// How a connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// Plain POP3, upgraded with STLS when the server offers it (port 110).
    Plain,
    /// Plain POP3 where STLS is expected/required (reported after upgrade).
    Starttls,
    /// TLS from the first byte (port 995).
    ImplicitTls,
}

impl Security {
    /// The JSON/text name.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Plain => "plain",
            Security::Starttls => "starttls",
            Security::ImplicitTls => "implicit-tls",
        }
    }
}

/// Facts about one certificate, leaf first in [`TlsInfo::certificates`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct CertInfo {
    /// Subject distinguished name (RFC 4514 string).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// DNS and IP subject alternative names.
    pub sans: Vec<String>,
    /// Start of validity, RFC 3339.
    pub not_before: String,
    /// End of validity, RFC 3339.
    pub not_after: String,
    /// Start of validity, seconds since the Unix epoch (`None` for an
    /// unparsable certificate).
    pub not_before_unix: Option<i64>,
    /// End of validity, seconds since the Unix epoch (`None` for an
    /// unparsable certificate).
    pub not_after_unix: Option<i64>,
    /// Public key, e.g. `RSA 2048` or `EC P-256`.
    pub key: String,
    /// Signature algorithm name, e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// SHA-256 fingerprint of the DER, lower-case hex.
    pub sha256: String,
}

/// Outcome of certificate verification as the client saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Verification {
    /// Whether the chain verified against the trust anchors for the name.
    pub trusted: bool,
    /// The verifier's error, in words, when not trusted.
    pub error: Option<String>,
}

/// Facts about a TLS session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct TlsInfo {
    /// Negotiated version, e.g. `TLSv1.3`.
    pub version: Option<String>,
    /// Negotiated cipher suite.
    pub cipher: Option<String>,
    /// The name sent as SNI and verified (None for an IP without --tls-name).
    pub sni: Option<String>,
    /// The chain the server sent, leaf first.
    pub certificates: Vec<CertInfo>,
    /// Verification result.
    pub verification: Verification,
}

/// Everything observed on one endpoint (address x port).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EndpointReport {
    /// IP address.
    pub address: String,
    /// TCP port.
    pub port: u16,
    /// How the endpoint was (or was meant to be) secured.
    pub security: Security,
    /// TCP connect time, when connected.
    pub connect_ms: Option<u64>,
    /// The server greeting (sanitised), when one was read.
    pub greeting: Option<String>,
    /// Capabilities as last seen (after TLS when upgraded).
    pub capabilities: Vec<String>,
    /// Capabilities before STLS, on a plain port.
    pub capabilities_before_tls: Option<Vec<String>>,
    /// TLS facts, when a handshake happened.
    pub tls: Option<TlsInfo>,
    /// Network round trips this endpoint's probe waited for (connect,
    /// replies, TLS handshake), for benchmarks.
    pub round_trips: u32,
    /// Full transcript of this endpoint.
    pub transcript: Vec<Line>,
}

/// Live progress of a run, for the TUI and streaming front ends.
#[derive(Debug, Clone)]
pub enum Event {
    /// A check started (spinner in the TUI).
    CheckStarted {
        /// Check id.
        id: CheckId,
        /// Endpoint label, if any.
        endpoint: Option<String>,
    },
    /// A check has a (possibly provisional) result; replaces earlier ones with
    /// the same id and endpoint.
    CheckFinished(Check),
    /// An endpoint leg was discovered and is about to be probed.
    Endpoint {
        /// Endpoint label.
        endpoint: String,
        /// Its security mode.
        security: Security,
    },
    /// A transcript line.
    Transcript {
        /// Endpoint label, if any.
        endpoint: Option<String>,
        /// The line.
        line: Line,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_status() {
        assert_eq!(Status::worst([]), Status::Pass);
        assert_eq!(Status::worst([Status::Info, Status::Skip]), Status::Pass);
        assert_eq!(Status::worst([Status::Pass, Status::Warn]), Status::Warn);
        assert_eq!(
            Status::worst([Status::Fail, Status::Warn, Status::Pass]),
            Status::Fail
        );
    }
}
