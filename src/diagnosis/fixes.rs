//! What the mail administrator must change on the server, per cause: the
//! configuration lines of the identified software (Dovecot 2.3 and 2.4,
//! Courier, Cyrus), generic words otherwise.

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
        Family::Dovecot => {
            "In Dovecot 2.3 set `ssl_cert = </etc/ssl/fullchain.pem` and `ssl_key = </etc/ssl/privkey.pem` (Dovecot 2.4: `ssl_server_cert_file = /etc/ssl/fullchain.pem` and `ssl_server_key_file = /etc/ssl/privkey.pem`), then `doveadm reload`."
        }
        Family::Courier => {
            "In /etc/courier/pop3d-ssl set `TLS_CERTFILE=/etc/courier/pop3d.pem`, a PEM file holding the private key followed by the certificate and its intermediate certificates, then restart courier-pop3d-ssl and courier-pop3d."
        }
        Family::Cyrus => {
            "In /etc/imapd.conf set `tls_server_cert: /etc/ssl/fullchain.pem` and `tls_server_key: /etc/ssl/privkey.pem`, then restart Cyrus."
        }
        Family::Generic => {
            "Configure the POP3 server with the full chain file (the certificate followed by its intermediate certificates, e.g. Let's Encrypt's fullchain.pem) and its key, then reload the service."
        }
    }
}

/// Turning on STLS.
fn enable_stls(f: Family) -> &'static str {
    match f {
        Family::Dovecot => {
            "In Dovecot set `ssl = yes` (or `ssl = required`) with a certificate: 2.3 `ssl_cert = </etc/ssl/fullchain.pem`, `ssl_key = </etc/ssl/privkey.pem`; 2.4 `ssl_server_cert_file = /etc/ssl/fullchain.pem`, `ssl_server_key_file = /etc/ssl/privkey.pem`. Dovecot then offers STLS on 110 and TLS on 995."
        }
        Family::Courier => {
            "In /etc/courier/pop3d-ssl set `POP3DSTARTTLS=YES` and `TLS_CERTFILE=` a PEM file with the key and the full chain; in /etc/courier/pop3d set `POP3_TLS_REQUIRED=1`; restart courier-pop3d."
        }
        Family::Cyrus => {
            "In /etc/imapd.conf set `tls_server_cert:` and `tls_server_key:` (the full chain and its key); Cyrus then offers STLS. Add `allowplaintext: no` so logins wait for it."
        }
        Family::Generic => {
            "Enable STLS on the plain port with a certificate from a public CA (full chain), and enable implicit TLS on port 995."
        }
    }
}

/// Refusing logins before TLS.
fn no_cleartext(f: Family) -> &'static str {
    match f {
        Family::Dovecot => {
            "In Dovecot 2.3 set `disable_plaintext_auth = yes` (Dovecot 2.4: `auth_allow_cleartext = no`), then `doveadm reload`: USER and SASL PLAIN/LOGIN are then offered only after STLS."
        }
        Family::Courier => {
            "In /etc/courier/pop3d set `POP3_TLS_REQUIRED=1` (and `POP3DSTARTTLS=YES` in /etc/courier/pop3d-ssl), then restart courier-pop3d."
        }
        Family::Cyrus => "In /etc/imapd.conf set `allowplaintext: no`, then restart Cyrus.",
        Family::Generic => {
            "Allow USER/PASS and SASL PLAIN/LOGIN only after STLS (or only on port 995)."
        }
    }
}

/// Modern TLS versions.
fn modern_tls(f: Family) -> &'static str {
    match f {
        Family::Dovecot => {
            "In Dovecot set `ssl_min_protocol = TLSv1.2` (and update OpenSSL if TLS 1.2 is missing), then `doveadm reload`."
        }
        Family::Courier => {
            "In /etc/courier/pop3d-ssl remove any `TLS_PROTOCOL` line that limits it to TLS 1.0/1.1 (or set `TLS_PROTOCOL=TLSv1.2+`), then restart courier-pop3d-ssl."
        }
        Family::Cyrus => {
            "In /etc/imapd.conf set `tls_versions: tls1_2 tls1_3`, then restart Cyrus."
        }
        Family::Generic => {
            "Enable TLS 1.2 and 1.3 on the server (and disable 1.0/1.1, retired by RFC 8996); a server limited to TLS 1.0 usually needs a newer TLS library."
        }
    }
}

