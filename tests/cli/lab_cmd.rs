//! `popscope lab --list` and `popscope demo`.

use popscope::lab::Scenario;

use super::util::{EXIT_PASS, EXIT_WARN, report_of, run};
use crate::support::cmd::popscope_std;
use crate::support::wait::{self, DEADLINE};

#[test]
fn lab_list_names_every_scenario_and_its_check() {
    let r = run(&["lab", "--list"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.stderr);
    let out = r.out();
    for s in Scenario::all() {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(s.name()))
            .unwrap_or_else(|| panic!("lab --list lacks {s}:\n{out}"));
        let expected = s
            .expected_check()
            .map_or_else(|| "(passes)".to_string(), |id| id.to_string());
        assert!(line.contains(&expected), "{s}: {line}");
    }
    let listed = out
        .lines()
        .filter(|l| l.starts_with("  ") && !l.trim().is_empty())
        .count();
    assert_eq!(listed, Scenario::all().len(), "{out}");
}

#[test]
fn demo_json_passes_and_exits() {
    let r = run(&["demo", "--json"]);
    let rep = report_of(r);
    assert_eq!(rep.code, EXIT_PASS, "{}", rep.describe());
    assert_eq!(rep.verdict(), "pass");
    assert_eq!(rep.endpoints().len(), 2, "{}", rep.describe());
    assert!(rep.endpoints().iter().all(|e| e["address"] == "127.0.0.1"));
}

/// The demo of a faulty scenario carries that scenario's verdict.
#[test]
fn demo_of_a_faulty_scenario() {
    let rep = report_of(run(&["demo", "--scenario", "no-stls", "--json"]));
    assert_eq!(rep.code, EXIT_WARN, "{}", rep.describe());
    assert!(
        rep.all("tls.stls").iter().any(|c| c["status"] == "warn"),
        "{}",
        rep.describe()
    );
}

