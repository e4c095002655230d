//! Runs a program (normally the real opsdeck binary) in a pseudo-terminal
//! and keeps a vt100 model of its screen, fed by a reader thread.
//!
//! Every wait has a deadline and the child is killed on drop, so a hung or
//! crashed program fails the test with the screen in the message instead of
//! hanging the run. The reader stamps each chunk with the time it arrived,
//! so latencies are measured at the terminal, not at the moment a waiting
//! thread happened to wake up.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// Path of the opsdeck binary: `OPSDECK_BIN` when set (a release build for
/// measurements), else the one cargo built for this test or bench.
pub fn opsdeck_bin() -> PathBuf {
    match std::env::var_os("OPSDECK_BIN") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => PathBuf::from(env!("CARGO_BIN_EXE_opsdeck")),
    }
}

/// Keys that are not plain text, encoded as an xterm sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// Ctrl plus a letter, e.g. `Ctrl('s')`.
    Ctrl(char),
    Char(char),
}

impl Key {
    pub fn bytes(self) -> Vec<u8> {
        match self {
            Key::Enter => b"\r".to_vec(),
            Key::Esc => b"\x1b".to_vec(),
            Key::Tab => b"\t".to_vec(),
            Key::BackTab => b"\x1b[Z".to_vec(),
            Key::Backspace => b"\x7f".to_vec(),
            Key::Up => b"\x1b[A".to_vec(),
            Key::Down => b"\x1b[B".to_vec(),
            Key::Right => b"\x1b[C".to_vec(),
            Key::Left => b"\x1b[D".to_vec(),
            Key::Home => b"\x1b[H".to_vec(),
            Key::End => b"\x1b[F".to_vec(),
            Key::PageUp => b"\x1b[5~".to_vec(),
            Key::PageDown => b"\x1b[6~".to_vec(),
            Key::Ctrl(c) => vec![(c.to_ascii_lowercase() as u8) & 0x1f],
            Key::Char(c) => c.to_string().into_bytes(),
        }
    }
}

/// Answers the terminal queries a TUI library may send at start-up (cursor
/// position, device attributes); without a reply it would stall on its
/// own timeout and distort every start-up figure.
#[derive(Default)]
struct Replies {
    pending: Vec<u8>,
}

impl vt100::Callbacks for Replies {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied();
        match (i1, c, first) {
            (None, 'n', Some(6)) => {
                let (row, col) = screen.cursor_position();
                let reply = format!("\x1b[{};{}R", u32::from(row) + 1, u32::from(col) + 1);
                self.pending.extend_from_slice(reply.as_bytes());
            }
            (None, 'c', None | Some(0)) => self.pending.extend_from_slice(b"\x1b[?62;22c"),
            _ => {}
        }
    }
}

struct Screen {
    parser: vt100::Parser<Replies>,
    bytes: u64,
    /// Bumped on every chunk, so a waiter can tell "something new arrived".
    chunks: u64,
    last_chunk: Option<(Instant, SystemTime)>,
    /// The last `RECENT` bytes of raw output, to show what was written.
    recent: std::collections::VecDeque<u8>,
    eof: bool,
}

const RECENT: usize = 64 * 1024;

