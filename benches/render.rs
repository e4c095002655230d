//! Frame render cost at 200x50: the Docker pane with 1,000 containers.
//! Budget: under 2 ms per frame. `cargo bench --bench render`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::hint::black_box;

use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use opsdeck::core::docker::{Container, ContainerState, Usage};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::{DockerEvent, Msg};
use opsdeck::core::source::{SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::ui::{self, Look, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn fleet(n: usize) -> Vec<Container> {
    let now = Utc::now();
    (0..n)
        .map(|i| Container {
            id: format!("{i:064x}"),
            engine: String::new(),
            name: format!("svc-{i:04}"),
            project: Some(format!("project-{}", i % 25)),
            service: None,
            image: format!("registry.local/team/svc-{i}:1.{i}"),
            state: if i % 10 == 0 {
                ContainerState::Exited
            } else {
                ContainerState::Running
            },
            health: None,
            exit_code: Some(if i % 20 == 0 { 1 } else { 0 }),
            oom_killed: false,
            restart_count: 0,
            ports: format!("{}->80", 8000 + i),
            created: Some(now - Duration::hours(3)),
            started_at: Some(now - Duration::minutes(i as i64)),
            finished_at: None,
            revision: None,
        })
        .collect()
}

fn docker_state(n: usize) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.tab = Tab::Docker;
    update(
        &mut s,
        Msg::Resize {
            width: 200,
            height: 50,
        },
    );
    let health = SourceHealth::Connected {
        target: "bench".into(),
        last_update: Utc::now(),
    };
    update(&mut s, Msg::health(SourceKind::Docker, health));
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(fleet(n))));
    for i in 0..60 {
        let usage = Usage {
            cpu_percent: i as f64 / 3.0,
            mem_bytes: 1 << 26,
            mem_limit: 0,
        };
        update(
            &mut s,
            Msg::Docker(DockerEvent::Usage {
                id: format!("{i:064x}"),
                usage,
            }),
        );
    }
    s
}

fn bench_docker_pane(c: &mut Criterion) {
    let look = Look::new(Theme::default(), false);
    let mut state = docker_state(1000);
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    c.bench_function("render docker pane 1000 containers 200x50", |b| {
        b.iter(|| {
            terminal
                .draw(|f| ui::draw(f, black_box(&mut state), &look))
                .expect("draw");
        })
    });
    c.bench_function("update: 1000-container snapshot + order", |b| {
        b.iter(|| black_box(docker_state(1000)))
    });
}

criterion_group!(benches, bench_docker_pane);
criterion_main!(benches);
