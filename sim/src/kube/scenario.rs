//! The clusters the simulator starts with: a lively demo (every kind of
//! trouble an operator meets) and a large, quiet one for benchmarks.

use std::time::Duration;

use chrono::Utc;
use tokio::time::Instant;

use super::Scenario;
use super::controllers::restart_template;
use super::events::Source;
use super::kubelet::{Behavior, CState, NODES, PodRt, Stage, Term, Timer};
use super::lifecycle::write;
use super::logtext::{self, Flavor};
use super::objects::{container, namespace};
use super::state::SimState;
use super::store::Kind;
use super::workloads::{DAY, Workload, ago, spawn};

fn demo_workloads() -> Vec<Workload> {
    let reg = "registry.example.com";
    let steady = Behavior::Steady {
        ready_after: Duration::from_millis(600),
    };
    let w = |ns: &str, name: &str, replicas, containers, behavior, flavor, age_s: u64| Workload {
        ns: ns.to_string(),
        name: name.to_string(),
        replicas,
        containers,
        init: Vec::new(),
        behavior,
        flavor,
        age: Duration::from_secs(age_s),
        stateful: false,
    };
    let mut list = vec![
        w(
            "default",
            "hello",
            1,
            vec![container("hello", "nginxdemos/hello:0.4")],
            steady.clone(),
            Flavor::Web,
            12 * DAY,
        ),
        w(
            "shop",
            "web",
            3,
            vec![
                container("app", &format!("{reg}/shop/web:1.14.2")),
                container("metrics", "prom/statsd-exporter:v0.26.1"),
            ],
            steady.clone(),
            Flavor::Web,
            9 * DAY,
        ),
        w(
            "shop",
            "cart",
            2,
            vec![container("app", &format!("{reg}/shop/cart:2.3.1"))],
            Behavior::CrashLoop {
                run_for: Duration::from_secs(9),
                oom: false,
                ready: true,
            },
            Flavor::Panicky,
            3 * DAY,
        ),
        w(
            "shop",
            "checkout",
            3,
            vec![container("app", &format!("{reg}/shop/checkout:5.0.3"))],
            Behavior::Steady {
                ready_after: Duration::from_secs(4),
            },
            Flavor::Api,
            6 * DAY,
        ),
        w(
            "payments",
            "ledger",
            2,
            vec![container("app", &format!("{reg}/payments/ledger:3.2.0"))],
            Behavior::CrashLoop {
                run_for: Duration::from_secs(14),
                oom: true,
                ready: true,
            },
            Flavor::Hungry,
            5 * DAY,
        ),
        w(
            "payments",
            "gateway",
            1,
            vec![container(
                "app",
                &format!("{reg}/payments/gateway:2.0.0-rc1"),
            )],
            Behavior::ImagePull,
            Flavor::Api,
            2 * 3600,
        ),
        w(
            "payments",
            "settlement",
            1,
            vec![container(
                "app",
                &format!("{reg}/payments/settlement:1.8.0"),
            )],
            Behavior::ConfigError,
            Flavor::Worker,
            50 * 60,
        ),
        w(
            "payments",
            "reports",
            1,
            vec![container("app", &format!("{reg}/payments/reports:0.9.4"))],
            Behavior::Unschedulable,
            Flavor::Plain,
            40 * 60,
        ),
        w(
            "monitoring",
            "grafana",
            1,
            vec![container("grafana", "grafana/grafana:11.1.0")],
            steady.clone(),
            Flavor::Logfmt,
            30 * DAY,
        ),
        w(
            "monitoring",
            "kube-state-metrics",
            1,
            vec![container(
                "kube-state-metrics",
                "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0",
            )],
            steady.clone(),
            Flavor::Logfmt,
            30 * DAY,
        ),
    ];
    let mut fraud = w(
        "payments",
        "fraud-check",
        2,
        vec![container(
            "app",
            &format!("{reg}/payments/fraud-check:1.1.0"),
        )],
        steady.clone(),
        Flavor::Worker,
        DAY,
    );
    fraud.init = vec![container(
        "migrate",
        &format!("{reg}/payments/fraud-migrate:1.1.0"),
    )];
    list.push(fraud);
    let mut redis = w(
        "shop",
        "redis",
        1,
        vec![container("redis", "redis:7.2-alpine")],
        steady.clone(),
        Flavor::Db,
        20 * DAY,
    );
    redis.stateful = true;
    list.push(redis);
    let mut prom = w(
        "monitoring",
        "prometheus",
        1,
        vec![
            container("prometheus", "prom/prometheus:v2.53.0"),
            container(
                "config-reloader",
                "quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0",
            ),
        ],
        steady,
        Flavor::Logfmt,
        30 * DAY,
    );
    prom.stateful = true;
    list.push(prom);
    list
}

