use crate::core::action::Action;
use crate::core::docker::{Container, ContainerState};
use crate::core::docker_objects::{ImageRow, ObjectKind, ObjectList, ObjectOp, VolumeRow};
use crate::core::effect::{DockerCommand, Effect};
use crate::core::key::KeyEvent;
use crate::core::keymap::KeyMap;
use crate::core::msg::{DockerEvent, Msg};
use crate::core::state::{Settings, State, Tab};
use crate::core::ticket::Ticket;
use crate::core::toast::ToastLevel;

use super::super::update;

fn image(id: &str, tags: &[&str], size: u64, users: &[&str]) -> ImageRow {
    ImageRow {
        engine: String::new(),
        id: format!("sha256:{id}"),
        tag: tags.first().map(|t| t.to_string()),
        tag_count: tags.len(),
        size,
        created: None,
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        out.extend(update(s, Msg::Key(KeyEvent::char(c))));
    }
    out
}

fn action(s: &mut State, a: Action) -> Vec<Effect> {
    update(s, Msg::Action(a))
}

/// The Docker tab with one running container, `:images` open and loaded.
fn images_open(readonly: bool) -> State {
    let settings = Settings {
        readonly,
        ..Settings::default()
    };
    let mut s = State::new(settings, KeyMap::default());
    s.tab = Tab::Docker;
    let web = Container::fixture("c1", "web", ContainerState::Running);
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(vec![web])));
    let shown = update(
        &mut s,
        Msg::ListRows {
            list: crate::core::list::ListId::Containers,
            rows: 10,
        },
    );
    assert!(shown.contains(&Effect::Docker(DockerCommand::WatchStats {
        ids: vec!["c1".into()]
    })));
    let effects = super::open(&mut s, ObjectKind::Images);
    assert!(
        effects.contains(&Effect::Docker(DockerCommand::WatchObjects {
            kind: Some(ObjectKind::Images)
        }))
    );
    // Stats stop while the containers are hidden.
    assert!(effects.contains(&Effect::Docker(DockerCommand::WatchStats { ids: vec![] })));
    update(
        &mut s,
        Msg::Docker(DockerEvent::Objects(ObjectList::Images(vec![
            image("aaaaaaaaaaaaaaaa", &["busybox:latest"], 4_000_000, &["web"]),
            image("bbbbbbbbbbbbbbbb", &[], 2 * 1024 * 1024, &[]),
            image("cccccccccccccccc", &[], 1024 * 1024, &[]),
        ]))),
    );
    s
}

fn released_op(s: &mut State) -> (Ticket, ObjectOp) {
    let effects = typed(s, "y");
    match effects.as_slice() {
        [Effect::Docker(DockerCommand::ObjectOp { ticket, op })] => (ticket.clone(), op.clone()),
        other => panic!("expected one object op, got {other:?}"),
    }
}

#[test]
fn remove_names_the_image_needs_y_and_sends_its_tag() {
    let mut s = images_open(false);
    // Name order: the two dangling ones (`<none>`), then busybox:latest.
    typed(&mut s, "G");
    action(&mut s, Action::Open);
    let said = s.toasts.visible().last().map(|t| t.text.clone());
    assert_eq!(said.as_deref(), Some("busybox:latest is used by web"));
    assert!(typed(&mut s, "D").is_empty(), "nothing is sent before y");
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.title, "Remove image");
    assert!(
        dialog.target.contains("busybox:latest"),
        "{}",
        dialog.target
    );
    assert!(dialog.target.contains("used by web"), "{}", dialog.target);
    // Enter and other keys never confirm.
    assert!(
        update(
            &mut s,
            Msg::Key(KeyEvent::new(
                crate::core::key::KeyCode::Enter,
                Default::default()
            ))
        )
        .is_empty()
    );
    let (ticket, op) = released_op(&mut s);
    assert_eq!(
        op,
        ObjectOp::Remove {
            kind: ObjectKind::Images,
            reference: "busybox:latest".into()
        }
    );
    assert_eq!(ticket.describe(), "remove image busybox:latest");
    // The engine refuses an image in use; its words reach the toast.
    let refused = "conflict: unable to remove repository reference \"busybox:latest\" (must force)";
    let effects = update(
        &mut s,
        Msg::ActionReported {
            ticket,
            result: Err(refused.into()),
        },
    );
    assert!(matches!(effects.as_slice(), [Effect::AppendJournal(e)] if e.result.is_err()));
    let toast = s.toasts.visible().last().expect("a toast");
    assert_eq!(toast.level, ToastLevel::Error);
    assert!(toast.text.contains("must force"), "{}", toast.text);
}

