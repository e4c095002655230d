//! A backend wrapper that writes nothing when nothing changed. ratatui
//! resets colours and re-hides the cursor on every draw, even with an empty
//! diff; kept open all day, that would be a trickle of bytes (over SSH, a
//! packet a second) for an unchanged screen.

use std::io;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

pub struct QuietBackend<B> {
    inner: B,
    cursor_hidden: bool,
    wrote: bool,
}

impl<B> QuietBackend<B> {
    pub fn new(inner: B) -> Self {
        QuietBackend {
            inner,
            cursor_hidden: false,
            wrote: false,
        }
    }

    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: Backend<Error = io::Error>> Backend for QuietBackend<B> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        self.wrote = true;
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden {
            return Ok(());
        }
        self.cursor_hidden = true;
        self.wrote = true;
        self.inner.hide_cursor()
    }

    /// Never fails: ratatui calls this when the terminal is dropped and
    /// reports an error with `eprintln!`, which panics when the terminal
    /// is gone (a hangup), and the cursor is restored by
    /// `terminal::restore` anyway.
    fn show_cursor(&mut self) -> io::Result<()> {
        self.cursor_hidden = false;
        self.wrote = true;
        if let Err(e) = self.inner.show_cursor() {
            tracing::debug!(error = %e, "cannot show the cursor");
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.wrote = true;
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.wrote = true;
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.wrote = true;
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        if !std::mem::take(&mut self.wrote) {
            return Ok(());
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;
    use ratatui::widgets::Paragraph;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[derive(Clone, Default)]
    struct Sink(Rc<RefCell<Vec<u8>>>);

    impl io::Write for Sink {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn an_unchanged_frame_writes_no_bytes() {
        let sink = Sink::default();
        let backend = QuietBackend::new(CrosstermBackend::new(sink.clone()));
        let mut terminal = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 20, 2)),
            },
        )
        .expect("terminal");
        terminal.hide_cursor().expect("hide");
        let draw = |t: &mut Terminal<_>, text: &str| {
            t.draw(|f| f.render_widget(Paragraph::new(text.to_string()), f.area()))
                .expect("draw");
        };
        draw(&mut terminal, "hello");
        let after_first = sink.0.borrow().len();
        assert!(after_first > 0);
        draw(&mut terminal, "hello");
        assert_eq!(sink.0.borrow().len(), after_first, "same frame, no bytes");
        draw(&mut terminal, "hullo");
        assert!(sink.0.borrow().len() > after_first, "a change is written");
    }
}
