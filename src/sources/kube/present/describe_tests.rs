#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect
//! The kind describers against objects as the API server serves them
//! (`kubectl get -o json`), each line compared with the format string of
//! the kubectl describer it mirrors (k8s.io/kubectl/pkg/describe/describe.go).

use chrono::{TimeZone, Utc};
use serde_json::json;

use super::describe::{Related, render};

mod fixtures;
mod node_pods;
use fixtures::*;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap()
}

fn lines(text: &str, want: &[&str]) {
    for line in want {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[test]
fn a_deployment_reads_as_kubectl_describes_it() {
    let text = render(
        "Deployment",
        deployment(),
        &deployment_related(),
        &[],
        now(),
    );
    // describeDeployment's lines in its order; the widest first cell of a
    // run of tabbed lines sets the column (Go's tabwriter, padding 2).
    let want = "\
Name:                   web
Namespace:              shop
CreationTimestamp:      Tue, 01 Dec 2026 08:30:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.27
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  web-7c9f5d (0/0 replicas created)
NewReplicaSet:   web-6d4cf56db6 (3/3 replicas created)
Events:          <none>
";
    assert_eq!(text, want);
    // The last-applied annotation is left out, as kubectl skips it.
    assert!(!text.contains("last-applied"));
}

#[test]
fn a_deployment_without_its_replica_sets_leaves_their_lines_out() {
    // kubectl writes OldReplicaSets/NewReplicaSet only when it could list them.
    let text = render("Deployment", deployment(), &Related::default(), &[], now());
    assert!(
        !text.contains("OldReplicaSets") && !text.contains("NewReplicaSet:"),
        "{text}"
    );
    // A set of another template is old, never new.
    let mut related = deployment_related();
    if let Some(sets) = related.replica_sets.as_mut() {
        sets.remove(0);
    }
    let text = render("Deployment", deployment(), &related, &[], now());
    lines(
        &text,
        &[
            "OldReplicaSets:  web-7c9f5d (0/0 replicas created)\n",
            "NewReplicaSet:   <none>\n",
        ],
    );
}

#[test]
fn a_recreate_deployment_with_fields_missing_says_none_and_does_not_panic() {
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "batch", "namespace": "jobs"},
        "spec": {"strategy": {"type": "Recreate"}, "template": {"spec": {"containers": []}}}});
    let text = render("Deployment", d, &Related::default(), &[], now());
    lines(
        &text,
        &[
            "CreationTimestamp:  <unset>\n",
            "Selector:           <none>\n",
            "Replicas:           1 desired | 0 updated | 0 total | 0 available | 0 unavailable\n",
            "StrategyType:       Recreate\n",
            "  Containers: <none>\n",
        ],
    );
    assert!(!text.contains("RollingUpdateStrategy"), "{text}");
    assert!(!text.contains("Conditions"), "{text}");
    // Odd shapes: no template at all, a string where a map belongs.
    for odd in [
        json!({"kind": "Deployment"}),
        json!({"metadata": "x", "spec": {"replicas": "three", "template": 7}, "status": []}),
    ] {
        for kind in [
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
            "DaemonSet",
            "Job",
            "CronJob",
            "Service",
            "Node",
        ] {
            let text = render(kind, odd.clone(), &deployment_related(), &[], now());
            assert!(text.starts_with("Name:"), "{kind}: {text}");
        }
    }
}

