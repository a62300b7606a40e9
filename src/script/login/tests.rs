use super::*;
use crate::pop3::reader::Limits;
use crate::pop3::response::parse_status;
use crate::pop3::session::test_peer::{Step, expect, send, spawn};
use crate::transcript::{Dir, Recorder};
use std::time::Duration;

fn result(kind: LoginKind) -> LoginResult {
    LoginResult {
        endpoint: Some("127.0.0.1:995".into()),
        user: "alice".into(),
        mechanism: Some(Mechanism::Plain),
        selection: Selection::Auto,
        offered: vec!["USER".into(), "PLAIN".into()],
        capa_known: true,
        tls_active: true,
        tls_trusted: true,
        kind,
        duration_ms: Some(12),
        tried: vec![Mechanism::Plain],
        attempts: Vec::new(),
        withheld: None,
    }
}

fn rejected(line: &str) -> LoginResult {
    result(LoginKind::Rejected {
        status: parse_status(line.as_bytes()).unwrap(),
        server_detail: None,
        cancelled: None,
    })
}

/// (server line, words the summary must contain, words detail+remedy
/// must contain)
const TABLE: &[(&str, &[&str], &[&str])] = &[
    (
        "-ERR [AUTH] invalid credentials",
        &["refused", "-ERR [AUTH] invalid credentials"],
        &["AUTH: the server rejected the credentials", "app password"],
    ),
    (
        "-ERR [IN-USE] Maildrop already locked",
        &["locked by another session"],
        &[
            "IN-USE: the mailbox is locked",
            "Close the other mail client",
        ],
    ),
    (
        "-ERR [LOGIN-DELAY] Minimum time between logins not yet elapsed",
        &["too soon"],
        &["LOGIN-DELAY: the server only allows", "check interval"],
    ),
    (
        "-ERR [SYS/TEMP] backend unavailable",
        &["temporary server problem"],
        &["SYS/TEMP", "Retry later"],
    ),
    (
        "-ERR [SYS/PERM] account disabled",
        &["permanent server problem"],
        &["SYS/PERM", "administrator"],
    ),
    (
        "-ERR [AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.",
        &["plaintext login disabled before TLS"],
        &["STLS"],
    ),
    (
        "-ERR [AUTH] Web login required: https://support.google.com/mail/answer/78754",
        &["web browser"],
        &["Gmail", "https://mail.google.com"],
    ),
    (
        "-ERR [AUTH] Application-specific password required: https://support.google.com/accounts/answer/185833",
        &["2-Step Verification"],
        &["Gmail", "App passwords"],
    ),
    (
        "-ERR [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)",
        &["web browser"],
        &["Gmail"],
    ),
    (
        "-ERR [AUTH] Username and password not accepted. Learn more at https://support.google.com/mail/?p=BadCredentials",
        &["refused"],
        &["Gmail", "app password", "OAuth"],
    ),
    (
        "-ERR Authentication failure: unknown user name or bad password.",
        &["refused"],
        &["Check the user name and password"],
    ),
    (
        "-ERR Logon failure: unknown user name or bad password.",
        &["Basic authentication"],
        &["Microsoft 365", "xoauth2", "PopEnabled"],
    ),
    (
        "-ERR AUTHENTICATE failed.",
        &["Basic authentication"],
        &["Microsoft 365", "OAuth 2.0"],
    ),
    (
        "-ERR BasicAuthBlocked",
        &["Basic authentication"],
        &["OAuth 2.0"],
    ),
    (
        "-ERR [AUTH] Invalid credentials",
        &["refused"],
        &["Yahoo", "app password"],
    ),
    (
        "-ERR POP3 is disabled for this account",
        &["POP is switched off"],
        &["Enable POP in the account's web settings"],
    ),
    (
        "-ERR [SYS/PERM] POP access is disabled for this account",
        &["permanent server problem"],
        &["POP is switched off", "Enable POP"],
    ),
    ("-ERR nope", &["refused: -ERR nope"], &["no response code"]),
];

#[test]
fn diagnosis_table() {
    for (line, summary, rest) in TABLE {
        let c = diagnose_login(&rejected(line));
        assert_eq!(c.id, CheckId::AuthLogin);
        assert_eq!(c.status, Status::Fail, "{line}");
        assert_eq!(c.endpoint.as_deref(), Some("127.0.0.1:995"));
        assert_eq!(c.duration_ms, Some(12));
        for w in *summary {
            assert!(
                c.summary.contains(w),
                "{line}: summary {:?} lacks {w:?}",
                c.summary
            );
        }
        let text = format!("{} {}", c.detail, c.remedy);
        for w in *rest {
            assert!(text.contains(w), "{line}: {text:?} lacks {w:?}");
        }
        assert!(
            c.detail.contains(line.trim_start_matches("-ERR ")),
            "{line}"
        );
    }
}

