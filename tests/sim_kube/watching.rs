//! Lists, selectors, pagination and watches: kube-runtime's watcher through
//! deletes, forced 410s, dropped connections and server restarts.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::core::v1::{Event as KEvent, Pod};
use kube::ResourceExt;
use kube::api::{Api, DeleteParams, ListParams, WatchEvent, WatchParams};
use kube::runtime::watcher;
use opsdeck_sim::kube::{KubeSim, PodState, Scenario};

use crate::support::{Seen, api_err, client, expect_seen, watch_pods};

#[tokio::test]
async fn lists_pods_with_selectors_and_pages() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim starts");
    let c = client(&sim).await;
    let shop: Api<Pod> = Api::namespaced(c.clone(), "shop");
    let all = shop.list(&ListParams::default()).await.expect("list");
    assert!(
        all.metadata
            .resource_version
            .as_deref()
            .is_some_and(|rv| rv.parse::<u64>().is_ok())
    );
    let names: Vec<String> = all.items.iter().map(|p| p.name_any()).collect();
    assert!(names.iter().any(|n| n == "redis-0"), "{names:?}");
    assert!(
        all.items
            .iter()
            .all(|p| p.namespace().as_deref() == Some("shop"))
    );

    let web = shop
        .list(&ListParams::default().labels("app=web"))
        .await
        .expect("labels");
    assert_eq!(web.items.len(), 3);
    let mixed = shop
        .list(&ListParams::default().labels("app in (web,cart),app!=cart"))
        .await
        .expect("set");
    assert_eq!(mixed.items.len(), 3);
    let one = shop
        .list(&ListParams::default().fields("metadata.name=redis-0"))
        .await
        .expect("fields");
    assert_eq!(one.items.len(), 1);
    let bad = shop
        .list(&ListParams::default().fields("spec.bogus=1"))
        .await
        .expect_err("unsupported field");
    assert_eq!(
        api_err(bad).message,
        "field label not supported: spec.bogus"
    );

    let everywhere: Api<Pod> = Api::all(c.clone());
    let full = everywhere.list(&ListParams::default()).await.expect("all");
    let mut paged = Vec::new();
    let mut lp = ListParams::default().limit(4);
    loop {
        let page = everywhere.list(&lp).await.expect("page");
        assert!(page.items.len() <= 4);
        paged.extend(page.items.iter().map(|p| (p.namespace(), p.name_any())));
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(token) => lp = ListParams::default().limit(4).continue_token(&token),
            None => break,
        }
    }
    let expected: Vec<_> = full
        .items
        .iter()
        .map(|p| (p.namespace(), p.name_any()))
        .collect();
    assert_eq!(paged, expected);

    let cart = names
        .iter()
        .find(|n| n.starts_with("cart-"))
        .expect("cart pod")
        .clone();
    let events: Api<KEvent> = Api::namespaced(c, "shop");
    let evs = events
        .list(&ListParams::default().fields(&format!("involvedObject.name={cart}")))
        .await
        .expect("events");
    assert!(
        evs.items
            .iter()
            .any(|e| e.reason.as_deref() == Some("BackOff")),
        "{:?}",
        evs.items
    );
}

#[tokio::test]
async fn watcher_sees_added_modified_deleted() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let pods: Api<Pod> = Api::namespaced(c, "default");
    let mut rx = watch_pods(pods.clone(), watcher::Config::default());
    expect_seen(&mut rx, "initial list", |s| matches!(s, Seen::InitDone)).await;
    let hello = sim
        .pod_names("default")
        .into_iter()
        .next()
        .expect("hello pod");

    assert!(sim.crash_pod("default", &hello));
    expect_seen(
        &mut rx,
        "crash as MODIFIED",
        |s| matches!(s, Seen::Apply(n, st, _) if *n == hello && st == "Error"),
    )
    .await;
    expect_seen(
        &mut rx,
        "back-off",
        |s| matches!(s, Seen::Apply(n, st, _) if *n == hello && st == "CrashLoopBackOff"),
    )
    .await;

    pods.delete(&hello, &DeleteParams::default())
        .await
        .expect("delete");
    let log = expect_seen(
        &mut rx,
        "DELETED",
        |s| matches!(s, Seen::Delete(n) if *n == hello),
    )
    .await;
    assert!(
        log.iter()
            .any(|s| matches!(s, Seen::Apply(n, _, true) if *n == hello)),
        "Terminating first: {log:?}"
    );
    expect_seen(
        &mut rx,
        "replacement ADDED",
        |s| matches!(s, Seen::Apply(n, st, false) if *n != hello && st == "Running"),
    )
    .await;
}

