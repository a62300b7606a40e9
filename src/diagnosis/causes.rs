//! Checks -> root causes, ordered by how much they block the user. Each
//! failing or warning check is explained by exactly one cause; one cause
//! groups every check with the same root (one self-signed certificate on two
//! ports is one cause). The rules are listed in docs/diagnosis.md.

use std::collections::BTreeMap;

use super::settings::{auth_words, security_words};
use super::{
    Cause, CauseId, CheckRef, ClientSecurity, ClientSetting, DiagnosisContext, ServerInfo,
};
use crate::i18n::t;
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
        0 => t!("diagnosis-endpoints-none"),
        1 => shown.remove(0),
        _ => {
            let last = shown.pop().unwrap_or_default();
            t!(
                "diagnosis-endpoints-list",
                list = shown.join(", "),
                last = last
            )
        }
    }
}

/// `host H, port P, SSL/TLS, normal password`: a setting in the clients' words.
pub fn describe_setting(s: &ClientSetting) -> String {
    let security = security_words(s.security);
    let auth = auth_words(&s.auth);
    let port = s.port.to_string();
    match s.user.as_deref() {
        Some(user) => t!(
            "diagnosis-setting-with-user",
            host = &s.host,
            port = port,
            security = security,
            auth = auth,
            user = user
        ),
        None => t!(
            "diagnosis-setting",
            host = &s.host,
            port = port,
            security = security,
            auth = auth
        ),
    }
}

