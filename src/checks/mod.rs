//! Outcome → checks with stable ids (see `docs/checks.md`). Pure functions:
//! no I/O, no clock except the `now` passed in.

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
                c.detail = "Another address of this server works, but this one does not: clients that pick it (IPv6 is usually tried first) fail or wait before falling back.".into();
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
            Check::new(CheckId::RunDeadline, Status::Fail, None, "the run hit its --deadline before every probe finished")
                .detail("Probes still running at the deadline were stopped; their results are missing or partial.")
                .remedy("Raise --deadline, or lower --timeout so each step gives up sooner."),
        );
    }
    if outcome.interrupted {
        out.push(Check::new(
            CheckId::RunInterrupted,
            Status::Warn,
            None,
            "interrupted (Ctrl-C): the results are partial",
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
                return "The DNS server given with --dns-server refused the query: check that it serves this domain (or resolves names for this client), or ask the domain's DNS administrator.";
            }
            FailureKind::Timeout => {
                return "The DNS server given with --dns-server did not answer in time: check its address and port, and that it is running and reachable from here.";
            }
            FailureKind::NxDomain | FailureKind::NoData | FailureKind::ServFail => {}
            _ => {
                return "The DNS server given with --dns-server failed to answer: check that it serves this domain, or ask the domain's DNS administrator.";
            }
        }
    }
    match f.kind {
        FailureKind::NxDomain => {
            "The name does not exist: check its spelling, or ask the mail provider for the correct POP3 server name."
        }
        FailureKind::NoData => {
            "The name exists but has no address: the DNS administrator must add an A (IPv4) and/or AAAA (IPv6) record."
        }
        FailureKind::ServFail => {
            "The DNS server failed to answer (often a DNSSEC or delegation problem at the domain's DNS host): try again later or report it to the domain's DNS administrator."
        }
        FailureKind::Timeout => {
            "No DNS answer in time: check the network or the resolver (try --dns-server 9.9.9.9 to compare)."
        }
        FailureKind::Refused => {
            "The DNS server refused the query: use another resolver (--dns-server)."
        }
        _ => {
            "Check the resolver configuration (/etc/resolv.conf) or try another with --dns-server."
        }
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
                "the target is an IP address: nothing to resolve",
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
                    " (the conventional POP3 host name for the domain)".to_string()
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
                    .remedy("Drop -4/-6, or check from a network that has the other IP family.")
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
        Some(Err(f)) => Check::new(CheckId::DnsMx, Status::Info, None, format!("no MX records: {}", f.message))
            .detail("MX records route incoming mail (SMTP); POP3 does not need them, but a domain that receives mail usually has them.")
            .data(json!({"error": f.kind.as_str()})),
        Some(Ok(list)) if list.is_empty() => Check::new(CheckId::DnsMx, Status::Info, None, "no MX records")
            .detail("MX records route incoming mail (SMTP); POP3 does not need them."),
        Some(Ok(list)) => {
            let dangling: Vec<&str> = list.iter().filter(|m| !matches!(&m.addresses, Ok(v) if !v.is_empty())).map(|m| m.exchange.as_str()).collect();
            let names = list.iter().map(|m| format!("{} {}", m.preference, m.exchange)).collect::<Vec<_>>().join(", ");
            let data = json!(list.iter().map(|m| {
                let (addresses, error) = addr_json(&m.addresses);
                json!({"preference": m.preference, "exchange": m.exchange, "addresses": addresses, "error": error})
            }).collect::<Vec<_>>());
            if dangling.is_empty() {
                Check::new(CheckId::DnsMx, Status::Pass, None, format!("MX: {names}")).data(data)
            } else {
                Check::new(CheckId::DnsMx, Status::Warn, None, format!("MX host(s) that do not resolve: {}", dangling.join(", ")))
                    .detail(format!("MX: {names}. A dangling MX makes senders fail or fall back."))
                    .remedy("Ask the domain's DNS administrator to fix or remove the MX records whose host has no address.")
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
        Check::new(CheckId::DnsSrv, Status::Warn, None, format!("SRV target(s) that do not resolve: {}", dangling.join(", ")))
            .detail(records.join("; "))
            .remedy("Ask the domain's DNS administrator to point the SRV record at a host that has an address, or remove it.")
            .data(data)
    } else if records.is_empty() && !not_available.is_empty() {
        Check::new(CheckId::DnsSrv, Status::Info, None, not_available.join("; "))
            .detail("An SRV record with target \".\" says the service is decidedly not offered at this domain (RFC 2782); popscope guessed the host name instead.")
            .data(data)
    } else if records.is_empty() {
        Check::new(CheckId::DnsSrv, Status::Info, None, "no RFC 6186 SRV records (_pop3s._tcp, _pop3._tcp)")
            .detail("Mail clients that auto-configure from SRV records will fall back to guessing the server name. Not an error.")
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
        FailureKind::Refused => {
            "Nothing listens on this port: check the port number, and that the POP3 service is running and enabled for it."
        }
        FailureKind::Timeout => {
            "Packets are dropped (a firewall filters this port, or the host is down): check firewalls on both sides; some networks block POP3 ports."
        }
        FailureKind::Unreachable => {
            "The network has no route to this address: check the client's network connection (and IPv6 connectivity for an IPv6 address)."
        }
        _ => "Check the address, the port and the network path.",
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
                c = c
                    .detail("Another port of this server gives working TLS POP3, so this is common and fine (many providers only open port 995).")
                    .remedy("");
            } else if status == Status::Warn {
                c = c.detail("Another port works with TLS, but this one is silently filtered: clients configured for this port will hang until they time out.");
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
                Check::new(CheckId::Pop3Greeting, Status::Warn, ep, format!("greeting took {ms} ms (slower than {} ms)", rules.slow.as_millis()))
                    .detail(format!("+OK {text}. Slow greetings usually mean reverse-DNS lookups or an overloaded server; clients with short timeouts give up."))
                    .remedy("Check the server's load and its reverse-DNS/ident lookups on connect (e.g. disable them or fix the resolver the server uses).")
                    .duration(Some(d))
                    .data(data)
            } else {
                Check::new(CheckId::Pop3Greeting, Status::Pass, ep, format!("+OK greeting in {ms} ms"))
                    .detail(format!("+OK {text}"))
                    .duration(Some(d))
                    .data(data)
            }
        }
        Greeting::Err { text } => Check::new(CheckId::Pop3Greeting, Status::Fail, ep, format!("the server greets with -ERR: {text}"))
            .detail("A -ERR greeting means the server refuses service to this client (overload, maintenance, or an access rule).")
            .remedy("Read the server's words above; check the server's access rules and logs.")
            .duration(Some(d)),
        Greeting::Silent if sec == Security::Plain && leg.tls_on_plain.is_some() => {
            tls_on_plain_check(leg, d, ep, view)
        }
        Greeting::Silent => Check::new(CheckId::Pop3Greeting, Status::Fail, ep, format!("no greeting within {ms} ms: the server accepted the connection but said nothing"))
            .detail(if sec == Security::Plain {
                "A POP3 server speaks first. Silence on a plain port often means the port expects TLS (try pop3s:// or port 995), or a firewall/proxy is in the way."
            } else {
                "A POP3 server speaks first. Silence means the service is hung or a proxy is in the way."
            })
            .remedy("Check that the POP3 service is healthy (its logs, its process count limits), and that the port expects plain POP3.")
            .duration(Some(d)),
        Greeting::Closed => Check::new(CheckId::Pop3Greeting, Status::Fail, ep, "the server closed the connection without a greeting")
            .detail("The service accepted and closed at once: typically a connection limit, a TCP wrapper/access rule, or a crashing service.")
            .remedy("Check the server's logs and access rules (hosts.allow, connection limits per IP).")
            .duration(Some(d)),
        Greeting::Foreign { protocol, banner } => {
            let what = protocol.clone().unwrap_or_else(|| "no known protocol".into());
            let remedy = foreign_remedy(protocol.as_deref(), leg.addr.port(), view);
            Check::new(CheckId::Pop3Greeting, Status::Fail, ep, format!("not a POP3 server: the banner looks like {what}"))
                .detail(format!("First line: {banner}"))
                .remedy(remedy)
                .duration(Some(d))
                .data(json!({"protocol": protocol, "banner": banner}))
        }
        Greeting::Failed(f) => Check::new(CheckId::Pop3Greeting, Status::Fail, ep, f.message.clone())
            .remedy(if f.kind == FailureKind::Unterminated {
                "The server began a POP3 greeting but never finished its line: check the server's logs, and any proxy or filter between client and server that may hold data back."
            } else {
                "Check the server's logs; the connection broke before a greeting."
            })
            .duration(Some(d)),
    }
}

