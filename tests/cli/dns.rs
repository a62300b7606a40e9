//! Names resolved through an in-process authoritative DNS server
//! (`--dns-server 127.0.0.1:PORT`): never the system resolver.

use std::net::{Ipv4Addr, Ipv6Addr};

use popscope::lab::dns::{DnsServer, Zone};
use popscope::lab::{Lab, Scenario};
use serde_json::Value;

use super::util::{
    EXIT_FAIL, EXIT_PASS, EXIT_WARN, Net, Report, popscope, run_json, run_json_cmd, two_port_args,
};

const LOCAL: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// Two-port check of `target` against the lab's healthy scenario, resolving
/// through `dns`, plus `extra` flags.
fn check(lab: &Lab, dns: &DnsServer, target: &str, extra: &[&str]) -> Report {
    run_json(&check_args(lab, dns, target, extra))
}

/// The lab password of `user` (for `user@domain` targets, which log in).
fn password_of(lab: &Lab, user: &str) -> String {
    lab.users()
        .iter()
        .find(|u| u.name == user)
        .map(|u| u.password.clone())
        .unwrap_or_else(|| panic!("no lab user {user}"))
}

/// [`check`] of `alice@example.test` (no password is set, so no login).
fn check_alice(lab: &Lab, dns: &DnsServer, extra: &[&str]) -> Report {
    check(lab, dns, "alice@example.test", extra)
}

fn check_args(lab: &Lab, dns: &DnsServer, target: &str, extra: &[&str]) -> Vec<String> {
    let ep = lab.endpoint(Scenario::Healthy).expect("healthy served");
    let mut args = two_port_args(target, ep, lab.ca_pem_path());
    args.extend(["--dns-server".to_string(), dns.addr().to_string()]);
    for pair in extra.chunks(2) {
        // A flag given in `extra` replaces the default one (e.g. --timeout).
        if let Some(i) = args.iter().position(|a| a == pair[0])
            && pair.len() == 2
        {
            args[i + 1] = pair[1].to_string();
        } else {
            args.extend(pair.iter().map(|s| s.to_string()));
        }
    }
    args
}

/// The endpoint entry using implicit TLS.
fn tls_endpoint(r: &Report) -> &Value {
    r.endpoints()
        .iter()
        .find(|e| e["security"] == "implicit-tls")
        .unwrap_or_else(|| panic!("no implicit-TLS endpoint\n{}", r.describe()))
}

/// The check `id` on the implicit-TLS endpoint.
fn on_tls<'a>(r: &'a Report, id: &str) -> &'a Value {
    let label = super::util::endpoint_label(tls_endpoint(r));
    r.on(id, &label)
        .unwrap_or_else(|| panic!("no {id} on {label}\n{}", r.describe()))
}

