//! The HTTP edge: octocrab carries auth, the base URL (GitHub Enterprise
//! included) and redirects; this module makes the raw requests, reads the
//! status and headers itself (ETag, rate limit, retry-after) and turns every
//! failure into an [`ApiError`] with plain words.
//!
//! octocrab's own retries are off: a retry of a 403/429 or a 5xx would spend
//! the rate limit and hide the outage; the task backs off instead.

use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, TimeZone, Utc};
use http::{HeaderMap, HeaderValue, StatusCode};
use http_body_util::BodyExt;
use octocrab::Octocrab;
use octocrab::service::middleware::retry::RetryConfig;

use crate::core::github::RateLimit;

use super::token::Token;

/// Longest wait honoured from a rate-limit reset; a reset further away
/// means the clocks disagree, and a poll an hour later is harmless.
const MAX_RATE_WAIT: Duration = Duration::from_secs(3600);
/// GitHub's advice when a limit answer carries no timing: wait a minute.
const DEFAULT_RATE_WAIT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 401: the token is wrong, expired or revoked.
    Unauthorized(String),
    /// 404: no such repository/run/job, or the token may not see it.
    NotFound,
    /// A primary or secondary rate limit: nothing may be sent for `wait`.
    RateLimited {
        wait: Duration,
        message: String,
        /// The limit as the refusal reported it.
        rate: Option<RateLimit>,
    },
    /// 5xx: GitHub is having trouble.
    Server { status: u16, message: String },
    /// No answer at all: refused, reset, timed out, DNS.
    Network(String),
    /// Any other refusal (403 without a limit, 409, 422 …) with GitHub's words.
    Refused { status: u16, message: String },
    /// An answer that is not what the API documents.
    Decode(String),
}

impl ApiError {
    /// Plain words for the pane, the status bar and toasts.
    pub fn plain(&self) -> String {
        match self {
            ApiError::Unauthorized(m) => format!(
                "GitHub rejected the token (401 {m}); set a valid GH_TOKEN or [github] token_command"
            ),
            ApiError::NotFound => {
                "not found (404): it does not exist, or the token may not see it".into()
            }
            ApiError::RateLimited { wait, message, .. } => {
                format!("{message}; waiting {}s", wait.as_secs())
            }
            ApiError::Server { status, message } => format!("GitHub answered {status}: {message}"),
            ApiError::Network(m) => format!("no answer from GitHub: {m}"),
            ApiError::Refused { status, message } => format!("{message} ({status})"),
            ApiError::Decode(m) => format!("unexpected answer from GitHub: {m}"),
        }
    }
}

/// A successful (2xx or 304) answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    /// The `ETag` header as sent, for the next `If-None-Match`.
    pub etag: Option<String>,
    pub rate: Option<RateLimit>,
    pub body: Bytes,
}

impl Answer {
    pub fn not_modified(&self) -> bool {
        self.status == StatusCode::NOT_MODIFIED
    }
}

#[derive(Clone)]
pub struct Api {
    octo: Octocrab,
}

impl Api {
    pub fn new(api_url: &str, token: &Token) -> Result<Api, String> {
        let octo = Octocrab::builder()
            .base_uri(api_url)
            .map_err(|e| format!("[github] api_url `{api_url}` is not a URL: {e}"))?
            .personal_token(token.expose().to_string())
            .add_retry_config(RetryConfig::None)
            .set_connect_timeout(Some(Duration::from_secs(10)))
            .set_read_timeout(Some(Duration::from_secs(30)))
            .build()
            .map_err(|e| format!("cannot set up the GitHub client: {e}"))?;
        Ok(Api { octo })
    }

    /// GET `path`, conditional on `etag` when given (a 304 costs nothing
    /// against the rate limit). The redirect of a log download is followed.
    pub async fn get(&self, path: &str, etag: Option<&str>) -> Result<Answer, ApiError> {
        let mut headers = HeaderMap::new();
        if let Some(tag) = etag.and_then(|t| HeaderValue::from_str(t).ok()) {
            headers.insert(http::header::IF_NONE_MATCH, tag);
        }
        let response = self
            .octo
            ._get_with_headers(path, Some(headers))
            .await
            .map_err(|e| transport(&e))?;
        read(response, MAX_JSON_BYTES, false).await
    }

