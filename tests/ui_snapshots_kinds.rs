//! Snapshots of the kind views (`:sts`, `:svc`, `:sec`, `:no`, `:ev`,
//! `:pvc`) at 80x24 and 200x50, from objects put through the real
//! converters, on a fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::Duration;
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Event, Node, PersistentVolumeClaim, Secret, Service};
use opsdeck::core::effect::Effect;
use opsdeck::core::kube_kind::{KindEvent, KindRow};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::State;
use opsdeck::core::update::update;
use opsdeck::sources::kube::kinds::KindSource;
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

#[path = "support/kube_snap.rs"]
#[allow(dead_code)] // each file uses part of it
mod kube_snap;
use kube_snap::{CTX, now, type_keys};

fn ago(d: Duration) -> String {
    (now() - d).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn meta(ns: &str, name: &str, age: Duration) -> Value {
    json!({"name": name, "namespace": ns, "creationTimestamp": ago(age)})
}

fn state(w: u16, h: u16) -> State {
    let mut s = kube_snap::connected(CTX, "*", false, w, h);
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: CTX.into(),
            pods: vec![],
        }),
    );
    s
}

fn render(s: &mut State, w: u16, h: u16) -> String {
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal.draw(|f| ui::draw(f, s, &look)).expect("draw");
    terminal.backend().to_string()
}

fn rows<K: KindSource>(objects: Vec<Value>) -> Vec<KindRow> {
    objects
        .into_iter()
        .map(|v| serde_json::from_value::<K>(v).expect("object"))
        .filter_map(|o| o.row(CTX))
        .collect()
}

/// `:word`, its watch answered with `rows`, drawn at both sizes.
fn shot(word: &str, rows: Vec<KindRow>, must: &[&str]) {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state(w, h);
        let effects = type_keys(&mut s, &format!(":{word}\n"));
        let Some(Effect::Kube(KubeCommand::WatchKind { request, .. })) = effects
            .iter()
            .find(|e| matches!(e, Effect::Kube(KubeCommand::WatchKind { .. })))
        else {
            panic!("no watch: {effects:?}");
        };
        update(
            &mut s,
            Msg::Kube(KubeEvent::Kind {
                request: *request,
                event: KindEvent::Snapshot {
                    context: CTX.into(),
                    namespace: None,
                    rows: rows.clone(),
                },
            }),
        );
        let text = render(&mut s, w, h);
        // A narrow screen drops columns by priority; the wide one has all.
        for word in must.iter().filter(|_| w == 200) {
            assert!(text.contains(word), "{word}: {text}");
        }
        insta::assert_snapshot!(format!("kind_{word}_{w}x{h}"), text);
    }
}

#[test]
fn statefulsets() {
    let sts = |ns: &str, name: &str, want: i32, ready: i32, days: i64| {
        json!({"metadata": meta(ns, name, Duration::days(days)),
            "spec": {"replicas": want, "selector": {}, "serviceName": name, "template": {}},
            "status": {"replicas": want, "readyReplicas": ready}})
    };
    shot(
        "sts",
        rows::<StatefulSet>(vec![
            sts("shop", "redis", 1, 1, 20),
            sts("monitoring", "prometheus", 2, 1, 30),
            sts("payments", "ledger-db", 3, 0, 2),
        ]),
        &["READY", "1/2", "redis"],
    );
}

#[test]
fn services() {
    let svc = |ns: &str, name: &str, spec: Value, lb: Option<&str>| {
        let status = lb.map_or(
            json!({}),
            |ip| json!({"loadBalancer": {"ingress": [{"ip": ip}]}}),
        );
        json!({"metadata": meta(ns, name, Duration::hours(50)), "spec": spec, "status": status})
    };
    shot(
        "svc",
        rows::<Service>(vec![
            svc(
                "shop",
                "web",
                json!({"type": "LoadBalancer", "clusterIP": "10.96.12.40",
                "ports": [{"port": 80, "nodePort": 30080}, {"port": 443, "nodePort": 30443}]}),
                Some("203.0.113.10"),
            ),
            svc(
                "shop",
                "cart",
                json!({"clusterIP": "10.96.12.41", "ports": [{"port": 8080}]}),
                None,
            ),
            svc(
                "payments",
                "gateway",
                json!({"type": "LoadBalancer", "clusterIP": "10.96.20.7",
                "ports": [{"port": 443, "nodePort": 32443}]}),
                None,
            ),
            svc(
                "default",
                "db",
                json!({"type": "ExternalName", "externalName": "db.example.com"}),
                None,
            ),
        ]),
        &["CLUSTER-IP", "<pending>", "TYPE"],
    );
}

