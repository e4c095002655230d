//! One repository whose requests hang must not hold up another
//! repository's run being opened, nor a confirmed re-run (issue 9: they
//! took 53 s and 18 s while a polling round waited on the hung request),
//! and the hung repository is named, not hidden behind "GitHub: ok".

use super::errors::screen;
use super::*;

/// What "at once" means for a user action against a local simulator.
const AT_ONCE: Duration = Duration::from_secs(1);

#[tokio::test]
async fn a_hanging_repo_delays_neither_another_repo_nor_a_rerun() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut s = setup(&sim, &["acme/shop-api", "acme/web"]);
    s.answer_timeout = Duration::from_secs(3);
    let mut p = Pane::start(s);
    p.until("both repos", |p| p.app.state.github.answered.len() == 2)
        .await;

    sim.hang_repo("acme", "web", true);
    // A poll of acme/web is hanging from here on.
    let deadline = tokio::time::Instant::now() + WAIT;
    while sim.hung_requests() == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no poll hung");
        p.pump_for(Duration::from_millis(50)).await;
    }

    let failed = p
        .find(|r| r.repo == "acme/shop-api" && r.conclusion == Some(Conclusion::Failure))
        .expect("a failed shop-api run");
    p.select(&failed);
    let asked = std::time::Instant::now();
    p.key(KeyCode::Enter);
    p.until_within("the opened run's jobs", AT_ONCE, |p| {
        p.app
            .state
            .github
            .detail
            .as_ref()
            .is_some_and(|d| d.jobs.data().is_some())
    })
    .await;
    let opened_in = asked.elapsed();

    p.press('F');
    assert!(p.app.state.confirm.is_some(), "asks first");
    let confirmed = std::time::Instant::now();
    p.press('y');
    p.until_within("the re-run answered", AT_ONCE, |p| !p.op_results.is_empty())
        .await;
    let rerun_in = confirmed.elapsed();
    assert_eq!(p.op_results, vec![Ok(())], "the simulator took the re-run");
    println!("opened in {opened_in:?}, re-run answered in {rerun_in:?}");

    // The hung repository is named in plain words once its poll gives up,
    // and the status bar does not claim all is well.
    p.until("acme/web named", |p| {
        p.app.state.github.repo_errors.contains_key("acme/web")
    })
    .await;
    assert_eq!(
        p.app
            .state
            .github
            .repo_errors
            .get("acme/web")
            .map(String::as_str),
        Some("acme/web: no answer in 3 s")
    );
    let text = screen(&mut p.app.state);
    assert!(text.contains("1 repo failing"), "{text}");

    sim.hang_repo("acme", "web", false);
    p.until("acme/web answers again", |p| {
        p.app.state.github.repo_errors.is_empty()
    })
    .await;
    sim.shutdown().await;
}
