//! CPU and memory from the metrics API, polled while the pods or nodes
//! list is on screen (`KubeCommand::PollMetrics`; the task is dropped on
//! `StopMetrics`). One loop per context, so a slow cluster never delays
//! another's figures.
//!
//! The API is `metrics.k8s.io/v1beta1` (served by metrics-server through
//! the API aggregation layer): PodMetricsList / NodeMetricsList whose
//! items carry `timestamp`, `window` and `usage` (per container for pods)
//! as Quantities (https://kubernetes.io/docs/reference/external-api/metrics.v1beta1/).
//! It is read through kube's dynamic API with the real path
//! (/apis/metrics.k8s.io/v1beta1/[namespaces/NS/]pods, .../nodes).

use std::time::Duration;

use kube::Client;
use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use serde_json::Value;
use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::kube::PodKey;
use crate::core::kube_metrics::{MetricsEvent, MetricsOf, Usage};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::quantity;

const GROUP: &str = "metrics.k8s.io";
const VERSION: &str = "v1beta1";
/// How long one poll may take, retries included.
const ANSWER_WITHIN: Duration = Duration::from_secs(5);

/// One context's poll.
pub struct Poll {
    pub request: StreamId,
    pub of: MetricsOf,
    pub context: String,
    /// None: every namespace (always for nodes).
    pub namespace: Option<String>,
    pub every: Duration,
    pub tx: mpsc::Sender<Msg>,
}

/// Polls until dropped (the task is aborted) or the app is gone.
pub async fn run(client: Client, poll: Poll) {
    let mut tick = tokio::time::interval(poll.every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Discovery is asked until the group is seen once: a cluster without
    // metrics-server answers every list with a bare 404 otherwise.
    let mut group_seen = false;
    loop {
        tick.tick().await;
        let event = match fetch(&client, &poll, &mut group_seen).await {
            Ok(event) => event,
            Err(reason) => MetricsEvent::Unavailable {
                context: poll.context.clone(),
                reason,
            },
        };
        let msg = Msg::Kube(KubeEvent::Metrics {
            request: poll.request,
            event,
        });
        if poll.tx.send(msg).await.is_err() {
            return;
        }
    }
}

async fn fetch(
    client: &Client,
    poll: &Poll,
    group_seen: &mut bool,
) -> Result<MetricsEvent, String> {
    if !*group_seen {
        let groups = client.list_api_groups().await.map_err(|e| reason(&e))?;
        if !groups.groups.iter().any(|g| g.name == GROUP) {
            return Err(NOT_SERVED.into());
        }
        *group_seen = true;
    }
    let (kind, plural) = match poll.of {
        MetricsOf::Pods => ("PodMetrics", "pods"),
        MetricsOf::Nodes => ("NodeMetrics", "nodes"),
    };
    let resource = ApiResource {
        group: GROUP.into(),
        version: VERSION.into(),
        api_version: format!("{GROUP}/{VERSION}"),
        kind: kind.into(),
        plural: plural.into(),
    };
    let api: Api<DynamicObject> = match (&poll.namespace, poll.of) {
        (Some(ns), MetricsOf::Pods) => Api::namespaced_with(client.clone(), ns, &resource),
        _ => Api::all_with(client.clone(), &resource),
    };
    // kube's client retries a 503 with a growing back-off (up to 15 times),
    // which is how an aggregated API answers while metrics-server is down:
    // the wait is cut short so the pane can say so.
    let list = tokio::time::timeout(ANSWER_WITHIN, api.list(&ListParams::default()))
        .await
        .map_err(|_| {
            *group_seen = false;
            format!(
                "the metrics API did not answer within {} s: metrics-server is unavailable \
                 or slow (the API server answers 503 meanwhile)",
                ANSWER_WITHIN.as_secs()
            )
        })?
        .map_err(|e| {
            // The group can go away (metrics-server uninstalled): ask again.
            *group_seen = false;
            reason(&e)
        })?;
    let context = poll.context.clone();
    Ok(match poll.of {
        MetricsOf::Pods => MetricsEvent::Pods {
            usage: list
                .items
                .iter()
                .filter_map(|o| {
                    let ns = o.metadata.namespace.as_deref()?;
                    let name = o.metadata.name.as_deref()?;
                    Some((PodKey::new(&context, ns, name), pod_usage(&o.data)))
                })
                .collect(),
            context,
        },
        MetricsOf::Nodes => MetricsEvent::Nodes {
            usage: list
                .items
                .iter()
                .filter_map(|o| Some((o.metadata.name.clone()?, usage(o.data.get("usage")?))))
                .collect(),
            context,
        },
    })
}

const NOT_SERVED: &str = "this cluster does not serve the metrics API \
    (metrics.k8s.io); install metrics-server for CPU and memory";

/// Why there are no figures, in plain words (the footer shows it once).
fn reason(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(status) => match status.code {
            404 => NOT_SERVED.into(),
            403 => "forbidden: RBAC does not allow reading metrics.k8s.io \
                    (pods and nodes metrics)"
                .into(),
            503 => "the metrics API is unavailable (503): metrics-server is \
                    unavailable to the API server"
                .into(),
            _ => super::errors::plain_error(e),
        },
        _ => super::errors::plain_error(e),
    }
}

/// A pod's figure: its containers' usage summed, as `kubectl top pod`.
fn pod_usage(data: &Value) -> Usage {
    let containers = data.get("containers").and_then(Value::as_array);
    containers
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("usage"))
        .map(usage)
        .fold(Usage::default(), |sum, u| Usage {
            cpu_milli: sum.cpu_milli.saturating_add(u.cpu_milli),
            memory_bytes: sum.memory_bytes.saturating_add(u.memory_bytes),
        })
}

/// A ResourceList's cpu and memory; a figure that is no Quantity counts 0.
fn usage(list: &Value) -> Usage {
    let read = |name: &str, parse: fn(&str) -> Option<u64>| {
        let text = list.get(name).and_then(Value::as_str)?;
        let value = parse(text);
        if value.is_none() {
            tracing::debug!(name, text, "metrics: not a quantity");
        }
        value
    };
    Usage {
        cpu_milli: read("cpu", quantity::cpu_milli).unwrap_or(0),
        memory_bytes: read("memory", quantity::bytes).unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pod_sums_its_containers_and_odd_figures_count_zero() {
        let data = json!({"containers": [
            {"name": "a", "usage": {"cpu": "250m", "memory": "64Mi"}},
            {"name": "b", "usage": {"cpu": "1500000n", "memory": "garbage"}},
            {"name": "c"},
            {"name": "d", "usage": {"cpu": 7}},
        ]});
        assert_eq!(
            pod_usage(&data),
            Usage {
                cpu_milli: 252,
                memory_bytes: 64 * 1024 * 1024
            }
        );
        assert_eq!(pod_usage(&json!({"containers": "x"})), Usage::default());
    }
}
