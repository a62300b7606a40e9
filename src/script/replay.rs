//! The replay engine: runs a [`Profile`] over a [`Session`] and judges
//! every step.
//!
//! Safety rules, in the order they apply:
//!
//! 1. The profile is validated again ([`Profile::validate`] with
//!    `allow_delete`); an invalid profile sends nothing.
//! 2. Credentials are sent only by the login step, through
//!    [`login`], which refuses cleartext and untrusted
//!    TLS unless `allow_cleartext`.
//! 3. **Never lose mail**: once a DELE has been sent, any failure (a step
//!    that does not meet its expectation, a broken connection) makes
//!    popscope send `RSET` (when the connection still works) and stop
//!    *without* `QUIT`: a session that closes without QUIT never enters the
//!    UPDATE state, so the server deletes nothing (RFC 1939 §6). Only a
//!    dialogue that succeeded ends with QUIT after a DELE.
//!
//! When the server advertises PIPELINING (RFC 2449), consecutive read-only
//! steps (STAT, LIST, UIDL, TOP, RETR, NOOP) that do not depend on each
//! other's captures are sent in one write and their replies matched in
//! order; otherwise commands go one at a time. Replies are bounded by the
//! session's [`Limits`](crate::pop3::reader::Limits); the transcript keeps
//! the head of long bodies and counts the rest.

use serde::Serialize;
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite};

use super::login::{
    Credentials, LoginKind, LoginOptions, LoginResult, Refusal, diagnose_login, login,
};
use super::profile::{Capture, Profile, Step, render};
use crate::model::{Check, Status};
use crate::pop3::auth::Mechanism;
use crate::pop3::capa::Capabilities;
use crate::pop3::explain::{explain_command, explain_response};
use crate::pop3::response::{MultiLine, StatusLine};
use crate::pop3::session::{Pop3Error, Session};
use crate::transcript::sanitize;

/// Id of the overall check of a dialogue.
pub const DIALOGUE_CHECK_ID: &str = "pop3.dialogue";

/// Prefix of the per-step check ids: step *n* (1-based, as numbered in the
/// profile) is `pop3.step.n`.
pub const STEP_CHECK_PREFIX: &str = "pop3.step.";

/// How a dialogue may run.
#[derive(Debug, Clone, Default)]
pub struct ReplayOptions {
    /// `--allow-delete`: DELE steps may run.
    pub allow_delete: bool,
    /// `--allow-cleartext-auth`: credentials may be sent without TLS or over
    /// TLS with an untrusted certificate.
    pub allow_cleartext: bool,
    /// `--auth`: the login method; `None` picks automatically.
    pub mechanism: Option<Mechanism>,
    /// Whether the session runs inside TLS (port 995 or after STLS).
    pub tls_active: bool,
    /// Whether the server's certificate verified.
    pub tls_trusted: bool,
    /// `--max-bytes`: a RETR of a message known (from LIST) to be larger is
    /// skipped; a step's own `max_bytes` applies too (the smaller wins).
    pub max_bytes: Option<u64>,
    /// The capabilities already known (CAPA inside TLS), for `requires`,
    /// PIPELINING and the login method; a CAPA step replaces them.
    pub caps: Option<Capabilities>,
}

/// The verdict on one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepResult {
    /// 1-based step number, as in the profile.
    pub index: usize,
    /// The command word (`LOGIN` for the login step).
    pub verb: String,
    /// The command as sent, variables filled in; for the login step a
    /// description such as `login as alice (CRAM-MD5)`. Never a secret.
    pub command_shown: String,
    /// pass, warn, fail or skip.
    pub status: Status,
    /// What the profile expected (`+OK`, `-ERR`, `+OK or -ERR`, plus the
    /// regex).
    pub expected: String,
    /// The status line received (sanitised), when one was.
    pub got: Option<String>,
    /// Why the verdict, in words (empty for a plain pass).
    pub reason: String,
    /// What the step does, for students.
    pub explanation: String,
    /// What the reply means, for students.
    pub meaning: Option<String>,
    /// Time from sending to the complete reply; for pipelined steps the
    /// time of the whole batch.
    pub duration_ms: Option<u64>,
    /// Whether the command was sent in a pipelined batch.
    pub pipelined: bool,
    /// What was captured: `{"count", "octets"}` for STAT; `sizes`/`uids`
    /// lists for LIST/UIDL; `lines`, `octets`, `truncated` for every
    /// multi-line reply; `null` otherwise.
    pub captured: serde_json::Value,
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
            "See auth.login.".to_string()
        } else if self.status == Status::Fail {
            format!(
                "The profile expected {}; read the server's reply above and the transcript.",
                self.expected
            )
        } else {
            String::new()
        };
        Check {
            id: format!("{STEP_CHECK_PREFIX}{}", self.index),
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

/// Everything a replay produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DialogueOutcome {
    /// The profile's name.
    pub profile: String,
    /// One result per profile step, in order.
    pub steps: Vec<StepResult>,
    /// The `auth.login` check, when the profile has a login step.
    pub login: Option<Check>,
    /// The login attempt in detail, when the profile has a login step.
    pub login_result: Option<LoginResult>,
    /// `pop3.dialogue` first, then `pop3.step.N` for every step (`auth.login`
    /// is in [`DialogueOutcome::login`]; [`DialogueOutcome::all_checks`]
    /// gives everything).
    pub checks: Vec<Check>,
    /// Whether messages were deleted: a DELE succeeded and the session
    /// ended with QUIT `+OK` without RSET in between.
    pub deleted: bool,
    /// Whether popscope sent RSET because something failed after a DELE.
    pub rset_sent: bool,
    /// Whether QUIT was sent (by the profile or to end the session).
    pub quit_sent: bool,
    /// Round trips the dialogue cost (a pipelined batch counts once).
    pub round_trips: u32,
    /// Wall time of the whole dialogue.
    pub duration_ms: u64,
}

