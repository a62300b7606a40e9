//! The login session: after the probes, one connection to the best secure
//! endpoint replays a dialogue profile ([`crate::script`]) with the user's
//! credentials. One session per run: a second login could trip `[IN-USE]` or
//! LOGIN-DELAY.

use std::net::SocketAddr;

use serde_json::json;
use tokio::io::{AsyncRead, AsyncWrite};

use super::engine::{Handover, LegCtx, tls_kind};
use super::outcome::{ChainFinding, LegOutcome, Stls};
use super::plan::LegPlan;
use super::tcp;
use super::tls;
use crate::config::LoginConfig;
use crate::i18n::t;
use crate::model::{Check, CheckId, Security, Status};
use crate::pop3::auth::Secret;
use crate::pop3::reader::Limits;
use crate::pop3::session::Session;
use crate::script::{Credentials, DialogueOutcome, Profile, ReplayOptions, replay};
use crate::transcript::{Line, Recorder};

/// What the login session produced.
#[derive(Debug, Clone)]
pub struct DialogueRun {
    /// Endpoint used (None when no endpoint was usable).
    pub endpoint: Option<SocketAddr>,
    /// The replay's outcome, when a session ran.
    pub outcome: Option<DialogueOutcome>,
    /// A check explaining why no session ran (or why it broke early).
    pub failure: Option<Check>,
    /// Transcript of the session's connection.
    pub transcript: Vec<Line>,
}

impl DialogueRun {
    /// Every check of the session.
    pub fn checks(&self) -> Vec<Check> {
        let mut v: Vec<Check> = self.failure.iter().cloned().collect();
        if let Some(o) = &self.outcome {
            v.extend(o.all_checks());
        }
        v
    }
}

fn fail(
    endpoint: Option<SocketAddr>,
    summary: String,
    remedy: &str,
    rec: &Recorder,
) -> DialogueRun {
    rec.note(&summary);
    DialogueRun {
        endpoint,
        outcome: None,
        failure: Some(
            Check::new(
                CheckId::AuthLogin,
                Status::Fail,
                endpoint.map(|e| e.to_string()),
                summary,
            )
            .remedy(remedy)
            .data(json!({"sent": false})),
        ),
        transcript: rec.lines(),
    }
}

/// The endpoint the login session will use, among `legs` (None: none is
/// usable): the same choice [`run`] makes.
pub fn endpoint(legs: &[LegOutcome], login: Option<&LoginConfig>) -> Option<SocketAddr> {
    choose(legs, login.is_some_and(|l| l.allow_cleartext)).map(|l| l.addr)
}

/// Picks the endpoint: implicit TLS first, then STLS; plain only when
/// cleartext is allowed. Trusted chains are preferred.
fn choose(legs: &[LegOutcome], allow_cleartext: bool) -> Option<&LegOutcome> {
    let trusted = |l: &&LegOutcome| matches!(&l.tls, Some(Ok(s)) if s.verify_error.is_none());
    let implicit = |l: &&LegOutcome| l.security == Security::ImplicitTls && l.works_with_tls();
    let stls = |l: &&LegOutcome| l.security == Security::Plain && l.works_with_tls();
    legs.iter()
        .find(|l| implicit(l) && trusted(l))
        .or_else(|| legs.iter().find(|l| stls(l) && trusted(l)))
        .or_else(|| legs.iter().find(implicit))
        .or_else(|| legs.iter().find(stls))
        .or_else(|| {
            allow_cleartext
                .then(|| {
                    legs.iter().find(|l| {
                        matches!(l.greeting, Some((super::outcome::Greeting::Ok { .. }, _)))
                    })
                })
                .flatten()
        })
}

