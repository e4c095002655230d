//! A fault switch for tests: every API request about one repository hangs
//! (no answer, connection held open) until the switch is turned off, as a
//! stuck GitHub Enterprise backend or a black-holed proxy route does. Added
//! for the test in `tests/github_pane/hang.rs` (issue 9: a hanging
//! repository must not delay the others or a user action).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use tokio::sync::Notify;

use super::GithubSim;

#[derive(Default)]
pub(crate) struct Hangs {
    /// `/repos/OWNER/NAME` prefixes that hang.
    repos: Mutex<Vec<String>>,
    changed: Notify,
    started: AtomicU64,
}

impl Hangs {
    fn hangs(&self, path: &str) -> bool {
        let repos = self.repos.lock().unwrap_or_else(PoisonError::into_inner);
        repos.iter().any(|r| {
            path.strip_prefix(r.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    /// Returns at once unless `path` is about a hanging repository; then
    /// when the switch is turned off.
    pub(crate) async fn wait(&self, path: &str) {
        let mut counted = false;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if !self.hangs(path) {
                return;
            }
            if !std::mem::replace(&mut counted, true) {
                self.started.fetch_add(1, Ordering::Relaxed);
            }
            notified.await;
        }
    }
}

impl GithubSim {
    /// Makes every API request about `owner/repo` hang (`true`) until
    /// called again with `false`.
    pub fn hang_repo(&self, owner: &str, repo: &str, on: bool) {
        let hangs = &self.shared.hangs;
        let prefix = format!("/repos/{owner}/{repo}");
        {
            let mut repos = hangs.repos.lock().unwrap_or_else(PoisonError::into_inner);
            repos.retain(|r| *r != prefix);
            if on {
                repos.push(prefix);
            }
        }
        hangs.changed.notify_waiters();
    }

    /// Requests that have hung so far (answered later or not at all).
    pub fn hung_requests(&self) -> u64 {
        self.shared.hangs.started.load(Ordering::Relaxed)
    }
}
