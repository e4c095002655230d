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
