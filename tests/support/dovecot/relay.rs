//! The HAProxy-protocol relay in front of Dovecot (see the parent module's
//! docs): each accepted connection is opened to Dovecot with a PROXY v1
//! header naming a documentation address as the client, then relayed
//! byte for byte.

use std::io::{Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use anyhow::Result;

/// The HAProxy-protocol relay: one listener, one upstream.
pub(super) struct Relay {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    conns: Arc<Mutex<Vec<TcpStream>>>,
    accept: Option<JoinHandle<()>>,
}

impl Relay {
    pub(super) fn spawn(
        listener: TcpListener,
        upstream: SocketAddr,
        client_ip: IpAddr,
    ) -> Result<Relay> {
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let conns: Arc<Mutex<Vec<TcpStream>>> = Arc::new(Mutex::new(Vec::new()));
        let (stop2, conns2) = (stop.clone(), conns.clone());
        let accept = thread::Builder::new()
            .name(format!("dovecot-relay-{addr}"))
            .spawn(move || {
                for stream in listener.incoming() {
                    if stop2.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = stream else { continue };
                    let conns = conns2.clone();
                    let _ = thread::Builder::new()
                        .name("dovecot-relay-conn".into())
                        .spawn(move || relay_conn(client, upstream, client_ip, addr, &conns));
                }
            })?;
        Ok(Relay {
            addr,
            stop,
            conns,
            accept: Some(accept),
        })
    }

    pub(super) fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
        for s in self.conns.lock().unwrap().drain(..) {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

fn relay_conn(
    client: TcpStream,
    upstream: SocketAddr,
    client_ip: IpAddr,
    public: SocketAddr,
    conns: &Mutex<Vec<TcpStream>>,
) {
    let Ok(server) = TcpStream::connect_timeout(&upstream, Duration::from_secs(2)) else {
        let _ = client.shutdown(Shutdown::Both);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let src_port = client.peer_addr().map(|a| a.port()).unwrap_or(40000);
    let fam = if client_ip.is_ipv4() { "TCP4" } else { "TCP6" };
    let header = format!(
        "PROXY {fam} {client_ip} {} {src_port} {}\r\n",
        public.ip(),
        public.port()
    );
    if (&server).write_all(header.as_bytes()).is_err() {
        return;
    }
    if let (Ok(c), Ok(s)) = (client.try_clone(), server.try_clone()) {
        conns.lock().unwrap().extend([c, s]);
    }
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = thread::spawn(move || pipe(&c2, &s2));
    pipe(&server, &client);
    let _ = up.join();
}

/// Copies `from` -> `to` until EOF, then half-closes `to`; on an error,
/// closes both.
fn pipe(mut from: &TcpStream, mut to: &TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
