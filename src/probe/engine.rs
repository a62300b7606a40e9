//! The legs: one async task per endpoint (address × port), each driving TCP,
//! POP3 and TLS and writing what it saw into a shared [`LegOutcome`], so a
//! deadline or Ctrl-C keeps everything observed so far.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::certs;
use super::dns::Resolve;
use super::legacy::{self, LegacyOutcome};
use super::outcome::{
    Capa, ChainFinding, Failure, FailureKind, Greeting, Injection, LegOutcome, Legacy, NameFinding,
    Stls, TlsSession,
};
use super::plan::{LegPlan, TlsName};
use super::tcp;
use super::tls::{self, ChainProblem, HandshakeName, TlsError, TlsSetup};
use super::{ProbeEvent, ProbeSink};
use crate::i18n::t;
use crate::model::{CheckId, Security};
use crate::pop3::reader::{CodecError, Limits};
use crate::pop3::response::banner_words;
use crate::pop3::response::{MultiLine, StatusLine, apop_timestamp};
use crate::pop3::session::{Pop3Error, Session};
use crate::transcript::{NoteKind, Recorder, TlsEventKind};

/// The unknown command sent together with STLS by the injection probe.
pub const INJECTED: &str = "XPSI";

/// What every leg shares.
#[derive(Clone)]
pub struct LegCtx {
    /// Trust anchors.
    pub tls: Arc<TlsSetup>,
    /// Per-step timeout (never more than the run's deadline: see [`LegCtx::step`]).
    pub timeout: Duration,
    /// When the whole run ends (`--deadline`): a step started late gets the
    /// time that remains, not a whole `timeout`. None: no deadline.
    pub deadline: Option<tokio::time::Instant>,
    /// The run's resolver, for looking up a certificate's other names.
    pub resolver: Option<Arc<dyn Resolve>>,
    /// Read bounds for CAPA and friends.
    pub limits: Limits,
    /// Start of the run (transcript offsets).
    pub start: Instant,
    /// Live progress (None: nobody listens).
    pub events: Option<ProbeSink>,
    /// Where legs leave their connection for the login session instead of
    /// closing it (None: no login session in this run, every leg closes).
    pub handovers: Option<Arc<Handovers>>,
}

impl LegCtx {
    fn started(&self, id: CheckId, ep: &str) {
        self.emit(ProbeEvent::StepStarted {
            id,
            endpoint: Some(ep.to_string()),
        });
    }

    /// Sends an event when someone listens.
    pub fn emit(&self, e: ProbeEvent) {
        if let Some(sink) = &self.events {
            sink(e);
        }
    }

    /// A transcript sink streaming lines as [`ProbeEvent::Transcript`].
    pub fn line_sink(&self) -> Option<crate::transcript::LineSink> {
        super::line_sink(self.events.as_ref())
    }

    /// Sends a snapshot of the leg so far (the front ends judge it
    /// provisionally; the final report, which knows every leg, replaces it).
    fn publish(&self, st: &Shared) {
        if self.events.is_some() {
            let leg = st.lock().expect("leg state").clone();
            self.emit(ProbeEvent::LegProgress(Box::new(leg)));
        }
    }

    fn short(&self) -> Duration {
        self.step().min(Duration::from_secs(2))
    }

    /// The timeout of a step starting now: `timeout`, or the time left
    /// before the deadline when that is shorter (at least 1 ms).
    pub fn step(&self) -> Duration {
        match self.deadline {
            Some(d) => self
                .timeout
                .min(d.saturating_duration_since(tokio::time::Instant::now()))
                .max(Duration::from_millis(1)),
            None => self.timeout,
        }
    }
}

/// Limits for probing replies (CAPA, greeting): small, a probe never needs more.
pub fn probe_limits() -> Limits {
    Limits {
        max_lines: 200,
        max_bytes: 64 * 1024,
        max_drain: 1024 * 1024,
        ..Limits::default()
    }
}

type Shared = Arc<Mutex<LegOutcome>>;

fn with(st: &Shared, f: impl FnOnce(&mut LegOutcome)) {
    let mut g = st.lock().expect("leg state");
    f(&mut g);
}

/// Kind and words for a POP3 read failure.
pub fn pop3_failure(e: &Pop3Error) -> Failure {
    let kind = match e.codec() {
        Some(CodecError::Timeout { .. }) => FailureKind::Timeout,
        Some(CodecError::Closed { .. }) => FailureKind::Closed,
        Some(CodecError::LineTooLong { .. }) => FailureKind::LineTooLong,
        Some(CodecError::NotPop3 { .. }) => FailureKind::NotPop3,
        Some(CodecError::ResponseTooLarge { .. }) => FailureKind::TooLarge,
        Some(CodecError::Io(_)) => FailureKind::Io,
        None => FailureKind::Error,
    };
    Failure::new(kind, e.to_string())
}

/// Kind, words and the plain-POP3 mark for a failed TLS handshake.
pub fn tls_failure(e: &TlsError) -> Failure {
    Failure::new(tls_kind(e), e.to_string()).with_pop3_greeting(e.is_pop3_greeting())
}

