//! Objects as the API server serves them (`kubectl get -o json`), for
//! the describers' tests: a Deployment rolled out to its second template
//! with its ReplicaSets, a StatefulSet, a DaemonSet, a Service with its
//! EndpointSlices, a Node, a Job and a CronJob.

use serde_json::{Value, json};

use super::super::describe::Related;

const DEPLOY_UID: &str = "5f1c9c1e-0d1e-4d5a-9a55-3b8f0d7e2a10";

/// A Deployment mid-way through nothing: rolled out to its second
/// template, as `kubectl get deploy web -o json` prints it.
pub(super) fn deployment() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop", "uid": DEPLOY_UID, "generation": 2,
            "creationTimestamp": "2026-12-01T08:30:00Z",
            "labels": {"app": "web"},
            "annotations": {"deployment.kubernetes.io/revision": "2",
                super::super::LAST_APPLIED: "{\"kind\":\"Deployment\"}"}},
        "spec": {"replicas": 3, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "template": {"metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {}, "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}],
                    "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
                    "dnsPolicy": "ClusterFirst", "securityContext": {}, "schedulerName": "default-scheduler"}}},
        "status": {"observedGeneration": 2, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
            "availableReplicas": 3,
            "conditions": [
                {"type": "Available", "status": "True", "lastUpdateTime": "2026-12-01T08:30:20Z",
                 "lastTransitionTime": "2026-12-01T08:30:20Z", "reason": "MinimumReplicasAvailable",
                 "message": "Deployment has minimum availability."},
                {"type": "Progressing", "status": "True", "lastUpdateTime": "2026-12-07T09:00:30Z",
                 "lastTransitionTime": "2026-12-01T08:30:00Z", "reason": "NewReplicaSetAvailable",
                 "message": "ReplicaSet \"web-6d4cf56db6\" has successfully progressed."}]}})
}

/// One of the Deployment's ReplicaSets with `image` in its template.
fn replica_set(name: &str, hash: &str, image: &str, replicas: i64, created: &str) -> Value {
    let mut template = deployment()["spec"]["template"].clone();
    template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    template["spec"]["containers"][0]["image"] = json!(image);
    json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "shop", "uid": format!("uid-{name}"),
            "creationTimestamp": created,
            "labels": {"app": "web", "pod-template-hash": hash},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                "uid": DEPLOY_UID, "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web", "pod-template-hash": hash}},
            "template": template},
        "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas}})
}

pub(super) fn deployment_related() -> Related {
    Related {
        replica_sets: Some(vec![
            replica_set(
                "web-6d4cf56db6",
                "6d4cf56db6",
                "nginx:1.27",
                3,
                "2026-12-07T09:00:00Z",
            ),
            replica_set(
                "web-7c9f5d",
                "7c9f5d",
                "nginx:1.26",
                0,
                "2026-12-01T08:30:00Z",
            ),
            // Another owner's set with the same labels is not this one's.
            json!({"metadata": {"name": "stray", "uid": "x", "ownerReferences": []},
                   "spec": {"replicas": 1}, "status": {"replicas": 1}}),
        ]),
        ..Related::default()
    }
}

pub(super) fn pod_of(name: &str, owner_uid: &str, phase: &str) -> Value {
    json!({"metadata": {"name": name, "namespace": "shop",
            "ownerReferences": [{"kind": "StatefulSet", "name": "db", "uid": owner_uid, "controller": true}]},
        "status": {"phase": phase}})
}

pub(super) fn stateful_set() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "shop", "uid": "sts-uid",
            "creationTimestamp": "2026-12-02T12:00:00Z", "labels": {"app": "db"}},
        "spec": {"replicas": 3, "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["data", "cache"]}]},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "template": {"metadata": {"labels": {"app": "db", "tier": "data"}},
                "spec": {"containers": [{"name": "postgres", "image": "postgres:16",
                    "ports": [{"containerPort": 5432, "name": "pg", "protocol": "TCP"}],
                    "env": [{"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}],
                    "volumeMounts": [{"name": "data", "mountPath": "/var/lib/postgresql/data"}]}]}},
            "volumeClaimTemplates": [{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                    "resources": {"requests": {"storage": "10Gi"}}, "volumeMode": "Filesystem"}}]},
        "status": {"replicas": 3, "readyReplicas": 2, "currentReplicas": 3, "updatedReplicas": 3}})
}

pub(super) fn daemon_set() -> Value {
    json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "node-exporter", "namespace": "monitoring", "uid": "ds-uid",
            "creationTimestamp": "2026-11-20T00:00:00Z", "labels": {"app": "node-exporter"},
            "annotations": {"deprecated.daemonset.template.generation": "1"}},
        "spec": {"selector": {"matchLabels": {"app": "node-exporter"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}},
            "template": {"metadata": {"labels": {"app": "node-exporter"}},
                "spec": {"nodeSelector": {"kubernetes.io/os": "linux"},
                    "containers": [{"name": "node-exporter", "image": "quay.io/prometheus/node-exporter:v1.8.2",
                        "args": ["--path.rootfs=/host"],
                        "volumeMounts": [{"name": "root", "mountPath": "/host", "readOnly": true}]}],
                    "volumes": [{"name": "root", "hostPath": {"path": "/", "type": ""}}],
                    "tolerations": [{"operator": "Exists"}]}}},
        "status": {"currentNumberScheduled": 3, "numberMisscheduled": 0, "desiredNumberScheduled": 3,
            "numberReady": 3, "updatedNumberScheduled": 3, "numberAvailable": 3}})
}

