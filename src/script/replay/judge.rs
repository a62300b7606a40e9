//! Judging: turns each reply (or skip, or login attempt) into a
//! [`StepResult`] and its check, and records what the reply captured.
//!
//! Every reply is judged on its own: a step's verdict depends only on its
//! own reply, never on a neighbour in the same pipelined batch.

use crate::i18n::t;
use crate::model::{Check, CheckId, Status};
use crate::pop3::auth::Mechanism;
use crate::pop3::capa::Capabilities;
use crate::pop3::explain::{explain_command, explain_response};
use crate::pop3::response::{MultiLine, StatusLine};
use crate::script::login::{LoginKind, LoginResult, Refusal};
use crate::script::profile::{Capture, Step};
use crate::transcript::sanitize;

use super::{ReplayOptions, StepResult};

/// A step's reply as read: the status line and, for a multi-line `+OK`, the
/// body; `Err` says why no complete reply could be read.
pub(super) type Reply = Result<(StatusLine, Option<MultiLine>), String>;

/// Values captured so far.
#[derive(Debug, Default)]
pub(super) struct Vars {
    /// The message count (STAT, or LIST when complete).
    pub count: Option<u64>,
    /// `(message, octets)` from LIST.
    pub sizes: Vec<(u64, u64)>,
    /// `(message, uid)` from UIDL.
    pub uids: Vec<(u64, String)>,
}

impl Vars {
    /// The value of `{name}` in a command template, when known.
    pub(super) fn lookup(&self, name: &str) -> Option<String> {
        let count = self.count?;
        match name {
            "count" => Some(count.to_string()),
            "first" if count > 0 => Some("1".into()),
            "last" if count > 0 => Some(count.to_string()),
            "uid1" if count > 0 => self.uids.first().map(|(_, u)| u.clone()),
            _ => None,
        }
    }
}

