//! The login session continues on the connection of the probe of its
//! endpoint when that connection is usable (issue 10): counted with a relay
//! in front of each lab port, which counts the connections it accepts (no
//! timing). An untrusted leg is not handed over (the session opens its own
//! connection), and a failed login on a handed-over connection deletes
//! nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use popscope::lab::{Lab, Scenario};

use super::util::{Net, Report, TIMEOUT, run_json};

/// The lab user and her password.
const USER: &str = "alice";
const PASSWORD: &str = "wonderland";

/// A relay on 127.0.0.1 to `target` that counts the connections it accepts.
fn counting_relay(net: &Net, target: SocketAddr) -> (SocketAddr, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    let addr = net.serve(move |mut client| {
        seen.fetch_add(1, Ordering::SeqCst);
        async move {
            if let Ok(mut server) = tokio::net::TcpStream::connect(target).await {
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            }
        }
    });
    (addr, count)
}

/// What one `check --user` through the relays saw.
struct Seen {
    report: Report,
    plain_connections: usize,
    tls_connections: usize,
    tls: SocketAddr,
}

/// Runs `check --user alice` against `scenario` through counting relays,
/// with the password in a file and `extra` arguments.
fn check_through_relays(
    net: &Net,
    lab: &Lab,
    scenario: Scenario,
    password: &str,
    extra: &[&str],
) -> Seen {
    let ep = lab.endpoint(scenario).expect("scenario served");
    let (plain, plain_count) = counting_relay(net, ep.plain);
    let (tls, tls_count) = counting_relay(net, ep.tls);
    let dir = tempfile::tempdir().expect("tempdir");
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, format!("{password}\n")).expect("password file");
    let mut args: Vec<String> = [
        "check",
        "127.0.0.1",
        "--plain-port",
        &plain.port().to_string(),
        "--tls-port",
        &tls.port().to_string(),
        "--timeout",
        TIMEOUT,
        "--json",
        "--user",
        USER,
        "--password-file",
        &password_file.display().to_string(),
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().map(|a| a.to_string()));
    let report = run_json(&args);
    // The relays accepted every connection before popscope exited.
    Seen {
        report,
        plain_connections: plain_count.load(Ordering::SeqCst),
        tls_connections: tls_count.load(Ordering::SeqCst),
        tls,
    }
}

/// The notes of the login session's transcript.
fn session_notes(r: &Report) -> Vec<String> {
    r.session_transcript()
        .into_iter()
        .filter(|(dir, _)| dir == "note")
        .map(|(_, text)| text)
        .collect()
}

#[test]
fn a_healthy_login_continues_on_the_tls_probe_connection() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ca = lab.ca_pem_path().display().to_string();
    let before = lab.mailbox_uidls(USER).expect("alice's mailbox");
    let s = check_through_relays(&net, &lab, Scenario::Healthy, PASSWORD, &["--ca-file", &ca]);
    let r = &s.report;
    assert_eq!(r.status("auth.login"), "pass", "{}", r.describe());
    assert_eq!(r.status("pop3.dialogue"), "pass", "{}", r.describe());
    assert_eq!(
        r.dialogue()["endpoint"],
        s.tls.to_string(),
        "{}",
        r.describe()
    );
    // One connection on the TLS port: the probe's, which the login took
    // over. The plain port: the probe and the STARTTLS-injection probe.
    assert_eq!(s.tls_connections, 1, "{}", r.describe());
    assert_eq!(s.plain_connections, 2, "{}", r.describe());
    let notes = session_notes(r);
    assert!(
        notes[0].contains("continues on the connection of leg"),
        "{notes:#?}"
    );
    // The session's transcript starts with the lines of that connection:
    // the greeting inside TLS, then CAPA, then the login.
    let cmds = r.session_commands();
    assert_eq!(cmds.first().map(String::as_str), Some("CAPA"), "{cmds:?}");
    assert_eq!(
        cmds.iter().filter(|c| *c == "CAPA").count(),
        1,
        "CAPA asked again: {cmds:?}"
    );
    assert_eq!(cmds.last().map(String::as_str), Some("QUIT"), "{cmds:?}");
    assert_eq!(lab.mailbox_uidls(USER).expect("mailbox"), before);
}

#[test]
fn an_untrusted_leg_is_not_handed_over() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::SelfSigned]);
    // Without the lab CA the chain is untrusted: with --allow-cleartext-auth
    // the login still runs, on a connection of its own.
    let s = check_through_relays(
        &net,
        &lab,
        Scenario::SelfSigned,
        PASSWORD,
        &["--allow-cleartext-auth"],
    );
    let r = &s.report;
    assert_eq!(
        r.dialogue()["endpoint"],
        s.tls.to_string(),
        "{}",
        r.describe()
    );
    assert_eq!(s.tls_connections, 2, "{}", r.describe());
    let notes = session_notes(r);
    assert!(notes[0].contains("a new connection"), "{notes:#?}");
}

#[test]
fn a_failed_login_on_the_probe_connection_deletes_nothing() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ca = lab.ca_pem_path().display().to_string();
    let before = lab.mailbox_uidls(USER).expect("alice's mailbox");
    assert!(!before.is_empty());
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = dir.path().join("wipe-one.toml");
    std::fs::write(
        &profile,
        "name = \"wipe-one\"\n[[step]]\nsend = \"CAPA\"\n[[step]]\nlogin = true\n[[step]]\nsend = \"DELE 1\"\n[[step]]\nsend = \"QUIT\"\n",
    )
    .expect("profile");
    let s = check_through_relays(
        &net,
        &lab,
        Scenario::Healthy,
        "Not-The-Password-4417",
        &[
            "--ca-file",
            &ca,
            "--profile",
            &profile.display().to_string(),
            "--allow-delete",
        ],
    );
    let r = &s.report;
    assert_eq!(r.status("auth.login"), "fail", "{}", r.describe());
    assert_eq!(s.tls_connections, 1, "{}", r.describe());
    let dl = r.dialogue();
    assert_eq!(dl["deleted"], false, "{dl:#}");
    let cmds = r.session_commands();
    assert!(
        !cmds
            .iter()
            .any(|c| c.to_ascii_uppercase().starts_with("DELE")),
        "{cmds:?}"
    );
    assert_eq!(lab.mailbox_uidls(USER).expect("mailbox"), before);
}
