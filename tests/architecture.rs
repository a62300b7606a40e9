//! The architecture fitness test: reads every `crate::` path under `src/`
//! and fails on a dependency between top-level modules that the map in
//! docs/architecture.md does not allow. Test code (`tests.rs` files,
//! `*_tests.rs` files and `#[cfg(test)] mod ... { }` blocks) may use
//! anything, fixtures included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules each module may use (docs/architecture.md).
/// Keep this table and the doc's table in step.
const ALLOWED: &[(&str, &[&str])] = &[
    ("i18n", &[]),
    ("transcript", &[]),
    ("timefmt", &[]),
    ("model", &["transcript"]),
    ("target", &["model"]),
    ("pop3", &["transcript", "model"]),
    ("script", &["pop3", "transcript", "model", "timefmt"]),
    ("config", &["target", "pop3", "script", "transcript"]),
    (
        "probe",
        &[
            "config",
            "target",
            "pop3",
            "script",
            "transcript",
            "model",
            "timefmt",
        ],
    ),
    (
        "checks",
        &["probe", "config", "target", "pop3", "model", "timefmt"],
    ),
    (
        "diagnosis",
        &[
            "checks", "probe", "config", "target", "pop3", "model", "timefmt",
        ],
    ),
    (
        "report",
        &[
            "diagnosis",
            "checks",
            "probe",
            "script",
            "target",
            "model",
            "transcript",
            "timefmt",
        ],
    ),
    (
        "run",
        &[
            "config",
            "probe",
            "checks",
            "diagnosis",
            "report",
            "model",
            "target",
        ],
    ),
    ("lab", &["pop3", "transcript", "model", "timefmt"]),
    (
        "tui",
        &[
            "config",
            "report",
            "model",
            "transcript",
            "pop3",
            "target",
            "timefmt",
            "diagnosis",
        ],
    ),
    (
        "exporter",
        &[
            "run",
            "config",
            "report",
            "model",
            "diagnosis",
            "target",
            "timefmt",
            "transcript",
        ],
    ),
    ("cli", &["config", "pop3", "target"]),
    // The edge may use everything.
    ("app", &["*"]),
    ("lib", &["*"]),
    ("main", &["*"]),
];

/// Leaves every module may use (the map's "may use" column leaves them out).
const USABLE_BY_ALL: &[&str] = &["i18n"];

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a file belongs to (`src/probe/tls/mod.rs` -> probe).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src_dir()).expect("under src");
    let first = rel.components().next().expect("component");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_string()
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name == "tests.rs"
        || name.ends_with("_tests.rs")
        || path
            .components()
            .any(|c| c.as_os_str() == "tests" || c.as_os_str() == "testing")
        || name == "testing.rs"
}

/// Removes `#[cfg(test)]` items that are blocks (`mod tests { ... }`) by
/// brace matching; a `#[cfg(test)] mod tests;` line is dropped too.
fn strip_test_code(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(pos) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..pos]);
        let after = &rest[pos..];
        let brace = after.find('{');
        let semi = after.find(';');
        match (brace, semi) {
            (Some(b), Some(s)) if s < b => {
                rest = &after[s + 1..];
            }
            (Some(b), _) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The top-level modules named by `crate::` paths, including grouped
/// imports (`use crate::{a::X, b};`). Comments are ignored.
fn crate_deps(src: &str) -> BTreeSet<String> {
    let code: String = src
        .lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") { "" } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut deps = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(pos) = rest.find("crate::") {
        let before = rest[..pos].chars().last();
        rest = &rest[pos + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `popscope_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    deps.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                deps.insert(name);
            }
        }
    }
    deps
}

fn violations() -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in files {
        if is_test_file(&f) {
            continue;
        }
        let module = module_of(&f);
        let text = std::fs::read_to_string(&f).expect("read file");
        let deps = crate_deps(&strip_test_code(&text));
        let Some(ok) = allowed.get(module.as_str()) else {
            bad.push(format!(
                "{}: module `{module}` is not in the map (add it to docs/architecture.md and ALLOWED)",
                f.display()
            ));
            continue;
        };
        if ok.contains(&"*") {
            continue;
        }
        for d in deps {
            if d != module && !USABLE_BY_ALL.contains(&d.as_str()) && !ok.contains(&d.as_str()) {
                bad.push(format!(
                    "{}: `{module}` uses `crate::{d}`, which the map does not allow",
                    f.display()
                ));
            }
        }
    }
    bad
}

#[test]
fn every_dependency_follows_the_map() {
    let bad = violations();
    assert!(
        bad.is_empty(),
        "dependencies against docs/architecture.md:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_map_is_acyclic() {
    // Depth-first search over the allowed edges (the edge modules excluded).
    let map: BTreeMap<&str, Vec<&str>> = ALLOWED
        .iter()
        .filter(|(_, deps)| !deps.contains(&"*"))
        .map(|(m, deps)| (*m, deps.to_vec()))
        .collect();
    fn visit<'a>(
        m: &'a str,
        map: &BTreeMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if done.contains(m) {
            return;
        }
        assert!(!stack.contains(&m), "cycle in the map: {stack:?} -> {m}");
        stack.push(m);
        for d in map.get(m).into_iter().flatten() {
            visit(d, map, stack, done);
        }
        stack.pop();
        done.insert(m);
    }
    let mut done = BTreeSet::new();
    for m in map.keys() {
        visit(m, &map, &mut Vec::new(), &mut done);
    }
}

#[test]
fn the_scanner_sees_grouped_imports_and_skips_test_code() {
    let src = "use crate::{model::Check, report};\nfn f() { crate::probe::x(); }\n\
               // crate::tui in a comment\n#[cfg(test)]\nmod tests { use crate::lab; fn g() { let _ = format!(\"{}\", 1); } }\n";
    let deps = crate_deps(&strip_test_code(src));
    let want: BTreeSet<String> = ["model", "report", "probe"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(deps, want);
}

#[test]
fn the_doc_lists_every_module_of_the_map() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md"))
            .expect("docs/architecture.md");
    for (m, _) in ALLOWED {
        if matches!(*m, "lib" | "main") {
            continue;
        }
        assert!(
            doc.contains(&format!("`{m}`")),
            "docs/architecture.md does not mention module `{m}`"
        );
    }
}
