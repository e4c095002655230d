//! Node actions on `:no` through the real kube client against the
//! simulator: cordon and uncordon round trip, a drain that evicts through
//! the Eviction API and waits out a PodDisruptionBudget, one that a budget
//! holds back past its time, and `--readonly` refusing them all.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::PodKey;
use opsdeck::core::kube_kind::Cell;
use opsdeck_sim::kube::{CONTEXT, KubeSim, Scenario};
use serde_json::json;

use crate::harness::{Pane, scope};

pub(crate) async fn client(sim: &KubeSim) -> kube::Client {
    let kc = kube::config::Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).expect("yaml");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// The STATUS cell of a node's row, as `kubectl get nodes` prints it.
pub(crate) fn status(p: &Pane, node: &str) -> Option<String> {
    let view = p.app.state.kube.kind.as_ref()?;
    let row = view.rows.get(&PodKey::new(CONTEXT, "", node))?;
    match row.cells.first()? {
        Cell::Text(t) => Some(t.clone()),
        _ => None,
    }
}

/// A pane on all namespaces with `:no` open and `node` selected.
pub(crate) async fn nodes_pane(sim: &KubeSim, node: &str) -> Pane {
    let mut p = Pane::start(sim, scope(&[], "*"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    p.typed(":no");
    p.key(KeyCode::Enter);
    p.until("nodes listed", |p| status(p, node).is_some()).await;
    let view = p.app.state.kube.kind.as_mut().expect("view");
    assert!(view.list.select(&PodKey::new(CONTEXT, "", node)));
    p
}

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

/// Cordons the other workers, runs a 2-replica `drainme` deployment in
/// `default` (so both pods land on worker-a), uncordons worker-b (where
/// evicted pods go), and guards the pods with a budget of `min_available`.
pub(crate) async fn two_guarded_pods(sim: &KubeSim, min_available: i32) -> Vec<String> {
    let c = client(sim).await;
    let nodes: Api<Node> = Api::all(c.clone());
    let pp = PatchParams::default();
    for n in ["worker-b", "worker-c"] {
        let cordon = json!({"spec": {"unschedulable": true}});
        nodes
            .patch(n, &pp, &Patch::Merge(&cordon))
            .await
            .expect("cordon");
    }
    let deploy: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "drainme", "namespace": "default"},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "drainme"}},
            "template": {"metadata": {"labels": {"app": "drainme"}},
                "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}]}}}
    }))
    .expect("deployment");
    let deployments: Api<Deployment> = Api::namespaced(c.clone(), "default");
    deployments
        .create(&PostParams::default(), &deploy)
        .await
        .expect("create deployment");
    let pods: Api<Pod> = Api::namespaced(c.clone(), "default");
    let lp = ListParams::default().labels("app=drainme");
    let deadline = tokio::time::Instant::now() + crate::harness::WAIT;
    let names = loop {
        let list = pods.list(&lp).await.expect("pods");
        let ready: Vec<String> = list
            .items
            .iter()
            .filter(|p| {
                p.status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
            })
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("worker-a"))
            .filter_map(|p| p.metadata.name.clone())
            .collect();
        if ready.len() == 2 {
            break ready;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "drainme pods never ready"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let uncordon = json!({"spec": {"unschedulable": null}});
    nodes
        .patch("worker-b", &pp, &Patch::Merge(&uncordon))
        .await
        .expect("uncordon");
    let pdb: PodDisruptionBudget = serde_json::from_value(json!({
        "metadata": {"name": "drainme", "namespace": "default"},
        "spec": {"minAvailable": min_available, "selector": {"matchLabels": {"app": "drainme"}}}
    }))
    .expect("pdb");
    Api::<PodDisruptionBudget>::namespaced(c, "default")
        .create(&PostParams::default(), &pdb)
        .await
        .expect("create pdb");
    names
}

/// Pods on `node` a drain must evict: not a DaemonSet's, not a mirror.
async fn evictable_on(sim: &KubeSim, node: &str) -> Vec<String> {
    let pods: Api<Pod> = Api::all(client(sim).await);
    let lp = ListParams::default().fields(&format!("spec.nodeName={node}"));
    pods.list(&lp)
        .await
        .expect("pods")
        .items
        .into_iter()
        .filter(|p| {
            let owners = p.metadata.owner_references.clone().unwrap_or_default();
            !owners.iter().any(|o| o.kind == "DaemonSet")
        })
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
    p.act(Action::Drain);
    p.until("drain dialog", |p| p.app.state.confirm.is_some())
        .await;
    p.key(KeyCode::Char('y'));
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
