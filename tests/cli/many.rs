//! Many targets in one run (docs/monitoring.md "Many targets in one run"):
//! several targets as arguments, `--targets FILE` and `-` (stdin), text and
//! `--format jsonl`, the exit code as the worst verdict, an unusable line
//! as a failed target, `--deadline` ending the whole run, a long list
//! streamed to the end.

use std::collections::BTreeMap;
use std::io::Write;

use popscope::lab::{Lab, Scenario};
use serde_json::Value;

use super::util::{
    EXIT_FAIL, EXIT_PASS, EXIT_USAGE, Net, Run, TIMEOUT, closed_port, popscope, run, run_cmd,
};

/// The plain-port target (`127.0.0.1:PORT`) of a lab scenario.
fn plain_target(lab: &Lab, s: Scenario) -> String {
    format!(
        "127.0.0.1:{}",
        lab.endpoint(s).expect("served").plain.port()
    )
}

/// The implicit-TLS target (`pop3s://127.0.0.1:PORT`) of a lab scenario.
fn tls_target(lab: &Lab, s: Scenario) -> String {
    format!(
        "pop3s://127.0.0.1:{}",
        lab.endpoint(s).expect("served").tls.port()
    )
}

/// `check` options shared by these runs.
fn common(lab: &Lab) -> Vec<String> {
    vec![
        "--ca-file".into(),
        lab.ca_pem_path().display().to_string(),
        "--timeout".into(),
        TIMEOUT.into(),
    ]
}

/// Every stdout line of a jsonl run, parsed; reports are schema-checked.
fn jsonl_lines(r: &Run) -> Vec<Value> {
    let out = r.out();
    assert!(
        out.ends_with('\n') || out.is_empty(),
        "unterminated line: {out}"
    );
    out.lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("a jsonl line is not JSON ({e}): {l}"));
            if v["schema"] == "popscope.report/v1" {
                super::schema::validate(&v);
            }
            v
        })
        .collect()
}

