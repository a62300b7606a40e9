//! All teaching prose about POP3 sessions, for students: what each command
//! asks for, what a reply means, what a response code says, and what every
//! kind of transcript line is (TLS events and popscope's notes included).
//!
//! Two registers:
//!
//! - one sentence for reports: [`explain_command`], [`explain_response`],
//!   [`ResponseCode::explain`];
//! - a fuller explanation of one transcript line for the TUI's details
//!   pane, one function per [`LineKind`](crate::transcript::LineKind):
//!   [`command_line`], [`reply_line`], [`body_line`], [`tls_event`],
//!   [`note`], ... These take what the line's kind says plus the variable
//!   parts of its text (a command's arguments, a parsed status line); they
//!   never guess what a line is from its text.

use crate::pop3::response::{ResponseCode, StatusLine, apop_timestamp};
use crate::transcript::{Dir, NoteKind, TlsEventKind};

/// What students commonly get wrong about POP3, in the words that
/// docs/teaching.md ("Misconceptions") and the line explanations share (a
/// test keeps them identical). The line explanations use the first five;
/// the others and [`misconceptions::ALL`] serve the docs and their test.
#[allow(dead_code)]
pub mod misconceptions {
    /// FTP's modes are not POP3's.
    pub const ONE_CONNECTION: &str = "POP3 has no active or passive mode (that is FTP): POP3 \
        uses one TCP connection, and the client always connects to the server.";
    /// Downloading is not deleting.
    pub const RETR_KEEPS: &str =
        "RETR downloads a copy of the message; it does not delete it from the server.";
    /// DELE marks; QUIT deletes; RSET undoes.
    pub const DELE_AT_QUIT: &str = "DELE only marks a message: the server deletes it when the \
        session ends with QUIT, and RSET (or a connection lost before QUIT) deletes nothing.";
    /// What "leave a copy on the server" means.
    pub const LEAVE_A_COPY: &str = "A mail client's \"leave a copy on the server\" setting \
        means it downloads with RETR and never sends DELE (or only after some days); it \
        remembers what it already has by the UIDL ids.";
    /// Port 110 with STLS is encrypted too.
    pub const STLS_ENCRYPTS: &str = "Port 110 with STLS is encrypted too: after STLS the same \
        connection continues inside TLS, before the password is sent.";
    /// Port 995 is not a protocol version.
    pub const IMPLICIT_TLS: &str = "Port 995 is implicit TLS (POP3 inside TLS from the first \
        byte, \"POP3S\"), not a newer POP: the commands are the same as on 110.";
    /// POP3 versus IMAP.
    pub const POP3_VS_IMAP: &str = "POP3 downloads the messages to one client (the server is a \
        mailbox to empty); IMAP keeps the mail and its folders on the server, so several \
        devices see the same state.";

    /// Every sentence, in the order docs/teaching.md lists them.
    pub const ALL: [&str; 7] = [
        ONE_CONNECTION,
        RETR_KEEPS,
        DELE_AT_QUIT,
        LEAVE_A_COPY,
        STLS_ENCRYPTS,
        IMPLICIT_TLS,
        POP3_VS_IMAP,
    ];
}

/// One sentence on what a POP3 command does, for students. `verb` is
/// case-insensitive; `GREETING` explains the server's first line.
pub fn explain_command(verb: &str) -> &'static str {
    match verb.trim().to_ascii_uppercase().as_str() {
        "GREETING" | "" => {
            "The greeting is the first line the server sends after the connection opens; +OK means it is ready, and a <...> stamp in it allows APOP login."
        }
        "USER" => "USER names the mailbox to log in to; the password follows with PASS.",
        "PASS" => {
            "PASS sends the password for the mailbox named by USER, in clear text unless the connection is protected by TLS."
        }
        "APOP" => {
            "APOP logs in with the user name and an MD5 digest of the greeting's timestamp plus the password, so the password itself is not sent."
        }
        "STAT" => {
            "STAT asks for the number of messages in the mailbox and their total size in octets."
        }
        "LIST" => "LIST shows the size of each message (or of one message when given a number).",
        "RETR" => "RETR downloads the complete message with the given number.",
        "DELE" => {
            "DELE marks a message for deletion; the server deletes it only when the session ends with QUIT."
        }
        "NOOP" => {
            "NOOP does nothing except get a +OK, which keeps the connection alive or tests that it still works."
        }
        "RSET" => "RSET un-marks every message marked for deletion in this session.",
        "QUIT" => {
            "QUIT ends the session; after a login it also makes the server delete the messages marked with DELE."
        }
        "TOP" => {
            "TOP downloads a message's headers and the first given number of body lines, without marking it as read."
        }
        "UIDL" => {
            "UIDL shows each message's unique id, which stays the same across sessions so clients can tell which mail they already have."
        }
        "CAPA" => {
            "CAPA asks the server to list its capabilities (STLS, SASL mechanisms, TOP, UIDL, PIPELINING, ...), one per line (RFC 2449)."
        }
        "STLS" => {
            "STLS asks the server to switch the connection to TLS before logging in (RFC 2595); after +OK the TLS handshake starts."
        }
        "AUTH" => {
            "AUTH logs in with a SASL mechanism such as PLAIN, LOGIN, CRAM-MD5 or XOAUTH2, exchanging base64 messages (RFC 5034)."
        }
        "UTF8" => {
            "UTF8 switches the session to UTF-8 user names, passwords and messages (RFC 6856)."
        }
        "LANG" => {
            "LANG lists or chooses the language of the server's human-readable replies (RFC 6856)."
        }
        "LAST" => {
            "LAST is an obsolete command (RFC 1460) that returned the highest message number accessed."
        }
        _ => "This is not a standard POP3 command; the server will normally answer -ERR.",
    }
}

