use crate::core::action::Action;
use crate::core::docker::{Container, ContainerOp, ContainerState};
use crate::core::docker_compose::{ProjectMember, ProjectRow};
use crate::core::docker_inspect::InspectKind;
use crate::core::docker_objects::{ObjectKind, ObjectList};
use crate::core::effect::{DockerCommand, Effect};
use crate::core::key::KeyEvent;
use crate::core::keymap::KeyMap;
use crate::core::msg::{DockerEvent, Msg};
use crate::core::state::{Settings, State, Tab};

use super::super::update;

fn member(service: &str, state: ContainerState, deps: &[&str]) -> ProjectMember {
    ProjectMember {
        id: format!("id-{service}"),
        name: format!("shop-{service}-1"),
        service: service.into(),
        state,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    }
}

fn action(s: &mut State, a: Action) -> Vec<Effect> {
    update(s, Msg::Action(a))
}

/// `:projects` open with `shop` (db <- api <- web, all running).
fn projects_open(readonly: bool) -> State {
    let settings = Settings {
        readonly,
        ..Settings::default()
    };
    let mut s = State::new(settings, KeyMap::default());
    s.tab = Tab::Docker;
    let web = Container::fixture("id-web", "shop-web-1", ContainerState::Running);
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(vec![web])));
    super::super::docker_objects::open(&mut s, ObjectKind::Projects);
    use ContainerState::Running;
    let shop = ProjectRow::new(
        "shop".into(),
        vec![
            member("web", Running, &["api"]),
            member("db", Running, &[]),
            member("api", Running, &["db"]),
        ],
    );
    update(
        &mut s,
        Msg::Docker(DockerEvent::Objects(ObjectList::Projects(vec![shop]))),
    );
    s
}

#[test]
fn stop_asks_once_naming_the_project_and_stops_dependents_first() {
    let mut s = projects_open(false);
    assert!(action(&mut s, Action::Stop).is_empty(), "nothing before y");
    let dialog = s.confirm.clone().expect("one dialog");
    assert!(
        dialog.target.starts_with("shop: 3 of 3 containers"),
        "{}",
        dialog.target
    );
    assert!(dialog.destructive);
    let effects = update(&mut s, Msg::Key(KeyEvent::char('y')));
    let steps = match effects.as_slice() {
        [Effect::Docker(DockerCommand::ProjectAction { steps, .. })] => steps.clone(),
        other => panic!("expected one project action, got {other:?}"),
    };
    let order: Vec<(ContainerOp, &str)> = steps.iter().map(|s| (s.op, s.name.as_str())).collect();
    assert_eq!(
        order,
        [
            (ContainerOp::Stop, "shop-web-1"),
            (ContainerOp::Stop, "shop-api-1"),
            (ContainerOp::Stop, "shop-db-1")
        ]
    );
}

#[test]
fn readonly_refuses_every_project_action_and_journals_it() {
    let mut s = projects_open(true);
    for a in [Action::Start, Action::Stop, Action::Restart, Action::Remove] {
        let effects = action(&mut s, a);
        assert!(s.confirm.is_none(), "{a:?}");
        // Start has nothing to do (all running): a toast, no journal line.
        if a == Action::Start {
            assert!(effects.is_empty());
            continue;
        }
        assert!(
            matches!(effects.as_slice(), [Effect::AppendJournal(e)] if e.result.is_err()),
            "{a:?}: {effects:?}"
        );
    }
}

#[test]
fn l_merges_the_project_logs_tagged_by_service_and_i_inspects_a_container() {
    let mut s = projects_open(false);
    let effects = action(&mut s, Action::Logs);
    let members = effects.iter().find_map(|e| match e {
        Effect::Docker(DockerCommand::OpenMergedLogs { members, .. }) => Some(members.clone()),
        _ => None,
    });
    let members = members.expect("merged logs asked for");
    assert!(members.contains(&("id-api".to_string(), "api".to_string())));
    assert_eq!(members.len(), 3);
    let title = s.docker.logs.as_ref().map(|l| l.title.clone());
    assert_eq!(
        title.as_deref(),
        Some("compose project shop (all services)")
    );
    // The project keys act on the project from its log too.
    action(&mut s, Action::Restart);
    assert!(
        s.confirm
            .as_ref()
            .is_some_and(|c| c.target.starts_with("shop:"))
    );
    update(&mut s, Msg::Key(KeyEvent::char('n')));
    action(&mut s, Action::Back);
    action(&mut s, Action::Back);
    assert!(s.docker.objects.is_none() && s.docker.logs.is_none());

    // `i` on the containers list.
    let effects = action(&mut s, Action::Inspect);
    assert!(
        effects.iter().any(|e| matches!(e,
            Effect::Docker(DockerCommand::Inspect { kind: InspectKind::Container, reference, .. })
                if reference == "id-web")),
        "{effects:?}"
    );
    let log = s.docker.logs.as_ref().expect("the inspect view");
    assert_eq!(log.title, "inspect container shop-web-1");
    assert!(log.opens_at_top);
}
