//! The capabilities a server announces in its CAPA response (RFC 2449):
//! keyword look-ups, the LOGIN-DELAY/EXPIRE policies, and what changed
//! between two responses (before and after STLS).

use serde::Serialize;

use crate::pop3::response::MultiLine;
use crate::transcript::sanitize;

/// A value of a CAPA policy capability (`LOGIN-DELAY`, `EXPIRE`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyValue {
    /// `NEVER` (only meaningful for `EXPIRE`).
    Never,
    /// A number: seconds for `LOGIN-DELAY`, days for `EXPIRE`.
    Number(u64),
    /// Missing or not understood (sanitised as sent).
    Invalid(String),
}

/// A CAPA policy (`LOGIN-DELAY 900 USER`, `EXPIRE NEVER`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    /// The value.
    pub value: PolicyValue,
    /// Trailing `USER`: the value may differ per user after login.
    pub per_user: bool,
}

/// The capabilities a server announced in its CAPA response (RFC 2449).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// The capability lines, sanitised, in the order sent.
    pub lines: Vec<String>,
}

/// What changed between two CAPA responses (typically before and after STLS).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CapaDiff {
    /// Capabilities (keyword and arguments) only in the second response.
    pub added: Vec<String>,
    /// Capabilities (keyword and arguments) only in the first response.
    pub removed: Vec<String>,
}

