//! The JSON report against its documentation: the field tables of
//! docs/json.md are parsed and every report read anywhere in this suite is
//! checked against them ([`validate`]), as are the check ids of
//! docs/checks.md.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use popscope::lab::Scenario;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::util::{Net, endpoint_label, lab_check_args, run_json};

const JSON_MD: &str = include_str!("../../docs/json.md");
const CHECKS_MD: &str = include_str!("../../docs/checks.md");

/// One documented table: field → type text, in document order.
type Table = Vec<(String, String)>;

/// The field tables of docs/json.md, by section: `top`, `checks`,
/// `endpoints`, `tls`.
fn json_tables() -> &'static BTreeMap<&'static str, Table> {
    static T: OnceLock<BTreeMap<&'static str, Table>> = OnceLock::new();
    T.get_or_init(|| {
        let mut tables: BTreeMap<&'static str, Table> = BTreeMap::new();
        let mut section: Option<&'static str> = None;
        for line in JSON_MD.lines() {
            if line.starts_with('#') {
                let h = line.trim_start_matches('#').trim();
                section = match h {
                    "Top level" => Some("top"),
                    "`checks[]`" => Some("checks"),
                    "`endpoints[]`" => Some("endpoints"),
                    "`tls`" => Some("tls"),
                    "`dialogue`" => Some("dialogue"),
                    _ => None,
                };
                continue;
            }
            let (Some(sec), Some(row)) = (section, line.strip_prefix("| `")) else {
                continue;
            };
            let cells: Vec<&str> = row.split('|').collect();
            let field = cells[0].trim().trim_end_matches('`').to_string();
            let ty = cells.get(1).map(|c| c.trim()).unwrap_or("").to_string();
            tables.entry(sec).or_default().push((field, ty));
        }
        tables
    })
}

/// Check ids from the table of docs/checks.md.
pub fn documented_check_ids() -> &'static BTreeSet<String> {
    static IDS: OnceLock<BTreeSet<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        CHECKS_MD
            .lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|r| r.split('`').next())
            .map(str::to_string)
            .collect()
    })
}

/// Whether docs/checks.md documents `id` (an id family documented as
/// `prefix.N` covers `prefix.1`, `prefix.2`, ...).
pub fn is_documented_id(id: &str) -> bool {
    let ids = documented_check_ids();
    ids.contains(id)
        || ids.iter().any(|d| {
            d.strip_suffix('N')
                .or_else(|| d.strip_suffix("<n>"))
                .is_some_and(|prefix| {
                    id.strip_prefix(prefix)
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                })
        })
}

/// Whether `v` has the documented type (`string or null`, `array of
/// strings`, `any`, ...). An unknown type word fails the test, so that a new
/// kind of field in the docs is noticed here.
fn has_type(ty: &str, v: &Value) -> bool {
    ty.split(" or ").any(|t| match t.trim() {
        "string" => v.is_string(),
        "integer" => v.is_u64() || v.is_i64(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "array of strings" => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        "boolean" | "bool" => v.is_boolean(),
        "null" => v.is_null(),
        "any" => true,
        other => panic!("docs/json.md uses a type this test does not know: {other:?}"),
    })
}

/// Every documented field exists with its type; fields the table does not
/// list are added to `extra`.
fn check_table(what: &str, section: &str, obj: &Value, extra: &mut Vec<String>) {
    let table = &json_tables()[section];
    let map = obj
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {obj}"));
    for (field, ty) in table {
        let v = map
            .get(field)
            .unwrap_or_else(|| panic!("{what}: documented field `{field}` is missing: {obj}"));
        assert!(
            has_type(ty, v),
            "{what}.{field} should be {ty} (docs/json.md), is {v}"
        );
    }
    for key in map.keys() {
        if !table.iter().any(|(f, _)| f == key) {
            extra.push(format!("{what}.{key}"));
        }
    }
}

/// A predicate on a JSON value.
type Pred = fn(&Value) -> bool;
/// A way to break a report.
type Breaker = (&'static str, fn(&mut Value));

/// These keys, each satisfying its predicate; other keys go to `extra`.
fn check_object(what: &str, obj: &Value, fields: &[(&str, Pred)], extra: &mut Vec<String>) {
    let map = obj
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {obj}"));
    for (f, ok) in fields {
        let v = map
            .get(*f)
            .unwrap_or_else(|| panic!("{what}: field `{f}` missing: {obj}"));
        assert!(ok(v), "{what}.{f} has the wrong type or value: {v}");
    }
    for key in map.keys() {
        if !fields.iter().any(|(f, _)| f == key) {
            extra.push(format!("{what}.{key}"));
        }
    }
}

fn is_str(v: &Value) -> bool {
    v.is_string()
}
fn is_str_or_null(v: &Value) -> bool {
    v.is_string() || v.is_null()
}
fn is_int(v: &Value) -> bool {
    v.is_u64() || v.is_i64()
}
fn is_bool(v: &Value) -> bool {
    v.is_boolean()
}
fn is_str_array(v: &Value) -> bool {
    v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
}

/// RFC 3339 in UTC (docs/json.md: "Times are RFC 3339 in UTC").
pub fn is_rfc3339_utc(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|s| s.ends_with('Z') && OffsetDateTime::parse(s, &Rfc3339).is_ok())
}

/// The keys `data` of a check must carry (docs/checks.md), when it has data.
fn documented_data_keys(id: &str, status: &str, data: &Value) -> &'static [&'static str] {
    match (id, status) {
        ("dns.resolve", "pass" | "fail") => &["host", "source", "a", "aaaa", "filtered_out"],
        ("dns.srv", "pass" | "warn" | "info") => &["records", "errors"],
        ("tcp.connect", _) if !data.is_null() => &["port"],
        ("pop3.greeting", "pass" | "warn") => &["text", "apop_timestamp", "ms"],
        ("pop3.greeting", "fail") if !data.is_null() => &["protocol", "banner"],
        ("pop3.capa", "pass" | "warn") if !data.is_null() => &["capabilities"],
        ("auth.cleartext", "warn") => &["offered"],
        ("tls.chain", _) => &["trusted", "error", "depth"],
        ("tls.hostname", "pass" | "fail") => &["name", "valid_for", "cn_fallback"],
        ("tls.expiry", _) => &[
            "not_before",
            "not_after",
            "not_before_unix",
            "not_after_unix",
            "days_left",
        ],
        ("tls.key", _) => &["algorithm", "bits"],
        _ => &[],
    }
}

