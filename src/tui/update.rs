//! `update(&mut Model, Message) -> Vec<Command>`: every change to the model,
//! as a pure function. Side effects (starting a diagnosis, writing a file)
//! are returned as [`Command`]s for the runtime to perform; their results come
//! back as messages.

use std::path::PathBuf;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use crate::config::RunConfig;
use crate::i18n::t;
use crate::model::{Event, Security, Status};
use crate::report::{Exporter, Report};

use super::form::Form;
use super::model::{
    CheckRow, GENERAL_TAB, Model, Notice, Overlay, Pane, RunState, Tab, endpoint_report_label,
};
use super::view::{self, Areas};

/// Everything that can happen to the TUI.
#[derive(Debug)]
pub enum Message {
    /// A key was pressed.
    Key(KeyEvent),
    /// The mouse was used.
    Mouse(MouseEvent),
    /// The terminal was resized to (columns, rows).
    Resize(u16, u16),
    /// The slow tick (only while a diagnosis runs): advances the spinner.
    Tick,
    /// A live event of diagnosis number `run`.
    Engine {
        /// The run the event belongs to ([`Model::run_id`]).
        run: u64,
        /// The event.
        event: Event,
    },
    /// Diagnosis number `run` ended with a report or an error.
    Finished {
        /// The run.
        run: u64,
        /// The final report, or the runner's error in words.
        result: Result<Report, String>,
    },
    /// A save finished: the file written, or why not.
    Saved {
        /// `JSON` or `text`.
        format: &'static str,
        /// The absolute path written, or the error.
        result: Result<PathBuf, String>,
    },
    /// Quit now (a signal, or the input closed).
    Quit,
}

/// A side effect for the runtime to perform.
#[derive(Debug)]
pub enum Command {
    /// Start diagnosis number `run` (cancelling any running one).
    Start {
        /// The new run id.
        run: u64,
        /// What to diagnose.
        config: Box<RunConfig>,
    },
    /// Write `bytes` to a new file named like `file_name` in the save
    /// directory (a number is added rather than overwriting a file).
    Save {
        /// `JSON` or `text`.
        format: &'static str,
        /// Suggested file name.
        file_name: String,
        /// The rendered report.
        bytes: Vec<u8>,
    },
}

/// The first commands: starts `start` if given, else opens the form.
pub fn init(model: &mut Model, start: Option<RunConfig>) -> Vec<Command> {
    match start {
        Some(cfg) => start_run(model, cfg),
        None => {
            let base = std::mem::take(&mut model.form.base);
            model.form = Form::new();
            model.form.base = base;
            model.overlay = Overlay::Form;
            Vec::new()
        }
    }
}

/// Applies one message.
pub fn update(model: &mut Model, msg: Message) -> Vec<Command> {
    match msg {
        Message::Key(k) => key(model, k),
        Message::Mouse(m) => {
            mouse(model, m);
            Vec::new()
        }
        Message::Resize(w, h) => {
            model.size = (w, h);
            clamp_all(model);
            Vec::new()
        }
        Message::Tick => {
            if model.is_running() {
                model.tick = model.tick.wrapping_add(1);
            }
            Vec::new()
        }
        Message::Engine { run, event } => {
            if run == model.run_id && model.is_running() {
                engine_event(model, event);
            }
            Vec::new()
        }
        Message::Finished { run, result } => {
            if run == model.run_id {
                finished(model, result);
            }
            Vec::new()
        }
        Message::Saved { format, result } => {
            model.notice = Some(match result {
                Ok(p) => Notice {
                    text: t!("tui-saved", format = format, path = p.display().to_string()),
                    error: false,
                },
                Err(e) => Notice {
                    text: t!("tui-save-failed", format = format, error = e.to_string()),
                    error: true,
                },
            });
            Vec::new()
        }
        Message::Quit => {
            model.quit = true;
            Vec::new()
        }
    }
}

/// The footer hint shown when a diagnosis finishes with a problem.
pub fn diagnosis_hint() -> String {
    t!("tui-diagnosis-hint")
}

