//! Which POP3 server software answered: identified from the greeting text and
//! the CAPA lines alone (pure, no I/O).
//!
//! Three kinds of evidence, strongest first:
//!
//! 1. `CAPA IMPLEMENTATION`: the server names itself (RFC 2449), e.g.
//!    `IMPLEMENTATION Courier Mail Server`.
//! 2. `greeting`: the product's own default greeting, e.g. Cyrus's
//!    `host Cyrus POP3 3.6.1 server ready <...>` or Courier's `Hello there.`.
//! 3. behaviour: a combination that only one product shows by default, e.g.
//!    popa3d's bare `+OK` greeting with no CAPA at all, or Dovecot's `CAPA`
//!    plus `AUTH-RESP-CODE` capability lines.
//!
//! Administrators can change greetings, so the answer is a best guess that
//! names its evidence; `None` means nothing matched.

use std::sync::LazyLock;

use regex::Regex;

use crate::i18n::t;

/// The POP3 server software, identified from what it said.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServerInfo {
    /// Stable product name ([`Software::name`]), e.g. `"Courier"`.
    pub software: String,
    /// The version the server showed, when it showed one.
    pub version: Option<String>,
    /// What the identification rests on: `"CAPA IMPLEMENTATION"`,
    /// `"greeting"`, or `"behaviour: ..."` naming the behaviour.
    pub evidence: String,
}

/// The POP3 server products popscope recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Software {
    /// Dovecot.
    Dovecot,
    /// Courier Mail Server (courier-pop).
    Courier,
    /// Cyrus IMAP's pop3d.
    Cyrus,
    /// popa3d (Openwall).
    Popa3d,
    /// Qualcomm's qpopper.
    Qpopper,
    /// The University of Washington's ipop3d.
    UwIpop3d,
    /// Microsoft Exchange (on premises or Office 365).
    Exchange,
    /// Gmail's POP3 service.
    Gmail,
    /// Zimbra Collaboration.
    Zimbra,
    /// hMailServer.
    HMailServer,
    /// popscope's own lab server.
    PopscopeLab,
}

impl Software {
    #[cfg(test)]
    /// Every product, in a fixed order.
    pub const ALL: [Software; 11] = [
        Software::Dovecot,
        Software::Courier,
        Software::Cyrus,
        Software::Popa3d,
        Software::Qpopper,
        Software::UwIpop3d,
        Software::Exchange,
        Software::Gmail,
        Software::Zimbra,
        Software::HMailServer,
        Software::PopscopeLab,
    ];

    /// The stable name used in reports (`diagnosis.server.software`).
    pub fn name(self) -> &'static str {
        match self {
            Software::Dovecot => "Dovecot",
            Software::Courier => "Courier",
            Software::Cyrus => "Cyrus",
            Software::Popa3d => "popa3d",
            Software::Qpopper => "qpopper",
            Software::UwIpop3d => "UW ipop3d",
            Software::Exchange => "Microsoft Exchange",
            Software::Gmail => "Gmail",
            Software::Zimbra => "Zimbra",
            Software::HMailServer => "hMailServer",
            Software::PopscopeLab => "popscope lab",
        }
    }
}

/// Evidence label for a match on the `IMPLEMENTATION` capability.
pub const EVIDENCE_IMPLEMENTATION: &str = "CAPA IMPLEMENTATION";
/// Evidence label for a match on the greeting.
pub const EVIDENCE_GREETING: &str = "greeting";

const EVIDENCE_POPA3D: &str = "behaviour: bare +OK greeting and no CAPA";
const EVIDENCE_DOVECOT: &str = "behaviour: CAPA lists CAPA and AUTH-RESP-CODE";
const EVIDENCE_GMAIL: &str = "behaviour: CAPA lists X-GOOGLE-RICO";
const EVIDENCE_ZIMBRA: &str = "behaviour: CAPA lists XOIP";
const EVIDENCE_HMAILSERVER: &str = "behaviour: +OK POP3 greeting with CAPA USER, UIDL, TOP";

