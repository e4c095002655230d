//! The images, volumes and networks views against a REAL Docker engine:
//! the view is opened from the palette, kept live by the engine's events,
//! and removals go through the dialog (`D`, `y`) to the engine.
//!
//! Every object here is created by the test under a unique name and
//! removed by it; `opsdeck-busybox:latest` is only tagged and committed
//! from, never removed. Prune runs narrowed to the test's own label, since
//! the engine is shared. Skips without an engine unless
//! `OPSDECK_REQUIRE_DOCKER=1`, where it fails.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on what they did not expect

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::models::{
    ContainerConfig, ContainerCreateBody, HostConfig, NetworkCreateRequest, VolumeCreateRequest,
};
use bollard::query_parameters::{
    CommitContainerOptions, CreateContainerOptions, RemoveImageOptions, TagImageOptions,
};
use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::act::Ticket;
use opsdeck::core::docker_objects::{ObjectKind, ObjectOp, ObjectRow};
use opsdeck::core::effect::DockerCommand;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::msg::Msg;
use opsdeck::core::source::SourceKind;
use opsdeck::core::state::{Settings, State};
use opsdeck::each_object_table;
use opsdeck::sources::docker;
use tokio::sync::mpsc;

#[allow(dead_code)] // each test file uses part of it
#[path = "support/engine.rs"]
mod engine_kit;
use engine_kit::{remove_container, unique};

const WAIT: Duration = Duration::from_secs(30);

async fn engine() -> Option<(Docker, String)> {
    let host = docker::describe_host(None);
    let required = std::env::var("OPSDECK_REQUIRE_DOCKER").is_ok_and(|v| v == "1");
    let image =
        std::env::var("OPSDECK_TEST_IMAGE").unwrap_or_else(|_| "opsdeck-busybox:latest".into());
    let problem = match docker::connect(&host).await {
        Ok(d) => match d.inspect_image(&image).await {
            Ok(_) => return Some((d, image)),
            Err(e) => format!("image {image} missing at {host} ({e})"),
        },
        Err(e) => format!("no Docker engine at {host}: {e}"),
    };
    if required {
        panic!("OPSDECK_REQUIRE_DOCKER=1 but {problem}");
    }
    eprintln!("skipping Docker engine test: {problem}");
    None
}

struct App {
    app: Driver,
    rx: mpsc::Receiver<Msg>,
    commands: mpsc::UnboundedSender<DockerCommand>,
    /// Each answered object action: the ticket's target and its result.
    reports: Vec<(String, Result<String, String>)>,
}

impl App {
    async fn start() -> App {
        let (tx, rx) = mpsc::channel(1024);
        let commands = docker::spawn(docker::describe_host(None), tx.clone());
        let sources = SourceHandles {
            docker: Some(commands.clone()),
            ..SourceHandles::default()
        };
        let settings = Settings {
            journal_path: None,
            ..Settings::default()
        };
        let state = State::new(settings, KeyMap::default());
        let (app, _themes) = Driver::new(state, sources, tx);
        let mut app = App {
            app,
            rx,
            commands,
            reports: Vec::new(),
        };
        app.until("the containers", |s| s.docker.containers.is_loaded())
            .await;
        app
    }

