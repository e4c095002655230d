//! Pod lifecycle transitions: scheduling, image pulls, init containers,
//! readiness, crashes with back-off, graceful deletion — each writing the
//! pod status, the events and the logs a real node would produce.

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::events::Source;
use super::kubelet::{Behavior, CState, Ctr, NODES, PodRt, Stage, Term, Timer, new_runtime};
use super::logtext::{self, Flavor};
use super::state::SimState;
use super::store::{Key, Kind};

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
            let msg = "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
            event(
                st,
                key,
                true,
                "FailedScheduling",
                msg,
                Source::Scheduler,
                None,
            );
            next = Some(Duration::from_secs(30));
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
                let Some(c) = rt.ctrs.first_mut() else { return };
                let image = c.image.clone();
                let name = c.name.clone();
                let was_err = matches!(&c.state, CState::Waiting(r, _) if r == "ErrImagePull");
                if was_err {
                    c.state = CState::Waiting(
                        "ImagePullBackOff".into(),
                        Some(format!("Back-off pulling image \"{image}\"")),
                    );
                    event(
                        st,
                        key,
                        false,
                        "BackOff",
                        &format!("Back-off pulling image \"{image}\""),
                        src,
                        Some(&name),
                    );
                    event(
                        st,
                        key,
                        true,
                        "Failed",
                        "Error: ImagePullBackOff",
                        src,
                        Some(&name),
                    );
                } else {
                    let why = format!(
                        "rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": failed to resolve reference \"{image}\": {image}: not found"
                    );
                    c.state = CState::Waiting("ErrImagePull".into(), Some(why.clone()));
                    event(
                        st,
                        key,
                        false,
                        "Pulling",
                        &format!("Pulling image \"{image}\""),
                        src,
                        Some(&name),
                    );
                    event(
                        st,
                        key,
                        true,
                        "Failed",
                        &format!("Failed to pull image \"{image}\": {why}"),
                        src,
                        Some(&name),
                    );
                    event(
                        st,
                        key,
                        true,
                        "Failed",
                        "Error: ErrImagePull",
                        src,
                        Some(&name),
                    );
                }
                rt.stage = Stage::Stuck;
                next = Some(Duration::from_secs(if was_err { 12 } else { 4 }));
            }
            Behavior::ConfigError => {
                let Some(c) = rt.ctrs.first_mut() else { return };
                let name = c.name.clone();
                let msg = "secret \"payments-db-credentials\" not found";
                c.state = CState::Waiting("CreateContainerConfigError".into(), Some(msg.into()));
                event(
                    st,
                    key,
                    true,
                    "Failed",
                    &format!("Error: {msg}"),
                    src,
                    Some(&name),
                );
                rt.stage = Stage::Stuck;
                next = Some(Duration::from_secs(20));
            }
            Behavior::Unschedulable => {
                let msg = "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
                event(
                    st,
                    key,
                    true,
                    "FailedScheduling",
                    msg,
                    Source::Scheduler,
                    None,
                );
                next = Some(Duration::from_secs(30));
            }
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
                die(st, key, rt, oom);
                next = Some(SHOW_TERMINATED);
            }
        }
        Stage::Dying => {
            next = Some(back_off(st, key, rt, &node));
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

/// The first container dies: it shows as terminated for a moment.
pub(crate) fn die(st: &mut SimState, key: &Key, rt: &mut PodRt, oom: bool) {
    let t = Utc::now();
    let flavor = rt.flavor;
    let Some(c) = rt.ctrs.first_mut() else { return };
    for line in logtext::crash(flavor, oom) {
        st.logs.append(&key.0, &key.1, &c.name, t, line);
    }
    st.logs.terminate(&key.0, &key.1, &c.name);
    let started = c.running_since().unwrap_or(t);
    let (exit, reason) = if oom {
        (137, "OOMKilled")
    } else {
        (2, "Error")
    };
    c.state = CState::Terminated(Term {
        exit,
        reason: Some(reason.into()),
        signal: None,
        started,
        finished: t,
    });
    c.ready = false;
    rt.stage = Stage::Dying;
    rt.crash_count += 1;
}

/// The dead container waits out its back-off; returns how long.
fn back_off(st: &mut SimState, key: &Key, rt: &mut PodRt, node: &str) -> Duration {
    let uid = rt.uid.clone();
    let Some(c) = rt.ctrs.first_mut() else {
        return Duration::from_secs(10);
    };
    let secs = (5u64 << rt.crash_count.min(3).saturating_sub(1)).min(20);
    if let CState::Terminated(t) = &c.state {
        c.last = Some(t.clone());
    }
    c.restarts += 1;
    let name = c.name.clone();
    let msg = format!(
        "back-off {secs}s restarting failed container={name} pod={}_{}({uid})",
        key.1, key.0
    );
    c.state = CState::Waiting("CrashLoopBackOff".into(), Some(msg));
    rt.stage = Stage::BackOff;
    let ev = format!(
        "Back-off restarting failed container {name} in pod {}_{}({uid})",
        key.1, key.0
    );
    event(
        st,
        key,
        true,
        "BackOff",
        &ev,
        Source::Kubelet(node),
        Some(&name),
    );
    Duration::from_secs(secs)
}

/// Appends log lines for running containers whose next line is due.
pub(crate) fn generate_logs(st: &mut SimState, now: Instant) {
    let t = Utc::now();
    let SimState {
        kubelet, logs, rng, ..
    } = st;
    for (key, rt) in kubelet.pods.iter_mut() {
        if rt.next_log.is_none_or(|d| d > now) {
            continue;
        }
        if !matches!(
            rt.stage,
            Stage::Up | Stage::Starting | Stage::Held | Stage::Terminating
        ) {
            continue;
        }
        let gap = match rt.flavor {
            Flavor::Web | Flavor::Api => 400 + rng.below(1200),
            Flavor::Plain => 3000 + rng.below(3000),
            _ => 900 + rng.below(2500),
        };
        rt.next_log = Some(now + Duration::from_millis(gap));
        for (i, c) in rt.ctrs.iter().enumerate() {
            if !matches!(c.state, CState::Running(_)) || (i > 0 && rng.below(4) != 0) {
                continue;
            }
            rt.log_seq += 1;
            let flavor = if i == 0 { rt.flavor } else { Flavor::Logfmt };
            logs.append(
                &key.0,
                &key.1,
                &c.name,
                t,
                logtext::line(flavor, rt.log_seq, t, rng),
            );
        }
    }
}
