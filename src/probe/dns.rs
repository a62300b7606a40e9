//! DNS lookups for the probe: the [`Resolve`] trait, its hickory-based
//! implementation [`HickoryResolver`], and an in-memory fake
//! (`fake::StaticResolver`) for tests.
//!
//! A and AAAA are looked up separately so a report can say exactly what was
//! found ("A: none, AAAA: ::1"); [`lookup_addresses`] runs both at once and
//! keeps both answers. Every failure is a [`DnsError`] whose message a
//! help-desk technician can read aloud, with a [`DnsError::remedy`].
//!
//! The trait is dyn-compatible (methods return [`BoxFuture`]) so the engine
//! can hold an `Arc<dyn Resolve>`.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::str::FromStr;
use std::time::Duration;

use crate::i18n::t;

use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
    ServerOrderingStrategy,
};
use hickory_resolver::lookup::Lookup;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError as HickoryDnsError, NetError, NoRecords};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};

/// A boxed, sendable future: what [`Resolve`] methods return so the trait
/// stays usable as `dyn Resolve`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One MX record: where mail for a domain goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct MxRecord {
    /// Lower values are tried first.
    pub preference: u16,
    /// The mail host, without a trailing dot; `.` for a "null MX"
    /// (RFC 7505: the domain accepts no mail).
    pub exchange: String,
}

/// One SRV record (RFC 2782), e.g. for `_pop3s._tcp.example.com`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SrvRecord {
    /// Lower values are tried first.
    pub priority: u16,
    /// Relative weight among records with the same priority.
    pub weight: u16,
    /// TCP port of the service.
    pub port: u16,
    /// The host, without a trailing dot; `.` means "service decidedly not
    /// available at this domain" (RFC 2782, RFC 6186).
    pub target: String,
}

/// Why a DNS lookup failed, in words a help-desk technician understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DnsError {
    /// The name does not exist at all (NXDOMAIN).
    #[error("{}", t!("probe-dns-nxdomain", name = name))]
    NxDomain {
        /// The name that was looked up.
        name: String,
    },
    /// The name exists but has no record of the asked type (NOERROR, empty
    /// answer, often called NODATA).
    #[error("{}", t!("probe-dns-nodata", name = name, rtype = *rtype))]
    NoRecords {
        /// The name that was looked up.
        name: String,
        /// The record type asked for: `A`, `AAAA`, `MX` or `SRV`.
        rtype: &'static str,
    },
    /// The DNS server tried but failed to produce an answer (SERVFAIL).
    #[error("{}", t!("probe-dns-servfail", name = name))]
    ServFail {
        /// The name that was looked up.
        name: String,
    },
    /// The DNS server refused to answer (REFUSED).
    #[error("{}", t!("probe-dns-refused"))]
    Refused,
    /// No answer arrived in time.
    #[error("{}", t!("probe-dns-timeout", name = name, ms = after.as_millis() as u64))]
    Timeout {
        /// The name that was looked up.
        name: String,
        /// How long we waited.
        after: Duration,
    },
    /// Anything else (unreachable server, malformed name, bad reply...).
    #[error("{}", t!("probe-dns-other", error = .0))]
    Other(String),
}

impl DnsError {
    /// What to do about it, one sentence.
    pub fn remedy(&self) -> String {
        match self {
            DnsError::NxDomain { .. } => t!("probe-dns-nxdomain-remedy"),
            DnsError::NoRecords { .. } => t!("probe-dns-nodata-remedy"),
            DnsError::ServFail { .. } => t!("probe-dns-servfail-remedy"),
            DnsError::Refused => t!("probe-dns-refused-remedy"),
            DnsError::Timeout { .. } => t!("probe-dns-timeout-remedy"),
            DnsError::Other(_) => t!("probe-dns-other-remedy"),
        }
    }

    /// A short machine-friendly code: `nxdomain`, `nodata`, `servfail`,
    /// `refused`, `timeout` or `other`.
    pub fn code(&self) -> &'static str {
        match self {
            DnsError::NxDomain { .. } => "nxdomain",
            DnsError::NoRecords { .. } => "nodata",
            DnsError::ServFail { .. } => "servfail",
            DnsError::Refused => "refused",
            DnsError::Timeout { .. } => "timeout",
            DnsError::Other(_) => "other",
        }
    }

    /// True when the DNS gave a definite "no such data" answer (NXDOMAIN or
    /// NODATA), as opposed to failing to answer.
    pub fn is_negative_answer(&self) -> bool {
        matches!(self, DnsError::NxDomain { .. } | DnsError::NoRecords { .. })
    }
}

