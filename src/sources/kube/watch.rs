//! One context's pods, kept live by kube-runtime's watcher (list once, then
//! watch from the list's resourceVersion with bookmarks; the watcher
//! re-lists by itself after 410 Gone). A (re)list is buffered until it is
//! complete and then sent as one `Snapshot`, so the list never empties or
//! flickers; watch events that arrive together go as one `Changes`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::{FutureExt, Stream, StreamExt};
use k8s_openapi::api::apps::v1::ReplicaSet;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};
use kube::runtime::watcher::{self, Event};
use kube::{Client, Resource};
use tokio::sync::mpsc;

use crate::core::kube::{PodKey, PodRow};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::Msg;

use super::task::context_health;

use super::super::kit::{AbortOnDrop, Backoff, Health, Policy, wait_unless_ready};
use super::convert::{controller, pod_row_keyed};
use super::errors::{is_forbidden, is_gone, watch_error};

/// Watch events applied to the state in one message at most.
const BATCH: usize = 1024;
/// After an error, quiet for this long means the watch is up again (a
/// healthy watch on a quiet cluster sends nothing); a probe confirms it.
const QUIET_PROBE: Duration = Duration::from_secs(3);
/// After a back-off cut short because the server is ready again, the
/// list probe comes this soon: the pane shows "connected" within a second
/// of the server's return, not after the whole back-off.
const QUICK_PROBE: Duration = Duration::from_millis(200);
/// A probe unanswered this long: the context is named as not answering
/// instead of showing "connecting" until the client's 5-minute timeout.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// `GET /readyz`: 200 means the API server serves requests again
/// (kubernetes.io/docs/reference/using-api/health-checks: "rely on the HTTP
/// status code"). A default cluster lets anyone read it
/// (system:public-info-viewer), so it costs the server next to nothing
/// and answers even while a token is being refreshed.
pub(super) async fn ready(client: &Client) -> bool {
    let Ok(req) = http::Request::get("/readyz").body(Vec::new()) else {
        return false;
    };
    client.request_text(req).await.is_ok()
}

/// Interns namespace names so thousands of pods share one allocation each.
#[derive(Default)]
struct Names {
    context: Option<Arc<str>>,
    namespaces: Vec<Arc<str>>,
}

impl Names {
    fn key(&mut self, context: &str, pod: &Pod) -> Option<PodKey> {
        let name = pod.metadata.name.as_deref()?;
        let ns = pod.metadata.namespace.as_deref().unwrap_or("default");
        let ctx = self.context.get_or_insert_with(|| context.into()).clone();
        let namespace = match self.namespaces.iter().find(|n| &***n == ns) {
            Some(n) => n.clone(),
            None => {
                let n: Arc<str> = ns.into();
                self.namespaces.push(n.clone());
                n
            }
        };
        Some(PodKey {
            context: ctx,
            namespace,
            name: name.into(),
        })
    }
}

async fn send(tx: &mpsc::Sender<Msg>, ev: KubeEvent) -> bool {
    tx.send(Msg::Kube(ev)).await.is_ok()
}

/// Waits for the next item; the rest already buffered comes along.
async fn next_batch<S, T>(stream: &mut S) -> Option<Vec<T>>
where
    S: Stream<Item = T> + Unpin,
{
    let first = stream.next().await?;
    let mut batch = vec![first];
    while batch.len() < BATCH {
        match stream.next().now_or_never() {
            Some(Some(item)) => batch.push(item),
            _ => break,
        }
    }
    Some(batch)
}

/// Why a pods watcher stopped by itself.
pub enum Ended {
    /// The app quits.
    Done,
    /// All namespaces were asked for and RBAC forbids listing pods at the
    /// cluster scope (the server's words): narrow the scope instead.
    ForbiddenAtClusterScope(String),
    /// The label selector was refused (400, the server's words): no retry
    /// can help until it is changed.
    SelectorRejected(String),
}

/// What one pods watch covers besides its namespace.
#[derive(Clone, Default)]
pub struct Narrowing {
    /// One namespace of several (its list replaces that namespace only).
    pub partial: bool,
    /// Sent as `labelSelector` on the list and the watch.
    pub selector: Option<String>,
}

