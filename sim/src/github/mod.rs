//! A simulated GitHub REST API (the Actions subset opsdeck uses) on
//! loopback. The real octocrab client, built with
//! `Octocrab::builder().base_uri(sim.base_url())?.personal_token(sim.token())`,
//! talks to it unchanged.
//!
//! Served: list/get workflows, list runs (per repo and per workflow, with
//! the documented filters), get a run or one attempt of it, list jobs
//! (`filter=latest|all`, per attempt), get a job, job logs (302 to a signed
//! plain-text URL on a second loopback origin), re-run, re-run failed jobs,
//! re-run a job, cancel, workflow dispatch, and `GET /rate_limit`.
//!
//! Semantics follow the fixtures in `tests/fixtures/github/` and the GitHub
//! docs they cite: ETag on every cacheable GET and 304 for a matching
//! `If-None-Match` (not counted against the limit); `x-ratelimit-*` headers;
//! 403 (or 429) with the documented body once the limit is used up, until
//! `x-ratelimit-reset`; a secondary limit answering 403 with `retry-after`;
//! Link-header pagination; 401 for a wrong token; 404 for unknown things
//! and for requests without a token; an outage switch answering 5xx.
//!
//! Time is simulated: runs progress as the clock passes their planned step
//! durations. The clock flows with real time (`SimClock::Realtime`) for the
//! demo, or only when `advance` is called (`SimClock::Manual`) for tests.

mod artifacts;
mod contents;
mod deployments;
mod engine;
#[cfg(test)]
mod engine_tests;
mod fault;
mod http;
mod logs;
mod model;
mod owners;
mod payload;
mod routes;
mod scenario;
mod server;
mod stacks;
mod world;

use std::io;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration as StdDuration;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use scenario::Scenario;

use server::{Counters, Shared};
use world::{Clock, Trigger, World};

/// How simulated time passes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SimClock {
    /// Only `GithubSim::advance` moves time: deterministic tests.
    Manual,
    /// Time flows with the wall clock, `speed` times as fast (plus any
    /// `advance`).
    Realtime { speed: f64 },
}

#[derive(Clone, Debug)]
pub struct SimOptions {
    /// The only token the simulator accepts.
    pub token: String,
    pub clock: SimClock,
    /// `x-ratelimit-limit` of the primary (`core`) window.
    pub rate_limit: u32,
    /// Length of that window: an hour at GitHub. A bench compresses it
    /// (with the poll intervals) to measure an hour's budget in minutes.
    pub rate_window: StdDuration,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions {
            token: "ghp_opsdeckSimulatorToken000000000000000".to_string(),
            clock: SimClock::Realtime { speed: 1.0 },
            rate_limit: 5000,
            rate_window: StdDuration::from_secs(3600),
        }
    }
}

/// What the simulator has answered so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimCounters {
    /// Every request to the API origin (not the log downloads).
    pub requests: u64,
    /// 304 answers to conditional requests.
    pub not_modified: u64,
    /// Answers refused by the primary or the secondary rate limit.
    pub rate_limited: u64,
    /// 401 answers (wrong token).
    pub unauthorized: u64,
    /// Requests to the signed log URLs.
    pub log_downloads: u64,
    /// Log downloads that carried an `Authorization` header: the token
    /// leaked to the other origin (octocrab's redirect policy strips it).
    pub log_downloads_with_auth: u64,
    /// Requests that may change something (any method but GET and HEAD).
    pub mutating_requests: u64,
}

/// A workflow dispatch the simulator accepted, as a test reads it back.
#[derive(Clone, Debug, PartialEq)]
pub struct Dispatch {
    /// `owner/name`.
    pub repo: String,
    /// The workflow's file name, e.g. `deploy.yml`.
    pub workflow: String,
    pub git_ref: String,
    /// The request's `inputs` object (`{}` when none were sent).
    pub inputs: serde_json::Value,
}

/// A re-run the simulator accepted: the request's path and whether it
/// asked for debug logging (`enable_debug_logging`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RerunRecord {
    pub path: String,
    pub debug: bool,
}

pub use deployments::{Gate, Review};

