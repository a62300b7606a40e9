//! `popscope plugin` (docs/monitoring.md): the Monitoring Plugins status
//! line, perfdata and exit codes against lab scenarios, usage errors as
//! `POP3 UNKNOWN` on stdout, and the Nagios and Icinga 2 configuration of
//! the docs checked by the real validators (`nagios4 -v`,
//! `icinga2 daemon -C`), then run as those systems would run it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use popscope::lab::{Lab, Scenario};

use super::util::{EXIT_FAIL, EXIT_PASS, EXIT_USAGE, EXIT_WARN, Net, Run, closed_port, run};
use crate::support::cmd::{bin, clean_env};

/// One perfdata item: `label=value[UOM];warn;crit;min;max`.
#[derive(Debug, Clone, PartialEq)]
struct Perf {
    label: String,
    /// `None` for `U` (unknown).
    value: Option<f64>,
    uom: String,
    warn: String,
    crit: String,
    min: String,
    max: String,
}

/// The first line split per the guideline grammar:
/// `POP3 STATE - text[ | perfdata]`.
struct StatusLine {
    state: String,
    text: String,
    perf: Vec<Perf>,
}

/// Parses a threshold field: empty or a Monitoring Plugins range.
fn valid_range(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    let body = s.strip_prefix('@').unwrap_or(s);
    let num = |t: &str| t.parse::<f64>().is_ok_and(f64::is_finite);
    match body.split_once(':') {
        None => num(body),
        Some((a, b)) => (a == "~" || num(a)) && (b.is_empty() || num(b)),
    }
}

/// Parses the perfdata part of a status line (panics on anything the
/// guideline does not allow).
fn parse_perfdata(s: &str) -> Vec<Perf> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let (label, after) = if let Some(q) = rest.strip_prefix('\'') {
            let end = q.find('\'').expect("closing quote of a label");
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = rest.find('=').expect("a label ends with =");
            (rest[..end].to_string(), &rest[end..])
        };
        assert!(
            !label.is_empty() && !label.contains(['=', '\'']),
            "label {label:?}"
        );
        assert!(
            label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)),
            "popscope labels use safe characters only: {label:?}"
        );
        let after = after.strip_prefix('=').expect("= after the label");
        let (item, next) = after.split_once(' ').unwrap_or((after, ""));
        rest = next.trim_start();
        let fields: Vec<&str> = item.split(';').collect();
        assert!(fields.len() <= 5, "too many fields in {item:?}");
        let value_uom = fields[0];
        let (value, uom) = if value_uom == "U" {
            (None, String::new())
        } else {
            let end = value_uom
                .find(|c: char| !(c.is_ascii_digit() || ".-+".contains(c)))
                .unwrap_or(value_uom.len());
            let v: f64 = value_uom[..end]
                .parse()
                .unwrap_or_else(|_| panic!("value of {item:?}"));
            (Some(v), value_uom[end..].to_string())
        };
        assert!(
            ["", "s", "ms", "us", "%", "B", "KB", "MB", "TB", "c"].contains(&uom.as_str()),
            "unit {uom:?} in {item:?}"
        );
        let field = |i: usize| fields.get(i).copied().unwrap_or("").to_string();
        let p = Perf {
            label,
            value,
            uom,
            warn: field(1),
            crit: field(2),
            min: field(3),
            max: field(4),
        };
        assert!(valid_range(&p.warn) && valid_range(&p.crit), "{item:?}");
        for m in [&p.min, &p.max] {
            assert!(m.is_empty() || m.parse::<f64>().is_ok(), "{item:?}");
        }
        out.push(p);
    }
    out
}

