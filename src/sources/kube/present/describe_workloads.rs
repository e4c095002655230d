//! kubectl's describers for the apps/v1 workloads, line for line
//! (k8s.io/kubectl/pkg/describe/describe.go): `describeDeployment`,
//! `describeReplicaSet`, `describeStatefulSet` and `describeDaemonSet`.
//! Their pod templates go through `describe_pod::pod_template`, the same
//! container and volume text a pod's describe uses.

use serde_json::Value;

use super::describe::{Related, Writer, pairs, scalar, str_at, when_at};
use super::describe_pod::pod_template;

/// An integer at a JSON pointer, `default` when absent.
pub(super) fn int_at(v: &Value, pointer: &str, default: i64) -> i64 {
    v.pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or(default)
}

/// A label selector as kubectl prints one (`metav1.FormatLabelSelector`:
/// `matchLabels` as `k=v`, `matchExpressions` as `k in (a,b)`,
/// `k notin (a,b)`, `k`, `!k`; sorted by key, joined by commas), `<none>`
/// when it selects by nothing.
pub(super) fn selector(sel: Option<&Value>) -> String {
    let mut reqs: Vec<(String, String)> = pairs(sel.and_then(|s| s.get("matchLabels")), None)
        .into_iter()
        .map(|kv| (kv.split('=').next().unwrap_or_default().to_string(), kv))
        .collect();
    let exprs = sel
        .and_then(|s| s.get("matchExpressions"))
        .and_then(Value::as_array);
    for e in exprs.into_iter().flatten() {
        let key = str_at(e, "/key").to_string();
        let mut values: Vec<String> = e
            .get("values")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(scalar)
            .collect();
        values.sort();
        let text = match str_at(e, "/operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            other => format!("{key} {other} ({})", values.join(",")),
        };
        reqs.push((key, text));
    }
    // kubectl's selector keeps its requirements sorted by key.
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    let text: Vec<String> = reqs.into_iter().map(|(_, t)| t).collect();
    if text.is_empty() {
        "<none>".into()
    } else {
        text.join(",")
    }
}

/// An int-or-string field as kubectl prints it; `<nil>` when absent, as
/// Go prints a nil one.
fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::Null) | None => "<nil>".into(),
        Some(v) => scalar(v),
    }
}

/// Whether `child` names `owner` as its controller (kubectl's
/// `metav1.GetControllerOf`, then the UID compared).
fn controlled_by(child: &Value, owner: &Value) -> bool {
    let uid = str_at(owner, "/metadata/uid");
    let refs = child
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array);
    !uid.is_empty()
        && refs.into_iter().flatten().any(|r| {
            r.get("controller").and_then(Value::as_bool) == Some(true) && str_at(r, "/uid") == uid
        })
}

/// `Controlled By:  Kind/name` when the object has a controller.
fn controller_line(w: &mut Writer, object: &Value) {
    let refs = object
        .pointer("/metadata/ownerReferences")
        .and_then(Value::as_array);
    let controller = refs
        .into_iter()
        .flatten()
        .find(|r| r.get("controller").and_then(Value::as_bool) == Some(true));
    if let Some(r) = controller {
        w.field(
            0,
            "Controlled By",
            format!("{}/{}", str_at(r, "/kind"), str_at(r, "/name")),
        );
    }
}

/// kubectl's `getPodStatusForController` line: the pods the workload
/// controls counted by phase. Left out when the pods were not listed; a
/// failed list is said as kubectl's ReplicaSet describer says it (for the
/// other kinds kubectl gives up the whole describe instead).
fn pods_status(w: &mut Writer, object: &Value, related: &Related) {
    let pods = match &related.pods {
        None => return,
        Some(Err(e)) => return w.field(0, "Pods Status", format!("error in fetching pods: {e}")),
        Some(Ok(pods)) => pods,
    };
    let mut counts = [0usize; 4];
    for pod in pods.iter().filter(|p| controlled_by(p, object)) {
        let slot = match str_at(pod, "/status/phase") {
            "Running" => 0,
            "Pending" => 1,
            "Succeeded" => 2,
            "Failed" => 3,
            _ => continue,
        };
        counts[slot] += 1;
    }
    let [running, waiting, succeeded, failed] = counts;
    w.field(
        0,
        "Pods Status",
        format!("{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed"),
    );
}

pub(super) fn name_and_namespace(w: &mut Writer, object: &Value) {
    w.field(0, "Name", str_at(object, "/metadata/name"));
    w.field(0, "Namespace", str_at(object, "/metadata/namespace"));
}

