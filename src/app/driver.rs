//! The part of the app loop that is not the terminal: the state, `update`,
//! and carrying out effects. The loop (`app::run`) and the tests that drive
//! sources through `update` use this same code, so no test rebuilds the
//! loop by hand.

use tokio::sync::mpsc;

use super::SourceHandles;
use crate::core::act::Ticket;
use crate::core::effect::{Effect, ShellTarget};
use crate::core::key::KeyEvent;
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::core::toast::ToastLevel;
use crate::core::update::update;
use crate::terminal;
use crate::ui::Theme;

/// Messages applied before the next draw, so a flood still gets drawn.
const MAX_BATCH: usize = 1024;

pub struct Driver {
    pub state: State,
    sources: SourceHandles,
    tx: mpsc::Sender<Msg>,
    themes: mpsc::UnboundedSender<Theme>,
    /// Shells asked for, waiting for the loop to lend them the terminal.
    shells: Vec<(Ticket, ShellTarget)>,
}

impl Driver {
    /// `tx` is the sender the sources answer on (file writes and the
    /// journal answer on it too); loaded themes arrive on the receiver.
    pub fn new(
        state: State,
        sources: SourceHandles,
        tx: mpsc::Sender<Msg>,
    ) -> (Driver, mpsc::UnboundedReceiver<Theme>) {
        let (themes, loaded) = mpsc::unbounded_channel();
        let driver = Driver {
            state,
            sources,
            tx,
            themes,
            shells: Vec::new(),
        };
        (driver, loaded)
    }

    /// Runs `update` and carries out what it asks for.
    pub fn apply(&mut self, msg: Msg) {
        let effects = update(&mut self.state, msg);
        let to = Targets {
            sources: &self.sources,
            tx: &self.tx,
            themes: &self.themes,
            shells: &mut self.shells,
        };
        dispatch(effects, to, &self.state);
    }

    pub fn sources(&self) -> &SourceHandles {
        &self.sources
    }

    /// The next shell to open (one at a time: the terminal has one user).
    pub fn take_shell(&mut self) -> Option<(Ticket, ShellTarget)> {
        (!self.shells.is_empty()).then(|| self.shells.remove(0))
    }

    pub fn key(&mut self, key: KeyEvent) {
        self.apply(Msg::Key(key));
    }

    /// Applies `first` and the source messages already waiting (up to a
    /// batch), then `BatchDone`, then the effects of all of them; `observe`
    /// sees each message first (tests record results with it). True when
    /// something in the batch wants a frame at once.
    pub fn apply_batch(
        &mut self,
        first: Msg,
        rx: &mut mpsc::Receiver<Msg>,
        mut observe: impl FnMut(&Msg),
    ) -> bool {
        observe(&first);
        let mut urgent = first.redraws_at_once();
        let mut effects = update(&mut self.state, first);
        for _ in 0..MAX_BATCH {
            match rx.try_recv() {
                Ok(msg) => {
                    observe(&msg);
                    urgent |= msg.redraws_at_once();
                    effects.extend(update(&mut self.state, msg));
                }
                Err(_) => break,
            }
        }
        effects.extend(update(&mut self.state, Msg::BatchDone));
        let to = Targets {
            sources: &self.sources,
            tx: &self.tx,
            themes: &self.themes,
            shells: &mut self.shells,
        };
        dispatch(effects, to, &self.state);
        urgent
    }

    /// For tests that drive sources without a screen: applies batches from
    /// `rx` until `done` holds, or says what it was waiting for.
    pub async fn run_until(
        &mut self,
        rx: &mut mpsc::Receiver<Msg>,
        within: std::time::Duration,
        what: &str,
        mut observe: impl FnMut(&Msg),
        done: impl Fn(&State) -> bool,
    ) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + within;
        while !done(&self.state) {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(msg)) => {
                    self.apply_batch(msg, rx, &mut observe);
                }
                Ok(None) => return Err(format!("the sources stopped before {what}")),
                Err(_) => return Err(format!("timed out waiting for {what}")),
            }
        }
        Ok(())
    }
}

/// Where effects go.
struct Targets<'a> {
    sources: &'a SourceHandles,
    tx: &'a mpsc::Sender<Msg>,
    themes: &'a mpsc::UnboundedSender<Theme>,
    shells: &'a mut Vec<(Ticket, ShellTarget)>,
}