/// What an identification rests on ([`ServerInfo::evidence`], a stable
/// value in the JSON) in the current language, for people to read.
pub fn evidence_words(evidence: &str) -> String {
    match evidence {
        EVIDENCE_IMPLEMENTATION => t!("diagnosis-evidence-implementation"),
        EVIDENCE_GREETING => t!("diagnosis-evidence-greeting"),
        EVIDENCE_POPA3D => t!("diagnosis-evidence-popa3d"),
        EVIDENCE_DOVECOT => t!("diagnosis-evidence-dovecot"),
        EVIDENCE_GMAIL => t!("diagnosis-evidence-gmail"),
        EVIDENCE_ZIMBRA => t!("diagnosis-evidence-zimbra"),
        EVIDENCE_HMAILSERVER => t!("diagnosis-evidence-hmailserver"),
        other => other.to_string(),
    }
}

/// Identifies the server from its greeting (the text after `+OK `, `None`
/// when no greeting was seen) and its CAPA lines (empty when CAPA failed or
/// was not asked).
pub fn identify(greeting: Option<&str>, capabilities: &[String]) -> Option<ServerInfo> {
    let greeting = greeting.map(str::trim);
    let from_greeting = greeting.and_then(match_greeting);
    if let Some((software, version)) = implementation(capabilities).and_then(match_implementation) {
        // The greeting may show a version the capability line leaves out.
        let version = version.or_else(|| {
            from_greeting
                .as_ref()
                .filter(|(s, _)| *s == software)
                .and_then(|(_, v)| v.clone())
        });
        return Some(info(software, version, EVIDENCE_IMPLEMENTATION));
    }
    if let Some((software, version)) = from_greeting {
        return Some(info(software, version, EVIDENCE_GREETING));
    }
    behaviour(greeting, capabilities).map(|(software, why)| info(software, None, why))
}

fn info(software: Software, version: Option<String>, evidence: &str) -> ServerInfo {
    ServerInfo {
        software: software.name().to_string(),
        version,
        evidence: evidence.to_string(),
    }
}

/// The text of the first `IMPLEMENTATION` capability line.
fn implementation(capabilities: &[String]) -> Option<&str> {
    capabilities.iter().find_map(|line| {
        let (keyword, rest) = line.trim().split_once(' ')?;
        keyword
            .eq_ignore_ascii_case("IMPLEMENTATION")
            .then(|| rest.trim())
    })
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid built-in pattern")
}

static CYRUS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)\bCyrus POP3(?: Murder)?(?: proxy)?(?: server)?(?: v?(\d[^\s]*))?"));
static QPOPPER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\bQ(?:POP|popper)\s*\(version ([^)\s]+)\)|\bQpopper[- ]version[- ](\S+)")
});
static UW: LazyLock<Regex> =
    LazyLock::new(|| re(r"^POP3 \S+ v?(\d{4}[a-z]?\.\d+[a-z0-9]*) server ready"));
static EXCHANGE_VERSION: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bversion (\d+(?:\.\d+)+)"));
static DOVECOT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)\bDovecot\b"));

/// A product named in the `IMPLEMENTATION` text, with the version it shows.
fn match_implementation(text: &str) -> Option<(Software, Option<String>)> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("courier") {
        return Some((Software::Courier, None));
    }
    if let Some(c) = CYRUS.captures(text) {
        return Some((Software::Cyrus, c.get(1).map(|m| m.as_str().to_string())));
    }
    if lower.contains("qpopper") {
        let version = QPOPPER
            .captures(text)
            .and_then(|c| c.get(1).or(c.get(2)))
            .map(|m| m.as_str().to_string());
        return Some((Software::Qpopper, version));
    }
    if lower.starts_with("zimbra") {
        return Some((Software::Zimbra, None));
    }
    if lower.starts_with("popscope-lab") {
        return Some((Software::PopscopeLab, None));
    }
    if DOVECOT.is_match(text) {
        return Some((Software::Dovecot, None));
    }
    if lower.contains("hmailserver") {
        return Some((Software::HMailServer, None));
    }
    if lower.contains("microsoft exchange") {
        return Some((Software::Exchange, exchange_version(text)));
    }
    None
}

