## script: messages of src/script (see src/i18n/mod.rs).

## Why popscope did not send the credentials
script-offers-none = none
script-refusal-no-credentials = no user name was given, so popscope did not log in
script-refusal-cleartext = the connection is not encrypted; popscope does not send passwords in clear text; use STLS/995 or --allow-cleartext-auth
script-refusal-untrusted = the server's TLS certificate is not trusted, so the connection could be intercepted; popscope does not send passwords over it; fix the certificate, or pass the server's CA (or, for a self-signed certificate you have checked, the certificate itself) with --ca-file
script-refusal-not-offered = mechanism { $wanted } not offered (server offers: { $offers })
script-refusal-stls-first = plaintext login disabled before TLS: the server offers no login method before STLS (server offers: { $offers })
script-refusal-nothing-offered = the server offers no login method popscope can use with these credentials (server offers: { $offers })
script-refusal-no-password = no password was given
script-refusal-no-token = { $mechanism } needs an OAuth 2.0 access token and none was given
script-remedy-no-credentials = Give --user (and a password) to log in.
script-remedy-cleartext = Connect with TLS: port 995 (pop3s://host) or port 110 with STLS. If you must test an unencrypted server, add --allow-cleartext-auth (the password can then be read by anyone on the path).
script-remedy-untrusted = Fix the server's certificate (see the tls.* checks and the diagnosis). If the server uses a private CA, or a self-signed certificate whose SHA-256 fingerprint you have checked with the administrator, pass that CA or certificate with --ca-file.
script-remedy-not-offered = Use --auth auto, or one of the methods the server offers.
script-remedy-stls-first = Use STLS (port 110) or port 995: the server only accepts logins inside TLS, as it should.
script-remedy-nothing-offered = Check the server's SASL configuration, or give an OAuth token when the server only offers XOAUTH2/OAUTHBEARER.
script-remedy-no-password = Give the password (POPSCOPE_PASSWORD, --password-file or the prompt).
script-remedy-no-token = Give an OAuth 2.0 access token, or choose a password method with --auth.

## Transcript notes of the login
script-note-not-logged-in = popscope did not log in: { $reason }
script-note-fallback-broken = the fallback to { $mechanism } did not complete; the refusal of { $refused } is the result
script-note-withheld = { $mechanism } was refused; popscope does not fall back to { $next }, which would show the password on a connection that is not trusted TLS
script-note-fallback = { $mechanism } was refused; --auth auto tries the next method the server offers, { $next }
script-attempt-said = the server said: { $status }
script-attempt-broken = it did not complete: { $error }

## Known provider messages
script-provider-others = Yahoo, AOL and others
script-hint-google-app-password-meaning = the account uses 2-Step Verification, so Google does not accept the normal password from mail clients
script-hint-google-app-password-remedy = Create an app password (Google Account > Security > 2-Step Verification > App passwords) and use it instead of the normal password, or log in with OAuth (--auth xoauth2 with an access token).
script-hint-google-web-login-meaning = Google blocked this sign-in as unusual and wants the user to sign in with a web browser first
script-hint-google-web-login-remedy = Sign in to https://mail.google.com in a web browser (from the same network if possible) and confirm the security prompt, then retry. Better: use an app password or OAuth (--auth xoauth2).
script-hint-google-rejected-meaning = Google rejected the user name or password; Google no longer accepts the normal account password from mail clients
script-hint-google-rejected-remedy = Check the address and password. Then use an app password (requires 2-Step Verification) or OAuth (--auth xoauth2), since Google ended password sign-in for "less secure apps".
script-hint-microsoft-basic-auth-meaning = Basic authentication (user name and password) is switched off for POP
script-hint-microsoft-basic-auth-remedy = Log in with OAuth 2.0 (--auth xoauth2 with an access token for the POP.AccessAsUser.All scope); Microsoft no longer accepts passwords for POP. The administrator must also allow POP for the mailbox (Set-CASMailbox -PopEnabled $true).
script-hint-exchange-rejected-meaning = Exchange rejected the login; for Microsoft 365 and Outlook.com this is also what a password login looks like now that Basic authentication is disabled
script-hint-exchange-rejected-remedy = Check the user name (the full e-mail address) and the password. For Microsoft 365 / Outlook.com use OAuth 2.0 (--auth xoauth2), because Basic authentication for POP is disabled; the administrator must also allow POP for the mailbox (Set-CASMailbox -PopEnabled $true).
script-hint-pop-disabled-meaning = POP is switched off for this account
script-hint-pop-disabled-remedy = Enable POP in the account's web settings (Gmail: Settings > See all settings > Forwarding and POP/IMAP > Enable POP; Outlook.com: Settings > Mail > Forwarding and IMAP > POP), or ask the mail administrator to enable it.
script-hint-tls-required-meaning = plaintext login disabled before TLS: the server accepts logins only inside TLS
script-hint-tls-required-remedy = Use STLS on port 110 or port 995; this is correct server behaviour.
script-hint-invalid-credentials-meaning = the server rejected the user name or password
script-hint-invalid-credentials-remedy = Check the user name and password. Yahoo and AOL (and iCloud) accept only an app password from mail clients: generate one in the account's security settings and use it instead of the normal password.

## Response codes in the login check
script-code-remedy-auth = Check the user name and password (and whether the account needs an app password or OAuth).
script-code-remedy-in-use = Close the other mail client, phone or fetcher that has the mailbox open (or wait for its session to end), then retry.
script-code-remedy-login-delay = Wait for the LOGIN-DELAY period (see CAPA) and set the mail client's check interval to at least that long.
script-code-remedy-sys-temp = Retry later; if it persists, the mail administrator should look at the server's logs.
script-code-remedy-sys-perm = Contact the mail administrator: retrying will not help (the account may be disabled).
script-code-remedy-utf8 = The user name needs UTF-8 mode (RFC 6856), which popscope does not switch on.
script-code-remedy-other = Look the code up in the server's documentation.
script-code-meaning-auth = wrong credentials
script-code-meaning-in-use = the mailbox is locked by another session
script-code-meaning-login-delay = logged in too soon after the previous login
script-code-meaning-sys-temp = a temporary server problem
script-code-meaning-sys-perm = a permanent server problem
script-code-meaning-utf8 = UTF-8 mode needed
script-code-meaning-other = a server-specific code

## The auth.login check
script-login-with = with { $mechanism }
script-login-then = then
script-login-tried = --auth auto tried { $steps }.
script-login-withheld = popscope did not fall back to { $mechanism }: it would show the password on a connection that is not trusted TLS (ask for it with --auth { $flag } to accept that).
script-login-channel-untrusted = TLS with an untrusted certificate
script-login-channel-clear = an unencrypted connection
script-login-exposed-password = the password itself crossed it and could have been read or intercepted
script-login-exposed-challenge = the challenge-response can be recorded and attacked offline, and the whole mailbox crosses it unprotected
script-login-over = logged in as { $user }{ $how }, but over { $channel }
script-login-exposed-detail = { $status }; { $what }.
script-login-exposed-remedy = Use TLS with a trusted certificate (port 995 or STLS) and change the password if it crossed an untrusted network.
script-login-after = (after { $earlier } { $count ->
        [one] was
       *[other] were
    } refused)
script-login-ok = logged in as { $user }{ $how }{ $after }
script-login-server-said = The server said: { $status }
script-login-known-message = This is a known { $provider } message: { $meaning }.
script-login-message-means = This message means { $meaning }.
script-login-sasl-detail = The server's SASL error detail: { $detail }
script-login-cancelled = popscope cancelled the exchange: { $reason }
script-login-remedy-sasl-broken = The server's SASL implementation does not behave as the mechanism requires; try another method with --auth.
script-login-remedy-no-code = Check the user name and password; the server gave no response code, so its log says more (ask the administrator). Some providers require an app password or OAuth.
script-login-also-tried = also tried: { $methods }
script-login-refused = login as { $user }{ $how } refused: { $status }{ $what }{ $also }
script-login-not-attempted-no-credentials = not attempted: no credentials given
script-login-not-attempted = not attempted: { $reason }
script-login-nothing-sent = popscope sent no credentials.
script-login-broken = login as { $user }{ $how } did not complete: { $error }
script-login-remedy-timeout = The server stopped answering during login; check its authentication back end (LDAP, database) and its logs.
script-login-remedy-broken = The server broke the login exchange; check its logs, or try another method with --auth.

## Replaying a profile: step judgements
script-step-profile-refused = not run: the profile was refused
script-step-no-match = the reply does not match /{ $regex }/
script-step-over-bound = the reply was { $octets } octets, more than the bound of { $bound }; only its head was kept
script-step-bad-stat = STAT must answer "+OK count octets" (RFC 1939); nothing captured
script-step-bad-pairs = { $bad } line(s) of the { $verb } reply are not "number value"
script-step-login-refused = login refused; see auth.login
script-step-no-credentials = no credentials given
script-step-nothing-sent = nothing sent: { $reason }
script-step-remedy-login = See auth.login.
script-step-remedy = The profile expected { $expected }; read the server's reply above and the transcript.
script-step-not-run = not run: { $reason }
script-step-not-advertised = the server does not advertise { $capability }
script-step-no-capa = the server sent no capability list, so { $capability } support is unknown
script-step-no-count = the message count is not known (the step that captures it did not succeed)
script-step-empty-mailbox = the mailbox is empty
script-step-no-uids = no UIDs were captured (the UIDL step was skipped or failed)
script-step-no-value = {"{"}{ $variable }{"}"} has no value
script-step-too-large = message { $number } is { $size } octets, more than the bound of { $bound } octets
script-step-connection-gone = not run: the connection can no longer be used
script-step-no-quit-after-dele = not sent: a step failed after DELE, so popscope closes without QUIT and the server deletes nothing
script-step-dele-not-allowed = not sent: DELE needs --allow-delete
script-step-login-as = login as { $user }
script-step-login-as-with = login as { $user } ({ $mechanism })

## Replaying a profile: why it stopped, transcript notes
script-stop-poisoned = step { $step } failed after DELE; popscope stops so that no mail is lost
script-stop-broke = step { $step } broke the connection
script-stop-failed = step { $step } failed and stops the dialogue
script-stop-no-credentials = no credentials were given, so popscope did not log in
script-note-dropped-after-dele = the connection broke after DELE: the server never reached the UPDATE state (no QUIT), so it deletes nothing
script-note-rset-after-dele = a step failed after DELE: popscope sends RSET to unmark every message and closes without QUIT, so the server deletes nothing
script-note-rset-refused = RSET was refused ({ $status }); closing without QUIT still leaves the mailbox unchanged
script-note-rset-failed = RSET failed ({ $error }); closing without QUIT still leaves the mailbox unchanged
script-note-final-quit = popscope ends the session with QUIT (the profile has no QUIT step)
script-note-profile-refused = profile refused, nothing sent: { $error }

## Replaying a profile: the dialogue check
script-dialogue-refused = profile refused, nothing was sent: { $error }
script-dialogue-remedy-dele = Remove the DELE steps, or pass --allow-delete if deleting mail is really intended.
script-dialogue-remedy-profile = Fix the profile (see docs/profiles.md).
script-dialogue-summary = profile { $profile }: { $steps } steps, { $passed } passed, { $failed } failed, { $skipped } skipped
script-dialogue-warned = , { $warned } with warnings
script-dialogue-round-trips = , { $count } round trips
script-dialogue-no-credentials = (no credentials: login and the steps after it were skipped)
script-dialogue-stopped = Stopped early: { $reason }.
script-dialogue-pipelined = { $count } steps were pipelined (the server advertises PIPELINING).
script-dialogue-poisoned = A step failed after DELE: popscope sent RSET (when it could) and closed without QUIT, so the server deleted nothing.
script-dialogue-deleted = Messages marked with DELE were deleted at QUIT (--allow-delete).
script-dialogue-see = See { $checks }.
script-step-expected-matching = { $status } matching /{ $regex }/
script-expect-any = +OK or -ERR
script-step-expected-got = expected { $expected }, got { $got }

## Loading a profile
script-profile-io = cannot read profile { $path }: { $error }
script-profile-parse = { $source }{ $position }: { $message }
script-profile-unknown = no built-in profile named "{ $name }" (built-in: basic, full-read, teaching, capabilities-only; to load a file, give a path ending in .toml)
script-profile-invalid = profile { $profile } ({ $source }), step { $step }{ $position }: { $message }
script-profile-delete-refused = profile { $profile } contains DELE: refused without --allow-delete
script-profile-line-column = line { $line }, column { $column }
script-profile-line = (line { $line })
script-profile-no-steps = the profile has no steps (add [[step]] tables)
script-profile-login-and-send = a login step (login = true) cannot also send a command
script-profile-no-send = the step has neither `send` nor `login = true`
script-profile-multiline-is = the reply to "{ $send }" is multi-line; remove `multiline = { $value }`
script-profile-multiline-is-not = the reply to "{ $send }" is not multi-line; remove `multiline = { $value }`
script-profile-send-empty = `send` is empty
script-profile-send-line-break = `send` contains a line break or NUL, which would smuggle in another command
script-profile-send-too-long = `send` is longer than a POP3 command may be (255 octets with CRLF)
script-profile-bad-regex = `regex` is not a valid regular expression: { $error }
script-profile-bad-requires = `requires` must be one CAPA keyword such as TOP or UIDL, not "{ $value }"
script-profile-two-logins = a profile can have only one login step
script-profile-login-options = the login step takes no `expect`, `regex` or `capture`: it must succeed
script-profile-mechanism-not-login = `mechanism` belongs on the login step (login = true)
script-profile-verb-variable = the command word must be written out, not a variable
script-profile-not-command = "{ $word }" is not a POP3 command
script-profile-credentials = profiles may not send { $verb }: credentials are sent only by the login step (login = true), which takes them from the command line
script-profile-stls = STLS cannot be a step: popscope upgrades the connection before the dialogue (plain port with STLS, or port 995)
script-profile-quit-last = QUIT ends the session, so it can only be the last step
script-profile-login-variable = {"{"}login{"}"} must be the whole step ({ $example } or login = true)
script-profile-unknown-variable = unknown variable {"{"}{ $variable }{"}"} (known: {"{"}first{"}"}, {"{"}last{"}"}, {"{"}count{"}"}, {"{"}uid1{"}"}, {"{"}login{"}"})
script-profile-uids-early = {"{"}uid1{"}"} is used before any step captures UIDs (add { $example } to an earlier UIDL step)
script-profile-count-early = {"{"}{ $variable }{"}"} is used before any step captures the message count (add { $example } to an earlier STAT step)
script-profile-capture-verb = capture = { $capture } needs a plain { $verb } command
script-profile-brace-close = a '{"}"}' without its '{"{"}'
script-profile-brace-open = a '{"{"}' without its '{"}"}'
script-profile-brace-nested = a '{"{"}' inside a variable

## Pipelining (src/script/replay/pipeline.rs)
script-note-pipelining = PIPELINING: sending { $count } commands in one write
script-pipeline-unreadable = the pipelined replies could not be read: { $error }
script-pipeline-unread = no reply was read: reading the pipelined replies failed at step { $step }: { $error }
script-pipeline-line-break = the command contains a line break, which would send a second command; not sent
