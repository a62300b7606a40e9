//! The fixed sentences of the checks (remedies, details, summaries), one
//! named constant each, so the rules in `mod.rs` stay short enough for
//! rustfmt. Long sentences continue with `\` (the next line's indentation
//! is not part of the text).

pub(super) const TEXT_ANOTHER_ADDRESS_SERVER_WORKS: &str = "\
    Another address of this server works, but this one does not: clients that pick it (IPv6 is \
    usually tried first) fail or wait before falling back.";

pub(super) const SUMMARY_RUN_HIT_DEADLINE_BEFORE: &str = "\
    the run hit its --deadline before every probe finished";

pub(super) const DETAIL_PROBES_STILL_RUNNING_DEADLINE: &str = "\
    Probes still running at the deadline were stopped; their results are missing or partial.";

pub(super) const REMEDY_RAISE_DEADLINE_LOWER_TIMEOUT: &str = "\
    Raise --deadline, or lower --timeout so each step gives up sooner.";

pub(super) const SUMMARY_INTERRUPTED_CTRL_C_RESULTS: &str = "\
    interrupted (Ctrl-C): the results are partial";

pub(super) const REMEDY_GIVEN_DNS_REFUSED: &str = "\
    The DNS server given with --dns-server refused the query: check that it serves this domain \
    (or resolves names for this client), or ask the domain's DNS administrator.";

pub(super) const REMEDY_GIVEN_DNS_TIMEOUT: &str = "\
    The DNS server given with --dns-server did not answer in time: check its address and port, \
    and that it is running and reachable from here.";

pub(super) const REMEDY_GIVEN_DNS_FAILED: &str = "\
    The DNS server given with --dns-server failed to answer: check that it serves this domain, \
    or ask the domain's DNS administrator.";

pub(super) const REMEDY_NAME_DOES_NOT_EXIST: &str = "\
    The name does not exist: check its spelling, or ask the mail provider for the correct POP3 \
    server name.";

pub(super) const REMEDY_NAME_EXISTS_BUT_HAS: &str = "\
    The name exists but has no address: the DNS administrator must add an A (IPv4) and/or AAAA \
    (IPv6) record.";

pub(super) const REMEDY_DNS_SERVER_FAILED_ANSWER: &str = "\
    The DNS server failed to answer (often a DNSSEC or delegation problem at the domain's DNS \
    host): try again later or report it to the domain's DNS administrator.";

pub(super) const REMEDY_NO_DNS_ANSWER_TIME: &str = "\
    No DNS answer in time: check the network or the resolver (try --dns-server 9.9.9.9 to \
    compare).";

pub(super) const REMEDY_DNS_SERVER_REFUSED_QUERY: &str = "\
    The DNS server refused the query: use another resolver (--dns-server).";

pub(super) const REMEDY_CHECK_RESOLVER_CONFIGURATION_ETC: &str = "\
    Check the resolver configuration (/etc/resolv.conf) or try another with --dns-server.";

pub(super) const SUMMARY_TARGET_IP_ADDRESS_NOTHING: &str = "\
    the target is an IP address: nothing to resolve";

pub(super) const TEXT_CONVENTIONAL_POP3_HOST_NAME: &str =
    " (the conventional POP3 host name for the domain)";

pub(super) const REMEDY_DROP_4_6_CHECK: &str = "\
    Drop -4/-6, or check from a network that has the other IP family.";

pub(super) const DETAIL_MX_ERROR: &str = "\
    MX records route incoming mail (SMTP); POP3 does not need them, but a domain that receives \
    mail usually has them.";

pub(super) const DETAIL_MX_NONE: &str = "\
    MX records route incoming mail (SMTP); POP3 does not need them.";

pub(super) const REMEDY_MX_DANGLING: &str = "\
    Ask the domain's DNS administrator to fix or remove the MX records whose host has no \
    address.";

pub(super) const REMEDY_SRV_DANGLING: &str = "\
    Ask the domain's DNS administrator to point the SRV record at a host that has an address, \
    or remove it.";

pub(super) const DETAIL_SRV_RECORD_TARGET_SAYS: &str = "\
    An SRV record with target \".\" says the service is decidedly not offered at this domain \
    (RFC 2782); popscope guessed the host name instead.";

pub(super) const SUMMARY_NO_RFC_6186_SRV: &str = "\
    no RFC 6186 SRV records (_pop3s._tcp, _pop3._tcp)";

pub(super) const DETAIL_MAIL_CLIENTS_AUTO_CONFIGURE: &str = "\
    Mail clients that auto-configure from SRV records will fall back to guessing the server \
    name. Not an error.";

