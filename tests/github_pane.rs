//! The Actions pane against the GitHub simulator: the real source task
//! (octocrab over loopback) feeds `update`, keys go through `update` and
//! its effects back to the task, as in the app. Assertions are on the pane
//! state and on what the simulator saw.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::effect::GitHubCommand;
use opsdeck::core::github::{Conclusion, Run, Status};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::SourceHealth;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::sources::github::{self, GithubSetup, Token, TokenSource};
use opsdeck_sim::github::{GithubSim, Scenario, SimClock, SimOptions};
use tokio::sync::mpsc;

#[path = "github_pane/artifacts.rs"]
mod artifacts;
#[path = "github_pane/attempts.rs"]
mod attempts;
#[path = "github_pane/backfill.rs"]
mod backfill;
#[path = "github_pane/budget.rs"]
mod budget;
#[path = "github_pane/bundle.rs"]
mod bundle;
#[path = "github_pane/debug_rerun.rs"]
mod debug_rerun;
#[path = "github_pane/deployments.rs"]
mod deployments;
#[path = "github_pane/errors.rs"]
mod errors;
#[path = "github_pane/hang.rs"]
mod hang;
#[path = "github_pane/links.rs"]
mod links;
#[path = "github_pane/older.rs"]
mod older;
#[path = "github_pane/owners.rs"]
mod owners;

const WAIT: Duration = Duration::from_secs(15);

async fn sim(scenario: Scenario, clock: SimClock) -> GithubSim {
    let options = SimOptions {
        clock,
        ..SimOptions::default()
    };
    GithubSim::start_with(scenario, options)
        .await
        .expect("simulator starts")
}

fn setup(sim: &GithubSim, repos: &[&str]) -> GithubSetup {
    GithubSetup {
        api_url: sim.base_url().to_string(),
        token: Token::new(sim.token())
            .map(TokenSource::fixed)
            .unwrap_or_default(),
        repos: repos.iter().map(|r| r.to_string()).collect(),
        discover_from: None,
        owners: Vec::new(),
        owner_repos_max: 0,
        poll_active: Duration::from_millis(100),
        poll_idle: Duration::from_millis(300),
        per_page: 50,
        answer_timeout: Duration::from_secs(5),
        // The intervals are the defaults (10 s, 60 s) / 200: the hour of
        // the rate budget is compressed alike, or the budget would rightly
        // slow these fast polls down to half the hourly limit.
        rate_window: github::HOURLY_WINDOW / 200,
        // Off, so that each test's requests are its own (the backfill's
        // tests turn it on).
        backfill: github::Backfill::OFF,
    }
}

/// The app's driver (state, `update`, effects to the real source task),
/// fed by that task as the app loop feeds it.
struct Pane {
    app: Driver,
    rx: mpsc::Receiver<Msg>,
    /// The source task's commands, for tests that ask it directly.
    commands: mpsc::UnboundedSender<GitHubCommand>,
    op_results: Vec<Result<(), String>>,
}

impl Pane {
    fn start(setup: GithubSetup) -> Pane {
        let (tx, rx) = mpsc::channel(1024);
        let commands = github::spawn(setup, tx.clone());
        let sources = SourceHandles {
            github: Some(commands.clone()),
            ..SourceHandles::default()
        };
        let mut state = State::new(Settings::default(), KeyMap::default());
        state.tab = Tab::Actions;
        state.height = 50;
        // As the app does before the task reports.
        state.github_health = SourceHealth::Connecting {
            target: "github".into(),
        };
        let (app, _themes) = Driver::new(state, sources, tx);
        Pane {
            app,
            rx,
            commands,
            op_results: Vec::new(),
        }
    }

    /// Applies source messages, a batch at a time as the loop does, until
    /// `done` holds.
    async fn until(&mut self, what: &str, done: impl Fn(&Pane) -> bool) {
        self.until_within(what, WAIT, done).await;
    }

