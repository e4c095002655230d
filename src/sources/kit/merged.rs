//! Merged logs (a Kubernetes workload's pods, a compose project's
//! containers): every part of the stream carries its member's tag, and a
//! member joining or ending is a line of its own, marked as not coming
//! from the member's output.

use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::msg::{LogPart, Msg};
use crate::logview::{LineSource, Stream};

/// Sends one note line tagged with `tag`; false once the view has closed.
pub async fn log_note(tx: &mpsc::Sender<Msg>, stream: StreamId, tag: &str, text: String) -> bool {
    let part = LogPart::new(LineSource::tagged(Stream::Other, tag), format!("{text}\n"));
    let msg = Msg::LogChunk {
        stream,
        parts: vec![part],
    };
    tx.send(msg).await.is_ok()
}
