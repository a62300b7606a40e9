//! The fixed sentences of the diagnosis: client fixes (`CLIENT_*`, used by
//! `causes.rs`) and server fixes (`SERVER_*`, used by `fixes.rs`), one named
//! constant each so the rules stay short enough for rustfmt. Long sentences
//! continue with `\` (the next line's indentation is not part of the text).

pub(super) const CLIENT_NO_SETTING: &str = "\
    No mail client setting can help: the fix is on the server.";

pub(super) const CLIENT_CHECK_SPELLING_INCOMING_SERVER: &str = "\
    Check the spelling of the incoming server name, or ask the mail provider for the correct \
    POP3 server name.";

pub(super) const CLIENT_DNS_SERVER_YOU_CHOSE: &str = "\
    The DNS server you chose could not answer either: try again later; the domain's DNS must \
    be fixed.";

pub(super) const CLIENT_TRY_AGAIN_LATER_FROM: &str = "\
    Try again later or from another network (popscope can compare with another resolver: \
    --dns-server 9.9.9.9).";

pub(super) const CLIENT_NOTHING_DNS_DANGLING: &str = "\
    Nothing to change in the mail client for POP3; use the server name that works.";

pub(super) const CLIENT_CHECK_COMPUTER_S_NETWORK: &str = "\
    Check the computer's network connection (and IPv6 connectivity for an IPv6 address); try \
    from another network.";

pub(super) const CLIENT_TRY_FROM_ANOTHER_NETWORK: &str = "\
    Try from another network (some networks block POP3 ports); otherwise no mail client \
    setting can help: the fix is on the server's firewall.";

pub(super) const CLIENT_CHECK_INCOMING_SERVER_NAME: &str = "\
    Check the incoming server name and port with the mail provider (POP3 is port 995 with \
    SSL/TLS or 110 with STARTTLS); no setting that popscope tried works.";

pub(super) const CLIENT_NO_SETTING_LEGACY_TLS: &str = "\
    No mail client setting can help: the fix is on the server (some old clients still allow \
    TLS 1.0, but that is unsafe).";

pub(super) const CLIENT_WORKS_NOW_NOTHING_CHANGE: &str = "\
    It works for now; nothing to change in the mail client.";

pub(super) const CLIENT_NO_SETTING_EXPIRED: &str = "\
    No mail client setting can help safely: the fix is on the server (do not accept an \
    exception for an expired certificate).";

pub(super) const CLIENT_CHECK_COMPUTER_S_DATE: &str = "\
    Check that the computer's date and time are right; otherwise the fix is on the server.";

pub(super) const CLIENT_SOME_CLIENTS_DESKTOP_THUNDERBIRD: &str = "\
    Some clients (desktop Thunderbird) fetch the intermediate themselves and work; otherwise \
    no mail client setting can help: the fix is on the server.";

pub(super) const CLIENT_NO_SAFE_MAIL_CLIENT: &str = "\
    No safe mail client setting exists: the fix is on the server (do not send the password \
    unencrypted).";

pub(super) const CLIENT_NOTHING_SAFER_SET_MAIL: &str = "\
    Nothing safer to set in the mail client; the fix is on the server.";

pub(super) const CLIENT_NEVER_SET_CLIENT_S: &str = "\
    Never set the client's connection security to \"none\".";

pub(super) const CLIENT_CHECK_USER_NAME_OFTEN: &str = "\
    Check the user name (often the full e-mail address) and the password; some providers \
    require an app password.";

pub(super) const CLIENT_CLOSE_OTHER_MAIL_CLIENTS: &str = "\
    Close other mail clients that read this mailbox (phone, another computer), or wait a few \
    minutes and try again.";

pub(super) const CLIENT_SET_MAIL_CLIENT_CHECK: &str = "\
    Set the mail client to check for new mail less often, and wait before trying again.";

pub(super) const CLIENT_NOTHING_DIALOGUE: &str = "\
    Nothing to change in the mail client; the server's logs tell more.";

pub(super) const CLIENT_RAISE_MAIL_CLIENT_S: &str = "\
    Raise the mail client's server timeout if it has one.";

pub(super) const CLIENT_NOTHING_ADDRESS_PARTIAL: &str = "\
    Nothing to change in the mail client; it falls back to the working address after a delay.";

pub(super) const CLIENT_RUN_POPSCOPE_AGAIN_LONGER: &str = "\
    Run popscope again with a longer --deadline to see the whole picture.";

pub(super) const SERVER_DOVECOT_INSTALL_CERT: &str = "\
    In Dovecot 2.3 set `ssl_cert = </etc/ssl/fullchain.pem` and `ssl_key = \
    </etc/ssl/privkey.pem` (Dovecot 2.4: `ssl_server_cert_file = /etc/ssl/fullchain.pem` and \
    `ssl_server_key_file = /etc/ssl/privkey.pem`), then `doveadm reload`.";

