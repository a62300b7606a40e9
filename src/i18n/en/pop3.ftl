## pop3: messages of src/pop3 (see src/i18n/mod.rs).

## Misconceptions (docs/teaching.md quotes them; a test keeps them identical)
pop3-misconception-one-connection = POP3 has no active or passive mode (that is FTP): POP3 uses one TCP connection, and the client always connects to the server.
pop3-misconception-retr-keeps = RETR downloads a copy of the message; it does not delete it from the server.
pop3-misconception-dele-at-quit = DELE only marks a message: the server deletes it when the session ends with QUIT, and RSET (or a connection lost before QUIT) deletes nothing.
pop3-misconception-leave-a-copy = A mail client's "leave a copy on the server" setting means it downloads with RETR and never sends DELE (or only after some days); it remembers what it already has by the UIDL ids.
pop3-misconception-stls-encrypts = Port 110 with STLS is encrypted too: after STLS the same connection continues inside TLS, before the password is sent.
pop3-misconception-implicit-tls = Port 995 is implicit TLS (POP3 inside TLS from the first byte, "POP3S"), not a newer POP: the commands are the same as on 110.
pop3-misconception-pop3-vs-imap = POP3 downloads the messages to one client (the server is a mailbox to empty); IMAP keeps the mail and its folders on the server, so several devices see the same state.

## One sentence per command (reports, replay steps)
pop3-command-greeting = The greeting is the first line the server sends after the connection opens; +OK means it is ready, and a <...> stamp in it allows APOP login.
pop3-command-user = USER names the mailbox to log in to; the password follows with PASS.
pop3-command-pass = PASS sends the password for the mailbox named by USER, in clear text unless the connection is protected by TLS.
pop3-command-apop = APOP logs in with the user name and an MD5 digest of the greeting's timestamp plus the password, so the password itself is not sent.
pop3-command-stat = STAT asks for the number of messages in the mailbox and their total size in octets.
pop3-command-list = LIST shows the size of each message (or of one message when given a number).
pop3-command-retr = RETR downloads the complete message with the given number.
pop3-command-dele = DELE marks a message for deletion; the server deletes it only when the session ends with QUIT.
pop3-command-noop = NOOP does nothing except get a +OK, which keeps the connection alive or tests that it still works.
pop3-command-rset = RSET un-marks every message marked for deletion in this session.
pop3-command-quit = QUIT ends the session; after a login it also makes the server delete the messages marked with DELE.
pop3-command-top = TOP downloads a message's headers and the first given number of body lines, without marking it as read.
pop3-command-uidl = UIDL shows each message's unique id, which stays the same across sessions so clients can tell which mail they already have.
pop3-command-capa = CAPA asks the server to list its capabilities (STLS, SASL mechanisms, TOP, UIDL, PIPELINING, ...), one per line (RFC 2449).
pop3-command-stls = STLS asks the server to switch the connection to TLS before logging in (RFC 2595); after +OK the TLS handshake starts.
pop3-command-auth = AUTH logs in with a SASL mechanism such as PLAIN, LOGIN, CRAM-MD5 or XOAUTH2, exchanging base64 messages (RFC 5034).
pop3-command-utf8 = UTF8 switches the session to UTF-8 user names, passwords and messages (RFC 6856).
pop3-command-lang = LANG lists or chooses the language of the server's human-readable replies (RFC 6856).
pop3-command-last = LAST is an obsolete command (RFC 1460) that returned the highest message number accessed.
pop3-command-unknown = This is not a standard POP3 command; the server will normally answer -ERR.