/// `"+OK hel…"`: up to 60 sanitised characters of a partial line.
fn quoted(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(60)];
    let mut s = crate::transcript::sanitize(cut);
    if bytes.len() > cut.len() {
        s.push('…');
    }
    format!("\"{s}\"")
}

/// A greeting that started like `+OK`/`-ERR` but whose line never ended.
fn unterminated(partial: &[u8], how: String) -> Greeting {
    Greeting::Failed(Failure::new(
        FailureKind::Unterminated,
        t!(
            "probe-greeting-unterminated",
            partial = quoted(partial),
            how = how
        ),
    ))
}

pub(super) fn greeting_from(r: Result<crate::pop3::response::StatusLine, Pop3Error>) -> Greeting {
    use crate::pop3::reader::starts_like_status;
    match r {
        Ok(st) if st.ok => Greeting::Ok {
            apop: apop_timestamp(&st.text).is_some(),
            text: st.text,
        },
        Ok(st) => Greeting::Err { text: st.text },
        Err(e) => match e.codec() {
            Some(CodecError::Timeout { received: 0, .. }) => Greeting::Silent,
            Some(CodecError::Timeout {
                received,
                after,
                partial,
                ..
            }) if starts_like_status(partial) => unterminated(
                partial,
                t!(
                    "probe-greeting-no-line-end",
                    received = *received,
                    ms = after.as_millis() as u64
                ),
            ),
            Some(CodecError::Timeout {
                received,
                after,
                partial,
                ..
            }) => {
                let mut message = t!(
                    "probe-greeting-incomplete",
                    received = *received,
                    partial = quoted(partial),
                    ms = after.as_millis() as u64
                );
                match crate::pop3::response::identify_banner(partial) {
                    Some(p) => message.push_str(&t!(
                        "probe-greeting-incomplete-looks-like",
                        protocol = banner_words(p)
                    )),
                    None => message.push_str(&t!("probe-greeting-incomplete-stalled")),
                }
                Greeting::Failed(Failure::new(FailureKind::Incomplete, message))
            }
            Some(CodecError::Closed { partial, .. }) if partial.is_empty() => Greeting::Closed,
            Some(CodecError::Closed { partial, .. }) if starts_like_status(partial) => {
                unterminated(
                    partial,
                    t!("probe-greeting-closed-mid-line", received = partial.len()),
                )
            }
            Some(CodecError::Closed { partial, .. }) => Greeting::Foreign {
                protocol: crate::pop3::response::identify_banner(partial).map(banner_words),
                banner: crate::transcript::sanitize(partial),
            },
            Some(CodecError::NotPop3 { line, protocol }) => Greeting::Foreign {
                protocol: protocol.map(banner_words),
                banner: crate::transcript::sanitize(line),
            },
            Some(CodecError::LineTooLong {
                limit,
                discarded,
                head,
            }) if starts_like_status(head) => unterminated(
                head,
                t!(
                    "probe-greeting-line-too-long",
                    limit = *limit,
                    discarded = *discarded,
                    rfc = crate::pop3::reader::RFC_LINE
                ),
            ),
            Some(CodecError::LineTooLong { .. }) => Greeting::Foreign {
                protocol: None,
                banner: t!("probe-greeting-endless-line"),
            },
            _ => Greeting::Failed(pop3_failure(&e)),
        },
    }
}

async fn capa<S: AsyncRead + AsyncWrite + Unpin>(s: &mut Session<S>) -> (Capa, Duration) {
    capa_kept(s).await.0
}

/// CAPA, with the reply itself when it was a list (for the login session
/// that may continue on this connection).
async fn capa_kept<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut Session<S>,
) -> ((Capa, Duration), Option<(StatusLine, MultiLine)>) {
    let t = Instant::now();
    let mut kept = None;
    let c = match s.command_multiline("CAPA").await {
        Ok((st, Some(body))) => {
            let c = Capa::from_body(&body);
            kept = Some((st, body));
            c
        }
        Ok((st, None)) => Capa::Unsupported { text: st.text },
        Err(e) => Capa::Broken(pop3_failure(&e)),
    };
    ((c, t.elapsed()), kept)
}

/// Kind for a TLS error (docs/checks.md, tls.handshake).
pub fn tls_kind(e: &TlsError) -> FailureKind {
    use rustls::AlertDescription as A;
    match e {
        TlsError::Timeout { .. } => FailureKind::Timeout,
        TlsError::Closed => FailureKind::Closed,
        TlsError::PlaintextReply { .. } => FailureKind::Plaintext,
        TlsError::Alert(A::ProtocolVersion) | TlsError::NoCommonVersion => {
            FailureKind::ProtocolVersion
        }
        TlsError::Alert(A::HandshakeFailure) => FailureKind::HandshakeFailure,
        TlsError::Alert(_) => FailureKind::Alert,
        TlsError::Tls(_) => FailureKind::TlsError,
        TlsError::Io(_) => FailureKind::Io,
        TlsError::Config(_) => FailureKind::Config,
    }
}

fn handshake_name(n: &TlsName) -> Result<HandshakeName, TlsError> {
    let h = HandshakeName::new(&n.name)?;
    Ok(if n.sni.is_none() { h.without_sni() } else { h })
}