#[tokio::test]
async fn forced_410_makes_the_watcher_relist_and_continue() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let pods: Api<Pod> = Api::namespaced(c, "monitoring");
    let mut rx = watch_pods(pods, watcher::Config::default());
    expect_seen(&mut rx, "initial list", |s| matches!(s, Seen::InitDone)).await;

    sim.expire_history();
    sim.drop_watches();
    let log = expect_seen(&mut rx, "410 Expired", |s| {
        matches!(s, Seen::Error(Some(410)))
    })
    .await;
    assert!(!log.iter().any(|s| matches!(s, Seen::InitDone)), "{log:?}");
    expect_seen(&mut rx, "re-list after 410", |s| {
        matches!(s, Seen::InitDone)
    })
    .await;

    assert!(sim.set_pod_state("monitoring", "prometheus-0", PodState::OomKilled));
    expect_seen(
        &mut rx,
        "later change",
        |s| matches!(s, Seen::Apply(n, st, _) if n == "prometheus-0" && st == "OOMKilled"),
    )
    .await;
}

#[tokio::test]
async fn dropped_connections_and_server_restarts_recover_without_relisting() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let c = client(&sim).await;
    let pods: Api<Pod> = Api::namespaced(c.clone(), "monitoring");
    let mut rx = watch_pods(pods.clone(), watcher::Config::default());
    expect_seen(&mut rx, "initial list", |s| matches!(s, Seen::InitDone)).await;
    let rv = sim.resource_version().to_string();
    let mut raw = pods
        .watch(&WatchParams::default(), &rv)
        .await
        .expect("raw watch")
        .boxed();

    sim.drop_watches();
    let cut = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match raw.next().await {
                None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(cut.is_ok(), "an open watch is cut by drop_watches");
    assert!(sim.set_pod_state("monitoring", "prometheus-0", PodState::NotReady));
    let log = expect_seen(
        &mut rx,
        "change after drop",
        |s| matches!(s, Seen::Apply(n, _, _) if n == "prometheus-0"),
    )
    .await;
    assert!(
        !log.iter()
            .any(|s| matches!(s, Seen::InitDone | Seen::Error(Some(410)))),
        "resumed, not re-listed: {log:?}"
    );

    sim.stop_server().await;
    assert!(
        pods.list(&ListParams::default()).await.is_err(),
        "server is down"
    );
    assert!(sim.set_pod_state("monitoring", "prometheus-0", PodState::ImagePullBackOff));
    sim.restart_server()
        .await
        .expect("restart on the same port");
    expect_seen(
        &mut rx,
        "change made while down",
        |s| matches!(s, Seen::Apply(n, st, _) if n == "prometheus-0" && st == "ImagePullBackOff"),
    )
    .await;
    assert_eq!(
        pods.list(&ListParams::default())
            .await
            .expect("list after restart")
            .items
            .len(),
        sim.pod_names("monitoring").len()
    );
}

#[tokio::test]
async fn streaming_list_watcher_gets_initial_events_and_the_end_bookmark() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "payments");
    let mut rx = watch_pods(pods, watcher::Config::default().streaming_lists());
    let log = expect_seen(&mut rx, "initial-events-end", |s| {
        matches!(s, Seen::InitDone)
    })
    .await;
    let initial = log.iter().filter(|s| matches!(s, Seen::Apply(..))).count();
    assert_eq!(initial, sim.pod_names("payments").len());
    let gw = sim
        .pod_names("payments")
        .into_iter()
        .find(|n| n.starts_with("gateway-"))
        .expect("gateway");
    assert!(sim.set_pod_state("payments", &gw, PodState::Running));
    expect_seen(
        &mut rx,
        "change",
        |s| matches!(s, Seen::Apply(n, st, _) if *n == gw && st == "Running"),
    )
    .await;
}