/// Resets the model for a new diagnosis and asks the runtime to start it.
pub fn start_run(model: &mut Model, cfg: RunConfig) -> Vec<Command> {
    model.run_id += 1;
    model.state = RunState::Running;
    model.report = None;
    model.checks.clear();
    model.check_sel = 0;
    model.check_offset = 0;
    model.tabs.clear();
    model.tab_sel = 0;
    model.details_scroll = 0;
    model.overlay = Overlay::None;
    model.notice = None;
    model.cause_sel = 0;
    model.diagnosis_scroll = 0;
    model.tick = 0;
    model.config = Some(cfg.clone());
    vec![Command::Start {
        run: model.run_id,
        config: Box::new(cfg),
    }]
}

fn areas(model: &Model) -> Option<Areas> {
    view::layout(model.size.0, model.size.1)
}

// ---------------------------------------------------------------- engine

fn tab_index(model: &mut Model, label: &str, security: Option<Security>) -> usize {
    if let Some(i) = model.tabs.iter().position(|t| t.label == label) {
        if security.is_some() {
            model.tabs[i].security = security;
        }
        return i;
    }
    model.tabs.push(Tab::new(label, security));
    model.tabs.len() - 1
}

fn upsert(model: &mut Model, row: CheckRow) {
    match model
        .checks
        .iter_mut()
        .find(|r| r.id == row.id && r.endpoint == row.endpoint)
    {
        Some(r) => *r = row,
        None => model.checks.push(row),
    }
}

fn engine_event(model: &mut Model, event: Event) {
    match event {
        Event::CheckStarted { id, endpoint } => upsert(
            model,
            CheckRow {
                id,
                endpoint,
                check: None,
            },
        ),
        Event::CheckFinished(check) => upsert(
            model,
            CheckRow {
                id: check.id,
                endpoint: check.endpoint.clone(),
                check: Some(check),
            },
        ),
        Event::Endpoint { endpoint, security } => {
            tab_index(model, &endpoint, Some(security));
        }
        Event::Transcript { endpoint, line } => {
            let label = endpoint.unwrap_or_else(|| GENERAL_TAB.to_string());
            let i = tab_index(model, &label, None);
            let tab = &mut model.tabs[i];
            let was_last = tab.selected + 1 >= tab.lines.len();
            tab.lines.push(line);
            if tab.follow && was_last {
                tab.selected = tab.lines.len() - 1;
            }
        }
    }
}

fn finished(model: &mut Model, result: Result<Report, String>) {
    match result {
        Ok(report) => {
            let keep = model.selected_check().map(|r| (r.id, r.endpoint.clone()));
            model.checks = report
                .checks
                .iter()
                .map(|c| CheckRow {
                    id: c.id,
                    endpoint: c.endpoint.clone(),
                    check: Some(c.clone()),
                })
                .collect();
            let kept = keep.and_then(|(id, ep)| {
                model
                    .checks
                    .iter()
                    .position(|r| r.id == id && r.endpoint == ep)
            });
            for ep in &report.endpoints {
                let label = endpoint_report_label(ep);
                let i = tab_index(model, &label, Some(ep.security));
                let tab = &mut model.tabs[i];
                tab.lines = ep.transcript.clone();
                if tab.follow || tab.selected >= tab.lines.len() {
                    tab.selected = tab.lines.len().saturating_sub(1);
                }
            }
            model.last_verdict = Some(report.verdict);
            let hint = report.verdict == Status::Fail || report.diagnosis.top().is_some();
            model.report = Some(report);
            model.state = RunState::Done;
            model.cause_sel = 0;
            model.diagnosis_scroll = 0;
            // the selection starts on the first problem: the first check the
            // top cause explains, else the first fail, else the first warning
            let problem = model.first_problem_row();
            if problem.is_some() && problem != kept {
                model.details_scroll = 0;
            }
            model.check_sel = problem.or(kept).unwrap_or(0);
            if hint && model.overlay == Overlay::None && model.notice.is_none() {
                model.notice = Some(Notice {
                    text: diagnosis_hint(),
                    error: false,
                });
            }
        }
        Err(e) => model.state = RunState::Failed(e),
    }
    clamp_all(model);
}

// ---------------------------------------------------------------- keys

