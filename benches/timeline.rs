//! The timeline at its default bound: 100,000 entries.
//! Budgets: a frame of the timeline view at 200x50 under 2 ms; a burst of
//! 10,000 Docker events through `update` (feed, insert, evict, the view's
//! rebuild) under 50 ms; and the store's size on disk for 100,000 entries
//! (printed). `cargo bench --bench timeline`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::hint::black_box;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::{DockerEvent, Msg};
use opsdeck::core::source::SourceKind;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::timeline::{Change, Entry};
use opsdeck::core::timeline_feed::EngineEvent;
use opsdeck::core::triage::Target;
use opsdeck::core::update::update;
use opsdeck::timeline_store::TimelineStore;
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ENTRIES: usize = 100_000;
const BURST: usize = 10_000;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap()
}

/// A mix of every source, with commits and workloads so rows have links.
fn entry(i: usize) -> Entry {
    let (source, change, workload, commit) = match i % 5 {
        0 => (
            SourceKind::GitHub,
            Change::RunFinished,
            None,
            Some(format!(
                "{:07x}0000000000000000000000000000000",
                i % 4096 + 0xa00000
            )),
        ),
        1 => (
            SourceKind::Kubernetes,
            Change::Rollout,
            Some(format!("prod/shop/svc-{}", i % 300)),
            Some(format!("{:07x}", (i - 1) % 4096 + 0xa00000)),
        ),
        2 => (
            SourceKind::Kubernetes,
            Change::PodRestart,
            Some(format!("prod/shop/svc-{}", i % 300)),
            None,
        ),
        3 => (
            SourceKind::Docker,
            Change::ContainerDie,
            None,
            Some(format!("{:07x}", i % 4096 + 0xa00000)),
        ),
        _ => (SourceKind::Kubernetes, Change::Warning, None, None),
    };
    Entry {
        at: t0() + Duration::seconds(i as i64),
        source,
        change,
        place: format!("prod/ns-{}", i % 40),
        what: format!("thing-{i}"),
        reason: format!("reason number {i} with some words in it"),
        id: format!("bench:{i}"),
        bad: i.is_multiple_of(2),
        deploy: i.is_multiple_of(10),
        commit,
        workload,
        target: Some(Target::Container {
            id: format!("{i:064x}"),
        }),
    }
}

fn full_state() -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = t0() + Duration::seconds(ENTRIES as i64);
    update(
        &mut s,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    for i in 0..ENTRIES {
        s.timeline.entries.insert(entry(i));
    }
    s.timeline.entries.take_unsaved();
    s.tab = Tab::Overview;
    update(
        &mut s,
        Msg::Key(KeyEvent::new(KeyCode::Char('T'), KeyModifiers::NONE)),
    );
    assert!(s.timeline.open);
    assert_eq!(s.timeline.list.len(), ENTRIES);
    s
}

fn engine_event(n: usize) -> Msg {
    Msg::Docker(DockerEvent::Engine(EngineEvent {
        time: t0() + Duration::seconds(ENTRIES as i64) + Duration::milliseconds(n as i64),
        object: "container".into(),
        action: if n.is_multiple_of(2) { "start" } else { "die" }.into(),
        id: format!("{n:064x}"),
        name: format!("svc-{}", n % 500),
        image: format!("registry.local/svc:{:07x}", n % 4096 + 0xa00000),
        exit_code: Some(1),
        revision: None,
        engine: String::new(),
    }))
}

fn bench(c: &mut Criterion) {
    let mut s = full_state();
    let look = Look::new(Theme::default(), false);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    c.bench_function("timeline render 100k entries 200x50", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::draw(f, &mut s, &look)).unwrap();
            black_box(terminal.backend());
        })
    });

    let mut next = 0usize;
    // The batch's end (the view's rebuild, the entries handed to the
    // store) timed apart from the messages, to say where the time goes.
    let (mut bursts, mut in_messages, mut at_batch_end) =
        (0u32, StdDuration::ZERO, StdDuration::ZERO);
    c.bench_function("timeline burst of 10k docker events into 100k", |b| {
        b.iter_custom(|iters| {
            let mut total = StdDuration::ZERO;
            for _ in 0..iters {
                let burst: Vec<Msg> = (next..next + BURST).map(engine_event).collect();
                next += BURST;
                let start = Instant::now();
                for msg in burst {
                    black_box(update(&mut s, msg));
                }
                let end = Instant::now();
                black_box(update(&mut s, Msg::BatchDone));
                let done = Instant::now();
                total += done - start;
                bursts += 1;
                in_messages += end - start;
                at_batch_end += done - end;
            }
            total
        })
    });
    assert_eq!(s.timeline.entries.len(), ENTRIES, "bounded");
    println!(
        "of a burst, on average: the 10,000 messages {:.1} ms, the batch's end {:.1} ms",
        in_messages.as_secs_f64() * 1e3 / f64::from(bursts.max(1)),
        at_batch_end.as_secs_f64() * 1e3 / f64::from(bursts.max(1)),
    );

    let dir = tempfile::tempdir().unwrap();
    let store = TimelineStore {
        path: dir.path().join("timeline.jsonl"),
        max_bytes: 16 * 1024 * 1024,
    };
    let entries: Vec<Entry> = (0..ENTRIES).map(entry).collect();
    let start = Instant::now();
    for batch in entries.chunks(BURST) {
        store.append(batch).unwrap();
    }
    let elapsed = start.elapsed();
    let size = std::fs::metadata(&store.path).unwrap().len();
    let kept = store.load().unwrap().entries.len();
    println!(
        "timeline store: {ENTRIES} entries written in batches of {BURST} in {:.0} ms; \
         file {:.1} MiB (cap 16 MiB), {kept} entries kept, {} bytes per entry",
        elapsed.as_secs_f64() * 1e3,
        size as f64 / (1024.0 * 1024.0),
        size / kept.max(1) as u64
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(StdDuration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
