//! An open log view: the buffer, the view state and where its bytes come from.

use crate::logview::{LogBuffer, LogViewState};

use super::ids::StreamId;
use super::tab::Tab;

pub struct LogSession {
    pub stream: StreamId,
    /// The container (or pod) the log belongs to, to notice its removal.
    pub container_id: Option<String>,
    /// What the log belongs to, shown in the title (e.g. `container shop-api-1`).
    pub title: String,
    pub buffer: LogBuffer,
    pub view: LogViewState,
    /// Set when the stream ended (container stopped or removed) and why.
    pub ended: Option<String>,
    /// Where Esc and `q` go: the Overview when the log was opened from
    /// there; None: back to the pane's list.
    pub return_to: Option<Tab>,
    /// A document (an inspected object), read from its top: the view
    /// goes there when the stream ends instead of staying at the end.
    pub opens_at_top: bool,
}

impl LogSession {
    pub fn new(stream: StreamId, title: impl Into<String>, cap: usize) -> Self {
        let mut buffer = LogBuffer::new(cap);
        buffer.set_timestamps(true);
        LogSession {
            stream,
            container_id: None,
            title: title.into(),
            buffer,
            view: LogViewState::default(),
            ended: None,
            return_to: None,
            opens_at_top: false,
        }
    }
}

impl std::fmt::Debug for LogSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSession")
            .field("stream", &self.stream)
            .field("title", &self.title)
            .field("lines", &self.buffer.len())
            .field("ended", &self.ended)
            .finish()
    }
}