pub(super) const REMEDY_NOTHING_LISTENS_PORT_CHECK: &str = "\
    Nothing listens on this port: check the port number, and that the POP3 service is running \
    and enabled for it.";

pub(super) const REMEDY_PACKETS_ARE_DROPPED_FIREWALL: &str = "\
    Packets are dropped (a firewall filters this port, or the host is down): check firewalls \
    on both sides; some networks block POP3 ports.";

pub(super) const REMEDY_NETWORK_HAS_NO_ROUTE: &str = "\
    The network has no route to this address: check the client's network connection (and IPv6 \
    connectivity for an IPv6 address).";

pub(super) const REMEDY_CHECK_ADDRESS_PORT_NETWORK: &str = "\
    Check the address, the port and the network path.";

pub(super) const DETAIL_ANOTHER_PORT_SERVER_GIVES: &str = "\
    Another port of this server gives working TLS POP3, so this is common and fine (many \
    providers only open port 995).";

pub(super) const DETAIL_ANOTHER_PORT_WORKS_TLS: &str = "\
    Another port works with TLS, but this one is silently filtered: clients configured for \
    this port will hang until they time out.";

pub(super) const REMEDY_CHECK_SERVER_S_LOAD: &str = "\
    Check the server's load and its reverse-DNS/ident lookups on connect (e.g. disable them or \
    fix the resolver the server uses).";

pub(super) const DETAIL_ERR_GREETING_MEANS_SERVER: &str = "\
    A -ERR greeting means the server refuses service to this client (overload, maintenance, or \
    an access rule).";

pub(super) const REMEDY_READ_SERVER_S_WORDS: &str = "\
    Read the server's words above; check the server's access rules and logs.";

pub(super) const DETAIL_SILENT_PLAIN: &str = "\
    A POP3 server speaks first. Silence on a plain port often means the port expects TLS (try \
    pop3s:// or port 995), or a firewall/proxy is in the way.";

pub(super) const DETAIL_SILENT_TLS: &str = "\
    A POP3 server speaks first. Silence means the service is hung or a proxy is in the way.";

pub(super) const REMEDY_CHECK_POP3_SERVICE_HEALTHY: &str = "\
    Check that the POP3 service is healthy (its logs, its process count limits), and that the \
    port expects plain POP3.";

pub(super) const SUMMARY_SERVER_CLOSED_CONNECTION_WITHOUT: &str = "\
    the server closed the connection without a greeting";

pub(super) const DETAIL_SERVICE_ACCEPTED_CLOSED_ONCE: &str = "\
    The service accepted and closed at once: typically a connection limit, a TCP \
    wrapper/access rule, or a crashing service.";

pub(super) const REMEDY_LOGS_ACCESS_RULES: &str = "\
    Check the server's logs and access rules (hosts.allow, connection limits per IP).";

pub(super) const SUMMARY_SERVER_BEGAN_POP3_GREETING: &str = "\
    The server began a POP3 greeting but never finished its line: check the server's logs, and \
    any proxy or filter between client and server that may hold data back.";

pub(super) const REMEDY_LOGS_BROKE_BEFORE_GREETING: &str = "\
    Check the server's logs; the connection broke before a greeting.";

pub(super) const REMEDY_ANOTHER_SERVICE_SMTP_MAIL: &str = "\
    another service (an SMTP mail server, for sending mail), not POP3";

pub(super) const REMEDY_ANOTHER_SERVICE_IMAP_DIFFERENT: &str = "\
    another service (IMAP, a different mailbox protocol), not POP3";

pub(super) const REMEDY_NO_POP3_SERVICE_ANSWERED: &str = "\
    No POP3 service answered in this run: the POP3 server must be configured and running on \
    the port clients use (usually 995 with SSL/TLS, or 110 with STARTTLS).";

pub(super) const REMEDY_SET_MAIL_CLIENT_UP: &str =
    " Or set the mail client up for IMAP on this port.";

pub(super) const TEXT_CAPA_LIST_LONG_UNUSUAL: &str = "\
    A CAPA list this long is unusual and some clients fail on it: check what the server lists \
    (e.g. its SASL mechanisms) and report it to the server's vendor.";

pub(super) const TEXT_REPORT_OVER_LONG_CAPA: &str = "\
    Report the over-long CAPA lines to the server's vendor; some clients reject them.";

pub(super) const TEXT_STLS_STILL_LISTED_INSIDE: &str = "\
    STLS is still listed inside TLS; RFC 2595 says it must disappear.";

pub(super) const TEXT_REPORT_SERVER_VENDOR_CLIENTS: &str = "\
    Report it to the server vendor; clients may try to upgrade twice.";

