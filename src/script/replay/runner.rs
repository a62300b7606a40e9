//! The step loop: prepares each step (skip, login or a command line),
//! sends it alone or in a pipelined batch, has the reply judged, and feeds
//! the never-lose-mail state machine.

use crate::i18n::t;

use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::model::{Check, Status};
use crate::pop3::capa::Capabilities;
use crate::pop3::response::{MultiLine, StatusLine};
use crate::pop3::session::{Pop3Error, Session};
use crate::script::login::{
    Credentials, LoginKind, LoginOptions, LoginResult, diagnose_login, login,
};
use crate::script::profile::{Profile, Step, render};

use super::judge::{self, Judged, Reply, Timing, Vars};
use super::pipeline;
use super::safety::{Action, Event, Safety, SessionState, poisoned_reason};
use super::{ReplayOptions, StepResult};

/// Transcript note of a CAPA step answered with the reply read on this
/// connection just before the dialogue.
const CAPA_ALREADY_READ: &str = "CAPA was answered on this connection a moment ago (the probe's CAPA, just before the login session): popscope uses that reply instead of asking again (one round trip saved)";

/// What to do with a step now.
enum Prep {
    Skip(String),
    Login,
    Send(String),
}

/// What a finished run leaves for the outcome.
pub(super) struct Finished {
    /// One result per step, in order.
    pub results: Vec<StepResult>,
    /// Why steps stopped running early.
    pub stopped: Option<String>,
    /// Where the session ended with respect to deletions.
    pub safety: Safety,
    /// The login attempt and its `auth.login` check.
    pub login: Option<(LoginResult, Check)>,
    /// The login step was skipped for want of credentials.
    pub no_credentials: bool,
}

/// One replay in progress.
pub(super) struct Runner<'a, S> {
    session: &'a mut Session<S>,
    profile: &'a Profile,
    creds: Option<&'a Credentials>,
    opts: &'a ReplayOptions,
    caps: Option<Capabilities>,
    vars: Vars,
    results: Vec<Option<StepResult>>,
    /// Why later steps do not run (QUIT still does unless the session is
    /// poisoned).
    stopped: Option<String>,
    safety: Safety,
    login: Option<(LoginResult, Check)>,
    /// The CAPA reply read on this connection before the dialogue, until
    /// the dialogue sends its first command ([`ReplayOptions::capa_reply`]).
    capa_reply: Option<(StatusLine, MultiLine)>,
    /// QUIT went out with the last pipelined batch: whether it was answered
    /// `+OK` (the dialogue's end then waits for nothing more).
    early_quit: Option<bool>,
}

impl<'a, S: AsyncRead + AsyncWrite + Unpin> Runner<'a, S> {
    pub(super) fn new(
        session: &'a mut Session<S>,
        profile: &'a Profile,
        creds: Option<&'a Credentials>,
        opts: &'a ReplayOptions,
    ) -> Self {
        Runner {
            session,
            profile,
            creds,
            opts,
            caps: opts.caps.clone(),
            vars: Vars::default(),
            results: vec![None; profile.steps.len()],
            stopped: None,
            safety: Safety::new(opts.allow_delete),
            login: None,
            capa_reply: opts.capa_reply.clone(),
            early_quit: None,
        }
    }

    fn bound(&self, step: &Step) -> Option<u64> {
        judge::bound(step, self.opts)
    }