#[test]
fn a_stateful_set_counts_its_own_pods_and_shows_its_volume_claims() {
    let pods = vec![
        pod_of("db-0", "sts-uid", "Running"),
        pod_of("db-1", "sts-uid", "Running"),
        pod_of("db-2", "sts-uid", "Pending"),
        // Same labels, another controller: kubectl does not count it.
        pod_of("db-restore", "other-uid", "Failed"),
    ];
    let related = Related {
        pods: Some(Ok(pods)),
        ..Related::default()
    };
    let text = render("StatefulSet", stateful_set(), &related, &[], now());
    lines(
        &text,
        &[
            "CreationTimestamp:  Wed, 02 Dec 2026 12:00:00 +0000\n",
            // Requirements sorted by key, set values sorted.
            "Selector:           app=db,tier in (cache,data)\n",
            "Replicas:           3 desired | 3 total\n",
            "Update Strategy:    RollingUpdate\n  Partition:        0\n",
            "Pods Status:        2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n",
            "  Labels:  app=db\n           tier=data\n",
            "      POSTGRES_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false\n",
            "      /var/lib/postgresql/data from data (rw)\n",
            "Volume Claims:\n  Name:          data\n  StorageClass:  standard\n  Labels:        <none>\n  Annotations:   <none>\n  Capacity:      10Gi\n  Access Modes:  [ReadWriteOnce]\n",
        ],
    );
}

#[test]
fn a_daemon_set_and_a_replica_set_read_as_kubectl_writes_them() {
    let failed = Related {
        pods: Some(Err("pods is forbidden".into())),
        ..Related::default()
    };
    let text = render("DaemonSet", daemon_set(), &failed, &[], now());
    lines(
        &text,
        &[
            "Node-Selector:  kubernetes.io/os=linux\n",
            "Annotations:    deprecated.daemonset.template.generation: 1\n",
            // No tab in kubectl's format: outside the alignment.
            "Desired Number of Nodes Scheduled: 3\n",
            "Number of Nodes Scheduled with Up-to-date Pods: 3\n",
            "Number of Nodes Misscheduled: 0\n",
            "Pods Status:  error in fetching pods: pods is forbidden\n",
            "    Args:\n      --path.rootfs=/host\n",
            "      /host from root (ro)\n",
            "   root:\n    Type:          HostPath (bare host directory volume)\n    Path:          /\n    HostPathType:\n",
            "  Tolerations:     op=Exists\n",
        ],
    );
    let pods = Related {
        pods: Some(Ok(vec![
            json!({"metadata": {"name": "web-6d4cf56db6-a", "ownerReferences": [
            {"kind": "ReplicaSet", "name": "web-6d4cf56db6", "uid": "uid-web-6d4cf56db6", "controller": true}]},
            "status": {"phase": "Succeeded"}}),
        ])),
        ..Related::default()
    };
    let text = render("ReplicaSet", replica_set_alone(), &pods, &[], now());
    lines(
        &text,
        &[
            "Selector:       app=web,pod-template-hash=6d4cf56db6\n",
            "Controlled By:  Deployment/web\n",
            "Replicas:       3 current / 3 desired\n",
            "Pods Status:    0 Running / 0 Waiting / 1 Succeeded / 0 Failed\n",
        ],
    );
}

#[test]
fn a_service_reads_as_kubectl_describes_it() {
    let related = Related {
        endpoint_slices: slices(),
        ..Related::default()
    };
    let text = render("Service", service(), &related, &[], now());
    let want = "\
Name:                     web
Namespace:                shop
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.12.40
IPs:                      10.96.12.40
Port:                     http  80/TCP
TargetPort:               8080/TCP
NodePort:                 http  30080/TCP
Endpoints:                10.244.1.17:8080,10.244.2.4:8080,10.244.3.2:8080 + 1 more...
Port:                     metrics  9090/TCP
TargetPort:               metrics/TCP
NodePort:                 metrics  30090/TCP
Endpoints:                10.244.1.17:9100,10.244.2.4:9100,10.244.3.2:9100 + 1 more...
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
";
    assert_eq!(text, want);
    // Without slices (kubectl's failed list): `<none>`; an unnamed port
    // reads `<unset>`.
    let mut bare = service();
    bare["spec"]["ports"] = json!([{"port": 53, "protocol": "UDP", "targetPort": 53}]);
    bare["spec"]["type"] = json!("ClusterIP");
    let text = render("Service", bare, &Related::default(), &[], now());
    lines(
        &text,
        &[
            "Port:                     <unset>  53/UDP\n",
            "TargetPort:               53/UDP\n",
            "Endpoints:                <none>\n",
        ],
    );
    assert!(!text.contains("NodePort:"), "{text}");
}

