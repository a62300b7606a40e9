//! Every TUI screen in French: nothing of the English interface is left, no
//! message id shows, and the French screens are kept as snapshots (review
//! them by eye: `INSTA_UPDATE=always cargo test --lib tui::french_tests`).
//!
//! The fixtures' check texts come from the tests themselves (in English);
//! what is checked here is the interface around them.

use ratatui::crossterm::event::KeyCode;

use crate::i18n::{Lang, scoped, sources};
use crate::tui::model::{Model, Overlay};
use crate::tui::screens_tests::{
    TLS, engine, fail_report, finished, key, keys, live_events, pass_report, select_check, started,
};
use crate::tui::update::{init, update};
use crate::tui::view::render_to_string;

/// The English interface texts: the literal parts (between placeables) of
/// every message in en/tui.ftl that are long enough to be unambiguous.
fn english_interface() -> Vec<String> {
    let (_, src) = sources(Lang::En)
        .iter()
        .find(|(f, _)| *f == "tui.ftl")
        .expect("tui.ftl");
    let placeable = regex::Regex::new(r"\{[^}]*\}").expect("regex");
    let mut out = Vec::new();
    for line in src.lines() {
        let Some((id, value)) = line.split_once(" = ") else {
            continue;
        };
        if !id.starts_with("tui-") {
            continue;
        }
        for part in placeable.split(value) {
            let part = part.trim();
            if part.chars().count() >= 12 && part.contains(' ') {
                out.push(part.to_string());
            }
        }
    }
    assert!(out.len() > 40, "the English interface was not read");
    out
}

/// The screens, as a French-speaking student meets them.
fn french_screens() -> Vec<(&'static str, String)> {
    scoped(Lang::Fr, || {
        let mut v = Vec::new();
        let mut m = started(80, 24);
        engine(&mut m, live_events(5));
        v.push(("running", render_to_string(&m, 80, 24)));
        let m = finished(80, 24, pass_report());
        v.push(("pass", render_to_string(&m, 80, 24)));
        let mut m = finished(100, 30, fail_report());
        select_check(&mut m, "tls.chain", Some(TLS));
        v.push(("fail", render_to_string(&m, 100, 30)));
        keys(&mut m, &[KeyCode::BackTab, KeyCode::PageDown]);
        v.push(("certificate", render_to_string(&m, 100, 30)));
        let mut m = finished(100, 40, fail_report());
        keys(&mut m, &[KeyCode::Char('d')]);
        assert_eq!(m.overlay, Overlay::Diagnosis);
        v.push(("diagnosis", render_to_string(&m, 100, 40)));
        let mut m = finished(80, 24, pass_report());
        keys(&mut m, &[KeyCode::Char('?')]);
        v.push(("help", render_to_string(&m, 80, 24)));
        let mut m = finished(80, 24, fail_report());
        keys(&mut m, &[KeyCode::Tab, KeyCode::Right, KeyCode::End]);
        v.push(("transcript", render_to_string(&m, 80, 24)));
        let mut m = Model::new(80, 24);
        init(&mut m, None);
        v.push(("form", render_to_string(&m, 80, 24)));
        for c in "pop.example.com:99999".chars() {
            update(&mut m, key(KeyCode::Char(c)));
        }
        keys(&mut m, &[KeyCode::Enter]);
        v.push(("form-error", render_to_string(&m, 80, 24)));
        let mut m = Model::new(80, 24);
        init(&mut m, None);
        keys(&mut m, &[KeyCode::Esc]);
        v.push(("idle", render_to_string(&m, 80, 24)));
        let m = finished(50, 12, pass_report());
        v.push(("small", render_to_string(&m, 50, 12)));
        v
    })
}

#[test]
fn every_screen_is_in_french() {
    let english = english_interface();
    let mut problems = Vec::new();
    for (name, screen) in french_screens() {
        // Wrapped lines are joined so a sentence split over two rows is seen.
        let flat: String = screen
            .lines()
            .map(|l| l.trim_matches(|c: char| c == '│' || c == '║' || c.is_whitespace()))
            .collect::<Vec<_>>()
            .join(" ");
        for e in &english {
            if flat.contains(e.as_str()) {
                problems.push(format!("{name}: English left: {e:?}"));
            }
        }
        if let Some(id) = flat.split_whitespace().find(|w| w.starts_with("tui-")) {
            problems.push(format!("{name}: message id shown: {id}"));
        }
        insta::assert_snapshot!(format!("fr_{name}"), screen);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
