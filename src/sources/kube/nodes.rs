//! Node actions through the API, as kubectl does them: cordon and uncordon
//! patch `spec.unschedulable`; drain cordons, lists the node's pods
//! (`spec.nodeName=NODE` in every namespace), leaves DaemonSet pods and
//! static pods' mirrors alone (kubectl drain `--ignore-daemonsets`; a
//! mirror cannot be evicted), and evicts the rest through the policy/v1
//! Eviction subresource, so PodDisruptionBudgets hold. The API answers
//! 429 while a budget allows no disruption
//! (https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/):
//! those pods are tried again with a back-off until the time given, then
//! named in the result. An accepted eviction only starts a graceful
//! delete: the drain is done when the evicted pods are gone
//! (`drain_wait`, as kubectl's `waitForDelete`), within the same time.

use std::time::Duration;

use k8s_openapi::api::core::v1::{Node, Pod};
use kube::Client;
use kube::api::{Api, EvictParams, ListParams, Patch, PatchParams};
use serde_json::json;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::core::kube_msg::KubeEvent;
use crate::core::kube_node::DrainPlan;
use crate::core::msg::Msg;

use super::drain_wait::{self, Evicted};
use super::errors::plain_error;

/// The annotation the kubelet puts on a static pod's mirror.
const MIRROR: &str = "kubernetes.io/config.mirror";
/// First wait before evictions refused by a budget are tried again; it
/// doubles up to [`MAX_RETRY`] (kubectl waits 5 s between tries).
const FIRST_RETRY: Duration = Duration::from_millis(500);
const MAX_RETRY: Duration = Duration::from_secs(5);

/// Sets or clears `spec.unschedulable` with the strategic merge patch
/// kubectl cordon sends (uncordon sends null, which removes the field).
pub async fn cordon(client: Client, node: &str, on: bool) -> Result<(), String> {
    let value = if on { json!(true) } else { json!(null) };
    let patch = json!({ "spec": { "unschedulable": value } });
    Api::<Node>::all(client)
        .patch(node, &PatchParams::default(), &Patch::Strategic(&patch))
        .await
        .map(|_| ())
        .map_err(|e| plain_error(&e))
}

fn is_daemonset_pod(pod: &Pod) -> bool {
    pod.metadata
        .owner_references
        .iter()
        .flatten()
        .any(|o| o.controller == Some(true) && o.kind == "DaemonSet")
}

fn has_controller(pod: &Pod) -> bool {
    pod.metadata
        .owner_references
        .iter()
        .flatten()
        .any(|o| o.controller == Some(true))
}

fn is_mirror(pod: &Pod) -> bool {
    pod.metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(MIRROR))
}

/// Sorts the node's pods into what a drain evicts and what it leaves.
pub fn plan_of(pods: &[Pod]) -> DrainPlan {
    let mut plan = DrainPlan::default();
    for pod in pods {
        let (Some(ns), Some(name)) = (&pod.metadata.namespace, &pod.metadata.name) else {
            continue;
        };
        // Already being deleted: it leaves whatever the drain does, and
        // counting it would name more pods than the drain touches.
        if pod.metadata.deletion_timestamp.is_some() {
            continue;
        }
        if is_mirror(pod) {
            plan.mirror += 1;
        } else if is_daemonset_pod(pod) {
            plan.daemonset += 1;
        } else {
            if !has_controller(pod) {
                plan.unmanaged += 1;
            }
            plan.evict.push(format!("{ns}/{name}"));
        }
    }
    plan.evict.sort();
    plan
}

async fn pods_on(client: Client, node: &str) -> Result<Vec<Pod>, String> {
    let lp = ListParams::default().fields(&format!("spec.nodeName={node}"));
    let pods = Api::<Pod>::all(client)
        .list(&lp)
        .await
        .map_err(|e| plain_error(&e))?;
    Ok(pods.items)
}

/// The pods on `node`, in every namespace, sorted as a drain treats them.
pub async fn plan(client: Client, node: &str) -> Result<DrainPlan, String> {
    Ok(plan_of(&pods_on(client, node).await?))
}

/// The UID each listed pod had, to tell it from a later pod of its name.
fn uid_of(pods: &[Pod], pod: &str) -> String {
    pods.iter()
        .find(|p| {
            let (ns, name) = (&p.metadata.namespace, &p.metadata.name);
            ns.as_deref().zip(name.as_deref()) == pod.split_once('/')
        })
        .and_then(|p| p.metadata.uid.clone())
        .unwrap_or_default()
}

/// Why one eviction did not happen.
enum Refused {
    /// 429: a PodDisruptionBudget allows no disruption now; try again.
    Budget,
    /// Anything else, in plain words: not retried.
    Other(String),
}

