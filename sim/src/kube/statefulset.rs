//! A minimal StatefulSet controller: ordinal pods created in order, scaled
//! down from the top, and rolled one pod at a time when the template changes.

use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use tokio::time::Instant;

use super::controllers::{pod_ready, str_at, terminating, u64_at};
use super::events::Source;
use super::objects::{pod_from_template, template_hash};
use super::pod_ops;
use super::state::SimState;
use super::store::{Key, Kind};

pub(crate) fn reconcile(st: &mut SimState, key: &Key, now: Instant) {
    let Some(set) = st.store.get(Kind::StatefulSet, &key.0, &key.1) else {
        return;
    };
    let uid = str_at(&set.value, "/metadata/uid").to_string();
    let desired = u64_at(&set.value, "/spec/replicas", 1);
    let template = set
        .value
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let revision = format!("{}-{}", key.1, template_hash(&template));
    let t = Utc::now();
    let pod_at = |st: &SimState, i: u64| st.store.get(Kind::Pod, &key.0, &format!("{}-{i}", key.1));

    // Create the lowest missing ordinal once every lower one is ready.
    for i in 0..desired {
        match pod_at(st, i) {
            Some(p) if pod_ready(&p.value) && !terminating(&p.value) => continue,
            Some(_) => break,
            None => {
                let name = format!("{}-{i}", key.1);
                let labels = [
                    ("controller-revision-hash", revision.as_str()),
                    ("statefulset.kubernetes.io/pod-name", name.as_str()),
                ];
                let pod = pod_from_template(
                    &key.0,
                    &name,
                    &template,
                    ("StatefulSet", &key.1, &uid),
                    &labels,
                );
                if st.store.create(Kind::Pod, pod).is_ok() {
                    let msg = format!("create Pod {name} in StatefulSet {} successful", key.1);
                    st.events.record(
                        &mut st.store,
                        &set.value,
                        None,
                        false,
                        "SuccessfulCreate",
                        &msg,
                        Source::StatefulSetController,
                        t,
                    );
                }
                break;
            }
        }
    }

    let ordinals: Vec<(u64, std::sync::Arc<super::store::Stored>)> = st
        .store
        .range(Kind::Pod, Some(&key.0), None)
        .filter_map(|(k, p)| {
            let i =
                k.1.strip_prefix(&format!("{}-", key.1))?
                    .parse::<u64>()
                    .ok()?;
            (str_at(&p.value, "/metadata/ownerReferences/0/uid") == uid).then(|| (i, p.clone()))
        })
        .collect();
    let busy = ordinals.iter().any(|(_, p)| terminating(&p.value));
    if !busy {
        let extra = ordinals
            .iter()
            .filter(|(i, _)| *i >= desired)
            .max_by_key(|(i, _)| *i);
        let all_ready =
            ordinals.len() as u64 == desired && ordinals.iter().all(|(_, p)| pod_ready(&p.value));
        let stale = ordinals
            .iter()
            .filter(|(_, p)| {
                str_at(&p.value, "/metadata/labels/controller-revision-hash") != revision
            })
            .max_by_key(|(i, _)| *i);
        let victim = extra.or(if all_ready { stale } else { None });
        if let Some((_, p)) = victim {
            let name = str_at(&p.value, "/metadata/name").to_string();
            if pod_ops::begin_delete(st, &key.0, &name, Duration::from_secs(30), now).is_ok() {
                let msg = format!("delete Pod {name} in StatefulSet {} successful", key.1);
                st.events.record(
                    &mut st.store,
                    &set.value,
                    None,
                    false,
                    "SuccessfulDelete",
                    &msg,
                    Source::StatefulSetController,
                    t,
                );
            }
        }
    }

    let live: Vec<_> = ordinals
        .iter()
        .filter(|(_, p)| !terminating(&p.value))
        .collect();
    let ready = live.iter().filter(|(_, p)| pod_ready(&p.value)).count();
    let updated = live
        .iter()
        .filter(|(_, p)| str_at(&p.value, "/metadata/labels/controller-revision-hash") == revision)
        .count();
    let generation = u64_at(&set.value, "/metadata/generation", 1);
    let _ = st.store.update(Kind::StatefulSet, &key.0, &key.1, |v| {
        v["status"] = json!({"observedGeneration": generation, "replicas": live.len(),
            "readyReplicas": ready, "availableReplicas": ready, "currentReplicas": updated,
            "updatedReplicas": updated, "currentRevision": revision, "updateRevision": revision,
            "collisionCount": 0});
        Ok(())
    });
}
