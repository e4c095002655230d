//! `y`: puts text on the clipboard of the user's terminal, wherever opsdeck
//! runs, and says where it went.
//!
//! Outside tmux, OSC 52 to the terminal works over SSH and needs no X11.
//! Inside tmux it does not by default: tmux 3.3 drops passthrough-wrapped
//! sequences (`allow-passthrough` is off) and, with the default
//! `set-clipboard external`, ignores an application's own OSC 52. What tmux
//! always accepts is its own command: `tmux load-buffer -w -` makes a paste
//! buffer (`prefix ]` pastes it) and, with `-w`, forwards it to the outer
//! terminal's clipboard as tmux does for its own copy mode.

use std::io::{self, Write};
use std::process::{Command, Stdio};

/// Where copied text went, for the toast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Copied {
    /// A tmux paste buffer (and the outer clipboard where tmux can).
    Tmux,
    /// The terminal's clipboard, by OSC 52; a terminal that ignores the
    /// sequence copies nothing and cannot tell us.
    Terminal,
    /// tmux refused: sent by OSC 52 instead, with tmux's reason.
    TerminalAfterTmuxFailed(String),
}

impl Copied {
    /// The toast: how much went where.
    pub fn describe(&self, chars: usize) -> String {
        let what = if chars == 1 {
            "1 character".to_string()
        } else {
            format!("{chars} characters")
        };
        match self {
            Copied::Tmux => format!("copied {what} to a tmux buffer (prefix ] pastes)"),
            Copied::Terminal => format!("copied {what} to the terminal's clipboard (OSC 52)"),
            Copied::TerminalAfterTmuxFailed(why) => format!(
                "tmux load-buffer failed ({why}); sent {what} to the terminal by OSC 52, \
                 which tmux passes on only with set-clipboard on"
            ),
        }
    }
}

/// Copies `text`; blocks while tmux runs, so call it off the UI loop.
pub fn copy_to_clipboard(text: &str) -> Copied {
    if std::env::var_os("TMUX").is_some_and(|v| !v.is_empty()) {
        match tmux_load_buffer(text) {
            Ok(()) => return Copied::Tmux,
            Err(why) => {
                write_osc52(text);
                return Copied::TerminalAfterTmuxFailed(why);
            }
        }
    }
    write_osc52(text);
    Copied::Terminal
}

fn write_osc52(text: &str) {
    // One write under the lock: never torn by a frame being drawn.
    let mut out = io::stdout().lock();
    let _ = out.write_all(osc52(text).as_bytes());
    let _ = out.flush();
}

/// `tmux load-buffer -w -`, then without `-w` for a tmux older than 3.2.
fn tmux_load_buffer(text: &str) -> Result<(), String> {
    match run_tmux(&["load-buffer", "-w", "-"], text) {
        Ok(()) => Ok(()),
        Err(first) => run_tmux(&["load-buffer", "-"], text).map_err(|_| first),
    }
}

fn run_tmux(args: &[&str], input: &str) -> Result<(), String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tmux: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input.as_bytes())
            .map_err(|e| format!("cannot write to tmux: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("tmux: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(match err.trim() {
            "" => format!("tmux exited with {}", out.status),
            msg => msg.to_string(),
        })
    }
}

/// OSC 52 "set the clipboard" with the text in base64.
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let payload = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{payload}\x07")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_carries_base64_unwrapped() {
        // Unwrapped even in tmux: tmux 3.3 drops the passthrough wrapper.
        assert_eq!(osc52("hi"), "\x1b]52;c;aGk=\x07");
    }

    #[test]
    fn the_toast_says_how_much_and_where() {
        assert_eq!(
            Copied::Tmux.describe(12),
            "copied 12 characters to a tmux buffer (prefix ] pastes)"
        );
        assert_eq!(
            Copied::Terminal.describe(1),
            "copied 1 character to the terminal's clipboard (OSC 52)"
        );
        let failed = Copied::TerminalAfterTmuxFailed("no server running".into()).describe(3);
        assert!(failed.contains("no server running") && failed.contains("3 characters"));
    }
}
