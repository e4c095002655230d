//! Workflows whose latest runs are beyond the repository's first page.
//!
//! The Overview's rule is "the latest run of each workflow on each branch".
//! The repository's first page holds only its newest runs, so in a busy
//! repository a quiet workflow's failed latest run (a `Release`) would fall
//! off it and vanish. For every active workflow that the first page does
//! not show, its own first page is read (`/actions/workflows/{id}/runs`)
//! and kept beside the repository's.
//!
//! Cheap by construction: the workflows are listed once and a missing
//! workflow is read once; both are re-checked only every
//! [`REFRESH_INTERVALS`] idle intervals, with `If-None-Match` (a 304 costs
//! nothing against the rate limit). A workflow that runs again shows up on
//! the repository's first page, newest first, so nothing else needs asking.

use std::collections::{BTreeMap, BTreeSet};

use tokio::time::Instant;

use crate::core::github::Run;
use crate::core::msg::GitHubEvent;

use super::{Done, Pace, Reply, Worker, ask, is_global, wire};

/// Re-check the workflows and the older runs every this many idle
/// intervals (30 minutes at the default 60 s): a run beyond the first page
/// changes only when someone re-runs it elsewhere.
const REFRESH_INTERVALS: u32 = 30;

/// What is known of one repository beyond its first page.
#[derive(Default)]
pub(super) struct Older {
    /// The active workflows' ids, once listed.
    workflows: Option<BTreeSet<u64>>,
    workflows_etag: Option<String>,
    /// A workflow's own first page, for workflows the repository's page
    /// did not show.
    runs: BTreeMap<u64, WorkflowPage>,
    /// Older pages of the repository's own list, read as the user scrolled
    /// or by the timeline's backfill.
    pub(super) pages: Vec<Run>,
    /// Pages of the repository's list read so far beyond the first.
    pub(super) pages_read: u32,
    /// An older page is being read.
    pub(super) page_busy: bool,
    /// The timeline's backfill reached back far enough (or may not go on).
    pub(super) backfilled: bool,
    /// A request of this repository's is in flight.
    busy: usize,
    refresh_due: Option<Instant>,
}

struct WorkflowPage {
    etag: Option<String>,
    runs: Vec<Run>,
}

impl Older {
    /// The repository's first page with the older runs the page lacks.
    pub(super) fn merged(&self, page: &[Run]) -> Vec<Run> {
        let shown: BTreeSet<u64> = page.iter().map(|r| r.id).collect();
        let mut all = page.to_vec();
        let extra = self
            .pages
            .iter()
            .chain(self.runs.values().flat_map(|w| w.runs.iter()));
        let mut added = BTreeSet::new();
        for run in extra {
            if !shown.contains(&run.id) && added.insert(run.id) {
                all.push(run.clone());
            }
        }
        all
    }
}

impl Worker {
    /// After a fresh first page: list the workflows if they are not known
    /// (or due a re-check), and read each active workflow the page lacks.
    pub(super) fn plan_older(&mut self, i: usize, now: Instant) {
        let refresh_every = self.poll_idle * REFRESH_INTERVALS;
        // Held at the budget's reserve: what is left is the user's.
        if self.paused(now) || self.probing || matches!(self.pace, Pace::Hold(_)) {
            return;
        }
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        if repo.older.busy > 0 {
            return;
        }
        let refresh = repo.older.refresh_due.is_none_or(|due| due <= now);
        if refresh {
            repo.older.refresh_due = Some(now + refresh_every);
        }
        let Some(workflows) = repo.older.workflows.as_ref().filter(|_| !refresh) else {
            let path = format!("/repos/{}/actions/workflows?per_page=100", repo.name);
            let etag = repo.older.workflows_etag.clone();
            self.start_older(i, None, path, etag);
            return;
        };
        let on_page: BTreeSet<u64> = repo.page.iter().map(|r| r.workflow_id).collect();
        let missing: Vec<u64> = workflows
            .iter()
            .copied()
            .filter(|id| !on_page.contains(id) && !repo.older.runs.contains_key(id))
            .collect();
        for id in missing {
            self.start_workflow_page(i, id);
        }
    }

    fn start_workflow_page(&mut self, i: usize, workflow: u64) {
        let Some(repo) = self.repos.get(i) else {
            return;
        };
        let path = format!(
            "/repos/{}/actions/workflows/{workflow}/runs?per_page={}",
            repo.name, self.per_page
        );
        let etag = repo.older.runs.get(&workflow).and_then(|w| w.etag.clone());
        self.start_older(i, Some(workflow), path, etag);
    }

    fn start_older(&mut self, i: usize, workflow: Option<u64>, path: String, etag: Option<String>) {
        if let Some(repo) = self.repos.get_mut(i) {
            repo.older.busy += 1;
        }
        let reply = ask(
            self.api.clone(),
            self.stats.clone(),
            path,
            etag,
            self.answer_timeout,
        );
        self.polls.push(Box::pin(async move {
            Done::Older {
                repo: i,
                workflow,
                reply: reply.await,
            }
        }));
    }

