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

use std::sync::Arc;

use futures::future::BoxFuture;
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::core::effect::{DockerCommand, GitHubCommand, ShellTarget};
use crate::core::key::{KeyEvent, MouseEvent};
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::terminal::handoff::{Session, Size};

mod driver;
pub mod headless;

use crate::ui::{self, Look};
pub use driver::Driver;

/// What the user does, already mapped from the terminal library's events
/// (see `terminal::input_events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// The screen was drawn over (the process was suspended and resumed):
    /// draw all of it again, at the terminal's size now.
    Redraw,
    /// A signal ends the session (SIGHUP, SIGTERM): leave as `q` does, so
    /// the terminal is restored and temporary files removed.
    Leave {
        code: u8,
    },
}

/// Shortest time between two frames (~60 fps): many messages, one draw.
const FRAME: Duration = Duration::from_millis(16);

/// Where effects go: one command channel per running source, and what
/// opens shells with the sources' clients.
#[derive(Default, Clone)]
pub struct SourceHandles {
    pub docker: Option<mpsc::UnboundedSender<DockerCommand>>,
    pub github: Option<mpsc::UnboundedSender<GitHubCommand>>,
    pub kube: Option<mpsc::UnboundedSender<crate::core::kube_msg::KubeCommand>>,
    pub shells: Option<Arc<dyn OpenShell>>,
}

/// Opens an interactive session in a container or pod with the size given.
pub trait OpenShell: Send + Sync {
    fn open(&self, target: &ShellTarget, size: Size)
    -> BoxFuture<'static, Result<Session, String>>;
}

/// The user's side of the loop: input events, and a terminal a shell can
/// borrow (a test screen has none to lend).
pub trait Console: Stream<Item = io::Result<Input>> + Unpin {
    /// Stops reading input so every key goes to the shell; false when
    /// there is no terminal to lend.
    fn lend(&mut self) -> bool {
        false
    }

    /// Reads input again after `lend`.
    fn take_back(&mut self) {}
}

impl Console for crate::terminal::TerminalInput {
    fn lend(&mut self) -> bool {
        self.pause();
        true
    }

    fn take_back(&mut self) {
        self.resume();
    }
}

/// Runs until the user quits, the input ends, or drawing fails.
pub async fn run<B, I>(
    tui: &mut Terminal<B>,
    state: State,
    mut look: Look,
    mut input: I,
    mut rx: mpsc::Receiver<Msg>,
    tx: mpsc::Sender<Msg>,
    sources: SourceHandles,
) -> io::Result<()>
where
    B: Backend,
    B::Error: Into<io::Error>,
    I: Console,
{
    let size = tui.size().map_err(Into::into)?;
    // Theme files are read off the loop; the loaded theme comes back here.
    let (mut app, mut themes) = Driver::new(state, sources, tx);
    app.apply(Msg::Tick {
        now: chrono::Utc::now(),
    });
    app.apply(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut housekeeping = tokio::time::interval(Duration::from_secs(1));
    housekeeping.set_missed_tick_behavior(MissedTickBehavior::Skip);

    while !app.state.quit {
        let now = Instant::now();
        if dirty && now >= last_draw + FRAME {
            let mut measured = None;
            tui.draw(|f| measured = ui::draw_measured(f, &mut app.state, &look))
                .map_err(Into::into)?;
            dirty = false;
            last_draw = now;
            // The list got another size than `update` knows: tell it, and
            // draw again with the selection kept in view at that size.
            if let Some((list, rows)) = measured
                && app.state.list_rows(list) != rows
            {
                app.apply(Msg::ListRows { list, rows });
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
            ev = input.next() => match ev {
                Some(Ok(Input::Key(key))) => {
                    app.key(key);
                    dirty = true;
                    while let Some((ticket, target)) = app.take_shell() {
                        let result = lend_terminal(&mut input, &target, &mut app, &mut rx).await;
                        // The shell drew over everything: every cell again, at today's size.
                        tui.autoresize().map_err(Into::into)?;
                        tui.clear().map_err(Into::into)?;
                        let size = tui.size().map_err(Into::into)?;
                        app.apply(Msg::Resize { width: size.width, height: size.height });
                        // The clock stood still while the shell had the
                        // terminal: the result's toast must not be born old.
                        app.apply(Msg::Tick { now: chrono::Utc::now() });
                        app.apply(Msg::ActionDone { ticket, result });
                    }
                }
                Some(Ok(Input::Mouse(m))) => {
                    app.apply(Msg::Mouse(m));
                    dirty = true;
                }
                Some(Ok(Input::Resize { width, height })) => {
                    app.apply(Msg::Resize { width, height });
                    tui.autoresize().map_err(Into::into)?;
                    dirty = true;
                }
                Some(Ok(Input::Redraw)) => {
                    tui.autoresize().map_err(Into::into)?;
                    tui.clear().map_err(Into::into)?;
                    let size = tui.size().map_err(Into::into)?;
                    app.apply(Msg::Resize { width: size.width, height: size.height });
                    dirty = true;
                }
                Some(Ok(Input::Leave { code })) => {
                    tracing::info!(code, "leaving on a signal");
                    break;
                }
                Some(Err(e)) => return Err(e),
                None => break,
            },
            _ = tokio::time::sleep_until(next_frame), if dirty => {}
            msg = rx.recv() => {
                let Some(msg) = msg else { break };
                dirty |= app.apply_batch(msg, &mut rx, |_| ());
            }
            Some(theme) = themes.recv() => {
                look.theme = theme;
                dirty = true;
            }
            _ = housekeeping.tick() => {
                app.apply(Msg::Tick { now: chrono::Utc::now() });
                // Ages, uptimes and CPU/memory figures are drawn at this pace;
                // the quiet backend writes nothing if no cell changed.
                dirty = true;
            }
        }
    }
    Ok(())
}

/// Runs a shell with the terminal, applying source messages meanwhile (no
/// drawing: the shell has the screen), and says how it went.
async fn lend_terminal<I: Console>(
    input: &mut I,
    target: &ShellTarget,
    app: &mut Driver,
    rx: &mut mpsc::Receiver<Msg>,
) -> Result<(), String> {
    let Some(opener) = app.sources().shells.clone() else {
        return Err("no source can open shells in this session".into());
    };
    if !input.lend() {
        return Err("there is no terminal to lend to a shell here".into());
    }
    let what = target.describe();
    let session = crate::terminal::handoff::hand_over(&what, |size| opener.open(target, size));
    tokio::pin!(session);
    let result = loop {
        tokio::select! {
            result = &mut session => break result,
            Some(msg) = rx.recv() => {
                app.apply_batch(msg, rx, |_| {});
            }
        }
    };
    input.take_back();
    result
}
