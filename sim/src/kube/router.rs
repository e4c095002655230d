//! URL routing, bearer-token authentication, RBAC, and discovery. Paths are
//! parsed by hand so every unknown path gets the API server's own 404.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::Verb;
use super::errors::{ApiError, json_value};
use super::logs::{self, LogQuery};
use super::state::Shared;
use super::store::{GROUPS, Kind};
use super::{list, mutate, watch};

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/api/v1/namespaces/{ns}/pods/{name}/exec",
            axum::routing::get(super::exec::handle),
        )
        .route(
            "/api/v1/namespaces/{ns}/pods/{name}/portforward",
            axum::routing::get(super::port_forward::handle),
        )
        .fallback(dispatch)
        .with_state(shared)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// A request aimed at a resource, once its path is understood.
struct Target<'a> {
    kind: Kind,
    ns: Option<&'a str>,
    name: Option<&'a str>,
    sub: Option<&'a str>,
}

fn parse_target<'a>(group: &str, rest: &[&'a str]) -> Option<Target<'a>> {
    let t = |plural: &str, ns, name, sub| {
        Kind::from_plural(group, plural).map(|kind| Target {
            kind,
            ns,
            name,
            sub,
        })
    };
    match rest {
        [plural] => t(plural, None, None, None),
        ["namespaces", name] if group.is_empty() => t("namespaces", None, Some(*name), None),
        ["namespaces", ns, plural] => t(plural, Some(*ns), None, None),
        ["namespaces", ns, plural, name] => t(plural, Some(*ns), Some(*name), None),
        ["namespaces", ns, plural, name, sub] => t(plural, Some(*ns), Some(*name), Some(*sub)),
        [plural, name] => t(plural, None, Some(*name), None).filter(|t| !t.kind.namespaced()),
        _ => None,
    }
}

async fn dispatch(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !matches!(method, Method::GET | Method::HEAD) {
        shared
            .mutating_requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    let path = uri.path().to_string();
    let public = matches!(
        path.as_str(),
        "/version" | "/healthz" | "/livez" | "/readyz"
    );
    match bearer(&headers) {
        Some(t) if t == shared.token => {}
        None if public => {}
        _ => return ApiError::unauthorized().into_response(),
    }
    let q: HashMap<String, String> = Query::try_from_uri(&uri).map(|q| q.0).unwrap_or_default();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let get = method == Method::GET;
    // The API server's default field manager is the client's user agent
    // up to its first `/` (https://kubernetes.io/docs/reference/using-api/server-side-apply/#managers).
    let agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .and_then(|a| a.split('/').next())
        .filter(|a| !a.is_empty())
        .unwrap_or("unknown")
        .to_string();
    let body = Write {
        content_type: &ct,
        agent: &agent,
        body: &body,
    };
    match segs.as_slice() {
        ["version"] if get => json_value(StatusCode::OK, &version()),
        ["healthz" | "livez" | "readyz"] if get => (StatusCode::OK, "ok").into_response(),
        ["api"] if get => json_value(
            StatusCode::OK,
            &json!({"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                "serverAddress": headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default()}]}),
        ),
        ["apis"] if get => {
            let mut groups = GROUPS.map(group).to_vec();
            if super::metrics::listed(&shared) {
                groups.push(super::metrics::group());
            }
            json_value(
                StatusCode::OK,
                &json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}),
            )
        }
        ["apis", super::metrics::GROUP, rest @ ..] if get => super::metrics::handle(&shared, rest),
        ["apis", name] if get && GROUPS.contains(name) => {
            let mut g = group(name);
            g["kind"] = json!("APIGroup");
            g["apiVersion"] = json!("v1");
            json_value(StatusCode::OK, &g)
        }
        ["api", "v1"] if get => json_value(StatusCode::OK, &resource_list("v1")),
        ["apis", name, "v1"] if get && GROUPS.contains(name) => {
            json_value(StatusCode::OK, &resource_list(&format!("{name}/v1")))
        }
        ["api", "v1", rest @ ..] => match parse_target("", rest) {
            Some(t) => resource(shared, &method, t, &q, &body),
            None => ApiError::path_not_found().into_response(),
        },
        ["apis", name, "v1", rest @ ..] if GROUPS.contains(name) => {
            match parse_target(name, rest) {
                Some(t) => resource(shared, &method, t, &q, &body),
                None => ApiError::path_not_found().into_response(),
            }
        }
        _ => ApiError::path_not_found().into_response(),
    }
}

fn verb_for(method: &Method, t: &Target<'_>, q: &HashMap<String, String>) -> Option<Verb> {
    let watching = q.get("watch").is_some_and(|w| w == "true" || w == "1");
    Some(match (method.as_str(), t.name) {
        ("GET", None) if watching => Verb::Watch,
        ("GET", None) => Verb::List,
        ("GET", Some(_)) => Verb::Get,
        ("POST", None) => Verb::Create,
        ("PUT", Some(_)) => Verb::Update,
        ("PATCH", Some(_)) => Verb::Patch,
        ("DELETE", Some(_)) => Verb::Delete,
        _ => return None,
    })
}

/// A request's body and what says how to read and record it.
struct Write<'a> {
    content_type: &'a str,
    agent: &'a str,
    body: &'a [u8],
}

