//! More of the Actions pane at 80x24 and 200x50, Unicode and `--ascii`:
//! a run's attempts list and an older attempt's jobs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[path = "ui_snapshots_github/fixture.rs"]
mod fixture;

use fixture::*;
use opsdeck::core::github_artifacts::Artifact;
use opsdeck::core::github_review::PendingEnv;

#[path = "support/snap.rs"]
#[allow(dead_code)] // each file uses only part of it
mod snap;

/// Here, not in the shared module: insta names a snapshot after the file
/// its assertion is in.
fn snap_all(name: &str, make: impl Fn(u16, u16) -> State) {
    for (name, text) in snap::every_size(name, make) {
        insta::assert_snapshot!(name, text);
    }
}

fn the_rerun() -> Run {
    runs()
        .into_iter()
        .flat_map(|(_, runs)| runs)
        .find(|r| r.id == 2204)
        .expect("the re-run run of the fixture")
}

fn watch_request(effects: &[Effect]) -> u64 {
    match effects.first() {
        Some(Effect::GitHub(GitHubCommand::WatchJobs { request, .. })) => *request,
        other => panic!("no jobs watch: {other:?}"),
    }
}

/// The Deploy run of two attempts opened, `a` pressed and answered.
fn attempts(width: u16, height: u16) -> State {
    let mut s = base(width, height);
    let run = the_rerun();
    assert!(s.github.list.select(&run.key()));
    let request = watch_request(&key(&mut s, KeyCode::Enter));
    let ev = GitHubEvent::Jobs {
        request,
        result: Ok(jobs()),
    };
    update(&mut s, Msg::GitHub(ev));
    let effects = key(&mut s, KeyCode::Char('a'));
    let request = match effects.first() {
        Some(Effect::GitHub(GitHubCommand::ListAttempts { request, count, .. })) => {
            assert_eq!(*count, 2);
            *request
        }
        other => panic!("no attempts asked for: {other:?}"),
    };
    let first = Run {
        attempt: 1,
        status: Status::Completed,
        conclusion: Some(Conclusion::Failure),
        started_at: Some(run.created_at),
        updated_at: run.created_at + Duration::seconds(75),
        ..run.clone()
    };
    let second = Run {
        started_at: Some(run.created_at + Duration::seconds(100)),
        actor: "jo-w".into(),
        ..run
    };
    let ev = GitHubEvent::Attempts {
        request,
        result: Ok(vec![first, second]),
    };
    update(&mut s, Msg::GitHub(ev));
    s
}

#[test]
fn actions_attempts_list() {
    snap_all("actions_attempts", attempts);
}

#[test]
fn actions_older_attempt_jobs() {
    snap_all("actions_older_attempt", |w, h| {
        let mut s = attempts(w, h);
        key(&mut s, KeyCode::Char('j'));
        let effects = key(&mut s, KeyCode::Enter);
        match effects.first() {
            Some(Effect::GitHub(GitHubCommand::WatchJobs { attempt, .. })) => {
                assert_eq!(*attempt, Some(1));
            }
            other => panic!("no watch of attempt 1: {other:?}"),
        }
        let request = watch_request(&effects);
        let ev = GitHubEvent::Jobs {
            request,
            result: Ok(jobs()),
        };
        update(&mut s, Msg::GitHub(ev));
        s
    });
}

