//! Deployments (`:deploy`) on the kinds list through the real kube client
//! against the simulator: kubectl's values, a scale from outside seen
//! live, Enter shows the deployment's pods, the watch stops with the view,
//! the workloads' own actions (scale a deployment, scale and restart a
//! statefulset), and `d` describes a deployment after a rollout as
//! kubectl does.

use std::time::Duration;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet, StatefulSet};
use kube::api::{Api, ListParams, Patch, PatchParams};
use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube_kind::{Cell, KindRow};
use opsdeck_sim::kube::{KubeSim, Scenario};

use crate::harness::{Pane, client, scope};

fn row<'a>(p: &'a Pane, name: &str) -> Option<&'a KindRow> {
    let view = p.app.state.kube.kind.as_ref()?;
    view.rows.values().find(|d| &*d.key.name == name)
}

/// READY, UP-TO-DATE and AVAILABLE as kubectl prints them.
fn counts(p: &Pane, name: &str) -> Option<(u32, u32, i64, i64)> {
    match row(p, name)?.cells.as_slice() {
        [
            Cell::Ratio(r, w),
            Cell::Count(u),
            Cell::Count(a),
            Cell::Age(_),
        ] => Some((*r, *w, *u, *a)),
        other => panic!("{name}: not kubectl's deployment columns: {other:?}"),
    }
}

/// `:word` Enter in a pane that watches `shop`, once `name` is listed.
async fn opened(sim: &KubeSim, word: &str, name: &str) -> Pane {
    let mut p = Pane::start(sim, scope(&[], "shop"));
    p.until("pods and owners", |p| {
        p.app.state.kube.all_loaded() && !p.app.state.kube.rs_owners.is_empty()
    })
    .await;
    p.typed(&format!(":{word}"));
    p.key(KeyCode::Enter);
    p.until(&format!("{name} listed"), |p| row(p, name).is_some())
        .await;
    p
}

#[tokio::test]
async fn the_list_has_kubectls_values_and_a_scale_from_outside_shows_live() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = opened(&sim, "deploy", "web").await;
    p.until("web ready 3/3", |p| counts(p, "web") == Some((3, 3, 3, 3)))
        .await;
    assert!(row(&p, "hello").is_none(), "default is not watched");
    let view = p.app.state.kube.kind.as_ref().unwrap();
    let names: Vec<&str> = view.list.order().iter().map(|k| &*k.name).collect();
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
        counts(p, "web").is_some_and(|(_, wanted, ..)| wanted == 5)
    })
    .await;
    p.until("web ready 5/5", |p| {
        counts(p, "web").is_some_and(|(ready, _, _, available)| ready == 5 && available == 5)
    })
    .await;
}

#[tokio::test]
async fn enter_shows_the_deployments_pods_and_esc_closes_the_watch() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = opened(&sim, "deploy", "web").await;
    let key = row(&p, "web").expect("web").key.clone();
    assert!(p.app.state.kube.kind.as_mut().unwrap().list.select(&key));
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
    let kind = p.app.state.kube.kind.as_ref();
    assert!(kind.is_some_and(|d| d.listing() && d.spec.plural == "deployments"));
    p.key(KeyCode::Esc);
    assert!(p.app.state.kube.kind.is_none());
    assert!(p.app.state.kube.list.len() > 3);
    let before = p.kind_msgs;
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
    assert_eq!(p.kind_msgs, before, "the deployments watch stopped");
}

/// `+` on the selected row, `wanted` typed, then `y`: the row shows it.
async fn scale_selected(p: &mut Pane, name: &str, wanted: u32, title: &str) {
    let key = row(p, name).expect("listed").key.clone();
    assert!(p.app.state.kube.kind.as_mut().unwrap().list.select(&key));
    p.act(Action::Scale);
    let input = p.app.state.input.as_mut().expect("asks for replicas");
    input.text = wanted.to_string();
    p.key(KeyCode::Enter);
    let q = p.app.state.confirm.as_ref().expect("asks").question();
    assert!(q.starts_with(title), "{q}");
    p.key(KeyCode::Char('y'));
    p.until(&format!("{name} wants {wanted}"), |p| {
        row(p, name).and_then(KindRow::wanted) == Some(wanted)
    })
    .await;
    assert!(
        matches!(p.op_results.last(), Some((verb, Ok(()))) if verb == "scale"),
        "{:?}",
        p.op_results
    );
}

