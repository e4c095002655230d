//! The Docker pane's images, volumes and networks views, a prune dialog,
//! and the containers sorted by CPU, rendered on ratatui's TestBackend at
//! 80x24 and 200x50 (Unicode and `--ascii`) and compared with insta.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::{DateTime, Duration, TimeZone, Utc};
use opsdeck::core::docker::{Container, ContainerState, Usage};
use opsdeck::core::docker_objects::{ImageRow, NetworkRow, ObjectList, VolumeRow};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::{DockerEvent, Msg};
use opsdeck::core::source::{SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;

#[path = "support/snap.rs"]
#[allow(dead_code)] // each file uses only part of it
mod snap;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("valid time")
}

fn container(id: &str, name: &str, state: ContainerState) -> Container {
    Container {
        id: id.into(),
        engine: String::new(),
        name: name.into(),
        project: Some("shop".into()),
        service: None,
        image: format!("ghcr.io/acme/{name}:3f2c1ab"),
        state,
        health: None,
        exit_code: None,
        oom_killed: false,
        restart_count: 0,
        ports: String::new(),
        created: Some(now() - Duration::hours(5)),
        started_at: Some(now() - Duration::minutes(42)),
        finished_at: None,
        revision: None,
    }
}

fn keys(s: &mut State, text: &str) {
    for c in text.chars() {
        let code = match c {
            '\n' => KeyCode::Enter,
            c => KeyCode::Char(c),
        };
        update(s, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
}

fn docker_tab(width: u16, height: u16) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Docker;
    update(&mut s, Msg::Resize { width, height });
    let connected = SourceHealth::Connected {
        target: "unix:///var/run/docker.sock".into(),
        last_update: now(),
    };
    update(&mut s, Msg::health(SourceKind::Docker, connected));
    let fleet = vec![
        container("a1", "shop-web-1", ContainerState::Running),
        container("a2", "shop-api-1", ContainerState::Running),
        container("a3", "shop-worker-1", ContainerState::Running),
        container("a4", "shop-db-1", ContainerState::Exited),
    ];
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(fleet)));
    s
}

