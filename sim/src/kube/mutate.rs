//! Single-object verbs: get, create, replace, patch, delete, and the `scale`
//! subresource, with the API server's immutability and concurrency checks.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use k8s_openapi::api::batch::v1::{CronJob, Job};
use k8s_openapi::api::core::v1::{
    ConfigMap, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Secret,
    Service,
};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::controllers::{str_at, u64_at};
use super::errors::{ApiError, json_bytes, json_value};
use super::objects::name_suffix;
use super::patch::{self, PatchKind};
use super::pod_ops;
use super::state::{Shared, SimState};
use super::store::{Kind, Stored};

fn respond(code: StatusCode, r: Result<Arc<Stored>, ApiError>) -> Response {
    match r {
        Ok(s) => json_bytes(code, s.json.clone()),
        Err(e) => e.into_response(),
    }
}

/// Shape check: the object must deserialize as its typed Kubernetes struct.
fn validate(kind: Kind, name: &str, v: &Value) -> Result<(), ApiError> {
    let v = v.clone();
    let r = match kind {
        Kind::Pod => serde_json::from_value::<Pod>(v).map(drop),
        Kind::Namespace => serde_json::from_value::<Namespace>(v).map(drop),
        Kind::Event => serde_json::from_value::<Event>(v).map(drop),
        Kind::Deployment => serde_json::from_value::<Deployment>(v).map(drop),
        Kind::ReplicaSet => serde_json::from_value::<ReplicaSet>(v).map(drop),
        Kind::StatefulSet => serde_json::from_value::<StatefulSet>(v).map(drop),
        Kind::DaemonSet => serde_json::from_value::<DaemonSet>(v).map(drop),
        Kind::Job => serde_json::from_value::<Job>(v).map(drop),
        Kind::CronJob => serde_json::from_value::<CronJob>(v).map(drop),
        Kind::Service => serde_json::from_value::<Service>(v).map(drop),
        Kind::Ingress => serde_json::from_value::<Ingress>(v).map(drop),
        Kind::ConfigMap => serde_json::from_value::<ConfigMap>(v).map(drop),
        Kind::Secret => serde_json::from_value::<Secret>(v).map(drop),
        Kind::PersistentVolumeClaim => serde_json::from_value::<PersistentVolumeClaim>(v).map(drop),
        Kind::Node => serde_json::from_value::<Node>(v).map(drop),
        Kind::PersistentVolume => serde_json::from_value::<PersistentVolume>(v).map(drop),
        Kind::PodDisruptionBudget => serde_json::from_value::<PodDisruptionBudget>(v).map(drop),
        Kind::EndpointSlice => serde_json::from_value::<EndpointSlice>(v).map(drop),
    };
    r.map_err(|e| {
        ApiError::bad_request(format!(
            "{} in version \"{}\" cannot be handled as a {}: {e}",
            kind.name(),
            kind.api_version(),
            kind.name()
        ))
    })
    .and_then(|()| {
        if name.is_empty() {
            Err(ApiError::invalid(
                kind,
                name,
                "metadata.name: Required value: name or generateName is required",
            ))
        } else {
            Ok(())
        }
    })
}

pub(crate) fn get(shared: &Shared, kind: Kind, ns: &str, name: &str) -> Response {
    respond(
        StatusCode::OK,
        shared.read(|st| {
            st.store
                .get(kind, ns, name)
                .ok_or_else(|| ApiError::not_found(kind, name))
        }),
    )
}

pub(crate) fn create(
    shared: &Shared,
    kind: Kind,
    ns: &str,
    body: &[u8],
    manager: &str,
) -> Response {
    let r = (|| {
        let mut v: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("error decoding body: {e}")))?;
        if !v.is_object() {
            return Err(ApiError::bad_request("body must be a JSON object"));
        }
        if kind.namespaced() {
            match str_at(&v, "/metadata/namespace") {
                "" => v["metadata"]["namespace"] = json!(ns),
                other if other != ns => {
                    return Err(ApiError::bad_request(
                        "the namespace of the provided object does not match the namespace sent on the request",
                    ));
                }
                _ => {}
            }
        }
        shared.mutate(|st| {
            if kind.namespaced() && st.store.get(Kind::Namespace, "", ns).is_none() {
                return Err(ApiError::not_found(Kind::Namespace, ns));
            }
            if str_at(&v, "/metadata/name").is_empty()
                && !str_at(&v, "/metadata/generateName").is_empty()
            {
                let name = format!(
                    "{}{}",
                    str_at(&v, "/metadata/generateName"),
                    name_suffix(st.rng.next())
                );
                v["metadata"]["name"] = json!(name);
            }
            validate(kind, str_at(&v, "/metadata/name"), &v)?;
            match kind {
                Kind::Pod => v["status"] = json!({"phase": "Pending", "qosClass": "BestEffort"}),
                Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet => {
                    v["metadata"]["generation"] = json!(1);
                    v["status"] = json!({});
                }
                Kind::Namespace => v["status"] = json!({"phase": "Active"}),
                // A kind with a status subresource ignores `status` on
                // create through its main endpoint; its controller writes it
                // (https://kubernetes.io/docs/reference/using-api/api-concepts/#status-subresource).
                Kind::DaemonSet
                | Kind::Job
                | Kind::CronJob
                | Kind::Service
                | Kind::Ingress
                | Kind::PersistentVolumeClaim
                | Kind::PersistentVolume
                | Kind::PodDisruptionBudget
                | Kind::Node => v["status"] = json!({}),
                Kind::Event | Kind::ConfigMap | Kind::Secret | Kind::EndpointSlice => {}
            }
            for k in [
                "uid",
                "resourceVersion",
                "creationTimestamp",
                "deletionTimestamp",
            ] {
                if let Some(m) = v["metadata"].as_object_mut() {
                    m.remove(k);
                }
            }
            if kind == Kind::Secret {
                super::written::merge_string_data(&mut v);
            }
            super::written::record_manager(&mut v, kind, manager);
            st.store.create(kind, v)
        })
    })();
    respond(StatusCode::CREATED, r)
}

