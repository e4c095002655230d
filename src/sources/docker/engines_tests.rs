use super::*;
use crate::core::docker::{Container, ContainerState};

#[test]
fn engines_get_short_unique_names_unless_named() {
    let entries = [
        (None, "unix:///var/run/docker.sock".to_string()),
        (None, "ssh://deploy@build.example:2222".to_string()),
        (None, "tcp://10.0.0.5:2375".to_string()),
        (None, "unix:///run/user/1000/podman/podman.sock".to_string()),
        (None, "ssh://other@build.example".to_string()),
        (Some("docker-2".to_string()), "tcp://x:1".to_string()),
        (None, "unix:///tmp/docker.sock".to_string()),
    ];
    let names: Vec<String> = name_engines(&entries).into_iter().map(|e| e.name).collect();
    assert_eq!(
        names,
        [
            "docker",
            "build.example",
            "10.0.0.5",
            "podman",
            "build.example-2",
            "docker-2",
            "docker-3"
        ]
    );
}

#[test]
fn an_engines_messages_carry_its_name_and_keys() {
    let c = Container::fixture("abc", "web", ContainerState::Running);
    let Msg::Docker(DockerEvent::EngineSnapshot { engine, containers }) =
        stamp("b", Msg::Docker(DockerEvent::Snapshot(vec![c])))
    else {
        panic!("not an engine snapshot");
    };
    assert_eq!(engine, "b");
    assert_eq!(containers[0].key(), "b/abc");
    let Msg::Docker(DockerEvent::Removed { id }) =
        stamp("b", Msg::Docker(DockerEvent::Removed { id: "abc".into() }))
    else {
        panic!("not a removal");
    };
    assert_eq!(id, "b/abc");
}

#[test]
fn commands_go_to_the_engine_their_key_names() {
    let (a, _ra) = mpsc::unbounded_channel();
    let (b, _rb) = mpsc::unbounded_channel();
    let routes: Routes = vec![("a".into(), a), ("b".into(), b)];
    let parts = split(
        &routes,
        DockerCommand::WatchStats {
            ids: vec!["b/1".into(), "b/2".into()],
        },
    );
    assert_eq!(
        parts,
        [
            ("a".to_string(), DockerCommand::WatchStats { ids: vec![] }),
            (
                "b".to_string(),
                DockerCommand::WatchStats {
                    ids: vec!["1".into(), "2".into()]
                }
            ),
        ]
    );
}

#[test]
fn a_project_its_merged_log_and_an_inspect_go_to_their_engine() {
    use crate::core::docker::ContainerOp;
    use crate::core::docker_compose::PlanStep;
    use crate::core::docker_inspect::InspectKind;
    let (a, _ra) = mpsc::unbounded_channel();
    let (b, _rb) = mpsc::unbounded_channel();
    let routes: Routes = vec![("a".into(), a), ("b".into(), b)];
    let step = |id: &str| PlanStep {
        op: ContainerOp::Stop,
        id: id.into(),
        name: format!("shop-{}", split_key(id).1),
    };
    let ticket = crate::core::ticket::Ticket::new(7, None, "b", "project shop", "stop");
    let parts = split(
        &routes,
        DockerCommand::ProjectAction {
            ticket: ticket.clone(),
            steps: vec![step("b/web"), step("b/db")],
        },
    );
    assert_eq!(
        parts,
        [(
            "b".to_string(),
            DockerCommand::ProjectAction {
                ticket,
                steps: vec![step("web"), step("db")],
            }
        )]
    );
    let parts = split(
        &routes,
        DockerCommand::OpenMergedLogs {
            stream: 3,
            members: vec![("b/web".into(), "web".into()), ("a/x".into(), "x".into())],
            tail: 10,
        },
    );
    assert_eq!(
        parts,
        [(
            "b".to_string(),
            DockerCommand::OpenMergedLogs {
                stream: 3,
                members: vec![("web".into(), "web".into())],
                tail: 10,
            }
        )]
    );
    let inspect = |kind, reference: &str| DockerCommand::Inspect {
        stream: 4,
        kind,
        reference: reference.into(),
    };
    assert_eq!(
        split(&routes, inspect(InspectKind::Container, "b/web")),
        [("b".to_string(), inspect(InspectKind::Container, "web"))]
    );
    // An image is inspected on the engine its row came from.
    assert_eq!(
        split(&routes, inspect(InspectKind::Image, "b/sha256:1")),
        [("b".to_string(), inspect(InspectKind::Image, "sha256:1"))]
    );
}

