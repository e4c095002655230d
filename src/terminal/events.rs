//! The terminal's events as the app loop's input: keys (with the Esc-prefix
//! fix below), mouse clicks and wheel turns when mouse capture is on,
//! resizes, Ctrl-z (handled here: it suspends the process), and the signals
//! that end the session.

use std::io;

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::{Stream, StreamExt};

use super::keys::{expand_alt, from_crossterm, mouse_from_crossterm};
use super::signals::Leaving;
use crate::app::Input;
use crate::core::key::KeyEvent;
use crate::core::keymap::KeyMap;

/// Key releases (sent by terminals with the kitty protocol) and keys opsdeck
/// binds to nothing are dropped. `keymap` says which Alt keys are bound:
/// any other Alt key is an Esc typed just before a key (see `expand_alt`).
/// `leaving` ends the stream with `Input::Leave` when a signal comes.
pub fn input_events(
    keymap: KeyMap,
    leaving: Leaving,
) -> impl Stream<Item = io::Result<Input>> + Unpin {
    let terminal = EventStream::new().flat_map(move |ev| {
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
    });
    let signals = futures::stream::unfold(leaving, |mut leaving| async move {
        let code = leaving.recv().await;
        Some((Ok(Input::Leave { code }), leaving))
    });
    Box::pin(futures::stream::select(terminal, signals))
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
