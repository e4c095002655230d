//! `GET /containers/{id}/logs`: the history, then (with `follow`) new lines
//! until the followed run of the container ends.
//!
//! Non-TTY output is multiplexed: each line is one frame with an 8-byte
//! header `[stream, 0, 0, 0, len as u32 big-endian]`. TTY output is raw.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tokio::sync::watch;

use super::api::{ActiveGuard, AppState, Query, Ref, Shared, bool_value};
use super::clock::{Nanos, SEC, parse_timestamp, rfc3339_fixed};
use super::loggen;
use super::loghist::{Entry, LineText};
use super::spec::{LogStream, LogStyle};
use super::world::{ApiError, Status};

/// The longest message a log driver stores: 16 KiB (the engine's
/// `defaultBufSize` for reading a container's output; longer lines are
/// stored as partial messages).
const MAX_MESSAGE: usize = 16 * 1024;

/// Most lines sent in one chunk of a follow stream.
const BATCH: usize = 512;

/// How to turn entries into bytes for one request.
#[derive(Clone)]
struct Format {
    style: LogStyle,
    seed: u64,
    tty: bool,
    stdout: bool,
    stderr: bool,
    timestamps: bool,
    since: Option<Nanos>,
    until: Option<Nanos>,
}

impl Format {
    fn wants(&self, e: &Entry) -> bool {
        let stream_ok = match e.stream {
            LogStream::Stdout => self.stdout,
            LogStream::Stderr => self.stderr,
        };
        stream_ok && self.since.is_none_or(|s| e.ts >= s) && self.until.is_none_or(|u| e.ts <= u)
    }

    /// One message per stored piece: as the engine's log drivers do, a line
    /// longer than [`MAX_MESSAGE`] is stored as several messages (the last
    /// one ends with the newline), and with `timestamps` each message gets
    /// its own stamp, so continuations carry a stamp too (moby#37681,
    /// docker/cli#4941: `docker logs -t` shows it mid-line). The split is
    /// by bytes and may cut a UTF-8 character, as the engine's does.
    fn write(&self, e: &Entry, out: &mut Vec<u8>) {
        let text: std::borrow::Cow<'_, str> = match &e.text {
            LineText::Gen(n) => loggen::render(self.style, self.seed, *n, e.ts).into(),
            LineText::Lit(s) => (**s).into(),
        };
        let mut pieces = text.as_bytes().chunks(MAX_MESSAGE).peekable();
        if pieces.peek().is_none() {
            self.write_message(e, b"", true, out);
        }
        while let Some(piece) = pieces.next() {
            self.write_message(e, piece, pieces.peek().is_none(), out);
        }
    }

    fn write_message(&self, e: &Entry, piece: &[u8], last: bool, out: &mut Vec<u8>) {
        let mut message = Vec::with_capacity(piece.len() + 40);
        if self.timestamps {
            message.extend_from_slice(rfc3339_fixed(e.ts).as_bytes());
            message.push(b' ');
        }
        message.extend_from_slice(piece);
        if last {
            message.push(b'\n');
        }
        if !self.tty {
            let len = u32::try_from(message.len()).unwrap_or(u32::MAX);
            out.extend_from_slice(&[e.stream.frame_byte(), 0, 0, 0]);
            out.extend_from_slice(&len.to_be_bytes());
        }
        out.extend_from_slice(&message);
    }

    fn render<'a>(&self, entries: impl IntoIterator<Item = &'a Entry>) -> Vec<u8> {
        let mut out = Vec::new();
        for e in entries {
            self.write(e, &mut out);
        }
        out
    }
}

/// 0 and absent both mean "no bound", as the clients send `since=0`.
fn time_param(q: &HashMap<String, String>, key: &str) -> Result<Option<Nanos>, ApiError> {
    match q
        .get(key)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty() && *v != "0")
    {
        None => Ok(None),
        Some(v) => parse_timestamp(v)
            .map(Some)
            .ok_or_else(|| ApiError::new(400, format!("invalid value for {key}: {v}"))),
    }
}

/// `tail`: "all", or a count; anything else means all, as in the engine.
fn tail_param(q: &HashMap<String, String>) -> Option<usize> {
    q.get("tail")
        .and_then(|t| t.trim().parse::<i64>().ok())
        .and_then(|n| usize::try_from(n).ok())
}

