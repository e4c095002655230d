use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github::{Conclusion, Job, Run, RunOp, Status};
use crate::core::keymap::KeyMap;
use crate::core::msg::{GitHubEvent, Msg};
use crate::core::source::{Pause, SourceHealth, SourceKind};
use crate::core::state::{InputPurpose, Settings, State, Tab};

use super::update;

pub(super) fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

fn run(repo: &str, id: u64, mins_ago: i64, status: Status, conclusion: Option<Conclusion>) -> Run {
    let created = t0() - Duration::minutes(mins_ago);
    Run {
        branch: if id.is_multiple_of(2) {
            "main"
        } else {
            "feat/x"
        }
        .into(),
        updated_at: t0() - Duration::minutes(mins_ago - 1),
        ..Run::fixture(repo, id, status, conclusion, created)
    }
}

fn done(repo: &str, id: u64, mins_ago: i64, c: Conclusion) -> Run {
    run(repo, id, mins_ago, Status::Completed, Some(c))
}

fn job(id: u64, name: &str, status: Status, conclusion: Option<Conclusion>) -> Job {
    Job {
        id,
        run_id: 1,
        attempt: 1,
        name: name.into(),
        status,
        conclusion,
        started_at: Some(t0()),
        completed_at: None,
        html_url: String::new(),
        steps: Vec::new(),
    }
}

pub(super) fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub(super) fn code(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn runs(repo: &str, runs: Vec<Run>) -> Msg {
    Msg::GitHub(GitHubEvent::Runs {
        repo: repo.into(),
        runs,
    })
}

pub(super) fn loaded(readonly: bool) -> State {
    let settings = Settings {
        readonly,
        ..Settings::default()
    };
    let mut s = State::new(settings, KeyMap::default());
    s.tab = Tab::Actions;
    s.clock = t0();
    update(
        &mut s,
        runs(
            "acme/web",
            vec![
                done("acme/web", 10, 30, Conclusion::Success),
                run("acme/web", 12, 2, Status::InProgress, None),
            ],
        ),
    );
    update(&mut s, Msg::BatchDone);
    update(
        &mut s,
        runs(
            "acme/api",
            vec![done("acme/api", 11, 10, Conclusion::Failure)],
        ),
    );
    update(&mut s, Msg::BatchDone);
    s
}

fn ids(s: &State) -> Vec<u64> {
    s.github.list.order().iter().map(|(_, id)| *id).collect()
}

#[test]
fn runs_of_all_repos_merge_newest_first_and_selection_follows_the_run() {
    let mut s = loaded(false);
    assert_eq!(ids(&s), vec![12, 11, 10]);
    update(&mut s, key('j'));
    assert_eq!(
        s.github.list.selected().cloned(),
        Some(("acme/api".into(), 11))
    );
    // A newer run arrives above it: the selection stays on run 11.
    update(
        &mut s,
        runs(
            "acme/web",
            vec![
                done("acme/web", 10, 30, Conclusion::Success),
                run("acme/web", 12, 2, Status::InProgress, None),
                run("acme/web", 13, 0, Status::Queued, None),
            ],
        ),
    );
    assert_eq!(ids(&s), vec![13, 12, 11, 10]);
    assert_eq!(
        s.github.list.selected().cloned(),
        Some(("acme/api".into(), 11))
    );
}

#[test]
fn until_the_user_moves_the_selection_stays_on_the_newest_run() {
    let mut s = loaded(false);
    assert_eq!(
        s.github.list.selected().cloned(),
        Some(("acme/web".into(), 12))
    );
    update(
        &mut s,
        runs(
            "acme/api",
            vec![
                done("acme/api", 11, 10, Conclusion::Failure),
                run("acme/api", 14, 0, Status::Queued, None),
            ],
        ),
    );
    assert_eq!(
        s.github.list.selected().cloned(),
        Some(("acme/api".into(), 14))
    );
}

#[test]
fn filter_narrows_by_repo_branch_or_status_and_esc_clears_it() {
    let mut s = loaded(false);
    update(&mut s, key('/'));
    for c in "api".chars() {
        update(&mut s, key(c));
    }
    assert_eq!(ids(&s), vec![11]);
    update(&mut s, code(KeyCode::Esc));
    assert_eq!(ids(&s).len(), 3);
    s.github.list.set_filter("running");
    s.github.rebuild_order();
    assert_eq!(ids(&s), vec![12]);
}

#[test]
fn a_failed_run_opens_on_its_first_failed_job_and_stale_replies_are_dropped() {
    let mut s = loaded(false);
    update(&mut s, key('j'));
    let effects = update(&mut s, code(KeyCode::Enter));
    let Some(Effect::GitHub(GitHubCommand::WatchJobs {
        request,
        repo,
        run_id,
        attempt,
    })) = effects.first().cloned()
    else {
        panic!("expected a jobs watch: {effects:?}");
    };
    assert_eq!((repo.as_str(), run_id, attempt), ("acme/api", 11, None));
    let jobs = vec![
        job(1, "lint", Status::Completed, Some(Conclusion::Success)),
        job(2, "test", Status::Completed, Some(Conclusion::Failure)),
    ];
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Jobs {
            request: request + 100,
            result: Ok(jobs.clone()),
        }),
    );
    assert!(
        s.github
            .detail
            .as_ref()
            .is_some_and(|d| d.jobs.data().is_none())
    );
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(jobs),
        }),
    );
    let detail = s.github.detail.as_ref().expect("detail open");
    assert_eq!(detail.selected_job().map(|j| j.name.as_str()), Some("test"));
    // Esc goes back to the list and stops the watch.
    let effects = update(&mut s, code(KeyCode::Esc));
    assert_eq!(effects, vec![Effect::GitHub(GitHubCommand::StopJobs)]);
    assert!(s.github.detail.is_none());
}

