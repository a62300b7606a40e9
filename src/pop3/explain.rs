//! Teaching prose about POP3, for students: what each command asks for, what
//! a reply means, what a response code says, and what every kind of
//! transcript line is.

use crate::pop3::response::{ResponseCode, StatusLine};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::response::parse_status;

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
