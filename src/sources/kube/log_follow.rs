//! One container's log stream, kept going through API-server restarts.
//!
//! Every line carries the kubelet's timestamp (`timestamps=true`), so a
//! follow cut by a lost connection resumes with `sinceTime` once the
//! server answers again. `sinceTime` is whole seconds on the wire (a
//! `metav1.Time`; kube rounds it to the second) and the kubelet sends every
//! line at or after it, so the resumed stream starts at the second of the
//! last line shown and the lines already shown are skipped: those older
//! than the last timestamp, and as many at that exact timestamp as were
//! shown. The viewer gets a plain note where the stream was cut.

use std::pin::Pin;

use chrono::{DateTime, Utc};
use futures::{AsyncBufRead, AsyncBufReadExt, FutureExt};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, LogParams};
use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::msg::{LogPart, Msg};
use crate::logview::{LineSource, Stream};

use super::super::kit::{Backoff, Policy};
use super::errors::{is_connection_error, plain_error};

/// Most bytes handed to the UI in one message.
const BATCH_BYTES: usize = 64 * 1024;
/// What the viewer shows where a followed log lost its connection.
pub const LOST_NOTE: &str = "— connection lost, resuming —";
/// What it shows once the log is followed again.
pub const RESUMED_NOTE: &str = "— resumed —";

pub type Reader = Pin<Box<dyn AsyncBufRead + Send>>;

/// Opens a log stream; the error is kube's, so callers can tell a log
/// that is gone from a server that is away.
pub async fn open(api: &Api<Pod>, pod: &str, params: &LogParams) -> Result<Reader, kube::Error> {
    let reader = api.log_stream(pod, params).await?;
    Ok(Box::pin(reader))
}

/// Where the log has got to: the last complete line's timestamp and how
/// many lines shown carry exactly that timestamp.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Seen {
    last: Option<DateTime<Utc>>,
    at_last: usize,
    /// The start of a line not yet complete, for its timestamp.
    carry: Vec<u8>,
}

