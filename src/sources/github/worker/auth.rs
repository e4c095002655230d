//! A rejected token (401). Every try is a failed login, and GitHub may
//! refuse all logins from the client after too many, so the pause grows
//! with each refusal (one probe request per step, see `probing`), and
//! the token is looked up again at each: a `token_command` or the gh CLI
//! may give a fresh one (`gh auth refresh`, a rotated secret). A new token
//! is tried at once, with no key pressed.

use super::super::api::Api;
use super::super::token::{Token, TokenOrigin, TokenSource};
use super::{Done, Worker};
use crate::core::msg::GitHubEvent;

/// The token in use and how to look it up again.
pub struct Credentials {
    pub source: TokenSource,
    pub token: Token,
    pub origin: TokenOrigin,
    /// A lookup is running; one at a time.
    pub refreshing: bool,
}

impl Worker {
    /// Looks the token up again, off the loop (a command may take a
    /// moment); its answer comes back as `Done::Token`.
    pub(super) fn refresh_token(&mut self) {
        if self.creds.refreshing || !self.creds.origin.refreshable() {
            return;
        }
        self.creds.refreshing = true;
        let source = self.creds.source.clone();
        self.polls.push(Box::pin(async move {
            Done::Token {
                found: source.find().await,
            }
        }));
    }

    pub(super) async fn on_token(&mut self, found: Result<Option<(Token, TokenOrigin)>, String>) {
        self.creds.refreshing = false;
        let (token, origin) = match found {
            Ok(Some(found)) => found,
            Ok(None) => return,
            Err(e) => {
                tracing::info!(error = %e, "looking the GitHub token up again failed");
                return;
            }
        };
        if token == self.creds.token {
            return;
        }
        let api = match Api::new(self.health.target(), &token) {
            Ok(api) => api,
            Err(e) => {
                tracing::warn!(error = %e, "cannot set up the GitHub client for the new token");
                return;
            }
        };
        tracing::info!(from = origin.label(), "a new GitHub token: trying it now");
        self.api = api;
        self.creds.token = token;
        if origin != self.creds.origin {
            self.creds.origin = origin;
            self.send(GitHubEvent::TokenFrom(origin.label().to_string()))
                .await;
        }
        // The probe goes now, with the new token; the backoff starts over
        // only once it is accepted.
        self.paused_until = None;
        self.probing = true;
    }
}
