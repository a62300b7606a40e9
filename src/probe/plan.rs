//! The DNS phase: from a target to the list of endpoints (address × port ×
//! security) to probe, recording every DNS observation on the way.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use futures::future::join_all;

use super::dns::{AddressLookup, DnsError, Resolve, lookup_addresses};
use super::outcome::{
    DnsOutcome, DnsResult, Failure, FailureKind, HostSource, MxFinding, SrvFinding,
};
use crate::config::RunConfig;
use crate::i18n::t;
use crate::model::Security;
use crate::target::{Host, Target};

/// The name a TLS client would verify, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsName {
    /// Name to verify (DNS name or IP literal text).
    pub name: String,
    /// Why this name.
    pub why: String,
    /// SNI to send (none for IP addresses).
    pub sni: Option<String>,
}

/// One endpoint to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegPlan {
    /// Address and port.
    pub addr: SocketAddr,
    /// Plain (+STLS) or implicit TLS.
    pub security: Security,
    /// Part of the default two-port mode.
    pub two_port: bool,
    /// Name for certificate checks.
    pub tls_name: TlsName,
}

fn failure(e: &DnsError) -> Failure {
    let kind = match e {
        DnsError::NxDomain { .. } => FailureKind::NxDomain,
        DnsError::NoRecords { .. } => FailureKind::NoData,
        DnsError::ServFail { .. } => FailureKind::ServFail,
        DnsError::Refused => FailureKind::Refused,
        DnsError::Timeout { .. } => FailureKind::Timeout,
        DnsError::Other(_) => FailureKind::Other,
    };
    Failure::new(kind, e.to_string())
}

fn to_result<T>(r: Result<Vec<T>, DnsError>) -> DnsResult<Vec<T>> {
    r.map_err(|e| failure(&e))
}

async fn resolve_all<R: Resolve + ?Sized>(r: &R, host: &str) -> DnsResult<Vec<IpAddr>> {
    to_result(r.lookup_ip(host).await)
}

/// Records an address lookup's A and AAAA answers; returns its addresses.
fn record_addresses(dns: &mut DnsOutcome, l: &AddressLookup) -> Vec<IpAddr> {
    dns.a = Some(to_result(
        l.a.clone().map(|v| v.into_iter().map(IpAddr::V4).collect()),
    ));
    dns.aaaa = Some(to_result(
        l.aaaa
            .clone()
            .map(|v| v.into_iter().map(IpAddr::V6).collect()),
    ));
    l.addresses()
}

/// Security implied by an explicit port when the target has no scheme.
pub fn security_for_port(port: u16, cfg: &RunConfig) -> Security {
    if port == 995 || port == cfg.tls_port {
        Security::ImplicitTls
    } else {
        Security::Plain
    }
}

fn tls_name_for(host: &str, why: &str, cfg: &RunConfig) -> TlsName {
    if let Some(n) = &cfg.tls_name {
        return TlsName {
            name: n.clone(),
            why: t!("probe-why-tls-name"),
            sni: Some(n.clone()),
        };
    }
    let is_ip = host.parse::<IpAddr>().is_ok();
    TlsName {
        name: host.to_string(),
        why: why.to_string(),
        sni: if is_ip { None } else { Some(host.to_string()) },
    }
}

