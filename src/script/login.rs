//! Logging in safely and explaining why a login failed.
//!
//! [`login`] decides *whether* credentials may be sent (only inside TLS with
//! a trusted certificate, unless the user accepted the risk), *which*
//! method to use ([`choose_auto`], or the one asked for, which must be
//! offered) and then runs [`authenticate`]. Nothing is sent when popscope
//! refuses. [`diagnose_login`] is a pure function that turns the result into
//! the `auth.login` check: the server's words, the meaning of its RFC 2449 /
//! RFC 3206 response code, and remedies for the messages that well-known
//! providers send (app password or OAuth required, POP disabled, ...).

use serde::Serialize;
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::i18n::t;
use crate::model::{Check, CheckId, Status};
use crate::pop3::auth::{Mechanism, Secret, authenticate, auto_candidates};
use crate::pop3::capa::Capabilities;
use crate::pop3::response::{ResponseCode, StatusLine};
use crate::pop3::session::Session;

/// The check id this module produces.
pub const CHECK_ID: CheckId = CheckId::AuthLogin;

/// Who logs in, with what. `Debug` shows secrets as `********`; there is no
/// `Serialize`.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The login name (not secret; shown in reports).
    pub user: String,
    /// The password (may be empty when only a token is given).
    pub secret: Secret,
    /// An OAuth 2.0 access token for XOAUTH2 / OAUTHBEARER.
    pub token: Option<Secret>,
}

impl Credentials {
    #[cfg(test)]
    /// A user with a password and no token.
    pub fn password(user: &str, password: &str) -> Credentials {
        Credentials {
            user: user.to_string(),
            secret: Secret::new(password),
            token: None,
        }
    }
}

/// How [`login`] may log in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoginOptions {
    /// The method the user asked for (`--auth`); `None`: automatic.
    pub mechanism: Option<Mechanism>,
    /// `--allow-cleartext-auth`: send credentials without TLS, or over TLS
    /// whose certificate is not trusted.
    pub allow_cleartext: bool,
    /// Whether the connection is inside TLS (port 995 or after STLS).
    pub tls_active: bool,
    /// Whether the certificate verified (chain and name).
    pub tls_trusted: bool,
    /// A profile's preferred method, used when the user gave none and the
    /// server offers it.
    pub prefer: Option<Mechanism>,
}

/// How the method was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Selection {
    /// Asked for with `--auth`.
    Explicit,
    /// Preferred by the profile's login step.
    Profile,
    /// Picked by `--auth auto` ([`crate::pop3::auth::choose_auto`]), with
    /// fallback to the weaker offered methods
    /// ([`auto_candidates`]).
    Auto,
}

/// Why popscope refused to send credentials (nothing was sent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum Refusal {
    /// No credentials were given at all.
    NoCredentials,
    /// The connection is not encrypted.
    Cleartext,
    /// TLS is active but the certificate is not trusted.
    UntrustedCertificate,
    /// The method asked for is not offered on this connection.
    MechanismNotOffered {
        /// The method asked for.
        wanted: Mechanism,
    },
    /// The server offers no method popscope can use with these credentials.
    NothingOffered {
        /// The server offers STLS and TLS is not active: login is only
        /// possible after STLS.
        stls_first: bool,
    },
    /// The method needs a password and none was given.
    NoPassword,
    /// The method needs an OAuth token and none was given.
    NoToken {
        /// The method.
        mechanism: Mechanism,
    },
}

impl Refusal {
    /// What popscope says, in one sentence.
    pub fn message(&self, offered: &[String]) -> String {
        let offers = if offered.is_empty() {
            t!("script-offers-none")
        } else {
            offered.join(", ")
        };
        match self {
            Refusal::NoCredentials => t!("script-refusal-no-credentials"),
            Refusal::Cleartext => t!("script-refusal-cleartext"),
            Refusal::UntrustedCertificate => t!("script-refusal-untrusted"),
            Refusal::MechanismNotOffered { wanted } => t!(
                "script-refusal-not-offered",
                wanted = wanted.to_string(),
                offers = offers
            ),
            Refusal::NothingOffered { stls_first: true } => {
                t!("script-refusal-stls-first", offers = offers)
            }
            Refusal::NothingOffered { stls_first: false } => {
                t!("script-refusal-nothing-offered", offers = offers)
            }
            Refusal::NoPassword => t!("script-refusal-no-password"),
            Refusal::NoToken { mechanism } => {
                t!("script-refusal-no-token", mechanism = mechanism.to_string())
            }
        }
    }

