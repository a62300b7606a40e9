//! Outcome → checks with stable ids (see `docs/checks.md`). Pure functions:
//! no I/O, no clock except the `now` passed in.

mod text;

use std::time::Duration;

use serde_json::json;
use time::OffsetDateTime;

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
#[derive(Debug, Clone, Default)]
struct RunView {
    /// Ports where POP3 works, each with how (`995 with SSL/TLS`).
    pop3_ports: Vec<(u16, &'static str)>,
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
                Some("with SSL/TLS")
            } else if l.security != Security::ImplicitTls && l.works_with_tls() {
                Some("with STARTTLS")
            } else if l.security != Security::ImplicitTls && l.greets_pop3() {
                Some("unencrypted")
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
                .map(|(p, how)| format!("port {p} {how}"))
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
                c.detail = text::TEXT_ANOTHER_ADDRESS_SERVER_WORKS.into();
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
                "no address to connect to",
            )
            .remedy("Check the host name and the -4/-6 options."),
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
                text::SUMMARY_RUN_HIT_DEADLINE_BEFORE,
            )
            .detail(text::DETAIL_PROBES_STILL_RUNNING_DEADLINE)
            .remedy(text::REMEDY_RAISE_DEADLINE_LOWER_TIMEOUT),
        );
    }
    if outcome.interrupted {
        out.push(Check::new(
            CheckId::RunInterrupted,
            Status::Warn,
            None,
            text::SUMMARY_INTERRUPTED_CTRL_C_RESULTS,
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

fn dns_failure_remedy(f: &Failure, rules: &Rules) -> &'static str {
    if rules.dns_server_given {
        // The user already chose the resolver: "try another" says nothing.
        match f.kind {
            FailureKind::Refused => {
                return text::REMEDY_GIVEN_DNS_REFUSED;
            }
            FailureKind::Timeout => {
                return text::REMEDY_GIVEN_DNS_TIMEOUT;
            }
            FailureKind::NxDomain | FailureKind::NoData | FailureKind::ServFail => {}
            _ => {
                return text::REMEDY_GIVEN_DNS_FAILED;
            }
        }
    }
    match f.kind {
        FailureKind::NxDomain => text::REMEDY_NAME_DOES_NOT_EXIST,
        FailureKind::NoData => text::REMEDY_NAME_EXISTS_BUT_HAS,
        FailureKind::ServFail => text::REMEDY_DNS_SERVER_FAILED_ANSWER,
        FailureKind::Timeout => text::REMEDY_NO_DNS_ANSWER_TIME,
        FailureKind::Refused => text::REMEDY_DNS_SERVER_REFUSED_QUERY,
        _ => text::REMEDY_CHECK_RESOLVER_CONFIGURATION_ETC,
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
                text::SUMMARY_TARGET_IP_ADDRESS_NOTHING,
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
                Some(HostSource::Srv { record }) => format!(" (named by the SRV record {record})"),
                Some(HostSource::Guess { .. }) => {
                    text::TEXT_CONVENTIONAL_POP3_HOST_NAME.to_string()
                }
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
                    _ => Failure::new(
                        FailureKind::NoData,
                        format!("{host} has no A or AAAA record"),
                    ),
                };
                let mut detail = f.message.clone();
                if let Some(HostSource::Guess { tried }) = source {
                    detail = format!(
                        "No SRV record named the POP3 server, and none of {} resolved. {detail}",
                        tried.join(", ")
                    );
                }
                out.push(
                    Check::new(
                        CheckId::DnsResolve,
                        Status::Fail,
                        None,
                        format!("{host}{why} does not resolve: {}", f.message),
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
                        format!("{host} has no address of the family asked (-4/-6)"),
                    )
                    .detail(format!(
                        "It resolves to {} only.",
                        fmt_ips(&dns.filtered_out)
                    ))
                    .remedy(text::REMEDY_DROP_4_6_CHECK)
                    .duration(dur)
                    .data(data),
                );
            } else {
                let mut detail = String::new();
                for (fam, r) in [("A", &a), ("AAAA", &aaaa)] {
                    match r {
                        Ok(v) if v.is_empty() => detail.push_str(&format!("{fam}: none. ")),
                        Ok(v) => detail.push_str(&format!("{fam}: {}. ", fmt_ips(v))),
                        Err(f) => detail.push_str(&format!("{fam}: {}. ", f.message)),
                    }
                }
                out.push(
                    Check::new(
                        CheckId::DnsResolve,
                        Status::Pass,
                        None,
                        format!("{host}{why} resolves to {}", fmt_ips(&all)),
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
        None => Check::new(CheckId::DnsMx, Status::Skip, None, "MX not looked up"),
        Some(Err(f)) => Check::new(
            CheckId::DnsMx,
            Status::Info,
            None,
            format!("no MX records: {}", f.message),
        )
        .detail(text::DETAIL_MX_ERROR)
        .data(json!({"error": f.kind.as_str()})),
        Some(Ok(list)) if list.is_empty() => {
            Check::new(CheckId::DnsMx, Status::Info, None, "no MX records")
                .detail(text::DETAIL_MX_NONE)
        }
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
                Check::new(CheckId::DnsMx, Status::Pass, None, format!("MX: {names}")).data(data)
            } else {
                Check::new(
                    CheckId::DnsMx,
                    Status::Warn,
                    None,
                    format!("MX host(s) that do not resolve: {}", dangling.join(", ")),
                )
                .detail(format!(
                    "MX: {names}. A dangling MX makes senders fail or fall back."
                ))
                .remedy(text::REMEDY_MX_DANGLING)
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
                    if !matches!(&s.addresses, Ok(v) if !v.is_empty()) {
                        dangling.push(format!("{} -> {}", s.name, s.target));
                    }
                }
                if list.iter().any(|s| s.target == ".") {
                    not_available.push(format!(
                        "{name}: service explicitly not available (target \".\")"
                    ));
                }
            }
            Err(f) => errors.push(format!("{name}: {}", f.message)),
        }
    }
    let data = json!({"records": records, "errors": errors, "not_available": not_available});
    if dns.srv.is_empty() {
        return Check::new(CheckId::DnsSrv, Status::Skip, None, "SRV not looked up");
    }
    if !dangling.is_empty() {
        Check::new(
            CheckId::DnsSrv,
            Status::Warn,
            None,
            format!("SRV target(s) that do not resolve: {}", dangling.join(", ")),
        )
        .detail(records.join("; "))
        .remedy(text::REMEDY_SRV_DANGLING)
        .data(data)
    } else if records.is_empty() && !not_available.is_empty() {
        Check::new(
            CheckId::DnsSrv,
            Status::Info,
            None,
            not_available.join("; "),
        )
        .detail(text::DETAIL_SRV_RECORD_TARGET_SAYS)
        .data(data)
    } else if records.is_empty() {
        Check::new(
            CheckId::DnsSrv,
            Status::Info,
            None,
            text::SUMMARY_NO_RFC_6186_SRV,
        )
        .detail(text::DETAIL_MAIL_CLIENTS_AUTO_CONFIGURE)
        .data(data)
    } else {
        Check::new(
            CheckId::DnsSrv,
            Status::Pass,
            None,
            format!("SRV: {}", records.join("; ")),
        )
        .data(data)
    }
}

