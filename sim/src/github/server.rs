//! The HTTP side: what every API request goes through before and after its
//! route (outage, credentials, secondary and primary rate limits, counters,
//! response headers), and the second origin that serves signed log URLs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Body as AxumBody;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use bytes::Bytes;
use chrono::DateTime;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::http::{BAD_CREDENTIALS, Body, RATE_LIMITED, Reply, Req, SECONDARY_LIMITED};
use super::logs;
use super::routes::{self, log_signature};
use super::world::{RateLimit, World};

pub(crate) struct Shared {
    pub world: Mutex<World>,
    pub counters: Counters,
    pub hangs: super::fault::Hangs,
}

impl Shared {
    /// A panic in one handler must not take the simulator down with it.
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Default)]
pub(crate) struct Counters {
    pub requests: AtomicU64,
    pub not_modified: AtomicU64,
    pub rate_limited: AtomicU64,
    pub unauthorized: AtomicU64,
    pub log_downloads: AtomicU64,
    pub log_downloads_with_auth: AtomicU64,
    /// Requests that may change something (any method but GET and HEAD),
    /// counted before credentials and limits are checked.
    pub mutating_requests: AtomicU64,
}

fn bump(counter: &AtomicU64) -> u64 {
    counter.fetch_add(1, Ordering::Relaxed) + 1
}

pub(crate) fn api_router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(api).with_state(shared)
}

pub(crate) fn pipelines_router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(pipelines).with_state(shared)
}

pub(crate) async fn serve(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    let signal = async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };
    let _ = axum::serve(listener, router)
        .with_graceful_shutdown(signal)
        .await;
}

async fn api(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req = Req {
        method,
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        headers,
        body,
    };
    shared.hangs.wait(&req.path).await;
    let mut world = shared.lock();
    answer(&mut world, &shared.counters, &req)
}

enum Credentials {
    Missing,
    Wrong,
    Good,
}

fn credentials(req: &Req, token: &str) -> Credentials {
    let Some(value) = req.headers.get(header::AUTHORIZATION) else {
        return Credentials::Missing;
    };
    let value = value.to_str().unwrap_or("");
    // GitHub takes both `Bearer <token>` (what octocrab sends) and `token <token>`.
    let given = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("token "));
    if given == Some(token) {
        Credentials::Good
    } else {
        Credentials::Wrong
    }
}

fn answer(world: &mut World, counters: &Counters, req: &Req) -> Response {
    let id = bump(&counters.requests);
    if !matches!(req.method, Method::GET | Method::HEAD) {
        bump(&counters.mutating_requests);
    }
    if let Some(status) = world.outage {
        // The front end is down: no rate-limit bookkeeping happens.
        return finish(Reply::raw_json(status, super::http::SERVER_ERROR), None, id);
    }
    let now = world.sync();
    world.rate.roll(now);
    match credentials(req, &world.token) {
        // DOCS-TS: a private resource answers 404, not 403, to a request
        // that is not authenticated.
        Credentials::Missing => return finish(Reply::not_found(), Some(&world.rate), id),
        Credentials::Wrong => {
            bump(&counters.unauthorized);
            let reply = Reply::raw_json(StatusCode::UNAUTHORIZED, BAD_CREDENTIALS);
            return finish(reply, Some(&world.rate), id);
        }
        Credentials::Good => {}
    }
    if let Some(until) = world.secondary_until.filter(|until| *until > now) {
        bump(&counters.rate_limited);
        let wait_ms = (until - now).num_milliseconds().max(1);
        let reply = Reply {
            retry_after: Some((wait_ms as u64).div_ceil(1000)),
            ..Reply::raw_json(StatusCode::FORBIDDEN, SECONDARY_LIMITED)
        };
        return finish(reply, Some(&world.rate), id);
    }
    if world.rate.remaining == 0 && req.path != "/rate_limit" {
        bump(&counters.rate_limited);
        let reply = Reply::raw_json(world.rate.status, RATE_LIMITED);
        return finish(reply, Some(&world.rate), id);
    }
    let reply = routes::dispatch(world, req, now);
    if let Some(repo) = repo_of(&req.path) {
        let count = world.per_repo.entry(repo).or_default();
        count.0 += 1;
        count.1 += u64::from(reply.status == StatusCode::NOT_MODIFIED);
    }
    if reply.status == StatusCode::NOT_MODIFIED {
        // DOCS-BP: a 304 does not count against the primary rate limit.
        bump(&counters.not_modified);
    } else if reply.counts {
        world.rate.remaining = world.rate.remaining.saturating_sub(1);
    }
    finish(reply, Some(&world.rate), id)
}

