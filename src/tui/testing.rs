//! A scripted [`Runner`] that replays events and returns a prepared report:
//! for tests, screenshots and demos of the TUI without a network.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

use crate::config::RunConfig;
use crate::model::Event;
use crate::report::Report;

use super::Runner;

/// One step of a script.
#[derive(Debug, Clone)]
pub enum Step {
    /// Send this event.
    Event(Event),
    /// Wait this long (simulates the network).
    Sleep(Duration),
}

/// Replays `steps`, then resolves to `result`. Every configuration it was
/// started with is recorded in [`ScriptedRunner::started`].
#[derive(Debug, Clone)]
pub struct ScriptedRunner {
    steps: Vec<Step>,
    result: Result<Report, String>,
    started: Arc<Mutex<Vec<RunConfig>>>,
}

impl ScriptedRunner {
    /// A runner that plays `steps` and returns `report`.
    pub fn new(steps: Vec<Step>, report: Report) -> Self {
        ScriptedRunner {
            steps,
            result: Ok(report),
            started: Arc::default(),
        }
    }

    /// The configurations of every diagnosis started so far.
    pub fn started(&self) -> Vec<RunConfig> {
        self.started.lock().expect("runner lock").clone()
    }
}

impl Runner for ScriptedRunner {
    fn start(
        &self,
        cfg: RunConfig,
        events: UnboundedSender<Event>,
    ) -> BoxFuture<'static, anyhow::Result<Report>> {
        self.started.lock().expect("runner lock").push(cfg);
        let steps = self.steps.clone();
        let result = self.result.clone();
        async move {
            for step in steps {
                match step {
                    Step::Event(e) => {
                        let _ = events.send(e);
                    }
                    Step::Sleep(d) => tokio::time::sleep(d).await,
                }
            }
            result.map_err(|e| anyhow::anyhow!(e))
        }
        .boxed()
    }
}