/// Watches the pods of one context (or of one of several namespaces of it,
/// `partial`) until the task is aborted or the app quits.
pub async fn pods(
    client: Client,
    context: String,
    namespace: Option<String>,
    narrowing: Narrowing,
    target: String,
    tx: mpsc::Sender<Msg>,
) -> Ended {
    let Narrowing { partial, selector } = narrowing;
    let api: Api<Pod> = match &namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let _owners = AbortOnDrop::spawn(replica_sets(
        client.clone(),
        context.clone(),
        namespace.clone(),
        partial,
        tx.clone(),
    ));
    let _warnings = AbortOnDrop::spawn(super::warnings::watch(
        client.clone(),
        context.clone(),
        namespace.clone(),
        partial,
        tx.clone(),
    ));
    let mut listed = false;
    let mut config = watcher::Config::default();
    if let Some(sel) = &selector {
        config = config.labels(sel);
    }
    let mut stream = watcher::watcher(api.clone(), config).boxed();
    let mut names = Names::default();
    let mut listing: Option<Vec<PodRow>> = None;
    let health = Health::new(target);
    let mut backoff = Backoff::new(Policy::RECONNECT);
    let mut healthy = false;
    let mut quiet = QUIET_PROBE;
    loop {
        let batch = if healthy {
            next_batch(&mut stream).await
        } else {
            tokio::select! {
                b = next_batch(&mut stream) => b,
                _ = tokio::time::sleep(quiet) => {
                    quiet = QUIET_PROBE;
                    let mut one = ListParams::default().limit(1);
                    if let Some(sel) = &selector {
                        one = one.labels(sel);
                    }
                    let h = match tokio::time::timeout(PROBE_TIMEOUT, api.list(&one)).await {
                        Ok(Ok(_)) => {
                            healthy = true;
                            backoff.reset();
                            health.connected()
                        }
                        // The watcher reports its own errors.
                        Ok(Err(_)) => continue,
                        Err(_) => {
                            let error = format!("no answer in {} s", PROBE_TIMEOUT.as_secs());
                            health.reconnecting(error, QUIET_PROBE)
                        }
                    };
                    if tx.send(context_health(&context, h)).await.is_err() {
                        return Ended::Done;
                    }
                    continue;
                }
            }
        };
        let Some(batch) = batch else {
            return Ended::Done;
        };
        let now = SystemTime::now();
        let mut upserts = Vec::new();
        let mut deleted = Vec::new();
        for ev in batch {
            match ev {
                Ok(Event::Init) => listing = Some(Vec::new()),
                Ok(Event::InitApply(p)) => {
                    if let Some(key) = names.key(&context, &p) {
                        listing
                            .get_or_insert_default()
                            .push(pod_row_keyed(&p, key, now));
                    }
                }
                Ok(Event::InitDone) => {
                    let pods = listing.take().unwrap_or_default();
                    // Changes seen before the list completed are in it already.
                    upserts.clear();
                    deleted.clear();
                    healthy = true;
                    listed = true;
                    backoff.reset();
                    if tx
                        .send(context_health(&context, health.connected()))
                        .await
                        .is_err()
                    {
                        return Ended::Done;
                    }
                    let snapshot = match (&namespace, partial) {
                        (Some(ns), true) => KubeEvent::NamespaceSnapshot {
                            context: context.clone(),
                            namespace: ns.clone(),
                            pods,
                        },
                        _ => KubeEvent::Snapshot {
                            context: context.clone(),
                            pods,
                        },
                    };
                    if !send(&tx, snapshot).await {
                        return Ended::Done;
                    }
                }
                Ok(Event::Apply(p)) => {
                    if let Some(key) = names.key(&context, &p) {
                        upserts.push(pod_row_keyed(&p, key, now));
                    }
                }
                Ok(Event::Delete(p)) => {
                    if let Some(key) = names.key(&context, &p) {
                        upserts.retain(|u: &PodRow| u.key != key);
                        deleted.push(key);
                    }
                }
                Err(e) if is_gone(&e) => {
                    tracing::debug!(%context, "watch expired (410); the watcher re-lists");
                }
                Err(e) if namespace.is_none() && !listed && is_forbidden(&e) => {
                    return Ended::ForbiddenAtClusterScope(watch_error(&e));
                }
                Err(e) if selector.is_some() && super::selector::refusal(&e).is_some() => {
                    return Ended::SelectorRejected(
                        super::selector::refusal(&e).unwrap_or_default(),
                    );
                }
                Err(e) => {
                    let error = watch_error(&e);
                    tracing::warn!(%context, %error, "kubernetes watch failed");
                    healthy = false;
                    let wait = backoff.next_wait();
                    let h = health.reconnecting(error, wait);
                    if tx.send(context_health(&context, h)).await.is_err() {
                        return Ended::Done;
                    }
                    // The pane counts down to the next try; a server back
                    // earlier is noticed within a second.
                    if wait_unless_ready(wait, || ready(&client)).await {
                        quiet = QUICK_PROBE;
                    }
                }
            }
        }
        if (!upserts.is_empty() || !deleted.is_empty())
            && !send(&tx, KubeEvent::Changes { upserts, deleted }).await
        {
            return Ended::Done;
        }
    }
}