## What a reply means (reports, replay steps)
pop3-response-greeting-ok = The server is ready and waiting for commands.
pop3-response-greeting-err = The server refuses this connection (often because it is busy or the client is blocked).
pop3-response-user-ok = The server accepted the user name and now expects PASS (this does not prove the mailbox exists).
pop3-response-user-err = The server refused USER: plain-text login may be disabled on this connection (try STLS first) or the name is wrong.
pop3-response-login-ok = Login succeeded and the mailbox is open.
pop3-response-login-err = Login failed: wrong credentials, a login method the account may not use, or a locked or unavailable mailbox.
pop3-response-stls-ok = The server agreed to start TLS; the TLS handshake must follow immediately.
pop3-response-stls-err = The server refused to start TLS on this connection.
pop3-response-capa-ok = The capability list follows, ending with a line containing only a dot.
pop3-response-capa-err = The server does not support CAPA (a pre-1998 server), so its features must be guessed.
pop3-response-data-ok = The requested data follows.
pop3-response-quit-ok = The server closed the session (and deleted any messages marked with DELE).
pop3-response-ok = The command succeeded.
pop3-response-err = The command failed.

## Response codes, with what to do
pop3-code-in-use = IN-USE: the mailbox is locked because another session (another mail client, phone or fetcher) is using it. Close the other client or wait until its session ends, then try again.
pop3-code-login-delay = LOGIN-DELAY: the server only allows a login every few minutes and this one came too soon. Increase the mail client's check interval to at least the LOGIN-DELAY value shown in CAPA.
pop3-code-sys-temp = SYS/TEMP: a temporary problem on the server (overload, storage or back end unavailable), not the user's fault. Try again later; if it persists, the mail administrator should check the server's logs.
pop3-code-sys-perm = SYS/PERM: a permanent problem on the server side (for example the account is disabled or the mailbox is damaged). Retrying will not help; contact the mail administrator.
pop3-code-auth = AUTH: the server rejected the credentials (wrong user name or password, or this login method is not allowed for the account). Check the user name and password, and whether the provider requires an app password or OAuth.
pop3-code-utf8 = UTF8: the command needs UTF-8 mode, which must be switched on first with the UTF8 command (RFC 6856).
pop3-code-other = A response code popscope does not know; it is specific to this server. Look it up in the server's documentation.

## Transcript lines: client commands (TUI details pane)
pop3-line-here-user = Here: user { $args }.
pop3-line-here-message = Here: message { $args }.
pop3-line-here-arguments = Here: arguments { $args }.
pop3-line-user = USER name: the first half of the basic login (RFC 1939 §7). The server answers +OK and waits for PASS. Sent before TLS, the name travels in clear text.
pop3-line-pass = PASS secret: the second half of the basic login, sent right after USER. The password is not shown (popscope records ******** instead). Over a connection without TLS it would travel in clear text; +OK means logged in (TRANSACTION state), -ERR means refused.
pop3-line-apop = APOP name digest: login without sending the password (RFC 1939 §7). The digest is MD5(timestamp from the greeting + password). MD5 is weak, so APOP is considered obsolete; use TLS with USER/PASS or SASL instead.
pop3-line-stat = STAT: asks for the number of messages in the mailbox and their total size. The answer is +OK count octets, e.g. +OK 2 320.
pop3-line-list-all = LIST: asks for the size of every message. The answer is multi-line: one line 'number size' per message, ended by a line with a single dot.
pop3-line-list-one = LIST n: asks for the size of message { $args }. The answer is one line: +OK number size.
pop3-line-retr = RETR n: downloads a whole message. The answer is +OK, then the message (headers, blank line, body), ended by a line with a single dot; lines starting with a dot are sent with an extra dot (dot-stuffing).
pop3-line-dele = DELE n: marks a message for deletion (UPDATE state at QUIT).
pop3-line-noop = NOOP: does nothing; the server answers +OK. Used to keep a connection alive or to test that the server still responds.
pop3-line-rset = RSET: unmarks every message marked with DELE in this session.
pop3-line-quit = QUIT: ends the session. After a login, the server now deletes the messages marked with DELE (UPDATE state) and closes the connection.
pop3-line-top = TOP n lines: downloads the headers of message n and the first lines of its body (a preview without downloading everything). Optional command, announced as TOP in CAPA.
pop3-line-uidl = UIDL: asks for the unique id of each message (or of one message). Clients use these ids to remember which messages they already downloaded. Optional command, announced as UIDL in CAPA.
pop3-line-capa = CAPA: asks the server which optional features it supports (RFC 2449). The answer is a multi-line list such as TOP, UIDL, SASL PLAIN, STLS, ended by a line with a single dot. Clients should ask again after STLS, because the list may change.
pop3-line-stls = STLS: asks to upgrade this plain connection to TLS (RFC 2595, 'STARTTLS'). After +OK, the client starts the TLS handshake; everything afterwards is encrypted. A server that answers anything sent before the handshake is vulnerable to command injection.
pop3-line-auth = AUTH mechanism: SASL login (RFC 5034). { $what }. The server answers with '+ ' challenges until +OK (logged in) or -ERR.
pop3-auth-mech-plain = PLAIN sends name and password in base64 (not encrypted: needs TLS)
pop3-auth-mech-login = LOGIN sends name and password in base64, one after the other (needs TLS)
pop3-auth-mech-cram-md5 = CRAM-MD5 proves the password with an MD5 HMAC of a server challenge
pop3-auth-mech-xoauth2 = XOAUTH2 sends an OAuth 2.0 access token instead of a password
pop3-auth-mech-none = without a mechanism, some servers list the mechanisms they support
pop3-auth-mech-other = the mechanism is one announced by the server in CAPA (SASL line)
pop3-line-empty = An empty line sent by the client.
pop3-line-unknown = { $verb }: not a standard POP3 command (RFC 1939, 2449, 2595, 5034). The server is expected to answer -ERR.
pop3-line-sasl-redacted = A SASL continuation from the client (a step of an AUTH exchange). It carries credentials, so popscope replaced it with ******** before recording it.
pop3-line-sasl-response = A SASL continuation from the client (a step of an AUTH exchange), answering the server's last '+ ' challenge.
pop3-line-sasl-cancel = A single * from the client: it cancels the AUTH exchange (RFC 5034); the server answers -ERR and the client is still not logged in.