    fn prepare(&self, i: usize) -> Prep {
        let step = &self.profile.steps[i];
        let verb = step.verb();
        if let Err(barred) = self.safety.may_send(&verb) {
            return Prep::Skip(barred.reason());
        }
        if let Some(why) = &self.stopped
            && verb != "QUIT"
        {
            return Prep::Skip(t!("script-step-not-run", reason = why));
        }
        if step.is_login() {
            return Prep::Login;
        }
        if let Some(req) = &step.requires {
            match &self.caps {
                Some(c) if c.has(req) => {}
                Some(_) => {
                    return Prep::Skip(t!("script-step-not-advertised", capability = req));
                }
                None => return Prep::Skip(t!("script-step-no-capa", capability = req)),
            }
        }
        let line = match render(&step.send, |v| self.vars.lookup(v)) {
            Ok(l) => l,
            Err(var) => {
                let reason = match (self.vars.count, var.as_str()) {
                    (None, _) => t!("script-step-no-count"),
                    (Some(0), _) => t!("script-step-empty-mailbox"),
                    (_, "uid1") => t!("script-step-no-uids"),
                    _ => t!("script-step-no-value", variable = &var),
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
            return Prep::Skip(t!(
                "script-step-too-large",
                number = n,
                size = size,
                bound = bound
            ));
        }
        Prep::Send(line)
    }

    /// Judges the reply to step `i` and applies what it means: captures,
    /// capabilities and the events for the state machine. Returns the
    /// verdict and whether the connection broke.
    fn absorb(&mut self, i: usize, line: &str, reply: Reply, timing: Timing) -> (StepResult, bool) {
        let profile = self.profile;
        let step = &profile.steps[i];
        let bound = self.bound(step);
        let Judged {
            result,
            answered,
            caps,
        } = judge::judge(step, i, line, reply, timing, bound, &mut self.vars);
        if let Some(c) = caps {
            self.caps = Some(c);
        }
        let Some(ok) = answered else {
            return (result, true);
        };
        match result.verb.as_str() {
            "DELE" if ok => {
                self.safety.on(Event::DeleOk);
            }
            "RSET" if ok => {
                self.safety.on(Event::RsetOk);
            }
            // the session is over either way
            "QUIT" => {
                self.safety.on(Event::QuitAnswered { ok });
            }
            _ => {}
        }
        (result, false)
    }

    /// Records a result, notes it in the transcript and applies the stop
    /// and never-lose-mail rules. `lost`: the connection broke on this step.
    async fn finish(&mut self, res: StepResult, lost: bool) {
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
            if lost {
                self.safety.on(Event::ConnectionLost);
            }
            return;
        }
        let action = self.safety.on(Event::StepFailed {
            step: index,
            connection_lost: lost,
        });
        match action {
            Action::Drop => {
                self.stopped = Some(poisoned_reason(index));
                rec.note(&t!("script-note-dropped-after-dele"));
            }
            Action::RsetThenDrop => {
                self.stopped = Some(poisoned_reason(index));
                rec.note(&t!("script-note-rset-after-dele"));
                self.safety.on(Event::RsetSent);
                match self.session.command("RSET").await {
                    Ok(st) if st.ok => {
                        self.safety.on(Event::RsetOk);
                    }
                    Ok(st) => rec.note(&t!("script-note-rset-refused", status = st.to_string())),
                    Err(e) => {
                        self.safety.on(Event::ConnectionLost);
                        rec.note(&t!("script-note-rset-failed", error = e.to_string()));
                    }
                }
            }
            Action::Nothing | Action::SendQuit => {
                let broken = !self.safety.connection_usable();
                if self.stopped.is_none() && (stop_on_fail || broken) {
                    self.stopped = Some(if broken {
                        t!("script-stop-broke", step = index)
                    } else {
                        t!("script-stop-failed", step = index)
                    });
                }
            }
        }
    }

    async fn run_login(&mut self, i: usize) -> (StepResult, bool) {
        let profile = self.profile;
        self.capa_reply = None;
        let step = &profile.steps[i];
        let rec = self.session.recorder().clone();
        let (result, shown) = match self.creds {
            None => {
                self.stopped = Some(t!("script-stop-no-credentials"));
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
                    Some(m) => t!(
                        "script-step-login-as-with",
                        user = &creds.user,
                        mechanism = m.to_string()
                    ),
                    None => t!("script-step-login-as", user = &creds.user),
                };
                (r, shown)
            }
        };
        let check = diagnose_login(&result);
        let res = judge::login_step(step, i, &result, &check, shown);
        let lost = matches!(result.kind, LoginKind::Broken { .. });
        self.login = Some((result, check));
        (res, lost)
    }