/// The exit code a set of records implies: the worst verdict.
fn worst_code(lines: &[Value]) -> i32 {
    lines
        .iter()
        .map(|v| match v["verdict"].as_str() {
            Some("pass") => 0,
            Some("warn") => 1,
            Some("fail") => 2,
            other => panic!("verdict {other:?} in {v}"),
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn several_lab_targets_in_one_run_text_and_jsonl() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy, Scenario::SelfSigned]);
    let targets = [
        plain_target(&lab, Scenario::Healthy),
        tls_target(&lab, Scenario::Healthy),
        tls_target(&lab, Scenario::SelfSigned),
    ];
    let mut args: Vec<String> = vec!["check".into()];
    args.extend(targets.iter().cloned());
    args.extend(common(&lab));

    // jsonl: one compact report per target, exit code the worst verdict.
    let mut jargs = args.clone();
    jargs.extend(["--format".into(), "jsonl".into()]);
    let r = run(&jargs);
    let lines = jsonl_lines(&r);
    let mut seen: Vec<&str> = lines
        .iter()
        .map(|v| v["target"]["input"].as_str().unwrap())
        .collect();
    seen.sort();
    let mut want: Vec<&str> = targets.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(seen, want, "{}", r.out());
    assert_eq!(r.code, worst_code(&lines), "{}", r.out());
    assert_eq!(r.code, EXIT_FAIL, "a self-signed target fails the run");
    let by_input: BTreeMap<&str, &str> = lines
        .iter()
        .map(|v| {
            (
                v["target"]["input"].as_str().unwrap(),
                v["verdict"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_input[targets[2].as_str()], "fail");
    assert_eq!(by_input[targets[1].as_str()], "pass");
    // The epoch field sits next to the RFC 3339 expiry.
    let tls = &lines
        .iter()
        .find(|v| v["target"]["input"] == targets[1])
        .unwrap()["endpoints"][0]["tls"];
    assert!(tls["certificates"][0]["not_after_unix"].is_i64(), "{tls}");

    // Text: one line per target, the problems by target, the totals.
    let r = run(&args);
    let out = r.out();
    assert_eq!(r.code, EXIT_FAIL, "{out}");
    for t in &targets {
        assert!(
            out.lines().any(|l| l.contains(t.as_str()) && (l.starts_with("PASS") || l.starts_with("FAIL"))),
            "no summary line for {t}:\n{out}"
        );
    }
    assert!(out.contains("Problems by target:"), "{out}");
    assert!(
        out.ends_with("3 targets: 2 pass, 0 warn, 1 fail, 0 not checked\n"),
        "{out}"
    );

    // A passing list exits 0.
    let mut pass: Vec<String> = vec!["check".into(), targets[0].clone(), targets[1].clone()];
    pass.extend(common(&lab));
    assert_eq!(run(&pass).code, EXIT_PASS);
}

#[test]
fn a_targets_file_with_comments_and_standard_input() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let a = plain_target(&lab, Scenario::Healthy);
    let b = tls_target(&lab, Scenario::Healthy);
    let list = format!("# mail servers\n\n{a}\n   # indented comment\n  {b}  \n\n");

    let mut file = tempfile::NamedTempFile::new().unwrap();
    file.write_all(list.as_bytes()).unwrap();
    let mut args = vec![
        "check".to_string(),
        "--targets".into(),
        file.path().display().to_string(),
        "--format".into(),
        "jsonl".into(),
    ];
    args.extend(common(&lab));
    let r = run(&args);
    let lines = jsonl_lines(&r);
    assert_eq!(lines.len(), 2, "{}", r.out());
    assert_eq!(r.code, EXIT_PASS, "{}\n{}", r.out(), r.stderr);

    args[2] = "-".into();
    let r = run_cmd(popscope().args(&args).write_stdin(list));
    let lines = jsonl_lines(&r);
    let mut inputs: Vec<&str> = lines
        .iter()
        .map(|v| v["target"]["input"].as_str().unwrap())
        .collect();
    inputs.sort();
    let mut want = vec![a.as_str(), b.as_str()];
    want.sort();
    assert_eq!(inputs, want);
    assert_eq!(r.code, EXIT_PASS);
}

#[test]
fn an_unusable_line_is_a_failed_target_with_its_line_number() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let good = plain_target(&lab, Scenario::Healthy);
    let list = format!("# list\n{good}\nnot a host\n");
    let mut args = vec![
        "check".to_string(),
        "--targets".into(),
        "-".into(),
        "--format".into(),
        "jsonl".into(),
    ];
    args.extend(common(&lab));
    let r = run_cmd(popscope().args(&args).write_stdin(list.clone()));
    let lines = jsonl_lines(&r);
    assert_eq!(lines.len(), 2, "{}", r.out());
    let bad = lines
        .iter()
        .find(|v| v["schema"] == "popscope.target-error/v1")
        .unwrap_or_else(|| panic!("no target-error record: {}", r.out()));
    assert_eq!(bad["line"], 3);
    assert_eq!(bad["input"], "not a host");
    assert_eq!(bad["verdict"], "fail");
    assert!(bad["error"].as_str().is_some_and(|e| !e.is_empty()));
    assert_eq!(r.code, EXIT_FAIL);

    // In text, the same line is a FAIL summary line naming the line number.
    args.truncate(3);
    args.extend(common(&lab));
    let r = run_cmd(popscope().args(&args).write_stdin(list));
    let out = r.out();
    assert!(
        out.lines()
            .any(|l| l.starts_with("FAIL  not a host  line 3: ")),
        "{out}"
    );
    assert!(
        out.ends_with("2 targets: 1 pass, 0 warn, 1 fail, 0 not checked\n"),
        "{out}"
    );
    assert_eq!(r.code, EXIT_FAIL);
}

#[test]
fn json_or_a_user_without_password_with_several_targets_is_a_usage_error() {
    let [p, q] = [closed_port(), closed_port()];
    let r = run(&[
        "check",
        &format!("127.0.0.1:{p}"),
        &format!("127.0.0.1:{q}"),
        "--json",
    ]);
    assert_eq!(r.code, EXIT_USAGE, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("--format jsonl"), "{}", r.stderr);

    // --user with no password cannot prompt for many targets: usage error.
    let r = run(&[
        "check",
        &format!("127.0.0.1:{p}"),
        &format!("127.0.0.1:{q}"),
        "--user",
        "alice",
    ]);
    assert_eq!(r.code, EXIT_USAGE, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("no password for alice"), "{}", r.stderr);
}

/// `--deadline` bounds the whole run: the finished target and the one in
/// flight are printed, the targets never started are counted.
#[test]
fn the_deadline_ends_the_run_and_finished_targets_are_printed() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    // Accepts and never says a word: its target runs until the deadline.
    let silent = net.serve(|stream| async move {
        let _hold = stream;
        std::future::pending::<()>().await;
    });
    let good = plain_target(&lab, Scenario::Healthy);
    let list = format!(
        "{good}\n127.0.0.1:{}\n127.0.0.1:1\n127.0.0.1:2\n127.0.0.1:3\n",
        silent.port()
    );
    let mut args = vec![
        "check".to_string(),
        "--targets".into(),
        "-".into(),
        "--concurrency".into(),
        "1".into(),
        "--ca-file".into(),
        lab.ca_pem_path().display().to_string(),
        "--timeout".into(),
        "60s".into(),
        // The healthy target needs well under a second; the margin is for
        // a busy machine. The silent one then runs until the deadline.
        "--deadline".into(),
        "8s".into(),
    ];
    let r = run_cmd(popscope().args(&args).write_stdin(list.clone()));
    let out = r.out();
    assert!(
        out.lines()
            .any(|l| l.starts_with("PASS") && l.contains(&good)),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains(&format!("127.0.0.1:{}", silent.port()))),
        "{out}"
    );
    assert!(
        out.ends_with("5 targets: 1 pass, 0 warn, 1 fail, 3 not checked\n"),
        "{out}"
    );
    assert_eq!(r.code, EXIT_FAIL, "{out}");

    // jsonl prints the two finished targets only.
    args.extend(["--format".into(), "jsonl".into()]);
    let r = run_cmd(popscope().args(&args).write_stdin(list));
    assert_eq!(jsonl_lines(&r).len(), 2, "{}", r.out());
}

