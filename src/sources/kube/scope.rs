//! What one context's watch covers. All namespaces is one watch at the
//! cluster scope; a user whose RBAC only grants some namespaces (a
//! RoleBinding, no ClusterRoleBinding) gets 403 for it, with the
//! authorizer's "cannot list resource \"pods\" ... at the cluster scope".
//! Then the context is watched in the namespaces the user may list: the
//! configured ones, else the kubeconfig context's own namespace.

use kube::Client;
use tokio::sync::mpsc;

use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::super::kit::AbortOnDrop;
use super::watch::{Ended, pods};

/// Watches one context until the task is aborted or the app quits.
/// `namespace` None is all namespaces; `fallback` the namespaces to watch
/// when that is forbidden (empty: the context's own namespace).
pub async fn context(
    client: Client,
    context: String,
    namespace: Option<String>,
    fallback: Vec<String>,
    target: String,
    tx: mpsc::Sender<Msg>,
) {
    let whole = pods(
        client.clone(),
        context.clone(),
        namespace.clone(),
        false,
        target.clone(),
        tx.clone(),
    )
    .await;
    let Ended::ForbiddenAtClusterScope(reason) = whole else {
        return;
    };
    let namespaces = if fallback.is_empty() {
        vec![client.default_namespace().to_string()]
    } else {
        fallback
    };
    tracing::info!(%context, ?namespaces, %reason, "pods forbidden at the cluster scope; watching namespaces");
    let narrowed = KubeEvent::ScopeNarrowed {
        context: context.clone(),
        namespaces: namespaces.clone(),
        reason,
    };
    if tx.send(Msg::Kube(narrowed)).await.is_err() {
        return;
    }
    let _parts: Vec<AbortOnDrop> = namespaces
        .into_iter()
        .map(|ns| {
            let part = pods(
                client.clone(),
                context.clone(),
                Some(ns),
                true,
                target.clone(),
                tx.clone(),
            );
            AbortOnDrop::spawn(async move {
                let _ = part.await;
            })
        })
        .collect();
    // The parts run until this task is aborted (scope change, quit).
    std::future::pending::<()>().await;
}
