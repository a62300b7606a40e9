//! Checks -> root causes, ordered by how much they block the user. Each
//! failing or warning check is explained by exactly one cause; one cause
//! groups every check with the same root (one self-signed certificate on two
//! ports is one cause). The rules are listed in docs/diagnosis.md.

use std::collections::BTreeMap;

use super::text;
use super::{
    Cause, CauseId, CheckRef, ClientSecurity, ClientSetting, DiagnosisContext, ServerInfo,
};
use crate::model::{Check, CheckId, Security, Status};
use crate::probe::outcome::{
    ChainFinding, FailureKind, Greeting, LegOutcome, Legacy, Outcome, Stls, TlsSession,
};
use crate::target::Target;

/// How a check is attributed to a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// This cause.
    Direct(CauseId),
    /// The cause of the check `anchor` on the same endpoint (e.g. `tls.stls`
    /// follows `tls.handshake`), else the fallback.
    SameEndpoint(CheckId, CauseId),
    /// The cause of `auth.login`, else the fallback.
    Login(CauseId),
    /// The most blocking failing cause found directly, else the fallback.
    TopFail(CauseId),
    /// A certificate or TLS cause (same endpoint first), else the fallback.
    Certificate(CauseId),
}

/// Everything the rules look at.
struct Ctx<'a> {
    target: &'a Target,
    outcome: &'a Outcome,
    server: Option<&'a ServerInfo>,
    settings: &'a [ClientSetting],
    run: &'a DiagnosisContext,
}

impl Ctx<'_> {
    fn leg(&self, c: &Check) -> Option<&LegOutcome> {
        let ep = c.endpoint.as_deref()?;
        self.outcome.legs.iter().find(|l| l.label() == ep)
    }

    fn host(&self) -> String {
        self.outcome
            .dns
            .host
            .clone()
            .unwrap_or_else(|| self.target.host.to_string())
    }
}

/// The causes behind `checks`, top cause first.
pub(super) fn find(
    target: &Target,
    outcome: &Outcome,
    checks: &[Check],
    server: Option<&ServerInfo>,
    settings: &[ClientSetting],
    run: &DiagnosisContext,
) -> Vec<Cause> {
    let cx = Ctx {
        target,
        outcome,
        server,
        settings,
        run,
    };
    let problems: Vec<&Check> = checks.iter().filter(|c| c.status.severity() > 0).collect();
    let swapped = ports_swapped(outcome);
    let classes: Vec<Class> = problems
        .iter()
        .map(|c| classify(&cx, c, swapped.as_ref()))
        .collect();
    // Direct causes first; then the checks that follow another cause.
    let direct = |i: usize| match classes[i] {
        Class::Direct(id) => Some(id),
        _ => None,
    };
    let top_fail = (0..problems.len())
        .filter(|&i| problems[i].status == Status::Fail)
        .filter_map(direct)
        .filter(|id| *id != CauseId::Other)
        .min();
    let mut resolved: Vec<CauseId> = Vec::with_capacity(problems.len());
    for (i, c) in problems.iter().enumerate() {
        let same_ep = |anchor: CheckId| {
            (0..problems.len())
                .find(|&j| problems[j].id == anchor && problems[j].endpoint == c.endpoint)
                .and_then(direct)
        };
        let id = match classes[i] {
            Class::Direct(id) => id,
            Class::SameEndpoint(anchor, fallback) => same_ep(anchor).unwrap_or(fallback),
            // Resolved below, once the login's own cause is known.
            Class::Login(fallback) => fallback,
            Class::TopFail(fallback) => top_fail.unwrap_or(fallback),
            Class::Certificate(fallback) => {
                let is_cert = |id: &CauseId| {
                    matches!(
                        id,
                        CauseId::TlsWeakKey
                            | CauseId::TlsHandshakeFailed
                            | CauseId::TlsLegacyOnly
                            | CauseId::CertExpired
                            | CauseId::CertNotYetValid
                            | CauseId::CertSelfSigned
                            | CauseId::CertUntrustedIssuer
                            | CauseId::CertMissingIntermediate
                            | CauseId::CertWrongName
                    )
                };
                let on_ep = (0..problems.len())
                    .filter(|&j| problems[j].endpoint == c.endpoint)
                    .filter_map(direct)
                    .filter(is_cert)
                    .min();
                on_ep
                    .or_else(|| (0..problems.len()).filter_map(direct).filter(is_cert).min())
                    .unwrap_or(fallback)
            }
        };
        resolved.push(id);
    }
    // A dialogue that failed because the login could not happen shares the
    // login's cause (e.g. the certificate that stopped the login).
    let login_cause = (0..problems.len())
        .find(|&j| problems[j].id == CheckId::AuthLogin)
        .map(|j| resolved[j]);
    for (i, class) in classes.iter().enumerate() {
        if let (Class::Login(_), Some(cause)) = (class, login_cause) {
            resolved[i] = cause;
        }
    }
    // Group: one cause per id; `other` stays one per check.
    let mut groups: BTreeMap<(CauseId, usize), Vec<&Check>> = BTreeMap::new();
    for (i, c) in problems.iter().enumerate() {
        let key = if resolved[i] == CauseId::Other {
            (CauseId::Other, i)
        } else {
            (resolved[i], 0)
        };
        groups.entry(key).or_default().push(c);
    }
    let mut causes: Vec<Cause> = groups
        .into_iter()
        .map(|((id, _), cs)| build(&cx, id, &cs))
        .collect();
    causes.sort_by_key(|c| (std::cmp::Reverse(c.status.severity()), c.id));
    causes
}

