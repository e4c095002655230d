//! Warning events feed the Overview through the real kube client against
//! the simulator: a claim's ProvisioningFailed and a node's NotReady are
//! listed; a Normal event, an old warning and one about a pod already
//! listed as broken are not; `Enter` shows the object in its kind's view.

use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, PostParams};
use opsdeck::core::action::Action;
use opsdeck::core::msg::Msg;
use opsdeck::core::state::Tab;
use opsdeck::core::triage::{self, Target};
use opsdeck_sim::kube::{KubeSim, Scenario};

use crate::harness::{Pane, client, scope};

/// An event about `kind` `ns/name`, last seen `mins_ago`.
fn event(name: &str, kind: &str, ns: &str, object: &str, warning: bool, mins_ago: i64) -> Event {
    let seen = chrono::Utc::now() - chrono::Duration::minutes(mins_ago);
    let t = seen.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": name, "namespace": if ns.is_empty() { "default" } else { ns }},
        "involvedObject": {"kind": kind, "namespace": ns, "name": object},
        "reason": format!("Reason-{name}"),
        "message": format!("message of {name}"),
        "type": if warning { "Warning" } else { "Normal" },
        "count": 3,
        "firstTimestamp": t, "lastTimestamp": t,
    }))
    .expect("event")
}

fn warning_rows(p: &Pane) -> Vec<(String, String)> {
    triage::items(&p.app.state)
        .into_iter()
        .filter(|i| i.key.starts_with("kube-warning:"))
        .map(|i| (i.what, i.reason))
        .collect()
}

#[tokio::test]
async fn recent_warnings_reach_the_overview_and_enter_shows_their_object() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "*"));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    let c = client(&sim).await;
    let shop: Api<Event> = Api::namespaced(c.clone(), "shop");
    let default: Api<Event> = Api::namespaced(c, "default");
    let pp = PostParams::default();
    let claim = event(
        "claim-w",
        "PersistentVolumeClaim",
        "shop",
        "data-0",
        true,
        1,
    );
    shop.create(&pp, &claim).await.expect("claim warning");
    let node = event("node-w", "Node", "", "worker-2", true, 2);
    default.create(&pp, &node).await.expect("node warning");
    let normal = event(
        "claim-n",
        "PersistentVolumeClaim",
        "shop",
        "data-1",
        false,
        1,
    );
    shop.create(&pp, &normal).await.expect("normal event");
    let old = event(
        "claim-old",
        "PersistentVolumeClaim",
        "shop",
        "data-2",
        true,
        30,
    );
    shop.create(&pp, &old).await.expect("old warning");
    // The demo's crash-looping cart pods are on the Overview already.
    let broken_pod = triage::items(&p.app.state)
        .into_iter()
        .find_map(|i| match i.target {
            Target::Pod {
                namespace, name, ..
            } => Some((namespace, name)),
            _ => None,
        })
        .expect("a broken pod in the demo");
    let about_pod = event("pod-w", "Pod", &broken_pod.0, &broken_pod.1, true, 1);
    Api::<Event>::namespaced(client(&sim).await, &broken_pod.0)
        .create(&pp, &about_pod)
        .await
        .expect("pod warning");

    p.app.apply(Msg::Tick {
        now: chrono::Utc::now(),
    });
    p.until("the two recent warnings", |p| {
        p.app
            .state
            .kube
            .warnings
            .iter()
            .any(|(_, e)| e.name == "pod-w")
            && warning_rows(p).len() >= 2
    })
    .await;
    let rows = warning_rows(&p);
    assert!(
        rows.contains(&(
            "persistentvolumeclaim shop/data-0".into(),
            "Reason-claim-w: message of claim-w (x3)".into()
        )),
        "{rows:#?}"
    );
    assert!(
        rows.contains(&(
            "node worker-2".into(),
            "Reason-node-w: message of node-w (x3)".into()
        )),
        "{rows:#?}"
    );
    for absent in ["claim-n", "claim-old", "pod-w"] {
        assert!(
            rows.iter().all(|(_, reason)| !reason.contains(absent)),
            "{absent} should not be on the Overview: {rows:#?}"
        );
    }
    // The Normal event was never sent: the server filtered it.
    assert!(
        p.app
            .state
            .kube
            .warnings
            .iter()
            .all(|(_, e)| e.name != "claim-n")
    );

    // Enter on the claim's row: its view, the claim selected once listed.
    p.app.state.tab = Tab::Overview;
    p.app.apply(Msg::BatchDone);
    let key = triage::items(&p.app.state)
        .into_iter()
        .find(|i| i.what == "persistentvolumeclaim shop/data-0")
        .map(|i| i.key)
        .expect("the claim's row");
    assert!(
        p.app.state.overview.select(&key),
        "{key} is on the Overview"
    );
    p.act(Action::Open);
    assert_eq!(p.app.state.tab, Tab::Kubernetes);
    let view = p.app.state.kube.kind.as_ref().expect("a kind view");
    assert_eq!(view.spec.kind, "PersistentVolumeClaim");
}
