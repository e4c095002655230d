#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use chrono::{TimeZone, Utc};
use k8s_openapi::api::core::v1::Event as K8sEvent;
use serde_json::json;

use super::{describe, describe_generic, tabwriter, yaml};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap()
}

fn secret() -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "db", "namespace": "shop",
            "annotations": {super::LAST_APPLIED: "{\"data\":{\"password\":\"aHVudGVyMg==\"}}", "team": "pay"},
            "managedFields": [{"manager": "kubectl", "operation": "Update"}]},
        "type": "Opaque",
        "data": {"password": "aHVudGVyMg==", "username": "c2hvcA=="}})
}

#[test]
fn yaml_of_a_secret_keeps_keys_masks_values_and_drops_managed_fields() {
    let text = yaml::render("Secret", secret()).unwrap();
    assert!(
        text.contains("password: <hidden>") || text.contains("password: '<hidden>'"),
        "{text}"
    );
    assert!(text.contains("username:"), "{text}");
    assert!(!text.contains("aHVudGVyMg"), "{text}");
    assert!(!text.contains("c2hvcA"), "{text}");
    assert!(!text.contains("managedFields"), "{text}");
    assert!(text.contains("team: pay"), "{text}");
    assert!(text.starts_with("apiVersion: v1\n"), "{text}");
}

#[test]
fn yaml_of_other_kinds_keeps_their_data_and_parses_back() {
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "c", "managedFields": []},
        "data": {"PORT": "8080", "on": "yes", "multi": "a\nb\n"}});
    let text = yaml::render("ConfigMap", cm.clone()).unwrap();
    // Strings that look like numbers or booleans stay strings.
    let back: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(back["data"], cm["data"], "{text}");
    assert!(back["metadata"].get("managedFields").is_none());
}

#[test]
fn describe_of_a_secret_says_sizes_never_values() {
    let text = describe::render("Secret", secret(), &Default::default(), &[], now());
    assert!(text.contains("password:  7 bytes"), "{text}");
    assert!(text.contains("username:  4 bytes"), "{text}");
    assert!(text.contains("Type:  Opaque"), "{text}");
    assert!(!text.contains("aHVudGVyMg"), "{text}");
    assert!(!text.contains("hunter"), "{text}");
    // kubectl leaves the last-applied annotation out of describe.
    assert!(!text.contains("last-applied"), "{text}");
    // kubectl writes annotations `key: value` (labels `key=value`).
    assert!(text.contains("Annotations:  team: pay\n"), "{text}");
    assert!(text.ends_with("Events:  <none>\n"), "{text}");
}

fn pod() -> serde_json::Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-1", "namespace": "shop", "labels": {"app": "web", "tier": "front"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7c9f", "uid": "u", "controller": true}]},
        "spec": {"nodeName": "node-a", "serviceAccountName": "web",
            "containers": [{"name": "web", "image": "nginx:1.27",
                "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                "env": [{"name": "LOG_LEVEL", "value": "info"},
                        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                        {"name": "CART", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "cart", "optional": true}}}],
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5},
                "resources": {"limits": {"memory": "256Mi"}, "requests": {"cpu": "100m"}},
                "volumeMounts": [{"name": "data", "mountPath": "/data"}, {"name": "tls", "mountPath": "/tls", "readOnly": true}]}],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "data-web-1"}},
                        {"name": "tls", "secret": {"secretName": "web-tls"}}],
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]},
        "status": {"phase": "Running", "podIP": "10.1.0.5", "hostIP": "10.0.0.1", "qosClass": "Burstable",
            "startTime": "2026-12-07T09:00:00Z",
            "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
            "containerStatuses": [{"name": "web", "image": "nginx:1.27", "imageID": "sha256:abc", "ready": true,
                "restartCount": 2, "state": {"running": {"startedAt": "2026-12-07T09:00:05Z"}},
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                    "startedAt": "2026-12-07T08:59:00Z", "finishedAt": "2026-12-07T09:00:00Z"}}}]}})
}

