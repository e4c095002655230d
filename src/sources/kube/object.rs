//! `y` and `d`: one GET of the object (not a watch), and for describe the
//! list of its events, as `kubectl describe` asks for them
//! (`involvedObject.name`, then kind and namespace checked here), plus
//! what kubectl's describer for the kind lists: a Deployment's
//! ReplicaSets, a ReplicaSet's, StatefulSet's or DaemonSet's pods (by the
//! workload's selector; the ones it controls are picked in `present`), a
//! Service's EndpointSlices, a Node's non-terminated pods. The text is
//! made by the pure `present` module, which masks a Secret's values
//! before anything else; nothing here logs the object.

use chrono::Utc;
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::{Event as K8sEvent, Pod};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::Client;
use kube::api::{Api, DynamicObject, ListParams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::core::kube_msg::{ObjectRef, ObjectView};

use super::errors::plain_error;
use super::kinds::api_resource;
use super::present;
use super::present::describe::Related;

/// The object as text, or why it could not be had (in plain words).
pub async fn show(client: Client, object: &ObjectRef, view: ObjectView) -> Result<String, String> {
    let Some((resource, namespaced)) = api_resource(&object.kind) else {
        return Err(format!("{} objects cannot be shown here", object.kind));
    };
    let api: Api<DynamicObject> = if namespaced {
        Api::namespaced_with(client.clone(), &object.namespace, &resource)
    } else {
        Api::all_with(client.clone(), &resource)
    };
    let found = api
        .get(&object.name)
        .await
        .map_err(|e| format!("{object}: {}", plain_error(&e)))?;
    let value = serde_json::to_value(&found)
        .map_err(|e| format!("{object}: the answer could not be read: {e}"))?;
    match view {
        ObjectView::Yaml => present::yaml::render(&object.kind, value),
        ObjectView::Describe => {
            let related = related_of(&client, object, &value).await;
            let events = events_of(client, object, namespaced).await;
            Ok(present::describe::render(
                &object.kind,
                value,
                &related,
                &events,
                Utc::now(),
            ))
        }
    }
}

/// What kubectl's describer for the kind lists besides the object.
async fn related_of(client: &Client, object: &ObjectRef, value: &Value) -> Related {
    let ns = object.namespace.as_str();
    let by_selector = || {
        let params = ListParams::default();
        match present::describe::selector_query(value) {
            Some(q) => params.labels(&q),
            None => params,
        }
    };
    let mut related = Related::default();
    match object.kind.as_str() {
        "Deployment" => {
            let sets = listed::<ReplicaSet>(client, ns, &by_selector()).await;
            related.replica_sets = sets.ok();
        }
        "ReplicaSet" | "StatefulSet" | "DaemonSet" => {
            related.pods = Some(listed::<Pod>(client, ns, &by_selector()).await);
        }
        "Service" => {
            // The label the EndpointSlice controller sets on a Service's
            // slices (kubernetes.io/service-name, discovery/v1).
            let params = ListParams::default()
                .labels(&format!("kubernetes.io/service-name={}", object.name));
            let slices = listed::<EndpointSlice>(client, ns, &params).await;
            related.endpoint_slices = slices.unwrap_or_default();
        }
        "Node" => related.node_pods = Some(node_pods(client, &object.name).await),
        _ => {}
    }
    related
}

/// kubectl's list for a node's `Non-terminated Pods`: the pods bound to
/// it in every namespace, neither Succeeded nor Failed; a 403 reads
/// `not authorized`, as kubectl words it.
async fn node_pods(client: &Client, node: &str) -> Result<Vec<Value>, String> {
    let api: Api<Pod> = Api::all(client.clone());
    let params = ListParams::default().fields(&format!(
        "spec.nodeName={node},status.phase!=Succeeded,status.phase!=Failed"
    ));
    match api.list(&params).await {
        Ok(list) => list
            .items
            .iter()
            .map(|p| serde_json::to_value(p).map_err(|e| e.to_string()))
            .collect(),
        Err(kube::Error::Api(status)) if status.code == 403 => Err("not authorized".into()),
        Err(e) => Err(plain_error(&e)),
    }
}

/// One list in the namespace as JSON objects, or why it failed.
async fn listed<K>(client: &Client, ns: &str, params: &ListParams) -> Result<Vec<Value>, String>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + DeserializeOwned
        + Serialize
        + std::fmt::Debug,
    K::DynamicType: Default,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    let list = api.list(params).await.map_err(|e| plain_error(&e))?;
    list.items
        .iter()
        .map(|i| serde_json::to_value(i).map_err(|e| e.to_string()))
        .collect()
}

/// The object's events; none when they cannot be listed (describe still
/// shows the object, as kubectl does).
async fn events_of(client: Client, object: &ObjectRef, namespaced: bool) -> Vec<K8sEvent> {
    // A cluster object's events live in any namespace (a node's in `default`).
    let api: Api<K8sEvent> = if namespaced {
        Api::namespaced(client, &object.namespace)
    } else {
        Api::all(client)
    };
    let params = ListParams::default().fields(&format!("involvedObject.name={}", object.name));
    match api.list(&params).await {
        Ok(list) => list
            .items
            .into_iter()
            .filter(|e| e.involved_object.kind.as_deref() == Some(object.kind.as_str()))
            .collect(),
        Err(e) => {
            tracing::info!(object = %object, error = %plain_error(&e), "describe: no events");
            Vec::new()
        }
    }
}
