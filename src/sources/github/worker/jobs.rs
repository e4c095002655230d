//! The jobs of the run the user opened: polled like a repository (with
//! `If-None-Match`), fast while a job is going, slow once all are done.

use tokio::time::Instant;

use crate::core::msg::GitHubEvent;

use super::{ApiError, Worker, is_global, wire};

impl Worker {
    /// Polls the watched run's jobs if due; returns an error that concerns
    /// every request (limit, token, outage) for the round to pause on.
    pub(super) async fn poll_jobs_if_due(&mut self, now: Instant) -> Option<ApiError> {
        let watch = self.jobs.as_ref().filter(|j| j.due <= now)?;
        let (request, path) = (
            watch.request,
            format!(
                "/repos/{}/actions/runs/{}/jobs?per_page=100",
                watch.repo, watch.run_id
            ),
        );
        let result = self.api.get(&path, watch.etag.as_deref()).await;
        self.stats.count(&result);
        let reply = match result {
            Ok(answer) => {
                self.note_rate(answer.rate).await;
                let watch = self.jobs.as_mut()?;
                if answer.not_modified() {
                    watch.due = now
                        + if watch.active {
                            self.poll_active
                        } else {
                            self.poll_idle
                        };
                    return None;
                }
                let parsed = wire::jobs(&answer.body);
                if let Ok(jobs) = &parsed {
                    watch.etag = answer.etag;
                    watch.active = jobs.is_empty() || jobs.iter().any(|j| j.outcome().is_active());
                }
                watch.due = now
                    + if watch.active {
                        self.poll_active
                    } else {
                        self.poll_idle
                    };
                parsed
            }
            Err(e) if is_global(&e) => return Some(e),
            Err(ApiError::NotFound) => {
                self.jobs = None;
                Err("the run is gone (404)".to_string())
            }
            Err(e) => {
                if let Some(w) = self.jobs.as_mut() {
                    w.due = now + self.poll_idle;
                }
                Err(e.plain())
            }
        };
        self.send(GitHubEvent::Jobs {
            request,
            result: reply,
        })
        .await;
        None
    }
}
