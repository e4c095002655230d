//! The simulated kubelets: each pod's containers as a small state machine,
//! rendered into `status` exactly as a kubelet reports it (phase, conditions,
//! container states, last termination, restart counts).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::logtext::Flavor;
use super::objects::{ip_for, rfc3339};
use super::store::Key;

/// How a workload's pods behave once scheduled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Behavior {
    /// Start, become ready after the delay, log.
    Steady { ready_after: Duration },
    /// Run for a while, die (OOMKilled or Error), back off, restart.
    /// `ready`: whether the container counts as ready while it runs (no
    /// readiness probe, or one that passes before the crash). A probe
    /// whose first check comes after the crash never passes, so the pod
    /// never becomes available and a rolling update stops at it.
    CrashLoop {
        run_for: Duration,
        oom: bool,
        ready: bool,
    },
    /// The image never pulls.
    ImagePull,
    /// No node fits.
    Unschedulable,
    /// A referenced secret is missing.
    ConfigError,
    /// Running and ready from the start; no timers, no logs (scale runs).
    Static,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Term {
    pub exit: i32,
    pub reason: Option<String>,
    pub signal: Option<i32>,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CState {
    Waiting(String, Option<String>),
    Running(DateTime<Utc>),
    Terminated(Term),
}

#[derive(Debug, Clone)]
pub(crate) struct Ctr {
    pub name: String,
    pub image: String,
    pub state: CState,
    pub ready: bool,
    pub started: bool,
    pub restarts: u32,
    pub last: Option<Term>,
}

impl Ctr {
    pub(crate) fn running_since(&self) -> Option<DateTime<Utc>> {
        match self.state {
            CState::Running(t) => Some(t),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    New,
    Pulling,
    Init(usize),
    Starting,
    Up,
    Dying,
    BackOff,
    Stuck,
    Held,
    Terminating,
}

#[derive(Debug, Clone)]
pub(crate) struct PodRt {
    pub uid: String,
    pub behavior: Behavior,
    pub flavor: Flavor,
    pub node: Option<String>,
    pub unschedulable: bool,
    pub phase: &'static str,
    pub pod_reason: Option<(String, String)>,
    pub init: Vec<Ctr>,
    pub ctrs: Vec<Ctr>,
    pub stage: Stage,
    pub start_time: Option<DateTime<Utc>>,
    /// Condition type → (status, lastTransitionTime), so re-rendering an
    /// unchanged pod yields an identical object (and no new version).
    pub conds: BTreeMap<&'static str, (bool, DateTime<Utc>)>,
    pub next_log: Option<Instant>,
    pub log_seq: u64,
    pub crash_count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timer {
    Step,
    Finish,
}

#[derive(Default)]
pub(crate) struct Kubelet {
    pub pods: HashMap<Key, PodRt>,
    pub timers: BTreeMap<(Instant, u64), (Key, String, Timer)>,
    /// (namespace, app label) → how those pods behave and what they log.
    pub behaviors: HashMap<(String, String), (Behavior, Flavor)>,
    /// Images that behave their own way whatever the workload (a bad
    /// build crashes in every pod that runs it); checked first.
    pub image_behaviors: HashMap<String, Behavior>,
    seq: u64,
}

impl Kubelet {
    pub(crate) fn schedule(&mut self, at: Instant, key: Key, uid: &str, t: Timer) {
        self.seq += 1;
        self.timers
            .insert((at, self.seq), (key, uid.to_string(), t));
    }

    /// Removes and returns the timers due at `now`.
    pub(crate) fn due(&mut self, now: Instant) -> Vec<(Key, String, Timer)> {
        let later = self.timers.split_off(&(now, u64::MAX));
        let due = std::mem::replace(&mut self.timers, later);
        due.into_values().collect()
    }
}

pub(crate) const NODES: [&str; 3] = ["worker-a", "worker-b", "worker-c"];

pub(crate) fn ctr_from_spec(c: &Value, waiting: &str) -> Ctr {
    Ctr {
        name: c["name"].as_str().unwrap_or("app").to_string(),
        image: c["image"].as_str().unwrap_or_default().to_string(),
        state: CState::Waiting(waiting.to_string(), None),
        ready: false,
        started: false,
        restarts: 0,
        last: None,
    }
}

/// A fresh runtime for a pod object, waiting to be scheduled.
pub(crate) fn new_runtime(pod: &Value, behavior: Behavior, flavor: Flavor) -> PodRt {
    let list = |p: &str, waiting: &str| -> Vec<Ctr> {
        pod.pointer(p)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|c| ctr_from_spec(c, waiting)).collect())
            .unwrap_or_default()
    };
    let init = list("/spec/initContainers", "PodInitializing");
    let main_wait = if init.is_empty() {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    PodRt {
        uid: pod
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        behavior,
        flavor,
        node: None,
        unschedulable: false,
        phase: "Pending",
        pod_reason: None,
        ctrs: list("/spec/containers", main_wait),
        init,
        stage: Stage::New,
        start_time: None,
        conds: BTreeMap::new(),
        next_log: None,
        log_seq: 0,
        crash_count: 0,
    }
}

/// 64 hex digits derived from `seed`: container and image digests that stay
/// the same across renders.
fn hex_id(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    (0..4)
        .map(|round| {
            for b in seed.bytes().chain(std::iter::once(round)) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{h:016x}")
        })
        .collect()
}

fn term_json(t: &Term) -> Value {
    let mut v = json!({"exitCode": t.exit, "startedAt": rfc3339(t.started),
                       "finishedAt": rfc3339(t.finished),
                       "containerID": format!("containerd://{}", hex_id(&rfc3339(t.started)))});
    if let Some(r) = &t.reason {
        v["reason"] = json!(r);
    }
    if let Some(s) = t.signal {
        v["signal"] = json!(s);
    }
    v
}

fn ctr_json(c: &Ctr, pod_name: &str) -> Value {
    let state = match &c.state {
        CState::Waiting(reason, msg) => {
            let mut w = json!({"reason": reason});
            if let Some(m) = msg {
                w["message"] = json!(m);
            }
            json!({"waiting": w})
        }
        CState::Running(t) => json!({"running": {"startedAt": rfc3339(*t)}}),
        CState::Terminated(t) => json!({"terminated": term_json(t)}),
    };
    let last = c
        .last
        .as_ref()
        .map_or(json!({}), |t| json!({"terminated": term_json(t)}));
    let mut v = json!({
        "name": c.name, "image": c.image, "imageID": "", "ready": c.ready,
        "restartCount": c.restarts, "started": c.started, "state": state, "lastState": last,
    });
    if c.started || c.last.is_some() || matches!(c.state, CState::Terminated(_)) {
        let repo = c.image.split(':').next().unwrap_or_default();
        v["imageID"] = json!(format!("{repo}@sha256:{}", hex_id(&c.image)));
        let instance = format!("{pod_name}/{}/{}", c.name, c.restarts);
        v["containerID"] = json!(format!("containerd://{}", hex_id(&instance)));
    }
    v
}

impl PodRt {
    fn set_cond(&mut self, kind: &'static str, status: bool, now: DateTime<Utc>) {
        match self.conds.get(kind) {
            Some((s, _)) if *s == status => {}
            _ => {
                self.conds.insert(kind, (status, now));
            }
        }
    }

    /// Brings the remembered condition transitions up to date with the
    /// container states; call before rendering.
    pub(crate) fn update_conditions(&mut self, now: DateTime<Utc>) {
        if self.node.is_none() {
            if self.unschedulable {
                self.set_cond("PodScheduled", false, now);
            }
            return;
        }
        let sandbox = !matches!(self.stage, Stage::New)
            && self.phase != "Succeeded"
            && self.phase != "Failed";
        let initialized = self
            .init
            .iter()
            .all(|c| matches!(&c.state, CState::Terminated(t) if t.exit == 0));
        let ready = !self.ctrs.is_empty() && self.ctrs.iter().all(|c| c.ready);
        self.set_cond("PodScheduled", true, now);
        self.set_cond("PodReadyToStartContainers", sandbox, now);
        self.set_cond("Initialized", initialized, now);
        self.set_cond("ContainersReady", ready, now);
        self.set_cond("Ready", ready, now);
    }

    /// The pod's `status`, as the kubelet would report it.
    pub(crate) fn render(&self, pod_name: &str) -> Value {
        let mut status = json!({"phase": self.phase, "qosClass": "Burstable"});
        if let Some((reason, message)) = &self.pod_reason {
            status["reason"] = json!(reason);
            status["message"] = json!(message);
        }
        let unready = |cs: &[Ctr]| -> Vec<String> {
            cs.iter()
                .filter(|c| !c.ready)
                .map(|c| c.name.clone())
                .collect()
        };
        let incomplete: Vec<String> = self
            .init
            .iter()
            .filter(|c| !matches!(&c.state, CState::Terminated(t) if t.exit == 0))
            .map(|c| c.name.clone())
            .collect();
        let mut conds = Vec::new();
        for kind in [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled",
        ] {
            let Some((ok, at)) = self.conds.get(kind) else {
                continue;
            };
            let mut c = json!({"type": kind, "status": if *ok { "True" } else { "False" },
                               "lastProbeTime": null, "lastTransitionTime": rfc3339(*at)});
            if !ok {
                let (reason, message) = match kind {
                    "Initialized" => ("ContainersNotInitialized", format!("containers with incomplete status: [{}]", incomplete.join(" "))),
                    "Ready" | "ContainersReady" => ("ContainersNotReady", format!("containers with unready status: [{}]", unready(&self.ctrs).join(" "))),
                    "PodScheduled" => ("Unschedulable", "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.".to_string()),
                    _ => ("", String::new()),
                };
                if !reason.is_empty() {
                    c["reason"] = json!(reason);
                    c["message"] = json!(message);
                }
            }
            conds.push(c);
        }
        if !conds.is_empty() {
            status["conditions"] = json!(conds);
        }
        let Some(node) = &self.node else {
            return status;
        };
        status["hostIP"] = json!(ip_for(node, "10.0"));
        status["hostIPs"] = json!([{"ip": ip_for(node, "10.0")}]);
        if self.stage != Stage::New {
            let ip = ip_for(pod_name, "10.244");
            status["podIP"] = json!(ip);
            status["podIPs"] = json!([{"ip": ip}]);
        }
        if let Some(t) = self.start_time {
            status["startTime"] = json!(rfc3339(t));
        }
        if self
            .pod_reason
            .as_ref()
            .is_some_and(|(r, _)| r == "Evicted")
        {
            return status;
        }
        if !self.init.is_empty() {
            status["initContainerStatuses"] = json!(
                self.init
                    .iter()
                    .map(|c| ctr_json(c, pod_name))
                    .collect::<Vec<_>>()
            );
        }
        status["containerStatuses"] = json!(
            self.ctrs
                .iter()
                .map(|c| ctr_json(c, pod_name))
                .collect::<Vec<_>>()
        );
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod() -> Value {
        json!({"metadata": {"name": "p", "uid": "u1"},
               "spec": {"containers": [{"name": "app", "image": "img:1"}],
                        "initContainers": [{"name": "migrate", "image": "m:1"}]}})
    }

    #[test]
    fn fresh_pod_renders_pending_without_statuses() {
        let rt = new_runtime(&pod(), Behavior::Static, Flavor::Plain);
        let s = rt.render("p");
        assert_eq!(s["phase"], json!("Pending"));
        assert!(s.get("containerStatuses").is_none());
    }

    #[test]
    fn rendering_is_stable_and_conditions_follow_readiness() {
        let mut rt = new_runtime(&pod(), Behavior::Static, Flavor::Plain);
        let t0 = Utc::now();
        rt.node = Some("worker-a".into());
        rt.stage = Stage::Up;
        rt.phase = "Running";
        rt.init[0].state = CState::Terminated(Term {
            exit: 0,
            reason: Some("Completed".into()),
            signal: None,
            started: t0,
            finished: t0,
        });
        rt.ctrs[0].state = CState::Running(t0);
        rt.ctrs[0].ready = true;
        rt.update_conditions(t0);
        let a = rt.render("p");
        rt.update_conditions(t0 + chrono::Duration::seconds(5));
        assert_eq!(a, rt.render("p"));
        assert_eq!(a["conditions"][2]["type"], json!("Ready"));
        assert_eq!(a["conditions"][2]["status"], json!("True"));
        rt.ctrs[0].ready = false;
        rt.update_conditions(t0);
        let b = rt.render("p");
        assert_eq!(b["conditions"][2]["reason"], json!("ContainersNotReady"));
        assert_eq!(
            b["conditions"][2]["message"],
            json!("containers with unready status: [app]")
        );
    }
}