#[test]
fn l_on_a_run_goes_straight_to_the_failed_jobs_log() {
    let mut s = loaded(false);
    update(&mut s, key('j'));
    let effects = update(&mut s, key('l'));
    let request = match effects.first() {
        Some(Effect::GitHub(GitHubCommand::WatchJobs { request, .. })) => *request,
        other => panic!("{other:?}"),
    };
    let effects = update(
        &mut s,
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(vec![
                job(1, "lint", Status::Completed, Some(Conclusion::Success)),
                job(2, "test", Status::Completed, Some(Conclusion::Failure)),
            ]),
        }),
    );
    let stream = match effects.as_slice() {
        [
            Effect::GitHub(GitHubCommand::FetchLog {
                stream,
                repo,
                job_id,
            }),
        ] => {
            assert_eq!((repo.as_str(), *job_id), ("acme/api", 2));
            *stream
        }
        other => panic!("{other:?}"),
    };
    let bytes = b"2026-11-22T12:00:00.0Z ##[error]boom\n".to_vec();
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Log {
            stream,
            result: Ok(bytes),
        }),
    );
    let log = s.github.logs.as_ref().expect("log open");
    assert_eq!(log.buffer.len(), 1);
    assert!(
        log.title.contains("test") && log.title.contains("acme/api"),
        "{}",
        log.title
    );
    // Esc closes the log, back to the jobs.
    update(&mut s, code(KeyCode::Esc));
    assert!(s.github.logs.is_none() && s.github.detail.is_some());
}

#[test]
fn the_job_selection_follows_the_running_job_until_the_user_moves_it() {
    let mut s = loaded(false);
    let effects = update(&mut s, code(KeyCode::Enter));
    let Some(Effect::GitHub(GitHubCommand::WatchJobs { request, .. })) = effects.first().cloned()
    else {
        panic!("{effects:?}");
    };
    let jobs = |build: Status, deploy: Status| {
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(vec![
                job(
                    1,
                    "build",
                    build,
                    (build == Status::Completed).then_some(Conclusion::Success),
                ),
                job(2, "deploy", deploy, None),
            ]),
        })
    };
    let selected = |s: &State| {
        s.github
            .detail
            .as_ref()
            .and_then(|d| d.list.selected().copied())
    };
    update(&mut s, jobs(Status::InProgress, Status::Queued));
    assert_eq!(selected(&s), Some(1));
    update(&mut s, jobs(Status::Completed, Status::InProgress));
    assert_eq!(selected(&s), Some(2), "follows the running job");
    update(&mut s, key('k'));
    update(&mut s, jobs(Status::Completed, Status::InProgress));
    assert_eq!(selected(&s), Some(1), "stays where the user put it");
}

