//! Rendering for many targets in one run (`check T1 T2 ...`, `--targets`):
//! the compact one-line report (`--format jsonl`), the record of a target
//! line that could not be used, and in text the one summary line per target,
//! the problems grouped by target and the totals line ([`Tally`]).
//!
//! Every renderer returns whole lines, so the caller writes each target's
//! output with one write (docs/monitoring.md, docs/json.md).

use serde::Serialize;

use super::{Exporter, Report};
use crate::model::Status;

/// The sentences of this module, in one place (localisation: the messages
/// `report-many-*` of report.ftl).
mod words {
    use crate::i18n::t;
    use crate::model::Status;

    /// The heading above the problems grouped by target.
    pub fn problems() -> String {
        t!("report-many-problems-heading")
    }
    /// A target line that could not be used, in a summary line.
    pub fn line_error(line: Option<u64>, error: &str) -> String {
        match line {
            Some(n) => t!("report-many-line-error", line = n, error = error),
            None => error.to_string(),
        }
    }
    /// When more targets had problems than the list keeps.
    pub fn left_off(n: u64) -> String {
        t!("report-many-left-off", count = n)
    }
    /// The totals line (the verdict words are machine output).
    pub fn totals(targets: u64, pass: u64, warn: u64, fail: u64, not_checked: u64) -> String {
        t!(
            "report-many-totals",
            targets = targets,
            pass = pass,
            pass_word = Status::Pass.as_str(),
            warn = warn,
            warn_word = Status::Warn.as_str(),
            fail = fail,
            fail_word = Status::Fail.as_str(),
            unchecked = not_checked,
        )
    }
}

/// Compact JSON (`popscope.report/v1`) on one newline-terminated line.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsonLine;

impl Exporter for JsonLine {
    fn render(&self, report: &Report) -> Vec<u8> {
        let mut v = serde_json::to_vec(report).unwrap_or_else(|e| {
            format!("{{\"schema\":\"{}\",\"error\":\"{e}\"}}", super::SCHEMA).into_bytes()
        });
        v.push(b'\n');
        v
    }
}

/// Schema id of [`TargetError`] records (docs/json.md).
pub const TARGET_ERROR_SCHEMA: &str = "popscope.target-error/v1";

/// A target that could not be diagnosed because its line could not be used
/// (not a target, or settings that do not fit it): a failed target.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TargetError {
    /// [`TARGET_ERROR_SCHEMA`].
    pub schema: &'static str,
    /// Line number in the `--targets` file (from 1); null for a target
    /// given as an argument.
    pub line: Option<u64>,
    /// The line as read (sanitised, surrounding blanks removed).
    pub input: String,
    /// Always `fail`.
    pub verdict: Status,
    /// What is wrong with it, in words.
    pub error: String,
}

impl TargetError {
    /// The record for `input` (from `line` of the file, if any).
    pub fn new(line: Option<u64>, input: &str, error: &str) -> TargetError {
        TargetError {
            schema: TARGET_ERROR_SCHEMA,
            line,
            input: crate::transcript::sanitize_str(input),
            verdict: Status::Fail,
            error: crate::transcript::sanitize_str(error),
        }
    }

    /// One compact JSON line.
    pub fn json_line(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// `VERDICT  target  top cause` (one line, for a finished target).
pub fn summary_line(report: &Report) -> Vec<u8> {
    line(report.verdict, &report.target.input, &report.summary)
}

/// The summary line of a [`TargetError`].
pub fn error_line(e: &TargetError) -> Vec<u8> {
    line(e.verdict, &e.input, &words::line_error(e.line, &e.error))
}

fn line(verdict: Status, target: &str, what: &str) -> Vec<u8> {
    format!("{:<4}  {target}  {what}\n", verdict.label()).into_bytes()
}

/// Most targets whose problems are kept for the end of a text run; beyond
/// it, memory would grow with the list (their summary lines were printed).
pub const MAX_PROBLEM_TARGETS: usize = 1000;

/// Counts verdicts over a run and keeps the problems of the first
/// [`MAX_PROBLEM_TARGETS`] targets that had any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Targets that passed.
    pub pass: u64,
    /// Targets with warnings.
    pub warn: u64,
    /// Targets that failed (unusable lines included).
    pub fail: u64,
    /// Targets never started (deadline or Ctrl-C).
    pub not_checked: u64,
    problems: Vec<(String, Status, Vec<String>)>,
    left_off: u64,
}

impl Tally {
    /// Counts a finished target.
    pub fn add_report(&mut self, r: &Report) {
        let causes = r.diagnosis.causes.iter().map(|c| c.summary.clone());
        let mut causes: Vec<String> = causes.collect();
        if causes.is_empty() {
            causes.push(r.summary.clone());
        }
        self.count(r.verdict, &r.target.input, causes);
    }

    /// Counts a target line that could not be used (a failure).
    pub fn add_error(&mut self, e: &TargetError) {
        let what = words::line_error(e.line, &e.error);
        self.count(e.verdict, &e.input, vec![what]);
    }

    fn count(&mut self, verdict: Status, target: &str, causes: Vec<String>) {
        match verdict.severity() {
            0 => self.pass += 1,
            1 => self.warn += 1,
            _ => self.fail += 1,
        }
        if verdict.severity() == 0 {
            return;
        }
        if self.problems.len() < MAX_PROBLEM_TARGETS {
            self.problems.push((target.to_string(), verdict, causes));
        } else {
            self.left_off += 1;
        }
    }

