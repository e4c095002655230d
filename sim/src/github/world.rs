//! The whole simulated state behind one lock: repositories, the clock, the
//! rate-limit window and the failure switches. Every request first brings
//! the world up to the clock (`sync`), then reads or mutates it.

use std::time::Instant;

use axum::http::StatusCode;
use chrono::{Duration, DurationRound, Utc};

use super::engine::{self, Ids, NewRun, Plan};
use super::model::{Branch, Commit, Repo, Run, Status, Time, Workflow};
use super::scenario::Spawner;
use super::stacks::{self, Stack};

/// Oldest completed runs beyond this are dropped, so a demo left running
/// for days keeps a bounded memory.
const MAX_RUNS_PER_REPO: usize = 400;

pub(crate) struct Clock {
    wall0: Time,
    started: Instant,
    offset: Duration,
    /// `Some(speed)`: simulated time also flows with real time.
    speed: Option<f64>,
}

impl Clock {
    pub(crate) fn new(speed: Option<f64>) -> Self {
        let now = Utc::now();
        Clock {
            wall0: now.duration_trunc(Duration::seconds(1)).unwrap_or(now),
            started: Instant::now(),
            offset: Duration::zero(),
            speed,
        }
    }

    pub(crate) fn now(&self) -> Time {
        let flowing = self.speed.map_or(Duration::zero(), |speed| {
            let secs = self.started.elapsed().as_secs_f64() * speed;
            Duration::milliseconds((secs * 1000.0) as i64)
        });
        self.wall0 + self.offset + flowing
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.offset += by;
    }
}

/// The primary (`core`) rate-limit window.
pub(crate) struct RateLimit {
    pub limit: u32,
    pub remaining: u32,
    /// UTC epoch seconds, in simulated time.
    pub reset: i64,
    /// 403 (what the fixture shows) or 429 (what current docs also allow).
    pub status: StatusCode,
    /// An hour, as GitHub's primary window (docs: "Rate limits for the
    /// REST API"); a bench may compress it.
    pub window_secs: i64,
}

impl RateLimit {
    fn new(limit: u32, now: Time) -> Self {
        RateLimit {
            limit,
            remaining: limit,
            reset: now.timestamp() + 3600,
            status: StatusCode::FORBIDDEN,
            window_secs: 3600,
        }
    }

    /// Opens a new window once the reset time has passed.
    pub(crate) fn roll(&mut self, now: Time) {
        if now.timestamp() >= self.reset {
            self.remaining = self.limit;
            self.reset = now.timestamp() + self.window_secs;
        }
    }

    pub(crate) fn used(&self) -> u32 {
        self.limit.saturating_sub(self.remaining)
    }
}

pub(crate) struct World {
    /// `http://127.0.0.1:PORT` of the API; every `url` in payloads uses it.
    pub base: String,
    /// Origin of the signed log downloads (another port: another origin).
    pub pipelines: String,
    pub token: String,
    pub repos: Vec<Repo>,
    pub ids: Ids,
    pub clock: Clock,
    pub rate: RateLimit,
    pub secondary_until: Option<Time>,
    pub outage: Option<StatusCode>,
    pub spawner: Option<Spawner>,
    /// Every accepted workflow dispatch, in order.
    pub dispatches: Vec<crate::github::Dispatch>,
    pub reruns: Vec<crate::github::RerunRecord>,
    pub reviews: Vec<crate::github::Review>,
    pub artifacts: Vec<super::artifacts::Artifact>,
    /// Logins that are personal accounts, not organizations.
    pub user_accounts: Vec<String>,
    /// Requests per repository (`owner/name`): (all, answered 304).
    pub per_repo: std::collections::BTreeMap<String, (u64, u64)>,
    /// Key of the log URL signatures.
    pub log_key: u64,
    next_repo_id: u64,
    next_workflow_id: u64,
}

/// A new run to start in a repository.
pub(crate) struct Trigger {
    pub repo: usize,
    pub workflow: usize,
    pub event: &'static str,
    pub branch: String,
    pub actor: String,
    pub at: Time,
    pub plan: Plan,
    /// A push brings a new commit; other events run the branch head.
    pub commit: Option<Commit>,
}

