//! The polling loop. Each repository has its own schedule: its first page
//! of runs is fetched with `If-None-Match`, so an unchanged repository costs
//! a free 304; it is polled every `poll_active` while it has a run going and
//! every `poll_idle` otherwise. The jobs of the run the user opened are
//! polled the same way. A rate limit, a rejected token or an outage pauses
//! everything (honouring `retry-after` / `x-ratelimit-reset`, or backing off)
//! and the health says why in plain words.
//!
//! The intervals are the base of a plan: [`Budget`] stretches them as the
//! rate limit drains, so it lasts until its reset, and holds polling at a
//! reserve kept for the user's own actions (they are never held).
//!
//! Every poll is a future of its own with a deadline, run beside the
//! others: the loop never awaits a request, so a repository that hangs
//! delays neither the other repositories nor a command (opening a run, a
//! re-run, a log), and it is named once its deadline passes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::core::effect::{GitHubCommand, StreamId};
use crate::core::github::RateLimit;
use crate::core::msg::{GitHubEvent, Msg};
use crate::core::source::{SourceHealth, SourceKind};

use super::super::kit::{Backoff, Health, Policy};
use super::api::{Answer, Api, ApiError};
use super::budget::{self, Budget, Pace};
use super::ops;
use super::task::GithubSetup;
use super::token::{Token, TokenOrigin};
use super::wire;

mod auth;
mod backfill;
pub use backfill::Backfill;
mod commands;
mod jobs;
mod older;
mod owners;
mod pace;
mod pause;
use pause::is_global;
mod repos;

/// Repository polls in flight at once (a first load of many repos should
/// not wait for them one by one, nor open dozens of connections). A hung
/// repository holds one place until its deadline, never all of them.
const CONCURRENCY: usize = 6;

/// Requests made and 304s received, shared with the op and log tasks.
#[derive(Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub not_modified: AtomicU64,
}

