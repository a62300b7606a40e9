//! Plain-language explanations of transcript lines, for students: what a
//! POP3 command asks for, what a reply means, what an RFC 3206 response code
//! says, and what a TLS event or popscope note is.
//!
//! Everything here is pure: text in, text out.

use crate::transcript::{Dir, REDACTED};

/// Explains one transcript line on its own.
///
/// For server replies the meaning often depends on the command that was
/// answered; [`explain_in_context`] takes that into account.
///
/// ```
/// use popscope::transcript::Dir;
/// use popscope::tui::explain::explain_line;
/// assert!(explain_line("STAT", Dir::Client).contains("number of messages"));
/// ```
pub fn explain_line(text: &str, dir: Dir) -> String {
    match dir {
        Dir::Client => explain_command(text),
        Dir::Server => explain_reply(text, None),
        Dir::Tls => explain_tls(text),
        Dir::Note => explain_note(text),
    }
}

/// Explains the line at `index` of a transcript, using the lines before it:
/// a server reply is explained as the answer to the last client command, the
/// first server line as the greeting, and the lines of a multi-line answer
/// (CAPA, LIST, UIDL, RETR, TOP) as items of that answer.
pub fn explain_in_context(lines: &[crate::transcript::Line], index: usize) -> String {
    let Some(line) = lines.get(index) else {
        return String::new();
    };
    if line.dir != Dir::Server {
        return explain_line(&line.text, line.dir);
    }
    // The command this server line answers, and whether we are inside the
    // multi-line body of its answer.
    let before = &lines[..index];
    let last_cmd = before.iter().rposition(|l| l.dir == Dir::Client);
    let server_before_in_exchange = match last_cmd {
        Some(i) => before[i + 1..]
            .iter()
            .filter(|l| l.dir == Dir::Server)
            .count(),
        None => before.iter().filter(|l| l.dir == Dir::Server).count(),
    };
    let cmd = last_cmd.map(|i| before[i].text.as_str());
    if cmd.is_none() && server_before_in_exchange == 0 {
        return explain_greeting(&line.text);
    }
    if server_before_in_exchange > 0 {
        return explain_body_line(&line.text, cmd);
    }
    explain_reply(&line.text, cmd)
}

fn verb_of(text: &str) -> (String, &str) {
    let t = text.trim();
    match t.split_once(' ') {
        Some((v, rest)) => (v.to_ascii_uppercase(), rest.trim()),
        None => (t.to_ascii_uppercase(), ""),
    }
}

