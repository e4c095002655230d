//! The timeline model alone: order, identity, bounds, indexes and links.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 14, 0, 0).unwrap() + Duration::seconds(secs)
}

fn entry(id: &str, secs: i64, change: Change) -> Entry {
    Entry {
        at: at(secs),
        source: SourceKind::Kubernetes,
        change,
        place: "prod/shop".into(),
        what: id.into(),
        reason: String::new(),
        id: id.into(),
        bad: false,
        deploy: false,
        commit: None,
        workload: None,
        target: None,
    }
}

fn ids(t: &Timeline) -> Vec<&str> {
    t.newest_first().map(|(_, e)| e.id.as_str()).collect()
}

#[test]
fn newest_first_whatever_the_arrival_order_and_a_repeat_is_not_new() {
    let mut t = Timeline::new(10);
    assert!(t.insert(entry("b", 20, Change::Warning)));
    assert!(t.insert(entry("a", 10, Change::Warning)));
    assert!(t.insert(entry("c", 30, Change::Warning)));
    assert!(!t.insert(entry("b", 99, Change::Warning)), "same id again");
    assert_eq!(ids(&t), ["c", "b", "a"]);
    let since: Vec<&str> = t.since(at(20)).map(|(_, e)| e.id.as_str()).collect();
    assert_eq!(since, ["c", "b"]);
    let between: Vec<&str> = t
        .between(at(10), at(20))
        .map(|(_, e)| e.id.as_str())
        .collect();
    assert_eq!(between, ["b", "a"]);
}

#[test]
fn the_oldest_go_past_the_bound_and_take_their_index_entries_along() {
    let mut t = Timeline::new(3);
    let mut run = entry("run", 0, Change::RunFinished);
    run.commit = Some("3f2c1ab9d0e8f7a6b5c4".into());
    let mut rollout = entry("rollout", 1, Change::Rollout);
    rollout.workload = Some("prod/shop/web".into());
    t.insert(run);
    t.insert(rollout);
    t.insert(entry("x", 2, Change::Warning));
    t.insert(entry("y", 3, Change::Warning));
    assert_eq!(ids(&t), ["y", "x", "rollout"]);
    assert!(
        t.runs_by_sha.is_empty(),
        "the evicted run left the SHA index"
    );
    t.insert(entry("z", 4, Change::Warning));
    assert!(t.rollouts.is_empty(), "the evicted rollout left its index");
    assert!(!t.contains("run"), "an evicted id may come back");
    assert!(
        !t.insert(entry("old", -5, Change::Warning)),
        "older than everything kept while full: not added"
    );
    assert_eq!(t.len(), 3);
}

#[test]
fn unsaved_entries_are_handed_over_once_and_loaded_ones_never() {
    let mut t = Timeline::new(10);
    assert_eq!(t.load(vec![entry("old", 0, Change::Warning)]), 1);
    assert!(!t.has_unsaved());
    t.insert(entry("late", 9, Change::Warning));
    t.insert(entry("early", 5, Change::Warning));
    let saved: Vec<String> = t.take_unsaved().iter().map(|e| e.id.clone()).collect();
    assert_eq!(saved, ["early", "late"], "oldest first");
    assert!(t.take_unsaved().is_empty());
}

fn linked_world() -> (Timeline, Entry) {
    let mut t = Timeline::new(100);
    let mut run = entry("gh:acme/web:231:1:end", 0, Change::RunFinished);
    run.source = SourceKind::GitHub;
    run.place = "acme/web".into();
    run.what = "deploy #231".into();
    run.deploy = true;
    run.commit = Some("3f2c1ab9d0e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4".into());
    let mut rollout = entry("k8s:rollout:web:7", 60, Change::Rollout);
    rollout.what = "deployment web rev 7".into();
    rollout.workload = Some("prod/shop/web".into());
    rollout.commit = Some("3f2c1ab".into());
    let mut crash = entry("k8s:crash", 100, Change::PodRestart);
    crash.bad = true;
    crash.workload = Some("prod/shop/web".into());
    t.insert(crash.clone());
    t.insert(rollout);
    t.insert(run);
    (t, crash)
}

#[test]
fn a_breakage_after_a_rollout_names_it_and_the_run_that_built_it() {
    let (t, crash) = linked_world();
    let links = t.links(&crash);
    assert_eq!(links.len(), 1, "{links:?}");
    let link = &links[0];
    assert_eq!(link.to, "k8s:rollout:web:7");
    assert_eq!(
        link.text,
        "40s after rollout of deployment web rev 7, built by acme/web deploy #231"
    );
    let fields: Vec<(&str, &str)> = link
        .matched
        .iter()
        .map(|m| (m.field, m.value.as_str()))
        .collect();
    assert_eq!(
        fields,
        [("workload", "prod/shop/web"), ("within", "10 min")]
    );
    let rollout = t
        .newest_first()
        .find(|(_, e)| e.change == Change::Rollout)
        .unwrap()
        .1;
    let built = t.built_by(rollout).expect("built by the run");
    assert_eq!(built.matched[0].value, "3f2c1ab");
    assert_eq!(built.matched[1].value, "3f2c1ab9d0e8");
}

