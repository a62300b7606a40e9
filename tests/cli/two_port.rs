//! The two-port rules (docs/checks.md, tcp.connect): a refused plain port
//! beside working implicit TLS is only info; nothing working is a failure.

use popscope::lab::Scenario;

use super::util::{EXIT_FAIL, EXIT_PASS, Net, closed_port, closed_ports, run_json};

fn args(plain: u16, tls: u16, ca: &str) -> Vec<String> {
    [
        "check",
        "127.0.0.1",
        "--plain-port",
        &plain.to_string(),
        "--tls-port",
        &tls.to_string(),
        "--ca-file",
        ca,
        "--timeout",
        "3s",
        "--json",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn closed_plain_port_beside_working_tls_is_info() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let tls = lab.endpoint(Scenario::Healthy).unwrap().tls;
    let plain = closed_port();
    let ca = lab.ca_pem_path().display().to_string();
    let r = run_json(&args(plain, tls.port(), &ca));
    let plain_ep = format!("127.0.0.1:{plain}");
    let c = r
        .on("tcp.connect", &plain_ep)
        .unwrap_or_else(|| panic!("no tcp.connect on {plain_ep}\n{}", r.describe()));
    assert_eq!(c["status"], "info", "{}", r.describe());
    assert_eq!(c["data"]["error"], "refused", "{c}");
    assert_eq!(c["remedy"], "", "info needs no remedy: {c}");
    // Nothing after tcp.connect on a refused port.
    assert_eq!(
        r.checks()
            .iter()
            .filter(|c| c["endpoint"] == plain_ep.as_str())
            .count(),
        1,
        "{}",
        r.describe()
    );
    assert_eq!(r.status_on("tls.handshake", &tls.to_string()), "pass");
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    assert_eq!(r.verdict(), "pass");
}

#[test]
fn both_ports_closed_fails() {
    let [plain, tls] = closed_ports::<2>();
    let net = Net::new();
    // Only for its CA file: the lab's own ports are not used.
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ca = lab.ca_pem_path().display().to_string();
    let r = run_json(&args(plain, tls, &ca));
    assert_eq!(r.code, EXIT_FAIL, "{}", r.describe());
    for port in [plain, tls] {
        let ep = format!("127.0.0.1:{port}");
        assert_eq!(r.status_on("tcp.connect", &ep), "fail", "{}", r.describe());
        assert_eq!(
            r.on("tcp.connect", &ep).unwrap()["data"]["error"],
            "refused"
        );
    }
    // The summary is the top cause's sentence (docs/diagnosis.md).
    assert_eq!(
        r.json["diagnosis"]["causes"][0]["id"],
        "service.down",
        "{}",
        r.describe()
    );
    assert!(
        r.json["summary"]
            .as_str()
            .unwrap()
            .starts_with("Nothing listens on"),
        "{}",
        r.describe()
    );
}

/// A working plain port (STLS) beside a closed TLS port: the plain port
/// gives working TLS POP3, so the closed TLS port is only info too.
#[test]
fn closed_tls_port_beside_working_stls_is_info() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let plain = lab.endpoint(Scenario::Healthy).unwrap().plain;
    let tls = closed_port();
    let ca = lab.ca_pem_path().display().to_string();
    let r = run_json(&args(plain.port(), tls, &ca));
    assert_eq!(
        r.status_on("tcp.connect", &format!("127.0.0.1:{tls}")),
        "info",
        "{}",
        r.describe()
    );
    assert_eq!(r.status_on("tls.stls", &plain.to_string()), "pass");
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
}

/// A closed plain port beside a TLS port that does not work (plaintext on
/// the TLS port): no working TLS anywhere, so the refused port fails too.
#[test]
fn closed_plain_port_beside_broken_tls_fails() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::PlainOnTlsPort]);
    let tls = lab.endpoint(Scenario::PlainOnTlsPort).unwrap().tls;
    let plain = closed_port();
    let ca = lab.ca_pem_path().display().to_string();
    let r = run_json(&args(plain, tls.port(), &ca));
    assert_eq!(
        r.status_on("tcp.connect", &format!("127.0.0.1:{plain}")),
        "fail",
        "{}",
        r.describe()
    );
    assert_eq!(r.code, EXIT_FAIL);
}

/// An explicit port is not two-port mode: a refused `host:port` fails.
#[test]
fn explicit_closed_port_fails() {
    let port = closed_port();
    let r = run_json(&[
        "check",
        &format!("127.0.0.1:{port}"),
        "--timeout",
        "3s",
        "--json",
    ]);
    assert_eq!(r.code, EXIT_FAIL, "{}", r.describe());
    assert_eq!(r.json["target"]["kind"], "host-port");
    assert_eq!(r.endpoints().len(), 1);
    assert_eq!(
        r.status_on("tcp.connect", &format!("127.0.0.1:{port}")),
        "fail"
    );
}