    /// The workflows list (`workflow: None`) or one workflow's page came
    /// back. Failures are left for the next re-check: the first page keeps
    /// working without them.
    pub(super) async fn on_older(&mut self, i: usize, workflow: Option<u64>, reply: Reply) {
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        repo.older.busy = repo.older.busy.saturating_sub(1);
        let answer = match reply {
            Reply::Answer(Ok(answer)) => answer,
            // A limit, the token or an outage concerns every request.
            Reply::Answer(Err(e)) if is_global(&e) => return self.pause(e).await,
            Reply::Answer(Err(e)) => {
                tracing::debug!(repo = %repo.name, error = %e.plain(), "older runs not read");
                return;
            }
            Reply::NoAnswer => return,
        };
        self.note_rate(answer.rate).await;
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        match workflow {
            None => {
                if !answer.not_modified() {
                    match wire::active_workflows(&answer.body) {
                        Ok(ids) => {
                            repo.older.workflows = Some(ids.into_iter().collect());
                            repo.older.workflows_etag = answer.etag;
                        }
                        Err(e) => {
                            tracing::warn!(repo = %repo.name, error = %e, "workflows list does not parse");
                            return;
                        }
                    }
                }
                // Every kept page is re-checked (a 304 when unchanged), and
                // the missing ones are read.
                let known: Vec<u64> = repo.older.runs.keys().copied().collect();
                for id in known {
                    self.start_workflow_page(i, id);
                }
                self.plan_older(i, tokio::time::Instant::now());
            }
            Some(id) => {
                if answer.not_modified() {
                    return;
                }
                let runs = match wire::runs(&repo.name, &answer.body) {
                    Ok(runs) => runs,
                    Err(e) => {
                        tracing::warn!(repo = %repo.name, error = %e, "workflow runs do not parse");
                        return;
                    }
                };
                repo.older.runs.insert(
                    id,
                    WorkflowPage {
                        etag: answer.etag,
                        runs,
                    },
                );
                let runs = repo.older.merged(&repo.page);
                let name = repo.name.clone();
                self.send(GitHubEvent::Runs { repo: name, runs }).await;
            }
        }
    }
}

impl Worker {
    /// Reads the next page (Link-style `page=N`) of every repository with
    /// more runs than it has read. A page read while new runs arrive may
    /// repeat runs (they are merged by id); none is skipped, since new
    /// runs push older ones towards later pages.
    pub(super) fn load_older_pages(&mut self) {
        if self.paused(Instant::now()) || self.probing {
            return;
        }
        for i in 0..self.repos.len() {
            let more = self.repos.get(i).is_some_and(|repo| {
                let read = repo.page.len() + repo.older.pages.len();
                repo.total.is_some_and(|t| t > read as u64)
            });
            if more {
                self.start_older_page(i);
            }
        }
    }

    /// Reads repository `i`'s next page, unless one is being read.
    pub(super) fn start_older_page(&mut self, i: usize) {
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        if repo.older.page_busy {
            return;
        }
        repo.older.page_busy = true;
        let page = repo.older.pages_read + 2;
        let path = format!(
            "/repos/{}/actions/runs?per_page={}&page={page}",
            repo.name, self.per_page
        );
        let reply = ask(
            self.api.clone(),
            self.stats.clone(),
            path,
            None,
            self.answer_timeout,
        );
        self.polls.push(Box::pin(async move {
            Done::OlderPage {
                repo: i,
                reply: reply.await,
            }
        }));
    }

    pub(super) async fn on_older_page(&mut self, i: usize, reply: Reply) {
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        repo.older.page_busy = false;
        let answer = match reply {
            Reply::Answer(Ok(answer)) => answer,
            Reply::Answer(Err(e)) if is_global(&e) => return self.pause(e).await,
            Reply::Answer(Err(e)) => {
                // Not asked again on its own: the user's scrolling may.
                repo.older.backfilled = true;
                let error = format!("{}: older runs not read: {}", repo.name, e.plain());
                let name = repo.name.clone();
                self.send(GitHubEvent::RepoError {
                    repo: name,
                    error: Some(error),
                })
                .await;
                return;
            }
            Reply::NoAnswer => return,
        };
        self.note_rate(answer.rate).await;
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        let runs = match wire::runs(&repo.name, &answer.body) {
            Ok(runs) => runs,
            Err(e) => {
                tracing::warn!(repo = %repo.name, error = %e, "older page does not parse");
                return;
            }
        };
        repo.older.pages_read += 1;
        repo.older.pages.extend(runs);
        let runs = repo.older.merged(&repo.page);
        let name = repo.name.clone();
        self.send(GitHubEvent::Runs { repo: name, runs }).await;
        self.backfill(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::github::Status;

    #[test]
    fn the_page_wins_and_older_runs_fill_in_once() {
        let mut older = Older::default();
        let at = chrono::DateTime::UNIX_EPOCH;
        let run = |id: u64, workflow_id: u64| Run {
            workflow_id,
            ..Run::fixture("acme/api", id, Status::Completed, None, at)
        };
        older.runs.insert(
            7,
            WorkflowPage {
                etag: None,
                runs: vec![run(1, 7), run(2, 7)],
            },
        );
        older.runs.insert(
            8,
            WorkflowPage {
                etag: None,
                runs: vec![run(2, 7), run(3, 8)],
            },
        );
        let page = vec![run(2, 7), run(9, 1)];
        let ids: Vec<u64> = older.merged(&page).iter().map(|r| r.id).collect();
        assert_eq!(ids, vec![2, 9, 1, 3]);
    }
}
