//! The UI loop: input, source messages and a frame deadline in one
//! `select!`. It owns the state, runs `update`, hands effects to the source
//! tasks, and draws only when something changed, at most ~60 times a
//! second. It never awaits network I/O.
//!
//! The loop is generic over the ratatui backend and the input stream, so
//! the whole app runs headless in tests (a `TestBackend` and a channel of
//! keys) exactly as it runs in a terminal.

use std::io;
use std::time::Duration;

use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::core::effect::{DockerCommand, Effect, GitHubCommand};
use crate::core::key::KeyEvent;
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::core::toast::ToastLevel;
use crate::core::update::update;
use crate::terminal;

pub mod headless;
use crate::ui::{self, Look, Theme};

/// What the user does, already mapped from the terminal library's events
/// (see `terminal::input_events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Resize { width: u16, height: u16 },
}

/// Shortest time between two frames (~60 fps): many messages, one draw.
const FRAME: Duration = Duration::from_millis(16);
/// Messages applied before the next draw, so a flood still gets drawn.
const MAX_BATCH: usize = 1024;

/// Where effects go: one command channel per running source.
#[derive(Default, Clone)]
pub struct SourceHandles {
    pub docker: Option<mpsc::UnboundedSender<DockerCommand>>,
    pub github: Option<mpsc::UnboundedSender<GitHubCommand>>,
    pub kube: Option<mpsc::UnboundedSender<crate::core::kube_msg::KubeCommand>>,
}

/// Runs until the user quits, the input ends, or drawing fails.
pub async fn run<B, I>(
    tui: &mut Terminal<B>,
    mut state: State,
    mut look: Look,
    mut input: I,
    mut rx: mpsc::Receiver<Msg>,
    tx: mpsc::Sender<Msg>,
    sources: SourceHandles,
) -> io::Result<()>
where
    B: Backend,
    B::Error: Into<io::Error>,
    I: Stream<Item = io::Result<Input>> + Unpin,
{
    let size = tui.size().map_err(Into::into)?;
    // Theme files are read off the loop; the loaded theme comes back here.
    let (themes_tx, mut themes) = mpsc::unbounded_channel::<Theme>();
    update(
        &mut state,
        Msg::Tick {
            now: chrono::Utc::now(),
        },
    );
    let effects = update(
        &mut state,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    dispatch(effects, &sources, &tx, &themes_tx, &state);
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut housekeeping = tokio::time::interval(Duration::from_secs(1));
    housekeeping.set_missed_tick_behavior(MissedTickBehavior::Skip);

    while !state.quit {
        let now = Instant::now();
        if dirty && now >= last_draw + FRAME {
            tui.draw(|f| ui::draw(f, &mut state, &look))
                .map_err(Into::into)?;
            dirty = false;
            last_draw = now;
            // Debug builds only: lets the end-to-end test check that a panic
            // restores the terminal before anything is printed.
            #[cfg(debug_assertions)]
            if std::env::var_os("OPSDECK_DEBUG_PANIC").is_some_and(|v| !v.is_empty()) {
                panic!("panic requested by OPSDECK_DEBUG_PANIC");
            }
        }
        let next_frame = last_draw + FRAME;
        tokio::select! {
            // Keys first: a log flood must never delay the user.
            biased;
            ev = input.next() => match ev {
                Some(Ok(Input::Key(key))) => {
                    let effects = update(&mut state, Msg::Key(key));
                    dispatch(effects, &sources, &tx, &themes_tx, &state);
                    dirty = true;
                }
                Some(Ok(Input::Resize { width, height })) => {
                    let effects = update(&mut state, Msg::Resize { width, height });
                    dispatch(effects, &sources, &tx, &themes_tx, &state);
                    tui.autoresize().map_err(Into::into)?;
                    dirty = true;
                }
                Some(Err(e)) => return Err(e),
                None => break,
            },
            _ = tokio::time::sleep_until(next_frame), if dirty => {}
            msg = rx.recv() => {
                let Some(msg) = msg else { break };
                let mut urgent = msg.redraws_at_once();
                let mut effects = update(&mut state, msg);
                for _ in 0..MAX_BATCH {
                    match rx.try_recv() {
                        Ok(msg) => {
                            urgent |= msg.redraws_at_once();
                            effects.extend(update(&mut state, msg));
                        }
                        Err(_) => break,
                    }
                }
                effects.extend(update(&mut state, Msg::BatchDone));
                dispatch(effects, &sources, &tx, &themes_tx, &state);
                dirty |= urgent;
            }
            Some(theme) = themes.recv() => {
                look.theme = theme;
                dirty = true;
            }
            _ = housekeeping.tick() => {
                update(&mut state, Msg::Tick { now: chrono::Utc::now() });
                // Ages, uptimes and CPU/memory figures are drawn at this pace;
                // the quiet backend writes nothing if no cell changed.
                dirty = true;
            }
        }
    }
    Ok(())
}

fn dispatch(
    effects: Vec<Effect>,
    sources: &SourceHandles,
    tx: &mpsc::Sender<Msg>,
    themes: &mpsc::UnboundedSender<Theme>,
    state: &State,
) {
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
            Effect::Copy(text) => terminal::copy_to_clipboard(&text),
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
        }
    }
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
