//! The timeline fed by the real kube client against the simulator: the
//! ReplicaSets' revisions are rollouts (those from before start-up too),
//! a new image is a new revision whose row names both images and the
//! commit of its tag, and a scale of the newest revision is a scale.

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams, PostParams};
use opsdeck::core::timeline::{Change, Entry};
use opsdeck_sim::kube::{KubeSim, Scenario};

use crate::harness::{Pane, client, scope};

fn web_entries(p: &Pane, change: Change) -> Vec<Entry> {
    p.app
        .state
        .timeline
        .entries
        .newest_first()
        .filter(|(_, e)| {
            e.change == change
                && e.workload
                    .as_deref()
                    .is_some_and(|w| w.ends_with("/shop/web"))
        })
        .map(|(_, e)| e.clone())
        .collect()
}

#[tokio::test]
async fn rollouts_image_changes_and_scales_reach_the_timeline() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = Pane::start(&sim, scope(&[], "shop"));
    p.until("web's first revision, read from its ReplicaSet", |p| {
        !web_entries(p, Change::Rollout).is_empty()
    })
    .await;
    let first = web_entries(&p, Change::Rollout)[0].clone();
    assert!(first.what.starts_with("deployment web rev "), "{first:?}");

    let api: Api<Deployment> = Api::namespaced(client(&sim).await, "shop");
    let mut web = api.get("web").await.expect("web");
    let spec = &mut web.spec;
    let pod_spec = spec.template.spec.as_mut().expect("pod spec");
    let old_image = pod_spec.containers[0].image.clone().unwrap_or_default();
    pod_spec.containers[0].image = Some("ghcr.io/acme/web:3f2c1ab".into());
    api.replace("web", &PostParams::default(), &web)
        .await
        .expect("new image");
    p.until("the new revision", |p| {
        web_entries(p, Change::Rollout).len() >= 2
    })
    .await;
    let rollout = web_entries(&p, Change::Rollout)[0].clone();
    assert_eq!(
        rollout.reason,
        format!("image {old_image} -> ghcr.io/acme/web:3f2c1ab")
    );
    assert_eq!(rollout.commit.as_deref(), Some("3f2c1ab"));
    assert!(rollout.at >= first.at, "at the ReplicaSet's creation");

    let patch = serde_json::json!({"spec": {"replicas": 5}});
    api.patch_scale("web", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("scale");
    p.until("the scale", |p| !web_entries(p, Change::Scale).is_empty())
        .await;
    let scale = web_entries(&p, Change::Scale)[0].clone();
    assert!(scale.reason.ends_with("-> 5"), "{scale:?}");
    sim.shutdown().await;
}
