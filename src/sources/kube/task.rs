//! The Kubernetes task: reads the kubeconfig, starts one watcher per
//! context, and carries out commands (logs, events, mutations). A scope
//! change (`:ctx`, `:ns`) re-reads the kubeconfig and restarts the watchers.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use kube::Client;
use tokio::sync::mpsc;

use crate::core::effect::StreamId;
use crate::core::kube::KubeScope;
use crate::core::kube_msg::{KubeCommand, KubeEvent};
use crate::core::msg::Msg;
use crate::core::source::{SourceHealth, SourceKind};

use super::super::kit::{AbortOnDrop, StreamTasks, write_bundle};
use super::config::{self, Loaded, NoClusters};

/// How the source starts.
#[derive(Debug, Clone)]
pub struct KubeOptions {
    /// A kubeconfig to read instead of `KUBECONFIG` / `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    pub scope: KubeScope,
    /// `[kubernetes] danger` context patterns.
    pub danger: Vec<String>,
}

/// Starts the task; commands go in through the returned sender.
pub fn spawn(options: KubeOptions, tx: mpsc::Sender<Msg>) -> mpsc::UnboundedSender<KubeCommand> {
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    tokio::spawn(run(options, tx, cmd_rx));
    cmd_tx
}

struct Context {
    client: Option<Client>,
    _watch: Option<AbortOnDrop>,
}

struct Worker {
    options: KubeOptions,
    tx: mpsc::Sender<Msg>,
    contexts: HashMap<String, Context>,
    logs: StreamTasks<StreamId>,
    events: Option<AbortOnDrop>,
    /// The open kind view's watchers (`:sts`, `:ev`...), one per context.
    kinds: Vec<AbortOnDrop>,
    /// Port-forwards; they keep their own clients across scope changes.
    forwards: super::port_forward::Forwards,
    /// The metrics polls while pods or nodes are on screen, one per context.
    metrics: Vec<AbortOnDrop>,
    /// What is watched now (the selector and fallback come from here).
    scope: KubeScope,
}

type Loading = Pin<Box<dyn Future<Output = Result<Loaded, NoClusters>> + Send>>;

