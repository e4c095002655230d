//! Lending the terminal to an interactive session (a shell in a container
//! or a pod) and taking it back. Docker and Kubernetes differ only in how
//! the session's bytes travel; this module is the one place that leaves
//! the TUI, pipes the keyboard and the screen to the session, forwards
//! window-size changes, and restores the TUI whatever the session did.
//!
//! The caller must have stopped reading terminal events first (see
//! `TerminalInput::pause`): a reader left running would take keys meant for
//! the shell.

use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::{self, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use crossterm::cursor::Show;
use crossterm::event::DisableMouseCapture;
use crossterm::execute;
use crossterm::terminal::{LeaveAlternateScreen, enable_raw_mode};
use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::BoxStream;
use tokio::io::unix::AsyncFd;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::signal::unix::{SignalKind, signal};

/// Longest wait for a session to open (an engine or API server that
/// accepts the connection and then says nothing).
const OPEN_TIMEOUT: Duration = Duration::from_secs(20);

/// Modes a shell may leave behind that would upset the TUI once it is
/// back: attributes, application cursor keys and keypad, bracketed paste,
/// mouse reporting, a scroll region, a hidden cursor.
const RESET_MODES: &[u8] =
    b"\x1b[0m\x1b[?1l\x1b>\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[r\x1b[?25h";

/// The terminal's size as columns and rows.
pub type Size = (u16, u16);

/// An open interactive session: what it prints, where keys go, how to tell
/// it the window's size, and how it ended.
pub struct Session {
    pub output: BoxStream<'static, io::Result<Bytes>>,
    pub input: Pin<Box<dyn AsyncWrite + Send>>,
    /// Called with each new size; must not block (spawn the request).
    pub resize: Box<dyn FnMut(Size) + Send>,
    /// Awaited (and so started) once the output has ended: how the session
    /// ended, in words for a toast (`Err` when not as a shell ends).
    pub ended: BoxFuture<'static, Result<(), String>>,
    /// The program that runs (`bash`, `sh`), said on the way in.
    pub program: String,
}

/// Leaves the TUI, opens the session with the terminal's size, runs it,
/// and puts the TUI back (raw mode, alternate screen, hidden cursor,
/// mouse as it was). The caller redraws every cell afterwards.
pub async fn hand_over<F>(what: &str, open: impl FnOnce(Size) -> F) -> Result<(), String>
where
    F: Future<Output = Result<Session, String>>,
{
    leave_tui();
    let result = run(what, open).await;
    let mut out = io::stdout();
    let _ = out.write_all(RESET_MODES);
    let _ = out.flush();
    if let Err(e) = super::resume() {
        // The loop's next draw reports the terminal's own error.
        tracing::warn!(error = %e, "cannot take the terminal back after a shell");
    }
    result
}

/// Off the alternate screen to the normal one, still raw: the session's
/// own terminal (in the container) does the echo and line editing.
fn leave_tui() {
    let mut out = io::stdout();
    let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
    let _ = enable_raw_mode();
}

async fn run<F>(what: &str, open: impl FnOnce(Size) -> F) -> Result<(), String>
where
    F: Future<Output = Result<Session, String>>,
{
    say(&format!("opsdeck: opening a shell in {what}…"));
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let mut session = match tokio::time::timeout(OPEN_TIMEOUT, open(size)).await {
        Ok(Ok(session)) => session,
        Ok(Err(e)) => return Err(e),
        Err(_) => {
            return Err(format!(
                "no answer within {}s while opening the shell",
                OPEN_TIMEOUT.as_secs()
            ));
        }
    };
    say(&format!(
        "opsdeck: {} in {what}; `exit` comes back to opsdeck",
        session.program
    ));
    (session.resize)(size);
    let pumped = pump(&mut session).await;
    // The end is asked of the engine or read from the server: one that
    // has gone silent must not keep the terminal.
    let ended = tokio::time::timeout(OPEN_TIMEOUT, session.ended)
        .await
        .unwrap_or_else(|_| Err("no answer about how the shell ended".into()));
    pumped.and(ended)
}

fn say(line: &str) {
    let mut out = io::stdout();
    let _ = write!(out, "\r\n{line}\r\n");
    let _ = out.flush();
}

/// Copies keys to the session and its output to the screen until the
/// output ends (the shell exited, the container stopped, the connection
/// dropped).
async fn pump(session: &mut Session) -> Result<(), String> {
    let keyboard = Keyboard::open().map_err(|e| format!("cannot read the terminal: {e}"))?;
    let mut resized = signal(SignalKind::window_change())
        .map_err(|e| format!("cannot watch the window size: {e}"))?;
    let mut out = io::stdout();
    let mut buf = [0u8; 4096];
    loop {
        tokio::select! {
            chunk = session.output.next() => match chunk {
                Some(Ok(bytes)) => {
                    out.write_all(&bytes).and_then(|()| out.flush())
                        .map_err(|e| format!("cannot write to the terminal: {e}"))?;
                }
                Some(Err(e)) => return Err(format!("the connection to the shell broke: {e}")),
                None => return Ok(()),
            },
            read = keyboard.read(&mut buf) => {
                let n = read.map_err(|e| format!("cannot read the terminal: {e}"))?;
                if n == 0 {
                    return Err("the terminal closed".into());
                }
                // A shell that has gone refuses the write; its output ends next.
                if session.input.write_all(&buf[..n]).await.is_err()
                    || session.input.flush().await.is_err()
                {
                    return drain(session, &mut out).await;
                }
            }
            Some(()) = resized.recv() => {
                if let Ok(size) = crossterm::terminal::size() {
                    (session.resize)(size);
                }
            }
        }
    }
}

/// The last output after the input was refused (the shell's final words).
async fn drain(session: &mut Session, out: &mut io::Stdout) -> Result<(), String> {
    let rest = async {
        while let Some(Ok(bytes)) = session.output.next().await {
            let _ = out.write_all(&bytes);
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), rest).await;
    let _ = out.flush();
    Ok(())
}

/// The controlling terminal, opened anew and non-blocking: the flag lives
/// on this open file only, so the shell opsdeck was started from keeps
/// its blocking stdin, and nothing is left reading once it is dropped
/// (a blocking read on stdin in a thread would steal the next key).
struct Keyboard {
    tty: AsyncFd<File>,
}

impl Keyboard {
    fn open() -> io::Result<Keyboard> {
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open("/dev/tty")?;
        // SAFETY: the AsyncFd owns the file, so the descriptor it registers
        // stays open until it is deregistered on drop.
        let tty = unsafe { AsyncFd::register(file) }?;
        Ok(Keyboard { tty })
    }

    async fn read(&self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let mut ready = self.tty.readable().await?;
            match ready.try_io(|fd| {
                let mut file: &File = fd.get_ref();
                file.read(buf)
            }) {
                Ok(result) => return result,
                Err(_would_block) => continue,
            }
        }
    }
}
