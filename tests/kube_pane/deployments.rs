//! The Deployments view (`:deploy`) through the real kube client against
//! the simulator: kubectl's values, a scale from outside seen live, Enter
//! shows the deployment's pods, and the watch stops with the view.

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams};
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube_deploy::DeployRow;
use opsdeck_sim::kube::{KubeSim, Scenario};

use crate::harness::{Pane, scope};

async fn client(sim: &KubeSim) -> kube::Client {
    let kc = kube::config::Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).expect("yaml");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

fn row<'a>(p: &'a Pane, name: &str) -> Option<&'a DeployRow> {
    let view = p.app.state.kube.deploy.as_ref()?;
    view.rows.values().find(|d| &*d.key.name == name)
}

/// `:deploy` Enter in a pane that watches `shop`.
async fn opened(sim: &KubeSim) -> Pane {
    let mut p = Pane::start(sim, scope(&[], "shop"));
    p.until("pods and owners", |p| {
        p.app.state.kube.all_loaded() && !p.app.state.kube.rs_owners.is_empty()
    })
    .await;
    p.typed(":deploy");
    p.key(KeyCode::Enter);
    p.until("web ready 3/3", |p| {
        row(p, "web").is_some_and(|d| d.ready_text() == "3/3")
    })
    .await;
    p
}

#[tokio::test]
async fn the_list_has_kubectls_values_and_a_scale_from_outside_shows_live() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = opened(&sim).await;
    let web = row(&p, "web").expect("web").clone();
    assert_eq!((web.desired, web.updated, web.available), (3, 3, 3));
    assert!(row(&p, "hello").is_none(), "default is not watched");
    let mut names: Vec<&str> = p
        .app
        .state
        .kube
        .deploy
        .as_ref()
        .unwrap()
        .list
        .order()
        .iter()
        .map(|k| &*k.name)
        .collect();
    names.sort();
    assert!(
        names.contains(&"cart") && names.contains(&"checkout"),
        "{names:?}"
    );

    let api: Api<Deployment> = Api::namespaced(client(&sim).await, "shop");
    let patch = serde_json::json!({"spec": {"replicas": 5}});
    api.patch_scale("web", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("scale");
    p.until("web wants 5", |p| {
        row(p, "web").is_some_and(|d| d.desired == 5)
    })
    .await;
    p.until("web ready 5/5", |p| {
        row(p, "web").is_some_and(|d| d.ready_text() == "5/5" && d.available == 5)
    })
    .await;
}

#[tokio::test]
async fn enter_shows_the_deployments_pods_and_esc_closes_the_watch() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = opened(&sim).await;
    let key = row(&p, "web").expect("web").key.clone();
    assert!(p.app.state.kube.deploy.as_mut().unwrap().list.select(&key));
    p.key(KeyCode::Enter);
    let shown: Vec<String> = p
        .app
        .state
        .kube
        .list
        .order()
        .iter()
        .map(|k| k.name.to_string())
        .collect();
    assert_eq!(shown.len(), 3, "{shown:?}");
    assert!(shown.iter().all(|n| n.starts_with("web-")), "{shown:?}");
    // Esc: the deployments again; Esc: the pods, and the watch is gone.
    p.key(KeyCode::Esc);
    assert!(
        p.app
            .state
            .kube
            .deploy
            .as_ref()
            .is_some_and(|d| d.listing())
    );
    p.key(KeyCode::Esc);
    assert!(p.app.state.kube.deploy.is_none());
    assert!(p.app.state.kube.list.len() > 3);
    let before = p.deploy_msgs;
    let api: Api<Deployment> = Api::namespaced(client(&sim).await, "shop");
    let patch = serde_json::json!({"spec": {"replicas": 1}});
    api.patch_scale("web", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("scale");
    // The pods' watch sees web shrink; the closed view's watch says nothing.
    p.until("web down to one pod", |p| p.live("shop", "web-").len() == 1)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    p.drain().await;
    assert_eq!(p.deploy_msgs, before, "the deployments watch stopped");
}
