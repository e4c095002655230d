//! The app's driver fed by the real Kubernetes source, pointed at a
//! simulator, a batch of messages at a time as the app loop feeds it.

use std::time::Duration;

use opsdeck::app::{Driver, SourceHandles};
use opsdeck::core::action::Action;
use opsdeck::core::key::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{KubeScope, NamespaceScope, PodKey, PodRow};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::sources::kube::{KubeOptions, spawn};
use opsdeck_sim::kube::KubeSim;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Pane {
    pub app: Driver,
    rx: mpsc::Receiver<Msg>,
    /// The source task's commands, for tests that ask it directly.
    commands: mpsc::UnboundedSender<KubeCommand>,
    /// The verb of each answered action (from its ticket) and its result.
    pub op_results: Vec<(String, Result<(), String>)>,
    pub snapshots: usize,
    /// Messages from a kind view's watch (`:deploy`, `:sts`, `:ev`...).
    pub kind_msgs: usize,
    /// The fewest pods the pane showed after its first load.
    pub min_pods_after_load: Option<usize>,
    /// The words of every drain progress message, in order.
    pub drain_progress: Vec<String>,
    _dir: tempfile::TempDir,
}

/// A kube client of the test's own on `sim`, for what a test sets up or
/// checks behind the pane's back.
pub async fn client(sim: &KubeSim) -> kube::Client {
    let kc = kube::config::Kubeconfig::from_yaml(&sim.kubeconfig_yaml()).expect("yaml");
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .expect("config");
    kube::Client::try_from(cfg).expect("client")
}

/// Sends `send` to a forwarded port on `local` and reads until at least
/// as many bytes came back (the echo of it, or the start of a page).
pub async fn exchange(local: &str, send: &[u8]) -> Vec<u8> {
    let mut socket = TcpStream::connect(local).await.expect("connects");
    socket.write_all(send).await.expect("sent");
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while got.len() < send.len() {
        let n = tokio::time::timeout(WAIT, socket.read(&mut buf))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(n > 0, "closed after {got:?}");
        got.extend_from_slice(&buf[..n]);
    }
    got
}

pub fn scope(contexts: &[&str], namespace: &str) -> KubeScope {
    KubeScope {
        contexts: contexts.iter().map(|c| c.to_string()).collect(),
        namespace: NamespaceScope::parse(namespace),
        ..KubeScope::default()
    }
}

impl Pane {
    /// Watches `sim` with its own kubeconfig; `prod*` contexts are dangerous.
    pub fn start(sim: &KubeSim, scope: KubeScope) -> Pane {
        Pane::with_kubeconfig(&sim.kubeconfig_yaml(), scope)
    }

    pub fn with_kubeconfig(yaml: &str, scope: KubeScope) -> Pane {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config");
        std::fs::write(&path, yaml).expect("write kubeconfig");
        let (tx, rx) = mpsc::channel(1024);
        let mut state = State::new(
            Settings {
                save_dir: dir.path().to_path_buf(),
                ..Settings::default()
            },
            KeyMap::default(),
        );
        state.tab = Tab::Kubernetes;
        state.kube.scope = scope.clone();
        let commands = spawn(
            KubeOptions {
                kubeconfig: Some(path),
                scope,
                danger: vec!["prod*".into()],
            },
            tx.clone(),
        );
        let sources = SourceHandles {
            kube: Some(commands.clone()),
            ..SourceHandles::default()
        };
        let (mut app, _themes) = Driver::new(state, sources, tx);
        app.apply(Msg::Resize {
            width: 120,
            height: 40,
        });
        Pane {
            app,
            rx,
            commands,
            op_results: Vec::new(),
            snapshots: 0,
            kind_msgs: 0,
            min_pods_after_load: None,
            drain_progress: Vec::new(),
            _dir: dir,
        }
    }