/// Checks the whole output against the guideline and parses its first line.
fn status_line(r: &Run) -> StatusLine {
    let out = r.out();
    assert!(
        r.stderr.is_empty(),
        "a plugin writes to stdout only: {}",
        r.stderr
    );
    let first = out.lines().next().unwrap_or_else(|| panic!("no output"));
    let rest = first
        .strip_prefix("POP3 ")
        .unwrap_or_else(|| panic!("{first:?}"));
    let (state, rest) = rest
        .split_once(" - ")
        .unwrap_or_else(|| panic!("{first:?}"));
    assert!(
        ["OK", "WARNING", "CRITICAL", "UNKNOWN"].contains(&state),
        "{first:?}"
    );
    let want = match state {
        "OK" => EXIT_PASS,
        "WARNING" => EXIT_WARN,
        "CRITICAL" => EXIT_FAIL,
        _ => EXIT_USAGE,
    };
    assert_eq!(r.code, want, "the exit code matches the state: {out}");
    let (text, perf) = match rest.split_once(" | ") {
        Some((t, p)) => (t, parse_perfdata(p)),
        None => (rest, Vec::new()),
    };
    assert!(!text.trim().is_empty() && !text.contains('|'), "{first:?}");
    for line in out.lines().skip(1) {
        assert!(
            !line.contains('|'),
            "long text has no perfdata here: {line:?}"
        );
    }
    StatusLine {
        state: state.to_string(),
        text: text.to_string(),
        perf,
    }
}

fn perf<'a>(s: &'a StatusLine, label: &str) -> &'a Perf {
    s.perf
        .iter()
        .find(|p| p.label == label)
        .unwrap_or_else(|| panic!("no perfdata {label:?} in {:?}", s.perf))
}

fn plugin(args: &[String]) -> (Run, StatusLine) {
    let mut all = vec!["plugin".to_string()];
    all.extend(args.iter().cloned());
    let r = run(&all);
    let s = status_line(&r);
    (r, s)
}

/// `-H 127.0.0.1 --plain-port P --tls-port T --ca-file CA -t 15` for a scenario.
fn both_ports(lab: &Lab, s: Scenario) -> Vec<String> {
    let ep = lab.endpoint(s).expect("scenario served");
    args(&[
        "-H",
        "127.0.0.1",
        "--plain-port",
        &ep.plain.port().to_string(),
        "--tls-port",
        &ep.tls.port().to_string(),
        "--ca-file",
        &lab.ca_pem_path().display().to_string(),
        "-t",
        "15",
    ])
}

/// `-H 127.0.0.1 -S -p T --ca-file CA -t 15`: the scenario's TLS port only.
fn tls_only(lab: &Lab, s: Scenario) -> Vec<String> {
    let ep = lab.endpoint(s).expect("scenario served");
    args(&[
        "-H",
        "127.0.0.1",
        "-S",
        "-p",
        &ep.tls.port().to_string(),
        "--ca-file",
        &lab.ca_pem_path().display().to_string(),
        "-t",
        "15",
    ])
}

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn with(mut base: Vec<String>, more: &[&str]) -> Vec<String> {
    base.extend(args(more));
    base
}

#[test]
fn healthy_is_ok_with_perfdata_and_working_settings() {
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ep = lab.endpoint(Scenario::Healthy).unwrap();
    let (r, s) = plugin(&both_ports(&lab, Scenario::Healthy));
    assert_eq!(s.state, "OK", "{}", r.out());
    assert!(
        s.text.starts_with("POP3 with STARTTLS and POP3S fine"),
        "{}",
        s.text
    );
    let time = perf(&s, "time");
    assert_eq!(time.uom, "s");
    assert_eq!(time.min, "0");
    assert!(time.value.is_some_and(|v| v >= 0.0));
    let days = perf(&s, "cert_days");
    assert_eq!(days.uom, "", "days are not a unit of the guideline");
    assert!(days.value.is_some_and(|d| d > 30.0), "{days:?}");
    assert_eq!(days.warn, "14:");
    for port in [ep.plain.port(), ep.tls.port()] {
        let sfx = format!("127.0.0.1_{port}");
        for what in ["connect", "greeting", "tls_handshake"] {
            let p = perf(&s, &format!("{what}_{sfx}"));
            assert_eq!(p.uom, "s", "{p:?}");
            assert!(p.value.is_some(), "{p:?}");
        }
        let rt = perf(&s, &format!("round_trips_{sfx}"));
        assert!(rt.value.is_some_and(|v| v >= 1.0), "{rt:?}");
    }
    let out = r.out();
    assert!(out.contains("\nWorks: incoming server 127.0.0.1"), "{out}");
}

