//! Tests of the replay engine against a scripted peer, and the transition
//! table of the never-lose-mail state machine.

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

/// Options that allow DELE (`--allow-delete`).
fn deleting() -> ReplayOptions {
    ReplayOptions {
        allow_delete: true,
        ..Default::default()
    }
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
            // depends on the UIDs: a batch of its own, which QUIT joins
            // (no DELE was sent: QUIT commits nothing)
            expect("UIDL aaa"),
            Peer::Buffered("QUIT\r\n".len()),
            expect("QUIT"),
            send("-ERR bad message number"),
            send("+OK bye"),
        ],
    )
    .await;
    assert_eq!(got.len(), 5);
    assert_eq!(statuses(&o), [Status::Pass; 5]);
    assert_eq!(o.round_trips, 2);
    assert!(o.steps.iter().all(|s| s.pipelined));
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
    assert_eq!(c.id, crate::model::CheckId::Pop3Step(1));
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
    let opts = deleting();
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
    let opts = deleting();
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
    let opts = deleting();
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

#[tokio::test]
async fn a_broken_pipelined_reply_keeps_the_verdicts_read_before_it() {
    let p = profile(
        "[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\n[[step]]\nsend = \"LIST\"\ncapture = \"sizes\"\n[[step]]\nsend = \"UIDL\"\ncapture = \"uids\"\n[[step]]\nsend = \"NOOP\"\n",
    );
    let opts = ReplayOptions {
        caps: caps(&["PIPELINING", "UIDL"]),
        ..Default::default()
    };
    let (o, got, lines) = run(
        &p,
        None,
        opts,
        vec![
            expect("STAT"),
            expect("LIST"),
            expect("UIDL"),
            expect("NOOP"),
            // the UIDL body is cut off and NOOP is never answered
            Peer::Send(b"+OK 2 300\r\n+OK\r\n1 100\r\n2 200\r\n.\r\n+OK\r\n1 aaa\r\n".to_vec()),
            Peer::Close,
        ],
    )
    .await;
    assert_eq!(got, ["STAT", "LIST", "UIDL", "NOOP"]);
    assert_eq!(
        statuses(&o),
        [Status::Pass, Status::Pass, Status::Fail, Status::Fail]
    );
    assert!(o.steps.iter().all(|s| s.pipelined));
    assert_eq!(o.steps[0].captured["count"], 2);
    assert_eq!(o.steps[1].captured["sizes"][1]["octets"], 200);
    assert!(
        o.steps[2]
            .reason
            .starts_with("the pipelined replies could not be read: "),
        "{}",
        o.steps[2].reason
    );
    assert!(
        o.steps[3]
            .reason
            .starts_with("no reply was read: reading the pipelined replies failed at step 3: "),
        "{}",
        o.steps[3].reason
    );
    assert!(!o.quit_sent && !o.rset_sent && !o.deleted);
    let d = o.dialogue_check().unwrap();
    assert_eq!(d.status, Status::Fail);
    assert_eq!(d.remedy, "See pop3.step.3, pop3.step.4.");
    assert!(
        d.detail
            .contains("Stopped early: step 3 broke the connection."),
        "{}",
        d.detail
    );
    // QUIT went out with the read-only batch (nothing was ever deleted, so
    // it commits nothing); it was never answered.
    let client: Vec<&str> = lines
        .iter()
        .filter(|(d, _)| *d == Dir::Client)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(client, ["STAT", "LIST", "UIDL", "NOOP", "QUIT"]);
}

