//! The events of one pod for the detail view, kept live by a watcher with
//! the field selector `involvedObject.name=POD` (kubectl describe's query).

use futures::StreamExt;
use k8s_openapi::api::core::v1::Event as K8sEvent;
use kube::Client;
use kube::api::Api;
use kube::runtime::watcher::{self, Event};
use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::kube::{PodEvent, PodKey};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::super::kit::{Backoff, Policy};
use super::convert::pod_event;
use super::errors::{is_gone, watch_error};

/// Events kept for the view; older ones are dropped.
const KEEP: usize = 50;

pub async fn watch(client: Client, request: StreamId, pod: PodKey, tx: mpsc::Sender<Msg>) {
    let api: Api<K8sEvent> = Api::namespaced(client, &pod.namespace);
    let config = watcher::Config::default().fields(&format!("involvedObject.name={}", pod.name));
    let mut stream = watcher::watcher(api, config).boxed();
    let mut all: Vec<(String, PodEvent)> = Vec::new();
    let mut listing: Option<Vec<(String, PodEvent)>> = None;
    let mut backoff = Backoff::new(Policy::STREAM);
    let uid = |e: &K8sEvent| e.metadata.name.clone().unwrap_or_default();
    while let Some(ev) = stream.next().await {
        match ev {
            Ok(Event::Init) => {
                listing = Some(Vec::new());
                continue;
            }
            Ok(Event::InitApply(e)) => {
                listing
                    .get_or_insert_default()
                    .push((uid(&e), pod_event(&e)));
                continue;
            }
            Ok(Event::InitDone) => all = listing.take().unwrap_or_default(),
            Ok(Event::Apply(e)) => {
                let id = uid(&e);
                all.retain(|(i, _)| *i != id);
                all.push((id, pod_event(&e)));
            }
            Ok(Event::Delete(e)) => {
                let id = uid(&e);
                all.retain(|(i, _)| *i != id);
            }
            Err(e) if is_gone(&e) => continue,
            Err(e) => {
                let msg = KubeEvent::PodEvents {
                    request,
                    result: Err(watch_error(&e)),
                };
                if tx.send(Msg::Kube(msg)).await.is_err() {
                    return;
                }
                tokio::time::sleep(backoff.next_wait()).await;
                continue;
            }
        }
        backoff.reset();
        all.sort_by_key(|a| a.1.last_seen);
        if all.len() > KEEP {
            all.drain(..all.len() - KEEP);
        }
        let list = all.iter().map(|(_, e)| e.clone()).collect();
        let msg = KubeEvent::PodEvents {
            request,
            result: Ok(list),
        };
        if tx.send(Msg::Kube(msg)).await.is_err() {
            return;
        }
    }
}
