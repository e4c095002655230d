//! Terminal setup and teardown. The panic hook restores the terminal
//! before anything is printed, so a crash never leaves a raw, hidden-cursor
//! alternate screen behind.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

mod clipboard;
mod events;
pub mod handoff;
mod keys;
mod quiet;
pub mod signals;
mod woken;

pub use clipboard::{Copied, copy_to_clipboard, osc52};
pub use events::{TerminalInput, input_events};
pub use keys::{expand_alt, from_crossterm, mouse_from_crossterm};

pub use quiet::QuietBackend;

pub type Tui = Terminal<QuietBackend<CrosstermBackend<Stdout>>>;

/// `[ui] mouse`: whether `resume` turns mouse capture back on.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Raw mode, the alternate screen, no cursor; mouse capture only when
/// asked, since it takes text selection away from the terminal.
pub fn enter(mouse: bool) -> io::Result<Tui> {
    MOUSE.store(mouse, Ordering::SeqCst);
    resume()?;
    let out = io::stdout();
    let mut terminal = Terminal::new(QuietBackend::new(CrosstermBackend::new(out)))?;
    // The cursor was hidden above; tell ratatui so it does not hide it again each frame.
    terminal.hide_cursor()?;
    Ok(terminal)
}

/// Sets the terminal up again after `restore` (Ctrl-z, then `fg`).
pub fn resume() -> io::Result<()> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    let result = if MOUSE.load(Ordering::SeqCst) {
        execute!(out, EnterAlternateScreen, Hide, EnableMouseCapture)
    } else {
        execute!(out, EnterAlternateScreen, Hide)
    };
    if let Err(e) = result {
        restore();
        return Err(e);
    }
    Ok(())
}

/// Idempotent: safe from the panic hook and from normal exit.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    if MOUSE.load(Ordering::SeqCst) {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(out, LeaveAlternateScreen, Show);
    let _ = out.flush();
}

/// Restores the terminal, then lets the default hook print the message,
/// then says where the log is.
pub fn install_panic_hook(log_path: Option<PathBuf>) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!(panic = %info, "opsdeck panicked");
        previous(info);
        if let Some(path) = &log_path {
            // Not eprintln!: with the terminal gone (a hangup) it would
            // panic inside this hook, and a panic there aborts the process
            // before the demo's files are cleaned up.
            let _ = writeln!(
                io::stderr(),
                "opsdeck crashed; details are in {}",
                path.display()
            );
        }
    }));
}

/// Ring the bell without disturbing the frame.
pub fn bell() {
    let mut out = io::stdout();
    let _ = out.write_all(b"\x07");
    let _ = out.flush();
}