    /// `until`, failing if `done` takes longer than `within`.
    async fn until_within(&mut self, what: &str, within: Duration, done: impl Fn(&Pane) -> bool) {
        let deadline = tokio::time::Instant::now() + within;
        while !done(self) {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("not within {within:?}: {what}"))
                .expect("source task alive");
            self.apply(msg);
        }
    }

    /// Pumps whatever arrives for `time`.
    async fn pump_for(&mut self, time: Duration) {
        let deadline = tokio::time::Instant::now() + time;
        while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, self.rx.recv()).await {
            self.apply(msg);
        }
    }

    /// Applies `msg` and what else is waiting, a batch as the loop does.
    fn apply(&mut self, msg: Msg) {
        let results = &mut self.op_results;
        self.app.apply_batch(msg, &mut self.rx, |msg| {
            if let Msg::ActionDone { result, .. } = msg {
                results.push(result.clone());
            }
        });
    }

    fn key(&mut self, code: KeyCode) {
        self.app.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    fn press(&mut self, c: char) {
        self.key(KeyCode::Char(c));
    }

    fn runs(&self) -> Vec<&Run> {
        let pane = &self.app.state.github;
        pane.list
            .order()
            .iter()
            .filter_map(|k| pane.run(k))
            .collect()
    }

    fn find(&self, f: impl Fn(&Run) -> bool) -> Option<Run> {
        self.runs().into_iter().find(|r| f(r)).cloned()
    }

    fn select(&mut self, run: &Run) {
        assert!(self.app.state.github.list.select(&run.key()), "run shown");
        self.app.state.github.selection_moved = true;
    }

    fn health_error(&self) -> Option<&str> {
        match &self.app.state.github_health {
            SourceHealth::Reconnecting { error, .. } => Some(error),
            _ => None,
        }
    }
}

const DEMO_REPOS: [&str; 3] = ["acme/shop-api", "acme/web", "acme/infra"];

#[tokio::test]
async fn runs_of_every_repo_are_merged_newest_first() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("all three repos", |p| {
        p.app.state.github.answered.len() == 3
    })
    .await;
    assert!(p.app.state.github_health.is_connected());
    assert_eq!(
        p.app.state.github.repos,
        DEMO_REPOS.map(String::from).to_vec()
    );
    let runs = p.runs();
    for repo in DEMO_REPOS {
        assert!(runs.iter().any(|r| r.repo == repo), "no run of {repo}");
    }
    assert!(
        runs.windows(2).all(|w| w[0].created_at >= w[1].created_at),
        "newest first"
    );
    // Our own fields, which octocrab's model lacks, came through.
    assert!(runs.iter().all(|r| r.attempt >= 1 && !r.actor.is_empty()));
    assert!(
        runs.iter().any(|r| r.attempt > 1),
        "a re-run run in the demo"
    );
    let rate = p
        .app
        .state
        .github
        .rate
        .expect("rate limit read from headers");
    assert_eq!(rate.limit, 5000);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_rerun_of_failed_jobs_creates_an_attempt_that_progresses() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("shop-api", |p| {
        p.app.state.github.answered.contains("acme/shop-api")
    })
    .await;
    let failed = p
        .find(|r| {
            r.repo == "acme/shop-api"
                && r.workflow == "CI"
                && r.branch == "main"
                && r.conclusion == Some(Conclusion::Failure)
        })
        .expect("a failed CI run on main");
    p.select(&failed);
    p.press('F');
    assert!(p.app.state.confirm.is_some(), "asks first");
    p.press('y');
    let key = failed.key();
    p.until("attempt 2 listed", |p| {
        p.app.state.github.run(&key).is_some_and(|r| r.attempt == 2)
    })
    .await;
    assert_eq!(p.op_results, vec![Ok(())]);
    sim.advance(Duration::from_secs(20));
    p.until("attempt 2 running", |p| {
        p.app
            .state
            .github
            .run(&key)
            .is_some_and(|r| r.status == Status::InProgress)
    })
    .await;
    sim.advance(Duration::from_secs(300));
    p.until("attempt 2 done", |p| {
        p.app
            .state
            .github
            .run(&key)
            .is_some_and(|r| r.conclusion == Some(Conclusion::Success))
    })
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn cancel_stops_a_running_run() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let id = sim.push("acme", "empty", "ci.yml", "main").expect("run");
    sim.advance(Duration::from_secs(15));
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("the running run", |p| {
        p.find(|r| r.id == id && r.status == Status::InProgress)
            .is_some()
    })
    .await;
    p.press('C');
    p.press('y');
    p.until("cancelled", |p| {
        p.find(|r| r.id == id && r.conclusion == Some(Conclusion::Cancelled))
            .is_some()
    })
    .await;
    assert_eq!(p.op_results, vec![Ok(())]);
    sim.shutdown().await;
}