/// The Deploy run held for `production` (reviewable, 5-minute timer) and
/// `audit` (not reviewable), `A` pressed and answered, a comment typed.
fn pending_review(width: u16, height: u16) -> State {
    let mut s = base(width, height);
    let waiting = Run {
        status: Status::Waiting,
        conclusion: None,
        ..the_rerun()
    };
    let repo = waiting.repo.clone();
    let mut list: Vec<Run> = runs()
        .into_iter()
        .find(|(r, _)| *r == repo)
        .map(|(_, runs)| runs)
        .unwrap_or_default();
    for r in &mut list {
        if r.id == waiting.id {
            *r = waiting.clone();
        }
    }
    update(&mut s, Msg::GitHub(GitHubEvent::Runs { repo, runs: list }));
    assert!(s.github.list.select(&waiting.key()));
    let effects = key(&mut s, KeyCode::Char('A'));
    let (repo, run_id) = match effects.first() {
        Some(Effect::GitHub(GitHubCommand::ReadPendingDeployments { repo, run_id })) => {
            (repo.clone(), *run_id)
        }
        other => panic!("no pending deployments asked for: {other:?}"),
    };
    let env = |id, name: &str, wait_timer, can_approve, who: &str| PendingEnv {
        id,
        name: name.into(),
        wait_timer,
        can_approve,
        reviewers: vec![who.into()],
    };
    let ev = GitHubEvent::PendingDeployments {
        repo,
        run_id,
        result: Ok(vec![
            env(1, "production", 5, true, "mara-k"),
            env(2, "audit", 0, false, "compliance-bot"),
        ]),
    };
    update(&mut s, Msg::GitHub(ev));
    for c in "ship it".chars() {
        key(&mut s, KeyCode::Char(c));
    }
    s
}

#[test]
fn actions_pending_deployments_dialog() {
    snap_all("actions_pending_review", pending_review);
}

#[test]
fn actions_pending_deployments_confirm() {
    snap_all("actions_pending_review_confirm", |w, h| {
        let mut s = pending_review(w, h);
        key(&mut s, KeyCode::Tab);
        key(&mut s, KeyCode::Enter);
        assert!(s.confirm.is_some());
        s
    });
}

/// A run's jobs, `b` answered with two artifacts (one expired), the first
/// being downloaded and half written.
fn artifacts(width: u16, height: u16) -> State {
    let mut s = base(width, height);
    let run = the_rerun();
    assert!(s.github.list.select(&run.key()));
    let request = watch_request(&key(&mut s, KeyCode::Enter));
    let ev = GitHubEvent::Jobs {
        request,
        result: Ok(jobs()),
    };
    update(&mut s, Msg::GitHub(ev));
    let effects = key(&mut s, KeyCode::Char('b'));
    assert!(matches!(
        effects.first(),
        Some(Effect::GitHub(GitHubCommand::ListArtifacts { run_id, .. })) if *run_id == run.id
    ));
    let art = |id, name: &str, size, expired| Artifact {
        id,
        name: name.into(),
        size,
        expired,
        expires_at: Some("2026-03-01T10:00:00Z".into()),
    };
    let ev = GitHubEvent::Artifacts {
        repo: run.repo.clone(),
        run_id: run.id,
        result: Ok(vec![
            art(1, "web-dist", 4_200_000, false),
            art(2, "coverage-report", 120_000, true),
        ]),
    };
    update(&mut s, Msg::GitHub(ev));
    let effects = key(&mut s, KeyCode::Enter);
    assert!(matches!(
        effects.first(),
        Some(Effect::GitHub(GitHubCommand::DownloadArtifact { artifact, .. })) if artifact.id == 1
    ));
    let ev = GitHubEvent::ArtifactProgress {
        id: 1,
        done: 2_100_000,
    };
    update(&mut s, Msg::GitHub(ev));
    s
}

#[test]
fn actions_artifacts_dialog() {
    snap_all("actions_artifacts", artifacts);
}

/// The same dialog while `o` types where the next download goes.
#[test]
fn actions_artifacts_directory_typed() {
    snap_all("actions_artifacts_directory", |w, h| {
        let mut s = artifacts(w, h);
        let effects = key(&mut s, KeyCode::Char('o'));
        assert!(effects.is_empty());
        key(&mut s, KeyCode::Backspace);
        for c in "~/incident-42".chars() {
            key(&mut s, KeyCode::Char(c));
        }
        s
    });
}