#[tokio::test]
async fn a_failed_pipelined_step_after_dele_sends_rset_and_no_quit() {
    let p = profile(
        "[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\n[[step]]\nsend = \"NOOP\"\n[[step]]\nsend = \"QUIT\"\n",
    );
    let opts = ReplayOptions {
        caps: caps(&["PIPELINING"]),
        ..deleting()
    };
    let (o, got, _) = run(
        &p,
        None,
        opts,
        vec![
            expect("DELE 1"),
            send("+OK marked"),
            expect("STAT"),
            expect("NOOP"),
            Peer::Send(b"+OK 1 100\r\n-ERR [SYS/TEMP] hiccup\r\n".to_vec()),
            expect("RSET"),
            send("+OK"),
        ],
    )
    .await;
    assert_eq!(got, ["DELE 1", "STAT", "NOOP", "RSET"]);
    assert_eq!(
        statuses(&o),
        [Status::Pass, Status::Pass, Status::Fail, Status::Skip]
    );
    assert!(o.steps[1].pipelined && o.steps[2].pipelined);
    assert_eq!(o.steps[1].captured["count"], 1);
    assert!(o.rset_sent && !o.quit_sent && !o.deleted);
    assert!(
        o.steps[3].reason.contains("without QUIT"),
        "{}",
        o.steps[3].reason
    );
    let d = o.dialogue_check().unwrap();
    assert!(d.detail.contains("deleted nothing"), "{}", d.detail);
    assert!(
        d.detail.contains(
            "Stopped early: step 3 failed after DELE; popscope stops so that no mail is lost."
        ),
        "{}",
        d.detail
    );
}

#[tokio::test]
async fn a_refused_rset_still_closes_without_quit() {
    let p = profile(
        "[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"NOOP\"\n[[step]]\nsend = \"STAT\"\n",
    );
    let opts = deleting();
    let (o, got, lines) = run(
        &p,
        None,
        opts,
        vec![
            expect("DELE 1"),
            send("+OK marked"),
            expect("NOOP"),
            send("-ERR no"),
            expect("RSET"),
            send("-ERR not now"),
        ],
    )
    .await;
    assert_eq!(got, ["DELE 1", "NOOP", "RSET"], "no QUIT is added");
    assert_eq!(statuses(&o), [Status::Pass, Status::Fail, Status::Skip]);
    assert_eq!(
        o.steps[2].reason,
        "not run: step 2 failed after DELE; popscope stops so that no mail is lost"
    );
    assert!(o.rset_sent && !o.quit_sent && !o.deleted);
    assert!(
        lines
            .iter()
            .any(|(d, t)| *d == Dir::Note && t.starts_with("RSET was refused"))
    );
}

mod safety_machine {
    use super::super::safety::{
        Action, Barred, Event, Safety, SessionState, poisoned_reason, transition,
    };

    const T: SessionState = SessionState::Transaction;
    const P0: SessionState = SessionState::DeletionsPending { marked: false };
    const P1: SessionState = SessionState::DeletionsPending { marked: true };
    /// A poisoned session (the failing step, RSET sent, connection lost).
    const fn poisoned(step: usize, rset_sent: bool, connection_lost: bool) -> SessionState {
        SessionState::Poisoned {
            step,
            rset_sent,
            connection_lost,
        }
    }

    /// A closed session (QUIT sent, deletions committed).
    const fn closed(quit_sent: bool, deleted: bool) -> SessionState {
        SessionState::Closed { quit_sent, deleted }
    }

    const X: SessionState = poisoned(2, false, false);
    const XR: SessionState = poisoned(2, true, false);
    const XL: SessionState = poisoned(2, false, true);
    const XRL: SessionState = poisoned(2, true, true);
    /// Poisoned by step 5 (the failing step of the table's events).
    const X5: SessionState = poisoned(5, false, false);
    const X5R: SessionState = poisoned(5, true, false);
    const X5L: SessionState = poisoned(5, false, true);
    const C0: SessionState = closed(false, false);
    const CQ: SessionState = closed(true, false);
    const CD: SessionState = closed(true, true);

    /// The events, in the order of the table's columns.
    const EVENTS: [Event; 10] = [
        Event::DeleSent,
        Event::DeleOk,
        Event::RsetOk,
        Event::StepFailed {
            step: 5,
            connection_lost: false,
        },
        Event::StepFailed {
            step: 5,
            connection_lost: true,
        },
        Event::ConnectionLost,
        Event::RsetSent,
        Event::QuitAnswered { ok: true },
        Event::QuitAnswered { ok: false },
        Event::EndOfDialogue,
    ];