#[test]
fn describe_of_a_pod_uses_kubectl_words() {
    let event: K8sEvent = serde_json::from_value(json!({
        "metadata": {"name": "web-1.1", "namespace": "shop"},
        "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "shop"},
        "type": "Warning", "reason": "BackOff", "message": "Back-off restarting failed container",
        "source": {"component": "kubelet"}, "count": 3,
        "firstTimestamp": "2026-12-07T09:50:00Z", "lastTimestamp": "2026-12-07T09:59:50Z"}))
    .unwrap();
    let text = describe::render("Pod", pod(), &Default::default(), &[event], now());
    for want in [
        "Name:             web-1\n",
        "Namespace:        shop\n",
        "Service Account:  web\n",
        "Node:             node-a/10.0.0.1\n",
        "Start Time:       Mon, 07 Dec 2026 09:00:00 +0000\n",
        "Labels:           app=web\n                  tier=front\n",
        "Controlled By:    ReplicaSet/web-7c9f\n",
        "    Image:          nginx:1.27\n",
        "    Port:           8080/TCP\n",
        "    State:          Running\n      Started:      Mon, 07 Dec 2026 09:00:05 +0000\n",
        "    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    1\n",
        "    Restart Count:  2\n",
        "      memory:  256Mi\n",
        "    Liveness:  http-get http://:8080/healthz delay=0s timeout=1s period=5s #success=1 #failure=3\n",
        "      LOG_LEVEL:    info\n",
        "      DB_PASSWORD:  <set to the key 'password' in secret 'db'>   Optional: false\n",
        "      CART:         <set to the key 'cart' of config map 'cfg'>  Optional: true\n",
        "      /data from data (rw)\n      /tls from tls (ro)\n",
        "  Type          Status\n  Ready         True\n  PodScheduled  True\n",
        "    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:  data-web-1\n",
        "    Type:        Secret (a volume populated by a Secret)\n    SecretName:  web-tls\n",
        "QoS Class:       Burstable\n",
        "Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n",
        "Events:\n  Type     Reason   Age                From     Message\n  ----     ------   ----               ----     -------\n  Warning  BackOff  10s (x3 over 10m)  kubelet  Back-off restarting failed container\n",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

#[test]
fn generic_describe_turns_fields_into_words() {
    // A kind kubectl has no describer for (multicluster's ServiceImport).
    let svc = json!({"apiVersion": "multicluster.x-k8s.io/v1alpha1", "kind": "ServiceImport",
        "metadata": {"name": "web", "namespace": "shop", "creationTimestamp": "2026-12-01T00:00:00Z"},
        "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.9", "clusterIPs": ["10.96.0.9"],
            "ports": [{"port": 80, "protocol": "TCP"}]},
        "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
    let text = describe::render("ServiceImport", svc, &Default::default(), &[], now());
    for want in [
        "Name:         web\n",
        "Labels:       <none>\n",
        "API Version:  multicluster.x-k8s.io/v1alpha1\n",
        "Kind:         ServiceImport\n",
        "Spec:\n",
        "  Cluster IP:  10.96.0.9\n",
        "  Cluster IPs:\n    10.96.0.9\n",
        "    Port:      80\n",
        "Status:\n  Conditions:\n    Status:  True\n    Type:    Ready\n",
        "Metadata:\n  Creation Timestamp:  2026-12-01T00:00:00Z\n",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    // kubectl walks the fields sorted: metadata before spec before status.
    let at = |w: &str| text.find(w).unwrap();
    assert!(
        at("Metadata:") < at("Spec:") && at("Spec:") < at("Status:"),
        "{text}"
    );
}

#[test]
fn words_split_like_kubectl() {
    assert_eq!(describe_generic::words("clusterIP"), "Cluster IP");
    assert_eq!(describe_generic::words("podIPs"), "Pod IPs");
    assert_eq!(describe_generic::words("loadBalancer"), "Load Balancer");
    assert_eq!(describe_generic::words("uid"), "UID");
    assert_eq!(describe_generic::words("spec"), "Spec");
}

#[test]
fn tabwriter_aligns_runs_of_lines_separately() {
    let text = tabwriter::align("a:\t1\nlonger:\t2\nbreak\nx:\t3\n");
    assert_eq!(text, "a:       1\nlonger:  2\nbreak\nx:  3\n");
}