    /// Applies source messages, a batch at a time as the loop does, until
    /// `done` holds.
    pub async fn until(&mut self, what: &str, done: impl Fn(&Pane) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(self) {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for: {what}"))
                .expect("source task alive");
            let (results, snapshots) = (&mut self.op_results, &mut self.snapshots);
            let kind_msgs = &mut self.kind_msgs;
            let progress = &mut self.drain_progress;
            self.app.apply_batch(msg, &mut self.rx, |msg| match msg {
                Msg::Kube(KubeEvent::DrainProgress { text, .. }) => progress.push(text.clone()),
                Msg::ActionDone { ticket, result } => {
                    results.push((ticket.verb.clone(), result.clone()))
                }
                Msg::Kube(KubeEvent::Snapshot { .. }) => *snapshots += 1,
                Msg::Kube(KubeEvent::Kind { .. }) => *kind_msgs += 1,
                _ => {}
            });
            let kube = &self.app.state.kube;
            if let Some(n) = kube.pods.data().map(|m| m.len())
                && kube.all_loaded()
            {
                let min = self.min_pods_after_load.get_or_insert(n);
                *min = (*min).min(n);
            }
        }
    }

    /// Applies whatever messages are already waiting.
    pub async fn drain(&mut self) {
        while let Ok(msg) = self.rx.try_recv() {
            if matches!(msg, Msg::Kube(KubeEvent::Kind { .. })) {
                self.kind_msgs += 1;
            }
            self.app.apply(msg);
        }
    }

    /// A command straight to the source, as an effect would carry it.
    pub fn send(&self, cmd: KubeCommand) {
        self.commands.send(cmd).expect("source alive");
    }

    pub fn act(&mut self, action: Action) {
        self.app.apply(Msg::Action(action));
    }

    pub fn key(&mut self, code: KeyCode) {
        self.app.key(KeyEvent::new(code, KeyModifiers::NONE));
    }

    pub fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn pods(&self) -> Vec<&PodRow> {
        self.app
            .state
            .kube
            .pods
            .data()
            .map(|m| m.values().collect())
            .unwrap_or_default()
    }

    pub fn pod(&self, ns: &str, name: &str) -> Option<&PodRow> {
        self.pods()
            .into_iter()
            .find(|p| &*p.key.namespace == ns && &*p.key.name == name)
    }

    /// Live (not Terminating) pods whose name starts with `prefix`.
    pub fn live(&self, ns: &str, prefix: &str) -> Vec<&PodRow> {
        self.pods()
            .into_iter()
            .filter(|p| &*p.key.namespace == ns && p.key.name.starts_with(prefix))
            .filter(|p| p.status != "Terminating")
            .collect()
    }

    pub fn select(&mut self, key: &PodKey) {
        assert!(self.app.state.kube.list.select(key), "pod shown");
    }

    /// `:word` from the palette; waits until the kind view lists `key`,
    /// then selects that row.
    pub async fn open_kind_at(&mut self, word: &str, key: &PodKey) {
        self.typed(&format!(":{word}"));
        self.key(KeyCode::Enter);
        let what = format!(":{word} lists {}/{}", key.namespace, key.name);
        self.until(&what, |p| {
            p.app
                .state
                .kube
                .kind
                .as_ref()
                .is_some_and(|v| v.rows.contains_key(key))
        })
        .await;
        let view = self.app.state.kube.kind.as_mut().expect("the kind view");
        assert!(view.list.select(key), "{what}: the row selected");
    }

    /// The open YAML or describe view's title and text, once all of it
    /// arrived.
    pub fn overlay_text(&self) -> Option<(String, String)> {
        let s = self.app.state.overlay_log.as_ref()?;
        s.ended.as_ref()?;
        let text: Vec<String> = s.buffer.iter().map(|(_, l)| l.text().to_string()).collect();
        Some((s.title.clone(), text.join("\n")))
    }

    /// Waits for the YAML or describe view, then its title and text.
    pub async fn wait_overlay(&mut self, what: &str) -> (String, String) {
        self.until(what, |p| p.overlay_text().is_some()).await;
        self.overlay_text().expect("shown")
    }

    /// The open log's lines as `tag|text`.
    pub fn log_lines(&self) -> Vec<String> {
        let Some(session) = self.app.state.kube.logs.as_ref() else {
            return Vec::new();
        };
        session
            .buffer
            .iter()
            .map(|(_, l)| {
                let tag = session.buffer.tag_of(l).unwrap_or("");
                format!("{tag}|{}", l.text())
            })
            .collect()
    }

    pub fn health_error(&self) -> Option<String> {
        match &self.app.state.kube_health {
            opsdeck::core::source::SourceHealth::Reconnecting { error, .. } => Some(error.clone()),
            _ => None,
        }
    }
}
