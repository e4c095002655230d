use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Event, Node, Secret, Service};
use serde_json::json;

use super::*;
use crate::core::kube_kind::Cell;

fn texts(r: &KindRow) -> Vec<String> {
    r.cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) => t.clone(),
            Cell::Count(n) => n.to_string(),
            other => format!("{other:?}"),
        })
        .collect()
}

#[test]
fn a_secret_row_holds_key_names_and_never_a_value() {
    let s: Secret = serde_json::from_value(json!({
        "metadata": {"name": "db", "namespace": "shop"},
        "type": "Opaque",
        "data": {"password": "c2VjcmV0LXZhbHVl", "user": "YWRtaW4="}
    }))
    .unwrap();
    let r = s.row("ctx").unwrap();
    assert_eq!(texts(&r)[0..2], ["Opaque", "2"]);
    assert_eq!(texts(&r)[3], "password,user");
    let all = format!("{r:?}");
    for value in ["c2VjcmV0LXZhbHVl", "secret-value", "YWRtaW4=", "admin"] {
        assert!(!all.contains(value), "{value} in {all}");
    }
}

#[test]
fn service_columns_use_kubectls_words() {
    let svc = |spec: serde_json::Value| -> Service {
        serde_json::from_value(json!({"metadata": {"name": "s", "namespace": "n"}, "spec": spec}))
            .unwrap()
    };
    let r = svc(json!({"type": "LoadBalancer", "clusterIP": "10.0.0.1",
        "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]}))
    .row("c")
    .unwrap();
    assert_eq!(
        texts(&r)[..4],
        [
            "LoadBalancer",
            "10.0.0.1",
            "<pending>",
            "80:30080/TCP,53/UDP"
        ]
    );
    let r = svc(json!({"clusterIP": "None"})).row("c").unwrap();
    assert_eq!(texts(&r)[..4], ["ClusterIP", "None", "<none>", "<none>"]);
    let r = svc(json!({"type": "ExternalName", "externalName": "db.example.com"}))
        .row("c")
        .unwrap();
    assert_eq!(texts(&r)[2], "db.example.com");
}

#[test]
fn deployment_columns_read_spec_and_status_like_kubectl() {
    let d: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "web", "namespace": "shop",
                     "creationTimestamp": "2026-01-01T00:00:00Z"},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                 "template": {}},
        "status": {"replicas": 3, "readyReplicas": 2, "updatedReplicas": 1,
                   "availableReplicas": 2}
    }))
    .unwrap();
    let r = d.row("ctx").unwrap();
    assert_eq!(r.cells[0], Cell::Ratio(2, 3));
    assert_eq!(texts(&r)[1..3], ["1", "2"]);
    assert_eq!(r.wanted(), Some(3));
    assert_eq!(r.severity, crate::core::docker::Severity::Warning);
    // A new deployment has no status yet: 0 of its 1 (the default) replicas.
    let d: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "new", "namespace": "shop"},
        "spec": {"selector": {}, "template": {}}
    }))
    .unwrap();
    assert_eq!(d.row("ctx").unwrap().cells[0], Cell::Ratio(0, 1));
    // Scaled to zero: nothing is missing, it is idle.
    let d: Deployment = serde_json::from_value(json!({
        "metadata": {"name": "off", "namespace": "shop"},
        "spec": {"replicas": 0, "selector": {}, "template": {}}
    }))
    .unwrap();
    let r = d.row("ctx").unwrap();
    assert_eq!(r.severity, crate::core::docker::Severity::Idle);
    assert_eq!(
        r.link,
        crate::core::kube_kind::Link::Pods(crate::core::kube::OwnerRef {
            kind: "Deployment".into(),
            name: "off".into()
        })
    );
}

#[test]
fn a_node_without_a_ready_condition_is_unknown_and_a_cordoned_one_says_so() {
    let n: Node = serde_json::from_value(json!({
        "metadata": {"name": "n1", "labels": {"node-role.kubernetes.io/control-plane": ""}},
        "spec": {"unschedulable": true}
    }))
    .unwrap();
    let r = n.row("c").unwrap();
    assert_eq!(
        texts(&r)[..2],
        ["Unknown,SchedulingDisabled", "control-plane"]
    );
    assert_eq!(&*r.key.namespace, "");
}

#[test]
fn an_events_last_seen_prefers_its_series_then_last_then_event_time_then_first() {
    let ev = |v: serde_json::Value| -> Event {
        let mut base = json!({"metadata": {"name": "e", "namespace": "n",
            "creationTimestamp": "2026-01-01T00:00:00Z"}, "involvedObject": {}});
        for (k, x) in v.as_object().unwrap() {
            base[k] = x.clone();
        }
        serde_json::from_value(base).unwrap()
    };
    let seen = |e: &Event| events::last_seen(e).map(|t| t.to_rfc3339());
    let e = ev(json!({"lastTimestamp": "2026-01-01T05:00:00Z",
        "eventTime": "2026-01-01T01:00:00.000000Z",
        "series": {"count": 2, "lastObservedTime": "2026-01-01T06:00:00.000000Z"}}));
    assert_eq!(seen(&e).unwrap(), "2026-01-01T06:00:00+00:00");
    let e = ev(
        json!({"lastTimestamp": "2026-01-01T05:00:00Z", "firstTimestamp": "2026-01-01T04:00:00Z"}),
    );
    assert_eq!(seen(&e).unwrap(), "2026-01-01T05:00:00+00:00");
    let e = ev(json!({"eventTime": "2026-01-01T03:00:00.000000Z"}));
    assert_eq!(seen(&e).unwrap(), "2026-01-01T03:00:00+00:00");
    let e = ev(json!({"firstTimestamp": "2026-01-01T02:00:00Z"}));
    assert_eq!(seen(&e).unwrap(), "2026-01-01T02:00:00+00:00");
    let e = ev(json!({}));
    assert_eq!(seen(&e).unwrap(), "2026-01-01T00:00:00+00:00");
}

#[test]
fn the_watch_table_and_the_cores_kinds_are_the_same_list() {
    let table: Vec<&str> = specs().map(|s| s.plural).collect();
    let core: Vec<&str> = crate::core::kube_kinds::ALL
        .iter()
        .map(|s| s.plural)
        .collect();
    assert_eq!(table, core);
    for (t, c) in specs().zip(crate::core::kube_kinds::ALL.iter()) {
        assert!(std::ptr::eq(t, *c), "{} points at another spec", t.plural);
    }
}
