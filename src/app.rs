//! The UI loop: terminal events, source messages and a frame deadline in
//! one `select!`. It owns the state, runs `update`, hands effects to the
//! source tasks, and draws only when something changed, at most ~60 times a
//! second. It never awaits network I/O.

use std::io;
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::core::effect::{DockerCommand, Effect, GitHubCommand};
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::core::toast::ToastLevel;
use crate::core::update::update;
use crate::terminal::{self, Tui};
use crate::ui::{self, Look, Theme};

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

pub async fn run(
    tui: &mut Tui,
    mut state: State,
    mut look: Look,
    mut rx: mpsc::Receiver<Msg>,
    tx: mpsc::Sender<Msg>,
    sources: SourceHandles,
) -> io::Result<()> {
    let mut events = EventStream::new();
    let size = tui.size()?;
    let effects = update(
        &mut state,
        Msg::Resize {
            width: size.width,
            height: size.height,
        },
    );
    dispatch(effects, &sources, &tx, &mut look, &state);
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut housekeeping = tokio::time::interval(Duration::from_secs(1));
    housekeeping.set_missed_tick_behavior(MissedTickBehavior::Skip);

    while !state.quit {
        let now = Instant::now();
        if dirty && now >= last_draw + FRAME {
            let mut measured = None;
            tui.draw(|f| measured = ui::draw_measured(f, &mut state, &look))?;
            dirty = false;
            last_draw = now;
            // The list got another size than `update` knows: tell it, and
            // draw again with the selection kept in view at that size.
            if let Some((list, rows)) = measured
                && state.list_rows(list) != rows
            {
                let effects = update(&mut state, Msg::ListRows { list, rows });
                dispatch(effects, &sources, &tx, &mut look, &state);
                dirty = true;
            }
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
            ev = events.next() => match ev {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => {
                    let effects = update(&mut state, Msg::Key(key));
                    dispatch(effects, &sources, &tx, &mut look, &state);
                    dirty = true;
                }
                Some(Ok(Event::Resize(width, height))) => {
                    let effects = update(&mut state, Msg::Resize { width, height });
                    dispatch(effects, &sources, &tx, &mut look, &state);
                    tui.autoresize()?;
                    dirty = true;
                }
                Some(Ok(_)) => {}
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
                dispatch(effects, &sources, &tx, &mut look, &state);
                dirty |= urgent;
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
    look: &mut Look,
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
            Effect::SetTheme(name) => set_theme(look, &name, tx),
        }
    }
}

/// Swaps the theme in place; `NO_COLOR` still wins, as at start-up.
fn set_theme(look: &mut Look, name: &str, tx: &mpsc::Sender<Msg>) {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let user_dir = crate::config::config_dir().map(|d| d.join("themes"));
    let (level, text) = if no_color {
        (
            ToastLevel::Info,
            "NO_COLOR is set: colours stay off".to_string(),
        )
    } else {
        match Theme::load(name, user_dir.as_deref()) {
            Ok(theme) => {
                look.theme = theme;
                (ToastLevel::Success, format!("theme {name}"))
            }
            Err(e) => (ToastLevel::Error, e),
        }
    };
    let _ = tx.try_send(Msg::Notify { level, text });
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