    use Action::{Drop, Nothing as N, RsetThenDrop, SendQuit};

    /// Every state x every event: the next state and the action.
    #[rustfmt::skip]
    const TABLE: [(SessionState, [(SessionState, Action); 10]); 11] = [
        //        DeleSent     DeleOk      RsetOk      StepFailed          StepFailed(lost) ConnLost   RsetSent    QUIT +OK    QUIT other  End
        (T,   [(P0, N),  (P1, N),  (T, N),   (T, N),             (C0, N),         (C0, N),   (T, N),     (CQ, N),    (CQ, N),    (T, SendQuit)]),
        (P0,  [(P0, N),  (P1, N),  (P0, N),  (X5, RsetThenDrop), (X5L, Drop),     (C0, N),   (P0, N),    (CQ, N),    (CQ, N),    (P0, SendQuit)]),
        (P1,  [(P1, N),  (P1, N),  (P0, N),  (X5, RsetThenDrop), (X5L, Drop),     (C0, N),   (P1, N),    (CD, N),    (CQ, N),    (P1, SendQuit)]),
        (X,   [(X, N),   (X, N),   (X, N),   (X, N),             (XL, N),         (XL, N),   (XR, N),    (X, N),     (X, N),     (X, Drop)]),
        (XR,  [(XR, N),  (XR, N),  (XR, N),  (XR, N),            (XRL, N),        (XRL, N),  (XR, N),    (XR, N),    (XR, N),    (XR, Drop)]),
        (XL,  [(XL, N),  (XL, N),  (XL, N),  (XL, N),            (XL, N),         (XL, N),   (XRL, N),   (XL, N),    (XL, N),    (XL, Drop)]),
        (XRL, [(XRL, N), (XRL, N), (XRL, N), (XRL, N),           (XRL, N),        (XRL, N),  (XRL, N),   (XRL, N),   (XRL, N),   (XRL, Drop)]),
        (X5,  [(X5, N),  (X5, N),  (X5, N),  (X5, N),            (X5L, N),        (X5L, N),  (X5R, N),   (X5, N),    (X5, N),    (X5, Drop)]),
        (C0,  [(C0, N),  (C0, N),  (C0, N),  (C0, N),            (C0, N),         (C0, N),   (C0, N),    (C0, N),    (C0, N),    (C0, N)]),
        (CQ,  [(CQ, N),  (CQ, N),  (CQ, N),  (CQ, N),            (CQ, N),         (CQ, N),   (CQ, N),    (CQ, N),    (CQ, N),    (CQ, N)]),
        (CD,  [(CD, N),  (CD, N),  (CD, N),  (CD, N),            (CD, N),         (CD, N),   (CD, N),    (CD, N),    (CD, N),    (CD, N)]),
    ];

    fn state_kind(s: SessionState) -> usize {
        match s {
            SessionState::Transaction => 0,
            SessionState::DeletionsPending { .. } => 1,
            SessionState::Poisoned { .. } => 2,
            SessionState::Closed { .. } => 3,
        }
    }

    fn event_kind(e: Event) -> usize {
        match e {
            Event::DeleSent => 0,
            Event::DeleOk => 1,
            Event::RsetOk => 2,
            Event::StepFailed { .. } => 3,
            Event::ConnectionLost => 4,
            Event::RsetSent => 5,
            Event::QuitAnswered { .. } => 6,
            Event::EndOfDialogue => 7,
        }
    }

    #[test]
    fn the_table_covers_every_state_and_event() {
        let mut states = [false; 4];
        for (s, _) in TABLE {
            states[state_kind(s)] = true;
        }
        assert!(states.iter().all(|&b| b), "a state is missing: {states:?}");
        let mut events = [false; 8];
        for e in EVENTS {
            events[event_kind(e)] = true;
        }
        assert!(events.iter().all(|&b| b), "an event is missing: {events:?}");
    }