#[test]
fn host_name_resolves_through_the_given_dns_server() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(Zone::new().a("pop.example.test", LOCAL));

    // The lab certificate lists localhost, 127.0.0.1 and ::1: verify as localhost.
    let r = check(&lab, &dns, "pop.example.test", &["--tls-name", "localhost"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    assert_eq!(r.json["target"]["kind"], "host");
    assert_eq!(r.json["target"]["host"], "pop.example.test");
    let resolve = r.one("dns.resolve");
    assert_eq!(resolve["status"], "pass", "{}", r.describe());
    assert_eq!(resolve["data"]["host"], "pop.example.test");
    assert_eq!(resolve["data"]["source"]["via"], "direct");
    assert_eq!(addresses(&resolve["data"]["a"]), ["127.0.0.1"], "{resolve}");
    assert!(
        resolve["summary"].as_str().unwrap().contains("127.0.0.1"),
        "{resolve}"
    );
    let hostname = on_tls(&r, "tls.hostname");
    assert_eq!(hostname["data"]["name"], "localhost");
    assert_eq!(tls_endpoint(&r)["tls"]["sni"], "localhost");
    assert!(r.endpoints().iter().all(|e| e["address"] == "127.0.0.1"));

    // Without --tls-name the name checked (and sent as SNI) is the one typed,
    // which the certificate does not list.
    let r = check(&lab, &dns, "pop.example.test", &[]);
    assert_eq!(r.code, EXIT_FAIL, "{}", r.describe());
    let hostname = on_tls(&r, "tls.hostname");
    assert_eq!(hostname["status"], "fail", "{}", r.describe());
    assert_eq!(hostname["data"]["name"], "pop.example.test");
    assert!(
        hostname["data"]["valid_for"]
            .as_array()
            .unwrap()
            .contains(&"localhost".into()),
        "{hostname}"
    );
    assert_eq!(tls_endpoint(&r)["tls"]["sni"], "pop.example.test");
}

/// NXDOMAIN, NODATA, SERVFAIL, REFUSED and no answer: each fails
/// dns.resolve and is named as such, with a remedy.
#[test]
fn dns_failures_are_each_named() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(
        Zone::new()
            .exists("nodata.example.test")
            .servfail("broken.example.test")
            .refused("refused.example.test")
            .drop("silent.example.test"),
    );
    // (name, error code in data.a, words in the summary)
    let cases = [
        ("nx.example.test", "nxdomain", "NXDOMAIN"),
        ("nodata.example.test", "nodata", "no A"),
        ("broken.example.test", "servfail", "SERVFAIL"),
        ("refused.example.test", "refused", "REFUSED"),
        ("silent.example.test", "timeout", "no answer"),
    ];
    std::thread::scope(|scope| {
        for (name, code, words) in cases {
            let (lab, dns) = (&lab, &dns);
            scope.spawn(move || {
                let r = check(lab, dns, name, &["--timeout", "1s"]);
                assert_eq!(r.code, EXIT_FAIL, "{name}\n{}", r.describe());
                let c = r.one("dns.resolve");
                assert_eq!(c["status"], "fail", "{name}\n{}", r.describe());
                let summary = c["summary"].as_str().unwrap();
                assert!(summary.contains(name), "{name}: {summary}");
                assert!(
                    summary.contains(words),
                    "{name}: want {words:?} in {summary:?}"
                );
                assert_eq!(c["data"]["a_error"], code, "{name}: {}", c["data"]);
                assert_eq!(
                    c["data"]["a"],
                    serde_json::json!([]),
                    "{name}: {}",
                    c["data"]
                );
                assert!(
                    !c["remedy"].as_str().unwrap().is_empty(),
                    "{name}: no remedy"
                );
                assert!(
                    r.endpoints().is_empty(),
                    "{name}: nothing to connect to\n{}",
                    r.describe()
                );
            });
        }
    });
}

/// An e-mail target: the POP3 host and ports come from RFC 6186 SRV
/// records, and the certificate is checked against the SRV target.
#[test]
fn email_target_follows_srv_records() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let dns = net.dns(
        Zone::new()
            .srv(
                "_pop3s._tcp.example.test",
                0,
                1,
                ep.tls.port(),
                "mailhost.example.test",
            )
            .srv(
                "_pop3._tcp.example.test",
                0,
                1,
                ep.plain.port(),
                "mailhost.example.test",
            )
            .a("mailhost.example.test", LOCAL)
            .mx("example.test", 10, "mailhost.example.test"),
    );
    let ca = lab.ca_pem_path().display().to_string();
    let base = [
        "check",
        "alice@example.test",
        "--dns-server",
        &dns.addr().to_string(),
        "--ca-file",
        &ca,
        "--timeout",
        "3s",
        "--json",
    ]
    .map(String::from);

    let r = run_json(&base);
    assert_eq!(r.json["target"]["kind"], "email", "{}", r.describe());
    assert_eq!(r.json["target"]["user"], "alice");
    assert_eq!(r.json["target"]["input"], "alice@example.test");
    assert_eq!(r.json["target"]["host"], "mailhost.example.test");
    assert_eq!(r.one("dns.srv")["status"], "pass", "{}", r.describe());
    assert_eq!(r.one("dns.mx")["status"], "pass", "{}", r.describe());
    let resolve = r.one("dns.resolve");
    assert_eq!(resolve["status"], "pass");
    assert_eq!(resolve["data"]["source"]["via"], "srv", "{resolve}");
    assert!(
        resolve["summary"].as_str().unwrap().contains("SRV"),
        "{resolve}"
    );

    // The ports are the SRV ports (not 110/995).
    let mut ports: Vec<(u64, &str)> = r
        .endpoints()
        .iter()
        .map(|e| (e["port"].as_u64().unwrap(), e["security"].as_str().unwrap()))
        .collect();
    ports.sort();
    let mut want = vec![
        (u64::from(ep.tls.port()), "implicit-tls"),
        (u64::from(ep.plain.port()), "starttls"),
    ];
    want.sort();
    assert_eq!(ports, want, "{}", r.describe());

    // The certificate is checked against the SRV target, and says why; the
    // lab certificate does not list it, so this fails.
    let hostname = on_tls(&r, "tls.hostname");
    assert_eq!(
        hostname["data"]["name"], "mailhost.example.test",
        "{hostname}"
    );
    let summary = hostname["summary"].as_str().unwrap();
    assert!(
        summary.contains("SRV") && summary.contains("_pop3s._tcp.example.test"),
        "tls.hostname should say the name comes from the SRV record: {summary}"
    );
    assert_eq!(hostname["status"], "fail", "{}", r.describe());
    assert_eq!(tls_endpoint(&r)["tls"]["sni"], "mailhost.example.test");
    assert_eq!(r.code, EXIT_FAIL);

    // With a name the certificate lists, everything passes.
    let mut args = base.to_vec();
    args.extend(["--tls-name".into(), "localhost".into()]);
    let r = run_json(&args);
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());

    // With alice's password set, popscope logs in on the SRV-discovered host.
    let pw = password_of(&lab, "alice");
    let r = run_json_cmd(popscope().args(&args).env("POPSCOPE_PASSWORD", &pw));
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    let login = r.one("auth.login");
    assert_eq!(login["status"], "pass", "{}", r.describe());
    assert_eq!(login["endpoint"], ep.tls.to_string(), "{}", r.describe());
    assert!(
        !r.json.to_string().contains(&pw),
        "the password leaked into the report"
    );
}

