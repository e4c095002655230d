//! The kinds of the kinds table (`:sts`, `:svc`, `:sec`, `:ev`...) through
//! the real kube client against the simulator: kubectl's cells for each,
//! a change from outside seen live, Enter on a StatefulSet, a namespace
//! and an event, the events' last-seen order, and no Secret value anywhere.

use std::time::Duration;

use k8s_openapi::api::core::v1::{ConfigMap, Event, Service};
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use opsdeck::core::action::Action;
use opsdeck::core::key::KeyCode;
use opsdeck::core::kube::NamespaceScope;
use opsdeck::core::kube_kind::{Cell, KindRow};
use opsdeck::ui::{self, Look, Theme};
use opsdeck_sim::kube::{KubeSim, Scenario};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::harness::{Pane, client, scope};

fn row<'a>(p: &'a Pane, ns: &str, name: &str) -> Option<&'a KindRow> {
    let view = p.app.state.kube.kind.as_ref()?;
    view.rows
        .values()
        .find(|r| &*r.key.name == name && &*r.key.namespace == ns)
}

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(t) => t.clone(),
        Cell::Count(n) => n.to_string(),
        Cell::Ratio(a, b) => format!("{a}/{b}"),
        other => format!("{other:?}"),
    }
}

fn texts(r: &KindRow) -> Vec<String> {
    r.cells.iter().map(text).collect()
}

/// A pane on all namespaces with its pods loaded.
async fn pane(sim: &KubeSim, namespace: &str) -> Pane {
    let mut p = Pane::start(sim, scope(&[], namespace));
    p.until("pods", |p| p.app.state.kube.all_loaded()).await;
    p
}

/// `:word` Enter, then waits for `ns/name` to be listed.
async fn open(p: &mut Pane, word: &str, ns: &str, name: &str) {
    p.typed(&format!(":{word}"));
    p.key(KeyCode::Enter);
    let what = format!(":{word} lists {ns}/{name}");
    p.until(&what, |p| row(p, ns, name).is_some()).await;
}

#[tokio::test]
async fn every_kind_lists_kubectls_cells_through_the_real_client() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim, "*").await;
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "svc",
            "shop",
            "web",
            &[
                "LoadBalancer",
                "10.96.12.40",
                "203.0.113.10",
                "80:30080/TCP,443:30443/TCP",
            ],
        ),
        (
            "services",
            "payments",
            "gateway",
            &["LoadBalancer", "10.96.20.7", "<pending>", "443:32443/TCP"],
        ),
        (
            "ing",
            "shop",
            "web",
            &["nginx", "shop.example.com", "203.0.113.10", "80, 443"],
        ),
        ("cm", "shop", "web-config", &["3"]),
        ("sec", "shop", "db-credentials", &["Opaque", "2"]),
        (
            "pvc",
            "shop",
            "data-redis-0",
            &[
                "Bound",
                "pvc-data-redis-0",
                "1Gi",
                "RWO",
                "standard",
                "<unset>",
            ],
        ),
        (
            "pvc",
            "payments",
            "ledger-archive",
            &["Pending", "", "", "", "standard"],
        ),
        (
            "no",
            "",
            "worker-c",
            &["Ready,SchedulingDisabled", "worker"],
        ),
        ("nodes", "", "control-plane", &["Ready", "control-plane"]),
        (
            "ds",
            "monitoring",
            "node-exporter",
            &["4", "4", "3", "4", "3", "kubernetes.io/os=linux"],
        ),
        ("job", "shop", "db-migrate-1042", &["Complete", "1/1"]),
        (
            "jobs",
            "payments",
            "ledger-export-29170",
            &["Failed", "0/1"],
        ),
        (
            "cj",
            "payments",
            "ledger-export",
            &["0 */3 * * *", "Etc/UTC", "False", "0"],
        ),
        ("sts", "shop", "redis", &[]),
        ("namespaces", "", "monitoring", &["Active"]),
        (
            "pv",
            "",
            "pvc-data-redis-0",
            &[
                "1Gi",
                "RWO",
                "Delete",
                "Bound",
                "shop/data-redis-0",
                "standard",
            ],
        ),
    ];
    for (word, ns, name, want) in cases {
        open(&mut p, word, ns, name).await;
        let got = texts(row(&p, ns, name).unwrap());
        assert_eq!(&got[..want.len()], *want, ":{word} {ns}/{name}: {got:?}");
    }
    // The job's DURATION is its span (47 s), kept as times so it sorts.
    open(&mut p, "job", "shop", "db-migrate-1042").await;
    match &row(&p, "shop", "db-migrate-1042").unwrap().cells[2] {
        Cell::Span(a, b) => assert_eq!((*b - *a).num_seconds(), 47),
        other => panic!("duration {other:?}"),
    }
    // A StatefulSet's READY settles at 1/1 once its pod is ready.
    open(&mut p, "statefulsets", "shop", "redis").await;
    p.until("redis 1/1", |p| {
        row(p, "shop", "redis").is_some_and(|r| r.cells[0] == Cell::Ratio(1, 1))
    })
    .await;
    // ReplicaSets and events come from the simulated controllers and kubelet.
    p.typed(":rs");
    p.key(KeyCode::Enter);
    p.until("web's replica set", |p| {
        p.app
            .state
            .kube
            .kind
            .as_ref()
            .is_some_and(|v| v.rows.keys().any(|k| k.name.starts_with("web-")))
    })
    .await;
    p.typed(":ev");
    p.key(KeyCode::Enter);
    p.until("events", |p| {
        p.app
            .state
            .kube
            .kind
            .as_ref()
            .is_some_and(|v| v.spec.plural == "events" && !v.rows.is_empty())
    })
    .await;
}