/// A running simulator. Dropping it stops the servers.
pub struct GithubSim {
    shared: Arc<Shared>,
    base: String,
    token: String,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl GithubSim {
    /// Starts `scenario` with the default options (real-time clock, the
    /// default token, a 5000 requests/hour limit).
    pub async fn start(scenario: Scenario) -> io::Result<GithubSim> {
        Self::start_with(scenario, SimOptions::default()).await
    }

    pub async fn start_with(scenario: Scenario, options: SimOptions) -> io::Result<GithubSim> {
        let api = TcpListener::bind(("127.0.0.1", 0)).await?;
        let logs = TcpListener::bind(("127.0.0.1", 0)).await?;
        let base = format!("http://{}", api.local_addr()?);
        let pipelines = format!("http://{}", logs.local_addr()?);
        let speed = match options.clock {
            SimClock::Manual => None,
            SimClock::Realtime { speed } => Some(speed),
        };
        let mut world = World::new(
            base.clone(),
            pipelines,
            options.token.clone(),
            Clock::new(speed),
        );
        world.rate.limit = options.rate_limit;
        world.rate.remaining = options.rate_limit;
        let window = i64::try_from(options.rate_window.as_secs())
            .unwrap_or(3600)
            .max(1);
        world.rate.window_secs = window;
        world.rate.reset = world.now().timestamp() + window;
        scenario::populate(&mut world, scenario);
        let shared = Arc::new(Shared {
            world: Mutex::new(world),
            counters: Counters::default(),
            hangs: Default::default(),
        });
        let (stop, stopped) = watch::channel(false);
        let tasks = vec![
            tokio::spawn(server::serve(
                api,
                server::api_router(shared.clone()),
                stopped.clone(),
            )),
            tokio::spawn(server::serve(
                logs,
                server::pipelines_router(shared.clone()),
                stopped,
            )),
        ];
        Ok(GithubSim {
            shared,
            base,
            token: options.token,
            stop,
            tasks,
        })
    }

    /// `http://127.0.0.1:PORT`, for `Octocrab::builder().base_uri(..)`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The token the simulator accepts.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The repositories it serves, as `owner/name`.
    pub fn repos(&self) -> Vec<String> {
        self.shared
            .lock()
            .repos
            .iter()
            .map(|r| format!("{}/{}", r.owner, r.name))
            .collect()
    }

    pub fn counters(&self) -> SimCounters {
        let c = &self.shared.counters;
        let get = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
        SimCounters {
            requests: get(&c.requests),
            not_modified: get(&c.not_modified),
            rate_limited: get(&c.rate_limited),
            unauthorized: get(&c.unauthorized),
            log_downloads: get(&c.log_downloads),
            log_downloads_with_auth: get(&c.log_downloads_with_auth),
            mutating_requests: get(&c.mutating_requests),
        }
    }

    /// Requests about one repository (`owner/name`) so far: (all of them,
    /// those answered 304).
    pub fn repo_requests(&self, repo: &str) -> (u64, u64) {
        self.shared
            .lock()
            .per_repo
            .get(repo)
            .copied()
            .unwrap_or_default()
    }

    /// The workflow dispatches accepted so far.
    pub fn dispatches(&self) -> Vec<Dispatch> {
        self.shared.lock().dispatches.clone()
    }

    /// Archives `owner/name` (it stays readable; owner listings say
    /// `archived: true`).
    pub fn set_archived(&self, owner: &str, name: &str) {
        let mut world = self.shared.lock();
        if let Some(ri) = world.repo_index(owner, name)
            && let Some(repo) = world.repos.get_mut(ri)
        {
            repo.archived = true;
            repo.version += 1;
        }
    }

    /// Makes `login` a personal account: `/orgs/{login}/repos` answers
    /// 404 and `/users/{login}/repos` lists its repositories.
    pub fn set_user_account(&self, login: &str) {
        self.shared.lock().user_accounts.push(login.to_string());
    }

    /// The re-runs accepted so far.
    pub fn reruns(&self) -> Vec<RerunRecord> {
        self.shared.lock().reruns.clone()
    }

    /// Serves `text` as the workflow file `file` (e.g. `deploy.yml`) of
    /// `owner/repo`: broken YAML for a test.
    pub fn set_workflow_file(&self, owner: &str, repo: &str, file: &str, text: &str) {
        let mut world = self.shared.lock();
        let Some(ri) = world.repo_index(owner, repo) else {
            return;
        };
        if let Some(repo) = world.repos.get_mut(ri) {
            let path = format!(".github/workflows/{file}");
            repo.broken_files.retain(|(p, _)| *p != path);
            repo.broken_files.push((path, text.to_string()));
            repo.version += 1;
        }
    }

    /// The simulated time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().now()
    }

