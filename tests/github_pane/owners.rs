//! `[github] owners`: an owner's repositories are found and watched (not
//! archived, newest push first, capped), as an organization or, after its
//! 404, as a user.

use super::*;

fn owner_setup(sim: &GithubSim, owner: &str, max: usize) -> GithubSetup {
    GithubSetup {
        owners: vec![owner.to_string()],
        owner_repos_max: max,
        ..setup(sim, &[])
    }
}

#[tokio::test]
async fn an_organizations_repositories_are_watched_without_archived_ones() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    sim.set_archived("acme", "web");
    let mut p = Pane::start(owner_setup(&sim, "acme", 10));
    p.until("the owner's repositories", |p| {
        p.app.state.github.repos.len() == 2
    })
    .await;
    let mut repos = p.app.state.github.repos.clone();
    repos.sort();
    assert_eq!(repos, vec!["acme/infra", "acme/shop-api"]);
    p.until("their runs", |p| p.app.state.github.answered.len() == 2)
        .await;
    assert!(p.runs().iter().all(|r| r.repo != "acme/web"));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_users_repositories_are_listed_after_the_organization_404_and_capped() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    sim.set_user_account("acme");
    let mut p = Pane::start(owner_setup(&sim, "acme", 1));
    p.until("one repository", |p| !p.app.state.github.repos.is_empty())
        .await;
    assert_eq!(p.app.state.github.repos.len(), 1, "capped at 1");
    // The one kept is the most recently pushed of the three.
    let newest = {
        let mut all = Vec::new();
        for repo in ["acme/shop-api", "acme/web", "acme/infra"] {
            let q = Pane::start(setup(&sim, &[repo]));
            all.push((repo, q));
        }
        let mut latest = Vec::new();
        for (repo, mut q) in all {
            q.until("runs", |q| !q.app.state.github.answered.is_empty())
                .await;
            let newest = q.runs().iter().map(|r| r.created_at).max();
            latest.push((newest, repo));
        }
        latest.sort();
        latest.last().map(|(_, r)| r.to_string())
    };
    assert_eq!(p.app.state.github.repos.first(), newest.as_ref());
    sim.shutdown().await;
}

/// The owner's list is asked again now and then (with `If-None-Match`,
/// so an unchanged one costs a 304): a repository pushed to meanwhile,
/// left out by the cap before, joins the watched ones without a restart,
/// and until then the list holds steady through the unchanged answers.
#[tokio::test]
async fn an_owner_is_re_checked_and_a_repository_pushed_meanwhile_joins() {
    // A budget window as compressed as the polls, or the planner would
    // rightly stretch them (and the re-check) to last the hour.
    let options = SimOptions {
        clock: SimClock::Manual,
        rate_window: Duration::from_secs(18),
        ..SimOptions::default()
    };
    let sim = GithubSim::start_with(Scenario::Demo, options)
        .await
        .expect("simulator starts");
    let setup = GithubSetup {
        // The re-check comes every 30 idle intervals: 1.5 s here.
        poll_idle: Duration::from_millis(50),
        ..owner_setup(&sim, "acme", 2)
    };
    let mut p = Pane::start(setup);
    p.until("the owner's two newest", |p| {
        p.app.state.github.repos.len() == 2
    })
    .await;
    let left_out = ["acme/shop-api", "acme/web", "acme/infra"]
        .into_iter()
        .find(|r| !p.app.state.github.repos.iter().any(|w| w == r))
        .expect("one left out by the cap");
    let before = sim.counters().not_modified;
    p.pump_for(Duration::from_secs(2)).await;
    assert_eq!(p.app.state.github.repos.len(), 2, "steady while unchanged");
    assert!(
        sim.counters().not_modified > before,
        "unchanged answers are 304s"
    );
    let (owner, name) = left_out.split_once('/').expect("owner/name");
    sim.push(owner, name, "ci.yml", "main").expect("pushed");
    p.until("the pushed one watched", |p| {
        p.app.state.github.repos.iter().any(|w| w == left_out)
    })
    .await;
    sim.shutdown().await;
}
