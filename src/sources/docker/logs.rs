use std::sync::Arc;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::msg::{LogPart, Msg};
use crate::logview::{LineSource, Stream, is_rfc3339};

use super::super::kit::{StreamTasks, log_note};
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
    let reason = follow_one(&docker, stream, &container_id, From::Tail(tail), None, &tx).await;
    let _ = tx.send(Msg::LogEnded { stream, reason }).await;
}

/// Where a log is read from: its last lines, or everything since a
/// moment (a container joining a merged log, read from its start).
#[derive(Debug, Clone, Copy)]
pub enum From {
    Tail(u64),
    Since(i64),
}

/// A container joining an open merged log: (id, tag, its start).
pub type Joiner = (String, String, i64);

/// Follows several containers' logs in one stream (a compose project),
/// every line tagged with its member's tag, as a Kubernetes workload's
/// merged log is. Containers the core sends later (`joins`) are added
/// from their start; a member that joins again (restarted) replaces its
/// old reader. The stream lasts as long as its view: a member can still
/// join after every other log has ended.
pub async fn follow_merged(
    docker: Docker,
    stream: StreamId,
    members: Vec<(String, String)>,
    tail: u64,
    mut joins: mpsc::UnboundedReceiver<Joiner>,
    tx: mpsc::Sender<Msg>,
) {
    let mut followers: StreamTasks<String> = StreamTasks::default();
    for (id, tag) in members {
        let member = follow_member(
            docker.clone(),
            stream,
            id.clone(),
            tag,
            From::Tail(tail),
            tx.clone(),
        );
        followers.start(id, member);
    }
    while let Some((id, tag, since)) = joins.recv().await {
        let member = follow_member(
            docker.clone(),
            stream,
            id.clone(),
            tag,
            From::Since(since),
            tx.clone(),
        );
        followers.start(id, member);
    }
}

async fn follow_member(
    docker: Docker,
    stream: StreamId,
    id: String,
    tag: String,
    from: From,
    tx: mpsc::Sender<Msg>,
) {
    if !log_note(&tx, stream, &tag, format!("+ {tag} joined")).await {
        return;
    }
    let shared: Arc<str> = Arc::from(tag.as_str());
    let end = follow_one(&docker, stream, &id, from, Some(shared), &tx).await;
    let _ = log_note(&tx, stream, &tag, format!("- {tag}: {end}")).await;
}

/// One container's log until it ends; the reason it ended, in words.
async fn follow_one(
    docker: &Docker,
    stream: StreamId,
    container_id: &str,
    from: From,
    tag: Option<Arc<str>>,
    tx: &mpsc::Sender<Msg>,
) -> String {
    let (tail, since) = match from {
        From::Tail(n) => (n.to_string(), 0),
        // The API takes seconds as an i32; a moment past 2038 reads all.
        From::Since(at) => ("all".to_string(), i32::try_from(at).unwrap_or(0)),
    };
    let options = LogsOptions {
        follow: true,
        stdout: true,
        stderr: true,
        timestamps: true,
        tail,
        since,
        ..Default::default()
    };
    let mut frames = docker
        .logs(container_id, Some(options))
        .ready_chunks(BATCH_FRAMES);
    let mut reason = "end of log: the container is not running".to_string();
    let mut stamps = ContinuationStamps::default();
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
            let bytes = stamps.strip(which, &bytes);
            match parts.last_mut() {
                Some(last) if last.source.stream == which => last.bytes.extend_from_slice(bytes),
                _ => parts.push(LogPart::new(
                    LineSource {
                        stream: which,
                        tag: tag.clone(),
                    },
                    bytes.to_vec(),
                )),
            }
        }
        if !parts.is_empty() {
            let msg = Msg::LogChunk { stream, parts };
            if tx.send(msg).await.is_err() {
                return "the log view closed".into();
            }
        }
        if let Some(e) = failed {
            reason = format!("log stream failed: {e}");
            break 'read;
        }
    }
    reason
}

/// The engine's log drivers store a line longer than 16 KiB as several
/// messages, and with `timestamps=true` the engine stamps every message,
/// so the stamp of each continuation lands inside the line (moby#37681,
/// docker/cli#4941; `docker logs -t` shows the same). A message that does
/// not follow a newline on its stream is such a continuation: its leading
/// stamp is dropped, and the line's own stamp (its first) stays.
#[derive(Default)]
struct ContinuationStamps {
    /// Per stream (stdout, stderr): the last frame did not end a line.
    mid_line: [bool; 2],
}

impl ContinuationStamps {
    fn strip<'a>(&mut self, stream: Stream, bytes: &'a [u8]) -> &'a [u8] {
        let slot = usize::from(stream == Stream::Stderr);
        let mid_line = std::mem::replace(
            &mut self.mid_line[slot],
            bytes.last().is_some_and(|b| *b != b'\n'),
        );
        if !mid_line {
            return bytes;
        }
        // RFC3339Nano with a zone offset is at most 35 bytes.
        let stamp_end = bytes.iter().take(36).position(|b| *b == b' ');
        match stamp_end {
            Some(end) if is_rfc3339(&bytes[..end]) => &bytes[end + 1..],
            _ => bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_keeps_only_its_first_stamp() {
        let mut stamps = ContinuationStamps::default();
        let first = b"2026-12-07T03:00:00.000000001Z aaaa";
        let next = b"2026-12-07T03:00:00.000000002Z bbbb";
        let last = b"2026-12-07T03:00:00.000000003Z cc\n";
        assert_eq!(stamps.strip(Stream::Stdout, first), first);
        assert_eq!(stamps.strip(Stream::Stdout, next), b"bbbb");
        assert_eq!(stamps.strip(Stream::Stdout, last), b"cc\n");
        // A new line starts with its own stamp, which stays.
        let new_line = b"2026-12-07T03:00:01Z next\n";
        assert_eq!(stamps.strip(Stream::Stdout, new_line), new_line);
    }

    #[test]
    fn streams_are_continued_separately_and_text_is_never_cut() {
        let mut stamps = ContinuationStamps::default();
        assert_eq!(
            stamps.strip(Stream::Stdout, b"2026-12-07T03:00:00Z half"),
            b"2026-12-07T03:00:00Z half"
        );
        // stderr was not mid-line: its stamp is the line's own.
        let err = b"2026-12-07T03:00:00Z oops\n";
        assert_eq!(stamps.strip(Stream::Stderr, err), err);
        // A continuation that does not start with a stamp (a TTY stream cut
        // anywhere) is left whole.
        assert_eq!(
            stamps.strip(Stream::Stdout, b"12:00 not a stamp\n"),
            b"12:00 not a stamp\n"
        );
    }
}