#[test]
fn refusals_and_successes() {
    let c = diagnose_login(&result(LoginKind::NotSent(Refusal::Cleartext)));
    assert_eq!(c.status, Status::Fail);
    assert!(c.summary.contains(
        "the connection is not encrypted; popscope does not send passwords in clear text; use STLS/995 or --allow-cleartext-auth"
    ));
    let c = diagnose_login(&result(LoginKind::NotSent(Refusal::UntrustedCertificate)));
    assert!(c.summary.contains("--ca-file"), "{}", c.summary);
    // No dangerous hint: an untrusted certificate is never a reason to
    // send the password anyway.
    for text in [&c.summary, &c.remedy] {
        assert!(!text.contains("--allow-cleartext-auth"), "{text}");
    }
    let c = diagnose_login(&result(LoginKind::NotSent(Refusal::MechanismNotOffered {
        wanted: Mechanism::CramMd5,
    })));
    assert!(
        c.summary
            .contains("mechanism CRAM-MD5 not offered (server offers: USER, PLAIN)"),
        "{}",
        c.summary
    );
    let c = diagnose_login(&result(LoginKind::NotSent(Refusal::NothingOffered {
        stls_first: true,
    })));
    assert!(c.summary.contains("plaintext login disabled before TLS"));
    let c = diagnose_login(&result(LoginKind::NotSent(Refusal::NoCredentials)));
    assert_eq!(c.status, Status::Skip);

    let ok = parse_status(b"+OK Logged in").unwrap();
    let c = diagnose_login(&result(LoginKind::Accepted { status: ok.clone() }));
    assert_eq!(c.status, Status::Pass);
    assert_eq!(c.summary, "logged in as alice with PLAIN");
    let mut r = result(LoginKind::Accepted { status: ok });
    r.tls_active = false;
    let c = diagnose_login(&r);
    assert_eq!(c.status, Status::Warn);
    assert!(c.summary.contains("unencrypted"));
    assert!(c.detail.contains("password itself"));

    let c = diagnose_login(&result(LoginKind::Broken {
        error: "timed out".into(),
        timeout: true,
    }));
    assert_eq!(c.status, Status::Fail);
    assert!(c.remedy.contains("stopped answering"));
}