    /// What to do about it.
    pub fn remedy(&self) -> String {
        match self {
            Refusal::NoCredentials => t!("script-remedy-no-credentials"),
            Refusal::Cleartext => t!("script-remedy-cleartext"),
            Refusal::UntrustedCertificate => t!("script-remedy-untrusted"),
            Refusal::MechanismNotOffered { .. } => t!("script-remedy-not-offered"),
            Refusal::NothingOffered { stls_first: true } => t!("script-remedy-stls-first"),
            Refusal::NothingOffered { .. } => t!("script-remedy-nothing-offered"),
            Refusal::NoPassword => t!("script-remedy-no-password"),
            Refusal::NoToken { .. } => t!("script-remedy-no-token"),
        }
    }
}

/// What happened to a login attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum LoginKind {
    /// The server said `+OK`.
    Accepted {
        /// The final status line.
        status: StatusLine,
    },
    /// The server said `-ERR` (or the SASL exchange was cancelled).
    Rejected {
        /// The final status line.
        status: StatusLine,
        /// Details from a SASL continuation (XOAUTH2 JSON status), sanitised.
        server_detail: Option<String>,
        /// Why popscope cancelled the SASL exchange, if it did.
        cancelled: Option<String>,
    },
    /// popscope refused to send credentials; nothing was sent.
    NotSent(Refusal),
    /// The exchange broke (timeout, connection closed, nonsense reply).
    Broken {
        /// The error, in words (never a secret).
        error: String,
        /// Whether it was a timeout.
        timeout: bool,
    },
}

/// Everything known about one login attempt; [`diagnose_login`] judges it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LoginResult {
    /// The endpoint label, when the session's recorder has one.
    pub endpoint: Option<String>,
    /// The login name.
    pub user: String,
    /// The method used (or that would have been used).
    pub mechanism: Option<Mechanism>,
    /// How the method was chosen.
    pub selection: Selection,
    /// The methods the server offers on this connection (`USER`, `APOP`,
    /// SASL names); empty when unknown.
    pub offered: Vec<String>,
    /// Whether the server sent a CAPA list.
    pub capa_known: bool,
    /// Whether TLS was active.
    pub tls_active: bool,
    /// Whether the certificate was trusted.
    pub tls_trusted: bool,
    /// What happened (to the last method tried).
    pub kind: LoginKind,
    /// Time from the first login command to the final reply.
    pub duration_ms: Option<u64>,
    /// The methods tried, in order; more than one when `--auth auto` fell
    /// back after a refusal. Empty when nothing was sent. `mechanism` and
    /// `kind` are the last one's, unless the last attempt broke after an
    /// earlier refusal: that refusal is the more telling outcome and is
    /// kept (servers slow down on purpose after a failed login).
    pub tried: Vec<Mechanism>,
    /// What happened to each method of `tried`, in words (`the server
    /// said: -ERR ...`, `it did not complete: ...`; secrets redacted).
    pub attempts: Vec<String>,
    /// A weaker method the fallback did not try because it would show the
    /// password on a connection that is not trusted TLS.
    pub withheld: Option<Mechanism>,
}

impl LoginResult {
    /// Whether the server accepted the login.
    pub fn ok(&self) -> bool {
        matches!(self.kind, LoginKind::Accepted { .. })
    }

    /// A result for a login that was not attempted because there were no
    /// credentials.
    pub fn no_credentials(endpoint: Option<String>, tls_active: bool, tls_trusted: bool) -> Self {
        LoginResult {
            endpoint,
            user: String::new(),
            mechanism: None,
            selection: Selection::Auto,
            offered: Vec::new(),
            capa_known: false,
            tls_active,
            tls_trusted,
            kind: LoginKind::NotSent(Refusal::NoCredentials),
            duration_ms: None,
            tried: Vec::new(),
            attempts: Vec::new(),
            withheld: None,
        }
    }
}

