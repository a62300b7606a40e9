//! The message files: they parse, both languages have the same messages with
//! the same variables, French is really French, and every id the code asks
//! for exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;

/// id -> raw source of the message (value and attributes), per language.
fn messages(lang: Lang) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for (file, src) in sources(lang) {
        let mut current: Option<String> = None;
        for line in src.lines() {
            let starts_entry = line
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase() || c == '-');
            if starts_entry && let Some((id, rest)) = line.split_once('=') {
                let id = id.trim().to_string();
                assert!(
                    !out.contains_key(&id),
                    "{lang}/{file}: message {id} is defined twice"
                );
                out.insert(id.clone(), (file.to_string(), rest.to_string()));
                current = Some(id);
            } else if line.starts_with(' ') {
                if let Some(id) = &current {
                    let e = out.get_mut(id).expect("current message");
                    e.1.push('\n');
                    e.1.push_str(line);
                }
            } else {
                current = None;
            }
        }
    }
    out
}

fn variables(src: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\$([a-zA-Z][a-zA-Z0-9_-]*)").expect("regex");
    re.captures_iter(src).map(|c| c[1].to_string()).collect()
}

#[test]
fn every_message_file_parses() {
    for lang in Lang::ALL {
        for (file, src) in sources(lang) {
            if let Err((_, errors)) = FluentResource::try_new((*src).to_string()) {
                panic!("{lang}/{file} has syntax errors: {errors:?}");
            }
        }
    }
}

#[test]
fn both_languages_have_the_same_messages_and_variables() {
    let en = messages(Lang::En);
    let fr = messages(Lang::Fr);
    let mut problems = Vec::new();
    for (id, (file, src)) in &en {
        match fr.get(id) {
            None => problems.push(format!("fr/{file}: missing {id}")),
            Some((_, fr_src)) if variables(src) != variables(fr_src) => problems.push(format!(
                "{id}: variables differ: en {:?}, fr {:?}",
                variables(src),
                variables(fr_src)
            )),
            Some(_) => {}
        }
    }
    for (id, (file, _)) in &fr {
        if !en.contains_key(id) {
            problems.push(format!("en/{file}: missing {id} (only in French)"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Messages whose French text is rightly the English one (names, commands,
/// words both languages share): listed in the French files on comment lines
/// `# same-as-en: id id ...`.
fn same_in_both() -> BTreeSet<String> {
    sources(Lang::Fr)
        .iter()
        .flat_map(|(_, src)| src.lines())
        .filter_map(|l| l.strip_prefix("# same-as-en:"))
        .flat_map(|ids| ids.split_whitespace().map(str::to_string))
        .collect()
}

#[test]
fn french_messages_are_translated() {
    let en = messages(Lang::En);
    let fr = messages(Lang::Fr);
    let word = regex::Regex::new(r"\b[a-z]{4,}\b").expect("regex");
    let placeable = regex::Regex::new(r"\{[^}]*\}").expect("regex");
    let allowed = same_in_both();
    let mut same = Vec::new();
    for (id, (file, src)) in &en {
        let Some((_, fr_src)) = fr.get(id) else {
            continue;
        };
        // Text outside placeables: English words left in French.
        let prose = placeable.replace_all(src, "");
        if fr_src.trim() == src.trim() && word.is_match(&prose) && !allowed.contains(id) {
            same.push(format!("fr/{file}: {id} is still English: {}", src.trim()));
        }
    }
    assert!(same.is_empty(), "{}", same.join("\n"));
}

#[test]
fn french_uses_french_typography() {
    let fr = messages(Lang::Fr);
    // Straight double quotes around words: French uses « guillemets ».
    let quoted = regex::Regex::new(r#""[A-Za-zÀ-ÿ][^"{}]*""#).expect("regex");
    let space_before = regex::Regex::new(r"[^ ] [:;!?](\s|$)").expect("regex");
    let mut bad = Vec::new();
    for (id, (file, src)) in &fr {
        if quoted.is_match(src) && !src.contains("\"\\\"") {
            bad.push(format!("fr/{file}: {id}: use « » rather than \"...\""));
        }
        // A no-break space (not a plain one, which lets a line break in) before
        // : ; ! ? and inside « ».
        if space_before.is_match(src) || src.contains("« ") || src.contains(" »") {
            bad.push(format!(
                "fr/{file}: {id}: use a no-break space (U+00A0) before : ; ! ? and inside « »"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Every `t!("...")` and `tr("...")` in the source names a message.
#[test]
fn every_id_the_code_asks_for_exists() {
    let en = messages(Lang::En);
    let re = regex::Regex::new(r#"\bt!\(\s*"([a-z0-9-]+)""#).expect("regex");
    let mut missing = Vec::new();
    let mut files = Vec::new();
    collect_rs(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read source");
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for c in re.captures_iter(&code) {
            if !en.contains_key(&c[1]) {
                missing.push(format!("{}: no message {}", f.display(), &c[1]));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn plural_forms_follow_each_language() {
    let days = |lang, n: u64| format_in(lang, "general-days", &[("count", Arg::from(n))]);
    assert_eq!(days(Lang::En, 1).as_deref(), Some("1 day"));
    assert_eq!(days(Lang::En, 3).as_deref(), Some("3 days"));
    assert_eq!(days(Lang::Fr, 1).as_deref(), Some("1 jour"));
    assert_eq!(days(Lang::Fr, 0).as_deref(), Some("0 jour"));
    assert_eq!(days(Lang::Fr, 3).as_deref(), Some("3 jours"));
}

#[test]
fn the_language_comes_from_the_flag_then_the_environment() {
    assert_eq!(detect(Some("fr")), Ok(Lang::Fr));
    assert_eq!(detect(Some("en_GB.UTF-8")), Ok(Lang::En));
    let err = detect(Some("de")).expect_err("German is not spoken");
    assert!(err.contains("\"de\"") && err.contains("en, fr"), "{err}");
    let env = |v: &[&str]| from_env(v.iter().map(|s| s.to_string()));
    assert_eq!(env(&["fr_FR.UTF-8"]), Lang::Fr);
    assert_eq!(env(&["de:fr"]), Lang::Fr, "LANGUAGE may list several");
    assert_eq!(env(&["C.UTF-8", "fr_FR"]), Lang::En, "the first known wins");
    assert_eq!(env(&["de_DE"]), Lang::En);
    assert_eq!(env(&[]), Lang::En);
}

#[test]
fn scoped_language_is_per_thread_and_restored() {
    let before = current();
    let inner = scoped(Lang::Fr, || {
        assert_eq!(current(), Lang::Fr);
        std::thread::spawn(current).join().expect("thread")
    });
    assert_eq!(inner, Lang::En, "another thread keeps the global language");
    assert_eq!(current(), before);
    assert_eq!(
        scoped(Lang::Fr, || t!("general-days", count = 2u32)),
        "2 jours"
    );
}

#[test]
fn no_isolation_marks_reach_the_output() {
    let s = scoped(Lang::En, || t!("general-days", count = 5u32));
    assert!(!s.contains('\u{2068}') && !s.contains('\u{2069}'), "{s:?}");
}
