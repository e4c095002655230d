//! The one way a source words its health. A source says what happened
//! (connected, failed and waits, rate limited); this turns it into the
//! shared [`SourceHealth`], with the moment of the next try so the UI can
//! count down, and logs it once in the same words everywhere.

use std::time::Duration;

use chrono::Utc;

use crate::core::source::{Pause, SourceHealth};

/// Health of one target (an engine, an API server, a context).
#[derive(Debug, Clone)]
pub struct Health {
    target: String,
}

impl Health {
    pub fn new(target: impl Into<String>) -> Health {
        Health {
            target: target.into(),
        }
    }

    pub fn target(&self) -> &str {
        &self.target
    }

    pub fn connecting(&self) -> SourceHealth {
        SourceHealth::Connecting {
            target: self.target.clone(),
        }
    }

    pub fn connected(&self) -> SourceHealth {
        SourceHealth::Connected {
            target: self.target.clone(),
            last_update: Utc::now(),
        }
    }

    /// Failed; the next try is `wait` from now.
    pub fn reconnecting(&self, error: impl Into<String>, wait: Duration) -> SourceHealth {
        self.waiting(error.into(), wait, Pause::Backoff)
    }

    /// The server asked for a pause; polling resumes `wait` from now.
    pub fn rate_limited(&self, error: impl Into<String>, wait: Duration) -> SourceHealth {
        self.waiting(error.into(), wait, Pause::RateLimit)
    }

    fn waiting(&self, error: String, wait: Duration, pause: Pause) -> SourceHealth {
        tracing::warn!(at = %self.target, %error, wait_secs = wait.as_secs(), ?pause, "source waiting");
        let wait = chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
        SourceHealth::Reconnecting {
            target: self.target.clone(),
            error,
            retry_at: Utc::now()
                .checked_add_signed(wait)
                .unwrap_or(chrono::DateTime::<Utc>::MAX_UTC),
            pause,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_carries_the_moment_of_the_next_try() {
        let h = Health::new("unix:///var/run/docker.sock");
        let before = Utc::now();
        let s = h.reconnecting("engine not reachable", Duration::from_secs(4));
        assert_eq!(
            s.waiting_words(before).as_deref(),
            Some("reconnecting in 4s")
        );
        let s = h.rate_limited("the GitHub rate limit is used up", Duration::from_secs(250));
        assert_eq!(
            s.waiting_words(before).as_deref(),
            Some("rate limited, resumes in 4m10s")
        );
        assert!(
            matches!(h.connected(), SourceHealth::Connected { target, .. } if target == h.target())
        );
    }
}
