use super::*;

/// `kind host port security user`, `-` for none: one line per target.
fn describe(t: &Target) -> String {
    let opt = |o: Option<String>| o.unwrap_or_else(|| "-".into());
    format!(
        "{} {} {} {} {}",
        t.kind,
        t.host,
        opt(t.port.map(|p| p.to_string())),
        opt(t.security.map(|s| s.as_str().to_string())),
        opt(t.user.clone()),
    )
}

#[test]
fn accepted_forms() {
    let rows = [
        ("mail.example.com", "host mail.example.com - - -"),
        ("MAIL.Example.COM.", "host mail.example.com - - -"),
        ("  mail.example.com  ", "host mail.example.com - - -"),
        ("localhost", "host localhost - - -"),
        ("mail-1.example.com", "host mail-1.example.com - - -"),
        (
            "_pop3._tcp.example.com",
            "host _pop3._tcp.example.com - - -",
        ),
        ("3com.com", "host 3com.com - - -"),
        ("mail.example.com:995", "host-port mail.example.com 995 - -"),
        ("mail.example.com:110", "host-port mail.example.com 110 - -"),
        ("localhost:65535", "host-port localhost 65535 - -"),
        ("pop3://mail.example.com", "url mail.example.com - plain -"),
        ("pop3://mail.example.com/", "url mail.example.com - plain -"),
        (
            "POP3S://Mail.Example.com:995/",
            "url mail.example.com 995 implicit-tls -",
        ),
        (
            "pop3s://mail.example.com",
            "url mail.example.com - implicit-tls -",
        ),
        ("pop://mail.example.com", "url mail.example.com - plain -"),
        (
            "pop3://alice@mail.example.com",
            "url mail.example.com - plain alice",
        ),
        (
            "pop3s://alice%40example.com@mail.example.com:995",
            "url mail.example.com 995 implicit-tls alice@example.com",
        ),
        (
            "pop3s://alice@example.com@mail.example.com",
            "url mail.example.com - implicit-tls alice@example.com",
        ),
        (
            "pop://alice;AUTH=*@mail.example.com",
            "url mail.example.com - plain alice",
        ),
        ("192.0.2.10", "ip 192.0.2.10 - - -"),
        ("127.0.0.1:1100", "host-port 127.0.0.1 1100 - -"),
        ("::1", "ip ::1 - - -"),
        ("2001:db8::1", "ip 2001:db8::1 - - -"),
        ("[::1]", "ip ::1 - - -"),
        ("[::1]:995", "host-port ::1 995 - -"),
        ("[192.0.2.1]", "ip 192.0.2.1 - - -"),
        ("pop3s://[::1]:995", "url ::1 995 implicit-tls -"),
        ("pop3://[2001:db8::5]/", "url 2001:db8::5 - plain -"),
        ("pop3://127.0.0.1:110", "url 127.0.0.1 110 plain -"),
        ("alice@example.com", "email example.com - - alice"),
        (
            "Alice.Smith+tag@Example.COM",
            "email example.com - - Alice.Smith+tag",
        ),
        ("alice@[192.0.2.1]", "email 192.0.2.1 - - alice"),
        (
            "alice@mail.example.com:995",
            "host-port mail.example.com 995 - alice",
        ),
        ("bücher.example", "host xn--bcher-kva.example - - -"),
        (
            "alice@BÜCHER.example",
            "email xn--bcher-kva.example - - alice",
        ),
    ];
    for (input, want) in rows {
        let t = Target::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(t.input, input);
        assert_eq!(describe(&t), want, "{input:?}");
    }
    // Host variants, not just their text.
    assert_eq!(
        Target::parse("[::1]:995").unwrap().host,
        Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST))
    );
    assert_eq!(
        Target::parse("example.com").unwrap().host,
        Host::Name("example.com".into())
    );
}

