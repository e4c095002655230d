//! The timeline tells the demo's incident on its own, through the real
//! clients: octocrab reads acme/web's deploy run from the GitHub
//! simulator, the kube client and its watchers read shop/storefront's new
//! ReplicaSet and its crash-looping pods from the Kubernetes simulator,
//! bollard reads the Docker simulator's events. Nothing here feeds the
//! timeline by hand: the rows and their links come from what the sources
//! sent, and each link names the fields that matched.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::time::Duration;

use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::key::{KeyCode, KeyEvent};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{KubeScope, NamespaceScope};
use opsdeck::core::msg::Msg;
use opsdeck::core::source::SourceHealth;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::timeline::{Change, Entry};
use opsdeck::core::timeline_link::{Link, LinkKind};
use opsdeck::core::triage::item::Target;
use opsdeck::demo::Demo;
use opsdeck::sources;
use opsdeck::sources::docker::Engine;
use opsdeck::ui::{self, Look, Theme};
use opsdeck_sim::docker::{
    Behaviour, ContainerSpec, DockerSim, LogStyle, Scenario as DockerScenario,
};
use opsdeck_sim::kube::CONTEXT;
use opsdeck_sim::story;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(30);

fn workload() -> String {
    format!("{CONTEXT}/{}/{}", story::NAMESPACE, story::DEPLOYMENT)
}

fn entries(state: &State) -> Vec<Entry> {
    state
        .timeline
        .entries
        .newest_first()
        .map(|(_, e)| e.clone())
        .collect()
}

fn story_run(state: &State) -> Option<Entry> {
    entries(state)
        .into_iter()
        .find(|e| e.change == Change::RunFinished && e.commit.as_deref() == Some(story::COMMIT))
}

fn new_rollout(state: &State) -> Option<Entry> {
    entries(state).into_iter().find(|e| {
        e.change == Change::Rollout
            && e.workload.as_deref() == Some(workload().as_str())
            && e.what.ends_with(" rev 2")
    })
}

fn crashes(state: &State) -> Vec<Entry> {
    entries(state)
        .into_iter()
        .filter(|e| {
            e.change == Change::PodRestart && e.workload.as_deref() == Some(workload().as_str())
        })
        .collect()
}

fn fields(link: &Link) -> Vec<(String, String)> {
    link.matched
        .iter()
        .map(|m| (m.field.to_string(), m.value.clone()))
        .collect()
}

