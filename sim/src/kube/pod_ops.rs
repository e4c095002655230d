//! Pod operations from outside the kubelet: graceful deletion (the API's
//! DELETE) and the test controls that crash a pod or pin it in a state.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::PodState;
use super::crash_loop::die;
use super::errors::ApiError;
use super::events::Source;
use super::kubelet::{CState, NODES, PodRt, Stage, Term, Timer};
use super::lifecycle::{SHOW_TERMINATED, event, write};
use super::objects::rfc3339;
use super::state::SimState;
use super::store::{Kind, Stored};

/// Graceful deletion: Terminating now, gone after the (capped) grace period.
pub(crate) fn begin_delete(
    st: &mut SimState,
    ns: &str,
    name: &str,
    grace: Duration,
    now: Instant,
) -> Result<Arc<Stored>, ApiError> {
    let key = (ns.to_string(), name.to_string());
    let existing = st
        .store
        .get(Kind::Pod, ns, name)
        .ok_or_else(|| ApiError::not_found(Kind::Pod, name))?;
    if existing
        .value
        .pointer("/metadata/deletionTimestamp")
        .is_some()
    {
        return Ok(existing);
    }
    let now_utc = Utc::now();
    let when = chrono::Duration::from_std(grace)
        .ok()
        .and_then(|d| now_utc.checked_add_signed(d))
        .unwrap_or(now_utc);
    let secs = grace.as_secs();
    let updated = st.store.update(Kind::Pod, ns, name, |v| {
        v["metadata"]["deletionTimestamp"] = json!(rfc3339(when));
        v["metadata"]["deletionGracePeriodSeconds"] = json!(secs);
        Ok(())
    })?;
    let uid = existing.str_at("/metadata/uid").to_string();
    let node = existing.str_at("/spec/nodeName").to_string();
    let names: Vec<String> = existing
        .value
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if !node.is_empty() {
        for c in &names {
            event(
                st,
                &key,
                false,
                "Killing",
                &format!("Stopping container {c}"),
                Source::Kubelet(&node),
                Some(c),
            );
        }
    }
    if let Some(rt) = st.kubelet.pods.get_mut(&key) {
        rt.stage = Stage::Terminating;
    }
    let wait = grace.min(st.config.grace_cap);
    st.kubelet.schedule(now + wait, key, &uid, Timer::Finish);
    Ok(updated)
}

/// Test control: the pod's first container crashes now, then backs off and
/// restarts as a crash-looping container would.
pub(crate) fn crash(st: &mut SimState, ns: &str, name: &str, now: Instant) -> bool {
    let key = (ns.to_string(), name.to_string());
    let Some(mut rt) = st.kubelet.pods.remove(&key) else {
        return false;
    };
    if rt.node.is_none() || rt.stage == Stage::Terminating {
        st.kubelet.pods.insert(key, rt);
        return false;
    }
    rt.phase = "Running";
    die(st, &key, &mut rt, false);
    write(st, &key, &mut rt);
    st.kubelet
        .schedule(now + SHOW_TERMINATED, key.clone(), &rt.uid, Timer::Step);
    st.kubelet.pods.insert(key, rt);
    true
}

/// Test control: pins the pod in `state` until deleted.
pub(crate) fn set_state(st: &mut SimState, ns: &str, name: &str, state: PodState) -> bool {
    let key = (ns.to_string(), name.to_string());
    let Some(mut rt) = st.kubelet.pods.remove(&key) else {
        return false;
    };
    let t = Utc::now();
    let node = rt.node.clone().unwrap_or_else(|| NODES[0].to_string());
    let term = |exit: i32, reason: &str| Term {
        exit,
        reason: Some(reason.into()),
        signal: None,
        started: t,
        finished: t,
    };
    rt.stage = Stage::Held;
    rt.pod_reason = None;
    rt.unschedulable = false;
    rt.node = Some(node);
    rt.start_time.get_or_insert(t);
    let all = |rt: &mut PodRt, s: CState, ready: bool| {
        for c in rt.ctrs.iter_mut() {
            c.state = s.clone();
            c.ready = ready;
            c.started = matches!(s, CState::Running(_));
        }
    };
    let first_waiting = |rt: &mut PodRt, reason: &str| {
        if let Some(c) = rt.ctrs.first_mut() {
            c.state = CState::Waiting(reason.into(), None);
            c.ready = false;
            c.started = false;
        }
    };
    match state {
        PodState::Running | PodState::NotReady => {
            for c in &rt.ctrs {
                st.logs.start(ns, name, &c.name);
            }
            rt.phase = "Running";
            all(&mut rt, CState::Running(t), state == PodState::Running);
        }
        PodState::ContainerCreating => {
            rt.phase = "Pending";
            all(
                &mut rt,
                CState::Waiting("ContainerCreating".into(), None),
                false,
            );
        }
        PodState::Unschedulable => {
            rt.phase = "Pending";
            rt.node = None;
            rt.unschedulable = true;
            rt.conds.clear();
            all(
                &mut rt,
                CState::Waiting("ContainerCreating".into(), None),
                false,
            );
        }
        PodState::CrashLoopBackOff => {
            rt.phase = "Running";
            if let Some(c) = rt.ctrs.first_mut() {
                c.last = Some(term(1, "Error"));
                c.restarts += 1;
                st.logs.terminate(ns, name, &c.name);
            }
            first_waiting(&mut rt, "CrashLoopBackOff");
        }
        PodState::OomKilled => {
            rt.phase = "Running";
            if let Some(c) = rt.ctrs.first_mut() {
                c.state = CState::Terminated(term(137, "OOMKilled"));
                c.ready = false;
                st.logs.terminate(ns, name, &c.name);
            }
        }
        PodState::ImagePullBackOff => first_waiting(&mut rt, "ImagePullBackOff"),
        PodState::ErrImagePull => first_waiting(&mut rt, "ErrImagePull"),
        PodState::CreateContainerConfigError => {
            first_waiting(&mut rt, "CreateContainerConfigError")
        }
        PodState::Completed => {
            rt.phase = "Succeeded";
            all(&mut rt, CState::Terminated(term(0, "Completed")), false);
        }
        PodState::Failed { exit_code } => {
            rt.phase = "Failed";
            all(&mut rt, CState::Terminated(term(exit_code, "Error")), false);
        }
        PodState::Evicted => {
            rt.phase = "Failed";
            rt.pod_reason = Some((
                "Evicted".into(),
                "The node was low on resource: memory. Threshold quantity: 100Mi, available: 71Mi."
                    .into(),
            ));
            all(&mut rt, CState::Terminated(term(137, "Error")), false);
        }
        PodState::NodeLost => {
            // The node controller marks the pod unready; the containers'
            // last report (running) stands, as the kubelet can send no more.
            let node = rt.node.clone().unwrap_or_default();
            rt.phase = "Running";
            all(&mut rt, CState::Running(t), false);
            rt.pod_reason = Some((
                "NodeLost".into(),
                format!("Node {node} which was running pod {name} is unresponsive"),
            ));
        }
    }
    write(st, &key, &mut rt);
    st.kubelet.pods.insert(key, rt);
    true
}