/// A long list streams to the end: every target gets its line.
#[test]
fn a_long_list_is_streamed_to_the_end() {
    let port = closed_port();
    let mut list = String::new();
    for i in 0..2000 {
        if i % 100 == 0 {
            list.push_str("# a comment\n\n");
        }
        list.push_str(&format!("127.0.0.1:{port}\n"));
    }
    let r = run_cmd(
        popscope()
            .args([
                "check",
                "--targets",
                "-",
                "--format",
                "jsonl",
                "--timeout",
                TIMEOUT,
            ])
            .write_stdin(list),
    );
    let out = r.out();
    assert_eq!(out.lines().count(), 2000, "stderr: {}", r.stderr);
    for l in out.lines() {
        let v: Value = serde_json::from_str(l).expect("each line is one JSON report");
        assert_eq!(v["verdict"], "fail");
    }
    assert_eq!(r.code, EXIT_FAIL);
}

/// `--lang fr`: the summary lines keep their verdict words, the problems
/// and the totals are in French; a usage error is in French too.
#[test]
fn many_targets_in_french() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy, Scenario::SelfSigned]);
    let targets = [
        tls_target(&lab, Scenario::Healthy),
        tls_target(&lab, Scenario::SelfSigned),
    ];
    let mut args: Vec<String> = vec!["--lang".into(), "fr".into(), "check".into()];
    args.extend(targets.iter().cloned());
    args.extend(common(&lab));
    let r = run(&args);
    let out = r.out();
    assert_eq!(r.code, EXIT_FAIL, "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("FAIL  ") && l.contains(targets[1].as_str())),
        "{out}"
    );
    assert!(out.contains("\nProblèmes par cible\u{a0}:\n"), "{out}");
    assert!(
        out.ends_with("\n2 cibles\u{a0}: 1 pass, 0 warn, 1 fail, 0 non vérifiée\n"),
        "{out}"
    );

    let [p, q] = [closed_port(), closed_port()];
    let r = run(&[
        "--lang",
        "fr",
        "check",
        "--json",
        &format!("127.0.0.1:{p}"),
        &format!("127.0.0.1:{q}"),
    ]);
    assert_eq!(r.code, EXIT_USAGE, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(
        r.stderr,
        "popscope: --format json (ou --json) affiche un rapport pour une seule cible\u{a0}; avec plusieurs cibles, utilisez --format jsonl (un rapport JSON par ligne)\n"
    );
}
