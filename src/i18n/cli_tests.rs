//! The command-line help in both languages: every command and argument has
//! its message in en/cli.ftl and fr/cli.ftl, the English help is the one
//! clap builds from the doc comments (byte for byte), and the French help
//! has no English left in the texts popscope writes.

use clap::CommandFactory;

use super::testing::english_word;
use super::{Lang, has, scoped};
use crate::cli::{Cli, localize};

/// Every message id `cli::localize` looks up, with the English text clap
/// has today (the doc comment), walking commands as `localize` does.
fn expected_ids() -> Vec<(String, String)> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push((format!("cli-{path}-about"), about));
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            out.push((format!("cli-{path}-{}", id.replace('_', "-")), help));
        }
        for sub in cmd.get_subcommands() {
            let sub_path = if path == "popscope" {
                sub.get_name().to_string()
            } else {
                format!("{path}-{}", sub.get_name())
            };
            walk(sub, &sub_path, out);
        }
    }
    let mut out = Vec::new();
    walk(&Cli::command(), "popscope", &mut out);
    out
}

/// The command paths whose `--help` is rendered: the top level and every
/// subcommand, as arguments for clap.
fn help_invocations() -> Vec<Vec<String>> {
    let mut out = vec![vec!["popscope".to_string(), "--help".to_string()]];
    for sub in Cli::command().get_subcommands() {
        out.push(vec![
            "popscope".to_string(),
            sub.get_name().to_string(),
            "--help".to_string(),
        ]);
    }
    out
}

/// `--help` as the program prints it (localised as the program does).
fn render_help(args: &[String]) -> String {
    let err = localize(Cli::command())
        .try_get_matches_from(args)
        .expect_err("--help stops parsing");
    assert_eq!(
        err.kind(),
        clap::error::ErrorKind::DisplayHelp,
        "{args:?}: {err}"
    );
    err.render().to_string()
}

#[test]
fn every_command_and_argument_has_its_help_in_both_languages() {
    let mut missing = Vec::new();
    for (id, _) in expected_ids() {
        for lang in Lang::ALL {
            if !has(lang, &id) {
                missing.push(format!("{lang}/cli.ftl: {id}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "--help messages missing (add them to src/i18n/<lang>/cli.ftl):\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_english_messages_are_the_doc_comments() {
    let mut differ = Vec::new();
    for (id, doc) in expected_ids() {
        let msg = super::format_in(Lang::En, &id, &[]);
        if msg.as_deref().is_some_and(|m| m != doc) {
            differ.push(format!(
                "{id}:\n  doc: {doc}\n  en:  {}",
                msg.unwrap_or_default()
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn the_english_help_is_unchanged() {
    for args in help_invocations() {
        let plain = Cli::command()
            .try_get_matches_from(&args)
            .expect_err("--help stops parsing")
            .render()
            .to_string();
        let localized = scoped(Lang::En, || render_help(&args));
        assert_eq!(localized, plain, "{args:?}");
    }
}

/// The lines of a French `--help` that popscope's messages write: clap's
/// own lines (`-h, --help`, `-V, --version` and their help, the `help`
/// subcommand) and
/// the descriptions of the values of `--auth`, `--format` and `--color`
/// ("Possible values:"), which `cli::localize` does not translate, and the
/// top level's after-help text, are left out.
fn popscope_lines(help: &str) -> Vec<&str> {
    let after = Cli::command()
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    let after: Vec<String> = after.lines().map(str::to_string).collect();
    let mut out = Vec::new();
    let mut in_values = false;
    for line in help.lines() {
        let t = line.trim();
        if t == "Possible values:" {
            in_values = true;
            continue;
        }
        if in_values && t.starts_with("- ") {
            continue;
        }
        in_values = false;
        if t.starts_with("-h, --help")
            || t.starts_with("-V, --version")
            || t.starts_with("Print help")
            || t.starts_with("Print version")
            || t.starts_with("help ")
            || after.iter().any(|a| a == t)
        {
            continue;
        }
        out.push(line);
    }
    out
}

#[test]
fn the_french_help_has_no_english_left() {
    // Names that are the same in French: subcommands, flag values.
    let allowed = ["check"];
    let identifier = regex::Regex::new(r"[A-Za-z0-9]*_[A-Za-z0-9_]*").expect("regex");
    let mut problems = Vec::new();
    for args in help_invocations() {
        let help = scoped(Lang::Fr, || render_help(&args));
        assert!(help.contains("Utilisation\u{a0}:"), "{args:?}: {help}");
        for line in popscope_lines(&help) {
            // Names of environment variables (POPSCOPE_DNS_SERVER, NO_COLOR).
            let prose = identifier.replace_all(line, " ");
            if let Some(w) = english_word(&prose, &allowed) {
                problems.push(format!("{}: {w:?} in {:?}", args.join(" "), line.trim()));
            }
            if line.contains("cli-") {
                problems.push(format!("{}: message id shown: {line}", args.join(" ")));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_french_help_is_french() {
    let check = scoped(Lang::Fr, || {
        render_help(&["popscope".into(), "check".into(), "--help".into()])
    });
    assert!(check.contains("Diagnostiquer un service POP3"), "{check}");
    assert!(check.contains("Mécanisme d’authentification"), "{check}");
    let top = scoped(Lang::Fr, || {
        render_help(&["popscope".into(), "--help".into()])
    });
    assert!(
        top.contains("Langue de tout ce que popscope écrit"),
        "{top}"
    );
    // clap's own words too, where clap lets them be changed
    for words in [
        "Utilisation\u{a0}: popscope",
        "Commandes\u{a0}:",
        "-h, --help         Afficher l’aide",
        "Afficher la version",
        "Codes de sortie\u{a0}:",
    ] {
        assert!(top.contains(words), "{words:?} in {top}");
    }
    assert!(check.contains("Afficher l’aide"), "{check}");
}
