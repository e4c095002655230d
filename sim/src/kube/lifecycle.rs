//! Pod lifecycle transitions: scheduling, image pulls, init containers,
//! readiness, the crash loop's rounds — each writing the pod status, the
//! events and the logs a real node would produce. Starts that fail are in
//! startup_failures.rs, crashes and back-off in crash_loop.rs, the lines
//! running containers log in running_logs.rs, graceful deletion in
//! pod_ops.rs and finalizers.rs.

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::events::Source;
use super::kubelet::{Behavior, CState, Ctr, NODES, PodRt, Stage, Term, Timer, new_runtime};
use super::logtext::{self, Flavor};
use super::state::SimState;
use super::store::{Key, Kind};
use super::{crash_loop, startup_failures};

const SCHEDULE_DELAY: Duration = Duration::from_millis(150);
const PULL_DELAY: Duration = Duration::from_millis(350);
const INIT_RUN: Duration = Duration::from_millis(1500);
pub(crate) const SHOW_TERMINATED: Duration = Duration::from_millis(2500);

/// Starts tracking a pod the store just gained.
pub(crate) fn adopt(st: &mut SimState, key: &Key, pod: &Value, now: Instant) {
    // A pod deleted before it ran is not started (its delete finishes
    // it); `pod` may be the object as it was added, so the store says.
    let deleting = st
        .store
        .get(Kind::Pod, &key.0, &key.1)
        .is_none_or(|now| now.value.pointer("/metadata/deletionTimestamp").is_some());
    if st.kubelet.pods.contains_key(key) || deleting {
        return;
    }
    let app = pod
        .pointer("/metadata/labels/app")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let (mut behavior, flavor) = st
        .kubelet
        .behaviors
        .get(&(key.0.clone(), app.to_string()))
        .cloned()
        .unwrap_or((
            Behavior::Steady {
                ready_after: Duration::from_millis(400),
            },
            Flavor::Plain,
        ));
    let image = pod
        .pointer("/spec/containers/0/image")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(own) = st.kubelet.image_behaviors.get(image) {
        behavior = own.clone();
    }
    let mut rt = new_runtime(pod, behavior, flavor);
    if rt.behavior == Behavior::Static {
        start_static(&mut rt, &key.1);
        write(st, key, &mut rt);
    } else {
        st.kubelet
            .schedule(now + SCHEDULE_DELAY, key.clone(), &rt.uid, Timer::Step);
    }
    st.kubelet.pods.insert(key.clone(), rt);
}

/// A pod of a scale run: already running and ready, nothing to narrate.
pub(crate) fn start_static(rt: &mut PodRt, name: &str) {
    let t = Utc::now();
    rt.node = Some(NODES[name.len() % NODES.len()].to_string());
    rt.phase = "Running";
    rt.stage = Stage::Up;
    rt.start_time = Some(t);
    for c in rt.init.iter_mut() {
        c.state = CState::Terminated(Term {
            exit: 0,
            reason: Some("Completed".into()),
            signal: None,
            started: t,
            finished: t,
        });
    }
    for c in rt.ctrs.iter_mut() {
        c.state = CState::Running(t);
        c.started = true;
        c.ready = true;
    }
}

/// Renders the runtime into the stored pod's status.
pub(crate) fn write(st: &mut SimState, key: &Key, rt: &mut PodRt) {
    rt.update_conditions(Utc::now());
    let status = rt.render(&key.1);
    let node = rt.node.clone();
    let _ = st.store.update(Kind::Pod, &key.0, &key.1, |v| {
        v["status"] = status;
        match node {
            Some(n) => v["spec"]["nodeName"] = json!(n),
            None => {
                if let Some(spec) = v["spec"].as_object_mut() {
                    spec.remove("nodeName");
                }
            }
        }
        Ok(())
    });
}

pub(crate) fn event(
    st: &mut SimState,
    key: &Key,
    warning: bool,
    reason: &str,
    msg: &str,
    src: Source<'_>,
    ctr: Option<&str>,
) {
    let Some(pod) = st.store.get(Kind::Pod, &key.0, &key.1) else {
        return;
    };
    let fp = ctr.map(|c| format!("spec.containers{{{c}}}"));
    st.events.record(
        &mut st.store,
        &pod.value,
        fp.as_deref(),
        warning,
        reason,
        msg,
        src,
        Utc::now(),
    );
}

pub(crate) fn run_timers(st: &mut SimState, now: Instant) {
    for (key, uid, timer) in st.kubelet.due(now) {
        let Some(mut rt) = st.kubelet.pods.remove(&key) else {
            // Deleted before the kubelet ever ran it: nothing to stop.
            if timer == Timer::Finish {
                super::finalizers::kubelet_done(st, &key, &uid);
            }
            continue;
        };
        if rt.uid != uid {
            st.kubelet.pods.insert(key, rt);
            continue;
        }
        match timer {
            Timer::Finish => {
                super::finalizers::kubelet_done(st, &key, &uid);
                continue;
            }
            Timer::Step if rt.stage == Stage::Held || rt.stage == Stage::Terminating => {}
            Timer::Step => step(st, &key, &mut rt, now),
        }
        st.kubelet.pods.insert(key, rt);
    }
}

