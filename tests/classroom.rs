//! Classroom mode with a real client: thirty students log in at the same
//! moment with Python's `poplib` (one process, thirty threads, each with its
//! own account over implicit TLS, trusting only the lab CA) and each gets
//! every message of their own mailbox, byte for byte, without `[IN-USE]`
//! and without the per-address limit refusing anyone (they all come from
//! 127.0.0.1, as a class behind one NAT address would).
//!
//! Without a usable `python3` the test prints `SKIPPED ...` and passes,
//! unless `POPSCOPE_REQUIRE_INTEROP=1` makes that a failure.

use std::process::{Command, Stdio};

use md5::{Digest, Md5};
use popscope::lab::classroom::{self, Assignment};
use popscope::lab::mailbox::sample_messages;
use popscope::lab::{LabConfig, Scenario};
use serde_json::Value;

use crate::support::net::RunningLab;
use crate::support::skip;

/// Arguments: `PORT CA_FILE` then `account:password` pairs. Every thread
/// connects, waits for all the others (a barrier), then logs in, runs STAT,
/// RETRs every message and QUITs; the output is one JSON object per account
/// with the MD5 of every message, or the error it met.
const PYTHON_CLASS: &str = r#"
import hashlib, json, poplib, ssl, sys, threading

port, cafile = int(sys.argv[1]), sys.argv[2]
accounts = [a.split(":", 1) for a in sys.argv[3:]]
ctx = ssl.create_default_context(cafile=cafile)

class PinnedName:
    def wrap_socket(self, sock, server_hostname=None):
        return ctx.wrap_socket(sock, server_hostname="localhost")

barrier = threading.Barrier(len(accounts), timeout=60)
out = {}

def student(user, password):
    try:
        p = poplib.POP3_SSL("127.0.0.1", port, timeout=60, context=PinnedName())
        greeting = p.getwelcome().decode()
        barrier.wait()
        p.user(user)
        p.pass_(password)
        count, _ = p.stat()
        digests = []
        for i in range(1, count + 1):
            _, lines, _ = p.retr(i)
            digests.append(hashlib.md5(b"".join(l + b"\r\n" for l in lines)).hexdigest())
        p.quit()
        out[user] = {"greeting": greeting, "md5": digests}
    except Exception as e:
        out[user] = {"error": type(e).__name__ + ": " + str(e)}
        barrier.abort()

threads = [threading.Thread(target=student, args=(u, pw)) for u, pw in accounts]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(out))
"#;

fn python_or_skip(test: &str) -> bool {
    let why = match Command::new("python3")
        .args(["-c", "import poplib, ssl, json, threading, hashlib"])
        .stdin(Stdio::null())
        .output()
    {
        Ok(o) if o.status.success() => return true,
        Ok(o) => format!(
            "python3 cannot import poplib/ssl: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => format!("python3 is not installed ({e})"),
    };
    skip(test, &why)
}

#[test]
fn thirty_students_log_in_at_once_with_python_poplib() {
    if !python_or_skip("thirty_students_log_in_at_once_with_python_poplib") {
        return;
    }
    let class = classroom::students(30, &[Scenario::Healthy], &Assignment::Random(11)).unwrap();
    let lab = RunningLab::with(LabConfig {
        max_per_address: classroom::max_per_address(class.len()),
        max_connections: classroom::max_connections(class.len()),
        students: class.clone(),
        blind: true,
        ..Default::default()
    });
    let port = lab.endpoint(Scenario::Healthy).unwrap().tls.port();
    let mut cmd = Command::new("python3");
    cmd.arg("-c")
        .arg(PYTHON_CLASS)
        .arg(port.to_string())
        .arg(lab.ca_pem_path());
    for st in &class {
        cmd.arg(format!("{}:{}", st.account, st.password));
    }
    let out = cmd.stdin(Stdio::null()).output().expect("run python3");
    assert!(
        out.status.success(),
        "python3: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("python prints JSON");
    let want: Vec<String> = sample_messages()
        .iter()
        .map(|m| {
            Md5::digest(&m.data)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect();
    for st in &class {
        let got = &v[&st.account];
        assert!(got.get("error").is_none(), "{}: {got}", st.account);
        let greeting = got["greeting"].as_str().unwrap_or_default();
        assert!(greeting.starts_with("+OK") && !greeting.contains("scenario"));
        let md5: Vec<&str> = got["md5"]
            .as_array()
            .expect("digests")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(md5, want, "{} got every message intact", st.account);
    }
    for st in &class {
        assert_eq!(lab.mailbox_uidls(&st.account).map(|u| u.len()), Some(4));
    }
}
