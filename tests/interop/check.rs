//! `popscope check` against a healthy Dovecot and against Dovecots with a
//! broken certificate, no TLS or clear-text login before TLS. Each case
//! asserts its top cause (docs/diagnosis.md) and that Dovecot is identified.

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

/// The top cause's id (`(none)` when nothing is wrong), with Dovecot
/// identified and every warn/fail check explained by exactly one cause.
#[track_caller]
fn assert_top_cause(run: &Report, want: &str) {
    let d = &run.json["diagnosis"];
    let got = d["causes"][0]["id"].as_str().unwrap_or("(none)");
    assert_eq!(got, want, "top cause\n{d:#}");
    assert_eq!(d["server"]["software"], "Dovecot", "{d:#}");
    for c in run.checks() {
        let n = d["causes"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|k| k["explains"].as_array().into_iter().flatten())
            .filter(|e| e["id"] == c["id"] && e["endpoint"] == c["endpoint"])
            .count();
        let problem = matches!(c["status"].as_str(), Some("warn" | "fail"));
        assert_eq!(
            n,
            usize::from(problem),
            "{} on {}\n{d:#}",
            c["id"],
            c["endpoint"]
        );
    }
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
    assert_top_cause(&run, "(none)");
    // The client settings: SSL/TLS on 995 first, STARTTLS on 110 second,
    // for the name the certificate is valid for.
    let settings = &run.json["diagnosis"]["client_settings"];
    assert_eq!(settings[0]["security"], "SSL/TLS", "{settings}");
    assert_eq!(settings[0]["port"], tls.port(), "{settings}");
    assert_eq!(settings[0]["host"], "localhost", "{settings}");
    assert_eq!(settings[1]["security"], "STARTTLS", "{settings}");
    assert_eq!(settings[1]["port"], plain.port(), "{settings}");

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
    assert_top_cause(&run, "cert.self-signed");
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
    assert_top_cause(&run, "cert.expired");
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
    assert_top_cause(&run, "cert.expiring");
}

#[test]
fn wrong_hostname_fails_hostname() {
    require_dovecot!("wrong_hostname_fails_hostname");
    let d = start(DovecotOpts::default().cert(CertKind::WrongHost));
    let run = check(&d, &[]);
    run.assert_check("tls.hostname", "fail");
    run.assert_verdict("fail", 2);
    assert_top_cause(&run, "cert.wrong-name");
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
    assert_top_cause(&run, "stls.missing");
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
    assert_top_cause(&run, "auth.cleartext-exposed");
    // The server fix names Dovecot's setting (2.3 and 2.4 names).
    let fix = run.json["diagnosis"]["causes"][0]["server_fix"].to_string();
    assert!(
        fix.contains("disable_plaintext_auth = yes") && fix.contains("auth_allow_cleartext = no"),
        "{fix}"
    );
}