#[test]
fn rejected_forms_say_what_to_type() {
    // (input, a fragment the message must contain)
    let rows = [
        ("", "no target given"),
        ("   ", "no target given"),
        ("mail example.com", "spaces"),
        ("mail.example.com:0", "1 to 65535"),
        ("mail.example.com:", "1 to 65535"),
        ("mail.example.com:pop3", "1 to 65535"),
        ("mail.example.com:70000", "1 to 65535"),
        ("mail.example.com:+995", "1 to 65535"),
        ("imap://mail.example.com", "pop3s://mail.example.com"),
        ("https://mail.example.com/", "pop3://mail.example.com"),
        ("pop3://", "no server name"),
        ("pop3://mail.example.com/INBOX", "no path"),
        ("pop3://mail.example.com?x=1", "no query"),
        ("pop3://@mail.example.com", "empty user name"),
        ("pop3://alice@", "no server name"),
        ("pop3://al%4ice@mail.example.com", "%40"),
        ("mail.example.com/pop3", "pop3s:// URL"),
        ("mail..example.com", "empty label"),
        (".example.com", "empty label"),
        ("-mail.example.com", "hyphen"),
        ("mail-.example.com", "hyphen"),
        ("mail!.example.com", "not allowed"),
        ("999.1.1.1", "IPv4"),
        ("192.0.2", "cannot end in a number"),
        ("mail.123", "cannot end in a number"),
        ("2001:db8::1:995:zz", "brackets"),
        ("fe80::1%eth0", "zone"),
        ("[::1", "closing ]"),
        ("[::1]995", "after ]"),
        ("[mail.example.com]", "only for IP"),
        ("[::1]:0", "1 to 65535"),
        ("@example.com", "nothing before the @"),
        ("alice@", "nothing after the @"),
        ("a@b@example.com", "more than one @"),
        ("alice@mail..example.com", "empty label"),
        ("ünïcödé\u{0}.com", "control"),
    ];
    for (input, fragment) in rows {
        let err = Target::parse(input).expect_err(input).to_string();
        assert!(
            err.contains(fragment),
            "{input:?}: message {err:?} lacks {fragment:?}"
        );
    }
}

#[test]
fn length_limits() {
    let label63 = "a".repeat(63);
    assert!(Target::parse(&format!("{label63}.example.com")).is_ok());
    let label64 = "a".repeat(64);
    let err = Target::parse(&format!("{label64}.example.com")).unwrap_err();
    assert!(err.to_string().contains("at most 63"), "{err}");
    let long = [label63.as_str(); 4].join("."); // 255 chars
    let err = Target::parse(&long).unwrap_err();
    assert!(err.to_string().contains("at most 253"), "{err}");
}

#[test]
fn domain_lookup_only_for_email_domains() {
    assert!(
        Target::parse("alice@example.com")
            .unwrap()
            .is_domain_lookup()
    );
    for s in [
        "example.com",
        "example.com:110",
        "pop3://alice@example.com",
        "alice@[192.0.2.1]",
        "alice@mail.example.com:995",
        "192.0.2.1",
    ] {
        assert!(!Target::parse(s).unwrap().is_domain_lookup(), "{s}");
    }
}

#[test]
fn display_and_json() {
    let cases = [
        ("MAIL.example.com", "mail.example.com"),
        ("mail.example.com:995", "mail.example.com:995"),
        ("pop3s://[::1]:995/", "pop3s://[::1]:995"),
        (
            "pop3://alice%40x.org@mail.example.com",
            "pop3://alice%40x.org@mail.example.com",
        ),
        ("alice@Example.com", "alice@example.com"),
        ("alice@[192.0.2.1]", "alice@[192.0.2.1]"),
        ("::1", "::1"),
        ("[::1]:110", "[::1]:110"),
    ];
    for (input, shown) in cases {
        assert_eq!(Target::parse(input).unwrap().to_string(), shown, "{input}");
    }
    let t = Target::parse("pop3s://bob@[::1]:995").unwrap();
    let v = serde_json::to_value(&t).unwrap();
    assert_eq!(v["kind"], "url");
    assert_eq!(v["host"], "::1");
    assert_eq!(v["port"], 995);
    assert_eq!(v["security"], "implicit-tls");
    assert_eq!(v["user"], "bob");
    let v = serde_json::to_value(Target::parse("x.example:1").unwrap()).unwrap();
    assert_eq!(v["kind"], "host-port");
    assert_eq!(TargetKind::HostPort.as_str(), "host-port");
    assert_eq!(Host::from(Ipv6Addr::LOCALHOST).url_form(), "[::1]");
    assert_eq!(Host::from(Ipv4Addr::LOCALHOST).url_form(), "127.0.0.1");
}
