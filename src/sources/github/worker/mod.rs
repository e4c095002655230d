//! The polling loop. Each repository has its own schedule: its first page
//! of runs is fetched with `If-None-Match`, so an unchanged repository costs
//! a free 304; it is polled every `poll_active` while it has a run going and
//! every `poll_idle` otherwise. The jobs of the run the user opened are
//! polled the same way. A rate limit, a rejected token or an outage pauses
//! everything (honouring `retry-after` / `x-ratelimit-reset`, or backing off)
//! and the health says why in plain words.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::super::kit::{Backoff, Health, Policy, write_bundle};
use super::api::{Answer, Api, ApiError};
use super::ops;
use super::task::GithubSetup;
use super::wire;
use crate::core::effect::{GitHubCommand, StreamId};
use crate::core::github::RateLimit;
use crate::core::msg::{GitHubEvent, Msg};

mod jobs;

/// Repositories polled at once in a round (a first load of many repos
/// should not wait for them one by one, nor open dozens of connections).
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

struct RepoPoll {
    name: String,
    etag: Option<String>,
    due: Instant,
    /// A run is queued or in progress: poll at the fast interval.
    active: bool,
    failing: bool,
}

struct JobsWatch {
    request: StreamId,
    repo: String,
    run_id: u64,
    etag: Option<String>,
    due: Instant,
    active: bool,
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
    paused_until: Option<Instant>,
    backoff: Backoff,
    connected: bool,
    stats: Arc<Stats>,
    sent_stats: (u64, u64),
    rate: Option<RateLimit>,
    internal_tx: mpsc::UnboundedSender<Internal>,
    internal_rx: mpsc::UnboundedReceiver<Internal>,
}

impl Worker {
    pub fn new(api: Api, setup: &GithubSetup, repos: Vec<String>, tx: mpsc::Sender<Msg>) -> Self {
        let now = Instant::now();
        let (internal_tx, internal_rx) = mpsc::unbounded_channel();
        Worker {
            api,
            tx,
            health: Health::new(setup.api_url.clone()),
            repos: repos
                .into_iter()
                .map(|name| RepoPoll {
                    name,
                    etag: None,
                    due: now,
                    active: false,
                    failing: false,
                })
                .collect(),
            jobs: None,
            poll_active: setup.poll_active,
            poll_idle: setup.poll_idle,
            per_page: setup.per_page,
            paused_until: None,
            backoff: Backoff::new(Policy::GITHUB),
            connected: false,
            stats: Arc::new(Stats::default()),
            sent_stats: (0, 0),
            rate: None,
            internal_tx,
            internal_rx,
        }
    }

    async fn send(&self, ev: GitHubEvent) {
        let _ = self.tx.send(Msg::GitHub(ev)).await;
    }

    /// Runs until the app drops the command sender.
    pub async fn serve(mut self, mut cmds: mpsc::UnboundedReceiver<GitHubCommand>) {
        loop {
            let wake = self.next_wake();
            tokio::select! {
                cmd = cmds.recv() => match cmd {
                    Some(cmd) => self.on_command(cmd).await,
                    None => return,
                },
                Some(note) = self.internal_rx.recv() => self.on_internal(note).await,
                _ = tokio::time::sleep_until(wake) => self.poll_due().await,
            }
        }
    }

    fn next_wake(&self) -> Instant {
        let earliest = self
            .repos
            .iter()
            .map(|r| r.due)
            .chain(self.jobs.as_ref().map(|j| j.due))
            .min()
            .unwrap_or_else(|| Instant::now() + self.poll_idle);
        match self.paused_until {
            Some(p) => earliest.max(p),
            None => earliest,
        }
    }

    fn interval(&self, active: bool) -> Duration {
        if active {
            self.poll_active
        } else {
            self.poll_idle
        }
    }

    async fn on_command(&mut self, cmd: GitHubCommand) {
        let now = Instant::now();
        match cmd {
            GitHubCommand::PollNow => {
                for r in &mut self.repos {
                    r.due = now;
                }
            }
            GitHubCommand::WatchJobs {
                request,
                repo,
                run_id,
            } => {
                self.jobs = Some(JobsWatch {
                    request,
                    repo,
                    run_id,
                    etag: None,
                    due: now,
                    active: true,
                });
            }
            GitHubCommand::StopJobs => self.jobs = None,
            GitHubCommand::FetchLog {
                stream,
                repo,
                job_id,
            } => {
                let ctx = self.op_context();
                tokio::spawn(ops::fetch_log(ctx, stream, repo, job_id));
            }
            GitHubCommand::IncidentBundle { path, item, run } => {
                let fetch = ops::bundle(self.op_context(), run);
                write_bundle(self.tx.clone(), path, item, fetch);
            }
            GitHubCommand::Op { repo, target, op } => {
                let ctx = self.op_context();
                tokio::spawn(ops::run_op(ctx, repo, target, op));
            }
        }
    }

    fn op_context(&self) -> ops::Context {
        ops::Context {
            api: self.api.clone(),
            tx: self.tx.clone(),
            stats: self.stats.clone(),
            internal: self.internal_tx.clone(),
        }
    }

    async fn on_internal(&mut self, note: Internal) {
        match note {
            Internal::Changed(repo) => {
                let now = Instant::now();
                for r in self.repos.iter_mut().filter(|r| r.name == repo) {
                    r.due = now;
                }
                if let Some(j) = self.jobs.as_mut().filter(|j| j.repo == repo) {
                    j.due = now;
                }
            }
            Internal::Rate(rate) => self.note_rate(Some(rate)).await,
        }
        self.send_stats().await;
    }