fn connect_remedy(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::Refused => text::REMEDY_NOTHING_LISTENS_PORT_CHECK,
        FailureKind::Timeout => text::REMEDY_PACKETS_ARE_DROPPED_FIREWALL,
        FailureKind::Unreachable => text::REMEDY_NETWORK_HAS_NO_ROUTE,
        _ => text::REMEDY_CHECK_ADDRESS_PORT_NETWORK,
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
                format!("connected in {} ms", d.as_millis()),
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
                c = c.detail(text::DETAIL_ANOTHER_PORT_SERVER_GIVES).remedy("");
            } else if status == Status::Warn {
                c = c.detail(text::DETAIL_ANOTHER_PORT_WORKS_TLS);
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
                    format!(
                        "greeting took {ms} \
                    ms (slower than {} ms)",
                        rules.slow.as_millis()
                    ),
                )
                .detail(format!(
                    "+OK {text}. Slow greetings usually mean reverse-DNS lookups \
                        or an overloaded server; clients with short timeouts give up."
                ))
                .remedy(text::REMEDY_CHECK_SERVER_S_LOAD)
                .duration(Some(d))
                .data(data)
            } else {
                Check::new(
                    CheckId::Pop3Greeting,
                    Status::Pass,
                    ep,
                    format!("+OK greeting in {ms} ms"),
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
            format!("the server greets with -ERR: {text}"),
        )
        .detail(text::DETAIL_ERR_GREETING_MEANS_SERVER)
        .remedy(text::REMEDY_READ_SERVER_S_WORDS)
        .duration(Some(d)),
        Greeting::Silent if sec == Security::Plain && leg.tls_on_plain.is_some() => {
            tls_on_plain_check(leg, d, ep, view)
        }
        Greeting::Silent => Check::new(
            CheckId::Pop3Greeting,
            Status::Fail,
            ep,
            format!(
                "no greeting within {ms} ms: the server accepted the connection but said nothing"
            ),
        )
        .detail(if sec == Security::Plain {
            text::DETAIL_SILENT_PLAIN
        } else {
            text::DETAIL_SILENT_TLS
        })
        .remedy(text::REMEDY_CHECK_POP3_SERVICE_HEALTHY)
        .duration(Some(d)),
        Greeting::Closed => Check::new(
            CheckId::Pop3Greeting,
            Status::Fail,
            ep,
            text::SUMMARY_SERVER_CLOSED_CONNECTION_WITHOUT,
        )
        .detail(text::DETAIL_SERVICE_ACCEPTED_CLOSED_ONCE)
        .remedy(text::REMEDY_LOGS_ACCESS_RULES)
        .duration(Some(d)),
        Greeting::Foreign { protocol, banner } => {
            let what = protocol
                .clone()
                .unwrap_or_else(|| "no known protocol".into());
            let remedy = foreign_remedy(protocol.as_deref(), leg.addr.port(), view);
            Check::new(
                CheckId::Pop3Greeting,
                Status::Fail,
                ep,
                format!("not a POP3 server: the banner looks like {what}"),
            )
            .detail(format!("First line: {banner}"))
            .remedy(remedy)
            .duration(Some(d))
            .data(json!({"protocol": protocol, "banner": banner}))
        }
        Greeting::Failed(f) => {
            Check::new(CheckId::Pop3Greeting, Status::Fail, ep, f.message.clone())
                .remedy(if f.kind == FailureKind::Unterminated {
                    text::SUMMARY_SERVER_BEGAN_POP3_GREETING
                } else {
                    text::REMEDY_LOGS_BROKE_BEFORE_GREETING
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
            return format!(
                "This port expects TLS from the first byte: in the mail client, choose SSL/TLS \
                    for port {port} (pop3s://host:{port})."
            );
        }
        Some(p) if p.contains("SMTP") => text::REMEDY_ANOTHER_SERVICE_SMTP_MAIL.to_string(),
        Some(p) if p.contains("IMAP") => text::REMEDY_ANOTHER_SERVICE_IMAP_DIFFERENT.to_string(),
        Some(p) => format!("another service ({p}), not POP3"),
        None => "something that is not POP3".to_string(),
    };
    let mut r = format!("Port {port} runs {service}. ");
    match view.working() {
        Some(w) => r.push_str(&format!(
            "POP3 works in this run on {w}: configure the mail client for that port."
        )),
        None => r.push_str(text::REMEDY_NO_POP3_SERVICE_ANSWERED),
    }
    if protocol.is_some_and(|p| p.contains("IMAP")) {
        r.push_str(text::REMEDY_SET_MAIL_CLIENT_UP);
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
    let mut detail = format!(
        "No plaintext greeting within {} ms, but a TLS ClientHello on a second connection was \
            answered ({}{}).",
        d.as_millis(),
        if t.version == "unknown" {
            "a TLS server"
        } else {
            t.version.as_str()
        },
        if names.is_empty() {
            String::new()
        } else {
            format!(", certificate for {names}")
        }
    );
    let server_fix = match swapped {
        Some(other) => {
            detail.push_str(&format!(
                " Port {other}, where TLS was expected, speaks plain POP3: the two ports are \
                    swapped."
            ));
            format!(
                "On the server, swap the two back: implicit TLS (POP3S) on port {other}, plain \
                    POP3 with STLS on port {port}."
            )
        }
        None => format!(
            "On the server, fix the port assignment: port {port} is meant for plain POP3 with \
                STLS, implicit TLS (POP3S) belongs on port 995."
        ),
    };
    Check::new(
        CheckId::Pop3Greeting,
        Status::Fail,
        ep,
        format!(
            "this port speaks TLS, not plain POP3: it is the TLS \
            port{}",
            if swapped.is_some() {
                " (the two ports are swapped)"
            } else {
                ""
            }
        ),
    )
    .detail(detail)
    .remedy(format!(
        "In the mail client, connect with SSL/TLS to port {port} (pop3s://{host}:{port}). \
            {server_fix}"
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
        return format!(
            "The two ports are swapped: port {port} speaks plain POP3 and port {other} speaks \
                TLS. In the mail client, connect with SSL/TLS to port {other} \
                (pop3s://host:{other}); on the server, swap them back (implicit TLS on port \
                {port}, plain POP3 with STLS on port {other})."
        );
    }
    let stls = view
        .pop3_ports
        .iter()
        .find(|(p, how)| *p != port && *how == "with STARTTLS");
    match stls {
        Some((p, _)) => format!(
            "This port speaks plain POP3, not TLS. In the mail client, use port {p} with \
                STARTTLS, which works; on the server, enable implicit TLS (POP3S) on port {port}."
        ),
        None => format!(
            "This port speaks plain POP3, not TLS: on the server, enable implicit TLS (POP3S) on \
                port {port}, or move plain POP3 to its own port (110) and offer STLS there."
        ),
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
                format!("CAPA: {}", lines.join(", ")),
            );
            let mut detail = Vec::new();
            let mut data = json!({"capabilities": lines});
            if *truncated {
                c.status = Status::Warn;
                c.summary = cut_summary(lines, later, *names_lost);
                detail.push(cut_detail(lines.len(), *cut, later.len(), *names_lost));
                c.remedy = text::TEXT_CAPA_LIST_LONG_UNUSUAL.into();
                data["truncated"] = json!(true);
                data["cut_lines"] = json!(cut);
                data["names_after_cut"] = json!(later);
                data["names_not_seen"] = json!(names_lost);
            }
            if *over_limit > 0 {
                c.status = Status::Warn;
                detail.push(format!(
                    "{over_limit} capability line(s) exceed the RFC 2449 limit of 512 octets."
                ));
                c.remedy = text::TEXT_REPORT_OVER_LONG_CAPA.into();
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
                        detail.push(format!(
                            "After STLS (RFC 2595 §4 requires asking again): added [{}], removed \
                                [{}].",
                            added
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                            removed
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                        if after.has("STLS") {
                            c.status = Status::Warn;
                            detail.push(text::TEXT_STLS_STILL_LISTED_INSIDE.into());
                            c.remedy = text::TEXT_REPORT_SERVER_VENDOR_CLIENTS.into();
                        }
                    }
                    Capa::Unsupported { text } => {
                        c.status = Status::Warn;
                        detail.push(format!("CAPA after STLS was refused: -ERR {text}"));
                        c.remedy = text::TEXT_SERVER_MUST_ANSWER_CAPA.into();
                    }
                    Capa::Broken(f) => {
                        c.status = Status::Fail;
                        detail.push(format!("CAPA after STLS broke: {}", f.message));
                        c.remedy = text::TEXT_SERVER_S_RESPONSES_INSIDE.into();
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
            format!("CAPA not supported: -ERR {text}"),
        )
        .detail(text::DETAIL_WITHOUT_CAPA_RFC_2449)
        .remedy(text::REMEDY_UPGRADE_CONFIGURE_SERVER_SUPPORT)
        .duration(Some(d)),
        Capa::Broken(f) => Check::new(
            CheckId::Pop3Capa,
            Status::Fail,
            ep,
            format!("CAPA response broken: {}", f.message),
        )
        .detail(if f.kind == FailureKind::TooLarge {
            text::SUMMARY_CAPA_RESPONSE_WAS_LONGER
        } else {
            text::TEXT_MULTI_LINE_CAPA_RESPONSE
        })
        .remedy(text::REMEDY_LOGS_CRASHES)
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
    let mut s = format!(
        "CAPA list cut: longer than popscope reads; {}",
        shown.join(", ")
    );
    if rest > 0 {
        s.push_str(&format!(" and {rest} more"));
    }
    s
}

/// The detail of a cut CAPA list: what was kept and what is known by name.
fn cut_detail(kept: usize, cut: u64, named: usize, names_lost: u64) -> String {
    let mut s = format!(
        "popscope keeps 200 CAPA lines and 64 KiB of them, and reads lines of up to 64 KiB; this \
            list went past that. {kept} line(s) were kept whole; of {named} more, only the \
            capability name (the first word) was kept"
    );
    if cut > 0 {
        s.push_str(&format!(
            ", {cut} of them because the line was longer than 64 KiB and was cut"
        ));
    }
    s.push_str(text::TEXT_STLS_USER_SASL_WERE);
    if names_lost > 0 {
        s.push_str(&format!(
            " {names_lost} further line(s) were not seen even by name, so a \
            capability missing from this list may still be offered."
        ));
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
                    "no clear-text login offered before TLS",
                )
                .detail(text::DETAIL_BEFORE_STLS_SERVER_DOES)
            } else {
                Check::new(
                    CheckId::AuthCleartext,
                    Status::Warn,
                    ep,
                    format!(
                        "clear-text login offered before TLS: {}",
                        offered.join(", ")
                    ),
                )
                .detail(text::DETAIL_CLIENT_SKIPS_STLS_TRICKED)
                .remedy(text::REMEDY_DISABLE_PLAIN_TEXT_AUTHENTICATION)
                .data(json!({"offered": offered}))
            }
        }
        _ => Check::new(
            CheckId::AuthCleartext,
            Status::Skip,
            ep,
            text::SUMMARY_UNKNOWN_WITHOUT_CAPA_POPSCOPE,
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
                    format!("the server sent {leftover} byte(s) of plaintext after +OK to STLS"),
                )
                .detail(text::DETAIL_DATA_SENT_BEFORE_TLS)
                .remedy("Report it to the server vendor.")
                .duration(Some(d))
            } else if handshake_ok {
                Check::new(
                    CheckId::TlsStls,
                    Status::Pass,
                    ep,
                    text::SUMMARY_STLS_OFFERED_UPGRADE_TLS,
                )
                .duration(Some(d))
            } else {
                Check::new(
                    CheckId::TlsStls,
                    Status::Fail,
                    ep,
                    text::SUMMARY_STLS_ACCEPTED_BUT_TLS,
                )
                .remedy("See tls.handshake for the reason.")
                .duration(Some(d))
            }
        }
        Stls::NotOffered if leg.capa_plain.as_ref().is_some_and(|(c, _)| c.truncated()) => {
            Check::new(
                CheckId::TlsStls,
                Status::Skip,
                ep,
                text::SUMMARY_COULD_NOT_TELL_WHETHER,
            )
            .detail(text::DETAIL_STLS_WAS_NOT_AMONG)
            .remedy(text::REMEDY_SHORTEN_SERVER_S_CAPA)
            .duration(Some(d))
        }
        Stls::NotOffered | Stls::Refused { .. } => {
            let what = match stls {
                Stls::Refused { text } => format!("STLS refused: -ERR {text}"),
                _ => text::TEXT_STLS_NOT_OFFERED_PORT.to_string(),
            };
            let (status, detail) = if any_tls_works {
                (Status::Warn, text::TEXT_PORT_995_IMPLICIT_TLS)
            } else {
                (Status::Fail, text::TEXT_NO_WORKING_TLS_PASSWORDS)
            };
            let unlisted = matches!(stls, Stls::Refused { .. })
                && leg
                    .capa_plain
                    .as_ref()
                    .is_some_and(|(c, _)| c.truncated() && !c.has("STLS"));
            let detail = if unlisted {
                format!(
                    "{detail} (STLS was not among the capabilities seen in the cut CAPA list; \
                        popscope tried it anyway.)"
                )
            } else {
                detail.to_string()
            };
            Check::new(CheckId::TlsStls, status, ep, what)
                .detail(detail)
                .remedy(text::REMEDY_ENABLE_TLS_SERVER_DOVECOT)
                .duration(Some(d))
        }
        Stls::Broken(f) => Check::new(
            CheckId::TlsStls,
            Status::Fail,
            ep,
            format!("the STLS exchange broke: {}", f.message),
        )
        .remedy("Check the server's logs.")
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
            text::SUMMARY_PLAINTEXT_SENT_TOGETHER_STLS,
        )
        .detail(text::DETAIL_POPSCOPE_SENT_STLS_ANOTHER),
        Injection::Vulnerable { evidence } => Check::new(
            CheckId::TlsStlsInjection,
            Status::Fail,
            ep,
            "vulnerable to STARTTLS command injection",
        )
        .detail(format!(
            "The server answered, inside TLS, a command sent in plaintext before \
                the upgrade ({evidence}). A man in the middle can inject commands into the \
                encrypted session (CVE-2011-0411 class)."
        ))
        .remedy(text::REMEDY_UPDATE_POP3_SERVER_MUST),
        Injection::Inconclusive(why) => Check::new(
            CheckId::TlsStlsInjection,
            Status::Skip,
            ep,
            format!("could not tell: {why}"),
        ),
    }
}

