//! Pending deployments: `A` on a run waiting for an environment's
//! reviewers lists the environments, takes a comment, and after `y` sends
//! exactly one review through octocrab to the simulator.

use super::*;
use opsdeck_sim::github::Gate;

fn gates() -> Vec<Gate> {
    vec![
        Gate {
            env_id: 161_171_787,
            name: "production".into(),
            wait_timer: 5,
            can_approve: true,
            reviewers: vec!["mara-k".into()],
        },
        Gate {
            env_id: 161_171_790,
            name: "audit".into(),
            wait_timer: 0,
            can_approve: false,
            reviewers: vec!["compliance-bot".into()],
        },
    ]
}

async fn waiting_run(sim: &GithubSim) -> (Pane, u64) {
    let id = sim
        .push("acme", "empty", "deploy.yml", "main")
        .expect("run");
    assert!(sim.hold_for_review("acme", "empty", id, gates()));
    let mut p = Pane::start(setup(sim, &["acme/empty"]));
    p.until("the waiting run", |p| {
        p.find(|r| r.id == id && r.status == Status::Waiting)
            .is_some()
    })
    .await;
    (p, id)
}

fn typed(p: &mut Pane, text: &str) {
    for c in text.chars() {
        p.press(c);
    }
}

#[tokio::test]
async fn approving_sends_one_review_with_the_comment_and_the_run_goes_on() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let (mut p, id) = waiting_run(&sim).await;
    p.press('A');
    p.until("the pending environments", |p| {
        p.app.state.github.review_form.is_some()
    })
    .await;
    let form = p.app.state.github.review_form.clone().expect("dialog");
    assert_eq!(form.envs.len(), 2);
    assert_eq!(form.envs[0].name, "production");
    assert_eq!(form.envs[0].wait_timer, 5);
    assert!(form.envs[0].can_approve && !form.envs[1].can_approve);
    assert_eq!(form.envs[1].reviewers, vec!["compliance-bot".to_string()]);
    // `y` here is part of the comment, never a yes.
    typed(&mut p, "ship it, yes");
    p.key(KeyCode::Enter);
    let confirm = p.app.state.confirm.clone().expect("the confirmation");
    assert!(
        confirm.question().contains("acme/empty Deploy"),
        "{}",
        confirm.question()
    );
    assert!(confirm.question().contains("environment production"));
    assert!(
        !confirm.question().contains("audit"),
        "only what may be reviewed"
    );
    assert_eq!(sim.counters().mutating_requests, 0, "nothing sent before y");
    p.press('y');
    p.until("the review answered", |p| !p.op_results.is_empty())
        .await;
    assert_eq!(p.op_results, vec![Ok(())]);
    let reviews = sim.reviews();
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        reviews[0].path,
        format!("/repos/acme/empty/actions/runs/{id}/pending_deployments")
    );
    assert_eq!(
        reviews[0].body,
        serde_json::json!({
            "environment_ids": [161_171_787u64],
            "state": "approved",
            "comment": "ship it, yes",
        })
    );
    assert_eq!(sim.counters().mutating_requests, 1, "exactly one request");
    // The audit gate is still pending, so the run still waits; the
    // toast names the approval.
    let said = p
        .app
        .state
        .toasts
        .history()
        .any(|m| m.text.contains("approve the deployment of"));
    assert!(said);
    sim.shutdown().await;
}

#[tokio::test]
async fn rejecting_fails_the_run() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let id = sim
        .push("acme", "empty", "deploy.yml", "main")
        .expect("run");
    let only = vec![gates().remove(0)];
    assert!(sim.hold_for_review("acme", "empty", id, only));
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("the waiting run", |p| {
        p.find(|r| r.id == id && r.status == Status::Waiting)
            .is_some()
    })
    .await;
    p.press('A');
    p.until("the dialog", |p| p.app.state.github.review_form.is_some())
        .await;
    p.key(KeyCode::Tab);
    typed(&mut p, "not today");
    p.key(KeyCode::Enter);
    let confirm = p.app.state.confirm.clone().expect("the confirmation");
    assert!(confirm.destructive, "a rejection wears the danger colour");
    assert!(
        confirm
            .question()
            .starts_with("Reject the deployment of run")
    );
    p.press('y');
    p.until("the run failed", |p| {
        p.find(|r| r.id == id && r.conclusion == Some(Conclusion::Failure))
            .is_some()
    })
    .await;
    assert_eq!(sim.reviews().len(), 1);
    assert_eq!(sim.reviews()[0].body["state"], "rejected");
    sim.shutdown().await;
}

#[tokio::test]
async fn approving_the_last_environment_lets_the_run_start() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let id = sim
        .push("acme", "empty", "deploy.yml", "main")
        .expect("run");
    assert!(sim.hold_for_review("acme", "empty", id, vec![gates().remove(0)]));
    let mut p = Pane::start(setup(&sim, &["acme/empty"]));
    p.until("the waiting run", |p| {
        p.find(|r| r.id == id && r.status == Status::Waiting)
            .is_some()
    })
    .await;
    p.press('A');
    p.until("the dialog", |p| p.app.state.github.review_form.is_some())
        .await;
    typed(&mut p, "go");
    p.key(KeyCode::Enter);
    p.press('y');
    p.until("queued again", |p| {
        p.find(|r| r.id == id && r.status == Status::Queued)
            .is_some()
    })
    .await;
    sim.advance(Duration::from_secs(60));
    p.until("running after the approval", |p| {
        p.find(|r| r.id == id && r.status == Status::InProgress)
            .is_some()
    })
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn read_only_refuses_before_any_request() {
    let sim = sim(Scenario::Empty, SimClock::Manual).await;
    let (mut p, _id) = waiting_run(&sim).await;
    p.app.state.settings.readonly = true;
    p.press('A');
    p.pump_for(Duration::from_millis(300)).await;
    assert!(p.app.state.github.review_form.is_none());
    assert!(p.app.state.confirm.is_none());
    assert_eq!(sim.counters().mutating_requests, 0);
    assert!(sim.reviews().is_empty());
    let refused = p
        .app
        .state
        .toasts
        .history()
        .any(|m| m.text.contains("read-only mode") && m.text.contains("deployment"));
    assert!(refused);
    assert!(
        p.app.state.github.review_wait.is_none(),
        "the pending deployments were never asked for"
    );
    sim.shutdown().await;
}
