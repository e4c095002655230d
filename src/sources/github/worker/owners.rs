//! `[github] owners`: each owner's repositories join the watched ones —
//! not archived, the most recently pushed first, at most
//! `owner_repos_max` — besides `repos` and the current directory's remote.
//! An owner is asked as an organization first ("list organization
//! repositories", `GET /orgs/{org}/repos?sort=pushed`); a 404 means a
//! personal account (`GET /users/{user}/repos?sort=pushed`). The list is
//! re-checked every `RECHECK_IDLE` idle intervals with `If-None-Match`, so
//! an unchanged owner costs a free 304; every request is counted and its
//! rate headers feed the budget like a poll's.

use serde::Deserialize;
use tokio::time::Instant;

use crate::core::msg::GitHubEvent;

use super::{ApiError, Done, Reply, RepoPoll, Worker, ask, is_global};

/// Idle intervals between two checks of an owner's repositories.
const RECHECK_IDLE: u32 = 30;

pub(super) struct OwnerList {
    name: String,
    /// False once `/orgs/{name}` said 404: a user's repositories.
    org: bool,
    etag: Option<String>,
    pub(super) due: Instant,
    pub(super) busy: bool,
}

impl OwnerList {
    pub(super) fn new(name: &str, now: Instant) -> OwnerList {
        OwnerList {
            name: name.trim().to_string(),
            org: true,
            etag: None,
            due: now,
            busy: false,
        }
    }

    fn path(&self, per_page: usize) -> String {
        let kind = if self.org { "orgs" } else { "users" };
        format!(
            "/{kind}/{}/repos?sort=pushed&direction=desc&per_page={per_page}",
            self.name
        )
    }
}

#[derive(Deserialize)]
struct WireRepo {
    full_name: String,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    pushed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The owner's repositories to watch: not archived, newest push first,
/// at most `max`. Entries that do not parse are skipped.
fn pick(body: &[u8], max: usize) -> Result<Vec<String>, String> {
    let all: Vec<serde_json::Value> =
        serde_json::from_slice(body).map_err(|e| format!("not a list of repositories: {e}"))?;
    let mut repos: Vec<WireRepo> = all
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .filter(|r: &WireRepo| !r.archived && r.full_name.split('/').count() == 2)
        .collect();
    // GitHub sorts already; sorted again so the cap keeps the newest
    // whatever the server did.
    repos.sort_by_key(|r| std::cmp::Reverse(r.pushed_at));
    Ok(repos.into_iter().take(max).map(|r| r.full_name).collect())
}

impl Worker {
    pub(super) fn start_owner_polls(&mut self, now: Instant) {
        let per_page = self.owner_repos_max.clamp(1, 100);
        for (index, owner) in self.owners.iter_mut().enumerate() {
            if owner.busy || owner.due > now {
                continue;
            }
            owner.busy = true;
            let reply = ask(
                self.api.clone(),
                self.stats.clone(),
                owner.path(per_page),
                owner.etag.clone(),
                self.answer_timeout,
            );
            self.polls.push(Box::pin(async move {
                Done::Owner {
                    index,
                    reply: reply.await,
                }
            }));
        }
    }

    pub(super) async fn on_owner(&mut self, index: usize, reply: Reply) {
        let now = Instant::now();
        let later = now + self.planned(self.poll_idle) * RECHECK_IDLE;
        let max = self.owner_repos_max;
        let Some(owner) = self.owners.get_mut(index) else {
            return;
        };
        owner.busy = false;
        let result = match reply {
            Reply::Answer(result) => result,
            Reply::NoAnswer => {
                owner.due = now + self.poll_idle;
                return;
            }
        };
        let found = match result {
            Ok(answer) => {
                let rate = answer.rate;
                if answer.not_modified() {
                    owner.due = later;
                    self.note_rate(rate).await;
                    return;
                }
                owner.etag = answer.etag.clone();
                owner.due = later;
                self.note_rate(rate).await;
                pick(&answer.body, max)
            }
            Err(ApiError::NotFound) if owner.org => {
                // Not an organization: a personal account's repositories.
                owner.org = false;
                owner.etag = None;
                owner.due = now;
                return;
            }
            Err(e) if is_global(&e) => {
                owner.due = now;
                self.pause(e).await;
                return;
            }
            Err(e) => Err(e.plain()),
        };
        let name = self
            .owners
            .get(index)
            .map(|o| o.name.clone())
            .unwrap_or_default();
        match found {
            Ok(names) => self.add_repos(names).await,
            Err(e) => {
                if let Some(owner) = self.owners.get_mut(index) {
                    owner.due = now + self.poll_idle;
                }
                tracing::info!(owner = %name, error = %e, "owner's repositories not listed");
                let error = Some(format!(
                    "the repositories of {name} could not be listed: {e}"
                ));
                self.send(GitHubEvent::RepoError { repo: name, error })
                    .await;
            }
        }
    }

    /// Watches the repositories not watched yet and says the new list.
    async fn add_repos(&mut self, names: Vec<String>) {
        let now = Instant::now();
        let mut added = false;
        for name in names {
            if !self
                .repos
                .iter()
                .any(|r| r.name.eq_ignore_ascii_case(&name))
            {
                self.repos.push(RepoPoll::new(name, now));
                added = true;
            }
        }
        if added {
            let all = self.repos.iter().map(|r| r.name.clone()).collect();
            self.send(GitHubEvent::Repos(all)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_repositories_are_skipped_and_the_newest_pushes_kept() {
        let body = br#"[
            {"full_name": "acme/old", "archived": false, "pushed_at": "2026-01-01T00:00:00Z"},
            {"full_name": "acme/gone", "archived": true, "pushed_at": "2026-12-01T00:00:00Z"},
            {"full_name": "acme/new", "archived": false, "pushed_at": "2026-11-01T00:00:00Z"},
            {"full_name": "acme/mid", "pushed_at": "2026-06-01T00:00:00Z"},
            {"name": "no full name"}
        ]"#;
        assert_eq!(
            pick(body, 2),
            Ok(vec!["acme/new".to_string(), "acme/mid".to_string()])
        );
        assert!(pick(b"{}", 5).is_err());
    }
}
