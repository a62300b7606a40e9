//! Tests of authentication: every mechanism against a scripted server,
//! secrets kept out of the transcript, refusals and broken exchanges.

use super::*;
use crate::pop3::reader::Limits;
use crate::pop3::session::test_peer::{Step, expect, send, spawn};
use crate::transcript::{Dir, Recorder};
use std::time::Duration;

const USER: &str = "alice@example.com";
const PASSWORD: &str = "Tr0ub4dor&3-secret";
const TOKEN: &str = "ya29.a0AfH6SMBx-token-value-0123456789";

#[test]
fn rfc_1939_apop_vector() {
    assert_eq!(
        apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"),
        "c4c9334bac560ecc979e58001b3e22fb"
    );
}

#[test]
fn rfc_2195_cram_md5_vector() {
    let challenge = B64.encode("<1896.697170952@postoffice.reston.mci.net>");
    assert_eq!(
        cram_md5_response("tim", "tanstaaftanstaaf", &challenge).as_deref(),
        Some("tim b913a602c7eda7a495b4e6e7334d3890")
    );
    assert_eq!(
        B64.encode("tim b913a602c7eda7a495b4e6e7334d3890"),
        "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"
    );
    assert_eq!(cram_md5_response("tim", "x", "not base64!"), None);
}

#[test]
fn plain_and_oauth_payloads() {
    assert_eq!(plain_initial("", "tim", "tanstaaf"), "AHRpbQB0YW5zdGFhZg==");
    // Google's documented XOAUTH2 example
    assert_eq!(
        xoauth2_initial(
            "someuser@example.com",
            "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg"
        ),
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ=="
    );
    let ob = B64
        .decode(oauthbearer_initial("user@example.com", "vF9d"))
        .unwrap();
    assert_eq!(ob, b"n,a=user@example.com,\x01auth=Bearer vF9d\x01\x01");
    let ob = B64.decode(oauthbearer_initial("a,b=c", "t")).unwrap();
    assert!(ob.starts_with(b"n,a=a=2Cb=3Dc,\x01"));
}

#[test]
fn secrets_do_not_print() {
    let s = Secret::new(PASSWORD);
    assert_eq!(format!("{s} {s:?}"), "******** ********");
    assert_eq!(s.expose(), PASSWORD);
    assert!(!s.is_empty());
    assert!(Secret::from("").is_empty());
}

#[test]
fn mechanism_names() {
    assert_eq!(Mechanism::parse("auto"), Ok(None));
    assert_eq!(Mechanism::parse("AUTO"), Ok(None));
    for (s, m) in [
        ("user", Mechanism::User),
        ("apop", Mechanism::Apop),
        ("plain", Mechanism::Plain),
        ("login", Mechanism::Login),
        ("cram-md5", Mechanism::CramMd5),
        ("xoauth2", Mechanism::XOauth2),
        ("oauthbearer", Mechanism::OauthBearer),
        ("CRAM-MD5", Mechanism::CramMd5),
    ] {
        assert_eq!(Mechanism::parse(s), Ok(Some(m)));
        assert_eq!(m.name().parse::<Mechanism>(), Ok(m));
    }
    let err = Mechanism::parse("ntlm").unwrap_err();
    assert!(err.to_string().contains("\"ntlm\""));
    assert!("auto".parse::<Mechanism>().is_err());
    assert_eq!(
        serde_json::to_string(&Mechanism::CramMd5).unwrap(),
        "\"CRAM-MD5\""
    );
    assert!(Mechanism::Plain.is_sasl() && !Mechanism::Apop.is_sasl());
    assert!(Mechanism::User.exposes_password() && !Mechanism::CramMd5.exposes_password());
    assert!(Mechanism::OauthBearer.uses_token());
}