/// Resolves the target and plans the legs.
pub async fn plan<R: Resolve + ?Sized>(
    resolver: &R,
    cfg: &RunConfig,
) -> (DnsOutcome, Vec<LegPlan>) {
    let started = Instant::now();
    let t: &Target = &cfg.target;
    let mut dns = DnsOutcome::default();
    // (host, addresses, explicit legs (port, security) or None for two-port, name)
    let mut host_name: String;
    let addrs: Vec<IpAddr>;
    let mut srv_legs: Vec<(String, u16, Security, String)> = Vec::new();
    let mut why = t!("probe-why-target-name");

    match &t.host {
        Host::Ip(ip) => {
            dns.source = Some(HostSource::Literal);
            host_name = ip.to_string();
            addrs = vec![*ip];
            why = t!("probe-why-target-ip");
        }
        Host::Name(name) if t.is_domain_lookup() => {
            let domain = name.clone();
            let srv_s = format!("_pop3s._tcp.{domain}");
            let srv_p = format!("_pop3._tcp.{domain}");
            let guesses: Vec<String> = ["pop", "pop3", "mail"]
                .iter()
                .map(|p| format!("{p}.{domain}"))
                .collect();
            // Everything at once: SRV, MX and the guesses.
            let (s1, s2, mx, g0, g1, g2) = tokio::join!(
                resolver.lookup_srv(&srv_s),
                resolver.lookup_srv(&srv_p),
                resolver.lookup_mx(&domain),
                lookup_addresses(resolver, &guesses[0]),
                lookup_addresses(resolver, &guesses[1]),
                lookup_addresses(resolver, &guesses[2]),
            );
            // Resolve MX exchanges and SRV targets concurrently.
            let mx_records = mx.clone().unwrap_or_default();
            let mx_futs = mx_records
                .iter()
                .map(|m| resolve_all(resolver, &m.exchange));
            let srv_all: Vec<(String, Security, super::dns::SrvRecord)> = [
                (&srv_s, Security::ImplicitTls, &s1),
                (&srv_p, Security::Plain, &s2),
            ]
            .iter()
            .flat_map(|(n, sec, r)| {
                r.as_ref()
                    .map(|v| {
                        v.iter()
                            .map(|rec| ((*n).clone(), *sec, rec.clone()))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
            .collect();
            // Each SRV target resolved once, A and AAAA kept apart: the chosen
            // target's lookup is reused below.
            let srv_futs = srv_all.iter().map(|(_, _, rec)| async move {
                if rec.target == "." {
                    None
                } else {
                    Some(lookup_addresses(resolver, &rec.target).await)
                }
            });
            let (mx_addrs, srv_addrs) = tokio::join!(join_all(mx_futs), join_all(srv_futs));
            dns.mx = Some(match mx {
                Ok(list) => Ok(list
                    .into_iter()
                    .zip(mx_addrs)
                    .map(|(m, a)| MxFinding {
                        preference: m.preference,
                        exchange: m.exchange,
                        addresses: a,
                    })
                    .collect()),
                Err(e) => Err(failure(&e)),
            });
            let mut findings: Vec<SrvFinding> = Vec::new();
            let mut srv_lookups: Vec<AddressLookup> = Vec::new();
            for ((name, sec, rec), lookup) in srv_all.into_iter().zip(srv_addrs) {
                let a = match &lookup {
                    None => Ok(vec![]),
                    Some(l) => to_result(l.clone().combined()),
                };
                if rec.target != "." && matches!(&a, Ok(v) if !v.is_empty()) {
                    srv_legs.push((rec.target.clone(), rec.port, sec, name.clone()));
                }
                srv_lookups.extend(lookup);
                findings.push(SrvFinding {
                    name,
                    priority: rec.priority,
                    weight: rec.weight,
                    port: rec.port,
                    target: rec.target,
                    addresses: a,
                });
            }
            for (n, r) in [(&srv_s, &s1), (&srv_p, &s2)] {
                let mine: Vec<SrvFinding> =
                    findings.iter().filter(|f| &f.name == n).cloned().collect();
                dns.srv.push((
                    n.clone(),
                    match r {
                        Ok(_) => Ok(mine),
                        Err(e) if e.is_negative_answer() => Ok(vec![]),
                        Err(e) => Err(failure(e)),
                    },
                ));
            }
            if let Some((target, _, _, record)) = srv_legs.first().cloned() {
                host_name = target.clone();
                dns.source = Some(HostSource::Srv {
                    record: record.clone(),
                });
                why = t!("probe-why-srv-target", record = &record);
                let l = srv_lookups
                    .iter()
                    .find(|l| l.host == target.trim_end_matches('.'))
                    .expect("the chosen SRV target was resolved above");
                addrs = record_addresses(&mut dns, l);
            } else {
                let lookups = [g0, g1, g2];
                let chosen = lookups
                    .iter()
                    .find(|l| !l.addresses().is_empty())
                    .unwrap_or(&lookups[0]);
                host_name = chosen.host.clone();
                dns.source = Some(HostSource::Guess {
                    tried: guesses.clone(),
                });
                why = t!("probe-why-guess", domain = &domain);
                addrs = record_addresses(&mut dns, chosen);
            }
        }
        Host::Name(name) => {
            host_name = name.clone();
            dns.source = Some(HostSource::Direct);
            let l = lookup_addresses(resolver, name).await;
            addrs = record_addresses(&mut dns, &l);
        }
    }
    if let Host::Name(_) = &t.host {
        dns.host = Some(host_name.clone());
    }
    host_name = host_name.trim_end_matches('.').to_string();

    let (kept, dropped): (Vec<IpAddr>, Vec<IpAddr>) =
        addrs.into_iter().partition(|ip| cfg.family.allows(*ip));
    dns.filtered_out = dropped;
    dns.duration = started.elapsed();

    let name = tls_name_for(&host_name, &why, cfg);
    let mut legs = Vec::new();
    if !srv_legs.is_empty() {
        // Every usable SRV record for the chosen target host, on every address.
        let target_host = host_name.clone();
        let mut seen = Vec::new();
        for (h, port, sec, _) in &srv_legs {
            if h.trim_end_matches('.') != target_host || seen.contains(&(*port, *sec)) {
                continue;
            }
            seen.push((*port, *sec));
            for ip in &kept {
                legs.push(LegPlan {
                    addr: SocketAddr::new(*ip, *port),
                    security: *sec,
                    two_port: false,
                    tls_name: name.clone(),
                });
            }
        }
    } else if let Some(port) = t.port {
        let sec = t.security.unwrap_or_else(|| security_for_port(port, cfg));
        for ip in &kept {
            legs.push(LegPlan {
                addr: SocketAddr::new(*ip, port),
                security: sec,
                two_port: false,
                tls_name: name.clone(),
            });
        }
    } else if let Some(sec) = t.security {
        let port = if sec == Security::ImplicitTls {
            cfg.tls_port
        } else {
            cfg.plain_port
        };
        for ip in &kept {
            legs.push(LegPlan {
                addr: SocketAddr::new(*ip, port),
                security: sec,
                two_port: false,
                tls_name: name.clone(),
            });
        }
    } else {
        for ip in &kept {
            legs.push(LegPlan {
                addr: SocketAddr::new(*ip, cfg.plain_port),
                security: Security::Plain,
                two_port: true,
                tls_name: name.clone(),
            });
            legs.push(LegPlan {
                addr: SocketAddr::new(*ip, cfg.tls_port),
                security: Security::ImplicitTls,
                two_port: true,
                tls_name: name.clone(),
            });
        }
    }
    (dns, legs)
}
