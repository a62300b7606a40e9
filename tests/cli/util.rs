//! Helpers of the CLI suite on top of `tests/support`: JSON runs whose
//! report is schema-checked (docs/json.md, docs/checks.md) and whose exit
//! code must match the verdict, lab arguments, free ports, escape checks.

use std::ffi::OsStr;
use std::path::Path;

use popscope::lab::{Lab, Scenario, ScenarioEndpoints};

pub use crate::support::cmd::{Run, popscope, run, run_cmd};
pub use crate::support::net::{Net, closed_port, closed_ports};
pub use crate::support::report::{Report, endpoint_label};

/// Exit codes (docs/checks.md).
pub const EXIT_PASS: i32 = 0;
pub const EXIT_WARN: i32 = 1;
pub const EXIT_FAIL: i32 = 2;
pub const EXIT_USAGE: i32 = 3;

/// Per-step timeout given to every probe run against a local server.
pub const TIMEOUT: &str = "3s";

/// Runs `popscope ARGS` (which must ask for JSON) and validates the report
/// against docs/json.md and docs/checks.md.
pub fn run_json<S: AsRef<OsStr>>(args: &[S]) -> Report {
    report_of(run(args))
}

/// Runs a prepared command (which must ask for JSON) and validates the report.
pub fn run_json_cmd(cmd: &mut assert_cmd::Command) -> Report {
    report_of(run_cmd(cmd))
}

/// The report of a finished JSON run, validated.
pub fn report_of(r: Run) -> Report {
    let report = Report::from_run(r);
    let json = &report.json;
    if let Err(e) = std::panic::catch_unwind(|| super::schema::validate(json)) {
        let msg = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        panic!(
            "the report does not match docs/json.md / docs/checks.md: {msg}\nreport: {}",
            serde_json::to_string_pretty(json).unwrap_or_default()
        );
    }
    assert_eq!(
        report.code,
        match report.verdict() {
            "pass" => EXIT_PASS,
            "warn" => EXIT_WARN,
            "fail" => EXIT_FAIL,
            v => panic!("verdict {v:?}"),
        },
        "exit code does not match the verdict\n{}",
        report.describe()
    );
    report
}

/// The `check` arguments that diagnose one lab scenario by IP in two-port
/// mode, trusting the lab CA; JSON output.
pub fn lab_check_args(lab: &Lab, scenario: Scenario) -> Vec<String> {
    let ep = lab.endpoint(scenario).expect("scenario served");
    two_port_args("127.0.0.1", ep, lab.ca_pem_path())
}

/// `check TARGET --plain-port P --tls-port T --ca-file CA --timeout 3s --json`.
pub fn two_port_args(target: &str, ep: &ScenarioEndpoints, ca: &Path) -> Vec<String> {
    vec![
        "check".into(),
        target.into(),
        "--plain-port".into(),
        ep.plain.port().to_string(),
        "--tls-port".into(),
        ep.tls.port().to_string(),
        "--ca-file".into(),
        ca.display().to_string(),
        "--timeout".into(),
        TIMEOUT.into(),
        "--json".into(),
    ]
}

/// Asserts that `text` contains no ESC byte other than SGR colour sequences
/// (`ESC [ digits/semicolons m`), and returns how many SGR sequences it has.
pub fn only_sgr_escapes(text: &[u8]) -> usize {
    let mut sgr = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i] != 0x1b {
            i += 1;
            continue;
        }
        // ESC [ params m
        let params = text.get(i + 2..).unwrap_or_default();
        let k = params
            .iter()
            .position(|b| !(b.is_ascii_digit() || *b == b';'))
            .unwrap_or(params.len());
        let ok = text.get(i + 1) == Some(&b'[') && params.get(k) == Some(&b'm');
        assert!(
            ok,
            "a raw escape sequence that popscope did not write itself: {:?}",
            String::from_utf8_lossy(&text[i..text.len().min(i + 24)])
        );
        sgr += 1;
        i += 2 + k + 1;
    }
    sgr
}