#[test]
fn a_node_reads_as_kubectl_describes_it() {
    let text = render("Node", node(), &Related::default(), &[], now());
    lines(
        &text,
        &[
            "Name:               worker-a\nRoles:              ingress,worker\n",
            "Labels:             kubernetes.io/hostname=worker-a\n                    kubernetes.io/os=linux\n",
            "Annotations:        node.alpha.kubernetes.io/ttl: 0\n",
            "CreationTimestamp:  Sun, 01 Nov 2026 06:00:00 +0000\n",
            // Sorted by effect, then key.
            "Taints:             dedicated=ingress:NoExecute\n                    node.kubernetes.io/unreachable:NoSchedule\n",
            "Unschedulable:      false\n",
            "Conditions:\n  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message\n",
            "  ----             ------  -----------------                 ------------------                ------                       -------\n",
            "  Ready            True    Mon, 07 Dec 2026 09:59:00 +0000   Sun, 01 Nov 2026 06:00:30 +0000   KubeletReady                 kubelet is posting ready status\n",
            "Addresses:\n  InternalIP:  10.0.0.11\n  Hostname:    worker-a\n",
            "Capacity:\n  cpu:                4\n  ephemeral-storage:  102626232Ki\n  memory:             16318460Ki\n  pods:               110\n",
            "Allocatable:\n  cpu:                3800m\n",
            "System Info:\n  Machine ID:                 0d4f1b7c\n",
            "  Kube-Proxy Version:         v1.31.0\nPodCIDR:                      10.244.1.0/24\nPodCIDRs:                     10.244.1.0/24\nProviderID:                   kind://docker/kind/worker-a\n",
        ],
    );
    // Without its pods listed their blocks are left out; the Lease always.
    assert!(!text.contains("Non-terminated Pods"), "{text}");
    assert!(!text.contains("Lease"), "{text}");
    // No taints, no roles.
    let mut plain = node();
    plain["spec"] = json!({});
    plain["metadata"]["labels"] = json!({"kubernetes.io/role": "master"});
    let text = render("Node", plain, &Related::default(), &[], now());
    lines(
        &text,
        &[
            "Roles:              master\n",
            "Taints:             <none>\n",
        ],
    );
}

#[test]
fn a_job_and_a_cron_job_read_as_kubectl_describes_them() {
    let text = render("Job", job(), &Related::default(), &[], now());
    lines(
        &text,
        &[
            "Controlled By:               CronJob/ledger-export\n",
            "Completions:                 1\nCompletion Mode:             NonIndexed\nSuspend:                     false\nBackoff Limit:               6\n",
            "Start Time:                  Mon, 07 Dec 2026 09:00:00 +0000\n",
            "Duration:                    2m8s\n",
            "Pods Statuses:               0 Active (0 Ready) / 1 Succeeded / 0 Failed\n",
            "    Command:\n      sh\n      -c\n      echo export\n",
        ],
    );
    let text = render("CronJob", cron_job(), &Related::default(), &[], now());
    lines(
        &text,
        &[
            "Schedule:                      */10 * * * *\n",
            "Suspend:                       False\n",
            "Starting Deadline Seconds:     <unset>\n",
            "Selector:                      <unset>\n",
            "Last Schedule Time:  Mon, 07 Dec 2026 09:50:00 +0000\n",
            "Active Jobs:         ledger-export-29175\n",
        ],
    );
}

#[test]
fn a_long_or_multi_line_annotation_goes_under_its_key() {
    let mut d = deployment();
    d["metadata"]["annotations"] = json!({"note": "line one\nline two\n", "big": "x".repeat(150)});
    let text = render("Deployment", d, &Related::default(), &[], now());
    lines(
        &text,
        &[
            &format!(
                "Annotations:            big:\n                          {}...\n",
                "x".repeat(138)
            ),
            "                        note:\n                          line one\n                          line two\nSelector:",
        ],
    );
}