impl Stats {
    pub fn count(&self, result: &Result<Answer, ApiError>) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        if result.as_ref().is_ok_and(Answer::not_modified) {
            self.not_modified.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// What a poll came back with.
enum Reply {
    Answer(Result<Answer, ApiError>),
    /// Nothing before the deadline; the request was dropped.
    NoAnswer,
}

/// A finished poll, handed back to the loop.
enum Done {
    Runs {
        repo: usize,
        reply: Reply,
    },
    Jobs {
        request: StreamId,
        reply: Reply,
    },
    /// The workflows list (`workflow: None`) or one workflow's own page.
    Older {
        repo: usize,
        workflow: Option<u64>,
        reply: Reply,
    },
    /// An older page of the repository's runs, asked for by scrolling.
    OlderPage {
        repo: usize,
        reply: Reply,
    },
    /// An owner's repositories (`[github] owners`).
    Owner {
        index: usize,
        reply: Reply,
    },
    /// The token looked up again after a 401.
    Token {
        found: Result<Option<(Token, TokenOrigin)>, String>,
    },
}

type Poll = Pin<Box<dyn Future<Output = Done> + Send>>;

/// One conditional GET with a deadline, counted.
async fn ask(
    api: Api,
    stats: Arc<Stats>,
    path: String,
    etag: Option<String>,
    deadline: Duration,
) -> Reply {
    match tokio::time::timeout(deadline, api.get(&path, etag.as_deref())).await {
        Ok(result) => {
            stats.count(&result);
            Reply::Answer(result)
        }
        Err(_) => {
            stats.requests.fetch_add(1, Ordering::Relaxed);
            Reply::NoAnswer
        }
    }
}

/// "no answer in 30 s": what a user is told about a silent repository.
fn no_answer(deadline: Duration) -> String {
    if deadline.subsec_millis() == 0 {
        format!("no answer in {} s", deadline.as_secs())
    } else {
        format!("no answer in {} ms", deadline.as_millis())
    }
}

struct RepoPoll {
    name: String,
    etag: Option<String>,
    due: Instant,
    /// A run is queued or in progress: poll at the fast interval.
    active: bool,
    failing: bool,
    /// A poll is in flight.
    busy: bool,
    /// Asked to poll while one was in flight: its answer may predate the
    /// change, so poll again as soon as it is back.
    again: bool,
    /// The last first page, kept to merge with the older runs.
    page: Vec<crate::core::github::Run>,
    /// `total_count` of the last first page.
    total: Option<u64>,
    older: older::Older,
    /// Expected counted requests per poll (`budget::learn`).
    cost: f64,
}

impl RepoPoll {
    fn new(name: String, now: Instant) -> RepoPoll {
        RepoPoll {
            name,
            etag: None,
            due: now,
            active: false,
            failing: false,
            busy: false,
            again: false,
            page: Vec::new(),
            total: None,
            older: older::Older::default(),
            cost: 1.0,
        }
    }
}

struct JobsWatch {
    request: StreamId,
    repo: String,
    run_id: u64,
    /// An older attempt's jobs; None: the latest attempt's.
    attempt: Option<u32>,
    etag: Option<String>,
    due: Instant,
    active: bool,
    busy: bool,
    again: bool,
    cost: f64,
}

/// Told to the loop by the op and log tasks.
pub enum Internal {
    /// An action changed this repository: poll it (and its open run) now.
    Changed(String),
    Rate(RateLimit),
}

pub struct Worker {
    api: Api,
    tx: mpsc::Sender<Msg>,
    health: Health,
    repos: Vec<RepoPoll>,
    jobs: Option<JobsWatch>,
    poll_active: Duration,
    poll_idle: Duration,
    per_page: u8,
    answer_timeout: Duration,
    paused_until: Option<Instant>,
    /// After a pause, one repository is polled alone; the others wait for
    /// its answer, so a server still refusing costs one request per
    /// backoff step, not one per repository.
    probing: bool,
    backoff: Backoff,
    /// The pause after each 401 in a row, longer than an outage's.
    auth_backoff: Backoff,
    creds: auth::Credentials,
    connected: bool,
    stats: Arc<Stats>,
    sent_stats: (u64, u64),
    rate: Option<RateLimit>,
    budget: Budget,
    /// The last pace, to log when polling slows down or holds.
    pace: Pace,
    internal_tx: mpsc::UnboundedSender<Internal>,
    internal_rx: mpsc::UnboundedReceiver<Internal>,
    /// Polls in flight; dropped (and so cancelled) with the worker.
    polls: FuturesUnordered<Poll>,
    /// `[github] owners`, each re-listed now and then.
    owners: Vec<owners::OwnerList>,
    owner_repos_max: usize,
    /// How far back the timeline's history of runs is read on start.
    backfill_setup: Backfill,
}

impl Worker {
    pub fn new(
        api: Api,
        (token, origin): (Token, TokenOrigin),
        setup: &GithubSetup,
        repos: Vec<String>,
        tx: mpsc::Sender<Msg>,
    ) -> Self {
        let now = Instant::now();
        let (internal_tx, internal_rx) = mpsc::unbounded_channel();
        Worker {
            api,
            tx,
            health: Health::new(setup.api_url.clone()),
            repos: repos
                .into_iter()
                .map(|name| RepoPoll::new(name, now))
                .collect(),
            jobs: None,
            poll_active: setup.poll_active,
            poll_idle: setup.poll_idle,
            per_page: setup.per_page,
            answer_timeout: setup.answer_timeout,
            paused_until: None,
            probing: false,
            backoff: Backoff::new(Policy::GITHUB),
            auth_backoff: Backoff::new(Policy::GITHUB_AUTH),
            creds: auth::Credentials {
                source: setup.token.clone(),
                token,
                origin,
                refreshing: false,
            },
            connected: false,
            stats: Arc::new(Stats::default()),
            sent_stats: (0, 0),
            rate: None,
            budget: Budget::new(setup.rate_window),
            pace: Pace::Stretch(1.0),
            internal_tx,
            internal_rx,
            polls: FuturesUnordered::new(),
            owners: setup
                .owners
                .iter()
                .map(|o| owners::OwnerList::new(o, now))
                .collect(),
            owner_repos_max: setup.owner_repos_max,
            backfill_setup: setup.backfill,
        }
    }

    /// Borrows nothing from the worker while it waits for room in the
    /// channel (the polls it holds are `Send` but not `Sync`).
    fn send_health(&self, health: SourceHealth) -> impl Future<Output = ()> + Send + 'static {
        let tx = self.tx.clone();
        async move {
            let _ = tx.send(Msg::health(SourceKind::GitHub, health)).await;
        }
    }

    fn send(&self, ev: GitHubEvent) -> impl Future<Output = ()> + Send + 'static {
        let tx = self.tx.clone();
        async move {
            let _ = tx.send(Msg::GitHub(ev)).await;
        }
    }