pub(crate) fn build(st: &mut SimState, scenario: &Scenario, now: Instant) {
    match scenario {
        Scenario::Demo => build_demo(st, now),
        Scenario::Scale { pods, namespaces } => build_scale(st, *pods, *namespaces),
    }
}

fn build_demo(st: &mut SimState, now: Instant) {
    for ns in ["default", "shop", "payments", "monitoring"] {
        let _ = st.store.create(
            Kind::Namespace,
            namespace(ns, ago(Duration::from_secs(30 * DAY))),
        );
    }
    for w in demo_workloads() {
        st.kubelet.behaviors.insert(
            (w.ns.clone(), w.name.clone()),
            (w.behavior.clone(), w.flavor),
        );
        let pods = spawn(st, &w);
        for (name, mut rt) in pods {
            warm(st, &w.ns, &name, &mut rt, now);
            st.kubelet.pods.insert((w.ns.clone(), name), rt);
        }
    }
    super::story::build(st, now);
    super::seed::seed(st);
    // A rollout in progress from the first second, and again every minute.
    restart_template(st, Kind::Deployment, "shop", "checkout");
    st.auto_rollouts.insert(
        ("shop".into(), "checkout".into()),
        (Duration::from_secs(60), now + Duration::from_secs(60)),
    );
}