/// Fields a write may not change, and what else changes with it.
fn settle(kind: Kind, name: &str, old: &Value, new: &mut Value) -> Result<(), ApiError> {
    for p in ["/metadata/name", "/metadata/namespace"] {
        if new.pointer(p) != old.pointer(p) {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({}) does not match the name on the URL ({name})",
                str_at(new, "/metadata/name")
            )));
        }
    }
    if let Some(rv) = new
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        && rv != str_at(old, "/metadata/resourceVersion")
    {
        return Err(ApiError::conflict(kind, name));
    }
    for p in [
        "uid",
        "creationTimestamp",
        "resourceVersion",
        "deletionTimestamp",
        "generation",
        "ownerReferences",
    ] {
        match old["metadata"].get(p) {
            Some(v) => new["metadata"][p] = v.clone(),
            None => {
                if let Some(m) = new["metadata"].as_object_mut() {
                    m.remove(p);
                }
            }
        }
    }
    // The main resource cannot write status; that is the status subresource.
    if kind != Kind::Event && kind != Kind::Namespace {
        new["status"] = old.get("status").cloned().unwrap_or(json!({}));
    }
    if kind == Kind::Pod {
        let strip = |v: &Value| {
            let mut s = v.get("spec").cloned().unwrap_or(json!({}));
            if let Some(cs) = s.get_mut("containers").and_then(Value::as_array_mut) {
                cs.iter_mut().for_each(|c| c["image"] = Value::Null);
            }
            s
        };
        if strip(old) != strip(new) {
            return Err(ApiError::invalid(
                kind,
                name,
                "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
            ));
        }
    }
    if new.get("spec") != old.get("spec")
        && matches!(
            kind,
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet
        )
    {
        new["metadata"]["generation"] = json!(u64_at(old, "/metadata/generation", 1) + 1);
    }
    validate(kind, name, new)
}

pub(crate) fn replace(shared: &Shared, kind: Kind, ns: &str, name: &str, body: &[u8]) -> Response {
    let r = (|| {
        let v: Value = serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("error decoding body: {e}")))?;
        if str_at(&v, "/metadata/resourceVersion").is_empty() {
            return Err(ApiError::invalid(
                kind,
                name,
                "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
            ));
        }
        shared.mutate(|st| {
            let written = st.store.update(kind, ns, name, |cur| {
                let old = cur.clone();
                let mut new = v.clone();
                new["apiVersion"] = old["apiVersion"].clone();
                new["kind"] = old["kind"].clone();
                settle(kind, name, &old, &mut new)?;
                *cur = new;
                Ok(())
            })?;
            super::finalizers::after_write(st, kind, ns, name);
            Ok(written)
        })
    })();
    respond(StatusCode::OK, r)
}

