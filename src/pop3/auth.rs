//! Logging in: USER/PASS, APOP and the SASL mechanisms PLAIN, LOGIN,
//! CRAM-MD5, XOAUTH2 and OAUTHBEARER (RFC 1939, RFC 5034, RFC 2195,
//! RFC 7628).
//!
//! The pure functions build the exact bytes each mechanism sends;
//! [`authenticate`] runs a mechanism over a [`Session`]. Every line that
//! carries a secret (the PASS argument, the APOP digest, every SASL payload
//! including continuation responses, tokens) is recorded redacted, and
//! every form of the secret that goes on the wire is registered with the
//! session's recorder ([`register_secret_forms`]) before it is sent, so a
//! server that echoes it back has it redacted too.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::pop3::capa::Capabilities;
use crate::pop3::response::{Reply, StatusLine};
use crate::pop3::session::{Pop3Error, Session};
use crate::transcript::{REDACTED, Recorder, sanitize};

/// RFC 5034 (via RFC 2449): an AUTH command line, CRLF included, may not be
/// longer than this; a longer initial response is sent after an empty `+`.
const MAX_AUTH_LINE: usize = 255;

/// More server challenges than any supported mechanism needs: cancel.
const MAX_CHALLENGES: usize = 4;

/// A password or token. Its `Debug` and `Display` print `********`, and it
/// cannot be serialised, so it does not leak into logs or reports.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret itself, for building what goes on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

/// A login method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// `USER` + `PASS`: the password in clear text (RFC 1939).
    User,
    /// `APOP`: MD5 of the greeting timestamp and the password (RFC 1939).
    Apop,
    /// SASL `PLAIN`: the password in base64, i.e. in clear (RFC 4616).
    Plain,
    /// SASL `LOGIN`: user name and password in base64, i.e. in clear.
    Login,
    /// SASL `CRAM-MD5`: HMAC-MD5 of a server challenge (RFC 2195).
    CramMd5,
    /// SASL `XOAUTH2`: an OAuth 2.0 bearer token (Google, Microsoft).
    XOauth2,
    /// SASL `OAUTHBEARER`: an OAuth 2.0 bearer token (RFC 7628).
    OauthBearer,
}

/// A login method name popscope does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown login method \"{0}\": use auto, user, apop, plain, login, cram-md5, xoauth2 or oauthbearer"
)]
pub struct UnknownMechanism(pub String);

impl Mechanism {
    /// Every mechanism, strongest first as [`choose_auto`] ranks them (the
    /// token mechanisms, then the password ones).
    pub const ALL: [Mechanism; 7] = [
        Mechanism::XOauth2,
        Mechanism::OauthBearer,
        Mechanism::CramMd5,
        Mechanism::Apop,
        Mechanism::Plain,
        Mechanism::Login,
        Mechanism::User,
    ];

    /// The protocol name: `USER`, `APOP`, or the SASL name (`CRAM-MD5`).
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::User => "USER",
            Mechanism::Apop => "APOP",
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
            Mechanism::CramMd5 => "CRAM-MD5",
            Mechanism::XOauth2 => "XOAUTH2",
            Mechanism::OauthBearer => "OAUTHBEARER",
        }
    }

    /// Parses a command-line choice, case-insensitively: `auto` gives
    /// `Ok(None)`, otherwise `user`, `apop`, `plain`, `login`, `cram-md5`,
    /// `xoauth2` or `oauthbearer`.
    pub fn parse(s: &str) -> Result<Option<Mechanism>, UnknownMechanism> {
        if s.trim().eq_ignore_ascii_case("auto") {
            return Ok(None);
        }
        s.parse().map(Some)
    }

    /// Whether this is a SASL mechanism (sent with `AUTH`).
    pub fn is_sasl(self) -> bool {
        !matches!(self, Mechanism::User | Mechanism::Apop)
    }

    /// Whether the secret is an OAuth access token rather than a password.
    pub fn uses_token(self) -> bool {
        matches!(self, Mechanism::XOauth2 | Mechanism::OauthBearer)
    }

    /// Whether the password can be read by anyone who sees the connection
    /// (USER, PLAIN, LOGIN): only acceptable inside TLS.
    pub fn exposes_password(self) -> bool {
        matches!(self, Mechanism::User | Mechanism::Plain | Mechanism::Login)
    }
}

impl FromStr for Mechanism {
    type Err = UnknownMechanism;