    #[test]
    fn every_state_and_event_goes_where_the_table_says() {
        for (state, row) in TABLE {
            for (event, want) in EVENTS.into_iter().zip(row) {
                assert_eq!(transition(state, event), want, "{state:?} on {event:?}");
                let mut m = Safety::in_state(true, state);
                assert_eq!(m.on(event), want.1, "{state:?} on {event:?}");
                assert_eq!(m.state(), want.0, "{state:?} on {event:?}");
            }
        }
    }

    /// Whether a command may be sent.
    type Permit = Result<(), Barred>;

    #[test]
    fn what_may_be_sent_in_each_state() {
        use Barred::*;
        let ok = Ok(());
        // state, allow_delete, [DELE, QUIT, RSET, STAT]
        #[rustfmt::skip]
        let table: [(SessionState, bool, [Permit; 4]); 10] = [
            (T,   true,  [ok, ok, ok, ok]),
            (T,   false, [Err(DeleNotAllowed), ok, ok, ok]),
            (P0,  true,  [ok, ok, ok, ok]),
            (P1,  true,  [ok, ok, ok, ok]),
            (P1,  false, [Err(DeleNotAllowed), ok, ok, ok]),
            (X,   true,  [Err(Poisoned(2)), Err(QuitAfterFailedDele), Err(Poisoned(2)), Err(Poisoned(2))]),
            (XR,  true,  [Err(Poisoned(2)), Err(QuitAfterFailedDele), Err(Poisoned(2)), Err(Poisoned(2))]),
            (XL,  true,  [Err(ConnectionGone); 4]),
            (C0,  true,  [Err(ConnectionGone); 4]),
            (CD,  true,  [Err(ConnectionGone); 4]),
        ];
        for (state, allow, want) in table {
            let m = Safety::in_state(allow, state);
            for (verb, want) in ["DELE", "QUIT", "RSET", "STAT"].into_iter().zip(want) {
                assert_eq!(m.may_send(verb), want, "{verb} in {state:?}");
            }
            assert_eq!(
                m.connection_usable(),
                !matches!(want[3], Err(ConnectionGone)),
                "{state:?}"
            );
        }
    }

    #[test]
    fn what_each_state_reports() {
        // state, [poisoned, rset_sent, quit_sent, deleted]
        #[rustfmt::skip]
        let table = [
            (T,   [false, false, false, false]),
            (P0,  [false, false, false, false]),
            (P1,  [false, false, false, false]),
            (X,   [true,  false, false, false]),
            (XR,  [true,  true,  false, false]),
            (XL,  [true,  false, false, false]),
            (XRL, [true,  true,  false, false]),
            (C0,  [false, false, false, false]),
            (CQ,  [false, false, true,  false]),
            (CD,  [false, false, true,  true]),
        ];
        for (state, want) in table {
            let m = Safety::in_state(true, state);
            assert_eq!(
                [m.poisoned(), m.rset_sent(), m.quit_sent(), m.deleted()],
                want,
                "{state:?}"
            );
        }
    }

    #[test]
    fn skip_reasons() {
        assert_eq!(
            Barred::Poisoned(3).reason(),
            format!("not run: {}", poisoned_reason(3))
        );
        assert_eq!(
            poisoned_reason(3),
            "step 3 failed after DELE; popscope stops so that no mail is lost"
        );
        assert_eq!(
            Barred::ConnectionGone.reason(),
            "not run: the connection can no longer be used"
        );
        assert!(
            Barred::QuitAfterFailedDele
                .reason()
                .contains("closes without QUIT")
        );
        assert!(Barred::DeleNotAllowed.reason().contains("--allow-delete"));
    }

    #[test]
    fn a_dele_undone_by_rset_still_forbids_quit_after_a_failure() {
        let mut m = Safety::new(true);
        assert_eq!(m.on(Event::DeleSent), N);
        assert_eq!(m.on(Event::DeleOk), N);
        assert_eq!(m.on(Event::RsetOk), N);
        assert_eq!(
            m.on(Event::StepFailed {
                step: 4,
                connection_lost: false
            }),
            RsetThenDrop
        );
        assert_eq!(m.may_send("QUIT"), Err(Barred::QuitAfterFailedDele));
        assert_eq!(m.on(Event::EndOfDialogue), Drop);
        assert!(!m.quit_sent() && !m.deleted());
    }
}

