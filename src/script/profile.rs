//! Dialogue profiles: the TOML format (see `docs/profiles.md`), its
//! validation, template variables, and the profiles shipped in the binary.
//!
//! A profile is checked twice before anything is sent: [`Profile::parse`]
//! rejects everything that is wrong on its own (syntax, unknown fields and
//! variables, raw credentials, STLS, QUIT before the end, captures that do
//! not fit their command, variables used before they are captured), and
//! [`Profile::validate`] adds the one rule that depends on the user's
//! consent: DELE is refused unless `--allow-delete` was given.

use crate::i18n::t;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

use crate::pop3::auth::Mechanism;

/// The names of the profiles embedded in the binary, in help order.
pub const BUILTIN_NAMES: [&str; 4] = ["basic", "full-read", "teaching", "capabilities-only"];

/// The template variables a `send` line may use (besides `{login}`).
pub const VARIABLES: [&str; 4] = ["first", "last", "count", "uid1"];

/// The `send` value of the login step (`login = true` is the same).
pub const LOGIN: &str = "{login}";

/// The TOML text of a built-in profile.
fn builtin_text(name: &str) -> Option<&'static str> {
    Some(match name {
        "basic" => include_str!("../../profiles/basic.toml"),
        "full-read" => include_str!("../../profiles/full-read.toml"),
        "teaching" => include_str!("../../profiles/teaching.toml"),
        "capabilities-only" => include_str!("../../profiles/capabilities-only.toml"),
        _ => return None,
    })
}

/// Which outcome a step expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// `+OK` (the default).
    #[default]
    Ok,
    /// `-ERR` (to show a refusal on purpose).
    Err,
    /// Either; the step only fails when the exchange itself breaks.
    Any,
}

impl Expect {
    /// `+OK`, `-ERR` or `+OK or -ERR` (in the current language).
    pub fn shown(self) -> String {
        match self {
            Expect::Ok => "+OK".to_string(),
            Expect::Err => "-ERR".to_string(),
            Expect::Any => crate::i18n::t!("script-expect-any"),
        }
    }

    /// Whether a reply with this indicator meets the expectation.
    pub fn accepts(self, ok: bool) -> bool {
        match self {
            Expect::Ok => ok,
            Expect::Err => !ok,
            Expect::Any => true,
        }
    }
}

/// What a step records from its reply, for later steps and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capture {
    /// STAT: the message count and the maildrop size (sets `{count}`,
    /// `{first}`, `{last}`).
    #[serde(alias = "count-size")]
    CountSize,
    /// LIST: each message's size (sets the count too when STAT did not).
    Sizes,
    /// UIDL: each message's unique id (sets `{uid1}`).
    Uids,
}

impl Capture {
    /// The TOML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Capture::CountSize => "count_size",
            Capture::Sizes => "sizes",
            Capture::Uids => "uids",
        }
    }

    /// The command this capture reads (`STAT`, `LIST`, `UIDL`).
    pub fn verb(self) -> &'static str {
        match self {
            Capture::CountSize => "STAT",
            Capture::Sizes => "LIST",
            Capture::Uids => "UIDL",
        }
    }
}

/// One step of a profile, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// The command template, e.g. `TOP {first} 10`; [`LOGIN`] for the login
    /// step.
    pub send: String,
    /// The expected outcome.
    pub expect: Expect,
    /// Whether `+OK` is followed by a multi-line body (inferred from the
    /// command when the profile does not say).
    pub multiline: bool,
    /// A regular expression that must match the status text (after `+OK ` /
    /// `-ERR `) or, for a multi-line reply, any line of its body.
    pub regex: Option<String>,
    /// What to record from the reply.
    pub capture: Option<Capture>,
    /// A sentence for students, in English; the command's standard
    /// explanation is used when absent.
    pub explain: Option<String>,
    /// The same sentence in French (`explain_fr`); English is shown when
    /// absent. [`Step::explanation`] picks the process's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain_fr: Option<String>,
    /// Whether a failure of this step stops the dialogue (the final QUIT
    /// still runs, unless a DELE came before the failure).
    pub stop_on_fail: bool,
    /// A CAPA keyword (`TOP`, `UIDL`, ...) the server must advertise, or the
    /// step is skipped.
    pub requires: Option<String>,
    /// Upper bound in octets for this step's reply: a RETR of a message
    /// known (from LIST) to be larger is skipped.
    pub max_bytes: Option<u64>,
    /// Login step only: the method this step prefers (`--auth` overrides
    /// it; when the server does not offer it, the automatic choice is used).
    pub mechanism: Option<Mechanism>,
    /// Line of the profile file where the step starts, for messages.
    #[serde(skip)]
    pub line: Option<usize>,
}