## Transcript lines: response codes in a reply
pop3-line-code-auth = [AUTH] (RFC 3206): the credentials are wrong (user name, password or mechanism). Trying again with the same credentials will not help.
pop3-line-code-sys-temp = [SYS/TEMP] (RFC 3206): a temporary problem on the server (e.g. a database or disk problem), not your credentials. Trying again later may work.
pop3-line-code-sys-perm = [SYS/PERM] (RFC 3206): a permanent problem on the server side (e.g. the account is disabled or misconfigured). Trying again will not help; contact the administrator.
pop3-line-code-in-use = [IN-USE] (RFC 2449): the mailbox is locked because another session (another mail client or device) is using it. Close the other client or wait.
pop3-line-code-login-delay = [LOGIN-DELAY] (RFC 2449): you logged in too soon after the last login; the server enforces a minimum time between logins (see LOGIN-DELAY in CAPA).
pop3-line-code-utf8 = [UTF8] (RFC 6856): the command needs UTF-8 mode, which the client must switch on first with the UTF8 command.
pop3-line-code-other = [{ $code }]: an extended response code (RFC 2449) this tool does not know.

## Transcript lines: server replies
pop3-line-greeting-ok = The greeting: the first line a POP3 server sends after the connection opens. +OK means it is ready (AUTHORIZATION state: the client must now log in).
pop3-line-greeting-apop = The <...@...> part is the APOP timestamp: a unique string that the APOP command mixes with the password.
pop3-line-greeting-err = A -ERR greeting: the server refuses to serve this connection (maintenance, too many connections, or your address is blocked).
pop3-line-reply-ok = +OK: the command succeeded.
pop3-line-reply-user = +OK to USER: the name was noted; the server now expects PASS. (Many servers say +OK even for unknown users, so nobody can guess which names exist.)
pop3-line-reply-login = +OK: logged in. The session is now in the TRANSACTION state and the mailbox is locked for this session.
pop3-line-reply-auth = +OK: the SASL login succeeded (TRANSACTION state).
pop3-line-reply-stat = +OK to STAT: { $count } message(s), { $octets } octets in total.
pop3-line-reply-stat-bare = +OK to STAT: count and total size follow.
pop3-line-reply-data = +OK to { $verb }: the answer follows on the next lines, ended by a single dot.
pop3-line-reply-stls = +OK to STLS: the server is ready for TLS. The next bytes on the connection are the TLS handshake; nothing in clear text may follow.
pop3-line-reply-quit = +OK to QUIT: the server says goodbye (and, after a login, deletes the messages marked with DELE).
pop3-line-reply-dele = +OK to DELE: the message is marked; it is deleted at QUIT.
pop3-line-reply-other = +OK to { $verb }: the command succeeded.
pop3-line-reply-err = -ERR: the command failed.
pop3-line-reply-login-err = -ERR: the login was refused.
pop3-line-reply-capa-err = -ERR to CAPA: the server does not support CAPA (an old server); clients must guess its features.
pop3-line-reply-stls-err = -ERR to STLS: the server does not offer TLS on this port (passwords would travel in clear text).
pop3-line-reply-other-err = -ERR to { $verb }: the command failed.
pop3-line-reply-reason = The text after -ERR is the server's reason, meant for humans.
pop3-line-challenge = '+ ' is a SASL challenge: the server waits for the next step of the AUTH exchange (the text is base64).
pop3-line-body-list = One line of the LIST answer: message number and size in octets ({ $text }).
pop3-line-body-uidl = One line of the UIDL answer: message number and its unique id ({ $text }).
pop3-line-body-message = A line of the message (headers, then a blank line, then the body). A leading dot was doubled by the server and removed by the client.
pop3-line-body-other = A line of a multi-line answer (a capability list, a listing or a message), shown dim. It ends with a line holding a single dot.
pop3-line-capability = A capability from the CAPA list: { $what }.
pop3-cap-top = the server supports TOP (message previews)
pop3-cap-uidl = the server supports UIDL (unique message ids, for 'leave on server')
pop3-cap-user = the server accepts USER/PASS login (here, at this point of the session)
pop3-cap-sasl = the SASL mechanisms accepted by AUTH: { $args }
pop3-cap-stls = the server offers STLS: the upgrade of this connection to TLS
pop3-cap-pipelining = the client may send several commands without waiting for each answer
pop3-cap-resp-codes = -ERR answers may carry [CODES] that say why (RFC 2449)
pop3-cap-auth-resp-code = login failures carry [AUTH] or [SYS/...] codes (RFC 3206)
pop3-cap-expire = messages may be deleted by the server after some days: { $args }
pop3-cap-login-delay = minimum seconds between logins: { $args }
pop3-cap-implementation = the server software: { $args }
pop3-cap-utf8 = the server accepts UTF-8 (RFC 6856)
pop3-cap-lang = the server can answer in other languages (RFC 6856)
pop3-cap-other = a capability this tool does not describe
pop3-line-end = A single dot: the end of a multi-line answer.
pop3-line-not-pop3-greeting = The first line from the server does not start with +OK: this is probably not a POP3 server, or the port expects TLS from the first byte.
pop3-line-not-pop3 = A line from the server that is neither +OK nor -ERR where a reply was expected: the server does not follow POP3 here, so popscope cannot go on with this session.
pop3-line-fragment = The last bytes the server sent, without a line ending, just before it closed the connection: an unfinished line, often a sign that this is not a POP3 server.
pop3-line-client = A line popscope sent to the server.
pop3-line-server = A line the server sent.