fn explain_command(text: &str) -> String {
    let (verb, args) = verb_of(text);
    if text.trim() == REDACTED {
        return "A SASL continuation from the client (a step of an AUTH exchange). It carries \
                credentials, so popscope replaced it with ******** before recording it."
            .into();
    }
    let arg_note = |what: &str| {
        if args.is_empty() {
            String::new()
        } else {
            format!(" Here: {what} {args}.")
        }
    };
    match verb.as_str() {
        "USER" => format!(
            "USER name: the first half of the basic login (RFC 1939 §7). The server answers +OK \
             and waits for PASS. Sent before TLS, the name travels in clear text.{}",
            arg_note("user")
        ),
        "PASS" => "PASS secret: the second half of the basic login, sent right after USER. The \
                   password is not shown (popscope records ******** instead). Over a connection \
                   without TLS it would travel in clear text; +OK means logged in (TRANSACTION \
                   state), -ERR means refused."
            .into(),
        "APOP" => "APOP name digest: login without sending the password (RFC 1939 §7). The digest \
                   is MD5(timestamp from the greeting + password). MD5 is weak, so APOP is \
                   considered obsolete; use TLS with USER/PASS or SASL instead."
            .into(),
        "STAT" => "STAT: asks for the number of messages in the mailbox and their total size. The \
                   answer is +OK count octets, e.g. +OK 2 320."
            .into(),
        "LIST" => {
            if args.is_empty() {
                "LIST: asks for the size of every message. The answer is multi-line: one line \
                 'number size' per message, ended by a line with a single dot."
                    .into()
            } else {
                format!(
                    "LIST n: asks for the size of message {args}. The answer is one line: +OK \
                     number size."
                )
            }
        }
        "RETR" => format!(
            "RETR n: downloads a whole message. The answer is +OK, then the message (headers, \
             blank line, body), ended by a line with a single dot; lines starting with a dot are \
             sent with an extra dot (dot-stuffing).{}",
            arg_note("message")
        ),
        "DELE" => format!(
            "DELE n: marks a message for deletion. Nothing is deleted until QUIT ends the session \
             (UPDATE state); RSET undoes the marks.{}",
            arg_note("message")
        ),
        "NOOP" => "NOOP: does nothing; the server answers +OK. Used to keep a connection alive or \
                   to test that the server still responds."
            .into(),
        "RSET" => "RSET: unmarks every message marked with DELE in this session.".into(),
        "QUIT" => "QUIT: ends the session. After a login, the server now deletes the messages \
                   marked with DELE (UPDATE state) and closes the connection."
            .into(),
        "TOP" => format!(
            "TOP n lines: downloads the headers of message n and the first lines of its body \
             (a preview without downloading everything). Optional command, announced as TOP in \
             CAPA.{}",
            arg_note("arguments")
        ),
        "UIDL" => "UIDL: asks for the unique id of each message (or of one message). Clients use \
                   these ids to remember which messages they already downloaded ('leave mail on \
                   server'). Optional command, announced as UIDL in CAPA."
            .into(),
        "CAPA" => "CAPA: asks the server which optional features it supports (RFC 2449). The \
                   answer is a multi-line list such as TOP, UIDL, SASL PLAIN, STLS, ended by a \
                   line with a single dot. Clients should ask again after STLS, because the list \
                   may change."
            .into(),
        "STLS" => "STLS: asks to upgrade this plain connection to TLS (RFC 2595, 'STARTTLS'). \
                   After +OK, the client starts the TLS handshake; everything afterwards is \
                   encrypted. A server that answers anything sent before the handshake is \
                   vulnerable to command injection."
            .into(),
        "AUTH" => {
            let mech = args
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_ascii_uppercase();
            let what = match mech.as_str() {
                "PLAIN" => "PLAIN sends name and password in base64 (not encrypted: needs TLS)",
                "LOGIN" => {
                    "LOGIN sends name and password in base64, one after the other (needs TLS)"
                }
                "CRAM-MD5" => "CRAM-MD5 proves the password with an MD5 HMAC of a server challenge",
                "XOAUTH2" => "XOAUTH2 sends an OAuth 2.0 access token instead of a password",
                "" => "without a mechanism, some servers list the mechanisms they support",
                _ => "the mechanism is one announced by the server in CAPA (SASL line)",
            };
            format!(
                "AUTH mechanism: SASL login (RFC 5034). {what}. The server answers with '+ ' \
                 challenges until +OK (logged in) or -ERR."
            )
        }
        "" => "An empty line sent by the client.".into(),
        _ => format!(
            "{verb}: not a standard POP3 command (RFC 1939, 2449, 2595, 5034). The server is \
             expected to answer -ERR."
        ),
    }
}

/// Explains an RFC 2449/3206 response code in brackets at the start of a
/// reply's text, e.g. `[AUTH]`.
fn explain_code(text: &str) -> Option<String> {
    let rest = text.trim_start();
    let rest = rest.strip_prefix('[')?;
    let (code, _) = rest.split_once(']')?;
    let code = code.to_ascii_uppercase();
    let words = match code.as_str() {
        "AUTH" => {
            "[AUTH] (RFC 3206): the credentials are wrong (user name, password or mechanism). \
                   Trying again with the same credentials will not help."
                .to_string()
        }
        "SYS/TEMP" => "[SYS/TEMP] (RFC 3206): a temporary problem on the server (e.g. a database \
                       or disk problem), not your credentials. Trying again later may work."
            .to_string(),
        "SYS/PERM" => "[SYS/PERM] (RFC 3206): a permanent problem on the server side (e.g. the \
                       account is disabled or misconfigured). Trying again will not help; contact \
                       the administrator."
            .to_string(),
        "IN-USE" => "[IN-USE] (RFC 2449): the mailbox is locked because another session (another \
                     mail client or device) is using it. Close the other client or wait."
            .to_string(),
        "LOGIN-DELAY" => "[LOGIN-DELAY] (RFC 2449): you logged in too soon after the last login; \
                          the server enforces a minimum time between logins (see LOGIN-DELAY in \
                          CAPA)."
            .to_string(),
        other => {
            format!("[{other}]: an extended response code (RFC 2449) this tool does not know.")
        }
    };
    Some(words)
}