#[test]
fn xoauth2_detail_is_shown() {
    let r = result(LoginKind::Rejected {
        status: parse_status(b"-ERR [AUTH] Invalid credentials").unwrap(),
        server_detail: Some(r#"{"status":"401","schemes":"bearer"}"#.into()),
        cancelled: None,
    });
    let c = diagnose_login(&r);
    assert!(c.detail.contains("\"401\""), "{}", c.detail);
    assert_eq!(
        c.data["server_detail"],
        r#"{"status":"401","schemes":"bearer"}"#
    );
}

fn caps(lines: &[&str]) -> Capabilities {
    Capabilities::from_lines(lines)
}

async fn run_login(
    greeting: &str,
    caps: Option<&Capabilities>,
    creds: &Credentials,
    opts: LoginOptions,
    script: Vec<crate::pop3::session::test_peer::Step>,
) -> (LoginResult, Vec<String>, Recorder) {
    let mut full = vec![send(greeting)];
    full.extend(script);
    let (io, peer) = spawn(full);
    let rec = Recorder::detached();
    let mut s = Session::new(io, rec.clone(), Duration::from_secs(5), Limits::default());
    s.read_greeting().await.unwrap();
    let r = login(&mut s, creds, caps, &opts).await;
    drop(s);
    (r, peer.await.unwrap(), rec)
}

#[tokio::test]
async fn refuses_without_tls_and_sends_nothing() {
    let creds = Credentials::password("alice", "s3cret-pw");
    let c = caps(&["USER", "SASL PLAIN"]);
    for opts in [
        LoginOptions::default(),
        LoginOptions {
            tls_active: true,
            ..Default::default()
        },
    ] {
        let (r, got, rec) = run_login("+OK hi", Some(&c), &creds, opts, vec![]).await;
        assert!(matches!(r.kind, LoginKind::NotSent(_)));
        assert!(got.is_empty(), "{got:?}");
        assert!(rec.lines().iter().all(|l| l.dir != Dir::Client));
    }
}

#[tokio::test]
async fn explicit_mechanism_must_be_offered() {
    let creds = Credentials::password("alice", "pw");
    let opts = LoginOptions {
        mechanism: Some(Mechanism::CramMd5),
        tls_active: true,
        tls_trusted: true,
        ..Default::default()
    };
    let c = caps(&["USER", "SASL PLAIN LOGIN"]);
    let (r, got, _) = run_login("+OK hi", Some(&c), &creds, opts, vec![]).await;
    assert!(got.is_empty());
    assert_eq!(
        diagnose_login(&r).summary,
        "not attempted: mechanism CRAM-MD5 not offered (server offers: USER, PLAIN, LOGIN)"
    );
}

#[tokio::test]
async fn profile_preference_and_auto() {
    let creds = Credentials::password("alice", "pw");
    let c = caps(&["USER", "SASL PLAIN"]);
    let opts = LoginOptions {
        tls_active: true,
        tls_trusted: true,
        prefer: Some(Mechanism::User),
        ..Default::default()
    };
    let (r, got, _) = run_login(
        "+OK hi",
        Some(&c),
        &creds,
        opts,
        vec![
            expect("USER alice"),
            send("+OK"),
            expect("PASS pw"),
            send("+OK in"),
        ],
    )
    .await;
    assert!(r.ok());
    assert_eq!(r.selection, Selection::Profile);
    assert_eq!(got.len(), 2);
    // the preference is ignored when not offered
    let c = caps(&["SASL PLAIN"]);
    let (r, _, _) = run_login(
        "+OK hi",
        Some(&c),
        &creds,
        opts,
        vec![expect("AUTH PLAIN AGFsaWNlAHB3"), send("-ERR [AUTH] no")],
    )
    .await;
    assert_eq!(r.selection, Selection::Auto);
    assert_eq!(r.mechanism, Some(Mechanism::Plain));
    assert!(matches!(r.kind, LoginKind::Rejected { .. }));
}

#[tokio::test]
async fn token_needs_a_token_mechanism() {
    let creds = Credentials {
        user: "alice".into(),
        secret: Secret::new(""),
        token: Some(Secret::new("tok")),
    };
    let opts = LoginOptions {
        tls_active: true,
        tls_trusted: true,
        ..Default::default()
    };
    let c = caps(&["USER", "SASL PLAIN"]);
    let (r, got, _) = run_login("+OK", Some(&c), &creds, opts, vec![]).await;
    assert!(got.is_empty());
    assert!(matches!(
        r.kind,
        LoginKind::NotSent(Refusal::NothingOffered { stls_first: false })
    ));
    let no_token = Credentials::password("alice", "pw");
    let opts = LoginOptions {
        mechanism: Some(Mechanism::XOauth2),
        ..opts
    };
    let c = caps(&["SASL XOAUTH2"]);
    let (r, _, _) = run_login("+OK", Some(&c), &no_token, opts, vec![]).await;
    assert_eq!(
        r.kind,
        LoginKind::NotSent(Refusal::NoToken {
            mechanism: Mechanism::XOauth2
        })
    );
}

fn trusted() -> LoginOptions {
    LoginOptions {
        tls_active: true,
        tls_trusted: true,
        ..Default::default()
    }
}

const STAMP_GREETING: &str = "+OK ready <1896.697170952@lab.test>";

fn apop_line(pw: &str) -> String {
    let digest = crate::pop3::auth::apop_digest("<1896.697170952@lab.test>", pw);
    format!("APOP alice {digest}")
}

#[tokio::test]
async fn auto_falls_back_from_a_refused_apop_to_user() {
    let creds = Credentials::password("alice", "pw-fallback");
    let c = caps(&["USER", "TOP"]);
    let (r, got, rec) = run_login(
        STAMP_GREETING,
        Some(&c),
        &creds,
        trusted(),
        vec![
            expect(&apop_line("pw-fallback")),
            send("-ERR [AUTH] no APOP secret for this user"),
            expect("USER alice"),
            send("+OK"),
            expect("PASS pw-fallback"),
            send("+OK logged in"),
        ],
    )
    .await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(r.ok());
    assert_eq!(r.tried, vec![Mechanism::Apop, Mechanism::User]);
    assert_eq!(r.mechanism, Some(Mechanism::User));
    let check = diagnose_login(&r);
    assert_eq!(check.status, Status::Pass);
    assert_eq!(
        check.summary,
        "logged in as alice with USER (after APOP was refused)"
    );
    assert!(check.detail.contains("--auth auto tried APOP (the server said: -ERR [AUTH] no APOP secret for this user), then USER (the server said: +OK logged in)."), "{}", check.detail);
    assert_eq!(check.data["tried"], serde_json::json!(["APOP", "USER"]));
    assert!(rec.lines().iter().any(|l| {
        l.text
            .contains("--auth auto tries the next method the server offers, USER")
    }));
}

#[tokio::test]
async fn auto_falls_back_once_per_kind_of_secret_then_fails() {
    // CRAM-MD5, APOP and PLAIN each check the password their own way;
    // LOGIN and USER check it as PLAIN did, so they are not tried.
    let creds = Credentials::password("alice", "pw");
    let c = caps(&["USER", "SASL CRAM-MD5 PLAIN LOGIN"]);
    let (r, got, rec) = run_login(
        STAMP_GREETING,
        Some(&c),
        &creds,
        trusted(),
        vec![
            expect("AUTH CRAM-MD5"),
            send("-ERR [AUTH] no CRAM-MD5 secret"),
            expect(&apop_line("pw")),
            send("-ERR no"),
            expect("AUTH PLAIN AGFsaWNlAHB3"),
            send("-ERR [AUTH] wrong password"),
        ],
    )
    .await;
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        r.tried,
        vec![Mechanism::CramMd5, Mechanism::Apop, Mechanism::Plain]
    );
    let check = diagnose_login(&r);
    assert_eq!(check.status, Status::Fail);
    assert!(
        check
            .summary
            .ends_with("-ERR [AUTH] wrong password (also tried: CRAM-MD5, APOP)"),
        "{}",
        check.summary
    );
    assert_eq!(
        check.data["tried"],
        serde_json::json!(["CRAM-MD5", "APOP", "PLAIN"])
    );
    assert!(!rec.lines().iter().any(|l| l.text.starts_with("USER")));
}