#[test]
fn a_running_job_has_no_log_yet() {
    let mut s = loaded(false);
    let effects = update(&mut s, code(KeyCode::Enter));
    let Some(Effect::GitHub(GitHubCommand::WatchJobs { request, .. })) = effects.first().cloned()
    else {
        panic!("{effects:?}");
    };
    let jobs = vec![job(5, "build", Status::InProgress, None)];
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(jobs),
        }),
    );
    let effects = update(&mut s, key('l'));
    assert!(effects.is_empty() && s.github.logs.is_none());
    let last = s.toasts.visible().last().expect("a toast");
    assert!(last.text.contains("once it finishes"), "{}", last.text);
}

#[test]
fn mutations_ask_first_with_the_effect_in_the_dialog() {
    let mut s = loaded(false);
    update(&mut s, key('j'));
    assert!(update(&mut s, key('F')).is_empty());
    let confirm = s.confirm.clone().expect("dialog");
    assert_eq!(confirm.question(), "Re-run failed jobs of acme/api CI #11?");
    let Effect::GitHub(GitHubCommand::Op { ticket, repo, op }) = &confirm.effect else {
        panic!("{:?}", confirm.effect);
    };
    assert_eq!(repo, "acme/api");
    assert_eq!(ticket.target, "run acme/api CI #11");
    assert_eq!(
        op,
        &RunOp::RerunFailed {
            run_id: 11,
            debug: false
        }
    );
    // Even a re-run needs `y`: a reflexive Enter does nothing.
    assert!(update(&mut s, code(KeyCode::Enter)).is_empty());
    assert!(s.confirm.is_some());
    assert_eq!(update(&mut s, key('y')), vec![confirm.effect.clone()]);
    // Cancelling a finished run is answered at once, without a dialog.
    update(&mut s, key('C'));
    assert!(s.confirm.is_none());
    // The running one can be cancelled.
    update(&mut s, key('k'));
    update(&mut s, key('C'));
    let confirm = s.confirm.take().expect("dialog");
    assert!(matches!(
        confirm.effect,
        Effect::GitHub(GitHubCommand::Op {
            op: RunOp::Cancel { run_id: 12 },
            ..
        })
    ));
}

#[test]
fn readonly_refuses_every_github_mutation() {
    let mut s = loaded(true);
    update(&mut s, key('j'));
    for k in ['R', 'F', 'r', 'C', 'W'] {
        let effects = update(&mut s, key(k));
        assert!(
            effects
                .iter()
                .all(|e| matches!(e, Effect::AppendJournal(entry) if entry.result.is_err())),
            "{k}: {effects:?}"
        );
        assert!(
            s.confirm.is_none() && s.input.is_none(),
            "{k} opened something"
        );
    }
    let last = s.toasts.visible().last().expect("a refusal");
    assert!(last.text.contains("read-only"), "{}", last.text);
}

#[test]
fn dispatch_asks_for_the_branch_then_confirms_it() {
    let mut s = loaded(false);
    update(&mut s, key('j'));
    update(&mut s, key('W'));
    let input = s.input.clone().expect("branch input");
    assert_eq!(input.purpose, InputPurpose::DispatchBranch);
    assert_eq!(input.text, "feat/x");
    for _ in 0..6 {
        update(&mut s, code(KeyCode::Backspace));
    }
    for c in "main".chars() {
        update(&mut s, key(c));
    }
    let effects = update(&mut s, code(KeyCode::Enter));
    // The workflow file's inputs are read first.
    assert_eq!(
        effects,
        vec![Effect::GitHub(GitHubCommand::ReadDispatchInputs {
            repo: "acme/api".into(),
            workflow_id: 7,
            branch: "main".into(),
        })]
    );
    assert!(s.confirm.is_none(), "not before the inputs are known");
    // A file without inputs: straight to the confirmation.
    let read = |result| {
        Msg::GitHub(GitHubEvent::DispatchInputs {
            repo: "acme/api".into(),
            workflow_id: 7,
            result,
        })
    };
    update(
        &mut s,
        read(Ok((".github/workflows/ci.yml".into(), Some(vec![])))),
    );
    let confirm = s.confirm.clone().expect("dialog");
    assert_eq!(confirm.question(), "Dispatch workflow CI on acme/api@main?");
    let Effect::GitHub(GitHubCommand::Op { ticket, repo, op }) = &confirm.effect else {
        panic!("{:?}", confirm.effect);
    };
    assert_eq!(repo, "acme/api");
    assert_eq!(ticket.target, "workflow CI on acme/api@main");
    assert_eq!(
        op,
        &RunOp::Dispatch {
            workflow_id: 7,
            branch: "main".into(),
            inputs: vec![],
        }
    );
}

