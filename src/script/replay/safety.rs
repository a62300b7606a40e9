//! The never-lose-mail rules as one state machine: where the session stands
//! with respect to deletions, what may be sent, and how the dialogue ends.
//!
//! RFC 1939 §6: messages marked with DELE are only removed when the server
//! enters the UPDATE state, which only a QUIT in the TRANSACTION state
//! causes. A session that closes without QUIT deletes nothing, and RSET
//! unmarks every message. So:
//!
//! * DELE is only sent with `--allow-delete` (the profile was already
//!   refused without it; this is the second lock).
//! * Once a DELE was sent, any failure *poisons* the session: popscope sends
//!   RSET (when the connection still works), runs nothing more and closes
//!   without QUIT.
//! * Only a dialogue that went well ends with QUIT, which commits the
//!   deletions still marked.
//!
//! ```text
//! Transaction ──DeleSent──▶ DeletionsPending ──StepFailed──▶ Poisoned
//!      │                     (DeleOk: marked,                (one RSET if the connection
//!      │                      RsetOk: unmarked)               works; QUIT barred; the end
//!      │                            │                         drops the connection)
//!      └── QUIT answered, ──────────┴──▶ Closed (QUIT +OK while marked: deleted)
//!          connection lost
//! ```
//!
//! The runner reports [`Event`]s; [`Safety::on`] moves to the next state and
//! says what must happen now ([`Action`]); [`Safety::may_send`] says whether
//! a command may go out.

use crate::i18n::t;

/// Where the session stands with respect to deletions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SessionState {
    /// No DELE was sent and the connection works: a failure only stops the
    /// dialogue when the profile says so, and QUIT deletes nothing.
    Transaction,
    /// A DELE was sent and nothing failed since. `marked`: messages are
    /// marked for deletion now (a DELE was answered `+OK` and no RSET `+OK`
    /// followed), so QUIT would delete them.
    DeletionsPending {
        /// Whether messages are marked for deletion now.
        marked: bool,
    },
    /// Step `step` failed after a DELE: nothing more is sent except one RSET
    /// (when the connection still works), QUIT never, and the connection is
    /// dropped, so the server deletes nothing.
    Poisoned {
        /// The step whose failure poisoned the session (1-based).
        step: usize,
        /// Whether popscope sent RSET.
        rset_sent: bool,
        /// Whether the connection can no longer be used.
        connection_lost: bool,
    },
    /// The session is over: QUIT was answered, or the connection broke
    /// before any failure after a DELE.
    Closed {
        /// Whether QUIT was sent.
        quit_sent: bool,
        /// Whether the server deleted messages (QUIT `+OK` while marked).
        deleted: bool,
    },
}

/// Something that happened in the session, reported by the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Event {
    /// A DELE command is being sent (before its reply: a DELE whose reply
    /// is lost may have marked a message).
    DeleSent,
    /// A DELE was answered `+OK`: a message is marked.
    DeleOk,
    /// An RSET (the profile's or popscope's) was answered `+OK`: nothing is
    /// marked any more.
    RsetOk,
    /// Step `step` (1-based) failed; `connection_lost`: the connection can
    /// no longer be used.
    StepFailed {
        /// The failed step (1-based).
        step: usize,
        /// Whether the connection broke.
        connection_lost: bool,
    },
    /// The connection broke without a step failing (e.g. popscope's RSET).
    ConnectionLost,
    /// popscope sent RSET because the session is poisoned.
    RsetSent,
    /// QUIT was sent and the reply read (`ok`: `+OK`), or popscope's own
    /// QUIT got no clean reply (`ok == false`): the session is over.
    QuitAnswered {
        /// Whether the reply was `+OK` (the server entered UPDATE).
        ok: bool,
    },
    /// Every step has been handled: how does the session end?
    EndOfDialogue,
}

/// What the runner must do after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    /// Nothing for mail safety (the profile's own stop rules still apply).
    Nothing,
    /// A failure followed a DELE and the connection works: stop, send RSET,
    /// and close without QUIT.
    RsetThenDrop,
    /// Close without QUIT: the session is poisoned (on a failure after DELE
    /// with the connection gone, or at the end of a poisoned dialogue).
    Drop,
    /// End the dialogue with QUIT (it commits the deletions still marked).
    SendQuit,
}

/// Why a command may not be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Barred {
    /// The session is over or the connection broke.
    ConnectionGone,
    /// QUIT after a failure following DELE would commit the deletions.
    QuitAfterFailedDele,
    /// The session is poisoned: step `n` failed after DELE.
    Poisoned(usize),
    /// DELE without `--allow-delete`.
    DeleNotAllowed,
}

impl Barred {
    /// The skip reason shown for the step.
    pub(super) fn reason(self) -> String {
        match self {
            Barred::ConnectionGone => t!("script-step-connection-gone"),
            Barred::QuitAfterFailedDele => t!("script-step-no-quit-after-dele"),
            Barred::Poisoned(step) => t!("script-step-not-run", reason = poisoned_reason(step)),
            Barred::DeleNotAllowed => t!("script-step-dele-not-allowed"),
        }
    }
}

/// Why a poisoned dialogue stopped (the dialogue check's "Stopped early").
pub(super) fn poisoned_reason(step: usize) -> String {
    t!("script-stop-poisoned", step = step)
}

/// The never-lose-mail state machine of one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Safety {
    allow_delete: bool,
    state: SessionState,
}

impl Safety {
    /// A session in the TRANSACTION (or AUTHORIZATION) state; DELE may only
    /// be sent with `allow_delete`.
    pub(super) fn new(allow_delete: bool) -> Self {
        Safety {
            allow_delete,
            state: SessionState::Transaction,
        }
    }