#[test]
fn states_follow_the_scenarios_and_thresholds() {
    let net = Net::new();
    let scenarios = [
        Scenario::Healthy,
        Scenario::ExpiredCert,
        Scenario::SelfSigned,
    ];
    let lab = net.lab_of(&scenarios);
    let healthy_tls = tls_only(&lab, Scenario::Healthy);
    // (args, state, words the status text must hold)
    let cases: Vec<(Vec<String>, &str, &str)> = vec![
        (
            with(healthy_tls.clone(), &["--expiry-warn", "1000"]),
            "WARNING",
            "expires in",
        ),
        (
            with(healthy_tls.clone(), &["--expiry-crit", "1000"]),
            "CRITICAL",
            "--expiry-crit 1000",
        ),
        (with(healthy_tls.clone(), &["-w", "0"]), "WARNING", "-w 0"),
        (
            with(healthy_tls.clone(), &["-w", "0", "-c", "0"]),
            "CRITICAL",
            "-c 0",
        ),
        (with(healthy_tls.clone(), &["-w", "0:"]), "OK", "POP3S fine"),
        (
            both_ports(&lab, Scenario::ExpiredCert),
            "CRITICAL",
            "expired",
        ),
        (
            both_ports(&lab, Scenario::SelfSigned),
            "CRITICAL",
            "self-signed",
        ),
        (
            args(&[
                "-H",
                "127.0.0.1",
                "-p",
                &closed_port().to_string(),
                "-t",
                "15",
            ]),
            "CRITICAL",
            "Nothing listens",
        ),
    ];
    std::thread::scope(|scope| {
        for (a, state, words) in &cases {
            scope.spawn(move || {
                let (r, s) = plugin(a);
                assert_eq!(s.state, *state, "{a:?}\n{}", r.out());
                assert!(
                    s.text.contains(words),
                    "{a:?}: {:?} lacks {words:?}",
                    s.text
                );
                if *state != "OK" {
                    assert!(r.out().lines().count() > 1, "long text: {}", r.out());
                }
            });
        }
    });
    // The thresholds are in the perfdata as typed.
    let (_, s) = plugin(&with(
        healthy_tls,
        &["-w", "0", "-c", "@0:1", "--expiry-crit", "7"],
    ));
    let t = perf(&s, "time");
    assert_eq!((t.warn.as_str(), t.crit.as_str()), ("0", "@0:1"));
    assert_eq!(perf(&s, "cert_days").crit, "7:");
}

