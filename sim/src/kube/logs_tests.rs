//! The log endpoint's choices: container names, instances, collection.

use super::*;
use serde_json::json;

#[test]
fn container_resolution_messages() {
    let pod = json!({"spec": {"containers": [{"name": "app"}, {"name": "sidecar"}],
                              "initContainers": [{"name": "migrate"}]}});
    let e = resolve_container(&pod, "web-1", None).expect_err("ambiguous");
    assert_eq!(
        e.message,
        "a container name must be specified for pod web-1, choose one of: [app sidecar] or one of the init containers: [migrate]"
    );
    let e = resolve_container(&pod, "web-1", Some("nope")).expect_err("invalid");
    assert_eq!(e.message, "container nope is not valid for pod web-1");
    assert_eq!(
        resolve_container(&pod, "web-1", Some("migrate")).expect("init ok"),
        "migrate"
    );
    let one = json!({"spec": {"containers": [{"name": "app"}]}});
    assert_eq!(resolve_container(&one, "p", None).expect("single"), "app");
}

#[test]
fn previous_follows_the_crashed_instance() {
    let mut logs = Logs::new(100);
    logs.start("ns", "p", "app");
    logs.append("ns", "p", "app", Utc::now(), "first life".into());
    logs.terminate("ns", "p", "app");
    let e = &logs.map[&key("ns", "p", "app")];
    assert!(e.current.terminated && e.previous.is_none());
    logs.start("ns", "p", "app");
    logs.append("ns", "p", "app", Utc::now(), "second life".into());
    let e = &logs.map[&key("ns", "p", "app")];
    assert_eq!(e.generation, 1);
    assert_eq!(
        e.previous.as_ref().map(|p| p.lines[0].text.as_str()),
        Some("first life")
    );
    assert_eq!(e.current.lines[0].text, "second life");
    // The second death: one dead instance is kept, the first is collected.
    logs.terminate("ns", "p", "app");
    let e = &logs.map[&key("ns", "p", "app")];
    assert!(e.current.terminated && e.previous.is_none());
}

#[test]
fn the_kubelets_choice_of_instance() {
    let term = json!({"exitCode": 2, "containerID": "containerd://a"});
    let running = json!({"state": {"running": {}}, "lastState": {}});
    assert_eq!(pick(&running, false), Ok(Want::Current));
    assert_eq!(pick(&running, true), Err(Gone::NoPrevious));
    let crashed = json!({"state": {"running": {}}, "lastState": {"terminated": term}});
    assert_eq!(pick(&crashed, true), Ok(Want::LastTerminated));
    let dead = json!({"state": {"terminated": term}, "lastState": {"terminated": term}});
    assert_eq!(pick(&dead, false), Ok(Want::Current), "kubectl's Error");
    assert_eq!(pick(&dead, true), Ok(Want::LastTerminated));
    let backoff = json!({"state": {"waiting": {"reason": "CrashLoopBackOff"}},
                         "lastState": {"terminated": term}});
    assert_eq!(pick(&backoff, false), Ok(Want::LastTerminated));
    let pulling = json!({"state": {"waiting": {"reason": "ErrImagePull"}}, "lastState": {}});
    assert_eq!(pick(&pulling, false), Err(Gone::Waiting));
}