#[tokio::test]
async fn a_fallback_that_breaks_keeps_the_earlier_refusal() {
    // Servers delay the next attempt after a failed login; when the
    // fallback does not complete, the refusal is the result.
    let creds = Credentials::password("alice", "pw");
    let c = caps(&["USER", "SASL CRAM-MD5"]);
    let (r, got, _) = run_login(
        STAMP_GREETING,
        Some(&c),
        &creds,
        trusted(),
        vec![
            expect("AUTH CRAM-MD5"),
            send("-ERR [AUTH] Authentication failed."),
            expect(&apop_line("pw")),
            Step::Close,
        ],
    )
    .await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(r.tried, vec![Mechanism::CramMd5, Mechanism::Apop]);
    assert_eq!(r.mechanism, Some(Mechanism::CramMd5));
    assert!(matches!(r.kind, LoginKind::Rejected { .. }));
    assert!(
        r.attempts[1].starts_with("it did not complete: "),
        "{:?}",
        r.attempts
    );
    let check = diagnose_login(&r);
    assert!(
        check.summary.contains(
            "with CRAM-MD5 refused: -ERR [AUTH] Authentication failed. (also tried: APOP)"
        ),
        "{}",
        check.summary
    );
    assert!(
        check.detail.contains("then APOP (it did not complete: "),
        "{}",
        check.detail
    );
}

#[tokio::test]
async fn a_cancelled_exchange_lets_the_next_method_of_its_kind_run() {
    // The server answers PLAIN with a challenge, popscope cancels: that
    // says nothing about the password, so LOGIN is tried.
    let creds = Credentials::password("alice", "pw");
    let c = caps(&["SASL PLAIN LOGIN"]);
    let (r, got, _) = run_login(
        "+OK hi",
        Some(&c),
        &creds,
        trusted(),
        vec![
            expect("AUTH PLAIN AGFsaWNlAHB3"),
            send("+ eA=="),
            expect("*"),
            send("-ERR cancelled"),
            expect("AUTH LOGIN"),
            send("+ VXNlcm5hbWU6"),
            expect("YWxpY2U="),
            send("+ UGFzc3dvcmQ6"),
            expect("cHc="),
            send("+OK welcome"),
        ],
    )
    .await;
    assert_eq!(got.len(), 5, "{got:?}");
    assert!(r.ok());
    assert_eq!(r.tried, vec![Mechanism::Plain, Mechanism::Login]);
}