fn key(model: &mut Model, k: KeyEvent) -> Vec<Command> {
    if k.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('c') | KeyCode::Char('C')) {
        model.quit = true;
        return Vec::new();
    }
    match model.overlay {
        Overlay::Form => return form_key(model, k),
        Overlay::Help => {
            model.overlay = Overlay::None;
            return Vec::new();
        }
        Overlay::Diagnosis => {
            diagnosis_key(model, k);
            return Vec::new();
        }
        Overlay::None => {}
    }
    model.notice = None;
    match k.code {
        KeyCode::Char('q') | KeyCode::Esc => model.quit = true,
        KeyCode::Char('?') | KeyCode::F(1) => model.overlay = Overlay::Help,
        KeyCode::Char('d') => open_diagnosis(model),
        KeyCode::Tab => focus(model, model.focus.cycle(true)),
        KeyCode::BackTab => focus(model, model.focus.cycle(false)),
        KeyCode::Up => scroll_focused(model, Move::By(-1)),
        KeyCode::Down => scroll_focused(model, Move::By(1)),
        KeyCode::PageUp => scroll_focused(model, Move::Page(-1)),
        KeyCode::PageDown => scroll_focused(model, Move::Page(1)),
        KeyCode::Home => scroll_focused(model, Move::Start),
        KeyCode::End => scroll_focused(model, Move::End),
        KeyCode::Left | KeyCode::Char('[') => select_tab(model, model.tab_sel.wrapping_sub(1)),
        KeyCode::Right | KeyCode::Char(']') => select_tab(model, model.tab_sel + 1),
        KeyCode::Char(c @ '1'..='9') => select_tab(model, c as usize - '1' as usize),
        KeyCode::Enter => {
            if model.focus == Pane::Checks
                && let Some(ep) = model.selected_check().and_then(|r| r.endpoint.clone())
                && let Some(i) = model.tabs.iter().position(|t| t.label == ep)
            {
                select_tab(model, i);
                focus(model, Pane::Transcript);
            }
        }
        KeyCode::Char('r') => {
            return match model.config.clone() {
                Some(cfg) => start_run(model, cfg),
                None => {
                    open_form(model);
                    Vec::new()
                }
            };
        }
        KeyCode::Char('n') => open_form(model),
        KeyCode::Char('j') => return save(model, "JSON"),
        KeyCode::Char('s') => return save(model, "text"),
        _ => {}
    }
    Vec::new()
}

fn open_diagnosis(model: &mut Model) {
    if model.report.is_none() {
        model.notice = Some(Notice {
            text: if model.is_running() {
                t!("tui-diagnosis-still-running")
            } else {
                t!("tui-diagnosis-not-yet")
            },
            error: false,
        });
        return;
    }
    model.cause_sel = model.cause_sel.min(model.causes().len().saturating_sub(1));
    model.diagnosis_scroll = 0;
    model.overlay = Overlay::Diagnosis;
}

/// Closes the Diagnosis overlay; the check selection moves to the first
/// check the selected cause explains.
fn close_diagnosis(model: &mut Model) {
    model.overlay = Overlay::None;
    let row = model
        .causes()
        .get(model.cause_sel)
        .and_then(|c| model.first_explained_row(c));
    if let Some(i) = row {
        if i != model.check_sel {
            model.details_scroll = 0;
        }
        model.check_sel = i;
        model.focus = Pane::Checks;
        if model.details_for != Pane::Checks {
            model.details_for = Pane::Checks;
            model.details_scroll = 0;
        }
        if let Some(a) = areas(model) {
            keep_check_visible(model, a.checks_rows());
        }
    }
}

fn diagnosis_key(model: &mut Model, k: KeyEvent) {
    let n = model.causes().len();
    let (rows, len) = view::diagnosis_extent(model);
    let max = len.saturating_sub(rows);
    let scroll = |m: &mut Model, to: isize| {
        m.diagnosis_scroll = to.clamp(0, max as isize) as usize;
    };
    let cur = model.diagnosis_scroll.min(max) as isize;
    match k.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('d') | KeyCode::Char('q') => {
            close_diagnosis(model)
        }
        KeyCode::Up => model.cause_sel = model.cause_sel.saturating_sub(1),
        KeyCode::Down => model.cause_sel = (model.cause_sel + 1).min(n.saturating_sub(1)),
        KeyCode::PageUp => scroll(model, cur - rows.max(1) as isize),
        KeyCode::PageDown => scroll(model, cur + rows.max(1) as isize),
        KeyCode::Home => scroll(model, 0),
        KeyCode::End => scroll(model, max as isize),
        _ => {}
    }
}

