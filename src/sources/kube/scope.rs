//! What one context's watch covers. All namespaces is one watch at the
//! cluster scope; a chosen set (`:ns a,b,c`) is one watch per namespace,
//! merged in the pane. A user whose RBAC only grants some namespaces (a
//! RoleBinding, no ClusterRoleBinding) gets 403 for all namespaces, with
//! the authorizer's "cannot list resource \"pods\" ... at the cluster
//! scope". Then the context is watched in the namespaces the user may
//! list: the configured ones, else the kubeconfig context's own namespace.

use kube::Client;
use tokio::sync::mpsc;

use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::super::kit::AbortOnDrop;
use super::watch::{Ended, Narrowing, pods};

/// Which namespaces one context shows, and how its pods are narrowed.
pub struct Covered {
    /// None: all namespaces (or the set).
    pub namespace: Option<String>,
    /// A chosen set of namespaces, watched one by one.
    pub set: Vec<String>,
    /// The namespaces to watch when all are forbidden (empty: the
    /// context's own namespace).
    pub fallback: Vec<String>,
    pub selector: Option<String>,
}

/// Watches one context until the task is aborted or the app quits.
pub async fn context(
    client: Client,
    context: String,
    covered: Covered,
    target: String,
    tx: mpsc::Sender<Msg>,
) {
    let Covered {
        namespace,
        set,
        fallback,
        selector,
    } = covered;
    let namespaces = if set.is_empty() {
        let whole = Narrowing {
            partial: false,
            selector: selector.clone(),
        };
        let ended = pods(
            client.clone(),
            context.clone(),
            namespace.clone(),
            whole,
            target.clone(),
            tx.clone(),
        )
        .await;
        let reason = match ended {
            Ended::Done => return,
            Ended::SelectorRejected(message) => {
                rejected(&tx, &context, selector.as_deref(), &message).await;
                return;
            }
            Ended::ForbiddenAtClusterScope(reason) => reason,
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
        namespaces
    } else {
        set
    };
    let _parts: Vec<AbortOnDrop> = namespaces
        .into_iter()
        .map(|ns| {
            let narrowing = Narrowing {
                partial: true,
                selector: selector.clone(),
            };
            let part = pods(
                client.clone(),
                context.clone(),
                Some(ns),
                narrowing,
                target.clone(),
                tx.clone(),
            );
            let (tx, context, selector) = (tx.clone(), context.clone(), selector.clone());
            AbortOnDrop::spawn(async move {
                if let Ended::SelectorRejected(message) = part.await {
                    rejected(&tx, &context, selector.as_deref(), &message).await;
                }
            })
        })
        .collect();
    // The parts run until this task is aborted (scope change, quit).
    std::future::pending::<()>().await;
}

async fn rejected(tx: &mpsc::Sender<Msg>, context: &str, selector: Option<&str>, message: &str) {
    let error = super::selector::words(selector.unwrap_or_default(), message);
    tracing::info!(%context, %error, "label selector refused");
    let ev = KubeEvent::SelectorRejected {
        context: context.to_string(),
        error,
    };
    let _ = tx.send(Msg::Kube(ev)).await;
}
