//! Progress and mutations of runs, without HTTP.

use chrono::{Duration, TimeZone, Utc};

use super::engine::{self, Ids, NewRun, Plan, Rerun};
use super::model::{Commit, Conclusion, Run, Status, Time};
use super::stacks::{self, Stack};

fn t0() -> Time {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn run(ids: &mut Ids, stack: Stack, workflow: usize, branch: &str, plan: Plan) -> Run {
    let specs = stacks::workflows(stack);
    let spec = specs.get(workflow).expect("workflow");
    engine::new_run(
        ids,
        NewRun {
            workflow_id: 1,
            spec,
            run_number: 1,
            event: "push",
            branch: branch.to_string(),
            default_branch: branch == "main",
            commit: Commit {
                sha: "a".repeat(40),
                tree_id: "b".repeat(40),
                message: "m".to_string(),
                author: "a".to_string(),
                email: "a@example.com".to_string(),
                timestamp: t0(),
            },
            actor: "a".to_string(),
            at: t0(),
            plan,
        },
    )
}

fn at(secs: i64) -> Time {
    t0() + Duration::seconds(secs)
}

fn advance(run: &mut Run, secs: i64) {
    if let Some(a) = run.latest_mut() {
        engine::advance_attempt(a, at(secs));
    }
}

fn state(run: &Run) -> (Status, Option<Conclusion>) {
    let a = run.latest().expect("attempt");
    (a.status, a.conclusion)
}

fn jobs(run: &Run) -> Vec<(&'static str, u32, Option<Conclusion>)> {
    let a = run.latest().expect("attempt");
    a.jobs
        .iter()
        .map(|j| (j.name, j.run_attempt, j.conclusion))
        .collect()
}

#[test]
fn a_run_goes_queued_then_in_progress_then_completed() {
    let mut ids = Ids::new();
    let mut r = run(&mut ids, Stack::Rust, 0, "main", Plan::Success);
    assert_eq!(state(&r), (Status::Queued, None));
    advance(&mut r, 1);
    assert_eq!(state(&r), (Status::Queued, None));
    advance(&mut r, 10);
    assert_eq!(state(&r), (Status::InProgress, None));
    let steps = &r.latest().expect("attempt").jobs[0].steps;
    assert_eq!(steps[0].status, Status::Completed);
    assert!(steps.iter().any(|s| s.status == Status::InProgress));
    advance(&mut r, 3600);
    assert_eq!(state(&r), (Status::Completed, Some(Conclusion::Success)));
}

#[test]
fn a_failed_step_skips_the_rest_but_completes_the_job() {
    let mut ids = Ids::new();
    let mut r = run(&mut ids, Stack::Rust, 0, "main", Plan::FailJob(1));
    advance(&mut r, 3600);
    assert_eq!(state(&r), (Status::Completed, Some(Conclusion::Failure)));
    let test = &r.latest().expect("attempt").jobs[1];
    let conclusions: Vec<_> = test.steps.iter().filter_map(|s| s.conclusion).collect();
    use Conclusion::{Failure, Skipped, Success};
    let expected = [
        Success, Success, Success, Success, Success, Failure, Skipped, Success,
    ];
    assert_eq!(conclusions, expected);
}

#[test]
fn deploy_is_skipped_off_main_and_after_a_failed_build() {
    let mut ids = Ids::new();
    let mut branch = run(&mut ids, Stack::Node, 1, "feat/x", Plan::Success);
    advance(&mut branch, 3600);
    assert_eq!(state(&branch).1, Some(Conclusion::Success));
    assert_eq!(jobs(&branch)[1].2, Some(Conclusion::Skipped));

    let mut broken = run(&mut ids, Stack::Node, 1, "main", Plan::FailJob(0));
    advance(&mut broken, 3600);
    assert_eq!(state(&broken).1, Some(Conclusion::Failure));
    assert_eq!(jobs(&broken)[1].2, Some(Conclusion::Skipped));
    // Re-running the failed build also re-runs the deploy that needs it.
    assert!(engine::rerun(
        &mut ids,
        &mut broken,
        Rerun::Failed,
        at(4000)
    ));
    advance(&mut broken, 8000);
    let expected = [
        ("build", 2, Some(Conclusion::Success)),
        ("deploy", 2, Some(Conclusion::Success)),
    ];
    assert_eq!(jobs(&broken), expected);
}

#[test]
fn persistent_failures_survive_a_rerun_and_flaky_ones_do_not() {
    let mut ids = Ids::new();
    let mut infra = run(&mut ids, Stack::Terraform, 0, "main", Plan::FailJob(0));
    let mut flaky = run(&mut ids, Stack::Rust, 0, "main", Plan::FailJob(0));
    for r in [&mut infra, &mut flaky] {
        advance(r, 10);
        assert!(
            !engine::rerun(&mut ids, r, Rerun::All, at(10)),
            "only finished runs"
        );
        advance(r, 3600);
        assert!(engine::rerun(&mut ids, r, Rerun::All, at(3600)));
        assert_eq!(state(r), (Status::Queued, None));
        advance(r, 7200);
    }
    assert_eq!(state(&infra).1, Some(Conclusion::Failure));
    assert_eq!(state(&flaky).1, Some(Conclusion::Success));
    assert_eq!(flaky.attempts.len(), 2);
}

#[test]
fn cancel_and_timeout_conclude_the_run() {
    let mut ids = Ids::new();
    let mut r = run(&mut ids, Stack::Rust, 0, "main", Plan::CancelAfter(20));
    advance(&mut r, 3600);
    assert_eq!(state(&r).1, Some(Conclusion::Cancelled));
    let a = r.latest().expect("attempt");
    assert!(a.updated_at <= at(21), "cancelled when planned");

    let mut slow = run(&mut ids, Stack::Rust, 0, "main", Plan::TimeoutJob(1));
    advance(&mut slow, 3600);
    assert_eq!(state(&slow).1, Some(Conclusion::TimedOut));
}

#[test]
fn forced_failure_hits_the_running_job() {
    let mut ids = Ids::new();
    let mut r = run(&mut ids, Stack::Rust, 0, "main", Plan::Success);
    assert!(engine::force_failure(&mut r, at(30)));
    advance(&mut r, 3600);
    assert_eq!(state(&r).1, Some(Conclusion::Failure));
    assert!(!engine::force_failure(&mut r, at(3600)));
}
