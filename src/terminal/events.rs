//! The terminal's events as the app loop's input: keys (with the Esc-prefix
//! fix below), mouse clicks and wheel turns when mouse capture is on,
//! resizes, Ctrl-z (handled here: it suspends the process), and the signals
//! that end the session.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::stream::BoxStream;
use futures::{Stream, StreamExt};

use super::keys::{expand_alt, from_crossterm, mouse_from_crossterm};
use super::signals::Leaving;
use super::woken::PollWhenWoken;
use crate::app::Input;
use crate::core::key::KeyEvent;
use crate::core::keymap::KeyMap;

/// Key releases (sent by terminals with the kitty protocol) and keys opsdeck
/// binds to nothing are dropped. `keymap` says which Alt keys are bound:
/// any other Alt key is an Esc typed just before a key (see `expand_alt`).
/// `leaving` ends the stream with `Input::Leave` when a signal comes.
pub fn input_events(keymap: KeyMap, leaving: Leaving) -> TerminalInput {
    let signals = futures::stream::unfold(leaving, |mut leaving| async move {
        let code = leaving.recv().await;
        Some((Ok(Input::Leave { code }), leaving))
    });
    TerminalInput {
        terminal: Some(PollWhenWoken::new(terminal_events(keymap.clone()))),
        signals: signals.boxed(),
        keymap,
    }
}

/// The app's input from a real terminal; it can stop reading the terminal
/// while a shell has it (see `terminal::handoff`).
pub struct TerminalInput {
    /// `None` while paused.
    /// Polled only when it woke the loop (see `woken`).
    terminal: Option<PollWhenWoken<BoxStream<'static, io::Result<Input>>>>,
    signals: BoxStream<'static, io::Result<Input>>,
    keymap: KeyMap,
}

impl TerminalInput {
    /// Stops reading the terminal. crossterm's event stream reads in a
    /// thread of its own, which goes on reading (and keeping) bytes while
    /// it lives; dropping the stream stops that thread.
    pub fn pause(&mut self) {
        self.terminal = None;
    }

    /// Reads the terminal again after `pause`.
    pub fn resume(&mut self) {
        if self.terminal.is_none() {
            // Dropping the stream woke crossterm's shared reader; a thread
            // already idle leaves that wake-up pending, and the next read
            // (ratatui asking for the cursor position when it clears) would
            // take it for a timeout. A zero-time poll consumes it; a key
            // typed meanwhile stays queued for the new stream.
            let _ = crossterm::event::poll(std::time::Duration::ZERO);
            self.terminal = Some(PollWhenWoken::new(terminal_events(self.keymap.clone())));
        }
    }
}

impl Stream for TerminalInput {
    type Item = io::Result<Input>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(item) = self.signals.poll_next_unpin(cx) {
            return Poll::Ready(item);
        }
        match self.terminal.as_mut() {
            Some(terminal) => terminal.poll_next_unpin(cx),
            None => Poll::Pending,
        }
    }
}

fn terminal_events(keymap: KeyMap) -> BoxStream<'static, io::Result<Input>> {
    EventStream::new()
        .flat_map(move |ev| {
            let inputs: Vec<io::Result<Input>> = match ev {
                Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                    match from_crossterm(&key) {
                        Some(k) if k == KeyEvent::ctrl('z') => vec![suspend()],
                        Some(k) => expand_alt(k, &keymap)
                            .into_iter()
                            .map(|k| Ok(Input::Key(k)))
                            .collect(),
                        None => Vec::new(),
                    }
                }
                Ok(Event::Mouse(m)) => mouse_from_crossterm(&m)
                    .map(|m| Ok(Input::Mouse(m)))
                    .into_iter()
                    .collect(),
                Ok(Event::Resize(width, height)) => vec![Ok(Input::Resize { width, height })],
                Ok(_) => Vec::new(),
                Err(e) => vec![Err(e)],
            };
            futures::stream::iter(inputs)
        })
        .boxed()
}

/// Ctrl-z: gives the terminal back to the shell, stops, and on `fg` takes
/// it again; the loop then redraws the whole screen, which the shell has
/// drawn over.
fn suspend() -> io::Result<Input> {
    super::restore();
    if let Err(e) = super::signals::stop_self() {
        tracing::warn!(error = %e, "cannot suspend");
    }
    super::resume()?;
    Ok(Input::Redraw)
}
