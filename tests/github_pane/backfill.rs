//! The timeline's history on start (`[timeline] backfill_hours`): a busy
//! repository's older pages are read until its runs reach back past the
//! window, no further, and not at all while the rate budget is tight.

use super::*;

/// acme/empty with 120 runs a minute apart, all finished.
async fn busy_repository() -> GithubSim {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    for _ in 0..120 {
        sim.push("acme", "empty", "ci.yml", "main").expect("a run");
        sim.advance(Duration::from_secs(60));
    }
    sim.advance(Duration::from_secs(600));
    sim
}

fn reaching_back(sim: &GithubSim, window: Duration) -> GithubSetup {
    GithubSetup {
        backfill: github::Backfill {
            window,
            max_runs: 10_000,
        },
        // Polls the simulated hour's budget keeps at their base pace.
        poll_active: Duration::from_secs(1),
        poll_idle: Duration::from_secs(2),
        ..setup(sim, &["acme/empty"])
    }
}

fn run_starts(p: &Pane) -> usize {
    p.app
        .state
        .timeline
        .entries
        .newest_first()
        .filter(|(_, e)| e.change == opsdeck::core::timeline::Change::RunStarted)
        .count()
}

#[tokio::test]
async fn runs_of_the_window_are_read_on_start_and_no_older_page() {
    let sim = busy_repository().await;
    // 90 minutes: the first page covers 50, the second reaches past them.
    let mut p = Pane::start(reaching_back(&sim, Duration::from_secs(90 * 60)));
    p.until("the second page", |p| p.runs().len() >= 100).await;
    p.pump_for(Duration::from_millis(1500)).await;
    assert_eq!(
        p.runs().len(),
        100,
        "the third page is older than the window"
    );
    assert_eq!(run_starts(&p), 100, "each run read is on the timeline");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_longer_window_reads_to_the_end_of_the_list() {
    let sim = busy_repository().await;
    let mut p = Pane::start(reaching_back(&sim, Duration::from_secs(6 * 3600)));
    p.until("every run", |p| p.runs().len() == 120).await;
    let before = sim.counters().requests;
    p.pump_for(Duration::from_millis(1500)).await;
    let after = sim.counters().requests;
    // Only polls of the first page from here on: 1500 ms at one poll every
    // 2 s, and the workflows' pages once.
    assert!(
        after - before <= 4,
        "{} requests after the end",
        after - before
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_tight_rate_budget_leaves_the_older_pages_unread() {
    let sim = busy_repository().await;
    // 50 requests above the reserve for half an hour: polling is already
    // stretched, so there is nothing to spare for history.
    sim.set_rate_limit(150, Duration::from_secs(1800));
    let mut p = Pane::start(reaching_back(&sim, Duration::from_secs(6 * 3600)));
    p.until("the first page", |p| !p.runs().is_empty()).await;
    p.pump_for(Duration::from_millis(1500)).await;
    assert_eq!(p.runs().len(), 50, "only the first page");
    sim.shutdown().await;
}