fn tls_checks(leg: &LegOutcome, rules: &Rules, view: &RunView, out: &mut Vec<Check>) {
    let ep = Some(leg.label());
    let Some(tls) = &leg.tls else { return };
    let s = match tls {
        Err(f) => {
            let plain_on_tls;
            let remedy = match f.kind {
                FailureKind::Plaintext if leg.plain_on_tls_port() => {
                    plain_on_tls = plaintext_on_tls_remedy(leg.addr.port(), view);
                    plain_on_tls.as_str()
                }
                FailureKind::Plaintext => text::TEXT_PORT_DOES_NOT_SPEAK,
                FailureKind::Timeout => text::TEXT_SERVER_DID_NOT_FINISH,
                FailureKind::ProtocolVersion => text::TEXT_NO_TLS_VERSION_COMMON,
                FailureKind::HandshakeFailure => text::TEXT_NO_CIPHER_SUITE_KEY,
                _ => text::TEXT_CHECK_SERVER_S_TLS,
            };
            if let Some(key) = leg.tls_partial.as_ref().and_then(beyond_popscope) {
                // popscope's own limit, not a server fault: say so, judge
                // the certificate it saw, and blame nothing else.
                out.push(
                    Check::new(
                        CheckId::TlsHandshake,
                        Status::Skip,
                        ep.clone(),
                        format!(
                            "popscope cannot verify this server's {key} key: the limit is \
                            popscope's, not the server's"
                        ),
                    )
                    .detail(format!(
                        "popscope's TLS library verifies RSA keys of up to 8,192 bits; mainstream \
                            mail clients (built on OpenSSL or NSS) accept RSA keys of up to \
                            16,384 bits, so they can reach this server. The handshake error was: \
                            {}",
                        f.message
                    ))
                    .remedy(text::REMEDY_NOTHING_CHANGE_SERVER_CHECK)
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
                    format!("TLS handshake failed: {}", f.message),
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
                        format!("the server offers only {v}"),
                    )
                    .detail(format!(
                        "A hand-built ClientHello offering TLS 1.0/1.1 was \
                            answered with {v}; TLS 1.2 and 1.3 were refused. {v} is retired (RFC \
                            8996) and modern clients refuse it."
                    ))
                    .remedy(text::REMEDY_ENABLE_TLS_1_2)
                    .data(json!({"version": v})),
                    Legacy::Refused(w) => Check::new(
                        CheckId::TlsProtocol,
                        Status::Fail,
                        ep.clone(),
                        format!(
                            "no TLS version could be negotiated (legacy versions also refused: {w})"
                        ),
                    )
                    .remedy("Check the server's TLS configuration."),
                    Legacy::Inconclusive(w) => Check::new(
                        CheckId::TlsProtocol,
                        Status::Skip,
                        ep.clone(),
                        format!("version unknown: {w}"),
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
            format!("handshake completed in {} ms", s.duration.as_millis()),
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
            format!("{} with {}", s.version, s.cipher),
        )
        .data(json!({"version": s.version, "cipher": s.cipher}))
    } else {
        Check::new(
            CheckId::TlsProtocol,
            Status::Fail,
            ep.clone(),
            format!("{} negotiated", s.version),
        )
        .remedy("Enable TLS 1.2 and 1.3 on the server.")
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
                format!("chain trusted (issued by {issuer})"),
            ),
            ChainFinding::Deferred(why) => Check::new(
                CheckId::TlsChain,
                Status::Pass,
                ep.clone(),
                format!("chain complete to a trusted root (issued by {issuer})"),
            )
            .detail(format!(
                "Verification failed for another reason, judged separately: {why}"
            )),
            ChainFinding::SelfSigned => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                text::SUMMARY_SELF_SIGNED_CERTIFICATE_NO,
            )
            .detail(format!(
                "The certificate ({}) is its own issuer. SHA-256 fingerprint: {}",
                leaf.map(|c| c.subject.as_str()).unwrap_or("?"),
                leaf.map(|c| fingerprint(&c.sha256)).unwrap_or_default()
            ))
            .remedy(text::REMEDY_SERVER_INSTALL_CERTIFICATE_FROM),
            ChainFinding::UnknownIssuer { issuer } => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                format!(
                    "untrusted issuer: the chain ends at {issuer}, which is not a trusted root"
                ),
            )
            .remedy(text::REMEDY_USE_CERTIFICATE_FROM_PUBLIC),
            ChainFinding::MissingIntermediate { issuer } => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                format!(
                    "incomplete chain: the server did not send the intermediate certificate \
                ({issuer})"
                ),
            )
            .detail(text::DETAIL_LEAF_S_ISSUER_NEITHER)
            .remedy(text::REMEDY_CONFIGURE_SERVER_FULL_CHAIN),
            ChainFinding::Other(w) => Check::new(
                CheckId::TlsChain,
                Status::Fail,
                ep.clone(),
                format!("chain not trusted: {w}"),
            )
            .remedy(text::REMEDY_CHECK_CERTIFICATE_CHAIN_INSTALLED),
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
                format!("certificate valid for {} ({})", n.name, n.why),
            )
            .detail(format!("Valid for: {names}"))
            .data(json!({"name": n.name, "valid_for": n.names, "cn_fallback": n.used_cn}))
        } else {
            let same: Vec<&str> = n
                .alternatives
                .iter()
                .filter(|(_, s)| *s)
                .map(|(x, _)| x.as_str())
                .collect();
            let mut detail = format!(
                "It is valid for: {}",
                if names.is_empty() {
                    "no name at all".into()
                } else {
                    names
                }
            );
            let remedy = match same.first() {
                Some(alt) => {
                    detail.push_str(&format!(
                        ". {} resolve(s) to the same address as this server.",
                        same.join(", ")
                    ));
                    format!(
                        "In the mail client, use {alt} as the server name: the certificate is \
                        for that name, at the same address (check with --tls-name {alt}). On the \
                        server, install a certificate that also lists {}.",
                        n.name
                    )
                }
                None => text::TEXT_INSTALL_CERTIFICATE_LISTS_NAME.to_string(),
            };
            let alternatives: Vec<serde_json::Value> = n
                .alternatives
                .iter()
                .map(|(x, s)| json!({"name": x, "same_address": s}))
                .collect();
            let (summary, detail, remedy) = if n.used_cn && n.names.iter().any(|x| x == &n.name) {
                (
                    format!(
                        "certificate names {} only in its Common Name, without a \
                        subjectAltName: modern mail clients refuse it ({})",
                        n.name, n.why
                    ),
                    format!(
                        "The certificate has no DNS subjectAltName; {} appears only in its \
                        subject Common Name. Modern clients (Thunderbird, Outlook, Apple Mail, \
                        Android, everything built on OpenSSL 1.1+ or rustls, and popscope) match \
                        host names against subjectAltName only (RFC 6125), so they refuse it.",
                        n.name
                    ),
                    format!(
                        "On the server, install a certificate that lists {} as a \
                        subjectAltName (every public CA issues them that way); nothing in the \
                        mail client can fix it.",
                        n.name
                    ),
                )
            } else {
                (
                    format!("certificate not valid for {} ({})", n.name, n.why),
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
            text::SUMMARY_NO_NAME_CHECK_GIVE,
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
                format!(
                    "certificate expired on {} ({} days ago)",
                    fmt(na),
                    -days_left
                ),
            )
            .remedy(text::REMEDY_RENEW_CERTIFICATE_RELOAD_SERVER)
            .data(data)
        } else if rules.now < nb {
            Check::new(
                CheckId::TlsExpiry,
                Status::Fail,
                ep.clone(),
                format!("certificate not valid before {}", fmt(nb)),
            )
            .detail(text::DETAIL_EITHER_CERTIFICATE_WAS_ISSUED)
            .remedy(text::REMEDY_CHECK_CLOCKS_NTP_SERVER)
            .data(data)
        } else if days_left < i64::from(rules.expiry_warn_days) {
            Check::new(
                CheckId::TlsExpiry,
                Status::Warn,
                ep.clone(),
                format!("certificate expires in {days_left} days ({})", fmt(na)),
            )
            .remedy(text::REMEDY_RENEW_CERTIFICATE_SOON_CHECK)
            .data(data)
        } else {
            Check::new(
                CheckId::TlsExpiry,
                Status::Pass,
                ep.clone(),
                format!("valid until {} ({days_left} days left)", fmt(na)),
            )
            .data(data)
        });
    }

    let weak = match s.key_alg.as_str() {
        "RSA" => s.key_bits < 2048,
        "EC" => s.key_bits < 256,
        _ => false,
    };
    let key = format!("{} {}", s.key_alg, s.key_bits);
    out.push(if weak {
        Check::new(
            CheckId::TlsKey,
            Status::Warn,
            ep,
            format!("weak key: {key} bits"),
        )
        .detail(text::DETAIL_RSA_KEYS_BELOW_2048)
        .remedy(text::REMEDY_ISSUE_NEW_CERTIFICATE_RSA)
        .data(json!({"algorithm": s.key_alg, "bits": s.key_bits}))
    } else {
        Check::new(CheckId::TlsKey, Status::Pass, ep, format!("{key}-bit key"))
            .data(json!({"algorithm": s.key_alg, "bits": s.key_bits}))
    });
}

#[cfg(test)]
mod tests;