    async fn note_rate(&mut self, rate: Option<RateLimit>) {
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

    /// One round: every repository that is due (a few at once), then the
    /// open run's jobs. A global failure stops the round.
    async fn poll_due(&mut self) {
        let now = Instant::now();
        if self.paused_until.is_some_and(|p| p > now) {
            return;
        }
        self.paused_until = None;
        let due: Vec<(usize, String, Option<String>)> = self
            .repos
            .iter()
            .enumerate()
            .filter(|(_, r)| r.due <= now)
            .map(|(i, r)| (i, r.name.clone(), r.etag.clone()))
            .collect();
        let per_page = self.per_page;
        let api = &self.api;
        let stats = &self.stats;
        let answers: Vec<(usize, Result<Answer, ApiError>)> = futures::stream::iter(due)
            .map(|(i, name, etag)| async move {
                let path = format!("/repos/{name}/actions/runs?per_page={per_page}");
                let result = api.get(&path, etag.as_deref()).await;
                stats.count(&result);
                (i, result)
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let mut global = None;
        for (i, result) in answers {
            if let Err(e) = self.apply_runs(i, result).await {
                global = Some(e);
            }
        }
        if global.is_none()
            && let Some(e) = self.poll_jobs_if_due(now).await
        {
            global = Some(e);
        }
        match global {
            Some(e) => self.pause(e).await,
            None => self.healthy().await,
        }
        self.send_stats().await;
    }

    /// Applies one repository's answer; returns the error if it concerns
    /// every repository (limit, token, outage) rather than this one.
    async fn apply_runs(
        &mut self,
        i: usize,
        result: Result<Answer, ApiError>,
    ) -> Result<(), ApiError> {
        let now = Instant::now();
        let Some(name) = self.repos.get(i).map(|r| r.name.clone()) else {
            return Ok(());
        };
        let outcome = match result {
            Ok(answer) => {
                self.note_rate(answer.rate).await;
                if answer.not_modified() {
                    Ok(None)
                } else {
                    wire::runs(&name, &answer.body)
                        .map(|runs| Some((runs, answer.etag)))
                        .map_err(ApiError::Decode)
                }
            }
            Err(e) => Err(e),
        };
        let Some(repo) = self.repos.get_mut(i) else {
            return Ok(());
        };
        match outcome {
            Ok(fresh) => {
                let recovered = std::mem::take(&mut repo.failing);
                // Connected before the first list, so the pane never shows
                // runs under a "connecting" status.
                self.healthy().await;
                let Some(repo) = self.repos.get_mut(i) else {
                    return Ok(());
                };
                if let Some((runs, etag)) = fresh {
                    repo.etag = etag;
                    repo.active = runs.iter().any(|r| r.is_going());
                    self.send(GitHubEvent::Runs {
                        repo: name.clone(),
                        runs,
                    })
                    .await;
                }
                if recovered {
                    self.send(GitHubEvent::RepoError {
                        repo: name.clone(),
                        error: None,
                    })
                    .await;
                }
                let every = self.interval(self.repos.get(i).is_some_and(|r| r.active));
                if let Some(repo) = self.repos.get_mut(i) {
                    repo.due = now + every;
                }
                Ok(())
            }
            Err(e) if is_global(&e) => {
                // Polled again once the pause ends.
                repo.due = now;
                Err(e)
            }
            Err(e) => {
                repo.failing = true;
                repo.etag = None;
                repo.due = now + self.poll_idle;
                tracing::info!(repo = %name, error = %e.plain(), "repository poll failed");
                self.send(GitHubEvent::RepoError {
                    repo: name.clone(),
                    error: Some(format!("{name}: {}", e.plain())),
                })
                .await;
                Ok(())
            }
        }
    }

    async fn healthy(&mut self) {
        self.backoff.reset();
        if !self.connected {
            self.connected = true;
            self.send(GitHubEvent::Health(self.health.connected()))
                .await;
        }
    }

    /// Stops all polling for a while and says why.
    async fn pause(&mut self, e: ApiError) {
        if let ApiError::RateLimited { rate, .. } = &e {
            self.note_rate(*rate).await;
        }
        let wait = match &e {
            ApiError::RateLimited { wait, .. } => *wait,
            ApiError::Unauthorized(_) => self.poll_idle,
            _ => self.backoff.next_wait(),
        };
        self.paused_until = Some(Instant::now() + wait);
        self.connected = false;
        let error = match (&e, self.rate) {
            (ApiError::RateLimited { message, .. }, Some(rate)) if rate.remaining == 0 => {
                format!(
                    "{message} (0 of {} left); it resets at {} UTC",
                    rate.limit,
                    rate.reset.format("%H:%M:%S")
                )
            }
            (ApiError::RateLimited { message, .. }, _) => message.clone(),
            _ => e.plain(),
        };
        let health = if matches!(e, ApiError::RateLimited { .. }) {
            self.health.rate_limited(error, wait)
        } else {
            self.health.reconnecting(error, wait)
        };
        self.send(GitHubEvent::Health(health)).await;
    }
}

/// Errors that say nothing about one repository and everything about the
/// connection: pause all polling rather than hammer on.
fn is_global(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::RateLimited { .. }
            | ApiError::Unauthorized(_)
            | ApiError::Server { .. }
            | ApiError::Network(_)
    )
}