/// A sentence or two on what a reply to `verb` means, for students,
/// including the meaning of its response code.
pub fn explain_response(verb: &str, status: &StatusLine) -> String {
    let verb = verb.trim().to_ascii_uppercase();
    let base = match (verb.as_str(), status.ok) {
        ("GREETING" | "", true) => "The server is ready and waiting for commands.",
        ("GREETING" | "", false) => {
            "The server refuses this connection (often because it is busy or the client is blocked)."
        }
        ("USER", true) => {
            "The server accepted the user name and now expects PASS (this does not prove the mailbox exists)."
        }
        ("USER", false) => {
            "The server refused USER: plain-text login may be disabled on this connection (try STLS first) or the name is wrong."
        }
        ("PASS" | "APOP" | "AUTH", true) => "Login succeeded and the mailbox is open.",
        ("PASS" | "APOP" | "AUTH", false) => {
            "Login failed: wrong credentials, a login method the account may not use, or a locked or unavailable mailbox."
        }
        ("STLS", true) => {
            "The server agreed to start TLS; the TLS handshake must follow immediately."
        }
        ("STLS", false) => "The server refused to start TLS on this connection.",
        ("CAPA", true) => "The capability list follows, ending with a line containing only a dot.",
        ("CAPA", false) => {
            "The server does not support CAPA (a pre-1998 server), so its features must be guessed."
        }
        ("RETR" | "TOP" | "LIST" | "UIDL", true) => "The requested data follows.",
        ("QUIT", true) => {
            "The server closed the session (and deleted any messages marked with DELE)."
        }
        (_, true) => "The command succeeded.",
        (_, false) => "The command failed.",
    };
    match &status.code {
        Some(code) => format!("{base} {}", code.explain()),
        None => base.to_string(),
    }
}

impl ResponseCode {
    /// What the code means, in plain English, and what to do about it.
    pub fn explain(&self) -> &'static str {
        match self {
            ResponseCode::InUse => {
                "IN-USE: the mailbox is locked because another session (another mail client, phone or fetcher) is using it. Close the other client or wait until its session ends, then try again."
            }
            ResponseCode::LoginDelay => {
                "LOGIN-DELAY: the server only allows a login every few minutes and this one came too soon. Increase the mail client's check interval to at least the LOGIN-DELAY value shown in CAPA."
            }
            ResponseCode::SysTemp => {
                "SYS/TEMP: a temporary problem on the server (overload, storage or back end unavailable), not the user's fault. Try again later; if it persists, the mail administrator should check the server's logs."
            }
            ResponseCode::SysPerm => {
                "SYS/PERM: a permanent problem on the server side (for example the account is disabled or the mailbox is damaged). Retrying will not help; contact the mail administrator."
            }
            ResponseCode::Auth => {
                "AUTH: the server rejected the credentials (wrong user name or password, or this login method is not allowed for the account). Check the user name and password, and whether the provider requires an app password or OAuth."
            }
            ResponseCode::Utf8 => {
                "UTF8: the command needs UTF-8 mode, which must be switched on first with the UTF8 command (RFC 6856)."
            }
            ResponseCode::Other(_) => {
                "A response code popscope does not know; it is specific to this server. Look it up in the server's documentation."
            }
        }
    }
}

// ------------------------------------------------------------------------
// Transcript lines, for the TUI's details pane.