fn explain_greeting(text: &str) -> String {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("+OK") {
        let mut s = String::from(
            "The greeting: the first line a POP3 server sends after the connection opens. +OK \
             means it is ready (AUTHORIZATION state: the client must now log in).",
        );
        if rest.contains('<') && rest.contains('@') && rest.contains('>') {
            s.push_str(
                " The <...@...> part is the APOP timestamp: a unique string that the APOP \
                 command mixes with the password.",
            );
        }
        s
    } else if t.starts_with("-ERR") {
        let mut s = String::from(
            "A -ERR greeting: the server refuses to serve this connection (maintenance, too many \
             connections, or your address is blocked).",
        );
        if let Some(code) = explain_code(t.trim_start_matches("-ERR")) {
            s.push(' ');
            s.push_str(&code);
        }
        s
    } else {
        "The first line from the server does not start with +OK: this is probably not a POP3 \
         server, or the port expects TLS from the first byte."
            .into()
    }
}

fn explain_body_line(text: &str, cmd: Option<&str>) -> String {
    let (verb, _) = verb_of(cmd.unwrap_or(""));
    if text == "." {
        return "A single dot: the end of a multi-line answer.".into();
    }
    match verb.as_str() {
        "CAPA" => explain_capability(text),
        "LIST" => format!(
            "One line of the LIST answer: message number and size in octets ({}).",
            text.trim()
        ),
        "UIDL" => format!(
            "One line of the UIDL answer: message number and its unique id ({}).",
            text.trim()
        ),
        "RETR" | "TOP" => "A line of the message (headers, then a blank line, then the body). A \
                           leading dot was doubled by the server and removed by the client."
            .into(),
        _ => {
            if text.starts_with("+OK") || text.starts_with("-ERR") {
                explain_reply(text, cmd)
            } else {
                "A line of a multi-line answer (a capability list, a listing or a message), \
                 shown dim. It ends with a line holding a single dot."
                    .into()
            }
        }
    }
}

fn explain_capability(text: &str) -> String {
    let (cap, args) = verb_of(text);
    let what = match cap.as_str() {
        "TOP" => "the server supports TOP (message previews)".to_string(),
        "UIDL" => "the server supports UIDL (unique message ids, for 'leave on server')".into(),
        "USER" => "the server accepts USER/PASS login (here, at this point of the session)".into(),
        "SASL" => format!("the SASL mechanisms accepted by AUTH: {args}"),
        "STLS" => "the server offers STLS: the upgrade of this connection to TLS".into(),
        "PIPELINING" => {
            "the client may send several commands without waiting for each answer".into()
        }
        "RESP-CODES" => "-ERR answers may carry [CODES] that say why (RFC 2449)".into(),
        "AUTH-RESP-CODE" => "login failures carry [AUTH] or [SYS/...] codes (RFC 3206)".into(),
        "EXPIRE" => format!("messages may be deleted by the server after some days: {args}"),
        "LOGIN-DELAY" => format!("minimum seconds between logins: {args}"),
        "IMPLEMENTATION" => format!("the server software: {args}"),
        "UTF8" => "the server accepts UTF-8 (RFC 6856)".into(),
        "LANG" => "the server can answer in other languages (RFC 6856)".into(),
        _ => "a capability this tool does not describe".into(),
    };
    format!("A capability from the CAPA list: {what}.")
}