impl Step {
    /// A step sending `send` and expecting `+OK`, with everything else at
    /// its default (multi-line inferred from the command).
    pub fn new(send: &str) -> Step {
        Step {
            send: send.to_string(),
            expect: Expect::Ok,
            multiline: infer_multiline(send).unwrap_or(false),
            regex: None,
            capture: None,
            explain: None,
            explain_fr: None,
            stop_on_fail: send.trim() == LOGIN,
            requires: None,
            max_bytes: None,
            mechanism: None,
            line: None,
        }
    }

    /// The profile's own sentence for students, in the current language:
    /// `explain_fr` in French, `explain` otherwise (and when French is
    /// missing); `None` when the profile gives none (the command's standard
    /// explanation is then shown).
    pub fn own_explanation(&self) -> Option<String> {
        match crate::i18n::current() {
            crate::i18n::Lang::Fr => self.explain_fr.as_ref().or(self.explain.as_ref()),
            crate::i18n::Lang::En => self.explain.as_ref(),
        }
        .cloned()
    }

    /// Whether this is the login step.
    pub fn is_login(&self) -> bool {
        self.send.trim() == LOGIN
    }

    /// The command word, upper-cased (`LOGIN` for the login step).
    pub fn verb(&self) -> String {
        if self.is_login() {
            return "LOGIN".into();
        }
        self.send
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase()
    }

    /// Whether the command has arguments (`LIST 1` vs `LIST`).
    pub fn has_args(&self) -> bool {
        self.send.split_whitespace().nth(1).is_some()
    }

    /// The variables the template uses, in order (with repeats).
    pub fn variables(&self) -> Vec<String> {
        if self.is_login() {
            return Vec::new();
        }
        template_variables(&self.send).unwrap_or_default()
    }
}

/// A dialogue profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// Short name (`basic`).
    pub name: String,
    /// One or two sentences on what the profile does.
    pub description: String,
    /// Whether independent read-only steps may be pipelined when the server
    /// advertises PIPELINING (default `true`; the teaching profile turns it
    /// off so that every reply follows its command).
    pub pipelining: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Where the profile came from: `builtin:NAME` or the file path.
    #[serde(skip)]
    pub source: String,
}

