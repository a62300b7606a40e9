//! Outcome → checks with stable ids (see `docs/checks.md`). Pure functions:
//! no I/O, no clock except the `now` passed in. Every sentence (summary,
//! detail, remedy) comes from `src/i18n/<lang>/checks.ftl` in the language
//! in effect when the checks are built; ids, statuses and `data` never
//! change with the language.

use std::time::Duration;

use serde_json::json;
use time::OffsetDateTime;

use crate::i18n::t;
use crate::model::{Check, CheckId, Security, Status};
use crate::probe::outcome::{
    Capa, ChainFinding, DnsOutcome, DnsResult, Failure, FailureKind, Greeting, HostSource,
    Injection, LegOutcome, Legacy, Outcome, Stls,
};

/// Thresholds the rules need.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// Warn when fewer days than this remain.
    pub expiry_warn_days: u32,
    /// Warn when the greeting is slower.
    pub slow: Duration,
    /// "now" for expiry.
    pub now: OffsetDateTime,
    /// Whether the target was an email address / domain lookup.
    pub domain_lookup: bool,
    /// Whether the DNS server was given (`--dns-server`) rather than the
    /// system resolver: DNS remedies then speak of that server.
    pub dns_server_given: bool,
}

impl Rules {
    /// Rules from a run config, with the current time.
    pub fn from_config(cfg: &crate::config::RunConfig) -> Rules {
        Rules {
            expiry_warn_days: cfg.expiry_warn_days,
            slow: cfg.slow,
            now: OffsetDateTime::now_utc(),
            domain_lookup: cfg.target.is_domain_lookup(),
            dns_server_given: !cfg.dns_servers.is_empty(),
        }
    }
}

/// What the other legs of a run showed, so a leg's remedies are worded from
/// what every port did (a port that speaks TLS, the ports where POP3 works).
/// How POP3 works on a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// Implicit TLS (SSL/TLS).
    Tls,
    /// Plain port upgraded with STLS.
    Starttls,
    /// Plain POP3 without TLS.
    Unencrypted,
}

#[derive(Debug, Clone, Default)]
struct RunView {
    /// Ports where POP3 works, each with how (`995 with SSL/TLS`).
    pop3_ports: Vec<(u16, How)>,
    /// Plain ports where a TLS server answered (swapped ports).
    plain_speaks_tls: Vec<u16>,
    /// Implicit-TLS ports where plaintext POP3 answered.
    tls_speaks_plain: Vec<u16>,
}

impl RunView {
    fn of(legs: &[LegOutcome]) -> RunView {
        let mut v = RunView::default();
        for l in legs {
            let port = l.addr.port();
            let how = if l.security == Security::ImplicitTls && l.works_with_tls() {
                Some(How::Tls)
            } else if l.security != Security::ImplicitTls && l.works_with_tls() {
                Some(How::Starttls)
            } else if l.security != Security::ImplicitTls && l.greets_pop3() {
                Some(How::Unencrypted)
            } else {
                None
            };
            if let Some(how) = how
                && !v.pop3_ports.iter().any(|(p, _)| *p == port)
            {
                v.pop3_ports.push((port, how));
            }
            if l.tls_on_plain.is_some() && !v.plain_speaks_tls.contains(&port) {
                v.plain_speaks_tls.push(port);
            }
            if l.plain_on_tls_port() && !v.tls_speaks_plain.contains(&port) {
                v.tls_speaks_plain.push(port);
            }
        }
        v
    }

