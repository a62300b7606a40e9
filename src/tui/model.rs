//! The TUI's single [`Model`]: everything the screen shows, and nothing about
//! terminals or the network. [`update()`](super::update::update) is the only code that changes
//! it; [`view()`](super::view::view) only reads it.

use crate::config::RunConfig;
use crate::diagnosis::Cause;
use crate::model::{Check, CheckId, EndpointReport, Security, Status, TlsInfo};
use crate::report::Report;
use crate::transcript::Line;

use super::form::Form;

/// The panes that can have the keyboard focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The list of checks.
    Checks,
    /// The transcript tabs.
    Transcript,
    /// The details of the selected check or transcript line.
    Details,
}

impl Pane {
    /// The next pane in Tab order (`forward`) or the previous one.
    pub fn cycle(self, forward: bool) -> Pane {
        match (self, forward) {
            (Pane::Checks, true) | (Pane::Details, false) => Pane::Transcript,
            (Pane::Transcript, true) | (Pane::Checks, false) => Pane::Details,
            (Pane::Details, true) | (Pane::Transcript, false) => Pane::Checks,
        }
    }
}

/// Where the current diagnosis stands.
#[derive(Debug, Clone, PartialEq)]
pub enum RunState {
    /// Nothing started yet.
    Idle,
    /// A diagnosis is running (events stream in).
    Running,
    /// The diagnosis finished; [`Model::report`] holds its report.
    Done,
    /// The runner failed with this error (sanitised on display).
    Failed(String),
}

/// What covers the panes, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// Nothing: the panes have the keys.
    None,
    /// The key help (`?`).
    Help,
    /// The new-diagnosis form (`n`, or at start without a target).
    Form,
    /// The diagnosis (`d`): the causes, the mail client settings that work
    /// now, and the fixes of the selected cause.
    Diagnosis,
}

/// One row of the checks pane.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckRow {
    /// Check id, e.g. `tls.chain`.
    pub id: CheckId,
    /// Endpoint label, or `None` for target-wide checks.
    pub endpoint: Option<String>,
    /// The result; `None` while the check runs (or if it never finished).
    pub check: Option<Check>,
}

impl CheckRow {
    /// The row's status, when finished.
    pub fn status(&self) -> Option<Status> {
        self.check.as_ref().map(|c| c.status)
    }
}

/// One transcript tab: an endpoint (or the target-wide lines).
#[derive(Debug, Clone, PartialEq)]
pub struct Tab {
    /// `address:port`, or [`GENERAL_TAB`] for lines without an endpoint.
    pub label: String,
    /// How the endpoint is secured, when known.
    pub security: Option<Security>,
    /// The lines so far.
    pub lines: Vec<Line>,
    /// Index of the first visible line (when not following).
    pub offset: usize,
    /// Index of the selected line.
    pub selected: usize,
    /// Whether the view sticks to the bottom as lines arrive.
    pub follow: bool,
}

/// Label of the tab that collects lines not tied to an endpoint.
pub const GENERAL_TAB: &str = "target";

impl Tab {
    /// An empty tab that follows new lines.
    pub fn new(label: impl Into<String>, security: Option<Security>) -> Self {
        Tab {
            label: label.into(),
            security,
            lines: Vec::new(),
            offset: 0,
            selected: 0,
            follow: true,
        }
    }

    /// The first visible line for a viewport of `height` lines.
    pub fn top(&self, height: usize) -> usize {
        let max = self.lines.len().saturating_sub(height);
        if self.follow {
            max
        } else {
            self.offset.min(max)
        }
    }
}

/// A message in the footer (save results, errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The text.
    pub text: String,
    /// Whether it reports a failure (shown in red, prefixed with "error:").
    pub error: bool,
}

/// Everything the TUI shows.
#[derive(Debug, Clone)]
pub struct Model {
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// The configuration of the current (or last) diagnosis.
    pub config: Option<RunConfig>,
    /// Incremented for every diagnosis started; events of older runs are ignored.
    pub run_id: u64,
    /// State of the current diagnosis.
    pub state: RunState,
    /// The final report of the current diagnosis, once done.
    pub report: Option<Report>,
    /// Verdict of the last diagnosis that completed (the exit code).
    pub last_verdict: Option<Status>,
    /// The checks pane rows.
    pub checks: Vec<CheckRow>,
    /// Selected check row.
    pub check_sel: usize,
    /// First visible check row.
    pub check_offset: usize,
    /// Transcript tabs.
    pub tabs: Vec<Tab>,
    /// Selected tab.
    pub tab_sel: usize,
    /// The focused pane.
    pub focus: Pane,
    /// Which selection the details pane describes: [`Pane::Checks`] or
    /// [`Pane::Transcript`].
    pub details_for: Pane,
    /// Scroll offset of the details pane.
    pub details_scroll: usize,
    /// What covers the panes.
    pub overlay: Overlay,
    /// The new-diagnosis form.
    pub form: Form,
    /// The footer message, if any.
    pub notice: Option<Notice>,
    /// Selected cause in the Diagnosis overlay (an index into
    /// [`Model::causes`]).
    pub cause_sel: usize,
    /// Scroll offset of the Diagnosis overlay.
    pub diagnosis_scroll: usize,
    /// Spinner frame counter (advances on ticks while running).
    pub tick: u64,
    /// Set when the user asked to quit.
    pub quit: bool,
}

