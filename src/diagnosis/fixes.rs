//! What the mail administrator must change on the server, per cause: the
//! configuration lines of the identified software (Dovecot 2.3 and 2.4,
//! Courier, Cyrus), generic words otherwise.

use super::text;
use super::{CauseId, ServerInfo};

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
fn install_cert(f: Family) -> &'static str {
    match f {
        Family::Dovecot => text::SERVER_DOVECOT_INSTALL_CERT,
        Family::Courier => text::SERVER_COURIER_INSTALL_CERT,
        Family::Cyrus => text::SERVER_CYRUS_INSTALL_CERT,
        Family::Generic => text::SERVER_GENERIC_INSTALL_CERT,
    }
}

/// Turning on STLS.
fn enable_stls(f: Family) -> &'static str {
    match f {
        Family::Dovecot => text::SERVER_DOVECOT_ENABLE_STLS,
        Family::Courier => text::SERVER_COURIER_ENABLE_STLS,
        Family::Cyrus => text::SERVER_CYRUS_ENABLE_STLS,
        Family::Generic => text::SERVER_ENABLE_STLS_PLAIN_PORT,
    }
}

/// Refusing logins before TLS.
fn no_cleartext(f: Family) -> &'static str {
    match f {
        Family::Dovecot => text::SERVER_DOVECOT_NO_CLEARTEXT,
        Family::Courier => text::SERVER_COURIER_NO_CLEARTEXT,
        Family::Cyrus => text::SERVER_CYRUS_NO_CLEARTEXT,
        Family::Generic => text::SERVER_ALLOW_USER_PASS_SASL,
    }
}

/// Modern TLS versions.
fn modern_tls(f: Family) -> &'static str {
    match f {
        Family::Dovecot => text::SERVER_DOVECOT_MODERN_TLS,
        Family::Courier => text::SERVER_COURIER_MODERN_TLS,
        Family::Cyrus => text::SERVER_CYRUS_MODERN_TLS,
        Family::Generic => text::SERVER_ENABLE_TLS_1_2,
    }
}

/// The server fix for `id`, specific to the software when identified.
/// `fallback` is the check's own remedy (used for `other`).
pub(super) fn server_fix(id: CauseId, server: Option<&ServerInfo>, fallback: &str) -> String {
    let f = family(server);
    let s: String = match id {
        CauseId::DnsNoSuchHost => text::SERVER_DNS_NO_SUCH_HOST.into(),
        CauseId::DnsFailure => text::SERVER_DNS_FAILURE.into(),
        CauseId::DnsDangling => text::SERVER_DNS_DANGLING.into(),
        CauseId::NetworkUnreachable => text::SERVER_NOTHING_CHANGE_POP3_SERVER.into(),
        CauseId::NetworkFiltered => text::SERVER_OPEN_TCP_PORTS_110.into(),
        CauseId::ServiceDown => text::SERVER_START_POP3_SERVICE_MAKE.into(),
        CauseId::PortsSwapped => text::SERVER_SWAP_LISTENERS_BACK_PORT.into(),
        CauseId::TlsOnPlainPort => text::SERVER_MAKE_PORT_110_SPEAK.into(),
        CauseId::PlainOnTlsPort => text::SERVER_MAKE_PORT_995_SPEAK.into(),
        CauseId::ServiceNotPop3 => text::SERVER_RUN_POP3_SERVICE_PORTS.into(),
        CauseId::ServiceSilent => text::SERVER_CHECK_POP3_SERVICE_HEALTHY.into(),
        CauseId::ServiceBroken => text::SERVER_CHECK_POP3_SERVER_S.into(),
        CauseId::TlsLegacyOnly => modern_tls(f).into(),
        CauseId::TlsWeakKey => format!(
            "Issue a new certificate with an RSA 2048+ or EC P-256 key and install it. {}",
            install_cert(f)
        ),
        CauseId::TlsHandshakeFailed => match f {
            Family::Dovecot => text::SERVER_CHECK_DOVECOT_S_TLS.into(),
            _ => text::SERVER_CHECK_SERVER_S_TLS.into(),
        },
        CauseId::TlsOldVersion => modern_tls(f).into(),
        CauseId::CertExpired => format!(
            "Renew the certificate (and check that automatic renewal, e.g. certbot, runs and \
                reloads the POP3 service). {}",
            install_cert(f)
        ),
        CauseId::CertExpiring => text::SERVER_RENEW_CERTIFICATE_SOON_CHECK.into(),
        CauseId::CertNotYetValid => text::SERVER_CHECK_CLOCKS_NTP_SERVER.into(),
        CauseId::CertSelfSigned | CauseId::CertUntrustedIssuer => format!(
            "Install a certificate from a public CA (e.g. Let's Encrypt) with its intermediate \
                certificates. {}",
            install_cert(f)
        ),
        CauseId::CertMissingIntermediate => format!(
            "Send the intermediate certificate too: configure the full chain file, not the \
                certificate alone. {}",
            install_cert(f)
        ),
        CauseId::CertWrongName => format!(
            "Install a certificate that also lists the name users type (or tell users the name \
                the certificate is for). {}",
            install_cert(f)
        ),
        CauseId::StlsMissing => enable_stls(f).into(),
        CauseId::StlsInjection => text::SERVER_UPDATE_POP3_SERVER_MUST.into(),
        CauseId::AuthCleartextExposed => no_cleartext(f).into(),
        CauseId::AuthRejected => text::SERVER_CHECK_ACCOUNT_SERVER_S.into(),
        CauseId::AuthLocked => text::SERVER_FIND_SESSION_HOLDS_MAILBOX.into(),
        CauseId::AuthLoginDelay => text::SERVER_NOTHING_BROKEN_SERVER_LIMITS.into(),
        CauseId::AuthFailed => text::SERVER_CHECK_SERVER_S_AUTHENTICATION.into(),
        CauseId::DialogueFailed => text::SERVER_CHECK_SERVER_S_LOGS.into(),
        CauseId::ServerSlow => text::SERVER_CHECK_SERVER_S_LOAD.into(),
        CauseId::CapaProblem => text::SERVER_MAKE_SERVER_ANSWER_CAPA.into(),
        CauseId::AddressPartial => text::SERVER_MAKE_EVERY_ADDRESS_SERVER.into(),
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
