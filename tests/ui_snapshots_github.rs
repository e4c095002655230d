//! The Actions pane on ratatui's TestBackend, snapshotted with insta at
//! 80x24 and 200x50, Unicode and `--ascii`: the runs list, one run's jobs
//! and steps, a job log, a confirmation and the paused (rate-limited) list.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::{DateTime, Duration, TimeZone, Utc};
use opsdeck::core::effect::{Effect, GitHubCommand};
use opsdeck::core::github::{Conclusion, Job, RateLimit, Run, Status, Step};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::{GitHubEvent, Msg};
use opsdeck::core::source::{Pause, SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("valid time")
}

fn ago(secs: i64) -> DateTime<Utc> {
    now() - Duration::seconds(secs)
}

struct R {
    repo: &'static str,
    id: u64,
    workflow: &'static str,
    branch: &'static str,
    event: &'static str,
    actor: &'static str,
    title: &'static str,
    status: Status,
    conclusion: Option<Conclusion>,
    age: i64,
    took: i64,
}

fn run(r: R) -> Run {
    Run {
        repo: r.repo.into(),
        id: r.id,
        number: r.id % 1000,
        attempt: if r.id == 2204 { 2 } else { 1 },
        workflow: r.workflow.into(),
        workflow_id: 1,
        branch: r.branch.into(),
        event: r.event.into(),
        actor: r.actor.into(),
        title: r.title.into(),
        status: r.status,
        conclusion: r.conclusion,
        head_sha: format!("{:x}", (u64::MAX / 7).wrapping_mul(r.id)),
        created_at: ago(r.age),
        updated_at: ago(r.age - r.took),
        started_at: Some(ago(r.age)),
        html_url: String::new(),
    }
}

fn runs() -> Vec<(&'static str, Vec<Run>)> {
    use Conclusion::*;
    use Status::*;
    let r = |repo, id, workflow, branch, event, actor, title, status, conclusion, age, took| {
        run(R {
            repo,
            id,
            workflow,
            branch,
            event,
            actor,
            title,
            status,
            conclusion,
            age,
            took,
        })
    };
    let api = "acme/shop-api";
    let web = "acme/web";
    let infra = "acme/infra";
    vec![
        (
            api,
            vec![
                r(
                    api,
                    1207,
                    "CI",
                    "main",
                    "push",
                    "devon-li",
                    "Fix rounding of partial refunds",
                    InProgress,
                    None,
                    95,
                    0,
                ),
                r(
                    api,
                    1206,
                    "CI",
                    "main",
                    "push",
                    "mara-k",
                    "Add CSV export for orders",
                    Completed,
                    Some(Failure),
                    1500,
                    91,
                ),
                r(
                    api,
                    2204,
                    "Deploy",
                    "main",
                    "workflow_dispatch",
                    "mara-k",
                    "Add CSV export for orders",
                    Completed,
                    Some(Success),
                    3000,
                    262,
                ),
                r(
                    api,
                    1205,
                    "CI",
                    "feat/order-export",
                    "pull_request",
                    "sam-okafor",
                    "Retry payment webhooks with backoff",
                    Completed,
                    Some(Cancelled),
                    5400,
                    40,
                ),
            ],
        ),
        (
            web,
            vec![
                r(
                    web,
                    3310,
                    "CI",
                    "feat/dark-mode",
                    "pull_request",
                    "priya-n",
                    "Cache product lookups for 30s",
                    Queued,
                    None,
                    12,
                    0,
                ),
                r(
                    web,
                    3309,
                    "CI",
                    "main",
                    "push",
                    "jonas-w",
                    "Tidy up error messages in checkout",
                    Completed,
                    Some(TimedOut),
                    2400,
                    3600,
                ),
                r(
                    web,
                    3308,
                    "CI",
                    "feat/x",
                    "pull_request",
                    "outside-dev",
                    "Update README with local setup steps",
                    Completed,
                    Some(ActionRequired),
                    7200,
                    0,
                ),
            ],
        ),
        (
            infra,
            vec![
                r(
                    infra,
                    4101,
                    "Nightly",
                    "main",
                    "schedule",
                    "github-actions",
                    "Make the health check cheaper",
                    Completed,
                    Some(Success),
                    36000,
                    1260,
                ),
                r(
                    infra,
                    4100,
                    "CI",
                    "main",
                    "push",
                    "devon-li",
                    "Remove the legacy v1 endpoints",
                    Completed,
                    Some(Skipped),
                    90000,
                    3,
                ),
            ],
        ),
    ]
}

