//! Finalizers on pods: a deleted pod stays, terminating, past its grace
//! period (and even with `gracePeriodSeconds: 0`) while a finalizer holds
//! it, and goes with the write that removes the last one.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use opsdeck_sim::kube::{KubeSim, Scenario};
use serde_json::json;

use crate::support::{client, eventually};

/// A pod a finalizer holds; `running`: once its container runs.
async fn held_pod(pods: &Api<Pod>, name: &str, running: bool) {
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": name, "finalizers": ["example.com/hold"]},
        "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}]}
    }))
    .expect("pod");
    pods.create(&PostParams::default(), &pod)
        .await
        .expect("create");
    if !running {
        return;
    }
    eventually("running", || async {
        let p = pods.get(name).await.ok()?;
        (p.status?.phase.as_deref() == Some("Running")).then_some(())
    })
    .await;
}

async fn release(pods: &Api<Pod>, name: &str) {
    let patch = json!({"metadata": {"finalizers": null}});
    pods.patch(name, &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("release");
}

#[tokio::test]
async fn a_finalizer_keeps_a_deleted_pod_until_it_is_removed() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "shop");
    held_pod(&pods, "held-graceful", true).await;
    // Deleted at once, likely before the kubelet ran it.
    held_pod(&pods, "held-now", false).await;
    pods.delete("held-graceful", &DeleteParams::default())
        .await
        .expect("delete");
    pods.delete("held-now", &DeleteParams::default().grace_period(0))
        .await
        .expect("delete now");
    // The simulator's grace period is at most 1 s: well past it, both stay.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    for name in ["held-graceful", "held-now"] {
        let pod = pods.get(name).await.expect("still there");
        assert!(pod.metadata.deletion_timestamp.is_some(), "{name}");
        release(&pods, name).await;
        eventually("gone once released", || async {
            pods.get_opt(name).await.ok()?.is_none().then_some(())
        })
        .await;
    }
}
