//! Screens rendered on ratatui's TestBackend and compared with insta
//! snapshots, at 80x24 and 200x50, with Unicode and `--ascii` glyphs.
//! Review changes with `cargo insta review` (or accept with INSTA_UPDATE).
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use chrono::{DateTime, Duration, TimeZone, Utc};
use opsdeck::core::docker::{Container, ContainerState, Health, Usage};
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::{DockerEvent, Msg};
use opsdeck::core::source::{Pause, SourceHealth, SourceKind};
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;

#[path = "support/snap.rs"]
#[allow(dead_code)] // each file uses only part of it
mod snap;
use snap::render;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("valid time")
}

fn container(id: &str, name: &str, project: Option<&str>, state: ContainerState) -> Container {
    Container {
        id: id.into(),
        engine: String::new(),
        name: name.into(),
        project: project.map(Into::into),
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

fn fleet() -> Vec<Container> {
    let mut web = container("a1", "shop-web-1", Some("shop"), ContainerState::Running);
    web.ports = "8080->80".into();
    let mut api = container("a2", "shop-api-1", Some("shop"), ContainerState::Running);
    api.health = Some(Health::Unhealthy);
    let mut worker = container(
        "a3",
        "shop-worker-1",
        Some("shop"),
        ContainerState::Restarting,
    );
    worker.restart_count = 12;
    let mut db = container("a4", "shop-db-1", Some("shop"), ContainerState::Exited);
    db.exit_code = Some(137);
    db.oom_killed = true;
    let graf = container(
        "b1",
        "monitoring-grafana-1",
        Some("monitoring"),
        ContainerState::Running,
    );
    let mut job = container("c1", "nightly-backup", None, ContainerState::Exited);
    job.exit_code = Some(0);
    let paused = container("c2", "debug-shell", None, ContainerState::Paused);
    vec![web, api, worker, db, graf, job, paused]
}

fn state_with(containers: Vec<Container>, width: u16, height: u16) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = now();
    s.tab = Tab::Docker;
    update(&mut s, Msg::Resize { width, height });
    let connected = SourceHealth::Connected {
        target: "unix:///var/run/docker.sock".into(),
        last_update: now(),
    };
    update(&mut s, Msg::health(SourceKind::Docker, connected));
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(containers)));
    for (id, cpu, mem) in [("a1", 1.5, 48), ("a2", 87.25, 512), ("b1", 0.3, 120)] {
        let usage = Usage {
            cpu_percent: cpu,
            mem_bytes: mem * 1024 * 1024,
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
}

fn key(s: &mut State, c: char) {
    update(
        s,
        Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    );
}

/// Here, not in the shared module: insta names a snapshot after the file
/// its assertion is in.
fn snap_all(name: &str, make: impl Fn(u16, u16) -> State) {
    for (name, text) in snap::every_size(name, make) {
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn docker_list() {
    snap_all("docker_list", |w, h| {
        let mut s = state_with(fleet(), w, h);
        key(&mut s, 'j');
        s
    });
}

#[test]
fn docker_confirm_names_the_target() {
    snap_all("docker_confirm", |w, h| {
        let mut s = state_with(fleet(), w, h);
        key(&mut s, 'K');
        s
    });
}

/// `s`: the shell's dialog, in the harmless colour, naming the container.
#[test]
fn docker_shell_confirm_names_the_container() {
    snap_all("docker_shell_confirm", |w, h| {
        let mut s = state_with(fleet(), w, h);
        key(&mut s, 's');
        s
    });
}

#[test]
fn docker_filtered() {
    snap_all("docker_filtered", |w, h| {
        let mut s = state_with(fleet(), w, h);
        key(&mut s, '/');
        for c in "shop".chars() {
            key(&mut s, c);
        }
        s
    });
}

#[test]
fn docker_field_filters_and_negation() {
    snap_all("docker_filtered_fields", |w, h| {
        let mut s = state_with(fleet(), w, h);
        for c in "/state:running !shop".chars() {
            key(&mut s, c);
        }
        s
    });
}

/// `/` on the Overview filters its list (the letters are not commands),
/// and the filter and sort show in its title.
#[test]
fn overview_filtered() {
    snap_all("overview_filtered", |w, h| {
        let mut s = state_with(fleet(), w, h);
        for c in "1/work".chars() {
            key(&mut s, c);
        }
        s
    });
}

#[test]
fn docker_reconnecting_keeps_last_known_state() {
    snap_all("docker_reconnecting", |w, h| {
        let mut s = state_with(fleet(), w, h);
        let down = SourceHealth::Reconnecting {
            target: "unix:///var/run/docker.sock".into(),
            error: "engine not reachable: Connection refused".into(),
            retry_at: now() + Duration::seconds(4),
            pause: Pause::Backoff,
        };
        update(&mut s, Msg::health(SourceKind::Docker, down));
        s
    });
}

#[test]
fn docker_unreachable_from_the_start() {
    snap_all("docker_unreachable", |w, h| {
        let mut s = State::new(Settings::default(), KeyMap::default());
        s.clock = now();
        s.tab = Tab::Docker;
        update(
            &mut s,
            Msg::Resize {
                width: w,
                height: h,
            },
        );
        let down = SourceHealth::Reconnecting {
            target: "unix:///var/run/docker.sock".into(),
            error: "engine not reachable: No such file or directory".into(),
            retry_at: now() + Duration::seconds(8),
            pause: Pause::Backoff,
        };
        update(&mut s, Msg::health(SourceKind::Docker, down));
        s
    });
}

#[test]
fn help_overlay() {
    snap_all("help", |w, h| {
        let mut s = state_with(fleet(), w, h);
        key(&mut s, '?');
        s
    });
}

#[test]
fn overview_and_unconfigured_tabs() {
    snap_all("overview", |w, h| {
        let mut s = state_with(fleet(), w, h);
        key(&mut s, '1');
        s
    });
    snap_all("actions_unconfigured", |w, h| {
        let mut s = state_with(fleet(), w, h);
        key(&mut s, '2');
        s
    });
}

#[test]
fn readonly_is_shown_and_tiny_terminals_do_not_panic() {
    let mut s = state_with(fleet(), 80, 24);
    s.settings.readonly = true;
    let text = render(&mut s, false, 80, 24);
    assert!(text.contains("READONLY"), "{text}");
    // (TestBackend itself cannot be 0x0; the app never draws at 0x0 either.)
    for (w, h) in [(20, 5), (1, 1), (19, 30), (300, 3), (21, 6)] {
        let mut s = state_with(fleet(), w, h);
        render(&mut s, false, w, h);
    }
}

/// On a narrow terminal the columns drop by priority, and the one that names
/// the row stays whole: the container name is the last thing to go.
#[test]
fn a_narrow_terminal_keeps_the_name_column() {
    let (w, h) = (44, 14);
    let mut s = state_with(fleet(), w, h);
    let text = render(&mut s, false, w, h);
    assert!(text.contains("monitoring-grafana-1"), "{text}");
    assert!(!text.contains("IMAGE"), "{text}");
    insta::assert_snapshot!(format!("docker_narrow_{w}x{h}"), text);
}

/// The selected container's log holding a short, timestamped history.
fn with_log(width: u16, height: u16) -> State {
    use opsdeck::core::msg::LogPart;
    use opsdeck::logview::LineSource;
    let mut s = state_with(fleet(), width, height);
    key(&mut s, 'l');
    let stream = s.docker.logs.as_ref().expect("log open").stream;
    let mut text = String::new();
    for i in 0..40 {
        let msg = match i % 7 {
            3 => format!("ERROR payment {i} declined: card_expired"),
            5 => format!("WARN slow query {i}: 1.2s"),
            _ => format!("GET /api/orders/{i} 200 12ms"),
        };
        text.push_str(&format!(
            "2026-11-22T11:{:02}:00.000000000Z {msg}\n",
            i % 60
        ));
    }
    let parts = vec![LogPart::new(LineSource::stdout(), text.into_bytes())];
    update(&mut s, Msg::LogChunk { stream, parts });
    // A frame first, as on a terminal: the view learns its height.
    render(&mut s, false, width, height);
    s
}

#[test]
fn docker_log_paused_shows_its_cursor_line() {
    snap_all("docker_log_paused_cursor", |w, h| {
        let mut s = with_log(w, h);
        // `f` pauses with the cursor on the last line; `k` moves it up.
        key(&mut s, 'f');
        key(&mut s, 'k');
        key(&mut s, 'k');
        s
    });
}

#[test]
fn docker_log_filter_mode_with_context() {
    snap_all("docker_log_filter_context", |w, h| {
        let mut s = with_log(w, h);
        key(&mut s, '&');
        for c in "-C 1 error".chars() {
            key(&mut s, c);
        }
        update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        );
        s
    });
    snap_all("docker_log_filter_inverse", |w, h| {
        let mut s = with_log(w, h);
        key(&mut s, '&');
        for c in "!GET".chars() {
            key(&mut s, c);
        }
        s
    });
}

#[test]
fn help_in_a_container_log_offers_the_containers_keys_it_takes() {
    snap_all("docker_log_help", |w, h| {
        let mut s = with_log(w, h);
        key(&mut s, '?');
        s
    });
    // `p` is the previous container's log in a log view, so the Docker
    // section must not offer it as pause; `q` there closes the log.
    let mut s = with_log(80, 24);
    key(&mut s, '?');
    let text = render(&mut s, false, 80, 24);
    assert!(!text.contains(" p             pause"), "{text}");
    assert!(text.contains("close the log"), "{text}");
}

/// Issue 10: at 40x10 the Docker names were gone. At every size the names
/// stay (a long one cut in the middle, its tail kept) and at 200 columns
/// NAME is as wide as the longest name, not wider.
#[test]
fn container_names_survive_every_size_and_columns_fit_their_content() {
    let long = "payments-reconciliation-nightly-worker-17";
    for (w, h) in [(40, 10), (60, 20), (80, 24), (120, 36), (200, 50)] {
        let mut fleet = fleet();
        fleet.insert(
            0,
            container("a0", long, Some("payments"), ContainerState::Running),
        );
        let mut s = state_with(fleet, w, h);
        let text = render(&mut s, false, w, h);
        assert!(
            text.contains("-17"),
            "{w}x{h}: the long name's tail:\n{text}"
        );
        assert!(text.contains("monitoring-grafana-1"), "{w}x{h}:\n{text}");
        if w < 60 {
            assert!(text.contains("…-17"), "{w}x{h}: cut in the middle:\n{text}");
        }
        if w >= 80 {
            let header = text.lines().find(|l| l.contains("STATE")).expect("header");
            let gap = header.find("STATE").unwrap() - header.find("NAME").unwrap();
            assert_eq!(
                gap,
                long.len() + 1,
                "{w}x{h}: NAME as wide as the longest name"
            );
        }
        insta::assert_snapshot!(format!("docker_sizes_{w}x{h}"), text);
    }
}

/// Issue 10, item 9: toasts were boxes over the bottom of the body, hiding
/// a log's last lines and the frame's key hints, cut to one line. Now they
/// take lines of their own above the status bar, wrap, and count repeats.
#[test]
fn toasts_take_their_own_lines_and_keep_the_advice() {
    use opsdeck::core::toast::ToastLevel;
    let advice = "shop-worker-1 restarted 3 times in 5 minutes: exited (1). \
                  Check its log (l) and the engine's events; restart policy: always";
    for (w, h) in [(80, 24), (60, 20)] {
        let mut s = state_with(fleet(), w, h);
        for _ in 0..3 {
            update(
                &mut s,
                Msg::Notify {
                    level: ToastLevel::Error,
                    text: advice.into(),
                },
            );
        }
        let text = render(&mut s, false, w, h);
        let lines: Vec<&str> = text.lines().collect();
        let n = lines.len();
        assert!(lines[n - 1].contains("? help"), "the status bar:\n{text}");
        // The toast sits right above the status bar, below the list's frame,
        // whose key hints stay whole.
        let frame_bottom = lines.iter().rposition(|l| l.contains("╰")).unwrap();
        assert!(lines[frame_bottom].contains("l logs"), "{text}");
        assert!(
            lines[frame_bottom + 1].contains("✖ shop-worker-1 restarted"),
            "{text}"
        );
        assert!(text.contains("always ×3"), "all of it, counted:\n{text}");
        assert!(text.contains("z hide"), "how to hide it:\n{text}");
        insta::assert_snapshot!(format!("toasts_{w}x{h}"), text);
        // `z` hides it and the list has its lines back.
        key(&mut s, 'z');
        let text = render(&mut s, false, w, h);
        assert!(!text.contains("restarted 3 times"), "{text}");
    }
    // Small screens with a long toast: no panic, the status bar stays last.
    for (w, h) in [(20, 5), (21, 6), (30, 7), (40, 10), (25, 12)] {
        let mut s = state_with(fleet(), w, h);
        update(
            &mut s,
            Msg::Notify {
                level: ToastLevel::Info,
                text: advice.into(),
            },
        );
        let text = render(&mut s, true, w, h);
        let last = text.lines().last().unwrap_or_default();
        assert!(last.contains("help") || h < 6, "{w}x{h}:\n{text}");
    }
}