/// No SRV records: popscope guesses `pop.<domain>` first, says so in
/// dns.srv (info, not an error).
#[test]
fn email_target_without_srv_guesses_pop_host() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(
        Zone::new()
            .a("pop.example.test", LOCAL)
            .a("mail.example.test", LOCAL),
    );
    let r = check_alice(&lab, &dns, &["--tls-name", "localhost"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    assert_eq!(r.json["target"]["host"], "pop.example.test");
    assert_eq!(r.one("dns.srv")["status"], "info", "{}", r.describe());
    assert_eq!(r.one("dns.mx")["status"], "info", "{}", r.describe());
    let resolve = r.one("dns.resolve");
    assert_eq!(resolve["data"]["source"]["via"], "guess", "{resolve}");
    assert_eq!(resolve["data"]["host"], "pop.example.test");
    assert_eq!(r.endpoints().len(), 2, "{}", r.describe());
}

/// No SRV and no conventional name: dns.resolve fails naming what it tried.
#[test]
fn email_target_with_nothing_to_guess_fails_dns_resolve() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(
        Zone::new()
            .mx("example.test", 10, "mx.example.test")
            .a("mx.example.test", LOCAL),
    );
    let r = check_alice(&lab, &dns, &[]);
    assert_eq!(r.code, EXIT_FAIL, "{}", r.describe());
    let resolve = r.one("dns.resolve");
    assert_eq!(resolve["status"], "fail");
    let detail = resolve["detail"].as_str().unwrap();
    assert!(
        detail.contains("pop.example.test") && detail.contains("mail.example.test"),
        "{detail}"
    );
    assert!(r.endpoints().is_empty(), "{}", r.describe());
}

#[test]
fn dangling_mx_warns() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(Zone::new().a("pop.example.test", LOCAL).mx(
        "example.test",
        10,
        "gone.example.test",
    ));
    let r = check_alice(&lab, &dns, &["--tls-name", "localhost"]);
    let mx = r.one("dns.mx");
    assert_eq!(mx["status"], "warn", "{}", r.describe());
    assert!(
        mx["summary"]
            .as_str()
            .unwrap()
            .contains("gone.example.test"),
        "{mx}"
    );
    assert_eq!(mx["data"][0]["exchange"], "gone.example.test", "{mx}");
    assert_eq!(r.code, EXIT_WARN, "{}", r.describe());
}

#[test]
fn dangling_srv_warns_and_falls_back_to_guessing() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let dns = net.dns(
        Zone::new()
            .srv(
                "_pop3s._tcp.example.test",
                0,
                1,
                ep.tls.port(),
                "nowhere.example.test",
            )
            .a("pop.example.test", LOCAL),
    );
    let r = check_alice(&lab, &dns, &["--tls-name", "localhost"]);
    let srv = r.one("dns.srv");
    assert_eq!(srv["status"], "warn", "{}", r.describe());
    assert!(
        srv["summary"]
            .as_str()
            .unwrap()
            .contains("nowhere.example.test"),
        "{srv}"
    );
    assert_eq!(
        r.json["target"]["host"],
        "pop.example.test",
        "{}",
        r.describe()
    );
    assert_eq!(r.one("dns.resolve")["data"]["source"]["via"], "guess");
    assert_eq!(r.code, EXIT_WARN, "{}", r.describe());
}