#[test]
fn prune_says_beforehand_what_goes_and_afterwards_what_came_back() {
    let mut s = images_open(false);
    action(&mut s, Action::Prune);
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.title, "Prune images");
    assert!(
        dialog
            .target
            .starts_with("2 dangling images (3.0MiB): bbbbbbbbbbbb, cccccccccccc"),
        "{}",
        dialog.target
    );
    let (ticket, op) = released_op(&mut s);
    assert_eq!(
        op,
        ObjectOp::Prune {
            kind: ObjectKind::Images,
            engine: String::new(),
            only_label: None
        }
    );
    let effects = update(
        &mut s,
        Msg::ActionReported {
            ticket,
            result: Ok("2 images removed, 3.0MiB reclaimed".into()),
        },
    );
    assert!(
        matches!(effects.as_slice(), [Effect::AppendJournal(e)] if e.result.is_ok() && e.action == "prune")
    );
    let toast = s.toasts.visible().last().expect("a toast");
    assert_eq!(
        toast.text,
        "prune dangling images: done, 2 images removed, 3.0MiB reclaimed"
    );
}

#[test]
fn readonly_refuses_remove_and_prune_without_a_dialog_and_journals_it() {
    let mut s = images_open(true);
    for a in [Action::Remove, Action::Prune] {
        let effects = action(&mut s, a);
        assert!(s.confirm.is_none());
        assert!(
            matches!(effects.as_slice(), [Effect::AppendJournal(e)] if e.result.is_err()),
            "{effects:?}"
        );
    }
}

#[test]
fn container_keys_do_nothing_in_the_view_and_esc_goes_back_to_containers() {
    let mut s = images_open(false);
    for a in [
        Action::Stop,
        Action::Kill,
        Action::Restart,
        Action::Logs,
        Action::Start,
    ] {
        assert!(action(&mut s, a).is_empty(), "{a:?} acted behind the view");
        assert!(s.confirm.is_none());
    }
    // `/` filters the view; the first Esc clears it, the second closes.
    action(&mut s, Action::Filter);
    typed(&mut s, "busy");
    update(
        &mut s,
        Msg::Key(KeyEvent::new(
            crate::core::key::KeyCode::Enter,
            Default::default(),
        )),
    );
    assert_eq!(s.docker.objects.as_ref().map(|v| v.filter()), Some("busy"));
    assert!(
        s.docker.list.filter().is_empty(),
        "the containers' filter is untouched"
    );
    action(&mut s, Action::Back);
    assert!(s.docker.objects.is_some());
    let effects = action(&mut s, Action::Back);
    assert!(s.docker.objects.is_none());
    assert!(effects.contains(&Effect::Docker(DockerCommand::WatchObjects { kind: None })));
    // Stats come back for the container on screen.
    assert!(effects.contains(&Effect::Docker(DockerCommand::WatchStats {
        ids: vec!["c1".into()]
    })));
}

