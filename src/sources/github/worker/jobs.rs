//! The jobs of the run the user opened: polled like a repository (with
//! `If-None-Match`), fast while a job is going, slow once all are done.
//! The poll runs beside the repositories' polls, so opening a run is
//! answered even while a repository hangs.

use tokio::time::Instant;

use crate::core::effect::StreamId;
use crate::core::msg::GitHubEvent;

use super::{ApiError, Done, Reply, Worker, ask, budget, is_global, no_answer, wire};

impl Worker {
    pub(super) fn start_jobs_poll(&mut self, now: Instant) {
        let Some(watch) = self.jobs.as_mut().filter(|j| !j.busy && j.due <= now) else {
            return;
        };
        watch.busy = true;
        let request = watch.request;
        // "List jobs for a workflow run attempt" for an older attempt:
        // https://docs.github.com/en/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run-attempt
        let path = match watch.attempt {
            Some(n) => format!(
                "/repos/{}/actions/runs/{}/attempts/{n}/jobs?per_page=100",
                watch.repo, watch.run_id
            ),
            None => format!(
                "/repos/{}/actions/runs/{}/jobs?per_page=100",
                watch.repo, watch.run_id
            ),
        };
        let reply = ask(
            self.api.clone(),
            self.stats.clone(),
            path,
            watch.etag.clone(),
            self.answer_timeout,
        );
        self.polls.push(Box::pin(async move {
            Done::Jobs {
                request,
                reply: reply.await,
            }
        }));
    }

    pub(super) async fn on_jobs(&mut self, request: StreamId, reply: Reply) {
        let now = Instant::now();
        // The budget stretches these as the rate limit drains.
        let (active, idle) = (self.planned(self.poll_active), self.planned(self.poll_idle));
        // The user has moved on to another run (or closed it): drop it.
        let Some(watch) = self.jobs.as_mut().filter(|j| j.request == request) else {
            return;
        };
        watch.busy = false;
        let again = std::mem::take(&mut watch.again);
        let next = |watch_active: bool| {
            if again {
                now
            } else if watch_active {
                now + active
            } else {
                now + idle
            }
        };
        let result = match reply {
            Reply::Answer(result) => result,
            Reply::NoAnswer => {
                watch.due = now + idle;
                let result = Err(no_answer(self.answer_timeout));
                self.send(GitHubEvent::Jobs { request, result }).await;
                return;
            }
        };
        let reply = match result {
            Ok(answer) => {
                watch.cost = budget::learn(watch.cost, u32::from(!answer.not_modified()));
                if answer.not_modified() {
                    watch.due = next(watch.active);
                    self.note_rate(answer.rate).await;
                    return;
                }
                let parsed = wire::jobs(&answer.body);
                if let Ok(jobs) = &parsed {
                    watch.etag = answer.etag;
                    watch.active = jobs.is_empty() || jobs.iter().any(|j| j.outcome().is_active());
                }
                watch.due = next(watch.active);
                self.note_rate(answer.rate).await;
                parsed
            }
            Err(e) if is_global(&e) => {
                // Polled again once the pause ends.
                watch.due = now;
                self.pause(e).await;
                return;
            }
            Err(ApiError::NotFound) => {
                self.jobs = None;
                Err("the run is gone (404)".to_string())
            }
            Err(e) => {
                watch.due = now + idle;
                Err(e.plain())
            }
        };
        self.send(GitHubEvent::Jobs {
            request,
            result: reply,
        })
        .await;
    }
}