    /// A machine in `state` (for tests of the transitions).
    #[cfg(test)]
    pub(super) fn in_state(allow_delete: bool, state: SessionState) -> Self {
        Safety {
            allow_delete,
            state,
        }
    }

    /// The current state.
    pub(super) fn state(&self) -> SessionState {
        self.state
    }

    /// Whether command `verb` (upper case) may be sent now.
    pub(super) fn may_send(&self, verb: &str) -> Result<(), Barred> {
        use SessionState::*;
        match self.state {
            Closed { .. }
            | Poisoned {
                connection_lost: true,
                ..
            } => Err(Barred::ConnectionGone),
            Poisoned { .. } if verb == "QUIT" => Err(Barred::QuitAfterFailedDele),
            Poisoned { step, .. } => Err(Barred::Poisoned(step)),
            Transaction | DeletionsPending { .. } if verb == "DELE" && !self.allow_delete => {
                Err(Barred::DeleNotAllowed)
            }
            Transaction | DeletionsPending { .. } => Ok(()),
        }
    }

    /// Whether the connection can still carry commands.
    pub(super) fn connection_usable(&self) -> bool {
        !matches!(
            self.state,
            SessionState::Closed { .. }
                | SessionState::Poisoned {
                    connection_lost: true,
                    ..
                }
        )
    }

    /// Applies `event` and says what must happen now.
    pub(super) fn on(&mut self, event: Event) -> Action {
        let (next, action) = transition(self.state, event);
        self.state = next;
        action
    }

    /// Whether popscope sent RSET because of a failure after DELE.
    pub(super) fn rset_sent(&self) -> bool {
        matches!(
            self.state,
            SessionState::Poisoned {
                rset_sent: true,
                ..
            }
        )
    }

    /// Whether a failure after DELE stopped the dialogue.
    pub(super) fn poisoned(&self) -> bool {
        matches!(self.state, SessionState::Poisoned { .. })
    }

    /// Whether QUIT was sent.
    pub(super) fn quit_sent(&self) -> bool {
        matches!(
            self.state,
            SessionState::Closed {
                quit_sent: true,
                ..
            }
        )
    }

    /// Whether the server deleted messages (QUIT `+OK` while marked).
    pub(super) fn deleted(&self) -> bool {
        matches!(self.state, SessionState::Closed { deleted: true, .. })
    }
}

/// The transition table: the next state and the action, for every state and
/// event (events that cannot happen in a state leave it unchanged).
pub(super) fn transition(state: SessionState, event: Event) -> (SessionState, Action) {
    use Action::*;
    use Event::*;
    use SessionState::*;
    let closed_without_quit = Closed {
        quit_sent: false,
        deleted: false,
    };
    match (state, event) {
        // Closed is final: nothing is sent any more.
        (Closed { .. }, _) => (state, Nothing),

        // Poisoned is final too: QUIT is never sent, the end drops the
        // connection; only popscope's RSET and its outcome are recorded.
        (
            Poisoned {
                step,
                connection_lost,
                ..
            },
            RsetSent,
        ) => (
            Poisoned {
                step,
                rset_sent: true,
                connection_lost,
            },
            Nothing,
        ),
        (
            Poisoned {
                step, rset_sent, ..
            },
            ConnectionLost
            | StepFailed {
                connection_lost: true,
                ..
            },
        ) => (
            Poisoned {
                step,
                rset_sent,
                connection_lost: true,
            },
            Nothing,
        ),
        (Poisoned { .. }, EndOfDialogue) => (state, Drop),
        (Poisoned { .. }, _) => (state, Nothing),

        // Before any DELE.
        (Transaction, DeleSent) => (DeletionsPending { marked: false }, Nothing),
        // a DELE +OK without DeleSent cannot happen; count it as marked
        (Transaction, DeleOk) => (DeletionsPending { marked: true }, Nothing),
        (
            Transaction,
            StepFailed {
                connection_lost: true,
                ..
            }
            | ConnectionLost,
        ) => (closed_without_quit, Nothing),
        (Transaction, QuitAnswered { .. }) => (
            Closed {
                quit_sent: true,
                deleted: false,
            },
            Nothing,
        ),
        (Transaction, EndOfDialogue) => (Transaction, SendQuit),
        (
            Transaction,
            RsetOk
            | RsetSent
            | StepFailed {
                connection_lost: false,
                ..
            },
        ) => (Transaction, Nothing),

        // After a DELE, nothing failed yet.
        (DeletionsPending { .. }, DeleOk) => (DeletionsPending { marked: true }, Nothing),
        (DeletionsPending { .. }, RsetOk) => (DeletionsPending { marked: false }, Nothing),
        (
            DeletionsPending { .. },
            StepFailed {
                step,
                connection_lost,
            },
        ) => (
            Poisoned {
                step,
                rset_sent: false,
                connection_lost,
            },
            if connection_lost { Drop } else { RsetThenDrop },
        ),
        // gone without QUIT: the server never enters UPDATE
        (DeletionsPending { .. }, ConnectionLost) => (closed_without_quit, Nothing),
        (DeletionsPending { marked }, QuitAnswered { ok }) => (
            Closed {
                quit_sent: true,
                deleted: ok && marked,
            },
            Nothing,
        ),
        (DeletionsPending { .. }, EndOfDialogue) => (state, SendQuit),
        (DeletionsPending { .. }, DeleSent | RsetSent) => (state, Nothing),
    }
}
