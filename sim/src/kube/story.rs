//! The Kubernetes half of [`crate::story`]: shop/storefront ran
//! [`story::PREVIOUS_IMAGE`] for days; [`story::ROLLOUT_AGO`] before the
//! start its template moved to the image of the deploy run's commit; the
//! new ReplicaSet's pods crash-loop from then on (and so would any pod of
//! that image: its behaviour goes with the image), while the old ones
//! keep serving.

use std::time::Duration;

use tokio::time::Instant;

use super::kubelet::Behavior;
use super::logtext::Flavor;
use super::objects::container;
use super::scenario::warm;
use super::state::SimState;
use super::workloads::{DAY, Workload, ago, roll_out, spawn};
use crate::story;

pub(crate) fn build(st: &mut SimState, now: Instant) {
    let steady = Behavior::Steady {
        ready_after: Duration::from_millis(600),
    };
    let w = Workload {
        ns: story::NAMESPACE.to_string(),
        name: story::DEPLOYMENT.to_string(),
        replicas: story::REPLICAS,
        containers: vec![container("app", story::PREVIOUS_IMAGE)],
        init: Vec::new(),
        behavior: steady.clone(),
        flavor: Flavor::Web,
        age: Duration::from_secs(12 * DAY),
        stateful: false,
    };
    st.kubelet
        .behaviors
        .insert((w.ns.clone(), w.name.clone()), (steady, w.flavor));
    let image = story::image();
    // Never ready: the image's readiness probe would first look after
    // the crash. So the new pods never count as available, and the
    // rolling update keeps three old pods serving (maxUnavailable 1 of 4),
    // as a real rollout of a crashing image stalls.
    let crashing = Behavior::CrashLoop {
        run_for: Duration::from_secs(7),
        oom: false,
        ready: false,
    };
    st.kubelet
        .image_behaviors
        .insert(image.clone(), crashing.clone());
    let mut old = spawn(st, &w);
    let new = roll_out(
        st,
        &w,
        &mut old,
        &[container("app", &image)],
        ago(story::ROLLOUT_AGO),
        crashing,
    );
    for (name, mut rt) in old.into_iter().chain(new) {
        warm(st, &w.ns, &name, &mut rt, now);
        st.kubelet.pods.insert((w.ns.clone(), name), rt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kube::store::Kind;

    /// The stalled rollout as the controller leaves it: revision 1 with
    /// its creation days ago and three pods, revision 2 created at the
    /// rollout's time with two pods of the new image.
    #[test]
    fn the_story_is_a_stalled_rollout_of_the_deploy_runs_image() {
        let mut st = crate::kube::blank_state();
        build(&mut st, Instant::now());
        let sets: Vec<(String, String, u64, String)> = st
            .store
            .range(Kind::ReplicaSet, Some(story::NAMESPACE), None)
            .map(|(_, r)| {
                (
                    r.str_at("/metadata/annotations/deployment.kubernetes.io~1revision")
                        .to_string(),
                    r.str_at("/metadata/creationTimestamp").to_string(),
                    r.value
                        .pointer("/spec/replicas")
                        .and_then(serde_json::Value::as_u64)
                        .unwrap_or(0),
                    r.str_at("/spec/template/spec/containers/0/image")
                        .to_string(),
                )
            })
            .collect();
        let rollout = crate::kube::objects::rfc3339(ago(story::ROLLOUT_AGO));
        let mut by_revision = sets.clone();
        by_revision.sort();
        assert_eq!(by_revision.len(), 2, "{sets:?}");
        assert_eq!(by_revision[0].0, "1");
        assert!(by_revision[0].1 < rollout, "{sets:?}");
        assert_eq!(
            (by_revision[0].2, by_revision[0].3.as_str()),
            (3, story::PREVIOUS_IMAGE)
        );
        assert_eq!(by_revision[1].0, "2");
        assert_eq!(
            (by_revision[1].2, by_revision[1].3.clone()),
            (2, story::image())
        );
        let new_pods = st
            .kubelet
            .pods
            .values()
            .filter(|rt| matches!(rt.behavior, Behavior::CrashLoop { .. }))
            .count();
        assert_eq!(new_pods, 2);
        assert_eq!(st.kubelet.pods.len(), 5);
    }

    /// A minute of the kubelet and the controllers later the rollout has
    /// not moved: the crashing pods never became available, so the three
    /// old pods still serve (the demo once showed all four crashing).
    #[test]
    fn the_rollout_stays_stalled_while_the_new_pods_crash() {
        let mut st = crate::kube::blank_state();
        let start = Instant::now();
        build(&mut st, start);
        for step in 0..240u64 {
            let now = start + Duration::from_millis(250 * step);
            super::super::lifecycle::run_timers(&mut st, now);
            super::super::controllers::tick(&mut st, now);
        }
        let images: Vec<String> = st
            .store
            .range(Kind::Pod, Some(story::NAMESPACE), None)
            .map(|(_, p)| p.str_at("/spec/containers/0/image").to_string())
            .collect();
        let old = images
            .iter()
            .filter(|i| *i == story::PREVIOUS_IMAGE)
            .count();
        let new = images.iter().filter(|i| **i == story::image()).count();
        assert_eq!((old, new), (3, 2), "{images:?}");
    }
}
