//! A server that echoes what it receives (issue 12): `-ERR unknown command
//! PASS <password>`, `-ERR bad response <PLAIN blob>`, the LOGIN base64 of
//! the password. popscope registers every form of the secret it sends and
//! redacts it from every recorded line, server lines included, and from the
//! server text quoted in the checks, so no output format shows it.

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::{FORMATS, USER, assert_no_secret, run_popscope};
use crate::support::net::{Net, closed_port};

/// A password only this test uses.
const ECHOED: &str = "Echo-Secret-5521";

/// A cleartext POP3 server (CAPA: USER, SASL PLAIN LOGIN) that refuses
/// every login and quotes the client's line (or SASL response) in each
/// refusal.
async fn echo_server(stream: TcpStream) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    if write.write_all(b"+OK echo server ready\r\n").await.is_err() {
        return;
    }
    // How many SASL LOGIN responses are still expected.
    let mut login_step = 0;
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply = if login_step == 2 {
            login_step = 1;
            "+ UGFzc3dvcmQ6".to_string()
        } else if login_step == 1 {
            login_step = 0;
            format!("-ERR [AUTH] bad password {line}")
        } else if upper == "CAPA" {
            "+OK\r\nUSER\r\nSASL PLAIN LOGIN\r\n.".to_string()
        } else if upper.starts_with("USER ") {
            "+OK".to_string()
        } else if upper.starts_with("AUTH PLAIN") {
            format!("-ERR [AUTH] bad response {line}")
        } else if upper == "AUTH LOGIN" {
            login_step = 2;
            "+ VXNlcm5hbWU6".to_string()
        } else if upper == "QUIT" {
            let _ = write.write_all(b"+OK bye\r\n").await;
            return;
        } else {
            // PASS included: "-ERR unknown command PASS <password>"
            format!("-ERR unknown command {line}")
        };
        if write
            .write_all(format!("{reply}\r\n").as_bytes())
            .await
            .is_err()
        {
            return;
        }
    }
}

#[test]
fn a_server_that_echoes_the_secret_shows_it_in_no_output() {
    let net = Net::new();
    let addr = net.serve(echo_server);
    let runs: Vec<(Option<&str>, &[&str], bool)> = FORMATS
        .iter()
        .map(|(f, json)| (None, *f, *json))
        .chain(["user", "plain", "login"].into_iter().flat_map(|a| {
            [
                (Some(a), &["--json"][..], true),
                (
                    Some(a),
                    &["--transcript-only", "--color", "never"][..],
                    false,
                ),
            ]
        }))
        .collect();
    for (auth, format, json) in runs {
        let mut args: Vec<String> = vec![
            "check".into(),
            addr.ip().to_string(),
            "--plain-port".into(),
            addr.port().to_string(),
            "--tls-port".into(),
            closed_port().to_string(),
            "--timeout".into(),
            "5s".into(),
            "--user".into(),
            USER.into(),
            "--allow-cleartext-auth".into(),
        ];
        if let Some(a) = auth {
            args.extend(["--auth".to_string(), a.to_string()]);
        }
        args.extend(format.iter().map(|s| s.to_string()));
        let what = format!("--auth {} {}", auth.unwrap_or("auto"), format.join(" "));
        let out = run_popscope(&args, &[("POPSCOPE_PASSWORD", ECHOED)]);
        assert!(
            (0..=2).contains(&out.code),
            "{what}: exit {}\nstderr: {}",
            out.code,
            out.stderr
        );
        let plain = assert_no_secret(&out.stdout, USER, ECHOED, &format!("{what} stdout"));
        assert_no_secret(&out.stderr, USER, ECHOED, &format!("{what} stderr"));
        // The echo happened, and was redacted where it was recorded.
        let text = if json {
            let report: Value = serde_json::from_str(&out.stdout)
                .unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{}", out.stdout));
            let login = report["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == "auth.login")
                .unwrap_or_else(|| panic!("{what}: no auth.login"));
            assert_eq!(login["status"], "fail", "{what}: {login:#}");
            let server_text = login["data"]["server_text"].as_str().unwrap_or_default();
            assert!(server_text.contains("********"), "{what}: {login:#}");
            out.stdout.clone()
        } else {
            plain
        };
        let echoes = [
            "-ERR unknown command PASS ********",
            "-ERR [AUTH] bad response AUTH PLAIN ********",
            "-ERR [AUTH] bad password ********",
        ];
        if format.contains(&"--no-transcript") {
            continue;
        }
        // auto picks PLAIN; LOGIN and USER check the same password, so
        // the refusal ends the login.
        let expected: &[&str] = match auth {
            Some("user") => &echoes[..1],
            None | Some("plain") => &echoes[1..2],
            _ => &echoes[2..],
        };
        for e in expected {
            assert!(text.contains(e), "{what}: {e:?} not in\n{text}");
        }
    }
}