/// Validates one report against docs/json.md and docs/checks.md. Called on
/// every JSON report the suite reads. Fields the docs do not list are
/// allowed here (v1 only adds fields; consumers ignore unknown ones); see
/// [`undocumented_fields`].
pub fn validate(r: &Value) {
    validate_collect(r, &mut Vec::new());
}

/// The fields of `r` that docs/json.md does not document (after validating).
pub fn undocumented_fields(r: &Value) -> Vec<String> {
    let mut extra = Vec::new();
    validate_collect(r, &mut extra);
    extra.sort();
    extra.dedup();
    extra
}

fn validate_collect(r: &Value, extra: &mut Vec<String>) {
    check_table("report", "top", r, extra);
    assert_eq!(r["schema"], "popscope.report/v1");
    check_object(
        "tool",
        &r["tool"],
        &[("name", |v| v == "popscope"), ("version", is_str)],
        extra,
    );
    check_object(
        "target",
        &r["target"],
        &[
            ("input", is_str),
            ("host", is_str),
            ("kind", |v| {
                ["host", "host-port", "url", "ip", "email"].contains(&v.as_str().unwrap_or(""))
            }),
            ("user", is_str_or_null),
        ],
        extra,
    );
    assert!(
        is_rfc3339_utc(&r["started_at"]),
        "started_at is not RFC 3339 UTC: {}",
        r["started_at"]
    );
    assert!(
        ["pass", "warn", "fail"].contains(&r["verdict"].as_str().unwrap_or("")),
        "verdict {}",
        r["verdict"]
    );

    let endpoints = r["endpoints"].as_array().expect("endpoints");
    let labels: BTreeSet<String> = endpoints.iter().map(endpoint_label).collect();
    let mut worst = 0;
    for c in r["checks"].as_array().expect("checks") {
        check_table("check", "checks", c, extra);
        let id = c["id"].as_str().unwrap_or_default();
        assert!(
            is_documented_id(id),
            "check id {id:?} is not documented in docs/checks.md"
        );
        let status = c["status"].as_str().unwrap_or_default();
        worst = worst.max(match status {
            "pass" | "info" | "skip" => 0,
            "warn" => 1,
            "fail" => 2,
            other => panic!("check {id}: unknown status {other:?}"),
        });
        if let Some(ep) = c["endpoint"].as_str() {
            assert!(
                labels.contains(ep),
                "check {id} names endpoint {ep}, which is not in endpoints[] ({labels:?})"
            );
        }
        for key in documented_data_keys(id, status, &c["data"]) {
            assert!(
                c["data"].get(key).is_some(),
                "check {id} ({status}): data lacks `{key}` documented in docs/checks.md: {}",
                c["data"]
            );
        }
        if id == "tls.expiry" {
            for k in ["not_before", "not_after"] {
                assert!(is_rfc3339_utc(&c["data"][k]), "tls.expiry data.{k}");
            }
        }
    }
    assert_eq!(
        r["verdict"],
        ["pass", "warn", "fail"][worst],
        "the verdict is not the worst check status"
    );

    // `dialogue` is null or complete.
    if let Some(d) = r.get("dialogue").filter(|d| !d.is_null()) {
        check_table("dialogue", "dialogue", d, extra);
        if let Some(ep) = d["endpoint"].as_str() {
            assert!(
                labels.contains(ep),
                "dialogue.endpoint {ep} not in endpoints[]"
            );
        }
    }
    for e in endpoints {
        check_table("endpoint", "endpoints", e, extra);
        assert!(
            e["address"]
                .as_str()
                .is_some_and(|a| a.parse::<std::net::IpAddr>().is_ok()),
            "endpoint address {}",
            e["address"]
        );
        assert!(
            ["plain", "starttls", "implicit-tls"].contains(&e["security"].as_str().unwrap_or("")),
            "endpoint security {}",
            e["security"]
        );
        for l in e["transcript"].as_array().expect("transcript") {
            check_object(
                "transcript line",
                l,
                &[
                    ("t_ms", is_int),
                    ("dir", |v| {
                        ["client", "server", "tls", "note"].contains(&v.as_str().unwrap_or(""))
                    }),
                    ("text", is_str),
                ],
                extra,
            );
        }
        if !e["tls"].is_null() {
            check_table("tls", "tls", &e["tls"], extra);
            for cert in e["tls"]["certificates"].as_array().expect("certificates") {
                check_object(
                    "certificate",
                    cert,
                    &[
                        ("subject", is_str),
                        ("issuer", is_str),
                        ("sans", is_str_array),
                        ("not_before", is_rfc3339_utc),
                        ("not_after", is_rfc3339_utc),
                        ("not_before_unix", |v| is_int(v) || v.is_null()),
                        ("not_after_unix", |v| is_int(v) || v.is_null()),
                        ("key", is_str),
                        ("signature_algorithm", is_str),
                        ("sha256", |v| {
                            v.as_str().is_some_and(|s| {
                                s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
                            })
                        }),
                    ],
                    extra,
                );
            }
            check_object(
                "verification",
                &e["tls"]["verification"],
                &[("trusted", is_bool), ("error", is_str_or_null)],
                extra,
            );
        }
    }
}

