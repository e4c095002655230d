//! One case per STATUS word kubectl prints. Pods are JSON in the shape the
//! API server returns them.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use k8s_openapi::api::core::v1::Pod;
use serde_json::{Value, json};

use super::{Health, human_duration, pod_status};

/// 2024-05-01T12:00:00Z
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_714_564_800)
}

const CREATED: &str = "2024-05-01T11:58:00Z";

fn running(ready: bool) -> Value {
    json!({"name": "app", "image": "shop/app:1.4.2", "imageID": "", "ready": ready,
           "restartCount": 0, "started": true,
           "state": {"running": {"startedAt": "2024-05-01T11:58:05Z"}}})
}

fn waiting(name: &str, reason: &str) -> Value {
    json!({"name": name, "image": "shop/app:1.4.2", "imageID": "", "ready": false,
           "restartCount": 0, "started": false,
           "state": {"waiting": {"reason": reason, "message": "details"}}})
}

fn terminated(name: &str, exit: i32, reason: Option<&str>, signal: Option<i32>) -> Value {
    let mut t = json!({"exitCode": exit, "startedAt": "2024-05-01T11:58:05Z",
                       "finishedAt": "2024-05-01T11:59:00Z"});
    if let Some(r) = reason {
        t["reason"] = json!(r);
    }
    if let Some(s) = signal {
        t["signal"] = json!(s);
    }
    json!({"name": name, "image": "busybox:1.36", "imageID": "", "ready": false,
           "restartCount": 0, "started": false, "state": {"terminated": t}})
}

fn cond(kind: &str, status: &str) -> Value {
    json!({"type": kind, "status": status, "lastTransitionTime": "2024-05-01T11:58:01Z"})
}

/// A pod with one app container `app` and the given init containers.
fn pod(inits: &[(&str, Option<&str>)], status: Value) -> Value {
    let init_specs: Vec<Value> = inits
        .iter()
        .map(|(name, policy)| {
            let mut c = json!({"name": name, "image": "busybox:1.36"});
            if let Some(p) = policy {
                c["restartPolicy"] = json!(p);
            }
            c
        })
        .collect();
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-7d4b9c-x2x9k", "namespace": "shop",
                     "uid": "0b4c5a3e-1111-4a2b-9c1d-5e6f7a8b9c0d",
                     "resourceVersion": "4711", "creationTimestamp": CREATED},
        "spec": {"containers": [{"name": "app", "image": "shop/app:1.4.2"}],
                 "initContainers": init_specs, "nodeName": "node-a"},
        "status": status
    })
}

fn running_pod(ready: bool) -> Value {
    let r = if ready { "True" } else { "False" };
    pod(
        &[],
        json!({"phase": "Running",
               "conditions": [cond("Initialized", "True"), cond("Ready", r)],
               "containerStatuses": [running(ready)]}),
    )
}

fn with_app(phase: &str, app: Value) -> Value {
    pod(
        &[],
        json!({"phase": phase, "conditions": [cond("Ready", "False")],
               "containerStatuses": [app]}),
    )
}

fn init_pod(inits: Vec<Value>, app: Value) -> Value {
    pod(
        &[("migrate", None), ("seed", None)],
        json!({"phase": "Pending",
               "conditions": [cond("Initialized", "False")],
               "initContainerStatuses": inits, "containerStatuses": [app]}),
    )
}

struct Case {
    name: &'static str,
    pod: Value,
    status: &'static str,
    ready: &'static str,
    restarts: &'static str,
    health: Health,
}