/// Something that answers A, AAAA, MX and SRV questions.
///
/// Names are given as typed (`mail.example.com`, with or without a trailing
/// dot). A successful lookup returns at least one item; "nothing there" is
/// always an error ([`DnsError::NxDomain`] or [`DnsError::NoRecords`]).
pub trait Resolve: Send + Sync {
    /// IPv4 addresses (A records) of `host`.
    fn lookup_a<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<Ipv4Addr>, DnsError>>;

    /// IPv6 addresses (AAAA records) of `host`.
    fn lookup_aaaa<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<Ipv6Addr>, DnsError>>;

    /// MX records of `domain`, sorted by preference.
    fn lookup_mx<'a>(&'a self, domain: &'a str) -> BoxFuture<'a, Result<Vec<MxRecord>, DnsError>>;

    /// SRV records of `name` (e.g. `_pop3s._tcp.example.com`), sorted by
    /// priority, then by weight (heaviest first).
    fn lookup_srv<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Result<Vec<SrvRecord>, DnsError>>;

    /// A and AAAA at once; IPv4 addresses first, then IPv6. Fails only when
    /// both lookups fail (see [`AddressLookup::combined`]). Use
    /// [`lookup_addresses`] to keep both answers for a report.
    fn lookup_ip<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<IpAddr>, DnsError>> {
        Box::pin(async move { lookup_addresses(self, host).await.combined() })
    }
}

/// Both halves of an address lookup, for reporting "A: none, AAAA: ::1".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressLookup {
    /// The name looked up.
    pub host: String,
    /// Result of the A query.
    pub a: Result<Vec<Ipv4Addr>, DnsError>,
    /// Result of the AAAA query.
    pub aaaa: Result<Vec<Ipv6Addr>, DnsError>,
}

impl AddressLookup {
    /// All addresses found, IPv4 first.
    pub fn addresses(&self) -> Vec<IpAddr> {
        let v4 = self.a.iter().flatten().map(|ip| IpAddr::V4(*ip));
        let v6 = self.aaaa.iter().flatten().map(|ip| IpAddr::V6(*ip));
        v4.chain(v6).collect()
    }

    /// The addresses, or an error when there are none. When both queries
    /// failed, a failure to answer (timeout, SERVFAIL...) is reported before
    /// a negative answer; two NODATA answers become one NODATA for `A/AAAA`.
    pub fn combined(self) -> Result<Vec<IpAddr>, DnsError> {
        let addrs = self.addresses();
        if !addrs.is_empty() {
            return Ok(addrs);
        }
        match (self.a, self.aaaa) {
            (Err(a), Err(aaaa)) => Err(match (a, aaaa) {
                (DnsError::NoRecords { .. }, DnsError::NoRecords { .. }) => DnsError::NoRecords {
                    name: self.host,
                    rtype: "A/AAAA",
                },
                (a, aaaa) if a.is_negative_answer() && !aaaa.is_negative_answer() => aaaa,
                (a, _) => a,
            }),
            // Unreachable for well-behaved resolvers (Ok is never empty), but
            // keep the contract that Ok is non-empty.
            (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
            (Ok(_), Ok(_)) => Err(DnsError::NoRecords {
                name: self.host,
                rtype: "A/AAAA",
            }),
        }
    }

    #[cfg(test)]
    /// One line for reports: `A: 192.0.2.1, AAAA: none`, with the error
    /// code in place of the list when a query failed
    /// (`A: timeout, AAAA: ::1`).
    pub fn summary(&self) -> String {
        fn part<T: fmt::Display>(r: &Result<Vec<T>, DnsError>) -> String {
            match r {
                Ok(v) if v.is_empty() => "none".to_string(),
                Ok(v) => v
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                Err(e) if e.is_negative_answer() => "none".to_string(),
                Err(e) => e.code().to_string(),
            }
        }
        format!("A: {}, AAAA: {}", part(&self.a), part(&self.aaaa))
    }
}

/// Runs the A and AAAA lookups for `host` concurrently and keeps both.
pub async fn lookup_addresses<R: Resolve + ?Sized>(resolver: &R, host: &str) -> AddressLookup {
    let (a, aaaa) = tokio::join!(resolver.lookup_a(host), resolver.lookup_aaaa(host));
    AddressLookup {
        host: display_name(host),
        a,
        aaaa,
    }
}

/// The name as shown in messages: no trailing dot.
fn display_name(name: &str) -> String {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        ".".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A name from a record (exchange/target) as a string: no trailing dot,
/// `.` for the root.
fn record_name(name: &Name) -> String {
    display_name(&name.to_ascii())
}

fn sort_mx(v: &mut [MxRecord]) {
    v.sort_by(|a, b| {
        a.preference
            .cmp(&b.preference)
            .then_with(|| a.exchange.cmp(&b.exchange))
    });
}

fn sort_srv(v: &mut [SrvRecord]) {
    v.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then_with(|| b.weight.cmp(&a.weight))
            .then_with(|| a.target.cmp(&b.target))
            .then_with(|| a.port.cmp(&b.port))
    });
}