pub(super) fn replica_set_alone() -> Value {
    replica_set(
        "web-6d4cf56db6",
        "6d4cf56db6",
        "nginx:1.27",
        3,
        "2026-12-07T09:00:00Z",
    )
}

pub(super) fn service() -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "web", "namespace": "shop", "labels": {"app": "web"}},
        "spec": {"type": "NodePort", "selector": {"app": "web"},
            "clusterIP": "10.96.12.40", "clusterIPs": ["10.96.12.40"],
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
            "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080},
                      {"name": "metrics", "protocol": "TCP", "port": 9090, "targetPort": "metrics", "nodePort": 30090}],
            "sessionAffinity": "None", "externalTrafficPolicy": "Cluster", "internalTrafficPolicy": "Cluster"},
        "status": {"loadBalancer": {}}})
}

pub(super) fn slices() -> Vec<Value> {
    let ep = |ip: &str, ready: bool| {
        json!({"addresses": [ip], "conditions": {"ready": ready},
        "targetRef": {"kind": "Pod", "name": format!("web-{ip}")}})
    };
    vec![
        json!({"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": "web-abcde", "namespace": "shop", "labels": {"kubernetes.io/service-name": "web"}},
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}, {"name": "metrics", "port": 9100, "protocol": "TCP"}],
        "endpoints": [ep("10.244.1.17", true), ep("10.244.2.4", true), ep("10.244.2.9", false),
                      ep("10.244.3.2", true), ep("10.244.3.8", true)]}),
    ]
}

pub(super) fn node() -> Value {
    json!({"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "worker-a", "uid": "node-uid", "creationTimestamp": "2026-11-01T06:00:00Z",
            "labels": {"kubernetes.io/hostname": "worker-a", "kubernetes.io/os": "linux",
                "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/ingress": ""},
            "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"],
            "providerID": "kind://docker/kind/worker-a",
            "taints": [{"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
                       {"key": "dedicated", "value": "ingress", "effect": "NoExecute"}]},
        "status": {
            "capacity": {"cpu": "4", "memory": "16318460Ki", "pods": "110", "ephemeral-storage": "102626232Ki"},
            "allocatable": {"cpu": "3800m", "memory": "15216124Ki", "pods": "110", "ephemeral-storage": "94580335255"},
            "conditions": [
                {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": "2026-12-07T09:59:00Z",
                 "lastTransitionTime": "2026-11-01T06:00:00Z", "reason": "KubeletHasSufficientMemory",
                 "message": "kubelet has sufficient memory available"},
                {"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-12-07T09:59:00Z",
                 "lastTransitionTime": "2026-11-01T06:00:30Z", "reason": "KubeletReady",
                 "message": "kubelet is posting ready status"}],
            "addresses": [{"type": "InternalIP", "address": "10.0.0.11"}, {"type": "Hostname", "address": "worker-a"}],
            "nodeInfo": {"machineID": "0d4f1b7c", "systemUUID": "1c5e2a90", "bootID": "7b3d",
                "kernelVersion": "6.8.0-45-generic", "osImage": "Debian GNU/Linux 12 (bookworm)",
                "operatingSystem": "linux", "architecture": "amd64",
                "containerRuntimeVersion": "containerd://1.7.18", "kubeletVersion": "v1.31.0",
                "kubeProxyVersion": "v1.31.0"}}})
}

pub(super) fn job() -> Value {
    json!({"apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "ledger-export-29170", "namespace": "payments", "uid": "job-uid",
            "labels": {"batch.kubernetes.io/job-name": "ledger-export-29170"},
            "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "ledger-export", "uid": "cj", "controller": true}]},
        "spec": {"parallelism": 1, "completions": 1, "completionMode": "NonIndexed", "suspend": false,
            "backoffLimit": 6, "ttlSecondsAfterFinished": 3600,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "job-uid"}},
            "template": {"metadata": {"labels": {"batch.kubernetes.io/job-name": "ledger-export-29170"}},
                "spec": {"restartPolicy": "Never", "containers": [{"name": "export", "image": "busybox:1.36",
                    "command": ["sh", "-c", "echo export"]}]}}},
        "status": {"startTime": "2026-12-07T09:00:00Z", "completionTime": "2026-12-07T09:02:08Z",
            "succeeded": 1, "ready": 0, "terminating": 0}})
}

pub(super) fn cron_job() -> Value {
    json!({"apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "ledger-export", "namespace": "payments"},
        "spec": {"schedule": "*/10 * * * *", "concurrencyPolicy": "Forbid", "suspend": false,
            "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
            "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                "containers": [{"name": "export", "image": "busybox:1.36"}]}}}}},
        "status": {"lastScheduleTime": "2026-12-07T09:50:00Z",
            "active": [{"kind": "Job", "name": "ledger-export-29175", "namespace": "payments"}]}})
}
