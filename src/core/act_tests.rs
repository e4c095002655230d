//! Every action of every source goes through the one action path: asked
//! from its key, confirmed, sent with a ticket, and its result toasted and
//! journaled with time, source, where, target, action and result.

use chrono::{TimeZone, Utc};

use crate::core::act::Ticket;
use crate::core::docker::{Container, ContainerState};
use crate::core::effect::Effect;
use crate::core::github::{Conclusion, Job, Run, Status};
use crate::core::journal::JournalEntry;
use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::core::keymap::KeyMap;
use crate::core::kube::{ContextInfo, OwnerRef, PodRow};
use crate::core::kube_msg::KubeEvent;
use crate::core::msg::{DockerEvent, GitHubEvent, Msg};
use crate::core::state::{Settings, State, Tab};
use crate::core::update::update;

fn clock() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 3, 0, 0)
        .single()
        .unwrap_or_default()
}

fn press(s: &mut State, key: KeyEvent) -> Vec<Effect> {
    update(s, Msg::Key(key))
}

fn typed(s: &mut State, text: &str) {
    for c in text.chars() {
        press(s, KeyEvent::char(c));
    }
}

/// Confirms the open dialog the way its risk demands, and returns the
/// ticket of the command it released.
fn confirm(s: &mut State) -> Ticket {
    let dialog = s.confirm.clone().expect("a confirmation dialog");
    let effects = if let Some(name) = dialog.required.clone() {
        typed(s, &name);
        press(s, KeyEvent::plain(KeyCode::Enter))
    } else {
        press(s, KeyEvent::char('y'))
    };
    assert!(s.confirm.is_none(), "the dialog closes on yes");
    match effects.as_slice() {
        [Effect::Docker(crate::core::effect::DockerCommand::Lifecycle { ticket, .. })]
        | [Effect::GitHub(crate::core::effect::GitHubCommand::Op { ticket, .. })]
        | [Effect::Kube(crate::core::kube_msg::KubeCommand::Op { ticket, .. })] => ticket.clone(),
        other => panic!("expected one source command, got {other:?}"),
    }
}

/// Feeds the source's answer back and returns the one journal entry.
fn answer(s: &mut State, ticket: Ticket, result: Result<(), String>) -> JournalEntry {
    let effects = update(s, Msg::ActionDone { ticket, result });
    match effects.as_slice() {
        [Effect::AppendJournal(entry)] => entry.clone(),
        other => panic!("expected one journal line, got {other:?}"),
    }
}

fn state() -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.clock = clock();
    s
}

fn container(id: &str, name: &str, state: ContainerState) -> Container {
    Container::fixture(id, name, state)
}

fn run(id: u64, status: Status, conclusion: Option<Conclusion>) -> Run {
    let created = clock() - chrono::Duration::minutes(id as i64);
    Run::fixture("acme/web", id, status, conclusion, created)
}

fn pod(name: &str) -> PodRow {
    PodRow {
        owner: Some(OwnerRef {
            kind: "ReplicaSet".into(),
            name: "web-5d9".into(),
        }),
        ..PodRow::fixture("prod-eu", "shop", name, clock())
    }
}

fn check(entry: &JournalEntry, source: &str, location: &str, target: &str, action: &str) {
    assert_eq!(entry.time, clock(), "{entry:?}");
    assert_eq!(entry.source, source, "{entry:?}");
    assert_eq!(entry.location, location, "{entry:?}");
    assert_eq!(entry.target, target, "{entry:?}");
    assert_eq!(entry.action, action, "{entry:?}");
    let line = entry.line();
    for field in [source, location, target, action] {
        assert!(line.contains(field), "{field} missing from {line}");
    }
}