#[tokio::test]
async fn no_fallback_when_asked_for_or_when_the_refusal_is_not_about_credentials() {
    let creds = Credentials::password("alice", "pw");
    let c = caps(&["USER"]);
    // an explicit --auth apop is tried alone
    let opts = LoginOptions {
        mechanism: Some(Mechanism::Apop),
        ..trusted()
    };
    let (r, got, _) = run_login(
        STAMP_GREETING,
        Some(&c),
        &creds,
        opts,
        vec![expect(&apop_line("pw")), send("-ERR [AUTH] no")],
    )
    .await;
    assert_eq!(got.len(), 1);
    assert_eq!(r.tried, vec![Mechanism::Apop]);
    assert!(matches!(r.kind, LoginKind::Rejected { .. }));
    // [IN-USE], [LOGIN-DELAY], [SYS/TEMP]: another method would not help
    for refusal in [
        "-ERR [IN-USE] locked",
        "-ERR [LOGIN-DELAY] wait",
        "-ERR [SYS/TEMP] later",
    ] {
        let (r, got, _) = run_login(
            STAMP_GREETING,
            Some(&c),
            &creds,
            trusted(),
            vec![expect(&apop_line("pw")), send(refusal)],
        )
        .await;
        assert_eq!(got.len(), 1, "{refusal}");
        assert_eq!(r.tried, vec![Mechanism::Apop]);
    }
}

#[tokio::test]
async fn fallback_never_shows_the_password_outside_trusted_tls() {
    let creds = Credentials::password("alice", "pw");
    let c = caps(&["USER"]);
    let opts = LoginOptions {
        allow_cleartext: true,
        ..Default::default()
    };
    let (r, got, _) = run_login(
        STAMP_GREETING,
        Some(&c),
        &creds,
        opts,
        vec![expect(&apop_line("pw")), send("-ERR [AUTH] no")],
    )
    .await;
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(r.tried, vec![Mechanism::Apop]);
    assert_eq!(r.withheld, Some(Mechanism::User));
    let check = diagnose_login(&r);
    assert!(check.detail.contains("did not fall back to USER"));
    assert!(check.detail.contains("--auth user"));
    assert_eq!(check.data["withheld"], "USER");
}

#[tokio::test]
async fn secrets_echoed_in_refusals_reach_no_check_text() {
    let pw = "hunter2-Echo";
    let creds = Credentials::password("alice", pw);
    let plain = crate::pop3::auth::plain_initial("", "alice", pw);
    let b64pw = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(pw)
    };
    let c = caps(&["USER", "SASL PLAIN LOGIN"]);
    let cases = [
        (
            Mechanism::Plain,
            vec![
                expect(&format!("AUTH PLAIN {plain}")),
                send(&format!("-ERR bad blob {plain}")),
            ],
            "-ERR bad blob ********",
        ),
        (
            Mechanism::Login,
            vec![
                expect("AUTH LOGIN"),
                send("+ VXNlcm5hbWU6"),
                Step::Any,
                send("+ UGFzc3dvcmQ6"),
                Step::Any,
                send(&format!("-ERR [AUTH] password {b64pw} is wrong")),
            ],
            "-ERR [AUTH] password ******** is wrong",
        ),
        (
            Mechanism::User,
            vec![
                expect("USER alice"),
                send("+OK"),
                expect(&format!("PASS {pw}")),
                send(&format!("-ERR unknown command PASS {pw}")),
            ],
            "-ERR unknown command PASS ********",
        ),
    ];
    for (mech, script, shown) in cases {
        let opts = LoginOptions {
            mechanism: Some(mech),
            ..trusted()
        };
        let (r, _, rec) = run_login("+OK hi", Some(&c), &creds, opts, script).await;
        assert_eq!(r.tried, vec![mech]);
        let check = diagnose_login(&r);
        let all = format!(
            "{}\n{}\n{}\n{}",
            check.summary,
            check.detail,
            check.remedy,
            serde_json::to_string(&check.data).unwrap()
        );
        for form in [pw, plain.as_str(), b64pw.as_str()] {
            assert!(!all.contains(form), "{form} in {all}");
            for l in rec.lines() {
                assert!(!l.text.contains(form), "{form} in {}", l.text);
            }
        }
        assert!(check.summary.contains(shown), "{}", check.summary);
        assert!(check.detail.contains(shown), "{}", check.detail);
        assert_eq!(check.data["server_text"], shown.trim_start_matches("-ERR "));
    }
}

