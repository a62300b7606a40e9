//! Servers the tests start themselves, on a private tokio runtime, while
//! the (blocking) test thread runs the binary: the built-in lab, the
//! in-process DNS server and tiny hostile TCP servers. Everything listens
//! on loopback only.

use std::future::Future;
use std::net::SocketAddr;
use std::ops::Deref;

use popscope::lab::dns::{DnsServer, Zone};
use popscope::lab::{Lab, LabConfig, Scenario};
use tokio::net::{TcpListener, TcpStream};

/// A loopback port with nothing listening on it (bound, then released).
pub fn closed_port() -> u16 {
    closed_ports::<1>()[0]
}

/// `N` distinct loopback ports with nothing listening on them.
pub fn closed_ports<const N: usize>() -> [u16; N] {
    let held: Vec<std::net::TcpListener> = (0..N)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").expect("bind"))
        .collect();
    std::array::from_fn(|i| held[i].local_addr().expect("addr").port())
}

/// A tokio runtime hosting the servers a test needs while the (blocking)
/// binary runs on the test thread. Declare it first so it is dropped last.
pub struct Net {
    rt: tokio::runtime::Runtime,
}

impl Default for Net {
    fn default() -> Self {
        Net::new()
    }
}

impl Net {
    /// A two-worker multi-thread runtime.
    pub fn new() -> Net {
        Net {
            rt: tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime"),
        }
    }

    /// Runs a future to completion on the runtime.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    /// Starts a lab on the runtime.
    pub fn lab(&self, cfg: LabConfig) -> Lab {
        self.block_on(Lab::start(cfg)).expect("the lab starts")
    }

    /// Starts a lab serving these scenarios with default settings.
    pub fn lab_of(&self, scenarios: &[Scenario]) -> Lab {
        self.lab(LabConfig::new(scenarios.to_vec()))
    }

    /// Starts an in-process DNS server on 127.0.0.1.
    pub fn dns(&self, zone: Zone) -> DnsServer {
        self.block_on(DnsServer::start(zone))
            .expect("the DNS server starts")
    }

    /// A TCP server on 127.0.0.1:0 that hands every connection to `handler`.
    /// It lives as long as the runtime.
    pub fn serve<F, Fut>(&self, handler: F) -> SocketAddr
    where
        F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = self
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        self.rt.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(handler(stream));
            }
        });
        addr
    }
}

/// A lab on its own runtime, shut down (ports closed, sessions ended) when
/// dropped. Derefs to the [`Lab`].
pub struct RunningLab {
    lab: Option<Lab>,
    net: Net,
}

impl RunningLab {
    /// Starts a lab serving these scenarios with default settings.
    pub fn start(scenarios: &[Scenario]) -> RunningLab {
        RunningLab::with(LabConfig::new(scenarios.to_vec()))
    }

    /// Starts a lab configured by `cfg`; every endpoint is on loopback.
    pub fn with(cfg: LabConfig) -> RunningLab {
        let net = Net::new();
        let lab = net.lab(cfg);
        for ep in lab.endpoints() {
            assert!(ep.plain.ip().is_loopback() && ep.tls.ip().is_loopback());
        }
        RunningLab {
            lab: Some(lab),
            net,
        }
    }

    /// The lab.
    pub fn lab(&self) -> &Lab {
        self.lab.as_ref().expect("lab running")
    }
}

impl Deref for RunningLab {
    type Target = Lab;

    fn deref(&self) -> &Lab {
        self.lab()
    }
}

impl Drop for RunningLab {
    fn drop(&mut self) {
        if let Some(lab) = self.lab.take() {
            self.net.block_on(lab.shutdown());
        }
    }
}