/// The remedy for another service's banner: names the service, then points
/// at the POP3 ports that worked in this run, or says that POP3 must be
/// configured (docs/checks.md, pop3.greeting).
fn foreign_remedy(protocol: Option<&str>, port: u16, view: &RunView) -> String {
    let service = match protocol {
        Some(p) if p.starts_with("TLS") => {
            return format!(
                "This port expects TLS from the first byte: in the mail client, choose SSL/TLS for port {port} (pop3s://host:{port})."
            );
        }
        Some(p) if p.contains("SMTP") => {
            "another service (an SMTP mail server, for sending mail), not POP3".to_string()
        }
        Some(p) if p.contains("IMAP") => {
            "another service (IMAP, a different mailbox protocol), not POP3".to_string()
        }
        Some(p) => format!("another service ({p}), not POP3"),
        None => "something that is not POP3".to_string(),
    };
    let mut r = format!("Port {port} runs {service}. ");
    match view.working() {
        Some(w) => r.push_str(&format!(
            "POP3 works in this run on {w}: configure the mail client for that port."
        )),
        None => r.push_str(
            "No POP3 service answered in this run: the POP3 server must be configured and running on the port clients use (usually 995 with SSL/TLS, or 110 with STARTTLS).",
        ),
    }
    if protocol.is_some_and(|p| p.contains("IMAP")) {
        r.push_str(" Or set the mail client up for IMAP on this port.");
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
        "No plaintext greeting within {} ms, but a TLS ClientHello on a second connection was answered ({}{}).",
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
                " Port {other}, where TLS was expected, speaks plain POP3: the two ports are swapped."
            ));
            format!(
                "On the server, swap the two back: implicit TLS (POP3S) on port {other}, plain POP3 with STLS on port {port}."
            )
        }
        None => format!(
            "On the server, fix the port assignment: port {port} is meant for plain POP3 with STLS, implicit TLS (POP3S) belongs on port 995."
        ),
    };
    Check::new(
        CheckId::Pop3Greeting,
        Status::Fail,
        ep,
        format!("this port speaks TLS, not plain POP3: it is the TLS port{}", if swapped.is_some() { " (the two ports are swapped)" } else { "" }),
    )
    .detail(detail)
    .remedy(format!(
        "In the mail client, connect with SSL/TLS to port {port} (pop3s://{host}:{port}). {server_fix}"
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
            "The two ports are swapped: port {port} speaks plain POP3 and port {other} speaks TLS. In the mail client, connect with SSL/TLS to port {other} (pop3s://host:{other}); on the server, swap them back (implicit TLS on port {port}, plain POP3 with STLS on port {other})."
        );
    }
    let stls = view
        .pop3_ports
        .iter()
        .find(|(p, how)| *p != port && *how == "with STARTTLS");
    match stls {
        Some((p, _)) => format!(
            "This port speaks plain POP3, not TLS. In the mail client, use port {p} with STARTTLS, which works; on the server, enable implicit TLS (POP3S) on port {port}."
        ),
        None => format!(
            "This port speaks plain POP3, not TLS: on the server, enable implicit TLS (POP3S) on port {port}, or move plain POP3 to its own port (110) and offer STLS there."
        ),
    }
}