fn cases() -> Vec<Case> {
    let mut crash = waiting("app", "CrashLoopBackOff");
    crash["restartCount"] = json!(5);
    crash["lastState"] = json!({"terminated": {"exitCode": 1, "reason": "Error",
        "startedAt": "2024-05-01T11:57:30Z", "finishedAt": "2024-05-01T11:58:00Z"}});

    let mut deleting = running_pod(true);
    deleting["metadata"]["deletionTimestamp"] = json!("2024-05-01T11:59:50Z");
    let mut node_lost_deleting = running_pod(false);
    node_lost_deleting["metadata"]["deletionTimestamp"] = json!("2024-05-01T11:59:50Z");
    node_lost_deleting["status"]["reason"] = json!("NodeLost");
    let mut node_lost = running_pod(false);
    node_lost["status"]["reason"] = json!("NodeLost");
    let mut old_pending = pod(&[], json!({"phase": "Pending"}));
    old_pending["metadata"]["creationTimestamp"] = json!("2024-05-01T11:00:00Z");
    let mut done_deleting = with_app("Succeeded", terminated("app", 0, Some("Completed"), None));
    done_deleting["metadata"]["deletionTimestamp"] = json!("2024-05-01T11:59:50Z");
    let mut sidecar_ready = running_pod(true);
    sidecar_ready["spec"]["initContainers"] = json!([{"name": "proxy", "image": "envoy",
        "restartPolicy": "Always"}]);
    let mut proxy = running(true);
    proxy["name"] = json!("proxy");
    sidecar_ready["status"]["initContainerStatuses"] = json!([proxy]);

    let done = terminated("migrate", 0, Some("Completed"), None);
    let two_apps = |a: Value, b: Value, ready: &str| {
        let mut p = running_pod(true);
        p["spec"]["containers"] =
            json!([{"name": "app", "image": "a"}, {"name": "job", "image": "b"}]);
        p["status"]["conditions"] = json!([cond("Initialized", "True"), cond("Ready", ready)]);
        p["status"]["containerStatuses"] = json!([a, b]);
        p
    };

    use Health::{Broken, Healthy, Warning};
    let c = |name, pod, status, ready, restarts, health| Case {
        name,
        pod,
        status,
        ready,
        restarts,
        health,
    };
    vec![
        c("running", running_pod(true), "Running", "1/1", "0", Healthy),
        c(
            "running, not ready",
            running_pod(false),
            "Running",
            "0/1",
            "0",
            Warning,
        ),
        c(
            "one finished, one running, pod not ready",
            two_apps(
                running(true),
                terminated("job", 0, Some("Completed"), None),
                "False",
            ),
            "NotReady",
            "1/2",
            "0",
            Warning,
        ),
        c(
            "one finished, one running, pod ready",
            two_apps(
                running(true),
                terminated("job", 0, Some("Completed"), None),
                "True",
            ),
            "Running",
            "1/2",
            "0",
            Warning,
        ),
        c(
            "pending",
            pod(&[], json!({"phase": "Pending"})),
            "Pending",
            "0/1",
            "0",
            Warning,
        ),
        c(
            "pending too long",
            old_pending,
            "Pending",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "container creating",
            with_app("Pending", waiting("app", "ContainerCreating")),
            "ContainerCreating",
            "0/1",
            "0",
            Warning,
        ),
        c(
            "crash loop",
            with_app("Running", crash),
            "CrashLoopBackOff",
            "0/1",
            "5 (2m ago)",
            Broken,
        ),
        c(
            "image pull backoff",
            with_app("Pending", waiting("app", "ImagePullBackOff")),
            "ImagePullBackOff",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "err image pull",
            with_app("Pending", waiting("app", "ErrImagePull")),
            "ErrImagePull",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "config error",
            with_app("Pending", waiting("app", "CreateContainerConfigError")),
            "CreateContainerConfigError",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "oom killed",
            with_app("Running", terminated("app", 137, Some("OOMKilled"), None)),
            "OOMKilled",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "error",
            with_app("Failed", terminated("app", 1, Some("Error"), None)),
            "Error",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "completed",
            with_app("Succeeded", terminated("app", 0, Some("Completed"), None)),
            "Completed",
            "0/1",
            "0",
            Healthy,
        ),
        c(
            "exit code",
            with_app("Failed", terminated("app", 3, None, None)),
            "ExitCode:3",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "signal",
            with_app("Failed", terminated("app", 137, None, Some(9))),
            "Signal:9",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "init 0/2",
            init_pod(vec![running(false)], waiting("app", "PodInitializing")),
            "Init:0/2",
            "0/1",
            "0",
            Warning,
        ),
        c(
            "init 1/2",
            init_pod(
                vec![done.clone(), running(false)],
                waiting("app", "PodInitializing"),
            ),
            "Init:1/2",
            "0/1",
            "0",
            Warning,
        ),
        c(
            "init crash loop",
            init_pod(
                vec![waiting("migrate", "CrashLoopBackOff")],
                waiting("app", "PodInitializing"),
            ),
            "Init:CrashLoopBackOff",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "init error",
            init_pod(
                vec![terminated("migrate", 1, Some("Error"), None)],
                waiting("app", "PodInitializing"),
            ),
            "Init:Error",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "init exit code",
            init_pod(
                vec![terminated("migrate", 2, None, None)],
                waiting("app", "PodInitializing"),
            ),
            "Init:ExitCode:2",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "init signal",
            init_pod(
                vec![terminated("migrate", 143, None, Some(15))],
                waiting("app", "PodInitializing"),
            ),
            "Init:Signal:15",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "pod initializing",
            {
                let mut p = init_pod(
                    vec![done.clone(), terminated("seed", 0, Some("Completed"), None)],
                    waiting("app", "PodInitializing"),
                );
                p["status"]["conditions"] = json!([cond("Initialized", "True")]);
                p
            },
            "PodInitializing",
            "0/1",
            "0",
            Warning,
        ),
        c("terminating", deleting, "Terminating", "1/1", "0", Warning),
        c(
            "terminating but finished",
            done_deleting,
            "Completed",
            "0/1",
            "0",
            Healthy,
        ),
        c(
            "node lost and deleted",
            node_lost_deleting,
            "Unknown",
            "0/1",
            "0",
            Broken,
        ),
        c("node lost", node_lost, "NodeLost", "0/1", "0", Broken),
        c(
            "evicted",
            pod(
                &[],
                json!({"phase": "Failed", "reason": "Evicted",
            "message": "The node was low on resource: memory."}),
            ),
            "Evicted",
            "0/1",
            "0",
            Broken,
        ),
        c(
            "scheduling gated",
            pod(
                &[],
                json!({"phase": "Pending", "conditions": [
            {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
            ),
            "SchedulingGated",
            "0/1",
            "0",
            Warning,
        ),
        c(
            "sidecar counted",
            sidecar_ready,
            "Running",
            "2/2",
            "0",
            Healthy,
        ),
    ]
}

#[test]
fn every_status_word_matches_kubectl() {
    let mut failures = Vec::new();
    for case in cases() {
        let pod: Pod = match serde_json::from_value(case.pod) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: bad fixture: {e}", case.name));
                continue;
            }
        };
        let got = pod_status(&pod, now());
        let row = (
            got.status.as_str(),
            got.ready_text(),
            got.restarts_text(now()),
            got.health,
        );
        let want = (
            case.status,
            case.ready.to_string(),
            case.restarts.to_string(),
            case.health,
        );
        if row != want {
            failures.push(format!("{}: got {row:?}, want {want:?}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn restarts_count_and_last_restart_time() {
    let mut crash = waiting("app", "CrashLoopBackOff");
    crash["restartCount"] = json!(7);
    crash["lastState"] = json!({"terminated": {"exitCode": 137, "reason": "OOMKilled",
        "finishedAt": "2024-05-01T11:20:00Z"}});
    let pod: Pod = serde_json::from_value(with_app("Running", crash)).expect("fixture");
    let got = pod_status(&pod, now());
    assert_eq!(got.restarts, 7);
    assert_eq!(got.last_restart, Some(now() - Duration::from_secs(40 * 60)));
    assert_eq!(got.restarts_text(now()), "7 (40m ago)");
}

#[test]
fn an_old_restart_of_a_ready_pod_is_healthy_a_recent_one_is_not() {
    let mut fixture = running_pod(true);
    fixture["status"]["containerStatuses"][0]["restartCount"] = json!(1);
    fixture["status"]["containerStatuses"][0]["lastState"] = json!({"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": "2024-05-01T11:00:00Z"}});
    let pod: Pod = serde_json::from_value(fixture.clone()).expect("fixture");
    assert_eq!(pod_status(&pod, now()).health, Health::Healthy);
    fixture["status"]["containerStatuses"][0]["lastState"]["terminated"]["finishedAt"] =
        json!("2024-05-01T11:57:00Z");
    let pod: Pod = serde_json::from_value(fixture).expect("fixture");
    assert_eq!(pod_status(&pod, now()).health, Health::Warning);
}

#[test]
fn empty_pod_does_not_panic() {
    let got = pod_status(&Pod::default(), now());
    assert_eq!(got.status, "");
    assert_eq!(got.ready_text(), "0/0");
}

#[test]
fn human_duration_like_kubectl() {
    let cases = [
        (5, "5s"),
        (119, "119s"),
        (120, "2m"),
        (190, "3m10s"),
        (3 * 3600 - 1, "179m"),
        (3 * 3600, "3h"),
        (5 * 3600 + 120, "5h2m"),
        (30 * 3600, "30h"),
        (3 * 86400 + 4 * 3600, "3d4h"),
        (40 * 86400, "40d"),
        (3 * 365 * 86400 + 10 * 86400, "3y10d"),
        (9 * 365 * 86400, "9y"),
    ];
    for (secs, want) in cases {
        assert_eq!(human_duration(Duration::from_secs(secs)), want, "{secs}s");
    }
}
