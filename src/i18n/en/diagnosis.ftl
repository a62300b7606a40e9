## diagnosis: messages of src/diagnosis (see src/i18n/mod.rs).

## Fixed sentences: client fixes, then server fixes (Dovecot, Courier, Cyrus and generic).

diagnosis-client-no-setting = No mail client setting can help: the fix is on the server.
diagnosis-client-check-server-spelling = Check the spelling of the incoming server name, or ask the mail provider for the correct POP3 server name.
diagnosis-client-chosen-dns-failed = The DNS server you chose could not answer either: try again later; the domain's DNS must be fixed.
diagnosis-client-dns-try-later = Try again later or from another network (popscope can compare with another resolver: --dns-server 9.9.9.9).
diagnosis-client-dns-dangling = Nothing to change in the mail client for POP3; use the server name that works.
diagnosis-client-check-network = Check the computer's network connection (and IPv6 connectivity for an IPv6 address); try from another network.
diagnosis-client-try-another-network = Try from another network (some networks block POP3 ports); otherwise no mail client setting can help: the fix is on the server's firewall.
diagnosis-client-check-server-and-port = Check the incoming server name and port with the mail provider (POP3 is port 995 with SSL/TLS or 110 with STARTTLS); no setting that popscope tried works.
diagnosis-client-no-setting-legacy-tls = No mail client setting can help: the fix is on the server (some old clients still allow TLS 1.0, but that is unsafe).
diagnosis-client-works-for-now = It works for now; nothing to change in the mail client.
diagnosis-client-no-setting-expired = No mail client setting can help safely: the fix is on the server (do not accept an exception for an expired certificate).
diagnosis-client-check-date = Check that the computer's date and time are right; otherwise the fix is on the server.
diagnosis-client-missing-intermediate = Some clients (desktop Thunderbird) fetch the intermediate themselves and work; otherwise no mail client setting can help: the fix is on the server.
diagnosis-client-no-safe-setting = No safe mail client setting exists: the fix is on the server (do not send the password unencrypted).
diagnosis-client-nothing-safer = Nothing safer to set in the mail client; the fix is on the server.
diagnosis-client-never-none = Never set the client's connection security to "none".
diagnosis-client-check-credentials = Check the user name (often the full e-mail address) and the password; some providers require an app password.
diagnosis-client-close-other-clients = Close other mail clients that read this mailbox (phone, another computer), or wait a few minutes and try again.
diagnosis-client-check-less-often = Set the mail client to check for new mail less often, and wait before trying again.
diagnosis-client-dialogue-failed = Nothing to change in the mail client; the server's logs tell more.
diagnosis-client-raise-timeout = Raise the mail client's server timeout if it has one.
diagnosis-client-address-partial = Nothing to change in the mail client; it falls back to the working address after a delay.
diagnosis-client-run-longer = Run popscope again with a longer --deadline to see the whole picture.
diagnosis-server-dovecot-install-cert = In Dovecot 2.3 set `ssl_cert = </etc/ssl/fullchain.pem` and `ssl_key = </etc/ssl/privkey.pem` (Dovecot 2.4: `ssl_server_cert_file = /etc/ssl/fullchain.pem` and `ssl_server_key_file = /etc/ssl/privkey.pem`), then `doveadm reload`.
diagnosis-server-courier-install-cert = In /etc/courier/pop3d-ssl set `TLS_CERTFILE=/etc/courier/pop3d.pem`, a PEM file holding the private key followed by the certificate and its intermediate certificates, then restart courier-pop3d-ssl and courier-pop3d.
diagnosis-server-cyrus-install-cert = In /etc/imapd.conf set `tls_server_cert: /etc/ssl/fullchain.pem` and `tls_server_key: /etc/ssl/privkey.pem`, then restart Cyrus.
diagnosis-server-generic-install-cert = Configure the POP3 server with the full chain file (the certificate followed by its intermediate certificates, e.g. Let's Encrypt's fullchain.pem) and its key, then reload the service.
diagnosis-server-dovecot-enable-stls = In Dovecot set `ssl = yes` (or `ssl = required`) with a certificate: 2.3 `ssl_cert = </etc/ssl/fullchain.pem`, `ssl_key = </etc/ssl/privkey.pem`; 2.4 `ssl_server_cert_file = /etc/ssl/fullchain.pem`, `ssl_server_key_file = /etc/ssl/privkey.pem`. Dovecot then offers STLS on 110 and TLS on 995.
diagnosis-server-courier-enable-stls = In /etc/courier/pop3d-ssl set `POP3DSTARTTLS=YES` and `TLS_CERTFILE=` a PEM file with the key and the full chain; in /etc/courier/pop3d set `POP3_TLS_REQUIRED=1`; restart courier-pop3d.
diagnosis-server-cyrus-enable-stls = In /etc/imapd.conf set `tls_server_cert:` and `tls_server_key:` (the full chain and its key); Cyrus then offers STLS. Add `allowplaintext: no` so logins wait for it.
diagnosis-server-generic-enable-stls = Enable STLS on the plain port with a certificate from a public CA (full chain), and enable implicit TLS on port 995.
diagnosis-server-dovecot-no-cleartext = In Dovecot 2.3 set `disable_plaintext_auth = yes` (Dovecot 2.4: `auth_allow_cleartext = no`), then `doveadm reload`: USER and SASL PLAIN/LOGIN are then offered only after STLS.
diagnosis-server-courier-no-cleartext = In /etc/courier/pop3d set `POP3_TLS_REQUIRED=1` (and `POP3DSTARTTLS=YES` in /etc/courier/pop3d-ssl), then restart courier-pop3d.
diagnosis-server-cyrus-no-cleartext = In /etc/imapd.conf set `allowplaintext: no`, then restart Cyrus.
diagnosis-server-generic-no-cleartext = Allow USER/PASS and SASL PLAIN/LOGIN only after STLS (or only on port 995).
diagnosis-server-dovecot-modern-tls = In Dovecot set `ssl_min_protocol = TLSv1.2` (and update OpenSSL if TLS 1.2 is missing), then `doveadm reload`.
diagnosis-server-courier-modern-tls = In /etc/courier/pop3d-ssl remove any `TLS_PROTOCOL` line that limits it to TLS 1.0/1.1 (or set `TLS_PROTOCOL=TLSv1.2+`), then restart courier-pop3d-ssl.
diagnosis-server-cyrus-modern-tls = In /etc/imapd.conf set `tls_versions: tls1_2 tls1_3`, then restart Cyrus.
diagnosis-server-generic-modern-tls = Enable TLS 1.2 and 1.3 on the server (and disable 1.0/1.1, retired by RFC 8996); a server limited to TLS 1.0 usually needs a newer TLS library.
diagnosis-server-dns-no-such-host = The domain's DNS administrator must publish the POP3 server's name (A/AAAA records), or tell users the correct server name.
diagnosis-server-dns-failure = The domain's DNS administrator must fix the DNS servers that fail to answer for this name (often a delegation or DNSSEC problem).
diagnosis-server-dns-dangling = The domain's DNS administrator must fix or remove the MX/SRV records that name a host without an address.
diagnosis-server-network-unreachable = Nothing to change on the POP3 server itself; check the routing to its addresses (and IPv6 connectivity for an IPv6 address).
diagnosis-server-network-filtered = Open TCP ports 110 and 995 in the firewall in front of the server (or check that the server is up).
diagnosis-server-service-down = Start the POP3 service and make it listen on ports 110 and 995 (Dovecot: `protocols = pop3`; check `ss -ltnp`).
diagnosis-server-ports-swapped = Swap the listeners back: port 110 must speak plain POP3 with STLS, port 995 implicit TLS (Dovecot: `service pop3-login {"{"} inet_listener pop3 {"{"} port = 110 {"}"} inet_listener pop3s {"{"} port = 995 ssl = yes {"}"} {"}"}`).
diagnosis-server-tls-on-plain = Make port 110 speak plain POP3 with STLS (Dovecot: `inet_listener pop3 {"{"} port = 110 {"}"}`, without `ssl = yes`), and keep implicit TLS on port 995.
diagnosis-server-plain-on-tls = Make port 995 speak TLS from the first byte (Dovecot: `inet_listener pop3s {"{"} port = 995 ssl = yes {"}"}`), or stop listening on it.
diagnosis-server-not-pop3 = Run the POP3 service on ports 110/995 and move the other service to its own port.
diagnosis-server-service-silent = Check that the POP3 service is healthy (logs, process limits) and that the plain port speaks plain POP3 (not TLS).
diagnosis-server-service-broken = Check the POP3 server's logs for crashes and any proxy in front of it; report the broken exchange to the server's vendor.
diagnosis-server-dovecot-handshake-failed = Check Dovecot's TLS settings (`doveconf -n | grep ssl`) and its log; enable TLS 1.2/1.3 with modern ciphers.
diagnosis-server-handshake-failed = Check the server's TLS configuration and logs; enable TLS 1.2/1.3 with modern ciphers (ECDHE with AES-GCM or ChaCha20).
diagnosis-server-cert-expiring = Renew the certificate soon and check that automatic renewal runs and reloads the POP3 service.
diagnosis-server-cert-not-yet-valid = Check the clocks (NTP) on the server and on the client; reissue the certificate if its dates are wrong.
diagnosis-server-stls-injection = Update the POP3 server: it must discard plaintext received before the TLS handshake when STLS succeeds (CVE-2011-0411 class).
diagnosis-server-auth-rejected = Check the account in the server's user database and the server's authentication log for the reason of the refusal.
diagnosis-server-auth-locked = Find the session that holds the mailbox (another client, a stuck process) and end it; the lock clears when it closes.
diagnosis-server-auth-login-delay = Nothing is broken: the server limits how often a user may log in. Lower the LOGIN-DELAY limit if clients must check more often.
diagnosis-server-auth-failed = Check the server's authentication back end (LDAP, database) and its logs.
diagnosis-server-dialogue-failed = Check the server's logs for the command that failed.
diagnosis-server-slow = Check the server's load and its reverse-DNS/ident lookups on connect (disable them or fix the resolver it uses).
diagnosis-server-capa-problem = Make the server answer CAPA correctly (RFC 2449); report it to the server's vendor.
diagnosis-server-address-partial = Make every address of the server's name work (or remove the address that does not from DNS).