fn explain_reply(text: &str, cmd: Option<&str>) -> String {
    let t = text.trim();
    let (verb, _) = verb_of(cmd.unwrap_or(""));
    if let Some(rest) = t.strip_prefix("+OK") {
        let rest = rest.trim();
        let base = match verb.as_str() {
            "" => "+OK: the command succeeded.".to_string(),
            "USER" => {
                "+OK to USER: the name was noted; the server now expects PASS. (Many servers \
                       say +OK even for unknown users, so nobody can guess which names exist.)"
                    .into()
            }
            "PASS" | "APOP" => "+OK: logged in. The session is now in the TRANSACTION state and \
                                the mailbox is locked for this session."
                .into(),
            "AUTH" => "+OK: the SASL login succeeded (TRANSACTION state).".into(),
            "STAT" => {
                let mut it = rest.split_whitespace();
                match (it.next(), it.next()) {
                    (Some(n), Some(o)) => {
                        format!("+OK to STAT: {n} message(s), {o} octets in total.")
                    }
                    _ => "+OK to STAT: count and total size follow.".into(),
                }
            }
            "LIST" | "UIDL" | "CAPA" | "RETR" | "TOP" => format!(
                "+OK to {verb}: the answer follows on the next lines, ended by a single dot."
            ),
            "STLS" => "+OK to STLS: the server is ready for TLS. The next bytes on the connection \
                       are the TLS handshake; nothing in clear text may follow."
                .into(),
            "QUIT" => "+OK to QUIT: the server says goodbye (and, after a login, deletes the \
                       messages marked with DELE)."
                .into(),
            "DELE" => "+OK to DELE: the message is marked; it is deleted at QUIT.".into(),
            _ => format!("+OK to {verb}: the command succeeded."),
        };
        return base;
    }
    if let Some(rest) = t.strip_prefix("-ERR") {
        let mut s = match verb.as_str() {
            "" => "-ERR: the command failed.".to_string(),
            "PASS" | "APOP" | "AUTH" => "-ERR: the login was refused.".to_string(),
            "CAPA" => "-ERR to CAPA: the server does not support CAPA (an old server); clients \
                       must guess its features."
                .into(),
            "STLS" => "-ERR to STLS: the server does not offer TLS on this port (passwords \
                       would travel in clear text)."
                .into(),
            _ => format!("-ERR to {verb}: the command failed."),
        };
        match explain_code(rest) {
            Some(code) => {
                s.push(' ');
                s.push_str(&code);
            }
            None if !rest.trim().is_empty() => {
                s.push_str(" The text after -ERR is the server's reason, meant for humans.");
            }
            None => {}
        }
        return s;
    }
    if t.starts_with('+') {
        return "'+ ' is a SASL challenge: the server waits for the next step of the AUTH \
                exchange (the text is base64)."
            .into();
    }
    if t == "." {
        return "A single dot: the end of a multi-line answer.".into();
    }
    "A line from the server that is neither +OK nor -ERR: part of a multi-line answer or \
     something unexpected."
        .into()
}

fn explain_tls(text: &str) -> String {
    let l = text.to_ascii_lowercase();
    let what = if l.contains("alert") {
        "A TLS alert: one side aborted the handshake or the session and said why (e.g. \
         unknown_ca: the client does not trust the certificate; handshake_failure: no common \
         version or cipher)."
    } else if l.contains("certificate") || l.contains("cert") {
        "The server's certificate (or one from its chain). The client checks that a trusted \
         authority signed it, that it names the server, and that it has not expired. See the \
         certificate chain below when known."
    } else if l.contains("clienthello") || l.contains("start") || l.contains("begin") {
        "The start of the TLS handshake: the client proposes TLS versions and ciphers (ClientHello) \
         and the name of the server it wants (SNI)."
    } else if l.contains("tlsv1")
        || l.contains("established")
        || l.contains("complete")
        || l.contains("cipher")
    {
        "The TLS handshake finished: from here on the connection is encrypted. TLS 1.2 and 1.3 are \
         considered safe; 1.0 and 1.1 are obsolete."
    } else if l.contains("fail") || l.contains("error") {
        "The TLS handshake failed: no encrypted connection could be set up."
    } else {
        "A TLS event: part of setting up the encryption of this connection."
    };
    format!("{what} (TLS lines are events noted by popscope, not text on the wire.)")
}