fn use_working(cx: &Ctx) -> String {
    match cx.settings.first() {
        Some(s) => t!(
            "diagnosis-client-use-working",
            setting = describe_setting(s)
        ),
        None => t!("diagnosis-client-no-setting"),
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
            t!("diagnosis-dns-no-such-host", host = cx.host()),
            t!("diagnosis-client-check-server-spelling"),
        ),
        CauseId::DnsFailure => (
            t!(
                "diagnosis-dns-failure",
                host = cx.host(),
                reason = first.summary.rsplit(": ").next().unwrap_or("")
            ),
            if cx.run.dns_server_given {
                t!("diagnosis-client-chosen-dns-failed")
            } else {
                t!("diagnosis-client-dns-try-later")
            },
        ),
        CauseId::DnsDangling => (
            t!("diagnosis-dns-dangling", detail = &first.summary),
            t!("diagnosis-client-dns-dangling"),
        ),
        CauseId::NetworkUnreachable => (
            t!("diagnosis-network-unreachable", endpoints = &ep),
            t!("diagnosis-client-check-network"),
        ),
        CauseId::NetworkFiltered => (
            if first.id == CheckId::RunDeadline && checks.len() == 1 {
                t!("diagnosis-network-filtered-deadline", host = cx.host())
            } else {
                t!("diagnosis-network-filtered", endpoints = &ep)
            },
            if cx.settings.is_empty() {
                t!("diagnosis-client-try-another-network")
            } else {
                working.clone()
            },
        ),
        CauseId::ServiceDown => (
            t!("diagnosis-service-down", endpoints = &ep),
            if cx.settings.is_empty() {
                t!("diagnosis-client-no-setting")
            } else {
                working.clone()
            },
        ),
        CauseId::PortsSwapped => {
            let sw = ports_swapped(cx.outcome).unwrap_or_default();
            let tls_port = sw.0.rsplit(':').next().unwrap_or("110").to_string();
            let plain_port = sw.1.rsplit(':').next().unwrap_or("995").to_string();
            (
                t!("diagnosis-ports-swapped", plain = &sw.0, tls = &sw.1),
                t!(
                    "diagnosis-ports-swapped-client",
                    tls_port = tls_port,
                    host = cx.host(),
                    plain_port = plain_port
                ),
            )
        }
        CauseId::TlsOnPlainPort => (
            t!("diagnosis-tls-on-plain", endpoints = &ep),
            if cx.settings.is_empty() {
                t!(
                    "diagnosis-tls-on-plain-client",
                    port = first
                        .endpoint
                        .as_deref()
                        .and_then(|e| e.rsplit(':').next())
                        .unwrap_or("110"),
                    host = cx.host()
                )
            } else {
                working.clone()
            },
        ),
        CauseId::PlainOnTlsPort => (
            t!("diagnosis-plain-on-tls", endpoints = &ep),
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
                .unwrap_or_else(|| t!("diagnosis-another-protocol"));
            (
                t!("diagnosis-not-pop3", endpoints = &ep, protocol = what),
                if cx.settings.is_empty() {
                    t!("diagnosis-client-check-server-and-port")
                } else {
                    working.clone()
                },
            )
        }
        CauseId::ServiceSilent => (
            t!("diagnosis-service-silent", endpoints = &ep),
            working.clone(),
        ),
        CauseId::ServiceBroken => (
            t!(
                "diagnosis-service-broken",
                endpoints = &ep,
                detail = &first.summary
            ),
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
                .unwrap_or_else(|| t!("diagnosis-an-old-tls-version"));
            let closed: Vec<&Check> = checks
                .iter()
                .copied()
                .filter(|c| c.id == CheckId::TcpConnect)
                .collect();
            let tls_eps: Vec<&Check> = checks
                .iter()
                .copied()
                .filter(|c| c.id != CheckId::TcpConnect)
                .collect();
            (
                if closed.is_empty() {
                    t!(
                        "diagnosis-tls-legacy-only",
                        endpoints = endpoints(&tls_eps),
                        version = v
                    )
                } else {
                    t!(
                        "diagnosis-tls-legacy-only-closed",
                        endpoints = endpoints(&tls_eps),
                        version = v,
                        closed = endpoints(&closed)
                    )
                },
                if cx.settings.is_empty() {
                    t!("diagnosis-client-no-setting-legacy-tls")
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
                    t!("diagnosis-tls-weak-key-blocks", endpoints = &ep, key = key)
                } else {
                    t!("diagnosis-tls-weak-key", endpoints = &ep, key = key)
                },
                if blocked {
                    working.clone()
                } else {
                    t!("diagnosis-client-nothing-now")
                },
            )
        }
        CauseId::TlsHandshakeFailed => (
            t!(
                "diagnosis-tls-handshake-failed",
                endpoints = &ep,
                error = handshake_error(cx, checks)
            ),
            working.clone(),
        ),
        CauseId::TlsOldVersion => (
            t!(
                "diagnosis-tls-old-version",
                endpoints = &ep,
                version = s
                    .map(|s| s.version.clone())
                    .unwrap_or_else(|| t!("diagnosis-an-old-version"))
            ),
            t!("diagnosis-client-works-for-now"),
        ),
        CauseId::CertExpired => (
            t!(
                "diagnosis-cert-expired",
                endpoints = &ep,
                date = date(s.and_then(|s| s.not_after))
            ),
            if cx.settings.is_empty() {
                t!("diagnosis-client-no-setting-expired")
            } else {
                working.clone()
            },
        ),
        CauseId::CertNotYetValid => (
            t!(
                "diagnosis-cert-not-yet-valid",
                endpoints = &ep,
                date = date(s.and_then(|s| s.not_before))
            ),
            t!("diagnosis-client-check-date"),
        ),
        CauseId::CertSelfSigned => (
            t!(
                "diagnosis-cert-self-signed",
                endpoints = &ep,
                fingerprint = &leaf_fp
            ),
            if cx.settings.is_empty() {
                t!("diagnosis-cert-self-signed-client", fingerprint = &leaf_fp)
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
                t!(
                    "diagnosis-cert-untrusted-issuer",
                    endpoints = &ep,
                    issuer = issuer
                ),
                if cx.settings.is_empty() {
                    t!(
                        "diagnosis-cert-untrusted-issuer-client",
                        fingerprint = &leaf_fp
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
                .unwrap_or_else(|| t!("diagnosis-its-issuer"));
            (
                t!(
                    "diagnosis-cert-missing-intermediate",
                    endpoints = &ep,
                    issuer = issuer
                ),
                if cx.settings.is_empty() {
                    t!("diagnosis-client-missing-intermediate")
                } else {
                    working.clone()
                },
            )
        }
        CauseId::CertWrongName => {
            let n = s.and_then(|s| s.name.as_ref());
            let name = n.map(|n| n.name.clone()).unwrap_or_else(|| cx.host());
            let names = n.map(|n| n.names.join(", ")).unwrap_or_default();
            let dns_name = n.and_then(|n| {
                n.names
                    .iter()
                    .find(|x| !x.starts_with('*') && x.parse::<std::net::IpAddr>().is_err())
                    .cloned()
            });
            let cn_only = n.is_some_and(|n| n.used_cn && n.names.contains(&name));
            (
                if cn_only {
                    t!(
                        "diagnosis-cert-wrong-name-cn-only",
                        endpoints = &ep,
                        name = &name
                    )
                } else if names.is_empty() {
                    t!(
                        "diagnosis-cert-wrong-name-no-name",
                        endpoints = &ep,
                        name = &name
                    )
                } else {
                    t!(
                        "diagnosis-cert-wrong-name",
                        endpoints = &ep,
                        names = names,
                        name = &name
                    )
                },
                match (cx.settings.first(), dns_name) {
                    (Some(_), _) => working.clone(),
                    (None, Some(d)) => t!("diagnosis-cert-wrong-name-client", name = d),
                    (None, None) => t!("diagnosis-client-no-setting"),
                },
            )
        }
        CauseId::StlsMissing => (
            if blocked {
                t!("diagnosis-stls-missing-blocks", endpoints = &ep)
            } else {
                t!("diagnosis-stls-missing", endpoints = &ep)
            },
            if cx.settings.is_empty() {
                t!("diagnosis-client-no-safe-setting")
            } else {
                working.clone()
            },
        ),
        CauseId::StlsInjection => (
            t!("diagnosis-stls-injection", endpoints = &ep),
            match cx
                .settings
                .iter()
                .find(|s| s.security == ClientSecurity::SslTls)
            {
                Some(s) => t!(
                    "diagnosis-stls-injection-client",
                    setting = describe_setting(s)
                ),
                None => t!("diagnosis-client-nothing-safer"),
            },
        ),
        CauseId::AuthCleartextExposed => (
            if first.id == CheckId::AuthLogin {
                t!("diagnosis-auth-cleartext-login", endpoints = &ep)
            } else {
                t!("diagnosis-auth-cleartext", endpoints = &ep)
            },
            match cx.settings.first() {
                Some(s) => t!(
                    "diagnosis-auth-cleartext-client",
                    setting = describe_setting(s)
                ),
                None => t!("diagnosis-client-never-none"),
            },
        ),
        CauseId::AuthRejected => (
            t!("diagnosis-auth-rejected", said = server_words(first)),
            t!("diagnosis-client-check-credentials"),
        ),
        CauseId::AuthLocked => (
            t!("diagnosis-auth-locked", said = server_words(first)),
            t!("diagnosis-client-close-other-clients"),
        ),
        CauseId::AuthLoginDelay => (
            t!("diagnosis-auth-login-delay", said = server_words(first)),
            t!("diagnosis-client-check-less-often"),
        ),
        CauseId::AuthFailed => (
            t!("diagnosis-auth-failed", detail = &first.summary),
            working.clone(),
        ),
        CauseId::DialogueFailed => (
            t!("diagnosis-dialogue-failed", detail = &first.summary),
            t!("diagnosis-client-dialogue-failed"),
        ),
        CauseId::CertExpiring => {
            let days = first
                .data
                .get("days_left")
                .and_then(|d| d.as_i64())
                .unwrap_or(0);
            (
                t!(
                    "diagnosis-cert-expiring",
                    endpoints = &ep,
                    days = days,
                    date = date(s.and_then(|s| s.not_after))
                ),
                t!("diagnosis-client-nothing-now"),
            )
        }
        CauseId::ServerSlow => (
            t!(
                "diagnosis-server-slow-summary",
                endpoints = &ep,
                detail = &first.summary
            ),
            t!("diagnosis-client-raise-timeout"),
        ),
        CauseId::CapaProblem => (
            t!(
                "diagnosis-capa-problem",
                endpoints = &ep,
                detail = &first.summary
            ),
            t!("diagnosis-client-nothing"),
        ),
        CauseId::AddressPartial => (
            t!("diagnosis-address-partial", endpoints = &ep),
            t!("diagnosis-client-address-partial"),
        ),
        CauseId::RunIncomplete => (
            t!("diagnosis-run-incomplete", detail = &first.summary),
            t!("diagnosis-client-run-longer"),
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

/// The TLS failure of a `tls.handshake` check: the probe's own words when
/// the check quotes them, else the check's summary.
fn handshake_error(cx: &Ctx, checks: &[&Check]) -> String {
    let c = checks
        .iter()
        .copied()
        .find(|c| c.id == CheckId::TlsHandshake)
        .unwrap_or(checks[0]);
    let failure = cx.leg(c).and_then(|l| match &l.tls {
        Some(Err(f)) if c.id == CheckId::TlsHandshake && c.summary.ends_with(&f.message) => {
            Some(f.message.clone())
        }
        _ => None,
    });
    failure.unwrap_or_else(|| c.summary.clone())
}

/// ` (the server said: -ERR [IN-USE] ...)` from an `auth.login` check.
fn server_words(c: &Check) -> String {
    match c.data.get("server_text").and_then(|t| t.as_str()) {
        Some(text) if !text.is_empty() => t!("diagnosis-server-said", text = text),
        _ => String::new(),
    }
}

#[cfg(test)]
#[path = "causes_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "lang_tests.rs"]
mod lang_tests;