#[test]
fn secrets_show_key_names_only() {
    let sec = |name: &str, kind: &str, data: Value| json!({"metadata": meta("shop", name, Duration::days(9)), "type": kind, "data": data});
    let rows = rows::<Secret>(vec![
        sec(
            "db-credentials",
            "Opaque",
            json!({"username": "c2hvcA==", "password": "aHVudGVyMg=="}),
        ),
        sec(
            "web-tls",
            "kubernetes.io/tls",
            json!({"tls.crt": "Y2VydA==", "tls.key": "a2V5"}),
        ),
    ]);
    shot("sec", rows.clone(), &["db-credentials", "DATA"]);
    let mut s = state(200, 50);
    let effects = type_keys(&mut s, ":sec\n");
    let Some(Effect::Kube(KubeCommand::WatchKind { request, .. })) = effects
        .iter()
        .find(|e| matches!(e, Effect::Kube(KubeCommand::WatchKind { .. })))
    else {
        panic!("{effects:?}");
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Kind {
            request: *request,
            event: KindEvent::Snapshot {
                context: CTX.into(),
                namespace: None,
                rows,
            },
        }),
    );
    let text = render(&mut s, 200, 50);
    assert!(text.contains("password,username"), "{text}");
    for value in ["aHVudGVyMg==", "hunter2", "Y2VydA==", "a2V5"] {
        assert!(!text.contains(value), "{value}: {text}");
    }
}

#[test]
fn nodes() {
    let node = |name: &str, role: &str, ready: &str, cordoned: bool| {
        let mut labels = json!({});
        labels[format!("node-role.kubernetes.io/{role}")] = json!("");
        json!({"metadata": {"name": name, "labels": labels, "creationTimestamp": ago(Duration::days(40))},
            "spec": {"unschedulable": cordoned},
            "status": {"conditions": [{"type": "Ready", "status": ready}],
                "nodeInfo": {"kubeletVersion": "v1.31.4", "architecture": "", "bootID": "",
                    "containerRuntimeVersion": "", "kernelVersion": "", "kubeProxyVersion": "",
                    "machineID": "", "operatingSystem": "", "osImage": "", "systemUUID": ""}}})
    };
    shot(
        "no",
        rows::<Node>(vec![
            node("control-plane", "control-plane", "True", false),
            node("worker-a", "worker", "True", false),
            node("worker-b", "worker", "False", false),
            node("worker-c", "worker", "True", true),
        ]),
        &["NotReady", "SchedulingDisabled", "VERSION"],
    );
}

