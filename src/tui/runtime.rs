//! The runtime: the only part of the TUI that touches the terminal, tasks and
//! files. [`drive`] runs the Elm loop over any ratatui backend and any input
//! channel (tests use `TestBackend` and scripted messages); [`run`] wires it
//! to the real terminal.
//!
//! The loop waits (`tokio::select!`) on input, worker messages and, only
//! while a diagnosis runs, a slow tick; it then drains every queued message
//! and draws once. Idle, it sleeps until something happens.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

use crate::config::RunConfig;
use crate::i18n::t;
use crate::model::Event;

use super::Runner;
use super::model::Model;
use super::update::{Command, Message, init, update};
use super::view::view;

/// Settings of the loop that are not part of the model.
#[derive(Debug, Clone)]
pub struct DriveOptions {
    /// Directory where `j`/`s` write reports.
    pub save_dir: PathBuf,
    /// Spinner tick while a diagnosis runs (at least 100 ms).
    pub tick: Duration,
    /// The options the new-diagnosis form starts from.
    pub base: crate::config::RunConfigBuilder,
}

impl Default for DriveOptions {
    fn default() -> Self {
        DriveOptions {
            save_dir: PathBuf::from("."),
            tick: Duration::from_millis(120),
            base: Default::default(),
        }
    }
}

/// Translates a terminal event into a message (`None` for events the TUI
/// does not use).
pub fn message_from_terminal(ev: event::Event) -> Option<Message> {
    match ev {
        event::Event::Key(k) => Some(Message::Key(k)),
        // only the wheel and clicks: pointer motion would cost a redraw each
        event::Event::Mouse(m)
            if matches!(
                m.kind,
                event::MouseEventKind::ScrollUp
                    | event::MouseEventKind::ScrollDown
                    | event::MouseEventKind::Down(_)
            ) =>
        {
            Some(Message::Mouse(m))
        }
        event::Event::Resize(w, h) => Some(Message::Resize(w, h)),
        _ => None,
    }
}

/// Aborts a task when dropped (a replaced or abandoned diagnosis).
struct AbortOnDrop<T>(JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn panic_text(e: tokio::task::JoinError) -> String {
    if e.is_cancelled() {
        return t!("tui-run-cancelled");
    }
    let payload = e.into_panic();
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| t!("tui-unknown-panic"));
    t!("tui-run-crashed", what = what)
}

/// Starts diagnosis `run` on the runner; its events and final result arrive
/// on `tx` tagged with `run`. Dropping the handle cancels the diagnosis.
fn spawn_run(
    runner: &Arc<dyn Runner>,
    run: u64,
    cfg: RunConfig,
    tx: UnboundedSender<Message>,
) -> AbortOnDrop<()> {
    let (ev_tx, mut ev_rx) = unbounded_channel::<Event>();
    let fut = runner.start(cfg, ev_tx);
    AbortOnDrop(tokio::spawn(async move {
        let mut work = AbortOnDrop(tokio::spawn(fut));
        let joined = loop {
            tokio::select! {
                biased;
                Some(event) = ev_rx.recv() => {
                    let _ = tx.send(Message::Engine { run, event });
                }
                r = &mut work.0 => break r,
            }
        };
        while let Ok(event) = ev_rx.try_recv() {
            let _ = tx.send(Message::Engine { run, event });
        }
        let result = match joined {
            Ok(Ok(report)) => Ok(report),
            Ok(Err(e)) => Err(format!("{e:#}")),
            Err(e) => Err(panic_text(e)),
        };
        let _ = tx.send(Message::Finished { run, result });
    }))
}

/// Writes `bytes` to `dir/name`, or `dir/name-1.ext`, `-2`... without
/// overwriting; returns the absolute path.
pub fn save_new_file(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    use std::io::Write;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) => (s.to_string(), format!(".{e}")),
        None => (name.to_string(), String::new()),
    };
    for n in 0..1000 {
        let candidate = if n == 0 {
            dir.join(name)
        } else {
            dir.join(format!("{stem}-{n}{ext}"))
        };
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut f) => {
                f.write_all(bytes)?;
                f.flush()?;
                return std::path::absolute(&candidate);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        t!("tui-too-many-reports"),
    ))
}