pub(super) fn labels_and_annotations(w: &mut Writer, object: &Value) {
    w.many(
        0,
        "Labels",
        &pairs(object.pointer("/metadata/labels"), None),
    );
    w.annotations("Annotations", object.pointer("/metadata/annotations"));
}

/// kubectl's `describeDeployment`.
pub(super) fn deployment(w: &mut Writer, d: &Value, related: &Related) {
    name_and_namespace(w, d);
    w.field(
        0,
        "CreationTimestamp",
        when_at(d, "/metadata/creationTimestamp"),
    );
    labels_and_annotations(w, d);
    w.field(0, "Selector", selector(d.pointer("/spec/selector")));
    let n = |p: &str| int_at(d, p, 0);
    // The API server sets `spec.replicas` (to 1 when left out).
    w.field(
        0,
        "Replicas",
        format!(
            "{} desired | {} updated | {} total | {} available | {} unavailable",
            int_at(d, "/spec/replicas", 1),
            n("/status/updatedReplicas"),
            n("/status/replicas"),
            n("/status/availableReplicas"),
            n("/status/unavailableReplicas"),
        ),
    );
    w.field(0, "StrategyType", str_at(d, "/spec/strategy/type"));
    w.field(0, "MinReadySeconds", n("/spec/minReadySeconds").to_string());
    if let Some(ru) = d
        .pointer("/spec/strategy/rollingUpdate")
        .filter(|r| !r.is_null())
    {
        w.field(
            0,
            "RollingUpdateStrategy",
            format!(
                "{} max unavailable, {} max surge",
                int_or_string(ru.get("maxUnavailable")),
                int_or_string(ru.get("maxSurge")),
            ),
        );
    }
    pod_template(w, d.pointer("/spec/template"));
    w.conditions(d);
    if let Some(sets) = &related.replica_sets {
        let (old, new) = split_replica_sets(d, sets);
        if !old.is_empty() || new.is_some() {
            w.field(0, "OldReplicaSets", replica_sets_words(&old));
            w.field(
                0,
                "NewReplicaSet",
                replica_sets_words(&new.into_iter().collect::<Vec<_>>()),
            );
        }
    }
}