/// Hands effects to the sources and to small tasks of their own (file
/// writes, the journal, themes), never awaiting any of them; shells wait
/// for the loop, which owns the terminal.
fn dispatch(effects: Vec<Effect>, to: Targets<'_>, state: &State) {
    let Targets {
        sources,
        tx,
        themes,
        shells,
    } = to;
    for effect in effects {
        match effect {
            Effect::Docker(cmd) => {
                if let Some(docker) = &sources.docker {
                    let _ = docker.send(cmd);
                }
            }
            Effect::GitHub(cmd) => {
                if let Some(github) = &sources.github {
                    let _ = github.send(cmd);
                }
            }
            Effect::Kube(cmd) => {
                if let Some(kube) = &sources.kube {
                    let _ = kube.send(cmd);
                }
            }
            Effect::WriteFile { path, contents } => {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let lines = contents.lines().count();
                    let result = tokio::fs::write(&path, contents)
                        .await
                        .map(|_| lines)
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Msg::FileWritten { path, result }).await;
                });
            }
            Effect::Bell => terminal::bell(),
            Effect::SaveTimeline(entries) => {
                if let Some((path, max_bytes)) = state.settings.timeline_store.clone() {
                    let store = crate::timeline_store::TimelineStore { path, max_bytes };
                    tokio::task::spawn_blocking(move || {
                        if let Err(e) = store.append(&entries) {
                            tracing::warn!(error = %e, "timeline store write failed");
                        }
                    });
                }
            }
            Effect::Copy(text) => copy(text, tx.clone()),
            Effect::AppendJournal(entry) => {
                if let Some(path) = state.settings.journal_path.clone() {
                    tokio::spawn(async move {
                        if let Err(e) = append_line(&path, &entry.line()).await {
                            tracing::warn!(path = %path.display(), error = %e, "journal write failed");
                        }
                    });
                }
            }
            Effect::ReadJournal => {
                let path = state.settings.journal_path.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let result = match path {
                        None => Err("no journal: the platform has no data directory".to_string()),
                        Some(p) => match tokio::fs::read(&p).await {
                            Ok(bytes) => Ok(bytes),
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                                Ok(format!("(no actions recorded yet in {})\n", p.display())
                                    .into_bytes())
                            }
                            Err(e) => Err(format!("cannot read {}: {e}", p.display())),
                        },
                    };
                    let _ = tx.send(Msg::JournalLoaded(result)).await;
                });
            }
            Effect::SetTheme(name) => load_theme(name, tx.clone(), themes.clone()),
            Effect::Shell { ticket, target } => shells.push((ticket, target)),
        }
    }
}

/// Copies off the loop (inside tmux it runs `tmux`), then says how much
/// went where: a copy the user cannot see must not pass in silence.
fn copy(text: String, tx: mpsc::Sender<Msg>) {
    tokio::task::spawn_blocking(move || {
        let copied = terminal::copy_to_clipboard(&text);
        let level = match copied {
            terminal::Copied::TerminalAfterTmuxFailed(_) => ToastLevel::Error,
            _ => ToastLevel::Success,
        };
        let text = copied.describe(text.chars().count());
        let _ = tx.blocking_send(Msg::Notify { level, text });
    });
}

/// Loads a theme off the loop (a user theme is a file); `NO_COLOR` still
/// wins, as at start-up. The theme goes to the loop, the word to a toast.
fn load_theme(name: String, tx: mpsc::Sender<Msg>, themes: mpsc::UnboundedSender<Theme>) {
    tokio::task::spawn_blocking(move || {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let user_dir = crate::config::config_dir().map(|d| d.join("themes"));
        let (level, text) = if no_color {
            (
                ToastLevel::Info,
                "NO_COLOR is set: colours stay off".to_string(),
            )
        } else {
            match Theme::load(&name, user_dir.as_deref()) {
                Ok(theme) => {
                    let _ = themes.send(theme);
                    (ToastLevel::Success, format!("theme {name}"))
                }
                Err(e) => (ToastLevel::Error, e),
            }
        };
        let _ = tx.blocking_send(Msg::Notify { level, text });
    });
}

async fn append_line(path: &std::path::Path, line: &str) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    if let Some(dir) = path.parent() {
        tokio::fs::create_dir_all(dir).await?;
    }
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .await?;
    file.write_all(line.as_bytes()).await
}