/// Why a profile cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileError {
    /// The file could not be read.
    Io {
        /// The path.
        path: String,
        /// The I/O error, in words.
        error: String,
    },
    /// The TOML is malformed or has unknown or mistyped fields.
    Parse {
        /// Where the text came from (path or `builtin:NAME`).
        source_name: String,
        /// 1-based line of the error, when known.
        line: Option<usize>,
        /// 1-based column of the error, when known.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// No built-in profile has this name.
    UnknownBuiltin(String),
    /// A step breaks a rule.
    Invalid {
        /// The profile name.
        profile: String,
        /// Where it came from.
        source_name: String,
        /// 1-based step number (0: the profile as a whole).
        step: usize,
        /// Line of the step in the file, when known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The profile contains DELE and the user did not allow deleting.
    DeleteRefused {
        /// The profile name.
        profile: String,
    },
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ProfileError::Io { path, error } => {
                t!("script-profile-io", path = path, error = error)
            }
            ProfileError::Parse {
                source_name,
                line,
                column,
                message,
            } => t!(
                "script-profile-parse",
                source = source_name,
                position = line_col(*line, *column),
                message = message
            ),
            ProfileError::UnknownBuiltin(name) => t!("script-profile-unknown", name = name),
            ProfileError::Invalid {
                profile,
                source_name,
                step,
                line,
                message,
            } => t!(
                "script-profile-invalid",
                profile = profile,
                source = source_name,
                step = *step,
                position = line_col(*line, None),
                message = message
            ),
            ProfileError::DeleteRefused { profile } => {
                t!("script-profile-delete-refused", profile = profile)
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for ProfileError {}

fn line_col(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(
            " {}",
            t!("script-profile-line-column", line = l, column = c)
        ),
        (Some(l), None) => format!(" {}", t!("script-profile-line", line = l)),
        _ => String::new(),
    }
}

/// 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[col_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The variables in a template (`{first}` → `first`), or what is wrong with
/// its braces.
fn template_variables(template: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        if rest.as_bytes()[open] == b'}' {
            return Err(t!("script-profile-brace-close"));
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find(['{', '}']) else {
            return Err(t!("script-profile-brace-open"));
        };
        if after.as_bytes()[close] == b'{' {
            return Err(t!("script-profile-brace-nested"));
        }
        out.push(after[..close].to_string());
        rest = &after[close + 1..];
    }
    Ok(out)
}

/// Fills a template's variables from `lookup`; `Err(name)` for the first
/// variable `lookup` has no value for.
pub fn render(
    template: &str,
    mut lookup: impl FnMut(&str) -> Option<String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(after.to_string());
        };
        let name = &after[..close];
        out.push_str(&lookup(name).ok_or_else(|| name.to_string())?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Whether a command's `+OK` reply carries a multi-line body, for the
/// commands popscope knows (`None` for others).
fn infer_multiline(send: &str) -> Option<bool> {
    let mut words = send.split_whitespace();
    let verb = words.next()?.to_ascii_uppercase();
    let has_args = words.next().is_some();
    match verb.as_str() {
        "CAPA" | "RETR" | "TOP" => Some(true),
        "LIST" | "UIDL" => Some(!has_args),
        "STAT" | "NOOP" | "RSET" | "QUIT" | "DELE" | "USER" | "LAST" | "UTF8" => Some(false),
        _ => None,
    }
}

/// The TOML form of a profile.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    name: Option<String>,
    #[serde(default)]
    description: String,
    pipelining: Option<bool>,
    #[serde(default, rename = "step", alias = "steps")]
    steps: Vec<toml::Spanned<RawStep>>,
}

/// The TOML form of a step.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    send: Option<String>,
    login: Option<bool>,
    expect: Option<Expect>,
    multiline: Option<bool>,
    regex: Option<String>,
    capture: Option<Capture>,
    explain: Option<String>,
    explain_fr: Option<String>,
    stop_on_fail: Option<bool>,
    requires: Option<String>,
    max_bytes: Option<u64>,
    mechanism: Option<String>,
}

impl Profile {
    /// The names of the built-in profiles.
    pub fn builtin_names() -> &'static [&'static str] {
        &BUILTIN_NAMES
    }

    /// A built-in profile by name.
    pub fn builtin(name: &str) -> Result<Profile, ProfileError> {
        let text =
            builtin_text(name).ok_or_else(|| ProfileError::UnknownBuiltin(name.to_string()))?;
        Profile::parse(text, &format!("builtin:{name}"))
    }

    /// Loads a profile: a path (anything ending in `.toml` or containing a
    /// path separator) is read from disk; any other argument names a
    /// built-in profile. DELE is not judged here: call
    /// [`Profile::validate`] with the user's `--allow-delete`.
    pub fn load(path_or_name: &str) -> Result<Profile, ProfileError> {
        let looks_like_path = path_or_name.ends_with(".toml")
            || path_or_name.contains('/')
            || path_or_name.contains(std::path::MAIN_SEPARATOR);
        if !looks_like_path {
            return Profile::builtin(path_or_name);
        }
        Profile::load_file(Path::new(path_or_name))
    }

    /// Reads and parses a profile file.
    pub fn load_file(path: &Path) -> Result<Profile, ProfileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError::Io {
            path: shown.clone(),
            error: e.to_string(),
        })?;
        let mut p = Profile::parse(&text, &shown)?;
        if p.name.is_empty() {
            p.name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        Ok(p)
    }

    /// Parses TOML text and checks every rule except the DELE consent (see
    /// [`Profile::validate`]). `source_name` names the text in errors. A
    /// missing `name` is left empty ([`Profile::load_file`] fills in the
    /// file name).
    pub fn parse(text: &str, source_name: &str) -> Result<Profile, ProfileError> {
        let raw: RawProfile = toml::from_str(text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = position(text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            ProfileError::Parse {
                source_name: source_name.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        let name = raw.name.unwrap_or_default().trim().to_string();
        let shown_name = if name.is_empty() {
            source_name.to_string()
        } else {
            name.clone()
        };
        let invalid = |step: usize, line: Option<usize>, message: String| ProfileError::Invalid {
            profile: shown_name.clone(),
            source_name: source_name.to_string(),
            step,
            line,
            message,
        };
        let mut steps = Vec::with_capacity(raw.steps.len());
        for (i, spanned) in raw.steps.into_iter().enumerate() {
            let line = Some(position(text, spanned.span().start).0);
            let r = spanned.into_inner();
            let login = r.login.unwrap_or(false);
            let send = match (&r.send, login) {
                (Some(s), true) if s.trim() != LOGIN => {
                    return Err(invalid(i + 1, line, t!("script-profile-login-and-send")));
                }
                (_, true) => LOGIN.to_string(),
                (Some(s), false) => s.trim().to_string(),
                (None, false) => {
                    return Err(invalid(i + 1, line, t!("script-profile-no-send")));
                }
            };
            let mechanism = match r.mechanism.as_deref() {
                None => None,
                Some(m) => Mechanism::parse(m).map_err(|e| invalid(i + 1, line, e.to_string()))?,
            };
            let is_login = send == LOGIN;
            let multiline = match (r.multiline, infer_multiline(&send)) {
                (Some(m), Some(inferred)) if m != inferred && !is_login => {
                    return Err(invalid(
                        i + 1,
                        line,
                        if inferred {
                            t!(
                                "script-profile-multiline-is",
                                send = &send,
                                value = m.to_string()
                            )
                        } else {
                            t!(
                                "script-profile-multiline-is-not",
                                send = &send,
                                value = m.to_string()
                            )
                        },
                    ));
                }
                (Some(m), _) => m && !is_login,
                (None, inferred) => inferred.unwrap_or(false),
            };
            steps.push(Step {
                send,
                expect: r.expect.unwrap_or_default(),
                multiline,
                regex: r.regex,
                capture: r.capture,
                explain: r.explain.map(|e| e.trim().to_string()),
                explain_fr: r.explain_fr.map(|e| e.trim().to_string()),
                stop_on_fail: r.stop_on_fail.unwrap_or(is_login),
                requires: r.requires.map(|q| q.trim().to_ascii_uppercase()),
                max_bytes: r.max_bytes,
                mechanism,
                line,
            });
        }
        let profile = Profile {
            name,
            description: raw.description.trim().to_string(),
            pipelining: raw.pipelining.unwrap_or(true),
            steps,
            source: source_name.to_string(),
        };
        profile.check_rules()?;
        Ok(profile)
    }

    /// Whether any step sends DELE.
    pub fn deletes(&self) -> bool {
        self.steps.iter().any(|s| s.verb() == "DELE")
    }

    /// Whether the profile has a login step.
    pub fn has_login(&self) -> bool {
        self.steps.iter().any(Step::is_login)
    }

    /// Every rule, including the DELE consent: DELE (in any case) is refused
    /// unless `allow_delete`. Call this before connecting.
    pub fn validate(&self, allow_delete: bool) -> Result<(), ProfileError> {
        self.check_rules()?;
        if self.deletes() && !allow_delete {
            return Err(ProfileError::DeleteRefused {
                profile: self.shown_name().to_string(),
            });
        }
        Ok(())
    }

    fn shown_name(&self) -> &str {
        if self.name.is_empty() {
            &self.source
        } else {
            &self.name
        }
    }

    /// The rules that do not depend on the user's flags.
    fn check_rules(&self) -> Result<(), ProfileError> {
        let invalid = |i: usize, message: String| ProfileError::Invalid {
            profile: self.shown_name().to_string(),
            source_name: self.source.clone(),
            step: i + 1,
            line: self.steps.get(i).and_then(|s| s.line),
            message,
        };
        if self.steps.is_empty() {
            return Err(ProfileError::Invalid {
                profile: self.shown_name().to_string(),
                source_name: self.source.clone(),
                step: 0,
                line: None,
                message: t!("script-profile-no-steps"),
            });
        }
        let mut logins = 0;
        let mut have_count = false;
        let mut have_uids = false;
        let last = self.steps.len() - 1;
        for (i, s) in self.steps.iter().enumerate() {
            if s.send.is_empty() {
                return Err(invalid(i, t!("script-profile-send-empty")));
            }
            if s.send.contains(['\r', '\n', '\0']) {
                return Err(invalid(i, t!("script-profile-send-line-break")));
            }
            if s.send.len() > 250 {
                return Err(invalid(i, t!("script-profile-send-too-long")));
            }
            if let Some(re) = &s.regex
                && let Err(e) = regex::Regex::new(re)
            {
                return Err(invalid(
                    i,
                    t!("script-profile-bad-regex", error = e.to_string()),
                ));
            }
            if let Some(req) = &s.requires
                && (req.is_empty()
                    || !req
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            {
                return Err(invalid(i, t!("script-profile-bad-requires", value = req)));
            }
            if s.is_login() {
                logins += 1;
                if logins > 1 {
                    return Err(invalid(i, t!("script-profile-two-logins")));
                }
                if s.expect != Expect::Ok || s.regex.is_some() || s.capture.is_some() {
                    return Err(invalid(i, t!("script-profile-login-options")));
                }
                continue;
            }
            if s.mechanism.is_some() {
                return Err(invalid(i, t!("script-profile-mechanism-not-login")));
            }
            let verb_word = s.send.split_whitespace().next().unwrap_or("");
            if verb_word.contains(['{', '}']) {
                return Err(invalid(i, t!("script-profile-verb-variable")));
            }
            if !verb_word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(invalid(
                    i,
                    t!("script-profile-not-command", word = verb_word),
                ));
            }
            let verb = s.verb();
            match verb.as_str() {
                "PASS" | "APOP" | "AUTH" => {
                    return Err(invalid(i, t!("script-profile-credentials", verb = &verb)));
                }
                "STLS" => {
                    return Err(invalid(i, t!("script-profile-stls")));
                }
                "QUIT" if i != last => {
                    return Err(invalid(i, t!("script-profile-quit-last")));
                }
                _ => {}
            }
            let vars = template_variables(&s.send).map_err(|e| invalid(i, e))?;
            for v in &vars {
                if v == "login" {
                    return Err(invalid(
                        i,
                        t!(
                            "script-profile-login-variable",
                            example = "send = \"{login}\""
                        ),
                    ));
                }
                if !VARIABLES.contains(&v.as_str()) {
                    return Err(invalid(
                        i,
                        t!("script-profile-unknown-variable", variable = v),
                    ));
                }
                match v.as_str() {
                    "uid1" if !have_uids => {
                        return Err(invalid(
                            i,
                            t!("script-profile-uids-early", example = "capture = \"uids\""),
                        ));
                    }
                    "first" | "last" | "count" if !have_count => {
                        return Err(invalid(
                            i,
                            t!(
                                "script-profile-count-early",
                                variable = v,
                                example = "capture = \"count_size\""
                            ),
                        ));
                    }
                    _ => {}
                }
            }
            if let Some(c) = s.capture {
                if verb != c.verb() || (c != Capture::CountSize && s.has_args()) {
                    return Err(invalid(
                        i,
                        t!(
                            "script-profile-capture-verb",
                            capture = format!("\"{}\"", c.as_str()),
                            verb = c.verb()
                        ),
                    ));
                }
                match c {
                    Capture::CountSize | Capture::Sizes => have_count = true,
                    Capture::Uids => have_uids = true,
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} steps)", self.shown_name(), self.steps.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        Profile::parse(text, "t.toml").unwrap_err().to_string()
    }

    #[test]
    fn every_builtin_parses_and_reads_only() {
        for name in Profile::builtin_names() {
            let p = Profile::builtin(name).unwrap();
            assert_eq!(p.name, *name);
            assert!(!p.description.is_empty(), "{name}");
            assert!(!p.deletes(), "{name}");
            p.validate(false).unwrap();
            assert_eq!(p.steps.last().unwrap().verb(), "QUIT", "{name}");
            assert!(p.steps.iter().all(|s| s.line.is_some()));
            assert_eq!(Profile::load(name).unwrap(), p);
        }
        assert!(!Profile::builtin("capabilities-only").unwrap().has_login());
        assert!(Profile::builtin("basic").unwrap().has_login());
        let e = Profile::builtin("nope").unwrap_err().to_string();
        assert!(
            e.contains("basic, full-read, teaching, capabilities-only"),
            "{e}"
        );
    }

    #[test]
    fn teaching_covers_every_non_deleting_rfc1939_command() {
        let p = Profile::builtin("teaching").unwrap();
        let verbs: Vec<String> = p.steps.iter().map(Step::verb).collect();
        for v in [
            "LOGIN", "STAT", "LIST", "UIDL", "TOP", "RETR", "NOOP", "RSET", "QUIT",
        ] {
            assert!(verbs.iter().any(|x| x == v), "{v} missing: {verbs:?}");
        }
        assert!(p.steps.iter().any(|s| s.verb() == "LIST" && s.has_args()));
        assert!(p.steps.iter().any(|s| s.verb() == "UIDL" && s.has_args()));
        assert!(p.steps.iter().all(|s| s.explain.is_some()));
        assert!(!p.pipelining);
        assert!(Profile::builtin("basic").unwrap().pipelining);
        let login = p.steps.iter().find(|s| s.is_login()).unwrap();
        assert_eq!(login.mechanism, Some(Mechanism::User));
    }

    /// Every built-in profile explains every step in both languages, and
    /// the step explanation follows the language.
    #[test]
    fn builtin_profiles_explain_every_step_in_french() {
        use crate::i18n::testing::english_word;
        use crate::i18n::{Lang, scoped};
        for name in Profile::builtin_names() {
            let p = Profile::builtin(name).unwrap();
            for s in &p.steps {
                let (Some(en), Some(fr)) = (&s.explain, &s.explain_fr) else {
                    panic!("{name}: step {} lacks explain or explain_fr", s.send);
                };
                assert_ne!(en, fr, "{name}: {}", s.send);
                // POP3 command words and the LOGIN mechanism may appear.
                if let Some(w) = english_word(fr, &["LOGIN", "From"]) {
                    panic!("{name}: English word {w:?} in: {fr}");
                }
                assert!(
                    !fr.contains(" :"),
                    "{name}: no-break space before ':' in: {fr}"
                );
                assert_eq!(scoped(Lang::Fr, || s.own_explanation()).as_ref(), Some(fr));
                assert_eq!(scoped(Lang::En, || s.own_explanation()).as_ref(), Some(en));
            }
        }
    }

    /// A profile without `explain_fr` stays valid and shows its English
    /// sentence in French too; a step without any explanation has none.
    #[test]
    fn explain_fr_is_optional_and_falls_back_to_english() {
        use crate::i18n::{Lang, scoped};
        let p = Profile::parse(
            "[[step]]\nsend = \"STAT\"\nexplain = \"Counts.\"\n[[step]]\nsend = \"QUIT\"\n",
            "test",
        )
        .unwrap();
        assert_eq!(p.steps[0].explain_fr, None);
        assert_eq!(
            scoped(Lang::Fr, || p.steps[0].own_explanation()).as_deref(),
            Some("Counts.")
        );
        assert_eq!(scoped(Lang::Fr, || p.steps[1].own_explanation()), None);
        let p = Profile::parse(
            "[[step]]\nsend = \"STAT\"\nexplain_fr = \"  Compte.  \"\n",
            "test",
        )
        .unwrap();
        assert_eq!(
            scoped(Lang::Fr, || p.steps[0].own_explanation()).as_deref(),
            Some("Compte.")
        );
        assert_eq!(scoped(Lang::En, || p.steps[0].own_explanation()), None);
    }

    /// Every rule's error, in both languages: no message id, French with
    /// no English left (TOML keys and values aside).
    #[test]
    fn profile_errors_in_both_languages() {
        use crate::i18n::testing::english_word;
        use crate::i18n::{Lang, scoped};
        let long = format!("[[step]]\nsend = \"NOOP {}\"\n", "x".repeat(250));
        let bad = [
            "name = \"x\"\n",
            "[[step]]\nlogin = true\nsend = \"STAT\"\n",
            "[[step]]\nexpect = \"ok\"\n",
            "[[step]]\nsend = \"RETR 1\"\nmultiline = false\n",
            "[[step]]\nsend = \"STAT\"\nmultiline = true\n",
            "[[step]]\nsend = \"\"\n",
            "[[step]]\nsend = \"STAT\\r\\nDELE 1\"\n",
            long.as_str(),
            "[[step]]\nsend = \"STAT\"\nregex = '('\n",
            "[[step]]\nsend = \"STAT\"\nrequires = \"a b\"\n",
            "[[step]]\nlogin = true\n[[step]]\nlogin = true\n",
            "[[step]]\nlogin = true\nregex = 'x'\n",
            "[[step]]\nsend = \"STAT\"\nmechanism = \"user\"\n",
            "[[step]]\nsend = \"{first}\"\n",
            "[[step]]\nsend = \"ST@T\"\n",
            "[[step]]\nsend = \"PASS x\"\n",
            "[[step]]\nsend = \"STLS\"\n",
            "[[step]]\nsend = \"QUIT\"\n[[step]]\nsend = \"STAT\"\n",
            "[[step]]\nsend = \"LIST {login}\"\n",
            "[[step]]\nsend = \"LIST {foo}\"\n",
            "[[step]]\nsend = \"UIDL {uid1}\"\n",
            "[[step]]\nsend = \"LIST {first}\"\n",
            "[[step]]\nsend = \"LIST\"\ncapture = \"count_size\"\n",
            "[[step]]\nsend = \"LIST }\"\n",
            "[[step]]\nsend = \"LIST {a\"\n",
            "[[step]]\nsend = \"LIST {a{b}\"\n",
        ];
        // Rule messages are worded when the error is made: make them in
        // each language.
        let errors = || {
            let mut errors: Vec<String> = bad
                .iter()
                .map(|text| Profile::parse(text, "t.toml").expect_err(text).to_string())
                .collect();
            for e in [
                ProfileError::UnknownBuiltin("x".into()),
                ProfileError::DeleteRefused {
                    profile: "x".into(),
                },
                ProfileError::Io {
                    path: "x.toml".into(),
                    error: "e".into(),
                },
                ProfileError::Parse {
                    source_name: "x.toml".into(),
                    line: Some(2),
                    column: Some(3),
                    message: "m".into(),
                },
            ] {
                errors.push(e.to_string());
            }
            errors
        };
        let all_en = scoped(Lang::En, errors);
        let all_fr = scoped(Lang::Fr, errors);
        for (en, fr) in all_en.iter().zip(&all_fr) {
            assert!(
                !en.contains("script-") && !fr.contains("script-"),
                "{en} / {fr}"
            );
            assert_ne!(en, fr);
            // TOML keys and values (login = true, send) may appear.
            if let Some(w) = english_word(fr, &["login"]) {
                panic!("English word {w:?} in French: {fr}");
            }
        }
        assert_eq!(
            all_en[0],
            "profile x (t.toml), step 0: the profile has no steps (add [[step]] tables)"
        );
    }

    #[test]
    fn parse_errors_have_line_numbers() {
        let e = err("name = \"x\"\n[[step]]\nsend = \"STAT\"\nsned = \"LIST\"\n");
        assert!(e.starts_with("t.toml line 4, column 1: "), "{e}");
        assert!(e.contains("sned"), "{e}");
        let e = err("name = \"x\"\n\n[[step]]\nsend = STAT\n");
        assert!(e.contains("line 4"), "{e}");
        let e = err("name = \"x\"\n[[step]]\nsend = \"STAT\"\nexpect = \"maybe\"\n");
        assert!(e.contains("line 4"), "{e}");
    }

    #[test]
    fn semantic_errors_name_step_and_line() {
        let e = err(
            "name = \"x\"\n[[step]]\nsend = \"STAT\"\ncapture = \"count_size\"\n\n[[step]]\nsend = \"RETR {frist}\"\n",
        );
        assert!(e.contains("step 2 (line 6)"), "{e}");
        assert!(e.contains("unknown variable {frist}"), "{e}");
    }

    #[test]
    fn rules() {
        let one = |send: &str| err(&format!("name = \"x\"\n[[step]]\nsend = \"{send}\"\n"));
        assert!(one("PASS secret").contains("login step"));
        assert!(one("pass secret").contains("login step"));
        assert!(one("AUTH PLAIN AHgAeQ==").contains("login step"));
        assert!(one("APOP a b").contains("login step"));
        assert!(one("STLS").contains("STLS cannot"));
        assert!(one("RETR {first}").contains("before any step captures the message count"));
        assert!(one("UIDL {uid1}").contains("before any step captures UIDs"));
        assert!(one("{first} 1").contains("written out"));
        assert!(one("RETR {first").contains("without its"));
        assert!(one("X {login}").contains("whole step"));
        assert!(one("").contains("empty"));
        let e = err("name = \"x\"\n[[step]]\nsend = \"QUIT\"\n[[step]]\nsend = \"NOOP\"\n");
        assert!(e.contains("last step"), "{e}");
        let e = err("name = \"x\"\n[[step]]\nsend = \"LIST 1\"\ncapture = \"sizes\"\n");
        assert!(e.contains("plain LIST"), "{e}");
        let e = err("name = \"x\"\n[[step]]\nsend = \"RETR 1\"\nmultiline = false\n");
        assert!(e.contains("is multi-line"), "{e}");
        let e = err("name = \"x\"\n[[step]]\nsend = \"NOOP\"\nregex = \"(\"\n");
        assert!(e.contains("regular expression"), "{e}");
        let e = err("name = \"x\"\n[[step]]\nlogin = true\n[[step]]\nsend = \"{login}\"\n");
        assert!(e.contains("only one login"), "{e}");
        let e = err("name = \"x\"\n[[step]]\nlogin = true\nexpect = \"err\"\n");
        assert!(e.contains("must succeed"), "{e}");
        let e = err("name = \"x\"\n[[step]]\nlogin = true\nmechanism = \"ntlm\"\n");
        assert!(e.contains("unknown login method"), "{e}");
        let e = err("name = \"x\"\n");
        assert!(e.contains("no steps"), "{e}");
    }

    #[test]
    fn dele_needs_consent_in_any_case() {
        for verb in ["DELE", "dele", "DeLe"] {
            let p = Profile::parse(
                &format!(
                    "name = \"wipe\"\n[[step]]\nlogin = true\n[[step]]\nsend = \"{verb} 1\"\n"
                ),
                "t.toml",
            )
            .unwrap();
            assert!(p.deletes());
            assert_eq!(
                p.validate(false).unwrap_err().to_string(),
                "profile wipe contains DELE: refused without --allow-delete"
            );
            p.validate(true).unwrap();
        }
    }

    #[test]
    fn defaults_and_inference() {
        let p = Profile::parse(
            "name = \"x\"\n[[step]]\nsend = \"CAPA\"\n[[step]]\nsend = \"{login}\"\nmechanism = \"auto\"\n[[step]]\nsend = \"LIST\"\ncapture = \"sizes\"\n[[step]]\nsend = \"LIST {last}\"\n[[step]]\nsend = \"XTND foo\"\nmultiline = true\nexpect = \"any\"\nrequires = \"xtnd\"\n",
            "t",
        )
        .unwrap();
        let s = &p.steps;
        assert!(s[0].multiline && !s[0].stop_on_fail);
        assert!(s[1].is_login() && s[1].stop_on_fail && s[1].mechanism.is_none());
        assert!(s[2].multiline && !s[3].multiline);
        assert_eq!(s[3].variables(), ["last"]);
        assert!(s[4].multiline);
        assert_eq!(s[4].requires.as_deref(), Some("XTND"));
        assert_eq!(s[4].expect, Expect::Any);
    }

    #[test]
    fn render_fills_variables() {
        let r = render("TOP {first} {count}", |v| match v {
            "first" => Some("1".into()),
            "count" => Some("4".into()),
            _ => None,
        });
        assert_eq!(r.unwrap(), "TOP 1 4");
        assert_eq!(render("UIDL {uid1}", |_| None).unwrap_err(), "uid1");
    }

    #[test]
    fn load_distinguishes_paths_from_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        std::fs::write(&path, "[[step]]\nsend = \"CAPA\"\n").unwrap();
        let p = Profile::load(path.to_str().unwrap()).unwrap();
        assert_eq!(p.name, "mine");
        let e = Profile::load("/nonexistent/x.toml").unwrap_err();
        assert!(matches!(e, ProfileError::Io { .. }), "{e}");
        assert!(matches!(
            Profile::load("mine").unwrap_err(),
            ProfileError::UnknownBuiltin(_)
        ));
    }
}
