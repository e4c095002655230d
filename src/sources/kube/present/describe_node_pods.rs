//! kubectl's `describeNodeResource` (k8s.io/kubectl/pkg/describe/describe.go):
//! the node's non-terminated pods with their CPU and memory requests and
//! limits as a share of what the node can allocate, then the totals of
//! every pod (`getPodsTotalRequestsAndLimits`) for cpu, memory,
//! ephemeral-storage, each hugepages size and each extended resource.
//! The pods are the ones kubectl lists: `spec.nodeName=NODE`, neither
//! Succeeded nor Failed (the source lists them so).

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::describe::{Writer, str_at};
use super::resource_list::{List, Quantity, add_into, list_of, pod_requests_and_limits};
use crate::core::time::kube_age;

/// `part` as a whole percentage of `whole`, truncated as Go's `int64()`
/// does. kubectl divides by zero in the per-pod rows when the node reports
/// no allocatable CPU or memory (and prints Go's conversion of NaN); 0 is
/// written instead.
fn percent(part: i128, whole: i128) -> i64 {
    if whole == 0 {
        return 0;
    }
    (part as f64 / whole as f64 * 100.0) as i64
}

/// `amount (N%)` with the share in millis (cpu) or units (the rest).
fn share(q: Quantity, of: Quantity, milli: bool) -> String {
    let pct = if milli {
        percent(q.milli(), of.milli())
    } else {
        percent(q.value(), of.value())
    };
    format!("{} ({pct}%)", q.text())
}

fn get(list: &List, name: &str) -> Quantity {
    list.get(name).copied().unwrap_or_default()
}

/// `translateTimestampSince`: the age, `<unknown>` without a time.
fn age(pod: &Value, now: DateTime<Utc>) -> String {
    DateTime::parse_from_rfc3339(str_at(pod, "/metadata/creationTimestamp"))
        .map_or_else(|_| "<unknown>".into(), |t| kube_age(t.to_utc(), now))
}

/// The two blocks, or kubectl's `Pods: not authorized` (here: why the pods
/// could not be listed).
pub(super) fn node_resources(
    w: &mut Writer,
    node: &Value,
    pods: &Result<Vec<Value>, String>,
    now: DateTime<Utc>,
) {
    let pods = match pods {
        Ok(pods) => pods,
        Err(why) => return w.field(0, "Pods", why),
    };
    // kubectl reads capacity when the node reports no allocatable.
    let allocatable = match list_of(node.pointer("/status/allocatable")) {
        a if a.is_empty() => list_of(node.pointer("/status/capacity")),
        a => a,
    };
    let (cpu, memory) = (get(&allocatable, "cpu"), get(&allocatable, "memory"));
    w.raw(
        0,
        &format!("Non-terminated Pods:\t({} in total)", pods.len()),
    );
    w.raw(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge",
    );
    w.raw(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---",
    );
    let (mut reqs, mut limits) = (List::new(), List::new());
    for pod in pods {
        let (req, lim) = pod_requests_and_limits(pod);
        w.raw(
            1,
            &format!(
                "{}\t{}\t\t{}\t{}\t{}\t{}\t{}",
                str_at(pod, "/metadata/namespace"),
                str_at(pod, "/metadata/name"),
                share(get(&req, "cpu"), cpu, true),
                share(get(&lim, "cpu"), cpu, true),
                share(get(&req, "memory"), memory, false),
                share(get(&lim, "memory"), memory, false),
                age(pod, now),
            ),
        );
        add_into(&mut reqs, &req);
        add_into(&mut limits, &lim);
    }
    w.head(0, "Allocated resources");
    w.raw(
        0,
        "  (Total limits may be over 100 percent, i.e., overcommitted.)",
    );
    w.raw(1, "Resource\tRequests\tLimits");
    w.raw(1, "--------\t--------\t------");
    let row = |w: &mut Writer, name: &str, milli: bool| {
        let of = get(&allocatable, name);
        let (r, l) = (get(&reqs, name), get(&limits, name));
        w.raw(
            1,
            &format!("{name}\t{}\t{}", share(r, of, milli), share(l, of, milli)),
        );
    };
    row(w, "cpu", true);
    row(w, "memory", false);
    row(w, "ephemeral-storage", false);
    // Sorted by name, as the list is (a BTreeMap).
    for name in allocatable.keys().filter(|n| n.starts_with("hugepages-")) {
        row(w, name, false);
    }
    // Extended resources (a GPU, say): amounts without shares.
    let standard = ["cpu", "memory", "ephemeral-storage", "pods"];
    for name in allocatable
        .keys()
        .filter(|n| !n.starts_with("hugepages-") && !standard.contains(&n.as_str()))
    {
        let (r, l) = (get(&reqs, name), get(&limits, name));
        w.raw(1, &format!("{name}\t{}\t{}", r.text(), l.text()));
    }
}