    /// GET a job log: the 302 to the log storage is followed (octocrab's
    /// redirect policy does not send the token there). At most the last
    /// `max_bytes` are kept: the end of a log is where failures are.
    pub async fn get_log(&self, path: &str, max_bytes: usize) -> Result<Answer, ApiError> {
        let response = self.octo._get(path).await.map_err(|e| transport(&e))?;
        read(response, max_bytes, true).await
    }

    /// GET a download (an artifact's zip) and write it to `out` as it
    /// arrives, calling `progress` with the bytes written so far. The 302
    /// to the signed URL is followed like a log's; the signed URL itself is
    /// never seen here, so it cannot reach a log.
    pub async fn download(
        &self,
        path: &str,
        out: &mut (dyn std::io::Write + Send),
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, ApiError> {
        let response = self.octo._get(path).await.map_err(|e| transport(&e))?;
        if !response.status().is_success() {
            return read(response, MAX_JSON_BYTES, false).await.map(|_| 0);
        }
        let mut body = response.into_body();
        let mut written = 0u64;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| transport(&e))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            out.write_all(&data)
                .map_err(|e| ApiError::Decode(format!("cannot write the download: {e}")))?;
            written += data.len() as u64;
            progress(written);
        }
        Ok(written)
    }

    pub async fn post(&self, path: &str, body: &serde_json::Value) -> Result<Answer, ApiError> {
        let response = self
            .octo
            ._post(path, Some(body))
            .await
            .map_err(|e| transport(&e))?;
        read(response, MAX_JSON_BYTES, false).await
    }
}

/// A JSON answer larger than this is not one the Actions API sends.
const MAX_JSON_BYTES: usize = 32 << 20;

type Response = http::Response<http_body_util::combinators::BoxBody<Bytes, octocrab::Error>>;

/// Reads the body, keeping at most `cap` bytes: the head (over the cap is
/// an error) or, with `keep_tail`, the last `cap` bytes.
async fn read(response: Response, cap: usize, keep_tail: bool) -> Result<Answer, ApiError> {
    let (parts, mut body) = response.into_parts();
    let mut chunks: std::collections::VecDeque<Bytes> = std::collections::VecDeque::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| transport(&e))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total += data.len();
        chunks.push_back(data);
        if total > cap {
            if !keep_tail {
                return Err(ApiError::Decode(format!("answer larger than {cap} bytes")));
            }
            while let Some(front) = chunks.front() {
                if total - front.len() < cap {
                    break;
                }
                total -= front.len();
                chunks.pop_front();
            }
        }
    }
    let mut joined = bytes::BytesMut::with_capacity(total);
    for c in chunks {
        joined.extend_from_slice(&c);
    }
    let body = joined.freeze();
    let status = parts.status;
    let headers = &parts.headers;
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        return Ok(Answer {
            status,
            etag: header(headers, "etag").map(str::to_string),
            rate: rate_limit(headers),
            body,
        });
    }
    Err(classify(status, headers, &body, Utc::now()))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok()
}

fn number<T: std::str::FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    header(headers, name)?.trim().parse().ok()
}

/// The core budget the status bar plans with, from an answer's headers.
/// An answer counted against another resource (GitHub names it in
/// `x-ratelimit-resource`: `search`, `graphql`, `code_search` …, each with
/// its own limit) says nothing about the core budget, so it is ignored.
pub fn rate_limit(headers: &HeaderMap) -> Option<RateLimit> {
    if header(headers, "x-ratelimit-resource").is_some_and(|r| r.trim() != "core") {
        return None;
    }
    let reset: i64 = number(headers, "x-ratelimit-reset")?;
    Some(RateLimit {
        remaining: number(headers, "x-ratelimit-remaining")?,
        limit: number(headers, "x-ratelimit-limit")?,
        reset: Utc.timestamp_opt(reset, 0).single()?,
    })
}