/// Methods whose refusals mean the same thing: the token mechanisms check
/// one token, PLAIN, LOGIN and USER one password against the same back end;
/// CRAM-MD5 and APOP each need a secret of their own on the server (often
/// not set up), so each is a class of its own.
fn verifier(m: Mechanism) -> u8 {
    match m {
        Mechanism::XOauth2 | Mechanism::OauthBearer => 0,
        Mechanism::CramMd5 => 1,
        Mechanism::Apop => 2,
        Mechanism::Plain | Mechanism::Login | Mechanism::User => 3,
    }
}

/// Whether `--auth auto` may try the next method after `status`: a refusal
/// without a response code or with `[AUTH]` (the credentials or the method
/// did not work). `[IN-USE]`, `[LOGIN-DELAY]`, `[SYS/TEMP]`, `[SYS/PERM]` and
/// other codes say that another method would fail the same way (or make it
/// worse), so the login stops there.
fn falls_back(status: &StatusLine) -> bool {
    !status.ok && matches!(status.code, None | Some(ResponseCode::Auth))
}

/// The login methods offered on this connection, as named to users:
/// `USER` (when CAPA lists it, or when there is no CAPA), `APOP` (greeting
/// timestamp) and the SASL mechanisms.
pub fn offered_methods(caps: Option<&Capabilities>, greeting_has_timestamp: bool) -> Vec<String> {
    let mut out = Vec::new();
    if caps.is_none_or(Capabilities::user) {
        out.push("USER".to_string());
    }
    if greeting_has_timestamp {
        out.push("APOP".to_string());
    }
    if let Some(c) = caps {
        for m in c.sasl() {
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    out
}

/// Whether `m` may be tried: offered, or (without CAPA) plausibly so.
fn usable(m: Mechanism, caps: Option<&Capabilities>, has_ts: bool) -> bool {
    match m {
        Mechanism::Apop => has_ts,
        Mechanism::User => caps.is_none_or(Capabilities::user),
        _ => caps.is_none_or(|c| c.sasl().iter().any(|s| s == m.name())),
    }
}

/// Logs in as `creds.user`, or refuses without sending anything (see the
/// module documentation). `caps` is the latest CAPA (inside TLS), `None`
/// when the server has none. Never fails: every outcome is a
/// [`LoginResult`] for [`diagnose_login`].
pub async fn login<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    creds: &Credentials,
    caps: Option<&Capabilities>,
    opts: &LoginOptions,
) -> LoginResult {
    let has_ts = session.apop_timestamp().is_some();
    let offered = offered_methods(caps, has_ts);
    let mut result = LoginResult {
        endpoint: session.recorder().endpoint().map(str::to_string),
        user: creds.user.clone(),
        mechanism: opts.mechanism,
        selection: Selection::Explicit,
        offered,
        capa_known: caps.is_some(),
        tls_active: opts.tls_active,
        tls_trusted: opts.tls_trusted,
        kind: LoginKind::NotSent(Refusal::NoCredentials),
        duration_ms: None,
        tried: Vec::new(),
        attempts: Vec::new(),
        withheld: None,
    };
    let refuse = |mut r: LoginResult, why: Refusal, rec: &crate::transcript::Recorder| {
        rec.note(&t!(
            "script-note-not-logged-in",
            reason = why.message(&r.offered)
        ));
        r.kind = LoginKind::NotSent(why);
        r
    };
    if creds.user.is_empty() {
        return refuse(result, Refusal::NoCredentials, session.recorder());
    }
    if !opts.allow_cleartext {
        if !opts.tls_active {
            return refuse(result, Refusal::Cleartext, session.recorder());
        }
        if !opts.tls_trusted {
            return refuse(result, Refusal::UntrustedCertificate, session.recorder());
        }
    }
    let have_token = creds.token.as_ref().is_some_and(|t| !t.is_empty());
    let have_password = !creds.secret.is_empty();
    let has_secret_for = |m: Mechanism| {
        if m.uses_token() {
            have_token
        } else {
            have_password
        }
    };
    let candidates = match (opts.mechanism, opts.prefer) {
        (Some(m), _) => {
            if !usable(m, caps, has_ts) {
                return refuse(
                    result,
                    Refusal::MechanismNotOffered { wanted: m },
                    session.recorder(),
                );
            }
            vec![m]
        }
        (None, Some(p)) if usable(p, caps, has_ts) && has_secret_for(p) => {
            result.selection = Selection::Profile;
            vec![p]
        }
        (None, _) => {
            result.selection = Selection::Auto;
            let candidates = auto_candidates(caps, has_ts, have_token, have_password);
            if candidates.is_empty() {
                if !have_password && !have_token {
                    return refuse(result, Refusal::NoPassword, session.recorder());
                }
                let stls_first = !opts.tls_active && caps.is_some_and(Capabilities::stls);
                return refuse(
                    result,
                    Refusal::NothingOffered { stls_first },
                    session.recorder(),
                );
            }
            candidates
        }
    };
    let secret_for = |m: Mechanism| {
        if m.uses_token() {
            creds.token.as_ref().filter(|t| !t.is_empty())
        } else {
            Some(&creds.secret).filter(|s| !s.is_empty())
        }
    };
    let first = candidates[0];
    result.mechanism = Some(first);
    if secret_for(first).is_none() {
        let why = if first.uses_token() {
            Refusal::NoToken { mechanism: first }
        } else {
            Refusal::NoPassword
        };
        return refuse(result, why, session.recorder());
    }
    // Not trusted TLS: the fallback never moves from a method that keeps
    // the password off the wire to one that shows it.
    let exposed = !(opts.tls_active && opts.tls_trusted);
    let start = Instant::now();
    let mut i = 0;
    while let Some(&mech) = candidates.get(i) {
        let Some(secret) = secret_for(mech) else {
            break;
        };
        result.tried.push(mech);
        let res = authenticate(session, mech, &creds.user, secret).await;
        let rec = session.recorder();
        let kind = match res {
            Ok(out) if out.ok => LoginKind::Accepted { status: out.status },
            Ok(out) => LoginKind::Rejected {
                status: out.status,
                server_detail: out.server_detail.map(|d| rec.redact(&d)),
                cancelled: out.cancelled,
            },
            Err(e) => LoginKind::Broken {
                timeout: e.is_timeout(),
                error: rec.redact(&e.to_string()),
            },
        };
        result.attempts.push(match &kind {
            LoginKind::Accepted { status } | LoginKind::Rejected { status, .. } => {
                t!("script-attempt-said", status = status.display())
            }
            LoginKind::Broken { error, .. } => t!("script-attempt-broken", error = error),
            LoginKind::NotSent(_) => String::new(),
        });
        if matches!(kind, LoginKind::Broken { .. })
            && matches!(result.kind, LoginKind::Rejected { .. })
        {
            // a fallback broke (often the server's delay after a failed
            // login): the earlier refusal says more
            rec.note(&t!(
                "script-note-fallback-broken",
                mechanism = mech.to_string(),
                refused = result.mechanism.map(Mechanism::name).unwrap_or_default()
            ));
            break;
        }
        result.mechanism = Some(mech);
        result.kind = kind;
        let LoginKind::Rejected {
            status, cancelled, ..
        } = &result.kind
        else {
            break;
        };
        // Methods that check the same secret the same way would be refused
        // the same way: skip them (each refusal counts against the account
        // on many servers), unless popscope cancelled the exchange, which
        // says nothing about the credentials.
        let next_at = candidates
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, m)| cancelled.is_some() || verifier(**m) != verifier(mech))
            .map(|(j, _)| j);
        let Some(next_at) = next_at else {
            break;
        };
        let next = candidates[next_at];
        i = next_at;
        if result.selection != Selection::Auto || !falls_back(status) {
            break;
        }
        if exposed && !mech.exposes_password() && next.exposes_password() {
            rec.note(&t!(
                "script-note-withheld",
                mechanism = mech.to_string(),
                next = next.to_string()
            ));
            result.withheld = Some(next);
            break;
        }
        rec.note(&t!(
            "script-note-fallback",
            mechanism = mech.to_string(),
            next = next.to_string()
        ));
    }
    result.duration_ms = Some(start.elapsed().as_millis() as u64);
    result
}