#[tokio::test]
async fn raw_watch_bookmarks_timeout_and_expired_error() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    sim.set_bookmark_interval(Duration::from_millis(200));
    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "default");
    let rv = pods
        .list(&ListParams::default())
        .await
        .expect("list")
        .metadata
        .resource_version
        .expect("rv");
    let wp = WatchParams::default().timeout(2);
    let started = tokio::time::Instant::now();
    let events: Vec<_> = pods
        .watch(&wp, &rv)
        .await
        .expect("watch")
        .try_collect()
        .await
        .expect("stream");
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "honours timeoutSeconds"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let bookmarks: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Bookmark(b) => Some(b.metadata.resource_version.clone()),
            _ => None,
        })
        .collect();
    assert!(bookmarks.len() >= 3, "{events:?}");
    assert!(
        bookmarks
            .iter()
            .all(|b| b.parse::<u64>().unwrap_or(0) >= rv.parse::<u64>().unwrap_or(u64::MAX))
    );

    sim.expire_history();
    let mut s = pods
        .watch(&WatchParams::default(), &rv)
        .await
        .expect("200 with an ERROR event")
        .boxed();
    match s.try_next().await.expect("event") {
        Some(WatchEvent::Error(st)) => {
            assert_eq!((st.code, st.reason.as_str()), (410, "Expired"));
            assert!(
                st.message
                    .starts_with(&format!("too old resource version: {rv} (")),
                "{}",
                st.message
            );
        }
        other => panic!("expected 410 ERROR, got {other:?}"),
    }
    assert!(
        s.try_next().await.expect("end").is_none(),
        "stream closes after the error"
    );
}

#[tokio::test]
async fn scale_scenario_pages_and_bursts() {
    let sim = KubeSim::start(Scenario::Scale {
        pods: 2_000,
        namespaces: 10,
    })
    .await
    .expect("sim");
    let pods: Api<Pod> = Api::all(client(&sim).await);
    let mut rx = watch_pods(pods.clone(), watcher::Config::default().page_size(500));
    let log = expect_seen(&mut rx, "initial list", |s| matches!(s, Seen::InitDone)).await;
    assert_eq!(
        log.iter()
            .filter(|s| matches!(s, Seen::Apply(_, st, _) if st == "Running"))
            .count(),
        2_000
    );
    assert_eq!(sim.emit_burst(1_500), 1_500);
    let mut applied = 0;
    expect_seen(&mut rx, "the burst", |s| {
        if matches!(s, Seen::Apply(..)) {
            applied += 1;
        }
        applied >= 1_500
    })
    .await;
}

/// A namespaced user: a list at the cluster scope is a 403 Status with the
/// authorizer's words (apimachinery's NewForbidden: details.kind is the
/// resource), while its own namespace lists and watches.
#[tokio::test]
async fn a_namespaced_user_is_forbidden_at_the_cluster_scope() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    sim.only_namespaces(&["shop"]);
    let c = client(&sim).await;
    let all: Api<Pod> = Api::all(c.clone());
    let e = api_err(all.list(&Default::default()).await.expect_err("403"));
    assert_eq!((e.code, e.reason.as_str()), (403, "Forbidden"));
    assert_eq!(
        e.message,
        "pods is forbidden: User \"opsdeck-demo-user\" cannot list resource \"pods\" \
         in API group \"\" at the cluster scope"
    );
    assert_eq!(e.details.as_ref().map(|d| d.kind.as_str()), Some("pods"));
    let other: Api<Pod> = Api::namespaced(c.clone(), "payments");
    let e = api_err(other.list(&Default::default()).await.expect_err("403"));
    assert!(
        e.message.ends_with("in the namespace \"payments\""),
        "{}",
        e.message
    );
    let shop: Api<Pod> = Api::namespaced(c, "shop");
    // The demo's controllers keep creating and deleting pods, so the list
    // and the store are compared until one moment holds for both.
    let mut counts = (0, 0);
    for _ in 0..20 {
        let pods = shop.list(&Default::default()).await.expect("own namespace");
        counts = (pods.items.len(), sim.pod_names("shop").len());
        if counts.0 == counts.1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(counts.0 > 0, "the user's own namespace lists its pods");
    assert_eq!(counts.0, counts.1, "listed vs in the simulator's store");
    sim.allow_all();
    all.list(&Default::default()).await.expect("allowed again");
}