/// STAT, LIST, RETR 1 and UIDL go out in one write (LIST captures nothing,
/// so the RETR's bound does not wait for sizes); the server answers RETR
/// with `retr_lines` lines of 100 octets. Runs with `limits`; `quits`
/// says whether popscope may still end with QUIT.
async fn pipelined_retr_over_the_bound(
    limits: Limits,
    retr_lines: usize,
    max_bytes: u64,
    quits: bool,
) -> DialogueOutcome {
    let p = profile(
        "[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\n[[step]]\nsend = \"LIST\"\n[[step]]\nsend = \"RETR 1\"\n[[step]]\nsend = \"UIDL\"\ncapture = \"uids\"\n[[step]]\nsend = \"QUIT\"\n",
    );
    let opts = ReplayOptions {
        caps: caps(&["PIPELINING", "UIDL"]),
        max_bytes: Some(max_bytes),
        ..Default::default()
    };
    let mut replies = b"+OK 1 5000\r\n+OK\r\n1 5000\r\n.\r\n+OK message follows\r\n".to_vec();
    for _ in 0..retr_lines {
        replies.extend_from_slice(&[b'x'; 98]);
        replies.extend_from_slice(b"\r\n");
    }
    replies.extend_from_slice(b".\r\n+OK\r\n1 aaa\r\n.\r\n");
    let mut script = vec![
        send("+OK ready"),
        expect("STAT"),
        Peer::Buffered("LIST\r\nRETR 1\r\nUIDL\r\nQUIT\r\n".len()),
        expect("LIST"),
        expect("RETR 1"),
        expect("UIDL"),
        // QUIT joins the read-only batch (no DELE: it commits nothing)
        expect("QUIT"),
        Peer::Send(replies),
    ];
    if quits {
        script.push(send("+OK bye"));
    }
    let (io, peer) = spawn(script);
    let mut s = Session::new(io, Recorder::detached(), Duration::from_secs(5), limits);
    s.read_greeting().await.unwrap();
    let o = replay(&mut s, &p, None, &opts).await;
    drop(s);
    peer.await.unwrap();
    o
}

#[tokio::test]
async fn a_pipelined_retr_over_max_bytes_keeps_every_other_verdict() {
    // --max-bytes 1000: the 5000-octet message is read to its end (only
    // its head kept), so RETR alone is marked and UIDL's reply, read after
    // it, is judged on its own.
    let limits = Limits {
        max_bytes: 1000,
        ..Limits::default()
    };
    let o = pipelined_retr_over_the_bound(limits, 50, 1000, true).await;
    assert!(o.steps[..4].iter().all(|s| s.pipelined));
    assert_eq!(
        statuses(&o),
        [
            Status::Pass,
            Status::Pass,
            Status::Warn,
            Status::Pass,
            Status::Pass
        ]
    );
    assert_eq!(o.steps[0].captured["count"], 1);
    assert!(
        o.steps[2].reason.contains("more than the bound of 1000"),
        "{}",
        o.steps[2].reason
    );
    assert_eq!(o.steps[3].captured["uids"][0]["uid"], "aaa");
}

#[tokio::test]
async fn a_pipelined_retr_past_the_read_ceiling_fails_alone_with_what_follows() {
    // The RETR reply goes past the hard ceiling: it cannot be read, and
    // neither can UIDL's reply behind it; STAT and LIST were read whole
    // and keep their verdicts.
    let limits = Limits {
        max_bytes: 1000,
        max_drain: 2000,
        ..Limits::default()
    };
    let o = pipelined_retr_over_the_bound(limits, 50, 1000, false).await;
    assert!(o.steps[..4].iter().all(|s| s.pipelined));
    assert_eq!(
        statuses(&o)[..4],
        [Status::Pass, Status::Pass, Status::Fail, Status::Fail]
    );
    assert!(
        o.steps[2]
            .reason
            .starts_with("the pipelined replies could not be read: "),
        "{}",
        o.steps[2].reason
    );
    assert!(
        o.steps[3]
            .reason
            .starts_with("no reply was read: reading the pipelined replies failed at step 3: "),
        "{}",
        o.steps[3].reason
    );
    assert_eq!(o.steps[0].captured["count"], 1);
}

