//! Older attempts of a run: `a` lists them (one request per attempt), Enter
//! shows an older attempt's jobs, and their logs open from there.

use super::*;

#[tokio::test]
async fn an_older_attempts_jobs_and_log_open_from_the_attempts_list() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("every repo", |p| p.app.state.github.answered.len() == 3)
        .await;
    let rerun = p
        .find(|r| r.attempt > 1 && r.status == Status::Completed)
        .expect("a re-run run in the demo");
    p.select(&rerun);
    p.key(KeyCode::Enter);
    p.until("the latest attempt's jobs", |p| {
        p.app
            .state
            .github
            .detail
            .as_ref()
            .and_then(|d| d.jobs.data())
            .is_some()
    })
    .await;
    p.press('a');
    p.until("the attempts", |p| {
        let list = p
            .app
            .state
            .github
            .detail
            .as_ref()
            .and_then(|d| d.attempts.as_ref());
        list.and_then(|l| l.attempts.data()).is_some()
    })
    .await;
    let detail = p.app.state.github.detail.as_ref().expect("detail");
    let list = detail.attempts.as_ref().expect("attempts");
    let numbers: Vec<u32> = list
        .attempts
        .data()
        .expect("read")
        .iter()
        .map(|r| r.attempt)
        .collect();
    let expected: Vec<u32> = (1..=rerun.attempt).rev().collect();
    assert_eq!(numbers, expected, "every attempt, newest first");
    assert_eq!(
        list.list.selected(),
        Some(&rerun.attempt),
        "on the one shown"
    );
    // The oldest attempt: its own jobs.
    p.key(KeyCode::End);
    p.key(KeyCode::Enter);
    p.until("attempt 1's jobs", |p| {
        let d = p.app.state.github.detail.as_ref();
        d.and_then(|d| d.jobs.data())
            .is_some_and(|jobs| !jobs.is_empty())
    })
    .await;
    let detail = p.app.state.github.detail.as_ref().expect("detail");
    assert_eq!(detail.attempt.as_ref().map(|a| a.attempt), Some(1));
    let jobs = detail.jobs.data().expect("jobs");
    assert!(
        jobs.iter().all(|j| j.attempt == 1),
        "attempt 1's jobs: {jobs:?}"
    );
    let text = super::errors::screen(&mut p.app.state);
    assert!(
        text.contains(&format!("attempt 1 of {}", rerun.attempt)),
        "{text}"
    );
    // Its log, by job id as any job's.
    p.press('l');
    p.until("the log", |p| {
        p.app
            .state
            .github
            .logs
            .as_ref()
            .is_some_and(|l| l.ended.is_some())
    })
    .await;
    let log = p.app.state.github.logs.as_ref().expect("log");
    assert_eq!(log.ended.as_deref(), Some("the job finished"));
    assert!(log.title.ends_with("(attempt 1)"), "{}", log.title);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_run_with_one_attempt_says_so_without_a_request() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("every repo", |p| p.app.state.github.answered.len() == 3)
        .await;
    let once = p.find(|r| r.attempt == 1).expect("a run of one attempt");
    p.select(&once);
    p.key(KeyCode::Enter);
    p.press('a');
    assert!(
        p.app
            .state
            .github
            .detail
            .as_ref()
            .is_some_and(|d| d.attempts.is_none())
    );
    assert!(
        p.app
            .state
            .toasts
            .history()
            .any(|m| m.text.contains("one attempt"))
    );
    sim.shutdown().await;
}
