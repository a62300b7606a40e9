//! An in-process authoritative DNS server for tests and teaching labs.
//!
//! [`DnsServer::start`] serves a [`Zone`] on `127.0.0.1` (UDP and TCP on the
//! same port) until the server is dropped. The zone is built fluently and
//! can inject the failures a help desk meets in the wild: SERVFAIL, REFUSED,
//! and a name the server never answers (the client times out).
//!
//! Answers follow the usual rules: an unknown name gets NXDOMAIN, a known
//! name without the asked type gets NOERROR with an empty answer (NODATA).
//! Packets that do not decode are ignored; reads are bounded.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::rdata::{A, AAAA, MX, SRV};
use hickory_proto::rr::{DNSClass, Name, RData, Record};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::task::{JoinHandle, JoinSet};

/// TTL put on every record served.
const TTL: u32 = 60;
/// Largest UDP datagram read; anything longer is cut and then fails to decode.
const MAX_UDP: usize = 4096;
/// Payload size advertised in EDNS answers.
const EDNS_PAYLOAD: u16 = 1232;
/// A TCP client that sends nothing for this long is disconnected.
const TCP_IDLE: Duration = Duration::from_secs(10);
/// At most this many TCP clients are served at once.
const MAX_TCP_CLIENTS: usize = 64;

/// What the server does for one name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    /// Answer from the records.
    Answer,
    /// Answer SERVFAIL.
    ServFail,
    /// Answer REFUSED.
    Refused,
    /// Never answer.
    Drop,
}

/// The names a [`DnsServer`] knows, built fluently:
///
/// ```
/// use popscope::lab::dns::Zone;
/// let zone = Zone::new()
///     .a("mail.example.test", "127.0.0.1".parse().unwrap())
///     .mx("example.test", 10, "mail.example.test")
///     .srv("_pop3s._tcp.example.test", 0, 1, 995, "mail.example.test")
///     .servfail("broken.example.test")
///     .drop("silent.example.test");
/// # let _ = zone;
/// ```
///
/// Names are case-insensitive; a trailing dot is optional.
#[derive(Debug, Clone, Default)]
pub struct Zone {
    records: HashMap<String, Vec<RData>>,
    behaviour: HashMap<String, Behaviour>,
    errors: Vec<String>,
}

/// Lower-case, no trailing dot: the key of a name in the zone.
fn key(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

impl Zone {
    /// An empty zone: every name is NXDOMAIN.
    pub fn new() -> Self {
        Self::default()
    }

    fn check(&mut self, name: &str) -> Option<String> {
        let k = key(name);
        match Name::from_ascii(format!("{k}.")) {
            Ok(_) if !k.is_empty() => Some(k),
            _ => {
                self.errors.push(format!(
                    "\"{}\" is not a valid DNS name",
                    name.escape_debug()
                ));
                None
            }
        }
    }

    fn target(&mut self, name: &str) -> Option<Name> {
        let k = key(name);
        let text = if k.is_empty() {
            ".".to_string()
        } else {
            format!("{k}.")
        };
        match Name::from_ascii(&text) {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.push(format!(
                    "\"{}\" is not a valid DNS name",
                    name.escape_debug()
                ));
                None
            }
        }
    }

    fn add(&mut self, name: &str, rdata: impl FnOnce(&mut Self) -> Option<RData>) -> &mut Self {
        if let Some(k) = self.check(name)
            && let Some(r) = rdata(self)
        {
            self.records.entry(k).or_default().push(r);
        }
        self
    }

    /// Adds an A record.
    pub fn a(mut self, name: &str, ip: Ipv4Addr) -> Self {
        self.add(name, |_| Some(RData::A(A(ip))));
        self
    }

    /// Adds an AAAA record.
    pub fn aaaa(mut self, name: &str, ip: Ipv6Addr) -> Self {
        self.add(name, |_| Some(RData::AAAA(AAAA(ip))));
        self
    }

    /// Adds an MX record (`exchange` `.` makes a null MX).
    pub fn mx(mut self, domain: &str, preference: u16, exchange: &str) -> Self {
        self.add(domain, |z| {
            z.target(exchange)
                .map(|n| RData::MX(MX::new(preference, n)))
        });
        self
    }

    /// Adds an SRV record (`target` `.` means "no such service here").
    pub fn srv(mut self, name: &str, priority: u16, weight: u16, port: u16, target: &str) -> Self {
        self.add(name, |z| {
            z.target(target)
                .map(|n| RData::SRV(SRV::new(priority, weight, port, n)))
        });
        self
    }

    /// Makes a name exist without records (every query is NODATA).
    pub fn exists(mut self, name: &str) -> Self {
        if let Some(k) = self.check(name) {
            self.records.entry(k).or_default();
        }
        self
    }

    fn set(mut self, name: &str, b: Behaviour) -> Self {
        if let Some(k) = self.check(name) {
            self.behaviour.insert(k, b);
        }
        self
    }

    /// Every query for `name` gets SERVFAIL.
    pub fn servfail(self, name: &str) -> Self {
        self.set(name, Behaviour::ServFail)
    }

    /// Every query for `name` gets REFUSED.
    pub fn refused(self, name: &str) -> Self {
        self.set(name, Behaviour::Refused)
    }

    /// Queries for `name` are never answered, so the client times out.
    pub fn drop(self, name: &str) -> Self {
        self.set(name, Behaviour::Drop)
    }

    /// The answer to one query packet, or `None` to stay silent (bad
    /// packet, not a query, or a dropped name).
    fn respond(&self, packet: &[u8], max_len: Option<usize>) -> Option<Vec<u8>> {
        let query = Message::from_vec(packet).ok()?;
        if query.metadata.message_type != MessageType::Query {
            return None;
        }
        let mut resp = Message::response(query.metadata.id, query.metadata.op_code);
        resp.metadata.recursion_desired = query.metadata.recursion_desired;
        resp.metadata.checking_disabled = query.metadata.checking_disabled;
        resp.add_queries(query.queries.iter().cloned());
        if query.edns.is_some() {
            let mut edns = Edns::new();
            edns.set_max_payload(EDNS_PAYLOAD);
            resp.set_edns(edns);
        }

        let code = if query.metadata.op_code != OpCode::Query {
            ResponseCode::NotImp
        } else if query.queries.len() != 1 {
            ResponseCode::FormErr
        } else {
            let q = &query.queries[0];
            let k = key(&q.name.to_ascii());
            match self.behaviour.get(&k).copied().unwrap_or(Behaviour::Answer) {
                Behaviour::Drop => return None,
                Behaviour::ServFail => ResponseCode::ServFail,
                Behaviour::Refused => ResponseCode::Refused,
                Behaviour::Answer => match self.records.get(&k) {
                    None => {
                        resp.metadata.authoritative = true;
                        ResponseCode::NXDomain
                    }
                    Some(_) if q.query_class != DNSClass::IN => ResponseCode::Refused,
                    Some(rdatas) => {
                        resp.metadata.authoritative = true;
                        for r in rdatas.iter().filter(|r| r.record_type() == q.query_type) {
                            resp.add_answer(Record::from_rdata(q.name.clone(), TTL, r.clone()));
                        }
                        ResponseCode::NoError
                    }
                },
            }
        };
        resp.metadata.response_code = code;

        let bytes = resp.to_vec().ok()?;
        let limit = max_len.map(|udp| udp.max(query.max_payload() as usize));
        match limit {
            Some(limit) if bytes.len() > limit => resp.truncate().to_vec().ok(),
            _ => Some(bytes),
        }
    }
}

