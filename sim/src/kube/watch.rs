//! Watches: a chunked stream of `{"type":…,"object":…}` lines replayed from
//! the change history after the requested resourceVersion, with bookmarks,
//! `sendInitialEvents`, `timeoutSeconds`, and 410 Expired as an ERROR event.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::json;
use tokio::sync::watch;
use tokio::time::Instant;

use super::errors::{ApiError, json_bytes};
use super::list::{Filter, parse_rv, too_old};
use super::state::Shared;
use super::store::{Change, ChangeType, Kind};

/// The API server's default is 30–60 minutes, chosen at random.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1800);
/// Longer timeouts are cut to this, so a silly value cannot overflow a clock.
const MAX_TIMEOUT: Duration = Duration::from_secs(24 * 3600);
/// Events are sent in chunks so a burst does not hold the lock for long.
const CHUNK: usize = 2000;

fn event_line(out: &mut Vec<u8>, ty: &str, obj: &[u8]) {
    out.extend_from_slice(b"{\"type\":\"");
    out.extend_from_slice(ty.as_bytes());
    out.extend_from_slice(b"\",\"object\":");
    out.extend_from_slice(obj);
    out.extend_from_slice(b"}\n");
}

fn bookmark_line(out: &mut Vec<u8>, kind: Kind, rv: u64, initial_end: bool) {
    let mut meta = json!({"resourceVersion": rv.to_string(), "creationTimestamp": null});
    if initial_end {
        meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
    }
    let obj = json!({"kind": kind.name(), "apiVersion": kind.api_version(), "metadata": meta});
    event_line(out, "BOOKMARK", obj.to_string().as_bytes());
}

fn error_line(out: &mut Vec<u8>, err: &ApiError) {
    event_line(out, "ERROR", err.to_value().to_string().as_bytes());
}

/// How one change looks through a filter: objects entering or leaving the
/// selection appear as ADDED or DELETED, as from the real watch cache.
fn translate<'a>(c: &'a Change, f: &Filter) -> Option<(&'static str, &'a [u8])> {
    if c.kind != f.kind {
        return None;
    }
    let now = f.matches(&c.obj.value);
    let was = c.prev.as_ref().map_or(now, |p| f.matches(&p.value));
    let ty = match (c.ty, was, now) {
        (ChangeType::Added, _, true) => ChangeType::Added,
        (ChangeType::Deleted, true, _) => ChangeType::Deleted,
        (ChangeType::Modified, true, true) => ChangeType::Modified,
        (ChangeType::Modified, false, true) => ChangeType::Added,
        (ChangeType::Modified, true, false) => ChangeType::Deleted,
        _ => return None,
    };
    Some((ty.word(), &c.obj.json))
}

struct Watch {
    shared: Arc<Shared>,
    filter: Filter,
    cursor: u64,
    bookmarks: bool,
    bookmark_every: Duration,
    next_bookmark: Instant,
    deadline: Instant,
    pending: VecDeque<Bytes>,
    rv_rx: watch::Receiver<u64>,
    drop_rx: watch::Receiver<u64>,
    /// After this, end the stream (cleanly, or with an error).
    finish: Option<bool>,
}

pub(crate) fn handle(
    shared: Arc<Shared>,
    kind: Kind,
    ns: Option<&str>,
    q: &HashMap<String, String>,
) -> Response {
    if kind == Kind::Pod {
        shared.pod_reads.asked(q);
    }
    match start(shared, kind, ns, q) {
        Ok(w) => {
            let mut resp = json_bytes(StatusCode::OK, Body::from_stream(stream(w)));
            resp.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-cache, private"),
            );
            resp
        }
        Err(e) => e.into_response(),
    }
}

