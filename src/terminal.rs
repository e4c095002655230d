//! Terminal setup and teardown. The panic hook restores the terminal
//! before anything is printed, so a crash never leaves a raw, hidden-cursor
//! alternate screen behind.

use std::io::{self, Stdout, Write};
use std::path::PathBuf;

use crossterm::cursor::{Hide, Show};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

pub fn enter() -> io::Result<Tui> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, Hide) {
        restore();
        return Err(e);
    }
    Terminal::new(CrosstermBackend::new(out))
}

/// Idempotent: safe from the panic hook and from normal exit.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut out = io::stdout();
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
            eprintln!("opsdeck crashed; details are in {}", path.display());
        }
    }));
}

/// Ring the bell without disturbing the frame.
pub fn bell() {
    let mut out = io::stdout();
    let _ = out.write_all(b"\x07");
    let _ = out.flush();
}
