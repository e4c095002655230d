//! Re-run with debug logging (`gh run rerun --debug`): `d` in the re-run
//! dialog switches the one request it will send.

use super::*;

#[tokio::test]
async fn d_in_the_rerun_dialog_sends_one_rerun_with_debug_logging() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("shop-api", |p| {
        p.app.state.github.answered.contains("acme/shop-api")
    })
    .await;
    let failed = p
        .find(|r| r.repo == "acme/shop-api" && r.conclusion == Some(Conclusion::Failure))
        .expect("a failed run");
    p.select(&failed);
    p.press('F');
    p.press('d');
    p.press('d');
    p.press('d');
    assert_eq!(
        sim.counters().mutating_requests,
        0,
        "switching sends nothing"
    );
    p.press('y');
    p.until("the re-run answered", |p| !p.op_results.is_empty())
        .await;
    assert_eq!(p.op_results, vec![Ok(())]);
    let path = format!(
        "/repos/acme/shop-api/actions/runs/{}/rerun-failed-jobs",
        failed.id
    );
    assert_eq!(
        sim.reruns(),
        vec![opsdeck_sim::github::RerunRecord { path, debug: true }]
    );
    assert_eq!(sim.counters().mutating_requests, 1, "exactly one request");
    let said = p
        .app
        .state
        .toasts
        .history()
        .any(|m| m.text.contains("re-run with debug logging failed jobs of"));
    assert!(said, "the toast (and journal) name the debug re-run");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_plain_rerun_sends_no_debug_flag() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("shop-api", |p| {
        p.app.state.github.answered.contains("acme/shop-api")
    })
    .await;
    let done = p
        .find(|r| r.repo == "acme/shop-api" && r.status == Status::Completed)
        .expect("a finished run");
    p.select(&done);
    p.press('R');
    p.press('d');
    p.press('d');
    p.press('y');
    p.until("the re-run answered", |p| !p.op_results.is_empty())
        .await;
    let reruns = sim.reruns();
    assert_eq!(reruns.len(), 1);
    assert!(!reruns[0].debug, "switched back off: {reruns:?}");
    assert!(
        reruns[0]
            .path
            .ends_with(&format!("/runs/{}/rerun", done.id))
    );
    sim.shutdown().await;
}