fn open_form(model: &mut Model) {
    let mut form = match &model.config {
        Some(cfg) => Form::from_config(cfg),
        None => Form::new(),
    };
    form.base = model.form.base.clone();
    // keep what the user typed last time, except the password
    for f in [super::form::Field::User, super::form::Field::Profile] {
        form.set(f, model.form.value(f));
    }
    model.form = form;
    model.overlay = Overlay::Form;
}

fn form_key(model: &mut Model, k: KeyEvent) -> Vec<Command> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let f = &mut model.form;
    match k.code {
        KeyCode::Esc => {
            model.overlay = Overlay::None;
            if model.config.is_none() {
                // nothing else on screen: leaving the form leaves popscope
                model.quit = true;
            }
        }
        KeyCode::Enter => match f.to_config() {
            Ok(cfg) => {
                // the password stays in the form only while it is open
                f.set(super::form::Field::Password, "");
                return start_run(model, cfg);
            }
            Err(e) => f.error = Some(e),
        },
        KeyCode::Tab | KeyCode::Down => f.move_focus(1),
        KeyCode::BackTab | KeyCode::Up => f.move_focus(-1),
        KeyCode::Left => f.move_cursor(-1),
        KeyCode::Right => f.move_cursor(1),
        KeyCode::Home => f.cursor_to(false),
        KeyCode::End => f.cursor_to(true),
        KeyCode::Backspace => f.backspace(),
        KeyCode::Delete => f.delete(),
        KeyCode::Char('u') if ctrl => f.clear_field(),
        KeyCode::Char(c) if !ctrl => f.insert(c),
        _ => {}
    }
    Vec::new()
}

fn save(model: &mut Model, format: &'static str) -> Vec<Command> {
    let Some(report) = &model.report else {
        model.notice = Some(Notice {
            text: if model.is_running() {
                t!("tui-nothing-to-save-yet")
            } else {
                t!("tui-nothing-to-save")
            },
            error: true,
        });
        return Vec::new();
    };
    let (bytes, ext) = if format == "JSON" {
        (crate::report::json::Json.render(report), "json")
    } else {
        (
            crate::report::text::Text {
                color: false,
                transcript: true,
                transcript_only: false,
                explain: crate::report::text::default_explain(report),
            }
            .render(report),
            "txt",
        )
    };
    vec![Command::Save {
        format,
        file_name: report_file_name(report, ext),
        bytes,
    }]
}

/// `popscope-<host>-<start time>.<ext>`, with only safe characters.
pub fn report_file_name(report: &Report, ext: &str) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let stamp: String = report
        .started_at
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    let host = safe(&report.target.host);
    let host = host.trim_matches('.');
    format!(
        "popscope-{}-{stamp}.{ext}",
        if host.is_empty() { "report" } else { host }
    )
}

// ---------------------------------------------------------------- movement

#[derive(Debug, Clone, Copy)]
enum Move {
    By(isize),
    Page(isize),
    Start,
    End,
}

fn focus(model: &mut Model, pane: Pane) {
    model.focus = pane;
    if pane != Pane::Details && model.details_for != pane {
        model.details_for = pane;
        model.details_scroll = 0;
    }
}

fn select_tab(model: &mut Model, i: usize) {
    if i < model.tabs.len() && i != model.tab_sel {
        model.tab_sel = i;
        if model.details_for == Pane::Transcript {
            model.details_scroll = 0;
        }
    }
}

fn target_index(cur: usize, len: usize, page: usize, m: Move) -> usize {
    let last = len.saturating_sub(1);
    match m {
        Move::By(d) => (cur as isize + d).clamp(0, last as isize) as usize,
        Move::Page(d) => (cur as isize + d * page.max(1) as isize).clamp(0, last as isize) as usize,
        Move::Start => 0,
        Move::End => last,
    }
}