fn base(width: u16, height: u16) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Actions;
    update(&mut s, Msg::Resize { width, height });
    let gh = |ev| Msg::GitHub(ev);
    update(
        &mut s,
        Msg::health(
            SourceKind::GitHub,
            SourceHealth::Connected {
                target: "https://api.github.com".into(),
                last_update: now(),
            },
        ),
    );
    let repos = runs().iter().map(|(r, _)| r.to_string()).collect();
    update(&mut s, gh(GitHubEvent::Repos(repos)));
    for (repo, list) in runs() {
        update(
            &mut s,
            gh(GitHubEvent::Runs {
                repo: repo.into(),
                runs: list,
            }),
        );
    }
    update(
        &mut s,
        gh(GitHubEvent::RateLimit(RateLimit {
            remaining: 4873,
            limit: 5000,
            reset: now() + Duration::minutes(40),
        })),
    );
    s
}

fn step(
    n: u32,
    name: &str,
    status: Status,
    c: Option<Conclusion>,
    start: i64,
    end: Option<i64>,
) -> Step {
    Step {
        number: n,
        name: name.into(),
        status,
        conclusion: c,
        started_at: Some(ago(start)),
        completed_at: end.map(ago),
    }
}

fn jobs() -> Vec<Job> {
    use Conclusion::*;
    use Status::*;
    let done = |n, name, c, s, e| step(n, name, Completed, Some(c), s, Some(e));
    vec![
        Job {
            id: 1,
            run_id: 1207,
            attempt: 1,
            name: "lint".into(),
            status: Completed,
            conclusion: Some(Success),
            started_at: Some(ago(90)),
            completed_at: Some(ago(49)),
            steps: vec![done(1, "Set up job", Success, 90, 88)],
        },
        Job {
            id: 2,
            run_id: 1207,
            attempt: 1,
            name: "test".into(),
            status: InProgress,
            conclusion: None,
            started_at: Some(ago(88)),
            completed_at: None,
            steps: vec![
                done(1, "Set up job", Success, 88, 86),
                done(2, "Run actions/checkout@v4", Success, 86, 84),
                done(3, "Run dtolnay/rust-toolchain@stable", Success, 84, 78),
                done(4, "Run Swatinem/rust-cache@v2", Success, 78, 73),
                step(5, "Run cargo test --locked", InProgress, None, 73, None),
                step(6, "Post Run actions/checkout@v4", Queued, None, 73, None),
                step(7, "Complete job", Queued, None, 73, None),
            ],
        },
        Job {
            id: 3,
            run_id: 1207,
            attempt: 1,
            name: "deploy-preview".into(),
            status: Queued,
            conclusion: None,
            started_at: None,
            completed_at: None,
            steps: Vec::new(),
        },
    ]
}

fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The running shop-api run opened, its jobs loaded.
fn detail(width: u16, height: u16) -> State {
    let mut s = base(width, height);
    key(&mut s, KeyCode::Char('j'));
    let effects = key(&mut s, KeyCode::Enter);
    let request = match effects.first() {
        Some(Effect::GitHub(GitHubCommand::WatchJobs { request, .. })) => *request,
        other => panic!("no jobs watch: {other:?}"),
    };
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(jobs()),
        }),
    );
    s
}

fn render(state: &mut State, ascii: bool, width: u16, height: u16) -> String {
    let look = Look::new(Theme::default(), ascii);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| ui::draw(f, state, &look)).expect("draw");
    let text = terminal.backend().to_string();
    if ascii {
        let bad: String = text.chars().filter(|c| !c.is_ascii()).collect();
        assert!(bad.is_empty(), "--ascii drew non-ASCII characters: {bad:?}");
    }
    text
}

fn snap_all(name: &str, make: impl Fn(u16, u16) -> State) {
    for (w, h) in SIZES {
        for ascii in [false, true] {
            let mut state = make(w, h);
            let text = render(&mut state, ascii, w, h);
            let glyphs = if ascii { "ascii" } else { "unicode" };
            insta::assert_snapshot!(format!("{name}_{w}x{h}_{glyphs}"), text);
        }
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
