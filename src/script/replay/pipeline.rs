//! PIPELINING (RFC 2449): which consecutive steps go out in one write, and
//! reading their replies one by one.
//!
//! Only commands that change nothing (STAT, LIST, UIDL, TOP, RETR, NOOP) are
//! batched, and never one that needs a value an earlier step of the same
//! batch captures. The replies are read in order; when one cannot be read,
//! the replies read completely before it are kept, so those steps are judged
//! on their own.

use std::time::Instant;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::i18n::t;
use crate::pop3::reader::{what_reply, what_rest};
use crate::pop3::session::{Pop3Error, Session};
use crate::script::profile::{Capture, Step};
use crate::transcript::sanitize_str;

use super::judge::Reply;

/// What a capture provides, for pipelining dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    /// The message count (`{count}`, `{first}`, `{last}`).
    Count,
    /// Message sizes (LIST), for the byte bound of RETR.
    Sizes,
    /// UIDs (`{uid1}`).
    Uids,
}

/// Commands that change nothing and may be pipelined.
pub(super) fn pipelinable(step: &Step) -> bool {
    !step.is_login()
        && matches!(
            step.verb().as_str(),
            "STAT" | "LIST" | "UIDL" | "TOP" | "RETR" | "NOOP"
        )
}

/// What a step's capture provides.
fn provides(step: &Step) -> Vec<Need> {
    match step.capture {
        Some(Capture::CountSize) => vec![Need::Count],
        Some(Capture::Sizes) => vec![Need::Count, Need::Sizes],
        Some(Capture::Uids) => vec![Need::Uids],
        None => Vec::new(),
    }
}

/// What a step needs captured before it can be rendered (or, for a RETR
/// with a byte bound, checked against the message size).
pub(super) fn needs(step: &Step, bound: Option<u64>) -> Vec<Need> {
    let mut out = Vec::new();
    for v in step.variables() {
        match v.as_str() {
            "uid1" => out.push(Need::Uids),
            _ => out.push(Need::Count),
        }
    }
    if step.verb() == "RETR" && bound.is_some() {
        out.push(Need::Sizes);
    }
    out
}

/// The steps that go out together with step `first` (ready to send as
/// `line`): the following steps while they are pipelinable, independent of
/// the batch's captures and ready to send (`prepare` gives their line).
/// A `stop_on_fail` step ends a batch (and never starts one); without
/// `enabled` (PIPELINING advertised and allowed) the batch is `first` alone.
/// With `quit_joins` (no DELE was ever sent, so QUIT commits nothing), a
/// QUIT that is the profile's last step ends the batch instead of costing a
/// round trip of its own.
pub(super) fn plan(
    steps: &[Step],
    first: usize,
    line: String,
    enabled: bool,
    quit_joins: bool,
    bound: impl Fn(&Step) -> Option<u64>,
    mut prepare: impl FnMut(usize) -> Option<String>,
) -> Vec<(usize, String)> {
    let mut batch = vec![(first, line)];
    let step = &steps[first];
    if !(enabled && pipelinable(step) && !step.stop_on_fail) {
        return batch;
    }
    let mut produced = provides(step);
    for (j, next) in steps.iter().enumerate().skip(first + 1) {
        if quit_joins && j + 1 == steps.len() && next.verb() == "QUIT" && !next.is_login() {
            if let Some(l) = prepare(j) {
                batch.push((j, l));
            }
            break;
        }
        if !pipelinable(next)
            || needs(next, bound(next))
                .iter()
                .any(|d| produced.contains(d))
        {
            break;
        }
        let Some(l) = prepare(j) else {
            break;
        };
        produced.extend(provides(next));
        batch.push((j, l));
        if next.stop_on_fail {
            break;
        }
    }
    batch
}

/// Sends `batch` in one write and reads the replies in order. Returns one
/// reply per step, the time of the whole batch and, when `quit` (QUIT
/// goes out in the same write, after the batch), whether QUIT was answered
/// `+OK`. A reply read completely is kept even when a later one fails; the
/// failing step and those after it get the error.
pub(super) async fn send<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    steps: &[Step],
    batch: &[(usize, String)],
    quit: bool,
) -> (Vec<Reply>, u64, Option<bool>) {
    session
        .recorder()
        .note(&t!("script-note-pipelining", count = batch.len()));
    let start = Instant::now();
    let (replies, quit_ok) = exchange(session, steps, batch, quit).await;
    (replies, start.elapsed().as_millis() as u64, quit_ok)
}

/// The first word of a command, upper-cased (`RETR 1` → `RETR`).
fn verb_of(line: &str) -> String {
    line.split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase()
}

/// A command as it may appear in an error (sanitised, shortened).
fn op_of(line: &str) -> String {
    let s = sanitize_str(line);
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(60).collect();
        format!("{cut}…")
    } else {
        s
    }
}

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    session: &mut Session<S>,
    steps: &[Step],
    batch: &[(usize, String)],
    quit: bool,
) -> (Vec<Reply>, Option<bool>) {
    let n = batch.len();
    // QUIT unanswered counts as not +OK (the session is over either way).
    let quit_sent = quit.then_some(false);
    let all_failed = |e: Pop3Error| {
        let msg = t!("script-pipeline-unreadable", error = e.to_string());
        (vec![Err(msg); n], None)
    };
    // a line break would smuggle in another command (as Session refuses it)
    if let Some((_, bad)) = batch.iter().find(|(_, l)| l.contains(['\r', '\n'])) {
        return all_failed(Pop3Error::Protocol {
            op: op_of(bad),
            detail: t!("script-pipeline-line-break"),
        });
    }
    let mut cmds: Vec<&str> = batch.iter().map(|(_, l)| l.as_str()).collect();
    if quit {
        cmds.push("QUIT");
    }
    let mut bytes = Vec::new();
    for cmd in &cmds {
        bytes.extend_from_slice(cmd.as_bytes());
        bytes.extend_from_slice(b"\r\n");
    }
    if let Err(e) = session.send_raw(&bytes, &cmds).await {
        let (replies, _) = all_failed(match e {
            Pop3Error::Write { error, .. } => Pop3Error::Write {
                op: format!("a pipeline of {n} commands"),
                error,
            },
            e => e,
        });
        return (replies, quit_sent);
    }
    let mut out = Vec::with_capacity(n);
    let mut all_read = true;
    for (i, line) in batch {
        let verb = verb_of(line);
        let reply = match session.read_status(&what_reply(&verb)).await {
            Ok(status) if status.ok && steps[*i].multiline => session
                .read_body(&what_rest(&verb))
                .await
                .map(|body| (status, Some(body))),
            Ok(status) => Ok((status, None)),
            Err(e) => Err(e),
        };
        match reply {
            Ok(r) => out.push(Ok(r)),
            Err(e) => {
                out.push(Err(t!("script-pipeline-unreadable", error = e.to_string())));
                let unread = t!(
                    "script-pipeline-unread",
                    step = i + 1,
                    error = e.to_string()
                );
                out.resize(n, Err(unread));
                all_read = false;
                break;
            }
        }
    }
    if !(quit && all_read) {
        return (out, quit_sent);
    }
    let quit_ok = match session.read_status(&what_reply("QUIT")).await {
        Ok(status) => status.ok,
        Err(e) => {
            session
                .recorder()
                .note(&t!("pop3-note-quit-unclean", error = e.to_string()));
            false
        }
    };
    (out, Some(quit_ok))
}