    async fn run_single(&mut self, i: usize, line: String) -> (StepResult, bool) {
        let profile = self.profile;
        let step = &profile.steps[i];
        if step.verb() == "DELE" {
            self.safety.on(Event::DeleSent);
        }
        let start = Instant::now();
        let earlier = self.capa_reply.take();
        let reply = if let Some((status, body)) =
            earlier.filter(|_| step.multiline && line.trim().eq_ignore_ascii_case("CAPA"))
        {
            self.session.recorder().note(CAPA_ALREADY_READ);
            Ok((status, Some(body)))
        } else if step.multiline {
            self.session.command_multiline(&line).await
        } else {
            self.session.command(&line).await.map(|s| (s, None))
        };
        let timing = Timing {
            duration_ms: start.elapsed().as_millis() as u64,
            pipelined: false,
        };
        self.absorb(
            i,
            &line,
            reply.map_err(|e: Pop3Error| e.to_string()),
            timing,
        )
    }

    async fn run_batch(
        &mut self,
        batch: Vec<(usize, String)>,
        quit: bool,
    ) -> Vec<(StepResult, bool)> {
        let profile = self.profile;
        self.capa_reply = None;
        let (replies, duration_ms, quit_ok) =
            pipeline::send(self.session, &profile.steps, &batch, quit).await;
        self.early_quit = quit_ok;
        let timing = Timing {
            duration_ms,
            pipelined: true,
        };
        batch
            .iter()
            .zip(replies)
            .map(|((i, line), reply)| self.absorb(*i, line, reply, timing))
            .collect()
    }

    /// Runs every step, then ends the session as the state machine says.
    pub(super) async fn run(mut self) -> Finished {
        let profile = self.profile;
        let n = profile.steps.len();
        let mut i = 0;
        while i < n {
            match self.prepare(i) {
                Prep::Skip(reason) => {
                    let res = judge::skipped(&profile.steps[i], i, reason);
                    self.finish(res, false).await;
                    i += 1;
                }
                Prep::Login => {
                    let (res, lost) = self.run_login(i).await;
                    self.finish(res, lost).await;
                    i += 1;
                }
                Prep::Send(line) => {
                    let enabled = profile.pipelining
                        && self.caps.as_ref().is_some_and(Capabilities::pipelining);
                    let read_only = self.safety.state() == SessionState::Transaction;
                    let mut batch = pipeline::plan(
                        &profile.steps,
                        i,
                        line,
                        enabled,
                        read_only,
                        |s| self.bound(s),
                        |j| match self.prepare(j) {
                            Prep::Send(l) => Some(l),
                            _ => None,
                        },
                    );
                    i += batch.len();
                    // The last batch of a session that never sent DELE
                    // takes QUIT along: it commits nothing, so it need not
                    // wait for the replies (one round trip less).
                    let ends_with_quit = batch
                        .last()
                        .is_some_and(|(k, _)| profile.steps[*k].verb() == "QUIT");
                    let quit = batch.len() > 1 && i == n && read_only && !ends_with_quit;
                    if batch.len() > 1 {
                        for (res, lost) in self.run_batch(batch, quit).await {
                            self.finish(res, lost).await;
                        }
                    } else {
                        let (k, l) = batch.pop().expect("one step");
                        let (res, lost) = self.run_single(k, l).await;
                        self.finish(res, lost).await;
                    }
                }
            }
        }
        if self.safety.on(Event::EndOfDialogue) == Action::SendQuit {
            let ok = match self.early_quit.take() {
                Some(ok) => ok,
                None => {
                    self.session.recorder().note(&t!("script-note-final-quit"));
                    self.session.quit().await.is_some_and(|s| s.ok)
                }
            };
            self.safety.on(Event::QuitAnswered { ok });
        }
        Finished {
            results: self.results.into_iter().flatten().collect(),
            stopped: self.stopped,
            no_credentials: self.creds.is_none() && self.login.is_some(),
            safety: self.safety,
            login: self.login,
        }
    }
}
