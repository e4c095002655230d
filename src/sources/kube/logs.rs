//! Pod logs for the shared log viewer: one container (current or previous),
//! or every pod of a workload merged stern-style, each part tagged with its
//! pod, new pods joining as they start. Bytes go out in batches on the
//! bounded channel, so a noisy pod waits for the UI instead of piling up.

use futures::StreamExt;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::Client;
use kube::api::{Api, LogParams};
use kube::runtime::watcher::{self, Event};
use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::kube::{LogOptions, LogTarget, OwnerRef};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::super::kit::{Backoff, Policy, StreamTasks, log_note};
use super::errors::{is_log_gone, plain_error, watch_error};
use super::log_follow::{Follower, open};

pub async fn follow(
    client: Client,
    stream: StreamId,
    target: LogTarget,
    options: LogOptions,
    tx: mpsc::Sender<Msg>,
) {
    let reason = match target {
        LogTarget::Pod(key) => {
            let api: Api<Pod> = Api::namespaced(client, &key.namespace);
            pod(&api, &key.name, options, stream, &tx).await
        }
        LogTarget::Workload {
            namespace, owner, ..
        } => match workload(client, &namespace, &owner, &options, stream, &tx).await {
            Ok(()) => "the workload's pods are gone".into(),
            Err(e) => e,
        },
    };
    let _ = tx.send(Msg::LogEnded { stream, reason }).await;
}

/// One pod's container log. When the log asked for is gone (the kubelet
/// keeps one dead container per container, so a `previous` log often is)
/// the other one is opened instead, with a note saying so.
async fn pod(
    api: &Api<Pod>,
    name: &str,
    mut options: LogOptions,
    stream: StreamId,
    tx: &mpsc::Sender<Msg>,
) -> String {
    let mut follower = Follower {
        api,
        pod: name,
        params: params(&options, options.container.clone()),
        tag: None,
        stream,
        tx,
    };
    let reader = match open(api, name, &follower.params).await {
        Ok(r) => r,
        Err(e) if is_log_gone(&e) => {
            let mut other = options.clone();
            other.previous = !options.previous;
            other.follow = !other.previous;
            let other_params = params(&other, other.container.clone());
            match open(api, name, &other_params).await {
                Ok(r) => {
                    let note = fallback_note(options.previous, &e);
                    options = other;
                    follower.params = other_params;
                    let switched = KubeEvent::LogSwitched {
                        stream,
                        previous: options.previous,
                    };
                    if tx.send(Msg::Kube(switched)).await.is_err() || !follower.note(&note).await {
                        return "the log view closed".into();
                    }
                    r
                }
                Err(_) => return plain_error(&e),
            }
        }
        Err(e) => return plain_error(&e),
    };
    match follower.run(reader).await {
        Ok(()) if options.previous => "end of the previous container's log".into(),
        Ok(()) if options.follow => "end of log: the container stopped".into(),
        Ok(()) => "end of log".into(),
        Err(e) => e,
    }
}

/// Why the other log is shown, in plain words.
fn fallback_note(wanted_previous: bool, e: &kube::Error) -> String {
    let why = match e {
        kube::Error::Api(s) => s.message.clone(),
        other => other.to_string(),
    };
    if wanted_previous {
        format!(
            "— the previous container's log is gone (the node keeps only the last \
             stopped container): showing the current log — ({why})"
        )
    } else {
        format!("— the current container has no log: showing the previous one — ({why})")
    }
}

fn params(options: &LogOptions, container: Option<String>) -> LogParams {
    LogParams {
        container,
        follow: options.follow,
        previous: options.previous,
        tail_lines: options.tail.and_then(|t| i64::try_from(t).ok()),
        timestamps: true,
        ..Default::default()
    }
}

/// Streams one container's log until it ends; Err is the reason in words.
async fn one(
    api: &Api<Pod>,
    pod: &str,
    params: &LogParams,
    tag: Option<String>,
    stream: StreamId,
    tx: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    let reader = open(api, pod, params).await.map_err(|e| plain_error(&e))?;
    let follower = Follower {
        api,
        pod,
        params: params.clone(),
        tag,
        stream,
        tx,
    };
    follower.run(reader).await
}