fn start_ctr(st: &mut SimState, key: &Key, c: &mut Ctr, flavor: Flavor, node: &str) {
    let t = Utc::now();
    c.state = CState::Running(t);
    c.started = true;
    st.logs.start(&key.0, &key.1, &c.name);
    for line in logtext::startup(flavor, &key.1, &c.name, t) {
        st.logs.append(&key.0, &key.1, &c.name, t, line);
    }
    let (name, image) = (c.name.clone(), c.image.clone());
    let src = Source::Kubelet(node);
    event(
        st,
        key,
        false,
        "Pulled",
        &format!("Container image \"{image}\" already present on machine"),
        src,
        Some(&name),
    );
    event(
        st,
        key,
        false,
        "Created",
        &format!("Created container: {name}"),
        src,
        Some(&name),
    );
    event(
        st,
        key,
        false,
        "Started",
        &format!("Started container {name}"),
        src,
        Some(&name),
    );
}

/// The scheduler's pick starting at `first`, skipping cordoned nodes
/// (`spec.unschedulable`, which `kubectl cordon` sets); all cordoned, the
/// pick stands, as the simulator has no Pending-for-capacity story here.
fn schedulable_from(st: &SimState, first: usize) -> String {
    let cordoned = |name: &str| {
        st.store.get(Kind::Node, "", name).is_some_and(|n| {
            n.value.pointer("/spec/unschedulable") == Some(&serde_json::Value::Bool(true))
        })
    };
    (0..NODES.len())
        .map(|i| NODES[(first + i) % NODES.len()])
        .find(|n| !cordoned(n))
        .unwrap_or(NODES[first % NODES.len()])
        .to_string()
}

fn step(st: &mut SimState, key: &Key, rt: &mut PodRt, now: Instant) {
    let node = rt.node.clone().unwrap_or_default();
    let src = Source::Kubelet(&node);
    let mut next: Option<Duration> = None;
    match rt.stage {
        Stage::New if rt.behavior == Behavior::Unschedulable => {
            rt.unschedulable = true;
            rt.stage = Stage::Stuck;
            next = Some(startup_failures::failed_scheduling(st, key));
        }
        Stage::New => {
            let first = usize::try_from(st.rng.below(3)).unwrap_or(0);
            let n = schedulable_from(st, first);
            event(
                st,
                key,
                false,
                "Scheduled",
                &format!("Successfully assigned {}/{} to {n}", key.0, key.1),
                Source::Scheduler,
                None,
            );
            rt.node = Some(n);
            rt.start_time = Some(Utc::now());
            rt.stage = Stage::Pulling;
            next = Some(PULL_DELAY);
        }
        Stage::Pulling | Stage::Stuck => match rt.behavior {
            Behavior::ImagePull => {
                let Some(wait) = startup_failures::image_pull(st, key, rt, src) else {
                    return;
                };
                next = Some(wait);
            }
            Behavior::ConfigError => {
                let Some(wait) = startup_failures::config_error(st, key, rt, src) else {
                    return;
                };
                next = Some(wait);
            }
            Behavior::Unschedulable => next = Some(startup_failures::failed_scheduling(st, key)),
            _ if !rt.init.is_empty() => {
                let flavor = rt.flavor;
                if let Some(c) = rt.init.first_mut() {
                    start_ctr(st, key, c, flavor, &node);
                }
                rt.stage = Stage::Init(0);
                next = Some(INIT_RUN);
            }
            _ => next = Some(start_app(st, key, rt, &node)),
        },
        Stage::Init(i) => {
            let t = Utc::now();
            if let Some(c) = rt.init.get_mut(i) {
                let started = c.running_since().unwrap_or(t);
                c.state = CState::Terminated(Term {
                    exit: 0,
                    reason: Some("Completed".into()),
                    signal: None,
                    started,
                    finished: t,
                });
                st.logs.append(&key.0, &key.1, &c.name, t, "done".into());
                st.logs.terminate(&key.0, &key.1, &c.name);
            }
            let flavor = rt.flavor;
            if let Some(c) = rt.init.get_mut(i + 1) {
                start_ctr(st, key, c, flavor, &node);
                rt.stage = Stage::Init(i + 1);
                next = Some(INIT_RUN);
            } else {
                next = Some(start_app(st, key, rt, &node));
            }
        }
        Stage::Starting => {
            let probe_passes = !matches!(rt.behavior, Behavior::CrashLoop { ready: false, .. });
            for c in rt.ctrs.iter_mut() {
                c.ready = probe_passes && matches!(c.state, CState::Running(_));
            }
            rt.stage = Stage::Up;
            if let Behavior::CrashLoop { run_for, .. } = rt.behavior {
                next = Some(run_for);
            }
        }
        Stage::Up => {
            if let Behavior::CrashLoop { oom, .. } = rt.behavior {
                crash_loop::die(st, key, rt, oom);
                next = Some(SHOW_TERMINATED);
            }
        }
        Stage::Dying => {
            next = Some(crash_loop::back_off(st, key, rt, &node));
        }
        Stage::BackOff => {
            let flavor = rt.flavor;
            if let Some(c) = rt.ctrs.first_mut() {
                start_ctr(st, key, c, flavor, &node);
            }
            rt.stage = Stage::Starting;
            next = Some(Duration::from_millis(500));
        }
        Stage::Held | Stage::Terminating => {}
    }
    write(st, key, rt);
    if let Some(d) = next {
        st.kubelet
            .schedule(now + d, key.clone(), &rt.uid, Timer::Step);
    }
}

/// Starts the app containers; returns when to check readiness.
fn start_app(st: &mut SimState, key: &Key, rt: &mut PodRt, node: &str) -> Duration {
    let flavor = rt.flavor;
    for c in rt.ctrs.iter_mut() {
        start_ctr(st, key, c, flavor, node);
    }
    rt.phase = "Running";
    rt.stage = Stage::Starting;
    rt.next_log = Some(Instant::now() + Duration::from_millis(300));
    match rt.behavior {
        Behavior::Steady { ready_after } => ready_after,
        _ => Duration::from_millis(500),
    }
}
