//! Property tests of the never-lose-mail state machine: over any sequence of
//! session events, DELE is never allowed without `--allow-delete`, QUIT
//! (which commits deletions) is never allowed after a failure that followed
//! a DELE, and messages are reported deleted only after QUIT `+OK`.

use proptest::prelude::*;

use super::safety::{Action, Event, Safety, SessionState};

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        Just(Event::DeleSent),
        Just(Event::DeleOk),
        Just(Event::RsetOk),
        (1usize..9, any::<bool>()).prop_map(|(step, connection_lost)| Event::StepFailed {
            step,
            connection_lost
        }),
        Just(Event::ConnectionLost),
        Just(Event::RsetSent),
        any::<bool>().prop_map(|ok| Event::QuitAnswered { ok }),
        Just(Event::EndOfDialogue),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_lose_mail(allow_delete in any::<bool>(), events in proptest::collection::vec(event(), 0..24)) {
        let mut s = Safety::new(allow_delete);
        let mut dele_sent = false;
        let mut failed_after_dele = false;
        for e in events {
            if !allow_delete {
                prop_assert!(s.may_send("DELE").is_err(), "DELE allowed in {:?}", s.state());
            }
            if failed_after_dele {
                prop_assert!(s.may_send("QUIT").is_err(), "QUIT allowed after a failure following DELE");
            }
            // The runner only reports a DELE it was allowed to send, and a
            // DELE `+OK` only for a DELE it sent.
            if matches!(e, Event::DeleSent) && s.may_send("DELE").is_err() {
                continue;
            }
            if matches!(e, Event::DeleOk) && !dele_sent {
                continue;
            }
            // Nothing happens in a session after it closed.
            if matches!(s.state(), SessionState::Closed { .. }) {
                break;
            }
            let action = s.on(e);
            match e {
                Event::DeleSent => dele_sent = true,
                Event::StepFailed { .. } if dele_sent => failed_after_dele = true,
                _ => {}
            }
            if failed_after_dele {
                prop_assert!(action != Action::SendQuit, "QUIT chosen after a failure following DELE");
            }
        }
        if !allow_delete || failed_after_dele {
            prop_assert!(!s.deleted(), "reported deleted: {:?}", s.state());
        }
        if s.deleted() {
            let after_quit = matches!(s.state(), SessionState::Closed { quit_sent: true, .. });
            prop_assert!(after_quit, "deleted without QUIT");
        }
    }
}
