//! IPv6 loopback: a lab on `::1` checked by URL. Skipped (with a visible
//! `SKIPPED` line) where `[::1]` cannot be bound.

use std::net::{IpAddr, Ipv6Addr};

use popscope::lab::{LabConfig, Scenario};

use super::util::{EXIT_PASS, Net, run_json, two_port_args};

fn ipv6_loopback_available(test: &str) -> bool {
    match std::net::TcpListener::bind("[::1]:0") {
        Ok(_) => true,
        Err(e) => {
            eprintln!("SKIPPED {test}: cannot bind [::1]: {e}");
            false
        }
    }
}

#[test]
fn lab_on_ipv6_loopback_passes() {
    if !ipv6_loopback_available("lab_on_ipv6_loopback_passes") {
        return;
    }
    let net = Net::new();
    let lab = net.lab(LabConfig {
        scenarios: vec![Scenario::Healthy],
        listen: IpAddr::V6(Ipv6Addr::LOCALHOST),
        ..Default::default()
    });
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    assert!(ep.tls.is_ipv6());
    let ca = lab.ca_pem_path().display().to_string();
    let url = format!("pop3s://[::1]:{}", ep.tls.port());
    let r = run_json(&["check", &url, "--ca-file", &ca, "--timeout", "3s", "--json"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    assert_eq!(r.json["target"]["kind"], "url");
    assert_eq!(r.json["target"]["host"], "::1");
    assert_eq!(r.endpoints().len(), 1, "pop3s:// probes only that port");
    let label = format!("[::1]:{}", ep.tls.port());
    let e = r
        .endpoint(&label)
        .unwrap_or_else(|| panic!("{}", r.describe()));
    assert_eq!(e["address"], "::1");
    assert_eq!(e["security"], "implicit-tls");
    assert!(e["tls"]["sni"].is_null(), "no SNI for an IP address");
    let name = r.on("tls.hostname", &label).expect("tls.hostname");
    assert_eq!(name["status"], "pass", "{}", r.describe());
    assert_eq!(name["data"]["name"], "::1");

    // Two-port mode on the bare address works the same.
    let r = run_json(&two_port_args("::1", &ep, lab.ca_pem_path()));
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    assert_eq!(r.endpoints().len(), 2, "{}", r.describe());
    assert_eq!(
        r.status_on("tls.stls", &format!("[::1]:{}", ep.plain.port())),
        "pass",
        "{}",
        r.describe()
    );
}