#[test]
fn usage_errors_are_one_unknown_line_on_stdout() {
    let ca_missing = std::env::temp_dir().join("popscope-no-such-ca.pem");
    let cases: Vec<Vec<String>> = vec![
        args(&[]),
        args(&["-H", "127.0.0.1", "--bogus"]),
        args(&["-H", "127.0.0.1", "-w", "abc"]),
        args(&["-H", "127.0.0.1", "-c", "5:1"]),
        args(&["-H", "127.0.0.1", "-t", "0"]),
        args(&["-H", "127.0.0.1", "-t", "soon"]),
        args(&["-H", "pop3://127.0.0.1"]),
        args(&["-H", "127.0.0.1:110"]),
        args(&["-H", "127.0.0.1", "-p", "0"]),
        args(&["-H", "127.0.0.1", "-p", "70000"]),
        args(&["-H", "127.0.0.1", "-p", "110", "--plain-port", "111"]),
        args(&["-H", "127.0.0.1", "-4", "-6"]),
        args(&[
            "-H",
            "127.0.0.1",
            "--ca-file",
            &ca_missing.display().to_string(),
        ]),
    ];
    for a in &cases {
        let (r, s) = plugin(a);
        assert_eq!(s.state, "UNKNOWN", "{a:?}: {}", r.out());
        assert_eq!(r.out().lines().count(), 1, "{a:?}: one line: {}", r.out());
        assert!(
            !r.out().contains("Some(") && !r.out().contains("{ "),
            "{}",
            r.out()
        );
    }
    let (r, _) = plugin(&args(&["-H", "127.0.0.1", "-w", "abc"]));
    assert!(r.out().contains("-w 2"), "says what to type: {}", r.out());
    let help = run(&["plugin", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.out().contains("--expiry-crit"), "{}", help.out());
}

// --- the monitoring systems' own validators -------------------------------

/// The body of the first fenced block of `lang` in docs/monitoring.md.
fn docs_block(lang: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/monitoring.md");
    let doc = std::fs::read_to_string(&path).expect("docs/monitoring.md");
    let fence = format!("```{lang}\n");
    let start = doc
        .find(&fence)
        .unwrap_or_else(|| panic!("no {fence:?} block"))
        + fence.len();
    let len = doc[start..].find("```").expect("closing fence");
    doc[start..start + len].to_string()
}

/// The program on PATH or in the sbin directories, else skip (or fail
/// under POPSCOPE_REQUIRE_INTEROP=1).
fn program(test: &str, name: &str, package: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    dirs.extend(["/usr/sbin", "/sbin", "/usr/local/sbin"].map(PathBuf::from));
    if let Some(p) = dirs.iter().map(|d| d.join(name)).find(|p| p.is_file()) {
        return Some(p);
    }
    crate::support::skip(
        test,
        &format!("{name} is not installed (apt-get install {package})"),
    );
    None
}

/// Runs a validator; returns (success, output).
fn validate(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().expect("the validator runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// The value of `key` in a Nagios object block (`key   value`).
fn nagios_directive(block: &str, object: &str, key: &str) -> String {
    let start = block
        .find(&format!("define {object} {{"))
        .unwrap_or_else(|| panic!("no define {object}"));
    block[start..]
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix(key).filter(|r| r.starts_with([' ', '\t'])))
        .unwrap_or_else(|| panic!("no {key} in define {object}"))
        .trim()
        .to_string()
}

/// The objects the docs' Nagios blocks need around them.
const NAGIOS_FRAME: &str = "\
define timeperiod {
    timeperiod_name 24x7
    alias           always
    sunday          00:00-24:00
    monday          00:00-24:00
    tuesday         00:00-24:00
    wednesday       00:00-24:00
    thursday        00:00-24:00
    friday          00:00-24:00
    saturday        00:00-24:00
}
define command {
    command_name    notify_nobody
    command_line    /bin/true
}
define contact {
    contact_name                    admin
    host_notifications_enabled      0
    service_notifications_enabled   0
    host_notification_period        24x7
    service_notification_period     24x7
    host_notification_options       n
    service_notification_options    n
    host_notification_commands      notify_nobody
    service_notification_commands   notify_nobody
}
define host {
    host_name               mail.example.com
    address                 127.0.0.1
    max_check_attempts      1
    check_period            24x7
    contacts                admin
    notification_interval   0
    notification_period     24x7
}
define service {
    name                    generic-service
    register                0
    max_check_attempts      1
    check_interval          5
    retry_interval          1
    check_period            24x7
    contacts                admin
    notification_interval   0
    notification_period     24x7
}
";

#[test]
fn nagios_accepts_the_documented_command_and_runs_it() {
    let test = "nagios_accepts_the_documented_command_and_runs_it";
    let Some(nagios) = program(test, "nagios4", "nagios4") else {
        return;
    };
    let block = docs_block("nagios");
    let dir = tempfile::tempdir().expect("temp dir");
    let check = |objects: &str, name: &str| {
        let obj = dir.path().join(format!("{name}.cfg"));
        std::fs::write(&obj, format!("{NAGIOS_FRAME}\n{objects}")).unwrap();
        let main = dir.path().join(format!("{name}-nagios.cfg"));
        std::fs::write(&main, format!("cfg_file={}\n", obj.display())).unwrap();
        validate(Command::new(&nagios).arg("-v").arg(&main))
    };
    let (ok, out) = check(&block, "good");
    assert!(ok, "nagios4 -v rejects the docs' block:\n{out}");
    assert!(out.contains("Total Errors:   0"), "{out}");
    let typo = block.replacen("command_name", "command_nam", 1);
    let (ok, out) = check(&typo, "typo");
    assert!(
        !ok,
        "nagios4 -v accepts a typo in the command block:\n{out}"
    );
    let wrong_ref = block.replacen("check_popscope!", "check_pop3scope!", 1);
    assert_ne!(wrong_ref, block, "the service uses check_popscope");
    let (ok, out) = check(&wrong_ref, "ref");
    assert!(
        !ok,
        "nagios4 -v accepts a service naming no command:\n{out}"
    );

    // The command line Nagios would run, macros substituted; the lab's
    // ports and CA go in $ARG3$, the time thresholds `0:` never alert.
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ep = lab.endpoint(Scenario::Healthy).unwrap();
    let line = nagios_directive(&block, "command", "command_line");
    let service_args: Vec<String> = nagios_directive(&block, "service", "check_command")
        .split('!')
        .skip(1)
        .map(str::to_string)
        .collect();
    assert_eq!(service_args.len(), 3, "$ARG1$!$ARG2$!$ARG3$");
    let arg3 = format!(
        "{} --plain-port {} --tls-port {} --ca-file {}",
        service_args[2],
        ep.plain.port(),
        ep.tls.port(),
        lab.ca_pem_path().display()
    );
    let run_line = |host: &str, arg3: &str| {
        let cmd = line
            .replace("/usr/local/bin/popscope", &bin().display().to_string())
            .replace("$HOSTADDRESS$", host)
            .replace("$ARG1$", "0:")
            .replace("$ARG2$", "0:")
            .replace("$ARG3$", arg3);
        assert!(!cmd.contains('$'), "every macro substituted: {cmd}");
        let mut sh = Command::new("/bin/sh");
        clean_env(&mut sh).arg("-c").arg(&cmd);
        let out = sh.output().expect("sh runs");
        let r = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let s = status_line(&r);
        (r, s)
    };
    let (r, s) = run_line("127.0.0.1", &arg3);
    assert_eq!((r.code, s.state.as_str()), (EXIT_PASS, "OK"), "{}", r.out());
    let closed = format!("{} -p {}", service_args[2], closed_port());
    let (r, s) = run_line("127.0.0.1", &closed);
    assert_eq!(
        (r.code, s.state.as_str()),
        (EXIT_FAIL, "CRITICAL"),
        "{}",
        r.out()
    );
}

/// `icinga2 daemon -C` on `config` with every state path in `dir`, as root
/// (no `/var` path it does not own).
fn icinga_validate(icinga: &Path, dir: &Path, config: &str, name: &str) -> (bool, String) {
    let file = dir.join(format!("{name}.conf"));
    std::fs::write(&file, config).unwrap();
    let state = dir.join(format!("{name}-state"));
    std::fs::create_dir_all(&state).unwrap();
    let mut cmd = Command::new(icinga);
    cmd.args(["daemon", "-C", "-c"]).arg(&file);
    for key in ["CacheDir", "DataDir", "LogDir", "SpoolDir", "InitRunDir"] {
        cmd.arg(format!("-DConfiguration.{key}={}", state.display()));
    }
    // As root, icinga2 would otherwise switch to the package's user
    // (nagios), which cannot write to the temp dir: run as ourselves.
    cmd.arg(format!("-DConfiguration.RunAsUser={}", id("-un")))
        .arg(format!("-DConfiguration.RunAsGroup={}", id("-gn")));
    validate(&mut cmd)
}

/// `id FLAG`: the current user or group name.
fn id(flag: &str) -> String {
    Command::new("id")
        .arg(flag)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "root".into())
}