fn render(state: &mut State, width: u16, height: u16) -> String {
    let look = Look::new(Theme::monochrome(), false);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal.draw(|f| ui::draw(f, state, &look)).expect("draw");
    terminal.backend().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deploy_run_its_rollout_and_the_crashes_after_it_are_linked() {
    let demo = Demo::start().await.expect("the simulators start");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut state = State::new(
        Settings {
            save_dir: dir.path().to_path_buf(),
            ..Settings::default()
        },
        KeyMap::default(),
    );
    state.tab = Tab::Overview;
    let (tx, mut rx) = mpsc::channel(1024);
    let kube = sources::kube::KubeOptions {
        kubeconfig: Some(demo.kubeconfig()),
        scope: KubeScope {
            namespace: NamespaceScope::All,
            ..KubeScope::default()
        },
        danger: Vec::new(),
    };
    state.kube.scope = kube.scope.clone();
    let handles = SourceHandles {
        docker: Some(sources::docker::spawn(demo.docker_host(), tx.clone())),
        github: Some(sources::github::spawn(demo.github_setup(), tx.clone())),
        kube: Some(sources::kube::spawn(kube, tx.clone())),
        shells: None,
    };
    let (mut app, _themes) = Driver::new(state, handles, tx);
    app.apply(Msg::Resize {
        width: 200,
        height: 50,
    });
    app.run_until(
        &mut rx,
        WAIT,
        "the deploy run, the rollout and a crash after it",
        |_| {},
        |s| {
            story_run(s).is_some()
                && new_rollout(s).is_some()
                && crashes(s)
                    .iter()
                    .any(|c| s.timeline.entries.after_rollout(c).is_some())
        },
    )
    .await
    .expect("the story");
    let state = &app.state;
    let timeline = &state.timeline.entries;

    // The run: acme/web's Deploy, on the story's commit, a deploy.
    let run = story_run(state).expect("run");
    assert_eq!(
        run.place,
        format!("{}/{}", story::REPO_OWNER, story::REPO_NAME)
    );
    assert!(run.deploy, "a Deploy workflow's run is a deploy: {run:?}");
    let number = run.what.strip_prefix("Deploy #").expect("Deploy #N");
    assert!(number.parse::<u64>().is_ok(), "{run:?}");

    // The rollout: the new image, built by that run, by commit.
    let rollout = new_rollout(state).expect("rollout");
    assert_eq!(
        rollout.what,
        format!("deployment {} rev 2", story::DEPLOYMENT)
    );
    assert_eq!(
        rollout.reason,
        format!("image {} -> {}", story::PREVIOUS_IMAGE, story::image())
    );
    let built = timeline.built_by(&rollout).expect("built by");
    assert_eq!(built.kind, LinkKind::BuiltBy);
    assert_eq!(built.text, format!("built by acme/web Deploy #{number}"));
    assert_eq!(built.to, run.id, "the link leads to the run's end");
    let short = &story::COMMIT[..12];
    assert_eq!(
        fields(&built),
        [
            ("image commit".to_string(), short.to_string()),
            ("run head SHA".to_string(), short.to_string()),
        ]
    );
    let started = entries(state)
        .into_iter()
        .find(|e| e.change == Change::RunStarted && e.commit.as_deref() == Some(story::COMMIT))
        .expect("the run's start");
    let gap = (rollout.at - started.at).num_seconds();
    let told = (story::RUN_STARTED_AGO - story::ROLLOUT_AGO).as_secs() as i64;
    assert!(
        (gap - told).abs() <= 5,
        "the rollout came {gap} s after the run started, not {told} s"
    );

    // A crash of a new pod: after the rollout, which the run built.
    let crash = crashes(state)
        .into_iter()
        .find(|c| timeline.after_rollout(c).is_some())
        .expect("a linked crash");
    assert!(crash.bad);
    assert!(crash.what.starts_with("pod storefront-"), "{crash:?}");
    assert!(crash.reason.starts_with("Error (exit "), "{crash:?}");
    assert!(crash.at > rollout.at, "{crash:?} after {rollout:?}");
    let after = timeline.after_rollout(&crash).expect("after rollout");
    assert_eq!(after.to, rollout.id);
    let text = after.text.clone();
    assert!(
        text.ends_with(&format!(
            " after rollout of deployment storefront rev 2, built by acme/web Deploy #{number}"
        )),
        "{text}"
    );
    assert_eq!(
        fields(&after),
        [
            ("workload".to_string(), workload()),
            ("within".to_string(), "10 min".to_string()),
        ]
    );
    // The crash's image is the new one: its own commit names the run too.
    assert_eq!(crash.commit.as_deref(), Some(short));

    // The old pods are not in the story: they still run the old image.
    assert!(
        crashes(state)
            .iter()
            .all(|c| c.commit.as_deref() == Some(short)),
        "only the new image's pods crash: {:?}",
        crashes(state)
    );

    // On screen: the view filtered to the story, the crash selected, its
    // row and the fields under it.
    app.key(KeyEvent::char('T'));
    app.key(KeyEvent::char('/'));
    for c in "storefront".chars() {
        app.key(KeyEvent::char(c));
    }
    app.key(KeyEvent::plain(KeyCode::Enter));
    let state = &mut app.state;
    assert!(state.timeline.open);
    let seq = state
        .timeline
        .list
        .order()
        .iter()
        .copied()
        .find(|s| state.timeline.entries.get(*s).map(|e| &e.id) == Some(&crash.id))
        .expect("the crash is listed");
    assert!(state.timeline.list.select(&seq));
    let screen = render(state, 200, 50);
    // Both links of the crash: its image's commit is the run's, and it
    // came within the window after its Deployment's rollout.
    assert!(
        screen.contains(&format!(
            "linked by: image commit {short}, run head SHA {short}; \
             workload opsdeck-demo/shop/storefront, within 10 min"
        )),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("built by acme/web Deploy #{number}")),
        "{screen}"
    );
    assert!(screen.contains("deployment storefront rev 2"), "{screen}");
}