fn stamp(line: &[u8]) -> Option<DateTime<Utc>> {
    let end = line.iter().position(|b| *b == b' ').unwrap_or(line.len());
    let text = std::str::from_utf8(line.get(..end)?).ok()?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl Seen {
    fn saw_line(&mut self, line: &[u8]) {
        let Some(ts) = stamp(line) else { return };
        if self.last == Some(ts) {
            self.at_last += 1;
        } else if self.last.is_none_or(|l| ts > l) {
            self.last = Some(ts);
            self.at_last = 1;
        }
    }

    /// Notes the lines of `bytes` (sent to the viewer as they are).
    pub fn saw(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some(nl) = rest.iter().position(|b| *b == b'\n') {
            let (line, tail) = rest.split_at(nl);
            if self.carry.is_empty() {
                self.saw_line(line);
            } else {
                let mut whole = std::mem::take(&mut self.carry);
                whole.extend_from_slice(line);
                self.saw_line(&whole);
            }
            rest = tail.get(1..).unwrap_or_default();
        }
        // A timestamp is at most ~36 bytes: that much of a partial line is
        // all that is needed of it.
        let room = 64usize.saturating_sub(self.carry.len());
        self.carry
            .extend_from_slice(rest.get(..rest.len().min(room)).unwrap_or_default());
    }

    /// Whether a line was cut in the middle (the viewer holds a partial).
    fn partial(&self) -> bool {
        !self.carry.is_empty()
    }

    /// `sinceTime` for the resumed stream: the second of the last line.
    fn since(&self) -> Option<k8s_openapi::jiff::Timestamp> {
        let last = self.last?;
        k8s_openapi::jiff::Timestamp::from_second(last.timestamp()).ok()
    }

    /// A filter for the resumed stream that drops what was shown already.
    fn skipper(&self) -> Skip {
        Skip {
            last: self.last,
            left_at_last: self.at_last,
            done: self.last.is_none(),
            carry: Vec::new(),
        }
    }
}

/// Drops the already-shown head of a resumed stream, line by line, until
/// the first new line; then passes bytes through untouched.
#[derive(Debug)]
struct Skip {
    last: Option<DateTime<Utc>>,
    left_at_last: usize,
    done: bool,
    carry: Vec<u8>,
}

impl Skip {
    fn keep(&mut self, line: &[u8]) -> bool {
        let (Some(last), Some(ts)) = (self.last, stamp(line)) else {
            return true;
        };
        if ts < last {
            return false;
        }
        if ts == last && self.left_at_last > 0 {
            self.left_at_last -= 1;
            return false;
        }
        self.done = true;
        true
    }

    /// The part of `bytes` to show.
    fn filter(&mut self, bytes: &[u8]) -> Vec<u8> {
        if self.done {
            return bytes.to_vec();
        }
        let mut out = Vec::new();
        let mut rest = bytes;
        while let Some(nl) = rest.iter().position(|b| *b == b'\n') {
            let (line, tail) = rest.split_at(nl);
            let mut whole = std::mem::take(&mut self.carry);
            whole.extend_from_slice(line);
            rest = tail.get(1..).unwrap_or_default();
            if self.keep(&whole) {
                out.extend_from_slice(&whole);
                out.push(b'\n');
                out.extend_from_slice(rest);
                return out;
            }
        }
        self.carry.extend_from_slice(rest);
        out
    }
}

/// How a stream stopped.
enum Stop {
    /// The log ended (the container stopped, or it was not followed).
    End,
    /// Nobody reads any more (the view closed).
    Closed,
    /// The connection broke mid-stream.
    Lost(std::io::Error),
}

/// One container's log, from its open stream until it ends.
pub struct Follower<'a> {
    pub api: &'a Api<Pod>,
    pub pod: &'a str,
    pub params: LogParams,
    pub tag: Option<String>,
    pub stream: StreamId,
    pub tx: &'a mpsc::Sender<Msg>,
}