/// The names (first words, sanitised) of the CAPA lines left out of
/// [`MultiLine::head`], in order.
pub fn later_names(ml: &MultiLine) -> Vec<String> {
    ml.later_names
        .iter()
        .map(|w| sanitize(w).trim().to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

impl Capabilities {
    /// Builds from the body lines of a CAPA response (already unstuffed).
    pub fn from_lines<L: AsRef<[u8]>>(lines: &[L]) -> Self {
        Capabilities {
            lines: lines
                .iter()
                .map(|l| sanitize(l.as_ref()).trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }

    /// Builds from a multi-line CAPA body: the kept lines, then the name
    /// alone of each line left out of them (an over-long line, or one past
    /// the reader's limits; see [`MultiLine::later_names`]), so a long list
    /// still answers [`Capabilities::has`] for every capability it names.
    pub fn from_multiline(ml: &MultiLine) -> Self {
        let mut caps = Self::from_lines(&ml.head);
        caps.lines.extend(later_names(ml));
        caps
    }

    /// The arguments of the first line whose keyword is `keyword`
    /// (case-insensitive), or `None` when not announced.
    pub fn args(&self, keyword: &str) -> Option<Vec<&str>> {
        self.lines.iter().find_map(|l| {
            let mut words = l.split_whitespace();
            let kw = words.next()?;
            kw.eq_ignore_ascii_case(keyword).then(|| words.collect())
        })
    }

    /// Whether `keyword` was announced (case-insensitive).
    pub fn has(&self, keyword: &str) -> bool {
        self.args(keyword).is_some()
    }

    /// `STLS`: STARTTLS is available (RFC 2595).
    pub fn stls(&self) -> bool {
        self.has("STLS")
    }

    /// `USER`: USER/PASS login is allowed on this connection.
    pub fn user(&self) -> bool {
        self.has("USER")
    }

    /// `SASL`: the offered SASL mechanisms, upper-cased.
    pub fn sasl(&self) -> Vec<String> {
        self.args("SASL")
            .unwrap_or_default()
            .into_iter()
            .map(|m| m.to_ascii_uppercase())
            .collect()
    }

    /// `PIPELINING`: commands may be sent without waiting for each reply.
    pub fn pipelining(&self) -> bool {
        self.has("PIPELINING")
    }

    /// `IMPLEMENTATION`: the server software, as announced.
    pub fn implementation(&self) -> Option<String> {
        self.args("IMPLEMENTATION").map(|a| a.join(" "))
    }

    /// `LOGIN-DELAY`: minimum seconds between logins.
    pub fn login_delay(&self) -> Option<Policy> {
        self.policy("LOGIN-DELAY")
    }

    /// `EXPIRE`: days the server keeps messages after retrieval.
    pub fn expire(&self) -> Option<Policy> {
        self.policy("EXPIRE")
    }

    fn policy(&self, keyword: &str) -> Option<Policy> {
        let args = self.args(keyword)?;
        let value = match args.first() {
            Some(v) if v.eq_ignore_ascii_case("NEVER") => PolicyValue::Never,
            Some(v) => v
                .parse()
                .map(PolicyValue::Number)
                .unwrap_or_else(|_| PolicyValue::Invalid((*v).to_string())),
            None => PolicyValue::Invalid(String::new()),
        };
        let per_user = args.get(1).is_some_and(|u| u.eq_ignore_ascii_case("USER"));
        Some(Policy { value, per_user })
    }

    /// `TOP`: the TOP command is available.
    pub fn top(&self) -> bool {
        self.has("TOP")
    }

    /// `UIDL`: unique message ids are available.
    pub fn uidl(&self) -> bool {
        self.has("UIDL")
    }

    /// `RESP-CODES`: `-ERR` replies carry `[CODE]`s (RFC 2449).
    pub fn resp_codes(&self) -> bool {
        self.has("RESP-CODES")
    }

    /// `AUTH-RESP-CODE`: login failures carry `[AUTH]` (RFC 3206).
    pub fn auth_resp_code(&self) -> bool {
        self.has("AUTH-RESP-CODE")
    }

    /// Normalised form used to compare: upper-cased keyword, arguments
    /// separated by one space (SASL mechanisms upper-cased and sorted).
    fn normalised(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| {
                let mut words = l.split_whitespace();
                let kw = words.next()?.to_ascii_uppercase();
                let mut args: Vec<String> = words.map(str::to_string).collect();
                if kw == "SASL" {
                    args.iter_mut().for_each(|a| *a = a.to_ascii_uppercase());
                    args.sort();
                }
                Some(
                    std::iter::once(kw)
                        .chain(args)
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
            .collect()
    }

    /// What changed from `before` to `after`, keyword and arguments compared
    /// (keywords case-insensitively).
    pub fn diff(before: &Capabilities, after: &Capabilities) -> CapaDiff {
        let b = before.normalised();
        let a = after.normalised();
        CapaDiff {
            added: a.iter().filter(|x| !b.contains(x)).cloned().collect(),
            removed: b.iter().filter(|x| !a.contains(x)).cloned().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::reader::{Limits, LineReader};
    use std::time::Duration;

    const T: Duration = Duration::from_secs(5);

    fn wire(lines: &[&str]) -> Vec<u8> {
        let mut v = Vec::new();
        for l in lines {
            v.extend_from_slice(l.as_bytes());
            v.extend_from_slice(b"\r\n");
        }
        v
    }
    #[tokio::test]
    async fn capa_with_dots_in_lines() {
        let data = wire(&[
            "TOP",
            "IMPLEMENTATION Dovecot v2.3.21.1",
            "SASL PLAIN login",
            "EXPIRE 31 USER",
            ".",
        ]);
        let mut r = LineReader::new(&data[..], 1024);
        let ml = r
            .read_multiline(&Limits::default(), T, "x", |_| {})
            .await
            .unwrap();
        let caps = Capabilities::from_multiline(&ml);
        assert!(caps.top() && !caps.uidl() && !caps.stls());
        assert_eq!(caps.implementation().as_deref(), Some("Dovecot v2.3.21.1"));
        assert_eq!(caps.sasl(), ["PLAIN", "LOGIN"]);
        assert_eq!(
            caps.expire(),
            Some(Policy {
                value: PolicyValue::Number(31),
                per_user: true
            })
        );
    }
    /// Issue 12: a cut list still answers `has` for every name it listed.
    #[tokio::test]
    async fn cut_list_still_knows_every_name() {
        let sasl = format!("SASL {}", "MECH ".repeat(300));
        let data = wire(&["TOP", &sasl, "STLS", "."]);
        let mut r = LineReader::new(&data[..], 1024);
        let ml = r
            .read_multiline(&Limits::default(), T, "x", |_| {})
            .await
            .unwrap();
        let caps = Capabilities::from_multiline(&ml);
        assert_eq!(caps.lines, ["TOP", "SASL", "STLS"]);
        assert!(caps.stls() && caps.has("sasl") && caps.top());
        assert!(
            caps.sasl().is_empty(),
            "the cut line's mechanisms are unknown"
        );
        assert_eq!(later_names(&ml), ["SASL", "STLS"]);
    }

    #[test]
    fn capabilities_helpers_and_diff() {
        let before = Capabilities::from_lines(&[
            "CAPA",
            "TOP",
            "UIDL",
            "STLS",
            "RESP-CODES",
            "PIPELINING",
            "LOGIN-DELAY 900",
            "  ",
        ]);
        let after = Capabilities::from_lines(&[
            "capa",
            "TOP",
            "UIDL",
            "USER",
            "SASL plain CRAM-MD5",
            "RESP-CODES",
            "AUTH-RESP-CODE",
            "PIPELINING",
            "LOGIN-DELAY 900  USER",
            "EXPIRE NEVER",
        ]);
        assert_eq!(before.lines.len(), 7);
        assert!(before.stls() && before.pipelining() && before.resp_codes() && !before.user());
        assert!(after.has("Capa") && after.user() && after.auth_resp_code() && !after.stls());
        assert_eq!(after.sasl(), ["PLAIN", "CRAM-MD5"]);
        assert!(before.sasl().is_empty());
        assert_eq!(
            before.login_delay().unwrap().value,
            PolicyValue::Number(900)
        );
        assert!(!before.login_delay().unwrap().per_user);
        assert!(after.login_delay().unwrap().per_user);
        assert_eq!(after.expire().unwrap().value, PolicyValue::Never);
        assert_eq!(before.expire(), None);
        assert_eq!(before.implementation(), None);
        let bad = Capabilities::from_lines(&["EXPIRE soon"]);
        assert_eq!(
            bad.expire().unwrap().value,
            PolicyValue::Invalid("soon".into())
        );

        let d = Capabilities::diff(&before, &after);
        assert_eq!(d.removed, ["STLS", "LOGIN-DELAY 900"]);
        assert_eq!(
            d.added,
            [
                "USER",
                "SASL CRAM-MD5 PLAIN",
                "AUTH-RESP-CODE",
                "LOGIN-DELAY 900 USER",
                "EXPIRE NEVER"
            ]
        );
        assert_eq!(Capabilities::diff(&after, &after), CapaDiff::default());
    }
}