#[tokio::test]
async fn changes_from_outside_show_live_and_the_watch_stops_with_the_view() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim, "shop").await;
    open(&mut p, "configmaps", "shop", "web-config").await;
    let c = client(&sim).await;
    let cms: Api<ConfigMap> = Api::namespaced(c.clone(), "shop");
    let cm: ConfigMap = serde_json::from_value(serde_json::json!({
        "metadata": {"name": "flags"}, "data": {"a": "1", "b": "2"}
    }))
    .unwrap();
    cms.create(&PostParams::default(), &cm)
        .await
        .expect("create");
    p.until("flags listed with 2 entries", |p| {
        row(p, "shop", "flags").is_some_and(|r| texts(r)[0] == "2")
    })
    .await;
    cms.delete("flags", &DeleteParams::default())
        .await
        .expect("delete");
    p.until("flags gone", |p| row(p, "shop", "flags").is_none())
        .await;

    open(&mut p, "svc", "shop", "cart").await;
    let svcs: Api<Service> = Api::namespaced(c, "shop");
    let patch = serde_json::json!({"spec": {"ports": [{"port": 9090, "protocol": "TCP"}]}});
    svcs.patch("cart", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch");
    p.until("cart on 9090", |p| {
        row(p, "shop", "cart").is_some_and(|r| texts(r)[3] == "9090/TCP")
    })
    .await;
    // Esc closes the view; a later change reaches no watch of it.
    p.key(KeyCode::Esc);
    assert!(p.app.state.kube.kind.is_none());
    let before = p.kind_msgs;
    let patch = serde_json::json!({"spec": {"ports": [{"port": 9091, "protocol": "TCP"}]}});
    let svcs: Api<Service> = Api::namespaced(client(&sim).await, "shop");
    svcs.patch("cart", &PatchParams::default(), &Patch::Merge(&patch))
        .await
        .expect("patch");
    tokio::time::sleep(Duration::from_millis(500)).await;
    p.drain().await;
    assert_eq!(p.kind_msgs, before, "the closed view's watch still runs");
}

/// An event as the API stores it; `times` are the fields set.
fn event(name: &str, warning: bool, times: serde_json::Value) -> Event {
    let mut v = serde_json::json!({
        "metadata": {"name": name, "namespace": "default"},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": "hello-x", "apiVersion": "v1"},
        "reason": "Test", "message": name,
        "type": if warning { "Warning" } else { "Normal" },
    });
    for (k, t) in times.as_object().unwrap() {
        v[k] = t.clone();
    }
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn events_sort_by_last_seen_whatever_field_holds_it_and_w_keeps_warnings() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim, "default").await;
    let api: Api<Event> = Api::namespaced(client(&sim).await, "default");
    let at = |mins_ago: i64| chrono::Utc::now() - chrono::Duration::minutes(mins_ago);
    let t = |m| at(m).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let micro = |m| at(m).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    let made = [
        // Seen 10 minutes ago by lastTimestamp, first 60 minutes ago.
        event(
            "t-last",
            false,
            serde_json::json!({"firstTimestamp": t(60), "lastTimestamp": t(10)}),
        ),
        // events.k8s.io style: no lastTimestamp, eventTime 20 minutes ago.
        event(
            "t-eventtime",
            true,
            serde_json::json!({"eventTime": micro(20),
            "reportingComponent": "test", "reportingInstance": "test"}),
        ),
        // A series: first at 90, last observed 5 minutes ago.
        event(
            "t-series",
            true,
            serde_json::json!({"eventTime": micro(90),
            "series": {"count": 4, "lastObservedTime": micro(5)},
            "reportingComponent": "test", "reportingInstance": "test"}),
        ),
        // Only firstTimestamp, 30 minutes ago.
        event(
            "t-first",
            false,
            serde_json::json!({"firstTimestamp": t(30)}),
        ),
    ];
    for e in &made {
        api.create(&PostParams::default(), e)
            .await
            .expect("create event");
    }
    open(&mut p, "events", "default", "t-first").await;
    for name in ["t-last", "t-eventtime", "t-series"] {
        p.until(name, |p| row(p, "default", name).is_some()).await;
    }
    let view = p.app.state.kube.kind.as_ref().unwrap();
    let ours: Vec<&str> = view
        .list
        .order()
        .iter()
        .map(|k| &*k.name)
        .filter(|n| n.starts_with("t-"))
        .collect();
    assert_eq!(ours, ["t-series", "t-last", "t-eventtime", "t-first"]);
    // Newest first overall: each row's LAST SEEN no later than the one above.
    let seen: Vec<_> = view
        .list
        .order()
        .iter()
        .map(|k| match &view.rows[k].cells[0] {
            Cell::Age(t) => *t,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(seen.windows(2).all(|w| w[0] >= w[1]), "{seen:?}");
    p.act(Action::WarningsOnly);
    let view = p.app.state.kube.kind.as_ref().unwrap();
    assert!(view.list.order().iter().all(|k| view.rows[k].warning));
    assert!(view.list.order().iter().any(|k| &*k.name == "t-series"));
    assert!(!view.list.order().iter().any(|k| &*k.name == "t-last"));
    p.act(Action::WarningsOnly);
    assert!(p.app.state.kube.kind.as_ref().unwrap().list.len() >= 4);
}

#[tokio::test]
async fn enter_on_a_statefulset_shows_its_pods_and_esc_comes_back() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim, "*").await;
    open(&mut p, "sts", "shop", "redis").await;
    let key = row(&p, "shop", "redis").unwrap().key.clone();
    assert!(p.app.state.kube.kind.as_mut().unwrap().list.select(&key));
    p.key(KeyCode::Enter);
    let shown: Vec<String> = p
        .app
        .state
        .kube
        .list
        .order()
        .iter()
        .map(|k| k.name.to_string())
        .collect();
    assert_eq!(shown, ["redis-0"]);
    p.key(KeyCode::Esc);
    assert!(p.app.state.kube.kind.as_ref().is_some_and(|k| k.listing()));
    p.key(KeyCode::Esc);
    assert!(p.app.state.kube.kind.is_none());
    assert!(p.app.state.kube.list.len() > 1);
}