/// How long an outer guard waits beyond the resolver's own timeout before
/// declaring a timeout itself (hickory enforces the timeout per name tried).
const GUARD_SLACK: Duration = Duration::from_millis(250);

/// A [`Resolve`] backed by hickory-resolver.
///
/// With explicit servers it asks exactly those (UDP, TCP on truncation), one
/// attempt, no search domains, no hosts file and no cache, so a dead server
/// fails within the timeout. With no servers it follows the system
/// configuration (`/etc/resolv.conf`, `/etc/hosts`). `localhost` always
/// resolves to the loopback addresses without asking any server (RFC 6761).
#[derive(Clone)]
pub struct HickoryResolver {
    resolver: TokioResolver,
    servers: Vec<SocketAddr>,
    explicit: bool,
    timeout: Duration,
}

impl fmt::Debug for HickoryResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HickoryResolver")
            .field("servers", &self.servers)
            .field("explicit", &self.explicit)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl HickoryResolver {
    /// A resolver asking `servers` (empty: the system configuration), giving
    /// up on a query after `timeout`.
    pub fn new(servers: &[SocketAddr], timeout: Duration) -> Result<Self, DnsError> {
        let timeout = if timeout.is_zero() {
            Duration::from_millis(1)
        } else {
            timeout
        };
        let (config, mut opts, explicit) = if servers.is_empty() {
            let (config, opts) = hickory_resolver::system_conf::read_system_conf()
                .map_err(|e| DnsError::Other(t!("probe-dns-system-conf", error = e.to_string())))?;
            (config, opts, false)
        } else {
            let name_servers = servers
                .iter()
                .map(|addr| {
                    let mut udp = ConnectionConfig::udp();
                    udp.port = addr.port();
                    let mut tcp = ConnectionConfig::tcp();
                    tcp.port = addr.port();
                    NameServerConfig::new(addr.ip(), true, vec![udp, tcp])
                })
                .collect();
            let mut opts = ResolverOpts::default();
            opts.use_hosts_file = ResolveHosts::Never;
            opts.server_ordering_strategy = ServerOrderingStrategy::UserProvidedOrder;
            (ResolverConfig::from_name_servers(name_servers), opts, true)
        };
        opts.timeout = timeout;
        // RetryDnsHandle counts retries after the first try: 0 = one attempt.
        opts.attempts = 0;
        opts.cache_size = 0;
        opts.preserve_intermediates = true;

        let listed: Vec<SocketAddr> = config
            .name_servers()
            .iter()
            .map(|ns| {
                let port = ns.connections.first().map_or(53, |c| c.port);
                SocketAddr::new(ns.ip, port)
            })
            .collect();

        let resolver = Resolver::builder_with_config(config, TokioRuntimeProvider::default())
            .with_options(opts)
            .build()
            .map_err(|e| DnsError::Other(t!("probe-dns-setup", error = e.to_string())))?;
        Ok(HickoryResolver {
            resolver,
            servers: listed,
            explicit,
            timeout,
        })
    }

    #[cfg(test)]
    /// The DNS servers this resolver asks (from the system configuration
    /// when none were given).
    pub fn servers(&self) -> &[SocketAddr] {
        &self.servers
    }

    #[cfg(test)]
    /// True when the servers were given explicitly rather than read from the
    /// system configuration.
    pub fn is_explicit(&self) -> bool {
        self.explicit
    }

    /// The name hickory should look up: fully qualified with explicit
    /// servers (no search domains), as typed otherwise.
    fn query_name(&self, name: &str) -> Result<Name, DnsError> {
        let text = if self.explicit && !name.ends_with('.') {
            format!("{name}.")
        } else {
            name.to_string()
        };
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(DnsError::Other(t!(
                "probe-dns-invalid-name",
                name = crate::transcript::sanitize_str(name)
            )));
        }
        Name::from_str_relaxed(&text).map_err(|e| {
            DnsError::Other(t!(
                "probe-dns-invalid-name-because",
                name = crate::transcript::sanitize_str(name),
                error = e.to_string()
            ))
        })
    }

    async fn lookup(&self, name: &str, rtype: RecordType) -> Result<Lookup, DnsError> {
        let qname = self.query_name(name)?;
        let guard = self.timeout + GUARD_SLACK;
        match tokio::time::timeout(guard, self.resolver.lookup(qname, rtype)).await {
            Ok(Ok(lookup)) => Ok(lookup),
            Ok(Err(e)) => Err(map_net_error(&e, name, rtype, self.timeout)),
            Err(_) => Err(DnsError::Timeout {
                name: display_name(name),
                after: self.timeout,
            }),
        }
    }
}