fn explain_note(text: &str) -> String {
    let l = text.to_ascii_lowercase();
    let extra = if l.contains("timeout") || l.contains("timed out") {
        " A timeout means the other side did not answer in time: a firewall dropping packets, a \
         server that is down, or a port that expects something else (e.g. TLS)."
    } else if l.contains("closed") {
        " The connection was closed; after QUIT this is normal, otherwise the server hung up."
    } else if l.contains("refused") {
        " Refused means nothing listens on that port (wrong port, or the service is down)."
    } else {
        ""
    };
    format!("A note from popscope, not sent over the network.{extra}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Line;

    fn l(dir: Dir, text: &str) -> Line {
        Line {
            t_ms: 0,
            dir,
            text: text.into(),
        }
    }

    #[test]
    fn every_command_is_explained() {
        for (cmd, needle) in [
            ("USER alice", "first half"),
            ("PASS ********", "not shown"),
            ("APOP alice 0123", "MD5"),
            ("STAT", "number of messages"),
            ("LIST", "size of every message"),
            ("LIST 2", "message 2"),
            ("RETR 1", "downloads a whole message"),
            ("DELE 1", "marks a message"),
            ("NOOP", "does nothing"),
            ("RSET", "unmarks"),
            ("QUIT", "ends the session"),
            ("TOP 1 10", "preview"),
            ("UIDL", "unique id"),
            ("CAPA", "optional features"),
            ("STLS", "upgrade"),
            ("AUTH PLAIN", "base64"),
            ("AUTH XOAUTH2", "OAuth"),
            ("********", "SASL continuation"),
            ("FOO", "not a standard"),
        ] {
            let e = explain_line(cmd, Dir::Client);
            assert!(e.contains(needle), "{cmd}: {e}");
        }
    }

    #[test]
    fn response_codes() {
        for (text, needle) in [
            ("-ERR [AUTH] bad password", "credentials are wrong"),
            ("-ERR [SYS/TEMP] try later", "temporary"),
            ("-ERR [SYS/PERM] disabled", "permanent"),
            ("-ERR [IN-USE] locked", "locked"),
            ("-ERR [LOGIN-DELAY] wait", "too soon"),
            ("-ERR [FOO] x", "does not know"),
            ("-ERR nope", "reason"),
            ("+OK", "succeeded"),
        ] {
            let e = explain_line(text, Dir::Server);
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn tls_and_notes() {
        assert!(
            explain_line("handshake start (SNI mail.example.com)", Dir::Tls)
                .contains("ClientHello")
        );
        assert!(explain_line("TLSv1.3 TLS_AES_128_GCM_SHA256", Dir::Tls).contains("encrypted"));
        assert!(explain_line("certificate CN=x", Dir::Tls).contains("trusted authority"));
        assert!(explain_line("alert: unknown_ca", Dir::Tls).contains("alert"));
        assert!(explain_line("read timed out after 10s", Dir::Note).contains("firewall"));
    }

    #[test]
    fn context_greeting_replies_and_bodies() {
        let t = vec![
            l(Dir::Server, "+OK POP3 ready <1.2@lab>"),
            l(Dir::Client, "CAPA"),
            l(Dir::Server, "+OK capability list follows"),
            l(Dir::Server, "SASL PLAIN LOGIN"),
            l(Dir::Server, "."),
            l(Dir::Client, "STAT"),
            l(Dir::Server, "+OK 2 320"),
            l(Dir::Client, "PASS ********"),
            l(Dir::Server, "-ERR [AUTH] invalid"),
        ];
        assert!(explain_in_context(&t, 0).contains("greeting"));
        assert!(explain_in_context(&t, 0).contains("APOP timestamp"));
        assert!(explain_in_context(&t, 1).contains("optional features"));
        assert!(explain_in_context(&t, 2).contains("+OK to CAPA"));
        assert!(
            explain_in_context(&t, 3).contains("SASL mechanisms accepted by AUTH: PLAIN LOGIN")
        );
        assert!(explain_in_context(&t, 4).contains("end of a multi-line"));
        assert!(explain_in_context(&t, 6).contains("2 message(s), 320 octets"));
        let e = explain_in_context(&t, 8);
        assert!(
            e.contains("login was refused") && e.contains("credentials are wrong"),
            "{e}"
        );
        assert_eq!(explain_in_context(&t, 99), "");
    }
}