pub(super) const SERVER_COURIER_INSTALL_CERT: &str = "\
    In /etc/courier/pop3d-ssl set `TLS_CERTFILE=/etc/courier/pop3d.pem`, a PEM file holding \
    the private key followed by the certificate and its intermediate certificates, then \
    restart courier-pop3d-ssl and courier-pop3d.";

pub(super) const SERVER_CYRUS_INSTALL_CERT: &str = "\
    In /etc/imapd.conf set `tls_server_cert: /etc/ssl/fullchain.pem` and `tls_server_key: \
    /etc/ssl/privkey.pem`, then restart Cyrus.";

pub(super) const SERVER_GENERIC_INSTALL_CERT: &str = "\
    Configure the POP3 server with the full chain file (the certificate followed by its \
    intermediate certificates, e.g. Let's Encrypt's fullchain.pem) and its key, then reload \
    the service.";

pub(super) const SERVER_DOVECOT_ENABLE_STLS: &str = "\
    In Dovecot set `ssl = yes` (or `ssl = required`) with a certificate: 2.3 `ssl_cert = \
    </etc/ssl/fullchain.pem`, `ssl_key = </etc/ssl/privkey.pem`; 2.4 `ssl_server_cert_file = \
    /etc/ssl/fullchain.pem`, `ssl_server_key_file = /etc/ssl/privkey.pem`. Dovecot then offers \
    STLS on 110 and TLS on 995.";

pub(super) const SERVER_COURIER_ENABLE_STLS: &str = "\
    In /etc/courier/pop3d-ssl set `POP3DSTARTTLS=YES` and `TLS_CERTFILE=` a PEM file with the \
    key and the full chain; in /etc/courier/pop3d set `POP3_TLS_REQUIRED=1`; restart \
    courier-pop3d.";

pub(super) const SERVER_CYRUS_ENABLE_STLS: &str = "\
    In /etc/imapd.conf set `tls_server_cert:` and `tls_server_key:` (the full chain and its \
    key); Cyrus then offers STLS. Add `allowplaintext: no` so logins wait for it.";

pub(super) const SERVER_ENABLE_STLS_PLAIN_PORT: &str = "\
    Enable STLS on the plain port with a certificate from a public CA (full chain), and enable \
    implicit TLS on port 995.";

pub(super) const SERVER_DOVECOT_NO_CLEARTEXT: &str = "\
    In Dovecot 2.3 set `disable_plaintext_auth = yes` (Dovecot 2.4: `auth_allow_cleartext = \
    no`), then `doveadm reload`: USER and SASL PLAIN/LOGIN are then offered only after STLS.";

pub(super) const SERVER_COURIER_NO_CLEARTEXT: &str = "\
    In /etc/courier/pop3d set `POP3_TLS_REQUIRED=1` (and `POP3DSTARTTLS=YES` in \
    /etc/courier/pop3d-ssl), then restart courier-pop3d.";

pub(super) const SERVER_CYRUS_NO_CLEARTEXT: &str = "\
    In /etc/imapd.conf set `allowplaintext: no`, then restart Cyrus.";

pub(super) const SERVER_ALLOW_USER_PASS_SASL: &str = "\
    Allow USER/PASS and SASL PLAIN/LOGIN only after STLS (or only on port 995).";

pub(super) const SERVER_DOVECOT_MODERN_TLS: &str = "\
    In Dovecot set `ssl_min_protocol = TLSv1.2` (and update OpenSSL if TLS 1.2 is missing), \
    then `doveadm reload`.";

pub(super) const SERVER_COURIER_MODERN_TLS: &str = "\
    In /etc/courier/pop3d-ssl remove any `TLS_PROTOCOL` line that limits it to TLS 1.0/1.1 (or \
    set `TLS_PROTOCOL=TLSv1.2+`), then restart courier-pop3d-ssl.";

pub(super) const SERVER_CYRUS_MODERN_TLS: &str = "\
    In /etc/imapd.conf set `tls_versions: tls1_2 tls1_3`, then restart Cyrus.";

pub(super) const SERVER_ENABLE_TLS_1_2: &str = "\
    Enable TLS 1.2 and 1.3 on the server (and disable 1.0/1.1, retired by RFC 8996); a server \
    limited to TLS 1.0 usually needs a newer TLS library.";

pub(super) const SERVER_DNS_NO_SUCH_HOST: &str = "\
    The domain's DNS administrator must publish the POP3 server's name (A/AAAA records), or \
    tell users the correct server name.";

pub(super) const SERVER_DNS_FAILURE: &str = "\
    The domain's DNS administrator must fix the DNS servers that fail to answer for this name \
    (often a delegation or DNSSEC problem).";