## Cause summaries and the client fixes built with values.

diagnosis-endpoints-none = the server
diagnosis-endpoints-list = { $list } and { $last }
diagnosis-client-use-working = Use the settings that work now: { $setting }.
diagnosis-client-nothing-now = Nothing to change in the mail client now.
diagnosis-client-nothing = Nothing to change in the mail client.
diagnosis-dns-no-such-host = The server name { $host } does not exist in the DNS, so no mail client can find the server
diagnosis-dns-failure = The DNS could not answer for { $host } ({ $reason }), so mail clients cannot find the server
diagnosis-dns-dangling = A DNS record of the domain names a host without an address ({ $detail })
diagnosis-network-unreachable = There is no network route to { $endpoints }
diagnosis-network-filtered-deadline = No connection to { $host } was answered before the deadline: a firewall drops the packets (or the server is down)
diagnosis-network-filtered = Connections to { $endpoints } time out: a firewall drops them (or the server is down)
diagnosis-service-down = Nothing listens on { $endpoints }: the POP3 service is down or not on these ports
diagnosis-ports-swapped = The two ports are swapped: { $plain } speaks TLS instead of plain POP3 and { $tls } speaks plain POP3 instead of TLS
diagnosis-ports-swapped-client = Until the server is fixed, set the mail client to port { $tls_port } with connection security SSL/TLS (pop3s://{ $host }:{ $tls_port }), not port { $plain_port }.
diagnosis-tls-on-plain = Port { $endpoints } speaks TLS from the first byte, not plain POP3 with STARTTLS, so mail clients set to STARTTLS (or no encryption) on that port wait and time out
diagnosis-tls-on-plain-client = Set the mail client to connection security SSL/TLS on port { $port } (pop3s://{ $host }:{ $port }).
diagnosis-plain-on-tls = Port { $endpoints } speaks plain POP3 instead of TLS, so clients set to SSL/TLS on that port fail
diagnosis-another-protocol = another protocol
diagnosis-not-pop3 = Port { $endpoints } answers with { $protocol }, not POP3: this is not the mail server's POP3 service
diagnosis-service-silent = The server on { $endpoints } accepts connections but never sends a POP3 greeting (the port may expect TLS, or the service hangs), so mail clients wait and time out
diagnosis-service-broken = The POP3 exchange on { $endpoints } breaks: { $detail }
diagnosis-an-old-tls-version = an old TLS version
diagnosis-tls-legacy-only = The server on { $endpoints } speaks only { $version }, which modern mail clients refuse (RFC 8996)
diagnosis-tls-legacy-only-closed = The server on { $endpoints } speaks only { $version }, which modern mail clients refuse (RFC 8996), and nothing listens on { $closed }
diagnosis-tls-weak-key-blocks = The certificate on { $endpoints } has a weak { $key }-bit key, which modern mail clients refuse, so the TLS handshake fails
diagnosis-tls-weak-key = The certificate on { $endpoints } has a weak { $key }-bit key that attackers may break
diagnosis-tls-handshake-failed = The TLS handshake with { $endpoints } fails: { $error }
diagnosis-an-old-version = an old version
diagnosis-tls-old-version = The server on { $endpoints } negotiates only { $version }, an old TLS version that mail clients are dropping
diagnosis-cert-expired = The certificate on { $endpoints } expired on { $date }, so mail clients refuse it
diagnosis-cert-not-yet-valid = The certificate on { $endpoints } is not valid before { $date }: a wrong clock or a wrong certificate
diagnosis-cert-self-signed = The certificate on { $endpoints } is self-signed (SHA-256 { $fingerprint }), so mail clients refuse it
diagnosis-cert-self-signed-client = Ask the administrator to read the certificate's SHA-256 fingerprint on the server; if it matches { $fingerprint }, accept a one-time exception in the mail client. Otherwise no mail client setting can help: the fix is on the server.
diagnosis-cert-untrusted-issuer = The certificate on { $endpoints } comes from a CA mail clients do not trust ({ $issuer }), so they refuse it
diagnosis-cert-untrusted-issuer-client = If the organisation runs its own CA, install its CA certificate on the computer; or compare the SHA-256 fingerprint { $fingerprint } with the administrator and accept a one-time exception.
diagnosis-its-issuer = its issuer
diagnosis-cert-missing-intermediate = The server on { $endpoints } does not send its intermediate certificate ({ $issuer }), so many mail clients (phones, Outlook) refuse the certificate
diagnosis-cert-wrong-name-cn-only = The certificate on { $endpoints } names { $name } only in its Common Name, without a subjectAltName, so modern mail clients refuse it
diagnosis-cert-wrong-name = The certificate on { $endpoints } is for { $names }, not for { $name }, so mail clients refuse it
diagnosis-cert-wrong-name-no-name = The certificate on { $endpoints } is for no name at all, not for { $name }, so mail clients refuse it
diagnosis-cert-wrong-name-client = Type { $name } as the incoming server name (the certificate is for that name), if it reaches the same server; otherwise the fix is on the server.
diagnosis-stls-missing-blocks = Port { $endpoints } does not offer STLS and no port gives working TLS, so passwords and mail cross the network unencrypted
diagnosis-stls-missing = Port { $endpoints } does not offer STLS, so clients set up for that port send the password unencrypted
diagnosis-stls-injection = The server on { $endpoints } is vulnerable to STARTTLS command injection: an attacker on the path can inject commands into the encrypted session
diagnosis-stls-injection-client = Prefer implicit TLS: { $setting }.
diagnosis-auth-cleartext-login = The login on { $endpoints } worked, but the password crossed a connection that is not trusted TLS
diagnosis-auth-cleartext = The server on { $endpoints } accepts passwords before TLS, so a client that skips STARTTLS sends them unencrypted
diagnosis-auth-cleartext-client = Make sure the client uses TLS: { $setting }; never connection security "none".
diagnosis-server-said = {" "}(the server said: -ERR { $text })
diagnosis-auth-rejected = The server refused the user name or password{ $said }
diagnosis-auth-locked = The mailbox is locked by another session{ $said }
diagnosis-auth-login-delay = The server allows logins only so often and the last one was too recent{ $said }
diagnosis-auth-failed = The login did not work: { $detail }
diagnosis-dialogue-failed = A command after the login failed: { $detail }
diagnosis-cert-expiring = The certificate on { $endpoints } expires in { $days } days ({ $date }); mail clients will refuse it then
diagnosis-server-slow-summary = The server on { $endpoints } is slow to greet ({ $detail }); mail clients with short timeouts give up
diagnosis-capa-problem = The CAPA answer on { $endpoints } is faulty: { $detail }
diagnosis-address-partial = One address of the server fails ({ $endpoints }) while another works, so clients that pick it fail or wait
diagnosis-run-incomplete = The run did not finish: { $detail }

## Server fixes that end with installing the certificate ($install).

diagnosis-server-weak-key = Issue a new certificate with an RSA 2048+ or EC P-256 key and install it. { $install }
diagnosis-server-cert-expired = Renew the certificate (and check that automatic renewal, e.g. certbot, runs and reloads the POP3 service). { $install }
diagnosis-server-public-cert = Install a certificate from a public CA (e.g. Let's Encrypt) with its intermediate certificates. { $install }
diagnosis-server-missing-intermediate = Send the intermediate certificate too: configure the full chain file, not the certificate alone. { $install }
diagnosis-server-wrong-name = Install a certificate that also lists the name users type (or tell users the name the certificate is for). { $install }

## Mail client settings, in the clients' own words (Thunderbird, Outlook).

diagnosis-setting = incoming server { $host }, port { $port }, connection security { $security }, authentication { $auth }
diagnosis-setting-with-user = incoming server { $host }, port { $port }, connection security { $security }, authentication { $auth }, user name { $user }
diagnosis-security-ssl-tls = SSL/TLS
diagnosis-security-starttls = STARTTLS
diagnosis-security-none = no encryption
diagnosis-auth-normal-password = normal password
diagnosis-auth-encrypted-password = encrypted password
diagnosis-note-same-address = The certificate is not valid for { $name }, but for { $other }, which resolves to the same address: use { $other }.
diagnosis-note-unconfirmed = The certificate is not valid for { $name }, but for { $other }: use { $other } if it reaches the same server (popscope could not confirm that it resolves to the same address).

## What identified the server software.

diagnosis-evidence-implementation = CAPA IMPLEMENTATION
diagnosis-evidence-greeting = greeting
diagnosis-evidence-popa3d = behaviour: bare +OK greeting and no CAPA
diagnosis-evidence-dovecot = behaviour: CAPA lists CAPA and AUTH-RESP-CODE
diagnosis-evidence-gmail = behaviour: CAPA lists X-GOOGLE-RICO
diagnosis-evidence-zimbra = behaviour: CAPA lists XOIP
diagnosis-evidence-hmailserver = behaviour: +OK POP3 greeting with CAPA USER, UIDL, TOP