/// Plain port speaking TLS (or silent) and the TLS port on the same address
/// answering in plaintext: the two ports are swapped. Returns the plain and
/// TLS legs' labels.
fn ports_swapped(outcome: &Outcome) -> Option<(String, String)> {
    for tls in &outcome.legs {
        let plaintext = tls.security == Security::ImplicitTls
            && matches!(&tls.tls, Some(Err(f)) if f.kind == FailureKind::Plaintext);
        if !plaintext {
            continue;
        }
        let plain = outcome.legs.iter().find(|l| {
            l.security == Security::Plain
                && l.addr.ip() == tls.addr.ip()
                && match &l.greeting {
                    Some((Greeting::Silent, _)) => l.tls_on_plain.is_some(),
                    Some((Greeting::Foreign { protocol, .. }, _)) => {
                        protocol.as_deref().is_some_and(|p| p.starts_with("TLS"))
                    }
                    _ => false,
                }
        });
        if let Some(p) = plain {
            return Some((p.label(), tls.label()));
        }
    }
    None
}

/// The TLS facts of a leg: the completed session, or the facts seen before
/// a failed handshake.
fn session(leg: &LegOutcome) -> Option<&TlsSession> {
    match &leg.tls {
        Some(Ok(s)) => Some(s),
        _ => leg.tls_partial.as_ref(),
    }
}

fn weak_key(s: &TlsSession) -> bool {
    match s.key_alg.as_str() {
        "RSA" => s.key_bits < 2048,
        "EC" => s.key_bits < 256,
        _ => false,
    }
}

/// A leaf that is its own issuer, served alone (a self-signed certificate
/// with CA:TRUE is reported by the verifier as an unknown issuer).
fn self_issued(s: &TlsSession) -> bool {
    s.certificates.len() == 1 && s.certificates[0].subject == s.certificates[0].issuer
}