/// The server fix for `id`, specific to the software when identified.
/// `fallback` is the check's own remedy (used for `other`).
pub(super) fn server_fix(id: CauseId, server: Option<&ServerInfo>, fallback: &str) -> String {
    let f = family(server);
    let s: String = match id {
        CauseId::DnsNoSuchHost => "The domain's DNS administrator must publish the POP3 server's name (A/AAAA records), or tell users the correct server name.".into(),
        CauseId::DnsFailure => "The domain's DNS administrator must fix the DNS servers that fail to answer for this name (often a delegation or DNSSEC problem).".into(),
        CauseId::DnsDangling => "The domain's DNS administrator must fix or remove the MX/SRV records that name a host without an address.".into(),
        CauseId::NetworkUnreachable => "Nothing to change on the POP3 server itself; check the routing to its addresses (and IPv6 connectivity for an IPv6 address).".into(),
        CauseId::NetworkFiltered => "Open TCP ports 110 and 995 in the firewall in front of the server (or check that the server is up).".into(),
        CauseId::ServiceDown => "Start the POP3 service and make it listen on ports 110 and 995 (Dovecot: `protocols = pop3`; check `ss -ltnp`).".into(),
        CauseId::PortsSwapped => "Swap the listeners back: port 110 must speak plain POP3 with STLS, port 995 implicit TLS (Dovecot: `service pop3-login { inet_listener pop3 { port = 110 } inet_listener pop3s { port = 995 ssl = yes } }`).".into(),
        CauseId::TlsOnPlainPort => "Make port 110 speak plain POP3 with STLS (Dovecot: `inet_listener pop3 { port = 110 }`, without `ssl = yes`), and keep implicit TLS on port 995.".into(),
        CauseId::PlainOnTlsPort => "Make port 995 speak TLS from the first byte (Dovecot: `inet_listener pop3s { port = 995 ssl = yes }`), or stop listening on it.".into(),
        CauseId::ServiceNotPop3 => "Run the POP3 service on ports 110/995 and move the other service to its own port.".into(),
        CauseId::ServiceSilent => "Check that the POP3 service is healthy (logs, process limits) and that the plain port speaks plain POP3 (not TLS).".into(),
        CauseId::ServiceBroken => "Check the POP3 server's logs for crashes and any proxy in front of it; report the broken exchange to the server's vendor.".into(),
        CauseId::TlsLegacyOnly => modern_tls(f).into(),
        CauseId::TlsWeakKey => format!("Issue a new certificate with an RSA 2048+ or EC P-256 key and install it. {}", install_cert(f)),
        CauseId::TlsHandshakeFailed => match f {
            Family::Dovecot => "Check Dovecot's TLS settings (`doveconf -n | grep ssl`) and its log; enable TLS 1.2/1.3 with modern ciphers.".into(),
            _ => "Check the server's TLS configuration and logs; enable TLS 1.2/1.3 with modern ciphers (ECDHE with AES-GCM or ChaCha20).".into(),
        },
        CauseId::TlsOldVersion => modern_tls(f).into(),
        CauseId::CertExpired => format!("Renew the certificate (and check that automatic renewal, e.g. certbot, runs and reloads the POP3 service). {}", install_cert(f)),
        CauseId::CertExpiring => "Renew the certificate soon and check that automatic renewal runs and reloads the POP3 service.".into(),
        CauseId::CertNotYetValid => "Check the clocks (NTP) on the server and on the client; reissue the certificate if its dates are wrong.".into(),
        CauseId::CertSelfSigned | CauseId::CertUntrustedIssuer => format!("Install a certificate from a public CA (e.g. Let's Encrypt) with its intermediate certificates. {}", install_cert(f)),
        CauseId::CertMissingIntermediate => format!("Send the intermediate certificate too: configure the full chain file, not the certificate alone. {}", install_cert(f)),
        CauseId::CertWrongName => format!("Install a certificate that also lists the name users type (or tell users the name the certificate is for). {}", install_cert(f)),
        CauseId::StlsMissing => enable_stls(f).into(),
        CauseId::StlsInjection => "Update the POP3 server: it must discard plaintext received before the TLS handshake when STLS succeeds (CVE-2011-0411 class).".into(),
        CauseId::AuthCleartextExposed => no_cleartext(f).into(),
        CauseId::AuthRejected => "Check the account in the server's user database and the server's authentication log for the reason of the refusal.".into(),
        CauseId::AuthLocked => "Find the session that holds the mailbox (another client, a stuck process) and end it; the lock clears when it closes.".into(),
        CauseId::AuthLoginDelay => "Nothing is broken: the server limits how often a user may log in. Lower the LOGIN-DELAY limit if clients must check more often.".into(),
        CauseId::AuthFailed => "Check the server's authentication back end (LDAP, database) and its logs.".into(),
        CauseId::DialogueFailed => "Check the server's logs for the command that failed.".into(),
        CauseId::ServerSlow => "Check the server's load and its reverse-DNS/ident lookups on connect (disable them or fix the resolver it uses).".into(),
        CauseId::CapaProblem => "Make the server answer CAPA correctly (RFC 2449); report it to the server's vendor.".into(),
        CauseId::AddressPartial => "Make every address of the server's name work (or remove the address that does not from DNS).".into(),
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