/// When the endpoint's certificate is trusted and in date but issued for
/// another name: the refusal's words (summary, remedy). The login is not
/// tried (a client checking the name refuses this connection too), and the
/// way out is the name the certificate lists, never clear text.
fn wrong_name_refusal(leg: &LegOutcome) -> Option<(String, String)> {
    let Some(Ok(s)) = &leg.tls else { return None };
    let n = s.name.as_ref()?;
    if n.valid || s.verify_error.is_none() {
        return None;
    }
    if !matches!(s.chain, ChainFinding::Trusted | ChainFinding::Deferred(_)) {
        return None;
    }
    let now = time::OffsetDateTime::now_utc();
    if s.not_after.is_some_and(|t| t < now) || s.not_before.is_some_and(|t| t > now) {
        return None;
    }
    // Prefer a name that resolves to this very address.
    let other = n
        .alternatives
        .iter()
        .find(|(_, same)| *same)
        .map(|(x, _)| x.clone())
        .or_else(|| n.names.iter().find(|x| !x.contains('*')).cloned())
        .or_else(|| n.names.first().cloned())?;
    let valid_for = n.names.join(", ");
    let same = n.alternatives.iter().any(|(x, same)| *same && *x == other);
    let summary = t!(
        "probe-login-wrong-name-summary",
        valid_for = &valid_for,
        name = &n.name
    );
    let remedy = if same {
        t!(
            "probe-login-wrong-name-same-address-remedy",
            other = &other,
            address = leg.addr.ip().to_string(),
            name = &n.name
        )
    } else {
        t!(
            "probe-login-wrong-name-remedy",
            other = &other,
            name = &n.name
        )
    };
    Some((summary, remedy))
}

