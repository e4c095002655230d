//! Builders for the objects the simulator stores, in the JSON shape the API
//! server returns (field names, defaults and the labels controllers add).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn now_rfc3339() -> String {
    rfc3339(Utc::now())
}

pub(crate) fn namespace(name: &str, created: DateTime<Utc>) -> Value {
    json!({
        "metadata": {"name": name, "creationTimestamp": rfc3339(created),
                     "labels": {"kubernetes.io/metadata.name": name}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"}
    })
}

/// One container of a workload's pod template.
#[derive(Debug, Clone)]
pub(crate) struct ContainerSpec {
    pub name: String,
    pub image: String,
}

pub(crate) fn container(name: &str, image: &str) -> ContainerSpec {
    ContainerSpec {
        name: name.to_string(),
        image: image.to_string(),
    }
}

fn container_json(c: &ContainerSpec, port: Option<u16>) -> Value {
    let mut v = json!({
        "name": c.name, "image": c.image, "imagePullPolicy": "IfNotPresent",
        "resources": {"requests": {"cpu": "50m", "memory": "64Mi"},
                      "limits": {"memory": "256Mi"}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File"
    });
    if let Some(p) = port {
        v["ports"] = json!([{"containerPort": p, "protocol": "TCP"}]);
    }
    v
}

/// A pod template labelled `app: <app>`.
pub(crate) fn pod_template(
    app: &str,
    containers: &[ContainerSpec],
    init: &[ContainerSpec],
) -> Value {
    let cs: Vec<Value> = containers
        .iter()
        .enumerate()
        .map(|(i, c)| container_json(c, (i == 0).then_some(8080)))
        .collect();
    let mut spec = json!({
        "containers": cs, "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
        "schedulerName": "default-scheduler", "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30, "securityContext": {}
    });
    if !init.is_empty() {
        spec["initContainers"] = json!(
            init.iter()
                .map(|c| container_json(c, None))
                .collect::<Vec<_>>()
        );
    }
    json!({"metadata": {"labels": {"app": app}}, "spec": spec})
}

pub(crate) fn deployment(
    ns: &str,
    name: &str,
    replicas: u32,
    template: Value,
    created: DateTime<Utc>,
) -> Value {
    json!({
        "metadata": {"name": name, "namespace": ns, "generation": 1,
                     "creationTimestamp": rfc3339(created),
                     "labels": {"app": name},
                     "annotations": {"deployment.kubernetes.io/revision": "1"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": template,
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
        },
        "status": {}
    })
}

pub(crate) fn stateful_set(
    ns: &str,
    name: &str,
    replicas: u32,
    template: Value,
    created: DateTime<Utc>,
) -> Value {
    json!({
        "metadata": {"name": name, "namespace": ns, "generation": 1,
                     "creationTimestamp": rfc3339(created), "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "serviceName": name,
            "selector": {"matchLabels": {"app": name}},
            "template": template,
            "podManagementPolicy": "OrderedReady",
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
        },
        "status": {}
    })
}

/// The hash controllers stamp into `pod-template-hash`: a 32-bit FNV-1a of
/// the template, spelled with the API server's vowel-free alphabet.
pub(crate) fn template_hash(template: &Value) -> String {
    const SAFE: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let text = serde_json::to_string(template).unwrap_or_default();
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h.to_string()
        .bytes()
        .map(|b| char::from(SAFE[usize::from(b) % SAFE.len()]))
        .collect()
}

pub(crate) fn owner_ref(kind: &str, name: &str, uid: &str) -> Value {
    json!([{"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": uid,
            "controller": true, "blockOwnerDeletion": true}])
}

pub(crate) fn replica_set(deploy: &Value, hash: &str, replicas: u32, revision: u64) -> Value {
    let s = |p: &str| {
        deploy
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let (ns, name, uid) = (
        s("/metadata/namespace"),
        s("/metadata/name"),
        s("/metadata/uid"),
    );
    let desired = deploy
        .pointer("/spec/replicas")
        .cloned()
        .unwrap_or(json!(1));
    let mut template = deploy
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let mut labels = template["metadata"]["labels"].clone();
    labels["pod-template-hash"] = json!(hash);
    let mut selector = deploy
        .pointer("/spec/selector/matchLabels")
        .cloned()
        .unwrap_or(json!({}));
    selector["pod-template-hash"] = json!(hash);
    json!({
        "metadata": {
            "name": format!("{name}-{hash}"), "namespace": ns, "generation": 1,
            "labels": labels,
            "annotations": {"deployment.kubernetes.io/desired-replicas": desired.to_string(),
                            "deployment.kubernetes.io/max-replicas": desired.to_string(),
                            "deployment.kubernetes.io/revision": revision.to_string()},
            "ownerReferences": owner_ref("Deployment", name, uid)
        },
        "spec": {"replicas": replicas, "selector": {"matchLabels": selector}, "template": template},
        "status": {"replicas": 0, "observedGeneration": 1}
    })
}

/// A new pod stamped from `template`, owned by the given controller.
pub(crate) fn pod_from_template(
    ns: &str,
    name: &str,
    template: &Value,
    owner: (&str, &str, &str),
    extra_labels: &[(&str, &str)],
) -> Value {
    let mut labels = template
        .pointer("/metadata/labels")
        .cloned()
        .unwrap_or(json!({}));
    for (k, v) in extra_labels {
        labels[*k] = json!(v);
    }
    let annotations = template.pointer("/metadata/annotations").cloned();
    let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
    spec["enableServiceLinks"] = json!(true);
    spec["preemptionPolicy"] = json!("PreemptLowerPriority");
    spec["priority"] = json!(0);
    spec["tolerations"] = json!([
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
    ]);
    let (okind, oname, ouid) = owner;
    let mut meta = json!({"name": name, "namespace": ns, "labels": labels,
                          "ownerReferences": owner_ref(okind, oname, ouid)});
    if okind == "ReplicaSet" {
        meta["generateName"] = json!(format!("{oname}-"));
    }
    if let Some(a) = annotations {
        meta["annotations"] = a;
    }
    json!({"metadata": meta, "spec": spec,
           "status": {"phase": "Pending", "qosClass": "Burstable"}})
}

/// The five random characters the API server appends to `generateName`.
pub(crate) fn name_suffix(n: u64) -> String {
    const ALPHA: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut x = n;
    (0..5)
        .map(|_| {
            let c = ALPHA[(x % ALPHA.len() as u64) as usize];
            x /= ALPHA.len() as u64;
            char::from(c)
        })
        .collect()
}

pub(crate) fn ip_for(name: &str, base: &str) -> String {
    let h = name
        .bytes()
        .fold(7u32, |a, b| a.wrapping_mul(31).wrapping_add(u32::from(b)));
    format!("{base}.{}.{}", (h >> 8) % 250 + 1, h % 250 + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_hash_is_stable_and_sensitive() {
        let t = pod_template("web", &[container("app", "web:1")], &[]);
        assert_eq!(template_hash(&t), template_hash(&t.clone()));
        let mut t2 = t.clone();
        t2["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/restartedAt": "now"});
        assert_ne!(template_hash(&t), template_hash(&t2));
        assert!(
            template_hash(&t)
                .chars()
                .all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c))
        );
    }

    #[test]
    fn suffixes_differ() {
        assert_ne!(name_suffix(1), name_suffix(2));
        assert_eq!(name_suffix(12345).len(), 5);
    }
}