/// A provider message and what it means.
struct Hint {
    /// Lower-case substrings of the server's text (any one matches).
    needles: &'static [&'static str],
    /// Who sends it, when it is provider-specific.
    provider: Option<&'static str>,
    /// Names its messages: `script-hint-<id>-meaning` (what it means) and
    /// `script-hint-<id>-remedy` (what to tell the user).
    id: &'static str,
}

impl Hint {
    /// What the message means, in the current language.
    fn meaning(&self) -> String {
        crate::i18n::tr(&format!("script-hint-{}-meaning", self.id), &[])
    }

    /// What to tell the user, in the current language.
    fn remedy(&self) -> String {
        crate::i18n::tr(&format!("script-hint-{}-remedy", self.id), &[])
    }

    /// Who sends it, for prose (the JSON keeps [`Hint::provider`]).
    fn provider_shown(&self) -> Option<String> {
        self.provider.map(|p| match p {
            "Yahoo, AOL and others" => t!("script-provider-others"),
            p => p.to_string(),
        })
    }
}

/// Known server messages, most specific first.
const HINTS: &[Hint] = &[
    Hint {
        needles: &[
            "application-specific password required",
            "application specific password required",
        ],
        provider: Some("Gmail"),
        id: "google-app-password",
    },
    Hint {
        needles: &[
            "web login required",
            "log in via your web browser",
            "login via your web browser",
            "sign in via your web browser",
        ],
        provider: Some("Gmail"),
        id: "google-web-login",
    },
    Hint {
        needles: &["username and password not accepted"],
        provider: Some("Gmail"),
        id: "google-rejected",
    },
    Hint {
        needles: &[
            "basicauthblocked",
            "basic authentication is disabled",
            "basic auth is disabled",
            "basic authentication disabled",
        ],
        provider: Some("Microsoft 365 / Outlook.com"),
        id: "microsoft-basic-auth",
    },
    Hint {
        needles: &[
            "logon failure: unknown user name or bad password",
            "authenticate failed",
        ],
        provider: Some("Microsoft 365 / Outlook.com / Exchange"),
        id: "exchange-rejected",
    },
    Hint {
        needles: &[
            "pop3 is disabled",
            "pop is disabled",
            "pop access is disabled",
            "pop3 access is disabled",
            "pop3 access disabled",
            "pop access disabled",
            "pop3 disabled",
            "pop disabled",
            "pop3 is not enabled",
            "pop is not enabled",
            "pop not enabled",
        ],
        provider: None,
        id: "pop-disabled",
    },
    Hint {
        needles: &[
            "plaintext authentication disallowed",
            "plaintext authentication disabled",
            "plaintext authentication not allowed",
            "plaintext disallowed",
            "cleartext logins not permitted",
            "cleartext authentication disallowed",
            "tls required",
            "ssl required",
            "encryption required",
        ],
        provider: None,
        id: "tls-required",
    },
    Hint {
        needles: &["invalid credentials"],
        provider: Some("Yahoo, AOL and others"),
        id: "invalid-credentials",
    },
];

