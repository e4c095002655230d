//! The Actions pane at scale. `cargo bench --bench github`.
//!
//! - render of the merged list, 20 repositories x 100 runs, at 200x50
//!   (budget: under 2 ms per frame);
//! - merging one repository's fresh page into those 2,000 runs;
//! - the polling budget: the real source task against the simulator's
//!   steady `Scale { repos: 20, runs_per_repo: 100 }` world, with a short
//!   idle interval standing in for the default 60 s. Budget: one
//!   conditional request per repository per interval, at least 90 % of them
//!   answered 304 (free against the rate limit). The figures are printed.
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

/// Runs the source against the steady Scale world for `intervals` idle
/// intervals and prints requests per repository per interval and the 304
/// share of the polls after the first load.
fn polling_budget(interval: Duration, intervals: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let options = SimOptions {
            clock: SimClock::Realtime { speed: 60.0 },
            ..SimOptions::default()
        };
        let scenario = Scenario::Scale {
            repos: REPOS,
            runs_per_repo: RUNS,
        };
        let sim = GithubSim::start_with(scenario, options)
            .await
            .expect("simulator");
        let setup = GithubSetup {
            api_url: sim.base_url().to_string(),
            token: Token::new(sim.token())
                .map(TokenSource::fixed)
                .unwrap_or_default(),
            repos: (0..REPOS).map(|r| format!("acme/svc-{r:02}")).collect(),
            discover_from: None,
            poll_active: interval,
            poll_idle: interval,
            per_page: github::RUNS_PER_PAGE,
            answer_timeout: github::ANSWER_TIMEOUT,
            rate_window: github::HOURLY_WINDOW,
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel(4096);
        let _commands = github::spawn(setup, tx);
        let rss_before = vm_kib("VmRSS");
        // Apply the messages to a state as the UI would, so the memory
        // figure includes the 2,000 runs held by the pane.
        let drain = tokio::spawn(async move {
            let mut state = State::new(Settings::default(), KeyMap::default());
            while let Some(msg) = rx.recv().await {
                update(&mut state, msg);
            }
        });
        let started = Instant::now();
        // The first load: one full answer per repository.
        while sim.counters().requests < REPOS as u64 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let first_load = started.elapsed();
        let base = sim.counters();
        let window = interval * intervals;
        tokio::time::sleep(window).await;
        let c = sim.counters();
        let requests = c.requests - base.requests;
        let not_modified = c.not_modified - base.not_modified;
        let per_repo_interval = requests as f64 / (REPOS as f64 * f64::from(intervals));
        let share = 100.0 * not_modified as f64 / (requests.max(1)) as f64;
        println!(
            "polling {REPOS} repos x {RUNS} runs: first load of all repos in {first_load:.1?}; \
             then {requests} requests in {intervals} intervals of {interval:?} = \
             {per_repo_interval:.2} per repo per interval, {share:.1}% answered 304; \
             at the default 60 s idle interval that is {} requests/min, {} of them counted \
             against the rate limit",
            REPOS,
            requests - not_modified
        );
        println!(
            "memory: process RSS {} KiB before the source started, {} KiB with {} runs \
             loaded (this process also hosts the simulator; peak {} KiB)",
            rss_before,
            vm_kib("VmRSS"),
            REPOS * RUNS,
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
    if full {
        polling_budget(Duration::from_millis(500), 20);
    } else {
        polling_budget(Duration::from_millis(200), 3);
    }
}
