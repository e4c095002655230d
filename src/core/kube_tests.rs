//! Pod health over time, globs for danger patterns, and the pane's order
//! and selection through watch batches and re-lists.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::core::kube_pane::{KubePane, KubeSort};
use crate::core::list::Direction;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("time")
}

pub fn pod(ns: &str, name: &str, status: &str) -> PodRow {
    PodRow {
        status: status.into(),
        phase: if status == "Pending" {
            "Pending"
        } else {
            "Running"
        }
        .into(),
        ..PodRow::fixture("ctx", ns, name, now() - Duration::hours(2))
    }
}

#[test]
fn health_moves_with_the_clock() {
    let mut p = pod("shop", "web-1", "Running");
    p.restarts = 3;
    p.last_restart = Some(now() - Duration::minutes(2));
    assert_eq!(p.health(now()), PodHealth::Warning, "restarted 2m ago");
    assert_eq!(p.health(now() + Duration::minutes(9)), PodHealth::Healthy);

    let mut pending = pod("shop", "web-2", "Pending");
    pending.created = Some(now() - Duration::minutes(1));
    assert_eq!(pending.health(now()), PodHealth::Warning, "still starting");
    assert_eq!(
        pending.health(now() + Duration::minutes(5)),
        PodHealth::Broken,
        "stuck"
    );
    assert_eq!(
        pod("a", "b", "CrashLoopBackOff").health(now()),
        PodHealth::Broken
    );
    assert_eq!(pod("a", "b", "Init:Error").health(now()), PodHealth::Broken);
    assert_eq!(pod("a", "b", "Completed").health(now()), PodHealth::Healthy);
}

#[test]
fn danger_globs() {
    assert!(glob_match("prod*", "prod-eu"));
    assert!(glob_match("*prod*", "eu-prod-1"));
    assert!(glob_match("prod-??", "prod-eu"));
    assert!(!glob_match("prod*", "staging"));
    assert!(!glob_match("prod", "prod-eu"));
    assert!(glob_match("*", ""));
}

fn pane_with(pods: Vec<PodRow>) -> KubePane {
    let mut pane = KubePane::default();
    pane.replace_context("ctx", pods);
    pane
}

#[test]
fn a_relist_replaces_one_context_atomically_and_keeps_the_selection() {
    let mut pane = pane_with(vec![
        pod("shop", "a", "Running"),
        pod("shop", "b", "Running"),
        pod("shop", "c", "Running"),
    ]);
    let mut other = pod("x", "y", "Running");
    other.key = PodKey::new("other", "x", "y");
    pane.apply_changes(vec![other], Vec::new());
    assert!(pane.list.select(&PodKey::new("ctx", "shop", "b")));
    pane.replace_context(
        "ctx",
        vec![pod("shop", "b", "Error"), pod("shop", "d", "Running")],
    );
    let names: Vec<&str> = pane.list.order().iter().map(|k| &*k.name).collect();
    assert_eq!(names, ["b", "d", "y"], "other contexts untouched");
    assert_eq!(
        pane.selected_pod().map(|p| p.status.as_str()),
        Some("Error")
    );

    pane.apply_changes(Vec::new(), vec![PodKey::new("ctx", "shop", "b")]);
    assert_eq!(
        pane.list.selected().map(|k| &*k.name),
        Some("d"),
        "a deleted selection moves to its nearest neighbour"
    );
}

#[test]
fn sort_and_filter_derive_the_order() {
    let mut crash = pod("shop", "cart-1", "CrashLoopBackOff");
    crash.restarts = 9;
    let mut pane = pane_with(vec![
        pod("shop", "web-1", "Running"),
        crash,
        pod("default", "hello", "Running"),
    ]);
    pane.list.set_sort(KubeSort::Status, Direction::Natural);
    pane.rebuild_order();
    assert_eq!(pane.list.order().first().map(|k| &*k.name), Some("cart-1"));
    pane.list.set_sort(KubeSort::Name, Direction::Natural);
    pane.list.set_filter("shop web");
    pane.rebuild_order();
    let names: Vec<&str> = pane.list.order().iter().map(|k| &*k.name).collect();
    assert_eq!(names, ["web-1"]);
}