/// Puts a demo pod into the state its behaviour has reached by now, with a
/// log history and the events that led there.
pub(crate) fn warm(st: &mut SimState, ns: &str, name: &str, rt: &mut PodRt, now: Instant) {
    let key = (ns.to_string(), name.to_string());
    let node = rt.node.clone().unwrap_or_else(|| NODES[0].to_string());
    let since = ago(Duration::from_secs(600));
    for c in rt.init.iter().chain(rt.ctrs.iter()) {
        st.logs.start(ns, name, &c.name);
    }
    for c in rt.ctrs.iter_mut() {
        c.state = CState::Running(since);
        for line in logtext::startup(rt.flavor, name, &c.name, since) {
            st.logs.append(ns, name, &c.name, since, line);
        }
        for i in 0..40u64 {
            let ts = since + chrono::Duration::seconds(i64::try_from(i * 14).unwrap_or(0));
            rt.log_seq += 1;
            st.logs.append(
                ns,
                name,
                &c.name,
                ts,
                logtext::line(rt.flavor, rt.log_seq, ts, &mut st.rng),
            );
        }
    }
    rt.next_log = Some(now + Duration::from_millis(300 + st.rng.below(1500)));
    let pod = st
        .store
        .get(Kind::Pod, ns, name)
        .map(|p| p.value.clone())
        .unwrap_or_default();
    let ev = |st: &mut SimState, warning: bool, reason: &str, msg: &str, ctr: Option<&str>| {
        let fp = ctr.map(|c| format!("spec.containers{{{c}}}"));
        st.events.record(
            &mut st.store,
            &pod,
            fp.as_deref(),
            warning,
            reason,
            msg,
            Source::Kubelet(&node),
            Utc::now(),
        );
    };
    match rt.behavior.clone() {
        Behavior::CrashLoop {
            run_for,
            oom,
            ready,
        } => {
            let Some(c_name) = rt.ctrs.first().map(|c| c.name.clone()) else {
                return;
            };
            let died = ago(Duration::from_secs(95 + st.rng.below(60)));
            let prev: Vec<_> = (0..25u64)
                .map(|i| {
                    let ts =
                        died - chrono::Duration::seconds(60 - i64::try_from(i).unwrap_or(0) * 2);
                    (ts, logtext::line(rt.flavor, i, ts, &mut st.rng))
                })
                .chain(
                    logtext::crash(rt.flavor, oom)
                        .into_iter()
                        .map(|l| (died, l)),
                )
                .collect();
            st.logs.seed_previous(ns, name, &c_name, prev);
            if let Some(c) = rt.ctrs.first_mut() {
                let (exit, reason) = if oom {
                    (137, "OOMKilled")
                } else {
                    (2, "Error")
                };
                c.last = Some(Term {
                    exit,
                    reason: Some(reason.into()),
                    signal: None,
                    started: died - chrono::Duration::seconds(60),
                    finished: died,
                });
                c.restarts = 4 + u32::try_from(st.rng.below(5)).unwrap_or(0);
                c.state = CState::Running(ago(Duration::from_secs(5)));
                c.ready = ready;
            }
            rt.crash_count = 3;
            let uid = rt.uid.clone();
            ev(
                st,
                true,
                "BackOff",
                &format!("Back-off restarting failed container {c_name} in pod {name}_{ns}({uid})"),
                Some(&c_name),
            );
            let due = now
                + Duration::from_millis(
                    run_for.as_millis().try_into().unwrap_or(5000u64) / 2 + st.rng.below(4000),
                );
            st.kubelet.schedule(due, key.clone(), &rt.uid, Timer::Step);
        }
        Behavior::ImagePull | Behavior::ConfigError | Behavior::Unschedulable => {
            rt.phase = "Pending";
            rt.stage = Stage::Stuck;
            rt.next_log = None;
            for c in rt.ctrs.iter_mut() {
                c.state = CState::Waiting("ContainerCreating".into(), None);
                c.ready = false;
                c.started = false;
            }
            st.logs.remove_pod(ns, name);
            if rt.behavior == Behavior::Unschedulable {
                rt.node = None;
                rt.stage = Stage::New;
                rt.conds.clear();
            }
            st.kubelet.schedule(
                now + Duration::from_millis(200),
                key.clone(),
                &rt.uid,
                Timer::Step,
            );
        }
        _ => {
            ev(
                st,
                false,
                "Started",
                &format!(
                    "Started container {}",
                    rt.ctrs.first().map(|c| c.name.as_str()).unwrap_or("app")
                ),
                None,
            );
        }
    }
    write(st, &key, rt);
}

fn build_scale(st: &mut SimState, pods: usize, namespaces: usize) {
    let namespaces = namespaces.max(1);
    let per_ns = pods.div_ceil(namespaces);
    let created = ago(Duration::from_secs(3 * DAY));
    let mut left = pods;
    for n in 0..namespaces {
        let ns = format!("ns-{n:03}");
        let _ = st.store.create(Kind::Namespace, namespace(&ns, created));
        let mut in_ns = per_ns.min(left);
        let mut d = 0;
        while in_ns > 0 {
            let replicas = in_ns.min(20);
            let name = format!("svc-{d:02}");
            let w = Workload {
                ns: ns.clone(),
                name: name.clone(),
                replicas: u32::try_from(replicas).unwrap_or(20),
                containers: vec![container("app", "registry.example.com/bench/app:1.0.0")],
                init: Vec::new(),
                behavior: Behavior::Static,
                flavor: Flavor::Plain,
                age: Duration::from_secs(3 * DAY),
                stateful: false,
            };
            st.kubelet
                .behaviors
                .insert((ns.clone(), name), (Behavior::Static, Flavor::Plain));
            for (pod, rt) in spawn(st, &w) {
                st.logs.start(&ns, &pod, "app");
                st.kubelet.pods.insert((ns.clone(), pod), rt);
            }
            in_ns -= replicas;
            left -= replicas;
            d += 1;
        }
    }
}