/// `app=web,tier in (a,b)` from a LabelSelector, as kubectl builds it.
pub fn selector_string(sel: &LabelSelector) -> String {
    let mut parts: Vec<String> = sel
        .match_labels
        .iter()
        .flatten()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    for e in sel.match_expressions.iter().flatten() {
        let values = e.values.clone().unwrap_or_default().join(",");
        parts.push(match e.operator.as_str() {
            "In" => format!("{} in ({values})", e.key),
            "NotIn" => format!("{} notin ({values})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => continue,
        });
    }
    parts.join(",")
}

async fn workload_selector(client: Client, ns: &str, owner: &OwnerRef) -> Result<String, String> {
    let err = |e: kube::Error| plain_error(&e);
    let sel = match owner.kind.as_str() {
        "Deployment" => {
            let d = Api::<Deployment>::namespaced(client, ns)
                .get(&owner.name)
                .await
                .map_err(err)?;
            Some(d.spec.selector)
        }
        "StatefulSet" => {
            let s = Api::<StatefulSet>::namespaced(client, ns)
                .get(&owner.name)
                .await
                .map_err(err)?;
            Some(s.spec.selector)
        }
        "DaemonSet" => {
            let d = Api::<DaemonSet>::namespaced(client, ns)
                .get(&owner.name)
                .await
                .map_err(err)?;
            Some(d.spec.selector)
        }
        other => return Err(format!("cannot merge the logs of a {other}")),
    };
    let text = sel.map(|s| selector_string(&s)).unwrap_or_default();
    if text.is_empty() {
        return Err(format!("{owner} has no pod selector"));
    }
    Ok(text)
}

/// Running containers with their restart count: a restarted container is
/// a new log to follow.
fn running_containers(pod: &Pod) -> Vec<(String, i32)> {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .map(|cs| {
            cs.iter()
                .filter(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
                .map(|c| (c.name.clone(), c.restart_count))
                .collect()
        })
        .unwrap_or_default()
}

/// Follows every pod matching the workload's selector; pods that start
/// later join, each line tagged with its pod (and container if several).
async fn workload(
    client: Client,
    ns: &str,
    owner: &OwnerRef,
    options: &LogOptions,
    stream: StreamId,
    tx: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    let selector = workload_selector(client.clone(), ns, owner).await?;
    let api: Api<Pod> = Api::namespaced(client, ns);
    let config = watcher::Config::default().labels(&selector);
    let mut pods = watcher::watcher(api.clone(), config).boxed();
    let mut followers: StreamTasks<(String, String, i32)> = StreamTasks::default();
    // Each container run is followed once, even after its follower ended.
    let mut seen: std::collections::HashSet<(String, String, i32)> = Default::default();
    let mut backoff = Backoff::new(Policy::STREAM);
    while let Some(ev) = pods.next().await {
        let pod = match ev {
            Ok(Event::Apply(p) | Event::InitApply(p)) => p,
            Ok(Event::Delete(p)) => {
                let name = p.metadata.name.clone().unwrap_or_default();
                followers.retain(|(pod, _, _)| *pod != name);
                seen.retain(|(pod, _, _)| *pod != name);
                if !log_note(tx, stream, &name, "pod deleted".into()).await {
                    return Ok(());
                }
                continue;
            }
            Ok(Event::Init | Event::InitDone) => continue,
            Err(e) => {
                tracing::debug!(error = %watch_error(&e), "workload pod watch failed");
                tokio::time::sleep(backoff.next_wait()).await;
                continue;
            }
        };
        backoff.reset();
        let Some(name) = pod.metadata.name.clone() else {
            continue;
        };
        let containers = running_containers(&pod);
        let many = pod.spec.as_ref().is_some_and(|s| s.containers.len() > 1);
        for (container, restarts) in containers {
            if options.container.as_ref().is_some_and(|c| *c != container) {
                continue;
            }
            let id = (name.clone(), container.clone(), restarts);
            if !seen.insert(id.clone()) {
                continue;
            }
            let tag = if many {
                format!("{name}/{container}")
            } else {
                name.clone()
            };
            if !log_note(tx, stream, &tag, format!("+ {tag} joined")).await {
                return Ok(());
            }
            let (api, tx, params) = (api.clone(), tx.clone(), params(options, Some(container)));
            let pod_name = name.clone();
            followers.start(id, async move {
                let end = one(&api, &pod_name, &params, Some(tag.clone()), stream, &tx).await;
                let text = match end {
                    Ok(()) => format!("- {tag} ended"),
                    Err(e) => format!("- {tag}: {e}"),
                };
                let _ = log_note(&tx, stream, &tag, text).await;
            });
        }
    }
    Ok(())
}
