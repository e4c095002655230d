//! Which clusters to talk to, read the way kubectl reads it: an explicit
//! kubeconfig, else `KUBECONFIG` (several files merged) or `~/.kube/config`;
//! with neither, the in-cluster service account. Exec credential plugins
//! and token files are handled by kube's own config code.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use kube::config::{KubeConfigOptions, Kubeconfig, KubeconfigError};
use kube::{Client, Config};

use crate::core::kube::{ContextInfo, KubeScope, NamespaceScope, glob_match};

/// Context name used when running inside a cluster without a kubeconfig.
pub const IN_CLUSTER: &str = "in-cluster";

/// One context to watch.
pub struct Plan {
    pub info: ContextInfo,
    /// None: all namespaces (or the set below).
    pub namespace: Option<String>,
    /// A chosen set of namespaces, each watched on its own and merged.
    pub set: Vec<String>,
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
    let env = std::env::var_os("KUBECONFIG");
    read_paths(
        explicit.map(PathBuf::as_path),
        env.as_deref(),
        std::env::home_dir(),
    )
}

/// kubectl's rules, with every error naming its file: an explicit path must
/// exist; of `KUBECONFIG`'s files those missing are skipped (kubectl does)
/// but not all of them, since then the variable is simply wrong; without
/// either, `~/.kube/config` if it exists.
fn read_paths(
    explicit: Option<&Path>,
    env: Option<&OsStr>,
    home: Option<PathBuf>,
) -> Result<Option<Kubeconfig>, NoClusters> {
    if let Some(path) = explicit {
        return Kubeconfig::read_from(path)
            .map(Some)
            .map_err(|e| NoClusters::Broken(file_error(path, &e)));
    }
    let listed: Vec<PathBuf> = env
        .map(|v| {
            std::env::split_paths(v)
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        })
        .unwrap_or_default();
    if listed.is_empty() {
        let Some(path) = home.map(|h| h.join(".kube").join("config")) else {
            return Ok(None);
        };
        return match Kubeconfig::read_from(&path) {
            Ok(kc) => Ok(Some(kc)),
            Err(e) if is_missing(&e) => Ok(None),
            Err(e) => Err(NoClusters::Broken(file_error(&path, &e))),
        };
    }
    let mut merged: Option<Kubeconfig> = None;
    for path in &listed {
        let kc = match Kubeconfig::read_from(path) {
            Ok(kc) => kc,
            Err(e) if is_missing(&e) => continue,
            Err(e) => return Err(NoClusters::Broken(file_error(path, &e))),
        };
        merged = Some(match merged {
            None => kc,
            Some(m) => m.merge(kc).map_err(|e| {
                NoClusters::Broken(format!(
                    "kubeconfig {} cannot be merged with the files before it in KUBECONFIG: {e}",
                    path.display()
                ))
            })?,
        });
    }
    merged.map(Some).ok_or_else(|| {
        let names: Vec<String> = listed.iter().map(|p| p.display().to_string()).collect();
        let (which, verb) = match names.len() {
            1 => ("", "does"),
            _ => ("the files ", "do"),
        };
        NoClusters::Broken(format!(
            "KUBECONFIG names {which}{}, which {verb} not exist; fix the path, or unset \
             KUBECONFIG to use ~/.kube/config",
            names.join(", ")
        ))
    })
}

fn is_missing(e: &KubeconfigError) -> bool {
    matches!(e, KubeconfigError::ReadConfig(io, _) if io.kind() == std::io::ErrorKind::NotFound)
}

/// One sentence naming the file, what is wrong with it and what to do; the
/// YAML parser's own report is cut to its first line (it quotes the file).
fn file_error(path: &Path, e: &KubeconfigError) -> String {
    let path = path.display();
    match e {
        KubeconfigError::ReadConfig(io, _) if io.kind() == std::io::ErrorKind::NotFound => {
            format!("kubeconfig {path} does not exist; fix the path")
        }
        KubeconfigError::ReadConfig(io, _) => format!(
            "cannot read kubeconfig {path}: {}; check the file and its permissions",
            io
        ),
        KubeconfigError::Parse(parse) => {
            let text = parse.to_string();
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let first = first.trim().trim_start_matches("error:");
            format!(
                "kubeconfig {path} is not a valid kubeconfig ({}); fix the file, or point \
                 KUBECONFIG at another",
                first.trim()
            )
        }
        other => format!("kubeconfig {path}: {other}"),
    }
}

fn namespace_for(scope: &NamespaceScope, from_context: Option<&str>) -> Option<String> {
    match scope {
        NamespaceScope::All | NamespaceScope::Set(_) => None,
        NamespaceScope::One(ns) => Some(ns.clone()),
        NamespaceScope::FromContext => Some(from_context.unwrap_or("default").to_string()),
    }
}

fn set_of(scope: &NamespaceScope) -> Vec<String> {
    match scope {
        NamespaceScope::Set(set) => set.clone(),
        _ => Vec::new(),
    }
}

fn info(name: &str, namespace: &Option<String>, set: &[String], danger: &[String]) -> ContextInfo {
    let shown = match namespace {
        Some(ns) => ns.clone(),
        None if !set.is_empty() => set.join(","),
        None => "*".into(),
    };
    ContextInfo {
        name: name.to_string(),
        namespace: shown,
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
        let set = set_of(&scope.namespace);
        plans.push(Plan {
            info: info(&name, &namespace, &set, danger),
            namespace,
            set,
            target,
            client,
        });
    }
    Ok(Loaded { known, plans })
}