async fn run(
    options: KubeOptions,
    tx: mpsc::Sender<Msg>,
    mut cmds: mpsc::UnboundedReceiver<KubeCommand>,
) {
    let scope = options.scope.clone();
    let mut w = Worker {
        options,
        tx,
        contexts: HashMap::new(),
        logs: StreamTasks::default(),
        events: None,
        kinds: Vec::new(),
        forwards: Default::default(),
        metrics: Vec::new(),
        scope: scope.clone(),
    };
    // Reading the kubeconfig may run credential plugins (cloud CLIs that
    // take seconds): commands are served meanwhile, not queued behind it.
    let mut loading: Option<Loading> = Some(w.load(&scope));
    loop {
        let pending = async {
            match loading.as_mut() {
                Some(l) => l.await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            loaded = pending => {
                loading = None;
                w.start(loaded).await;
            }
            cmd = cmds.recv() => match cmd {
                None => return,
                Some(KubeCommand::SetScope(scope)) => {
                    w.events = None;
                    w.kinds.clear();
                    w.metrics.clear();
                    w.contexts.clear();
                    loading = Some(w.load(&scope));
                    w.scope = scope;
                }
                Some(cmd) => w.on_command(cmd).await,
            },
        }
    }
}

impl Worker {
    async fn send(&self, ev: KubeEvent) {
        let _ = self.tx.send(Msg::Kube(ev)).await;
    }

    /// The kubeconfig read for `scope`, as a future the loop polls.
    fn load(&self, scope: &KubeScope) -> Loading {
        let explicit = self.options.kubeconfig.clone();
        let danger = self.options.danger.clone();
        let scope = scope.clone();
        Box::pin(async move { config::load(explicit.as_ref(), &scope, &danger).await })
    }

    async fn start(&mut self, loaded: Result<Loaded, NoClusters>) {
        self.contexts.clear();
        let loaded = match loaded {
            Ok(l) => l,
            Err(NoClusters::NotConfigured) => {
                let health = SourceHealth::Disabled {
                    how_to_enable: "set KUBECONFIG or create ~/.kube/config".into(),
                };
                let _ = self
                    .tx
                    .send(Msg::health(SourceKind::Kubernetes, health))
                    .await;
                return;
            }
            Err(NoClusters::Broken(error)) => {
                tracing::warn!(%error, "kubernetes source not started");
                let health = SourceHealth::Unusable {
                    short: "kubeconfig unusable".into(),
                    detail: error,
                };
                let _ = self
                    .tx
                    .send(Msg::health(SourceKind::Kubernetes, health))
                    .await;
                return;
            }
        };
        let watching = loaded.plans.iter().map(|p| p.info.clone()).collect();
        self.send(KubeEvent::Contexts {
            known: loaded.known,
            watching,
        })
        .await;
        for plan in loaded.plans {
            let name = plan.info.name.clone();
            let context = match plan.client {
                Ok(client) => {
                    let covered = super::scope::Covered {
                        namespace: plan.namespace,
                        set: plan.set,
                        fallback: self.scope.fallback.clone(),
                        selector: self.scope.selector.clone(),
                    };
                    let task = AbortOnDrop::spawn(super::scope::context(
                        client.clone(),
                        name.clone(),
                        covered,
                        plan.target,
                        self.tx.clone(),
                    ));
                    Context {
                        client: Some(client),
                        _watch: Some(task),
                    }
                }
                Err(error) => {
                    // Nothing to retry: the kubeconfig itself is wrong for it.
                    let health = SourceHealth::Unusable {
                        short: format!("context {name} unusable"),
                        detail: format!("context {name}: {error}"),
                    };
                    let _ = self.tx.send(context_health(&name, health)).await;
                    Context {
                        client: None,
                        _watch: None,
                    }
                }
            };
            self.contexts.insert(name, context);
        }
    }

    fn client(&self, context: &str) -> Result<Client, String> {
        match self.contexts.get(context).and_then(|c| c.client.clone()) {
            Some(c) => Ok(c),
            None => Err(format!("context {context} is not connected")),
        }
    }

    async fn on_command(&mut self, cmd: KubeCommand) {
        match cmd {
            // Handled by the loop: loading runs beside the commands.
            KubeCommand::SetScope(_) => {}
            KubeCommand::OpenLogs {
                stream,
                target,
                options,
            } => {
                let context = match &target {
                    crate::core::kube::LogTarget::Pod(key) => key.context.to_string(),
                    crate::core::kube::LogTarget::Workload { context, .. } => context.clone(),
                };
                match self.client(&context) {
                    Ok(client) => {
                        let follow =
                            super::logs::follow(client, stream, target, options, self.tx.clone());
                        self.logs.start(stream, follow);
                    }
                    Err(reason) => {
                        let _ = self.tx.send(Msg::LogEnded { stream, reason }).await;
                    }
                }
            }
            KubeCommand::CloseLogs { stream } => self.logs.stop(&stream),
            KubeCommand::IncidentBundle {
                path,
                item,
                pod,
                timeline,
            } => {
                let client = self.client(&pod.key.context);
                let fetch = async move { super::bundle::fetch(client?, pod).await };
                write_bundle(self.tx.clone(), path, item, timeline, fetch);
            }
            KubeCommand::WatchEvents { request, pod } => match self.client(&pod.context) {
                Ok(client) => {
                    let task = super::events::watch(client, request, pod, self.tx.clone());
                    self.events = Some(AbortOnDrop::spawn(task));
                }
                Err(e) => {
                    self.send(KubeEvent::PodEvents {
                        request,
                        result: Err(e),
                    })
                    .await
                }
            },
            KubeCommand::StopEvents => self.events = None,
            KubeCommand::WatchKind {
                request,
                plural,
                targets,
            } => {
                self.kinds = targets
                    .into_iter()
                    .filter_map(|(context, namespace)| {
                        let client = self.client(&context).ok()?;
                        let watch = super::kinds::Watch {
                            request,
                            context,
                            namespace,
                            selector: self.scope.selector.clone(),
                            tx: self.tx.clone(),
                        };
                        super::kinds::start_watch(plural, client, watch).map(AbortOnDrop::spawn)
                    })
                    .collect();
            }
            KubeCommand::StopKind => self.kinds.clear(),
            KubeCommand::PortForward(cmd) => {
                let contexts = &self.contexts;
                let client =
                    |context: &str| match contexts.get(context).and_then(|c| c.client.clone()) {
                        Some(c) => Ok(c),
                        None => Err(format!("context {context} is not connected")),
                    };
                self.forwards.command(client, cmd, &self.tx);
            }
            KubeCommand::PollMetrics {
                request,
                of,
                targets,
                every,
            } => {
                self.metrics = targets
                    .into_iter()
                    .filter_map(|(context, namespace)| {
                        let client = self.client(&context).ok()?;
                        let poll = super::metrics::Poll {
                            request,
                            of,
                            context,
                            namespace,
                            every,
                            tx: self.tx.clone(),
                        };
                        Some(AbortOnDrop::spawn(super::metrics::run(client, poll)))
                    })
                    .collect();
            }
            KubeCommand::StopMetrics => self.metrics.clear(),
            KubeCommand::PlanDrain {
                request,
                context,
                node,
            } => {
                let tx = self.tx.clone();
                let client = self.client(&context);
                tokio::spawn(async move {
                    let result = match client {
                        Ok(client) => super::nodes::plan(client, &node).await,
                        Err(e) => Err(e),
                    };
                    let _ = tx
                        .send(Msg::Kube(KubeEvent::DrainPlan { request, result }))
                        .await;
                });
            }
            KubeCommand::ShowObject {
                stream,
                object,
                view,
            } => {
                let tx = self.tx.clone();
                let client = self.client(&object.context);
                tokio::spawn(async move {
                    let result = match client {
                        Ok(client) => super::object::show(client, &object, view).await,
                        Err(e) => Err(e),
                    };
                    let _ = tx
                        .send(Msg::Kube(KubeEvent::Object { stream, result }))
                        .await;
                });
            }
            KubeCommand::Op {
                ticket,
                context,
                namespace,
                op,
            } => {
                let tx = self.tx.clone();
                let client = self.client(&context);
                let explicit = self.options.kubeconfig.clone();
                tokio::spawn(async move {
                    let client = match client {
                        Ok(_) if matches!(op, crate::core::kube::KubeOp::Drain { .. }) => {
                            config::client_without_retry(explicit.as_ref(), &context).await
                        }
                        other => other,
                    };
                    let result = match client {
                        Ok(client) => super::ops::run(client, &context, &namespace, &op, &tx).await,
                        Err(e) => Err(e),
                    };
                    if let Err(e) = &result {
                        tracing::info!(%context, op = op.verb(), error = %e, "kubernetes action failed");
                    }
                    let _ = tx.send(Msg::ActionDone { ticket, result }).await;
                });
            }
        }
    }
}

/// The health of one context, which is watched on its own.
pub(super) fn context_health(context: &str, health: SourceHealth) -> Msg {
    Msg::Health {
        source: SourceKind::Kubernetes,
        part: Some(context.to_string()),
        health,
    }
}