    /// Moves simulated time forward; runs progress accordingly.
    pub fn advance(&self, by: StdDuration) {
        let mut world = self.shared.lock();
        world.clock.advance(to_chrono(by));
        world.sync();
    }

    /// `x-ratelimit-remaining` right now.
    pub fn rate_limit_remaining(&self) -> u32 {
        let mut world = self.shared.lock();
        let now = world.now();
        world.rate.roll(now);
        world.rate.remaining
    }

    /// Sets the primary window: `remaining` requests left, resetting
    /// `reset_in` from now (simulated time). `remaining == 0` makes every
    /// counted request fail until then.
    pub fn set_rate_limit(&self, remaining: u32, reset_in: StdDuration) {
        let mut world = self.shared.lock();
        let reset = (world.now() + to_chrono(reset_in)).timestamp();
        world.rate.remaining = remaining.min(world.rate.limit);
        world.rate.reset = reset;
    }

    /// The status of an exhausted primary limit: 403 (default, as in the
    /// fixture) or 429 (current docs allow both).
    pub fn set_rate_limit_status(&self, status: StatusCode) {
        self.shared.lock().rate.status = status;
    }

    /// Outage on/off: every API request answers 502 with the "Server Error"
    /// body.
    pub fn set_outage(&self, on: bool) {
        self.set_outage_status(on.then_some(StatusCode::BAD_GATEWAY));
    }

    /// Outage with a chosen status (502, 503 …), or `None` to end it.
    pub fn set_outage_status(&self, status: Option<StatusCode>) {
        self.shared.lock().outage = status;
    }

    /// Secondary rate limit: every request answers 403 with `retry-after`
    /// until `retry_after` of simulated time has passed.
    pub fn secondary_limit(&self, retry_after: StdDuration) {
        let mut world = self.shared.lock();
        let until = world.now() + to_chrono(retry_after);
        world.secondary_until = Some(until);
    }

    /// Makes an unfinished run fail: its first unfinished job fails at the
    /// current step (and a re-run will not fix it). False if the run is
    /// unknown or already finished.
    pub fn fail_run(&self, owner: &str, repo: &str, run_id: u64) -> bool {
        let mut world = self.shared.lock();
        let now = world.sync();
        let Some(ri) = world.repo_index(owner, repo) else {
            return false;
        };
        let Some(repo) = world.repos.get_mut(ri) else {
            return false;
        };
        let Some(run) = repo.run_index(run_id).and_then(|i| repo.runs.get_mut(i)) else {
            return false;
        };
        let failed = engine::force_failure(run, now);
        if failed {
            repo.version += 1;
        }
        failed
    }

    /// Starts a run as a push of a new commit to `branch` would; returns its
    /// id. `workflow_file` is e.g. `"ci.yml"`.
    pub fn push(&self, owner: &str, repo: &str, workflow_file: &str, branch: &str) -> Option<u64> {
        let mut world = self.shared.lock();
        let now = world.sync();
        let ri = world.repo_index(owner, repo)?;
        let workflow = world
            .repos
            .get(ri)?
            .workflows
            .iter()
            .position(|w| w.spec.file == workflow_file)?;
        let mut commit = world.repos.get(ri)?.branches.first()?.head.clone();
        let h = payload::fnv(&format!("{now}{branch}{workflow_file}"));
        commit.sha = format!("{h:016x}{:016x}{:08x}", h.rotate_left(17), h as u32);
        commit.message = format!("Push to {branch}");
        commit.author = routes::SIM_USER.to_string();
        commit.timestamp = now;
        world.start_run(Trigger {
            repo: ri,
            workflow,
            event: "push",
            branch: branch.to_string(),
            actor: routes::SIM_USER.to_string(),
            at: now,
            plan: engine::Plan::Success,
            commit: Some(commit),
        })
    }

    /// Stops both servers and waits for them (at most a couple of seconds:
    /// clients may hold idle keep-alive connections).
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let abort = task.abort_handle();
            if tokio::time::timeout(StdDuration::from_secs(2), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for GithubSim {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Capped at a century so that adding it to a date cannot overflow.
fn to_chrono(d: StdDuration) -> Duration {
    let century = Duration::days(36_525);
    Duration::from_std(d).map_or(century, |d| d.min(century))
}
