//! `GET /events`: newline-delimited JSON. With `since`, recorded events are
//! replayed first; with `until` in the past the response simply ends.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::api::{ActiveGuard, AppState, Query, stopping};
use super::clock::{Nanos, SEC, parse_timestamp};
use super::filters::{self, Filters};
use super::world::{ApiError, Event};

fn render(e: &Event) -> String {
    let mut s = json!({
        "status": e.action,
        "id": e.id,
        "from": e.attributes.get("image").cloned().unwrap_or_default(),
        "Type": e.kind,
        "Action": e.action,
        "Actor": {"ID": e.id, "Attributes": e.attributes},
        "scope": "local",
        "time": e.time.div_euclid(SEC),
        "timeNano": e.time
    })
    .to_string();
    s.push('\n');
    s
}

fn time_param(q: &Query, key: &str) -> Result<Option<Nanos>, ApiError> {
    match q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse_timestamp(v)
            .map(Some)
            .ok_or_else(|| ApiError::new(400, format!("invalid value for {key}: {v}"))),
    }
}

struct Live {
    rx: tokio::sync::broadcast::Receiver<Arc<Event>>,
    filters: Filters,
    until: Option<Nanos>,
    shared: AppState,
    _guard: ActiveGuard,
}

impl Live {
    async fn next_chunk(&mut self) -> Option<Bytes> {
        let mut shutdown = self.shared.shutdown.clone();
        loop {
            let wait = self.until.map(|u| {
                let ns = (u.saturating_sub(self.shared.clock.now())).max(0);
                std::time::Duration::from_nanos(u64::try_from(ns).unwrap_or(0))
            });
            let recv = tokio::select! {
                r = self.rx.recv() => r,
                _ = stopping(&mut shutdown) => return None,
                _ = sleep_opt(wait) => return None,
            };
            match recv {
                Ok(e) => {
                    if self.until.is_some_and(|u| e.time > u) {
                        return None;
                    }
                    if filters::event_matches(&e, &self.filters) {
                        return Some(Bytes::from(render(&e)));
                    }
                }
                // A slow reader skips what it missed, like a real daemon's
                // dropped subscriber would.
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

async fn sleep_opt(d: Option<std::time::Duration>) {
    match d {
        Some(d) => tokio::time::sleep(d).await,
        None => std::future::pending::<()>().await,
    }
}

pub(crate) async fn events(State(shared): State<AppState>, q: Query) -> Result<Response, ApiError> {
    let f = filters::parse_events(q.get("filters"))?;
    let since = time_param(&q, "since")?;
    let until = time_param(&q, "until")?;
    let (world, now) = shared.world_now().await;
    let (history, rx) = world.subscribe_events();
    drop(world);
    let replay: String = match since {
        Some(s) => history
            .iter()
            .filter(|e| e.time >= s && until.is_none_or(|u| e.time <= u))
            .filter(|e| filters::event_matches(e, &f))
            .map(|e| render(e))
            .collect(),
        None => String::new(),
    };
    let json_type = [(header::CONTENT_TYPE, "application/json")];
    if until.is_some_and(|u| u <= now) {
        return Ok((json_type, replay).into_response());
    }
    let live = Live {
        rx,
        filters: f,
        until,
        shared: shared.clone(),
        _guard: ActiveGuard::new(shared.clone(), |c| &c.events_streams_active),
    };
    let head = (!replay.is_empty()).then(|| Bytes::from(replay));
    let body = futures::stream::unfold((head, live), |(head, mut live)| async move {
        if let Some(h) = head {
            return Some((Ok::<Bytes, Infallible>(h), (None, live)));
        }
        let chunk = live.next_chunk().await?;
        Some((Ok(chunk), (None, live)))
    });
    Ok((json_type, Body::from_stream(body)).into_response())
}