pub(super) const TEXT_SERVER_MUST_ANSWER_CAPA: &str = "\
    The server must answer CAPA inside TLS (RFC 2595 §4); report it to the vendor.";

pub(super) const TEXT_SERVER_S_RESPONSES_INSIDE: &str = "\
    The server's responses inside TLS are broken; check its logs.";

pub(super) const DETAIL_WITHOUT_CAPA_RFC_2449: &str = "\
    Without CAPA (RFC 2449, 1998) clients cannot discover STLS, SASL or PIPELINING and fall \
    back to guessing.";

pub(super) const REMEDY_UPGRADE_CONFIGURE_SERVER_SUPPORT: &str = "\
    Upgrade or configure the server to support CAPA.";

pub(super) const SUMMARY_CAPA_RESPONSE_WAS_LONGER: &str = "\
    The CAPA response was longer than popscope reads, so it stopped reading before the \
    response's end (a line with a single '.'); a list that long makes clients hang or fail \
    here too.";

pub(super) const TEXT_MULTI_LINE_CAPA_RESPONSE: &str = "\
    The multi-line CAPA response did not end properly (a line with a single '.'): clients will \
    hang or fail here.";

pub(super) const REMEDY_LOGS_CRASHES: &str = "\
    Check the server's logs for crashes; report it to the server vendor.";

pub(super) const TEXT_STLS_USER_SASL_WERE: &str = "\
    . STLS, USER and SASL were looked for among those names too.";

pub(super) const DETAIL_BEFORE_STLS_SERVER_DOES: &str = "\
    Before STLS the server does not offer USER or SASL PLAIN/LOGIN, so a client cannot send a \
    password unencrypted.";

pub(super) const DETAIL_CLIENT_SKIPS_STLS_TRICKED: &str = "\
    A client that skips STLS (or is tricked into skipping it) can send the password \
    unencrypted over the network. popscope did not send any password to find this out.";

pub(super) const REMEDY_DISABLE_PLAIN_TEXT_AUTHENTICATION: &str = "\
    Disable plain-text authentication before TLS (Dovecot: disable_plaintext_auth = yes / \
    auth_allow_cleartext = no) so USER and SASL PLAIN/LOGIN appear only after STLS.";

pub(super) const SUMMARY_UNKNOWN_WITHOUT_CAPA_POPSCOPE: &str = "\
    unknown: without CAPA popscope cannot tell without sending credentials (it never does)";

pub(super) const DETAIL_DATA_SENT_BEFORE_TLS: &str = "\
    Data sent before the TLS handshake can be injected by an attacker and must be discarded; \
    this server sends it.";

pub(super) const SUMMARY_STLS_OFFERED_UPGRADE_TLS: &str = "\
    STLS offered and the upgrade to TLS succeeded";

pub(super) const SUMMARY_STLS_ACCEPTED_BUT_TLS: &str = "\
    STLS accepted, but the TLS handshake failed (see tls.handshake)";

pub(super) const SUMMARY_COULD_NOT_TELL_WHETHER: &str = "\
    could not tell whether STLS is offered: the CAPA list was cut before its end";

pub(super) const DETAIL_STLS_WAS_NOT_AMONG: &str = "\
    STLS was not among the capabilities seen, but the list went on past what popscope reads, \
    so its absence proves nothing.";

pub(super) const REMEDY_SHORTEN_SERVER_S_CAPA: &str = "\
    Shorten the server's CAPA list (see pop3.capa), then check again.";

pub(super) const TEXT_STLS_NOT_OFFERED_PORT: &str = "\
    STLS not offered: this port only speaks unencrypted POP3";

pub(super) const TEXT_PORT_995_IMPLICIT_TLS: &str = "\
    Port 995 (implicit TLS) works, but clients set up for this port will send passwords and \
    mail unencrypted.";

pub(super) const TEXT_NO_WORKING_TLS_PASSWORDS: &str = "\
    No working TLS: passwords and mail cross the network unencrypted.";

pub(super) const REMEDY_ENABLE_TLS_SERVER_DOVECOT: &str = "\
    Enable TLS on the server (Dovecot: ssl = yes with a certificate), or point clients at port \
    995 (POP3S).";

pub(super) const SUMMARY_PLAINTEXT_SENT_TOGETHER_STLS: &str = "\
    plaintext sent together with STLS was not answered inside TLS";

pub(super) const DETAIL_POPSCOPE_SENT_STLS_ANOTHER: &str = "\
    popscope sent STLS and another command in one packet; the server correctly discarded the \
    second one at the upgrade.";