/// The record type's name as used in [`DnsError::NoRecords`].
fn rtype_str(rtype: RecordType) -> &'static str {
    match rtype {
        RecordType::A => "A",
        RecordType::AAAA => "AAAA",
        RecordType::MX => "MX",
        RecordType::SRV => "SRV",
        RecordType::TXT => "TXT",
        RecordType::CNAME => "CNAME",
        RecordType::NS => "NS",
        RecordType::PTR => "PTR",
        RecordType::SOA => "SOA",
        _ => "requested",
    }
}

/// Translates hickory's error into ours.
fn map_net_error(err: &NetError, name: &str, rtype: RecordType, timeout: Duration) -> DnsError {
    let name = display_name(name);
    match err {
        NetError::Dns(HickoryDnsError::NoRecordsFound(NoRecords { response_code, .. })) => {
            map_response_code(*response_code, name, rtype)
        }
        NetError::Dns(HickoryDnsError::ResponseCode(code)) => map_response_code(*code, name, rtype),
        NetError::Timeout => DnsError::Timeout {
            name,
            after: timeout,
        },
        NetError::Io(io) => match io.kind() {
            std::io::ErrorKind::TimedOut => DnsError::Timeout {
                name,
                after: timeout,
            },
            std::io::ErrorKind::ConnectionRefused => {
                DnsError::Other(t!("probe-dns-connection-refused", name = &name))
            }
            _ => DnsError::Other(t!(
                "probe-dns-unreachable",
                name = &name,
                error = io.to_string()
            )),
        },
        NetError::NoConnections => DnsError::Other(t!("probe-dns-no-server", name = &name)),
        NetError::Proto(e) => DnsError::Other(t!(
            "probe-dns-bad-message",
            name = &name,
            error = e.to_string()
        )),
        other => DnsError::Other(t!(
            "probe-dns-looking-up",
            error = other.to_string(),
            name = &name
        )),
    }
}

fn map_response_code(code: ResponseCode, name: String, rtype: RecordType) -> DnsError {
    match code {
        ResponseCode::NXDomain => DnsError::NxDomain { name },
        ResponseCode::NoError => DnsError::NoRecords {
            name,
            rtype: rtype_str(rtype),
        },
        ResponseCode::ServFail => DnsError::ServFail { name },
        ResponseCode::Refused => DnsError::Refused,
        other => DnsError::Other(t!(
            "probe-dns-answered-code",
            code = other.to_str(),
            name = &name
        )),
    }
}

/// An IP literal answers its own family without DNS; the other family has
/// no records.
fn literal<T>(
    host: &str,
    rtype: &'static str,
    pick: impl Fn(IpAddr) -> Option<T>,
) -> Option<Result<Vec<T>, DnsError>> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    let ip = IpAddr::from_str(bare).ok()?;
    Some(match pick(ip) {
        Some(v) => Ok(vec![v]),
        None => Err(DnsError::NoRecords {
            name: bare.to_string(),
            rtype,
        }),
    })
}

/// Keeps records in answer order, without duplicates.
fn dedup<T: Eq + std::hash::Hash + Clone>(v: Vec<T>) -> Vec<T> {
    let mut seen = HashSet::new();
    v.into_iter().filter(|x| seen.insert(x.clone())).collect()
}