#[test]
fn a_run_that_fails_while_watched_is_announced() {
    let mut s = loaded(false);
    update(
        &mut s,
        runs(
            "acme/web",
            vec![
                done("acme/web", 10, 30, Conclusion::Success),
                done("acme/web", 12, 2, Conclusion::Failure),
            ],
        ),
    );
    update(&mut s, Msg::BatchDone);
    let last = s.toasts.visible().last().expect("a toast");
    assert_eq!(last.text, "acme/web CI #12: failed on main");
}

#[test]
fn an_outage_keeps_the_last_known_runs() {
    let mut s = loaded(false);
    let down = SourceHealth::Reconnecting {
        target: "https://api.github.com".into(),
        error: "GitHub answered 502: Server Error".into(),
        retry_at: s.clock + Duration::seconds(4),
        pause: Pause::Backoff,
    };
    update(&mut s, Msg::health(SourceKind::GitHub, down));
    assert_eq!(s.github.runs.data().map(|m| m.len()), Some(3));
    assert_eq!(
        s.github.runs.error(),
        Some("GitHub answered 502: Server Error")
    );
    assert_eq!(ids(&s).len(), 3);
}

/// `r` re-runs the selected job; GitHub lists it again under a new id and
/// queued, which once sent the selection to the first job.
#[test]
fn after_rerunning_one_job_the_selection_stays_on_that_job() {
    let mut s = loaded(false);
    update(&mut s, key('j'));
    let effects = update(&mut s, code(KeyCode::Enter));
    let Some(Effect::GitHub(GitHubCommand::WatchJobs { request, .. })) = effects.first().cloned()
    else {
        panic!("{effects:?}");
    };
    let jobs = |list: Vec<Job>| {
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(list),
        })
    };
    update(
        &mut s,
        jobs(vec![
            job(1, "build", Status::Completed, Some(Conclusion::Success)),
            job(2, "test", Status::Completed, Some(Conclusion::Failure)),
            job(3, "lint", Status::Completed, Some(Conclusion::Success)),
        ]),
    );
    let selected = |s: &State| {
        s.github
            .detail
            .as_ref()
            .and_then(|d| d.selected_job().map(|j| j.name.clone()))
    };
    assert_eq!(selected(&s).as_deref(), Some("test"));
    update(&mut s, key('r'));
    let confirm = s.confirm.clone().expect("dialog");
    assert!(matches!(
        confirm.effect,
        Effect::GitHub(GitHubCommand::Op {
            op: RunOp::RerunJob {
                job_id: 2,
                debug: false
            },
            ..
        })
    ));
    assert_eq!(update(&mut s, key('y')), vec![confirm.effect.clone()]);
    update(
        &mut s,
        jobs(vec![
            job(1, "build", Status::Completed, Some(Conclusion::Success)),
            job(4, "test", Status::Queued, None),
            job(3, "lint", Status::Completed, Some(Conclusion::Success)),
        ]),
    );
    assert_eq!(
        selected(&s).as_deref(),
        Some("test"),
        "still on the re-run job"
    );
    update(
        &mut s,
        jobs(vec![
            job(1, "build", Status::Completed, Some(Conclusion::Success)),
            job(4, "test", Status::InProgress, None),
            job(3, "lint", Status::Completed, Some(Conclusion::Success)),
        ]),
    );
    assert_eq!(selected(&s).as_deref(), Some("test"));
}
