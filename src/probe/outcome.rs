//! What the prober observed, before any judgement. [`crate::checks`] turns an
//! [`Outcome`] into checks with pure functions, so every rule is testable
//! without a network.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;

use crate::i18n::t;
use crate::model::{CertInfo, Security};
use crate::pop3::capa::Capabilities;
use crate::transcript::Line;

/// What kind of network step failed: stable codes, documented per check in
/// docs/checks.md and written to the JSON `data.error` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureKind {
    /// `nxdomain`: the name does not exist (DNS NXDOMAIN).
    NxDomain,
    /// `nodata`: the name exists but has no record of that type.
    NoData,
    /// `servfail`: the DNS server failed (SERVFAIL).
    ServFail,
    /// `refused`: refused (DNS REFUSED, or TCP connection refused).
    Refused,
    /// `timeout`: no answer in time.
    Timeout,
    /// `unreachable`: no route to the address.
    Unreachable,
    /// `closed`: the peer closed the connection.
    Closed,
    /// `line-too-long`: a line longer than popscope reads.
    LineTooLong,
    /// `not-pop3`: the peer speaks another protocol.
    NotPop3,
    /// `too-large`: a response larger than popscope reads.
    TooLarge,
    /// `incomplete`: bytes arrived but no complete line.
    Incomplete,
    /// `unterminated`: a line that started like a POP3 status line never ended.
    Unterminated,
    /// `plaintext`: plaintext where a TLS reply was expected.
    Plaintext,
    /// `protocol-version`: no TLS version in common.
    ProtocolVersion,
    /// `handshake-failure`: the TLS handshake-failure alert.
    HandshakeFailure,
    /// `alert`: another TLS alert.
    Alert,
    /// `tls-error`: a TLS protocol error.
    TlsError,
    /// `io`: an I/O error.
    Io,
    /// `config`: popscope's own TLS setup failed.
    Config,
    /// `other`: another DNS failure.
    Other,
    /// `error`: another failure.
    Error,
}

impl FailureKind {
    /// The stable code, e.g. `nxdomain`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::NxDomain => "nxdomain",
            FailureKind::NoData => "nodata",
            FailureKind::ServFail => "servfail",
            FailureKind::Refused => "refused",
            FailureKind::Timeout => "timeout",
            FailureKind::Unreachable => "unreachable",
            FailureKind::Closed => "closed",
            FailureKind::LineTooLong => "line-too-long",
            FailureKind::NotPop3 => "not-pop3",
            FailureKind::TooLarge => "too-large",
            FailureKind::Incomplete => "incomplete",
            FailureKind::Unterminated => "unterminated",
            FailureKind::Plaintext => "plaintext",
            FailureKind::ProtocolVersion => "protocol-version",
            FailureKind::HandshakeFailure => "handshake-failure",
            FailureKind::Alert => "alert",
            FailureKind::TlsError => "tls-error",
            FailureKind::Io => "io",
            FailureKind::Config => "config",
            FailureKind::Other => "other",
            FailureKind::Error => "error",
        }
    }
}

impl Serialize for FailureKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A failed network step, with its kind and the words to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// Machine-readable kind (documented per check in docs/checks.md).
    pub kind: FailureKind,
    /// What happened, in words.
    pub message: String,
    /// A [`FailureKind::Plaintext`] failure where the plaintext was a POP3
    /// greeting (`+OK`/`-ERR`): plain POP3 on a TLS port. Set where the
    /// failure is recorded, so the decision never depends on the words
    /// (which follow the language).
    pub pop3_greeting: bool,
}

impl Failure {
    /// A failure of `kind` saying `message`.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            pop3_greeting: false,
        }
    }

    /// The same failure, marked as plaintext that was a POP3 greeting
    /// (`yes`), see [`Failure::pop3_greeting`].
    pub fn with_pop3_greeting(mut self, yes: bool) -> Self {
        self.pop3_greeting = yes;
        self
    }
}

/// Result of a DNS query: records or a classified failure.
pub type DnsResult<T> = Result<T, Failure>;

/// An MX record with the resolution of its exchange host.
#[derive(Debug, Clone)]
pub struct MxFinding {
    /// Preference.
    pub preference: u16,
    /// Exchange host.
    pub exchange: String,
    /// Addresses of the exchange host.
    pub addresses: DnsResult<Vec<IpAddr>>,
}

/// An SRV record with the resolution of its target.
#[derive(Debug, Clone)]
pub struct SrvFinding {
    /// The SRV name asked (`_pop3s._tcp.example.com`).
    pub name: String,
    /// Priority.
    pub priority: u16,
    /// Weight.
    pub weight: u16,
    /// Port.
    pub port: u16,
    /// Target host.
    pub target: String,
    /// Addresses of the target host.
    pub addresses: DnsResult<Vec<IpAddr>>,
}