/// The first known message that `text` contains.
fn hint_for(text: &str) -> Option<&'static Hint> {
    let lower = text.to_ascii_lowercase();
    HINTS
        .iter()
        .find(|h| h.needles.iter().any(|n| lower.contains(n)))
}

/// The remedy for a response code.
fn code_remedy(code: &ResponseCode) -> String {
    match code {
        ResponseCode::Auth => t!("script-code-remedy-auth"),
        ResponseCode::InUse => t!("script-code-remedy-in-use"),
        ResponseCode::LoginDelay => t!("script-code-remedy-login-delay"),
        ResponseCode::SysTemp => t!("script-code-remedy-sys-temp"),
        ResponseCode::SysPerm => t!("script-code-remedy-sys-perm"),
        ResponseCode::Utf8 => t!("script-code-remedy-utf8"),
        ResponseCode::Other(_) => t!("script-code-remedy-other"),
    }
}

/// Judges a login attempt as the `auth.login` check (see `docs/checks.md`).
///
/// - **pass**: logged in inside trusted TLS;
/// - **warn**: logged in, but the credentials crossed an unencrypted
///   connection or TLS with an untrusted certificate (`--allow-cleartext-auth`);
/// - **fail**: refused by the server (with the code's meaning and any known
///   provider message turned into a remedy), refused by popscope before
///   sending (cleartext, untrusted certificate, method not offered, missing
///   secret), or the exchange broke;
/// - **skip**: no credentials were given.
pub fn diagnose_login(result: &LoginResult) -> Check {
    let mech = result.mechanism.map(Mechanism::name);
    let mut data = serde_json::json!({
        "user": result.user,
        "mechanism": mech,
        "selection": result.selection,
        "offered": result.offered,
        "tls": result.tls_active,
        "tls_trusted": result.tls_trusted,
        "tried": result.tried,
    });
    if let Some(w) = result.withheld {
        data["withheld"] = w.name().into();
    }
    let ep = result.endpoint.clone();
    let how = mech
        .map(|m| format!(" {}", t!("script-login-with", mechanism = m)))
        .unwrap_or_default();
    // `--auth auto` fell back: the other methods tried, and what happened
    // to each method.
    let fell_back = result.tried.len() > 1;
    let others: Vec<&str> = result
        .tried
        .iter()
        .filter(|m| Some(**m) != result.mechanism)
        .map(|m| m.name())
        .collect();
    let earlier = others.join(", ");
    let tried_note = if fell_back {
        let steps = result
            .tried
            .iter()
            .zip(&result.attempts)
            .map(|(m, a)| format!("{m} ({a})"))
            .collect::<Vec<_>>()
            .join(&format!(", {} ", t!("script-login-then")));
        format!(" {}", t!("script-login-tried", steps = steps))
    } else {
        String::new()
    };
    let withheld_note = result
        .withheld
        .map(|w| {
            format!(
                " {}",
                t!(
                    "script-login-withheld",
                    mechanism = w.to_string(),
                    flag = w.name().to_ascii_lowercase()
                )
            )
        })
        .unwrap_or_default();
    let check = match &result.kind {
        LoginKind::Accepted { status } => {
            data["server_text"] = status.text.clone().into();
            let exposed = !result.tls_active || !result.tls_trusted;
            if exposed {
                let channel = if result.tls_active {
                    t!("script-login-channel-untrusted")
                } else {
                    t!("script-login-channel-clear")
                };
                let what = if result.mechanism.is_some_and(Mechanism::exposes_password) {
                    t!("script-login-exposed-password")
                } else {
                    t!("script-login-exposed-challenge")
                };
                Check::new(
                    CHECK_ID,
                    Status::Warn,
                    ep,
                    t!(
                        "script-login-over",
                        user = &result.user,
                        how = &how,
                        channel = channel
                    ),
                )
                .detail(format!(
                    "{}{tried_note}",
                    t!(
                        "script-login-exposed-detail",
                        status = status.display(),
                        what = what
                    )
                ))
                .remedy(t!("script-login-exposed-remedy"))
            } else {
                let after = if fell_back {
                    format!(
                        " {}",
                        t!(
                            "script-login-after",
                            earlier = &earlier,
                            count = others.len()
                        )
                    )
                } else {
                    String::new()
                };
                Check::new(
                    CHECK_ID,
                    Status::Pass,
                    ep,
                    t!(
                        "script-login-ok",
                        user = &result.user,
                        how = &how,
                        after = after
                    ),
                )
                .detail(format!("{}{tried_note}", status.display()))
            }
        }
        LoginKind::Rejected {
            status,
            server_detail,
            cancelled,
        } => {
            data["server_text"] = status.text.clone().into();
            data["code"] = status.code.as_ref().map(|c| c.as_str().to_string()).into();
            let hint =
                hint_for(&status.text).or_else(|| server_detail.as_deref().and_then(hint_for));
            let mut detail = vec![t!("script-login-server-said", status = status.display())];
            if let Some(code) = &status.code {
                detail.push(code.explain());
            }
            if let Some(h) = hint {
                data["provider"] = h.provider.into();
                detail.push(match h.provider_shown() {
                    Some(p) => t!(
                        "script-login-known-message",
                        provider = p,
                        meaning = h.meaning()
                    ),
                    None => t!("script-login-message-means", meaning = h.meaning()),
                });
            }
            if let Some(d) = server_detail {
                detail.push(t!("script-login-sasl-detail", detail = d));
                data["server_detail"] = d.clone().into();
            }
            if let Some(c) = cancelled {
                detail.push(t!("script-login-cancelled", reason = c));
            }
            if fell_back {
                detail.push(tried_note.trim().to_string());
            }
            if !withheld_note.is_empty() {
                detail.push(withheld_note.trim().to_string());
            }
            let remedy = match (hint, &status.code) {
                (Some(h), _) => h.remedy(),
                (None, Some(code)) => code_remedy(code),
                (None, None) if cancelled.is_some() => t!("script-login-remedy-sasl-broken"),
                (None, None) => t!("script-login-remedy-no-code"),
            };
            let what = match (&status.code, hint) {
                (Some(code), _) if !matches!(code, ResponseCode::Auth | ResponseCode::Other(_)) => {
                    format!(" ({})", code_meaning(code))
                }
                (_, Some(h)) => format!(" ({})", h.meaning()),
                _ => String::new(),
            };
            Check::new(
                CHECK_ID,
                Status::Fail,
                ep,
                t!(
                    "script-login-refused",
                    user = &result.user,
                    how = &how,
                    status = status.display(),
                    what = what,
                    also = if fell_back {
                        format!(" ({})", t!("script-login-also-tried", methods = &earlier))
                    } else {
                        String::new()
                    }
                ),
            )
            .detail(detail.join(" "))
            .remedy(remedy)
        }
        LoginKind::NotSent(refusal) => {
            data["refusal"] = serde_json::to_value(refusal).unwrap_or_default();
            let status = if *refusal == Refusal::NoCredentials {
                Status::Skip
            } else {
                Status::Fail
            };
            let summary = if *refusal == Refusal::NoCredentials {
                t!("script-login-not-attempted-no-credentials")
            } else {
                t!(
                    "script-login-not-attempted",
                    reason = refusal.message(&result.offered)
                )
            };
            Check::new(CHECK_ID, status, ep, summary)
                .detail(match refusal {
                    Refusal::NoCredentials => String::new(),
                    _ => t!("script-login-nothing-sent"),
                })
                .remedy(refusal.remedy())
        }
        LoginKind::Broken { error, timeout } => {
            data["error"] = error.clone().into();
            data["timeout"] = (*timeout).into();
            Check::new(
                CHECK_ID,
                Status::Fail,
                ep,
                t!(
                    "script-login-broken",
                    user = &result.user,
                    how = &how,
                    error = error
                ),
            )
            .detail(tried_note.trim().to_string())
            .remedy(if *timeout {
                t!("script-login-remedy-timeout")
            } else {
                t!("script-login-remedy-broken")
            })
        }
    };
    let duration = result.duration_ms;
    let mut check = check.data(data);
    check.duration_ms = duration;
    check
}

/// A short phrase for a response code, for summaries.
fn code_meaning(code: &ResponseCode) -> String {
    match code {
        ResponseCode::Auth => t!("script-code-meaning-auth"),
        ResponseCode::InUse => t!("script-code-meaning-in-use"),
        ResponseCode::LoginDelay => t!("script-code-meaning-login-delay"),
        ResponseCode::SysTemp => t!("script-code-meaning-sys-temp"),
        ResponseCode::SysPerm => t!("script-code-meaning-sys-perm"),
        ResponseCode::Utf8 => t!("script-code-meaning-utf8"),
        ResponseCode::Other(_) => t!("script-code-meaning-other"),
    }
}

#[cfg(test)]
mod tests;