/// A running DNS server; stops when dropped.
#[derive(Debug)]
pub struct DnsServer {
    addr: SocketAddr,
    udp_task: JoinHandle<()>,
    tcp_task: Option<JoinHandle<()>>,
}

impl DnsServer {
    /// Binds `127.0.0.1` on a free port (UDP, plus TCP on the same port when
    /// it is free) and serves `zone` there. Must be called inside a Tokio
    /// runtime. Fails with `InvalidInput` when the zone holds invalid names.
    pub async fn start(zone: Zone) -> io::Result<DnsServer> {
        if !zone.errors.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("bad zone: {}", zone.errors.join("; ")),
            ));
        }
        // Find a port free for both UDP and TCP; settle for UDP only after a
        // few tries (hickory only needs TCP for truncated answers).
        let mut bound = None;
        for _ in 0..8 {
            let udp = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).await?;
            let addr = udp.local_addr()?;
            match TcpListener::bind(addr).await {
                Ok(tcp) => {
                    bound = Some((udp, Some(tcp)));
                    break;
                }
                Err(_) => bound = Some((udp, None)),
            }
        }
        let Some((udp, tcp)) = bound else {
            return Err(io::Error::other("could not bind a UDP port"));
        };
        let addr = udp.local_addr()?;
        let zone = Arc::new(zone);
        let udp_task = tokio::spawn(serve_udp(udp, zone.clone()));
        let tcp_task = tcp.map(|l| tokio::spawn(serve_tcp(l, zone)));
        Ok(DnsServer {
            addr,
            udp_task,
            tcp_task,
        })
    }

    /// Where the server listens (UDP; TCP too when [`has_tcp`](Self::has_tcp)).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// True when TCP is served on the same port as UDP.
    pub fn has_tcp(&self) -> bool {
        self.tcp_task.is_some()
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.udp_task.abort();
        if let Some(t) = &self.tcp_task {
            t.abort();
        }
    }
}

async fn serve_udp(socket: UdpSocket, zone: Arc<Zone>) {
    let mut buf = vec![0u8; MAX_UDP];
    loop {
        let (len, peer) = match socket.recv_from(&mut buf).await {
            Ok(v) => v,
            // e.g. ICMP errors surfaced on some platforms: keep serving.
            Err(_) => continue,
        };
        if let Some(reply) = zone.respond(&buf[..len], Some(512)) {
            let _ = socket.send_to(&reply, peer).await;
        }
    }
}

async fn serve_tcp(listener: TcpListener, zone: Arc<Zone>) {
    // Owned by this task: aborting the task drops the set, which aborts
    // every connection.
    let mut clients = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                if clients.len() >= MAX_TCP_CLIENTS {
                    continue;
                }
                clients.spawn(serve_tcp_client(stream, zone.clone()));
            }
            Some(_) = clients.join_next(), if !clients.is_empty() => {}
        }
    }
}

async fn serve_tcp_client(mut stream: TcpStream, zone: Arc<Zone>) {
    let mut buf = vec![0u8; u16::MAX as usize];
    loop {
        let mut len = [0u8; 2];
        match tokio::time::timeout(TCP_IDLE, stream.read_exact(&mut len)).await {
            Ok(Ok(_)) => {}
            _ => return,
        }
        let len = u16::from_be_bytes(len) as usize;
        let packet = &mut buf[..len];
        match tokio::time::timeout(TCP_IDLE, stream.read_exact(packet)).await {
            Ok(Ok(_)) => {}
            _ => return,
        }
        let Some(reply) = zone.respond(packet, None) else {
            continue;
        };
        let Ok(n) = u16::try_from(reply.len()) else {
            continue;
        };
        let mut out = Vec::with_capacity(reply.len() + 2);
        out.extend_from_slice(&n.to_be_bytes());
        out.extend_from_slice(&reply);
        if stream.write_all(&out).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests;
