//! The replay engine: runs a [`Profile`] over a [`Session`] and judges
//! every step.
//!
//! Safety rules, in the order they apply:
//!
//! 1. The profile is validated again ([`Profile::validate`] with
//!    `allow_delete`); an invalid profile sends nothing.
//! 2. Credentials are sent only by the login step, through
//!    [`login`](crate::script::login::login), which refuses cleartext and untrusted
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
//! order (a reply read completely keeps its own verdict even when a later
//! one in the batch cannot be read); otherwise commands go one at a time. Replies are bounded by the
//! session's [`Limits`](crate::pop3::reader::Limits); the transcript keeps
//! the head of long bodies and counts the rest.
//!
//! The work is split by responsibility: `runner` walks the steps,
//! `pipeline` batches them under PIPELINING, `judge` turns each reply into
//! a [`StepResult`], and `safety` is the never-lose-mail state machine that
//! decides whether DELE and QUIT may be sent and how the session ends.

use crate::i18n::t;

mod judge;
mod pipeline;
#[cfg(test)]
mod props;
mod runner;
mod safety;
#[cfg(test)]
mod tests;

use serde::Serialize;
use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite};

use super::login::{Credentials, LoginResult};
use super::profile::{Profile, ProfileError};
use crate::model::{Check, CheckId, Status};
use crate::pop3::auth::Mechanism;
use crate::pop3::capa::Capabilities;
use crate::pop3::response::{MultiLine, StatusLine};
use crate::pop3::session::Session;
use runner::Runner;

/// Id of the overall check of a dialogue.
pub const DIALOGUE_CHECK_ID: CheckId = CheckId::Pop3Dialogue;

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
    /// The reply to CAPA read on this very connection just before the
    /// dialogue (the probe's, when the login session continues on the
    /// probe's connection): a CAPA step that comes before any command the
    /// dialogue sends is answered with it instead of asking again (one round
    /// trip saved; the server's state has not changed in between).
    pub capa_reply: Option<(StatusLine, MultiLine)>,
}

/// The verdict on one step ([`StepResult::check`] turns it into a check).
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
            .note(&t!("script-note-profile-refused", error = e.to_string()));
        let steps: Vec<StepResult> = profile
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| judge::refused(s, i))
            .collect();
        let dialogue = Check::new(
            DIALOGUE_CHECK_ID,
            Status::Fail,
            endpoint.clone(),
            t!("script-dialogue-refused", error = e.to_string()),
        )
        .remedy(match e {
            ProfileError::DeleteRefused { .. } => t!("script-dialogue-remedy-dele"),
            _ => t!("script-dialogue-remedy-profile"),
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

    let run = Runner::new(session, profile, creds, opts).run().await;
    let steps = run.results;
    let round_trips = session.round_trips().saturating_sub(rt0);
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
    if run.no_credentials && status != Status::Fail {
        status = Status::Skip;
    }
    let mut summary = t!(
        "script-dialogue-summary",
        profile = &profile.name,
        steps = steps.len(),
        passed = passed,
        failed = failed,
        skipped = skipped
    );
    if warned > 0 {
        summary.push_str(&t!("script-dialogue-warned", warned = warned));
    }
    summary.push_str(&t!("script-dialogue-round-trips", count = round_trips));
    if run.no_credentials {
        summary.push(' ');
        summary.push_str(&t!("script-dialogue-no-credentials"));
    }
    let mut detail = Vec::new();
    if let Some(why) = &run.stopped {
        detail.push(t!("script-dialogue-stopped", reason = why));
    }
    if pipelined > 0 {
        detail.push(t!("script-dialogue-pipelined", count = pipelined));
    }
    if run.safety.poisoned() {
        detail.push(t!("script-dialogue-poisoned"));
    }
    if run.safety.deleted() {
        detail.push(t!("script-dialogue-deleted"));
    }
    let failing: Vec<String> = steps
        .iter()
        .filter(|s| s.status == Status::Fail)
        .map(|s| CheckId::Pop3Step(s.index as u32).to_string())
        .collect();
    let remedy = if failing.is_empty() {
        String::new()
    } else {
        t!("script-dialogue-see", checks = failing.join(", "))
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
            "deleted": run.safety.deleted(),
            "rset_sent": run.safety.rset_sent(),
            "quit_sent": run.safety.quit_sent(),
        }));
    let mut dialogue = dialogue;
    dialogue.duration_ms = Some(duration_ms);
    let mut checks = vec![dialogue];
    checks.extend(steps.iter().map(|s| s.check(endpoint.clone())));
    let (login_result, login) = match run.login {
        Some((r, c)) => (Some(r), Some(c)),
        None => (None, None),
    };
    DialogueOutcome {
        profile: profile.name.clone(),
        steps,
        login,
        login_result,
        checks,
        deleted: run.safety.deleted(),
        rset_sent: run.safety.rset_sent(),
        quit_sent: run.safety.quit_sent(),
        round_trips,
        duration_ms,
    }
}
