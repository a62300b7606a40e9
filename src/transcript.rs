//! Timestamped transcript lines (client, server, TLS events, notes) and the
//! sanitiser that makes untrusted server text safe for a terminal.
//!
//! Secrets are redacted *at the source*: callers record a command through
//! [`Recorder::client_redacted`] and the secret never enters a [`Line`].
//! Every form of a secret popscope sends (the password, its base64, the
//! SASL blobs, a token) is also registered with [`Recorder::add_secret`]:
//! every line recorded afterwards, server lines included, has those forms
//! replaced by [`REDACTED`] ([`Recorder::redact`]), so a server that echoes
//! what it received (`-ERR unknown command PASS hunter2`) cannot leak it.

use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The text that replaces every secret in every output.
pub const REDACTED: &str = "********";

/// Who produced a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dir {
    /// A line popscope sent to the server.
    Client,
    /// A line the server sent.
    Server,
    /// A TLS event (handshake start, version, certificate, alert).
    Tls,
    /// A note from popscope (timeouts, connection closed, explanations).
    Note,
}

/// One transcript line. `text` is always sanitised (no control characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Milliseconds since the start of the run.
    pub t_ms: u64,
    /// Direction / kind of the line.
    pub dir: Dir,
    /// Sanitised text (no CR/LF, control characters escaped).
    pub text: String,
    /// What the line is, as the code that recorded it knew it (which
    /// command a reply answers, which TLS event, ...). Not part of the JSON
    /// report.
    #[serde(skip)]
    pub kind: LineKind,
}

impl Line {
    /// A line of no particular kind; `text` is sanitised here.
    pub fn new(t_ms: u64, dir: Dir, text: &str) -> Line {
        Line {
            t_ms,
            dir,
            text: sanitize_str(text),
            kind: LineKind::Unclassified,
        }
    }

    /// The same line with `kind`.
    pub fn with_kind(mut self, kind: LineKind) -> Line {
        self.kind = kind;
        self
    }
}

/// What a transcript line is. Set where the line is recorded, by the code
/// that knows (the POP3 session knows which command each reply answers, even
/// when commands are pipelined), so nothing has to guess it from the text.
///
/// Verbs are upper-cased command names (`STAT`, `AUTH`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LineKind {
    /// Nothing is known beyond the direction (lines built by hand).
    #[default]
    Unclassified,
    /// A command from the client; its arguments are in the text.
    Command {
        /// The command's verb.
        verb: String,
    },
    /// A client line answering a SASL challenge (RFC 5034).
    SaslResponse {
        /// Whether the credentials it carries were replaced by
        /// [`REDACTED`].
        redacted: bool,
    },
    /// `*`: the client cancels a SASL exchange.
    SaslCancel,
    /// The server's first line, a status line.
    Greeting {
        /// `+OK` (ready) or `-ERR` (refused).
        ok: bool,
    },
    /// A `+OK` / `-ERR` status line.
    Reply {
        /// The command it answers (`None` when no command was waiting).
        to: Option<String>,
        /// `+OK` or `-ERR`.
        ok: bool,
    },
    /// A SASL challenge from the server (`+ <base64>`).
    Challenge,
    /// A data line of a multi-line answer (LIST, UIDL, RETR, TOP, ...).
    Body {
        /// The command whose answer it belongs to.
        of: Option<String>,
    },
    /// A capability line of the answer to CAPA.
    Capability,
    /// The lone `.` that ends a multi-line answer.
    End {
        /// The command whose answer it ends.
        of: Option<String>,
    },
    /// A line where a status line was awaited that is neither `+OK` nor
    /// `-ERR`.
    NotPop3 {
        /// Whether the greeting was awaited.
        greeting: bool,
    },
    /// Bytes without a line ending, sent just before the server closed the
    /// connection.
    Fragment,
    /// A TLS event.
    TlsEvent(TlsEventKind),
    /// A note from popscope.
    Note(NoteKind),
}

impl LineKind {
    /// A client command line: the verb is the first word, upper-cased.
    pub fn command(line: &str) -> LineKind {
        LineKind::Command {
            verb: line
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase(),
        }
    }
}

/// Which TLS event a [`Dir::Tls`] line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsEventKind {
    /// Any other TLS event.
    #[default]
    Other,
    /// The client starts the handshake (ClientHello, SNI).
    HandshakeStart,
    /// The handshake finished: the version and cipher suite agreed.
    Established,
    /// A certificate of the chain the server sent.
    Certificate,
    /// A certificate of the chain that could not be parsed.
    CertificateUnreadable,
    /// The chain was verified for the server's name.
    Verified,
    /// The chain failed verification (expired, wrong name, unknown issuer...).
    VerificationFailed,
    /// The server aborted the handshake with an alert.
    Alert,
    /// The handshake failed for another reason.
    HandshakeFailed,
    /// The answer to a hand-built TLS 1.0/1.1 hello (legacy versions probe).
    LegacyHello,
}