fn capa_check(capa: &Capa, d: Duration, ep: Option<String>, after: Option<&Capa>) -> Check {
    match capa {
        Capa::Listed { lines, over_limit, truncated, cut, later, names_lost } => {
            let mut c = Check::new(CheckId::Pop3Capa, Status::Pass, ep, format!("CAPA: {}", lines.join(", ")));
            let mut detail = Vec::new();
            let mut data = json!({"capabilities": lines});
            if *truncated {
                c.status = Status::Warn;
                c.summary = cut_summary(lines, later, *names_lost);
                detail.push(cut_detail(lines.len(), *cut, later.len(), *names_lost));
                c.remedy = "A CAPA list this long is unusual and some clients fail on it: check what the server lists (e.g. its SASL mechanisms) and report it to the server's vendor.".into();
                data["truncated"] = json!(true);
                data["cut_lines"] = json!(cut);
                data["names_after_cut"] = json!(later);
                data["names_not_seen"] = json!(names_lost);
            }
            if *over_limit > 0 {
                c.status = Status::Warn;
                detail.push(format!("{over_limit} capability line(s) exceed the RFC 2449 limit of 512 octets."));
                c.remedy = "Report the over-long CAPA lines to the server's vendor; some clients reject them.".into();
            }
            if let Some(after) = after {
                match after {
                    Capa::Listed { lines: tls_lines, .. } => {
                        let norm = |l: &String| l.to_ascii_uppercase();
                        let before: Vec<String> = lines.iter().map(norm).collect();
                        let post: Vec<String> = tls_lines.iter().map(norm).collect();
                        let added: Vec<&String> = tls_lines.iter().filter(|l| !before.contains(&norm(l))).collect();
                        let removed: Vec<&String> = lines.iter().filter(|l| !post.contains(&norm(l))).collect();
                        data["capabilities_after_tls"] = json!(tls_lines);
                        data["added_after_tls"] = json!(added);
                        data["removed_after_tls"] = json!(removed);
                        detail.push(format!(
                            "After STLS (RFC 2595 §4 requires asking again): added [{}], removed [{}].",
                            added.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                            removed.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                        ));
                        if after.has("STLS") {
                            c.status = Status::Warn;
                            detail.push("STLS is still listed inside TLS; RFC 2595 says it must disappear.".into());
                            c.remedy = "Report it to the server vendor; clients may try to upgrade twice.".into();
                        }
                    }
                    Capa::Unsupported { text } => {
                        c.status = Status::Warn;
                        detail.push(format!("CAPA after STLS was refused: -ERR {text}"));
                        c.remedy = "The server must answer CAPA inside TLS (RFC 2595 §4); report it to the vendor.".into();
                    }
                    Capa::Broken(f) => {
                        c.status = Status::Fail;
                        detail.push(format!("CAPA after STLS broke: {}", f.message));
                        c.remedy = "The server's responses inside TLS are broken; check its logs.".into();
                    }
                }
            }
            c.detail = detail.join(" ");
            c.duration(Some(d)).data(data)
        }
        Capa::Unsupported { text } => Check::new(CheckId::Pop3Capa, Status::Warn, ep, format!("CAPA not supported: -ERR {text}"))
            .detail("Without CAPA (RFC 2449, 1998) clients cannot discover STLS, SASL or PIPELINING and fall back to guessing.")
            .remedy("Upgrade or configure the server to support CAPA.")
            .duration(Some(d)),
        Capa::Broken(f) => Check::new(CheckId::Pop3Capa, Status::Fail, ep, format!("CAPA response broken: {}", f.message))
            .detail(if f.kind == FailureKind::TooLarge {
                "The CAPA response was longer than popscope reads, so it stopped reading before the response's end (a line with a single '.'); a list that long makes clients hang or fail here too."
            } else {
                "The multi-line CAPA response did not end properly (a line with a single '.'): clients will hang or fail here."
            })
            .remedy("Check the server's logs for crashes; report it to the server vendor.")
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
        "popscope keeps 200 CAPA lines and 64 KiB of them, and reads lines of up to 64 KiB; this list went past that. {kept} line(s) were kept whole; of {named} more, only the capability name (the first word) was kept"
    );
    if cut > 0 {
        s.push_str(&format!(
            ", {cut} of them because the line was longer than 64 KiB and was cut"
        ));
    }
    s.push_str(". STLS, USER and SASL were looked for among those names too.");
    if names_lost > 0 {
        s.push_str(&format!(" {names_lost} further line(s) were not seen even by name, so a capability missing from this list may still be offered."));
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
                Check::new(CheckId::AuthCleartext, Status::Pass, ep, "no clear-text login offered before TLS")
                    .detail("Before STLS the server does not offer USER or SASL PLAIN/LOGIN, so a client cannot send a password unencrypted.")
            } else {
                Check::new(CheckId::AuthCleartext, Status::Warn, ep, format!("clear-text login offered before TLS: {}", offered.join(", ")))
                    .detail("A client that skips STLS (or is tricked into skipping it) can send the password unencrypted over the network. popscope did not send any password to find this out.")
                    .remedy("Disable plain-text authentication before TLS (Dovecot: disable_plaintext_auth = yes / auth_allow_cleartext = no) so USER and SASL PLAIN/LOGIN appear only after STLS.")
                    .data(json!({"offered": offered}))
            }
        }
        _ => Check::new(
            CheckId::AuthCleartext,
            Status::Skip,
            ep,
            "unknown: without CAPA popscope cannot tell without sending credentials (it never does)",
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
                Check::new(CheckId::TlsStls, Status::Fail, ep, format!("the server sent {leftover} byte(s) of plaintext after +OK to STLS"))
                    .detail("Data sent before the TLS handshake can be injected by an attacker and must be discarded; this server sends it.")
                    .remedy("Report it to the server vendor.")
                    .duration(Some(d))
            } else if handshake_ok {
                Check::new(
                    CheckId::TlsStls,
                    Status::Pass,
                    ep,
                    "STLS offered and the upgrade to TLS succeeded",
                )
                .duration(Some(d))
            } else {
                Check::new(
                    CheckId::TlsStls,
                    Status::Fail,
                    ep,
                    "STLS accepted, but the TLS handshake failed (see tls.handshake)",
                )
                .remedy("See tls.handshake for the reason.")
                .duration(Some(d))
            }
        }
        Stls::NotOffered
            if leg
                .capa_plain
                .as_ref()
                .is_some_and(|(c, _)| c.truncated()) =>
        {
            Check::new(
                CheckId::TlsStls,
                Status::Skip,
                ep,
                "could not tell whether STLS is offered: the CAPA list was cut before its end",
            )
            .detail("STLS was not among the capabilities seen, but the list went on past what popscope reads, so its absence proves nothing.")
            .remedy("Shorten the server's CAPA list (see pop3.capa), then check again.")
            .duration(Some(d))
        }
        Stls::NotOffered | Stls::Refused { .. } => {
            let what = match stls {
                Stls::Refused { text } => format!("STLS refused: -ERR {text}"),
                _ => "STLS not offered: this port only speaks unencrypted POP3".to_string(),
            };
            let (status, detail) = if any_tls_works {
                (
                    Status::Warn,
                    "Port 995 (implicit TLS) works, but clients set up for this port will send passwords and mail unencrypted.",
                )
            } else {
                (
                    Status::Fail,
                    "No working TLS: passwords and mail cross the network unencrypted.",
                )
            };
            let unlisted = matches!(stls, Stls::Refused { .. })
                && leg
                    .capa_plain
                    .as_ref()
                    .is_some_and(|(c, _)| c.truncated() && !c.has("STLS"));
            let detail = if unlisted {
                format!("{detail} (STLS was not among the capabilities seen in the cut CAPA list; popscope tried it anyway.)")
            } else {
                detail.to_string()
            };
            Check::new(CheckId::TlsStls, status, ep, what)
                .detail(detail)
                .remedy("Enable TLS on the server (Dovecot: ssl = yes with a certificate), or point clients at port 995 (POP3S).")
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
        Injection::Safe => Check::new(CheckId::TlsStlsInjection, Status::Pass, ep, "plaintext sent together with STLS was not answered inside TLS")
            .detail("popscope sent STLS and another command in one packet; the server correctly discarded the second one at the upgrade."),
        Injection::Vulnerable { evidence } => Check::new(CheckId::TlsStlsInjection, Status::Fail, ep, "vulnerable to STARTTLS command injection")
            .detail(format!("The server answered, inside TLS, a command sent in plaintext before the upgrade ({evidence}). A man in the middle can inject commands into the encrypted session (CVE-2011-0411 class)."))
            .remedy("Update the POP3 server: it must discard buffered plaintext when STLS succeeds."),
        Injection::Inconclusive(why) => Check::new(CheckId::TlsStlsInjection, Status::Skip, ep, format!("could not tell: {why}")),
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
                FailureKind::Plaintext => {
                    "This port does not speak TLS from the first byte: check which service listens here, and configure implicit TLS (POP3S) on it."
                }
                FailureKind::Timeout => {
                    "The server did not finish the handshake: check for a proxy or firewall that inspects TLS, and the server's TLS configuration."
                }
                FailureKind::ProtocolVersion => {
                    "No TLS version in common: the server must support TLS 1.2 or 1.3 (RFC 8996 retires 1.0/1.1)."
                }
                FailureKind::HandshakeFailure => {
                    "No cipher suite or key exchange in common: enable modern TLS 1.2/1.3 ciphers (ECDHE with AES-GCM or ChaCha20) on the server."
                }
                _ => "Check the server's TLS configuration and logs.",
            };
            if let Some(key) = leg.tls_partial.as_ref().and_then(beyond_popscope) {
                // popscope's own limit, not a server fault: say so, judge
                // the certificate it saw, and blame nothing else.
                out.push(
                    Check::new(
                        CheckId::TlsHandshake,
                        Status::Skip,
                        ep.clone(),
                        format!("popscope cannot verify this server's {key} key: the limit is popscope's, not the server's"),
                    )
                    .detail(format!(
                        "popscope's TLS library verifies RSA keys of up to 8,192 bits; mainstream mail clients (built on OpenSSL or NSS) accept RSA keys of up to 16,384 bits, so they can reach this server. The handshake error was: {}",
                        f.message
                    ))
                    .remedy("Nothing to change on the server for this: check the connection with a mail client or `openssl s_client -connect HOST:PORT`.")
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
                    Legacy::Offers(v) => Check::new(CheckId::TlsProtocol, Status::Fail, ep.clone(), format!("the server offers only {v}"))
                        .detail(format!("A hand-built ClientHello offering TLS 1.0/1.1 was answered with {v}; TLS 1.2 and 1.3 were refused. {v} is retired (RFC 8996) and modern clients refuse it."))
                        .remedy("Enable TLS 1.2 and 1.3 on the server (and disable 1.0/1.1).")
                        .data(json!({"version": v})),
                    Legacy::Refused(w) => Check::new(CheckId::TlsProtocol, Status::Fail, ep.clone(), format!("no TLS version could be negotiated (legacy versions also refused: {w})"))
                        .remedy("Check the server's TLS configuration."),
                    Legacy::Inconclusive(w) => Check::new(CheckId::TlsProtocol, Status::Skip, ep.clone(), format!("version unknown: {w}")),
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
    out.push(match &s.chain {
        ChainFinding::Trusted => Check::new(CheckId::TlsChain, Status::Pass, ep.clone(), format!("chain trusted (issued by {issuer})")),
        ChainFinding::Deferred(why) => Check::new(CheckId::TlsChain, Status::Pass, ep.clone(), format!("chain complete to a trusted root (issued by {issuer})"))
            .detail(format!("Verification failed for another reason, judged separately: {why}")),
        ChainFinding::SelfSigned => Check::new(CheckId::TlsChain, Status::Fail, ep.clone(), "self-signed certificate: no client will trust it")
            .detail(format!("The certificate ({}) is its own issuer. SHA-256 fingerprint: {}", leaf.map(|c| c.subject.as_str()).unwrap_or("?"), leaf.map(|c| fingerprint(&c.sha256)).unwrap_or_default()))
            .remedy("On the server, install a certificate from a public CA (e.g. Let's Encrypt) together with its intermediate certificate (e.g. fullchain.pem). Meanwhile, users can compare the SHA-256 fingerprint with the one on the server and add a one-time exception in the mail client, or pass that certificate to popscope with --ca-file."),
        ChainFinding::UnknownIssuer { issuer } => Check::new(CheckId::TlsChain, Status::Fail, ep.clone(), format!("untrusted issuer: the chain ends at {issuer}, which is not a trusted root"))
            .remedy("Use a certificate from a public CA, or (private CA) install the CA certificate on clients (popscope: --ca-file)."),
        ChainFinding::MissingIntermediate { issuer } => Check::new(CheckId::TlsChain, Status::Fail, ep.clone(), format!("incomplete chain: the server did not send the intermediate certificate ({issuer})"))
            .detail("The leaf's issuer is neither sent by the server nor a trusted root. Most often the server is configured with the leaf only; some clients patch this up, many (phones, fetchmail, Outlook) fail.")
            .remedy("Configure the server with the full chain file (leaf followed by intermediates, e.g. Let's Encrypt fullchain.pem). If the issuer is a private root, use --ca-file."),
        ChainFinding::Other(w) => Check::new(CheckId::TlsChain, Status::Fail, ep.clone(), format!("chain not trusted: {w}"))
            .remedy("Check the certificate chain installed on the server."),
    }.data(json!({"trusted": s.verify_error.is_none(), "error": s.verify_error, "depth": s.certificates.len()})));

    if let Some(n) = &s.name {
        let names = n.names.join(", ");
        out.push(if n.valid {
            Check::new(CheckId::TlsHostname, Status::Pass, ep.clone(), format!("certificate valid for {} ({})", n.name, n.why))
                .detail(format!("Valid for: {names}{}", if n.used_cn { " (from the subject CN: the certificate has no DNS names)" } else { "" }))
                .data(json!({"name": n.name, "valid_for": n.names, "cn_fallback": n.used_cn}))
        } else {
            let same: Vec<&str> = n.alternatives.iter().filter(|(_, s)| *s).map(|(x, _)| x.as_str()).collect();
            let mut detail = format!("It is valid for: {}", if names.is_empty() { "no name at all".into() } else { names });
            let remedy = match same.first() {
                Some(alt) => {
                    detail.push_str(&format!(". {} resolve(s) to the same address as this server.", same.join(", ")));
                    format!("In the mail client, use {alt} as the server name: the certificate is for that name, at the same address (check with --tls-name {alt}). On the server, install a certificate that also lists {}.", n.name)
                }
                None => "Install a certificate that lists this name, or configure clients with a name the certificate lists (check with --tls-name NAME).".to_string(),
            };
            let alternatives: Vec<serde_json::Value> = n.alternatives.iter().map(|(x, s)| json!({"name": x, "same_address": s})).collect();
            Check::new(CheckId::TlsHostname, Status::Fail, ep.clone(), format!("certificate not valid for {} ({})", n.name, n.why))
                .detail(detail)
                .remedy(remedy)
                .data(json!({"name": n.name, "valid_for": n.names, "cn_fallback": n.used_cn, "alternatives": alternatives}))
        });
    } else {
        out.push(Check::new(
            CheckId::TlsHostname,
            Status::Skip,
            ep.clone(),
            "no name to check: give --tls-name NAME for an IP target",
        ));
    }

    if let (Some(nb), Some(na)) = (s.not_before, s.not_after) {
        let fmt = |t: OffsetDateTime| t.date().to_string();
        let days_left = (na - rules.now).whole_days();
        let data = json!({"not_before": crate::timefmt::rfc3339(nb), "not_after": crate::timefmt::rfc3339(na), "days_left": days_left});
        out.push(if rules.now > na {
            Check::new(CheckId::TlsExpiry, Status::Fail, ep.clone(), format!("certificate expired on {} ({} days ago)", fmt(na), -days_left))
                .remedy("Renew the certificate and reload the server (check that automatic renewal, e.g. certbot, runs and reloads the POP3 service).")
                .data(data)
        } else if rules.now < nb {
            Check::new(CheckId::TlsExpiry, Status::Fail, ep.clone(), format!("certificate not valid before {}", fmt(nb)))
                .detail("Either the certificate was issued with a future start date, or a clock (server's or this machine's) is wrong.")
                .remedy("Check the clocks (NTP) on the server and this machine; reissue the certificate if its dates are wrong.")
                .data(data)
        } else if days_left < i64::from(rules.expiry_warn_days) {
            Check::new(CheckId::TlsExpiry, Status::Warn, ep.clone(), format!("certificate expires in {days_left} days ({})", fmt(na)))
                .remedy("Renew the certificate soon; check that automatic renewal works.")
                .data(data)
        } else {
            Check::new(CheckId::TlsExpiry, Status::Pass, ep.clone(), format!("valid until {} ({days_left} days left)", fmt(na))).data(data)
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
        .detail("RSA keys below 2048 bits and EC keys below 256 bits are considered breakable.")
        .remedy("Issue a new certificate with an RSA 2048+ or EC P-256+ key.")
        .data(json!({"algorithm": s.key_alg, "bits": s.key_bits}))
    } else {
        Check::new(CheckId::TlsKey, Status::Pass, ep, format!("{key}-bit key"))
            .data(json!({"algorithm": s.key_alg, "bits": s.key_bits}))
    });
}

#[cfg(test)]
mod tests;