/// Runs the TUI loop on `terminal` until the user quits; returns the exit
/// code of the last completed diagnosis (0 when none completed).
///
/// `input` carries terminal input as messages; when it closes, the loop
/// ends. Nothing here reads the terminal itself, so tests drive it with a
/// `TestBackend` and scripted keys.
pub async fn drive<B>(
    terminal: &mut Terminal<B>,
    runner: Arc<dyn Runner>,
    start: Option<RunConfig>,
    mut input: UnboundedReceiver<Message>,
    opts: &DriveOptions,
) -> anyhow::Result<u8>
where
    B: Backend,
    B::Error: Send + Sync + 'static,
{
    let size = terminal.size()?;
    let mut model = Model::new(size.width, size.height);
    model.form.base = opts.base.clone();
    let (tx, mut worker) = unbounded_channel::<Message>();
    let mut current: Option<AbortOnDrop<()>> = None;
    let mut tick = tokio::time::interval(opts.tick.max(Duration::from_millis(100)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut cmds = init(&mut model, start);
    loop {
        for cmd in cmds.drain(..) {
            match cmd {
                Command::Start { run, config } => {
                    drop(current.take()); // cancels the previous diagnosis
                    current = Some(spawn_run(&runner, run, *config, tx.clone()));
                    tick.reset();
                }
                Command::Save {
                    format,
                    file_name,
                    bytes,
                } => {
                    let tx = tx.clone();
                    let dir = opts.save_dir.clone();
                    tokio::task::spawn_blocking(move || {
                        let result =
                            save_new_file(&dir, &file_name, &bytes).map_err(|e| e.to_string());
                        let _ = tx.send(Message::Saved { format, result });
                    });
                }
            }
        }
        if model.quit {
            break;
        }
        let s = terminal.size()?;
        if (s.width, s.height) != model.size {
            update(&mut model, Message::Resize(s.width, s.height));
        }
        terminal.draw(|f| view(&model, f))?;

        let running = model.is_running();
        let msg = tokio::select! {
            m = input.recv() => m.unwrap_or(Message::Quit),
            Some(m) = worker.recv() => m,
            _ = tick.tick(), if running => Message::Tick,
        };
        cmds = update(&mut model, msg);
        // drain everything already queued, then draw once
        loop {
            let next = match input.try_recv() {
                Ok(m) => Some(m),
                Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => Some(Message::Quit),
                Err(_) => worker.try_recv().ok(),
            };
            match next {
                Some(m) => cmds.extend(update(&mut model, m)),
                None => break,
            }
            if model.quit {
                break;
            }
        }
    }
    drop(current);
    Ok(model.exit_code())
}

type Hook = Arc<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync>;

/// The real terminal: raw mode, alternate screen and mouse capture, restored
/// on drop and (from the UI thread) on panic.
struct Session {
    terminal: ratatui::DefaultTerminal,
    previous_hook: Hook,
}

impl Session {
    fn enter() -> anyhow::Result<Session> {
        let ui_thread = std::thread::current().id();
        let previous_hook: Hook = Arc::from(std::panic::take_hook());
        // ratatui installs a hook that restores the terminal on any panic; we
        // replace it with one that does so only for the UI thread: panics in
        // diagnosis tasks are caught by tokio and shown on screen instead of
        // tearing the screen down under a running TUI.
        let terminal = ratatui::try_init().context(t!("tui-needs-terminal"))?;
        drop(std::panic::take_hook());
        let previous = previous_hook.clone();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == ui_thread {
                let _ = execute!(io::stdout(), DisableMouseCapture);
                ratatui::restore();
                previous(info);
            }
        }));
        let _ = execute!(io::stdout(), EnableMouseCapture);
        Ok(Session {
            terminal,
            previous_hook,
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = execute!(io::stdout(), DisableMouseCapture);
        let _ = self.terminal.show_cursor();
        ratatui::restore();
        if !std::thread::panicking() {
            let previous = self.previous_hook.clone();
            std::panic::set_hook(Box::new(move |info| previous(info)));
        }
    }
}

/// Reads terminal events on a thread (crossterm's reader blocks), polling a
/// stop flag every 200 ms; ends when the receiver is gone or input fails.
fn spawn_input(tx: UnboundedSender<Message>, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => match event::read() {
                    Ok(ev) => {
                        if let Some(m) = message_from_terminal(ev)
                            && tx.send(m).is_err()
                        {
                            break;
                        }
                    }
                    Err(_) => break,
                },
                Ok(false) => {}
                Err(_) => break,
            }
        }
    })
}

/// Turns SIGINT/SIGTERM/SIGHUP into a quit, so the terminal is restored.
fn spawn_signals(tx: UnboundedSender<Message>) -> JoinHandle<()> {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            async fn recv(s: Option<&mut tokio::signal::unix::Signal>) {
                match s {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            let mut term = signal(SignalKind::terminate()).ok();
            let mut hup = signal(SignalKind::hangup()).ok();
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = recv(term.as_mut()) => {}
                _ = recv(hup.as_mut()) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        let _ = tx.send(Message::Quit);
    })
}

/// Runs the TUI on the real terminal.
///
/// With `start`, the diagnosis starts at once; with `None` the form opens and
/// asks for a target. Diagnoses run through `runner`; the TUI itself never
/// touches the network. Returns the exit code of the last completed
/// diagnosis (0 pass, 1 warn, 2 fail; 0 when none completed). The terminal
/// is restored on quit, Ctrl-C, SIGTERM/SIGHUP, error and panic.
/// The form starts from `base` (the command line's options).
pub async fn run(
    runner: Arc<dyn Runner>,
    start: Option<RunConfig>,
    base: crate::config::RunConfigBuilder,
) -> anyhow::Result<ExitCode> {
    let mut session = Session::enter()?;
    let (in_tx, in_rx) = unbounded_channel();
    let stop = Arc::new(AtomicBool::new(false));
    let reader = spawn_input(in_tx.clone(), stop.clone());
    let signals = spawn_signals(in_tx);
    let result = drive(
        &mut session.terminal,
        runner,
        start,
        in_rx,
        &DriveOptions {
            base,
            ..DriveOptions::default()
        },
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    signals.abort();
    // The reader notices the flag within its poll interval. When the terminal
    // hung up, crossterm's read can block for good: then leave the thread
    // behind rather than hang on exit.
    let waited = std::time::Instant::now();
    while !reader.is_finished() && waited.elapsed() < Duration::from_millis(500) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if reader.is_finished() {
        let _ = reader.join();
    }
    drop(session);
    result.map(ExitCode::from)
}
