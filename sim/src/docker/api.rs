//! The HTTP surface: routing (with and without the `/v1.xx` prefix), the
//! engine's common headers, errors as `{"message": ...}`, and the system
//! endpoints.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{FromRequestParts, OriginalUri, RawPathParams, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::json;
use tokio::sync::{Mutex, MutexGuard, watch};

use super::clock::{Clock, Nanos};
use super::lifecycle::Outcome;
use super::world::{ApiError, Status, World};
use super::{containers, events, logs, objects, stats};

pub(crate) const API_VERSION: &str = "1.53";
const MIN_API_MINOR: u32 = 24;
const MAX_API_MINOR: u32 = 53;
pub(crate) const ENGINE_VERSION: &str = "29.1.3";

#[derive(Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub stats_requests: AtomicU64,
    pub stats_streams_active: AtomicU64,
    pub log_requests: AtomicU64,
    pub log_follows_active: AtomicU64,
    pub events_streams_active: AtomicU64,
    /// Requests that may change the engine (any method but GET and HEAD).
    pub mutating_requests: AtomicU64,
}

pub(crate) struct Shared {
    pub world: Mutex<World>,
    pub clock: Clock,
    pub counters: Counters,
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    /// Locks the world and brings it up to the clock's now.
    pub(crate) async fn world_now(&self) -> (MutexGuard<'_, World>, Nanos) {
        let mut world = self.world.lock().await;
        let now = self.clock.now();
        world.step(now);
        (world, now)
    }
}

/// Resolves once the simulator is stopping (or its handle is gone).
pub(crate) async fn stopping(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await;
}

/// Decrements an active-stream counter when the stream is dropped, which
/// is also what happens when the client goes away.
pub(crate) struct ActiveGuard {
    shared: Arc<Shared>,
    which: fn(&Counters) -> &AtomicU64,
}

impl ActiveGuard {
    pub(crate) fn new(shared: Arc<Shared>, which: fn(&Counters) -> &AtomicU64) -> Self {
        which(&shared.counters).fetch_add(1, Ordering::SeqCst);
        ActiveGuard { shared, which }
    }
}

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        (self.which)(&self.shared.counters).fetch_sub(1, Ordering::SeqCst);
    }
}

pub(crate) type AppState = Arc<Shared>;
pub(crate) type Query = axum::extract::Query<HashMap<String, String>>;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(json!({ "message": self.message }))).into_response()
    }
}

impl IntoResponse for Outcome {
    fn into_response(self) -> Response {
        match self {
            Outcome::Done => StatusCode::NO_CONTENT.into_response(),
            Outcome::NotModified => StatusCode::NOT_MODIFIED.into_response(),
        }
    }
}

/// The `{id}` path segment: a full id, an id prefix or a name.
pub(crate) struct Ref(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Ref {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::new(400, "invalid path"))?;
        params
            .iter()
            .find(|(k, _)| *k == "id")
            .map(|(_, v)| Ref(v.to_string()))
            .ok_or_else(|| ApiError::new(400, "missing container id"))
    }
}

/// The engine's `BoolValue`: absent, "", "0", "no", "false", "none" are false.
pub(crate) fn bool_value(q: &HashMap<String, String>, key: &str) -> bool {
    match q.get(key) {
        None => false,
        Some(v) => {
            let v = v.trim().to_ascii_lowercase();
            !matches!(v.as_str(), "" | "0" | "no" | "false" | "none")
        }
    }
}

pub(crate) fn bool_or(q: &HashMap<String, String>, key: &str, default: bool) -> bool {
    match q.get(key) {
        None => default,
        Some(v) if v.trim().is_empty() => default,
        Some(_) => bool_value(q, key),
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let api: Router<AppState> = Router::new()
        .route("/_ping", get(ping))
        .route("/version", get(version))
        .route("/info", get(info))
        .route("/events", get(events::events))
        .route("/containers/json", get(containers::list))
        .route("/containers/{id}/json", get(containers::inspect))
        .route("/containers/{id}/logs", get(logs::logs))
        .route("/containers/{id}/stats", get(stats::stats))
        .route("/containers/{id}/start", post(containers::start))
        .route("/containers/{id}/stop", post(containers::stop))
        .route("/containers/{id}/restart", post(containers::restart))
        .route("/containers/{id}/kill", post(containers::kill))
        .route("/containers/{id}/pause", post(containers::pause))
        .route("/containers/{id}/unpause", post(containers::unpause))
        .route("/containers/{id}", delete(containers::remove))
        .route("/images/json", get(objects::list_images))
        .route("/images/prune", post(objects::prune_images))
        .route(
            "/images/{*id}",
            get(super::inspect::image).delete(objects::remove_image),
        )
        .route("/volumes", get(objects::list_volumes))
        .route("/volumes/prune", post(objects::prune_volumes))
        .route(
            "/volumes/{id}",
            get(super::inspect::volume).delete(objects::remove_volume),
        )
        .route("/networks", get(objects::list_networks))
        .route("/networks/prune", post(objects::prune_networks))
        .route(
            "/networks/{id}",
            get(super::inspect::network).delete(objects::remove_network),
        );
    let versioned = api.clone().layer(middleware::from_fn(check_version));
    Router::new()
        .merge(api)
        .nest("/{version}", versioned)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            engine_headers,
        ))
        .with_state(shared)
}