## Transcript lines: TLS events and popscope's notes
pop3-tls-event = { $what } (TLS lines are events noted by popscope, not text on the wire.)
pop3-tls-handshake-start = The start of the TLS handshake: the client proposes TLS versions and ciphers (ClientHello) and the name of the server it wants (SNI).
pop3-tls-established = The TLS handshake finished: from here on the connection is encrypted. TLS 1.2 and 1.3 are considered safe; 1.0 and 1.1 are obsolete.
pop3-tls-certificate = The server's certificate (or one from its chain). The client checks that a trusted authority signed it, that it names the server, and that it has not expired. See the certificate chain below when known.
pop3-tls-certificate-unreadable = A certificate from the server's chain that popscope could not read: it is malformed, and clients will most likely reject it too.
pop3-tls-verified = The certificate check passed: a trusted authority signed the chain, it names the server, and it is within its dates. Mail clients will accept it.
pop3-tls-verification-failed = The certificate check failed (the reason follows: for example expired, issued for another name, self-signed or signed by an unknown authority). Mail clients will refuse the connection or warn their users; the server's certificate must be fixed.
pop3-tls-alert = A TLS alert: one side aborted the handshake or the session and said why (e.g. unknown_ca: the client does not trust the certificate; handshake_failure: no common version or cipher).
pop3-tls-handshake-failed = The TLS handshake failed: no encrypted connection could be set up.
pop3-tls-legacy-hello = The answer to a second connection that offered only the retired TLS 1.0/1.1, to learn whether the server still speaks them.
pop3-tls-other = A TLS event: part of setting up the encryption of this connection.
pop3-note = A note from popscope, not sent over the network.
pop3-note-timeout = A timeout means the other side did not answer in time: a firewall dropping packets, a server that is down, or a port that expects something else (e.g. TLS).
pop3-note-closed = The connection was closed; after QUIT this is normal, otherwise the server hung up.
pop3-note-refused = Refused means nothing listens on that port (wrong port, or the service is down).
pop3-note-problem = It reports a problem with the connection or with what the server sent; the checks say what it means for mail clients.
pop3-note-omitted = Long answers are shortened in the transcript; popscope still read every line, to stay in step with the server.