#[test]
fn auto_choice() {
    let caps = |lines: &[&str]| Capabilities::from_lines(lines);
    let full = caps(&["USER", "SASL PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER"]);
    assert_eq!(
        choose_auto(Some(&full), true, false),
        Some(Mechanism::CramMd5)
    );
    assert_eq!(
        choose_auto(Some(&full), true, true),
        Some(Mechanism::XOauth2)
    );
    let ob = caps(&["SASL OAUTHBEARER PLAIN"]);
    assert_eq!(
        choose_auto(Some(&ob), false, true),
        Some(Mechanism::OauthBearer)
    );
    assert_eq!(choose_auto(Some(&ob), false, false), Some(Mechanism::Plain));
    let plain = caps(&["USER", "SASL plain login"]);
    assert_eq!(
        choose_auto(Some(&plain), true, false),
        Some(Mechanism::Apop)
    );
    assert_eq!(
        choose_auto(Some(&plain), false, false),
        Some(Mechanism::Plain)
    );
    assert_eq!(choose_auto(Some(&plain), false, true), None);
    assert_eq!(
        choose_auto(Some(&caps(&["SASL LOGIN"])), false, false),
        Some(Mechanism::Login)
    );
    assert_eq!(
        choose_auto(Some(&caps(&["USER"])), false, false),
        Some(Mechanism::User)
    );
    // plaintext login disabled before STLS
    assert_eq!(
        choose_auto(Some(&caps(&["STLS", "TOP"])), false, false),
        None
    );
    assert_eq!(choose_auto(None, false, false), Some(Mechanism::User));
    assert_eq!(choose_auto(None, true, false), Some(Mechanism::Apop));
    assert_eq!(choose_auto(None, false, true), Some(Mechanism::XOauth2));
}

/// Runs `mech` against `script` (after a greeting) and returns the
/// outcome, the lines the peer received and the transcript.
async fn run(
    greeting: &str,
    mech: Mechanism,
    secret: &str,
    script: Vec<Step>,
) -> (
    Result<AuthOutcome, Pop3Error>,
    Vec<String>,
    Vec<(Dir, String)>,
) {
    let mut full = vec![send(greeting)];
    full.extend(script);
    let (io, peer) = spawn(full);
    let rec = Recorder::detached();
    let mut s = Session::new(io, rec.clone(), Duration::from_secs(5), Limits::default());
    s.read_greeting().await.unwrap();
    let out = authenticate(&mut s, mech, USER, &Secret::new(secret)).await;
    drop(s);
    let got = peer.await.unwrap();
    let lines = rec.lines().into_iter().map(|l| (l.dir, l.text)).collect();
    (out, got, lines)
}

/// Asserts no client line of the transcript reveals any of `needles`.
fn assert_clean(lines: &[(Dir, String)], needles: &[String]) {
    for (dir, text) in lines {
        for n in needles {
            assert!(!text.contains(n), "{dir:?} line {text:?} reveals {n:?}");
        }
    }
}

/// Asserts the transcript reveals `secret` in none of the forms
/// [`needles`] lists, and returns those forms.
fn assert_secret_kept(secret: &str, sent: &[String], lines: &[(Dir, String)]) -> Vec<String> {
    let n = needles(secret, sent);
    assert_clean(lines, &n);
    n
}

/// Every form in which a secret could leak.
fn needles(secret: &str, sent: &[String]) -> Vec<String> {
    let mut v = vec![secret.to_string(), B64.encode(secret)];
    // every base64 payload the client sent (except the literal "*")
    for line in sent {
        for word in line.split(' ') {
            if word.len() >= 8 && B64.decode(word).is_ok() {
                v.push(word.to_string());
            }
        }
    }
    v
}

#[tokio::test]
async fn user_pass() {
    let (out, got, lines) = run(
        "+OK ready",
        Mechanism::User,
        PASSWORD,
        vec![
            expect(&format!("USER {USER}")),
            send("+OK"),
            expect(&format!("PASS {PASSWORD}")),
            send("+OK maildrop locked and ready"),
        ],
    )
    .await;
    let out = out.unwrap();
    assert!(out.ok && out.mechanism == Mechanism::User);
    assert!(lines.contains(&(Dir::Client, "PASS ********".into())));
    assert!(lines.contains(&(Dir::Client, format!("USER {USER}"))));
    assert_secret_kept(PASSWORD, &got, &lines);
}

#[tokio::test]
async fn user_refused_sends_no_password() {
    let (out, got, _) = run(
        "+OK",
        Mechanism::User,
        PASSWORD,
        vec![
            expect(&format!("USER {USER}")),
            send("-ERR [AUTH] plaintext disabled"),
        ],
    )
    .await;
    let out = out.unwrap();
    assert!(!out.ok);
    assert_eq!(got.len(), 1);
}

