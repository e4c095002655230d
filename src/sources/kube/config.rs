//! Which clusters to talk to, read the way kubectl reads it: an explicit
//! kubeconfig, else `KUBECONFIG` (several files merged) or `~/.kube/config`;
//! with neither, the in-cluster service account. Exec credential plugins
//! and token files are handled by kube's own config code.

use std::path::PathBuf;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};

use crate::core::kube::{ContextInfo, KubeScope, NamespaceScope, glob_match};

/// Context name used when running inside a cluster without a kubeconfig.
pub const IN_CLUSTER: &str = "in-cluster";

/// One context to watch.
pub struct Plan {
    pub info: ContextInfo,
    /// None: all namespaces.
    pub namespace: Option<String>,
    /// The API server, for messages.
    pub target: String,
    pub client: Result<Client, String>,
}

pub struct Loaded {
    pub known: Vec<String>,
    pub plans: Vec<Plan>,
}

/// Why nothing can be watched: no kubeconfig at all, or an unusable one.
pub enum NoClusters {
    NotConfigured,
    Broken(String),
}

fn read(explicit: Option<&PathBuf>) -> Result<Option<Kubeconfig>, NoClusters> {
    let result = match explicit {
        Some(path) => Kubeconfig::read_from(path),
        None => Kubeconfig::read(),
    };
    match result {
        Ok(kc) => Ok(Some(kc)),
        Err(kube::config::KubeconfigError::FindPath) => Ok(None),
        Err(kube::config::KubeconfigError::ReadConfig(e, _))
            if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() =>
        {
            Ok(None)
        }
        Err(e) => Err(NoClusters::Broken(format!("kubeconfig: {e}"))),
    }
}

fn namespace_for(scope: &NamespaceScope, from_context: Option<&str>) -> Option<String> {
    match scope {
        NamespaceScope::All => None,
        NamespaceScope::One(ns) => Some(ns.clone()),
        NamespaceScope::FromContext => Some(from_context.unwrap_or("default").to_string()),
    }
}

fn info(name: &str, namespace: &Option<String>, danger: &[String]) -> ContextInfo {
    ContextInfo {
        name: name.to_string(),
        namespace: namespace.clone().unwrap_or_else(|| "*".into()),
        danger: danger.iter().any(|p| glob_match(p, name)),
    }
}

pub async fn load(
    explicit: Option<&PathBuf>,
    scope: &KubeScope,
    danger: &[String],
) -> Result<Loaded, NoClusters> {
    let Some(kc) = read(explicit)? else {
        return in_cluster(scope, danger);
    };
    let known: Vec<String> = kc.contexts.iter().map(|c| c.name.clone()).collect();
    let wanted: Vec<String> = if scope.contexts.is_empty() {
        match kc.current_context.clone().filter(|c| !c.is_empty()) {
            Some(c) => vec![c],
            None => {
                return Err(NoClusters::Broken(
                    "the kubeconfig has no current context; pick one with :ctx NAME or \
                     [kubernetes] contexts"
                        .into(),
                ));
            }
        }
    } else {
        scope.contexts.clone()
    };
    let mut plans = Vec::new();
    for name in wanted {
        let named = kc.contexts.iter().find(|c| c.name == name);
        let ctx_ns = named
            .and_then(|c| c.context.as_ref())
            .and_then(|c| c.namespace.as_deref());
        let namespace = namespace_for(&scope.namespace, ctx_ns);
        let target = named
            .and_then(|c| c.context.as_ref())
            .and_then(|c| kc.clusters.iter().find(|k| k.name == c.cluster))
            .and_then(|k| k.cluster.as_ref())
            .and_then(|k| k.server.clone())
            .unwrap_or_else(|| name.clone());
        let client = if named.is_none() {
            Err(format!("no context named {name} in the kubeconfig"))
        } else {
            let options = KubeConfigOptions {
                context: Some(name.clone()),
                ..Default::default()
            };
            match Config::from_custom_kubeconfig(kc.clone(), &options).await {
                Ok(config) => Client::try_from(config).map_err(|e| super::errors::plain_error(&e)),
                Err(e) => Err(format!("kubeconfig context {name}: {e}")),
            }
        };
        plans.push(Plan {
            info: info(&name, &namespace, danger),
            namespace,
            target,
            client,
        });
    }
    Ok(Loaded { known, plans })
}

fn in_cluster(scope: &KubeScope, danger: &[String]) -> Result<Loaded, NoClusters> {
    if std::env::var_os("KUBERNETES_SERVICE_HOST").is_none() {
        return Err(NoClusters::NotConfigured);
    }
    let config = Config::incluster().map_err(|e| NoClusters::Broken(format!("in-cluster: {e}")))?;
    let own_ns = config.default_namespace.clone();
    let target = config.cluster_url.to_string();
    let namespace = namespace_for(&scope.namespace, Some(&own_ns));
    let client = Client::try_from(config).map_err(|e| super::errors::plain_error(&e));
    Ok(Loaded {
        known: vec![IN_CLUSTER.to_string()],
        plans: vec![Plan {
            info: info(IN_CLUSTER, &namespace, danger),
            namespace,
            target,
            client,
        }],
    })
}
