//! Every simple Kubernetes kind the pane lists, and the one watcher they
//! share. A kind is one file here (its converter from the k8s-openapi
//! object to a row, pointing at its words and columns in
//! `core::kube_kinds`) and one line in [`TABLE`]; the core reads the same
//! kinds from `core::kube_kinds::ALL`, and a test keeps the two in step.

use std::fmt::Debug;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::future::BoxFuture;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope};
use kube::api::{Api, ApiResource};
use kube::runtime::watcher::{self, Event};
use kube::{Client, Resource};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use crate::core::docker::Severity;
use crate::core::ids::StreamId;
use crate::core::kube::{OwnerRef, PodKey};
use crate::core::kube_kind::{Cell, KindEvent, KindRow, KindSpec, Link};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::super::kit::{Backoff, Policy};
use super::convert::time;
use super::errors::{is_gone, watch_error};

mod configmaps;
mod cronjobs;
mod daemonsets;
mod deployments;
pub mod events;
mod ingresses;
mod jobs;
mod namespaces;
mod nodes;
mod pvcs;
mod pvs;
mod replicasets;
mod secrets;
mod services;
mod statefulsets;

/// The registration table: one line per kind, in the palette's order.
static TABLE: &[Entry] = &[
    entry::<k8s_openapi::api::apps::v1::Deployment>(),
    entry::<k8s_openapi::api::apps::v1::StatefulSet>(),
    entry::<k8s_openapi::api::apps::v1::DaemonSet>(),
    entry::<k8s_openapi::api::apps::v1::ReplicaSet>(),
    entry::<k8s_openapi::api::batch::v1::Job>(),
    entry::<k8s_openapi::api::batch::v1::CronJob>(),
    entry::<k8s_openapi::api::core::v1::Service>(),
    entry::<k8s_openapi::api::networking::v1::Ingress>(),
    entry::<k8s_openapi::api::core::v1::ConfigMap>(),
    entry::<k8s_openapi::api::core::v1::Secret>(),
    entry::<k8s_openapi::api::core::v1::PersistentVolumeClaim>(),
    entry::<k8s_openapi::api::core::v1::PersistentVolume>(),
    entry::<k8s_openapi::api::core::v1::Node>(),
    entry::<k8s_openapi::api::core::v1::Namespace>(),
    entry::<k8s_openapi::api::core::v1::Event>(),
];

/// What a kind's file implements for its k8s-openapi type.
pub trait KindSource: Resource + Clone + DeserializeOwned + Debug + Send + Sync + 'static {
    const SPEC: &'static KindSpec;
    /// The row `kubectl get` prints, one cell per `SPEC.columns`; None
    /// for an object without a name.
    fn row(&self, context: &str) -> Option<KindRow>;
    /// The API to watch: one namespace, or all of them (None). Cluster
    /// kinds use [`cluster`], namespaced ones [`namespaced`].
    fn api(client: Client, namespace: Option<&str>) -> Api<Self>;
}

/// One line of the table: the kind's words and how to watch it.
pub struct Entry {
    pub spec: &'static KindSpec,
    start: fn(Client, Watch) -> BoxFuture<'static, ()>,
    /// Group, version and plural, for a GET of one object (`y`, `d`).
    resource: fn() -> ApiResource,
}

const fn entry<K: KindSource>() -> Entry
where
    K::DynamicType: Default,
{
    Entry {
        spec: K::SPEC,
        start: start::<K>,
        resource: resource::<K>,
    }
}

fn resource<K: Resource>() -> ApiResource
where
    K::DynamicType: Default,
{
    ApiResource::erase::<K>(&Default::default())
}

/// Where the API serves objects of `kind` (`Secret`, `Pod`), and whether
/// they live in a namespace: the table's kinds and pods.
pub fn api_resource(kind: &str) -> Option<(ApiResource, bool)> {
    match kind {
        "Pod" => Some((resource::<k8s_openapi::api::core::v1::Pod>(), true)),
        _ => TABLE
            .iter()
            .find(|e| e.spec.kind == kind)
            .map(|e| ((e.resource)(), e.spec.namespaced)),
    }
}

/// Every kind's spec, in the table's order (the test against the core's
/// list reads it).
#[cfg(test)]
pub fn specs() -> impl Iterator<Item = &'static KindSpec> {
    TABLE.iter().map(|e| e.spec)
}

/// What one watch of one kind in one context needs.
pub struct Watch {
    pub request: StreamId,
    pub context: String,
    pub namespace: Option<String>,
    /// Sent as `labelSelector` on the list and the watch (`-l`).
    pub selector: Option<String>,
    pub tx: mpsc::Sender<Msg>,
}