## Reading the server's replies (src/pop3/reader.rs, session.rs)
pop3-what-greeting = the greeting
pop3-what-reply = the reply to { $verb }
pop3-what-rest = the rest of the reply to { $verb }
pop3-error-looks-like = {" "}(this looks like { $protocol })
pop3-error-timeout-greeting = the server sent nothing for { $after } while popscope waited for { $what }; it may be overloaded, blocked by a firewall, or expecting TLS on this port
pop3-error-timeout-reply = the server sent nothing for { $after } while popscope waited for { $what }; it may be overloaded or stalled (servers also delay their answers on purpose after a failed login)
pop3-error-timeout-unended = the server's reply started like a POP3 reply ("{ $partial }") but the line never ended: { $received } bytes arrived and no line end within { $after } while popscope waited for { $what }; the server may be stalled
pop3-error-timeout-partial = the server sent { $received } bytes ("{ $partial }") but no complete line within { $after } while popscope waited for { $what }; it may be stalled or sending something other than POP3
pop3-error-closed = the server closed the connection while popscope waited for { $what }
pop3-error-closed-partial = the server closed the connection while popscope waited for { $what }; it had sent { $received } bytes without a line ending: "{ $partial }"
pop3-error-not-pop3 = the server's reply is not a POP3 status line (it should start with +OK or -ERR): "{ $line }"
pop3-error-not-pop3-tls = the server's reply is not a POP3 status line (it should start with +OK or -ERR): "{ $line }"; this looks like { $protocol }
pop3-error-not-pop3-other = the server's reply is not a POP3 status line (it should start with +OK or -ERR): "{ $line }"; this looks like { $protocol }, so the port probably belongs to another service
pop3-error-too-long-status = the server's line started like a POP3 reply ("{ $head }") but did not end within { $limit } bytes ({ $discarded } bytes discarded): it is longer than popscope reads, and far longer than the { $rfc } bytes a POP3 line may have
pop3-error-too-long = the server sent a line longer than { $limit } bytes ({ $discarded } bytes discarded); a POP3 line should be at most { $rfc } bytes, so this is probably not a POP3 server or the data is corrupt
pop3-error-response-too-large = the server's multi-line response was longer than popscope reads: it stopped reading after { $bytes } bytes ({ $lines } lines), before the response's end, so the connection cannot be used any further
pop3-error-network = network error: { $error }
pop3-error-write = could not send { $op } to the server: { $error }
pop3-error-refused = the server refused { $op }: { $status }
pop3-note-quit-unclean = QUIT was not answered cleanly: { $error }
