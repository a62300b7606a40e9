//! The one library call every front end uses: [`diagnose`] (or
//! [`Engine::diagnose`] to share one resolver and trust store across runs).
//!
//! It runs the probe, turns the probe's raw observations into live
//! [`Event`]s with provisional checks for front ends that watch, judges the
//! final outcome ([`crate::checks`]) and builds the [`Report`]. The probe
//! itself never judges: this module is the only place that joins the two.

use std::future::Future;
use std::sync::Arc;

use crate::checks::{self, Rules};
use crate::config::RunConfig;
use crate::model::Event;
use crate::probe::{ProbeError, ProbeEvent, ProbeSink, Prober};
use crate::report::{self, Report};

/// Receives live [`Event`]s while a diagnosis runs (from any task).
pub type EventSink = Arc<dyn Fn(Event) + Send + Sync>;

/// Why a diagnosis could not start (the run itself never fails: problems it
/// finds are checks in the report).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RunError(#[from] ProbeError);

/// A diagnosis engine: the DNS resolver and TLS trust store, built once and
/// shared by every run (many targets, an exporter, the TUI).
#[derive(Clone, Debug)]
pub struct Engine {
    prober: Prober,
}

impl Engine {
    /// An engine with the resolver and trust anchors `cfg` asks for
    /// (`--dns-server`, `--ca-file`).
    pub fn new(cfg: &RunConfig) -> Result<Engine, RunError> {
        Ok(Engine {
            prober: Prober::new(cfg)?,
        })
    }

    /// An engine around a prober with injected I/O (tests).
    pub fn with_prober(prober: Prober) -> Engine {
        Engine { prober }
    }

    /// Diagnoses `cfg.target`: probes, judges and reports. Streams live
    /// events to `on_event` when given; ends early (keeping partial results)
    /// at `cfg.deadline` or when `cancel` completes.
    pub async fn diagnose(
        &self,
        cfg: &RunConfig,
        on_event: Option<EventSink>,
        cancel: impl Future<Output = ()>,
    ) -> Report {
        let rules = Rules::from_config(cfg);
        let sink = on_event.map(|sink| judge_live(sink, rules));
        let outcome = self.prober.run(cfg, sink, cancel).await;
        let checks = checks::evaluate(&outcome, &rules);
        let ctx = crate::diagnosis::DiagnosisContext {
            dns_server_given: rules.dns_server_given,
        };
        report::build(&cfg.target, &outcome, checks, &ctx)
    }
}

/// Diagnoses one target with a fresh [`Engine`]: the library's entry point.
pub async fn diagnose(
    cfg: &RunConfig,
    on_event: Option<EventSink>,
    cancel: impl Future<Output = ()>,
) -> Result<Report, RunError> {
    Ok(Engine::new(cfg)?.diagnose(cfg, on_event, cancel).await)
}

/// Turns probe events into front-end events: observations become
/// provisional checks (the final report, which sees every leg, replaces them).
fn judge_live(sink: EventSink, rules: Rules) -> ProbeSink {
    Arc::new(move |e: ProbeEvent| match e {
        ProbeEvent::StepStarted { id, endpoint } => sink(Event::CheckStarted { id, endpoint }),
        ProbeEvent::Endpoint { endpoint, security } => sink(Event::Endpoint { endpoint, security }),
        ProbeEvent::Transcript { endpoint, line } => sink(Event::Transcript { endpoint, line }),
        ProbeEvent::Dns(dns) => {
            for c in checks::dns_checks(&dns, &rules) {
                sink(Event::CheckFinished(c));
            }
        }
        ProbeEvent::LegProgress(leg) => {
            for c in checks::for_leg(&leg, &rules, false) {
                sink(Event::CheckFinished(c));
            }
        }
        ProbeEvent::Dialogue(d) => {
            for c in d.checks() {
                sink(Event::CheckFinished(c));
            }
        }
    })
}