/// A `key = value` line's value inside `block`, unquoted.
fn unquote(v: &str) -> String {
    v.trim().trim_matches('"').to_string()
}

/// The argv Icinga 2 builds from the docs' CheckCommand for a service
/// with `vars`: the command array, then each argument whose value macro
/// resolves (or whose `set_if` is true), in key order as Icinga sorts them.
fn icinga_argv(block: &str, vars: &BTreeMap<String, String>, address: &str) -> Vec<String> {
    let cmd_start = block.find("object CheckCommand").expect("CheckCommand");
    let body = &block[cmd_start..];
    let command_line = body
        .lines()
        .find_map(|l| l.trim().strip_prefix("command = ["))
        .expect("command = [ ... ]");
    let mut argv: Vec<String> = command_line
        .trim_end_matches(']')
        .split(',')
        .map(unquote)
        .collect();
    // Command defaults, overridden by the service's vars.
    let mut all: BTreeMap<String, String> = BTreeMap::new();
    let end = body.find("\n}").unwrap_or(body.len());
    for l in body[..end].lines().map(str::trim) {
        if let Some((k, v)) = l.strip_prefix("vars.").and_then(|r| r.split_once(" = ")) {
            all.insert(k.trim().to_string(), unquote(v));
        }
    }
    all.extend(vars.clone());
    let resolve = |v: &str| -> Option<String> {
        let name = v.strip_prefix('$')?.strip_suffix('$')?;
        if name == "address" {
            return Some(address.to_string());
        }
        let val = all.get(name)?;
        match val.strip_prefix('$').and_then(|n| n.strip_suffix('$')) {
            Some("address") => Some(address.to_string()),
            Some(_) => None,
            None => Some(val.clone()),
        }
    };
    // Parse the arguments dictionary: "FLAG" = "$x$" or "FLAG" = { ... }.
    let args_start = body.find("arguments = {").expect("arguments") + "arguments = {".len();
    let mut lines = body[args_start..].lines().map(str::trim);
    let mut parsed: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    while let Some(l) = lines.next() {
        if l == "}" {
            break;
        }
        let Some((flag, rhs)) = l.split_once(" = ") else {
            continue;
        };
        let flag = unquote(flag);
        if rhs == "{" {
            let (mut value, mut set_if) = (None, None);
            for inner in lines.by_ref() {
                if inner == "}" {
                    break;
                }
                if let Some(v) = inner.strip_prefix("value = ") {
                    value = Some(unquote(v));
                } else if let Some(v) = inner.strip_prefix("set_if = ") {
                    set_if = Some(unquote(v));
                }
            }
            parsed.insert(flag, (value, set_if));
        } else {
            parsed.insert(flag, (Some(unquote(rhs)), None));
        }
    }
    for (flag, (value, set_if)) in parsed {
        match (value, set_if) {
            (Some(v), _) => {
                if let Some(val) = resolve(&v) {
                    argv.push(flag);
                    argv.push(val);
                }
            }
            (None, Some(cond)) => {
                if resolve(&cond).is_some_and(|c| c == "true" || c == "1") {
                    argv.push(flag);
                }
            }
            (None, None) => argv.push(flag),
        }
    }
    argv
}