/// How the host to probe was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "via", rename_all = "kebab-case")]
pub enum HostSource {
    /// The target was an IP literal.
    Literal,
    /// The target named the host.
    Direct,
    /// An RFC 6186 SRV record named it.
    Srv {
        /// The SRV record name.
        record: String,
    },
    /// The conventional name `pop.<domain>` (etc.) that resolved.
    Guess {
        /// Names tried, in order.
        tried: Vec<String>,
    },
}

/// DNS observations.
#[derive(Debug, Clone, Default)]
pub struct DnsOutcome {
    /// Host name whose addresses were looked up (None for IP literals).
    pub host: Option<String>,
    /// How that host was chosen.
    pub source: Option<HostSource>,
    /// A records (None: not asked).
    pub a: Option<DnsResult<Vec<IpAddr>>>,
    /// AAAA records (None: not asked).
    pub aaaa: Option<DnsResult<Vec<IpAddr>>>,
    /// MX records of the domain (email targets).
    pub mx: Option<DnsResult<Vec<MxFinding>>>,
    /// SRV lookups (email targets): one entry per SRV name asked.
    pub srv: Vec<(String, DnsResult<Vec<SrvFinding>>)>,
    /// Addresses excluded by -4/-6.
    pub filtered_out: Vec<IpAddr>,
    /// Time DNS took.
    pub duration: Duration,
}

/// The POP3 greeting.
#[derive(Debug, Clone)]
pub enum Greeting {
    /// `+OK ...`
    Ok {
        /// Sanitised text after `+OK`.
        text: String,
        /// Whether it carries an APOP timestamp.
        apop: bool,
    },
    /// `-ERR ...`
    Err {
        /// Sanitised text after `-ERR`.
        text: String,
    },
    /// Nothing within the timeout.
    Silent,
    /// The server closed without greeting.
    Closed,
    /// Another protocol (`protocol` names it) or junk.
    Foreign {
        /// Named protocol, if recognised.
        protocol: Option<String>,
        /// Sanitised first line.
        banner: String,
    },
    /// Another read failure.
    Failed(Failure),
}

/// A CAPA exchange.
#[derive(Debug, Clone)]
pub enum Capa {
    /// `+OK` and the list.
    Listed {
        /// Capability lines kept whole (sanitised).
        lines: Vec<String>,
        /// Lines longer than the RFC 2449 limit.
        over_limit: usize,
        /// Whether the list was longer than popscope keeps: some lines are
        /// known by their name only (`later`), or not at all (`names_lost`).
        truncated: bool,
        /// Lines longer than popscope reads (64 KiB): cut, their name kept
        /// in `later`.
        cut: u64,
        /// The name (first word, sanitised) of each line not kept whole, in
        /// order: a cut line, or one past the kept limits.
        later: Vec<String>,
        /// Lines past the kept limits whose name was not recorded either.
        names_lost: u64,
    },
    /// `-ERR`: CAPA not supported.
    Unsupported {
        /// Server text.
        text: String,
    },
    /// Broken exchange (closed mid-response, endless response, timeout).
    Broken(Failure),
}

impl Capa {
    /// The capability lines, when listed.
    pub fn lines(&self) -> Option<&[String]> {
        match self {
            Capa::Listed { lines, .. } => Some(lines),
            _ => None,
        }
    }

    /// The listed capabilities, parsed by the POP3 codec: the lines kept
    /// whole, then the names of the lines not kept whole.
    pub fn capabilities(&self) -> Option<Capabilities> {
        match self {
            Capa::Listed { lines, later, .. } => Some(Capabilities {
                lines: lines.iter().chain(later).cloned().collect(),
            }),
            _ => None,
        }
    }

    /// A complete list of these capability lines, none over any limit.
    pub fn listed<S: Into<String>>(lines: impl IntoIterator<Item = S>) -> Capa {
        Capa::Listed {
            lines: lines.into_iter().map(Into::into).collect(),
            over_limit: 0,
            truncated: false,
            cut: 0,
            later: Vec::new(),
            names_lost: 0,
        }
    }

    /// Whether the list was cut (lines known by name only, or not at all).
    pub fn truncated(&self) -> bool {
        matches!(
            self,
            Capa::Listed {
                truncated: true,
                ..
            }
        )
    }

    /// Builds the outcome of a CAPA exchange from the body the codec read.
    pub fn from_body(ml: &crate::pop3::response::MultiLine) -> Capa {
        Capa::Listed {
            lines: Capabilities::from_lines(&ml.head).lines,
            over_limit: ml.over_rfc_limit,
            truncated: ml.truncated,
            cut: ml.overlong,
            later: crate::pop3::capa::later_names(ml),
            names_lost: ml.names_lost,
        }
    }

