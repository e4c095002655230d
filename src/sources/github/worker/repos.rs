//! The repositories' runs: one poll per due repository, each with its own
//! deadline, and what its answer means for that repository alone or (a
//! limit, the token, an outage) for all of them.

use tokio::time::Instant;

use crate::core::msg::GitHubEvent;

use super::{ApiError, Done, Reply, Worker, ask, budget, is_global, no_answer, wire};

impl Worker {
    /// Starts due polls while fewer than `at_most` are in flight.
    pub(super) fn start_repo_polls(&mut self, now: Instant, at_most: usize) {
        let mut busy = self.repos.iter().filter(|r| r.busy).count();
        for (i, repo) in self.repos.iter_mut().enumerate() {
            if busy >= at_most {
                break;
            }
            if repo.busy || repo.due > now {
                continue;
            }
            repo.busy = true;
            busy += 1;
            let path = format!(
                "/repos/{}/actions/runs?per_page={}",
                repo.name, self.per_page
            );
            let reply = ask(
                self.api.clone(),
                self.stats.clone(),
                path,
                repo.etag.clone(),
                self.answer_timeout,
            );
            self.polls.push(Box::pin(async move {
                Done::Runs {
                    repo: i,
                    reply: reply.await,
                }
            }));
        }
    }

    pub(super) async fn on_runs(&mut self, i: usize, reply: Reply) {
        let now = Instant::now();
        let idle = self.poll_idle;
        let Some(repo) = self.repos.get_mut(i) else {
            return;
        };
        repo.busy = false;
        let name = repo.name.clone();
        let result = match reply {
            Reply::Answer(result) => result,
            Reply::NoAnswer => {
                // Only this repository is silent: the others answer (or
                // say what is wrong themselves), so nothing is paused.
                let was_failing = std::mem::replace(&mut repo.failing, true);
                repo.due = now + idle;
                let error = format!("{name}: {}", no_answer(self.answer_timeout));
                if !was_failing {
                    tracing::info!(repo = %name, %error, "repository poll unanswered");
                }
                self.send(GitHubEvent::RepoError {
                    repo: name,
                    error: Some(error),
                })
                .await;
                return;
            }
        };
        let outcome = match result {
            Ok(answer) => {
                self.note_rate(answer.rate).await;
                if answer.not_modified() {
                    Ok(None)
                } else {
                    let total = wire::total_count(&answer.body);
                    wire::runs(&name, &answer.body)
                        .map(|runs| Some((runs, answer.etag, total)))
                        .map_err(ApiError::Decode)
                }
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(fresh) => {
                // Connected before the first list, so the pane never shows
                // runs under a "connecting" status.
                self.healthy().await;
                let Some(repo) = self.repos.get_mut(i) else {
                    return;
                };
                let recovered = std::mem::take(&mut repo.failing);
                if recovered {
                    tracing::info!(repo = %name, "repository poll answered again");
                }
                repo.cost = budget::learn(repo.cost, u32::from(fresh.is_some()));
                let fresh = fresh.map(|(runs, etag, total)| {
                    repo.etag = etag;
                    repo.active = runs.iter().any(|r| r.is_going());
                    repo.page = runs;
                    repo.total = total;
                    (repo.older.merged(&repo.page), total)
                });
                let (active, again) = (repo.active, std::mem::take(&mut repo.again));
                let base = if active {
                    self.poll_active
                } else {
                    self.poll_idle
                };
                let every = self.planned(base);
                let Some(repo) = self.repos.get_mut(i) else {
                    return;
                };
                // An action's change is seen at once: that poll is the
                // user's, and the reserve is there for it.
                repo.due = if again { now } else { now + every };
                if let Some((runs, total)) = fresh {
                    self.send(GitHubEvent::Runs {
                        repo: name.clone(),
                        runs,
                    })
                    .await;
                    if let Some(total) = total {
                        self.send(GitHubEvent::RunCount {
                            repo: name.clone(),
                            total,
                        })
                        .await;
                    }
                    self.plan_older(i, now);
                }
                self.backfill(i);
                if recovered {
                    self.send(GitHubEvent::RepoError {
                        repo: name,
                        error: None,
                    })
                    .await;
                }
            }
            Err(e) if is_global(&e) => {
                if let Some(repo) = self.repos.get_mut(i) {
                    // Polled again once the pause ends.
                    repo.due = now;
                }
                self.pause(e).await;
            }
            Err(e) => {
                // The server answered (about this repository only), so a
                // probe after a pause has its answer.
                self.probing = false;
                // The change is logged, not every failed poll after it.
                let was_failing = self.repos.get_mut(i).is_some_and(|repo| {
                    repo.etag = None;
                    repo.due = now + idle;
                    std::mem::replace(&mut repo.failing, true)
                });
                if !was_failing {
                    tracing::info!(repo = %name, error = %e.plain(), "repository poll failed");
                }
                self.send(GitHubEvent::RepoError {
                    repo: name.clone(),
                    error: Some(format!("{name}: {}", e.plain())),
                })
                .await;
            }
        }
    }
}