    /// Parses a mechanism name (case-insensitive; `auto` is not accepted
    /// here, see [`Mechanism::parse`]).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Mechanism::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownMechanism(sanitize(t.as_bytes())))
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Mechanism {
    fn serialize<Ser: serde::Serializer>(&self, s: Ser) -> Result<Ser::Ok, Ser::Error> {
        s.serialize_str(self.name())
    }
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The APOP digest (RFC 1939): lower-case hex MD5 of the greeting's
/// `timestamp` (with its angle brackets) followed by the shared secret.
pub fn apop_digest(timestamp: &str, secret: &str) -> String {
    let mut h = Md5::new();
    h.update(timestamp.as_bytes());
    h.update(secret.as_bytes());
    hex(&h.finalize())
}

/// The SASL PLAIN initial response (RFC 4616), base64 of
/// `authzid NUL user NUL secret` (`authzid` is usually empty).
pub fn plain_initial(authzid: &str, user: &str, secret: &str) -> String {
    B64.encode(format!("{authzid}\0{user}\0{secret}"))
}

/// `user hexdigest` for a decoded CRAM-MD5 challenge.
fn cram_md5_answer(user: &str, secret: &str, challenge: &[u8]) -> String {
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(challenge);
    format!("{user} {}", hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
/// The CRAM-MD5 response (RFC 2195) to a base64 challenge, before base64
/// encoding: `user` and the HMAC-MD5 of the challenge keyed with the
/// secret, in hex. `None` when the challenge is not valid base64.
pub fn cram_md5_response(user: &str, secret: &str, challenge_b64: &str) -> Option<String> {
    let challenge = B64.decode(challenge_b64.trim()).ok()?;
    Some(cram_md5_answer(user, secret, &challenge))
}

/// The XOAUTH2 initial response, base64 of
/// `user=USER ^A auth=Bearer TOKEN ^A ^A`.
pub fn xoauth2_initial(user: &str, token: &str) -> String {
    B64.encode(format!("user={user}\x01auth=Bearer {token}\x01\x01"))
}

/// The OAUTHBEARER initial response (RFC 7628), base64 of
/// `n,a=USER, ^A auth=Bearer TOKEN ^A ^A` (`,` and `=` in the user name are
/// escaped as `=2C` and `=3D`).
pub fn oauthbearer_initial(user: &str, token: &str) -> String {
    let saslname = user.replace('=', "=3D").replace(',', "=2C");
    B64.encode(format!("n,a={saslname},\x01auth=Bearer {token}\x01\x01"))
}

/// Picks the strongest login method the server offers.
///
/// With a token (`have_token`): `XOAUTH2`, then `OAUTHBEARER`, as offered in
/// the SASL capability; when the server sent no CAPA, `XOAUTH2` is tried;
/// otherwise `None` (a token is useless for the other methods).
///
/// With a password, in this order, the first one offered:
/// 1. `CRAM-MD5` (SASL): challenge–response, the password never crosses the
///    wire;
/// 2. `APOP` (a `<...>` timestamp in the greeting): the same idea, older;
/// 3. `PLAIN` (SASL), then 4. `LOGIN` (SASL): the password in base64, fine
///    inside TLS;
/// 5. `USER`/`PASS` when CAPA lists `USER`, or when there was no CAPA at all
///    (pre-RFC 2449 servers nearly all support it).
///
/// `None` means the server announced no usable method on this connection,
/// which usually means it wants STLS first.
#[cfg(test)]
pub fn choose_auto(
    caps: Option<&Capabilities>,
    greeting_has_timestamp: bool,
    have_token: bool,
) -> Option<Mechanism> {
    auto_candidates(caps, greeting_has_timestamp, have_token, !have_token)
        .first()
        .copied()
}

/// Every login method `--auth auto` may try, strongest first: the order of
/// [`choose_auto`], continued with the weaker methods the server also
/// offers. With a token (`have_token`), the token mechanisms offered
/// (`XOAUTH2` alone when there was no CAPA); with a password
/// (`have_password`), then `CRAM-MD5`, `APOP`, `PLAIN`, `LOGIN` and
/// `USER`, each only when offered (as [`choose_auto`] decides it). The
/// first element is what [`choose_auto`] picks; the login falls back along
/// the rest when a method is refused as an authentication failure.
pub fn auto_candidates(
    caps: Option<&Capabilities>,
    greeting_has_timestamp: bool,
    have_token: bool,
    have_password: bool,
) -> Vec<Mechanism> {
    let sasl = caps.map(Capabilities::sasl).unwrap_or_default();
    let offers = |m: Mechanism| sasl.iter().any(|s| s == m.name());
    let mut out = Vec::new();
    if have_token {
        if caps.is_none() {
            out.push(Mechanism::XOauth2);
        } else {
            out.extend(
                [Mechanism::XOauth2, Mechanism::OauthBearer]
                    .into_iter()
                    .filter(|m| offers(*m)),
            );
        }
    }
    if have_password {
        for m in [
            Mechanism::CramMd5,
            Mechanism::Apop,
            Mechanism::Plain,
            Mechanism::Login,
            Mechanism::User,
        ] {
            let ok = match m {
                Mechanism::Apop => greeting_has_timestamp,
                Mechanism::User => caps.is_none_or(Capabilities::user),
                _ => offers(m),
            };
            if ok {
                out.push(m);
            }
        }
    }
    out
}

/// The forms of `secret` that popscope may send as `user`, whatever the
/// mechanism: the secret itself, its base64 (LOGIN; with and without
/// padding), the PLAIN initial response, and the XOAUTH2 and OAUTHBEARER
/// initial responses (when the secret is a token). The APOP and CRAM-MD5
/// digests are not secret (they prove knowledge of the password without
/// revealing it) and are not listed.
pub fn secret_forms(user: &str, secret: &str) -> Vec<String> {
    if secret.is_empty() {
        return Vec::new();
    }
    let b64 = B64.encode(secret);
    let unpadded = b64.trim_end_matches('=').to_string();
    vec![
        secret.to_string(),
        b64,
        unpadded,
        plain_initial("", user, secret),
        plain_initial(user, user, secret),
        xoauth2_initial(user, secret),
        oauthbearer_initial(user, secret),
    ]
}

/// Registers every form of `secret` ([`secret_forms`]) with `recorder`
/// (a session's): no line recorded afterwards (server replies included)
/// and no status text read afterwards shows them.
pub fn register_secret_forms(recorder: &Recorder, user: &str, secret: &Secret) {
    for form in secret_forms(user, secret.expose()) {
        recorder.add_secret(&form);
    }
}

/// The result of a login attempt that reached a final reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthOutcome {
    /// Whether the server accepted the login.
    pub ok: bool,
    /// The final `+OK`/`-ERR` line.
    pub status: StatusLine,
    /// The method used.
    pub mechanism: Mechanism,
    /// Error details the server sent in a SASL continuation (the decoded
    /// XOAUTH2/OAUTHBEARER JSON status), sanitised.
    pub server_detail: Option<String>,
    /// Why popscope cancelled the SASL exchange with `*`, if it did.
    pub cancelled: Option<String>,
}

/// What to do with a SASL challenge.
enum Next {
    /// Send this secret-bearing line (recorded as `********`).
    Secret(String),
    /// Send this line as is (it carries nothing secret).
    Plain(String),
    /// Cancel the exchange with `*`, for this reason.
    Cancel(String),
}

/// Logs in with `mech` as `user`. A refused login is `Ok` with
/// `ok == false`; `Err` means the exchange itself broke (timeout, closed
/// connection, nonsense reply) or APOP was asked for without a greeting
/// timestamp.
pub async fn authenticate<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    mech: Mechanism,
    user: &str,
    secret: &Secret,
) -> Result<AuthOutcome, Pop3Error> {
    let pw = secret.expose();
    register_secret_forms(session.recorder(), user, secret);
    let outcome = |status: StatusLine| AuthOutcome {
        ok: status.ok,
        status,
        mechanism: mech,
        server_detail: None,
        cancelled: None,
    };
    match mech {
        Mechanism::User => {
            let st = session.command(&format!("USER {user}")).await?;
            if !st.ok {
                return Ok(outcome(st));
            }
            let st = session
                .command_secret("PASS", &format!("PASS {pw}"))
                .await?;
            Ok(outcome(st))
        }
        Mechanism::Apop => {
            let Some(ts) = session.apop_timestamp() else {
                return Err(Pop3Error::Protocol {
                    op: "APOP".into(),
                    detail:
                        "the greeting has no <...> timestamp, so the server does not offer APOP"
                            .into(),
                });
            };
            let digest = apop_digest(&ts, pw);
            let st = session
                .command_secret(&format!("APOP {user}"), &format!("APOP {user} {digest}"))
                .await?;
            Ok(outcome(st))
        }
        Mechanism::Plain => {
            let ir = plain_initial("", user, pw);
            sasl(session, mech, Some(ir), |_, _| {
                Next::Cancel("the server sent a challenge although PLAIN needs none".into())
            })
            .await
        }
        Mechanism::Login => {
            sasl(session, mech, None, |step, _| match step {
                0 => Next::Secret(B64.encode(user)),
                1 => Next::Secret(B64.encode(pw)),
                _ => {
                    Next::Cancel("the server asked for more than a user name and a password".into())
                }
            })
            .await
        }
        Mechanism::CramMd5 => {
            sasl(session, mech, None, |step, challenge| match step {
                0 => Next::Secret(B64.encode(cram_md5_answer(user, pw, challenge))),
                _ => Next::Cancel("the server sent a second CRAM-MD5 challenge".into()),
            })
            .await
        }
        Mechanism::XOauth2 | Mechanism::OauthBearer => {
            let ir = if mech == Mechanism::XOauth2 {
                xoauth2_initial(user, pw)
            } else {
                oauthbearer_initial(user, pw)
            };
            // A challenge here carries the JSON error status; the client
            // answers with an empty line (XOAUTH2) or ^A (RFC 7628 3.2.3)
            // to receive the final -ERR.
            let reply = if mech == Mechanism::XOauth2 {
                String::new()
            } else {
                B64.encode([1u8])
            };
            sasl(session, mech, Some(ir), |step, _| match step {
                0 => Next::Plain(reply.clone()),
                _ => Next::Cancel("the server kept sending challenges after its error".into()),
            })
            .await
        }
    }
}

/// Runs a SASL exchange (RFC 5034): `AUTH MECH [initial-response]`, then
/// `+ ` challenges answered by `respond(step, decoded_challenge)`.
async fn sasl<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    mech: Mechanism,
    initial: Option<String>,
    mut respond: impl FnMut(usize, &[u8]) -> Next,
) -> Result<AuthOutcome, Pop3Error> {
    let name = mech.name();
    let verb = format!("AUTH {name}");
    let mut pending_initial = None;
    match initial {
        Some(ir) if verb.len() + 1 + ir.len() + 2 <= MAX_AUTH_LINE => {
            session.send_secret(&verb, &format!("{verb} {ir}")).await?;
        }
        Some(ir) => {
            // too long for the command line: wait for an empty challenge
            session.recorder().note(
                "the initial response is too long for the AUTH line (RFC 5034), so it follows the server's empty challenge",
            );
            session.send_line(&verb).await?;
            pending_initial = Some(ir);
        }
        None => session.send_line(&verb).await?,
    }
    let what = crate::pop3::reader::what_reply(&verb);
    let mut step = 0;
    let mut detail = None;
    let mut cancelled: Option<String> = None;
    loop {
        let payload = match session.read_reply(&what).await? {
            Reply::Status(status) => {
                return Ok(AuthOutcome {
                    ok: status.ok,
                    status,
                    mechanism: mech,
                    server_detail: detail,
                    cancelled,
                });
            }
            Reply::Continuation(p) => p,
        };
        if cancelled.is_some() {
            return Err(Pop3Error::Protocol {
                op: verb,
                detail: "the server went on with the exchange after popscope cancelled it".into(),
            });
        }
        let next = if let Some(ir) = pending_initial.take() {
            if payload.is_empty() {
                Next::Secret(ir)
            } else {
                Next::Cancel("the server sent a challenge where an empty one was expected".into())
            }
        } else if step >= MAX_CHALLENGES {
            Next::Cancel("the server sent too many challenges".into())
        } else {
            match B64.decode(&payload) {
                Err(_) => Next::Cancel("the server's challenge is not valid base64".into()),
                Ok(challenge) => {
                    if mech.uses_token() {
                        let text = session.recorder().redact(&sanitize(&challenge));
                        session
                            .recorder()
                            .note(&format!("the server's error details: {text}"));
                        detail = Some(text);
                    }
                    let next = respond(step, &challenge);
                    step += 1;
                    next
                }
            }
        };
        match next {
            Next::Secret(line) => session.send_secret("", &line).await?,
            Next::Plain(line) => session.send_line(&line).await?,
            Next::Cancel(reason) => {
                session
                    .recorder()
                    .note(&format!("popscope cancels the {name} exchange: {reason}"));
                session.send_line("*").await?;
                cancelled = Some(reason);
            }
        }
    }
}

#[cfg(test)]
mod tests;