fn classify(cx: &Ctx, c: &Check, swapped: Option<&(String, String)>) -> Class {
    use CauseId as K;
    let leg = cx.leg(c);
    if let (Some((p, t)), Some(ep)) = (swapped, c.endpoint.as_deref())
        && (ep == p || ep == t)
    {
        return Class::Direct(K::PortsSwapped);
    }
    let kind = c.data.get("error").and_then(|e| e.as_str()).unwrap_or("");
    match c.id {
        CheckId::DnsResolve => {
            let nx = ["a_error", "aaaa_error"]
                .iter()
                .any(|k| matches!(c.data.get(*k).and_then(|v| v.as_str()), Some("nxdomain")));
            let nodata = ["a_error", "aaaa_error"].iter().all(|k| {
                matches!(
                    c.data.get(*k).and_then(|v| v.as_str()),
                    Some("nodata") | None
                )
            });
            if nx || nodata {
                Class::Direct(K::DnsNoSuchHost)
            } else {
                Class::Direct(K::DnsFailure)
            }
        }
        CheckId::DnsMx | CheckId::DnsSrv => Class::Direct(K::DnsDangling),
        CheckId::TcpConnect => {
            if c.status == Status::Warn && !leg.is_some_and(|l| l.two_port) {
                return Class::Direct(K::AddressPartial);
            }
            match kind {
                "timeout" => Class::Direct(K::NetworkFiltered),
                "unreachable" => Class::Direct(K::NetworkUnreachable),
                "refused" => {
                    let any_connected = cx.outcome.legs.iter().any(|l| l.connected());
                    if any_connected {
                        // Another port answered: what is wrong there is the cause.
                        Class::TopFail(K::ServiceDown)
                    } else {
                        Class::Direct(K::ServiceDown)
                    }
                }
                _ if c.endpoint.is_none() => Class::TopFail(K::ServiceDown),
                _ => Class::Direct(K::NetworkUnreachable),
            }
        }
        CheckId::Pop3Greeting => match leg.and_then(|l| l.greeting.as_ref()).map(|g| &g.0) {
            Some(Greeting::Ok { .. }) => Class::Direct(K::ServerSlow),
            Some(Greeting::Silent) if leg.is_some_and(|l| l.tls_on_plain.is_some()) => {
                Class::Direct(K::TlsOnPlainPort)
            }
            Some(Greeting::Silent) => Class::Direct(K::ServiceSilent),
            Some(Greeting::Foreign { protocol, .. })
                if protocol.as_deref().is_some_and(|p| p.starts_with("TLS")) =>
            {
                Class::Direct(K::TlsOnPlainPort)
            }
            Some(Greeting::Foreign { .. }) => Class::Direct(K::ServiceNotPop3),
            _ if c.status == Status::Warn => Class::Direct(K::ServerSlow),
            _ => Class::Direct(K::ServiceBroken),
        },
        CheckId::Pop3Capa => {
            if c.status == Status::Fail {
                Class::Direct(K::ServiceBroken)
            } else {
                Class::Direct(K::CapaProblem)
            }
        }
        CheckId::AuthCleartext => Class::Direct(K::AuthCleartextExposed),
        CheckId::TlsStls => match leg.and_then(|l| l.stls.as_ref()).map(|s| &s.0) {
            Some(Stls::Accepted { leftover }) if *leftover > 0 => Class::Direct(K::StlsInjection),
            Some(Stls::Accepted { .. }) => {
                Class::SameEndpoint(CheckId::TlsHandshake, K::TlsHandshakeFailed)
            }
            Some(Stls::Broken(_)) => Class::Direct(K::ServiceBroken),
            _ => Class::Direct(K::StlsMissing),
        },
        CheckId::TlsStlsInjection => Class::Direct(K::StlsInjection),
        CheckId::TlsHandshake => {
            let Some(l) = leg else {
                return Class::Direct(K::TlsHandshakeFailed);
            };
            if matches!(l.legacy, Some(Legacy::Offers(_))) {
                Class::Direct(K::TlsLegacyOnly)
            } else if l.tls_partial.as_ref().is_some_and(weak_key) {
                Class::Direct(K::TlsWeakKey)
            } else if kind == "plaintext" {
                Class::Direct(K::PlainOnTlsPort)
            } else {
                Class::Direct(K::TlsHandshakeFailed)
            }
        }
        CheckId::TlsProtocol => {
            if leg.is_some_and(|l| matches!(l.legacy, Some(Legacy::Offers(_)))) {
                Class::Direct(K::TlsLegacyOnly)
            } else if leg.is_some_and(|l| matches!(l.tls, Some(Ok(_)))) {
                Class::Direct(K::TlsOldVersion)
            } else {
                Class::SameEndpoint(CheckId::TlsHandshake, K::TlsHandshakeFailed)
            }
        }
        CheckId::TlsChain => match leg.and_then(session).map(|s| (&s.chain, s)) {
            Some((ChainFinding::SelfSigned, _)) => Class::Direct(K::CertSelfSigned),
            Some((ChainFinding::UnknownIssuer { .. }, s)) if self_issued(s) => {
                Class::Direct(K::CertSelfSigned)
            }
            Some((ChainFinding::MissingIntermediate { .. }, _)) => {
                Class::Direct(K::CertMissingIntermediate)
            }
            _ => Class::Direct(K::CertUntrustedIssuer),
        },
        CheckId::TlsHostname => Class::Direct(K::CertWrongName),
        CheckId::TlsExpiry => {
            let days_left = c
                .data
                .get("days_left")
                .and_then(|d| d.as_i64())
                .unwrap_or(0);
            if c.status == Status::Warn {
                Class::Direct(K::CertExpiring)
            } else if days_left < 0 {
                Class::Direct(K::CertExpired)
            } else {
                Class::Direct(K::CertNotYetValid)
            }
        }
        CheckId::TlsKey => Class::Direct(K::TlsWeakKey),
        CheckId::AuthLogin => login_class(c),
        CheckId::Pop3Dialogue | CheckId::Pop3Step(_) => Class::Login(K::DialogueFailed),
        CheckId::RunDeadline => {
            let nothing_connected = !cx.outcome.legs.iter().any(|l| l.connected());
            let pending_or_dropped = cx.outcome.legs.iter().any(|l| {
                l.connect.is_none()
                    || matches!(&l.connect, Some(Err(f)) if f.kind == FailureKind::Timeout)
            });
            if nothing_connected && pending_or_dropped && !cx.outcome.legs.is_empty() {
                Class::Direct(K::NetworkFiltered)
            } else {
                Class::TopFail(K::RunIncomplete)
            }
        }
        CheckId::RunInterrupted => Class::Direct(K::RunIncomplete),
    }
}