/// Ok when non-empty, NODATA otherwise (e.g. only a CNAME came back).
fn non_empty<T>(v: Vec<T>, name: &str, rtype: &'static str) -> Result<Vec<T>, DnsError> {
    if v.is_empty() {
        Err(DnsError::NoRecords {
            name: display_name(name),
            rtype,
        })
    } else {
        Ok(v)
    }
}

impl Resolve for HickoryResolver {
    fn lookup_a<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<Ipv4Addr>, DnsError>> {
        Box::pin(async move {
            if let Some(r) = literal(host, "A", |ip| match ip {
                IpAddr::V4(v4) => Some(v4),
                IpAddr::V6(_) => None,
            }) {
                return r;
            }
            let lookup = self.lookup(host, RecordType::A).await?;
            let v = lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::A(a) => Some(a.0),
                    _ => None,
                })
                .collect();
            non_empty(dedup(v), host, "A")
        })
    }

    fn lookup_aaaa<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<Ipv6Addr>, DnsError>> {
        Box::pin(async move {
            if let Some(r) = literal(host, "AAAA", |ip| match ip {
                IpAddr::V6(v6) => Some(v6),
                IpAddr::V4(_) => None,
            }) {
                return r;
            }
            let lookup = self.lookup(host, RecordType::AAAA).await?;
            let v = lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::AAAA(a) => Some(a.0),
                    _ => None,
                })
                .collect();
            non_empty(dedup(v), host, "AAAA")
        })
    }

    fn lookup_mx<'a>(&'a self, domain: &'a str) -> BoxFuture<'a, Result<Vec<MxRecord>, DnsError>> {
        Box::pin(async move {
            let lookup = self.lookup(domain, RecordType::MX).await?;
            let v = lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::MX(mx) => Some(MxRecord {
                        preference: mx.preference,
                        exchange: record_name(&mx.exchange),
                    }),
                    _ => None,
                })
                .collect();
            let mut v = non_empty(dedup(v), domain, "MX")?;
            sort_mx(&mut v);
            Ok(v)
        })
    }

    fn lookup_srv<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Result<Vec<SrvRecord>, DnsError>> {
        Box::pin(async move {
            let lookup = self.lookup(name, RecordType::SRV).await?;
            let v = lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::SRV(srv) => Some(SrvRecord {
                        priority: srv.priority,
                        weight: srv.weight,
                        port: srv.port,
                        target: record_name(&srv.target),
                    }),
                    _ => None,
                })
                .collect();
            let mut v = non_empty(dedup(v), name, "SRV")?;
            sort_srv(&mut v);
            Ok(v)
        })
    }
}

/// An in-memory resolver for tests: fixed records per name, or a failure.
#[cfg(test)]
pub mod fake {
    use super::*;
    use std::collections::HashMap;