/// Turns an error answer into an `ApiError`, following GitHub's rules for
/// rate limits: `retry-after` first, then `x-ratelimit-remaining: 0` with
/// `x-ratelimit-reset`, else a minute.
pub fn classify(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: DateTime<Utc>,
) -> ApiError {
    let message = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string))
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string());
    let code = status.as_u16();
    let limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && (header(headers, "retry-after").is_some()
                || number::<u32>(headers, "x-ratelimit-remaining") == Some(0)
                || message.to_ascii_lowercase().contains("rate limit")));
    if limited {
        let wait = if let Some(secs) = number::<u64>(headers, "retry-after") {
            Duration::from_secs(secs)
        } else if let Some(rate) = rate_limit(headers).filter(|r| r.remaining == 0) {
            // One second past the reset, so the first request lands in the new window.
            let secs = (rate.reset - now).num_seconds().max(0) as u64 + 1;
            Duration::from_secs(secs)
        } else {
            DEFAULT_RATE_WAIT
        };
        let reason = if message.to_ascii_lowercase().contains("secondary") {
            "GitHub's secondary rate limit was hit"
        } else {
            "the GitHub rate limit is used up"
        };
        return ApiError::RateLimited {
            wait: wait.clamp(Duration::from_secs(1), MAX_RATE_WAIT),
            message: reason.to_string(),
            rate: rate_limit(headers),
        };
    }
    match status {
        StatusCode::UNAUTHORIZED => ApiError::Unauthorized(message),
        StatusCode::NOT_FOUND => ApiError::NotFound,
        s if s.is_server_error() => ApiError::Server {
            status: code,
            message,
        },
        _ => ApiError::Refused {
            status: code,
            message,
        },
    }
}

/// A request that got no answer: the innermost cause is the useful part
/// ("Connection refused", "deadline has elapsed").
fn transport(e: &(dyn std::error::Error + 'static)) -> ApiError {
    let mut cause: &dyn std::error::Error = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let text = cause.to_string();
    let text = if text.contains("deadline has elapsed") || text.to_lowercase().contains("timed out")
    {
        "the request timed out".to_string()
    } else {
        text
    };
    ApiError::Network(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            if let Ok(v) = HeaderValue::from_str(v) {
                h.insert(*k, v);
            }
        }
        h
    }

    fn now() -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn exhausted_limit_waits_until_the_reset() {
        let h = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-reset", "1700000090"),
        ]);
        let body = br#"{"message":"API rate limit exceeded for user ID 1."}"#;
        let e = classify(StatusCode::FORBIDDEN, &h, body, now());
        assert!(
            matches!(&e, ApiError::RateLimited { wait, .. } if *wait == Duration::from_secs(91)),
            "{e:?}"
        );
    }

    #[test]
    fn retry_after_wins_and_429_without_headers_waits_a_minute() {
        let h = headers(&[("retry-after", "30"), ("x-ratelimit-remaining", "12")]);
        let body = br#"{"message":"You have exceeded a secondary rate limit."}"#;
        match classify(StatusCode::FORBIDDEN, &h, body, now()) {
            ApiError::RateLimited { wait, message, .. } => {
                assert_eq!(wait, Duration::from_secs(30));
                assert!(message.contains("secondary"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let e = classify(StatusCode::TOO_MANY_REQUESTS, &HeaderMap::new(), b"", now());
        assert!(matches!(e, ApiError::RateLimited { wait, .. } if wait == DEFAULT_RATE_WAIT));
    }

    #[test]
    fn only_the_core_resource_sets_the_budget() {
        let budget = |resource: Option<&str>| {
            let mut pairs = vec![
                ("x-ratelimit-remaining", "29"),
                ("x-ratelimit-limit", "30"),
                ("x-ratelimit-reset", "1700000000"),
            ];
            if let Some(r) = resource {
                pairs.push(("x-ratelimit-resource", r));
            }
            rate_limit(&headers(&pairs)).map(|r| (r.remaining, r.limit))
        };
        assert_eq!(budget(Some("core")), Some((29, 30)));
        assert_eq!(budget(None), Some((29, 30)), "older servers omit it");
        assert_eq!(budget(Some("search")), None);
        assert_eq!(budget(Some("graphql")), None);
    }

    #[test]
    fn a_plain_403_is_a_refusal_not_a_limit() {
        let h = headers(&[("x-ratelimit-remaining", "4000")]);
        let body = br#"{"message":"Resource not accessible by integration"}"#;
        let e = classify(StatusCode::FORBIDDEN, &h, body, now());
        assert_eq!(
            e.plain(),
            "Resource not accessible by integration (403)".to_string()
        );
    }

    #[test]
    fn errors_read_in_plain_words() {
        let body = br#"{"message":"Bad credentials"}"#;
        let e = classify(StatusCode::UNAUTHORIZED, &HeaderMap::new(), body, now());
        assert!(
            e.plain()
                .contains("rejected the token (401 Bad credentials)")
        );
        let e = classify(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"<html>", now());
        assert_eq!(e.plain(), "GitHub answered 502: Bad Gateway");
        let e = classify(StatusCode::NOT_FOUND, &HeaderMap::new(), b"{}", now());
        assert_eq!(e, ApiError::NotFound);
    }
}
