//! A pane state fed by the real Kubernetes source, pointed at a simulator.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use opsdeck::core::action::Action;
use opsdeck::core::effect::Effect;
use opsdeck::core::keymap::KeyMap;
use opsdeck::core::kube::{KubeOp, KubeScope, NamespaceScope, PodKey, PodRow};
use opsdeck::core::kube_msg::{KubeCommand, KubeEvent};
use opsdeck::core::msg::Msg;
use opsdeck::core::state::{Settings, State, Tab};
use opsdeck::core::update::update;
use opsdeck::sources::kube::{KubeOptions, spawn};
use opsdeck_sim::kube::KubeSim;
use tokio::sync::mpsc;

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Pane {
    pub state: State,
    rx: mpsc::Receiver<Msg>,
    commands: mpsc::UnboundedSender<KubeCommand>,
    pub op_results: Vec<(KubeOp, Result<(), String>)>,
    pub snapshots: usize,
    /// The fewest pods the pane showed after its first load.
    pub min_pods_after_load: Option<usize>,
    _dir: tempfile::TempDir,
}

pub fn scope(contexts: &[&str], namespace: &str) -> KubeScope {
    KubeScope {
        contexts: contexts.iter().map(|c| c.to_string()).collect(),
        namespace: NamespaceScope::parse(namespace),
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
        update(
            &mut state,
            Msg::Resize {
                width: 120,
                height: 40,
            },
        );
        let commands = spawn(
            KubeOptions {
                kubeconfig: Some(path),
                scope,
                danger: vec!["prod*".into()],
            },
            tx,
        );
        Pane {
            state,
            rx,
            commands,
            op_results: Vec::new(),
            snapshots: 0,
            min_pods_after_load: None,
            _dir: dir,
        }
    }

    fn apply(&mut self, msg: Msg) {
        match &msg {
            Msg::Kube(KubeEvent::OpResult { op, result, .. }) => {
                self.op_results.push((op.clone(), result.clone()))
            }
            Msg::Kube(KubeEvent::Snapshot { .. }) => self.snapshots += 1,
            _ => {}
        }
        let effects = update(&mut self.state, msg);
        self.forward(effects);
        if let Some(n) = self.state.kube.pods.data().map(|m| m.len())
            && self.state.kube.all_loaded()
        {
            let min = self.min_pods_after_load.get_or_insert(n);
            *min = (*min).min(n);
        }
    }

    pub fn forward(&mut self, effects: Vec<Effect>) {
        for e in effects {
            if let Effect::Kube(cmd) = e {
                self.commands.send(cmd).expect("source alive");
            }
        }
    }

    /// Pumps source messages into `update` until `done` holds.
    pub async fn until(&mut self, what: &str, done: impl Fn(&Pane) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(self) {
            let msg = tokio::time::timeout_at(deadline, self.rx.recv())
                .await
                .unwrap_or_else(|_| panic!("timed out waiting for: {what}"))
                .expect("source task alive");
            self.apply(msg);
        }
    }

    pub fn act(&mut self, action: Action) {
        let effects = update(&mut self.state, Msg::Action(action));
        self.forward(effects);
    }

    pub fn key(&mut self, code: KeyCode) {
        let effects = update(
            &mut self.state,
            Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)),
        );
        self.forward(effects);
    }

    pub fn typed(&mut self, text: &str) {
        for c in text.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn pods(&self) -> Vec<&PodRow> {
        self.state
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
        self.state.kube.selected = Some(key.clone());
    }

    /// The open log's lines as `tag|text`.
    pub fn log_lines(&self) -> Vec<String> {
        let Some(session) = self.state.kube.logs.as_ref() else {
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
        match &self.state.kube_health {
            opsdeck::core::source::SourceHealth::Reconnecting { error, .. } => Some(error.clone()),
            _ => None,
        }
    }
}