/// `[docker] hosts` with two engines: each engine's events are its own
/// on the timeline (WHERE is its name, `Enter` finds the container by its
/// engine's key), and where WHERE drops out at 80 columns, WHAT says it.
#[tokio::test]
async fn with_several_engines_each_docker_entry_names_its_engine() {
    let (a, b) = tokio::try_join!(
        DockerSim::start(DockerScenario::Empty),
        DockerSim::start(DockerScenario::Empty)
    )
    .expect("two engines");
    let engines = vec![
        Engine {
            name: "build".into(),
            host: a.docker_host(),
        },
        Engine {
            name: "edge".into(),
            host: b.docker_host(),
        },
    ];
    let mut state = State::new(Settings::default(), KeyMap::default());
    for e in &engines {
        let connecting = SourceHealth::Connecting {
            target: e.host.clone(),
        };
        state.docker.engines.insert(e.name.clone(), connecting);
    }
    let (tx, mut rx) = mpsc::channel(1024);
    let handles = SourceHandles {
        docker: Some(sources::docker::spawn_engines(engines, tx.clone())),
        ..SourceHandles::default()
    };
    let (mut app, _themes) = Driver::new(state, handles, tx);
    app.apply(Msg::Resize {
        width: 80,
        height: 24,
    });
    app.run_until(
        &mut rx,
        WAIT,
        "both engines listed",
        |_| {},
        |s| {
            s.docker
                .engines
                .values()
                .all(|h| matches!(h, SourceHealth::Connected { .. }))
        },
    )
    .await
    .expect("connected");

    let mut spec = ContainerSpec::new(
        "api",
        &story::image(),
        Behaviour::new(LogStyle::Worker, 1.0),
    );
    spec.labels.insert(
        "org.opencontainers.image.revision".into(),
        story::COMMIT.into(),
    );
    let id = b.add_container(spec).await;
    b.crash_container("api", 3).await.expect("crash");
    let die = |s: &State| {
        s.timeline
            .entries
            .newest_first()
            .map(|(_, e)| e.clone())
            .find(|e| e.change == Change::ContainerDie)
    };
    app.run_until(&mut rx, WAIT, "the die event", |_| {}, |s| die(s).is_some())
        .await
        .expect("die");
    let die = die(&app.state).expect("die");
    assert_eq!(die.place, "edge");
    assert_eq!(die.what, "container api");
    assert_eq!(die.reason, "exited with code 3");
    assert_eq!(die.commit.as_deref(), Some(story::COMMIT));
    assert_eq!(
        die.target,
        Some(Target::Container {
            id: format!("edge/{id}")
        })
    );
    let starts: Vec<String> = entries(&app.state)
        .into_iter()
        .filter(|e| e.change == Change::ContainerStart)
        .map(|e| e.place)
        .collect();
    assert_eq!(starts, ["edge"], "nothing happened on build");

    app.key(KeyEvent::char('T'));
    let screen = render(&mut app.state, 80, 24);
    assert!(!screen.contains("WHERE"), "{screen}");
    assert!(screen.contains("container api on edge"), "{screen}");
    // Enter finds the container on its engine.
    app.run_until(
        &mut rx,
        WAIT,
        "the container listed",
        |_| {},
        |s| {
            s.docker
                .containers
                .data()
                .is_some_and(|m| m.contains_key(&format!("edge/{id}")))
        },
    )
    .await
    .expect("listed");
    app.key(KeyEvent::plain(KeyCode::Enter));
    assert_eq!(app.state.tab, Tab::Docker);
    assert_eq!(
        app.state.docker.list.selected().map(String::as_str),
        Some(format!("edge/{id}").as_str())
    );
    a.shutdown().await;
    b.shutdown().await;
}