    /// Whether a capability keyword is listed (case-insensitive).
    pub fn has(&self, keyword: &str) -> bool {
        self.capabilities().is_some_and(|c| c.has(keyword))
    }

    /// SASL mechanisms listed (upper case).
    pub fn sasl(&self) -> Vec<String> {
        self.capabilities().map(|c| c.sasl()).unwrap_or_default()
    }
}

/// The STLS step on a plain port.
#[derive(Debug, Clone)]
pub enum Stls {
    /// Not attempted (no CAPA, or STLS not listed and not tried).
    NotOffered,
    /// STLS answered `-ERR`.
    Refused {
        /// Server text.
        text: String,
    },
    /// `+OK`; `leftover` bytes arrived in plaintext after it (a finding).
    Accepted {
        /// Plaintext bytes after the `+OK`.
        leftover: usize,
    },
    /// The exchange broke.
    Broken(Failure),
}

/// How the chain verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainFinding {
    /// Verified to a trust anchor.
    Trusted,
    /// A self-signed certificate.
    SelfSigned,
    /// The chain ends at a CA that is not trusted.
    UnknownIssuer {
        /// The issuer at the top of the served chain.
        issuer: String,
    },
    /// The server did not send the intermediate that issued the top certificate.
    MissingIntermediate {
        /// The missing issuer.
        issuer: String,
    },
    /// Verification failed for a reason the other checks judge (expiry, name).
    Deferred(String),
    /// Another verification failure.
    Other(String),
}

/// Name match facts for the leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFinding {
    /// The name checked (SNI / target / --tls-name).
    pub name: String,
    /// Why that name (e.g. "the SRV target", "--tls-name").
    pub why: String,
    /// Whether the leaf is valid for it.
    pub valid: bool,
    /// Names the leaf is valid for.
    pub names: Vec<String>,
    /// CN used because there were no DNS SANs.
    pub used_cn: bool,
    /// When the leaf is not valid for `name`: its DNS names (wildcards
    /// excluded, at most five) looked up with the run's resolver, each with
    /// whether it resolves to the endpoint's address (a name the user can
    /// type instead). Empty when the name matched or nothing was looked up.
    pub alternatives: Vec<(String, bool)>,
}

/// A completed handshake.
#[derive(Debug, Clone)]
pub struct TlsSession {
    /// `TLSv1.3`, `TLSv1.2`.
    pub version: String,
    /// Cipher suite name.
    pub cipher: String,
    /// SNI sent.
    pub sni: Option<String>,
    /// Chain facts, leaf first.
    pub certificates: Vec<CertInfo>,
    /// Verification error words (None = trusted).
    pub verify_error: Option<String>,
    /// Chain judgement.
    pub chain: ChainFinding,
    /// Hostname judgement (None when there is no name to check).
    pub name: Option<NameFinding>,
    /// Leaf validity.
    pub not_before: Option<OffsetDateTime>,
    /// Leaf validity end.
    pub not_after: Option<OffsetDateTime>,
    /// Leaf key algorithm (`RSA`, `EC`, `Ed25519`, ...).
    pub key_alg: String,
    /// Leaf key size in bits.
    pub key_bits: u32,
    /// Handshake time.
    pub duration: Duration,
}

/// What a hand-built TLS 1.0/1.1 ClientHello found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Legacy {
    /// The server chose this legacy version (e.g. "TLS 1.0").
    Offers(String),
    /// The server refused legacy versions too (alert words).
    Refused(String),
    /// Nothing conclusive.
    Inconclusive(String),
}

/// The STARTTLS command-injection probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Injection {
    /// Injected plaintext was not answered inside TLS.
    Safe,
    /// The server answered the injected command inside TLS.
    Vulnerable {
        /// What was seen.
        evidence: String,
    },
    /// Could not tell.
    Inconclusive(String),
}

