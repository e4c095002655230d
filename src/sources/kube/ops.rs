//! Mutations: delete a pod, rollout-restart a workload (the same
//! `restartedAt` annotation patch kubectl sends), scale a deployment or
//! statefulset.

use k8s_openapi::api::core::v1::Pod;
use kube::Client;
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};
use serde_json::json;

use crate::core::kube::{KubeOp, OwnerRef};

use super::errors::plain_error;

/// kubectl's field manager name for `rollout restart`, so server-side
/// field ownership reads the same as if kubectl had done it.
const FIELD_MANAGER: &str = "kubectl-rollout";

/// Runs `op`; a drain's progress goes to `tx` as it evicts.
pub async fn run(
    client: Client,
    context: &str,
    namespace: &str,
    op: &KubeOp,
    tx: &tokio::sync::mpsc::Sender<crate::core::msg::Msg>,
) -> Result<(), String> {
    let err = |e: kube::Error| plain_error(&e);
    match op {
        KubeOp::Cordon { node, on } => super::nodes::cordon(client, node, *on).await,
        KubeOp::Drain { node, timeout_secs } => {
            let timeout = std::time::Duration::from_secs(*timeout_secs);
            super::nodes::drain(client, context, node, timeout, tx).await
        }
        KubeOp::DeletePod { name } => {
            let api: Api<Pod> = Api::namespaced(client, namespace);
            api.delete(name, &DeleteParams::default())
                .await
                .map(|_| ())
                .map_err(err)
        }
        KubeOp::RolloutRestart { owner } => {
            let patch = restart_patch(chrono::Utc::now());
            let pp = PatchParams {
                field_manager: Some(FIELD_MANAGER.into()),
                ..Default::default()
            };
            let api = workload_api(client, namespace, owner)?;
            api.patch(&owner.name, &pp, &Patch::Strategic(&patch))
                .await
                .map(|_| ())
                .map_err(err)
        }
        KubeOp::Scale { owner, replicas } => {
            // `kubectl scale` sends the same merge patch to the `scale` subresource.
            let patch = json!({ "spec": { "replicas": replicas } });
            let api = workload_api(client, namespace, owner)?;
            api.patch_scale(&owner.name, &PatchParams::default(), &Patch::Merge(&patch))
                .await
                .map(|_| ())
                .map_err(err)
        }
    }
}

/// The API of `owner`'s kind, from the kinds table (which kinds may be
/// restarted or scaled is the core's `KindSpec::actions`).
fn workload_api(
    client: Client,
    namespace: &str,
    owner: &OwnerRef,
) -> Result<Api<DynamicObject>, String> {
    match super::kinds::api_resource(&owner.kind) {
        Some((resource, true)) => Ok(Api::namespaced_with(client, namespace, &resource)),
        _ => Err(format!("{owner}: no workload of that kind here")),
    }
}

/// `spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"]`
/// set to now: a new pod template, so the controller rolls every pod.
pub fn restart_patch(now: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
    json!({"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    }}}}})
}