/// The byte bound of a step: its own `max_bytes` and `--max-bytes`, the
/// smaller wins.
pub(super) fn bound(step: &Step, opts: &ReplayOptions) -> Option<u64> {
    match (step.max_bytes, opts.max_bytes) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What a reply means for the rest of the dialogue, besides its verdict.
#[derive(Debug)]
pub(super) struct Judged {
    /// The verdict.
    pub result: StepResult,
    /// `Some(ok)` when a status line was read, `None` when the connection
    /// broke.
    pub answered: Option<bool>,
    /// The capabilities a CAPA `+OK` listed.
    pub caps: Option<Capabilities>,
}

/// What the step does, for students.
fn explanation(step: &Step, verb: &str) -> String {
    step.own_explanation()
        .unwrap_or_else(|| explain_command(verb))
}

/// What the profile expects, e.g. `+OK matching /abc/`.
fn expected(step: &Step) -> String {
    match &step.regex {
        Some(re) => t!(
            "script-step-expected-matching",
            status = step.expect.shown(),
            regex = re
        ),
        None => step.expect.shown(),
    }
}

/// Parses `n value` lines of a LIST/UIDL body; returns the pairs and the
/// number of malformed lines.
fn parse_pairs(body: &MultiLine) -> (Vec<(u64, String)>, usize) {
    let mut out = Vec::new();
    let mut bad = 0;
    for line in &body.head {
        let text = sanitize(line);
        let mut words = text.split_whitespace();
        match (words.next().and_then(|n| n.parse().ok()), words.next()) {
            (Some(n), Some(v)) => out.push((n, v.to_string())),
            _ => bad += 1,
        }
    }
    (out, bad)
}

/// A skipped step (step `i`, 0-based).
pub(super) fn skipped(step: &Step, i: usize, reason: String) -> StepResult {
    let verb = step.verb();
    StepResult {
        index: i + 1,
        command_shown: if step.is_login() {
            "login".into()
        } else {
            step.send.clone()
        },
        status: Status::Skip,
        expected: expected(step),
        got: None,
        reason,
        explanation: explanation(step, &verb),
        meaning: None,
        duration_ms: None,
        pipelined: false,
        captured: serde_json::Value::Null,
        verb,
    }
}

/// A step of a refused profile: nothing was sent.
pub(super) fn refused(step: &Step, i: usize) -> StepResult {
    StepResult {
        index: i + 1,
        verb: step.verb(),
        command_shown: step.send.clone(),
        status: Status::Skip,
        expected: step.expect.shown(),
        got: None,
        reason: t!("script-step-profile-refused"),
        explanation: step
            .own_explanation()
            .unwrap_or_else(|| explain_command(&step.verb())),
        meaning: None,
        duration_ms: None,
        pipelined: false,
        captured: serde_json::Value::Null,
    }
}

/// How a command went out.
#[derive(Debug, Clone, Copy)]
pub(super) struct Timing {
    /// From sending to the complete reply (for a pipelined step: of the
    /// whole batch).
    pub duration_ms: u64,
    /// Whether the command was sent in a pipelined batch.
    pub pipelined: bool,
}

/// Judges the reply to step `i` (0-based), sent as `line`, and records its
/// captures in `vars`. `bound` is the step's byte bound.
pub(super) fn judge(
    step: &Step,
    i: usize,
    line: &str,
    reply: Reply,
    timing: Timing,
    bound: Option<u64>,
    vars: &mut Vars,
) -> Judged {
    let verb = step.verb();
    let mut res = StepResult {
        index: i + 1,
        verb: verb.clone(),
        command_shown: line.to_string(),
        status: Status::Pass,
        expected: expected(step),
        got: None,
        reason: String::new(),
        explanation: explanation(step, &verb),
        meaning: None,
        duration_ms: Some(timing.duration_ms),
        pipelined: timing.pipelined,
        captured: serde_json::Value::Null,
    };
    let (status, body) = match reply {
        Ok(r) => r,
        Err(e) => {
            res.status = Status::Fail;
            res.reason = e;
            return Judged {
                result: res,
                answered: None,
                caps: None,
            };
        }
    };
    res.got = Some(status.display());
    res.meaning = Some(explain_response(&verb, &status));
    let mut problems: Vec<String> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    if !step.expect.accepts(status.ok) {
        problems.push(t!(
            "script-step-expected-got",
            expected = step.expect.shown(),
            got = if status.ok { "+OK" } else { "-ERR" }
        ));
    }
    if let Some(re) = &step.regex {
        let matched = match regex::Regex::new(re) {
            Ok(re) => {
                re.is_match(&status.text)
                    || body.as_ref().is_some_and(|b| {
                        b.head
                            .iter()
                            .any(|l| re.is_match(&String::from_utf8_lossy(l)))
                    })
            }
            Err(_) => false,
        };
        if !matched {
            problems.push(t!("script-step-no-match", regex = re.as_str()));
        }
    }
    let mut captured = serde_json::Map::new();
    if let Some(b) = &body {
        captured.insert("lines".into(), b.total_lines.into());
        captured.insert("octets".into(), b.total_bytes.into());
        captured.insert("truncated".into(), b.truncated.into());
        if let Some(bound) = bound
            && b.total_bytes > bound
        {
            warnings.push(t!(
                "script-step-over-bound",
                octets = b.total_bytes,
                bound = bound
            ));
        }
    }
    let mut caps = None;
    if status.ok {
        match (step.capture, &body) {
            (Some(Capture::CountSize), _) => {
                let mut words = status.text.split_whitespace();
                match (
                    words.next().and_then(|w| w.parse::<u64>().ok()),
                    words.next().and_then(|w| w.parse::<u64>().ok()),
                ) {
                    (Some(n), Some(size)) => {
                        vars.count = Some(n);
                        captured.insert("count".into(), n.into());
                        captured.insert("octets".into(), size.into());
                    }
                    _ => problems.push(t!("script-step-bad-stat")),
                }
            }
            (Some(c @ (Capture::Sizes | Capture::Uids)), Some(b)) => {
                let (pairs, bad) = parse_pairs(b);
                if bad > 0 {
                    warnings.push(t!("script-step-bad-pairs", bad = bad, verb = &verb));
                }
                if c == Capture::Sizes {
                    vars.sizes = pairs
                        .iter()
                        .filter_map(|(n, v)| v.parse().ok().map(|s| (*n, s)))
                        .collect();
                    let list: Vec<_> = vars
                        .sizes
                        .iter()
                        .map(|(n, s)| serde_json::json!({"msg": n, "octets": s}))
                        .collect();
                    captured.insert("sizes".into(), list.into());
                    if vars.count.is_none() && !b.truncated {
                        vars.count = Some(vars.sizes.len() as u64);
                    }
                } else {
                    let list: Vec<_> = pairs
                        .iter()
                        .map(|(n, u)| serde_json::json!({"msg": n, "uid": u}))
                        .collect();
                    captured.insert("uids".into(), list.into());
                    vars.uids = pairs;
                }
                captured.insert("count".into(), b.total_lines.into());
            }
            _ => {}
        }
        if verb == "CAPA"
            && let Some(b) = &body
        {
            caps = Some(Capabilities::from_multiline(b));
        }
    }
    if !captured.is_empty() {
        res.captured = serde_json::Value::Object(captured);
    }
    if !problems.is_empty() {
        res.status = Status::Fail;
        problems.extend(warnings);
        res.reason = problems.join("; ");
    } else if !warnings.is_empty() {
        res.status = Status::Warn;
        res.reason = warnings.join("; ");
    }
    Judged {
        result: res,
        answered: Some(status.ok),
        caps,
    }
}

/// The login step's result (step `i`, 0-based), from the login attempt and
/// its `auth.login` check; `shown` describes the attempt.
pub(super) fn login_step(
    step: &Step,
    i: usize,
    result: &LoginResult,
    check: &Check,
    shown: String,
) -> StepResult {
    let verb_for_text = match result.mechanism {
        Some(Mechanism::User) => "PASS",
        Some(Mechanism::Apop) => "APOP",
        Some(_) => "AUTH",
        None => "USER",
    };
    let (got, meaning) = match &result.kind {
        LoginKind::Accepted { status } | LoginKind::Rejected { status, .. } => (
            Some(status.display()),
            Some(explain_response(verb_for_text, status)),
        ),
        _ => (None, None),
    };
    let reason = match &result.kind {
        LoginKind::Accepted { .. } if check.status == Status::Pass => String::new(),
        LoginKind::Accepted { .. } => check.summary.clone(),
        LoginKind::Rejected { .. } => t!("script-step-login-refused"),
        LoginKind::NotSent(Refusal::NoCredentials) => t!("script-step-no-credentials"),
        LoginKind::NotSent(r) => {
            t!(
                "script-step-nothing-sent",
                reason = r.message(&result.offered)
            )
        }
        LoginKind::Broken { error, .. } => error.clone(),
    };
    let explanation = step
        .own_explanation()
        .unwrap_or_else(|| explain_command(verb_for_text));
    StepResult {
        index: i + 1,
        verb: "LOGIN".into(),
        command_shown: shown,
        status: check.status,
        expected: "+OK".into(),
        got,
        reason,
        explanation,
        meaning,
        duration_ms: result.duration_ms,
        pipelined: false,
        captured: serde_json::Value::Null,
    }
}

impl StepResult {
    /// The step's check, id `pop3.step.N`.
    pub fn check(&self, endpoint: Option<String>) -> Check {
        let summary = match (&self.got, self.status) {
            (_, Status::Skip) => format!("{}: skipped: {}", self.command_shown, self.reason),
            (Some(got), _) if self.reason.is_empty() => {
                format!("{} → {got}", self.command_shown)
            }
            (Some(got), _) => format!("{} → {got} ({})", self.command_shown, self.reason),
            (None, _) => format!("{}: {}", self.command_shown, self.reason),
        };
        let mut detail = self.explanation.clone();
        if let Some(m) = &self.meaning {
            detail.push(' ');
            detail.push_str(m);
        }
        let remedy = if self.status == Status::Fail && self.verb == "LOGIN" {
            t!("script-step-remedy-login")
        } else if self.status == Status::Fail {
            t!("script-step-remedy", expected = &self.expected)
        } else {
            String::new()
        };
        Check {
            id: CheckId::Pop3Step(self.index as u32),
            status: self.status,
            endpoint,
            summary,
            detail,
            remedy,
            duration_ms: self.duration_ms,
            data: serde_json::json!({
                "index": self.index,
                "command": self.command_shown,
                "expected": self.expected,
                "got": self.got,
                "pipelined": self.pipelined,
                "captured": self.captured,
            }),
        }
    }
}