    async fn until(&mut self, what: &str, done: impl Fn(&State) -> bool) {
        let reports = &mut self.reports;
        self.app
            .run_until(
                &mut self.rx,
                WAIT,
                what,
                |msg| {
                    if let Msg::ActionReported { ticket, result } = msg {
                        reports.push((ticket.target.clone(), result.clone()));
                    }
                },
                done,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn keys(&mut self, text: &str) {
        for c in text.chars() {
            let key = match c {
                '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
                '\x1b' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                c => KeyEvent::char(c),
            };
            self.app.key(key);
        }
    }

    /// `:kind` from the palette; waits for its first list.
    async fn open(&mut self, kind: ObjectKind) {
        self.keys(&format!(":{}\n", kind.word()));
        self.until("the view's first list", |s| {
            s.docker
                .objects
                .as_ref()
                .is_some_and(|v| v.kind() == kind && each_object_table!(v, t => t.loaded))
        })
        .await;
    }

    /// `/name` then `D`: the dialog names the row; `y` sends it.
    async fn remove(&mut self, name: &str) -> Result<String, String> {
        self.keys(&format!("/{name}\n"));
        let picked = selected_name(&self.app.state);
        assert_eq!(picked.as_deref(), Some(name), "the filter selects the row");
        self.keys("D");
        let dialog = self.app.state.confirm.clone().expect("a dialog");
        assert!(dialog.target.contains(name), "{}", dialog.target);
        let before = self.reports.len();
        self.keys("y");
        self.wait_report(before).await;
        // Clears the filter; the view stays.
        self.keys("\x1b");
        self.reports[before].1.clone()
    }

    async fn wait_report(&mut self, before: usize) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while self.reports.len() == before {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .expect("an answer to the action")
                .expect("source alive");
            let reports = &mut self.reports;
            self.app.apply_batch(msg, &mut self.rx, |msg| {
                if let Msg::ActionReported { ticket, result } = msg {
                    reports.push((ticket.target.clone(), result.clone()));
                }
            });
        }
    }

    /// Prune narrowed to the test's label, sent as the dialog would.
    async fn prune_labelled(&mut self, kind: ObjectKind, label: &str) -> Result<String, String> {
        let before = self.reports.len();
        let ticket = Ticket::new(
            1,
            Some(SourceKind::Docker),
            "test",
            kind.prunable(),
            "prune",
        );
        self.commands
            .send(DockerCommand::ObjectOp {
                ticket,
                op: ObjectOp::Prune {
                    kind,
                    engine: String::new(),
                    only_label: Some(label.to_string()),
                },
            })
            .expect("send");
        self.wait_report(before).await;
        self.reports[before].1.clone()
    }
}

fn selected_name(s: &State) -> Option<String> {
    let v = s.docker.objects.as_ref()?;
    each_object_table!(v, t => t.selected().map(|r| r.name().to_string()))
}

/// The users of the row named `name`, if listed.
fn users_of(s: &State, name: &str) -> Option<Vec<String>> {
    let v = s.docker.objects.as_ref()?;
    each_object_table!(v, t => t.rows.values().find(|r| r.name() == name).map(|r| r.users().to_vec()))
}

fn listed(s: &State, name: &str) -> bool {
    users_of(s, name).is_some()
}

async fn create(d: &Docker, image: &str, name: &str, host: HostConfig) {
    let body = ContainerCreateBody {
        image: Some(image.to_string()),
        cmd: Some(vec!["sleep".into(), "300".into()]),
        host_config: Some(host),
        ..Default::default()
    };
    let options = CreateContainerOptions {
        name: Some(name.to_string()),
        ..Default::default()
    };
    d.create_container(Some(options), body)
        .await
        .expect("create container");
}

#[tokio::test]
async fn images_follow_events_and_remove_a_tag_or_say_why_not() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let repo = unique("img");
    let (tagged, committed) = (format!("{repo}:tagged"), format!("{repo}:committed"));
    let (maker, user) = (unique("maker"), unique("user"));
    let mut app = App::start().await;
    app.open(ObjectKind::Images).await;

    // A new tag appears from the image event, not a poll.
    d.tag_image(
        &image,
        Some(TagImageOptions {
            repo: Some(repo.clone()),
            tag: Some("tagged".into()),
        }),
    )
    .await
    .expect("tag");
    app.until("the new tag listed", |s| listed(s, &tagged))
        .await;

    // An image of its own (a commit), used by a container: the engine refuses.
    create(&d, &image, &maker, HostConfig::default()).await;
    let options = CommitContainerOptions {
        container: Some(maker.clone()),
        repo: Some(repo.clone()),
        tag: Some("committed".into()),
        ..Default::default()
    };
    d.commit_container(options, ContainerConfig::default())
        .await
        .expect("commit");
    remove_container(&d, &maker).await;
    create(&d, &committed, &user, HostConfig::default()).await;
    app.until("the container counted as a user", |s| {
        users_of(s, &committed).is_some_and(|u| u.contains(&user))
    })
    .await;
    let refused = app.remove(&committed).await;
    let words = refused.expect_err("an image in use is not removed");
    assert!(
        words.contains("conflict") || words.contains("in use") || words.contains("being used"),
        "{words}"
    );
    assert!(listed(&app.app.state, &committed));

    remove_container(&d, &user).await;
    app.until("no users left", |s| {
        users_of(s, &committed).is_some_and(|u| u.is_empty())
    })
    .await;
    app.remove(&committed).await.expect("removed");
    app.until("the committed image gone", |s| !listed(s, &committed))
        .await;

