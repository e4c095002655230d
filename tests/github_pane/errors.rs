//! Rate limits, a rejected token, unknown repositories and outages: the
//! pane says what is wrong in plain words, keeps what it had, and recovers.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use opsdeck::ui::{self, Look, Theme};

use opsdeck::core::source::Pause;

use super::*;

pub fn screen_lines(state: &mut State) -> String {
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).expect("terminal");
    terminal.draw(|f| ui::draw(f, state, &look)).expect("draw");
    terminal.backend().to_string()
}

pub fn screen(state: &mut State) -> String {
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).expect("terminal");
    terminal.draw(|f| ui::draw(f, state, &look)).expect("draw");
    // The pane's words may wrap; join the rows without borders.
    terminal
        .backend()
        .to_string()
        .lines()
        .map(|l| l.trim_matches(|c| c == '"' || c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[tokio::test]
async fn an_exhausted_rate_limit_pauses_until_the_reset_then_resumes() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    sim.push("acme", "empty", "ci.yml", "main").expect("run");
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("first load", |p| !p.app.state.github.answered.is_empty())
        .await;
    sim.set_rate_limit(0, Duration::from_secs(3));
    p.until("the pause", |p| p.health_error().is_some()).await;
    let error = p.health_error().unwrap_or_default().to_string();
    assert!(error.contains("rate limit is used up"), "{error}");
    assert!(error.contains("resets at"), "{error}");
    assert_eq!(p.app.state.github.rate.map(|r| r.remaining), Some(0));
    assert!(p.app.state.github.runs.data().is_some(), "runs kept");
    let paused_at = std::time::Instant::now();
    let refused = sim.counters().rate_limited;
    let requests = sim.counters().requests;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(sim.counters().requests, requests, "no request while paused");
    // The simulated clock passes the reset (the source waits on the wall
    // clock, a little over the 3 s the reset header announced).
    sim.advance(Duration::from_secs(10));
    p.until("resumed", |p| p.app.state.github_health.is_connected())
        .await;
    assert!(paused_at.elapsed() >= Duration::from_secs(2));
    assert_eq!(sim.counters().rate_limited, refused, "waited for the reset");
    p.until("a fresh window", |p| {
        p.app.state.github.rate.is_some_and(|r| r.remaining > 4000)
    })
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn a_secondary_limit_is_waited_out_for_retry_after() {
    let sim = sim(Scenario::Empty, SimClock::Realtime { speed: 1.0 }).await;
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("first load", |p| !p.app.state.github.answered.is_empty())
        .await;
    // The first load also reads the workflows: let those answers land, so
    // the limit meets the next poll alone.
    p.pump_for(Duration::from_millis(500)).await;
    sim.secondary_limit(Duration::from_secs(2));
    p.until("the pause", |p| p.health_error().is_some()).await;
    let error = p.health_error().unwrap_or_default().to_string();
    assert!(error.contains("secondary rate limit"), "{error}");
    let SourceHealth::Reconnecting {
        retry_at, pause, ..
    } = &p.app.state.github_health
    else {
        panic!("{:?}", p.app.state.github_health);
    };
    assert_eq!(*pause, Pause::RateLimit);
    let left = (*retry_at - chrono::Utc::now()).num_milliseconds();
    assert!((0..=2_500).contains(&left), "{left} ms");
    p.until("resumed", |p| p.app.state.github_health.is_connected())
        .await;
    assert_eq!(sim.counters().rate_limited, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_rejected_token_is_said_in_plain_words() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let mut s = setup(&sim, &["acme/empty"]);
    s.token = Token::new("ghp_wrong")
        .map(TokenSource::fixed)
        .unwrap_or_default();
    let mut p = Pane::start(s);
    p.until("the refusal", |p| p.health_error().is_some()).await;
    let text = screen(&mut p.app.state);
    assert!(
        text.contains("GitHub rejected the token (401 Bad credentials)"),
        "{text}"
    );
    assert!(!text.contains("ghp_wrong"), "the token is never shown");
    assert_eq!(sim.counters().unauthorized, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_unknown_repo_is_named_and_the_others_still_load() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    sim.push("acme", "empty", "ci.yml", "main").expect("run");
    let mut p = Pane::start(setup(&sim, &["acme/empty", "acme/nope"]));
    p.until("both answered", |p| {
        !p.app.state.github.answered.is_empty() && !p.app.state.github.repo_errors.is_empty()
    })
    .await;
    assert!(p.app.state.github_health.is_connected());
    assert_eq!(p.runs().len(), 1);
    let text = screen(&mut p.app.state);
    assert!(text.contains("acme/nope: not found (404)"), "{text}");
    sim.shutdown().await;
}

#[tokio::test]
async fn an_outage_keeps_the_runs_and_recovers() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    sim.push("acme", "empty", "ci.yml", "main").expect("run");
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("first load", |p| !p.app.state.github.answered.is_empty())
        .await;
    sim.set_outage(true);
    p.until("the outage", |p| p.health_error().is_some()).await;
    let text = screen(&mut p.app.state);
    assert!(text.contains("GitHub answered 502"), "{text}");
    assert!(text.contains("showing last known runs"), "{text}");
    assert_eq!(p.runs().len(), 1, "runs kept");
    sim.set_outage(false);
    p.until("recovered", |p| p.app.state.github_health.is_connected())
        .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn without_a_token_the_pane_says_how_to_give_one() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let mut s = setup(&sim, &["acme/empty"]);
    s.token = TokenSource::default();
    let mut p = Pane::start(s);
    p.until("unusable", |p| {
        matches!(p.app.state.github_health, SourceHealth::Unusable { .. })
    })
    .await;
    let text = screen(&mut p.app.state);
    assert!(text.contains("GH_TOKEN"), "{text}");
    assert!(text.contains("token_command"), "{text}");
    assert_eq!(sim.counters().requests, 0);
    sim.shutdown().await;
}

/// After a pause one repository is asked first: a server still down costs
/// one request per backoff step, not one per repository (17 x 429 at once
/// were seen before).
#[tokio::test]
async fn an_outage_is_probed_with_one_request_per_step_not_a_sweep() {
    let sim = sim(
        Scenario::Scale {
            repos: 8,
            runs_per_repo: 3,
        },
        SimClock::Manual,
    )
    .await;
    let repos = sim.repos();
    let names: Vec<&str> = repos.iter().map(String::as_str).collect();
    let mut p = Pane::start(setup(&sim, &names));
    p.until("every repository answered", |p| {
        p.app.state.github.answered.len() == 8
    })
    .await;
    sim.set_outage(true);
    p.until("the outage", |p| p.health_error().is_some()).await;
    // Polls already in flight when the first refusal came may still land;
    // count from a moment later.
    p.pump_for(Duration::from_millis(500)).await;
    let before = sim.counters().requests;
    // Backoff steps of about 2 s and 4 s fall in this window.
    p.pump_for(Duration::from_secs(7)).await;
    let during = sim.counters().requests - before;
    assert!(
        (1..=3).contains(&during),
        "{during} requests in 7 s of outage with 8 repositories"
    );
    sim.set_outage(false);
    p.until("recovered", |p| p.app.state.github_health.is_connected())
        .await;
    p.until("every repository polled again", |p| {
        p.app.state.github.answered.len() == 8
    })
    .await;
    sim.shutdown().await;
}

/// A rejected token is a failed login each time it is sent: after the
/// first refusals one repository is asked per step, and the steps grow
/// (about 2 s, then 4 s), where a poll of every repository every
/// interval (here 300 ms) was seen before.
#[tokio::test]
async fn a_rejected_token_costs_one_request_per_growing_backoff_step() {
    let sim = sim(
        Scenario::Scale {
            repos: 8,
            runs_per_repo: 3,
        },
        SimClock::Manual,
    )
    .await;
    let repos = sim.repos();
    let names: Vec<&str> = repos.iter().map(String::as_str).collect();
    let mut s = setup(&sim, &names);
    s.token = Token::new("ghp_wrong")
        .map(TokenSource::fixed)
        .unwrap_or_default();
    let mut p = Pane::start(s);
    p.until("the refusal", |p| p.health_error().is_some()).await;
    // The first polls went out together, before any answer; count after.
    p.pump_for(Duration::from_millis(500)).await;
    let before = sim.counters().unauthorized;
    p.pump_for(Duration::from_secs(7)).await;
    let during = sim.counters().unauthorized - before;
    assert!(
        (1..=3).contains(&during),
        "{during} refused requests in 7 s with 8 repositories"
    );
    let text = screen(&mut p.app.state);
    assert!(text.contains("token from opsdeck (demo)"), "{text}");
    assert!(!text.contains("ghp_wrong"), "the token is never shown");
    sim.shutdown().await;
}

/// `token_command` is run again after a 401: once it gives the right
/// token (a `gh auth refresh`, a rotated secret), polling resumes with no
/// key pressed and no restart.
#[tokio::test]
async fn a_token_command_that_gives_a_new_token_recovers_without_a_key() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    sim.push("acme", "empty", "ci.yml", "main").expect("run");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("token");
    std::fs::write(&file, "ghp_expired\n").expect("token file");
    let mut s = setup(&sim, &["acme/empty"]);
    s.token = TokenSource {
        command: Some(format!("cat '{}'", file.display())),
        ..TokenSource::default()
    };
    let mut p = Pane::start(s);
    p.until("the refusal", |p| p.health_error().is_some()).await;
    assert_eq!(
        p.app.state.github.token_from.as_deref(),
        Some("token_command")
    );
    let error = p.health_error().unwrap_or_default().to_string();
    assert!(error.contains("token from token_command"), "{error}");
    std::fs::write(&file, format!("{}\n", sim.token())).expect("token file");
    p.until("recovered", |p| p.app.state.github_health.is_connected())
        .await;
    p.until("the runs", |p| p.runs().len() == 1).await;
    // One refusal per step until then: the first, and at most a few more.
    let refused = sim.counters().unauthorized;
    assert!((1..=4).contains(&refused), "{refused} refusals");
    // The help says which login GitHub sees, never the token.
    p.press('?');
    let text = screen(&mut p.app.state);
    assert!(text.contains("GitHub token from token_command"), "{text}");
    assert!(!text.contains(sim.token()), "{text}");
    sim.shutdown().await;
}