    /// Which record type a [`StaticResolver::fail`] applies to.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum RecordKind {
        /// IPv4 address.
        A,
        /// IPv6 address.
        Aaaa,
        /// Mail exchanger.
        Mx,
        /// Service locator.
        Srv,
    }

    impl RecordKind {
        /// `A`, `AAAA`, `MX` or `SRV`.
        pub fn as_str(self) -> &'static str {
            match self {
                RecordKind::A => "A",
                RecordKind::Aaaa => "AAAA",
                RecordKind::Mx => "MX",
                RecordKind::Srv => "SRV",
            }
        }
    }

    #[derive(Debug, Clone, Default)]
    struct StaticEntry {
        a: Vec<Ipv4Addr>,
        aaaa: Vec<Ipv6Addr>,
        mx: Vec<MxRecord>,
        srv: Vec<SrvRecord>,
        fail_all: Option<DnsError>,
        fail: HashMap<RecordKind, DnsError>,
    }

    /// A map-based [`Resolve`] for tests: no network at all.
    ///
    /// Names are matched case-insensitively, with or without a trailing dot.
    /// Unknown names give [`DnsError::NxDomain`]; a known name without the asked
    /// type gives [`DnsError::NoRecords`]; [`fail`](Self::fail) and
    /// [`fail_all`](Self::fail_all) inject any error. IP literals answer
    /// themselves, like [`HickoryResolver`].
    ///
    /// ```
    /// use popscope::probe::dns::{Resolve, StaticResolver};
    /// let r = StaticResolver::new()
    ///     .a("mail.example.com", "192.0.2.10".parse().unwrap())
    ///     .mx("example.com", 10, "mail.example.com");
    /// # let _ = r;
    /// ```
    #[derive(Debug, Clone, Default)]
    pub struct StaticResolver {
        names: HashMap<String, StaticEntry>,
    }

    fn key(name: &str) -> String {
        name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
    }

    impl StaticResolver {
        /// An empty resolver: every name is NXDOMAIN.
        pub fn new() -> Self {
            Self::default()
        }

        fn entry(&mut self, name: &str) -> &mut StaticEntry {
            self.names.entry(key(name)).or_default()
        }

        /// Adds an A record.
        pub fn a(mut self, name: &str, ip: Ipv4Addr) -> Self {
            self.entry(name).a.push(ip);
            self
        }

        /// Adds an AAAA record.
        pub fn aaaa(mut self, name: &str, ip: Ipv6Addr) -> Self {
            self.entry(name).aaaa.push(ip);
            self
        }

        /// Adds an MX record.
        pub fn mx(mut self, domain: &str, preference: u16, exchange: &str) -> Self {
            self.entry(domain).mx.push(MxRecord {
                preference,
                exchange: display_name(exchange),
            });
            self
        }

        /// Adds an SRV record.
        pub fn srv(
            mut self,
            name: &str,
            priority: u16,
            weight: u16,
            port: u16,
            target: &str,
        ) -> Self {
            self.entry(name).srv.push(SrvRecord {
                priority,
                weight,
                port,
                target: display_name(target),
            });
            self
        }

        /// Makes the name exist with no records at all (every type is NODATA).
        pub fn exists(mut self, name: &str) -> Self {
            self.entry(name);
            self
        }

        /// Every lookup of `name` fails with `err`.
        pub fn fail_all(mut self, name: &str, err: DnsError) -> Self {
            self.entry(name).fail_all = Some(err);
            self
        }

        /// Lookups of `name` for `kind` fail with `err`.
        pub fn fail(mut self, name: &str, kind: RecordKind, err: DnsError) -> Self {
            self.entry(name).fail.insert(kind, err);
            self
        }

        fn get<T: Clone>(
            &self,
            name: &str,
            kind: RecordKind,
            pick: impl Fn(&StaticEntry) -> &Vec<T>,
        ) -> Result<Vec<T>, DnsError> {
            let Some(entry) = self.names.get(&key(name)) else {
                return Err(DnsError::NxDomain {
                    name: display_name(name),
                });
            };
            if let Some(e) = entry.fail.get(&kind).or(entry.fail_all.as_ref()) {
                return Err(e.clone());
            }
            non_empty(pick(entry).clone(), name, kind.as_str())
        }
    }

    impl Resolve for StaticResolver {
        fn lookup_a<'a>(&'a self, host: &'a str) -> BoxFuture<'a, Result<Vec<Ipv4Addr>, DnsError>> {
            let r = literal(host, "A", |ip| match ip {
                IpAddr::V4(v4) => Some(v4),
                IpAddr::V6(_) => None,
            })
            .unwrap_or_else(|| self.get(host, RecordKind::A, |e| &e.a));
            Box::pin(std::future::ready(r))
        }

        fn lookup_aaaa<'a>(
            &'a self,
            host: &'a str,
        ) -> BoxFuture<'a, Result<Vec<Ipv6Addr>, DnsError>> {
            let r = literal(host, "AAAA", |ip| match ip {
                IpAddr::V6(v6) => Some(v6),
                IpAddr::V4(_) => None,
            })
            .unwrap_or_else(|| self.get(host, RecordKind::Aaaa, |e| &e.aaaa));
            Box::pin(std::future::ready(r))
        }

        fn lookup_mx<'a>(
            &'a self,
            domain: &'a str,
        ) -> BoxFuture<'a, Result<Vec<MxRecord>, DnsError>> {
            let r = self.get(domain, RecordKind::Mx, |e| &e.mx).map(|mut v| {
                sort_mx(&mut v);
                v
            });
            Box::pin(std::future::ready(r))
        }

        fn lookup_srv<'a>(
            &'a self,
            name: &'a str,
        ) -> BoxFuture<'a, Result<Vec<SrvRecord>, DnsError>> {
            let r = self.get(name, RecordKind::Srv, |e| &e.srv).map(|mut v| {
                sort_srv(&mut v);
                v
            });
            Box::pin(std::future::ready(r))
        }
    }
}

#[cfg(test)]
pub use fake::{RecordKind, StaticResolver};

#[cfg(test)]
mod tests;
