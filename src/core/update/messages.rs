//! `:messages`: every toast of the session in full, oldest first, in the
//! log viewer (so it scrolls, searches and wraps like any log). A toast is
//! cut to the lines the screen can spare; this is where the rest is.

use crate::core::effect::Effect;
use crate::core::log_session::LogSession;
use crate::core::state::State;
use crate::logview::LineSource;

pub(super) fn open(state: &mut State) -> Vec<Effect> {
    let mut text = String::new();
    for m in state.toasts.history() {
        let times = if m.count > 1 {
            format!(
                " x{} (first {}, last {})",
                m.count,
                m.first.format("%H:%M:%S"),
                m.last.format("%H:%M:%S")
            )
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{} {:<5}{times}  {}\n",
            m.last.format("%H:%M:%S"),
            m.level.word(),
            m.text
        ));
    }
    if text.is_empty() {
        text.push_str("no messages yet in this session\n");
    }
    let stream = state.new_stream_id();
    let mut session = LogSession::new(stream, "messages", state.settings.log_line_cap);
    session.buffer.set_timestamps(false);
    session
        .buffer
        .push_bytes(LineSource::stdout(), text.as_bytes());
    session.buffer.flush();
    // Whole messages are the point of this view: wrapped from the start.
    session.view.set_wrap(true);
    session.ended = Some("messages of this session (UTC)".into());
    state.overlay_log = Some(session);
    Vec::new()
}