fn image(
    id: &str,
    tag: Option<&str>,
    tag_count: usize,
    mib: u64,
    days: i64,
    users: &[&str],
) -> ImageRow {
    ImageRow {
        engine: String::new(),
        id: format!("sha256:{id}{}", "0".repeat(64 - id.len())),
        tag: tag.map(Into::into),
        tag_count,
        size: mib * 1024 * 1024,
        created: Some(now() - Duration::days(days)),
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

fn with_images(w: u16, h: u16) -> State {
    let mut s = docker_tab(w, h);
    keys(&mut s, ":images\n");
    let rows = vec![
        image(
            "3f2c1ab9d0e1",
            Some("ghcr.io/acme/shop-web:3f2c1ab"),
            2,
            142,
            2,
            &["shop-web-1"],
        ),
        image(
            "3f2c1ab9d0e1",
            Some("ghcr.io/acme/shop-web:latest"),
            2,
            142,
            2,
            &["shop-web-1"],
        ),
        image(
            "9a8b7c6d5e4f",
            Some("postgres:16"),
            1,
            431,
            30,
            &["shop-db-1"],
        ),
        image(
            "77aa88bb99cc",
            Some("ghcr.io/acme/shop-api:1.41.0"),
            1,
            96,
            20,
            &[],
        ),
        image("d1d2d3d4d5d6", None, 0, 178, 3, &[]),
        image("e1e2e3e4e5e6", None, 0, 12, 9, &[]),
    ];
    update(
        &mut s,
        Msg::Docker(DockerEvent::Objects(ObjectList::Images(rows))),
    );
    s
}

/// Here, not in the shared module: insta names a snapshot after the file
/// its assertion is in.
fn snap_all(name: &str, make: impl Fn(u16, u16) -> State) {
    for (name, text) in snap::every_size(name, make) {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn images_view() {
    snap_all("docker_images", with_images);
}

#[test]
fn images_prune_dialog_says_what_goes() {
    snap_all("docker_images_prune", |w, h| {
        let mut s = with_images(w, h);
        keys(&mut s, "P");
        s
    });
}

#[test]
fn volumes_view() {
    snap_all("docker_volumes", |w, h| {
        let mut s = docker_tab(w, h);
        keys(&mut s, ":volumes\n");
        let vol = |name: &str, users: &[&str]| VolumeRow {
            engine: String::new(),
            name: name.into(),
            driver: "local".into(),
            mountpoint: format!("/var/lib/docker/volumes/{name}/_data"),
            users: users.iter().map(|u| u.to_string()).collect(),
            size: None,
        };
        let rows = vec![
            vol("shop_pgdata", &["shop-db-1"]),
            vol("shop_uploads", &["shop-web-1", "shop-worker-1"]),
            vol("ml-cache", &[]),
            vol(
                "4c1d9e0f7a2b4c1d9e0f7a2b4c1d9e0f7a2b4c1d9e0f7a2b4c1d9e0f7a2b4c1d",
                &[],
            ),
        ];
        update(
            &mut s,
            Msg::Docker(DockerEvent::Objects(ObjectList::Volumes(rows))),
        );
        s
    });
}

#[test]
fn networks_view() {
    snap_all("docker_networks", |w, h| {
        let mut s = docker_tab(w, h);
        keys(&mut s, ":networks\n");
        let net = |name: &str, driver: &str, users: &[&str]| NetworkRow {
            engine: String::new(),
            id: format!("{name}-id"),
            name: name.into(),
            driver: driver.into(),
            scope: "local".into(),
            users: users.iter().map(|u| u.to_string()).collect(),
        };
        let rows = vec![
            net("bridge", "bridge", &[]),
            net("host", "host", &[]),
            net("none", "null", &[]),
            net(
                "shop_default",
                "bridge",
                &["shop-api-1", "shop-db-1", "shop-web-1", "shop-worker-1"],
            ),
            net("old-ci_default", "bridge", &[]),
        ];
        update(
            &mut s,
            Msg::Docker(DockerEvent::Objects(ObjectList::Networks(rows))),
        );
        s
    });
}

/// `s` five times: name, state, image, uptime, cpu; then memory, reversed
/// with `o`. The exited container (no stats) stays last both times.
#[test]
fn containers_sorted_by_cpu_and_by_memory_reversed() {
    let with_usage = |w, h| {
        let mut s = docker_tab(w, h);
        for (id, cpu, mib) in [("a1", 1.5, 48), ("a2", 87.25, 512), ("a3", 12.0, 20)] {
            let usage = Usage {
                cpu_percent: cpu,
                mem_bytes: mib * 1024 * 1024,
                mem_limit: 0,
            };
            update(
                &mut s,
                Msg::Docker(DockerEvent::Usage {
                    id: id.into(),
                    usage,
                }),
            );
        }
        s
    };
    snap_all("docker_sort_cpu", |w, h| {
        let mut s = with_usage(w, h);
        keys(&mut s, "oooo");
        s
    });
    snap_all("docker_sort_memory_reversed", |w, h| {
        let mut s = with_usage(w, h);
        keys(&mut s, "oooooO");
        s
    });
}

/// Two engines (`[docker] hosts`), as their tasks report them: rows carry
/// their engine in an ENGINE column; `build` has gone away, so its rows
/// are its last known state, its name in the error colour, and the
/// footer says which engine is reconnecting and why.
fn two_engines(width: u16, height: u16) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Docker;
    update(&mut s, Msg::Resize { width, height });
    let engines = [
        ("local", "unix:///var/run/docker.sock"),
        ("build", "ssh://deploy@build.example"),
    ];
    for (name, host) in engines {
        let connecting = SourceHealth::Connecting {
            target: host.into(),
        };
        s.docker.engines.insert(name.into(), connecting);
    }
    let on = |engine: &str, id: &str, name: &str, state| Container {
        engine: engine.into(),
        ..container(id, name, state)
    };
    for (engine, host) in engines {
        let health = SourceHealth::Connected {
            target: host.into(),
            last_update: now(),
        };
        update(
            &mut s,
            Msg::Health {
                source: SourceKind::Docker,
                part: Some(engine.into()),
                health,
            },
        );
    }
    let local = vec![
        on("local", "a1", "shop-web-1", ContainerState::Running),
        on("local", "a2", "shop-api-1", ContainerState::Running),
    ];
    let build = vec![
        on("build", "b1", "ci-runner-1", ContainerState::Running),
        on("build", "b2", "ci-cache-1", ContainerState::Exited),
    ];
    for (engine, containers) in [("local", local), ("build", build)] {
        let ev = DockerEvent::EngineSnapshot {
            engine: engine.into(),
            containers,
        };
        update(&mut s, Msg::Docker(ev));
    }
    let usage = Usage {
        cpu_percent: 3.5,
        mem_bytes: 64 * 1024 * 1024,
        mem_limit: 0,
    };
    update(
        &mut s,
        Msg::Docker(DockerEvent::Usage {
            id: "local/a1".into(),
            usage,
        }),
    );
    let down = SourceHealth::Reconnecting {
        target: "ssh://deploy@build.example".into(),
        error: "nothing accepts ssh connections at deploy@build.example (connection refused)"
            .into(),
        retry_at: now() + Duration::seconds(8),
        pause: opsdeck::core::source::Pause::Backoff,
    };
    update(
        &mut s,
        Msg::Health {
            source: SourceKind::Docker,
            part: Some("build".into()),
            health: down,
        },
    );
    s
}

#[test]
fn two_engines_one_reconnecting() {
    snap_all("docker_two_engines", two_engines);
}

/// `:images` with the two engines above: an ENGINE column after the name,
/// the same tag on both engines as two rows, and `build`, gone away since
/// it listed, keeping its last rows while the footer says so for it.
fn two_engines_images(width: u16, height: u16) -> State {
    let mut s = two_engines(width, height);
    keys(&mut s, ":images\n");
    let on = |engine: &str, row: ImageRow| ImageRow {
        engine: engine.into(),
        ..row
    };
    let web = |engine| {
        let row = image(
            "3f2c1ab9d0e1",
            Some("ghcr.io/acme/shop-web:latest"),
            1,
            142,
            2,
            &["shop-web-1"],
        );
        on(engine, row)
    };
    let local = vec![
        web("local"),
        on(
            "local",
            image("9a8b7c6d5e4f", Some("postgres:16"), 1, 431, 30, &[]),
        ),
    ];
    let build = vec![
        web("build"),
        on(
            "build",
            image(
                "5e4f3a2b1c0d",
                Some("rust:1.91"),
                1,
                1530,
                12,
                &["ci-runner-1"],
            ),
        ),
        on("build", image("d1d2d3d4d5d6", None, 0, 178, 3, &[])),
    ];
    for (engine, rows) in [("local", local), ("build", build)] {
        let ev = DockerEvent::EngineObjects {
            engine: engine.into(),
            list: ObjectList::Images(rows),
        };
        update(&mut s, Msg::Docker(ev));
    }
    let failed = DockerEvent::ObjectsFailed {
        engine: "build".into(),
        kind: opsdeck::core::docker_objects::ObjectKind::Images,
        error: "the engine went away (connection refused); showing its last list".into(),
    };
    update(&mut s, Msg::Docker(failed));
    s
}

#[test]
fn two_engines_images_tagged_by_engine() {
    snap_all("docker_two_engines_images", two_engines_images);
}