fn watcher<K>(api: Api<K>) -> impl Stream<Item = watcher::Result<Event<K>>> + Send
where
    K: Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug + Send + 'static,
{
    // Bookmarks are on by default: a restarted watch resumes from the last
    // bookmark instead of re-listing everything.
    watcher::watcher(api, watcher::Config::default())
}

/// ReplicaSets' owners, so a pod's Deployment is known. Errors (RBAC may
/// forbid listing them) only mean owners show as ReplicaSets.
async fn replica_sets(
    client: Client,
    context: String,
    namespace: Option<String>,
    partial: bool,
    tx: mpsc::Sender<Msg>,
) {
    let api: Api<ReplicaSet> = match &namespace {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    let mut stream = watcher(api).boxed();
    let mut listing: Option<Vec<(String, String, Option<crate::core::kube::OwnerRef>)>> = None;
    let mut facts: Vec<crate::core::timeline_feed::RolloutFacts> = Vec::new();
    let mut backoff = Backoff::new(Policy::RECONNECT);
    let entry = |rs: &ReplicaSet| {
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        let name = rs.metadata.name.clone().unwrap_or_default();
        (ns, name, controller(&rs.metadata))
    };
    while let Some(ev) = stream.next().await {
        let msg = match ev {
            Ok(Event::Init) => {
                listing = Some(Vec::new());
                facts.clear();
                continue;
            }
            Ok(Event::InitApply(rs)) => {
                listing.get_or_insert_default().push(entry(&rs));
                facts.push(super::rollouts::facts(&rs));
                continue;
            }
            Ok(Event::InitDone) => KubeEvent::ReplicaSets {
                context: context.clone(),
                // One namespace of several must not replace the others'.
                full: !partial,
                sets: listing.take().unwrap_or_default(),
                deleted: Vec::new(),
            },
            Ok(Event::Apply(rs)) => {
                facts.push(super::rollouts::facts(&rs));
                KubeEvent::ReplicaSets {
                    context: context.clone(),
                    full: false,
                    sets: vec![entry(&rs)],
                    deleted: Vec::new(),
                }
            }
            Ok(Event::Delete(rs)) => {
                let (ns, name, _) = entry(&rs);
                KubeEvent::ReplicaSets {
                    context: context.clone(),
                    full: false,
                    sets: Vec::new(),
                    deleted: vec![(ns, name)],
                }
            }
            Err(e) => {
                if !is_gone(&e) {
                    tracing::debug!(%context, error = %watch_error(&e), "replicaset watch failed");
                    wait_unless_ready(backoff.next_wait(), || ready(&client)).await;
                }
                continue;
            }
        };
        backoff.reset();
        if !send(&tx, msg).await {
            return;
        }
        // Owners first, so a pod's Deployment is known when its rollout is.
        if !facts.is_empty() {
            let sets = std::mem::take(&mut facts);
            let rollouts = KubeEvent::Rollouts {
                context: context.clone(),
                sets,
            };
            if !send(&tx, rollouts).await {
                return;
            }
        }
    }
}