fn login_class(c: &Check) -> Class {
    use CauseId as K;
    let refusal = c
        .data
        .get("refusal")
        .and_then(|r| r.get("reason"))
        .and_then(|r| r.as_str());
    if c.status == Status::Warn {
        // Logged in, but over an untrusted or unencrypted connection.
        return if c.data.get("tls").and_then(|t| t.as_bool()) == Some(true) {
            Class::Certificate(K::AuthCleartextExposed)
        } else {
            Class::Direct(K::AuthCleartextExposed)
        };
    }
    match refusal {
        Some("untrusted-certificate") => return Class::Certificate(K::AuthFailed),
        Some("cleartext") => return Class::TopFail(K::StlsMissing),
        Some(_) => return Class::Direct(K::AuthFailed),
        None => {}
    }
    if c.data.get("sent") == Some(&serde_json::Value::Bool(false)) {
        // No endpoint was usable: what broke the endpoints is the cause.
        return Class::TopFail(K::AuthFailed);
    }
    match c.data.get("code").and_then(|v| v.as_str()) {
        Some("IN-USE") => Class::Direct(K::AuthLocked),
        Some("LOGIN-DELAY") => Class::Direct(K::AuthLoginDelay),
        Some("SYS/TEMP") | Some("SYS/PERM") => Class::Direct(K::AuthFailed),
        _ if c.data.get("server_text").is_some() => Class::Direct(K::AuthRejected),
        _ => Class::Direct(K::AuthFailed),
    }
}

/// `ab12…` -> `AB:12:…`, the form mail clients show fingerprints in.
pub fn fingerprint(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8_lossy(p).to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// `127.0.0.1:995 and :110`: the endpoints of `checks`, each once.
fn endpoints(checks: &[&Check]) -> String {
    let mut eps: Vec<&str> = Vec::new();
    for c in checks {
        if let Some(e) = c.endpoint.as_deref()
            && !eps.contains(&e)
        {
            eps.push(e);
        }
    }
    // Implicit-TLS ports read first when they are the usual 995.
    let mut shown: Vec<String> = Vec::new();
    let mut first_ip: Option<&str> = None;
    for e in &eps {
        let (ip, port) = e.rsplit_once(':').unwrap_or((e, ""));
        match first_ip {
            Some(f) if f == ip => shown.push(format!(":{port}")),
            _ => {
                first_ip.get_or_insert(ip);
                shown.push((*e).to_string());
            }
        }
    }
    match shown.len() {
        0 => "the server".into(),
        1 => shown.remove(0),
        _ => {
            let last = shown.pop().unwrap_or_default();
            format!("{} and {last}", shown.join(", "))
        }
    }
}

/// `host H, port P, SSL/TLS, normal password`: a setting in the clients' words.
pub fn describe_setting(s: &ClientSetting) -> String {
    let sec = match s.security {
        ClientSecurity::SslTls => "SSL/TLS",
        ClientSecurity::Starttls => "STARTTLS",
        ClientSecurity::None => "no encryption",
    };
    let user = s
        .user
        .as_deref()
        .map(|u| format!(", user name {u}"))
        .unwrap_or_default();
    format!(
        "incoming server {}, port {}, connection security {sec}, authentication {}{user}",
        s.host, s.port, s.auth
    )
}

const NO_CLIENT_FIX: &str = text::CLIENT_NO_SETTING;

fn use_working(cx: &Ctx) -> String {
    match cx.settings.first() {
        Some(s) => format!("Use the settings that work now: {}.", describe_setting(s)),
        None => NO_CLIENT_FIX.into(),
    }
}

fn first_session<'a>(cx: &'a Ctx, checks: &[&Check]) -> Option<&'a TlsSession> {
    checks.iter().filter_map(|c| cx.leg(c)).find_map(session)
}