fn start(
    shared: Arc<Shared>,
    kind: Kind,
    ns: Option<&str>,
    q: &HashMap<String, String>,
) -> Result<Watch, ApiError> {
    let filter = Filter::parse(kind, ns, q)?;
    let rv = parse_rv(q)?;
    let flag = |k: &str| q.get(k).is_some_and(|v| v == "true" || v == "1");
    let bookmarks = flag("allowWatchBookmarks");
    let initial = flag("sendInitialEvents");
    if initial && q.get("resourceVersionMatch").map(String::as_str) != Some("NotOlderThan") {
        return Err(ApiError::invalid(
            kind,
            "",
            "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ));
    }
    if initial && !bookmarks {
        return Err(ApiError::invalid(
            kind,
            "",
            "allowWatchBookmarks: Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true",
        ));
    }
    let timeout = match q.get("timeoutSeconds").map(|t| t.parse::<u64>()) {
        None => DEFAULT_TIMEOUT,
        Some(Ok(s)) => Duration::from_secs(s).min(MAX_TIMEOUT),
        Some(Err(_)) => return Err(ApiError::bad_request("invalid timeoutSeconds")),
    };
    // Subscribe before reading so no change between the two is missed.
    let rv_rx = shared.subscribe_rv();
    let drop_rx = shared.subscribe_drop();
    let (cursor, first, finish, every) = shared.read(|st| -> Result<_, ApiError> {
        let store = &st.store;
        let current = store.rv();
        let mut out = Vec::new();
        let mut finish = None;
        let cursor = match rv {
            // Unset and "0" start with the current state as ADDED events.
            None | Some(0) => {
                let mut sent = 0;
                for (_, o) in store.range(kind, filter.ns.as_deref(), None) {
                    if filter.matches(&o.value) {
                        event_line(&mut out, "ADDED", &o.json);
                        sent += 1;
                    }
                }
                if kind == Kind::Pod {
                    shared.pod_reads.sent(sent);
                }
                if initial {
                    bookmark_line(&mut out, kind, current, true);
                }
                current
            }
            Some(n) if n > current => return Err(ApiError::too_large_rv(n, current)),
            Some(n) if n < store.oldest_admitted() => {
                error_line(&mut out, &too_old(n, store.oldest_admitted()));
                finish = Some(true);
                n
            }
            Some(n) => n,
        };
        Ok((cursor, out, finish, st.config.bookmark_interval))
    })?;
    let now = Instant::now();
    let mut pending = VecDeque::new();
    if !first.is_empty() {
        pending.push_back(Bytes::from(first));
    }
    Ok(Watch {
        shared,
        filter,
        cursor,
        bookmarks,
        bookmark_every: every,
        next_bookmark: now + every,
        deadline: now + timeout,
        pending,
        rv_rx,
        drop_rx,
        finish,
    })
}

enum Poll {
    Data,
    Idle,
}

impl Watch {
    /// Reads changes after the cursor into `pending`.
    fn collect(&mut self) -> Poll {
        self.rv_rx.borrow_and_update();
        let filter = &self.filter;
        let cursor = self.cursor;
        let got = self.shared.read(|st| {
            st.store.changes_after(cursor, CHUNK).map(|changes| {
                let mut out = Vec::new();
                let mut sent = 0;
                for c in &changes {
                    if let Some((ty, obj)) = translate(c, filter) {
                        event_line(&mut out, ty, obj);
                        sent += usize::from(c.kind == Kind::Pod);
                    }
                }
                self.shared.pod_reads.sent(sent);
                let last = changes.last().map(|c| c.rv);
                let full = changes.len() == CHUNK;
                (out, last, full)
            })
        });
        match got {
            Err(e) => {
                let mut out = Vec::new();
                error_line(&mut out, &too_old(cursor, e.oldest));
                self.pending.push_back(Bytes::from(out));
                self.finish = Some(true);
                Poll::Data
            }
            Ok((out, last, full)) => {
                if let Some(rv) = last {
                    self.cursor = rv;
                }
                if !out.is_empty() {
                    self.pending.push_back(Bytes::from(out));
                }
                if full { Poll::Data } else { Poll::Idle }
            }
        }
    }

    /// A bookmark carries the cursor: every change up to it has been
    /// delivered (or filtered out) on this stream.
    fn bookmark(&mut self) {
        if self.finish.is_none() {
            let mut out = Vec::new();
            bookmark_line(&mut out, self.filter.kind, self.cursor, false);
            self.pending.push_back(Bytes::from(out));
        }
    }
}

fn stream(w: Watch) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures::stream::unfold(w, |mut w| async move {
        loop {
            if let Some(b) = w.pending.pop_front() {
                return Some((Ok(b), w));
            }
            match w.finish {
                Some(true) => return None,
                Some(false) => {
                    let err =
                        std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "watch dropped");
                    w.finish = Some(true);
                    return Some((Err(err), w));
                }
                None => {}
            }
            if let Poll::Data = w.collect() {
                continue;
            }
            if !w.pending.is_empty() {
                continue;
            }
            let bookmark_at = if w.bookmarks {
                w.next_bookmark
            } else {
                w.deadline
            };
            tokio::select! {
                _ = w.drop_rx.changed() => w.finish = Some(false),
                _ = tokio::time::sleep_until(w.deadline) => {
                    // Like the API server, say where we got to before closing.
                    if w.bookmarks {
                        w.bookmark();
                    }
                    w.finish = Some(true);
                }
                _ = tokio::time::sleep_until(bookmark_at), if w.bookmarks => {
                    w.next_bookmark = Instant::now() + w.bookmark_every;
                    w.bookmark();
                }
                changed = w.rv_rx.changed() => {
                    if changed.is_err() {
                        w.finish = Some(true);
                    }
                }
            }
        }
    })
}