impl Follower<'_> {
    fn source(&self, stream: Stream) -> LineSource {
        match &self.tag {
            Some(pod) => LineSource::tagged(stream, pod.as_str()),
            None => LineSource { stream, tag: None },
        }
    }

    /// A line of its own, marked as not coming from the container.
    pub async fn note(&self, text: &str) -> bool {
        let part = LogPart::new(self.source(Stream::Other), format!("{text}\n"));
        let msg = Msg::LogChunk {
            stream: self.stream,
            parts: vec![part],
        };
        self.tx.send(msg).await.is_ok()
    }

    async fn send(&self, bytes: Vec<u8>) -> bool {
        let msg = Msg::LogChunk {
            stream: self.stream,
            parts: vec![LogPart::new(self.source(Stream::Stdout), bytes)],
        };
        self.tx.send(msg).await.is_ok()
    }

    /// Streams `reader` and, while following, every resumed stream after a
    /// lost connection. Err is why it ended, in words.
    pub async fn run(&self, mut reader: Reader) -> Result<(), String> {
        let mut seen = Seen::default();
        let mut skip: Option<Skip> = None;
        loop {
            match self.pump(&mut reader, &mut seen, &mut skip).await {
                Stop::End | Stop::Closed => return Ok(()),
                Stop::Lost(e) if !self.params.follow => {
                    return Err(format!("log stream failed: {e}"));
                }
                Stop::Lost(e) => {
                    tracing::info!(pod = self.pod, error = %e, "log stream lost; resuming");
                    // End a line cut in the middle: it comes again whole.
                    if seen.partial() && !self.send(b"\n".to_vec()).await {
                        return Ok(());
                    }
                    seen.carry.clear();
                    if !self.note(LOST_NOTE).await {
                        return Ok(());
                    }
                    reader = self.resume(&seen).await?;
                    skip = Some(seen.skipper());
                    if !self.note(RESUMED_NOTE).await {
                        return Ok(());
                    }
                }
            }
        }
    }

    async fn pump(&self, reader: &mut Reader, seen: &mut Seen, skip: &mut Option<Skip>) -> Stop {
        loop {
            let mut batch = Vec::new();
            match reader.fill_buf().await {
                Ok([]) => return Stop::End,
                Ok(bytes) => {
                    batch.extend_from_slice(bytes);
                    let n = bytes.len();
                    reader.as_mut().consume(n);
                }
                Err(e) => return Stop::Lost(e),
            }
            // Take whatever else is already buffered, up to a batch.
            while batch.len() < BATCH_BYTES {
                match reader.fill_buf().now_or_never() {
                    Some(Ok(bytes)) if !bytes.is_empty() => {
                        batch.extend_from_slice(bytes);
                        let n = bytes.len();
                        reader.as_mut().consume(n);
                    }
                    _ => break,
                }
            }
            if let Some(s) = skip.as_mut() {
                batch = s.filter(&batch);
                if s.done {
                    *skip = None;
                }
                if batch.is_empty() {
                    continue;
                }
            }
            if self.params.follow {
                seen.saw(&batch);
            }
            if !self.send(batch).await {
                return Stop::Closed;
            }
        }
    }

    /// Re-opens the follow once the server answers, from the last line's
    /// second. A server still away is tried again every second or so; an
    /// answer that the log is gone ends it.
    async fn resume(&self, seen: &Seen) -> Result<Reader, String> {
        let mut params = self.params.clone();
        if let Some(since) = seen.since() {
            params.since_time = Some(since);
            params.since_seconds = None;
            params.tail_lines = None;
        }
        let mut backoff = Backoff::new(Policy::PROBE);
        loop {
            tokio::time::sleep(backoff.next_wait()).await;
            if self.tx.is_closed() {
                return Err("the log view closed".into());
            }
            match open(self.api, self.pod, &params).await {
                Ok(r) => return Ok(r),
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => return Err(plain_error(&e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("ts")
            .with_timezone(&Utc)
    }

    #[test]
    fn seen_tracks_the_last_timestamp_across_split_lines() {
        let mut seen = Seen::default();
        seen.saw(b"2026-01-01T10:00:00.5Z a\n2026-01-01T10:00:01.25Z b\n2026-01-01T10:00:01.2");
        assert_eq!(seen.last, Some(ts("2026-01-01T10:00:01.25Z")));
        assert!(seen.partial());
        seen.saw(b"5Z c\n");
        assert_eq!(seen.last, Some(ts("2026-01-01T10:00:01.25Z")));
        assert_eq!(seen.at_last, 2, "two lines at the same instant");
        assert_eq!(
            seen.since().map(|t| t.as_second()),
            Some(ts("2026-01-01T10:00:01Z").timestamp()),
            "whole seconds, never rounded up past the last line"
        );
    }

    #[test]
    fn a_resumed_stream_skips_exactly_what_was_shown() {
        let mut seen = Seen::default();
        seen.saw(b"2026-01-01T10:00:01.1Z a\n2026-01-01T10:00:01.7Z b\n2026-01-01T10:00:01.7Z c\n");
        let mut skip = seen.skipper();
        // The kubelet sends again from 10:00:01 on.
        let out =
            skip.filter(b"2026-01-01T10:00:01.1Z a\n2026-01-01T10:00:01.7Z b\n2026-01-01T10:0");
        assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
        let out = skip.filter(b"0:01.7Z c\n2026-01-01T10:00:01.7Z d\n2026-01-01T10:00:02Z e\n");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "2026-01-01T10:00:01.7Z d\n2026-01-01T10:00:02Z e\n"
        );
        assert!(skip.done);
        assert_eq!(skip.filter(b"anything\n"), b"anything\n");
    }
}