#[test]
fn no_link_without_matching_fields_or_outside_the_window() {
    let (mut t, crash) = linked_world();
    let mut elsewhere = crash.clone();
    elsewhere.id = "other".into();
    elsewhere.workload = Some("prod/shop/api".into());
    assert!(t.links(&elsewhere).is_empty(), "another workload");
    let mut late = crash.clone();
    late.id = "late".into();
    late.at = at(60 + link_window() + 1);
    assert!(t.links(&late).is_empty(), "past the window");
    let mut fine = crash.clone();
    fine.id = "fine".into();
    fine.bad = false;
    assert!(
        t.links(&fine).is_empty(),
        "only a breakage follows a rollout"
    );
    let mut other_sha = entry("start", 70, Change::ContainerStart);
    other_sha.commit = Some("3f2c1ac".into());
    t.insert(other_sha.clone());
    assert!(t.built_by(&other_sha).is_none(), "one digit off");
}

fn link_window() -> i64 {
    crate::core::timeline_link::ROLLOUT_WINDOW_SECS
}

#[test]
fn a_row_says_a_built_by_once() {
    let (t, crash) = linked_world();
    let mut crash = crash;
    crash.commit = Some("3f2c1ab".into());
    crash.reason = "OOMKilled".into();
    let links = t.links(&crash);
    assert_eq!(links.len(), 2, "both links, each with its fields");
    assert_eq!(
        crate::core::timeline_link::row_text(&crash, &links),
        "OOMKilled; 40s after rollout of deployment web rev 7, built by acme/web deploy #231"
    );
}

#[test]
fn a_narrow_screens_what_names_the_repository_namespace_or_engine() {
    let mut run = entry("run", 0, Change::RunFinished);
    run.source = SourceKind::GitHub;
    run.place = "acme/web".into();
    run.what = "CI #20".into();
    assert_eq!(run.what_with_place(false), "acme/web CI #20");
    let mut pod = entry("pod web-7c9f-x2x4q (app)", 0, Change::PodRestart);
    pod.place = "arn:aws:eks:eu-west-1:1:cluster/prod/shop".into();
    assert_eq!(pod.what_with_place(false), "pod shop/web-7c9f-x2x4q (app)");
    let mut die = entry("container web", 0, Change::ContainerDie);
    die.source = SourceKind::Docker;
    die.place = "prod".into();
    assert_eq!(die.what_with_place(true), "container web on prod");
    assert_eq!(
        die.what_with_place(false),
        "container web",
        "one engine is no news"
    );
}

/// The view's quick path after a batch gives the order a full rebuild
/// gives, and keeps the selection on its entry, through batches of newer
/// entries with evictions, with a source filter, and after an entry
/// older than the newest (which falls back to the full rebuild).
#[test]
fn following_a_batch_orders_rows_as_a_full_rebuild_does() {
    use crate::core::timeline_view::TimelineState;
    let mut view = TimelineState::with_capacity(50);
    let mut secs = 0;
    let mut batch = |view: &mut TimelineState, n: usize, back: i64| {
        for i in 0..n {
            secs += 1;
            let mut e = entry(&format!("e{secs}"), secs - back, Change::Warning);
            if i % 3 == 0 {
                e.source = SourceKind::Docker;
            }
            view.entries.insert(e);
        }
    };
    batch(&mut view, 30, 0);
    view.rebuild();
    for _ in 0..3 {
        view.list.navigate(crate::core::list::Nav::Down);
    }
    let chosen = view.list.selected().copied().expect("a row is selected");
    for (n, back, sources) in [
        (10, 0, SourceFilter::All),
        (40, 0, SourceFilter::All),
        (5, 100, SourceFilter::All),
        (25, 0, SourceFilter::Only(SourceKind::Docker)),
    ] {
        if view.sources != sources {
            view.sources = sources;
            view.rebuild();
        }
        batch(&mut view, n, back);
        view.follow();
        let followed = view.list.order().to_vec();
        let selected = view.list.selected().copied();
        if followed.contains(&chosen) {
            assert_eq!(selected, Some(chosen), "the selection stays on its entry");
        }
        view.rebuild();
        assert_eq!(followed, view.list.order(), "batch of {n}, {back} s back");
        assert!(!followed.is_empty() && followed.len() <= 50);
    }
}
