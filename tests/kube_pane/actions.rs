//! Each action does what it says, through its confirmation; `--readonly`
//! refuses; a dangerous context needs its name typed; RBAC errors in words.

use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck_sim::kube::{KubeSim, PROD_CONTEXT, Scenario, Verb};

use crate::harness::{Pane, scope};

#[tokio::test]
async fn delete_pod_asks_first_then_the_pod_is_replaced() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let hello = p
        .live("default", "hello-")
        .first()
        .expect("hello")
        .key
        .clone();
    p.select(&hello);
    p.act(Action::DeletePod);
    let confirm = p.app.state.confirm.clone().expect("asks first");
    assert!(
        confirm.question().contains(&*hello.name),
        "{}",
        confirm.question()
    );
    assert!(confirm.required.is_none(), "not a dangerous context");
    p.key(KeyCode::Char('y'));
    p.until("result", |p| !p.op_results.is_empty()).await;
    assert!(
        matches!(&p.op_results[0], (verb, Ok(())) if verb == "delete"),
        "{:?}",
        p.op_results
    );
    p.until("replaced", |p| {
        p.pod("default", &hello.name).is_none() && p.live("default", "hello-").len() == 1
    })
    .await;
}

#[tokio::test]
async fn rollout_restart_replaces_every_pod_of_the_deployment() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("pods and owners", |p| {
        p.app.state.kube.all_loaded() && !p.app.state.kube.rs_owners.is_empty()
    })
    .await;
    let old: Vec<String> = p
        .live("shop", "web-")
        .iter()
        .map(|r| r.key.name.to_string())
        .collect();
    let first = p.live("shop", "web-").first().expect("web").key.clone();
    p.select(&first);
    p.act(Action::RolloutRestart);
    let q = p.app.state.confirm.as_ref().expect("asks").question();
    assert!(q.starts_with("Rollout restart deployment shop/web"), "{q}");
    // Destructive: Enter alone is not a yes.
    p.key(KeyCode::Enter);
    assert!(
        p.app.state.confirm.is_some(),
        "Enter does not roll the pods"
    );
    p.key(KeyCode::Char('y'));
    p.until("result", |p| !p.op_results.is_empty()).await;
    assert!(p.op_results[0].1.is_ok(), "{:?}", p.op_results);
    p.until("three new web pods, no old ones", |p| {
        let now: Vec<String> = p
            .live("shop", "web-")
            .iter()
            .map(|r| r.key.name.to_string())
            .collect();
        now.len() == 3
            && now.iter().all(|n| !old.contains(n))
            && p.live("shop", "web-").iter().all(|r| r.status == "Running")
    })
    .await;
}

#[tokio::test]
async fn scale_takes_a_number_then_confirms() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("pods and owners", |p| {
        p.app.state.kube.all_loaded() && !p.app.state.kube.rs_owners.is_empty()
    })
    .await;
    let hello = p
        .live("default", "hello-")
        .first()
        .expect("hello")
        .key
        .clone();
    p.select(&hello);
    p.act(Action::Scale);
    assert_eq!(
        p.app.state.input.as_ref().map(|i| i.text.as_str()),
        Some("1")
    );
    p.key(KeyCode::Backspace);
    p.typed("x");
    p.key(KeyCode::Enter);
    assert!(p.app.state.confirm.is_none(), "not a number: no dialog");
    p.act(Action::Scale);
    p.key(KeyCode::Backspace);
    p.typed("3");
    p.key(KeyCode::Enter);
    let q = p.app.state.confirm.as_ref().expect("asks").question();
    assert!(q.contains("default/hello from 1 to 3 replicas"), "{q}");
    p.key(KeyCode::Char('y'));
    p.until("three hello pods", |p| {
        p.live("default", "hello-").len() == 3
    })
    .await;
    assert!(matches!(&p.op_results[0], (verb, Ok(())) if verb == "scale"));
}

#[tokio::test]
async fn readonly_refuses_and_a_dangerous_context_wants_its_name_typed() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[PROD_CONTEXT], ""));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    assert!(p.app.state.kube.is_danger(PROD_CONTEXT));
    let pod = p.pods().first().expect("a payments pod").key.clone();
    assert_eq!(&*pod.namespace, "payments", "the context's own namespace");
    p.select(&pod);

    p.app.state.settings.readonly = true;
    p.act(Action::DeletePod);
    assert!(p.app.state.confirm.is_none(), "read-only: no dialog");
    p.app.state.settings.readonly = false;

    p.act(Action::DeletePod);
    assert_eq!(
        p.app
            .state
            .confirm
            .as_ref()
            .and_then(|c| c.required.as_deref()),
        Some(PROD_CONTEXT)
    );
    p.key(KeyCode::Char('y'));
    p.key(KeyCode::Enter);
    assert!(p.app.state.confirm.is_some(), "y is not enough here");
    p.key(KeyCode::Backspace);
    p.typed(PROD_CONTEXT);
    p.key(KeyCode::Enter);
    assert!(p.app.state.confirm.is_none());
    p.until("result", |p| !p.op_results.is_empty()).await;
    assert!(p.op_results[0].1.is_ok(), "{:?}", p.op_results);
}

#[tokio::test]
async fn a_forbidden_delete_reads_as_rbac_in_the_toast_and_journal() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    sim.deny(Some("default"), Verb::Delete);
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let hello = p
        .live("default", "hello-")
        .first()
        .expect("hello")
        .key
        .clone();
    p.select(&hello);
    p.act(Action::DeletePod);
    p.key(KeyCode::Char('y'));
    p.until("result", |p| !p.op_results.is_empty()).await;
    let err = p.op_results[0].1.clone().expect_err("denied");
    assert!(err.starts_with("forbidden (403): RBAC"), "{err}");
    assert!(
        p.pod("default", &hello.name).is_some(),
        "the pod is untouched"
    );
}