/// `owner/name` of a `/repos/{owner}/{repo}/…` path.
fn repo_of(path: &str) -> Option<String> {
    let mut parts = path.strip_prefix("/repos/")?.split('/');
    let owner = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    Some(format!("{owner}/{name}"))
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

fn finish(reply: Reply, rate: Option<&RateLimit>, request_id: u64) -> Response {
    let (body, content_type) = match reply.body {
        Body::Empty => (AxumBody::empty(), None),
        Body::Json(bytes) => (
            AxumBody::from(bytes),
            Some("application/json; charset=utf-8"),
        ),
    };
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    let h = response.headers_mut();
    if let Some(content_type) = content_type {
        set(h, header::CONTENT_TYPE, content_type);
    }
    if let Some(rate) = rate {
        let pairs = [
            ("x-ratelimit-limit", rate.limit.to_string()),
            ("x-ratelimit-remaining", rate.remaining.to_string()),
            ("x-ratelimit-reset", rate.reset.to_string()),
            ("x-ratelimit-used", rate.used().to_string()),
            ("x-ratelimit-resource", "core".to_string()),
        ];
        for (name, value) in pairs {
            set(h, HeaderName::from_static(name), &value);
        }
    }
    if let Some(etag) = &reply.etag {
        set(h, header::ETAG, etag);
        set(h, header::CACHE_CONTROL, "private, max-age=60, s-maxage=60");
        set(
            h,
            header::VARY,
            "Accept, Authorization, Cookie, X-GitHub-OTP",
        );
    }
    if let Some(link) = &reply.link {
        set(h, header::LINK, link);
    }
    if let Some(location) = &reply.location {
        set(h, header::LOCATION, location);
    }
    if let Some(secs) = reply.retry_after {
        set(h, header::RETRY_AFTER, &secs.to_string());
    }
    set(
        h,
        HeaderName::from_static("x-github-media-type"),
        "github.v3; format=json",
    );
    set(
        h,
        HeaderName::from_static("x-github-api-version-selected"),
        "2022-11-28",
    );
    set(
        h,
        HeaderName::from_static("x-github-request-id"),
        &format!(
            "C0DE:{:X}:{:X}",
            request_id,
            request_id.wrapping_mul(2_654_435_761) & 0xffff_ffff
        ),
    );
    response
}

/// The signed-URL origin of job logs (pipelines.actions.githubusercontent.com
/// in the SPEC example). Needs no credentials; counts who sent some anyway.
async fn pipelines(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    let counters = &shared.counters;
    bump(&counters.log_downloads);
    if headers.contains_key(header::AUTHORIZATION) {
        bump(&counters.log_downloads_with_auth);
    }
    let req = Req {
        method: Method::GET,
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        headers,
        body: Bytes::new(),
    };
    let mut world = shared.lock();
    let now = world.sync();
    let text = |status: StatusCode, body: &str| {
        let mut r = Response::new(AxumBody::from(body.to_string()));
        *r.status_mut() = status;
        set(
            r.headers_mut(),
            header::CONTENT_TYPE,
            "text/plain; charset=utf-8",
        );
        r
    };
    let segs: Vec<&str> = req.path.trim_start_matches('/').split('/').collect();
    if segs.last() == Some(&"artifact.zip") {
        return match super::artifacts::signed(&world, &segs, &req, now) {
            Some(bytes) => {
                let mut r = Response::new(AxumBody::from(bytes));
                set(r.headers_mut(), header::CONTENT_TYPE, "application/zip");
                r
            }
            None => text(StatusCode::FORBIDDEN, "Signature did not match"),
        };
    }
    let (repo_id, job_id) = match segs.as_slice() {
        [
            repo,
            "_apis",
            "pipelines",
            "1",
            "jobs",
            job,
            "signedlogcontent",
        ] => {
            let repo = repo
                .strip_prefix('r')
                .and_then(|r| u64::from_str_radix(r, 16).ok());
            match (repo, job.parse::<u64>().ok()) {
                (Some(repo), Some(job)) => (repo, job),
                _ => return text(StatusCode::NOT_FOUND, "Not Found"),
            }
        }
        _ => return text(StatusCode::NOT_FOUND, "Not Found"),
    };
    let expires = req.param("urlExpires").unwrap_or_default();
    let signature = req.param("urlSignature").unwrap_or_default();
    if signature != log_signature(world.log_key, repo_id, job_id, &expires) {
        return text(StatusCode::FORBIDDEN, "Signature did not match");
    }
    let expired = DateTime::parse_from_rfc3339(&expires).map_or(true, |at| at < now);
    if expired {
        return text(StatusCode::FORBIDDEN, "Signature expired");
    }
    let Some(ri) = world.repos.iter().position(|r| r.id == repo_id) else {
        return text(StatusCode::NOT_FOUND, "Not Found");
    };
    let Some(found) = world.find_job(ri, job_id) else {
        return text(StatusCode::NOT_FOUND, "Not Found");
    };
    let log = world.repos.get(ri).and_then(|repo| {
        let run = repo.runs.get(found.run)?;
        let job = run.attempts.get(found.attempt)?.jobs.get(found.job)?;
        Some(logs::render(repo, run, job))
    });
    match log {
        Some(log) => text(StatusCode::OK, &log),
        None => text(StatusCode::NOT_FOUND, "Not Found"),
    }
}