    /// The exit code of the run: the worst verdict (0, 1, 2); targets not
    /// checked make it at least 1.
    pub fn exit_code(&self) -> u8 {
        let worst = if self.fail > 0 {
            2
        } else if self.warn > 0 {
            1
        } else {
            0
        };
        if self.not_checked > 0 {
            worst.max(1)
        } else {
            worst
        }
    }

    /// The end of a text run: the problems grouped by target (if any), then
    /// the totals line.
    pub fn render_end(&self) -> Vec<u8> {
        let mut s = String::new();
        if !self.problems.is_empty() {
            s.push('\n');
            s.push_str(&words::problems());
            s.push('\n');
            for (target, verdict, causes) in &self.problems {
                s.push_str(&format!("{target} ({verdict})\n"));
                for c in causes {
                    s.push_str(&format!("  - {c}\n"));
                }
            }
            if self.left_off > 0 {
                s.push_str(&words::left_off(self.left_off));
                s.push('\n');
            }
            s.push('\n');
        }
        let total = self.pass + self.warn + self.fail + self.not_checked;
        s.push_str(&words::totals(
            total,
            self.pass,
            self.warn,
            self.fail,
            self.not_checked,
        ));
        s.push('\n');
        s.into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_record_is_one_compact_line() {
        let e = TargetError::new(Some(3), "bad\u{1b}host:", "no port after the colon");
        let line = e.json_line();
        assert_eq!(line.iter().filter(|b| **b == b'\n').count(), 1);
        let v: serde_json::Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(v["schema"], TARGET_ERROR_SCHEMA);
        assert_eq!(v["line"], 3);
        assert_eq!(v["verdict"], "fail");
        assert!(!v["input"].as_str().unwrap().contains('\u{1b}'));
        let text = String::from_utf8(error_line(&e)).unwrap();
        assert!(text.starts_with("FAIL  "), "{text}");
        assert!(text.contains("line 3: no port"), "{text}");
    }

    #[test]
    fn the_tally_counts_and_groups_problems() {
        let mut t = Tally::default();
        t.add_error(&TargetError::new(None, "x", "not a target"));
        t.not_checked = 2;
        assert_eq!(t.exit_code(), 2);
        let end = String::from_utf8(t.render_end()).unwrap();
        assert!(end.contains("Problems by target:\nx (fail)\n  - not a target\n"));
        assert!(end.ends_with("3 targets: 0 pass, 0 warn, 1 fail, 2 not checked\n"));
        let only_unchecked = Tally {
            not_checked: 1,
            ..Tally::default()
        };
        assert_eq!(only_unchecked.exit_code(), 1);
        assert_eq!(Tally::default().exit_code(), 0);
    }

    /// The text of a run's end (problems, the list cut short, totals) and
    /// of an unusable line, in the current language.
    fn end_text() -> String {
        let mut t = Tally::default();
        t.add_error(&TargetError::new(Some(7), "x:y", "zzz"));
        t.add_error(&TargetError::new(None, "w", "zzz"));
        t.left_off = 1;
        t.pass = 1;
        t.not_checked = 1;
        let e = TargetError::new(Some(3), "x:y", "zzz");
        let mut s = String::from_utf8(error_line(&e)).unwrap();
        s.push_str(&String::from_utf8(t.render_end()).unwrap());
        t.left_off = 2;
        t.not_checked = 2;
        s.push_str(&String::from_utf8(t.render_end()).unwrap());
        s
    }

    #[test]
    fn the_many_targets_text_in_both_languages() {
        use crate::i18n::testing::english_word;
        use crate::i18n::{Lang, scoped};
        let en = scoped(Lang::En, end_text);
        assert!(en.starts_with("FAIL  x:y  line 3: zzz\n"), "{en}");
        assert!(
            en.contains("  ... and 1 more targets with problems (see their summary lines above)\n"),
            "{en}"
        );
        assert!(
            en.contains("x:y (fail)\n  - line 7: zzz\nw (fail)\n  - zzz\n"),
            "{en}"
        );
        assert!(en.contains("\n4 targets: 1 pass, 0 warn, 2 fail, 1 not checked\n"));
        assert!(en.ends_with("\n5 targets: 1 pass, 0 warn, 2 fail, 2 not checked\n"));
        let fr = scoped(Lang::Fr, end_text);
        assert!(fr.starts_with("FAIL  x:y  ligne 3\u{a0}: zzz\n"), "{fr}");
        assert!(fr.contains("\nProblèmes par cible\u{a0}:\n"), "{fr}");
        assert!(
            fr.contains("  ... et 1 autre cible avec des problèmes (voir leurs lignes de résumé ci-dessus)\n"),
            "{fr}"
        );
        assert!(fr.contains("  ... et 2 autres cibles avec"), "{fr}");
        assert!(
            fr.contains("\n4 cibles\u{a0}: 1 pass, 0 warn, 2 fail, 1 non vérifiée\n"),
            "{fr}"
        );
        assert!(
            fr.ends_with("\n5 cibles\u{a0}: 1 pass, 0 warn, 2 fail, 2 non vérifiées\n"),
            "{fr}"
        );
        assert!(!fr.contains("report-") && !en.contains("report-"), "{fr}");
        assert_eq!(english_word(&fr, &[]), None, "{fr}");
        let one = scoped(Lang::Fr, || {
            let t = Tally {
                pass: 1,
                ..Tally::default()
            };
            String::from_utf8(t.render_end()).unwrap()
        });
        assert_eq!(
            one,
            "1 cible\u{a0}: 1 pass, 0 warn, 0 fail, 0 non vérifiée\n"
        );
    }
}