#[test]
fn every_docker_action_is_journaled() {
    let mut s = state();
    s.tab = Tab::Docker;
    update(
        &mut s,
        Msg::health(
            crate::core::source::SourceKind::Docker,
            crate::core::source::SourceHealth::Connected {
                target: "unix:///run/docker.sock".into(),
                last_update: clock(),
            },
        ),
    );
    let (running, paused, exited) = ("a1", "b2", "c3");
    update(
        &mut s,
        Msg::Docker(DockerEvent::Snapshot(vec![
            container(running, "api", ContainerState::Running),
            container(paused, "cache", ContainerState::Paused),
            container(exited, "worker", ContainerState::Exited),
        ])),
    );
    let cases = [
        ("api", 'x', "stop"),
        ("api", 'r', "restart"),
        ("api", 'p', "pause"),
        ("cache", 'p', "unpause"),
        ("api", 'K', "kill"),
        ("worker", 'S', "start"),
        ("worker", 'D', "remove"),
    ];
    for (name, key, verb) in cases {
        let id = s
            .docker
            .containers
            .data()
            .and_then(|m| m.values().find(|c| c.name == name))
            .map(|c| c.id.clone())
            .expect("container listed");
        assert!(s.docker.list.select(&id));
        press(&mut s, KeyEvent::char(key));
        let ticket = confirm(&mut s);
        let entry = answer(&mut s, ticket, Err("engine said no".into()));
        check(
            &entry,
            "docker",
            "unix:///run/docker.sock",
            &format!("container {name}"),
            verb,
        );
        assert!(entry.line().contains("FAILED: engine said no"));
    }
}

#[test]
fn every_github_action_is_journaled() {
    let mut s = state();
    s.tab = Tab::Actions;
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Runs {
            repo: "acme/web".into(),
            runs: vec![
                run(2, Status::InProgress, None),
                run(3, Status::Completed, Some(Conclusion::Failure)),
            ],
        }),
    );
    let select = |s: &mut State, id: u64| {
        let key = s.github.list.order().iter().find(|k| k.1 == id).cloned();
        assert!(s.github.list.select(&key.expect("run listed")));
    };
    select(&mut s, 3);
    let mut entries = Vec::new();
    for key in ['R', 'F'] {
        press(&mut s, KeyEvent::char(key));
        let ticket = confirm(&mut s);
        entries.push(answer(&mut s, ticket, Ok(())));
    }
    // One job, from the opened run.
    press(&mut s, KeyEvent::plain(KeyCode::Enter));
    let request = s.github.detail.as_ref().map(|d| d.request).unwrap_or(0);
    let job = Job {
        id: 31,
        run_id: 3,
        attempt: 1,
        name: "test".into(),
        status: Status::Completed,
        conclusion: Some(Conclusion::Failure),
        started_at: None,
        completed_at: None,
        html_url: String::new(),
        steps: Vec::new(),
    };
    update(
        &mut s,
        Msg::GitHub(GitHubEvent::Jobs {
            request,
            result: Ok(vec![job]),
        }),
    );
    press(&mut s, KeyEvent::char('r'));
    let ticket = confirm(&mut s);
    entries.push(answer(&mut s, ticket, Ok(())));
    press(&mut s, KeyEvent::plain(KeyCode::Esc));
    select(&mut s, 2);
    press(&mut s, KeyEvent::char('C'));
    let ticket = confirm(&mut s);
    entries.push(answer(&mut s, ticket, Ok(())));
    press(&mut s, KeyEvent::char('W'));
    let read = press(&mut s, KeyEvent::plain(KeyCode::Enter));
    // The workflow file is read first; this one has no inputs.
    let [
        Effect::GitHub(crate::core::effect::GitHubCommand::ReadDispatchInputs {
            repo,
            workflow_id,
            ..
        }),
    ] = read.as_slice()
    else {
        panic!("expected the inputs read, got {read:?}");
    };
    let inputs = GitHubEvent::DispatchInputs {
        repo: repo.clone(),
        workflow_id: *workflow_id,
        result: Ok((".github/workflows/ci.yml".into(), Some(Vec::new()))),
    };
    update(&mut s, Msg::GitHub(inputs));
    let ticket = confirm(&mut s);
    entries.push(answer(&mut s, ticket, Ok(())));

    let expected = [
        ("run acme/web CI #3", "re-run all jobs of"),
        ("run acme/web CI #3", "re-run failed jobs of"),
        ("test of acme/web CI #3", "re-run job"),
        ("run acme/web CI #2", "cancel"),
        ("workflow CI on acme/web@main", "dispatch"),
    ];
    assert_eq!(entries.len(), expected.len());
    for (entry, (target, action)) in entries.iter().zip(expected) {
        check(entry, "github", "acme/web", target, action);
        assert!(entry.line().ends_with("  ok\n"), "{}", entry.line());
    }
}