#[test]
fn every_engine_lists_the_view_and_an_object_op_goes_to_its_engine() {
    use crate::core::docker_objects::ObjectKind;
    let (a, _ra) = mpsc::unbounded_channel();
    let (b, _rb) = mpsc::unbounded_channel();
    let routes: Routes = vec![("a".into(), a), ("b".into(), b)];
    let watch = DockerCommand::WatchObjects {
        kind: Some(ObjectKind::Volumes),
    };
    assert_eq!(
        split(&routes, watch.clone()),
        [("a".to_string(), watch.clone()), ("b".to_string(), watch)]
    );
    let ticket = crate::core::ticket::Ticket::new(1, None, "b", "image x", "remove");
    let op = |op| DockerCommand::ObjectOp {
        ticket: ticket.clone(),
        op,
    };
    // A tag holds `/`: only the engine's name is cut off.
    let remove = |reference: &str| ObjectOp::Remove {
        kind: ObjectKind::Images,
        reference: reference.into(),
    };
    assert_eq!(
        split(&routes, op(remove("b/ghcr.io/acme/web:1"))),
        [("b".to_string(), op(remove("ghcr.io/acme/web:1")))]
    );
    let prune = |engine: &str| ObjectOp::Prune {
        kind: ObjectKind::Networks,
        engine: engine.into(),
        only_label: None,
    };
    assert_eq!(
        split(&routes, op(prune("a"))),
        [("a".to_string(), op(prune("")))]
    );
}

#[test]
fn an_engines_lists_carry_its_name_and_project_members_its_keys() {
    use crate::core::docker_compose::{ProjectMember, ProjectRow};
    use crate::core::docker_objects::{ObjectKind, ObjectRow, VolumeRow};
    let volume = VolumeRow {
        engine: String::new(),
        name: "data".into(),
        driver: "local".into(),
        mountpoint: String::new(),
        users: vec![],
        size: None,
    };
    let list = ObjectList::Volumes(vec![volume]);
    let Msg::Docker(DockerEvent::EngineObjects { engine, list }) =
        stamp("b", Msg::Docker(DockerEvent::Objects(list)))
    else {
        panic!("not an engine's list");
    };
    assert_eq!(engine, "b");
    let ObjectList::Volumes(rows) = list else {
        panic!("volumes");
    };
    assert_eq!(rows[0].key(), "b/data");
    let member = ProjectMember {
        id: "abc".into(),
        name: "shop-web-1".into(),
        service: "web".into(),
        state: ContainerState::Running,
        depends_on: vec![],
    };
    let list = ObjectList::Projects(vec![ProjectRow::new("shop".into(), vec![member])]);
    let Msg::Docker(DockerEvent::EngineObjects {
        list: ObjectList::Projects(rows),
        ..
    }) = stamp("b", Msg::Docker(DockerEvent::Objects(list)))
    else {
        panic!("not an engine's projects");
    };
    assert_eq!(
        (rows[0].key(), rows[0].members[0].id.as_str()),
        ("b/shop".to_string(), "b/abc")
    );
    let failed = DockerEvent::ObjectsFailed {
        engine: String::new(),
        kind: ObjectKind::Images,
        error: "down".into(),
    };
    let Msg::Docker(DockerEvent::ObjectsFailed { engine, .. }) = stamp("b", Msg::Docker(failed))
    else {
        panic!("not a failure");
    };
    assert_eq!(engine, "b");
}