/// A client command: `verb` (upper-case) and the rest of the line, `args`
/// (`********` for a secret).
pub fn command_line(verb: &str, args: &str) -> String {
    let arg_note = |what: &str| {
        if args.is_empty() {
            String::new()
        } else {
            format!(" Here: {what} {args}.")
        }
    };
    match verb {
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
             sent with an extra dot (dot-stuffing). {}{}",
            misconceptions::RETR_KEEPS,
            arg_note("message")
        ),
        "DELE" => format!(
            "DELE n: marks a message for deletion (UPDATE state at QUIT). {}{}",
            misconceptions::DELE_AT_QUIT,
            arg_note("message")
        ),
        "NOOP" => "NOOP: does nothing; the server answers +OK. Used to keep a connection alive or \
                   to test that the server still responds."
            .into(),
        "RSET" => "RSET: unmarks every message marked with DELE in this session.".into(),
        "QUIT" => format!(
            "QUIT: ends the session. After a login, the server now deletes the messages marked \
             with DELE (UPDATE state) and closes the connection. {}",
            misconceptions::DELE_AT_QUIT
        ),
        "TOP" => format!(
            "TOP n lines: downloads the headers of message n and the first lines of its body \
             (a preview without downloading everything). Optional command, announced as TOP in \
             CAPA.{}",
            arg_note("arguments")
        ),
        "UIDL" => format!(
            "UIDL: asks for the unique id of each message (or of one message). Clients use these \
             ids to remember which messages they already downloaded. Optional command, announced \
             as UIDL in CAPA. {}",
            misconceptions::LEAVE_A_COPY
        ),
        "CAPA" => "CAPA: asks the server which optional features it supports (RFC 2449). The \
                   answer is a multi-line list such as TOP, UIDL, SASL PLAIN, STLS, ended by a \
                   line with a single dot. Clients should ask again after STLS, because the list \
                   may change."
            .into(),
        "STLS" => format!(
            "STLS: asks to upgrade this plain connection to TLS (RFC 2595, 'STARTTLS'). After \
             +OK, the client starts the TLS handshake; everything afterwards is encrypted. A \
             server that answers anything sent before the handshake is vulnerable to command \
             injection. {}",
            misconceptions::STLS_ENCRYPTS
        ),
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

/// A client line answering a SASL challenge; `redacted` when popscope
/// replaced the credentials it carries.
pub fn sasl_response(redacted: bool) -> &'static str {
    if redacted {
        "A SASL continuation from the client (a step of an AUTH exchange). It carries \
         credentials, so popscope replaced it with ******** before recording it."
    } else {
        "A SASL continuation from the client (a step of an AUTH exchange), answering the \
         server's last '+ ' challenge."
    }
}

/// The client's `*`, cancelling a SASL exchange.
pub fn sasl_cancel() -> &'static str {
    "A single * from the client: it cancels the AUTH exchange (RFC 5034); the server answers \
     -ERR and the client is still not logged in."
}

/// An RFC 2449/3206/6856 response code, e.g. `[AUTH]`, for a reply being
/// explained.
pub fn code_line(code: &ResponseCode) -> String {
    match code {
        ResponseCode::Auth => "[AUTH] (RFC 3206): the credentials are wrong (user name, \
                               password or mechanism). Trying again with the same \
                               credentials will not help."
            .into(),
        ResponseCode::SysTemp => "[SYS/TEMP] (RFC 3206): a temporary problem on the server \
                                  (e.g. a database or disk problem), not your credentials. \
                                  Trying again later may work."
            .into(),
        ResponseCode::SysPerm => "[SYS/PERM] (RFC 3206): a permanent problem on the server side \
                                  (e.g. the account is disabled or misconfigured). Trying again \
                                  will not help; contact the administrator."
            .into(),
        ResponseCode::InUse => "[IN-USE] (RFC 2449): the mailbox is locked because another \
                                session (another mail client or device) is using it. Close the \
                                other client or wait."
            .into(),
        ResponseCode::LoginDelay => "[LOGIN-DELAY] (RFC 2449): you logged in too soon after the \
                                     last login; the server enforces a minimum time between \
                                     logins (see LOGIN-DELAY in CAPA)."
            .into(),
        ResponseCode::Utf8 => "[UTF8] (RFC 6856): the command needs UTF-8 mode, which the client \
                               must switch on first with the UTF8 command."
            .into(),
        ResponseCode::Other(other) => {
            format!("[{other}]: an extended response code (RFC 2449) this tool does not know.")
        }
    }
}