impl DialogueOutcome {
    /// `auth.login` (when present), `pop3.dialogue`, then every step's check.
    pub fn all_checks(&self) -> Vec<Check> {
        self.login.iter().chain(&self.checks).cloned().collect()
    }

    /// The overall `pop3.dialogue` check.
    pub fn dialogue_check(&self) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == DIALOGUE_CHECK_ID)
    }
}

/// Values captured so far.
#[derive(Debug, Default)]
struct Vars {
    count: Option<u64>,
    sizes: Vec<(u64, u64)>,
    uids: Vec<(u64, String)>,
}

/// What a capture provides, for pipelining dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Count,
    Sizes,
    Uids,
}

/// What to do with a step now.
enum Prep {
    Skip(String),
    Login,
    Send(String),
}

/// Commands that change nothing and may be pipelined.
fn pipelinable(step: &Step) -> bool {
    !step.is_login()
        && matches!(
            step.verb().as_str(),
            "STAT" | "LIST" | "UIDL" | "TOP" | "RETR" | "NOOP"
        )
}

fn provides(step: &Step) -> Vec<Need> {
    match step.capture {
        Some(Capture::CountSize) => vec![Need::Count],
        Some(Capture::Sizes) => vec![Need::Count, Need::Sizes],
        Some(Capture::Uids) => vec![Need::Uids],
        None => Vec::new(),
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

struct Runner<'a, S> {
    session: &'a mut Session<S>,
    profile: &'a Profile,
    creds: Option<&'a Credentials>,
    opts: &'a ReplayOptions,
    caps: Option<Capabilities>,
    vars: Vars,
    results: Vec<Option<StepResult>>,
    /// Why later steps do not run (QUIT still does unless `unsafe_quit`).
    stopped: Option<String>,
    /// The connection cannot be used any more.
    broken: bool,
    /// A DELE was sent in this session.
    dele_sent: bool,
    /// Messages are marked for deletion (DELE +OK, no RSET since).
    marked: bool,
    /// Something failed after a DELE: QUIT must not be sent.
    unsafe_quit: bool,
    /// The login step was skipped for want of credentials.
    no_credentials: bool,
    rset_sent: bool,
    quit_sent: bool,
    deleted: bool,
    login: Option<(LoginResult, Check)>,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Runner<'_, S> {
    fn bound(&self, step: &Step) -> Option<u64> {
        match (step.max_bytes, self.opts.max_bytes) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn needs(&self, step: &Step) -> Vec<Need> {
        let mut out = Vec::new();
        for v in step.variables() {
            match v.as_str() {
                "uid1" => out.push(Need::Uids),
                _ => out.push(Need::Count),
            }
        }
        if step.verb() == "RETR" && self.bound(step).is_some() {
            out.push(Need::Sizes);
        }
        out
    }

    fn lookup(&self, name: &str) -> Option<String> {
        let count = self.vars.count?;
        match name {
            "count" => Some(count.to_string()),
            "first" if count > 0 => Some("1".into()),
            "last" if count > 0 => Some(count.to_string()),
            "uid1" if count > 0 => self.vars.uids.first().map(|(_, u)| u.clone()),
            _ => None,
        }
    }

    fn prepare(&self, i: usize) -> Prep {
        let step = &self.profile.steps[i];
        let verb = step.verb();
        if self.broken {
            return Prep::Skip("not run: the connection can no longer be used".into());
        }
        if verb == "QUIT" && self.unsafe_quit {
            return Prep::Skip(
                "not sent: a step failed after DELE, so popscope closes without QUIT and the server deletes nothing".into(),
            );
        }
        if let Some(why) = &self.stopped
            && verb != "QUIT"
        {
            return Prep::Skip(format!("not run: {why}"));
        }
        if step.is_login() {
            return Prep::Login;
        }
        if let Some(req) = &step.requires {
            match &self.caps {
                Some(c) if c.has(req) => {}
                Some(_) => return Prep::Skip(format!("the server does not advertise {req}")),
                None => {
                    return Prep::Skip(format!(
                        "the server sent no capability list, so {req} support is unknown"
                    ));
                }
            }
        }
        let line = match render(&step.send, |v| self.lookup(v)) {
            Ok(l) => l,
            Err(var) => {
                let reason = match (self.vars.count, var.as_str()) {
                    (None, _) => {
                        "the message count is not known (the step that captures it did not succeed)"
                            .to_string()
                    }
                    (Some(0), _) => "the mailbox is empty".to_string(),
                    (_, "uid1") => {
                        "no UIDs were captured (the UIDL step was skipped or failed)".to_string()
                    }
                    _ => format!("{{{var}}} has no value"),
                };
                return Prep::Skip(reason);
            }
        };
        if verb == "RETR"
            && let Some(bound) = self.bound(step)
            && let Some(n) = line
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.parse::<u64>().ok())
            && let Some(&(_, size)) = self.vars.sizes.iter().find(|(m, _)| *m == n)
            && size > bound
        {
            return Prep::Skip(format!(
                "message {n} is {size} octets, more than the bound of {bound} octets"
            ));
        }
        Prep::Send(line)
    }

    fn explanation(step: &Step, verb: &str) -> String {
        step.explain
            .clone()
            .unwrap_or_else(|| explain_command(verb).to_string())
    }

    fn expected(step: &Step) -> String {
        match &step.regex {
            Some(re) => format!("{} matching /{re}/", step.expect.shown()),
            None => step.expect.shown().to_string(),
        }
    }

    fn skip_result(&self, i: usize, reason: String) -> StepResult {
        let step = &self.profile.steps[i];
        let verb = step.verb();
        StepResult {
            index: i + 1,
            command_shown: if step.is_login() {
                "login".into()
            } else {
                step.send.clone()
            },
            status: Status::Skip,
            expected: Self::expected(step),
            got: None,
            reason,
            explanation: Self::explanation(step, &verb),
            meaning: None,
            duration_ms: None,
            pipelined: false,
            captured: serde_json::Value::Null,
            verb,
        }
    }

    /// Judges a reply and applies its captures and side effects.
    fn judge(
        &mut self,
        i: usize,
        line: &str,
        reply: Result<(StatusLine, Option<MultiLine>), String>,
        duration_ms: u64,
        pipelined: bool,
    ) -> StepResult {
        let profile = self.profile;
        let step = &profile.steps[i];
        let verb = step.verb();
        let mut res = StepResult {
            index: i + 1,
            verb: verb.clone(),
            command_shown: line.to_string(),
            status: Status::Pass,
            expected: Self::expected(step),
            got: None,
            reason: String::new(),
            explanation: Self::explanation(step, &verb),
            meaning: None,
            duration_ms: Some(duration_ms),
            pipelined,
            captured: serde_json::Value::Null,
        };
        let (status, body) = match reply {
            Ok(r) => r,
            Err(e) => {
                self.broken = true;
                res.status = Status::Fail;
                res.reason = e;
                return res;
            }
        };
        res.got = Some(status.display());
        res.meaning = Some(explain_response(&verb, &status));
        let mut problems: Vec<String> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        if !step.expect.accepts(status.ok) {
            problems.push(format!(
                "expected {}, got {}",
                step.expect.shown(),
                if status.ok { "+OK" } else { "-ERR" }
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
                problems.push(format!("the reply does not match /{re}/"));
            }
        }
        let mut captured = serde_json::Map::new();
        if let Some(b) = &body {
            captured.insert("lines".into(), b.total_lines.into());
            captured.insert("octets".into(), b.total_bytes.into());
            captured.insert("truncated".into(), b.truncated.into());
            if let Some(bound) = self.bound(step)
                && b.total_bytes > bound
            {
                warnings.push(format!(
                    "the reply was {} octets, more than the bound of {bound}; only its head was kept",
                    b.total_bytes
                ));
            }
        }
        if status.ok {
            match (step.capture, &body) {
                (Some(Capture::CountSize), _) => {
                    let mut words = status.text.split_whitespace();
                    match (
                        words.next().and_then(|w| w.parse::<u64>().ok()),
                        words.next().and_then(|w| w.parse::<u64>().ok()),
                    ) {
                        (Some(n), Some(size)) => {
                            self.vars.count = Some(n);
                            captured.insert("count".into(), n.into());
                            captured.insert("octets".into(), size.into());
                        }
                        _ => problems.push(
                            "STAT must answer \"+OK count octets\" (RFC 1939); nothing captured"
                                .into(),
                        ),
                    }
                }
                (Some(c @ (Capture::Sizes | Capture::Uids)), Some(b)) => {
                    let (pairs, bad) = parse_pairs(b);
                    if bad > 0 {
                        warnings.push(format!(
                            "{bad} line(s) of the {verb} reply are not \"number value\""
                        ));
                    }
                    if c == Capture::Sizes {
                        self.vars.sizes = pairs
                            .iter()
                            .filter_map(|(n, v)| v.parse().ok().map(|s| (*n, s)))
                            .collect();
                        let list: Vec<_> = self
                            .vars
                            .sizes
                            .iter()
                            .map(|(n, s)| serde_json::json!({"msg": n, "octets": s}))
                            .collect();
                        captured.insert("sizes".into(), list.into());
                        if self.vars.count.is_none() && !b.truncated {
                            self.vars.count = Some(self.vars.sizes.len() as u64);
                        }
                    } else {
                        let list: Vec<_> = pairs
                            .iter()
                            .map(|(n, u)| serde_json::json!({"msg": n, "uid": u}))
                            .collect();
                        captured.insert("uids".into(), list.into());
                        self.vars.uids = pairs;
                    }
                    captured.insert("count".into(), b.total_lines.into());
                }
                _ => {}
            }
            match verb.as_str() {
                "DELE" => self.marked = true,
                "RSET" => self.marked = false,
                "CAPA" => {
                    if let Some(b) = &body {
                        self.caps = Some(Capabilities::from_multiline(b));
                    }
                }
                _ => {}
            }
        }
        if verb == "QUIT" {
            self.quit_sent = true;
            if status.ok {
                self.deleted = self.marked;
            }
            // the session is over either way
            self.broken = true;
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
        res
    }

    /// Records a result, notes it in the transcript and applies the
    /// stop / never-lose-mail rules.
    async fn finish(&mut self, res: StepResult) {
        let i = res.index - 1;
        let rec = self.session.recorder().clone();
        let verdict = if res.reason.is_empty() {
            format!("step {} ({}): {}", res.index, res.command_shown, res.status)
        } else {
            format!(
                "step {} ({}): {}: {}",
                res.index, res.command_shown, res.status, res.reason
            )
        };
        rec.note(&verdict);
        let failed = res.status == Status::Fail;
        let stop_on_fail = self.profile.steps[i].stop_on_fail;
        let index = res.index;
        self.results[i] = Some(res);
        if !failed {
            return;
        }
        if self.dele_sent && !self.unsafe_quit && !self.quit_sent {
            self.unsafe_quit = true;
            self.stopped = Some(format!(
                "step {index} failed after DELE; popscope stops so that no mail is lost"
            ));
            if self.broken {
                rec.note("the connection broke after DELE: the server never reached the UPDATE state (no QUIT), so it deletes nothing");
            } else {
                rec.note("a step failed after DELE: popscope sends RSET to unmark every message and closes without QUIT, so the server deletes nothing");
                self.rset_sent = true;
                match self.session.command("RSET").await {
                    Ok(st) if st.ok => self.marked = false,
                    Ok(st) => rec.note(&format!(
                        "RSET was refused ({st}); closing without QUIT still leaves the mailbox unchanged"
                    )),
                    Err(e) => {
                        self.broken = true;
                        rec.note(&format!(
                            "RSET failed ({e}); closing without QUIT still leaves the mailbox unchanged"
                        ));
                    }
                }
            }
        } else if self.stopped.is_none() && (stop_on_fail || self.broken) {
            self.stopped = Some(if self.broken {
                format!("step {index} broke the connection")
            } else {
                format!("step {index} failed and stops the dialogue")
            });
        }
    }

    async fn run_login(&mut self, i: usize) -> StepResult {
        let profile = self.profile;
        let step = &profile.steps[i];
        let rec = self.session.recorder().clone();
        let (result, shown) = match self.creds {
            None => {
                self.no_credentials = true;
                self.stopped = Some("no credentials were given, so popscope did not log in".into());
                (
                    LoginResult::no_credentials(
                        rec.endpoint().map(str::to_string),
                        self.opts.tls_active,
                        self.opts.tls_trusted,
                    ),
                    "login".to_string(),
                )
            }
            Some(creds) => {
                let opts = LoginOptions {
                    mechanism: self.opts.mechanism,
                    allow_cleartext: self.opts.allow_cleartext,
                    tls_active: self.opts.tls_active,
                    tls_trusted: self.opts.tls_trusted,
                    prefer: step.mechanism,
                };
                let r = login(self.session, creds, self.caps.as_ref(), &opts).await;
                let shown = match r.mechanism {
                    Some(m) => format!("login as {} ({m})", creds.user),
                    None => format!("login as {}", creds.user),
                };
                (r, shown)
            }
        };
        let check = diagnose_login(&result);
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
        if matches!(result.kind, LoginKind::Broken { .. }) {
            self.broken = true;
        }
        let reason = match &result.kind {
            LoginKind::Accepted { .. } if check.status == Status::Pass => String::new(),
            LoginKind::Accepted { .. } => check.summary.clone(),
            LoginKind::Rejected { .. } => "login refused; see auth.login".into(),
            LoginKind::NotSent(Refusal::NoCredentials) => "no credentials given".into(),
            LoginKind::NotSent(r) => {
                format!("nothing sent: {}", r.message(&result.offered))
            }
            LoginKind::Broken { error, .. } => error.clone(),
        };
        let explanation = step
            .explain
            .clone()
            .unwrap_or_else(|| explain_command(verb_for_text).to_string());
        let res = StepResult {
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
        };
        self.login = Some((result, check));
        res
    }

    async fn run_single(&mut self, i: usize, line: String) -> StepResult {
        let profile = self.profile;
        let step = &profile.steps[i];
        if step.verb() == "DELE" {
            self.dele_sent = true;
        }
        let multiline = step.multiline;
        let start = Instant::now();
        let reply = if multiline {
            self.session.command_multiline(&line).await
        } else {
            self.session.command(&line).await.map(|s| (s, None))
        };
        let ms = start.elapsed().as_millis() as u64;
        self.judge(
            i,
            &line,
            reply.map_err(|e: Pop3Error| e.to_string()),
            ms,
            false,
        )
    }

    async fn run_batch(&mut self, batch: Vec<(usize, String)>) -> Vec<StepResult> {
        let cmds: Vec<&str> = batch.iter().map(|(_, l)| l.as_str()).collect();
        let multi: Vec<bool> = batch
            .iter()
            .map(|(i, _)| self.profile.steps[*i].multiline)
            .collect();
        self.session.recorder().note(&format!(
            "PIPELINING: sending {} commands in one write",
            cmds.len()
        ));
        let start = Instant::now();
        let replies = self.session.pipeline(&cmds, &multi).await;
        let ms = start.elapsed().as_millis() as u64;
        match replies {
            Ok(replies) => batch
                .iter()
                .zip(replies)
                .map(|((i, line), r)| self.judge(*i, line, Ok(r), ms, true))
                .collect(),
            Err(e) => {
                let msg = format!("the pipelined replies could not be read: {e}");
                batch
                    .iter()
                    .map(|(i, line)| self.judge(*i, line, Err(msg.clone()), ms, true))
                    .collect()
            }
        }
    }

    async fn run(&mut self) {
        let profile = self.profile;
        let n = profile.steps.len();
        let mut i = 0;
        while i < n {
            let step = &profile.steps[i];
            match self.prepare(i) {
                Prep::Skip(reason) => {
                    let res = self.skip_result(i, reason);
                    self.finish(res).await;
                    i += 1;
                }
                Prep::Login => {
                    let res = self.run_login(i).await;
                    self.finish(res).await;
                    i += 1;
                }
                Prep::Send(line) => {
                    let pipelining = profile.pipelining
                        && self.caps.as_ref().is_some_and(Capabilities::pipelining);
                    let mut batch = vec![(i, line)];
                    let mut j = i + 1;
                    if pipelining && pipelinable(step) && !step.stop_on_fail {
                        let mut produced = provides(step);
                        while j < n {
                            let next = &profile.steps[j];
                            if !pipelinable(next)
                                || self.needs(next).iter().any(|d| produced.contains(d))
                            {
                                break;
                            }
                            let Prep::Send(l) = self.prepare(j) else {
                                break;
                            };
                            produced.extend(provides(next));
                            batch.push((j, l));
                            j += 1;
                            if next.stop_on_fail {
                                break;
                            }
                        }
                    }
                    if batch.len() > 1 {
                        for res in self.run_batch(batch).await {
                            self.finish(res).await;
                        }
                    } else {
                        let (k, l) = batch.pop().expect("one step");
                        let res = self.run_single(k, l).await;
                        self.finish(res).await;
                    }
                    i = j;
                }
            }
        }
        if !self.quit_sent && !self.broken && !self.unsafe_quit {
            self.session
                .recorder()
                .note("popscope ends the session with QUIT (the profile has no QUIT step)");
            self.quit_sent = true;
            if self.session.quit().await.is_some_and(|s| s.ok) {
                self.deleted = self.marked;
            }
        }
    }
}

/// Runs `profile` over `session` and judges every step (see the module
/// documentation for the safety rules).
///
/// The session must have read the greeting (and, on a plain port, finished
/// the STLS upgrade): the dialogue starts in the AUTHORIZATION state.
/// `creds` is needed by the login step; without it the login step and the
/// steps after it are skipped. The session is always ended: by the
/// profile's QUIT, by a QUIT popscope adds, or (after a failure following
/// DELE) by closing without QUIT; do not reuse it.
pub async fn replay<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    profile: &Profile,
    creds: Option<&Credentials>,
    opts: &ReplayOptions,
) -> DialogueOutcome {
    let start = Instant::now();
    let rt0 = session.round_trips();
    let endpoint = session.recorder().endpoint().map(str::to_string);
    if let Err(e) = profile.validate(opts.allow_delete) {
        session
            .recorder()
            .note(&format!("profile refused, nothing sent: {e}"));
        let steps: Vec<StepResult> = profile
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepResult {
                index: i + 1,
                verb: s.verb(),
                command_shown: s.send.clone(),
                status: Status::Skip,
                expected: s.expect.shown().to_string(),
                got: None,
                reason: "not run: the profile was refused".into(),
                explanation: s
                    .explain
                    .clone()
                    .unwrap_or_else(|| explain_command(&s.verb()).to_string()),
                meaning: None,
                duration_ms: None,
                pipelined: false,
                captured: serde_json::Value::Null,
            })
            .collect();
        let dialogue = Check::new(
            DIALOGUE_CHECK_ID,
            Status::Fail,
            endpoint.clone(),
            format!("profile refused, nothing was sent: {e}"),
        )
        .remedy(match e {
            super::profile::ProfileError::DeleteRefused { .. } => {
                "Remove the DELE steps, or pass --allow-delete if deleting mail is really intended."
            }
            _ => "Fix the profile (see docs/profiles.md).",
        })
        .data(serde_json::json!({"profile": profile.name, "error": e.to_string()}));
        let mut checks = vec![dialogue];
        checks.extend(steps.iter().map(|s| s.check(endpoint.clone())));
        return DialogueOutcome {
            profile: profile.name.clone(),
            steps,
            login: None,
            login_result: None,
            checks,
            deleted: false,
            rset_sent: false,
            quit_sent: false,
            round_trips: 0,
            duration_ms: start.elapsed().as_millis() as u64,
        };
    }

    let mut runner = Runner {
        session,
        profile,
        creds,
        opts,
        caps: opts.caps.clone(),
        vars: Vars::default(),
        results: vec![None; profile.steps.len()],
        stopped: None,
        broken: false,
        dele_sent: false,
        marked: false,
        unsafe_quit: false,
        no_credentials: false,
        rset_sent: false,
        quit_sent: false,
        deleted: false,
        login: None,
    };
    runner.run().await;

    let steps: Vec<StepResult> = runner.results.into_iter().flatten().collect();
    let round_trips = runner.session.round_trips().saturating_sub(rt0);
    let duration_ms = start.elapsed().as_millis() as u64;
    let count = |st: Status| steps.iter().filter(|s| s.status == st).count();
    let (passed, warned, failed, skipped) = (
        count(Status::Pass),
        count(Status::Warn),
        count(Status::Fail),
        count(Status::Skip),
    );
    let pipelined = steps.iter().filter(|s| s.pipelined).count();
    let mut status = Status::worst(steps.iter().map(|s| s.status));
    if runner.no_credentials && status != Status::Fail {
        status = Status::Skip;
    }
    let mut summary = format!(
        "profile {}: {} steps, {passed} passed, {failed} failed, {skipped} skipped",
        profile.name,
        steps.len()
    );
    if warned > 0 {
        summary.push_str(&format!(", {warned} with warnings"));
    }
    summary.push_str(&format!(", {round_trips} round trips"));
    if runner.no_credentials {
        summary.push_str(" (no credentials: login and the steps after it were skipped)");
    }
    let mut detail = Vec::new();
    if let Some(why) = &runner.stopped {
        detail.push(format!("Stopped early: {why}."));
    }
    if pipelined > 0 {
        detail.push(format!(
            "{pipelined} steps were pipelined (the server advertises PIPELINING)."
        ));
    }
    if runner.rset_sent || runner.unsafe_quit {
        detail.push(
            "A step failed after DELE: popscope sent RSET (when it could) and closed without QUIT, so the server deleted nothing.".into(),
        );
    }
    if runner.deleted {
        detail.push("Messages marked with DELE were deleted at QUIT (--allow-delete).".into());
    }
    let failing: Vec<String> = steps
        .iter()
        .filter(|s| s.status == Status::Fail)
        .map(|s| format!("{STEP_CHECK_PREFIX}{}", s.index))
        .collect();
    let remedy = if failing.is_empty() {
        String::new()
    } else {
        format!("See {}.", failing.join(", "))
    };
    let dialogue = Check::new(DIALOGUE_CHECK_ID, status, endpoint.clone(), summary)
        .detail(detail.join(" "))
        .remedy(remedy)
        .data(serde_json::json!({
            "profile": profile.name,
            "source": profile.source,
            "steps": steps.len(),
            "passed": passed,
            "warned": warned,
            "failed": failed,
            "skipped": skipped,
            "pipelined": pipelined,
            "round_trips": round_trips,
            "deleted": runner.deleted,
            "rset_sent": runner.rset_sent,
            "quit_sent": runner.quit_sent,
        }));
    let mut dialogue = dialogue;
    dialogue.duration_ms = Some(duration_ms);
    let mut checks = vec![dialogue];
    checks.extend(steps.iter().map(|s| s.check(endpoint.clone())));
    let (login_result, login) = match runner.login {
        Some((r, c)) => (Some(r), Some(c)),
        None => (None, None),
    };
    DialogueOutcome {
        profile: profile.name.clone(),
        steps,
        login,
        login_result,
        checks,
        deleted: runner.deleted,
        rset_sent: runner.rset_sent,
        quit_sent: runner.quit_sent,
        round_trips,
        duration_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::reader::Limits;
    use crate::pop3::session::test_peer::{Step as Peer, expect, send, spawn};
    use crate::transcript::{Dir, Recorder};
    use std::time::Duration;

    fn profile(steps: &str) -> Profile {
        Profile::parse(&format!("name = \"t\"\n{steps}"), "t.toml").unwrap()
    }

    fn caps(lines: &[&str]) -> Option<Capabilities> {
        Some(Capabilities::from_lines(lines))
    }

    /// Runs `p` against a scripted peer (greeting sent first); returns the
    /// outcome, what the peer received and the transcript.
    async fn run(
        p: &Profile,
        creds: Option<&Credentials>,
        opts: ReplayOptions,
        script: Vec<Peer>,
    ) -> (DialogueOutcome, Vec<String>, Vec<(Dir, String)>) {
        let mut full = vec![send("+OK ready")];
        full.extend(script);
        let (io, peer) = spawn(full);
        let rec = Recorder::detached();
        let mut s = Session::new(io, rec.clone(), Duration::from_secs(5), Limits::default());
        s.read_greeting().await.unwrap();
        let o = replay(&mut s, p, creds, &opts).await;
        drop(s);
        let got = peer.await.unwrap();
        let lines = rec.lines().into_iter().map(|l| (l.dir, l.text)).collect();
        (o, got, lines)
    }

    fn statuses(o: &DialogueOutcome) -> Vec<Status> {
        o.steps.iter().map(|s| s.status).collect()
    }

    #[tokio::test]
    async fn independent_steps_go_out_in_one_write() {
        let p = profile(
            "[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\n[[step]]\nsend = \"LIST\"\ncapture = \"sizes\"\n[[step]]\nsend = \"UIDL\"\ncapture = \"uids\"\n[[step]]\nsend = \"UIDL {uid1}\"\nexpect = \"any\"\n[[step]]\nsend = \"QUIT\"\n",
        );
        let opts = ReplayOptions {
            caps: caps(&["PIPELINING", "UIDL"]),
            ..Default::default()
        };
        let (o, got, _) = run(
            &p,
            None,
            opts,
            vec![
                expect("STAT"),
                Peer::Buffered("LIST\r\nUIDL\r\n".len()),
                expect("LIST"),
                expect("UIDL"),
                Peer::Send(
                    b"+OK 2 300\r\n+OK\r\n1 100\r\n2 200\r\n.\r\n+OK\r\n1 aaa\r\n2 bbb\r\n.\r\n"
                        .to_vec(),
                ),
                // depends on the UIDs: a batch of its own
                expect("UIDL aaa"),
                send("-ERR bad message number"),
                expect("QUIT"),
                send("+OK bye"),
            ],
        )
        .await;
        assert_eq!(got.len(), 5);
        assert_eq!(statuses(&o), [Status::Pass; 5]);
        assert_eq!(o.round_trips, 3);
        assert!(o.steps[..3].iter().all(|s| s.pipelined));
        assert_eq!(o.steps[0].captured["count"], 2);
        assert_eq!(o.steps[1].captured["sizes"][1]["octets"], 200);
        assert_eq!(o.steps[2].captured["uids"][0]["uid"], "aaa");
        assert_eq!(o.dialogue_check().unwrap().status, Status::Pass);
    }

    #[tokio::test]
    async fn no_credentials_skips_login_and_what_follows() {
        let p = Profile::builtin("basic").unwrap();
        let (o, got, lines) = run(
            &p,
            None,
            ReplayOptions::default(),
            vec![
                expect("CAPA"),
                send("+OK"),
                send("UIDL"),
                send("."),
                expect("QUIT"),
                send("+OK"),
            ],
        )
        .await;
        assert_eq!(got, ["CAPA", "QUIT"]);
        assert_eq!(
            statuses(&o),
            [
                Status::Pass,
                Status::Skip,
                Status::Skip,
                Status::Skip,
                Status::Skip,
                Status::Pass
            ]
        );
        assert_eq!(o.login.as_ref().unwrap().status, Status::Skip);
        let d = o.dialogue_check().unwrap();
        assert_eq!(d.status, Status::Skip);
        assert!(d.summary.contains("no credentials"), "{}", d.summary);
        assert!(
            lines
                .iter()
                .any(|(d, t)| *d == Dir::Note && t.contains("step 2"))
        );
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["login_result"]["kind"]["kind"], "not-sent");
        assert_eq!(json["login_result"]["kind"]["reason"], "no-credentials");
    }

    #[tokio::test]
    async fn retr_larger_than_the_bound_is_skipped() {
        let p = profile(
            "[[step]]\nsend = \"LIST\"\ncapture = \"sizes\"\n[[step]]\nsend = \"RETR {first}\"\nmax_bytes = 1000\n[[step]]\nsend = \"RETR {last}\"\n",
        );
        let (o, _, _) = run(
            &p,
            None,
            ReplayOptions {
                max_bytes: Some(50_000),
                ..Default::default()
            },
            vec![
                expect("LIST"),
                send("+OK"),
                send("1 52000000"),
                send("2 20"),
                send("."),
                expect("RETR 2"),
                send("+OK"),
                send("Subject: x"),
                send(".."),
                send("."),
                expect("QUIT"),
                send("+OK"),
            ],
        )
        .await;
        assert_eq!(statuses(&o), [Status::Pass, Status::Skip, Status::Pass]);
        assert_eq!(
            o.steps[1].reason,
            "message 1 is 52000000 octets, more than the bound of 1000 octets"
        );
        assert_eq!(o.steps[2].captured["lines"], 2);
        assert!(o.quit_sent, "popscope adds QUIT when the profile has none");
    }

    #[tokio::test]
    async fn expectations_regex_and_malformed_captures() {
        let p = profile(
            "[[step]]\nsend = \"NOOP\"\nexpect = \"err\"\n[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\nregex = '^\\d+ \\d+$'\n[[step]]\nsend = \"UIDL\"\ncapture = \"uids\"\nregex = 'abc'\n[[step]]\nsend = \"XTND\"\nexpect = \"any\"\nstop_on_fail = true\n[[step]]\nsend = \"QUIT\"\n",
        );
        let (o, _, _) = run(
            &p,
            None,
            ReplayOptions::default(),
            vec![
                expect("NOOP"),
                send("+OK"),
                expect("STAT"),
                send("+OK lots"),
                expect("UIDL"),
                send("+OK"),
                send("1 abc"),
                send("garbage"),
                send("."),
                expect("XTND"),
                send("-ERR unknown"),
                expect("QUIT"),
                send("+OK"),
            ],
        )
        .await;
        assert_eq!(
            statuses(&o),
            [
                Status::Fail,
                Status::Fail,
                Status::Warn,
                Status::Pass,
                Status::Pass
            ]
        );
        assert_eq!(o.steps[0].reason, "expected -ERR, got +OK");
        assert!(
            o.steps[1].reason.contains("does not match"),
            "{}",
            o.steps[1].reason
        );
        assert!(
            o.steps[1].reason.contains("RFC 1939"),
            "{}",
            o.steps[1].reason
        );
        assert!(
            o.steps[2].reason.contains("1 line(s)"),
            "{}",
            o.steps[2].reason
        );
        let d = o.dialogue_check().unwrap();
        assert_eq!(d.status, Status::Fail);
        assert_eq!(d.remedy, "See pop3.step.1, pop3.step.2.");
        let c = o.steps[0].check(None);
        assert_eq!(c.id, "pop3.step.1");
        assert_eq!(c.summary, "NOOP → +OK (expected -ERR, got +OK)");
    }

    #[tokio::test]
    async fn stop_on_fail_still_quits() {
        let p = profile(
            "[[step]]\nsend = \"NOOP\"\nstop_on_fail = true\n[[step]]\nsend = \"STAT\"\n[[step]]\nsend = \"QUIT\"\n",
        );
        let (o, got, _) = run(
            &p,
            None,
            ReplayOptions::default(),
            vec![expect("NOOP"), send("-ERR no"), expect("QUIT"), send("+OK")],
        )
        .await;
        assert_eq!(got, ["NOOP", "QUIT"]);
        assert_eq!(statuses(&o), [Status::Fail, Status::Skip, Status::Pass]);
        assert_eq!(
            o.steps[1].reason,
            "not run: step 1 failed and stops the dialogue"
        );
    }

    #[tokio::test]
    async fn connection_lost_after_dele_never_quits() {
        let p = profile(
            "[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"RETR 2\"\n[[step]]\nsend = \"QUIT\"\n",
        );
        let opts = ReplayOptions {
            allow_delete: true,
            ..Default::default()
        };
        let (o, got, lines) = run(
            &p,
            None,
            opts,
            vec![
                expect("DELE 1"),
                send("+OK marked"),
                expect("RETR 2"),
                send("+OK"),
                send("half a message"),
                Peer::Close,
            ],
        )
        .await;
        assert_eq!(got, ["DELE 1", "RETR 2"]);
        assert_eq!(statuses(&o), [Status::Pass, Status::Fail, Status::Skip]);
        assert!(!o.quit_sent && !o.rset_sent && !o.deleted);
        assert!(
            lines
                .iter()
                .any(|(d, t)| *d == Dir::Note && t.contains("never reached the UPDATE state"))
        );
        assert!(!lines.iter().any(|(d, t)| *d == Dir::Client && t == "QUIT"));
    }

    #[tokio::test]
    async fn rset_after_a_failure_following_dele() {
        let p = profile(
            "[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"NOOP\"\n[[step]]\nsend = \"QUIT\"\n",
        );
        let opts = ReplayOptions {
            allow_delete: true,
            ..Default::default()
        };
        let (o, got, _) = run(
            &p,
            None,
            opts,
            vec![
                expect("DELE 1"),
                send("+OK marked"),
                expect("NOOP"),
                send("-ERR [SYS/TEMP] hiccup"),
                expect("RSET"),
                send("+OK"),
            ],
        )
        .await;
        assert_eq!(got, ["DELE 1", "NOOP", "RSET"]);
        assert!(o.rset_sent && !o.quit_sent && !o.deleted);
        assert_eq!(statuses(&o), [Status::Pass, Status::Fail, Status::Skip]);
    }

    #[tokio::test]
    async fn dele_then_success_quits_and_reports_deletion() {
        let p = profile("[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"QUIT\"\n");
        let opts = ReplayOptions {
            allow_delete: true,
            ..Default::default()
        };
        let (o, _, _) = run(
            &p,
            None,
            opts.clone(),
            vec![expect("DELE 1"), send("+OK"), expect("QUIT"), send("+OK")],
        )
        .await;
        assert!(o.deleted && o.quit_sent);
        // RSET before QUIT undoes the deletion
        let p = profile(
            "[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"RSET\"\n[[step]]\nsend = \"QUIT\"\n",
        );
        let (o, _, _) = run(
            &p,
            None,
            opts,
            vec![
                expect("DELE 1"),
                send("+OK"),
                expect("RSET"),
                send("+OK"),
                expect("QUIT"),
                send("+OK"),
            ],
        )
        .await;
        assert!(!o.deleted && o.quit_sent && !o.rset_sent);
    }

    #[tokio::test]
    async fn requires_skips_unadvertised_commands() {
        let p = profile("[[step]]\nsend = \"TOP 1 0\"\nrequires = \"TOP\"\n");
        let (o, got, _) = run(
            &p,
            None,
            ReplayOptions {
                caps: caps(&["UIDL"]),
                ..Default::default()
            },
            vec![expect("QUIT"), send("+OK")],
        )
        .await;
        assert_eq!(got, ["QUIT"]);
        assert_eq!(o.steps[0].reason, "the server does not advertise TOP");
        let (o, _, _) = run(
            &p,
            None,
            ReplayOptions::default(),
            vec![expect("QUIT"), send("+OK")],
        )
        .await;
        assert!(o.steps[0].reason.contains("no capability list"));
    }
}