#[tokio::test]
async fn workloads_scale_and_restart_from_their_rows() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = opened(&sim, "dp", "cart").await;
    scale_selected(&mut p, "cart", 4, "Scale deployment shop/cart from").await;
    p.typed(":sts");
    p.key(KeyCode::Enter);
    p.until("redis listed", |p| row(p, "redis").is_some()).await;
    scale_selected(&mut p, "redis", 2, "Scale statefulset shop/redis from 1").await;
    // Ctrl-r on the same row: kubectl's restartedAt annotation on its template.
    p.act(Action::RolloutRestart);
    let q = p.app.state.confirm.as_ref().expect("asks").question();
    assert!(
        q.starts_with("Rollout restart statefulset shop/redis"),
        "{q}"
    );
    p.key(KeyCode::Char('y'));
    p.until("the restart answered", |p| p.op_results.len() == 3)
        .await;
    assert!(
        matches!(&p.op_results[2], (verb, Ok(())) if verb == "rollout restart"),
        "{:?}",
        p.op_results
    );
    let api: Api<StatefulSet> = Api::namespaced(client(&sim).await, "shop");
    let sts = api.get("redis").await.expect("redis");
    let annotations = sts.spec.template.metadata.and_then(|m| m.annotations);
    assert!(
        annotations.is_some_and(|a| a.contains_key("kubectl.kubernetes.io/restartedAt")),
        "no restartedAt on redis' template"
    );
}

#[tokio::test]
async fn describe_after_a_rollout_names_the_old_and_new_replica_sets() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = opened(&sim, "deploy", "web").await;
    // A rollout from outside: a new template, so a new ReplicaSet.
    let api: Api<Deployment> = Api::namespaced(client(&sim).await, "shop");
    let before = api.get("web").await.expect("web");
    let container = before
        .spec
        .template
        .spec
        .as_ref()
        .and_then(|s| s.containers.first())
        .map(|c| c.name.clone())
        .expect("a container");
    let patch = serde_json::json!({"spec": {"template": {"spec": {"containers": [
        {"name": container, "image": "registry.example.com/shop/web:rollout-2"}]}}}});
    api.patch("web", &PatchParams::default(), &Patch::Strategic(&patch))
        .await
        .expect("patch");
    // Done when the API has the old set at 0 and the new one at 3, and
    // the deployment says so (the simulator's controller, as the real one).
    let sets: Api<ReplicaSet> = Api::namespaced(client(&sim).await, "shop");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let (old, new) = loop {
        let web = sets
            .list(&ListParams::default().labels("app=web"))
            .await
            .expect("sets")
            .items;
        let name_of = |want: i32| {
            web.iter()
                .find(|rs| rs.spec.replicas == Some(want))
                .and_then(|rs| rs.metadata.name.clone())
        };
        let status = api
            .get("web")
            .await
            .expect("web")
            .status
            .unwrap_or_default();
        let done = status.updated_replicas == Some(3)
            && status.available_replicas == Some(3)
            && status.replicas == Some(3);
        if let (Some(old), Some(new), true) = (name_of(0), name_of(3), done) {
            break (old, new);
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the rollout never ended: {web:?}"
        );
        p.drain().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let key = row(&p, "web").expect("web").key.clone();
    assert!(p.app.state.kube.kind.as_mut().unwrap().list.select(&key));
    p.key(KeyCode::Char('d'));
    p.until("the description", |p| {
        p.app
            .state
            .overlay_log
            .as_ref()
            .is_some_and(|s| s.ended.is_some())
    })
    .await;
    let view = p.app.state.overlay_log.as_ref().expect("view");
    assert_eq!(view.title, "describe deployment/web -n shop");
    let text: Vec<String> = view
        .buffer
        .iter()
        .map(|(_, l)| l.text().to_string())
        .collect();
    let text = text.join("\n");
    for line in [
        "Namespace:              shop".to_string(),
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable"
            .into(),
        "StrategyType:           RollingUpdate".into(),
        "RollingUpdateStrategy:  25% max unavailable, 25% max surge".into(),
        "    Image:      registry.example.com/shop/web:rollout-2".into(),
        "  Progressing    True    NewReplicaSetAvailable".into(),
        format!("OldReplicaSets:  {old} (0/0 replicas created)"),
        format!("NewReplicaSet:   {new} (3/3 replicas created)"),
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }
    assert!(
        text.contains("ScalingReplicaSet"),
        "the rollout's events: {text}"
    );
    sim.shutdown().await;
}
