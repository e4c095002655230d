use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::msg::{LogPart, Msg};
use crate::logview::{LineSource, Stream};

use super::connect::plain_error;

/// Most log frames handed to the UI in one message: big enough that a
/// flood costs few messages, small enough that a batch renders at once.
const BATCH_FRAMES: usize = 512;

/// Follows one container's log. Frames that are already buffered go to the
/// UI as one batch; the channel is bounded, so a noisy container waits for
/// the UI instead of growing memory or dropping lines.
pub async fn follow(
    docker: Docker,
    stream: StreamId,
    container_id: String,
    tail: u64,
    tx: mpsc::Sender<Msg>,
) {
    let options = LogsOptions {
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        tail: tail.to_string(),
        ..Default::default()
    };
    let mut frames = docker
        .logs(&container_id, Some(options))
        .ready_chunks(BATCH_FRAMES);
    let mut reason = "end of log: the container is not running".to_string();
    'read: while let Some(batch) = frames.next().await {
        let mut parts: Vec<LogPart> = Vec::new();
        let mut failed = None;
        for frame in batch {
            let (which, bytes) = match frame {
                Ok(LogOutput::StdErr { message }) => (Stream::Stderr, message),
                Ok(LogOutput::StdOut { message } | LogOutput::Console { message }) => {
                    (Stream::Stdout, message)
                }
                Ok(LogOutput::StdIn { .. }) => continue,
                Err(e) => {
                    failed = Some(plain_error(&e));
                    break;
                }
            };
            match parts.last_mut() {
                Some(last) if last.source.stream == which => last.bytes.extend_from_slice(&bytes),
                _ => parts.push(LogPart::new(
                    LineSource {
                        stream: which,
                        tag: None,
                    },
                    bytes.to_vec(),
                )),
            }
        }
        if !parts.is_empty() {
            let msg = Msg::LogChunk { stream, parts };
            if tx.send(msg).await.is_err() {
                return;
            }
        }
        if let Some(e) = failed {
            reason = format!("log stream failed: {e}");
            break 'read;
        }
    }
    let _ = tx.send(Msg::LogEnded { stream, reason }).await;
}
