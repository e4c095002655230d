//! The runs, jobs and state the Actions snapshots start from, shared by
//! `ui_snapshots_github.rs` and `ui_snapshots_github_more.rs`.
#![allow(dead_code)] // each test binary uses part of it

pub use chrono::{DateTime, Duration, TimeZone, Utc};
pub use opsdeck::core::effect::{Effect, GitHubCommand};
pub use opsdeck::core::github::{Conclusion, Job, RateLimit, Run, Status, Step};
pub use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
pub use opsdeck::core::keymap::KeyMap;
pub use opsdeck::core::msg::{GitHubEvent, Msg};
pub use opsdeck::core::source::{SourceHealth, SourceKind};
pub use opsdeck::core::state::{Settings, State, Tab};
pub use opsdeck::core::update::update;

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("valid time")
}

pub fn ago(secs: i64) -> DateTime<Utc> {
    now() - Duration::seconds(secs)
}

pub struct R {
    pub repo: &'static str,
    pub id: u64,
    pub workflow: &'static str,
    pub branch: &'static str,
    pub event: &'static str,
    pub actor: &'static str,
    pub title: &'static str,
    pub status: Status,
    pub conclusion: Option<Conclusion>,
    pub age: i64,
    pub took: i64,
}

pub fn run(r: R) -> Run {
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

pub fn runs() -> Vec<(&'static str, Vec<Run>)> {
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

pub fn base(width: u16, height: u16) -> State {
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

pub fn step(
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

pub fn jobs() -> Vec<Job> {
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
            html_url: String::new(),
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
            html_url: String::new(),
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
            html_url: String::new(),
            steps: Vec::new(),
        },
    ]
}

pub fn key(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The running shop-api run opened, its jobs loaded.
pub fn detail(width: u16, height: u16) -> State {
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