fn build(cx: &Ctx, id: CauseId, checks: &[&Check]) -> Cause {
    let status = if checks.iter().any(|c| c.status == Status::Fail) {
        Status::Fail
    } else {
        Status::Warn
    };
    let ep = endpoints(checks);
    let first = checks[0];
    let s = first_session(cx, checks);
    let leaf_fp = s
        .and_then(|s| s.certificates.first())
        .map(|c| fingerprint(&c.sha256))
        .unwrap_or_default();
    let date =
        |t: Option<time::OffsetDateTime>| t.map(|t| t.date().to_string()).unwrap_or_default();
    let blocked = status == Status::Fail;
    let working = use_working(cx);
    let (summary, client_fix): (String, String) = match id {
        CauseId::DnsNoSuchHost => (
            format!(
                "The server name {} does not exist in the DNS, so no mail client can find the \
                    server",
                cx.host()
            ),
            text::CLIENT_CHECK_SPELLING_INCOMING_SERVER.into(),
        ),
        CauseId::DnsFailure => (
            format!(
                "The DNS could not answer for {} ({}), so mail clients cannot find the server",
                cx.host(),
                first.summary.rsplit(": ").next().unwrap_or("")
            ),
            if cx.run.dns_server_given {
                text::CLIENT_DNS_SERVER_YOU_CHOSE.into()
            } else {
                text::CLIENT_TRY_AGAIN_LATER_FROM.into()
            },
        ),
        CauseId::DnsDangling => (
            format!(
                "A DNS record of the domain names a host without an address ({})",
                first.summary
            ),
            text::CLIENT_NOTHING_DNS_DANGLING.into(),
        ),
        CauseId::NetworkUnreachable => (
            format!("There is no network route to {ep}"),
            text::CLIENT_CHECK_COMPUTER_S_NETWORK.into(),
        ),
        CauseId::NetworkFiltered => (
            if first.id == CheckId::RunDeadline && checks.len() == 1 {
                format!(
                    "No connection to {} was answered before the deadline: a firewall drops the \
                        packets (or the server is down)",
                    cx.host()
                )
            } else {
                format!(
                    "Connections to {ep} time out: a firewall drops them (or the server is down)"
                )
            },
            if cx.settings.is_empty() {
                text::CLIENT_TRY_FROM_ANOTHER_NETWORK.into()
            } else {
                working.clone()
            },
        ),
        CauseId::ServiceDown => (
            format!("Nothing listens on {ep}: the POP3 service is down or not on these ports"),
            if cx.settings.is_empty() {
                NO_CLIENT_FIX.into()
            } else {
                working.clone()
            },
        ),
        CauseId::PortsSwapped => {
            let sw = ports_swapped(cx.outcome).unwrap_or_default();
            let tls_port = sw.0.rsplit(':').next().unwrap_or("110").to_string();
            let plain_port = sw.1.rsplit(':').next().unwrap_or("995").to_string();
            (
                format!(
                    "The two ports are swapped: {} speaks TLS instead of plain POP3 and {} speaks \
                        plain POP3 instead of TLS",
                    sw.0, sw.1
                ),
                format!(
                    "Until the server is fixed, set the mail client to port {tls_port} with \
                        connection security SSL/TLS (pop3s://{}:{tls_port}), not port \
                        {plain_port}.",
                    cx.host()
                ),
            )
        }
        CauseId::TlsOnPlainPort => (
            format!(
                "Port {ep} speaks TLS from the first byte, not plain POP3 with STARTTLS, so mail \
                    clients set to STARTTLS (or no encryption) on that port wait and time out"
            ),
            if cx.settings.is_empty() {
                format!(
                    "Set the mail client to connection security SSL/TLS on port {} \
                        (pop3s://{}:{}).",
                    first
                        .endpoint
                        .as_deref()
                        .and_then(|e| e.rsplit(':').next())
                        .unwrap_or("110"),
                    cx.host(),
                    first
                        .endpoint
                        .as_deref()
                        .and_then(|e| e.rsplit(':').next())
                        .unwrap_or("110")
                )
            } else {
                working.clone()
            },
        ),
        CauseId::PlainOnTlsPort => (
            format!(
                "Port {ep} speaks plain POP3 instead of TLS, so clients set to SSL/TLS on that \
                    port fail"
            ),
            working.clone(),
        ),
        CauseId::ServiceNotPop3 => {
            let what = cx
                .leg(first)
                .and_then(|l| match &l.greeting {
                    Some((
                        Greeting::Foreign {
                            protocol: Some(p), ..
                        },
                        _,
                    )) => Some(p.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "another protocol".into());
            (
                format!(
                    "Port {ep} answers with {what}, not POP3: this is not the mail server's POP3 \
                        service"
                ),
                if cx.settings.is_empty() {
                    text::CLIENT_CHECK_INCOMING_SERVER_NAME.into()
                } else {
                    working.clone()
                },
            )
        }
        CauseId::ServiceSilent => (
            format!(
                "The server on {ep} accepts connections but never sends a POP3 greeting (the port \
                    may expect TLS, or the service hangs), so mail clients wait and time out"
            ),
            working.clone(),
        ),
        CauseId::ServiceBroken => (
            format!("The POP3 exchange on {ep} breaks: {}", first.summary),
            working.clone(),
        ),
        CauseId::TlsLegacyOnly => {
            let v = checks
                .iter()
                .filter_map(|c| cx.leg(c))
                .find_map(|l| match &l.legacy {
                    Some(Legacy::Offers(v)) => Some(v.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "an old TLS version".into());
            let closed: Vec<&&Check> = checks
                .iter()
                .filter(|c| c.id == CheckId::TcpConnect)
                .collect();
            let tail = if closed.is_empty() {
                String::new()
            } else {
                let owned: Vec<&Check> = closed.iter().map(|c| **c).collect();
                format!(", and nothing listens on {}", endpoints(&owned))
            };
            let tls_eps: Vec<&Check> = checks
                .iter()
                .copied()
                .filter(|c| c.id != CheckId::TcpConnect)
                .collect();
            (
                format!(
                    "The server on {} speaks only {v}, which modern mail clients refuse (RFC \
                        8996){tail}",
                    endpoints(&tls_eps)
                ),
                if cx.settings.is_empty() {
                    text::CLIENT_NO_SETTING_LEGACY_TLS.into()
                } else {
                    working.clone()
                },
            )
        }
        CauseId::TlsWeakKey => {
            let key = s
                .map(|s| format!("{} {}", s.key_alg, s.key_bits))
                .unwrap_or_default();
            (
                if blocked {
                    format!(
                        "The certificate on {ep} has a weak {key}-bit key, which modern mail \
                            clients refuse, so the TLS handshake fails"
                    )
                } else {
                    format!(
                        "The certificate on {ep} has a weak {key}-bit key that attackers may break"
                    )
                },
                if blocked {
                    working.clone()
                } else {
                    "Nothing to change in the mail client now.".into()
                },
            )
        }
        CauseId::TlsHandshakeFailed => (
            format!(
                "The TLS handshake with {ep} fails: {}",
                checks
                    .iter()
                    .find(|c| c.id == CheckId::TlsHandshake)
                    .unwrap_or(&first)
                    .summary
                    .trim_start_matches("TLS handshake failed: ")
            ),
            working.clone(),
        ),
        CauseId::TlsOldVersion => (
            format!(
                "The server on {ep} negotiates only {}, an old TLS version that mail clients are \
                    dropping",
                s.map(|s| s.version.as_str()).unwrap_or("an old version")
            ),
            text::CLIENT_WORKS_NOW_NOTHING_CHANGE.into(),
        ),
        CauseId::CertExpired => (
            format!(
                "The certificate on {ep} expired on {}, so mail clients refuse it",
                date(s.and_then(|s| s.not_after))
            ),
            if cx.settings.is_empty() {
                text::CLIENT_NO_SETTING_EXPIRED.into()
            } else {
                working.clone()
            },
        ),
        CauseId::CertNotYetValid => (
            format!(
                "The certificate on {ep} is not valid before {}: a wrong clock or a wrong \
                    certificate",
                date(s.and_then(|s| s.not_before))
            ),
            text::CLIENT_CHECK_COMPUTER_S_DATE.into(),
        ),
        CauseId::CertSelfSigned => (
            format!(
                "The certificate on {ep} is self-signed (SHA-256 {leaf_fp}), so mail clients \
                    refuse it"
            ),
            if cx.settings.is_empty() {
                format!(
                    "Ask the administrator to read the certificate's SHA-256 fingerprint on the \
                        server; if it matches {leaf_fp}, accept a one-time exception in the mail \
                        client. Otherwise no mail client setting can help: the fix is on the \
                        server."
                )
            } else {
                working.clone()
            },
        ),
        CauseId::CertUntrustedIssuer => {
            let issuer = s
                .map(|s| match &s.chain {
                    ChainFinding::UnknownIssuer { issuer } => issuer.clone(),
                    _ => s
                        .certificates
                        .first()
                        .map(|c| c.issuer.clone())
                        .unwrap_or_default(),
                })
                .unwrap_or_default();
            (
                format!(
                    "The certificate on {ep} comes from a CA mail clients do not trust \
                        ({issuer}), so they refuse it"
                ),
                if cx.settings.is_empty() {
                    format!(
                        "If the organisation runs its own CA, install its CA certificate on the \
                            computer; or compare the SHA-256 fingerprint {leaf_fp} with the \
                            administrator and accept a one-time exception."
                    )
                } else {
                    working.clone()
                },
            )
        }
        CauseId::CertMissingIntermediate => {
            let issuer = s
                .and_then(|s| match &s.chain {
                    ChainFinding::MissingIntermediate { issuer } => Some(issuer.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "its issuer".into());
            (
                format!(
                    "The server on {ep} does not send its intermediate certificate ({issuer}), so \
                        many mail clients (phones, Outlook) refuse the certificate"
                ),
                if cx.settings.is_empty() {
                    text::CLIENT_SOME_CLIENTS_DESKTOP_THUNDERBIRD.into()
                } else {
                    working.clone()
                },
            )
        }
        CauseId::CertWrongName => {
            let n = s.and_then(|s| s.name.as_ref());
            let name = n.map(|n| n.name.clone()).unwrap_or_else(|| cx.host());
            let names = n
                .map(|n| n.names.join(", "))
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "no name at all".into());
            let dns_name = n.and_then(|n| {
                n.names
                    .iter()
                    .find(|x| !x.starts_with('*') && x.parse::<std::net::IpAddr>().is_err())
                    .cloned()
            });
            let cn_only = n.is_some_and(|n| n.used_cn && n.names.contains(&name));
            (
                if cn_only {
                    format!(
                        "The certificate on {ep} names {name} only in its Common Name, without \
                            a subjectAltName, so modern mail clients refuse it"
                    )
                } else {
                    format!(
                        "The certificate on {ep} is for {names}, not for {name}, so mail \
                            clients refuse it"
                    )
                },
                match (cx.settings.first(), dns_name) {
                    (Some(_), _) => working.clone(),
                    (None, Some(d)) => format!(
                        "Type {d} as the incoming server name (the certificate is for that name), \
                            if it reaches the same server; otherwise the fix is on the server."
                    ),
                    (None, None) => NO_CLIENT_FIX.into(),
                },
            )
        }
        CauseId::StlsMissing => (
            if blocked {
                format!(
                    "Port {ep} does not offer STLS and no port gives working TLS, so passwords \
                        and mail cross the network unencrypted"
                )
            } else {
                format!(
                    "Port {ep} does not offer STLS, so clients set up for that port send the \
                        password unencrypted"
                )
            },
            if cx.settings.is_empty() {
                text::CLIENT_NO_SAFE_MAIL_CLIENT.into()
            } else {
                working.clone()
            },
        ),
        CauseId::StlsInjection => (
            format!(
                "The server on {ep} is vulnerable to STARTTLS command injection: an attacker on \
                    the path can inject commands into the encrypted session"
            ),
            match cx
                .settings
                .iter()
                .find(|s| s.security == ClientSecurity::SslTls)
            {
                Some(s) => format!("Prefer implicit TLS: {}.", describe_setting(s)),
                None => text::CLIENT_NOTHING_SAFER_SET_MAIL.into(),
            },
        ),
        CauseId::AuthCleartextExposed => (
            if first.id == CheckId::AuthLogin {
                format!(
                    "The login on {ep} worked, but the password crossed a connection that is not \
                        trusted TLS"
                )
            } else {
                format!(
                    "The server on {ep} accepts passwords before TLS, so a client that skips \
                        STARTTLS sends them unencrypted"
                )
            },
            match cx.settings.first() {
                Some(s) => format!(
                    "Make sure the client uses TLS: {}; never connection security \"none\".",
                    describe_setting(s)
                ),
                None => text::CLIENT_NEVER_SET_CLIENT_S.into(),
            },
        ),
        CauseId::AuthRejected => (
            format!(
                "The server refused the user name or password{}",
                server_words(first)
            ),
            text::CLIENT_CHECK_USER_NAME_OFTEN.into(),
        ),
        CauseId::AuthLocked => (
            format!(
                "The mailbox is locked by another session{}",
                server_words(first)
            ),
            text::CLIENT_CLOSE_OTHER_MAIL_CLIENTS.into(),
        ),
        CauseId::AuthLoginDelay => (
            format!(
                "The server allows logins only so often and the last one was too recent{}",
                server_words(first)
            ),
            text::CLIENT_SET_MAIL_CLIENT_CHECK.into(),
        ),
        CauseId::AuthFailed => (
            format!("The login did not work: {}", first.summary),
            working.clone(),
        ),
        CauseId::DialogueFailed => (
            format!("A command after the login failed: {}", first.summary),
            text::CLIENT_NOTHING_DIALOGUE.into(),
        ),
        CauseId::CertExpiring => {
            let days = first
                .data
                .get("days_left")
                .and_then(|d| d.as_i64())
                .unwrap_or(0);
            (
                format!(
                    "The certificate on {ep} expires in {days} days ({}); mail clients will \
                        refuse it then",
                    date(s.and_then(|s| s.not_after))
                ),
                "Nothing to change in the mail client now.".into(),
            )
        }
        CauseId::ServerSlow => (
            format!(
                "The server on {ep} is slow to greet ({}); mail clients with short timeouts give \
                    up",
                first.summary
            ),
            text::CLIENT_RAISE_MAIL_CLIENT_S.into(),
        ),
        CauseId::CapaProblem => (
            format!("The CAPA answer on {ep} is faulty: {}", first.summary),
            "Nothing to change in the mail client.".into(),
        ),
        CauseId::AddressPartial => (
            format!(
                "One address of the server fails ({ep}) while another works, so clients that pick \
                    it fail or wait"
            ),
            text::CLIENT_NOTHING_ADDRESS_PARTIAL.into(),
        ),
        CauseId::RunIncomplete => (
            format!("The run did not finish: {}", first.summary),
            text::CLIENT_RUN_POPSCOPE_AGAIN_LONGER.into(),
        ),
        CauseId::Other => (first.summary.clone(), String::new()),
    };
    Cause {
        id,
        status,
        summary,
        explains: checks.iter().map(|c| CheckRef::to(c)).collect(),
        client_fix,
        server_fix: super::fixes::server_fix(id, cx.server, &first.remedy),
    }
}

/// ` (the server said: -ERR [IN-USE] ...)` from an `auth.login` check.
fn server_words(c: &Check) -> String {
    match c.data.get("server_text").and_then(|t| t.as_str()) {
        Some(text) if !text.is_empty() => format!(" (the server said: -ERR {text})"),
        _ => String::new(),
    }
}

#[cfg(test)]
#[path = "causes_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "lang_tests.rs"]
mod lang_tests;
