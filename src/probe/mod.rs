//! The probe engine: async, emits events, knows nothing about rendering.
//!
//! [`Prober::run`] resolves the target ([`plan`]), then runs every leg
//! (address × port) concurrently ([`engine`]) under the per-step timeout, the
//! whole-run deadline and a cancellation future (Ctrl-C), and returns the
//! [`outcome::Outcome`] with everything observed, even when cut short.

pub mod certs;
pub mod dialogue;
pub mod dns;
pub mod engine;
pub mod legacy;
pub mod outcome;
pub mod plan;
pub mod tcp;
pub mod tls;

#[cfg(test)]
mod i18n_tests;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::task::JoinSet;

use crate::config::RunConfig;
use crate::model::{CheckId, Security};
use crate::transcript::{Line, LineSink, Recorder};
use dns::{HickoryResolver, Resolve};
use outcome::{DnsOutcome, LegOutcome, Outcome};
use tls::TlsSetup;

/// The login session picked `addr` (None: none runs): takes the connection
/// a leg kept for it and closes the other kept ones (with QUIT when `quit`,
/// else at once: the run is out of time).
async fn settle(
    handovers: Option<&engine::Handovers>,
    addr: Option<std::net::SocketAddr>,
    quit: bool,
) -> Option<engine::Handover> {
    let (mine, others) = handovers?.settle(addr);
    if quit {
        engine::close_kept(others).await;
    }
    if let Some(h) = &mine {
        h.session.recorder().note(&engine::text::taken());
    }
    mine
}

/// Errors that stop a run before it starts (bad CA file, resolver setup).
#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    /// The resolver could not be set up.
    #[error("{}", crate::i18n::t!("probe-dns-setup-failed", error = .0.to_string()))]
    Dns(#[from] dns::DnsError),
    /// The TLS trust store could not be built.
    #[error("{0}")]
    Tls(#[from] tls::TlsError),
}

/// What the probe reports while it runs: progress and raw observations, never
/// judgements (the library's run loop turns observations into checks).
#[derive(Debug, Clone)]
pub enum ProbeEvent {
    /// A step started (a check id, for the spinners of a live front end).
    StepStarted {
        /// The check id the step feeds.
        id: CheckId,
        /// Endpoint label, if any.
        endpoint: Option<String>,
    },
    /// An endpoint leg was planned and is about to be probed.
    Endpoint {
        /// Endpoint label.
        endpoint: String,
        /// Its security mode.
        security: Security,
    },
    /// A transcript line.
    Transcript {
        /// Endpoint label, if any.
        endpoint: Option<String>,
        /// The line.
        line: Line,
    },
    /// The DNS phase finished.
    Dns(Box<DnsOutcome>),
    /// A snapshot of a leg after one of its steps (provisional).
    LegProgress(Box<LegOutcome>),
    /// The login session finished.
    Dialogue(Box<dialogue::DialogueRun>),
}

/// Receives [`ProbeEvent`]s, from any task.
pub type ProbeSink = Arc<dyn Fn(ProbeEvent) + Send + Sync>;

/// A transcript sink that forwards lines as [`ProbeEvent::Transcript`].
pub fn line_sink(events: Option<&ProbeSink>) -> Option<LineSink> {
    let sink = events?.clone();
    Some(Arc::new(move |endpoint: Option<&str>, line: &Line| {
        sink(ProbeEvent::Transcript {
            endpoint: endpoint.map(str::to_string),
            line: line.clone(),
        })
    }))
}

/// Runs diagnoses. Cheap to share; every I/O source is injected.
#[derive(Clone)]
pub struct Prober {
    resolver: Arc<dyn Resolve>,
    tls: Arc<TlsSetup>,
}

impl std::fmt::Debug for Prober {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prober").finish_non_exhaustive()
    }
}

impl Prober {
    /// A prober using hickory (system resolver or `--dns-server`) and the
    /// webpki roots plus `--ca-file`.
    pub fn new(cfg: &RunConfig) -> Result<Prober, ProbeError> {
        let resolver = HickoryResolver::new(&cfg.dns_servers, cfg.timeout)?;
        Self::with_resolver(cfg, Arc::new(resolver))
    }

