//! The demo world's objects of the kinds nothing in the simulator runs
//! (nodes, services, ingresses, config maps, secrets, claims, a daemon set,
//! jobs, a cron job): stored once with the status a controller would have
//! written, so lists and watches serve them like any other kind. Shapes
//! follow the API reference (https://kubernetes.io/docs/reference/kubernetes-api/):
//! Secret `data` values are base64 (secret-v1), Node `status.conditions`
//! carries `Ready` (node-v1), PVC `status.capacity` and `accessModes`
//! once Bound (persistent-volume-claim-v1), Service `status.loadBalancer`
//! (service-v1), Job `status.conditions` `Complete`/`Failed` (job-v1).

use std::time::Duration;

use serde_json::{Value, json};

use super::kubelet::NODES;
use super::objects::rfc3339;
use super::state::SimState;
use super::store::Kind;
use super::workloads::{DAY, ago};

fn meta(ns: &str, name: &str, age_s: u64) -> Value {
    let created = rfc3339(ago(Duration::from_secs(age_s)));
    if ns.is_empty() {
        json!({"name": name, "creationTimestamp": created})
    } else {
        json!({"name": name, "namespace": ns, "creationTimestamp": created})
    }
}

fn node(name: &str, role: &str, ready: bool, cordoned: bool) -> Value {
    let mut labels = json!({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"});
    labels[format!("node-role.kubernetes.io/{role}")] = json!("");
    let mut m = meta("", name, 40 * DAY);
    m["labels"] = labels;
    let ready = if ready { "True" } else { "Unknown" };
    // What the kubelet reports: capacity, and allocatable less what it
    // reserves for the system (https://kubernetes.io/docs/reference/node/node-status/#capacity).
    json!({"metadata": m, "spec": {"unschedulable": cordoned},
        "status": {
            "capacity": {"cpu": "4", "memory": "16374584Ki", "pods": "110",
                "ephemeral-storage": "102625208Ki", "hugepages-2Mi": "0"},
            "allocatable": {"cpu": "3800m", "memory": "15223608Ki", "pods": "110",
                "ephemeral-storage": "94580335255", "hugepages-2Mi": "0"},
            "conditions": [{"type": "Ready", "status": ready, "reason": "KubeletReady",
            "lastHeartbeatTime": rfc3339(ago(Duration::from_secs(20))),
            "lastTransitionTime": rfc3339(ago(Duration::from_secs(40 * DAY)))}],
            "nodeInfo": {"kubeletVersion": "v1.31.4", "architecture": "amd64",
                "bootID": "", "containerRuntimeVersion": "containerd://1.7.22",
                "kernelVersion": "6.1.0", "kubeProxyVersion": "v1.31.4", "machineID": "",
                "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12", "systemUUID": ""}}})
}

fn service(ns: &str, name: &str, kind: &str, ip: &str, ports: Value, lb: Option<&str>) -> Value {
    let status = match lb {
        Some(ip) => json!({"loadBalancer": {"ingress": [{"ip": ip}]}}),
        None => json!({"loadBalancer": {}}),
    };
    json!({"metadata": meta(ns, name, 9 * DAY),
        "spec": {"type": kind, "clusterIP": ip, "clusterIPs": [ip], "ports": ports,
                 "selector": {"app": name}},
        "status": status})
}

fn pvc(ns: &str, name: &str, phase: &str, size: &str) -> Value {
    let bound = phase == "Bound";
    let mut status = json!({"phase": phase});
    if bound {
        status["capacity"] = json!({"storage": size});
        status["accessModes"] = json!(["ReadWriteOnce"]);
    }
    json!({"metadata": meta(ns, name, 20 * DAY),
        "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                 "resources": {"requests": {"storage": size}},
                 "volumeName": if bound { format!("pvc-{name}") } else { String::new() }},
        "status": status})
}

fn job(ns: &str, name: &str, outcome: Option<&str>, age_s: u64, took_s: u64) -> Value {
    let start = ago(Duration::from_secs(age_s));
    let mut status = json!({"startTime": rfc3339(start), "active": 0});
    match outcome {
        Some("Complete") => {
            let end = start + chrono::Duration::seconds(i64::try_from(took_s).unwrap_or(0));
            status["completionTime"] = json!(rfc3339(end));
            status["succeeded"] = json!(1);
            status["conditions"] = json!([{"type": "Complete", "status": "True"}]);
        }
        Some(word) => {
            status["failed"] = json!(4);
            status["conditions"] =
                json!([{"type": word, "status": "True", "reason": "BackoffLimitExceeded"}]);
        }
        None => status["active"] = json!(1),
    }
    json!({"metadata": meta(ns, name, age_s),
        "spec": {"completions": 1, "parallelism": 1, "backoffLimit": 3,
                 "template": {"spec": {"restartPolicy": "Never",
                     "containers": [{"name": "job", "image": "busybox:1.36"}]}}},
        "status": status})
}

/// Stores the demo objects of the kinds without a controller here.
pub(crate) fn seed(st: &mut SimState) {
    let store = &mut st.store;
    let mut put = |kind: Kind, v: Value| {
        let _ = store.create(kind, v);
    };
    put(
        Kind::Node,
        node("control-plane", "control-plane", true, false),
    );
    for (i, name) in NODES.iter().enumerate() {
        // The last worker is cordoned for maintenance: SchedulingDisabled.
        put(Kind::Node, node(name, "worker", true, i == NODES.len() - 1));
    }
    let port = |p: u16, node: Option<u16>| {
        // The app containers listen on 8080 (objects.rs): a Service's
        // 80 goes there, as a real front Service's does.
        let target = if p == 80 { 8080 } else { p };
        match node {
            Some(n) => json!({"port": p, "targetPort": target, "protocol": "TCP", "nodePort": n}),
            None => json!({"port": p, "targetPort": target, "protocol": "TCP"}),
        }
    };
    let named = |ports: &[(&str, Value)]| {
        let list: Vec<Value> = ports
            .iter()
            .map(|(name, p)| {
                let mut p = p.clone();
                p["name"] = json!(name);
                p
            })
            .collect();
        Value::Array(list)
    };
    put(
        Kind::Service,
        service(
            "default",
            "kubernetes",
            "ClusterIP",
            "10.96.0.1",
            json!([port(443, None)]),
            None,
        ),
    );
    put(
        Kind::Service,
        service(
            "shop",
            "web",
            "LoadBalancer",
            "10.96.12.40",
            // A Service with several ports must name each one (Service
            // validation: spec.ports[].name is required then).
            named(&[
                ("http", port(80, Some(30080))),
                ("https", port(443, Some(30443))),
            ]),
            Some("203.0.113.10"),
        ),
    );
    put(
        Kind::Service,
        service(
            "shop",
            "cart",
            "ClusterIP",
            "10.96.12.41",
            json!([port(8080, None)]),
            None,
        ),
    );
    put(
        Kind::Service,
        service(
            "shop",
            "checkout",
            "NodePort",
            "10.96.12.42",
            json!([port(8080, Some(31080))]),
            None,
        ),
    );
    put(
        Kind::Service,
        service(
            "payments",
            "gateway",
            "LoadBalancer",
            "10.96.20.7",
            json!([port(443, Some(32443))]),
            None,
        ),
    );
    put(
        Kind::Ingress,
        json!({"metadata": meta("shop", "web", 9 * DAY),
        "spec": {"ingressClassName": "nginx",
            "tls": [{"hosts": ["shop.example.com"], "secretName": "web-tls"}],
            "rules": [{"host": "shop.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
                "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}]},
        "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}}),
    );
    put(
        Kind::ConfigMap,
        json!({"metadata": meta("shop", "web-config", 9 * DAY),
        "data": {"LOG_LEVEL": "info", "CART_URL": "http://cart:8080", "FEATURES": "search,reviews"}}),
    );
    put(
        Kind::ConfigMap,
        json!({"metadata": meta("default", "kube-root-ca.crt", 40 * DAY),
        "data": {"ca.crt": "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n"}}),
    );
    // Values are base64 of made-up text; opsdeck must never show them.
    put(
        Kind::Secret,
        json!({"metadata": meta("shop", "db-credentials", 20 * DAY), "type": "Opaque",
        "data": {"username": "c2hvcA==", "password": "aHVudGVyMi1zaW11bGF0ZWQ="}}),
    );
    put(
        Kind::Secret,
        json!({"metadata": meta("shop", "web-tls", 9 * DAY), "type": "kubernetes.io/tls",
        "data": {"tls.crt": "LS0tLS1CRUdJTg==", "tls.key": "LS0tLS1CRUdJTiBQUklWQVRF"}}),
    );
    put(
        Kind::PersistentVolumeClaim,
        pvc("shop", "data-redis-0", "Bound", "1Gi"),
    );
    put(
        Kind::PersistentVolumeClaim,
        pvc("monitoring", "data-prometheus-0", "Bound", "50Gi"),
    );
    put(
        Kind::PersistentVolumeClaim,
        pvc("payments", "ledger-archive", "Pending", "200Gi"),
    );
    for (ns, claim, size) in [
        ("shop", "data-redis-0", "1Gi"),
        ("monitoring", "data-prometheus-0", "50Gi"),
    ] {
        put(
            Kind::PersistentVolume,
            json!({"metadata": meta("", &format!("pvc-{claim}"), 20 * DAY),
            "spec": {"capacity": {"storage": size}, "accessModes": ["ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                "claimRef": {"kind": "PersistentVolumeClaim", "namespace": ns, "name": claim},
                "hostPath": {"path": format!("/var/lib/sim/{claim}")}},
            "status": {"phase": "Bound"}}),
        );
    }
    put(
        Kind::DaemonSet,
        json!({"metadata": meta("monitoring", "node-exporter", 30 * DAY),
        "spec": {"selector": {"matchLabels": {"app": "node-exporter"}},
            "template": {"metadata": {"labels": {"app": "node-exporter"}},
                "spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                    "containers": [{"name": "node-exporter", "image": "prom/node-exporter:v1.8.1"}]}}},
        "status": {"desiredNumberScheduled": 4, "currentNumberScheduled": 4, "numberReady": 3,
            "updatedNumberScheduled": 4, "numberAvailable": 3, "numberMisscheduled": 0}}),
    );
    put(
        Kind::Job,
        job("shop", "db-migrate-1042", Some("Complete"), 2 * 3600, 47),
    );
    put(Kind::Job, job("payments", "reconcile-29171", None, 95, 0));
    put(
        Kind::CronJob,
        json!({"metadata": meta("payments", "ledger-export", 30 * DAY),
        "spec": {"schedule": "0 */3 * * *", "timeZone": "Etc/UTC", "suspend": false,
            "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Never",
                "containers": [{"name": "export", "image": "busybox:1.36"}]}}}}},
        "status": {"lastScheduleTime": rfc3339(ago(Duration::from_secs(3 * 3600)))}}),
    );
    // The cron job's last run, owned by it as the CronJob controller
    // makes its Jobs: a controller owner reference with the owner's uid
    // (https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/,
    // owner-references in object-meta-v1).
    let uid = st
        .store
        .get(Kind::CronJob, "payments", "ledger-export")
        .and_then(|c| c.value.pointer("/metadata/uid").cloned())
        .unwrap_or_default();
    let mut run = job(
        "payments",
        "ledger-export-29170",
        Some("Failed"),
        3 * 3600,
        0,
    );
    run["metadata"]["ownerReferences"] = json!([{"apiVersion": "batch/v1", "kind": "CronJob",
        "name": "ledger-export", "uid": uid, "controller": true, "blockOwnerDeletion": true}]);
    let _ = st.store.create(Kind::Job, run);
}
