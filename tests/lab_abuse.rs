//! The lab as a network service under abuse: hundreds of idle and slow
//! clients from a few addresses cannot lock a real student out, and the
//! lab's memory stays flat. The lab runs in this process, on loopback.
//!
//! The abusers come from 127.0.0.10 to 127.0.0.19 (all of 127.0.0.0/8 is
//! loopback on Linux), the student from 127.0.0.1.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use popscope::lab::{DEFAULT_MAX_PER_ADDRESS, Lab, LabConfig, Scenario};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::watch;

use crate::support::pop3::RawPop3;
use crate::support::wait::DEADLINE;

const ABUSERS: usize = 300;
const ABUSER_ADDRESSES: u8 = 10;

/// The resident set size of this process in KiB (`None` off Linux).
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Connects to `to` from `from` (port 0).
async fn connect_from(from: Ipv4Addr, to: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(IpAddr::V4(from), 0))?;
    tokio::time::timeout(DEADLINE, socket.connect(to))
        .await
        .map_err(|_| std::io::ErrorKind::TimedOut)?
}

/// What one abuser saw first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum First {
    Served,
    Refused,
}

/// One abusive client: reads the first line, then either sits silent or
/// trickles a command one octet at a time, until `stop`.
async fn abuser(
    from: Ipv4Addr,
    to: SocketAddr,
    slow: bool,
    mut stop: watch::Receiver<bool>,
    served: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
    failed: Arc<AtomicUsize>,
) {
    let Ok(mut s) = connect_from(from, to).await else {
        // the kernel's accept queue overflowed (a loaded machine): never
        // served, counted apart
        failed.fetch_add(1, Ordering::SeqCst);
        return;
    };
    let mut first = Vec::new();
    let mut b = [0u8; 1];
    while !first.ends_with(b"\n") {
        match tokio::time::timeout(DEADLINE, s.read(&mut b)).await {
            Ok(Ok(1)) => first.push(b[0]),
            // Past its cap of refusals in flight, the lab refuses by closing
            // at once without a reply: a refusal all the same.
            Ok(Ok(0)) | Ok(Err(_)) if first.is_empty() => {
                refused.fetch_add(1, Ordering::SeqCst);
                return;
            }
            _ => {
                failed.fetch_add(1, Ordering::SeqCst);
                return;
            }
        }
    }
    let kind = if first.starts_with(b"+OK") {
        First::Served
    } else {
        assert!(
            first.starts_with(b"-ERR [SYS/TEMP]"),
            "{}",
            String::from_utf8_lossy(&first)
        );
        First::Refused
    };
    match kind {
        First::Served => served.fetch_add(1, Ordering::SeqCst),
        First::Refused => refused.fetch_add(1, Ordering::SeqCst),
    };
    if kind == First::Refused {
        return;
    }
    let trickle = b"NOOP\r\n";
    let mut i = 0;
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_millis(100)), if slow => {
                if s.write_all(&trickle[i % trickle.len()..][..1]).await.is_err() {
                    return;
                }
                i += 1;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_idle_and_slow_clients_do_not_lock_out_a_student() {
    let probe = Ipv4Addr::new(127, 0, 0, 10);
    if std::net::TcpListener::bind((probe, 0)).is_err() {
        crate::support::skip(
            "lab_abuse",
            "this system cannot bind 127.0.0.10 (only Linux treats 127/8 as loopback)",
        );
        return;
    }
    let lab = Lab::start(LabConfig::new(vec![Scenario::CleartextLogin]))
        .await
        .expect("lab starts");
    let addr = lab.endpoint(Scenario::CleartextLogin).unwrap().plain;
    let before = rss_kib();

    let (stop_tx, stop) = watch::channel(false);
    let served = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let mut abusers = tokio::task::JoinSet::new();
    for i in 0..ABUSERS {
        let from = Ipv4Addr::new(127, 0, 0, 10 + (i % usize::from(ABUSER_ADDRESSES)) as u8);
        abusers.spawn(abuser(
            from,
            addr,
            i % 2 == 1,
            stop.clone(),
            Arc::clone(&served),
            Arc::clone(&refused),
            Arc::clone(&failed),
        ));
    }
    let (s, r, f) = (
        Arc::clone(&served),
        Arc::clone(&refused),
        Arc::clone(&failed),
    );
    let all_answered = tokio::task::spawn_blocking(move || {
        crate::support::wait::poll(DEADLINE, || {
            let n = s.load(Ordering::SeqCst) + r.load(Ordering::SeqCst) + f.load(Ordering::SeqCst);
            (n >= ABUSERS).then_some(())
        })
    })
    .await
    .unwrap();
    let (n_served, n_refused, n_failed) = (
        served.load(Ordering::SeqCst),
        refused.load(Ordering::SeqCst),
        failed.load(Ordering::SeqCst),
    );
    assert!(
        all_answered.is_some(),
        "only {n_served} served + {n_refused} refused + {n_failed} failed of {ABUSERS}"
    );
    let cap = usize::from(ABUSER_ADDRESSES) * DEFAULT_MAX_PER_ADDRESS;
    // Each address holds at most its share; every slot is taken unless the
    // machine dropped connections before the lab saw them.
    assert!(n_served <= cap, "{n_served} served, over the cap {cap}");
    assert!(
        n_served + n_failed >= cap,
        "{n_served} served + {n_failed} failed: slots left free"
    );
    assert_eq!(n_served + n_refused + n_failed, ABUSERS);

    // A real student, meanwhile, logs in and reads every message.
    let expected = lab.mailbox_uidls("alice").expect("alice").len();
    assert!(expected > 0);
    let got = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        let mut c = RawPop3::connect(addr)?;
        anyhow::ensure!(c.greeting.starts_with("+OK"), "greeting: {}", c.greeting);
        c.expect_ok("USER alice")?;
        c.expect_ok("PASS wonderland")?;
        let list = c.multiline("LIST")?;
        let mut read = 0;
        for entry in &list {
            let n = entry.split_whitespace().next().unwrap_or_default();
            let body = c.multiline(&format!("RETR {n}"))?;
            anyhow::ensure!(!body.is_empty(), "message {n} is empty");
            read += 1;
        }
        c.expect_ok("QUIT")?;
        Ok(read)
    })
    .await
    .unwrap()
    .expect("the student gets the mail despite the abusers");
    assert_eq!(got, expected);

    if let (Some(before), Some(after)) = (before, rss_kib()) {
        let growth_mib = after.saturating_sub(before) / 1024;
        assert!(growth_mib < 64, "RSS grew by {growth_mib} MiB");
    }
    stop_tx.send_replace(true);
    while abusers.join_next().await.is_some() {}
    lab.shutdown().await;
}
