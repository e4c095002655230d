//! The store on a real file: history survives a reopen, the cap holds.

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::core::source::SourceKind;
use crate::core::timeline::{Change, Timeline};
use crate::core::triage::Target;

fn entry(n: i64) -> Entry {
    Entry {
        at: Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap() + Duration::seconds(n),
        source: SourceKind::Docker,
        change: Change::ContainerDie,
        place: "unix:///var/run/docker.sock".into(),
        what: format!("container web-{n}"),
        reason: "exited with code 1".into(),
        id: format!("docker:{n}:die"),
        bad: true,
        deploy: false,
        commit: Some("3f2c1ab".into()),
        workload: None,
        target: Some(Target::Container {
            id: format!("{n:064x}"),
        }),
    }
}

#[test]
fn what_was_written_is_read_back_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = TimelineStore {
        path: dir.path().join("sub/timeline.jsonl"),
        max_bytes: DEFAULT_MAX_BYTES,
    };
    assert!(store.load().unwrap().entries.is_empty(), "no file yet");
    store.append(&[entry(2), entry(1)]).unwrap();
    store.append(&[entry(3)]).unwrap();
    let loaded = store.load().unwrap();
    let ids: Vec<&str> = loaded.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["docker:1:die", "docker:2:die", "docker:3:die"]);
    assert_eq!(loaded.entries[0], entry(1), "every field survives");
}

#[test]
fn a_damaged_line_is_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timeline.jsonl");
    let good = serde_json::to_string(&entry(1)).unwrap();
    std::fs::write(
        &path,
        format!("{good}\n{{\"at\": 12\n\u{0}\u{1}garbage\n{good}"),
    )
    .unwrap();
    let store = TimelineStore {
        path,
        max_bytes: DEFAULT_MAX_BYTES,
    };
    let loaded = store.load().unwrap();
    assert_eq!((loaded.entries.len(), loaded.unreadable), (2, 2));
}

#[test]
fn a_hundred_thousand_entries_stay_under_the_cap_and_the_newest_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let cap = 2 * 1024 * 1024;
    let store = TimelineStore {
        path: dir.path().join("timeline.jsonl"),
        max_bytes: cap,
    };
    let mut largest = 0;
    for batch in 0..100 {
        let entries: Vec<Entry> = (0..1_000).map(|i| entry(batch * 1_000 + i)).collect();
        store.append(&entries).unwrap();
        largest = largest.max(std::fs::metadata(&store.path).unwrap().len());
    }
    assert!(largest <= cap, "{largest} bytes after a batch, cap {cap}");
    let loaded = store.load().unwrap();
    assert_eq!(loaded.unreadable, 0);
    assert!(
        loaded.entries.len() > 1_000,
        "kept {}",
        loaded.entries.len()
    );
    assert_eq!(
        loaded.entries.last().unwrap().id,
        "docker:99999:die",
        "the newest is kept"
    );
    let first = loaded.entries.first().unwrap().at;
    assert!(
        loaded.entries.iter().all(|e| e.at >= first),
        "what was dropped is the oldest"
    );
}

#[test]
fn a_restart_keeps_the_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = TimelineStore {
        path: dir.path().join("timeline.jsonl"),
        max_bytes: DEFAULT_MAX_BYTES,
    };
    // The first session: entries arrive, the batch's new ones are saved.
    let mut first = Timeline::new(1_000);
    for n in 0..10 {
        first.insert(entry(n));
    }
    store.append(&first.take_unsaved()).unwrap();
    // The second session loads them and does not save them again.
    let mut second = Timeline::new(1_000);
    assert_eq!(second.load(store.load().unwrap().entries), 10);
    assert!(!second.has_unsaved());
    assert!(
        !second.insert(entry(3)),
        "a fact seen before the restart is known"
    );
    assert_eq!(second.newest_first().next().unwrap().1.id, "docker:9:die");
}

#[test]
fn a_restart_of_the_app_state_keeps_the_history() {
    use crate::core::effect::Effect;
    use crate::core::msg::{DockerEvent, Msg};
    use crate::core::state::{Settings, State};
    use crate::core::timeline_feed::EngineEvent;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("timeline.jsonl");
    let settings = || Settings {
        timeline_store: Some((path.clone(), DEFAULT_MAX_BYTES)),
        ..Settings::default()
    };
    let mut first = State::new(settings(), Default::default());
    load_into(&mut first, 1_000);
    let mut effects = crate::core::update::update(
        &mut first,
        Msg::Docker(DockerEvent::Engine(EngineEvent {
            time: entry(5).at,
            object: "container".into(),
            action: "oom".into(),
            id: "c0ffee".into(),
            name: "web-1".into(),
            image: "acme/web:3f2c1ab".into(),
            exit_code: None,
            revision: None,
            engine: String::new(),
        })),
    );
    effects.extend(crate::core::update::update(&mut first, Msg::BatchDone));
    // What the driver does with the effect.
    for effect in effects {
        if let Effect::SaveTimeline(entries) = effect {
            let (path, max_bytes) = first.settings.timeline_store.clone().unwrap();
            TimelineStore { path, max_bytes }.append(&entries).unwrap();
        }
    }
    let mut second = State::new(settings(), Default::default());
    load_into(&mut second, 1_000);
    let (_, e) = second
        .timeline
        .entries
        .newest_first()
        .next()
        .expect("history kept");
    assert_eq!(
        (e.change, e.what.as_str()),
        (Change::ContainerOom, "container web-1")
    );
    assert_eq!(second.timeline.entries.max(), 1_000);
}