/// The addresses of a `dns.resolve` `data.a`/`data.aaaa` value (always a
/// list, see [`dns_resolve_data_lists_addresses_as_documented`]).
fn addresses(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an address list: {v}"))
        .iter()
        .map(|a| a.as_str().expect("address string"))
        .collect()
}

/// docs/checks.md: `a`, `aaaa` are address lists (empty on failure) and
/// `a_error`, `aaaa_error` the failure's code or null: one shape each.
#[test]
fn dns_resolve_data_lists_addresses_as_documented() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(Zone::new().a("pop.example.test", LOCAL));
    let r = check(&lab, &dns, "pop.example.test", &["--tls-name", "localhost"]);
    let data = &r.one("dns.resolve")["data"];
    assert_eq!(data["a"], serde_json::json!(["127.0.0.1"]), "{data}");
    assert_eq!(data["a_error"], serde_json::Value::Null, "{data}");
    assert_eq!(data["aaaa"], serde_json::json!([]), "{data}");
    assert_eq!(data["aaaa_error"], serde_json::json!("nodata"), "{data}");
}

fn family_zone() -> Zone {
    Zone::new()
        .aaaa("v6only.example.test", Ipv6Addr::LOCALHOST)
        .a("v4only.example.test", LOCAL)
}

/// `-4` / `-6` filter the resolved addresses: with nothing left, nothing is
/// probed and the run fails; the addresses dropped are listed.
#[test]
fn address_family_filter_leaves_nothing_to_probe() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(family_zone());
    for (name, flag, filtered) in [
        ("v6only.example.test", "-4", "::1"),
        ("v4only.example.test", "-6", "127.0.0.1"),
    ] {
        let r = check(&lab, &dns, name, &[flag]);
        assert_eq!(r.code, EXIT_FAIL, "{name} {flag}\n{}", r.describe());
        let c = r.one("dns.resolve");
        assert_eq!(
            c["data"]["filtered_out"],
            serde_json::json!([filtered]),
            "{c}"
        );
        assert!(r.endpoints().is_empty(), "{}", r.describe());
    }
    // The matching family keeps the address.
    let r = check(
        &lab,
        &dns,
        "v4only.example.test",
        &["-4", "--tls-name", "localhost"],
    );
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    assert_eq!(
        r.one("dns.resolve")["data"]["filtered_out"],
        serde_json::json!([])
    );
}

/// docs/checks.md, dns.resolve: "fail: ... or every address was excluded by
/// -4/-6".
#[test]
fn address_family_filter_fails_dns_resolve() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(family_zone());
    for (name, flag) in [("v6only.example.test", "-4"), ("v4only.example.test", "-6")] {
        let r = check(&lab, &dns, name, &[flag]);
        let c = r.one("dns.resolve");
        assert_eq!(c["status"], "fail", "{name} {flag}\n{}", r.describe());
        assert!(c["summary"].as_str().unwrap().contains("-4/-6"), "{c}");
    }
}

/// `localhost` is answered without asking any DNS server (here a dead one).
#[test]
fn localhost_needs_no_dns_server() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ep = lab.endpoint(Scenario::Healthy).unwrap();
    let dead = {
        let s = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        s.local_addr().unwrap()
    };
    let mut args = two_port_args("localhost", ep, lab.ca_pem_path());
    args.extend([
        "--dns-server".to_string(),
        dead.to_string(),
        "-4".to_string(),
    ]);
    let r = run_json(&args);
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    assert_eq!(r.one("dns.resolve")["status"], "pass");
    assert_eq!(on_tls(&r, "tls.hostname")["data"]["name"], "localhost");
    assert_eq!(tls_endpoint(&r)["tls"]["sni"], "localhost");
}

fn dot_srv_zone() -> Zone {
    Zone::new()
        .srv("_pop3s._tcp.example.test", 0, 0, 0, ".")
        .a("pop.example.test", LOCAL)
}

