//! Node actions on `:no` through the real kube client against the
//! simulator: cordon and uncordon round trip, a drain that evicts through
//! the Eviction API and waits out a PodDisruptionBudget, one that a budget
//! holds back past its time, and `--readonly` refusing them all.

use k8s_openapi::api::core::v1::{Node, Pod};
use kube::api::Api;
use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck_sim::kube::{KubeSim, Scenario};

use crate::harness::client;
use crate::node_setup::{confirm_drain, nodes_pane, pods_on, status, two_guarded_pods};

async fn unschedulable(nodes: &Api<Node>, name: &str) -> bool {
    let node = nodes.get(name).await.expect("node");
    node.spec.and_then(|s| s.unschedulable) == Some(true)
}

#[tokio::test]
async fn cordon_then_uncordon_round_trips_and_the_list_shows_it() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let nodes: Api<Node> = Api::all(client(&sim).await);
    let mut p = nodes_pane(&sim, "worker-a").await;
    assert_eq!(status(&p, "worker-a").as_deref(), Some("Ready"));
    p.act(Action::Cordon);
    let q = p.app.state.confirm.as_ref().expect("asks").question();
    assert!(q.starts_with("Cordon node worker-a"), "{q}");
    p.key(KeyCode::Enter);
    assert!(!unschedulable(&nodes, "worker-a").await, "Enter is no yes");
    p.key(KeyCode::Char('y'));
    p.until("cordoned on screen", |p| {
        status(p, "worker-a").as_deref() == Some("Ready,SchedulingDisabled")
    })
    .await;
    assert!(unschedulable(&nodes, "worker-a").await);
    p.act(Action::Uncordon);
    p.key(KeyCode::Char('y'));
    p.until("uncordoned on screen", |p| {
        status(p, "worker-a").as_deref() == Some("Ready")
    })
    .await;
    assert!(!unschedulable(&nodes, "worker-a").await);
    let verbs: Vec<&str> = p.op_results.iter().map(|(v, _)| v.as_str()).collect();
    assert_eq!(verbs, ["cordon", "uncordon"], "{:?}", p.op_results);
    assert!(p.op_results.iter().all(|(_, r)| r.is_ok()));
}

/// Pods on `node` a drain must evict: not a DaemonSet's, not a mirror,
/// not already terminating.
async fn evictable_on(sim: &KubeSim, node: &str) -> Vec<String> {
    pods_on(sim, node)
        .await
        .into_iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter_map(|p| p.metadata.name)
        .collect()
}

#[tokio::test]
async fn drain_evicts_every_pod_one_budget_at_a_time() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let guarded = two_guarded_pods(&sim, 1).await;
    let expected = evictable_on(&sim, "worker-a").await;
    let mut p = nodes_pane(&sim, "worker-a").await;
    p.act(Action::Drain);
    assert!(p.app.state.confirm.is_none(), "the pods are listed first");
    p.until("drain dialog", |p| p.app.state.confirm.is_some())
        .await;
    let q = p.app.state.confirm.as_ref().expect("dialog").question();
    assert!(q.starts_with("Drain node worker-a"), "{q}");
    assert!(
        q.contains(&format!("evict {} pods", expected.len())),
        "{q} ({expected:?})"
    );
    p.key(KeyCode::Char('y'));
    p.until("drain done", |p| !p.op_results.is_empty()).await;
    let (verb, result) = &p.op_results[0];
    assert_eq!(verb, "drain");
    assert!(result.is_ok(), "{result:?} after {:?}", p.drain_progress);
    // With minAvailable 1 the second pod had to wait for the first's
    // replacement: the budget held it back at least once.
    assert!(
        p.drain_progress
            .iter()
            .any(|t| t.contains("held by a PodDisruptionBudget")),
        "{:?}",
        p.drain_progress
    );
    assert!(evictable_on(&sim, "worker-a").await.is_empty());
    // Both guarded pods went (they are terminating or gone), one at a time.
    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "default");
    for g in &guarded {
        if let Some(pod) = pods.get_opt(g).await.expect("get") {
            assert!(pod.metadata.deletion_timestamp.is_some(), "{g} evicted");
        }
    }
    p.until("cordoned on screen", |p| {
        status(p, "worker-a").as_deref() == Some("Ready,SchedulingDisabled")
    })
    .await;
}

#[tokio::test]
async fn a_budget_that_never_allows_it_is_named_when_time_is_up() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let guarded = two_guarded_pods(&sim, 2).await;
    let mut p = nodes_pane(&sim, "worker-a").await;
    p.app.state.kube.nodes.drain_timeout_secs = 2;
    confirm_drain(&mut p).await;
    p.until("drain done", |p| !p.op_results.is_empty()).await;
    let error = p.op_results[0].1.clone().expect_err("held back");
    assert!(
        error.contains("2 pods could not be evicted within 2 s"),
        "{error}"
    );
    assert!(error.contains("PodDisruptionBudget"), "{error}");
    for pod in &guarded {
        assert!(error.contains(&format!("default/{pod}")), "{error}");
        assert!(sim.pod_names("default").contains(pod), "{pod} kept");
    }
    assert!(error.ends_with("the node stays cordoned"), "{error}");
    let toast = p.app.state.toasts.visible().last().expect("toast");
    assert!(
        toast.text.starts_with("drain node worker-a failed"),
        "{}",
        toast.text
    );
}

#[tokio::test]
async fn readonly_refuses_cordon_and_drain_before_any_request() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = nodes_pane(&sim, "worker-a").await;
    p.app.state.settings.readonly = true;
    let before = sim.mutating_requests();
    for action in [Action::Cordon, Action::Drain] {
        p.act(action);
        assert!(p.app.state.confirm.is_none(), "{action:?}: no dialog");
        p.key(KeyCode::Char('y'));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    p.drain().await;
    assert_eq!(sim.mutating_requests(), before, "nothing sent");
    assert_eq!(status(&p, "worker-a").as_deref(), Some("Ready"));
    let refused = p
        .app
        .state
        .toasts
        .visible()
        .iter()
        .filter(|t| t.text.starts_with("read-only mode"))
        .count();
    assert!(refused >= 1, "{:?}", p.app.state.toasts.visible());
}