#[tokio::test]
async fn enter_on_a_namespace_switches_to_it_and_on_an_event_selects_its_pod() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim, "*").await;
    open(&mut p, "ns", "", "payments").await;
    let key = row(&p, "", "payments").unwrap().key.clone();
    assert!(p.app.state.kube.kind.as_mut().unwrap().list.select(&key));
    p.key(KeyCode::Enter);
    assert!(p.app.state.kube.kind.is_none());
    assert_eq!(
        p.app.state.kube.scope.namespace,
        NamespaceScope::parse("payments")
    );
    p.until("payments' pods", |p| {
        p.app.state.kube.all_loaded() && p.pods().iter().all(|x| &*x.key.namespace == "payments")
    })
    .await;
    // An event of a pod: Enter selects that pod in the pods list.
    p.typed(":ev");
    p.key(KeyCode::Enter);
    p.until("a pod's event", |p| {
        p.app.state.kube.kind.as_ref().is_some_and(|v| {
            v.rows.values().any(|r| {
                texts(r)[3].starts_with("pod/")
                    && p.pod("payments", texts(r)[3].trim_start_matches("pod/"))
                        .is_some()
            })
        })
    })
    .await;
    let view = p.app.state.kube.kind.as_ref().unwrap();
    let (key, pod) = view
        .rows
        .values()
        .map(|r| {
            (
                r.key.clone(),
                texts(r)[3].trim_start_matches("pod/").to_string(),
            )
        })
        .find(|(_, pod)| p.pod("payments", pod).is_some())
        .unwrap();
    let view = p.app.state.kube.kind.as_mut().unwrap();
    assert!(view.list.select(&key));
    p.key(KeyCode::Enter);
    assert!(p.app.state.kube.kind.is_none());
    let selected = p.app.state.kube.list.selected().unwrap();
    assert_eq!(&*selected.name, pod);
}

#[tokio::test]
async fn a_secrets_values_are_nowhere_on_screen_or_in_its_row() {
    let sim = KubeSim::start(Scenario::Demo).await.expect("sim");
    let mut p = pane(&sim, "shop").await;
    open(&mut p, "secrets", "shop", "db-credentials").await;
    open(&mut p, "sec", "shop", "web-tls").await;
    let r = row(&p, "shop", "db-credentials").unwrap();
    assert_eq!(
        texts(r),
        [
            "Opaque",
            "2",
            format!("{:?}", r.cells[2]).as_str(),
            "password,username"
        ]
    );
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    terminal
        .draw(|f| ui::draw(f, &mut p.app.state, &look))
        .expect("draw");
    let screen = terminal.backend().to_string();
    assert!(
        screen.contains("db-credentials") && screen.contains("password,username"),
        "{screen}"
    );
    let rows = format!("{:?}", p.app.state.kube.kind.as_ref().unwrap().rows);
    // The simulator's values, base64 and decoded.
    for value in [
        "aHVudGVyMi1zaW11bGF0ZWQ=",
        "hunter2-simulated",
        "c2hvcA==",
        "LS0tLS1CRUdJTiBQUklWQVRF",
    ] {
        assert!(!screen.contains(value), "{value} on screen");
        assert!(!rows.contains(value), "{value} in a row");
    }
}
