//! What the timeline needs of a ReplicaSet: its Deployment, revision,
//! creation time, images and replica count (a rollout is a new revision).

use k8s_openapi::api::apps::v1::ReplicaSet;

use crate::core::timeline_feed::RolloutFacts;

use super::convert::{controller, time};

/// The annotation the Deployment controller writes on each ReplicaSet
/// (kubernetes.io docs, "Deployments: Checking Rollout History").
const REVISION: &str = "deployment.kubernetes.io/revision";
/// The Deployment's `spec.replicas`, stamped on its sets at each scale
/// (kubernetes pkg/controller/deployment/util, `SetReplicasAnnotations`).
const DESIRED: &str = "deployment.kubernetes.io/desired-replicas";

pub fn facts(rs: &ReplicaSet) -> RolloutFacts {
    let meta = &rs.metadata;
    let deployment = controller(meta)
        .filter(|o| o.kind == "Deployment")
        .map(|o| o.name);
    let annotation = |name: &str| {
        meta.annotations
            .as_ref()
            .and_then(|a| a.get(name))
            .and_then(|r| r.trim().parse::<u64>().ok())
    };
    let revision = annotation(REVISION);
    let desired = annotation(DESIRED).and_then(|d| u32::try_from(d).ok());
    let spec = Some(&rs.spec);
    let images = spec
        .and_then(|s| s.template.as_ref())
        .and_then(|t| t.spec.as_ref())
        .map(|p| {
            p.containers
                .iter()
                .filter_map(|c| c.image.clone())
                .collect()
        })
        .unwrap_or_default();
    RolloutFacts {
        namespace: meta.namespace.clone().unwrap_or_default(),
        name: meta.name.clone().unwrap_or_default(),
        deployment,
        revision,
        created: meta.creation_timestamp.as_ref().map(time),
        images,
        desired,
        replicas: spec
            .and_then(|s| s.replicas)
            .and_then(|r| u32::try_from(r).ok())
            .unwrap_or(0),
    }
}