#[tokio::test]
async fn apop() {
    let ts = "<1896.697170952@dbc.mtview.ca.us>";
    let digest = apop_digest(ts, PASSWORD);
    let (out, got, lines) = run(
        &format!("+OK POP3 server ready {ts}"),
        Mechanism::Apop,
        PASSWORD,
        vec![expect(&format!("APOP {USER} {digest}")), send("+OK")],
    )
    .await;
    assert!(out.unwrap().ok);
    assert!(lines.contains(&(Dir::Client, format!("APOP {USER} ********"))));
    let mut n = needles(PASSWORD, &got);
    n.push(digest);
    assert_clean(&lines, &n);
}

#[tokio::test]
async fn apop_without_timestamp_is_an_error() {
    let (out, got, _) = run("+OK ready", Mechanism::Apop, PASSWORD, vec![]).await;
    let err = out.unwrap_err();
    assert!(err.to_string().contains("no <...> timestamp"), "{err}");
    assert!(got.is_empty());
}

#[tokio::test]
async fn plain() {
    let ir = plain_initial("", USER, PASSWORD);
    let (out, got, lines) = run(
        "+OK",
        Mechanism::Plain,
        PASSWORD,
        vec![expect(&format!("AUTH PLAIN {ir}")), send("+OK logged in")],
    )
    .await;
    assert!(out.unwrap().ok);
    assert!(lines.contains(&(Dir::Client, "AUTH PLAIN ********".into())));
    let n = assert_secret_kept(PASSWORD, &got, &lines);
    assert!(n.contains(&ir));
}

#[tokio::test]
async fn plain_unexpected_challenge_is_cancelled() {
    let (out, got, lines) = run(
        "+OK",
        Mechanism::Plain,
        PASSWORD,
        vec![
            Step::Any,
            send("+ aGVsbG8="),
            expect("*"),
            send("-ERR authentication cancelled"),
        ],
    )
    .await;
    let out = out.unwrap();
    assert!(!out.ok);
    assert!(out.cancelled.unwrap().contains("PLAIN needs none"));
    assert!(
        lines
            .iter()
            .any(|(d, t)| *d == Dir::Note && t.contains("cancels"))
    );
    assert_secret_kept(PASSWORD, &got, &lines);
}

#[tokio::test]
async fn login() {
    let (out, got, lines) = run(
        "+OK",
        Mechanism::Login,
        PASSWORD,
        vec![
            expect("AUTH LOGIN"),
            send("+ VXNlcm5hbWU6"),
            expect(&B64.encode(USER)),
            send("+ UGFzc3dvcmQ6"),
            expect(&B64.encode(PASSWORD)),
            send("+OK"),
        ],
    )
    .await;
    assert!(out.unwrap().ok);
    let client: Vec<&str> = lines
        .iter()
        .filter(|(d, _)| *d == Dir::Client)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(client, ["AUTH LOGIN", "********", "********"]);
    let n = assert_secret_kept(PASSWORD, &got, &lines);
    assert!(n.contains(&B64.encode(USER)));
}

#[tokio::test]
async fn cram_md5() {
    let challenge = B64.encode("<1896.697170952@postoffice.reston.mci.net>");
    let answer = B64.encode(cram_md5_answer(
        USER,
        PASSWORD,
        b"<1896.697170952@postoffice.reston.mci.net>",
    ));
    let (out, got, lines) = run(
        "+OK",
        Mechanism::CramMd5,
        PASSWORD,
        vec![
            expect("AUTH CRAM-MD5"),
            send(&format!("+ {challenge}")),
            expect(&answer),
            send("-ERR [AUTH] nope"),
        ],
    )
    .await;
    let out = out.unwrap();
    assert!(!out.ok);
    assert_eq!(
        out.status.code,
        Some(crate::pop3::response::ResponseCode::Auth)
    );
    let n = assert_secret_kept(PASSWORD, &got, &lines);
    assert!(n.contains(&answer));
}

#[tokio::test]
async fn cram_md5_bad_challenge_is_cancelled() {
    let (out, _, _) = run(
        "+OK",
        Mechanism::CramMd5,
        PASSWORD,
        vec![
            expect("AUTH CRAM-MD5"),
            send("+ !!!"),
            expect("*"),
            send("-ERR cancelled"),
        ],
    )
    .await;
    let out = out.unwrap();
    assert!(out.cancelled.unwrap().contains("base64"));
}