#[test]
fn every_kubernetes_action_is_journaled_and_danger_contexts_need_their_name() {
    let mut s = state();
    s.tab = Tab::Kubernetes;
    let info = ContextInfo {
        name: "prod-eu".into(),
        namespace: "shop".into(),
        danger: true,
    };
    update(
        &mut s,
        Msg::Kube(KubeEvent::Contexts {
            known: vec!["prod-eu".into()],
            watching: vec![info],
        }),
    );
    update(
        &mut s,
        Msg::Kube(KubeEvent::Snapshot {
            context: "prod-eu".into(),
            pods: vec![pod("web-5d9-a"), pod("web-5d9-b")],
        }),
    );
    update(
        &mut s,
        Msg::Kube(KubeEvent::ReplicaSets {
            context: "prod-eu".into(),
            full: true,
            sets: vec![(
                "shop".into(),
                "web-5d9".into(),
                Some(OwnerRef {
                    kind: "Deployment".into(),
                    name: "web".into(),
                }),
            )],
            deleted: Vec::new(),
        }),
    );
    let ctrl = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL);
    let mut entries = Vec::new();
    for key in [ctrl('d'), ctrl('r')] {
        press(&mut s, key);
        assert_eq!(
            s.confirm.as_ref().and_then(|c| c.required.clone()),
            Some("prod-eu".to_string())
        );
        let ticket = confirm(&mut s);
        entries.push(answer(&mut s, ticket, Ok(())));
    }
    press(&mut s, KeyEvent::char('+'));
    for _ in 0..3 {
        press(&mut s, KeyEvent::plain(KeyCode::Backspace));
    }
    typed(&mut s, "4");
    press(&mut s, KeyEvent::plain(KeyCode::Enter));
    let ticket = confirm(&mut s);
    entries.push(answer(&mut s, ticket, Ok(())));

    let selected = s.kube.list.selected().map(|k| k.name.to_string());
    let expected = [
        (format!("pod {}", selected.unwrap_or_default()), "delete"),
        ("deployment web".to_string(), "rollout restart"),
        ("deployment web to 4".to_string(), "scale"),
    ];
    for (entry, (target, action)) in entries.iter().zip(expected) {
        check(entry, "kubernetes", "prod-eu/shop", &target, action);
    }
}

#[test]
fn readonly_refusals_and_the_palette_switch_are_journaled() {
    let mut s = state();
    s.tab = Tab::Docker;
    update(
        &mut s,
        Msg::Docker(DockerEvent::Snapshot(vec![container(
            "a1",
            "api",
            ContainerState::Running,
        )])),
    );
    // `:` then "read" picks the read-only switch.
    press(&mut s, KeyEvent::char(':'));
    typed(&mut s, "readonly");
    let effects = press(&mut s, KeyEvent::plain(KeyCode::Enter));
    let [Effect::AppendJournal(entry)] = effects.as_slice() else {
        panic!("expected a journal line, got {effects:?}");
    };
    check(entry, "opsdeck", "opsdeck", "read-only mode", "turn on");
    assert!(s.settings.readonly);

    let effects = press(&mut s, KeyEvent::char('K'));
    assert!(s.confirm.is_none(), "no dialog under read-only");
    let [Effect::AppendJournal(entry)] = effects.as_slice() else {
        panic!("expected a journal line, got {effects:?}");
    };
    assert_eq!(entry.target, "container api");
    assert!(entry.line().contains("refused"), "{}", entry.line());
}