/// Which kind of note a [`Dir::Note`] line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NoteKind {
    /// Progress or information.
    #[default]
    Info,
    /// The other side did not answer in time.
    Timeout,
    /// The server closed the connection.
    Closed,
    /// The TCP connection was refused.
    Refused,
    /// Another problem with the connection or with what the server sent.
    Problem,
    /// Lines of a long answer left out of the transcript (read and counted).
    Omitted,
}

/// Escapes everything that could act on a terminal.
///
/// Invalid UTF-8 bytes become `\xNN`; C0 controls, DEL and C1 controls become
/// `\xNN` (tab is kept); a literal backslash is kept as is. The result is safe
/// to print on any terminal and valid UTF-8 for JSON.
pub fn sanitize(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            let u = c as u32;
            if c == '\t' {
                out.push(c);
            } else if u < 0x20 || u == 0x7f || (0x80..0xa0).contains(&u) {
                out.push_str(&format!("\\x{u:02x}"));
            } else if matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                // bidirectional overrides can disguise text on a terminal
                out.push_str(&format!("\\u{{{u:04x}}}"));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Convenience: [`sanitize`] for `&str`.
pub fn sanitize_str(s: &str) -> String {
    sanitize(s.as_bytes())
}

/// Where a [`Recorder`] streams each line as it is recorded (the probe turns
/// them into live events). Called with the recorder's endpoint label.
pub type LineSink = Arc<dyn Fn(Option<&str>, &Line) + Send + Sync>;

/// Records transcript lines for one endpoint and streams them to a sink.
///
/// Cheap to clone; clones share the same line list.
#[derive(Clone)]
pub struct Recorder {
    endpoint: Option<String>,
    start: Instant,
    lines: Arc<Mutex<Vec<Line>>>,
    sink: Option<LineSink>,
    /// Forms of secrets to redact from every line, longest first; shared by
    /// clones.
    secrets: Arc<Mutex<Vec<String>>>,
}

/// Replaces every occurrence of each of `secrets` (tried in order, so pass
/// the longest first) in `text` with [`REDACTED`].
fn redact_with(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if !s.is_empty() && out.contains(s.as_str()) {
            out = out.replace(s.as_str(), REDACTED);
        }
    }
    out
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

impl Recorder {
    /// A recorder whose time offsets count from `start`, streaming each line
    /// to `sink` (with `endpoint`) when one is given.
    pub fn new(endpoint: Option<String>, start: Instant, sink: Option<LineSink>) -> Self {
        Recorder {
            endpoint,
            start,
            lines: Arc::new(Mutex::new(Vec::new())),
            sink,
            secrets: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// Registers a form of a secret (a password, its base64, a SASL blob, a
    /// token) that must not appear in any line recorded from now on, by
    /// this recorder or its clones. Register it *before* sending it, so an
    /// echo in the reply is already covered. Empty strings are ignored.
    ///
    /// Every occurrence is replaced, however short the secret: a one- to
    /// three-character password also hides the same letters in ordinary
    /// server text (`-ERR ********`...). That is the price of never showing
    /// the user's secret.
    pub fn add_secret(&self, secret: &str) {
        if secret.is_empty() {
            return;
        }
        let mut list = self.secrets.lock().expect("secret list lock");
        // Lines are sanitised before redaction, so register the form a
        // secret takes in a line as well as the secret itself.
        for form in [secret.to_string(), sanitize_str(secret)] {
            if !list.contains(&form) {
                list.push(form);
            }
        }
        // Longest first: a form that contains a shorter one is replaced
        // whole.
        list.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// `text` with every registered secret form replaced by [`REDACTED`].
    /// The one redaction helper: recorded lines go through it, and so does
    /// any server text quoted elsewhere (login diagnosis, error messages).
    pub fn redact(&self, text: &str) -> String {
        let list = self.secrets.lock().expect("secret list lock");
        redact_with(text, &list)
    }

    #[cfg(test)]
    /// A recorder that only keeps lines (tests, tools).
    pub fn detached() -> Self {
        Self::new(None, Instant::now(), None)
    }

    /// The endpoint label this recorder tags its lines with.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// Records a line of `kind`; `text` is sanitised here.
    pub fn record_kind(&self, dir: Dir, kind: LineKind, text: &[u8]) {
        let line = Line {
            t_ms: self.start.elapsed().as_millis() as u64,
            dir,
            text: self.redact(&sanitize(text)),
            kind,
        };
        if let Some(sink) = &self.sink {
            sink(self.endpoint.as_deref(), &line);
        }
        self.lines.lock().expect("transcript lock").push(line);
    }

    /// Records a client command ([`LineKind::Command`], verb from its first
    /// word).
    pub fn client(&self, text: &str) {
        self.record_kind(Dir::Client, LineKind::command(text), text.as_bytes());
    }

    /// Records a client line of `kind` (e.g. a SASL response).
    pub fn client_as(&self, kind: LineKind, text: &str) {
        self.record_kind(Dir::Client, kind, text.as_bytes());
    }

    /// Records a client command whose arguments are secret: only `verb`
    /// followed by [`REDACTED`] is kept (e.g. `PASS ********`). When `verb` is
    /// empty (a bare SASL continuation), the line is just [`REDACTED`], of
    /// kind [`LineKind::SaslResponse`].
    pub fn client_redacted(&self, verb: &str) {
        if verb.is_empty() {
            self.record_kind(
                Dir::Client,
                LineKind::SaslResponse { redacted: true },
                REDACTED.as_bytes(),
            );
        } else {
            self.record_kind(
                Dir::Client,
                LineKind::command(verb),
                format!("{verb} {REDACTED}").as_bytes(),
            );
        }
    }

    /// Records a server line (raw bytes, without CRLF) of `kind`.
    pub fn server_as(&self, kind: LineKind, raw: &[u8]) {
        self.record_kind(Dir::Server, kind, raw);
    }

    /// Records a TLS event of `kind`.
    pub fn tls_event(&self, kind: TlsEventKind, text: &str) {
        self.record_kind(Dir::Tls, LineKind::TlsEvent(kind), text.as_bytes());
    }

    /// Records a note of kind [`NoteKind::Info`].
    pub fn note(&self, text: &str) {
        self.note_as(NoteKind::Info, text);
    }

    /// Records a note of `kind`.
    pub fn note_as(&self, kind: NoteKind, text: &str) {
        self.record_kind(Dir::Note, LineKind::Note(kind), text.as_bytes());
    }

    /// Records a server line with no kind (tests).
    #[cfg(test)]
    pub fn server(&self, raw: &[u8]) {
        self.record_kind(Dir::Server, LineKind::default(), raw);
    }

    /// A snapshot of all lines so far.
    pub fn lines(&self) -> Vec<Line> {
        self.lines.lock().expect("transcript lock").clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(sanitize(b"+OK \x1b[31mred\x07"), "+OK \\x1b[31mred\\x07");
        assert_eq!(sanitize(b"a\r\nb"), "a\\x0d\\x0ab");
        assert_eq!(sanitize("x\u{9b}y".as_bytes()), "x\\x9by");
        assert_eq!(sanitize(b"\xff\xfeok"), "\\xff\\xfeok");
        assert_eq!(sanitize("caf\u{e9}\t".as_bytes()), "caf\u{e9}\t");
        assert_eq!(sanitize("a\u{202e}b".as_bytes()), "a\\u{202e}b");
    }

    #[test]
    fn redaction_keeps_only_the_verb() {
        let r = Recorder::detached();
        r.client_redacted("PASS");
        r.client_redacted("");
        let lines = r.lines();
        assert_eq!(lines[0].text, "PASS ********");
        assert_eq!(lines[1].text, "********");
        assert_eq!(lines[0].dir, Dir::Client);
        assert_eq!(lines[0].kind, LineKind::command("PASS"));
        assert_eq!(lines[1].kind, LineKind::SaslResponse { redacted: true });
    }

    #[test]
    fn registered_secrets_are_redacted_from_every_line() {
        let r = Recorder::detached();
        r.server(b"-ERR early hunter2");
        let clone = r.clone();
        clone.add_secret("hunter2");
        clone.add_secret("aHVudGVyMg==");
        clone.add_secret("");
        r.server(b"-ERR unknown command PASS hunter2");
        r.server(b"-ERR bad blob aHVudGVyMg==");
        r.note("echo: hunter2hunter2");
        let lines = r.lines();
        // lines recorded before the secret was registered are untouched
        assert_eq!(lines[0].text, "-ERR early hunter2");
        assert_eq!(lines[1].text, "-ERR unknown command PASS ********");
        assert_eq!(lines[2].text, "-ERR bad blob ********");
        assert_eq!(lines[3].text, "echo: ****************");
        assert_eq!(r.redact("x hunter2 y"), "x ******** y");
    }

    #[test]
    fn short_and_control_character_secrets_are_redacted_too() {
        let r = Recorder::detached();
        r.add_secret("ab");
        r.add_secret("q\u{7}z");
        r.server(b"-ERR about ab q\x07z");
        assert_eq!(r.lines()[0].text, "-ERR ********out ******** ********");
    }

    #[test]
    fn kinds_are_recorded_but_not_serialised() {
        let r = Recorder::detached();
        r.client("retr 1");
        r.server_as(
            LineKind::Reply {
                to: Some("RETR".into()),
                ok: true,
            },
            b"+OK",
        );
        r.tls_event(TlsEventKind::VerificationFailed, "verification failed: x");
        r.note("hello");
        let lines = r.lines();
        assert_eq!(
            lines[0].kind,
            LineKind::Command {
                verb: "RETR".into()
            }
        );
        assert_eq!(lines[3].kind, LineKind::Note(NoteKind::Info));
        let json = serde_json::to_string(&lines[1]).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"t_ms":{},"dir":"server","text":"+OK"}}"#,
                lines[1].t_ms
            )
        );
        assert_eq!(Line::new(5, Dir::Note, "a\rb").text, "a\\x0db");
    }
}