#[test]
fn volumes_from_the_palette_and_a_stale_answer_is_ignored() {
    let mut s = images_open(false);
    action(&mut s, Action::Palette);
    typed(&mut s, "volumes");
    let effects = update(
        &mut s,
        Msg::Key(KeyEvent::new(
            crate::core::key::KeyCode::Enter,
            Default::default(),
        )),
    );
    assert!(
        effects.contains(&Effect::Docker(DockerCommand::WatchObjects {
            kind: Some(ObjectKind::Volumes)
        }))
    );
    // An images list still in flight does not land in the volumes view.
    update(
        &mut s,
        Msg::Docker(DockerEvent::Objects(ObjectList::Images(vec![]))),
    );
    let vol = |name: &str, users: &[&str]| VolumeRow {
        engine: String::new(),
        name: name.into(),
        driver: "local".into(),
        mountpoint: format!("/var/lib/docker/volumes/{name}/_data"),
        users: users.iter().map(|u| u.to_string()).collect(),
        size: None,
    };
    update(
        &mut s,
        Msg::Docker(DockerEvent::Objects(ObjectList::Volumes(vec![
            vol("pgdata", &["db"]),
            vol("cache", &[]),
        ]))),
    );
    action(&mut s, Action::Prune);
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.target, "1 unused volumes: cache");
    let (_, op) = released_op(&mut s);
    assert_eq!(
        op,
        ObjectOp::Prune {
            kind: ObjectKind::Volumes,
            engine: String::new(),
            only_label: None
        }
    );
}

/// Two engines (`[docker] hosts`), `:images` open, each engine's list in.
fn two_engines_images() -> State {
    use crate::core::source::SourceHealth;
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.tab = Tab::Docker;
    for (name, host) in [("a", "unix:///a.sock"), ("b", "tcp://b:2375")] {
        let health = SourceHealth::Connected {
            target: host.into(),
            last_update: s.clock,
        };
        s.docker.engines.insert(name.into(), health);
    }
    update(
        &mut s,
        Msg::Docker(DockerEvent::EngineSnapshot {
            engine: "a".into(),
            containers: vec![],
        }),
    );
    super::open(&mut s, ObjectKind::Images);
    let on = |engine: &str, row: ImageRow| ImageRow {
        engine: engine.into(),
        ..row
    };
    let lists = [
        ("a", vec![on("a", image("a1", &[], 1024, &[]))]),
        (
            "b",
            vec![
                on("b", image("b1", &["busybox:latest"], 4096, &[])),
                on("b", image("b2", &[], 2048, &[])),
            ],
        ),
    ];
    for (engine, rows) in lists {
        let list = ObjectList::Images(rows);
        let engine = engine.to_string();
        update(
            &mut s,
            Msg::Docker(DockerEvent::EngineObjects { engine, list }),
        );
    }
    s
}

#[test]
fn with_two_engines_remove_and_prune_go_to_the_selected_rows_engine() {
    let mut s = two_engines_images();
    // Name order: a's dangling, b's dangling, b's busybox.
    typed(&mut s, "G");
    typed(&mut s, "D");
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.title, "Remove image on engine b");
    let (ticket, op) = released_op(&mut s);
    assert_eq!(
        op,
        ObjectOp::Remove {
            kind: ObjectKind::Images,
            reference: "b/busybox:latest".into()
        }
    );
    assert_eq!(ticket.location, "b (tcp://b:2375)");
    assert_eq!(ticket.describe(), "remove image busybox:latest on engine b");

    // Prune on b lists b's dangling image only, never a's.
    action(&mut s, Action::Prune);
    let dialog = s.confirm.clone().expect("a dialog");
    assert_eq!(dialog.title, "Prune images on engine b");
    assert!(
        dialog.target.starts_with("1 dangling images (2.0KiB): b2"),
        "{}",
        dialog.target
    );
    let (_, op) = released_op(&mut s);
    assert_eq!(
        op,
        ObjectOp::Prune {
            kind: ObjectKind::Images,
            engine: "b".into(),
            only_label: None
        }
    );

    // A failure on a is said for a; b's rows stay.
    update(
        &mut s,
        Msg::Docker(DockerEvent::ObjectsFailed {
            engine: "a".into(),
            kind: ObjectKind::Images,
            error: "the Docker engine at unix:///a.sock is unreachable".into(),
        }),
    );
    let Some(crate::core::docker_objects::ObjectView::Images(t)) = &s.docker.objects else {
        panic!("the images view");
    };
    assert_eq!(t.rows.len(), 3);
    assert_eq!(
        t.error_text().as_deref(),
        Some("a: the Docker engine at unix:///a.sock is unreachable")
    );
}