fn scroll_focused(model: &mut Model, m: Move) {
    let Some(a) = areas(model) else { return };
    match model.focus {
        Pane::Checks => {
            if model.checks.is_empty() {
                return;
            }
            let rows = a.checks_rows();
            let new = target_index(model.check_sel, model.checks.len(), rows, m);
            if new != model.check_sel {
                model.check_sel = new;
                model.details_scroll = 0;
            }
            model.details_for = Pane::Checks;
            keep_check_visible(model, rows);
        }
        Pane::Transcript => {
            let rows = a.transcript_rows();
            let Some(tab) = model.tabs.get_mut(model.tab_sel) else {
                return;
            };
            if tab.lines.is_empty() {
                return;
            }
            let top = tab.top(rows);
            let new = target_index(tab.selected, tab.lines.len(), rows, m);
            tab.selected = new;
            tab.offset = top;
            if new < top {
                tab.offset = new;
            } else if rows > 0 && new >= top + rows {
                tab.offset = new + 1 - rows;
            }
            let bottom = tab.lines.len().saturating_sub(rows);
            tab.follow = new + 1 == tab.lines.len() && tab.offset >= bottom;
            model.details_for = Pane::Transcript;
            model.details_scroll = 0;
        }
        Pane::Details => {
            let rows = a.details_rows();
            let len = view::details_lines(model, a.details_width()).len();
            let max = len.saturating_sub(rows);
            model.details_scroll = match m {
                Move::By(d) => (model.details_scroll as isize + d).clamp(0, max as isize) as usize,
                Move::Page(d) => (model.details_scroll as isize + d * rows.max(1) as isize)
                    .clamp(0, max as isize) as usize,
                Move::Start => 0,
                Move::End => max,
            };
        }
    }
}

fn keep_check_visible(model: &mut Model, rows: usize) {
    if rows == 0 {
        return;
    }
    if model.check_sel < model.check_offset {
        model.check_offset = model.check_sel;
    } else if model.check_sel >= model.check_offset + rows {
        model.check_offset = model.check_sel + 1 - rows;
    }
    model.check_offset = model
        .check_offset
        .min(model.checks.len().saturating_sub(rows));
}

/// Scrolls a pane's view by `delta` lines without moving its selection
/// (mouse wheel).
fn scroll_view(model: &mut Model, pane: Pane, delta: isize) {
    let Some(a) = areas(model) else { return };
    match pane {
        Pane::Checks => {
            let max = model.checks.len().saturating_sub(a.checks_rows());
            model.check_offset =
                (model.check_offset as isize + delta).clamp(0, max as isize) as usize;
        }
        Pane::Transcript => {
            let rows = a.transcript_rows();
            let Some(tab) = model.tabs.get_mut(model.tab_sel) else {
                return;
            };
            let max = tab.lines.len().saturating_sub(rows);
            let new = (tab.top(rows) as isize + delta).clamp(0, max as isize) as usize;
            tab.offset = new;
            tab.follow = new >= max;
            if tab.follow {
                tab.selected = tab.lines.len().saturating_sub(1);
            }
        }
        Pane::Details => {
            let len = view::details_lines(model, a.details_width()).len();
            let max = len.saturating_sub(a.details_rows());
            model.details_scroll =
                (model.details_scroll as isize + delta).clamp(0, max as isize) as usize;
        }
    }
}

fn mouse(model: &mut Model, m: MouseEvent) {
    if model.overlay != Overlay::None {
        return;
    }
    let Some(a) = areas(model) else { return };
    let Some(pane) = a.pane_at(m.column, m.row) else {
        return;
    };
    match m.kind {
        MouseEventKind::ScrollUp => scroll_view(model, pane, -3),
        MouseEventKind::ScrollDown => scroll_view(model, pane, 3),
        MouseEventKind::Down(MouseButton::Left) => {
            focus(model, pane);
            match pane {
                Pane::Checks => {
                    let row = m.row.saturating_sub(a.checks.y + 1) as usize;
                    let i = model.check_offset + row;
                    if m.row > a.checks.y && i < model.checks.len() {
                        model.check_sel = i;
                        model.details_scroll = 0;
                    }
                }
                Pane::Transcript => {
                    let inner_x = a.transcript.x + 1;
                    if m.row == a.transcript.y + 1 {
                        let x = m.column.saturating_sub(inner_x);
                        let strip = view::tab_strip(model, a.transcript.width.saturating_sub(2));
                        if let Some((i, _, _)) = strip.iter().rev().find(|(_, tx, _)| *tx <= x) {
                            select_tab(model, *i);
                        }
                    } else if m.row > a.transcript.y + 1 {
                        let rows = a.transcript_rows();
                        if let Some(tab) = model.tabs.get_mut(model.tab_sel) {
                            let i = tab.top(rows) + (m.row - a.transcript.y - 2) as usize;
                            if i < tab.lines.len() {
                                tab.offset = tab.top(rows);
                                tab.selected = i;
                                tab.follow = false;
                                model.details_scroll = 0;
                            }
                        }
                    }
                }
                Pane::Details => {}
            }
        }
        _ => {}
    }
}

