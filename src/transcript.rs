//! Timestamped transcript lines (client, server, TLS events, notes) and the
//! sanitiser that makes untrusted server text safe for a terminal.
//!
//! Secrets are redacted *at the source*: callers record a command through
//! [`Recorder::client_redacted`] and the secret never enters a [`Line`].

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
        }
    }

    /// A recorder that only keeps lines (tests, tools).
    pub fn detached() -> Self {
        Self::new(None, Instant::now(), None)
    }

    /// The endpoint label this recorder tags its lines with.
    pub fn endpoint(&self) -> Option<&str> {
        self.endpoint.as_deref()
    }

    /// Records a line; `text` is sanitised here.
    pub fn record(&self, dir: Dir, text: &[u8]) {
        let line = Line {
            t_ms: self.start.elapsed().as_millis() as u64,
            dir,
            text: sanitize(text),
        };
        if let Some(sink) = &self.sink {
            sink(self.endpoint.as_deref(), &line);
        }
        self.lines.lock().expect("transcript lock").push(line);
    }

    /// Records a client line.
    pub fn client(&self, text: &str) {
        self.record(Dir::Client, text.as_bytes());
    }

    /// Records a client command whose arguments are secret: only `verb`
    /// followed by [`REDACTED`] is kept (e.g. `PASS ********`). When `verb` is
    /// empty (a bare SASL continuation), the line is just [`REDACTED`].
    pub fn client_redacted(&self, verb: &str) {
        if verb.is_empty() {
            self.record(Dir::Client, REDACTED.as_bytes());
        } else {
            self.record(Dir::Client, format!("{verb} {REDACTED}").as_bytes());
        }
    }

    /// Records a server line (raw bytes, without CRLF).
    pub fn server(&self, raw: &[u8]) {
        self.record(Dir::Server, raw);
    }

    /// Records a TLS event.
    pub fn tls(&self, text: &str) {
        self.record(Dir::Tls, text.as_bytes());
    }

    /// Records a note.
    pub fn note(&self, text: &str) {
        self.record(Dir::Note, text.as_bytes());
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
    }
}