pub(crate) async fn logs(
    State(shared): State<AppState>,
    Ref(id): Ref,
    q: Query,
) -> Result<Response, ApiError> {
    shared.counters.log_requests.fetch_add(1, Ordering::Relaxed);
    let stdout = bool_value(&q, "stdout");
    let stderr = bool_value(&q, "stderr");
    if !stdout && !stderr {
        return Err(ApiError::new(
            400,
            "Bad parameters: you must choose at least one stream",
        ));
    }
    let follow = bool_value(&q, "follow");
    let since = time_param(&q, "since")?;
    let until = time_param(&q, "until")?;
    let tail = tail_param(&q);

    let (world, _now) = shared.world_now().await;
    let c = world.get(&id).ok_or_else(|| ApiError::no_such(&id))?;
    let fmt = Format {
        style: c.spec.behaviour.style,
        seed: c.seed,
        tty: c.spec.tty,
        stdout,
        stderr,
        timestamps: bool_value(&q, "timestamps"),
        since,
        until,
    };
    let mut history: Vec<Entry> = c.logs.iter().filter(|e| fmt.wants(e)).cloned().collect();
    if let Some(n) = tail {
        let drop = history.len().saturating_sub(n);
        history.drain(..drop);
    }
    let live = matches!(c.status, Status::Running | Status::Paused);
    let follower = Follower {
        shared: shared.clone(),
        id: c.id.clone(),
        next_seq: c.logs.next_seq(),
        die_no: c.dies + 1,
        notify: c.subscribe(),
        shutdown: shared.shutdown.clone(),
        fmt: fmt.clone(),
        _guard: None,
    };
    drop(world);

    let content_type = if fmt.tty {
        "application/vnd.docker.raw-stream"
    } else {
        "application/vnd.docker.multiplexed-stream"
    };
    let first = fmt.render(&history);
    let ended_by_until = until.is_some_and(|u| u <= shared.clock.now());
    if !follow || !live || ended_by_until {
        return Ok(([(header::CONTENT_TYPE, content_type)], first).into_response());
    }
    let follower = Follower {
        _guard: Some(ActiveGuard::new(shared.clone(), |c| &c.log_follows_active)),
        ..follower
    };
    let head = (!first.is_empty()).then(|| Bytes::from(first));
    let stream = futures::stream::unfold((head, follower), |(head, mut f)| async move {
        if let Some(h) = head {
            return Some((Ok::<Bytes, Infallible>(h), (None, f)));
        }
        let chunk = f.next_chunk().await?;
        Some((Ok(chunk), (None, f)))
    });
    Ok((
        [(header::CONTENT_TYPE, content_type)],
        Body::from_stream(stream),
    )
        .into_response())
}

struct Follower {
    shared: Arc<Shared>,
    id: String,
    next_seq: u64,
    /// The death that ends this follow: the next one after it began.
    die_no: u64,
    notify: watch::Receiver<u64>,
    shutdown: watch::Receiver<bool>,
    fmt: Format,
    _guard: Option<ActiveGuard>,
}

impl Follower {
    /// The next non-empty chunk, or `None` when the stream should end.
    async fn next_chunk(&mut self) -> Option<Bytes> {
        loop {
            if *self.shutdown.borrow() {
                return None;
            }
            self.notify.borrow_and_update();
            let (batch, ended) = {
                let world = self.shared.world.lock().await;
                let c = world.get(&self.id)?;
                let end = if c.dies >= self.die_no {
                    // A death that fell out of the marks ends the stream now.
                    c.die_mark(self.die_no).unwrap_or(self.next_seq)
                } else {
                    u64::MAX
                };
                let (batch, next) = c.logs.range(self.next_seq, end, BATCH);
                self.next_seq = next;
                let drained = next >= end.min(c.logs.next_seq());
                let ended = drained
                    && (end != u64::MAX || !matches!(c.status, Status::Running | Status::Paused));
                (batch, ended)
            };
            let past_until = self
                .fmt
                .until
                .is_some_and(|u| batch.last().is_some_and(|e| e.ts > u));
            let wanted: Vec<&Entry> = batch.iter().filter(|e| self.fmt.wants(e)).collect();
            if !wanted.is_empty() {
                return Some(Bytes::from(self.fmt.render(wanted)));
            }
            if ended || past_until {
                return None;
            }
            if !batch.is_empty() {
                continue;
            }
            let wait_until = self
                .fmt
                .until
                .map(|u| u.saturating_sub(self.shared.clock.now()));
            tokio::select! {
                changed = self.notify.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
                _ = self.shutdown.changed() => return None,
                _ = sleep_for(wait_until) => return None,
            }
        }
    }
}

async fn sleep_for(ns: Option<Nanos>) {
    match ns {
        Some(ns) => {
            let ms = u64::try_from(ns.max(0) / (SEC / 1000)).unwrap_or(0);
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
        }
        None => std::future::pending::<()>().await,
    }
}