    // Removing the extra tag untags only it; the test image stays.
    app.remove(&tagged).await.expect("untagged");
    app.until("the tag gone", |s| !listed(s, &tagged)).await;
    d.inspect_image(&image)
        .await
        .expect("the test image is still there");
    assert!(listed(&app.app.state, &image), "{image} still listed");
    let _ = d
        .remove_image(
            &committed,
            Some(RemoveImageOptions {
                force: true,
                ..Default::default()
            }),
            None,
        )
        .await;
}

#[tokio::test]
async fn volumes_list_users_remove_and_prune_the_tests_own() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let (vol, user) = (unique("vol"), unique("voluser"));
    let label_value = unique("prune");
    let label = format!("opsdeck.test={label_value}");
    let mut labels = HashMap::new();
    labels.insert("opsdeck.test".to_string(), label_value.clone());
    let mut app = App::start().await;
    app.open(ObjectKind::Volumes).await;

    d.create_volume(VolumeCreateRequest {
        name: Some(vol.clone()),
        ..Default::default()
    })
    .await
    .expect("create volume");
    app.until("the volume listed", |s| listed(s, &vol)).await;
    let host = HostConfig {
        binds: Some(vec![format!("{vol}:/data")]),
        ..Default::default()
    };
    create(&d, &image, &user, host).await;
    app.until("its user", |s| {
        users_of(s, &vol).is_some_and(|u| u.contains(&user))
    })
    .await;
    let refused = app.remove(&vol).await.expect_err("a volume in use stays");
    assert!(refused.contains("in use"), "{refused}");
    remove_container(&d, &user).await;
    app.until("no users", |s| {
        users_of(s, &vol).is_some_and(|u| u.is_empty())
    })
    .await;
    app.remove(&vol).await.expect("removed");
    app.until("the volume gone", |s| !listed(s, &vol)).await;

    let pruned: Vec<String> = (0..2).map(|i| format!("{}-{i}", unique("pv"))).collect();
    for name in &pruned {
        let req = VolumeCreateRequest {
            name: Some(name.clone()),
            labels: Some(labels.clone()),
            ..Default::default()
        };
        d.create_volume(req).await.expect("create volume");
    }
    app.until("both listed", |s| pruned.iter().all(|n| listed(s, n)))
        .await;
    let words = app
        .prune_labelled(ObjectKind::Volumes, &label)
        .await
        .expect("pruned");
    assert!(words.starts_with("2 volumes removed, "), "{words}");
    assert!(words.ends_with("reclaimed"), "{words}");
    app.until("both gone", |s| pruned.iter().all(|n| !listed(s, n)))
        .await;
}

#[tokio::test]
async fn networks_list_users_remove_and_prune_the_tests_own() {
    let Some((d, image)) = engine().await else {
        return;
    };
    let (net, user, spare) = (unique("net"), unique("netuser"), unique("spare"));
    let label_value = unique("netprune");
    let mut labels = HashMap::new();
    labels.insert("opsdeck.test".to_string(), label_value.clone());
    let mut app = App::start().await;
    app.open(ObjectKind::Networks).await;

    d.create_network(NetworkCreateRequest {
        name: net.clone(),
        ..Default::default()
    })
    .await
    .expect("create network");
    app.until("the network listed", |s| listed(s, &net)).await;
    let host = HostConfig {
        network_mode: Some(net.clone()),
        ..Default::default()
    };
    create(&d, &image, &user, host).await;
    app.until("its user", |s| {
        users_of(s, &net).is_some_and(|u| u.contains(&user))
    })
    .await;
    remove_container(&d, &user).await;
    app.until("no users", |s| {
        users_of(s, &net).is_some_and(|u| u.is_empty())
    })
    .await;
    app.remove(&net).await.expect("removed");
    app.until("the network gone", |s| !listed(s, &net)).await;

    let req = NetworkCreateRequest {
        name: spare.clone(),
        labels: Some(labels),
        ..Default::default()
    };
    d.create_network(req).await.expect("create network");
    app.until("the spare listed", |s| listed(s, &spare)).await;
    let words = app
        .prune_labelled(ObjectKind::Networks, &format!("opsdeck.test={label_value}"))
        .await
        .expect("pruned");
    assert_eq!(words, "1 network removed");
    app.until("the spare gone", |s| !listed(s, &spare)).await;
    let _ = d.remove_network(&spare).await;
}