/// Starts watching the kind named `plural` (None if no such kind).
pub fn start_watch(plural: &str, client: Client, w: Watch) -> Option<BoxFuture<'static, ()>> {
    let entry = TABLE.iter().find(|e| e.spec.plural == plural)?;
    Some((entry.start)(client, w))
}

fn start<K: KindSource>(client: Client, w: Watch) -> BoxFuture<'static, ()>
where
    K::DynamicType: Default,
{
    Box::pin(watch::<K>(client, w))
}

pub fn namespaced<K>(client: Client, namespace: Option<&str>) -> Api<K>
where
    K: Resource<Scope = NamespaceResourceScope>,
    K::DynamicType: Default,
{
    match namespace {
        Some(ns) => Api::namespaced(client, ns),
        None => Api::all(client),
    }
}

pub fn cluster<K>(client: Client, _namespace: Option<&str>) -> Api<K>
where
    K: Resource<Scope = ClusterResourceScope>,
    K::DynamicType: Default,
{
    Api::all(client)
}

/// The row's key: context, namespace (empty for cluster kinds), name.
pub fn key(meta: &ObjectMeta, context: &str) -> Option<PodKey> {
    let name = meta.name.as_deref()?;
    let ns = meta.namespace.as_deref().unwrap_or_default();
    Some(PodKey::new(context, ns, name))
}

pub fn created(meta: &ObjectMeta) -> Option<DateTime<Utc>> {
    meta.creation_timestamp.as_ref().map(time)
}

/// The row of a workload, whose pods `Enter` shows (those its controller
/// reference names): short of ready pods it warns, wanting none it is idle.
pub fn workload_row<K: KindSource>(
    o: &K,
    context: &str,
    cells: Vec<Cell>,
    ready: u32,
    wanted: u32,
) -> Option<KindRow> {
    let meta = o.meta();
    Some(KindRow {
        key: key(meta, context)?,
        cells,
        severity: match (ready, wanted) {
            (_, 0) => Severity::Idle,
            (r, w) if r < w => Severity::Warning,
            _ => Severity::Ok,
        },
        link: Link::Pods(OwnerRef {
            kind: K::SPEC.kind.into(),
            name: meta.name.clone()?,
        }),
        warning: false,
        owner: None,
    })
}

/// A count the API gives as an optional i32 (absent means 0).
pub fn count(n: Option<i32>) -> u32 {
    n.and_then(|n| u32::try_from(n).ok()).unwrap_or(0)
}

/// Watches one kind in one context (or namespace) until aborted: the
/// kube-runtime watcher lists once, then watches from that list's
/// resourceVersion, and re-lists by itself only after 410 Gone.
async fn watch<K: KindSource>(client: Client, w: Watch)
where
    K::DynamicType: Default,
{
    let Watch {
        request,
        context,
        namespace,
        selector,
        tx,
    } = w;
    let api = K::api(client, namespace.as_deref());
    // The selector narrows the workloads beside their pods; nodes,
    // namespaces and events carry other labels (or none), and would only
    // vanish under it.
    let selector = selector.filter(|_| K::SPEC.namespaced && K::SPEC.kind != "Event");
    let mut config = watcher::Config::default();
    if let Some(sel) = &selector {
        config = config.labels(sel);
    }
    // One namespace of a set: its list replaces that namespace's rows only.
    let only = namespace.clone().filter(|_| K::SPEC.namespaced);
    let mut stream = watcher::watcher(api, config).boxed();
    let mut listing: Option<Vec<KindRow>> = None;
    let mut backoff = Backoff::new(Policy::RECONNECT);
    let send = |event| tx.send(Msg::Kube(KubeEvent::Kind { request, event }));
    while let Some(ev) = stream.next().await {
        let event = match ev {
            Ok(Event::Init) => {
                listing = Some(Vec::new());
                continue;
            }
            Ok(Event::InitApply(o)) => {
                listing.get_or_insert_default().extend(o.row(&context));
                continue;
            }
            Ok(Event::InitDone) => KindEvent::Snapshot {
                context: context.clone(),
                namespace: only.clone(),
                rows: listing.take().unwrap_or_default(),
            },
            Ok(Event::Apply(o)) => KindEvent::Changes {
                upserts: o.row(&context).into_iter().collect(),
                deleted: Vec::new(),
            },
            Ok(Event::Delete(o)) => KindEvent::Changes {
                upserts: Vec::new(),
                deleted: key(o.meta(), &context).into_iter().collect(),
            },
            Err(e) if is_gone(&e) => continue,
            Err(e) => {
                // The error's words only: never the object (a Secret's values).
                let error = watch_error(&e);
                tracing::debug!(%context, kind = K::SPEC.plural, %error, "watch failed");
                let event = KindEvent::Failed {
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
#[path = "kinds_tests.rs"]
mod tests;