/// Runs the dialogue after the probes: on `reuse`, the connection the
/// chosen endpoint's leg kept open (TLS with a trusted chain and name,
/// greeting and CAPA read), else on a new connection.
pub async fn run(
    ctx: &LegCtx,
    legs: &[LegOutcome],
    plans: &[LegPlan],
    login: Option<&LoginConfig>,
    profile: &Profile,
    reuse: Option<Handover>,
) -> DialogueRun {
    let Some(leg) = choose(legs, login.is_some_and(|l| l.allow_cleartext)) else {
        let rec = Recorder::new(None, ctx.start, ctx.line_sink());
        return fail(
            None,
            t!("probe-login-no-tls-endpoint-summary"),
            &t!("probe-login-no-tls-endpoint-remedy"),
            &rec,
        );
    };
    let label = leg.addr.to_string();
    let rec = Recorder::new(Some(label.clone()), ctx.start, ctx.line_sink());
    if let Some((summary, remedy)) = wrong_name_refusal(leg) {
        return fail(Some(leg.addr), summary, &remedy, &rec);
    }
    let Some(plan) = plans.iter().find(|p| p.addr == leg.addr) else {
        return fail(Some(leg.addr), t!("probe-login-no-plan"), "", &rec);
    };
    let creds = login.map(|l| Credentials {
        user: l.user.clone(),
        secret: l
            .password
            .clone()
            .unwrap_or_else(|| Secret::new(String::new())),
        token: l.token.clone(),
    });
    let max_bytes = login.map(|l| l.max_bytes).unwrap_or(1_048_576);
    let limits = Limits {
        max_bytes,
        ..Limits::default()
    };
    let mut opts = ReplayOptions {
        allow_delete: login.is_some_and(|l| l.allow_delete),
        allow_cleartext: login.is_some_and(|l| l.allow_cleartext),
        mechanism: login.and_then(|l| l.mechanism),
        tls_active: false,
        tls_trusted: false,
        max_bytes: Some(max_bytes),
        // The capabilities the probe saw on this endpoint (inside TLS when
        // there is TLS): mechanism choice and pipelining without asking again.
        caps: leg
            .capa_tls
            .as_ref()
            .or(leg.capa_plain.as_ref())
            .and_then(|(c, _)| c.capabilities()),
        capa_reply: None,
    };
    let trusted = matches!(&leg.tls, Some(Ok(t)) if t.verify_error.is_none());
    if let Some(h) = reuse.filter(|h| h.addr == leg.addr && trusted && leg.works_with_tls()) {
        rec.note(&text::continues(&label, &profile.name));
        for l in h.lines_so_far() {
            rec.record_kind(l.dir, l.kind, l.text.as_bytes());
        }
        opts.tls_active = true;
        opts.tls_trusted = true;
        opts.capa_reply = h.capa;
        let mut s = h.session.hand_over(rec.clone(), ctx.step(), limits);
        let outcome = session_replay(&mut s, profile, creds.as_ref(), opts).await;
        return DialogueRun {
            endpoint: Some(leg.addr),
            outcome: Some(outcome),
            failure: None,
            transcript: rec.lines(),
        };
    }
    rec.note(&text::new_connection(&label, &profile.name));
    let (tcp, _) = match tcp::connect(leg.addr, ctx.step()).await {
        Ok(x) => x,
        Err(f) => {
            return fail(
                Some(leg.addr),
                t!("probe-login-connect-failed", error = &f.message),
                &t!("probe-login-connect-failed-remedy"),
                &rec,
            );
        }
    };
    let name = tls::HandshakeName::new(&plan.tls_name.name).map(|n| {
        if plan.tls_name.sni.is_none() {
            n.without_sni()
        } else {
            n
        }
    });
    let outcome = if leg.security == Security::ImplicitTls {
        let Ok(name) = name else {
            return fail(
                Some(leg.addr),
                t!("probe-no-usable-tls-name"),
                &t!("probe-login-tls-name-remedy"),
                &rec,
            );
        };
        match tls::handshake(&ctx.tls, tcp, &name, ctx.step(), &rec).await {
            Err(e) => {
                return fail(
                    Some(leg.addr),
                    t!(
                        "probe-login-handshake-failed-kind",
                        kind = tls_kind(&e).as_str(),
                        error = e.to_string()
                    ),
                    &t!("probe-login-see-handshake"),
                    &rec,
                );
            }
            Ok((stream, facts)) => {
                opts.tls_active = true;
                opts.tls_trusted = facts.trusted();
                let mut s = Session::new(stream, rec.clone(), ctx.step(), limits);
                if let Err(e) = s.read_greeting().await {
                    return fail(
                        Some(leg.addr),
                        t!("probe-login-no-greeting", error = e.to_string()),
                        &t!("probe-login-see-greeting"),
                        &rec,
                    );
                }
                session_replay(&mut s, profile, creds.as_ref(), opts).await
            }
        }
    } else {
        let mut s = Session::new(tcp, rec.clone(), ctx.step(), limits);
        let greeting = match s.read_greeting().await {
            Ok((g, _)) if g.ok => g,
            Ok((g, _)) => {
                return fail(
                    Some(leg.addr),
                    t!("probe-login-greeting-err", text = &g.text),
                    &t!("probe-login-see-greeting"),
                    &rec,
                );
            }
            Err(e) => {
                return fail(
                    Some(leg.addr),
                    t!("probe-login-no-greeting", error = e.to_string()),
                    &t!("probe-login-see-greeting"),
                    &rec,
                );
            }
        };
        let use_tls =
            matches!(leg.stls, Some((Stls::Accepted { .. }, _))) && matches!(leg.tls, Some(Ok(_)));
        if use_tls {
            match s.stls().await {
                Ok(r) if r.ok => {}
                _ => {
                    return fail(
                        Some(leg.addr),
                        t!("probe-login-stls-failed"),
                        &t!("probe-login-see-stls"),
                        &rec,
                    );
                }
            }
            let (tcp, _) = s.into_inner();
            let Ok(name) = name else {
                return fail(
                    Some(leg.addr),
                    t!("probe-no-usable-tls-name"),
                    &t!("probe-login-tls-name-remedy"),
                    &rec,
                );
            };
            match tls::handshake(&ctx.tls, tcp, &name, ctx.step(), &rec).await {
                Err(e) => {
                    return fail(
                        Some(leg.addr),
                        t!("probe-login-handshake-failed", error = e.to_string()),
                        &t!("probe-login-see-handshake"),
                        &rec,
                    );
                }
                Ok((stream, facts)) => {
                    opts.tls_active = true;
                    opts.tls_trusted = facts.trusted();
                    let mut s = Session::new(stream, rec.clone(), ctx.step(), limits)
                        .with_greeting(greeting);
                    session_replay(&mut s, profile, creds.as_ref(), opts).await
                }
            }
        } else {
            rec.note(&t!("probe-login-note-cleartext"));
            session_replay(&mut s, profile, creds.as_ref(), opts).await
        }
    };
    DialogueRun {
        endpoint: Some(leg.addr),
        outcome: Some(outcome),
        failure: None,
        transcript: rec.lines(),
    }
}

/// The login session's words about its connection.
mod text {
    use crate::i18n::t;

    /// The session opens its own connection.
    pub fn new_connection(label: &str, profile: &str) -> String {
        t!(
            "probe-login-note-new-connection",
            endpoint = label,
            profile = profile
        )
    }

    /// The session continues on the connection of the endpoint's leg.
    pub fn continues(label: &str, profile: &str) -> String {
        t!(
            "probe-login-note-continues",
            endpoint = label,
            profile = profile
        )
    }
}

async fn session_replay<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut Session<S>,
    profile: &Profile,
    creds: Option<&Credentials>,
    opts: ReplayOptions,
) -> DialogueOutcome {
    replay(s, profile, creds, &opts).await
}