pub(crate) fn patch(
    shared: &Shared,
    kind: Kind,
    ns: &str,
    name: &str,
    content_type: &str,
    body: &[u8],
) -> Response {
    let r = PatchKind::from_content_type(content_type).and_then(|pk| {
        shared.mutate(|st| {
            let written = st.store.update(kind, ns, name, |cur| {
                let old = cur.clone();
                patch::apply(pk, cur, body)?;
                settle(kind, name, &old, cur)
            })?;
            super::finalizers::after_write(st, kind, ns, name);
            Ok(written)
        })
    });
    respond(StatusCode::OK, r)
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct DeleteOptions {
    grace_period_seconds: Option<i64>,
    preconditions: Option<Preconditions>,
}

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Preconditions {
    uid: Option<String>,
    resource_version: Option<String>,
}

pub(crate) fn delete(shared: &Shared, kind: Kind, ns: &str, name: &str, body: &[u8]) -> Response {
    let opts: DeleteOptions = if body.iter().all(u8::is_ascii_whitespace) {
        DeleteOptions::default()
    } else {
        match serde_json::from_slice(body) {
            Ok(o) => o,
            Err(e) => {
                return ApiError::bad_request(format!("error decoding DeleteOptions: {e}"))
                    .into_response();
            }
        }
    };
    let now = Instant::now();
    let r = shared.mutate(|st| -> Result<Response, ApiError> {
        let cur = st
            .store
            .get(kind, ns, name)
            .ok_or_else(|| ApiError::not_found(kind, name))?;
        if let Some(p) = &opts.preconditions {
            if let Some(uid) = p
                .uid
                .as_deref()
                .filter(|u| *u != cur.str_at("/metadata/uid"))
            {
                return Err(ApiError::conflict_msg(
                    kind,
                    name,
                    format!(
                        "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                        cur.str_at("/metadata/uid")
                    ),
                ));
            }
            if p.resource_version
                .as_deref()
                .is_some_and(|rv| rv != cur.str_at("/metadata/resourceVersion"))
            {
                return Err(ApiError::conflict(kind, name));
            }
        }
        if kind == Kind::Pod {
            let default = i64::try_from(u64_at(
                &cur.value,
                "/spec/terminationGracePeriodSeconds",
                30,
            ))
            .unwrap_or(30);
            let grace = opts.grace_period_seconds.unwrap_or(default).max(0);
            if grace == 0 && !super::finalizers::held(&cur.value) {
                let gone = st
                    .store
                    .delete(kind, ns, name)
                    .ok_or_else(|| ApiError::not_found(kind, name))?;
                return Ok(json_bytes(StatusCode::OK, gone.json.clone()));
            }
            let s = pod_ops::begin_delete(
                st,
                ns,
                name,
                Duration::from_secs(grace.unsigned_abs()),
                now,
            )?;
            return Ok(json_bytes(StatusCode::OK, s.json.clone()));
        }
        if kind == Kind::Namespace {
            delete_namespace_contents(st, name, now);
        }
        let gone = st
            .store
            .delete(kind, ns, name)
            .ok_or_else(|| ApiError::not_found(kind, name))?;
        let mut details =
            json!({"name": name, "kind": kind.plural(), "uid": gone.str_at("/metadata/uid")});
        if !kind.group().is_empty() {
            details["group"] = json!(kind.group());
        }
        Ok(json_value(
            StatusCode::OK,
            &json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Success", "details": details}),
        ))
    });
    r.unwrap_or_else(IntoResponse::into_response)
}

fn delete_namespace_contents(st: &mut SimState, ns: &str, now: Instant) {
    for kind in [
        Kind::Deployment,
        Kind::StatefulSet,
        Kind::ReplicaSet,
        Kind::Event,
    ] {
        let names: Vec<String> = st
            .store
            .range(kind, Some(ns), None)
            .map(|(k, _)| k.1.clone())
            .collect();
        for n in names {
            st.store.delete(kind, ns, &n);
        }
    }
    let pods: Vec<String> = st
        .store
        .range(Kind::Pod, Some(ns), None)
        .map(|(k, _)| k.1.clone())
        .collect();
    for p in pods {
        let _ = pod_ops::begin_delete(st, ns, &p, Duration::from_secs(1), now);
    }
}

fn scale_json(obj: &Value) -> Value {
    let selector = obj
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default();
    let meta = &obj["metadata"];
    json!({"kind": "Scale", "apiVersion": "autoscaling/v1",
           "metadata": {"name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"],
                        "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"]},
           "spec": {"replicas": u64_at(obj, "/spec/replicas", 1)},
           "status": {"replicas": u64_at(obj, "/status/replicas", 0), "selector": selector}})
}

/// GET, PUT or PATCH of `.../{name}/scale`.
pub(crate) fn scale(
    shared: &Shared,
    method: &str,
    kind: Kind,
    ns: &str,
    name: &str,
    content_type: &str,
    body: &[u8],
) -> Response {
    let r = shared.mutate(|st| -> Result<Value, ApiError> {
        let cur = st
            .store
            .get(kind, ns, name)
            .ok_or_else(|| ApiError::not_found(kind, name))?;
        let mut s = scale_json(&cur.value);
        match method {
            "GET" => return Ok(s),
            "PATCH" => patch::apply(PatchKind::from_content_type(content_type)?, &mut s, body)?,
            _ => {
                s = serde_json::from_slice(body)
                    .map_err(|e| ApiError::bad_request(format!("error decoding Scale: {e}")))?;
                let rv = str_at(&s, "/metadata/resourceVersion");
                if !rv.is_empty() && rv != cur.str_at("/metadata/resourceVersion") {
                    return Err(ApiError::conflict(kind, name));
                }
            }
        }
        let replicas = s
            .pointer("/spec/replicas")
            .and_then(Value::as_i64)
            .unwrap_or(-1);
        if replicas < 0 {
            return Err(ApiError::invalid(
                kind,
                name,
                &format!(
                    "spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
                ),
            ));
        }
        let updated = st.store.update(kind, ns, name, |v| {
            if u64_at(v, "/spec/replicas", 1) != replicas.unsigned_abs() {
                v["spec"]["replicas"] = json!(replicas);
                v["metadata"]["generation"] = json!(u64_at(v, "/metadata/generation", 1) + 1);
            }
            Ok(())
        })?;
        Ok(scale_json(&updated.value))
    });
    match r {
        Ok(v) => json_value(StatusCode::OK, &v),
        Err(e) => e.into_response(),
    }
}
