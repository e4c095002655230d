//! Pods appear, change and disappear; a forced 410 and dropped or refused
//! connections re-sync without emptying the list; 401 and 403 in words.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DeleteParams};
use opsdeck::core::source::{Pause, SourceHealth};
use opsdeck_sim::kube::{KubeSim, PodState, Scenario, Verb};

use crate::harness::{Pane, client, scope};

#[tokio::test]
async fn pods_appear_change_and_disappear() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "*"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let mut names: Vec<String> = p.pods().iter().map(|r| r.key.name.to_string()).collect();
    names.sort();
    let mut expected = sim.pod_names("");
    expected.sort();
    assert_eq!(names, expected, "every pod of every namespace, once");
    assert!(p.app.state.kube_health.is_connected());
    assert!(
        p.pods().iter().all(|r| &*r.key.context == "opsdeck-demo"),
        "rows carry their context"
    );

    let hello = sim.pod_names("default").into_iter().next().expect("hello");
    assert!(sim.set_pod_state("default", &hello, PodState::CrashLoopBackOff));
    p.until("CrashLoopBackOff shows", |p| {
        p.pod("default", &hello)
            .is_some_and(|r| r.status == "CrashLoopBackOff")
    })
    .await;
    let items = opsdeck::core::triage::items(&p.app.state);
    assert!(
        items
            .iter()
            .any(|i| i.what == format!("pod default/{hello}") && i.reason.contains("CrashLoop")),
        "{items:?}"
    );

    let pods: Api<Pod> = Api::namespaced(client(&sim).await, "default");
    pods.delete(&hello, &DeleteParams::default())
        .await
        .expect("delete");
    p.until("the pod is gone and a new one is there", |p| {
        p.pod("default", &hello).is_none() && p.live("default", "hello-").len() == 1
    })
    .await;
}

#[tokio::test]
async fn a_forced_410_resyncs_without_emptying_the_list_or_losing_the_selection() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let redis = p.pod("shop", "redis-0").expect("redis").key.clone();
    p.select(&redis);
    let before = p.snapshots;
    sim.expire_history();
    sim.drop_watches();
    p.until("a re-list after 410", |p| p.snapshots > before)
        .await;
    assert_eq!(
        p.app.state.kube.list.selected(),
        Some(&redis),
        "selection kept"
    );
    let min = p.min_pods_after_load.expect("loaded");
    assert!(
        min >= 5,
        "the list never emptied during the re-list (min {min})"
    );
    assert!(p.health_error().is_none(), "a 410 is routine, not an error");
    // Still live after the re-list.
    let web = p
        .live("shop", "web-")
        .first()
        .expect("web")
        .key
        .name
        .to_string();
    assert!(sim.crash_pod("shop", &web));
    p.until("changes still arrive", |p| {
        p.pod("shop", &web)
            .is_some_and(|r| r.restarts > 0 || r.status == "Error")
    })
    .await;
}

#[tokio::test]
async fn a_stopped_api_server_is_shown_and_recovered_from_keeping_the_pods() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    let count = p.pods().len();
    sim.stop_server().await;
    // A watch re-opened during the shutdown can hold a connection the
    // stopped server still serves; cut it too, as a dying server would.
    sim.drop_watches();
    p.until("reconnecting", |p| p.health_error().is_some())
        .await;
    let error = p.health_error().expect("error");
    assert!(error.contains("unreachable"), "{error}");
    assert_eq!(p.pods().len(), count, "last known pods stay on screen");
    sim.restart_server().await.expect("restart");
    p.until("connected again", |p| {
        p.app.state.kube_health.is_connected()
    })
    .await;
    let hello = sim.pod_names("default").into_iter().next().expect("hello");
    assert!(sim.set_pod_state("default", &hello, PodState::OomKilled));
    p.until("changes after the reconnect", |p| {
        p.pod("default", &hello)
            .is_some_and(|r| r.status == "OOMKilled")
    })
    .await;
}

#[tokio::test]
async fn an_expired_token_and_rbac_denials_read_as_plain_words() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let bad = sim.kubeconfig_yaml().replace(sim.token(), "expired-token");
    let started = chrono::Utc::now();
    let mut p = Pane::with_kubeconfig(&bad, scope(&[], "shop"));
    p.until("401 shown", |p| p.health_error().is_some()).await;
    let error = p.health_error().expect("error");
    assert!(error.starts_with("unauthorized (401)"), "{error}");
    assert!(p.app.state.kube.pods.data().is_none_or(|m| m.is_empty()));
    assert!(matches!(
        p.app.state.kube_health,
        SourceHealth::Reconnecting { retry_at, pause: Pause::Backoff, .. } if retry_at > started
    ));

    sim.deny(Some("payments"), Verb::List);
    let mut p = Pane::start(&sim, scope(&[], "payments"));
    p.until("403 shown", |p| p.health_error().is_some()).await;
    let error = p.health_error().expect("error");
    assert!(error.starts_with("forbidden (403): RBAC"), "{error}");
    assert!(error.contains("payments"), "names the namespace: {error}");
    sim.allow_all();
    p.until("recovers once allowed", |p| p.app.state.kube.all_loaded())
        .await;
}

/// After a long outage the back-off is many seconds; the pane still sees
/// the server's return within about a second (a cheap `/readyz` probe runs
/// during the wait) instead of sleeping the back-off out.
#[tokio::test]
async fn a_returning_api_server_is_seen_within_a_second_not_after_the_back_off() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "default"));
    p.until("first list", |p| p.app.state.kube.all_loaded())
        .await;
    sim.stop_server().await;
    sim.drop_watches();
    // Failures double the wait: 1, 2, 4, 8 s (less up to 20 % jitter).
    p.until("a long back-off", |p| {
        matches!(
            &p.app.state.kube_health,
            SourceHealth::Reconnecting { retry_at, .. }
                if *retry_at - chrono::Utc::now() > chrono::Duration::seconds(5)
        )
    })
    .await;
    sim.restart_server().await.expect("restart");
    let back = std::time::Instant::now();
    p.until("connected again", |p| {
        p.app.state.kube_health.is_connected()
    })
    .await;
    let took = back.elapsed();
    assert!(
        took < std::time::Duration::from_millis(2_500),
        "seen {took:?} after the server's return"
    );
}

/// A user whose RBAC grants one namespace only (a RoleBinding, no
/// ClusterRoleBinding) gets 403 for all namespaces: the pane says so and
/// shows the namespace the user may list (the context's own) instead of
/// "unreachable" and nothing.
#[tokio::test]
async fn forbidden_at_cluster_scope_falls_back_to_the_contexts_namespace() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    sim.only_namespaces(&["shop"]);
    let mut p = Pane::start(&sim, scope(&[], "*"));
    p.until("the namespace's pods", |p| {
        p.app.state.kube.all_loaded() && !p.pods().is_empty()
    })
    .await;
    let mut names: Vec<String> = p.pods().iter().map(|r| r.key.name.to_string()).collect();
    names.sort();
    assert_eq!(names, sim.pod_names("shop"));
    assert!(p.health_error().is_none(), "{:?}", p.health_error());
    let ctx = p.app.state.kube.contexts.values().next().expect("context");
    assert_eq!(ctx.info.namespace, "shop (forbidden at cluster scope)");
    // Still live in that namespace.
    let web = p
        .live("shop", "web-")
        .first()
        .expect("web")
        .key
        .name
        .to_string();
    assert!(sim.set_pod_state("shop", &web, PodState::OomKilled));
    p.until("changes arrive", |p| {
        p.pod("shop", &web).is_some_and(|r| r.status == "OOMKilled")
    })
    .await;
}