#[test]
fn docs_tables_parse() {
    let t = json_tables();
    let names = |s: &str| t[s].iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>();
    assert_eq!(
        names("top")[..9],
        [
            "schema",
            "tool",
            "target",
            "started_at",
            "duration_ms",
            "verdict",
            "summary",
            "checks",
            "endpoints",
        ]
    );
    assert!(names("top").contains(&"dialogue"));
    assert!(names("dialogue").contains(&"steps"));
    assert_eq!(t["checks"].len(), 8, "{:?}", t["checks"]);
    assert!(names("endpoints").contains(&"transcript"));
    assert!(names("endpoints").contains(&"round_trips"));
    assert!(names("tls").contains(&"verification"));
    let ids = documented_check_ids();
    for id in [
        "dns.resolve",
        "tcp.connect",
        "tls.stls-injection",
        "run.deadline",
    ] {
        assert!(ids.contains(id), "{id} not parsed from docs/checks.md");
    }
}

/// Adds every field the `section` table documents and `obj` lacks, with the
/// simplest value of its type.
fn complete(obj: &mut Value, section: &str) {
    for (field, ty) in &json_tables()[section] {
        if obj.get(field).is_none() {
            let v = ty
                .split(" or ")
                .map(|t| match t.trim() {
                    "null" | "any" => Value::Null,
                    "string" => "".into(),
                    "integer" => 0.into(),
                    "bool" | "boolean" => false.into(),
                    "object" => serde_json::json!({}),
                    _ => serde_json::json!([]),
                })
                .min_by_key(|v| !v.is_null())
                .expect("a type");
            obj[field] = v;
        }
    }
}

