//! The Actions pane on ratatui's TestBackend, snapshotted with insta at
//! 80x24 and 200x50, Unicode and `--ascii`: the runs list, one run's jobs
//! and steps, a job log, a confirmation and the paused (rate-limited) list.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

#[path = "ui_snapshots_github/fixture.rs"]
mod fixture;

use fixture::*;
use opsdeck::core::source::Pause;

#[path = "support/snap.rs"]
#[allow(dead_code)] // each file uses only part of it
mod snap;
use snap::render;

/// Here, not in the shared module: insta names a snapshot after the file
/// its assertion is in.
fn snap_all(name: &str, make: impl Fn(u16, u16) -> State) {
    for (name, text) in snap::every_size(name, make) {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn actions_runs_list() {
    snap_all("actions_runs", |w, h| {
        let mut s = base(w, h);
        key(&mut s, KeyCode::Char('j'));
        s
    });
}

#[test]
fn actions_run_jobs_and_steps() {
    // Opens on the running job, its running step highlighted.
    snap_all("actions_jobs", detail);
}

/// `/` and `s` work on a run's jobs too (they were no-ops there, and the
/// letters typed after `/` ran as commands: `r` re-ran a job).
#[test]
fn actions_jobs_filtered_and_sorted() {
    snap_all("actions_jobs_filtered", |w, h| {
        let mut s = detail(w, h);
        for c in "/r".chars() {
            key(&mut s, KeyCode::Char(c));
        }
        key(&mut s, KeyCode::Enter);
        key(&mut s, KeyCode::Char('s'));
        s
    });
}

#[test]
fn actions_job_log() {
    snap_all("actions_log", |w, h| {
        let mut s = detail(w, h);
        let effects = key(&mut s, KeyCode::Up);
        assert!(effects.is_empty());
        let effects = key(&mut s, KeyCode::Char('l'));
        let stream = match effects.first() {
            Some(Effect::GitHub(GitHubCommand::FetchLog { stream, .. })) => *stream,
            other => panic!("no log fetch: {other:?}"),
        };
        let log = include_str!("fixtures/github/job-log-sample.txt");
        update(
            &mut s,
            Msg::GitHub(GitHubEvent::Log {
                stream,
                result: Ok(log.as_bytes().to_vec()),
            }),
        );
        s
    });
}

#[test]
fn actions_confirm_and_rate_limited() {
    snap_all("actions_confirm", |w, h| {
        let mut s = base(w, h);
        key(&mut s, KeyCode::Char('j'));
        key(&mut s, KeyCode::Char('j'));
        key(&mut s, KeyCode::Char('F'));
        assert!(s.confirm.is_some());
        s
    });
    // `d` switched on: the same dialog says debug logging is on.
    snap_all("actions_confirm_debug", |w, h| {
        let mut s = base(w, h);
        key(&mut s, KeyCode::Char('j'));
        key(&mut s, KeyCode::Char('j'));
        key(&mut s, KeyCode::Char('F'));
        key(&mut s, KeyCode::Char('d'));
        s
    });
    snap_all("actions_rate_limited", |w, h| {
        let mut s = base(w, h);
        update(
            &mut s,
            Msg::health(
                SourceKind::GitHub,
                SourceHealth::Reconnecting {
                    target: "https://api.github.com".into(),
                    error:
                        "the GitHub rate limit is used up (0 of 5000 left); it resets at 12:40:00 UTC"
                            .into(),
                    retry_at: now() + Duration::seconds(2400),
                    pause: Pause::RateLimit,
                },
            ),
        );
        s
    });
}

/// `W` on a workflow with inputs: the form, a choice moved, the required
/// version missing.
#[test]
fn actions_dispatch_inputs_form() {
    use opsdeck::core::github::{DispatchInput, InputKind};
    snap_all("actions_dispatch_form", |w, h| {
        let mut s = base(w, h);
        key(&mut s, KeyCode::Char('j'));
        key(&mut s, KeyCode::Char('W'));
        let effects = key(&mut s, KeyCode::Enter);
        let Some(Effect::GitHub(GitHubCommand::ReadDispatchInputs {
            repo, workflow_id, ..
        })) = effects.first().cloned()
        else {
            panic!("no inputs read: {effects:?}");
        };
        let input = |name: &str, description: &str, required, kind| DispatchInput {
            name: name.into(),
            description: description.into(),
            required,
            kind,
        };
        let inputs = vec![
            input(
                "environment",
                "Where to deploy",
                true,
                InputKind::Choice {
                    options: vec!["staging".into(), "production".into()],
                    default: Some("staging".into()),
                },
            ),
            input(
                "dry_run",
                "Print the plan, change nothing",
                false,
                InputKind::Boolean { default: false },
            ),
            input(
                "version",
                "Release tag to deploy, e.g. v1.4.2",
                true,
                InputKind::String { default: None },
            ),
            input(
                "replicas",
                "Instances to run",
                false,
                InputKind::Number {
                    default: Some("2".into()),
                },
            ),
        ];
        update(
            &mut s,
            Msg::GitHub(GitHubEvent::DispatchInputs {
                repo,
                workflow_id,
                result: Ok((".github/workflows/ci.yml".into(), Some(inputs))),
            }),
        );
        key(&mut s, KeyCode::Right);
        key(&mut s, KeyCode::Enter);
        assert!(s.github.dispatch_form.is_some(), "version is required");
        s
    });
}

#[test]
fn actions_help_fits_in_the_list_and_in_a_log() {
    snap_all("actions_help", |w, h| {
        let mut s = base(w, h);
        key(&mut s, KeyCode::Char('?'));
        s
    });
    snap_all("actions_log_help", |w, h| {
        let mut s = detail(w, h);
        key(&mut s, KeyCode::Up);
        key(&mut s, KeyCode::Char('l'));
        key(&mut s, KeyCode::Char('?'));
        s
    });
}

/// The job log of `actions_job_log`, drawn once (so the view knows its size).
fn job_log(w: u16, h: u16) -> State {
    let mut s = detail(w, h);
    key(&mut s, KeyCode::Up);
    let effects = key(&mut s, KeyCode::Char('l'));
    let stream = match effects.first() {
        Some(Effect::GitHub(GitHubCommand::FetchLog { stream, .. })) => *stream,
        other => panic!("no log fetch: {other:?}"),
    };
    let log = include_str!("fixtures/github/job-log-sample.txt");
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Log {
            stream,
            result: Ok(log.as_bytes().to_vec()),
        }),
    );
    render(&mut s, false, w, h);
    s
}