#[test]
fn demo_text_introduces_itself() {
    let r = run(&["demo", "--color", "never"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.stderr);
    assert!(r.out().starts_with("popscope demo:"), "{}", r.out());
    assert!(r.out().contains("healthy"));
}

/// A reader that goes away (`popscope demo | head -0`) is not an error: the
/// exit code is still the verdict's.
#[test]
fn closed_stdout_is_not_an_error() {
    let mut cmd = popscope_std();
    cmd.args(["demo", "--color", "never"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("spawn popscope");
    drop(child.stdout.take()); // close the read end before popscope writes
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(EXIT_PASS), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// A `popscope lab` child whose output is read by threads, so that the test
/// can wait for a line with a deadline.
struct LabChild {
    child: std::process::Child,
    stdout: std::sync::mpsc::Receiver<String>,
    stderr: std::sync::mpsc::Receiver<String>,
    seen: String,
}

fn lines_of(r: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(r).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl LabChild {
    /// Starts `popscope lab ARGS` with its temporary files under `tmp`.
    fn spawn(args: &[&str], tmp: &std::path::Path) -> LabChild {
        let mut cmd = popscope_std();
        cmd.arg("lab")
            .args(args)
            .env("TMPDIR", tmp)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().expect("spawn popscope lab");
        let stdout = lines_of(child.stdout.take().expect("stdout"));
        let stderr = lines_of(child.stderr.take().expect("stderr"));
        LabChild {
            child,
            stdout,
            stderr,
            seen: String::new(),
        }
    }

    /// Reads stdout until a line containing `what` (deadline: `wait::DEADLINE`).
    fn wait_for(&mut self, what: &str) {
        let end = std::time::Instant::now() + DEADLINE;
        loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push_str(&line);
                    self.seen.push('\n');
                    if line.contains(what) {
                        return;
                    }
                }
                Err(_) => {
                    let _ = self.child.kill();
                    let err: Vec<String> = self.stderr.try_iter().collect();
                    panic!(
                        "popscope lab never printed {what:?}; stdout:\n{}\nstderr:\n{}",
                        self.seen,
                        err.join("\n")
                    );
                }
            }
        }
    }

    /// Sends `signal` (`TERM`, `HUP`, `INT`) and waits for the exit code.
    fn signal_and_wait(&mut self, signal: &str) -> Option<i32> {
        let status = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} failed");
        let child = &mut self.child;
        let exit = wait::poll(DEADLINE, || child.try_wait().ok().flatten());
        let Some(exit) = exit else {
            let _ = self.child.kill();
            panic!("popscope lab did not stop after SIG{signal}");
        };
        exit.code()
    }

    /// Everything printed on stderr so far (the stream is closed at exit).
    fn stderr_text(&self) -> String {
        let mut out = Vec::new();
        while let Ok(l) = self.stderr.recv_timeout(DEADLINE) {
            out.push(l);
        }
        out.join("\n")
    }
}

impl Drop for LabChild {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn lab_dirs(tmp: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(tmp)
        .expect("read the temp dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("popscope-lab-"))
        .map(|e| e.path())
        .collect()
}

/// SIGTERM, SIGHUP and SIGINT (Ctrl-C) all stop the lab cleanly: it says
/// so, exits 0 and removes its temporary CA directory.
#[test]
fn lab_cleans_up_on_term_hup_and_int() {
    for signal in ["TERM", "HUP", "INT"] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut lab = LabChild::spawn(&["--scenario", "healthy"], tmp.path());
        lab.wait_for("Serving");
        let dirs = lab_dirs(tmp.path());
        assert_eq!(dirs.len(), 1, "SIG{signal}: {dirs:?}\n{}", lab.seen);
        assert!(dirs[0].join("popscope-lab-ca.pem").exists());
        let code = lab.signal_and_wait(signal);
        let rest: Vec<String> = lab.stdout.try_iter().collect();
        assert_eq!(code, Some(EXIT_PASS), "SIG{signal}: {}", lab.stderr_text());
        assert!(
            rest.iter().any(|l| l.contains("lab stopped")),
            "SIG{signal}: {rest:?}"
        );
        assert!(lab_dirs(tmp.path()).is_empty(), "SIG{signal}: left behind");
    }
}

/// Listening beyond loopback with public passwords earns a warning; on
/// loopback there is none. (The test binds 0.0.0.0 on free ports and never
/// connects anywhere.)
#[test]
fn non_loopback_listen_warns_that_the_passwords_are_public() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let args = [
        "--scenario",
        "healthy",
        "--listen",
        "0.0.0.0",
        "--plain-port",
        "0",
        "--tls-port",
        "0",
    ];
    let mut lab = LabChild::spawn(&args, tmp.path());
    lab.wait_for("Serving");
    assert_eq!(lab.signal_and_wait("TERM"), Some(EXIT_PASS));
    let err = lab.stderr_text();
    assert!(err.contains("warning:"), "{err}");
    assert!(err.contains("0.0.0.0"), "{err}");
    assert!(err.contains("passwords"), "{err}");
    assert!(err.contains("anyone on the network can log in"), "{err}");
    assert!(err.contains("--listen 127.0.0.1"), "{err}");

    let mut lab = LabChild::spawn(&["--scenario", "healthy"], tmp.path());
    lab.wait_for("Serving");
    assert_eq!(lab.signal_and_wait("TERM"), Some(EXIT_PASS));
    let err = lab.stderr_text();
    assert!(!err.contains("warning"), "{err}");
}

/// `lab --list --blind` keeps the catalogue but not the answers.
#[test]
fn blind_list_has_no_expected_checks() {
    let r = run(&["lab", "--list", "--blind"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.stderr);
    let out = r.out();
    for s in Scenario::all() {
        assert!(out.contains(s.name()), "{out}");
        if let Some(id) = s.expected_check() {
            assert!(!out.contains(&id.to_string()), "{id} in\n{out}");
        }
    }
}

/// Classroom flags out of range or without what they need are usage errors
/// that say what to type.
#[test]
fn classroom_usage_errors() {
    let cases: [(&[&str], &str); 5] = [
        (&["--classroom", "201", "--roster", "r.csv"], "1 to 200"),
        (&["--classroom", "0", "--roster", "r.csv"], "1 to 200"),
        (&["--classroom", "3"], "--roster"),
        (&["--roster", "r.csv"], "--classroom"),
        (&["--hostname", "bad name"], "--hostname"),
    ];
    for (args, said) in cases {
        let mut all = vec!["lab"];
        all.extend_from_slice(args);
        let r = run(&all);
        assert_eq!(r.code, super::util::EXIT_USAGE, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(said), "{args:?}: {}", r.stderr);
    }
}

/// A classroom of three: the roster (mode 0600) has the passwords and the
/// answer key, the sheets have neither scenario nor answer, the banner and
/// the greetings name no scenario, and a student's account works over TLS
/// with the name given by --hostname in the certificate.
#[test]
fn classroom_roster_sheets_and_a_student_login() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("temp dir");
    let roster = tmp.path().join("roster.csv");
    let sheets = tmp.path().join("sheets");
    let ca_dir = tmp.path().join("ca");
    let args = [
        "--classroom",
        "3",
        "--scenario",
        "healthy,expired-cert",
        "--round-robin",
        "--roster",
        roster.to_str().unwrap(),
        "--sheets",
        sheets.to_str().unwrap(),
        "--hostname",
        "lab.school.test",
        "--ca-dir",
        ca_dir.to_str().unwrap(),
    ];
    let mut lab = LabChild::spawn(&args, tmp.path());
    lab.wait_for("Serving");
    let banner = lab.seen.clone();
    assert!(!banner.contains("EXPECTED CHECK"), "{banner}");
    for name in Scenario::names() {
        assert!(!banner.contains(name), "banner names {name}:\n{banner}");
    }
    let mode = std::fs::metadata(&roster)
        .expect("roster")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let csv = std::fs::read_to_string(&roster).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "student",
            "account",
            "password",
            "host",
            "plain_port",
            "tls_port",
            "scenario",
            "expected_check"
        ]
    );
    assert_eq!(rows.len(), 4, "{csv}");
    let want = [
        ("etu01", "healthy", "none"),
        ("etu02", "expired-cert", "tls.expiry"),
        ("etu03", "healthy", "none"),
    ];
    for (row, (account, scenario, check)) in rows[1..].iter().zip(want) {
        assert_eq!(
            (row[1], row[3], row[6], row[7]),
            (account, "lab.school.test", scenario, check)
        );
        assert!(
            banner.contains(&format!(":{}", row[4])),
            "port {} not shown",
            row[4]
        );
    }
    assert_eq!(rows[1][4], rows[3][4], "one port pair per scenario");
    assert_ne!(rows[1][2], rows[3][2], "passwords differ");
    for (i, row) in rows[1..].iter().enumerate() {
        let sheet = std::fs::read_to_string(sheets.join(format!("{}.md", row[1]))).unwrap();
        assert!(sheet.contains(row[2]) && sheet.contains(row[4]) && sheet.contains(row[5]));
        assert!(sheet.contains("lab.school.test"), "{sheet}");
        for name in Scenario::names() {
            assert!(!sheet.contains(name), "sheet {i} names {name}");
        }
        assert!(!sheet.contains("tls.expiry"), "sheet {i} gives the answer");
    }
    let all = std::fs::read_to_string(sheets.join("sheets.md")).unwrap();
    assert_eq!(all.matches("# POP3 lab: your exercise").count(), 3);

    // etu01's greeting names no scenario; popscope checks its ports by the
    // --hostname name and logs in as etu01.
    let plain: std::net::SocketAddr = format!("127.0.0.1:{}", rows[1][4]).parse().unwrap();
    let raw = crate::support::pop3::RawPop3::connect(plain).expect("connect");
    assert!(!raw.greeting.contains("scenario"), "{}", raw.greeting);
    let out = crate::support::cmd::popscope()
        .args([
            "check",
            "127.0.0.1",
            "--plain-port",
            rows[1][4],
            "--tls-port",
            rows[1][5],
            "--tls-name",
            "lab.school.test",
            "--ca-file",
            ca_dir.join("popscope-lab-ca.pem").to_str().unwrap(),
            "--user",
            "etu01",
            "--json",
        ])
        .env("POPSCOPE_PASSWORD", rows[1][2])
        .output()
        .expect("run popscope check");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(lab.signal_and_wait("TERM"), Some(EXIT_PASS));
}

