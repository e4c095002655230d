//! What the node tests share (`nodes.rs`, `drain_wait.rs`): a pane with
//! `:no` open on a node, the node's STATUS cell, two pods a budget guards
//! on one node, the pods a drain must deal with, and starting a drain.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use kube::api::{Api, ListParams, Patch, PatchParams, PostParams};
use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::PodKey;
use opsdeck::core::kube_kind::Cell;
use opsdeck_sim::kube::{CONTEXT, KubeSim};
use serde_json::json;

use crate::harness::{Pane, WAIT, client, scope};

/// The STATUS cell of a node's row, as `kubectl get nodes` prints it.
pub fn status(p: &Pane, node: &str) -> Option<String> {
    let view = p.app.state.kube.kind.as_ref()?;
    let row = view.rows.get(&PodKey::new(CONTEXT, "", node))?;
    match row.cells.first()? {
        Cell::Text(t) => Some(t.clone()),
        _ => None,
    }
}

/// A pane on all namespaces with `:no` open and `node` selected.
pub async fn nodes_pane(sim: &KubeSim, node: &str) -> Pane {
    let mut p = Pane::start(sim, scope(&[], "*"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    p.open_kind_at("no", &PodKey::new(CONTEXT, "", node)).await;
    p
}

/// Cordons the other workers, runs a 2-replica `drainme` deployment in
/// `default` (so both pods land on worker-a), uncordons worker-b (where
/// evicted pods go), and guards the pods with a budget of `min_available`.
pub async fn two_guarded_pods(sim: &KubeSim, min_available: i32) -> Vec<String> {
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
    let deadline = tokio::time::Instant::now() + WAIT;
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

/// Pods on `node` other than DaemonSets', terminating ones included: what
/// a drain evicts and then waits to be gone.
pub async fn pods_on(sim: &KubeSim, node: &str) -> Vec<Pod> {
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
        .collect()
}

/// `Drain` on the selected node, its dialog (once the pods are listed),
/// and `y`.
pub async fn confirm_drain(p: &mut Pane) {
    p.act(Action::Drain);
    p.until("drain dialog", |p| p.app.state.confirm.is_some())
        .await;
    p.key(KeyCode::Char('y'));
}
