//! Runs beyond each repository's first page: a workflow's latest runs read
//! from its own page, and older pages read by scrolling past the end.

use super::errors::screen;
use super::*;

/// A quiet workflow's failed latest run, pushed off the repository's first
/// page by fifty newer runs of another workflow, stays known: the Overview
/// rule (latest run per workflow and branch) holds whatever the page.
#[tokio::test]
async fn a_failed_latest_run_beyond_the_first_page_stays_on_the_overview() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let deploy = sim
        .push("acme", "empty", "deploy.yml", "main")
        .expect("deploy run");
    assert!(sim.fail_run("acme", "empty", deploy));
    for _ in 0..60 {
        sim.push("acme", "empty", "ci.yml", "main").expect("ci run");
    }
    // Every run finishes; the deploy fails.
    sim.advance(Duration::from_secs(3600));
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("the deploy run read from its workflow's own page", |p| {
        p.runs().iter().any(|r| r.id == deploy)
    })
    .await;
    let broken = opsdeck::core::triage::github::items(&p.app.state);
    assert!(
        broken.iter().any(|i| i.what.contains("Deploy")),
        "the failed deploy is on the Overview: {broken:?}"
    );
    let total = p.app.state.github.run_totals.get("acme/empty").copied();
    assert!(total.is_some_and(|t| t >= 61), "{total:?}");
    p.app.state.tab = Tab::Actions;
    let text = screen(&mut p.app.state);
    assert!(
        text.contains(" of "),
        "the title says how many exist: {text}"
    );
    sim.shutdown().await;
}

/// Scrolling past the last row reads the next page of each repository
/// with more runs; the title counts what is read of what exists.
#[tokio::test]
async fn scrolling_past_the_end_reads_older_pages() {
    let sim = sim(
        Scenario::Scale {
            repos: 1,
            runs_per_repo: 120,
        },
        SimClock::Manual,
    )
    .await;
    let repos = sim.repos();
    let names: Vec<&str> = repos.iter().map(String::as_str).collect();
    let mut p = Pane::start(setup(&sim, &names));
    p.app.state.tab = Tab::Actions;
    p.until("the first page and the total", |p| {
        !p.app.state.github.run_totals.is_empty()
    })
    .await;
    p.pump_for(Duration::from_millis(300)).await;
    let first = p.runs().len();
    assert!(first < 120, "only the first page is read: {first}");
    let text = screen(&mut p.app.state);
    assert!(
        text.contains(&format!("{first} of 120 runs")),
        "the title counts what is read: {text}"
    );
    p.key(KeyCode::End);
    p.key(KeyCode::Down);
    p.until("the second page", |p| p.runs().len() > first).await;
    assert!(p.runs().len() >= 100, "{}", p.runs().len());
    sim.shutdown().await;
}