fn clamp_all(model: &mut Model) {
    model.check_sel = model.check_sel.min(model.checks.len().saturating_sub(1));
    model.tab_sel = model.tab_sel.min(model.tabs.len().saturating_sub(1));
    if let Some(a) = areas(model) {
        keep_check_visible(model, a.checks_rows());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::form::Field;

    fn press(m: &mut Model, code: KeyCode) -> Vec<Command> {
        update(m, Message::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    #[test]
    fn esc_in_the_first_form_quits_but_later_only_closes() {
        let mut m = Model::new(80, 24);
        init(&mut m, None);
        press(&mut m, KeyCode::Esc);
        assert!(m.quit);

        let mut m = Model::new(80, 24);
        init(&mut m, None);
        for c in "127.0.0.1".chars() {
            press(&mut m, KeyCode::Char(c));
        }
        let cmds = press(&mut m, KeyCode::Enter);
        assert!(matches!(cmds.as_slice(), [Command::Start { run: 1, .. }]));
        press(&mut m, KeyCode::Char('n'));
        assert_eq!(m.overlay, Overlay::Form);
        assert_eq!(m.form.value(Field::Target), "127.0.0.1", "prefilled");
        press(&mut m, KeyCode::Esc);
        assert_eq!(m.overlay, Overlay::None);
        assert!(!m.quit);
    }

    #[test]
    fn the_password_leaves_the_form_when_the_run_starts() {
        let mut m = Model::new(80, 24);
        init(&mut m, None);
        m.form.set(Field::Target, "127.0.0.1");
        m.form.set(Field::Password, "secret");
        // a password without a user: the form says what to fill in, never the secret
        let cmds = press(&mut m, KeyCode::Enter);
        assert!(cmds.is_empty());
        let e = m.form.error.as_deref().unwrap_or("");
        assert!(e.contains("User"), "{e}");
        assert!(!e.contains("secret"));
        // with a user, the run starts and the password leaves the form
        m.form.set(Field::User, "alice");
        let cmds = press(&mut m, KeyCode::Enter);
        assert!(
            matches!(cmds.as_slice(), [Command::Start { .. }]),
            "{cmds:?}"
        );
        assert_eq!(m.form.value(Field::Password), "");
    }

    #[test]
    fn r_without_a_config_opens_the_form() {
        let mut m = Model::new(80, 24);
        assert!(press(&mut m, KeyCode::Char('r')).is_empty());
        assert_eq!(m.overlay, Overlay::Form);
    }

    #[test]
    fn release_events_and_ticks_when_idle_change_nothing() {
        let mut m = Model::new(80, 24);
        let mut k = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        k.kind = KeyEventKind::Release;
        update(&mut m, Message::Key(k));
        assert!(!m.quit);
        update(&mut m, Message::Tick);
        assert_eq!(m.tick, 0, "no spinner while idle");
    }

    #[test]
    fn file_names_are_safe() {
        let mut r = crate::report::Report {
            schema: crate::report::SCHEMA,
            tool: crate::report::Tool {
                name: "popscope",
                version: "0",
            },
            target: crate::report::TargetInfo {
                input: "x".into(),
                host: "../../etc/passwd".into(),
                kind: "host".into(),
                user: None,
            },
            started_at: "2025-06-01T12:00:00Z".into(),
            duration_ms: 0,
            verdict: crate::model::Status::Pass,
            summary: String::new(),
            checks: vec![],
            dialogue: None,
            diagnosis: Default::default(),
            endpoints: vec![],
        };
        assert_eq!(
            report_file_name(&r, "json"),
            "popscope-_.._etc_passwd-20250601120000.json"
        );
        r.target.host = "::1".into();
        assert_eq!(
            report_file_name(&r, "txt"),
            "popscope-__1-20250601120000.txt"
        );
    }
}
