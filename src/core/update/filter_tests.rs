//! `/` and `s` on every list, the selection after a filter, and the
//! palette's Enter, driven through `update` as keys.

use crate::core::docker::{Container, ContainerState};
use crate::core::effect::{DockerCommand, Effect};
use crate::core::key::{KeyCode, KeyEvent};
use crate::core::keymap::KeyMap;
use crate::core::list::ListId;
use crate::core::msg::{DockerEvent, Msg};
use crate::core::state::{Settings, State, Tab};

use super::update;

fn container(id: &str, name: &str, image: &str, state: ContainerState) -> Container {
    Container {
        project: Some("fuzz".into()),
        image: image.into(),
        exit_code: (state == ContainerState::Exited).then_some(1),
        ..Container::fixture(id, name, state)
    }
}

fn state_with(tab: Tab, containers: Vec<Container>) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    s.tab = tab;
    for list in [ListId::Containers, ListId::Overview] {
        update(&mut s, Msg::ListRows { list, rows: 20 });
    }
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(containers)));
    update(&mut s, Msg::BatchDone);
    s
}

fn typed(s: &mut State, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(update(s, Msg::Key(KeyEvent::char(c))));
    }
    effects
}

fn press(s: &mut State, code: KeyCode) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::plain(code)))
}

fn opened_logs(effects: &[Effect]) -> Option<&str> {
    effects.iter().find_map(|e| match e {
        Effect::Docker(DockerCommand::OpenLogs { container_id, .. }) => Some(container_id.as_str()),
        _ => None,
    })
}

#[test]
fn docker_filter_then_enter_then_l_opens_the_matching_container() {
    // fz-c1's image has `long` in it: a fuzzy match over all columns kept
    // it, selected, so `l` opened fz-c1's logs instead of fz-long's.
    let mut s = state_with(
        Tab::Docker,
        vec![
            container(
                "c1",
                "fz-c1",
                "ghcr.io/acme/longrun:1",
                ContainerState::Running,
            ),
            container("c2", "fz-long", "busybox", ContainerState::Running),
        ],
    );
    assert_eq!(s.docker.list.selected().map(String::as_str), Some("c1"));
    typed(&mut s, "/fz-long");
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.docker.list.order(), ["c2"]);
    assert_eq!(opened_logs(&typed(&mut s, "l")), Some("c2"));
}

#[test]
fn overview_slash_filters_and_the_letters_typed_are_not_commands() {
    let mut s = state_with(
        Tab::Overview,
        vec![
            container("c1", "web-1", "busybox", ContainerState::Exited),
            container("c2", "mlflow", "busybox", ContainerState::Exited),
            container("c3", "worker", "busybox", ContainerState::Exited),
        ],
    );
    assert_eq!(s.overview.len(), 3);
    // `l` would open a log and `e` write a bundle if they were commands.
    let effects = typed(&mut s, "/ml");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(s.tab, Tab::Overview);
    assert_eq!(s.overview.filter(), "ml");
    assert_eq!(s.overview.order(), ["docker:c2"]);
    assert!(typed(&mut s, "e").is_empty());
    assert_eq!(s.overview.filter(), "mle");
    press(&mut s, KeyCode::Backspace);
    press(&mut s, KeyCode::Enter);
    assert_eq!(s.overview.selected().map(String::as_str), Some("docker:c2"));
    // Field filters and negation work here too.
    press(&mut s, KeyCode::Esc);
    assert!(s.overview.filter().is_empty());
    typed(&mut s, "/source:docker !web !work");
    assert_eq!(s.overview.order(), ["docker:c2"]);
    press(&mut s, KeyCode::Esc);
    assert_eq!(s.overview.len(), 3);
}

#[test]
fn overview_s_sorts() {
    let mut s = state_with(
        Tab::Overview,
        vec![
            container("c1", "b-web", "busybox", ContainerState::Exited),
            container("c2", "a-api", "busybox", ContainerState::Exited),
        ],
    );
    assert_eq!(s.overview.sort_label(), "newest");
    typed(&mut s, "s");
    assert_eq!(s.overview.sort_label(), "source");
    typed(&mut s, "s");
    assert_eq!(s.overview.sort_label(), "what");
    assert_eq!(s.overview.order(), ["docker:c2", "docker:c1"]);
}

#[test]
fn palette_enter_on_an_empty_query_does_not_quit() {
    let mut s = state_with(Tab::Overview, Vec::new());
    typed(&mut s, ":");
    press(&mut s, KeyCode::Enter);
    assert!(!s.quit);
    assert!(s.palette.is_none());
    // Nor when the selection is moved onto the `q` entry by arrows.
    typed(&mut s, ":");
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Enter);
    assert!(!s.quit);
    // Typed, it quits.
    for query in ["q", "quit"] {
        let mut s = state_with(Tab::Overview, Vec::new());
        typed(&mut s, ":");
        typed(&mut s, query);
        press(&mut s, KeyCode::Enter);
        assert!(s.quit, "{query}");
    }
}

#[test]
fn actions_failure_finds_failed_runs_not_green_ones_with_scattered_letters() {
    use crate::core::github::{Conclusion, Run, Status};
    use crate::core::msg::GitHubEvent;
    let run = |id: u64, title: &str, conclusion: Conclusion| Run {
        repo: "acme/shop-api".into(),
        id,
        number: id,
        attempt: 1,
        workflow: "CI".into(),
        workflow_id: 7,
        branch: "main".into(),
        event: "push".into(),
        actor: "lucia".into(),
        title: title.into(),
        status: Status::Completed,
        conclusion: Some(conclusion),
        head_sha: "abc1234".into(),
        created_at: chrono::DateTime::UNIX_EPOCH + chrono::Duration::minutes(id as i64),
        updated_at: chrono::DateTime::UNIX_EPOCH + chrono::Duration::minutes(id as i64),
        started_at: None,
        html_url: String::new(),
    };
    let mut s = state_with(Tab::Actions, Vec::new());
    let runs = vec![
        run(1, "fail fast in ui release", Conclusion::Success),
        run(2, "bump deps", Conclusion::Failure),
        run(3, "docs", Conclusion::Success),
    ];
    let repo = "acme/shop-api".to_string();
    update(&mut s, Msg::GitHub(GitHubEvent::Runs { repo, runs }));
    let shown = |s: &State| -> Vec<u64> { s.github.list.order().iter().map(|k| k.1).collect() };
    typed(&mut s, "/failure");
    assert_eq!(shown(&s), [2]);
    press(&mut s, KeyCode::Esc);
    typed(&mut s, "/repo:shop-api !status:success");
    assert_eq!(shown(&s), [2]);
    press(&mut s, KeyCode::Esc);
    typed(&mut s, "/status:success fail");
    assert_eq!(shown(&s), [1]);
}

#[test]
fn slash_in_a_pod_detail_filters_the_pods() {
    use crate::core::kube::PodKey;
    use crate::core::kube_msg::KubeCommand;
    use crate::core::kube_pane::PodDetail;
    use crate::core::loadable::Loadable;
    let mut s = state_with(Tab::Kubernetes, Vec::new());
    s.kube.detail = Some(PodDetail {
        key: PodKey::new("kind", "shop", "web-1"),
        request: 9,
        events: Loadable::NotLoaded,
    });
    let effects = typed(&mut s, "/l");
    assert_eq!(effects, [Effect::Kube(KubeCommand::StopEvents)]);
    assert!(s.kube.detail.is_none());
    assert_eq!(s.kube.list.filter(), "l");
}
