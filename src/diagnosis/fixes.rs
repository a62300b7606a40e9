//! What the mail administrator must change on the server, per cause: the
//! configuration lines of the identified software (Dovecot 2.3 and 2.4,
//! Courier, Cyrus), generic words otherwise.

use super::{CauseId, ServerInfo};
use crate::i18n::t;

/// The server software families with specific fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Dovecot,
    Courier,
    Cyrus,
    Generic,
}

fn family(server: Option<&ServerInfo>) -> Family {
    match server.map(|s| s.software.as_str()) {
        Some("Dovecot") => Family::Dovecot,
        Some("Courier") => Family::Courier,
        Some("Cyrus") => Family::Cyrus,
        _ => Family::Generic,
    }
}

/// Installing a certificate with its full chain.
fn install_cert(f: Family) -> String {
    match f {
        Family::Dovecot => t!("diagnosis-server-dovecot-install-cert"),
        Family::Courier => t!("diagnosis-server-courier-install-cert"),
        Family::Cyrus => t!("diagnosis-server-cyrus-install-cert"),
        Family::Generic => t!("diagnosis-server-generic-install-cert"),
    }
}

/// Turning on STLS.
fn enable_stls(f: Family) -> String {
    match f {
        Family::Dovecot => t!("diagnosis-server-dovecot-enable-stls"),
        Family::Courier => t!("diagnosis-server-courier-enable-stls"),
        Family::Cyrus => t!("diagnosis-server-cyrus-enable-stls"),
        Family::Generic => t!("diagnosis-server-generic-enable-stls"),
    }
}

/// Refusing logins before TLS.
fn no_cleartext(f: Family) -> String {
    match f {
        Family::Dovecot => t!("diagnosis-server-dovecot-no-cleartext"),
        Family::Courier => t!("diagnosis-server-courier-no-cleartext"),
        Family::Cyrus => t!("diagnosis-server-cyrus-no-cleartext"),
        Family::Generic => t!("diagnosis-server-generic-no-cleartext"),
    }
}

/// Modern TLS versions.
fn modern_tls(f: Family) -> String {
    match f {
        Family::Dovecot => t!("diagnosis-server-dovecot-modern-tls"),
        Family::Courier => t!("diagnosis-server-courier-modern-tls"),
        Family::Cyrus => t!("diagnosis-server-cyrus-modern-tls"),
        Family::Generic => t!("diagnosis-server-generic-modern-tls"),
    }
}

/// The server fix for `id`, specific to the software when identified.
/// `fallback` is the check's own remedy (used for `other`).
pub(super) fn server_fix(id: CauseId, server: Option<&ServerInfo>, fallback: &str) -> String {
    let f = family(server);
    let s: String = match id {
        CauseId::DnsNoSuchHost => t!("diagnosis-server-dns-no-such-host"),
        CauseId::DnsFailure => t!("diagnosis-server-dns-failure"),
        CauseId::DnsDangling => t!("diagnosis-server-dns-dangling"),
        CauseId::NetworkUnreachable => t!("diagnosis-server-network-unreachable"),
        CauseId::NetworkFiltered => t!("diagnosis-server-network-filtered"),
        CauseId::ServiceDown => t!("diagnosis-server-service-down"),
        CauseId::PortsSwapped => t!("diagnosis-server-ports-swapped"),
        CauseId::TlsOnPlainPort => t!("diagnosis-server-tls-on-plain"),
        CauseId::PlainOnTlsPort => t!("diagnosis-server-plain-on-tls"),
        CauseId::ServiceNotPop3 => t!("diagnosis-server-not-pop3"),
        CauseId::ServiceSilent => t!("diagnosis-server-service-silent"),
        CauseId::ServiceBroken => t!("diagnosis-server-service-broken"),
        CauseId::TlsLegacyOnly => modern_tls(f),
        CauseId::TlsWeakKey => t!("diagnosis-server-weak-key", install = install_cert(f)),
        CauseId::TlsHandshakeFailed => match f {
            Family::Dovecot => t!("diagnosis-server-dovecot-handshake-failed"),
            _ => t!("diagnosis-server-handshake-failed"),
        },
        CauseId::TlsOldVersion => modern_tls(f),
        CauseId::CertExpired => t!("diagnosis-server-cert-expired", install = install_cert(f)),
        CauseId::CertExpiring => t!("diagnosis-server-cert-expiring"),
        CauseId::CertNotYetValid => t!("diagnosis-server-cert-not-yet-valid"),
        CauseId::CertSelfSigned | CauseId::CertUntrustedIssuer => {
            t!("diagnosis-server-public-cert", install = install_cert(f))
        }
        CauseId::CertMissingIntermediate => {
            t!(
                "diagnosis-server-missing-intermediate",
                install = install_cert(f)
            )
        }
        CauseId::CertWrongName => t!("diagnosis-server-wrong-name", install = install_cert(f)),
        CauseId::StlsMissing => enable_stls(f),
        CauseId::StlsInjection => t!("diagnosis-server-stls-injection"),
        CauseId::AuthCleartextExposed => no_cleartext(f),
        CauseId::AuthRejected => t!("diagnosis-server-auth-rejected"),
        CauseId::AuthLocked => t!("diagnosis-server-auth-locked"),
        CauseId::AuthLoginDelay => t!("diagnosis-server-auth-login-delay"),
        CauseId::AuthFailed => t!("diagnosis-server-auth-failed"),
        CauseId::DialogueFailed => t!("diagnosis-server-dialogue-failed"),
        CauseId::ServerSlow => t!("diagnosis-server-slow"),
        CauseId::CapaProblem => t!("diagnosis-server-capa-problem"),
        CauseId::AddressPartial => t!("diagnosis-server-address-partial"),
        CauseId::RunIncomplete => String::new(),
        CauseId::Other => fallback.to_string(),
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(name: &str) -> ServerInfo {
        ServerInfo {
            software: name.into(),
            version: None,
            evidence: "greeting".into(),
        }
    }

    #[test]
    fn software_specific_lines() {
        let d = info("Dovecot");
        let fix = server_fix(CauseId::StlsMissing, Some(&d), "");
        assert!(
            fix.contains("ssl_cert = <") && fix.contains("ssl_server_cert_file"),
            "{fix}"
        );
        let fix = server_fix(CauseId::AuthCleartextExposed, Some(&d), "");
        assert!(
            fix.contains("disable_plaintext_auth = yes")
                && fix.contains("auth_allow_cleartext = no"),
            "{fix}"
        );
        let c = info("Courier");
        assert!(server_fix(CauseId::StlsMissing, Some(&c), "").contains("POP3DSTARTTLS=YES"));
        assert!(
            server_fix(CauseId::AuthCleartextExposed, Some(&c), "").contains("POP3_TLS_REQUIRED=1")
        );
        assert!(
            server_fix(CauseId::CertMissingIntermediate, Some(&c), "").contains("TLS_CERTFILE=")
        );
        let y = info("Cyrus");
        assert!(
            server_fix(CauseId::AuthCleartextExposed, Some(&y), "").contains("allowplaintext: no")
        );
        assert!(server_fix(CauseId::CertExpired, Some(&y), "").contains("tls_server_cert:"));
        let generic = server_fix(CauseId::CertExpired, None, "");
        assert!(
            !generic.contains("Dovecot") && generic.contains("full chain"),
            "{generic}"
        );
        assert_eq!(server_fix(CauseId::Other, None, "do this"), "do this");
    }
}
