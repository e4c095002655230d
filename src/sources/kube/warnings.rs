//! The Warning events of a context, watched for as long as its pods are,
//! so the Overview sees a FailedScheduling or a node's NotReady without
//! `:ev` open. The server filters them: core/v1 events support the field
//! selector `type` (the API reference lists `type` among Event's
//! selectable fields), so a busy cluster's Normal events never travel.

use futures::StreamExt;
use k8s_openapi::api::core::v1::Event as K8sEvent;
use kube::Client;
use kube::api::Api;
use kube::runtime::watcher::{self, Event};
use tokio::sync::mpsc;

use crate::core::kube_msg::KubeEvent;
use crate::core::kube_warnings::WarningEvent;
use crate::core::msg::Msg;

use super::super::kit::{Backoff, Policy, wait_unless_ready};
use super::errors::{is_gone, watch_error};
use super::kinds::events::last_seen;
use super::watch::ready;

/// Watches the context's (or one namespace's) Warning events; `partial`
/// when the context is watched namespace by namespace, so one namespace's
/// list does not replace the others'.
pub async fn watch(
    client: Client,
    context: String,
    namespace: Option<String>,
    partial: bool,
    tx: mpsc::Sender<Msg>,
) {
    let api: Api<K8sEvent> = match &namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let config = watcher::Config::default().fields("type=Warning");
    let mut stream = watcher::watcher(api, config).boxed();
    let mut listing: Option<Vec<WarningEvent>> = None;
    let mut backoff = Backoff::new(Policy::RECONNECT);
    let changes = |upserts, deleted| KubeEvent::Warnings {
        context: context.clone(),
        full: false,
        upserts,
        deleted,
    };
    while let Some(ev) = stream.next().await {
        let msg = match ev {
            Ok(Event::Init) => {
                listing = Some(Vec::new());
                continue;
            }
            Ok(Event::InitApply(e)) => {
                listing.get_or_insert_default().extend(warning(&e));
                continue;
            }
            Ok(Event::InitDone) => KubeEvent::Warnings {
                context: context.clone(),
                full: !partial,
                upserts: listing.take().unwrap_or_default(),
                deleted: Vec::new(),
            },
            Ok(Event::Apply(e)) => changes(warning(&e).into_iter().collect(), Vec::new()),
            Ok(Event::Delete(e)) => {
                let ns = e.metadata.namespace.clone().unwrap_or_default();
                let name = e.metadata.name.clone().unwrap_or_default();
                changes(Vec::new(), vec![(ns, name)])
            }
            Err(e) => {
                // The pods' watcher reports the context's health; this one
                // only waits for the server to come back.
                if !is_gone(&e) {
                    tracing::debug!(%context, error = %watch_error(&e), "warning events watch failed");
                    wait_unless_ready(backoff.next_wait(), || ready(&client)).await;
                }
                continue;
            }
        };
        backoff.reset();
        if tx.send(Msg::Kube(msg)).await.is_err() {
            return;
        }
    }
}

/// The event as the Overview needs it; None for one without a name (the
/// server always names them; a stranger's API might not).
fn warning(e: &K8sEvent) -> Option<WarningEvent> {
    let o = &e.involved_object;
    Some(WarningEvent {
        namespace: e.metadata.namespace.clone().unwrap_or_default(),
        name: e.metadata.name.clone()?,
        object_kind: o.kind.clone().unwrap_or_default(),
        object_namespace: o.namespace.clone().unwrap_or_default(),
        object_name: o.name.clone().unwrap_or_default(),
        reason: e.reason.clone().unwrap_or_default(),
        message: e.message.clone().unwrap_or_default(),
        count: e
            .series
            .as_ref()
            .and_then(|s| s.count)
            .or(e.count)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(1),
        last_seen: last_seen(e),
    })
}