    /// A prober with an injected resolver.
    pub fn with_resolver(
        cfg: &RunConfig,
        resolver: Arc<dyn Resolve>,
    ) -> Result<Prober, ProbeError> {
        let tls = TlsSetup::new(cfg.ca_pem.as_deref()).map_err(|e| match (&cfg.ca_file, e) {
            (Some(p), tls::TlsError::Config(m)) => {
                tls::TlsError::Config(format!("--ca-file {}: {m}", p.display()))
            }
            (_, e) => e,
        })?;
        Ok(Prober {
            resolver,
            tls: Arc::new(tls),
        })
    }

    /// Runs the whole diagnosis. Streams [`ProbeEvent`]s when `events` is
    /// given; stops early (keeping partial results) at the deadline or when
    /// `cancel` completes.
    pub async fn run(
        &self,
        cfg: &RunConfig,
        events: Option<ProbeSink>,
        cancel: impl Future<Output = ()>,
    ) -> Outcome {
        let start = Instant::now();
        let started_at = time::OffsetDateTime::now_utc();
        let deadline_at = tokio::time::Instant::now() + cfg.deadline;
        let deadline = tokio::time::sleep_until(deadline_at);
        tokio::pin!(deadline);
        tokio::pin!(cancel);
        let send = |e: ProbeEvent| {
            if let Some(sink) = &events {
                sink(e);
            }
        };
        let mut outcome = Outcome {
            started_at,
            duration: Default::default(),
            dns: DnsOutcome::default(),
            legs: Vec::new(),
            deadline_hit: false,
            interrupted: false,
            dialogue: None,
        };
        send(ProbeEvent::StepStarted {
            id: CheckId::DnsResolve,
            endpoint: None,
        });
        let plan_fut = plan::plan(&*self.resolver, cfg);
        let (dns, legs) = tokio::select! {
            r = plan_fut => r,
            _ = &mut deadline => {
                outcome.deadline_hit = true;
                outcome.duration = start.elapsed();
                return outcome;
            }
            _ = &mut cancel => {
                outcome.interrupted = true;
                outcome.duration = start.elapsed();
                return outcome;
            }
        };
        if events.is_some() {
            send(ProbeEvent::Dns(Box::new(dns.clone())));
        }
        outcome.dns = dns;

        // With credentials, legs leave their usable connection open for the
        // login session, which continues on the one it picks.
        let handovers = (cfg.profile.is_some() && cfg.login.is_some())
            .then(|| Arc::new(engine::Handovers::default()));
        let ctx = Arc::new(engine::LegCtx {
            tls: self.tls.clone(),
            timeout: cfg.timeout,
            deadline: Some(deadline_at),
            resolver: Some(self.resolver.clone()),
            limits: engine::probe_limits(),
            start,
            events: events.clone(),
            handovers: handovers.clone(),
        });
        let plans = legs.clone();
        let legs_start = tokio::time::Instant::now();
        let mut states = Vec::new();
        let mut set = JoinSet::new();
        for (idx, p) in legs.into_iter().enumerate() {
            let label = p.addr.to_string();
            send(ProbeEvent::Endpoint {
                endpoint: label.clone(),
                security: p.security,
            });
            let st = Arc::new(Mutex::new(LegOutcome::new(p.addr, p.security, p.two_port)));
            let rec = Recorder::new(Some(label), start, line_sink(events.as_ref()));
            states.push((st.clone(), rec.clone()));
            let ctx = ctx.clone();
            let events = events.clone();
            set.spawn(async move {
                engine::run_leg(ctx, p, st.clone(), rec).await;
                if let Some(sink) = events {
                    let leg = st.lock().expect("leg state").clone();
                    sink(ProbeEvent::LegProgress(Box::new(leg)));
                }
                idx
            });
        }
        // The login session starts as soon as the endpoint it prefers (implicit
        // TLS with a trusted chain) has been probed, overlapping the other legs;
        // otherwise after all of them.
        let spawn_dialogue = |legs: Vec<LegOutcome>, reuse: Option<engine::Handover>| {
            let ctx = ctx.clone();
            let plans = plans.clone();
            let login = cfg.login.clone();
            let profile = cfg.profile.clone();
            tokio::spawn(async move {
                let profile = profile.expect("a profile");
                dialogue::run(&ctx, &legs, &plans, login.as_ref(), &profile, reuse).await
            })
        };
        let mut dialogue_task = None;
        if cfg.profile.is_some() {
            send(ProbeEvent::StepStarted {
                id: CheckId::AuthLogin,
                endpoint: None,
            });
        }
        loop {
            tokio::select! {
                r = set.join_next() => match r {
                    None => break,
                    Some(Ok(idx)) if cfg.profile.is_some() && dialogue_task.is_none() => {
                        let leg = states[idx].0.lock().expect("leg state").clone();
                        let trusted = matches!(&leg.tls, Some(Ok(t)) if t.verify_error.is_none());
                        if leg.security == crate::model::Security::ImplicitTls && leg.works_with_tls() && trusted {
                            let reuse = settle(handovers.as_deref(), Some(leg.addr), true).await;
                            dialogue_task = Some(spawn_dialogue(vec![leg], reuse));
                        }
                    }
                    Some(_) => {}
                },
                _ = &mut deadline => { outcome.deadline_hit = true; set.abort_all(); break; }
                _ = &mut cancel => { outcome.interrupted = true; set.abort_all(); break; }
            }
        }
        // Let aborted tasks unwind so their state locks are free.
        while set.join_next().await.is_some() {}
        // The login session picks its endpoint now (when it did not start
        // early): the connection kept for it is taken, the others closed
        // before the legs' transcripts are read.
        let mut reuse = None;
        if dialogue_task.is_none() && handovers.is_some() {
            let cut = outcome.deadline_hit || outcome.interrupted;
            let chosen = if cut {
                None
            } else {
                let legs: Vec<LegOutcome> = states
                    .iter()
                    .map(|(st, _)| st.lock().expect("leg state").clone())
                    .collect();
                dialogue::endpoint(&legs, cfg.login.as_ref())
            };
            reuse = settle(handovers.as_deref(), chosen, !cut).await;
        }
        for (st, rec) in states {
            let mut leg = st.lock().expect("leg state").clone();
            if outcome.deadline_hit {
                // Keep the cause: a connect or greeting the deadline cut is
                // a timeout or silence, not a missing result.
                leg.cut_at_deadline(legs_start.elapsed());
            }
            leg.transcript = rec.lines();
            leg.transcript.append(&mut leg.injection_transcript);
            outcome.legs.push(leg);
        }
        if cfg.profile.is_some() && !outcome.deadline_hit && !outcome.interrupted {
            let task = match dialogue_task.take() {
                Some(t) => t,
                None => spawn_dialogue(outcome.legs.clone(), reuse.take()),
            };
            let abort = task.abort_handle();
            tokio::select! {
                d = task => {
                    if let Ok(d) = d {
                        if events.is_some() {
                            send(ProbeEvent::Dialogue(Box::new(d.clone())));
                        }
                        outcome.dialogue = Some(d);
                    }
                }
                _ = &mut deadline => { outcome.deadline_hit = true; abort.abort(); }
                _ = &mut cancel => { outcome.interrupted = true; abort.abort(); }
            }
        } else if let Some(t) = dialogue_task.take() {
            t.abort();
        }
        if cfg.profile.is_none()
            && let Some(user) = &cfg.target.user
        {
            outcome.dialogue = Some(dialogue::DialogueRun {
                endpoint: None,
                outcome: None,
                failure: Some(
                    crate::model::Check::new(
                        CheckId::AuthLogin,
                        crate::model::Status::Skip,
                        None,
                        crate::i18n::t!("probe-login-no-password-summary", user = user),
                    )
                    .remedy(crate::i18n::t!("probe-login-no-password-remedy")),
                ),
                transcript: Vec::new(),
            });
        }
        outcome.duration = start.elapsed();
        outcome
    }
}
