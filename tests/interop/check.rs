//! `popscope check` against a healthy Dovecot and against Dovecots with a
//! broken certificate, no TLS or clear-text login before TLS.

use serde_json::Value;

use super::Invocation;
use crate::support::dovecot::{
    CertKind, DEFAULT_GREETING, Dovecot, DovecotOpts, SslMode, require_dovecot, start,
};
use crate::support::report::{Report, TLS_ENDPOINT_CHECKS};

/// `popscope check 127.0.0.1 --json` against the fixture's two ports,
/// trusting the test CA and verifying the name `localhost`.
fn check(d: &Dovecot, extra: &[&str]) -> Report {
    let run = Invocation::check().args(extra).run(d);
    assert_ne!(run.code, 3, "usage error: {}", run.stderr);
    run
}

#[test]
fn healthy_dovecot_passes() {
    require_dovecot!("healthy_dovecot_passes");
    let d = start(DovecotOpts::default());
    let plain = d.pop3_addr();
    let tls = d.pop3s_addr().unwrap();
    let run = check(&d, &[]);

    run.assert_verdict("pass", 0);
    for id in TLS_ENDPOINT_CHECKS {
        run.assert_check_at(id, plain, "pass");
        run.assert_check_at(id, tls, "pass");
    }
    run.assert_check_at("tls.stls", plain, "pass");
    // Dovecot 2.3 is not vulnerable, but note how it shows it: plaintext sent
    // in the same packet as STLS is fed to OpenSSL as handshake bytes, so the
    // handshake of that probe connection fails ("wrong version number" in
    // the log) instead of the command being answered inside TLS. That must
    // count as safe, not inconclusive.
    run.assert_check_at("tls.stls-injection", plain, "pass");
    run.assert_check_at("auth.cleartext", plain, "pass");

    for addr in [plain, tls] {
        let ep = run.endpoint_at(addr);
        let t = &ep["tls"];
        let version = t["version"].as_str().unwrap_or_default();
        assert!(version == "TLSv1.3" || version == "TLSv1.2", "{addr}: {t}");
        assert_eq!(t["verification"]["trusted"], true, "{addr}: {t}");
        assert_eq!(t["sni"], "localhost", "{addr}: {t}");
        let certs = t["certificates"].as_array().expect("certificates");
        assert!(!certs.is_empty(), "{addr}: {t}");
        assert!(
            certs[0]["issuer"]
                .as_str()
                .unwrap_or_default()
                .contains("popscope test CA"),
            "{addr}: {}",
            certs[0]
        );
        assert!(
            ep["greeting"]
                .as_str()
                .unwrap_or_default()
                .contains(DEFAULT_GREETING),
            "{addr}: {}",
            ep["greeting"]
        );
        assert!(
            !ep["transcript"].as_array().unwrap().is_empty(),
            "{addr}: empty transcript"
        );
    }
    // An endpoint upgraded with STLS reports `starttls` (docs/json.md).
    assert_eq!(run.endpoint_at(plain)["security"], "starttls");
    assert_eq!(run.endpoint_at(tls)["security"], "implicit-tls");
    // Dovecot 2.3 with OpenSSL 3 negotiates TLS 1.3.
    assert_eq!(run.endpoint_at(tls)["tls"]["version"], "TLSv1.3");

    // Capabilities: STLS and no clear-text login before TLS; the reverse after.
    let ep = run.endpoint_at(plain);
    let has = |v: &Value, cap: &str| {
        v.as_array()
            .is_some_and(|a| a.iter().any(|c| c.as_str() == Some(cap)))
    };
    let before = &ep["capabilities_before_tls"];
    let after = &ep["capabilities"];
    assert!(has(before, "STLS"), "before TLS: {before}");
    assert!(!has(before, "USER"), "before TLS: {before}");
    assert!(has(before, "SASL CRAM-MD5"), "before TLS: {before}");
    assert!(!has(after, "STLS"), "after TLS: {after}");
    assert!(has(after, "USER"), "after TLS: {after}");
    assert!(
        has(after, "SASL PLAIN LOGIN CRAM-MD5"),
        "after TLS: {after}"
    );
    let implicit = &run.endpoint_at(tls)["capabilities"];
    assert!(
        has(implicit, "USER") && !has(implicit, "STLS"),
        "{implicit}"
    );

    // The transcript shows the upgrade, and popscope never logged in.
    let transcript = ep["transcript"].to_string();
    assert!(transcript.contains("STLS"), "{transcript}");
    assert!(!d.log().contains("Login: user="), "{}", d.log());
}

#[test]
fn self_signed_certificate_fails_chain() {
    require_dovecot!("self_signed_certificate_fails_chain");
    let d = start(DovecotOpts::default().cert(CertKind::SelfSigned));
    let run = check(&d, &[]);
    run.assert_check("tls.chain", "fail");
    run.assert_verdict("fail", 2);
    let t = &run.endpoint_at(d.pop3s_addr().unwrap())["tls"];
    assert_eq!(t["verification"]["trusted"], false, "{t}");
    // The name and dates are fine: only the chain is wrong.
    run.assert_check("tls.hostname", "pass");
    run.assert_check("tls.expiry", "pass");
}

#[test]
fn expired_certificate_fails_expiry() {
    require_dovecot!("expired_certificate_fails_expiry");
    let d = start(DovecotOpts::default().cert(CertKind::Expired));
    let run = check(&d, &[]);
    run.assert_check("tls.expiry", "fail");
    run.assert_verdict("fail", 2);
    run.assert_check("tls.hostname", "pass");
}

#[test]
fn certificate_expiring_soon_warns() {
    require_dovecot!("certificate_expiring_soon_warns");
    let d = start(DovecotOpts::default().cert(CertKind::ExpiringSoon));
    let run = check(&d, &[]);
    run.assert_check("tls.expiry", "warn");
    run.assert_check("tls.chain", "pass");
    run.assert_verdict("warn", 1);
}

#[test]
fn wrong_hostname_fails_hostname() {
    require_dovecot!("wrong_hostname_fails_hostname");
    let d = start(DovecotOpts::default().cert(CertKind::WrongHost));
    let run = check(&d, &[]);
    run.assert_check("tls.hostname", "fail");
    run.assert_verdict("fail", 2);
    let c = run.all("tls.hostname")[0];
    assert!(
        c["data"]["valid_for"]
            .to_string()
            .contains("mail.example.net"),
        "{c}"
    );
}

#[test]
fn ssl_disabled_fails_stls() {
    require_dovecot!("ssl_disabled_fails_stls");
    let d = start(DovecotOpts::default().ssl(SslMode::No));
    let run = check(&d, &[]);
    run.assert_check_at("tls.stls", d.pop3_addr(), "fail");
    run.assert_verdict("fail", 2);
    let before = &run.endpoint_at(d.pop3_addr())["capabilities"];
    assert!(!before.to_string().contains("\"STLS\""), "{before}");
}

#[test]
fn plaintext_auth_allowed_warns_cleartext() {
    require_dovecot!("plaintext_auth_allowed_warns_cleartext");
    let d = start(DovecotOpts::default().disable_plaintext_auth(false));
    let run = check(&d, &[]);
    run.assert_check_at("auth.cleartext", d.pop3_addr(), "warn");
    let c = run.all("auth.cleartext")[0];
    assert!(c["data"]["offered"].to_string().contains("USER"), "{c}");
    // Everything else is healthy, so the whole run is a warning.
    run.assert_check("tls.stls", "pass");
    run.assert_check("tls.chain", "pass");
    run.assert_verdict("warn", 1);
}