/// An SRV record whose target is "." says "no such service here" (RFC
/// 6186/2782): it names no host, so popscope guesses the host name.
#[test]
fn srv_dot_target_names_no_host() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(dot_srv_zone());
    let r = check_alice(&lab, &dns, &["--tls-name", "localhost"]);
    assert_eq!(
        r.json["target"]["host"],
        "pop.example.test",
        "{}",
        r.describe()
    );
    assert_eq!(r.one("dns.resolve")["data"]["source"]["via"], "guess");
    let srv = r.one("dns.srv");
    assert!(
        srv["summary"].as_str().unwrap().contains("not available"),
        "{srv}"
    );
}

/// docs/checks.md, dns.srv: "pass: SRV records exist and their targets
/// resolve; the POP3 host was taken from them". With only a "." record the
/// host was guessed, so pass is wrong (info, like "no SRV records", fits).
#[test]
fn srv_dot_target_is_not_a_pass() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(dot_srv_zone());
    let r = check_alice(&lab, &dns, &["--tls-name", "localhost"]);
    assert_ne!(r.one("dns.srv")["status"], "pass", "{}", r.describe());
}

/// README: `popscope check alice@example.com --json  # SRV/MX discovery,
/// JSON for monitoring`: without a password the user in the target does
/// not turn into a login, and auth.login says it was not tested.
#[test]
fn email_target_without_password_still_diagnoses() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(Zone::new().a("pop.example.test", LOCAL));
    let r = check_alice(&lab, &dns, &["--tls-name", "localhost"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.describe());
    let tried: Vec<_> = r
        .all("auth.login")
        .into_iter()
        .filter(|c| c["status"] != "skip")
        .collect();
    assert!(tried.is_empty(), "no password: no login\n{}", r.describe());
    // docs/checks.md, auth.login: "skip: a user@domain target without a
    // password: the login was not tested".
    assert_eq!(r.one("auth.login")["status"], "skip", "{}", r.describe());
    let logins: Vec<&str> = r
        .endpoints()
        .iter()
        .flat_map(|e| e["transcript"].as_array().unwrap())
        .filter(|l| l["dir"] == "client")
        .filter_map(|l| l["text"].as_str())
        .filter(|t| ["USER ", "AUTH ", "APOP "].iter().any(|v| t.starts_with(v)))
        .collect();
    assert!(logins.is_empty(), "login attempted: {logins:?}");
}

/// docs/json.md: `dialogue` is null "when no login or profile was asked
/// for", and otherwise has `profile`, `steps`, `login`, ... (with
/// `endpoint` null "when no endpoint was usable"). Today an e-mail target
/// without a password, or a login on a domain where nothing resolves, gives
/// `{"endpoint": null}` and nothing else.
#[test]
fn dialogue_is_null_or_complete() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(Zone::new().a("pop.example.test", LOCAL));
    let no_password = check_alice(&lab, &dns, &["--tls-name", "localhost"]);
    let nothing = net.dns(Zone::new());
    let no_endpoint = run_json_cmd(
        popscope()
            .args(check_args(&lab, &nothing, "alice@example.test", &[]))
            .env("POPSCOPE_PASSWORD", password_of(&lab, "alice")),
    );
    for r in [no_password, no_endpoint] {
        let d = &r.json["dialogue"];
        assert!(
            d.is_null() || (d.get("profile").is_some() && d.get("steps").is_some()),
            "dialogue: {d}\n{}",
            r.describe()
        );
    }
}

/// A dangling MX and REFUSED guesses, with --dns-server given: the remedy
/// speaks of the given server, not of "another resolver (--dns-server)".
#[test]
fn refused_guess_with_dns_server_given_names_that_server() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let dns = net.dns(
        Zone::new()
            .mx("example.test", 10, "gone.example.test")
            .refused("pop.example.test")
            .refused("pop3.example.test")
            .refused("mail.example.test"),
    );
    let r = check_alice(&lab, &dns, &[]);
    assert_eq!(r.code, EXIT_FAIL, "{}", r.describe());
    let d = r.one("dns.resolve");
    assert_eq!(d["status"], "fail", "{}", r.describe());
    let remedy = d["remedy"].as_str().unwrap().to_string();
    assert!(!remedy.contains("another resolver"), "{remedy}");
    assert!(
        remedy.contains("The DNS server given with --dns-server refused the query"),
        "{remedy}"
    );
    assert_eq!(r.one("dns.mx")["status"], "warn", "{}", r.describe());
}