pub(super) const REMEDY_UPDATE_POP3_SERVER_MUST: &str = "\
    Update the POP3 server: it must discard buffered plaintext when STLS succeeds.";

pub(super) const TEXT_PORT_DOES_NOT_SPEAK: &str = "\
    This port does not speak TLS from the first byte: check which service listens here, and \
    configure implicit TLS (POP3S) on it.";

pub(super) const TEXT_SERVER_DID_NOT_FINISH: &str = "\
    The server did not finish the handshake: check for a proxy or firewall that inspects TLS, \
    and the server's TLS configuration.";

pub(super) const TEXT_NO_TLS_VERSION_COMMON: &str = "\
    No TLS version in common: the server must support TLS 1.2 or 1.3 (RFC 8996 retires \
    1.0/1.1).";

pub(super) const TEXT_NO_CIPHER_SUITE_KEY: &str = "\
    No cipher suite or key exchange in common: enable modern TLS 1.2/1.3 ciphers (ECDHE with \
    AES-GCM or ChaCha20) on the server.";

pub(super) const TEXT_CHECK_SERVER_S_TLS: &str = "\
    Check the server's TLS configuration and logs.";

pub(super) const REMEDY_NOTHING_CHANGE_SERVER_CHECK: &str = "\
    Nothing to change on the server for this: check the connection with a mail client or \
    `openssl s_client -connect HOST:PORT`.";

pub(super) const REMEDY_ENABLE_TLS_1_2: &str = "\
    Enable TLS 1.2 and 1.3 on the server (and disable 1.0/1.1).";

pub(super) const SUMMARY_SELF_SIGNED_CERTIFICATE_NO: &str = "\
    self-signed certificate: no client will trust it";

pub(super) const REMEDY_SERVER_INSTALL_CERTIFICATE_FROM: &str = "\
    On the server, install a certificate from a public CA (e.g. Let's Encrypt) together with \
    its intermediate certificate (e.g. fullchain.pem). Meanwhile, users can compare the \
    SHA-256 fingerprint with the one on the server and add a one-time exception in the mail \
    client, or pass that certificate to popscope with --ca-file.";

pub(super) const REMEDY_USE_CERTIFICATE_FROM_PUBLIC: &str = "\
    Use a certificate from a public CA, or (private CA) install the CA certificate on clients \
    (popscope: --ca-file).";

pub(super) const DETAIL_LEAF_S_ISSUER_NEITHER: &str = "\
    The leaf's issuer is neither sent by the server nor a trusted root. Most often the server \
    is configured with the leaf only; some clients patch this up, many (phones, fetchmail, \
    Outlook) fail.";

pub(super) const REMEDY_CONFIGURE_SERVER_FULL_CHAIN: &str = "\
    Configure the server with the full chain file (leaf followed by intermediates, e.g. Let's \
    Encrypt fullchain.pem). If the issuer is a private root, use --ca-file.";

pub(super) const REMEDY_CHECK_CERTIFICATE_CHAIN_INSTALLED: &str = "\
    Check the certificate chain installed on the server.";

pub(super) const TEXT_INSTALL_CERTIFICATE_LISTS_NAME: &str = "\
    Install a certificate that lists this name, or configure clients with a name the \
    certificate lists (check with --tls-name NAME).";

pub(super) const SUMMARY_NO_NAME_CHECK_GIVE: &str = "\
    no name to check: give --tls-name NAME for an IP target";

pub(super) const REMEDY_RENEW_CERTIFICATE_RELOAD_SERVER: &str = "\
    Renew the certificate and reload the server (check that automatic renewal, e.g. certbot, \
    runs and reloads the POP3 service).";

pub(super) const DETAIL_EITHER_CERTIFICATE_WAS_ISSUED: &str = "\
    Either the certificate was issued with a future start date, or a clock (server's or this \
    machine's) is wrong.";

pub(super) const REMEDY_CHECK_CLOCKS_NTP_SERVER: &str = "\
    Check the clocks (NTP) on the server and this machine; reissue the certificate if its \
    dates are wrong.";

pub(super) const REMEDY_RENEW_CERTIFICATE_SOON_CHECK: &str = "\
    Renew the certificate soon; check that automatic renewal works.";

pub(super) const DETAIL_RSA_KEYS_BELOW_2048: &str = "\
    RSA keys below 2048 bits and EC keys below 256 bits are considered breakable.";

pub(super) const REMEDY_ISSUE_NEW_CERTIFICATE_RSA: &str = "\
    Issue a new certificate with an RSA 2048+ or EC P-256+ key.";