impl World {
    pub(crate) fn new(base: String, pipelines: String, token: String, clock: Clock) -> Self {
        let now = clock.now();
        World {
            base,
            pipelines,
            token,
            repos: Vec::new(),
            ids: Ids::new(),
            rate: RateLimit::new(5000, now),
            clock,
            secondary_until: None,
            outage: None,
            spawner: None,
            per_repo: Default::default(),
            dispatches: Vec::new(),
            reruns: Vec::new(),
            reviews: Vec::new(),
            artifacts: Vec::new(),
            user_accounts: Vec::new(),
            log_key: 0x005e_ed0f_1095 ^ now.timestamp() as u64,
            next_repo_id: 781_204_455,
            next_workflow_id: 90_112_300,
        }
    }

    pub(crate) fn now(&self) -> Time {
        self.clock.now()
    }

    pub(crate) fn add_repo(&mut self, owner: &str, name: &str, stack: Stack, head: Commit) {
        let created = head.timestamp - Duration::days(200);
        let workflows = stacks::workflows(stack)
            .into_iter()
            .map(|spec| {
                self.next_workflow_id += 1;
                Workflow {
                    id: self.next_workflow_id,
                    spec,
                    created_at: created,
                    updated_at: created + Duration::days(3),
                    next_run_number: 1,
                }
            })
            .collect();
        self.next_repo_id += 1;
        self.repos.push(Repo {
            id: self.next_repo_id,
            owner: owner.to_string(),
            name: name.to_string(),
            default_branch: "main".to_string(),
            branches: vec![Branch {
                name: "main".to_string(),
                head,
            }],
            workflows,
            runs: Vec::new(),
            version: 1,
            broken_files: Vec::new(),
            archived: false,
        });
    }

    pub(crate) fn repo_index(&self, owner: &str, name: &str) -> Option<usize> {
        self.repos
            .iter()
            .position(|r| r.owner.eq_ignore_ascii_case(owner) && r.name.eq_ignore_ascii_case(name))
    }

    /// Starts a run; returns its id.
    pub(crate) fn start_run(&mut self, t: Trigger) -> Option<u64> {
        let repo = self.repos.get_mut(t.repo)?;
        let default_branch = t.branch == repo.default_branch;
        let commit = match t.commit {
            Some(commit) => {
                match repo.branches.iter_mut().find(|b| b.name == t.branch) {
                    Some(branch) => branch.head = commit.clone(),
                    None => repo.branches.push(Branch {
                        name: t.branch.clone(),
                        head: commit.clone(),
                    }),
                }
                commit
            }
            None => repo
                .branches
                .iter()
                .find(|b| b.name == t.branch)?
                .head
                .clone(),
        };
        let workflow = repo.workflows.get_mut(t.workflow)?;
        let run_number = workflow.next_run_number;
        workflow.next_run_number += 1;
        let run = engine::new_run(
            &mut self.ids,
            NewRun {
                workflow_id: workflow.id,
                spec: &workflow.spec,
                run_number,
                event: t.event,
                branch: t.branch,
                default_branch,
                commit,
                actor: t.actor,
                at: t.at,
                plan: t.plan,
            },
        );
        let id = run.id;
        repo.runs.push(run);
        if repo.runs.len() > MAX_RUNS_PER_REPO
            && let Some(old) = repo.runs.iter().position(is_completed)
        {
            repo.runs.remove(old);
        }
        repo.version += 1;
        Some(id)
    }

    /// Brings everything up to the clock; returns the time it synced to.
    pub(crate) fn sync(&mut self) -> Time {
        let now = self.now();
        if let Some(mut spawner) = self.spawner.take() {
            spawner.spawn_due(self, now);
            self.spawner = Some(spawner);
        }
        self.progress(now);
        now
    }

    pub(crate) fn progress(&mut self, now: Time) {
        for repo in &mut self.repos {
            let mut changed = false;
            for run in repo.runs.iter_mut().filter(|r| !is_completed(r)) {
                if let Some(attempt) = run.latest_mut() {
                    changed |= engine::advance_attempt(attempt, now);
                }
            }
            if changed {
                repo.version += 1;
            }
        }
    }

    /// Finds a job by id in any attempt of any run of the repository.
    pub(crate) fn find_job(&self, repo: usize, job_id: u64) -> Option<JobRef> {
        let repo_ref = self.repos.get(repo)?;
        for (run, r) in repo_ref.runs.iter().enumerate().rev() {
            for (attempt, a) in r.attempts.iter().enumerate() {
                if let Some(job) = a.jobs.iter().position(|j| j.id == job_id) {
                    return Some(JobRef { run, attempt, job });
                }
            }
        }
        None
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct JobRef {
    pub run: usize,
    pub attempt: usize,
    pub job: usize,
}

fn is_completed(run: &Run) -> bool {
    run.latest().is_none_or(|a| a.status == Status::Completed)
}