/// The server's greeting (its first line).
pub fn greeting_line(status: &StatusLine) -> String {
    if status.ok {
        let mut s = String::from(
            "The greeting: the first line a POP3 server sends after the connection opens. +OK \
             means it is ready (AUTHORIZATION state: the client must now log in). ",
        );
        s.push_str(misconceptions::ONE_CONNECTION);
        if apop_timestamp(&status.text).is_some() {
            s.push_str(
                " The <...@...> part is the APOP timestamp: a unique string that the APOP \
                 command mixes with the password.",
            );
        }
        s
    } else {
        let mut s = String::from(
            "A -ERR greeting: the server refuses to serve this connection (maintenance, too many \
             connections, or your address is blocked).",
        );
        if let Some(code) = &status.code {
            s.push(' ');
            s.push_str(&code_line(code));
        }
        s
    }
}

/// A status line answering the command `to` (upper-case verb; `None` when
/// no command was waiting for an answer).
pub fn reply_line(to: Option<&str>, status: &StatusLine) -> String {
    let verb = to.unwrap_or("");
    if status.ok {
        return match verb {
            "" => "+OK: the command succeeded.".to_string(),
            "USER" => "+OK to USER: the name was noted; the server now expects PASS. (Many \
                       servers say +OK even for unknown users, so nobody can guess which names \
                       exist.)"
                .into(),
            "PASS" | "APOP" => "+OK: logged in. The session is now in the TRANSACTION state and \
                                the mailbox is locked for this session."
                .into(),
            "AUTH" => "+OK: the SASL login succeeded (TRANSACTION state).".into(),
            "STAT" => {
                let mut it = status.text.split_whitespace();
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
    }
    let mut s = match verb {
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
    match &status.code {
        Some(code) => {
            s.push(' ');
            s.push_str(&code_line(code));
        }
        None if !status.text.trim().is_empty() => {
            s.push_str(" The text after -ERR is the server's reason, meant for humans.");
        }
        None => {}
    }
    s
}

/// A SASL challenge from the server (`+ <base64>`).
pub fn challenge_line() -> &'static str {
    "'+ ' is a SASL challenge: the server waits for the next step of the AUTH exchange (the text \
     is base64)."
}

/// A data line of the multi-line answer to `of` (upper-case verb, when
/// known); `text` is the line.
pub fn body_line(of: Option<&str>, text: &str) -> String {
    match of.unwrap_or("") {
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
        "CAPA" => capability_line(text),
        _ => "A line of a multi-line answer (a capability list, a listing or a message), shown \
              dim. It ends with a line holding a single dot."
            .into(),
    }
}

/// A line of the answer to CAPA; `text` is the capability and its
/// arguments.
pub fn capability_line(text: &str) -> String {
    let mut words = text.split_whitespace();
    let cap = words.next().unwrap_or("").to_ascii_uppercase();
    let args = words.collect::<Vec<_>>().join(" ");
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

/// The lone `.` ending a multi-line answer.
pub fn end_line() -> &'static str {
    "A single dot: the end of a multi-line answer."
}

/// A line that is neither `+OK` nor `-ERR` where a status line was awaited;
/// `greeting` when it is the server's first line.
pub fn not_pop3_line(greeting: bool) -> &'static str {
    if greeting {
        "The first line from the server does not start with +OK: this is probably not a POP3 \
         server, or the port expects TLS from the first byte."
    } else {
        "A line from the server that is neither +OK nor -ERR where a reply was expected: the \
         server does not follow POP3 here, so popscope cannot go on with this session."
    }
}

/// Bytes the server sent without a line ending before closing the
/// connection.
pub fn fragment_line() -> &'static str {
    "The last bytes the server sent, without a line ending, just before it closed the \
     connection: an unfinished line, often a sign that this is not a POP3 server."
}

