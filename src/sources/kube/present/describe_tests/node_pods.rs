//! A node's `Non-terminated Pods` and `Allocated resources` against the
//! text kubectl's `describeNodeResource` writes for the same node and pods
//! (its format strings, Go's tabwriter with padding 2, quantities in
//! apimachinery's canonical form, shares truncated to whole percents).

use serde_json::{Value, json};

use super::super::describe::{Related, render};
use super::fixtures::node;
use super::now;

/// The fixture node, also allocating huge pages and a GPU.
fn gpu_node() -> Value {
    let mut n = node();
    n["status"]["allocatable"]["hugepages-2Mi"] = json!("1Gi");
    n["status"]["allocatable"]["nvidia.com/gpu"] = json!("1");
    n
}

fn container(requests: Value, limits: Value) -> Value {
    json!({"name": "c", "image": "x", "resources": {"requests": requests, "limits": limits}})
}

fn pod(ns: &str, name: &str, created: &str, spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "creationTimestamp": created},
        "spec": spec, "status": {"phase": "Running"}})
}

/// As the API lists them (namespace, then name).
fn node_pods() -> Vec<Value> {
    vec![
        pod(
            "kube-system",
            "kube-proxy-x",
            "2026-11-01T06:00:00Z",
            json!({"nodeName": "worker-a", "containers": [{"name": "kube-proxy", "image": "x"}]}),
        ),
        pod(
            "payments",
            "ledger-0",
            "2026-12-07T09:58:30Z",
            json!({"nodeName": "worker-a",
                "initContainers": [container(json!({"cpu": "1", "memory": "64Mi"}), json!({}))],
                "containers": [container(
                    json!({"cpu": "200m", "memory": "512Mi", "nvidia.com/gpu": "1"}),
                    json!({"memory": "1Gi", "nvidia.com/gpu": "1"}))]}),
        ),
        pod(
            "shop",
            "web-1",
            "2026-12-07T07:00:00Z",
            json!({"nodeName": "worker-a", "containers": [
                container(json!({"cpu": "250m", "memory": "128Mi"}), json!({"cpu": "500m", "memory": "256Mi"})),
                container(json!({"cpu": "50m", "memory": "32Mi"}), json!({}))]}),
        ),
    ]
}

fn with_pods(pods: Result<Vec<Value>, String>) -> Related {
    Related {
        node_pods: Some(pods),
        ..Related::default()
    }
}

/// The text from `from` to the end.
fn tail<'a>(text: &'a str, from: &str) -> &'a str {
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in\n{text}"));
    &text[at..]
}

#[test]
fn a_node_lists_its_pods_and_what_they_take_as_kubectl_does() {
    let text = render("Node", gpu_node(), &with_pods(Ok(node_pods())), &[], now());
    // The first column runs on from System Info, so it is as wide as
    // "  Container Runtime Version:"; the table's Name column is followed
    // by kubectl's empty column.
    let want = "\
ProviderID:                   kind://docker/kind/worker-a
Non-terminated Pods:          (3 in total)
  Namespace                   Name            CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----            ------------  ----------  ---------------  -------------  ---
  kube-system                 kube-proxy-x    0 (0%)        0 (0%)      0 (0%)           0 (0%)         36d
  payments                    ledger-0        1 (26%)       0 (0%)      512Mi (3%)       1Gi (6%)       90s
  shop                        web-1           300m (7%)     500m (13%)  160Mi (1%)       256Mi (1%)     3h
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests     Limits
  --------           --------     ------
  cpu                1300m (34%)  500m (13%)
  memory             672Mi (4%)   1280Mi (8%)
  ephemeral-storage  0 (0%)       0 (0%)
  hugepages-2Mi      0 (0%)       0 (0%)
  nvidia.com/gpu     1            1
Events:              <none>
";
    assert_eq!(tail(&text, "ProviderID:"), want);
    assert!(
        text.contains("  Container Runtime Version:  containerd://1.7.18\n"),
        "{text}"
    );
}

#[test]
fn a_node_without_pods_or_allocatable_reads_zero_and_capacity_stands_in() {
    let mut n = node();
    n["status"].as_object_mut().unwrap().remove("allocatable");
    let pods = vec![pod(
        "shop",
        "web-1",
        "2026-12-07T09:00:00Z",
        json!({"containers": [container(json!({"cpu": "2", "memory": "1Gi"}), json!({}))]}),
    )];
    let text = render("Node", n, &with_pods(Ok(pods)), &[], now());
    // Capacity (cpu 4, memory 16318460Ki) is what the shares are of.
    assert!(
        text.contains("  cpu                2 (50%)   0 (0%)\n"),
        "{text}"
    );
    assert!(
        text.contains("  memory             1Gi (6%)  0 (0%)\n"),
        "{text}"
    );
    let text = render("Node", node(), &with_pods(Ok(Vec::new())), &[], now());
    assert!(
        text.contains("Non-terminated Pods:          (0 in total)\n"),
        "{text}"
    );
    assert!(
        text.contains("  cpu                0 (0%)    0 (0%)\n"),
        "{text}"
    );
}

#[test]
fn pods_that_cannot_be_listed_say_so_and_odd_quantities_never_panic() {
    let text = render(
        "Node",
        node(),
        &with_pods(Err("not authorized".into())),
        &[],
        now(),
    );
    assert!(
        text.contains("Pods:                         not authorized\n"),
        "{text}"
    );
    assert!(!text.contains("Allocated resources"), "{text}");
    // Junk everywhere kubectl would read a quantity, and a node that
    // allocates nothing: zeros, never a panic or a division by zero.
    let mut n = node();
    n["status"]["allocatable"] = json!({"cpu": "many", "memory": [], "hugepages-1Gi": "x"});
    n["status"]["capacity"] = json!(null);
    let odd = vec![
        pod(
            "a",
            "junk",
            "not a time",
            json!({"containers": [
            container(json!({"cpu": "1.2.3", "memory": "-5Mi", "ephemeral-storage": 7}), json!("nope")),
            "not a container", 42]}),
        ),
        json!({"metadata": "nothing here"}),
        pod(
            "b",
            "huge",
            "2026-12-07T09:00:00Z",
            json!({"containers": [
            container(json!({"cpu": "999999999999999999999", "memory": "9999Ei"}), json!({}))]}),
        ),
    ];
    let text = render("Node", n, &with_pods(Ok(odd)), &[], now());
    assert!(text.contains("(3 in total)"), "{text}");
    assert!(
        text.contains("  a                           junk"),
        "{text}"
    );
    assert!(text.contains("<unknown>"), "an unreadable time: {text}");
    assert!(text.contains("  hugepages-1Gi"), "{text}");
}