#[test]
fn actions_job_log_space_folds_at_the_cursor_line() {
    snap_all("actions_log_cursor_fold", |w, h| {
        let mut s = job_log(w, h);
        // Paused at the end, the cursor on the last line; up onto a group
        // header, and Space unfolds the group the marker points at.
        key(&mut s, KeyCode::Char('f'));
        key(&mut s, KeyCode::Char('k'));
        key(&mut s, KeyCode::Char('k'));
        key(&mut s, KeyCode::Char(' '));
        s
    });
}

#[test]
fn actions_job_log_filter_mode() {
    snap_all("actions_log_filter", |w, h| {
        let mut s = job_log(w, h);
        key(&mut s, KeyCode::Char('&'));
        for c in "-C 1 git".chars() {
            key(&mut s, KeyCode::Char(c));
        }
        key(&mut s, KeyCode::Enter);
        s
    });
}

/// Issue 10 for the runs list: status and title stay at every size (other
/// columns give way), a cut title says so, and at 200 columns the title is
/// as wide as the longest one, the spare room left at the right.
#[test]
fn runs_keep_status_and_title_at_every_size() {
    for (w, h) in [(40, 10), (60, 20), (80, 24), (120, 36), (200, 50)] {
        let mut s = base(w, h);
        let text = render(&mut s, false, w, h);
        assert!(text.contains("TITLE"), "{w}x{h}:\n{text}");
        assert!(text.contains("Cache product lookups"), "{w}x{h}:\n{text}");
        if w >= 60 {
            assert!(
                text.contains("STATUS") && text.contains("queued"),
                "{w}x{h}:\n{text}"
            );
        }
        if w >= 200 {
            let header = text.lines().find(|l| l.contains("TITLE")).expect("header");
            let title_to_age = header.find("AGE").unwrap() - header.find("TITLE").unwrap();
            let longest = runs()
                .iter()
                .flat_map(|(_, l)| l.iter().map(|r| r.title.chars().count()))
                .max()
                .unwrap();
            assert_eq!(
                title_to_age,
                longest + 1,
                "{w}x{h}: TITLE fits the longest title"
            );
        }
        insta::assert_snapshot!(format!("actions_sizes_{w}x{h}"), text);
    }
}