#[test]
fn a_crash_looping_pod_wants_its_previous_log() {
    let mut p = pod("shop", "cart-1", "CrashLoopBackOff");
    p.containers.push(ContainerInfo {
        name: "app".into(),
        image: "cart:1".into(),
        init: false,
        ready: false,
        restarts: 4,
        state: ContainerState::Waiting {
            reason: "CrashLoopBackOff".into(),
            message: String::new(),
        },
        last_termination: Some(Termination {
            reason: "Error".into(),
            exit_code: 2,
            finished_at: Some(now()),
        }),
        requests: String::new(),
        limits: String::new(),
    });
    assert!(p.wants_previous_log());
    // Just died (kubectl's `Error`): the crash is in the current log, and
    // the kubelet has already collected the container before it.
    if let Some(c) = p.containers.first_mut() {
        c.state = ContainerState::Terminated(Termination {
            reason: "Error".into(),
            exit_code: 2,
            finished_at: Some(now()),
        });
    }
    assert!(!p.wants_previous_log(), "terminated: its current log");
    if let Some(c) = p.containers.first_mut() {
        c.state = ContainerState::Running { since: None };
    }
    assert!(!p.wants_previous_log(), "running again: its current log");
}

#[test]
fn age_and_restarts_read_as_kubectl_prints_them() {
    let mut p = pod("shop", "web-1", "Running");
    p.restarts = 5;
    p.last_restart = Some(now() - Duration::seconds(128));
    assert_eq!(p.restarts_text(now()), "5 (2m8s ago)");
    p.created = Some(now() - Duration::minutes(200));
    assert_eq!(crate::core::kube_pane::pod_age(&p, now()), "3h20m");
}

#[test]
fn namespace_sets_parse_from_commas_and_collapse_when_small() {
    use super::NamespaceScope;
    assert_eq!(
        NamespaceScope::parse("shop, payments,shop,,monitoring"),
        NamespaceScope::Set(vec!["shop".into(), "payments".into(), "monitoring".into()])
    );
    assert_eq!(
        NamespaceScope::parse("shop,"),
        NamespaceScope::One("shop".into())
    );
    assert_eq!(NamespaceScope::parse(","), NamespaceScope::FromContext);
    assert_eq!(NamespaceScope::parse("*"), NamespaceScope::All);
}

#[test]
fn a_context_tells_which_namespaces_it_watches() {
    let info = |ns: &str| super::ContextInfo {
        name: "kind".into(),
        namespace: ns.into(),
        danger: false,
    };
    assert_eq!(info("*").namespaces(), None);
    assert_eq!(info("shop").namespaces(), Some(vec!["shop".to_string()]));
    assert_eq!(
        info("shop,payments").namespaces(),
        Some(vec!["shop".to_string(), "payments".to_string()])
    );
    // The note after a narrowed scope is not a namespace.
    assert_eq!(
        info("shop, payments (forbidden at cluster scope)").namespaces(),
        Some(vec!["shop".to_string(), "payments".to_string()])
    );
    assert!(info("*").many_namespaces());
    assert!(info("a,b").many_namespaces());
    assert!(!info("a").many_namespaces());
}

#[test]
fn pod_keys_order_by_content_whether_their_parts_are_shared_or_not() {
    let shared: Arc<str> = "shop".into();
    let ctx: Arc<str> = "prod".into();
    let key = |ctx: &Arc<str>, ns: &Arc<str>, name: &str| PodKey {
        context: ctx.clone(),
        namespace: ns.clone(),
        name: name.into(),
    };
    let a = key(&ctx, &shared, "web-1");
    let b = key(&ctx, &shared, "web-2");
    // The same text in separate allocations.
    let a_copy = PodKey::new("prod", "shop", "web-1");
    let other_ns = PodKey::new("prod", "api", "web-9");
    assert_eq!(a, a_copy);
    assert_eq!(a.cmp(&a_copy), std::cmp::Ordering::Equal);
    assert!(a < b && a_copy < b);
    assert!(other_ns < a, "namespace before name");
    assert!(PodKey::new("dev", "zzz", "z") < a, "context first");
    let mut hashed = std::collections::HashSet::new();
    hashed.insert(a.clone());
    assert!(hashed.contains(&a_copy));
}