/// Everything observed on one address × port.
#[derive(Debug, Clone)]
pub struct LegOutcome {
    /// The endpoint.
    pub addr: SocketAddr,
    /// Plain (+STLS) or implicit TLS.
    pub security: Security,
    /// Whether this leg is one of two default ports (vs. an explicit port).
    pub two_port: bool,
    /// TCP connect: time or failure.
    pub connect: Option<Result<Duration, Failure>>,
    /// Greeting and the time from connect to greeting.
    pub greeting: Option<(Greeting, Duration)>,
    /// CAPA before TLS (plain ports) or the only CAPA (implicit TLS: see capa_tls).
    pub capa_plain: Option<(Capa, Duration)>,
    /// STLS step.
    pub stls: Option<(Stls, Duration)>,
    /// TLS handshake result.
    pub tls: Option<Result<TlsSession, Failure>>,
    /// Legacy-version probe after a failed handshake.
    pub legacy: Option<Legacy>,
    /// CAPA inside TLS.
    pub capa_tls: Option<(Capa, Duration)>,
    /// STARTTLS injection probe (plain ports with STLS).
    pub injection: Option<Injection>,
    /// Transcript of the injection probe's own connection.
    pub injection_transcript: Vec<Line>,
    /// Certificate facts seen before a failed handshake (e.g. a weak key
    /// whose signature the client refused), so they are still judged.
    pub tls_partial: Option<TlsSession>,
    /// A plain port that stayed silent, tried again with a TLS ClientHello
    /// on a second connection: the TLS server that answered (handshake
    /// facts, certificate included). Some means this port speaks TLS, not
    /// plain POP3 (the ports may be swapped).
    pub tls_on_plain: Option<TlsSession>,
    /// Greeting text, sanitised.
    pub greeting_text: Option<String>,
    /// Round trips this leg waited for.
    pub round_trips: u32,
    /// Transcript.
    pub transcript: Vec<Line>,
}

impl LegOutcome {
    /// An empty outcome for `addr`.
    pub fn new(addr: SocketAddr, security: Security, two_port: bool) -> Self {
        LegOutcome {
            addr,
            security,
            two_port,
            connect: None,
            greeting: None,
            capa_plain: None,
            stls: None,
            tls: None,
            legacy: None,
            capa_tls: None,
            injection: None,
            injection_transcript: Vec::new(),
            tls_partial: None,
            tls_on_plain: None,
            greeting_text: None,
            round_trips: 0,
            transcript: Vec::new(),
        }
    }

    /// Endpoint label.
    pub fn label(&self) -> String {
        self.addr.to_string()
    }

    /// Whether this leg delivered a working TLS POP3 service (greeting `+OK`
    /// and a completed handshake, via STLS or implicit TLS).
    pub fn works_with_tls(&self) -> bool {
        let tls_ok = matches!(self.tls, Some(Ok(_)));
        let greet_ok = matches!(self.greeting, Some((Greeting::Ok { .. }, _)));
        tls_ok && greet_ok
    }

    /// Whether the TCP connection succeeded.
    pub fn connected(&self) -> bool {
        matches!(self.connect, Some(Ok(_)))
    }

    /// Whether a POP3 server greeted `+OK` on this leg (in plaintext or
    /// inside TLS).
    pub fn greets_pop3(&self) -> bool {
        matches!(self.greeting, Some((Greeting::Ok { .. }, _)))
    }

    /// Whether plaintext POP3 answered where implicit TLS was expected.
    pub fn plain_on_tls_port(&self) -> bool {
        self.security == Security::ImplicitTls
            && matches!(&self.tls, Some(Err(f))
                if f.kind == FailureKind::Plaintext && f.pop3_greeting)
    }

    /// Marks what a deadline cut short: a TCP connect still pending becomes
    /// a timeout ("no answer before the deadline"), a greeting still awaited
    /// becomes [`Greeting::Silent`] after `waited`. Steps already recorded
    /// are kept as they are.
    pub fn cut_at_deadline(&mut self, waited: Duration) {
        match &self.connect {
            None => {
                self.connect = Some(Err(Failure::new(
                    FailureKind::Timeout,
                    t!(
                        "probe-deadline-connect-pending",
                        ms = waited.as_millis() as u64
                    ),
                )));
            }
            Some(Ok(_)) if self.security == Security::ImplicitTls && self.tls.is_none() => {
                self.tls = Some(Err(Failure::new(
                    FailureKind::Timeout,
                    t!(
                        "probe-deadline-handshake-pending",
                        ms = waited.as_millis() as u64
                    ),
                )));
            }
            Some(Ok(d)) if self.greeting.is_none() => {
                let expects_greeting =
                    self.security == Security::Plain || matches!(self.tls, Some(Ok(_)));
                if expects_greeting {
                    self.greeting = Some((Greeting::Silent, waited.saturating_sub(*d)));
                }
            }
            _ => {}
        }
    }
}

/// The whole run's observations.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// When the run started.
    pub started_at: OffsetDateTime,
    /// How long it took.
    pub duration: Duration,
    /// DNS.
    pub dns: DnsOutcome,
    /// One per address × port.
    pub legs: Vec<LegOutcome>,
    /// Whether the run hit its deadline (and what was cut).
    pub deadline_hit: bool,
    /// Interrupted by Ctrl-C.
    pub interrupted: bool,
    /// The login session, when credentials or a profile were given.
    pub dialogue: Option<super::dialogue::DialogueRun>,
}