/// The judged facts of a completed handshake.
fn session_of(ctx: &LegCtx, plan: &LegPlan, facts: &tls::TlsFacts) -> TlsSession {
    tls_session(
        &ctx.tls,
        &facts.chain,
        facts.verify_error.as_ref(),
        &plan.tls_name,
        facts.version.clone(),
        facts.cipher.clone(),
        facts.handshake_time,
    )
}

/// The judged facts of a failed handshake that got as far as the chain.
fn partial_of(ctx: &LegCtx, plan: &LegPlan, f: &tls::TlsFailure) -> Option<TlsSession> {
    (!f.chain.is_empty()).then(|| {
        tls_session(
            &ctx.tls,
            &f.chain,
            f.verify_error.as_ref(),
            &plan.tls_name,
            "unknown".into(),
            "unknown".into(),
            f.elapsed,
        )
    })
}

/// Builds the judged TLS facts from a chain (complete or partial handshake).
pub fn tls_session(
    setup: &TlsSetup,
    chain: &[rustls::pki_types::CertificateDer<'static>],
    verify_error: Option<&rustls::Error>,
    name: &TlsName,
    version: String,
    cipher: String,
    duration: Duration,
) -> TlsSession {
    let verdict = tls::diagnose_chain_for(setup, chain, verify_error, Some(&name.name));
    let chain_finding = if verdict.trusted {
        ChainFinding::Trusted
    } else {
        let structural = verdict.problems.iter().find_map(|p| match p {
            ChainProblem::SelfSigned => Some(ChainFinding::SelfSigned),
            ChainProblem::UnknownIssuer { top_issuer } => Some(ChainFinding::UnknownIssuer {
                issuer: top_issuer.clone(),
            }),
            // Only the leaf was usable: the classic missing intermediate. When
            // the server sent intermediates and the walk stopped above them,
            // the chain ends at a CA this client does not trust (a private
            // root not installed, or an unknown CA).
            ChainProblem::MissingIntermediate { issuer } if verdict.path.len() <= 1 => {
                Some(ChainFinding::MissingIntermediate {
                    issuer: issuer.clone(),
                })
            }
            ChainProblem::MissingIntermediate { issuer } => Some(ChainFinding::UnknownIssuer {
                issuer: issuer.clone(),
            }),
            ChainProblem::BadSignature | ChainProblem::Revoked | ChainProblem::Other(_) => {
                Some(ChainFinding::Other(p.to_string()))
            }
            _ => None,
        });
        structural.unwrap_or_else(|| ChainFinding::Deferred(verdict.summary()))
    };
    let leaf = chain.first();
    let name_finding = leaf.map(|der| {
        let m = certs::name_match(der, &name.name);
        NameFinding {
            name: name.name.clone(),
            why: name.why.clone(),
            valid: m.valid,
            names: m.names,
            used_cn: m.used_cn_fallback,
            alternatives: Vec::new(),
        }
    });
    let validity = leaf.and_then(|d| certs::validity(d).ok());
    let key = leaf.and_then(|d| certs::key_facts(d).ok());
    TlsSession {
        version,
        cipher,
        sni: name.sni.clone(),
        certificates: chain
            .iter()
            .filter_map(|c| certs::cert_info(c).ok())
            .collect(),
        verify_error: verify_error.map(|e| tls::describe_verify_error_for(e, chain)),
        chain: chain_finding,
        name: name_finding,
        not_before: validity.as_ref().map(|v| v.not_before),
        not_after: validity.as_ref().map(|v| v.not_after),
        key_alg: match key.as_ref().map(|k| &k.algorithm) {
            Some(certs::KeyAlg::Rsa) => "RSA".into(),
            Some(certs::KeyAlg::Ec) => "EC".into(),
            Some(certs::KeyAlg::Ed25519) => "Ed25519".into(),
            _ => "unknown".into(),
        },
        key_bits: key.map(|k| k.bits).unwrap_or(0),
        duration,
    }
}

pub(super) fn legacy_finding(o: LegacyOutcome) -> Legacy {
    match o {
        LegacyOutcome::Offers { name, .. } => Legacy::Offers(name.to_string()),
        LegacyOutcome::Alert { description, .. } => Legacy::Refused(t!(
            "probe-legacy-alert",
            alert = legacy::alert_name(description)
        )),
        LegacyOutcome::NotTls { .. } => Legacy::Inconclusive(t!("probe-legacy-not-tls")),
        LegacyOutcome::Unexpected { detail } | LegacyOutcome::Io { detail } => {
            Legacy::Inconclusive(detail)
        }
        LegacyOutcome::Timeout => Legacy::Inconclusive(t!("probe-legacy-timeout")),
        LegacyOutcome::Closed => Legacy::Inconclusive(t!("probe-legacy-closed")),
    }
}

/// Whether a handshake failure deserves a legacy-version probe.
fn wants_legacy(kind: FailureKind) -> bool {
    matches!(
        kind,
        FailureKind::ProtocolVersion
            | FailureKind::HandshakeFailure
            | FailureKind::Closed
            | FailureKind::Alert
    )
}

/// Runs one leg to completion, writing into `st`.
pub async fn run_leg(ctx: Arc<LegCtx>, plan: LegPlan, st: Shared, rec: Recorder) {
    let label = plan.addr.to_string();
    ctx.started(CheckId::TcpConnect, &label);
    rec.note(&match plan.security {
        Security::ImplicitTls => t!("probe-note-connecting-tls", endpoint = &label),
        _ => t!("probe-note-connecting-plain", endpoint = &label),
    });
    let (tcp, d) = match tcp::connect(plan.addr, ctx.step()).await {
        Ok(x) => x,
        Err(f) => {
            let kind = match f.kind {
                FailureKind::Refused => NoteKind::Refused,
                FailureKind::Timeout => NoteKind::Timeout,
                _ => NoteKind::Problem,
            };
            rec.note_as(kind, &f.message);
            with(&st, |l| l.connect = Some(Err(f)));
            ctx.publish(&st);
            return;
        }
    };
    rec.note(&t!("probe-note-connected", ms = d.as_millis() as u64));
    with(&st, |l| {
        l.connect = Some(Ok(d));
        l.round_trips += 1;
    });
    ctx.publish(&st);
    match plan.security {
        Security::ImplicitTls => implicit_leg(&ctx, &plan, &st, &rec, tcp).await,
        _ => plain_leg(&ctx, &plan, &st, &rec, tcp).await,
    }
}

async fn implicit_leg(ctx: &LegCtx, plan: &LegPlan, st: &Shared, rec: &Recorder, tcp: TcpStream) {
    let label = plan.addr.to_string();
    ctx.started(CheckId::TlsHandshake, &label);
    let Some(stream) = upgrade(ctx, plan, st, rec, tcp, false).await else {
        return;
    };
    ctx.started(CheckId::Pop3Greeting, &label);
    let from = rec.lines().len();
    let mut sess = Session::new(stream, rec.clone(), ctx.step(), ctx.limits);
    let t = Instant::now();
    let g = greeting_from(sess.read_greeting().await.map(|(s, _)| s));
    // The server greets only once the handshake has finished: a wait.
    with(st, |l| l.round_trips += 1);
    let ok = matches!(g, Greeting::Ok { .. });
    with(st, |l| {
        l.greeting_text = last_server_line(rec);
        l.greeting = Some((g, t.elapsed()));
    });
    if ok {
        ctx.started(CheckId::Pop3Capa, &label);
        let (c, kept) = capa_kept(&mut sess).await;
        let fine = matches!(c.0, Capa::Listed { .. } | Capa::Unsupported { .. });
        with(st, |l| {
            l.capa_tls = Some(c);
            l.round_trips += sess.round_trips();
        });
        if fine {
            end_or_hand_over(ctx, plan, st, sess, kept, from).await;
        }
        return;
    }
    with(st, |l| l.round_trips += sess.round_trips());
}

async fn legacy_probe_direct(ctx: &LegCtx, plan: &LegPlan, rec: &Recorder) -> Legacy {
    rec.note(&t!("probe-note-legacy-direct"));
    match tcp::connect(plan.addr, ctx.step()).await {
        Ok((tcp, _)) => {
            let o = legacy::probe_legacy(tcp, plan.tls_name.sni.as_deref(), ctx.step()).await;
            let f = legacy_finding(o);
            rec.tls_event(
                TlsEventKind::LegacyHello,
                &t!("probe-note-legacy-hello", finding = legacy_words(&f)),
            );
            f
        }
        Err(f) => Legacy::Inconclusive(f.message),
    }
}

async fn legacy_probe_stls(ctx: &LegCtx, plan: &LegPlan, rec: &Recorder) -> Legacy {
    rec.note(&t!("probe-note-legacy-stls"));
    let Ok((tcp, _)) = tcp::connect(plan.addr, ctx.step()).await else {
        return Legacy::Inconclusive(t!("probe-second-connection-failed"));
    };
    let mut s = Session::new(tcp, rec.clone(), ctx.step(), ctx.limits);
    if !matches!(s.read_greeting().await, Ok((g, _)) if g.ok) {
        return Legacy::Inconclusive(t!("probe-legacy-no-greeting"));
    }
    if !matches!(s.stls().await, Ok(r) if r.ok) {
        return Legacy::Inconclusive(t!("probe-legacy-stls-refused"));
    }
    let (tcp, _) = s.into_inner();
    let f =
        legacy_finding(legacy::probe_legacy(tcp, plan.tls_name.sni.as_deref(), ctx.step()).await);
    rec.tls_event(
        TlsEventKind::LegacyHello,
        &t!("probe-note-legacy-hello", finding = legacy_words(&f)),
    );
    f
}

async fn plain_leg(ctx: &LegCtx, plan: &LegPlan, st: &Shared, rec: &Recorder, tcp: TcpStream) {
    let label = plan.addr.to_string();
    ctx.started(CheckId::Pop3Greeting, &label);
    let mut s = Session::new(tcp, rec.clone(), ctx.step(), ctx.limits);
    let t = Instant::now();
    let read = s.read_greeting().await.map(|(s, _)| s);
    // Carried into TLS, for APOP, when the login session continues there.
    let plain_greeting = read.as_ref().ok().cloned();
    let g = greeting_from(read);
    // The greeting follows the client's final ACK: one more round trip.
    with(st, |l| l.round_trips += 1);
    let ok = matches!(g, Greeting::Ok { .. });
    with(st, |l| {
        l.greeting_text = last_server_line(rec);
        l.greeting = Some((g, t.elapsed()));
    });
    ctx.publish(st);
    if plan.security == Security::Plain && g_silent(st) {
        // A silent plain port may be the TLS port (ports swapped, or a
        // POP3S service on 110): a second connection says hello in TLS.
        let found = tls_on_plain_probe(ctx, plan, rec).await;
        with(st, |l| l.tls_on_plain = found);
        ctx.publish(st);
    }
    if !ok {
        // No injection probe either: its second connection would only
        // disturb a server that is not speaking POP3 here, and what it saw
        // could contradict the evidence of this connection.
        with(st, |l| l.round_trips += s.round_trips());
        return;
    }
    // The injection probe runs on its own connection, concurrently, once
    // this connection has shown a POP3 server (a `+OK` greeting).
    let inj_rec = Recorder::new(Some(label.clone()), ctx.start, None);
    // Its lines are kept apart and appended to the transcript at the end.
    let inj_ctx = LegCtx {
        events: None,
        handovers: None,
        ..ctx.clone()
    };
    let inj_plan = plan.clone();
    let inj_rec2 = inj_rec.clone();
    let injection =
        tokio::spawn(async move { injection_probe(&inj_ctx, &inj_plan, &inj_rec2).await });
    let abort = injection.abort_handle();
    let _guard = AbortOnDrop(abort);

    ctx.started(CheckId::Pop3Capa, &label);
    let c = capa(&mut s).await;
    let broken = matches!(c.0, Capa::Broken(_));
    let listed = c.0.has("STLS");
    // A cut list without STLS among the names seen proves nothing: try STLS
    // anyway, as a client that wants TLS would (docs/checks.md, tls.stls).
    let unsure = !listed && c.0.truncated();
    if unsure {
        rec.note(&t!("probe-note-capa-cut-try-stls"));
    }
    let offered = listed || unsure || matches!(c.0, Capa::Unsupported { .. });
    with(st, |l| l.capa_plain = Some(c));
    ctx.publish(st);
    if broken {
        with(st, |l| l.round_trips += s.round_trips());
        return;
    }
    ctx.started(CheckId::TlsStls, &label);
    if !offered {
        with(st, |l| {
            l.stls = Some((Stls::NotOffered, Duration::ZERO));
            l.round_trips += s.round_trips();
        });
        quit_fast(&mut s).await;
        return;
    }
    let t = Instant::now();
    let r = s.stls().await;
    let d = t.elapsed();
    match r {
        Ok(r) if !r.ok => {
            with(st, |l| {
                l.stls = Some((Stls::Refused { text: r.text }, d));
                l.round_trips += s.round_trips();
            });
            quit_fast(&mut s).await;
            return;
        }
        Err(e) => {
            with(st, |l| {
                l.stls = Some((Stls::Broken(pop3_failure(&e)), d));
                l.round_trips += s.round_trips();
            });
            return;
        }
        Ok(_) => {}
    }
    let rts = s.round_trips();
    let (tcp, leftover) = s.into_inner();
    if !leftover.is_empty() {
        rec.note(&t!("probe-note-stls-leftover", bytes = leftover.len()));
    }
    with(st, |l| {
        l.stls = Some((
            Stls::Accepted {
                leftover: leftover.len(),
            },
            d,
        ));
        l.round_trips += rts;
    });
    ctx.started(CheckId::TlsHandshake, &label);
    let tls_ok = match upgrade(ctx, plan, st, rec, tcp, true).await {
        None => false,
        Some(stream) => {
            let from = rec.lines().len();
            let mut s = Session::new(stream, rec.clone(), ctx.step(), ctx.limits);
            if let Some(g) = plain_greeting {
                s = s.with_greeting(g);
            }
            let (c, kept) = capa_kept(&mut s).await;
            let fine = matches!(c.0, Capa::Listed { .. } | Capa::Unsupported { .. });
            with(st, |l| {
                l.capa_tls = Some(c);
                l.round_trips += s.round_trips();
            });
            if fine {
                end_or_hand_over(ctx, plan, st, s, kept, from).await;
            }
            true
        }
    };
    ctx.started(CheckId::TlsStlsInjection, &label);
    let inj = match injection.await {
        Ok(i) => i,
        Err(_) => Injection::Inconclusive(t!("probe-injection-stopped")),
    };
    let inj = match inj {
        Injection::Inconclusive(_) if !tls_ok => {
            Injection::Inconclusive(t!("probe-injection-no-tls"))
        }
        other => other,
    };
    let mut lines = vec![];
    if !inj_rec.lines().is_empty() {
        rec.note(&t!("probe-note-injection-lines"));
        lines = inj_rec.lines();
    }
    with(st, |l| {
        l.injection = Some(inj);
        l.injection_transcript = lines;
    });
}

fn g_silent(st: &Shared) -> bool {
    matches!(
        st.lock().expect("leg state").greeting,
        Some((Greeting::Silent, _))
    )
}

/// A silent plain port tried with a TLS ClientHello on a second connection
/// (docs/checks.md, pop3.greeting): the TLS server that answered, with its
/// certificate facts, or None when nothing TLS answered.
async fn tls_on_plain_probe(ctx: &LegCtx, plan: &LegPlan, rec: &Recorder) -> Option<TlsSession> {
    rec.note(&t!("probe-note-tls-on-plain-try"));
    let (tcp, _) = tcp::connect(plan.addr, ctx.short()).await.ok()?;
    let name = handshake_name(&plan.tls_name).ok()?;
    let seen = match tls::handshake_full(&ctx.tls, tcp, &name, ctx.short(), rec).await {
        Ok((_stream, facts)) => Some(session_of(ctx, plan, &facts)),
        // A certificate proves a TLS server even when the handshake failed.
        Err(f) => partial_of(ctx, plan, &f),
    };
    let mut seen = seen?;
    alternatives(ctx, plan, &mut seen).await;
    rec.note(&t!(
        "probe-note-tls-on-plain-found",
        version = &seen.version
    ));
    Some(seen)
}

/// How many of a certificate's names are looked up as alternatives.
const MAX_ALTERNATIVES: usize = 5;

/// When the leaf is not valid for the name checked: looks up its DNS names
/// (no wildcards, at most [`MAX_ALTERNATIVES`], within one step's time) and
/// records which resolve to the endpoint's address.
async fn alternatives(ctx: &LegCtx, plan: &LegPlan, s: &mut TlsSession) {
    let Some(resolver) = ctx.resolver.clone() else {
        return;
    };
    let Some(n) = s.name.as_mut() else { return };
    // An IP target names no host the user could replace by another name.
    if n.valid || n.name.parse::<std::net::IpAddr>().is_ok() {
        return;
    }
    let names: Vec<String> = n
        .names
        .iter()
        .filter(|x| !x.contains('*') && x.parse::<std::net::IpAddr>().is_err())
        .filter(|x| !x.eq_ignore_ascii_case(&n.name))
        .take(MAX_ALTERNATIVES)
        .cloned()
        .collect();
    if names.is_empty() {
        return;
    }
    let ip = plan.addr.ip();
    let lookups = names.iter().map(|name| {
        let resolver = resolver.clone();
        async move {
            let same = matches!(resolver.lookup_ip(name).await, Ok(v) if v.contains(&ip));
            (name.clone(), same)
        }
    });
    if let Ok(found) = tokio::time::timeout(ctx.step(), futures::future::join_all(lookups)).await {
        n.alternatives = found;
    }
}

/// The TLS handshake of a leg: records the session (or the failure, with
/// any chain seen and, for version/cipher failures, a legacy-version probe on
/// a new connection) and returns the stream when it completed.
async fn upgrade<S: AsyncRead + AsyncWrite + Unpin>(
    ctx: &LegCtx,
    plan: &LegPlan,
    st: &Shared,
    rec: &Recorder,
    stream: S,
    after_stls: bool,
) -> Option<tls::TlsClientStream<S>> {
    let name = match handshake_name(&plan.tls_name) {
        Ok(n) => n,
        Err(e) => {
            with(st, |l| {
                l.tls = Some(Err(Failure::new(FailureKind::Config, e.to_string())))
            });
            return None;
        }
    };
    match tls::handshake_full(&ctx.tls, stream, &name, ctx.step(), rec).await {
        Err(f) => {
            let kind = tls_kind(&f.error);
            let partial = partial_of(ctx, plan, &f);
            let partial = match partial {
                Some(mut p) => {
                    alternatives(ctx, plan, &mut p).await;
                    Some(p)
                }
                None => None,
            };
            with(st, |l| {
                l.tls = Some(Err(tls_failure(&f.error)));
                l.tls_partial = partial;
                l.round_trips += 1;
            });
            if wants_legacy(kind) {
                let lg = if after_stls {
                    legacy_probe_stls(ctx, plan, rec).await
                } else {
                    legacy_probe_direct(ctx, plan, rec).await
                };
                with(st, |l| l.legacy = Some(lg));
            }
            None
        }
        Ok((stream, facts)) => {
            let mut s = session_of(ctx, plan, &facts);
            alternatives(ctx, plan, &mut s).await;
            let rtt = if facts.version == "TLSv1.3" { 1 } else { 2 };
            with(st, |l| {
                l.tls = Some(Ok(s));
                l.round_trips += rtt;
            });
            Some(stream)
        }
    }
}

/// The legacy probe's finding in words for the transcript.
pub(super) fn legacy_words(l: &Legacy) -> String {
    match l {
        Legacy::Offers(v) => t!("probe-legacy-words-offers", version = v),
        Legacy::Refused(w) => t!("probe-legacy-words-refused", reason = w),
        Legacy::Inconclusive(w) => t!("probe-legacy-words-inconclusive", reason = w),
    }
}

/// The last line the server sent (the greeting, right after reading it).
fn last_server_line(rec: &Recorder) -> Option<String> {
    rec.lines()
        .iter()
        .rev()
        .find(|x| x.dir == crate::transcript::Dir::Server)
        .map(|x| x.text.clone())
}

/// Ends a probe session: QUIT is sent and the connection closed (TLS
/// close_notify included) without waiting for the reply, which would cost a
/// round trip and tell nothing a probe needs.
async fn quit_fast<S: AsyncRead + AsyncWrite + Unpin>(s: &mut Session<S>) {
    use tokio::io::AsyncWriteExt;
    if s.send_line("QUIT").await.is_ok() {
        s.recorder().note(&t!("probe-note-quit-fast"));
    }
    let _ = tokio::time::timeout(Duration::from_millis(200), s.get_mut().shutdown()).await;
}

/// Ends a healthy leg: hands its connection to the login session when the
/// run has one and the connection is one it may use (TLS with a trusted
/// chain and name, greeting `+OK`, CAPA read), otherwise QUIT and close.
async fn end_or_hand_over(
    ctx: &LegCtx,
    plan: &LegPlan,
    st: &Shared,
    mut s: Session<tls::TlsClientStream<TcpStream>>,
    capa: Option<(StatusLine, MultiLine)>,
    from: usize,
) {
    if let Some(h) = &ctx.handovers {
        let usable = {
            let l = st.lock().expect("leg state");
            l.works_with_tls() && matches!(&l.tls, Some(Ok(t)) if t.verify_error.is_none())
        };
        if usable {
            let rec = s.recorder().clone();
            let kept = Handover {
                addr: plan.addr,
                session: s,
                capa,
                from,
            };
            // Noted first: once kept, the login session may take it at once.
            rec.note(&text::kept_open());
            match h.park(kept) {
                None => return,
                Some(back) => {
                    rec.note(&text::not_taken());
                    s = back.session;
                }
            }
        }
    }
    quit_fast(&mut s).await;
}

/// A leg's live connection, left open for the login session: TLS with a
/// trusted chain and name, greeting `+OK`, CAPA read.
pub struct Handover {
    /// The endpoint.
    pub addr: std::net::SocketAddr,
    /// The session, in the AUTHORIZATION state (greeting known).
    pub session: Session<tls::TlsClientStream<TcpStream>>,
    /// The reply to the CAPA the leg read last on it (a list), if any.
    pub capa: Option<(StatusLine, MultiLine)>,
    /// Where the lines inside TLS begin in the session's transcript.
    pub from: usize,
}

impl Handover {
    /// The POP3 lines exchanged on this connection inside TLS so far
    /// (greeting, CAPA and its reply), in order.
    pub fn lines_so_far(&self) -> Vec<crate::transcript::Line> {
        use crate::transcript::Dir;
        let lines = self.session.recorder().lines();
        lines
            .into_iter()
            .skip(self.from)
            .filter(|l| matches!(l.dir, Dir::Client | Dir::Server))
            .collect()
    }
}

/// Where the legs of a run with a login session leave their usable
/// connections until the session has picked its endpoint; once it has,
/// nothing more is kept (the legs close their connections themselves).
#[derive(Default)]
pub struct Handovers {
    state: Mutex<(bool, Vec<Handover>)>,
}

impl Handovers {
    /// Keeps `h` for its endpoint; gives it back when the login session
    /// has already picked its endpoint.
    fn park(&self, h: Handover) -> Option<Handover> {
        let mut g = self.state.lock().expect("handovers");
        if g.0 {
            return Some(h);
        }
        g.1.push(h);
        None
    }

    /// The login session has picked `addr` (None: no session): returns the
    /// connection kept for it, if any, and every other kept connection
    /// (to close with [`close_kept`]). Nothing is kept from now on.
    pub fn settle(&self, addr: Option<std::net::SocketAddr>) -> (Option<Handover>, Vec<Handover>) {
        let mut g = self.state.lock().expect("handovers");
        g.0 = true;
        let mut chosen = None;
        let mut others = Vec::new();
        for h in g.1.drain(..) {
            if Some(h.addr) == addr && chosen.is_none() {
                chosen = Some(h);
            } else {
                others.push(h);
            }
        }
        (chosen, others)
    }
}

/// Closes connections the login session did not take (QUIT, close), on
/// their legs' transcripts.
pub async fn close_kept(kept: Vec<Handover>) {
    let closes = kept.into_iter().map(|mut h| async move {
        h.session.recorder().note(&text::not_taken());
        quit_fast(&mut h.session).await;
    });
    futures::future::join_all(closes).await;
}

/// The transcript's words about connections kept for the login session.
pub mod text {
    use crate::i18n::t;

    /// A leg leaves its connection open for the login session.
    pub fn kept_open() -> String {
        t!("probe-note-kept-open")
    }

    /// The login session did not need a kept connection.
    pub fn not_taken() -> String {
        t!("probe-note-not-taken")
    }

    /// The login session continues on the leg's connection.
    pub fn taken() -> String {
        t!("probe-note-taken")
    }
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The STARTTLS command-injection probe (docs/checks.md, tls.stls-injection).
pub async fn injection_probe(ctx: &LegCtx, plan: &LegPlan, rec: &Recorder) -> Injection {
    let Ok((tcp, _)) = tcp::connect(plan.addr, ctx.step()).await else {
        return Injection::Inconclusive(t!("probe-second-connection-failed"));
    };
    let mut s = Session::new(tcp, rec.clone(), ctx.step(), ctx.limits);
    if !matches!(s.read_greeting().await, Ok((g, _)) if g.ok) {
        return Injection::Inconclusive(t!("probe-injection-no-greeting"));
    }
    let payload = format!("STLS\r\n{INJECTED}\r\n");
    if s.send_raw(payload.as_bytes(), &["STLS", INJECTED])
        .await
        .is_err()
    {
        return Injection::Inconclusive(t!("probe-injection-send-failed"));
    }
    match s.read_status(&t!("probe-what-stls-answer")).await {
        Ok(r) if r.ok => {}
        Ok(_) => return Injection::Inconclusive(t!("probe-injection-stls-refused")),
        Err(e) => return Injection::Inconclusive(e.to_string()),
    }
    let (tcp, leftover) = s.into_inner();
    if !leftover.is_empty() {
        return Injection::Inconclusive(t!("probe-injection-answered-before-tls"));
    }
    let Ok(name) = handshake_name(&plan.tls_name) else {
        return Injection::Inconclusive(t!("probe-no-usable-tls-name"));
    };
    let stream = match tls::handshake(&ctx.tls, tcp, &name, ctx.step(), rec).await {
        Ok((stream, _)) => stream,
        Err(e) => {
            // Servers such as Dovecot feed the injected plaintext to the TLS
            // layer, which aborts the handshake: the command was not executed.
            rec.note(&t!(
                "probe-note-injection-handshake-failed",
                error = e.to_string()
            ));
            return Injection::Safe;
        }
    };
    let mut s = Session::new(stream, rec.clone(), ctx.step(), ctx.limits);
    if s.send_raw(b"CAPA\r\n", &["CAPA"]).await.is_err() {
        return Injection::Inconclusive(t!("probe-injection-send-tls-failed"));
    }
    let first = match s.read_status(&t!("probe-what-first-tls-answer")).await {
        Ok(r) => r,
        Err(e) => return Injection::Inconclusive(e.to_string()),
    };
    if first.ok {
        let _ = s.read_body(&t!("probe-what-capa-list")).await;
        s.quit().await;
        return Injection::Safe;
    }
    // -ERR first: an answer to the injected command, if a second answer (CAPA's) follows.
    match s
        .read_status_within(&t!("probe-what-second-answer"), ctx.short())
        .await
    {
        Ok(_) => Injection::Vulnerable {
            evidence: t!("probe-injection-evidence", text = &first.text),
        },
        Err(_) => Injection::Inconclusive(t!("probe-injection-capa-err", text = &first.text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codec(error: CodecError) -> Result<crate::pop3::response::StatusLine, Pop3Error> {
        Err(Pop3Error::Codec {
            op: "greeting".into(),
            error,
        })
    }

    fn failed(g: Greeting) -> Failure {
        match g {
            Greeting::Failed(f) => f,
            other => panic!("{other:?}"),
        }
    }

    /// Issue 12: a greeting that began `+OK` but never ended its line is
    /// not "not a POP3 server", however it ended.
    #[test]
    fn unterminated_ok_greeting_is_said_as_seen() {
        let f = failed(greeting_from(codec(CodecError::LineTooLong {
            limit: 65536,
            discarded: 65536,
            head: b"+OK AAAAAAAA".to_vec(),
        })));
        assert_eq!(f.kind, FailureKind::Unterminated);
        assert!(
            f.message.contains(
                "started like a POP3 greeting (\"+OK AAAAAAAA\") but its line never ended"
            ),
            "{}",
            f.message
        );
        assert!(f.message.contains("more than 65536 bytes"), "{}", f.message);

        let f = failed(greeting_from(codec(CodecError::Timeout {
            what: crate::pop3::reader::what_greeting(),
            after: Duration::from_millis(1500),
            received: 9,
            partial: b"+OK hello".to_vec(),
        })));
        assert_eq!(f.kind, FailureKind::Unterminated);
        assert!(
            f.message
                .contains("9 byte(s) arrived and no line end within 1500 ms"),
            "{}",
            f.message
        );

        let f = failed(greeting_from(codec(CodecError::Closed {
            what: crate::pop3::reader::what_greeting(),
            partial: b"+OK bye".to_vec(),
        })));
        assert_eq!(f.kind, FailureKind::Unterminated);
        assert!(f.message.contains("closed the connection after 7 byte(s)"));
    }

    /// Issue 12: a partial foreign banner left open is reported with its
    /// bytes and named.
    #[test]
    fn partial_foreign_greeting_shows_the_bytes() {
        let f = failed(greeting_from(codec(CodecError::Timeout {
            what: crate::pop3::reader::what_greeting(),
            after: Duration::from_millis(1000),
            received: 3,
            partial: b"220".to_vec(),
        })));
        assert_eq!(f.kind.as_str(), "incomplete");
        assert_eq!(
            f.message,
            "the server sent 3 byte(s) (\"220\") but no complete greeting line within 1000 ms; this looks like an SMTP or FTP greeting, so the port probably belongs to another service"
        );
        assert!(matches!(
            greeting_from(codec(CodecError::LineTooLong {
                limit: 65536,
                discarded: 65536,
                head: b"xxxx".to_vec(),
            })),
            Greeting::Foreign { .. }
        ));
    }
}
