//! Checks -> root causes, ordered by how much they block the user. Each
//! failing or warning check is explained by exactly one cause.

use super::{Cause, CauseId, CheckRef, ServerInfo};
use crate::model::{Check, Status};
use crate::probe::outcome::Outcome;
use crate::target::Target;

/// The causes behind `checks`, top cause first.
pub(super) fn find(
    _target: &Target,
    _outcome: &Outcome,
    checks: &[Check],
    _server: Option<&ServerInfo>,
) -> Vec<Cause> {
    let mut causes: Vec<Cause> = Vec::new();
    for c in checks.iter().filter(|c| c.status.severity() > 0) {
        causes.push(other(c));
    }
    causes.sort_by_key(|c| (std::cmp::Reverse(c.status.severity()), c.id));
    causes
}

/// A problem no catalogued cause explains: the check speaks for itself.
fn other(c: &Check) -> Cause {
    Cause {
        id: CauseId::Other,
        status: if c.status == Status::Fail {
            Status::Fail
        } else {
            Status::Warn
        },
        summary: c.summary.clone(),
        explains: vec![CheckRef::to(c)],
        client_fix: String::new(),
        server_fix: c.remedy.clone(),
    }
}