pub(super) const SERVER_DNS_DANGLING: &str = "\
    The domain's DNS administrator must fix or remove the MX/SRV records that name a host \
    without an address.";

pub(super) const SERVER_NOTHING_CHANGE_POP3_SERVER: &str = "\
    Nothing to change on the POP3 server itself; check the routing to its addresses (and IPv6 \
    connectivity for an IPv6 address).";

pub(super) const SERVER_OPEN_TCP_PORTS_110: &str = "\
    Open TCP ports 110 and 995 in the firewall in front of the server (or check that the \
    server is up).";

pub(super) const SERVER_START_POP3_SERVICE_MAKE: &str = "\
    Start the POP3 service and make it listen on ports 110 and 995 (Dovecot: `protocols = \
    pop3`; check `ss -ltnp`).";

pub(super) const SERVER_SWAP_LISTENERS_BACK_PORT: &str = "\
    Swap the listeners back: port 110 must speak plain POP3 with STLS, port 995 implicit TLS \
    (Dovecot: `service pop3-login { inet_listener pop3 { port = 110 } inet_listener pop3s { \
    port = 995 ssl = yes } }`).";

pub(super) const SERVER_MAKE_PORT_110_SPEAK: &str = "\
    Make port 110 speak plain POP3 with STLS (Dovecot: `inet_listener pop3 { port = 110 }`, \
    without `ssl = yes`), and keep implicit TLS on port 995.";

pub(super) const SERVER_MAKE_PORT_995_SPEAK: &str = "\
    Make port 995 speak TLS from the first byte (Dovecot: `inet_listener pop3s { port = 995 \
    ssl = yes }`), or stop listening on it.";

pub(super) const SERVER_RUN_POP3_SERVICE_PORTS: &str = "\
    Run the POP3 service on ports 110/995 and move the other service to its own port.";

pub(super) const SERVER_CHECK_POP3_SERVICE_HEALTHY: &str = "\
    Check that the POP3 service is healthy (logs, process limits) and that the plain port \
    speaks plain POP3 (not TLS).";

pub(super) const SERVER_CHECK_POP3_SERVER_S: &str = "\
    Check the POP3 server's logs for crashes and any proxy in front of it; report the broken \
    exchange to the server's vendor.";

pub(super) const SERVER_CHECK_DOVECOT_S_TLS: &str = "\
    Check Dovecot's TLS settings (`doveconf -n | grep ssl`) and its log; enable TLS 1.2/1.3 \
    with modern ciphers.";

pub(super) const SERVER_CHECK_SERVER_S_TLS: &str = "\
    Check the server's TLS configuration and logs; enable TLS 1.2/1.3 with modern ciphers \
    (ECDHE with AES-GCM or ChaCha20).";

pub(super) const SERVER_RENEW_CERTIFICATE_SOON_CHECK: &str = "\
    Renew the certificate soon and check that automatic renewal runs and reloads the POP3 \
    service.";

pub(super) const SERVER_CHECK_CLOCKS_NTP_SERVER: &str = "\
    Check the clocks (NTP) on the server and on the client; reissue the certificate if its \
    dates are wrong.";

pub(super) const SERVER_UPDATE_POP3_SERVER_MUST: &str = "\
    Update the POP3 server: it must discard plaintext received before the TLS handshake when \
    STLS succeeds (CVE-2011-0411 class).";

pub(super) const SERVER_CHECK_ACCOUNT_SERVER_S: &str = "\
    Check the account in the server's user database and the server's authentication log for \
    the reason of the refusal.";

pub(super) const SERVER_FIND_SESSION_HOLDS_MAILBOX: &str = "\
    Find the session that holds the mailbox (another client, a stuck process) and end it; the \
    lock clears when it closes.";

pub(super) const SERVER_NOTHING_BROKEN_SERVER_LIMITS: &str = "\
    Nothing is broken: the server limits how often a user may log in. Lower the LOGIN-DELAY \
    limit if clients must check more often.";

pub(super) const SERVER_CHECK_SERVER_S_AUTHENTICATION: &str = "\
    Check the server's authentication back end (LDAP, database) and its logs.";

pub(super) const SERVER_CHECK_SERVER_S_LOGS: &str = "\
    Check the server's logs for the command that failed.";

pub(super) const SERVER_CHECK_SERVER_S_LOAD: &str = "\
    Check the server's load and its reverse-DNS/ident lookups on connect (disable them or fix \
    the resolver it uses).";

pub(super) const SERVER_MAKE_SERVER_ANSWER_CAPA: &str = "\
    Make the server answer CAPA correctly (RFC 2449); report it to the server's vendor.";

pub(super) const SERVER_MAKE_EVERY_ADDRESS_SERVER: &str = "\
    Make every address of the server's name work (or remove the address that does not from \
    DNS).";
