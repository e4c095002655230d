//! Health of the whole source: an answer means the connection works; a
//! rate limit, a rejected token or an outage pauses every poll, once, and
//! says why in plain words.

use tokio::time::Instant;

use crate::core::msg::GitHubEvent;

use super::super::api::ApiError;
use super::Worker;

impl Worker {
    /// An answer came: the connection works. An answer to a request sent
    /// before a pause began says nothing about the pause.
    pub(super) async fn healthy(&mut self) {
        if self.paused(Instant::now()) {
            return;
        }
        self.probing = false;
        self.backoff.reset();
        self.auth_backoff.reset();
        if !self.connected {
            self.connected = true;
            self.send_health(self.health.connected()).await;
        }
    }

    /// Stops all polling for a while and says why. Polls already in flight
    /// come back with the same trouble: they neither lengthen a backoff
    /// nor repeat the news.
    pub(super) async fn pause(&mut self, e: ApiError) {
        let now = Instant::now();
        if let ApiError::RateLimited { rate, .. } = &e {
            self.note_rate(*rate).await;
        }
        let limited = matches!(e, ApiError::RateLimited { .. });
        if self.paused(now) && !limited {
            return;
        }
        let wait = match &e {
            ApiError::RateLimited { wait, .. } => *wait,
            ApiError::Unauthorized(_) => {
                self.refresh_token();
                self.send(GitHubEvent::TokenRejected).await;
                self.auth_backoff.next_wait()
            }
            _ => self.backoff.next_wait(),
        };
        self.paused_until = Some(now + wait);
        self.probing = true;
        self.connected = false;
        let error = match (&e, self.rate) {
            (ApiError::RateLimited { message, .. }, Some(rate)) if rate.remaining == 0 => {
                format!(
                    "{message} (0 of {} left); it resets at {} UTC",
                    rate.limit,
                    rate.reset.format("%H:%M:%S")
                )
            }
            (ApiError::RateLimited { message, .. }, _) => message.clone(),
            (ApiError::Unauthorized(_), _) => {
                format!("{} (token from {})", e.plain(), self.creds.origin.label())
            }
            _ => e.plain(),
        };
        let health = if limited {
            self.health.rate_limited(error, wait)
        } else {
            self.health.reconnecting(error, wait)
        };
        self.send_health(health).await;
    }
}

/// Errors that say nothing about one repository and everything about the
/// connection: pause all polling rather than hammer on.
pub(super) fn is_global(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::RateLimited { .. }
            | ApiError::Unauthorized(_)
            | ApiError::Server { .. }
            | ApiError::Network(_)
    )
}