/// A replay in French: every judgement, skip reason, explanation and the
/// dialogue check read in French (server text aside); the machine fields
/// are those of the English run.
#[test]
fn a_replay_reads_in_french() {
    use crate::i18n::testing::english_word;
    use crate::i18n::{Lang, scoped};
    let p = profile(
        "pipelining = false\n[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\nexplain = \"Counts.\"\nexplain_fr = \"Compte.\"\n[[step]]\nsend = \"LIST\"\ncapture = \"sizes\"\nregex = '^zz'\n[[step]]\nsend = \"TOP {first} 0\"\nrequires = \"TOP\"\n[[step]]\nlogin = true\n[[step]]\nsend = \"UIDL\"\n[[step]]\nsend = \"QUIT\"\n",
    );
    let go = |lang| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        scoped(lang, || {
            rt.block_on(run(
                &p,
                None,
                ReplayOptions::default(),
                vec![
                    expect("STAT"),
                    send("+OK x"),
                    expect("LIST"),
                    Peer::Send(b"+OK\r\n1 100\r\nz\r\n.\r\n".to_vec()),
                    expect("QUIT"),
                    send("+OK 1"),
                ],
            ))
            .0
        })
    };
    let en = go(Lang::En);
    let fr = go(Lang::Fr);
    assert_eq!(statuses(&en), statuses(&fr));
    assert_eq!(fr.steps[0].explanation, "Compte.");
    assert_eq!(en.steps[0].explanation, "Counts.");
    let mut texts = Vec::new();
    for c in &fr.checks {
        texts.extend([c.summary.clone(), c.detail.clone(), c.remedy.clone()]);
    }
    for s in &fr.steps {
        texts.extend([s.reason.clone(), s.explanation.clone(), s.expected.clone()]);
        texts.extend(s.meaning.clone());
    }
    let en_texts: Vec<String> = en
        .checks
        .iter()
        .flat_map(|c| [c.summary.clone(), c.detail.clone(), c.remedy.clone()])
        .collect();
    for text in &texts {
        assert!(
            !text.contains("script-") && !text.contains("pop3-"),
            "{text}"
        );
        // "x", "z" and "1" are the server's text; LOGIN is the step's verb.
        if let Some(w) = english_word(text, &["LOGIN"]) {
            panic!("English word {w:?} in French: {text}");
        }
    }
    for c in &fr.checks {
        // (a step's summary may be its command and the server's reply alone)
        if c.summary.chars().filter(char::is_ascii_lowercase).count() > 3 {
            assert!(
                !en_texts.contains(&c.summary),
                "not translated: {}",
                c.summary
            );
        }
    }
}

#[tokio::test]
async fn quit_never_joins_a_batch_once_dele_was_sent() {
    let p = profile(
        "[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\n[[step]]\nsend = \"LIST\"\n[[step]]\nsend = \"QUIT\"\n",
    );
    let opts = ReplayOptions {
        caps: caps(&["PIPELINING"]),
        ..deleting()
    };
    let (o, got, _) = run(
        &p,
        None,
        opts,
        vec![
            expect("DELE 1"),
            send("+OK marked"),
            expect("STAT"),
            // only LIST rides with STAT: QUIT would commit the deletion
            // before popscope saw the replies
            Peer::Buffered("LIST\r\n".len()),
            expect("LIST"),
            Peer::Send(b"+OK 1 100\r\n+OK\r\n2 100\r\n.\r\n".to_vec()),
            expect("QUIT"),
            send("+OK bye"),
        ],
    )
    .await;
    assert_eq!(got, ["DELE 1", "STAT", "LIST", "QUIT"]);
    assert_eq!(statuses(&o), [Status::Pass; 4]);
    assert!(!o.steps[3].pipelined, "QUIT waited for the replies");
    assert!(o.quit_sent && o.deleted);
}