#[test]
fn icinga_accepts_the_documented_check_command_and_runs_it() {
    let test = "icinga_accepts_the_documented_check_command_and_runs_it";
    let Some(icinga) = program(test, "icinga2", "icinga2") else {
        return;
    };
    let block = docs_block("icinga2");
    let frame = "object CheckCommand \"nothing\" {\n  command = [ \"/bin/true\" ]\n}\n\
object Host \"mail.example.com\" {\n  address = \"127.0.0.1\"\n  check_command = \"nothing\"\n}\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let (ok, out) = icinga_validate(&icinga, dir.path(), &format!("{frame}{block}"), "good");
    assert!(ok, "icinga2 daemon -C rejects the docs' block:\n{out}");
    let typo = block.replacen("arguments = {", "argumnets = {", 1);
    let (ok, out) = icinga_validate(&icinga, dir.path(), &format!("{frame}{typo}"), "typo");
    assert!(
        !ok,
        "icinga2 daemon -C accepts a typo in the CheckCommand:\n{out}"
    );
    assert!(out.contains("argumnets"), "{out}");
    let wrong_ref = block.replacen(
        "check_command = \"popscope\"",
        "check_command = \"pop3scope\"",
        1,
    );
    assert_ne!(wrong_ref, block, "the service uses the popscope command");
    let (ok, out) = icinga_validate(&icinga, dir.path(), &format!("{frame}{wrong_ref}"), "ref");
    assert!(
        !ok,
        "icinga2 daemon -C accepts a service naming no command:\n{out}"
    );

    // The command line Icinga would run for the docs' service, pointed at
    // the lab; the time thresholds `0:` never alert.
    let net = Net::new();
    let lab = net.lab_of(&[Scenario::Healthy]);
    let ep = lab.endpoint(Scenario::Healthy).unwrap();
    let service = &block[block.find("object Service").expect("a Service")..];
    let mut vars: BTreeMap<String, String> = service
        .lines()
        .filter_map(|l| l.trim().strip_prefix("vars.")?.split_once(" = "))
        .map(|(k, v)| (k.trim().to_string(), unquote(v)))
        .collect();
    assert!(vars.contains_key("popscope_expiry_crit"), "{vars:?}");
    for (k, v) in [
        ("popscope_warning", "0:".to_string()),
        ("popscope_critical", "0:".to_string()),
        ("popscope_plain_port", ep.plain.port().to_string()),
        ("popscope_tls_port", ep.tls.port().to_string()),
        ("popscope_ca_file", lab.ca_pem_path().display().to_string()),
    ] {
        vars.insert(k.into(), v);
    }
    let run_argv = |vars: &BTreeMap<String, String>| {
        let argv = icinga_argv(&block, vars, "127.0.0.1");
        assert_eq!(argv[0], "/usr/local/bin/popscope");
        assert!(argv.iter().all(|a| !a.contains('$')), "{argv:?}");
        assert!(argv.contains(&"-H".to_string()), "{argv:?}");
        let mut cmd = Command::new(bin());
        clean_env(&mut cmd).args(&argv[1..]);
        let out = cmd.output().expect("popscope runs");
        let r = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let s = status_line(&r);
        (argv, r, s)
    };
    let (argv, r, s) = run_argv(&vars);
    assert_eq!(
        (r.code, s.state.as_str()),
        (EXIT_PASS, "OK"),
        "{argv:?}\n{}",
        r.out()
    );
    assert!(
        !argv.contains(&"-S".to_string()),
        "popscope_ssl is false: {argv:?}"
    );
    let mut tls = vars.clone();
    tls.insert("popscope_ssl".into(), "true".into());
    tls.insert("popscope_port".into(), ep.tls.port().to_string());
    tls.remove("popscope_plain_port");
    tls.remove("popscope_tls_port");
    let (argv, r, s) = run_argv(&tls);
    assert!(argv.contains(&"-S".to_string()), "{argv:?}");
    assert_eq!(
        (r.code, s.state.as_str()),
        (EXIT_PASS, "OK"),
        "{argv:?}\n{}",
        r.out()
    );
    assert!(s.text.contains("POP3S"), "{}", s.text);
}