    /// Runs until the app drops the command sender.
    pub async fn serve(mut self, mut cmds: mpsc::UnboundedReceiver<GitHubCommand>) {
        loop {
            self.start_due();
            let wake = self.next_wake();
            tokio::select! {
                cmd = cmds.recv() => match cmd {
                    Some(cmd) => self.on_command(cmd),
                    None => return,
                },
                Some(note) = self.internal_rx.recv() => self.on_internal(note).await,
                Some(done) = self.polls.next(), if !self.polls.is_empty() => {
                    match done {
                        Done::Runs { repo, reply } => self.on_runs(repo, reply).await,
                        Done::Jobs { request, reply } => self.on_jobs(request, reply).await,
                        Done::Older { repo, workflow, reply } => {
                            self.on_older(repo, workflow, reply).await
                        }
                        Done::OlderPage { repo, reply } => self.on_older_page(repo, reply).await,
                        Done::Token { found } => self.on_token(found).await,
                        Done::Owner { index, reply } => self.on_owner(index, reply).await,
                    }
                    self.send_stats().await;
                }
                _ = tokio::time::sleep_until(wake) => {}
            }
        }
    }

    fn paused(&self, now: Instant) -> bool {
        self.paused_until.is_some_and(|p| p > now)
    }

    /// Starts every poll that is due and not already in flight.
    fn start_due(&mut self) {
        let now = Instant::now();
        if self.paused(now) {
            return;
        }
        self.paused_until = None;
        if self.probing && !self.repos.is_empty() {
            if !self.repos.iter().any(|r| r.busy) {
                self.start_repo_polls(now, 1);
            }
            return;
        }
        self.probing = false;
        self.start_repo_polls(now, CONCURRENCY);
        self.start_jobs_poll(now);
        self.start_owner_polls(now);
    }

    /// When the next poll falls due; polls in flight wake the loop by
    /// finishing.
    fn next_wake(&self) -> Instant {
        // A probe holds everything else back until its answer, which wakes
        // the loop by itself.
        let limit = if self.probing { 1 } else { CONCURRENCY };
        let full = self.repos.iter().filter(|r| r.busy).count() >= limit;
        let probing = self.probing && !self.repos.is_empty();
        let earliest = self
            .repos
            .iter()
            .filter(|r| !r.busy && !full)
            .map(|r| r.due)
            .chain(
                self.jobs
                    .iter()
                    .filter(|j| !j.busy && !probing)
                    .map(|j| j.due),
            )
            .chain(
                self.owners
                    .iter()
                    .filter(|o| !o.busy && !probing)
                    .map(|o| o.due),
            )
            .min()
            .unwrap_or_else(|| Instant::now() + self.poll_idle);
        match self.paused_until {
            Some(p) => earliest.max(p),
            None => earliest,
        }
    }

    async fn on_internal(&mut self, note: Internal) {
        match note {
            Internal::Changed(repo) => {
                let now = Instant::now();
                for r in self.repos.iter_mut().filter(|r| r.name == repo) {
                    r.due = now;
                    r.again = r.busy;
                }
                if let Some(j) = self.jobs.as_mut().filter(|j| j.repo == repo) {
                    j.due = now;
                    j.again = j.busy;
                }
            }
            Internal::Rate(rate) => self.note_rate(Some(rate)).await,
        }
        self.send_stats().await;
    }

    async fn note_rate(&mut self, rate: Option<RateLimit>) {
        if let Some(rate) = rate {
            self.budget.observe(rate);
        }
        if let Some(rate) = rate
            && self.rate != Some(rate)
        {
            self.rate = Some(rate);
            self.send(GitHubEvent::RateLimit(rate)).await;
        }
    }

    async fn send_stats(&mut self) {
        let now = (
            self.stats.requests.load(Ordering::Relaxed),
            self.stats.not_modified.load(Ordering::Relaxed),
        );
        if now != self.sent_stats {
            self.sent_stats = now;
            self.send(GitHubEvent::PollStats {
                requests: now.0,
                not_modified: now.1,
            })
            .await;
        }
    }
}
