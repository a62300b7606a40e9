//! The lab's named faults: one [`Scenario`] per misbehaviour that popscope
//! is meant to diagnose, with the check id expected to flag it.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

use crate::i18n::t;
use crate::model::CheckId;

/// One named behaviour of the lab server. Every scenario gets its own plain
/// (POP3 + STLS) port and its own implicit-TLS port; the fault decides which of
/// the two misbehaves and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// A correct, hardened server: STLS offered, no login before TLS.
    Healthy,
    /// The leaf certificate expired.
    ExpiredCert,
    /// The leaf certificate is self-signed.
    SelfSigned,
    /// The leaf certificate names another host (`mail.wrong.example`).
    WrongHostname,
    /// The server sends the leaf without the intermediate CA certificate.
    MissingIntermediate,
    /// The plain port does not offer (and refuses) STLS.
    NoStls,
    /// USER/PASS and SASL PLAIN/LOGIN are offered and accepted before TLS.
    CleartextLogin,
    /// The greeting arrives only after a delay (default 3 s).
    SlowGreeting,
    /// The server accepts connections and never says anything.
    Silent,
    /// The server speaks SMTP (`220 ... ESMTP`) instead of POP3.
    WrongBanner,
    /// The "plain" port expects a TLS handshake first.
    TlsOnPlainPort,
    /// The "TLS" port speaks plaintext POP3.
    PlainOnTlsPort,
    /// Every login is refused with `-ERR [AUTH]`.
    AuthRejected,
    /// Every valid login is refused with `-ERR [IN-USE]`.
    InUse,
    /// Every valid login is refused with `-ERR [LOGIN-DELAY]`.
    LoginDelay,
    /// The connection closes in the middle of a multi-line response (CAPA).
    CloseMidResponse,
    /// VULNERABLE: plaintext pipelined after STLS is executed inside TLS
    /// (the STARTTLS command injection flaw, CVE-2011-0411 style).
    StlsInjection,
    /// A multi-line response (CAPA) that never ends (stops after 10 MB).
    EndlessMultiline,
    /// TLS behaves like a TLS 1.0-only server.
    Tls10Only,
    /// The leaf certificate has a weak (1024-bit RSA) key.
    WeakKey,
}

/// A scenario name that is not known; lists the valid ones in its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{}",
    t!("lab-unknown-scenario", name = crate::i18n::quote(.0), known = Scenario::names().join(", "))
)]
pub struct UnknownScenario(pub String);