/// Text reports explain the dialogue with the teaching profile (or with
/// --explain), not by default otherwise (or with --no-explain).
#[test]
fn replay_text_explains_the_teaching_profile() {
    let lab = crate::support::net::RunningLab::start(&[Scenario::Healthy]);
    let ep = *lab.endpoint(Scenario::Healthy).unwrap();
    let ca = lab.ca_pem_path().to_str().unwrap().to_string();
    let (plain, tls) = (ep.plain.port().to_string(), ep.tls.port().to_string());
    let text = |first: &[&str], extra: &[&str]| {
        let mut args: Vec<&str> = first.to_vec();
        args.extend([
            "127.0.0.1",
            "--plain-port",
            &plain,
            "--tls-port",
            &tls,
            "--ca-file",
            &ca,
            "--user",
            "alice",
            "--color",
            "never",
        ]);
        args.extend_from_slice(extra);
        let out = crate::support::cmd::popscope()
            .args(&args)
            .env("POPSCOPE_PASSWORD", "wonderland")
            .output()
            .expect("run popscope");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let teaching = text(&["replay", "teaching"], &[]);
    assert!(
        teaching.contains("== dialogue (profile teaching), explained =="),
        "{teaching}"
    );
    assert!(
        teaching.matches("what it does:").count() >= 10,
        "{teaching}"
    );
    assert!(teaching.contains("(reply to STAT)"), "{teaching}");
    let quiet = text(&["replay", "teaching"], &["--no-explain"]);
    assert!(!quiet.contains("what it does:"), "{quiet}");
    let basic = text(&["check"], &[]);
    assert!(!basic.contains("what it does:"), "{basic}");
    let basic = text(&["check"], &["--explain"]);
    assert!(basic.contains("reply to STAT: +OK 4 "), "{basic}");
}

/// `--lang fr`: the list's heading and every description are in French; the
/// scenario names and check ids stay.
#[test]
fn lab_list_in_french() {
    let r = run(&["--lang", "fr", "lab", "--list"]);
    assert_eq!(r.code, EXIT_PASS, "{}", r.stderr);
    let out = r.out();
    assert!(
        out.starts_with("Scénarios (popscope lab --scenario NOM, ou --scenario all)\u{a0}:\n"),
        "{out}"
    );
    for s in Scenario::all() {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(s.name()))
            .unwrap_or_else(|| panic!("lab --list lacks {s}:\n{out}"));
        let expected = s
            .expected_check()
            .map_or_else(|| "(réussit)".to_string(), |id| id.to_string());
        assert!(line.contains(&expected), "{s}: {line}");
    }
    assert!(
        out.contains(
            "  healthy                (réussit)            Un serveur correct\u{a0}: STLS"
        ),
        "{out}"
    );
    assert!(
        out.contains("Le certificat est expiré (not_after dans le passé)."),
        "{out}"
    );
    assert!(
        out.contains("Le certificat porte une clé trop faible (RSA de 1024 bits)."),
        "{out}"
    );
    for english in ["The certificate", "The server", "Every login", "instead of"] {
        assert!(!out.contains(english), "English left: {english}\n{out}");
    }
}