    /// "port 995 with SSL/TLS, port 110 with STARTTLS", or None.
    fn working(&self) -> Option<String> {
        (!self.pop3_ports.is_empty()).then(|| {
            self.pop3_ports
                .iter()
                .map(|(p, how)| match how {
                    How::Tls => t!("checks-working-port-tls", port = *p),
                    How::Starttls => t!("checks-working-port-starttls", port = *p),
                    How::Unencrypted => t!("checks-working-port-unencrypted", port = *p),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// All checks, in a stable order: target-wide first, then each endpoint.
pub fn evaluate(outcome: &Outcome, rules: &Rules) -> Vec<Check> {
    let mut out = dns_checks(&outcome.dns, rules);
    let any_tls_works = outcome.legs.iter().any(|l| l.works_with_tls());
    let view = RunView::of(&outcome.legs);
    for leg in &outcome.legs {
        let same_address = outcome
            .legs
            .iter()
            .any(|l| l.addr.ip() == leg.addr.ip() && l.works_with_tls());
        let mut checks = leg_checks(leg, rules, same_address, &view);
        if !same_address && any_tls_works {
            // This address gives no working TLS POP3, another one does.
            for c in checks
                .iter_mut()
                .filter(|c| c.id == CheckId::TcpConnect && c.status == Status::Fail)
            {
                c.status = Status::Warn;
                c.detail = t!("checks-another-address-works-detail");
            }
        }
        out.extend(checks);
    }
    if outcome.legs.is_empty() && out.iter().all(|c| c.status != Status::Fail) {
        out.push(
            Check::new(
                CheckId::TcpConnect,
                Status::Fail,
                None,
                t!("checks-no-address-summary"),
            )
            .remedy(t!("checks-no-address-remedy")),
        );
    }
    if let Some(d) = &outcome.dialogue {
        out.extend(d.checks());
    }
    if outcome.deadline_hit {
        out.push(
            Check::new(
                CheckId::RunDeadline,
                Status::Fail,
                None,
                t!("checks-run-hit-deadline-before-summary"),
            )
            .detail(t!("checks-probes-still-running-deadline-detail"))
            .remedy(t!("checks-raise-deadline-lower-timeout-remedy")),
        );
    }
    if outcome.interrupted {
        out.push(Check::new(
            CheckId::RunInterrupted,
            Status::Warn,
            None,
            t!("checks-interrupted-ctrl-c-results-summary"),
        ));
    }
    out
}

fn fmt_ips(ips: &[std::net::IpAddr]) -> String {
    ips.iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// An address list (empty on failure) and the failure's code or null: one
/// shape whatever happened (docs/checks.md).
fn addr_json(r: &DnsResult<Vec<std::net::IpAddr>>) -> (serde_json::Value, serde_json::Value) {
    match r {
        Ok(v) => (
            json!(v.iter().map(|i| i.to_string()).collect::<Vec<_>>()),
            serde_json::Value::Null,
        ),
        Err(f) => (json!([]), json!(f.kind.as_str())),
    }
}

fn dns_failure_remedy(f: &Failure, rules: &Rules) -> String {
    if rules.dns_server_given {
        // The user already chose the resolver: "try another" says nothing.
        match f.kind {
            FailureKind::Refused => {
                return t!("checks-given-dns-refused-remedy");
            }
            FailureKind::Timeout => {
                return t!("checks-given-dns-timeout-remedy");
            }
            FailureKind::NxDomain | FailureKind::NoData | FailureKind::ServFail => {}
            _ => {
                return t!("checks-given-dns-failed-remedy");
            }
        }
    }
    match f.kind {
        FailureKind::NxDomain => t!("checks-name-does-not-exist-remedy"),
        FailureKind::NoData => t!("checks-name-exists-but-has-remedy"),
        FailureKind::ServFail => t!("checks-dns-server-failed-answer-remedy"),
        FailureKind::Timeout => t!("checks-no-dns-answer-time-remedy"),
        FailureKind::Refused => t!("checks-dns-server-refused-query-remedy"),
        _ => t!("checks-check-resolver-configuration-etc-remedy"),
    }
}

/// dns.resolve, dns.mx, dns.srv.
pub fn dns_checks(dns: &DnsOutcome, rules: &Rules) -> Vec<Check> {
    let mut out = Vec::new();
    let dur = Some(dns.duration);
    match (&dns.host, &dns.source) {
        (_, Some(HostSource::Literal)) | (None, _) => {
            out.push(Check::new(
                CheckId::DnsResolve,
                Status::Skip,
                None,
                t!("checks-target-ip-address-nothing-summary"),
            ));
        }
        (Some(host), source) => {
            let a = dns.a.clone().unwrap_or(Ok(vec![]));
            let aaaa = dns.aaaa.clone().unwrap_or(Ok(vec![]));
            let mut all: Vec<std::net::IpAddr> = Vec::new();
            if let Ok(v) = &a {
                all.extend(v);
            }
            if let Ok(v) = &aaaa {
                all.extend(v);
            }
            // Addresses excluded by -4/-6 are not usable.
            all.retain(|ip| !dns.filtered_out.contains(ip));
            let why = match source {
                Some(HostSource::Srv { record }) => {
                    format!(" {}", t!("checks-dns-why-srv", record = record))
                }
                Some(HostSource::Guess { .. }) => format!(" {}", t!("checks-dns-why-guess")),
                _ => String::new(),
            };
            let data = json!({
                "host": host,
                "source": source,
                "a": addr_json(&a).0,
                "a_error": addr_json(&a).1,
                "aaaa": addr_json(&aaaa).0,
                "aaaa_error": addr_json(&aaaa).1,
                "filtered_out": dns.filtered_out.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
            });
            if all.is_empty() && dns.filtered_out.is_empty() {
                let f = match (&a, &aaaa) {
                    (Err(f), _) if f.kind != FailureKind::NoData => f.clone(),
                    (_, Err(f)) if f.kind != FailureKind::NoData => f.clone(),
                    (Err(f), _) => f.clone(),
                    _ => Failure::new(FailureKind::NoData, t!("checks-dns-no-record", host = host)),
                };
                let mut detail = f.message.clone();
                if let Some(HostSource::Guess { tried }) = source {
                    detail = t!(
                        "checks-dns-guess-unresolved-detail",
                        tried = tried.join(", "),
                        error = &detail
                    );
                }
                out.push(
                    Check::new(
                        CheckId::DnsResolve,
                        Status::Fail,
                        None,
                        t!(
                            "checks-dns-unresolved-summary",
                            host = host,
                            why = &why,
                            error = &f.message
                        ),
                    )
                    .detail(detail)
                    .remedy(dns_failure_remedy(&f, rules))
                    .duration(dur)
                    .data(data),
                );
            } else if all.is_empty() {
                out.push(
                    Check::new(
                        CheckId::DnsResolve,
                        Status::Fail,
                        None,
                        t!("checks-dns-family-filtered-summary", host = host),
                    )
                    .detail(t!(
                        "checks-dns-family-filtered-detail",
                        addresses = fmt_ips(&dns.filtered_out)
                    ))
                    .remedy(t!("checks-drop-4-6-check-remedy"))
                    .duration(dur)
                    .data(data),
                );
            } else {
                let mut detail = String::new();
                for (fam, r) in [("A", &a), ("AAAA", &aaaa)] {
                    let line = match r {
                        Ok(v) if v.is_empty() => t!("checks-dns-family-none", family = fam),
                        Ok(v) => t!(
                            "checks-dns-family-addresses",
                            family = fam,
                            addresses = fmt_ips(v)
                        ),
                        Err(f) => t!("checks-dns-family-error", family = fam, error = &f.message),
                    };
                    detail.push_str(&line);
                    detail.push(' ');
                }
                out.push(
                    Check::new(
                        CheckId::DnsResolve,
                        Status::Pass,
                        None,
                        t!(
                            "checks-dns-resolves-summary",
                            host = host,
                            why = &why,
                            addresses = fmt_ips(&all)
                        ),
                    )
                    .detail(detail.trim_end())
                    .duration(dur)
                    .data(data),
                );
            }
        }
    }
    if rules.domain_lookup {
        out.push(mx_check(dns));
        out.push(srv_check(dns));
    }
    out
}

fn mx_check(dns: &DnsOutcome) -> Check {
    match &dns.mx {
        None => Check::new(
            CheckId::DnsMx,
            Status::Skip,
            None,
            t!("checks-mx-skipped-summary"),
        ),
        Some(Err(f)) => Check::new(
            CheckId::DnsMx,
            Status::Info,
            None,
            t!("checks-mx-error-summary", error = &f.message),
        )
        .detail(t!("checks-mx-error-detail"))
        .data(json!({"error": f.kind.as_str()})),
        Some(Ok(list)) if list.is_empty() => Check::new(
            CheckId::DnsMx,
            Status::Info,
            None,
            t!("checks-mx-none-summary"),
        )
        .detail(t!("checks-mx-none-detail")),
        Some(Ok(list)) => {
            let dangling: Vec<&str> = list
                .iter()
                .filter(|m| !matches!(&m.addresses, Ok(v) if !v.is_empty()))
                .map(|m| m.exchange.as_str())
                .collect();
            let names = list
                .iter()
                .map(|m| format!("{} {}", m.preference, m.exchange))
                .collect::<Vec<_>>()
                .join(", ");
            let data = json!(
                list.iter()
                    .map(|m| {
                        let (addresses, error) = addr_json(&m.addresses);
                        json!({
                            "preference": m.preference,
                            "exchange": m.exchange,
                            "addresses": addresses,
                            "error": error,
                        })
                    })
                    .collect::<Vec<_>>()
            );
            if dangling.is_empty() {
                Check::new(
                    CheckId::DnsMx,
                    Status::Pass,
                    None,
                    t!("checks-mx-pass-summary", names = &names),
                )
                .data(data)
            } else {
                Check::new(
                    CheckId::DnsMx,
                    Status::Warn,
                    None,
                    t!("checks-mx-dangling-summary", hosts = dangling.join(", ")),
                )
                .detail(t!("checks-mx-dangling-detail", names = &names))
                .remedy(t!("checks-mx-dangling-remedy"))
                .data(data)
            }
        }
    }
}

fn srv_check(dns: &DnsOutcome) -> Check {
    let mut records = Vec::new();
    let mut dangling = Vec::new();
    let mut errors = Vec::new();
    let mut not_available = Vec::new();
    // The same, in the reader's language (`data` keeps the English forms).
    let mut shown_records = Vec::new();
    let mut shown_not_available = Vec::new();
    for (name, r) in &dns.srv {
        match r {
            Ok(list) => {
                for s in list {
                    if s.target == "." {
                        continue;
                    }
                    records.push(format!(
                        "{} -> {}:{} (priority {}, weight {})",
                        s.name, s.target, s.port, s.priority, s.weight
                    ));
                    shown_records.push(t!(
                        "checks-srv-record",
                        name = &s.name,
                        target = &s.target,
                        port = s.port,
                        priority = s.priority,
                        weight = s.weight
                    ));
                    if !matches!(&s.addresses, Ok(v) if !v.is_empty()) {
                        dangling.push(format!("{} -> {}", s.name, s.target));
                    }
                }
                if list.iter().any(|s| s.target == ".") {
                    not_available.push(format!(
                        "{name}: service explicitly not available (target \".\")"
                    ));
                    shown_not_available.push(t!("checks-srv-not-available", name = name));
                }
            }
            Err(f) => errors.push(format!("{name}: {}", f.message)),
        }
    }
    let data = json!({"records": records, "errors": errors, "not_available": not_available});
    if dns.srv.is_empty() {
        return Check::new(
            CheckId::DnsSrv,
            Status::Skip,
            None,
            t!("checks-srv-skipped-summary"),
        );
    }
    if !dangling.is_empty() {
        Check::new(
            CheckId::DnsSrv,
            Status::Warn,
            None,
            t!("checks-srv-dangling-summary", targets = dangling.join(", ")),
        )
        .detail(shown_records.join("; "))
        .remedy(t!("checks-srv-dangling-remedy"))
        .data(data)
    } else if records.is_empty() && !not_available.is_empty() {
        Check::new(
            CheckId::DnsSrv,
            Status::Info,
            None,
            shown_not_available.join("; "),
        )
        .detail(t!("checks-srv-record-target-says-detail"))
        .data(data)
    } else if records.is_empty() {
        Check::new(
            CheckId::DnsSrv,
            Status::Info,
            None,
            t!("checks-no-rfc-6186-srv-summary"),
        )
        .detail(t!("checks-mail-clients-auto-configure-detail"))
        .data(data)
    } else {
        Check::new(
            CheckId::DnsSrv,
            Status::Pass,
            None,
            t!(
                "checks-srv-pass-summary",
                records = shown_records.join("; ")
            ),
        )
        .data(data)
    }
}

fn connect_remedy(kind: FailureKind) -> String {
    match kind {
        FailureKind::Refused => t!("checks-nothing-listens-port-check-remedy"),
        FailureKind::Timeout => t!("checks-packets-are-dropped-firewall-remedy"),
        FailureKind::Unreachable => t!("checks-network-has-no-route-remedy"),
        _ => t!("checks-check-address-port-network-remedy"),
    }
}

/// The checks of one leg. `any_tls_works` says whether some endpoint of the
/// run gives working TLS POP3 (the two-port rules).
pub fn for_leg(leg: &LegOutcome, rules: &Rules, any_tls_works: bool) -> Vec<Check> {
    leg_checks(
        leg,
        rules,
        any_tls_works,
        &RunView::of(std::slice::from_ref(leg)),
    )
}

fn leg_checks(leg: &LegOutcome, rules: &Rules, any_tls_works: bool, view: &RunView) -> Vec<Check> {
    let ep = Some(leg.label());
    let mut out = Vec::new();
    let Some(connect) = &leg.connect else {
        return out;
    };
    match connect {
        Ok(d) => out.push(
            Check::new(
                CheckId::TcpConnect,
                Status::Pass,
                ep.clone(),
                t!("checks-connect-pass-summary", ms = d.as_millis() as u64),
            )
            .duration(Some(*d))
            .data(json!({"port": leg.addr.port(), "security": leg.security})),
        ),
        Err(f) => {
            let status = if leg.two_port && any_tls_works {
                match f.kind {
                    FailureKind::Refused => Status::Info,
                    _ => Status::Warn,
                }
            } else {
                Status::Fail
            };
            let mut c = Check::new(CheckId::TcpConnect, status, ep.clone(), f.message.clone())
                .remedy(connect_remedy(f.kind))
                .data(json!({"error": f.kind.as_str(), "port": leg.addr.port()}));
            if status == Status::Info {
                c = c
                    .detail(t!("checks-another-port-server-gives-detail"))
                    .remedy("");
            } else if status == Status::Warn {
                c = c.detail(t!("checks-another-port-works-tls-detail"));
            }
            out.push(c);
            return out;
        }
    }

    // A TLS leg whose handshake failed has no greeting: judge the handshake first.
    if leg.security == Security::ImplicitTls {
        tls_checks(leg, rules, view, &mut out);
        if !matches!(leg.tls, Some(Ok(_))) {
            return out;
        }
    }

    if let Some((g, d)) = &leg.greeting {
        out.push(greeting_check(g, *d, rules, ep.clone(), leg, view));
        if !matches!(g, Greeting::Ok { .. }) {
            return out;
        }
    }

    if leg.security == Security::ImplicitTls {
        if let Some((capa, d)) = &leg.capa_tls {
            out.push(capa_check(capa, *d, ep.clone(), None));
        }
        return out;
    }

    // Plain port.
    if let Some((capa, d)) = &leg.capa_plain {
        out.push(capa_check(
            capa,
            *d,
            ep.clone(),
            leg.capa_tls.as_ref().map(|(c, _)| c),
        ));
        out.push(cleartext_check(capa, ep.clone()));
    }
    if let Some((stls, d)) = &leg.stls {
        out.push(stls_check(leg, stls, *d, any_tls_works, ep.clone()));
    }
    if let Some(inj) = &leg.injection {
        out.push(injection_check(inj, ep.clone()));
    }
    if matches!(leg.stls, Some((Stls::Accepted { .. }, _))) {
        tls_checks(leg, rules, view, &mut out);
    }
    out
}

fn greeting_check(
    g: &Greeting,
    d: Duration,
    rules: &Rules,
    ep: Option<String>,
    leg: &LegOutcome,
    view: &RunView,
) -> Check {
    let sec = leg.security;
    let ms = d.as_millis();
    match g {
        Greeting::Ok { text, apop } => {
            let data = json!({"text": text, "apop_timestamp": apop, "ms": ms});
            if d > rules.slow {
                Check::new(
                    CheckId::Pop3Greeting,
                    Status::Warn,
                    ep,
                    t!(
                        "checks-greeting-slow-summary",
                        ms = ms as u64,
                        slow = rules.slow.as_millis() as u64
                    ),
                )
                .detail(t!("checks-greeting-slow-detail", text = text))
                .remedy(t!("checks-check-server-s-load-remedy"))
                .duration(Some(d))
                .data(data)
            } else {
                Check::new(
                    CheckId::Pop3Greeting,
                    Status::Pass,
                    ep,
                    t!("checks-greeting-pass-summary", ms = ms as u64),
                )
                .detail(format!("+OK {text}"))
                .duration(Some(d))
                .data(data)
            }
        }
        Greeting::Err { text } => Check::new(
            CheckId::Pop3Greeting,
            Status::Fail,
            ep,
            t!("checks-greeting-err-summary", text = text),
        )
        .detail(t!("checks-err-greeting-means-server-detail"))
        .remedy(t!("checks-read-server-s-words-remedy"))
        .duration(Some(d)),
        Greeting::Silent if sec == Security::Plain && leg.tls_on_plain.is_some() => {
            tls_on_plain_check(leg, d, ep, view)
        }
        Greeting::Silent => Check::new(
            CheckId::Pop3Greeting,
            Status::Fail,
            ep,
            t!("checks-greeting-silent-summary", ms = ms as u64),
        )
        .detail(if sec == Security::Plain {
            t!("checks-silent-plain-detail")
        } else {
            t!("checks-silent-tls-detail")
        })
        .remedy(t!("checks-check-pop3-service-healthy-remedy"))
        .duration(Some(d)),
        Greeting::Closed => Check::new(
            CheckId::Pop3Greeting,
            Status::Fail,
            ep,
            t!("checks-server-closed-connection-without-summary"),
        )
        .detail(t!("checks-service-accepted-closed-once-detail"))
        .remedy(t!("checks-logs-access-rules-remedy"))
        .duration(Some(d)),
        Greeting::Foreign { protocol, banner } => {
            let what = protocol
                .clone()
                .unwrap_or_else(|| t!("checks-foreign-unknown-protocol"));
            let remedy = foreign_remedy(protocol.as_deref(), leg.addr.port(), view);
            Check::new(
                CheckId::Pop3Greeting,
                Status::Fail,
                ep,
                t!("checks-greeting-foreign-summary", protocol = &what),
            )
            .detail(t!("checks-greeting-foreign-detail", banner = banner))
            .remedy(remedy)
            .duration(Some(d))
            .data(json!({"protocol": protocol, "banner": banner}))
        }
        Greeting::Failed(f) => {
            Check::new(CheckId::Pop3Greeting, Status::Fail, ep, f.message.clone())
                .remedy(if f.kind == FailureKind::Unterminated {
                    t!("checks-greeting-unterminated-remedy")
                } else {
                    t!("checks-logs-broke-before-greeting-remedy")
                })
                .duration(Some(d))
        }
    }
}

/// The remedy for another service's banner: names the service, then points
/// at the POP3 ports that worked in this run, or says that POP3 must be
/// configured (docs/checks.md, pop3.greeting).
fn foreign_remedy(protocol: Option<&str>, port: u16, view: &RunView) -> String {
    let service = match protocol {
        Some(p) if p.starts_with("TLS") => {
            return t!("checks-foreign-tls-remedy", port = port);
        }
        Some(p) if p.contains("SMTP") => t!("checks-foreign-service-smtp"),
        Some(p) if p.contains("IMAP") => t!("checks-foreign-service-imap"),
        Some(p) => t!("checks-foreign-service-other", protocol = p),
        None => t!("checks-foreign-service-unknown"),
    };
    let mut r = t!("checks-foreign-runs", port = port, service = &service);
    r.push(' ');
    match view.working() {
        Some(w) => r.push_str(&t!("checks-foreign-works-elsewhere", ports = &w)),
        None => r.push_str(&t!("checks-no-pop3-service-answered-remedy")),
    }
    if protocol.is_some_and(|p| p.contains("IMAP")) {
        r.push(' ');
        r.push_str(&t!("checks-foreign-imap-remedy"));
    }
    r
}

/// pop3.greeting on a plain port that said nothing but answered a TLS
/// ClientHello: the port speaks TLS (the TLS port, or swapped ports).
fn tls_on_plain_check(leg: &LegOutcome, d: Duration, ep: Option<String>, view: &RunView) -> Check {
    let port = leg.addr.port();
    let t = leg.tls_on_plain.as_ref().expect("checked by the caller");
    let host = t
        .name
        .as_ref()
        .map(|n| n.name.clone())
        .unwrap_or_else(|| leg.addr.ip().to_string());
    let names = t
        .name
        .as_ref()
        .map(|n| n.names.join(", "))
        .unwrap_or_default();
    let swapped = view.tls_speaks_plain.first().copied();
    let version = if t.version == "unknown" {
        t!("checks-tls-on-plain-unknown-version")
    } else {
        t.version.clone()
    };
    let answer = if names.is_empty() {
        version
    } else {
        t!(
            "checks-tls-on-plain-certificate",
            version = version,
            names = &names
        )
    };
    let mut detail = t!(
        "checks-tls-on-plain-detail",
        ms = d.as_millis() as u64,
        answer = answer
    );
    let server_fix = match swapped {
        Some(other) => {
            detail.push(' ');
            detail.push_str(&t!("checks-tls-on-plain-swapped-detail", other = other));
            t!(
                "checks-tls-on-plain-swapped-server-fix",
                other = other,
                port = port
            )
        }
        None => t!("checks-tls-on-plain-server-fix", port = port),
    };
    Check::new(
        CheckId::Pop3Greeting,
        Status::Fail,
        ep,
        if swapped.is_some() {
            t!("checks-tls-on-plain-swapped-summary")
        } else {
            t!("checks-tls-on-plain-summary")
        },
    )
    .detail(detail)
    .remedy(t!(
        "checks-tls-on-plain-remedy",
        port = port,
        host = &host,
        fix = &server_fix
    ))
    .duration(Some(d))
    .data(json!({
        "protocol": "TLS",
        "banner": "",
        "tls_on_plain": true,
        "version": t.version,
        "swapped_with": swapped,
        "ms": d.as_millis(),
    }))
}

/// The remedy when plaintext POP3 answered on an implicit-TLS port, worded
/// from what the other ports showed.
fn plaintext_on_tls_remedy(port: u16, view: &RunView) -> String {
    if let Some(other) = view.plain_speaks_tls.first() {
        return t!(
            "checks-plain-on-tls-swapped-remedy",
            port = port,
            other = *other
        );
    }
    let stls = view
        .pop3_ports
        .iter()
        .find(|(p, how)| *p != port && *how == How::Starttls);
    match stls {
        Some((p, _)) => t!(
            "checks-plain-on-tls-use-stls-remedy",
            other = *p,
            port = port
        ),
        None => t!("checks-plain-on-tls-remedy", port = port),
    }
}

fn capa_check(capa: &Capa, d: Duration, ep: Option<String>, after: Option<&Capa>) -> Check {
    match capa {
        Capa::Listed {
            lines,
            over_limit,
            truncated,
            cut,
            later,
            names_lost,
        } => {
            let mut c = Check::new(
                CheckId::Pop3Capa,
                Status::Pass,
                ep,
                t!("checks-capa-pass-summary", capabilities = lines.join(", ")),
            );
            let mut detail = Vec::new();
            let mut data = json!({"capabilities": lines});
            if *truncated {
                c.status = Status::Warn;
                c.summary = cut_summary(lines, later, *names_lost);
                detail.push(cut_detail(lines.len(), *cut, later.len(), *names_lost));
                c.remedy = t!("checks-capa-list-long-unusual");
                data["truncated"] = json!(true);
                data["cut_lines"] = json!(cut);
                data["names_after_cut"] = json!(later);
                data["names_not_seen"] = json!(names_lost);
            }
            if *over_limit > 0 {
                c.status = Status::Warn;
                detail.push(t!("checks-capa-over-limit-detail", count = *over_limit));
                c.remedy = t!("checks-report-over-long-capa");
            }
            if let Some(after) = after {
                match after {
                    Capa::Listed {
                        lines: tls_lines, ..
                    } => {
                        let norm = |l: &String| l.to_ascii_uppercase();
                        let before: Vec<String> = lines.iter().map(norm).collect();
                        let post: Vec<String> = tls_lines.iter().map(norm).collect();
                        let added: Vec<&String> = tls_lines
                            .iter()
                            .filter(|l| !before.contains(&norm(l)))
                            .collect();
                        let removed: Vec<&String> =
                            lines.iter().filter(|l| !post.contains(&norm(l))).collect();
                        data["capabilities_after_tls"] = json!(tls_lines);
                        data["added_after_tls"] = json!(added);
                        data["removed_after_tls"] = json!(removed);
                        detail.push(t!(
                            "checks-capa-after-stls-detail",
                            added = added
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            removed = removed
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                        if after.has("STLS") {
                            c.status = Status::Warn;
                            detail.push(t!("checks-stls-still-listed-inside"));
                            c.remedy = t!("checks-report-server-vendor-clients");
                        }
                    }
                    Capa::Unsupported { text } => {
                        c.status = Status::Warn;
                        detail.push(t!("checks-capa-after-stls-refused-detail", text = text));
                        c.remedy = t!("checks-server-must-answer-capa");
                    }
                    Capa::Broken(f) => {
                        c.status = Status::Fail;
                        detail.push(t!(
                            "checks-capa-after-stls-broken-detail",
                            error = &f.message
                        ));
                        c.remedy = t!("checks-server-s-responses-inside");
                    }
                }
            }
            c.detail = detail.join(" ");
            c.duration(Some(d)).data(data)
        }
        Capa::Unsupported { text } => Check::new(
            CheckId::Pop3Capa,
            Status::Warn,
            ep,
            t!("checks-capa-unsupported-summary", text = text),
        )
        .detail(t!("checks-without-capa-rfc-2449-detail"))
        .remedy(t!("checks-upgrade-configure-server-support-remedy"))
        .duration(Some(d)),
        Capa::Broken(f) => Check::new(
            CheckId::Pop3Capa,
            Status::Fail,
            ep,
            t!("checks-capa-broken-summary", error = &f.message),
        )
        .detail(if f.kind == FailureKind::TooLarge {
            t!("checks-capa-too-large-detail")
        } else {
            t!("checks-multi-line-capa-response")
        })
        .remedy(t!("checks-logs-crashes-remedy"))
        .duration(Some(d))
        .data(json!({"error": f.kind.as_str()})),
    }
}

/// How many names a cut CAPA list shows in its summary.
const SUMMARY_NAMES: usize = 20;

/// The summary of a cut CAPA list: the lines kept, then the names of the rest.
fn cut_summary(lines: &[String], later: &[String], names_lost: u64) -> String {
    let shown: Vec<&str> = lines
        .iter()
        .chain(later)
        .take(SUMMARY_NAMES)
        .map(String::as_str)
        .collect();
    let rest = (lines.len() + later.len()).saturating_sub(shown.len()) as u64 + names_lost;
    let mut s = t!("checks-capa-cut-summary", names = shown.join(", "));
    if rest > 0 {
        s.push(' ');
        s.push_str(&t!("checks-capa-cut-more", count = rest));
    }
    s
}

/// The detail of a cut CAPA list: what was kept and what is known by name.
fn cut_detail(kept: usize, cut: u64, named: usize, names_lost: u64) -> String {
    let mut s = t!("checks-capa-cut-detail", kept = kept, named = named);
    if cut > 0 {
        s.push_str(&t!("checks-capa-cut-long-lines", count = cut));
    }
    s.push_str(". ");
    s.push_str(&t!("checks-capa-cut-names-searched"));
    if names_lost > 0 {
        s.push(' ');
        s.push_str(&t!("checks-capa-cut-names-lost", count = names_lost));
    }
    s
}

fn cleartext_check(capa: &Capa, ep: Option<String>) -> Check {
    match capa {
        Capa::Listed { .. } => {
            let sasl = capa.sasl();
            let mut offered = Vec::new();
            if capa.has("USER") {
                offered.push("USER/PASS".to_string());
            }
            for m in ["PLAIN", "LOGIN"] {
                if sasl.iter().any(|s| s == m) {
                    offered.push(format!("SASL {m}"));
                }
            }
            if offered.is_empty() {
                Check::new(
                    CheckId::AuthCleartext,
                    Status::Pass,
                    ep,
                    t!("checks-cleartext-pass-summary"),
                )
                .detail(t!("checks-before-stls-server-does-detail"))
            } else {
                Check::new(
                    CheckId::AuthCleartext,
                    Status::Warn,
                    ep,
                    t!(
                        "checks-cleartext-warn-summary",
                        offered = offered.join(", ")
                    ),
                )
                .detail(t!("checks-client-skips-stls-tricked-detail"))
                .remedy(t!("checks-disable-plain-text-authentication-remedy"))
                .data(json!({"offered": offered}))
            }
        }
        _ => Check::new(
            CheckId::AuthCleartext,
            Status::Skip,
            ep,
            t!("checks-unknown-without-capa-popscope-summary"),
        ),
    }
}

fn stls_check(
    leg: &LegOutcome,
    stls: &Stls,
    d: Duration,
    any_tls_works: bool,
    ep: Option<String>,
) -> Check {
    match stls {
        Stls::Accepted { leftover } => {
            let handshake_ok = matches!(leg.tls, Some(Ok(_)));
            if *leftover > 0 {
                Check::new(
                    CheckId::TlsStls,
                    Status::Fail,
                    ep,
                    t!("checks-stls-leftover-summary", count = *leftover),
                )
                .detail(t!("checks-data-sent-before-tls-detail"))
                .remedy(t!("checks-stls-leftover-remedy"))
                .duration(Some(d))
            } else if handshake_ok {
                Check::new(
                    CheckId::TlsStls,
                    Status::Pass,
                    ep,
                    t!("checks-stls-offered-upgrade-tls-summary"),
                )
                .duration(Some(d))
            } else {
                Check::new(
                    CheckId::TlsStls,
                    Status::Fail,
                    ep,
                    t!("checks-stls-accepted-but-tls-summary"),
                )
                .remedy(t!("checks-stls-handshake-failed-remedy"))
                .duration(Some(d))
            }
        }
        Stls::NotOffered if leg.capa_plain.as_ref().is_some_and(|(c, _)| c.truncated()) => {
            Check::new(
                CheckId::TlsStls,
                Status::Skip,
                ep,
                t!("checks-could-not-tell-whether-summary"),
            )
            .detail(t!("checks-stls-was-not-among-detail"))
            .remedy(t!("checks-shorten-server-s-capa-remedy"))
            .duration(Some(d))
        }
        Stls::NotOffered | Stls::Refused { .. } => {
            let what = match stls {
                Stls::Refused { text } => t!("checks-stls-refused-summary", text = text),
                _ => t!("checks-stls-not-offered-port"),
            };
            let (status, detail) = if any_tls_works {
                (Status::Warn, t!("checks-port-995-implicit-tls"))
            } else {
                (Status::Fail, t!("checks-no-working-tls-passwords"))
            };
            let unlisted = matches!(stls, Stls::Refused { .. })
                && leg
                    .capa_plain
                    .as_ref()
                    .is_some_and(|(c, _)| c.truncated() && !c.has("STLS"));
            let detail = if unlisted {
                t!("checks-stls-unlisted-detail", detail = detail)
            } else {
                detail
            };
            Check::new(CheckId::TlsStls, status, ep, what)
                .detail(detail)
                .remedy(t!("checks-enable-tls-server-dovecot-remedy"))
                .duration(Some(d))
        }
        Stls::Broken(f) => Check::new(
            CheckId::TlsStls,
            Status::Fail,
            ep,
            t!("checks-stls-broken-summary", error = &f.message),
        )
        .remedy(t!("checks-stls-broken-remedy"))
        .duration(Some(d)),
    }
}

/// A leaf key that popscope's TLS library cannot verify although mainstream
/// clients can: RSA over 8,192 bits (rustls's providers stop there; OpenSSL
/// and NSS go to 16,384).
fn beyond_popscope(s: &crate::probe::outcome::TlsSession) -> Option<String> {
    (s.key_alg == "RSA" && s.key_bits > 8192).then(|| format!("RSA {}-bit", s.key_bits))
}

fn injection_check(inj: &Injection, ep: Option<String>) -> Check {
    match inj {
        Injection::Safe => Check::new(
            CheckId::TlsStlsInjection,
            Status::Pass,
            ep,
            t!("checks-plaintext-sent-together-stls-summary"),
        )
        .detail(t!("checks-popscope-sent-stls-another-detail")),
        Injection::Vulnerable { evidence } => Check::new(
            CheckId::TlsStlsInjection,
            Status::Fail,
            ep,
            t!("checks-injection-vulnerable-summary"),
        )
        .detail(t!(
            "checks-injection-vulnerable-detail",
            evidence = evidence
        ))
        .remedy(t!("checks-update-pop3-server-must-remedy")),
        Injection::Inconclusive(why) => Check::new(
            CheckId::TlsStlsInjection,
            Status::Skip,
            ep,
            t!("checks-injection-inconclusive-summary", reason = why),
        ),
    }
}

fn tls_checks(leg: &LegOutcome, rules: &Rules, view: &RunView, out: &mut Vec<Check>) {
    let ep = Some(leg.label());
    let Some(tls) = &leg.tls else { return };
    let s = match tls {
        Err(f) => {
            let remedy = match f.kind {
                FailureKind::Plaintext if leg.plain_on_tls_port() => {
                    plaintext_on_tls_remedy(leg.addr.port(), view)
                }
                FailureKind::Plaintext => t!("checks-port-does-not-speak"),
                FailureKind::Timeout => t!("checks-server-did-not-finish"),
                FailureKind::ProtocolVersion => t!("checks-no-tls-version-common"),
                FailureKind::HandshakeFailure => t!("checks-no-cipher-suite-key"),
                _ => t!("checks-check-server-s-tls"),
            };
            if let Some(key) = leg.tls_partial.as_ref().and_then(beyond_popscope) {
                let bits = leg.tls_partial.as_ref().map_or(0, |p| p.key_bits);
                // popscope's own limit, not a server fault: say so, judge
                // the certificate it saw, and blame nothing else.
                out.push(
                    Check::new(
                        CheckId::TlsHandshake,
                        Status::Skip,
                        ep.clone(),
                        t!("checks-handshake-beyond-summary", bits = bits),
                    )
                    .detail(t!("checks-handshake-beyond-detail", error = &f.message))
                    .remedy(t!("checks-nothing-change-server-check-remedy"))
                    .data(json!({"error": f.kind.as_str(), "popscope_limit": key})),
                );
                if let Some(p) = &leg.tls_partial {
                    cert_checks(p, ep, rules, out);
                }
                return;
            }
            out.push(
                Check::new(
                    CheckId::TlsHandshake,
                    Status::Fail,
                    ep.clone(),
                    t!("checks-handshake-failed-summary", error = &f.message),
                )
                .remedy(remedy)
                .data(json!({"error": f.kind.as_str()})),
            );
            if let Some(legacy) = &leg.legacy {
                out.push(match legacy {
                    Legacy::Offers(v) => Check::new(
                        CheckId::TlsProtocol,
                        Status::Fail,
                        ep.clone(),
                        t!("checks-protocol-legacy-summary", version = v),
                    )
                    .detail(t!("checks-protocol-legacy-detail", version = v))
                    .remedy(t!("checks-enable-tls-1-2-remedy"))
                    .data(json!({"version": v})),
                    Legacy::Refused(w) => Check::new(
                        CheckId::TlsProtocol,
                        Status::Fail,
                        ep.clone(),
                        t!("checks-protocol-none-summary", reason = w),
                    )
                    .remedy(t!("checks-protocol-none-remedy")),
                    Legacy::Inconclusive(w) => Check::new(
                        CheckId::TlsProtocol,
                        Status::Skip,
                        ep.clone(),
                        t!("checks-protocol-unknown-summary", reason = w),
                    ),
                });
            }
            if let Some(p) = &leg.tls_partial {
                cert_checks(p, ep, rules, out);
            }
            return;
        }
        Ok(s) => s,
    };
    out.push(
        Check::new(
            CheckId::TlsHandshake,
            Status::Pass,
            ep.clone(),
            t!(
                "checks-handshake-pass-summary",
                ms = s.duration.as_millis() as u64
            ),
        )
        .duration(Some(s.duration))
        .data(json!({"sni": s.sni})),
    );
    let modern = s.version == "TLSv1.3" || s.version == "TLSv1.2";
    out.push(if modern {
        Check::new(
            CheckId::TlsProtocol,
            Status::Pass,
            ep.clone(),
            t!(
                "checks-protocol-pass-summary",
                version = &s.version,
                cipher = &s.cipher
            ),
        )
        .data(json!({"version": s.version, "cipher": s.cipher}))
    } else {
        Check::new(
            CheckId::TlsProtocol,
            Status::Fail,
            ep.clone(),
            t!("checks-protocol-old-summary", version = &s.version),
        )
        .remedy(t!("checks-protocol-old-remedy"))
        .data(json!({"version": s.version, "cipher": s.cipher}))
    });
    cert_checks(s, ep, rules, out);
}

/// `ab12…` → `AB:12:…`, the form mail clients show fingerprints in.
fn fingerprint(hex: &str) -> String {
    hex.as_bytes()
        .chunks(2)
        .map(|p| String::from_utf8_lossy(p).to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// tls.chain, tls.hostname, tls.expiry, tls.key for a chain.
fn cert_checks(
    s: &crate::probe::outcome::TlsSession,
    ep: Option<String>,
    rules: &Rules,
    out: &mut Vec<Check>,
) {
    let leaf = s.certificates.first();
    let issuer = leaf.map(|c| c.issuer.clone()).unwrap_or_default();
    out.push(
        match &s.chain {
            ChainFinding::Trusted => Check::new(
                CheckId::TlsChain,
                Status::Pass,
                ep.clone(),
                t!("checks-chain-trusted-summary", issuer = &issuer),
            ),
            ChainFinding::Deferred(why) => Check::new(
                CheckId::TlsChain,
                Status::Pass,
                ep.clone(),
                t!("checks-chain-deferred-summary", issuer = &issuer),
            )
            .detail(t!("checks-chain-deferred-detail", reason = why)),
            ChainFinding::SelfSigned => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                t!("checks-self-signed-certificate-no-summary"),
            )
            .detail(t!(
                "checks-chain-self-signed-detail",
                subject = leaf.map(|c| c.subject.as_str()).unwrap_or("?"),
                fingerprint = leaf.map(|c| fingerprint(&c.sha256)).unwrap_or_default()
            ))
            .remedy(t!("checks-server-install-certificate-from-remedy")),
            ChainFinding::UnknownIssuer { issuer } => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                t!("checks-chain-unknown-issuer-summary", issuer = issuer),
            )
            .remedy(t!("checks-use-certificate-from-public-remedy")),
            ChainFinding::MissingIntermediate { issuer } => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                t!("checks-chain-missing-intermediate-summary", issuer = issuer),
            )
            .detail(t!("checks-leaf-s-issuer-neither-detail"))
            .remedy(t!("checks-configure-server-full-chain-remedy")),
            ChainFinding::Other(w) => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                t!("checks-chain-other-summary", reason = w),
            )
            .remedy(t!("checks-check-certificate-chain-installed-remedy")),
        }
        .data(json!({
            "trusted": s.verify_error.is_none(),
            "error": s.verify_error,
            "depth": s.certificates.len(),
        })),
    );

    if let Some(n) = &s.name {
        let names = n.names.join(", ");
        out.push(if n.valid {
            Check::new(
                CheckId::TlsHostname,
                Status::Pass,
                ep.clone(),
                t!("checks-hostname-pass-summary", name = &n.name, why = &n.why),
            )
            .detail(t!("checks-hostname-pass-detail", names = &names))
            .data(json!({"name": n.name, "valid_for": n.names, "cn_fallback": n.used_cn}))
        } else {
            let same: Vec<&str> = n
                .alternatives
                .iter()
                .filter(|(_, s)| *s)
                .map(|(x, _)| x.as_str())
                .collect();
            let mut detail = t!(
                "checks-hostname-valid-for-detail",
                names = if names.is_empty() {
                    t!("checks-hostname-no-name")
                } else {
                    names
                }
            );
            let remedy = match same.first() {
                Some(alt) => {
                    detail.push_str(". ");
                    detail.push_str(&t!(
                        "checks-hostname-same-address-detail",
                        names = same.join(", ")
                    ));
                    t!(
                        "checks-hostname-alternative-remedy",
                        alternative = *alt,
                        name = &n.name
                    )
                }
                None => t!("checks-install-certificate-lists-name"),
            };
            let alternatives: Vec<serde_json::Value> = n
                .alternatives
                .iter()
                .map(|(x, s)| json!({"name": x, "same_address": s}))
                .collect();
            let (summary, detail, remedy) = if n.used_cn && n.names.iter().any(|x| x == &n.name) {
                (
                    t!(
                        "checks-hostname-cn-only-summary",
                        name = &n.name,
                        why = &n.why
                    ),
                    t!("checks-hostname-cn-only-detail", name = &n.name),
                    t!("checks-hostname-cn-only-remedy", name = &n.name),
                )
            } else {
                (
                    t!("checks-hostname-fail-summary", name = &n.name, why = &n.why),
                    detail,
                    remedy,
                )
            };
            Check::new(CheckId::TlsHostname, Status::Fail, ep.clone(), summary)
                .detail(detail)
                .remedy(remedy)
                .data(json!({
                    "name": n.name,
                    "valid_for": n.names,
                    "cn_fallback": n.used_cn,
                    "alternatives": alternatives,
                }))
        });
    } else {
        out.push(Check::new(
            CheckId::TlsHostname,
            Status::Skip,
            ep.clone(),
            t!("checks-no-name-check-give-summary"),
        ));
    }

    if let (Some(nb), Some(na)) = (s.not_before, s.not_after) {
        let fmt = |t: OffsetDateTime| t.date().to_string();
        let days_left = (na - rules.now).whole_days();
        let data = json!({
            "not_before": crate::timefmt::rfc3339(nb),
            "not_after": crate::timefmt::rfc3339(na),
            "not_before_unix": nb.unix_timestamp(),
            "not_after_unix": na.unix_timestamp(),
            "days_left": days_left,
        });
        out.push(if rules.now > na {
            Check::new(
                CheckId::TlsExpiry,
                Status::Fail,
                ep.clone(),
                t!(
                    "checks-expiry-expired-summary",
                    date = fmt(na),
                    days = -days_left
                ),
            )
            .remedy(t!("checks-renew-certificate-reload-server-remedy"))
            .data(data)
        } else if rules.now < nb {
            Check::new(
                CheckId::TlsExpiry,
                Status::Fail,
                ep.clone(),
                t!("checks-expiry-not-yet-summary", date = fmt(nb)),
            )
            .detail(t!("checks-either-certificate-was-issued-detail"))
            .remedy(t!("checks-check-clocks-ntp-server-remedy"))
            .data(data)
        } else if days_left < i64::from(rules.expiry_warn_days) {
            Check::new(
                CheckId::TlsExpiry,
                Status::Warn,
                ep.clone(),
                t!(
                    "checks-expiry-soon-summary",
                    days = days_left,
                    date = fmt(na)
                ),
            )
            .remedy(t!("checks-renew-certificate-soon-check-remedy"))
            .data(data)
        } else {
            Check::new(
                CheckId::TlsExpiry,
                Status::Pass,
                ep.clone(),
                t!(
                    "checks-expiry-pass-summary",
                    date = fmt(na),
                    days = days_left
                ),
            )
            .data(data)
        });
    }

    let weak = match s.key_alg.as_str() {
        "RSA" => s.key_bits < 2048,
        "EC" => s.key_bits < 256,
        _ => false,
    };
    out.push(if weak {
        Check::new(
            CheckId::TlsKey,
            Status::Warn,
            ep,
            t!(
                "checks-key-weak-summary",
                algorithm = &s.key_alg,
                bits = s.key_bits
            ),
        )
        .detail(t!("checks-rsa-keys-below-2048-detail"))
        .remedy(t!("checks-issue-new-certificate-rsa-remedy"))
        .data(json!({"algorithm": s.key_alg, "bits": s.key_bits}))
    } else {
        Check::new(
            CheckId::TlsKey,
            Status::Pass,
            ep,
            t!(
                "checks-key-pass-summary",
                algorithm = &s.key_alg,
                bits = s.key_bits
            ),
        )
        .data(json!({"algorithm": s.key_alg, "bits": s.key_bits}))
    });
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod i18n_tests;