/// The Deployment's own ReplicaSets split as kubectl's deployment util
/// does: the new one is the oldest whose pod template is the
/// Deployment's (the `pod-template-hash` label aside); every other is old.
fn split_replica_sets<'a>(d: &Value, sets: &'a [Value]) -> (Vec<&'a Value>, Option<&'a Value>) {
    let without_hash = |t: Option<&Value>| {
        let mut t = t.cloned().unwrap_or(Value::Null);
        if let Some(labels) = t
            .pointer_mut("/metadata/labels")
            .and_then(Value::as_object_mut)
        {
            labels.remove("pod-template-hash");
        }
        t
    };
    let wanted = without_hash(d.pointer("/spec/template"));
    let own: Vec<&Value> = sets.iter().filter(|rs| controlled_by(rs, d)).collect();
    let mut by_age = own.clone();
    by_age.sort_by(|a, b| {
        let key = |v: &Value| {
            (
                str_at(v, "/metadata/creationTimestamp").to_string(),
                str_at(v, "/metadata/name").to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    let new = by_age
        .into_iter()
        .find(|rs| without_hash(rs.pointer("/spec/template")) == wanted);
    let new_uid = new.map(|rs| str_at(rs, "/metadata/uid"));
    let old = own
        .into_iter()
        .filter(|rs| Some(str_at(rs, "/metadata/uid")) != new_uid)
        .collect();
    (old, new)
}

/// `web-7c9f (3/3 replicas created), …` or `<none>`.
fn replica_sets_words(sets: &[&Value]) -> String {
    let words: Vec<String> = sets
        .iter()
        .map(|rs| {
            format!(
                "{} ({}/{} replicas created)",
                str_at(rs, "/metadata/name"),
                int_at(rs, "/status/replicas", 0),
                int_at(rs, "/spec/replicas", 1),
            )
        })
        .collect();
    if words.is_empty() {
        "<none>".into()
    } else {
        words.join(", ")
    }
}

/// kubectl's `describeReplicaSet`.
pub(super) fn replica_set(w: &mut Writer, rs: &Value, related: &Related) {
    name_and_namespace(w, rs);
    w.field(0, "Selector", selector(rs.pointer("/spec/selector")));
    labels_and_annotations(w, rs);
    controller_line(w, rs);
    w.field(
        0,
        "Replicas",
        format!(
            "{} current / {} desired",
            int_at(rs, "/status/replicas", 0),
            int_at(rs, "/spec/replicas", 1)
        ),
    );
    pods_status(w, rs, related);
    pod_template(w, rs.pointer("/spec/template"));
    w.conditions(rs);
}

/// kubectl's `describeStatefulSet`, its volume claim templates included.
pub(super) fn stateful_set(w: &mut Writer, sts: &Value, related: &Related) {
    name_and_namespace(w, sts);
    w.field(
        0,
        "CreationTimestamp",
        when_at(sts, "/metadata/creationTimestamp"),
    );
    w.field(0, "Selector", selector(sts.pointer("/spec/selector")));
    labels_and_annotations(w, sts);
    w.field(
        0,
        "Replicas",
        format!(
            "{} desired | {} total",
            int_at(sts, "/spec/replicas", 1),
            int_at(sts, "/status/replicas", 0)
        ),
    );
    w.field(
        0,
        "Update Strategy",
        str_at(sts, "/spec/updateStrategy/type"),
    );
    let rolling = sts.pointer("/spec/updateStrategy/rollingUpdate");
    if let Some(partition) = rolling
        .and_then(|r| r.get("partition"))
        .and_then(Value::as_i64)
    {
        w.field(1, "Partition", partition.to_string());
        if let Some(max) = rolling.and_then(|r| r.get("maxUnavailable")) {
            w.field(1, "MaxUnavailable", scalar(max));
        }
    }
    pods_status(w, sts, related);
    pod_template(w, sts.pointer("/spec/template"));
    volume_claims(w, sts);
}

/// kubectl's `describeVolumeClaimTemplates`.
fn volume_claims(w: &mut Writer, sts: &Value) {
    let claims = sts
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array);
    let Some(claims) = claims.filter(|c| !c.is_empty()) else {
        return w.field(0, "Volume Claims", "<none>");
    };
    w.head(0, "Volume Claims");
    for pvc in claims {
        w.field(1, "Name", str_at(pvc, "/metadata/name"));
        // The class, else the old beta annotation; blank when neither.
        let class = match str_at(pvc, "/spec/storageClassName") {
            "" => str_at(
                pvc,
                "/metadata/annotations/volume.beta.kubernetes.io~1storage-class",
            ),
            c => c,
        };
        w.raw(1, &format!("StorageClass:\t{class}"));
        // Here kubectl writes the annotations as it writes labels.
        for (word, field) in [("Labels", "labels"), ("Annotations", "annotations")] {
            let items = pairs(pvc.pointer(&format!("/metadata/{field}")), None);
            match items.split_first() {
                None => w.field(1, word, "<none>"),
                Some((first, rest)) => {
                    w.raw(1, &format!("{word}:\t{first}"));
                    rest.iter().for_each(|i| w.raw(1, &format!("\t{i}")));
                }
            }
        }
        let capacity = pvc.pointer("/spec/resources/requests/storage");
        w.field(
            1,
            "Capacity",
            capacity.map_or_else(|| "<default>".into(), scalar),
        );
        let modes: Vec<String> = pvc
            .pointer("/spec/accessModes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(scalar)
            .collect();
        w.field(1, "Access Modes", format!("[{}]", modes.join(" ")));
    }
}

/// kubectl's `describeDaemonSet`; its node counts are written without a
/// tab, so they stand outside the alignment as in kubectl.
pub(super) fn daemon_set(w: &mut Writer, ds: &Value, related: &Related) {
    name_and_namespace(w, ds);
    w.field(0, "Selector", selector(ds.pointer("/spec/selector")));
    let node_selector = pairs(ds.pointer("/spec/template/spec/nodeSelector"), None).join(",");
    w.field(0, "Node-Selector", node_selector);
    labels_and_annotations(w, ds);
    let n = |p: &str| int_at(ds, p, 0);
    for (words, field) in [
        (
            "Desired Number of Nodes Scheduled",
            "desiredNumberScheduled",
        ),
        (
            "Current Number of Nodes Scheduled",
            "currentNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Up-to-date Pods",
            "updatedNumberScheduled",
        ),
        (
            "Number of Nodes Scheduled with Available Pods",
            "numberAvailable",
        ),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ] {
        w.raw(0, &format!("{words}: {}", n(&format!("/status/{field}"))));
    }
    pods_status(w, ds, related);
    pod_template(w, ds.pointer("/spec/template"));
}