#[test]
fn persistent_volume_claims() {
    let pvc = |ns: &str, name: &str, bound: bool| {
        let status = if bound {
            json!({"phase": "Bound", "capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]})
        } else {
            json!({"phase": "Pending"})
        };
        json!({"metadata": meta(ns, name, Duration::days(3)),
            "spec": {"storageClassName": "standard", "volumeName": if bound { format!("pvc-{name}") } else { String::new() }},
            "status": status})
    };
    shot(
        "pvc",
        rows::<PersistentVolumeClaim>(vec![
            pvc("shop", "data-redis-0", true),
            pvc("payments", "ledger-archive", false),
        ]),
        &["Bound", "Pending", "STORAGECLASS"],
    );
}

#[test]
fn events_newest_first() {
    let ev = |name: &str, warning: bool, reason: &str, object: &str, msg: &str, times: Value| {
        let (kind, oname) = object.split_once('/').unwrap();
        let mut v = json!({"metadata": meta("shop", name, Duration::hours(2)),
            "involvedObject": {"kind": kind, "name": oname, "namespace": "shop"},
            "type": if warning { "Warning" } else { "Normal" }, "reason": reason, "message": msg});
        for (k, t) in times.as_object().unwrap() {
            v[k] = t.clone();
        }
        v
    };
    let micro = |d: Duration| (now() - d).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    shot(
        "ev",
        rows::<Event>(vec![
            ev(
                "a",
                false,
                "Pulled",
                "Pod/web-1",
                "Container image already present on machine",
                json!({"lastTimestamp": ago(Duration::minutes(42))}),
            ),
            ev(
                "b",
                true,
                "BackOff",
                "Pod/cart-1",
                "Back-off restarting failed container app in pod cart-1",
                json!({"series": {"count": 7, "lastObservedTime": micro(Duration::seconds(20))},
                       "eventTime": micro(Duration::minutes(30))}),
            ),
            ev(
                "c",
                true,
                "FailedScheduling",
                "Pod/reports-1",
                "0/3 nodes are available: 3 Insufficient memory.",
                json!({"eventTime": micro(Duration::minutes(3))}),
            ),
            ev(
                "d",
                false,
                "ScalingReplicaSet",
                "Deployment/web",
                "Scaled up replica set web-7d9f to 3",
                json!({"firstTimestamp": ago(Duration::hours(1))}),
            ),
        ]),
        &["LAST SEEN", "BackOff", "deployment/web"],
    );
}

/// The request of the kind watch among `effects`.
fn watch_request(effects: &[Effect]) -> u64 {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Kube(KubeCommand::WatchKind { request, .. }) => Some(*request),
            _ => None,
        })
        .expect("a kind watch")
}

#[test]
fn a_cron_jobs_jobs() {
    use k8s_openapi::api::batch::v1::{CronJob, Job};
    let cron = json!({"metadata": meta("payments", "ledger-export", Duration::days(30)),
        "spec": {"schedule": "0 */3 * * *", "jobTemplate": {}}});
    let job = |name: &str, owner: Option<&str>, hours: i64| {
        let mut m = meta("payments", name, Duration::hours(hours));
        if let Some(o) = owner {
            m["ownerReferences"] = json!([{"apiVersion": "batch/v1", "kind": "CronJob",
                "name": o, "uid": "u", "controller": true}]);
        }
        json!({"metadata": m, "spec": {"template": {}},
            "status": {"succeeded": 1, "startTime": ago(Duration::hours(hours)),
                "completionTime": ago(Duration::hours(hours) - Duration::seconds(40)),
                "conditions": [{"type": "Complete", "status": "True"}]}})
    };
    for (w, h) in [(80, 24), (200, 50)] {
        let mut s = state(w, h);
        let request = watch_request(&type_keys(&mut s, ":cj\n"));
        let event = KindEvent::Snapshot {
            context: CTX.into(),
            namespace: None,
            rows: rows::<CronJob>(vec![cron.clone()]),
        };
        update(&mut s, Msg::Kube(KubeEvent::Kind { request, event }));
        let request = watch_request(&type_keys(&mut s, "\n"));
        let event = KindEvent::Snapshot {
            context: CTX.into(),
            namespace: None,
            rows: rows::<Job>(vec![
                job("ledger-export-29170", Some("ledger-export"), 3),
                job("ledger-export-29167", Some("ledger-export"), 6),
                job("reconcile-29171", Some("reconcile"), 1),
                job("backfill-manual", None, 2),
            ]),
        };
        update(&mut s, Msg::Kube(KubeEvent::Kind { request, event }));
        let text = render(&mut s, w, h);
        assert!(text.contains("ledger-export-29170"), "{text}");
        assert!(!text.contains("reconcile-29171"), "{text}");
        assert!(!text.contains("backfill-manual"), "{text}");
        insta::assert_snapshot!(format!("kind_cj_jobs_{w}x{h}"), text);
    }
}