#[test]
fn validator_rejects_what_the_docs_forbid() {
    // The validator must be able to fail: break a real-looking report in
    // several ways and expect a panic each time.
    let mut good: Value = serde_json::json!({
        "schema": "popscope.report/v1",
        "tool": {"name": "popscope", "version": "0.1.0"},
        "target": {"input": "127.0.0.1", "host": "127.0.0.1", "kind": "ip", "user": null},
        "started_at": "2026-11-21T22:40:00Z",
        "duration_ms": 4,
        "verdict": "pass",
        "dialogue": null,
        "summary": "all 1 checks passed",
        "checks": [{"id": "tcp.connect", "status": "pass", "endpoint": "127.0.0.1:110",
                    "summary": "connected", "detail": "", "remedy": "", "duration_ms": 0,
                    "data": {"port": 110, "security": "plain"}}],
        "endpoints": [{"address": "127.0.0.1", "port": 110, "security": "plain", "connect_ms": 0,
                       "greeting": null, "capabilities": [], "capabilities_before_tls": null,
                       "tls": null, "round_trips": 1,
                       "transcript": [{"t_ms": 0, "dir": "note", "text": "hi"}]}]
    });
    // Fields documented after this test was written get a value of their type.
    complete(&mut good, "top");
    complete(&mut good["checks"][0], "checks");
    complete(&mut good["endpoints"][0], "endpoints");
    validate(&good);
    let breakers: Vec<Breaker> = vec![
        ("schema", |v| v["schema"] = "popscope.report/v2".into()),
        ("started_at", |v| v["started_at"] = "yesterday".into()),
        ("undocumented id", |v| {
            v["checks"][0]["id"] = "tcp.magic".into()
        }),
        ("dir", |v| {
            v["endpoints"][0]["transcript"][0]["dir"] = "kernel".into()
        }),
        ("type", |v| v["duration_ms"] = "4".into()),
        ("missing", |v| {
            v["endpoints"][0]
                .as_object_mut()
                .unwrap()
                .remove("round_trips");
        }),
        ("verdict", |v| v["checks"][0]["status"] = "fail".into()),
        ("unknown endpoint", |v| {
            v["checks"][0]["endpoint"] = "10.0.0.1:1".into()
        }),
    ];
    assert!(undocumented_fields(&good).is_empty());
    let mut extra = good.clone();
    extra["extra"] = 1.into();
    extra["endpoints"][0]["tls_extra"] = 1.into();
    assert_eq!(
        undocumented_fields(&extra),
        ["endpoint.tls_extra", "report.extra"]
    );
    for (what, f) in breakers {
        let mut bad = good.clone();
        f(&mut bad);
        let r = std::panic::catch_unwind(|| validate(&bad));
        assert!(r.is_err(), "validator accepted a report with a bad {what}");
    }
}

/// A varied set of reports (pass, TLS failure, plaintext on the TLS port,
/// cleartext warning): every documented field with its type, on each.
#[test]
fn reports_match_docs_json_md() {
    let net = Net::new();
    let scenarios = [
        Scenario::Healthy,
        Scenario::SelfSigned,
        Scenario::PlainOnTlsPort,
        Scenario::CleartextLogin,
    ];
    let lab = net.lab_of(&scenarios);
    let mut seen_tls = false;
    let mut seen_before_tls = false;
    for s in scenarios {
        let r = run_json(&lab_check_args(&lab, s));
        assert_eq!(r.json["target"]["kind"], "ip");
        assert_eq!(r.json["target"]["input"], "127.0.0.1");
        assert!(r.json["target"]["user"].is_null());
        assert_eq!(r.endpoints().len(), 2, "{}", r.describe());
        for e in r.endpoints() {
            assert!(!e["transcript"].as_array().unwrap().is_empty());
            seen_tls |= !e["tls"].is_null();
            seen_before_tls |= !e["capabilities_before_tls"].is_null();
        }
        let dirs: BTreeSet<&str> = r
            .endpoints()
            .iter()
            .flat_map(|e| e["transcript"].as_array().unwrap())
            .filter_map(|l| l["dir"].as_str())
            .collect();
        assert!(
            dirs.contains("client") && dirs.contains("server") && dirs.contains("note"),
            "{s}: {dirs:?}"
        );
        if s == Scenario::Healthy {
            let tls = r
                .endpoints()
                .iter()
                .find(|e| e["security"] == "implicit-tls");
            let tls = tls.expect("an implicit-TLS endpoint");
            assert_eq!(tls["tls"]["verification"]["trusted"], true);
            assert!(tls["tls"]["sni"].is_null(), "IP target: no SNI");
            let plain = r.endpoints().iter().find(|e| e["security"] == "starttls");
            assert!(plain.is_some(), "healthy plain port upgraded: starttls");
        }
    }
    assert!(seen_tls && seen_before_tls);
}

/// The converse of [`reports_match_docs_json_md`]: every field a report
/// carries is documented in docs/json.md (a field added to the report must
/// be added to the docs in the same change).
#[test]
fn every_emitted_field_is_documented() {
    let net = Net::new();
    let scenarios = [Scenario::Healthy, Scenario::SelfSigned, Scenario::NoStls];
    let lab = net.lab_of(&scenarios);
    let mut extra = BTreeSet::new();
    for s in scenarios {
        let r = run_json(&lab_check_args(&lab, s));
        extra.extend(undocumented_fields(&r.json));
    }
    assert!(
        extra.is_empty(),
        "fields missing from docs/json.md: {extra:?}"
    );
}

#[test]
fn documented_id_families() {
    assert!(is_documented_id("tls.chain"));
    assert!(!is_documented_id("tls.chains"));
    assert!(!is_documented_id("pop3.step."));
    assert!(is_documented_id("pop3.step.12") && is_documented_id("auth.login"));
    assert!(!is_documented_id("pop3.step.x") && !is_documented_id("auth.logins"));
}