async fn not_found() -> ApiError {
    ApiError::new(404, "page not found")
}

/// Rejects a version prefix outside what this engine speaks, with the
/// engine's messages.
async fn check_version(OriginalUri(uri): OriginalUri, req: Request, next: Next) -> Response {
    let first = uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or("");
    let Some(ver) = first.strip_prefix('v') else {
        return not_found().await.into_response();
    };
    let minor = match ver.split_once('.') {
        Some(("1", minor)) => minor.parse::<u32>().ok(),
        _ => None,
    };
    match minor {
        None => not_found().await.into_response(),
        Some(m) if m < MIN_API_MINOR => ApiError::new(
            400,
            format!("client version {ver} is too old. Minimum supported API version is 1.{MIN_API_MINOR}, please upgrade your client to a newer version"),
        )
        .into_response(),
        Some(m) if m > MAX_API_MINOR => ApiError::new(
            400,
            format!("client version {ver} is too new. Maximum supported API version is {API_VERSION}"),
        )
        .into_response(),
        Some(_) => next.run(req).await,
    }
}

async fn engine_headers(State(shared): State<AppState>, req: Request, next: Next) -> Response {
    shared.counters.requests.fetch_add(1, Ordering::Relaxed);
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        shared
            .counters
            .mutating_requests
            .fetch_add(1, Ordering::Relaxed);
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert("api-version", HeaderValue::from_static(API_VERSION));
    h.insert("docker-experimental", HeaderValue::from_static("false"));
    h.insert("ostype", HeaderValue::from_static("linux"));
    h.insert(
        header::SERVER,
        HeaderValue::from_static("Docker/29.1.3 (linux)"),
    );
    res
}

async fn ping() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache, no-store, must-revalidate"),
            (header::PRAGMA, "no-cache"),
            (header::HeaderName::from_static("builder-version"), "2"),
            (header::HeaderName::from_static("swarm"), "inactive"),
        ],
        "OK",
    )
        .into_response()
}

async fn version() -> Json<serde_json::Value> {
    Json(json!({
        "Platform": { "Name": "opsdeck simulated engine" },
        "Components": [{
            "Name": "Engine",
            "Version": ENGINE_VERSION,
            "Details": {
                "ApiVersion": API_VERSION,
                "MinAPIVersion": format!("1.{MIN_API_MINOR}"),
                "Os": "linux",
                "Arch": "amd64",
                "Experimental": "false"
            }
        }],
        "Version": ENGINE_VERSION,
        "ApiVersion": API_VERSION,
        "MinAPIVersion": format!("1.{MIN_API_MINOR}"),
        "GitCommit": "0000000",
        "GoVersion": "go1.24.9",
        "Os": "linux",
        "Arch": "amd64",
        "KernelVersion": "6.8.0-sim",
        "BuildTime": "2025-11-01T00:00:00.000000000+00:00"
    }))
}

async fn info(State(shared): State<AppState>) -> Json<serde_json::Value> {
    let (world, _) = shared.world_now().await;
    let count = |f: fn(Status) -> bool| world.containers.iter().filter(|c| f(c.status)).count();
    let running = count(|s| matches!(s, Status::Running | Status::Restarting));
    let paused = count(|s| s == Status::Paused);
    let total = world.containers.len();
    Json(json!({
        "ID": "0b7e0a6c-sim-4f2a-9c1d-opsdeck",
        "Containers": total,
        "ContainersRunning": running,
        "ContainersPaused": paused,
        "ContainersStopped": total - running - paused,
        "Images": 12,
        "Driver": "overlayfs",
        "Name": "opsdeck-demo",
        "ServerVersion": ENGINE_VERSION,
        "OperatingSystem": "opsdeck simulated engine",
        "OSType": "linux",
        "Architecture": "x86_64",
        "KernelVersion": "6.8.0-sim",
        "NCPU": stats::HOST_CPUS,
        "MemTotal": stats::HOST_MEM,
        "DockerRootDir": "/var/lib/docker",
        "LoggingDriver": "json-file"
    }))
}
