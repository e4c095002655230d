//! The Actions pane at scale. `cargo bench --bench github`.
//!
//! - render of the merged list, 20 repositories x 100 runs, at 200x50
//!   (budget: under 2 ms per frame);
//! - merging one repository's fresh page into those 2,000 runs;
//! - the rate budget: the real source task against the simulator with 20
//!   busy and 20 quiet repositories, then 100 quiet ones, over an hour
//!   compressed 30 times (see `COMPRESS`). Budget: at rest at most one
//!   conditional request per repository per interval (one a minute), at
//!   least 90 % of them answered 304 (free against the rate limit); busy,
//!   never more than half the hourly limit counted, and no 403. The
//!   figures are printed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::Utc;
use criterion::Criterion;
use opsdeck::core::github::{Conclusion, Run, Status};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::{GitHubEvent, Msg};
use opsdeck::core::source::{SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::sources::github::{self, GithubSetup, Token, TokenSource};
use opsdeck::ui::{self, Look, Theme};
use opsdeck_sim::github::{GithubSim, Scenario, SimClock, SimOptions};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const REPOS: usize = 20;
const RUNS: usize = 100;

fn repo_runs(r: usize) -> Vec<Run> {
    let now = Utc::now();
    let repo = format!("acme/svc-{r:02}");
    (0..RUNS)
        .map(|i| {
            let id = (r * RUNS + i) as u64;
            let (status, conclusion) = match i % 10 {
                0 => (Status::InProgress, None),
                1 => (Status::Completed, Some(Conclusion::Failure)),
                2 => (Status::Queued, None),
                _ => (Status::Completed, Some(Conclusion::Success)),
            };
            Run {
                repo: repo.clone(),
                id,
                number: i as u64 + 1,
                attempt: 1 + (i % 3) as u32,
                workflow: ["CI", "Deploy", "Nightly"][i % 3].into(),
                workflow_id: (i % 3) as u64,
                branch: format!("feature/branch-{}", i % 7),
                event: "push".into(),
                actor: format!("dev-{}", i % 9),
                title: format!("Change number {i} in service {r}: tidy the handlers"),
                status,
                conclusion,
                head_sha: format!("{id:040x}"),
                created_at: now - chrono::Duration::minutes((i * 20 + r) as i64),
                updated_at: now - chrono::Duration::minutes((i * 20 + r) as i64 - 3),
                started_at: None,
                html_url: String::new(),
            }
        })
        .collect()
}

fn loaded_state() -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.tab = Tab::Actions;
    update(
        &mut s,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    let health = SourceHealth::Connected {
        target: "bench".into(),
        last_update: Utc::now(),
    };
    update(&mut s, Msg::health(SourceKind::GitHub, health));
    for r in 0..REPOS {
        let runs = repo_runs(r);
        let repo = format!("acme/svc-{r:02}");
        update(&mut s, Msg::GitHub(GitHubEvent::Runs { repo, runs }));
    }
    s
}

fn bench_render(c: &mut Criterion) {
    let look = Look::new(Theme::default(), false);
    let mut state = loaded_state();
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    c.bench_function("render actions pane 20x100 runs 200x50", |b| {
        b.iter(|| {
            terminal
                .draw(|f| ui::draw(f, black_box(&mut state), &look))
                .expect("draw");
        })
    });
    let fresh = repo_runs(7);
    c.bench_function("update: one repo page merged into 2000 runs", |b| {
        b.iter(|| {
            let msg = Msg::GitHub(GitHubEvent::Runs {
                repo: "acme/svc-07".into(),
                runs: fresh.clone(),
            });
            black_box(update(&mut state, msg))
        })
    });
}

/// The hour is compressed this many times: the simulator's rate window is
/// 3600 s / COMPRESS with the full limit, and the poll intervals are the
/// defaults (10 s busy, 60 s idle) / COMPRESS, so the budget's sums are an
/// hour's. The simulator's own clock runs at real pace.
const COMPRESS: u32 = 30;
const LIMIT: u32 = 5000;

struct World {
    name: &'static str,
    scenario: Scenario,
    /// Repository names, and which of them are busy.
    repos: Vec<(String, bool)>,
}

fn mixed() -> World {
    let busy = (0..20).map(|i| (format!("acme/busy-{i:02}"), true));
    let quiet = (0..20).map(|i| (format!("acme/quiet-{i:02}"), false));
    World {
        name: "20 busy + 20 quiet repositories",
        scenario: Scenario::Busy {
            busy: 20,
            quiet: 20,
        },
        repos: busy.chain(quiet).collect(),
    }
}

fn hundred() -> World {
    World {
        name: "100 quiet repositories",
        scenario: Scenario::Scale {
            repos: 100,
            runs_per_repo: 20,
        },
        repos: (0..100)
            .map(|i| (format!("acme/svc-{i:02}"), false))
            .collect(),
    }
}

/// (requests, answered 304) of `repos` so far.
fn sum(sim: &GithubSim, repos: &[&(String, bool)]) -> (u64, u64) {
    repos.iter().fold((0, 0), |(r, n), (name, _)| {
        let (a, b) = sim.repo_requests(name);
        (r + a, n + b)
    })
}

/// Runs the real source task against `world` for `period` of wall time
/// (`period * COMPRESS` of the compressed hour) and prints requests per
/// repository per (real) minute, busy and quiet, the 304 share, and the
/// counted requests against half the hourly limit.
fn polling_budget(world: World, period: Duration) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let window = Duration::from_secs(3600) / COMPRESS;
        let options = SimOptions {
            clock: SimClock::Realtime { speed: 1.0 },
            rate_limit: LIMIT,
            rate_window: window,
            ..SimOptions::default()
        };
        let sim = GithubSim::start_with(world.scenario, options)
            .await
            .expect("simulator");
        let setup = GithubSetup {
            api_url: sim.base_url().to_string(),
            token: Token::new(sim.token())
                .map(TokenSource::fixed)
                .unwrap_or_default(),
            repos: world.repos.iter().map(|(r, _)| r.clone()).collect(),
            discover_from: None,
            owners: Vec::new(),
            owner_repos_max: 0,
            poll_active: Duration::from_secs(10) / COMPRESS,
            poll_idle: Duration::from_secs(60) / COMPRESS,
            per_page: github::RUNS_PER_PAGE,
            answer_timeout: github::ANSWER_TIMEOUT,
            rate_window: window,
            // The polling budget alone is measured here.
            backfill: github::Backfill::OFF,
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel(4096);
        let _commands = github::spawn(setup, tx);
        let rss_before = vm_kib("VmRSS");
        // Apply the messages to a state as the UI would, so the memory
        // figure includes the runs held by the pane.
        let drain = tokio::spawn(async move {
            let mut state = State::new(Settings::default(), KeyMap::default());
            while let Some(msg) = rx.recv().await {
                update(&mut state, msg);
            }
        });
        let started = Instant::now();
        let all: Vec<&(String, bool)> = world.repos.iter().collect();
        let busy: Vec<&(String, bool)> = world.repos.iter().filter(|r| r.1).collect();
        let quiet: Vec<&(String, bool)> = world.repos.iter().filter(|r| !r.1).collect();
        // The first load: one full answer per repository.
        while all.iter().any(|(r, _)| sim.repo_requests(r).0 == 0) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let first_load = started.elapsed();
        // Steady state: after the first load's workflow reads.
        tokio::time::sleep(Duration::from_secs(2).min(period / 4)).await;
        let (busy0, quiet0) = (sum(&sim, &busy), sum(&sim, &quiet));
        let c0 = sim.counters();
        let steady = Instant::now();
        tokio::time::sleep(period.saturating_sub(started.elapsed())).await;
        let minutes = steady.elapsed().as_secs_f64() * f64::from(COMPRESS) / 60.0;
        let (busy1, quiet1) = (sum(&sim, &busy), sum(&sim, &quiet));
        let c = sim.counters();
        let counted = c.requests - c.not_modified;
        let per_hour =
            counted as f64 * 3600.0 / (started.elapsed().as_secs_f64() * f64::from(COMPRESS));
        let steady_counted = counted - (c0.requests - c0.not_modified);
        let steady_per_hour = steady_counted as f64 * 60.0 / minutes;
        let rate = |(r0, _): (u64, u64), (r1, _): (u64, u64), n: usize| {
            (r1 - r0) as f64 / n.max(1) as f64 / minutes
        };
        let share = |(r0, n0): (u64, u64), (r1, n1): (u64, u64)| {
            100.0 * (n1 - n0) as f64 / (r1 - r0).max(1) as f64
        };
        println!(
            "polling {} ({:.0} compressed minutes; hour compressed {COMPRESS}x, the \
             simulator's clock at real pace): first load in {first_load:.1?}",
            world.name,
            started.elapsed().as_secs_f64() * f64::from(COMPRESS) / 60.0
        );
        if !busy.is_empty() {
            println!(
                "  busy: {:.2} requests per repository per minute, {:.0} % answered 304",
                rate(busy0, busy1, busy.len()),
                share(busy0, busy1)
            );
        }
        println!(
            "  quiet: {:.2} requests per repository per minute, {:.1} % answered 304",
            rate(quiet0, quiet1, quiet.len()),
            share(quiet0, quiet1)
        );
        println!(
            "  counted against the limit: {counted} in all, {per_hour:.0} an hour with \
             the first load, {steady_per_hour:.0} an hour after it (half the limit: {}), \
             {} refused (403/429), {} left of {LIMIT}",
            LIMIT / 2,
            c.rate_limited,
            sim.rate_limit_remaining()
        );
        println!(
            "  memory: process RSS {} KiB before the source started, {} KiB after \
             (this process also hosts the simulator; peak {} KiB)",
            rss_before,
            vm_kib("VmRSS"),
            vm_kib("VmHWM")
        );
        drain.abort();
        sim.shutdown().await;
    });
}

/// A `/proc/self/status` figure in KiB (0 where there is no procfs).
fn vm_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench_render(&mut c);
    c.final_summary();
    // Under `cargo test --benches` (no --bench flag) only a short check runs.
    let full = std::env::args().any(|a| a == "--bench");
    // Full: one compressed hour of the mixed world, half of one with 100.
    let (mixed_for, hundred_for) = if full {
        (Duration::from_secs(120), Duration::from_secs(60))
    } else {
        (Duration::from_secs(6), Duration::from_secs(4))
    };
    polling_budget(mixed(), mixed_for);
    polling_budget(hundred(), hundred_for);
}
