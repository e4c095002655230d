//! A drain waits until the pods it evicted are gone, as kubectl drain's
//! `waitForDelete` does: an accepted eviction only starts a graceful
//! delete, and the simulator keeps the pod terminating for its grace period
//! (and for as long as a finalizer holds it), as the API server does.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, Patch, PatchParams, PostParams};
use kube::runtime::watcher;
use opsdeck_sim::kube::{KubeSim, Scenario};
use serde_json::json;
use tokio::time::Instant;

use crate::harness::client;
use crate::node_setup::{confirm_drain, nodes_pane, pods_on, two_guarded_pods};

/// What a watch on a node's pods saw of one pod, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Terminating,
    Deleted,
}

type Seens = Arc<Mutex<Vec<(String, Seen, Instant)>>>;

/// Records, from a watch of its own, when each pod on `node` started
/// terminating and when it was deleted.
async fn record(sim: &KubeSim, node: &str) -> (Seens, tokio::task::JoinHandle<()>) {
    let pods: Api<Pod> = Api::all(client(sim).await);
    let cfg = watcher::Config::default().fields(&format!("spec.nodeName={node}"));
    let seen: Seens = Arc::default();
    let out = seen.clone();
    let task = tokio::spawn(async move {
        let mut stream = watcher(pods, cfg).boxed();
        while let Some(Ok(ev)) = stream.next().await {
            let (pod, what) = match ev {
                watcher::Event::Apply(p) | watcher::Event::InitApply(p) => {
                    if p.metadata.deletion_timestamp.is_none() {
                        continue;
                    }
                    (p, Seen::Terminating)
                }
                watcher::Event::Delete(p) => (p, Seen::Deleted),
                _ => continue,
            };
            let name = pod.metadata.name.unwrap_or_default();
            out.lock().expect("lock").push((name, what, Instant::now()));
        }
    });
    (seen, task)
}

fn first(seen: &[(String, Seen, Instant)], pod: &str, what: Seen) -> Option<Instant> {
    seen.iter()
        .find(|(n, w, _)| n == pod && *w == what)
        .map(|(_, _, t)| *t)
}

#[tokio::test]
async fn drain_reports_done_only_after_the_evicted_pods_are_gone() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    two_guarded_pods(&sim, 1).await;
    let evicting: Vec<String> = pods_on(&sim, "worker-a")
        .await
        .into_iter()
        .filter_map(|p| p.metadata.name)
        .collect();
    let n = evicting.len();
    assert!(n >= 2, "{evicting:?}");
    let (seen, watch) = record(&sim, "worker-a").await;
    let mut p = nodes_pane(&sim, "worker-a").await;
    confirm_drain(&mut p).await;
    let all_evicted = format!("{n} of {n} pods evicted");
    p.until("every eviction accepted", |p| {
        p.drain_progress.contains(&all_evicted)
    })
    .await;
    // The evictions were accepted, but the last pods are still there,
    // terminating: the drain is not done yet.
    let terminating: Vec<Pod> = pods_on(&sim, "worker-a").await;
    assert!(!terminating.is_empty(), "{:?}", p.drain_progress);
    assert!(
        terminating
            .iter()
            .all(|p| p.metadata.deletion_timestamp.is_some()),
        "only terminating pods are left"
    );
    assert!(p.op_results.is_empty(), "{:?}", p.op_results);
    p.until("drain done", |p| !p.op_results.is_empty()).await;
    let done_at = Instant::now();
    let (verb, result) = &p.op_results[0];
    assert_eq!(verb, "drain");
    assert!(result.is_ok(), "{result:?} after {:?}", p.drain_progress);
    assert!(
        pods_on(&sim, "worker-a").await.is_empty(),
        "done means gone"
    );
    let waiting = p
        .drain_progress
        .iter()
        .position(|t| t.contains("pods gone, waiting for "))
        .expect("a progress line names the pod waited for");
    let evicted_at = p
        .drain_progress
        .iter()
        .position(|t| *t == all_evicted)
        .expect("evicted line");
    assert!(evicted_at < waiting, "{:?}", p.drain_progress);
    assert_eq!(
        p.drain_progress.last().map(String::as_str),
        Some(format!("{n} of {n} pods gone").as_str()),
        "{:?}",
        p.drain_progress
    );
    // Every evicted pod went terminating first and was deleted before the
    // drain said it was done.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let seen = seen.lock().expect("lock").clone();
    watch.abort();
    for pod in &evicting {
        let leaving = first(&seen, pod, Seen::Terminating).expect("seen terminating");
        let gone = first(&seen, pod, Seen::Deleted).expect("seen deleted");
        assert!(leaving <= gone && gone <= done_at, "{pod}: {seen:?}");
    }
}

#[tokio::test]
async fn a_pod_a_finalizer_holds_is_named_when_time_is_up() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let pods: Api<Pod> = Api::namespaced(c, "default");
    let held: Pod = serde_json::from_value(json!({
        "metadata": {"name": "held", "namespace": "default",
            "finalizers": ["example.com/hold"]},
        "spec": {"nodeName": "worker-a",
            "containers": [{"name": "app", "image": "busybox:1.36"}]}
    }))
    .expect("pod");
    pods.create(&PostParams::default(), &held)
        .await
        .expect("create");
    let mut p = nodes_pane(&sim, "worker-a").await;
    p.app.state.kube.nodes.drain_timeout_secs = 3;
    let started = Instant::now();
    confirm_drain(&mut p).await;
    p.until("drain done", |p| !p.op_results.is_empty()).await;
    assert!(started.elapsed() >= std::time::Duration::from_secs(3));
    let error = p.op_results[0].1.clone().expect_err("held back");
    assert!(
        error.starts_with(
            "1 pod was evicted but had not gone away within the drain's 3 s: default/held \
             (held by finalizer example.com/hold)"
        ),
        "{error}"
    );
    assert!(error.ends_with("the node stays cordoned"), "{error}");
    let last = p.drain_progress.last().cloned().unwrap_or_default();
    assert!(
        last.ends_with("pods gone, waiting for default/held"),
        "{last}"
    );
    let pod = pods.get("held").await.expect("still there");
    assert!(pod.metadata.deletion_timestamp.is_some());
    // The finalizer's owner lets go: the pod goes with that write.
    let release = json!({"metadata": {"finalizers": null}});
    pods.patch("held", &PatchParams::default(), &Patch::Merge(&release))
        .await
        .expect("release");
    assert!(pods.get_opt("held").await.expect("get").is_none());
}
