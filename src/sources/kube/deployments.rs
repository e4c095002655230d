//! Deployments for the Deployments view, kept live by kube-runtime's
//! watcher (list once, then watch from its resourceVersion; the watcher
//! re-lists by itself after 410 Gone). Started when the view opens and
//! aborted when it closes. The client's type stops at this file.

use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use kube::Client;
use kube::api::Api;
use kube::runtime::watcher::{self, Event};
use tokio::sync::mpsc;

use crate::core::ids::StreamId;
use crate::core::kube::PodKey;
use crate::core::kube_deploy::{DeployEvent, DeployKey, DeployRow};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::super::kit::{Backoff, Policy};
use super::convert::time;
use super::errors::{is_gone, watch_error};

fn count(n: Option<i32>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

/// The row `kubectl get deployments` prints for `d`.
pub fn row(d: &Deployment, context: &str) -> Option<DeployRow> {
    let key = key(d, context)?;
    let status = d.status.as_ref();
    Some(DeployRow {
        key,
        // An unset `spec.replicas` defaults to 1 on the server.
        desired: count(Some(d.spec.replicas.unwrap_or(1))),
        ready: count(status.and_then(|s| s.ready_replicas)),
        updated: count(status.and_then(|s| s.updated_replicas)),
        available: count(status.and_then(|s| s.available_replicas)),
        created: d.metadata.creation_timestamp.as_ref().map(time),
    })
}

fn key(d: &Deployment, context: &str) -> Option<DeployKey> {
    let name = d.metadata.name.as_deref()?;
    let ns = d.metadata.namespace.as_deref().unwrap_or("default");
    Some(PodKey::new(context, ns, name))
}

/// Watches one context's (or namespace's) deployments until aborted.
pub async fn watch(
    client: Client,
    request: StreamId,
    context: String,
    namespace: Option<String>,
    tx: mpsc::Sender<Msg>,
) {
    let api: Api<Deployment> = match &namespace {
        Some(ns) => Api::namespaced(client, ns),
        None => Api::all(client),
    };
    let mut stream = watcher::watcher(api, watcher::Config::default()).boxed();
    let mut listing: Option<Vec<DeployRow>> = None;
    let mut backoff = Backoff::new(Policy::RECONNECT);
    let send = |event| tx.send(Msg::Kube(KubeEvent::Deployments { request, event }));
    while let Some(ev) = stream.next().await {
        let event = match ev {
            Ok(Event::Init) => {
                listing = Some(Vec::new());
                continue;
            }
            Ok(Event::InitApply(d)) => {
                listing.get_or_insert_default().extend(row(&d, &context));
                continue;
            }
            Ok(Event::InitDone) => DeployEvent::Snapshot {
                context: context.clone(),
                namespace: namespace.clone(),
                rows: listing.take().unwrap_or_default(),
            },
            Ok(Event::Apply(d)) => DeployEvent::Changes {
                upserts: row(&d, &context).into_iter().collect(),
                deleted: Vec::new(),
            },
            Ok(Event::Delete(d)) => DeployEvent::Changes {
                upserts: Vec::new(),
                deleted: key(&d, &context).into_iter().collect(),
            },
            Err(e) if is_gone(&e) => continue,
            Err(e) => {
                let error = watch_error(&e);
                tracing::debug!(%context, %error, "deployment watch failed");
                let event = DeployEvent::Failed {
                    context: context.clone(),
                    error,
                };
                if send(event).await.is_err() {
                    return;
                }
                tokio::time::sleep(backoff.next_wait()).await;
                continue;
            }
        };
        backoff.reset();
        if send(event).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_read_spec_and_status_like_kubectl() {
        let d: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "namespace": "shop",
                         "creationTimestamp": "2026-01-01T00:00:00Z"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                     "template": {}},
            "status": {"replicas": 3, "readyReplicas": 2, "updatedReplicas": 1,
                       "availableReplicas": 2}
        }))
        .unwrap();
        let r = row(&d, "ctx").unwrap();
        assert_eq!(r.ready_text(), "2/3");
        assert_eq!((r.updated, r.available), (1, 2));
        // A new deployment has no status yet: 0 of its replicas.
        let d: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "new", "namespace": "shop"},
            "spec": {"selector": {}, "template": {}}
        }))
        .unwrap();
        assert_eq!(row(&d, "ctx").unwrap().ready_text(), "0/1");
    }
}