fn resource(
    shared: Arc<Shared>,
    method: &Method,
    t: Target<'_>,
    q: &HashMap<String, String>,
    write: &Write<'_>,
) -> Response {
    let (ct, body) = (write.content_type, write.body);
    let manager = q.get("fieldManager").map_or(write.agent, String::as_str);
    let eviction = t.kind == Kind::Pod && t.sub == Some("eviction") && method == Method::POST;
    let Some(verb) = verb_for(method, &t, q).or(eviction.then_some(Verb::Create)) else {
        return ApiError::method_not_allowed().into_response();
    };
    let scope_ns = if t.kind.namespaced() { t.ns } else { None };
    if shared.read(|st| st.denied(verb, scope_ns)) {
        let resource = match t.sub {
            Some(s) => format!("{}/{s}", t.kind.plural()),
            None => t.kind.plural().to_string(),
        };
        let e = ApiError::forbidden(
            &shared.user,
            verb.as_str(),
            &resource,
            t.kind,
            scope_ns,
            t.name.unwrap_or_default(),
        );
        return e.into_response();
    }
    let ns = scope_ns.unwrap_or_default();
    match (t.name, t.sub, verb) {
        (Some(name), Some("eviction"), Verb::Create) if eviction => {
            super::eviction::handle(&shared, ns, name, body)
        }
        (None, None, Verb::Watch) => watch::handle(shared, t.kind, scope_ns, q),
        (None, None, Verb::List) => list::handle(shared, t.kind, scope_ns, q),
        (None, None, Verb::Create) => match t.ns {
            Some(ns) => mutate::create(&shared, t.kind, ns, body, manager),
            None if !t.kind.namespaced() => mutate::create(&shared, t.kind, "", body, manager),
            None => ApiError::method_not_allowed().into_response(),
        },
        (Some(name), None, Verb::Get) => mutate::get(&shared, t.kind, ns, name),
        (Some(name), None, Verb::Update) => mutate::replace(&shared, t.kind, ns, name, body),
        (Some(name), None, Verb::Patch) => mutate::patch(&shared, t.kind, ns, name, ct, body),
        (Some(name), None, Verb::Delete) => mutate::delete(&shared, t.kind, ns, name, body),
        (Some(name), Some("log"), Verb::Get) if t.kind == Kind::Pod => match LogQuery::parse(q) {
            Ok(lq) => logs::handle(shared, ns, name, lq),
            Err(e) => e.into_response(),
        },
        (Some(name), Some("scale"), Verb::Get | Verb::Update | Verb::Patch)
            if matches!(
                t.kind,
                Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet
            ) =>
        {
            mutate::scale(&shared, method.as_str(), t.kind, ns, name, ct, body)
        }
        _ => ApiError::path_not_found().into_response(),
    }
}

fn version() -> Value {
    json!({"major": "1", "minor": "31", "emulationMajor": "1", "emulationMinor": "31",
           "minCompatibilityMajor": "1", "minCompatibilityMinor": "30",
           "gitVersion": "v1.31.4-opsdeck-sim", "gitCommit": "a78aa47129b8539636eb86a9d00e31b2720fe06b",
           "gitTreeState": "clean", "buildDate": "2024-12-10T11:36:11Z", "goVersion": "go1.22.9",
           "compiler": "gc", "platform": "linux/amd64"})
}

fn group(name: &str) -> Value {
    let v = json!({"groupVersion": format!("{name}/v1"), "version": "v1"});
    json!({"name": name, "versions": [v.clone()], "preferredVersion": v})
}

fn resource_list(group_version: &str) -> Value {
    let verbs = [
        "create",
        "delete",
        "deletecollection",
        "get",
        "list",
        "patch",
        "update",
        "watch",
    ];
    let mut resources = Vec::new();
    for kind in Kind::ALL {
        if kind.api_version() != group_version {
            continue;
        }
        let short: &[&str] = match kind {
            Kind::Namespace => &["ns"],
            Kind::Pod => &["po"],
            Kind::Event => &["ev"],
            Kind::ReplicaSet => &["rs"],
            Kind::Deployment => &["deploy"],
            Kind::StatefulSet => &["sts"],
            Kind::DaemonSet => &["ds"],
            Kind::Job => &[],
            Kind::CronJob => &["cj"],
            Kind::Service => &["svc"],
            Kind::Ingress => &["ing"],
            Kind::ConfigMap => &["cm"],
            Kind::Secret => &[],
            Kind::PersistentVolumeClaim => &["pvc"],
            Kind::PersistentVolume => &["pv"],
            Kind::Node => &["no"],
            Kind::PodDisruptionBudget => &["pdb"],
            Kind::EndpointSlice => &[],
        };
        let mut r = json!({"name": kind.plural(), "singularName": kind.name().to_lowercase(),
            "namespaced": kind.namespaced(), "kind": kind.name(), "verbs": verbs, "shortNames": short});
        if matches!(
            kind,
            Kind::Pod
                | Kind::Deployment
                | Kind::ReplicaSet
                | Kind::StatefulSet
                | Kind::DaemonSet
                | Kind::Job
                | Kind::CronJob
                | Kind::Service
        ) {
            r["categories"] = json!(["all"]);
        }
        resources.push(r);
        if kind == Kind::Pod {
            resources.push(json!({"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}));
            resources.push(
                json!({"name": "pods/eviction", "singularName": "", "namespaced": true,
                "group": "policy", "version": "v1", "kind": "Eviction", "verbs": ["create"]}),
            );
            resources.push(json!({"name": "pods/exec", "singularName": "", "namespaced": true, "kind": "PodExecOptions", "verbs": ["create", "get"]}));
            resources.push(json!({"name": "pods/portforward", "singularName": "", "namespaced": true, "kind": "PodPortForwardOptions", "verbs": ["create", "get"]}));
        }
        if matches!(
            kind,
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet
        ) {
            resources.push(json!({"name": format!("{}/scale", kind.plural()), "singularName": "", "namespaced": true,
                "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]}));
        }
    }
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources})
}