#[tokio::test]
async fn xoauth2_failure_reports_the_json_status() {
    let ir = xoauth2_initial(USER, TOKEN);
    let json = r#"{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}"#;
    let (out, got, lines) = run(
        "+OK",
        Mechanism::XOauth2,
        TOKEN,
        vec![
            expect(&format!("AUTH XOAUTH2 {ir}")),
            send(&format!("+ {}", B64.encode(json))),
            expect(""),
            send("-ERR [AUTH] Invalid credentials"),
        ],
    )
    .await;
    let out = out.unwrap();
    assert!(!out.ok && out.cancelled.is_none());
    assert_eq!(out.server_detail.as_deref(), Some(json));
    assert!(lines.contains(&(Dir::Client, "AUTH XOAUTH2 ********".into())));
    let n = assert_secret_kept(TOKEN, &got, &lines);
    assert!(n.contains(&ir));
}

#[tokio::test]
async fn oauthbearer() {
    let ir = oauthbearer_initial(USER, TOKEN);
    let (out, got, lines) = run(
        "+OK",
        Mechanism::OauthBearer,
        TOKEN,
        vec![
            expect(&format!("AUTH OAUTHBEARER {ir}")),
            send(&format!(
                "+ {}",
                B64.encode(r#"{"status":"invalid_token"}"#)
            )),
            expect("AQ=="),
            send("-ERR"),
        ],
    )
    .await;
    let out = out.unwrap();
    assert!(!out.ok);
    assert_eq!(
        out.server_detail.as_deref(),
        Some(r#"{"status":"invalid_token"}"#)
    );
    assert_secret_kept(TOKEN, &got, &lines);
}

#[tokio::test]
async fn long_token_follows_an_empty_challenge() {
    let token = "t".repeat(400);
    let ir = xoauth2_initial(USER, &token);
    let (out, got, lines) = run(
        "+OK",
        Mechanism::XOauth2,
        &token,
        vec![expect("AUTH XOAUTH2"), send("+ "), expect(&ir), send("+OK")],
    )
    .await;
    assert!(out.unwrap().ok);
    let client: Vec<&str> = lines
        .iter()
        .filter(|(d, _)| *d == Dir::Client)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(client, ["AUTH XOAUTH2", "********"]);
    assert_secret_kept(&token, &got, &lines);
}

#[tokio::test]
async fn endless_challenges_end_in_an_error() {
    let (out, _, _) = run(
        "+OK",
        Mechanism::Plain,
        PASSWORD,
        vec![Step::Any, send("+ YQ=="), expect("*"), send("+ YQ==")],
    )
    .await;
    assert!(matches!(out, Err(Pop3Error::Protocol { .. })));
}

#[test]
fn auto_candidates_start_with_the_auto_choice_and_go_weaker() {
    let caps = |lines: &[&str]| Capabilities::from_lines(lines);
    let full = caps(&["USER", "SASL PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER"]);
    assert_eq!(
        auto_candidates(Some(&full), true, false, true),
        [
            Mechanism::CramMd5,
            Mechanism::Apop,
            Mechanism::Plain,
            Mechanism::Login,
            Mechanism::User
        ]
    );
    assert_eq!(
        auto_candidates(Some(&full), false, true, false),
        [Mechanism::XOauth2, Mechanism::OauthBearer]
    );
    assert_eq!(
        auto_candidates(Some(&caps(&["USER"])), true, false, true),
        [Mechanism::Apop, Mechanism::User]
    );
    // plaintext login disabled before STLS: nothing
    assert!(auto_candidates(Some(&caps(&["STLS"])), false, false, true).is_empty());
    assert_eq!(
        auto_candidates(None, true, true, true),
        [Mechanism::XOauth2, Mechanism::Apop, Mechanism::User]
    );
    // the first candidate is what choose_auto picks
    for c in [
        Some(full.clone()),
        Some(caps(&["SASL OAUTHBEARER PLAIN"])),
        Some(caps(&["USER", "SASL plain login"])),
        Some(caps(&["STLS", "TOP"])),
        None,
    ] {
        for ts in [false, true] {
            for token in [false, true] {
                assert_eq!(
                    auto_candidates(c.as_ref(), ts, token, !token)
                        .first()
                        .copied(),
                    choose_auto(c.as_ref(), ts, token),
                );
            }
        }
    }
}

#[test]
fn secret_forms_cover_what_goes_on_the_wire() {
    let forms = secret_forms(USER, PASSWORD);
    assert!(forms.contains(&PASSWORD.to_string()));
    assert!(forms.contains(&B64.encode(PASSWORD)));
    assert!(forms.contains(&plain_initial("", USER, PASSWORD)));
    assert!(forms.contains(&xoauth2_initial(USER, PASSWORD)));
    assert!(forms.contains(&oauthbearer_initial(USER, PASSWORD)));
    assert!(secret_forms(USER, "").is_empty());
}

#[tokio::test]
async fn a_server_echoing_the_secret_line_is_redacted() {
    // Each mechanism's secret-bearing line comes back in the -ERR.
    let plain = plain_initial("", USER, PASSWORD);
    let cases: Vec<(Mechanism, &str, Vec<Step>)> = vec![
        (
            Mechanism::User,
            PASSWORD,
            vec![
                expect(&format!("USER {USER}")),
                send("+OK"),
                expect(&format!("PASS {PASSWORD}")),
                send(&format!("-ERR unknown command PASS {PASSWORD}")),
            ],
        ),
        (
            Mechanism::Plain,
            PASSWORD,
            vec![
                expect(&format!("AUTH PLAIN {plain}")),
                send(&format!("-ERR [AUTH] bad response {plain}")),
            ],
        ),
        (
            Mechanism::Login,
            PASSWORD,
            vec![
                expect("AUTH LOGIN"),
                send("+ VXNlcm5hbWU6"),
                Step::Any,
                send("+ UGFzc3dvcmQ6"),
                Step::Any,
                send(&format!("-ERR bad password {}", B64.encode(PASSWORD))),
            ],
        ),
        (
            Mechanism::XOauth2,
            TOKEN,
            vec![
                expect(&format!("AUTH XOAUTH2 {}", xoauth2_initial(USER, TOKEN))),
                send(&format!(
                    "+ {}",
                    B64.encode(format!("{{\"status\":\"401\",\"token\":\"{TOKEN}\"}}"))
                )),
                expect(""),
                send(&format!("-ERR token {TOKEN} expired")),
            ],
        ),
        (
            Mechanism::OauthBearer,
            TOKEN,
            vec![
                expect(&format!(
                    "AUTH OAUTHBEARER {}",
                    oauthbearer_initial(USER, TOKEN)
                )),
                send(&format!(
                    "-ERR bad {} / {TOKEN}",
                    oauthbearer_initial(USER, TOKEN)
                )),
            ],
        ),
    ];
    for (mech, secret, script) in cases {
        let (out, got, lines) = run("+OK ready", mech, secret, script).await;
        let out = out.unwrap();
        assert!(!out.ok, "{mech}");
        let needles = assert_secret_kept(secret, &got, &lines);
        for n in &needles {
            assert!(!out.status.text.contains(n), "{mech}: {}", out.status.text);
            if let Some(d) = &out.server_detail {
                assert!(!d.contains(n), "{mech}: {d}");
            }
        }
        assert!(
            out.status.text.contains(REDACTED),
            "{mech}: {}",
            out.status.text
        );
        assert!(
            lines
                .iter()
                .any(|(d, t)| *d == Dir::Server && t.contains(REDACTED)),
            "{mech}"
        );
    }
}

#[tokio::test]
async fn an_echo_in_a_broken_reply_is_redacted_from_the_error_too() {
    for reply in [
        format!("what is PASS {PASSWORD}?\r\n"),
        format!("-ERR cut off {PASSWORD}"),
    ] {
        let (out, _, lines) = run(
            "+OK ready",
            Mechanism::User,
            PASSWORD,
            vec![
                expect(&format!("USER {USER}")),
                send("+OK"),
                expect(&format!("PASS {PASSWORD}")),
                Step::Send(reply.into_bytes()),
                Step::Close,
            ],
        )
        .await;
        let err = out.unwrap_err().to_string();
        assert!(!err.contains(PASSWORD), "{err}");
        assert!(err.contains(REDACTED), "{err}");
        assert_clean(&lines, &[PASSWORD.to_string()]);
    }
}
