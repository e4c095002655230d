//! The whole app without a terminal: keys in, frames out. The same loop as
//! a user's (`app::run`) drives a ratatui `TestBackend` that tests can read
//! at any moment, so a test sees what a user would see, sources and all.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::{Input, SourceHandles};
use crate::core::key::{KeyCode, KeyEvent, MouseEvent, MouseKind};
use crate::core::msg::Msg;
use crate::core::state::State;
use crate::ui::Look;

/// A running app with a screen of its own.
pub struct Headless {
    input: mpsc::UnboundedSender<io::Result<Input>>,
    screen: Arc<Mutex<TestBackend>>,
    task: JoinHandle<io::Result<()>>,
}

impl Headless {
    /// Starts the loop on the current tokio runtime with a `width`×`height`
    /// screen; `rx`/`tx` are the source channel the `sources` answer on.
    pub fn start(
        state: State,
        look: Look,
        sources: SourceHandles,
        rx: mpsc::Receiver<Msg>,
        tx: mpsc::Sender<Msg>,
        (width, height): (u16, u16),
    ) -> io::Result<Headless> {
        let screen = Arc::new(Mutex::new(TestBackend::new(width, height)));
        let mut terminal = Terminal::new(SharedScreen(screen.clone()))?;
        let (input, mut keys) = mpsc::unbounded_channel();
        let task = tokio::spawn(async move {
            let keys = TestKeys(futures::stream::poll_fn(move |cx| keys.poll_recv(cx)));
            super::run(&mut terminal, state, look, keys, rx, tx, sources).await
        });
        Ok(Headless {
            input,
            screen,
            task,
        })
    }

    pub fn key(&self, key: KeyEvent) {
        let _ = self.input.send(Ok(Input::Key(key)));
    }

    /// A click or wheel turn at a screen cell, as `[ui] mouse = true` delivers it.
    pub fn mouse(&self, kind: MouseKind, column: u16, row: u16) {
        let _ = self
            .input
            .send(Ok(Input::Mouse(MouseEvent { kind, column, row })));
    }

    pub fn code(&self, code: KeyCode) {
        self.key(KeyEvent::plain(code));
    }

    /// Types each character as its own key press.
    pub fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.key(KeyEvent::char(c));
        }
    }

    pub fn resize(&self, width: u16, height: u16) {
        // The terminal changes size first, then says so, as a real one does.
        self.screen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .resize(width, height);
        let _ = self.input.send(Ok(Input::Resize { width, height }));
    }

    /// The screen as text, one line per row, trailing spaces kept.
    pub fn screen(&self) -> String {
        let backend = self.screen.lock().unwrap_or_else(PoisonError::into_inner);
        let buffer = backend.buffer();
        let width = usize::from(buffer.area.width.max(1));
        buffer
            .content
            .chunks(width)
            .map(|row| row.iter().map(Cell::symbol).collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Waits until the screen shows `text`; the error carries the last
    /// screen, so a failing test says what was there instead.
    pub async fn wait_for(&self, text: &str, within: Duration) -> Result<String, String> {
        self.wait_until(text, within, |screen| screen.contains(text))
            .await
    }

    pub async fn wait_until(
        &self,
        what: &str,
        within: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Result<String, String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return Ok(screen);
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(format!(
                    "timed out waiting for {what}; the screen:\n{screen}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Ends the input (as a closed terminal would) and waits for the loop.
    pub async fn stop(self) -> io::Result<()> {
        drop(self.input);
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(io::Error::other(e)),
        }
    }

    /// True once the loop has ended by itself (the user quit).
    pub fn finished(&self) -> bool {
        self.task.is_finished()
    }
}

/// A `TestBackend` the loop draws into while the test reads it.
struct SharedScreen(Arc<Mutex<TestBackend>>);

impl SharedScreen {
    fn with<T>(&self, f: impl FnOnce(&mut TestBackend) -> T) -> T {
        let mut backend = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut backend)
    }
}

/// TestBackend cannot fail (its error type is `Infallible`); this maps it
/// to the loop's `io::Error` without a panic path.
fn infallible<T>(r: Result<T, std::convert::Infallible>) -> io::Result<T> {
    match r {
        Ok(v) => Ok(v),
        Err(never) => match never {},
    }
}

impl Backend for SharedScreen {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.with(|b| infallible(b.draw(content)))
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.with(|b| infallible(b.hide_cursor()))
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.with(|b| infallible(b.show_cursor()))
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.with(|b| infallible(b.get_cursor_position()))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        self.with(|b| infallible(b.set_cursor_position(position)))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.with(|b| infallible(b.clear()))
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.with(|b| infallible(b.clear_region(clear_type)))
    }

    fn size(&self) -> io::Result<Size> {
        self.with(|b| infallible(b.size()))
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.with(|b| infallible(b.window_size()))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.with(|b| infallible(b.flush()))
    }
}

/// Keys from a test; there is no terminal to lend to a shell.
struct TestKeys<S>(S);

impl<S: futures::Stream<Item = io::Result<Input>> + Unpin> futures::Stream for TestKeys<S> {
    type Item = io::Result<Input>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        std::pin::Pin::new(&mut self.0).poll_next(cx)
    }
}

impl<S: futures::Stream<Item = io::Result<Input>> + Unpin> super::Console for TestKeys<S> {}