struct Shared {
    screen: Mutex<Screen>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Screen> {
        // A poisoned lock only means a waiter panicked mid-read; the data is
        // still a valid screen.
        self.screen.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What a successful wait saw.
#[derive(Debug, Clone, Copy)]
pub struct Seen {
    /// From the start of the wait to the arrival of the chunk that made the
    /// condition true (zero if it already held).
    pub after: Duration,
    /// Arrival of that chunk (or the start of the wait).
    pub when: Instant,
    /// Wall-clock time of that chunk, to compare with engine timestamps.
    pub at: SystemTime,
}

pub struct Pty {
    shared: Arc<Shared>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    pid: u32,
    exit: Option<ExitStatus>,
}

impl Pty {
    /// Starts opsdeck with `args`, extra `env` and a `cols`x`rows` terminal.
    pub fn spawn(args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Result<Pty, String> {
        let bin = opsdeck_bin();
        Pty::spawn_program(&bin.to_string_lossy(), args, env, cols, rows)
    }

    /// Starts any program in a pty, in the current directory, with
    /// TERM=xterm-256color unless `env` says otherwise.
    pub fn spawn_program(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Result<Pty, String> {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system()
            .openpty(size)
            .map_err(|e| format!("openpty: {e}"))?;
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        // portable-pty would start in $HOME; relative paths in tests mean
        // the test's directory.
        if let Ok(dir) = std::env::current_dir() {
            cmd.cwd(dir);
        }
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| format!("spawn {program}: {e}"))?;
        // Only the child may hold the slave side, or the reader never sees
        // end-of-file after the child exits.
        drop(pair.slave);
        let pid = child.process_id().unwrap_or(0);
        let reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| format!("pty reader: {e}"))?;
        let writer = pair
            .master
            .take_writer()
            .map_err(|e| format!("pty writer: {e}"))?;
        let writer: Arc<Mutex<Box<dyn Write + Send>>> = Arc::new(Mutex::new(writer));
        let rows_nz = std::num::NonZeroU16::new(rows).ok_or("zero rows")?;
        let cols_nz = std::num::NonZeroU16::new(cols).ok_or("zero cols")?;
        let shared = Arc::new(Shared {
            screen: Mutex::new(Screen {
                parser: vt100::Parser::new_with_callbacks(rows_nz, cols_nz, 0, Replies::default()),
                bytes: 0,
                chunks: 0,
                last_chunk: None,
                recent: std::collections::VecDeque::new(),
                eof: false,
            }),
            changed: Condvar::new(),
        });
        let (s, w) = (Arc::clone(&shared), Arc::clone(&writer));
        thread::Builder::new()
            .name(format!("pty-reader-{pid}"))
            .spawn(move || read_loop(reader, &s, &w))
            .map_err(|e| format!("reader thread: {e}"))?;
        Ok(Pty {
            shared,
            writer,
            child,
            master: pair.master,
            pid,
            exit: None,
        })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Types `text` as if pasted byte by byte in one write.
    pub fn send(&self, text: &str) -> Result<(), String> {
        self.write(text.as_bytes())
    }

    pub fn send_key(&self, key: Key) -> Result<(), String> {
        self.write(&key.bytes())
    }

    fn write(&self, bytes: &[u8]) -> Result<(), String> {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(bytes)
            .and_then(|_| w.flush())
            .map_err(|e| format!("write to pty: {e}"))
    }

    /// Everything the terminal received so far, escape sequences included.
    pub fn bytes_received(&self) -> u64 {
        self.shared.lock().bytes
    }

    /// The last `max` bytes the program wrote (at most 64 KiB are kept).
    pub fn recent_output(&self, max: usize) -> Vec<u8> {
        let s = self.shared.lock();
        let skip = s.recent.len().saturating_sub(max);
        s.recent.iter().skip(skip).copied().collect()
    }

    /// Number of output chunks read so far; changes whenever output arrives.
    pub fn chunks(&self) -> u64 {
        self.shared.lock().chunks
    }

    /// The visible screen as text, rows separated by newlines.
    pub fn screen_text(&self) -> String {
        self.shared.lock().parser.screen().contents()
    }

    /// Runs `f` on the current screen model.
    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        f(self.shared.lock().parser.screen())
    }

    pub fn alternate_screen(&self) -> bool {
        self.with_screen(|s| s.alternate_screen())
    }

    /// Waits until `text` is on the screen.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> Result<Duration, String> {
        self.wait_until(&format!("{text:?} on screen"), timeout, |s| {
            s.contents().contains(text)
        })
        .map(|seen| seen.after)
    }

    /// Waits until `words` are on the screen in order, however the screen
    /// wrapped them: a toast naming a container of any length breaks its
    /// text at a different word, so an exact-line match would depend on
    /// the name's length.
    pub fn wait_for_words(&self, words: &str, timeout: Duration) -> Result<Duration, String> {
        self.wait_until(
            &format!("{words:?} on screen, wrapped or not"),
            timeout,
            |s| shows_words(&s.contents(), words),
        )
        .map(|seen| seen.after)
    }

    /// Whether `words` are on the screen now, however wrapped.
    pub fn shows_words(&self, words: &str) -> bool {
        shows_words(&self.screen_text(), words)
    }

    /// Waits until `done` holds for the screen. On timeout the error names
    /// `what` and shows the screen.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&vt100::Screen) -> bool,
    ) -> Result<Seen, String> {
        let start = Instant::now();
        let deadline = start + timeout;
        let mut guard = self.shared.lock();
        loop {
            if done(guard.parser.screen()) {
                let (when, at) = match guard.last_chunk {
                    Some((i, at)) if i > start => (i, at),
                    _ => (start, SystemTime::now()),
                };
                return Ok(Seen {
                    after: when - start,
                    when,
                    at,
                });
            }
            let now = Instant::now();
            if now >= deadline || guard.eof {
                let why = if guard.eof {
                    "the program closed the terminal"
                } else {
                    "timed out"
                };
                return Err(format!(
                    "{why} after {:?} waiting for {what}; screen:\n{}",
                    now - start,
                    framed(&guard.parser.screen().contents())
                ));
            }
            guard = self
                .shared
                .changed
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// The screen with its attributes (colours, reverse video), to notice
    /// changes that move no text, such as a selection bar.
    pub fn snapshot(&self) -> String {
        self.with_screen(|s| s.contents_formatted())
    }

    /// Waits until the screen (attributes included) differs from `before`,
    /// a [`Pty::snapshot`].
    pub fn wait_change(&self, before: &str, timeout: Duration) -> Result<Seen, String> {
        self.wait_until("the screen to change", timeout, |s| {
            s.contents_formatted() != before
        })
    }

    /// Waits for output to stop for `quiet`, at most `timeout`.
    pub fn wait_quiet(&self, quiet: Duration, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            let seen = self.chunks();
            thread::sleep(quiet);
            if self.chunks() == seen {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "output never went quiet for {quiet:?} within {timeout:?}"
                ));
            }
        }
    }

    /// Resizes the terminal; the program gets SIGWINCH.
    pub fn resize(&self, cols: u16, rows: u16) -> Result<(), String> {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let rows_nz = std::num::NonZeroU16::new(rows).ok_or("zero rows")?;
        let cols_nz = std::num::NonZeroU16::new(cols).ok_or("zero cols")?;
        self.shared.lock().parser.set_size(rows_nz, cols_nz);
        self.master
            .resize(size)
            .map_err(|e| format!("resize pty: {e}"))
    }

    /// The exit status, if the program has exited.
    pub fn try_exit(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            self.exit = Some(status);
        }
        self.exit.clone()
    }

    /// Waits for the program to exit; returns its status and how long the
    /// wait took. Then gives the reader a moment to take in the last output
    /// (the terminal restore), so the screen model is final.
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<(ExitStatus, Duration), String> {
        let start = Instant::now();
        let deadline = start + timeout;
        loop {
            if let Some(status) = self.try_exit() {
                let took = start.elapsed();
                self.wait_eof(Duration::from_millis(500));
                return Ok((status, took));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "process {} still running after {timeout:?}; screen:\n{}",
                    self.pid,
                    framed(&self.screen_text())
                ));
            }
            thread::sleep(Duration::from_millis(1));
        }
    }

    fn wait_eof(&self, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut guard = self.shared.lock();
        while !guard.eof {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            guard = self
                .shared
                .changed
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// Kills the program (if still running) and reaps it.
    pub fn kill(&mut self) {
        if self.try_exit().is_some() {
            return;
        }
        // portable-pty's kill is a SIGHUP, which a program may handle;
        // SIGKILL follows if it has not gone after a grace period.
        let _ = self.child.kill();
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.try_exit().is_none() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        if self.try_exit().is_none() && self.pid != 0 {
            let _ = std::process::Command::new("kill")
                .args(["-9", &self.pid.to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(2);
            while self.try_exit().is_none() && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(5));
            }
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        self.kill();
    }
}

fn read_loop(
    mut reader: Box<dyn Read + Send>,
    shared: &Shared,
    writer: &Mutex<Box<dyn Write + Send>>,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        // EIO is how Linux reports that the slave side closed: end of output.
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let replies = {
            let mut s = shared.lock();
            let chunk = buf.get(..n).unwrap_or_default();
            s.parser.process(chunk);
            s.recent.extend(chunk);
            let excess = s.recent.len().saturating_sub(RECENT);
            s.recent.drain(..excess);
            s.bytes += n as u64;
            s.chunks += 1;
            s.last_chunk = Some((Instant::now(), SystemTime::now()));
            std::mem::take(&mut s.parser.callbacks_mut().pending)
        };
        shared.changed.notify_all();
        if !replies.is_empty() {
            let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
            let _ = w.write_all(&replies).and_then(|_| w.flush());
        }
    }
    shared.lock().eof = true;
    shared.changed.notify_all();
}

/// The screen with a frame around it, so blank rows and trailing spaces
/// show in a failure message.
/// Whether `screen` holds `words` once every run of spaces and line
/// breaks in both counts as one space.
pub fn shows_words(screen: &str, words: &str) -> bool {
    let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    squeeze(screen).contains(&squeeze(words))
}

pub fn framed(contents: &str) -> String {
    let mut out = String::new();
    for line in contents.lines() {
        out.push('|');
        out.push_str(line);
        out.push_str("|\n");
    }
    out
}