impl Scenario {
    /// Every scenario, in a stable teaching order (healthy first).
    pub fn all() -> &'static [Scenario] {
        use Scenario::*;
        &[
            Healthy,
            ExpiredCert,
            SelfSigned,
            WrongHostname,
            MissingIntermediate,
            NoStls,
            CleartextLogin,
            SlowGreeting,
            Silent,
            WrongBanner,
            TlsOnPlainPort,
            PlainOnTlsPort,
            AuthRejected,
            InUse,
            LoginDelay,
            CloseMidResponse,
            StlsInjection,
            EndlessMultiline,
            Tls10Only,
            WeakKey,
        ]
    }

    /// The names of [`Scenario::all`], for help texts.
    pub fn names() -> Vec<&'static str> {
        Scenario::all().iter().map(|s| s.name()).collect()
    }

    /// The stable kebab-case name used on the command line.
    pub fn name(self) -> &'static str {
        use Scenario::*;
        match self {
            Healthy => "healthy",
            ExpiredCert => "expired-cert",
            SelfSigned => "self-signed",
            WrongHostname => "wrong-hostname",
            MissingIntermediate => "missing-intermediate",
            NoStls => "no-stls",
            CleartextLogin => "cleartext-login",
            SlowGreeting => "slow-greeting",
            Silent => "silent",
            WrongBanner => "wrong-banner",
            TlsOnPlainPort => "tls-on-plain-port",
            PlainOnTlsPort => "plain-on-tls-port",
            AuthRejected => "auth-rejected",
            InUse => "in-use",
            LoginDelay => "login-delay",
            CloseMidResponse => "close-mid-response",
            StlsInjection => "stls-injection",
            EndlessMultiline => "endless-multiline",
            Tls10Only => "tls10-only",
            WeakKey => "weak-key",
        }
    }

    /// One sentence saying what the fault is and where it shows, in the
    /// current language.
    pub fn description(self) -> String {
        use Scenario::*;
        match self {
            Healthy => t!("lab-scenario-healthy"),
            ExpiredCert => t!("lab-scenario-expired-cert"),
            SelfSigned => t!("lab-scenario-self-signed"),
            WrongHostname => t!("lab-scenario-wrong-hostname"),
            MissingIntermediate => t!("lab-scenario-missing-intermediate"),
            NoStls => t!("lab-scenario-no-stls"),
            CleartextLogin => t!("lab-scenario-cleartext-login"),
            SlowGreeting => t!("lab-scenario-slow-greeting"),
            Silent => t!("lab-scenario-silent"),
            WrongBanner => t!("lab-scenario-wrong-banner"),
            TlsOnPlainPort => t!("lab-scenario-tls-on-plain-port"),
            PlainOnTlsPort => t!("lab-scenario-plain-on-tls-port"),
            AuthRejected => t!("lab-scenario-auth-rejected"),
            InUse => t!("lab-scenario-in-use"),
            LoginDelay => t!("lab-scenario-login-delay"),
            CloseMidResponse => t!("lab-scenario-close-mid-response"),
            StlsInjection => t!("lab-scenario-stls-injection"),
            EndlessMultiline => t!("lab-scenario-endless-multiline"),
            Tls10Only => t!("lab-scenario-tls10-only"),
            WeakKey => t!("lab-scenario-weak-key"),
        }
    }

    /// The popscope check expected to fail or warn for this scenario, or
    /// `None` when every check should pass (healthy).
    pub fn expected_check(&self) -> Option<CheckId> {
        use Scenario::*;
        Some(match self {
            Healthy => return None,
            ExpiredCert => CheckId::TlsExpiry,
            SelfSigned | MissingIntermediate => CheckId::TlsChain,
            WrongHostname => CheckId::TlsHostname,
            NoStls => CheckId::TlsStls,
            CleartextLogin => CheckId::AuthCleartext,
            SlowGreeting | Silent | WrongBanner | TlsOnPlainPort => CheckId::Pop3Greeting,
            PlainOnTlsPort => CheckId::TlsHandshake,
            StlsInjection => CheckId::TlsStlsInjection,
            Tls10Only => CheckId::TlsProtocol,
            AuthRejected | InUse | LoginDelay => CheckId::AuthLogin,
            CloseMidResponse | EndlessMultiline => CheckId::Pop3Capa,
            WeakKey => CheckId::TlsKey,
        })
    }

    /// Whether the plain port offers STLS (and a working upgrade path).
    pub(crate) fn offers_stls(self) -> bool {
        !matches!(self, Scenario::NoStls)
    }

    /// Whether logins (USER/PASS, AUTH PLAIN/LOGIN, APOP) are allowed before TLS.
    pub(crate) fn cleartext_login(self) -> bool {
        matches!(self, Scenario::CleartextLogin)
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scenario {
    type Err = UnknownScenario;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Scenario::all()
            .iter()
            .copied()
            .find(|sc| sc.name() == wanted)
            .ok_or_else(|| UnknownScenario(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for s in Scenario::all() {
            assert!(seen.insert(s.name()), "duplicate name {}", s.name());
            assert_eq!(s.name().parse::<Scenario>().unwrap(), *s);
            assert_eq!(s.to_string(), s.name());
            assert!(!s.description().is_empty());
        }
        assert_eq!(
            "TLS10_ONLY".parse::<Scenario>().unwrap(),
            Scenario::Tls10Only
        );
        let err = "nope".parse::<Scenario>().unwrap_err();
        assert!(err.to_string().contains("healthy"), "{err}");
    }

    #[test]
    fn only_healthy_expects_nothing() {
        for s in Scenario::all() {
            assert_eq!(s.expected_check().is_none(), *s == Scenario::Healthy, "{s}");
        }
        assert_eq!(
            Scenario::ExpiredCert.expected_check(),
            Some(CheckId::TlsExpiry)
        );
        assert_eq!(
            Scenario::CloseMidResponse.expected_check(),
            Some(CheckId::Pop3Capa)
        );
    }
}