#[tokio::test]
async fn dispatch_asks_for_the_inputs_and_sends_them() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let id = sim
        .push("acme", "empty", "deploy.yml", "main")
        .expect("run");
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("the pushed run", |p| p.find(|r| r.id == id).is_some())
        .await;
    p.press('W');
    assert_eq!(
        p.app.state.input.as_ref().map(|i| i.text.as_str()),
        Some("main")
    );
    p.key(KeyCode::Enter);
    // The file is read through the contents API; its inputs make the form.
    p.until("the inputs form", |p| {
        p.app.state.github.dispatch_form.is_some()
    })
    .await;
    let form = p.app.state.github.dispatch_form.clone().expect("form");
    assert_eq!(form.path, ".github/workflows/deploy.yml");
    let names: Vec<_> = form.fields.iter().map(|f| f.input.name.as_str()).collect();
    assert_eq!(names, ["environment", "dry_run", "version", "replicas"]);
    // environment: production; dry_run: toggled on; version typed.
    p.key(KeyCode::Right);
    p.key(KeyCode::Down);
    p.press(' ');
    p.key(KeyCode::Down);
    p.key(KeyCode::Enter);
    assert!(p.app.state.confirm.is_none(), "version is required");
    for c in "v1.4.2".chars() {
        p.press(c);
    }
    p.key(KeyCode::Enter);
    let question = p.app.state.confirm.as_ref().map(|c| c.question());
    assert_eq!(
        question.as_deref(),
        Some(
            "Dispatch workflow Deploy on acme/empty@main with environment=production, \
             dry_run=true, version=v1.4.2, replicas=2?"
        )
    );
    assert_eq!(sim.counters().mutating_requests, 0, "nothing sent before y");
    p.press('y');
    p.until("the dispatched run", |p| {
        p.find(|r| r.event == "workflow_dispatch").is_some()
    })
    .await;
    assert_eq!(p.op_results, vec![Ok(())]);
    let sent = sim.dispatches();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].workflow.as_str(), sent[0].git_ref.as_str()),
        ("deploy.yml", "main")
    );
    assert_eq!(
        sent[0].inputs,
        serde_json::json!({
            "environment": "production",
            "dry_run": "true",
            "version": "v1.4.2",
            "replicas": "2"
        })
    );

    // A branch without the file: said plainly, and nothing is sent.
    p.press('W');
    for _ in 0..4 {
        p.key(KeyCode::Backspace);
    }
    for c in "nope".chars() {
        p.press(c);
    }
    p.key(KeyCode::Enter);
    let said = |p: &Pane, what: &str| p.app.state.toasts.history().any(|m| m.text.contains(what));
    p.until("the refusal", |p| said(p, "was not sent")).await;
    assert!(said(&p, ".github/workflows/deploy.yml is not on nope"));

    // Broken YAML: the file is named, and nothing is sent.
    sim.set_workflow_file(
        "acme",
        "empty",
        "deploy.yml",
        "on:\n  workflow_dispatch: [\n",
    );
    p.press('W');
    p.key(KeyCode::Enter);
    p.until("the YAML error", |p| said(p, "is not valid YAML"))
        .await;
    assert!(said(&p, ".github/workflows/deploy.yml is not valid YAML"));
    assert!(p.app.state.confirm.is_none() && p.app.state.github.dispatch_form.is_none());
    assert_eq!(
        sim.counters().mutating_requests,
        1,
        "only the confirmed dispatch"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_workflow_without_inputs_skips_the_form() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let id = sim.push("acme", "empty", "ci.yml", "main").expect("run");
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("the pushed run", |p| p.find(|r| r.id == id).is_some())
        .await;
    p.press('W');
    p.key(KeyCode::Enter);
    p.until("the confirmation", |p| p.app.state.confirm.is_some())
        .await;
    assert!(p.app.state.github.dispatch_form.is_none());
    p.press('y');
    p.until("answered", |p| !p.op_results.is_empty()).await;
    assert_eq!(p.op_results, vec![Ok(())]);
    assert_eq!(sim.dispatches()[0].inputs, serde_json::json!({}));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_failed_jobs_log_comes_through_the_redirect() {
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
    let text = log.view.plain_text(&log.buffer);
    assert!(text.contains("##[group]Run actions/checkout@v4"), "{text}");
    assert!(
        text.contains("##[error]Process completed with exit code"),
        "{text}"
    );
    let title = log.title.clone();
    assert!(title.starts_with("job "), "{title}");
    // It opens on the first error line.
    let at = log.view.cursor().and_then(|seq| log.buffer.get(seq));
    let at = at.map(|l| l.text().to_string()).unwrap_or_default();
    assert!(at.contains("Process completed with exit code 101"), "{at}");
    // From the top, groups are folded: their titles show, their bodies do not.
    let inside = text
        .split("##[group]Operating System\n")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .unwrap_or_default()
        .to_string();
    assert!(!inside.is_empty(), "{text}");
    p.press('g');
    let screen = errors::screen_lines(&mut p.app.state);
    assert!(screen.contains("▸ Operating System"), "{screen}");
    assert!(screen.contains("▸ Run actions/checkout@v4"), "{screen}");
    assert!(!screen.contains(inside.trim()), "{inside} shown: {screen}");
    // Space unfolds the group at the cursor (walked up from the error).
    let on_group = |p: &Pane| {
        p.app.state.github.logs.as_ref().is_some_and(|l| {
            let at = l.view.cursor().and_then(|seq| l.buffer.get(seq));
            at.is_some_and(|line| line.text().contains("Operating System"))
        })
    };
    for _ in 0..500 {
        if on_group(&p) {
            break;
        }
        p.press('k');
    }
    assert!(on_group(&p), "the cursor never reached the group");
    p.press(' ');
    let screen = errors::screen_lines(&mut p.app.state);
    assert!(screen.contains(inside.trim()), "{inside} hidden: {screen}");
    let c = sim.counters();
    assert_eq!((c.log_downloads, c.log_downloads_with_auth), (1, 0));
    sim.shutdown().await;
}

#[tokio::test]
async fn unchanged_polls_are_answered_304_and_counted() {
    let scale = Scenario::Scale {
        repos: 3,
        runs_per_repo: 20,
    };
    let sim = sim(scale, SimClock::Manual).await;
    let repos = ["acme/svc-00", "acme/svc-01", "acme/svc-02"];
    let mut p = Pane::start(setup(&sim, &repos));
    p.until("every repository loaded", |p| {
        p.app.state.github.answered.len() == 3
    })
    .await;
    // The first load also lists each repository's workflows (and reads any
    // workflow its first page lacks); after that nothing has changed.
    p.pump_for(Duration::from_millis(500)).await;
    let (requests, not_modified) = (p.app.state.github.requests, p.app.state.github.not_modified);
    let limit_left = sim.rate_limit_remaining();
    p.until("a dozen more polls", |p| {
        p.app.state.github.requests >= requests + 12
    })
    .await;
    let pane = &p.app.state.github;
    assert_eq!(
        pane.not_modified - not_modified,
        pane.requests - requests,
        "every poll of an unchanged repository is answered 304"
    );
    let c = sim.counters();
    assert!(c.not_modified >= pane.not_modified);
    assert_eq!(pane.runs.data().map(|m| m.len()), Some(60));
    // A 304 does not use up the limit.
    assert_eq!(sim.rate_limit_remaining(), limit_left);
    sim.shutdown().await;
}
