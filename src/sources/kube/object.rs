//! `y` and `d`: one GET of the object (not a watch), and for describe the
//! list of its events, as `kubectl describe` asks for them
//! (`involvedObject.name`, then kind and namespace checked here). The text
//! is made by the pure `present` module, which masks a Secret's values
//! before anything else; nothing here logs the object.

use chrono::Utc;
use k8s_openapi::api::core::v1::Event as K8sEvent;
use kube::Client;
use kube::api::{Api, DynamicObject, ListParams};

use crate::core::kube_msg::{ObjectRef, ObjectView};

use super::errors::plain_error;
use super::kinds::api_resource;
use super::present;

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
            let events = events_of(client, object, namespaced).await;
            Ok(present::describe::render(
                &object.kind,
                value,
                &events,
                Utc::now(),
            ))
        }
    }
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
