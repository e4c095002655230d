//! The rate budget against the simulator: polling slows as the limit
//! drains, a low budget is said once (toast and status bar), and the
//! user's action still goes through with only the reserve left.

use super::errors::screen;
use super::*;
use opsdeck::sources::github::budget::reserve;

/// Moves the simulated time on in small steps, so the demo's runs progress
/// and every poll of a busy repository finds a changed page.
fn keep_busy(sim: &std::sync::Arc<GithubSim>) -> tokio::task::JoinHandle<()> {
    let sim = sim.clone();
    tokio::spawn(async move {
        loop {
            sim.advance(Duration::from_secs(3));
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    })
}

/// Counted requests (not 304) the simulator answered during `time`.
async fn counted_during(p: &mut Pane, sim: &GithubSim, time: Duration) -> u64 {
    let before = sim.counters();
    p.pump_for(time).await;
    let after = sim.counters();
    (after.requests - after.not_modified) - (before.requests - before.not_modified)
}

#[tokio::test]
async fn a_draining_budget_slows_polling() {
    // A limit so large that the test's 100 ms intervals are within half of
    // it: only the draining below slows polling down.
    let limit = 2_000_000;
    let options = SimOptions {
        clock: SimClock::Manual,
        rate_limit: limit,
        ..SimOptions::default()
    };
    let sim = std::sync::Arc::new(
        GithubSim::start_with(Scenario::Demo, options)
            .await
            .unwrap(),
    );
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("all three repos", |p| {
        p.app.state.github.answered.len() == 3
    })
    .await;
    let busy = keep_busy(&sim);
    p.pump_for(Duration::from_millis(500)).await;
    let plenty = counted_during(&mut p, &sim, Duration::from_secs(2)).await;

    // 60 requests above the reserve for the next ten minutes: 0.1 a second.
    sim.set_rate_limit(reserve(limit) + 60, Duration::from_secs(600));
    // The polls already planned go out, and their answers carry the news.
    p.pump_for(Duration::from_millis(800)).await;
    let drained = counted_during(&mut p, &sim, Duration::from_secs(2)).await;
    busy.abort();
    assert!(
        plenty >= 4,
        "{plenty} counted requests in 2 s with plenty left"
    );
    assert!(
        drained <= 1,
        "{drained} counted requests in 2 s with 60 left for 10 minutes ({plenty} before)"
    );
    assert!(sim.rate_limit_remaining() > reserve(limit));
    assert_eq!(sim.counters().rate_limited, 0, "never refused");
}

#[tokio::test]
async fn a_low_budget_is_said_once_with_its_reset() {
    let sim = std::sync::Arc::new(sim(Scenario::Demo, SimClock::Manual).await);
    // 400 of 5000 left (8 %), resetting in 20 minutes.
    sim.set_rate_limit(400, Duration::from_secs(20 * 60));
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    // The app's clock, as its ticks would set it.
    p.app.state.clock = chrono::Utc::now();
    p.until("all three repos", |p| {
        p.app.state.github.answered.len() == 3
    })
    .await;
    let busy = keep_busy(&sim);
    // Many answers, each with a lower `remaining`: still one toast.
    p.pump_for(Duration::from_secs(2)).await;
    busy.abort();
    let low: Vec<_> = p
        .app
        .state
        .toasts
        .history()
        .filter(|m| m.text.contains("budget low"))
        .map(|m| (m.text.clone(), m.count))
        .collect();
    assert_eq!(low.len(), 1, "{low:?}");
    let (text, count) = &low[0];
    assert_eq!(*count, 1, "said once: {text}");
    assert!(
        text.contains("of 5000 requests left, resets at") && text.contains("(in 20 min)"),
        "{text}"
    );
    let shown = screen(&mut p.app.state);
    assert!(shown.contains("GitHub: budget low"), "{shown}");
    assert!(shown.contains("/5000, resets"), "{shown}");
    drop(sim);
}

#[tokio::test]
async fn an_action_goes_through_with_only_the_reserve_left() {
    let sim = std::sync::Arc::new(sim(Scenario::Demo, SimClock::Manual).await);
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("shop-api", |p| {
        p.app.state.github.answered.contains("acme/shop-api")
    })
    .await;
    p.pump_for(Duration::from_millis(300)).await;
    // Only the reserve is left for the next ten minutes.
    sim.set_rate_limit(reserve(5000) + 3, Duration::from_secs(600));
    // Runs keep changing: without the budget every poll would be counted.
    let busy = keep_busy(&sim);
    p.pump_for(Duration::from_secs(1)).await;
    let held_at = sim.rate_limit_remaining();
    assert!(
        held_at >= reserve(5000),
        "polling spent the reserve: {held_at}"
    );
    // Polling holds: nothing counted for a while.
    let polled = counted_during(&mut p, &sim, Duration::from_secs(1)).await;
    busy.abort();
    assert_eq!(polled, 0, "polling went on at the reserve");

    let failed = p
        .find(|r| r.repo == "acme/shop-api" && r.conclusion == Some(Conclusion::Failure))
        .expect("a failed shop-api run");
    p.select(&failed);
    p.press('F');
    p.press('y');
    p.until("the re-run answered", |p| !p.op_results.is_empty())
        .await;
    assert_eq!(p.op_results, vec![Ok(())], "the re-run went through");
    let c = sim.counters();
    assert_eq!((c.mutating_requests, c.rate_limited), (1, 0));
    drop(sim);
}