/// A TLS event.
pub fn tls_event(kind: TlsEventKind) -> String {
    let what = match kind {
        TlsEventKind::HandshakeStart => {
            "The start of the TLS handshake: the client proposes TLS versions and ciphers \
             (ClientHello) and the name of the server it wants (SNI)."
        }
        TlsEventKind::Established => {
            "The TLS handshake finished: from here on the connection is encrypted. TLS 1.2 and \
             1.3 are considered safe; 1.0 and 1.1 are obsolete."
        }
        TlsEventKind::Certificate => {
            "The server's certificate (or one from its chain). The client checks that a trusted \
             authority signed it, that it names the server, and that it has not expired. See the \
             certificate chain below when known."
        }
        TlsEventKind::CertificateUnreadable => {
            "A certificate from the server's chain that popscope could not read: it is malformed, \
             and clients will most likely reject it too."
        }
        TlsEventKind::Verified => {
            "The certificate check passed: a trusted authority signed the chain, it names the \
             server, and it is within its dates. Mail clients will accept it."
        }
        TlsEventKind::VerificationFailed => {
            "The certificate check failed (the reason follows: for example expired, issued for \
             another name, self-signed or signed by an unknown authority). Mail clients will refuse \
             the connection or warn their users; the server's certificate must be fixed."
        }
        TlsEventKind::Alert => {
            "A TLS alert: one side aborted the handshake or the session and said why (e.g. \
             unknown_ca: the client does not trust the certificate; handshake_failure: no common \
             version or cipher)."
        }
        TlsEventKind::HandshakeFailed => {
            "The TLS handshake failed: no encrypted connection could be set up."
        }
        TlsEventKind::LegacyHello => {
            "The answer to a second connection that offered only the retired TLS 1.0/1.1, to \
             learn whether the server still speaks them."
        }
        TlsEventKind::Other => "A TLS event: part of setting up the encryption of this connection.",
    };
    format!("{what} (TLS lines are events noted by popscope, not text on the wire.)")
}

/// A note from popscope.
pub fn note(kind: NoteKind) -> String {
    let extra = match kind {
        NoteKind::Info => "",
        NoteKind::Timeout => {
            " A timeout means the other side did not answer in time: a firewall dropping \
             packets, a server that is down, or a port that expects something else (e.g. TLS)."
        }
        NoteKind::Closed => {
            " The connection was closed; after QUIT this is normal, otherwise the server hung up."
        }
        NoteKind::Refused => {
            " Refused means nothing listens on that port (wrong port, or the service is down)."
        }
        NoteKind::Problem => {
            " It reports a problem with the connection or with what the server sent; the checks \
             say what it means for mail clients."
        }
        NoteKind::Omitted => {
            " Long answers are shortened in the transcript; popscope still read every line, to \
             stay in step with the server."
        }
    };
    format!("A note from popscope, not sent over the network.{extra}")
}

/// A line nothing is known about beyond its direction.
pub fn unclassified(dir: Dir) -> String {
    match dir {
        Dir::Client => "A line popscope sent to the server.".into(),
        Dir::Server => "A line the server sent.".into(),
        Dir::Tls => tls_event(TlsEventKind::Other),
        Dir::Note => note(NoteKind::Info),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::response::parse_status;

    /// docs/teaching.md's "Misconceptions" and the line explanations say
    /// the same thing in the same words.
    #[test]
    fn misconceptions_are_worded_as_in_the_teaching_guide() {
        let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let doc = flat(include_str!("../../docs/teaching.md"));
        let section = doc
            .split("## Misconceptions")
            .nth(1)
            .and_then(|rest| rest.split(" ## ").next())
            .expect("docs/teaching.md has a Misconceptions section");
        for sentence in misconceptions::ALL {
            assert!(section.contains(&flat(sentence)), "docs lack: {sentence}");
        }
        use misconceptions as m;
        for (verb, sentence) in [
            ("RETR", m::RETR_KEEPS),
            ("DELE", m::DELE_AT_QUIT),
            ("QUIT", m::DELE_AT_QUIT),
            ("UIDL", m::LEAVE_A_COPY),
            ("STLS", m::STLS_ENCRYPTS),
        ] {
            assert!(command_line(verb, "").contains(sentence), "{verb}");
        }
        let greeting = parse_status(b"+OK ready").unwrap();
        assert!(greeting_line(&greeting).contains(m::ONE_CONNECTION));
    }

    #[test]
    fn explanations_cover_every_command() {
        let unknown = explain_command("XYZZY");
        for verb in [
            "USER", "PASS", "APOP", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "QUIT", "TOP",
            "UIDL", "CAPA", "STLS", "AUTH", "greeting", "utf8", "LANG",
        ] {
            let e = explain_command(verb);
            assert_ne!(e, unknown, "{verb}");
            assert!(e.ends_with('.'), "{verb}");
        }
        let err = parse_status(b"-ERR [IN-USE] locked").unwrap();
        let e = explain_response("pass", &err);
        assert!(e.starts_with("Login failed"), "{e}");
        assert!(e.contains("IN-USE: the mailbox is locked"), "{e}");
        let ok = parse_status(b"+OK").unwrap();
        assert_eq!(explain_response("NOOP", &ok), "The command succeeded.");
        assert!(explain_response("", &ok).contains("ready"));
    }
}