fn exchange_version(text: &str) -> Option<String> {
    EXCHANGE_VERSION.captures(text).map(|c| c[1].to_string())
}

/// A product's own default greeting (or one that names the product).
fn match_greeting(text: &str) -> Option<(Software, Option<String>)> {
    let lower = text.to_ascii_lowercase();
    if DOVECOT.is_match(text) {
        // "Dovecot ready.", "Dovecot (Debian) ready.": no version shown.
        return Some((Software::Dovecot, None));
    }
    if text == "Hello there." {
        return Some((Software::Courier, None));
    }
    if let Some(c) = CYRUS.captures(text) {
        return Some((Software::Cyrus, c.get(1).map(|m| m.as_str().to_string())));
    }
    if let Some(c) = QPOPPER.captures(text) {
        let version = c.get(1).or(c.get(2)).map(|m| m.as_str().to_string());
        return Some((Software::Qpopper, version));
    }
    if lower.contains("qpopper") {
        return Some((Software::Qpopper, None));
    }
    if let Some(c) = UW.captures(text) {
        return Some((Software::UwIpop3d, Some(c[1].to_string())));
    }
    if lower.contains("microsoft exchange") {
        return Some((Software::Exchange, exchange_version(text)));
    }
    if lower.starts_with("gpop ready") {
        return Some((Software::Gmail, None));
    }
    if lower.contains("zimbra") {
        return Some((Software::Zimbra, None));
    }
    if lower.contains("hmailserver") {
        return Some((Software::HMailServer, None));
    }
    if lower.starts_with("popscope-lab ") {
        return Some((Software::PopscopeLab, None));
    }
    None
}

fn has_cap(capabilities: &[String], name: &str) -> bool {
    capabilities.iter().any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|k| k.eq_ignore_ascii_case(name))
    })
}

/// Default behaviour that only one product shows.
fn behaviour(greeting: Option<&str>, capabilities: &[String]) -> Option<(Software, &'static str)> {
    // popa3d: "+OK" and nothing else; CAPA is an unknown command ("-ERR").
    if greeting == Some("") && capabilities.is_empty() {
        return Some((Software::Popa3d, EVIDENCE_POPA3D));
    }
    // Dovecot lists CAPA itself next to AUTH-RESP-CODE (RFC 3206).
    if has_cap(capabilities, "CAPA") && has_cap(capabilities, "AUTH-RESP-CODE") {
        return Some((Software::Dovecot, EVIDENCE_DOVECOT));
    }
    if has_cap(capabilities, "X-GOOGLE-RICO") {
        return Some((Software::Gmail, EVIDENCE_GMAIL));
    }
    if has_cap(capabilities, "XOIP") {
        return Some((Software::Zimbra, EVIDENCE_ZIMBRA));
    }
    // hMailServer's default greeting is "+OK POP3" and its CAPA is exactly
    // USER, UIDL, TOP (plus STLS when TLS is set up).
    if greeting == Some("POP3")
        && ["USER", "UIDL", "TOP"]
            .iter()
            .all(|c| has_cap(capabilities, c))
        && capabilities
            .iter()
            .all(|l| ["USER", "UIDL", "TOP", "STLS"].contains(&l.trim()))
    {
        return Some((Software::HMailServer, EVIDENCE_HMAILSERVER));
    }
    None
}

#[cfg(test)]
#[path = "server/tests.rs"]
mod tests;

/// The server software behind an outcome: the first endpoint whose greeting
/// or capabilities identify it (CAPA inside TLS preferred, it is complete).
pub fn identify_outcome(outcome: &crate::probe::outcome::Outcome) -> Option<ServerInfo> {
    outcome.legs.iter().find_map(|leg| {
        let greeting = match &leg.greeting {
            Some((crate::probe::outcome::Greeting::Ok { text, .. }, _)) => Some(text.as_str()),
            _ => None,
        };
        greeting?;
        let caps: Vec<String> = leg
            .capa_tls
            .as_ref()
            .or(leg.capa_plain.as_ref())
            .and_then(|(c, _)| c.lines().map(<[String]>::to_vec))
            .unwrap_or_default();
        identify(greeting, &caps)
    })
}