/// A client for one context, read as `load` reads it (a shell opens with
/// a client of its own, so the watchers' connections stay untouched).
pub async fn client_for(explicit: Option<&PathBuf>, context: &str) -> Result<Client, String> {
    let config = config_for(explicit, context).await?;
    Client::try_from(config).map_err(|e| super::errors::plain_error(&e))
}

/// A client that answers 429 at once: kube's default client retries 429
/// by itself (up to 15 times, backing off to minutes), which would hide a
/// PodDisruptionBudget's refusal of an eviction inside one request. A
/// drain retries those itself, for a time it chooses.
pub async fn client_without_retry(
    explicit: Option<&PathBuf>,
    context: &str,
) -> Result<Client, String> {
    let mut config = config_for(explicit, context).await?;
    config.default_retry = false;
    Client::try_from(config).map_err(|e| super::errors::plain_error(&e))
}

async fn config_for(explicit: Option<&PathBuf>, context: &str) -> Result<Config, String> {
    let kc = match read(explicit) {
        Ok(Some(kc)) => kc,
        Ok(None) if context == IN_CLUSTER => {
            return Config::incluster().map_err(|e| format!("in-cluster: {e}"));
        }
        Ok(None) | Err(NoClusters::NotConfigured) => {
            return Err("no kubeconfig to connect with".into());
        }
        Err(NoClusters::Broken(why)) => return Err(why),
    };
    let options = KubeConfigOptions {
        context: Some(context.to_string()),
        ..Default::default()
    };
    Config::from_custom_kubeconfig(kc, &options)
        .await
        .map_err(|e| format!("kubeconfig context {context}: {e}"))
}

fn in_cluster(scope: &KubeScope, danger: &[String]) -> Result<Loaded, NoClusters> {
    if std::env::var_os("KUBERNETES_SERVICE_HOST").is_none() {
        return Err(NoClusters::NotConfigured);
    }
    let config = Config::incluster().map_err(|e| NoClusters::Broken(format!("in-cluster: {e}")))?;
    let own_ns = config.default_namespace.clone();
    let target = config.cluster_url.to_string();
    let namespace = namespace_for(&scope.namespace, Some(&own_ns));
    let set = set_of(&scope.namespace);
    let client = Client::try_from(config).map_err(|e| super::errors::plain_error(&e));
    Ok(Loaded {
        known: vec![IN_CLUSTER.to_string()],
        plans: vec![Plan {
            info: info(IN_CLUSTER, &namespace, &set, danger),
            namespace,
            set,
            target,
            client,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broken(r: Result<Option<Kubeconfig>, NoClusters>) -> String {
        match r {
            Err(NoClusters::Broken(text)) => text,
            Err(NoClusters::NotConfigured) => panic!("not configured"),
            Ok(kc) => panic!("read: {kc:?}"),
        }
    }

    const GOOD: &str = "apiVersion: v1\nkind: Config\ncurrent-context: a\n\
        contexts:\n- name: a\n  context: {cluster: a, user: a}\n\
        clusters:\n- name: a\n  cluster: {server: 'https://127.0.0.1:6443'}\n\
        users:\n- name: a\n  user: {token: t}\n";

    #[test]
    fn a_garbage_kubeconfig_names_its_file_in_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("garbage.yaml");
        std::fs::write(
            &path,
            "clusters: [\n  - {name: x\n:::: not yaml\n\tcontexts",
        )
        .unwrap();
        let text = broken(read_paths(None, Some(path.as_os_str()), None));
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains("not a valid kubeconfig"), "{text}");
        assert!(text.contains("fix the file"), "{text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }

    #[test]
    fn a_missing_kubeconfig_says_the_variable_names_it_not_to_set_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing");
        let text = broken(read_paths(None, Some(path.as_os_str()), None));
        assert!(
            text.contains(&format!("KUBECONFIG names {}", path.display())),
            "{text}"
        );
        assert!(text.contains("does not exist"), "{text}");
        assert!(!text.contains("set KUBECONFIG or"), "{text}");
    }

    #[test]
    fn missing_files_beside_a_good_one_are_skipped_as_kubectl_does() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good");
        std::fs::write(&good, GOOD).unwrap();
        let list = std::env::join_paths([dir.path().join("missing"), good]).unwrap();
        let kc = read_paths(None, Some(&list), None).ok().flatten().unwrap();
        assert_eq!(kc.current_context.as_deref(), Some("a"));
    }

    #[test]
    fn without_any_kubeconfig_the_source_is_not_configured() {
        let dir = tempfile::tempdir().unwrap();
        let r = read_paths(None, None, Some(dir.path().to_path_buf()));
        assert!(matches!(r, Ok(None)));
    }

    #[test]
    fn an_unreadable_default_kubeconfig_is_named() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be: unreadable as a file.
        std::fs::create_dir_all(dir.path().join(".kube/config")).unwrap();
        let text = broken(read_paths(None, None, Some(dir.path().to_path_buf())));
        assert!(text.contains(".kube/config"), "{text}");
        assert!(text.contains("cannot read kubeconfig"), "{text}");
    }
}
