//! A container that crashes and is restarted with back-off, as the kubelet
//! does it: terminated (Error, or OOMKilled with exit 137) for a moment,
//! then CrashLoopBackOff with a wait doubling from 5 s up to its cap.

use std::time::Duration;

use chrono::Utc;

use super::events::Source;
use super::kubelet::{CState, PodRt, Stage, Term};
use super::lifecycle::event;
use super::logtext;
use super::state::SimState;
use super::store::Key;

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
pub(crate) fn back_off(st: &mut SimState, key: &Key, rt: &mut PodRt, node: &str) -> Duration {
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
