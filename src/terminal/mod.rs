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

mod keys;
mod quiet;

pub use keys::from_crossterm;

pub use quiet::QuietBackend;

pub type Tui = Terminal<QuietBackend<CrosstermBackend<Stdout>>>;

pub fn enter() -> io::Result<Tui> {
    enable_raw_mode()?;
    let mut out = io::stdout();
    if let Err(e) = execute!(out, EnterAlternateScreen, Hide) {
        restore();
        return Err(e);
    }
    let mut terminal = Terminal::new(QuietBackend::new(CrosstermBackend::new(out)))?;
    // The cursor was hidden above; tell ratatui so it does not hide it again each frame.
    terminal.hide_cursor()?;
    Ok(terminal)
}

/// The terminal's keys and resizes as the app loop's input. Key releases
/// (sent by terminals with the kitty protocol) and keys opsdeck binds to
/// nothing are dropped here.
pub fn input_events() -> impl futures::Stream<Item = io::Result<crate::app::Input>> + Unpin {
    use crossterm::event::{Event, EventStream, KeyEventKind};
    use futures::StreamExt;
    EventStream::new().filter_map(|ev| {
        let input = match ev {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                from_crossterm(&key).map(|k| Ok(crate::app::Input::Key(k)))
            }
            Ok(Event::Resize(width, height)) => {
                Some(Ok(crate::app::Input::Resize { width, height }))
            }
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        };
        std::future::ready(input)
    })
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

/// Puts `text` on the clipboard of the terminal the user sits at (OSC 52),
/// which works over SSH and needs no X11. Inside tmux the sequence is
/// wrapped for passthrough so it reaches the outer terminal.
pub fn copy_to_clipboard(text: &str) {
    let _ = io::stdout().write_all(osc52(text, std::env::var_os("TMUX").is_some()).as_bytes());
    let _ = io::stdout().flush();
}

pub fn osc52(text: &str, tmux: bool) -> String {
    use base64::Engine;
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let seq = format!("\x1b]52;c;{payload}\x07");
    if tmux {
        format!("\x1bPtmux;\x1b{seq}\x1b\\")
    } else {
        seq
    }
}

/// Ring the bell without disturbing the frame.
pub fn bell() {
    let mut out = io::stdout();
    let _ = out.write_all(b"\x07");
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::osc52;

    #[test]
    fn osc52_carries_base64_and_is_wrapped_for_tmux() {
        assert_eq!(osc52("hi", false), "\x1b]52;c;aGk=\x07");
        assert_eq!(osc52("hi", true), "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    }
}