async fn evict(client: &Client, pod: &str) -> Result<(), Refused> {
    let (ns, name) = pod.split_once('/').unwrap_or(("default", pod));
    let api: Api<Pod> = Api::namespaced(client.clone(), ns);
    match api.evict(name, &EvictParams::default()).await {
        Ok(_) => Ok(()),
        // Gone already: nothing left to evict.
        Err(kube::Error::Api(e)) if e.code == 404 => Ok(()),
        Err(kube::Error::Api(e)) if e.code == 429 => Err(Refused::Budget),
        Err(e) => Err(Refused::Other(plain_error(&e))),
    }
}

/// Cordons `node`, then evicts its pods; budget refusals are retried
/// until `timeout`. Progress goes to the pane as it happens.
pub async fn drain(
    client: Client,
    context: &str,
    node: &str,
    timeout: Duration,
    tx: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    let progress = move |text: String| {
        let ev = KubeEvent::DrainProgress {
            context: context.to_string(),
            node: node.to_string(),
            text,
        };
        tx.send(Msg::Kube(ev))
    };
    cordon(client.clone(), node, true).await?;
    let pods = pods_on(client.clone(), node).await?;
    let plan = plan_of(&pods);
    let total = plan.evict.len();
    let _ = progress(format!("cordoned; evicting {total} pods")).await;
    let deadline = Instant::now() + timeout;
    let mut waiting = plan.evict;
    let mut failed: Vec<String> = Vec::new();
    let mut evicted: Vec<Evicted> = Vec::new();
    let mut retry = FIRST_RETRY;
    loop {
        let mut still = Vec::new();
        for pod in waiting {
            match evict(&client, &pod).await {
                Ok(()) => evicted.push(Evicted {
                    uid: uid_of(&pods, &pod),
                    pod,
                }),
                Err(Refused::Budget) => still.push(pod),
                Err(Refused::Other(why)) => failed.push(format!("{pod} ({why})")),
            }
        }
        waiting = still;
        let done = total - waiting.len() - failed.len();
        let mut text = format!("{done} of {total} pods evicted");
        if !waiting.is_empty() {
            text.push_str(&format!(
                "; {} held by a PodDisruptionBudget, trying again",
                waiting.len()
            ));
        }
        let _ = progress(text).await;
        if waiting.is_empty() || Instant::now() + retry > deadline {
            break;
        }
        tokio::time::sleep(retry).await;
        retry = (retry * 2).min(MAX_RETRY);
    }
    let stayed = drain_wait::wait_gone(&client, evicted, deadline, &progress).await;
    let mut reasons = Vec::new();
    if !stayed.is_empty() {
        reasons.push(drain_wait::stayed_text(&stayed, timeout));
    }
    if !waiting.is_empty() {
        reasons.push(format!(
            "{} could not be evicted within {} s because a PodDisruptionBudget allows no \
             disruption: {}",
            plural_pods(waiting.len()),
            timeout.as_secs(),
            waiting.join(", ")
        ));
    }
    if !failed.is_empty() {
        reasons.push(format!(
            "{} could not be evicted: {}",
            plural_pods(failed.len()),
            failed.join(", ")
        ));
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(format!("{}; the node stays cordoned", reasons.join("; ")))
    }
}

fn plural_pods(n: usize) -> String {
    if n == 1 {
        "1 pod".into()
    } else {
        format!("{n} pods")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    fn pod(name: &str, owner: Option<&str>, mirror: bool) -> Pod {
        let owner_references = owner.map(|kind| {
            vec![OwnerReference {
                kind: kind.into(),
                name: "x".into(),
                controller: Some(true),
                ..OwnerReference::default()
            }]
        });
        let annotations = mirror.then(|| {
            [(MIRROR.to_string(), "abc".to_string())]
                .into_iter()
                .collect()
        });
        Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                namespace: Some("shop".into()),
                owner_references,
                annotations,
                ..ObjectMeta::default()
            },
            ..Pod::default()
        }
    }

    #[test]
    fn daemonset_and_mirror_pods_stay_the_rest_is_evicted() {
        let pods = [
            pod("web-1", Some("ReplicaSet"), false),
            pod("exporter-x", Some("DaemonSet"), false),
            pod("etcd-node", None, true),
            pod("bare", None, false),
            Pod {
                metadata: ObjectMeta {
                    deletion_timestamp: Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
                        Default::default(),
                    )),
                    ..pod("leaving", Some("ReplicaSet"), false).metadata
                },
                ..Pod::default()
            },
        ];
        let plan = plan_of(&pods);
        assert_eq!(plan.evict, ["shop/bare", "shop/web-1"]);
        assert_eq!((plan.daemonset, plan.mirror, plan.unmanaged), (1, 1, 1));
    }
}