/// Every kind of `auth.login` result, with the server text it carries.
fn every_login_outcome() -> Vec<(LoginResult, String)> {
    let mut out: Vec<(LoginResult, String)> = TABLE
        .iter()
        .map(|(line, _, _)| (rejected(line), line.to_string()))
        .collect();
    for refusal in [
        Refusal::NoCredentials,
        Refusal::Cleartext,
        Refusal::UntrustedCertificate,
        Refusal::MechanismNotOffered {
            wanted: Mechanism::CramMd5,
        },
        Refusal::NothingOffered { stls_first: true },
        Refusal::NothingOffered { stls_first: false },
        Refusal::NoPassword,
        Refusal::NoToken {
            mechanism: Mechanism::XOauth2,
        },
    ] {
        out.push((result(LoginKind::NotSent(refusal)), String::new()));
    }
    let mut none_offered = result(LoginKind::NotSent(Refusal::NothingOffered {
        stls_first: false,
    }));
    none_offered.offered.clear();
    out.push((none_offered, String::new()));
    let ok = parse_status(b"+OK 1").unwrap();
    out.push((
        result(LoginKind::Accepted { status: ok.clone() }),
        String::new(),
    ));
    for (active, trusted, mech) in [
        (false, false, Mechanism::Plain),
        (true, false, Mechanism::CramMd5),
    ] {
        let mut r = result(LoginKind::Accepted { status: ok.clone() });
        r.tls_active = active;
        r.tls_trusted = trusted;
        r.mechanism = Some(mech);
        out.push((r, String::new()));
    }
    for earlier in [
        vec![Mechanism::Apop],
        vec![Mechanism::Apop, Mechanism::CramMd5],
    ] {
        let mut r = result(LoginKind::Accepted { status: ok.clone() });
        r.tried = earlier.iter().copied().chain([Mechanism::Plain]).collect();
        r.attempts = r.tried.iter().map(|_| "-ERR 1".to_string()).collect();
        out.push((r, String::new()));
    }
    let mut r = result(LoginKind::Rejected {
        status: parse_status(b"-ERR [SYS/TEMP] 1").unwrap(),
        server_detail: Some("e30=".into()),
        cancelled: Some("x".into()),
    });
    r.tried = vec![Mechanism::Apop, Mechanism::Plain];
    r.attempts = vec!["-ERR 1".into(), "-ERR 2".into()];
    r.withheld = Some(Mechanism::User);
    out.push((r, String::new()));
    for code in [
        "",
        "[IN-USE] ",
        "[LOGIN-DELAY] ",
        "[SYS/PERM] ",
        "[UTF8] ",
        "[X-Y] ",
    ] {
        out.push((rejected(&format!("-ERR {code}1")), String::new()));
    }
    let mut r = result(LoginKind::Rejected {
        status: parse_status(b"-ERR 1").unwrap(),
        server_detail: None,
        cancelled: Some("x".into()),
    });
    r.mechanism = Some(Mechanism::Login);
    out.push((r, String::new()));
    for timeout in [true, false] {
        let r = result(LoginKind::Broken {
            error: "e".into(),
            timeout,
        });
        out.push((r, String::new()));
    }
    out
}

/// The `auth.login` check reads in both languages: no message id, nothing
/// left in English in French (beyond the server's own text), and the
/// machine fields stay the same.
#[test]
fn login_diagnosis_in_both_languages() {
    use crate::i18n::testing::english_word;
    use crate::i18n::{Lang, scoped};
    for (r, server) in every_login_outcome() {
        let en = scoped(Lang::En, || diagnose_login(&r));
        let fr = scoped(Lang::Fr, || diagnose_login(&r));
        assert_eq!((en.status, &en.data), (fr.status, &fr.data));
        // The server's words, POPSCOPE_PASSWORD and the LOGIN mechanism.
        let allowed: Vec<&str> = server
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .chain(["PASSWORD", "LOGIN"])
            .collect();
        for (e, f) in [
            (&en.summary, &fr.summary),
            (&en.detail, &fr.detail),
            (&en.remedy, &fr.remedy),
        ] {
            assert!(
                !e.contains("script-") && !f.contains("script-"),
                "{e} / {f}"
            );
            // (a detail may be the server's status line alone)
            if e.chars().filter(char::is_ascii_lowercase).count() > 3 {
                assert_ne!(e, f, "not translated");
            }
            if let Some(w) = english_word(f, &allowed) {
                panic!("English word {w:?} in French: {f}");
            }
        }
    }
}