impl Model {
    /// An idle model for a terminal of `width` x `height`.
    pub fn new(width: u16, height: u16) -> Self {
        Model {
            size: (width, height),
            config: None,
            run_id: 0,
            state: RunState::Idle,
            report: None,
            last_verdict: None,
            checks: Vec::new(),
            check_sel: 0,
            check_offset: 0,
            tabs: Vec::new(),
            tab_sel: 0,
            focus: Pane::Checks,
            details_for: Pane::Checks,
            details_scroll: 0,
            overlay: Overlay::None,
            form: Form::new(),
            notice: None,
            cause_sel: 0,
            diagnosis_scroll: 0,
            tick: 0,
            quit: false,
        }
    }

    /// Whether a diagnosis is running (the spinner and tick are active).
    pub fn is_running(&self) -> bool {
        self.state == RunState::Running
    }

    /// The process exit code: the verdict of the last completed diagnosis
    /// (0 pass, 1 warn, 2 fail), 0 when none completed.
    pub fn exit_code(&self) -> u8 {
        self.last_verdict.map(crate::report::exit_code).unwrap_or(0)
    }

    /// The selected check row.
    pub fn selected_check(&self) -> Option<&CheckRow> {
        self.checks.get(self.check_sel)
    }

    /// The selected transcript tab.
    pub fn current_tab(&self) -> Option<&Tab> {
        self.tabs.get(self.tab_sel)
    }

    /// The worst status among the finished checks of an endpoint, if any.
    pub fn endpoint_status(&self, label: &str) -> Option<Status> {
        let statuses: Vec<Status> = self
            .checks
            .iter()
            .filter(|r| r.endpoint.as_deref() == Some(label))
            .filter_map(CheckRow::status)
            .collect();
        if statuses.is_empty() {
            None
        } else {
            Some(Status::worst(statuses))
        }
    }

    /// The final report's facts about an endpoint, by label.
    pub fn endpoint_report(&self, label: &str) -> Option<&EndpointReport> {
        self.report
            .as_ref()?
            .endpoints
            .iter()
            .find(|e| endpoint_report_label(e) == label)
    }

    /// TLS facts for an endpoint, when the final report has them.
    pub fn tls_info(&self, label: &str) -> Option<&TlsInfo> {
        self.endpoint_report(label)?.tls.as_ref()
    }

    /// The causes of the final report, the top one first, each once (a cause
    /// repeated with the same id and summary is shown once). Empty while
    /// running and when nothing is wrong.
    pub fn causes(&self) -> Vec<&Cause> {
        let mut out: Vec<&Cause> = Vec::new();
        if let Some(r) = &self.report {
            for c in &r.diagnosis.causes {
                if !out.iter().any(|o| o.id == c.id && o.summary == c.summary) {
                    out.push(c);
                }
            }
        }
        out
    }

    /// The row index of the first check `cause` explains, if it is listed.
    pub fn first_explained_row(&self, cause: &Cause) -> Option<usize> {
        cause.explains.iter().find_map(|r| {
            self.checks
                .iter()
                .position(|row| row.id == r.id && row.endpoint == r.endpoint)
        })
    }

    /// The row the selection starts on when a diagnosis finishes: the first
    /// check the top cause explains, else the first failing row, else the
    /// first warning row.
    pub fn first_problem_row(&self) -> Option<usize> {
        if let Some(top) = self.causes().first()
            && let Some(i) = self.first_explained_row(top)
        {
            return Some(i);
        }
        [Status::Fail, Status::Warn]
            .into_iter()
            .find_map(|s| self.checks.iter().position(|r| r.status() == Some(s)))
    }

    /// Number of finished checks and number of checks seen.
    pub fn progress(&self) -> (usize, usize) {
        let done = self.checks.iter().filter(|r| r.check.is_some()).count();
        (done, self.checks.len())
    }
}

/// `address:port` of an endpoint report, IPv6 in brackets (the same label
/// the engine uses in events and checks).
pub fn endpoint_report_label(e: &EndpointReport) -> String {
    if e.address.contains(':') {
        format!("[{}]:{}", e.address, e.port)
    } else {
        format!("{}:{}", e.address, e.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pane_cycle_visits_all() {
        let mut p = Pane::Checks;
        let mut seen = vec![p];
        for _ in 0..2 {
            p = p.cycle(true);
            seen.push(p);
        }
        assert_eq!(seen, vec![Pane::Checks, Pane::Transcript, Pane::Details]);
        assert_eq!(Pane::Checks.cycle(false), Pane::Details);
    }

    #[test]
    fn tab_top_follows_or_clamps() {
        let mut t = Tab::new("a", None);
        t.lines = (0..10)
            .map(|i| Line {
                t_ms: i,
                dir: crate::transcript::Dir::Note,
                text: String::new(),
                kind: Default::default(),
            })
            .collect();
        assert_eq!(t.top(4), 6);
        t.follow = false;
        t.offset = 99;
        assert_eq!(t.top(4), 6);
        t.offset = 2;
        assert_eq!(t.top(4), 2);
        assert_eq!(t.top(20), 0);
    }
}
