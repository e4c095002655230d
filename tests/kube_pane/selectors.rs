//! Namespace sets and label selectors through the real kube client
//! against the simulator: the selector goes with every pod list and watch
//! and the server sends only what it selects (counted on the server's
//! side); a set of namespaces is watched one by one and merged; a bad
//! selector is said in plain words.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::{KubeScope, NamespaceScope};
use opsdeck::core::source::SourceHealth;
use opsdeck_sim::kube::{CONTEXT, KubeSim, Scenario};

use crate::harness::{Pane, scope};

async fn labelled(sim: &KubeSim, selector: &str) -> Vec<String> {
    let kc = kube::config::Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).expect("yaml");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .expect("config");
    let pods: Api<Pod> = Api::all(kube::Client::try_from(cfg).expect("client"));
    let mut names: Vec<String> = pods
        .list(&ListParams::default().labels(selector))
        .await
        .expect("list")
        .items
        .into_iter()
        .filter_map(|p| p.metadata.name)
        .collect();
    names.sort();
    names
}

fn shown(p: &Pane) -> Vec<String> {
    let mut names: Vec<String> = p.pods().iter().map(|r| r.key.name.to_string()).collect();
    names.sort();
    names
}

#[tokio::test]
async fn the_selector_is_sent_and_the_server_sends_only_matching_pods() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let all = sim.pod_names("").len();
    let web = labelled(&sim, "app=web").await;
    assert!(!web.is_empty() && web.len() < all, "{web:?} of {all}");
    let before = sim.pod_objects_sent();
    let selectors_before = sim.pod_selectors_asked().len();
    let with = KubeScope {
        selector: Some("app=web".into()),
        ..scope(&[], "*")
    };
    let mut p = Pane::start(&sim, with);
    p.until("web pods", |p| p.app.state.kube.all_loaded()).await;
    assert_eq!(shown(&p), web);
    let asked = sim.pod_selectors_asked()[selectors_before..].to_vec();
    assert!(!asked.is_empty());
    assert!(asked.iter().all(|s| s == "app=web"), "{asked:?}");
    // The first list carried the web pods only, not the whole cluster.
    let sent = sim.pod_objects_sent() - before;
    assert!(sent >= web.len() as u64, "{sent}");
    assert!(sent < all as u64, "{sent} of {all}: the server filtered");
    // `:sel` changes it live; the new watch asks for the new labels.
    let cart = labelled(&sim, "app=cart").await;
    p.typed(":sel app=cart");
    p.key(KeyCode::Enter);
    p.until("cart pods", |p| shown(p) == cart).await;
    assert!(sim.pod_selectors_asked().iter().any(|s| s == "app=cart"));
    // `-l` in the filter does the same; `:sel` alone clears it.
    p.typed("/-l app=web");
    p.key(KeyCode::Enter);
    p.until("web pods again", |p| shown(p) == web).await;
    assert_eq!(p.app.state.kube.scope.selector.as_deref(), Some("app=web"));
    p.typed(":sel");
    p.key(KeyCode::Enter);
    assert_eq!(p.app.state.kube.scope.selector, None);
    p.until("all pods", |p| p.pods().len() > web.len() + cart.len())
        .await;
}

#[tokio::test]
async fn a_bad_selector_is_named_in_plain_words() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let bad = KubeScope {
        selector: Some("app=we b".into()),
        ..scope(&[], "*")
    };
    let mut p = Pane::start(&sim, bad);
    p.until("refused", |p| {
        p.app
            .state
            .kube
            .contexts
            .get(CONTEXT)
            .is_some_and(|c| matches!(c.health, SourceHealth::Unusable { .. }))
    })
    .await;
    let toast = p
        .app
        .state
        .toasts
        .visible()
        .last()
        .expect("toast")
        .text
        .clone();
    assert!(
        toast.starts_with("label selector \"app=we b\" is not valid"),
        "{toast}"
    );
    assert!(toast.contains("a valid label must be"), "{toast}");
    assert!(p.pods().is_empty());
}

#[tokio::test]
async fn a_namespace_set_is_watched_one_by_one_and_merged() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop,payments"));
    p.until("both namespaces", |p| {
        let pods = p.pods();
        p.app.state.kube.all_loaded()
            && pods.iter().any(|r| &*r.key.namespace == "shop")
            && pods.iter().any(|r| &*r.key.namespace == "payments")
    })
    .await;
    assert!(
        p.pods()
            .iter()
            .all(|r| matches!(&*r.key.namespace, "shop" | "payments"))
    );
    let ctx = &p.app.state.kube.contexts[CONTEXT];
    assert_eq!(ctx.info.namespace, "shop,payments");
    // One watch per namespace, none across the cluster.
    assert_eq!(
        p.app.state.kube.scope.namespace,
        NamespaceScope::Set(vec!["shop".into(), "payments".into()])
    );
    // A kind's view watches the same set.
    p.typed(":svc");
    p.key(KeyCode::Enter);
    p.until("services of both", |p| {
        let Some(view) = p.app.state.kube.kind.as_ref() else {
            return false;
        };
        let ns: Vec<&str> = view.rows.keys().map(|k| &*k.namespace).collect();
        ns.contains(&"shop") && ns.contains(&"payments")
    })
    .await;
    let view = p.app.state.kube.kind.as_ref().expect("view");
    assert!(
        view.rows
            .keys()
            .all(|k| matches!(&*k.namespace, "shop" | "payments"))
    );
    // `:ns` with commas switches to another set.
    p.typed(":ns shop,monitoring");
    p.key(KeyCode::Enter);
    p.until("monitoring in", |p| {
        p.app.state.kube.all_loaded() && p.pods().iter().any(|r| &*r.key.namespace == "monitoring")
    })
    .await;
    assert!(p.pods().iter().all(|r| &*r.key.namespace != "payments"));
}
