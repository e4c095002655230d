//! `config.toml`: where it lives, what it holds, and errors that name the
//! file, line and column. A missing file is fine (defaults); a malformed
//! one stops start-up with a clear message.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::action::Action;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub ui: UiConfig,
    pub docker: DockerConfig,
    pub github: GithubConfig,
    pub kubernetes: KubernetesConfig,
    pub timeline: TimelineConfig,
    /// Overrides of the default key map: `action = "key"` or `["k1", "k2"]`,
    /// with where each is written, for errors that point at it.
    pub keys: HashMap<Action, toml::Spanned<KeyList>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            KeyList::One(k) => vec![k.clone()],
            KeyList::Many(ks) => ks.clone(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    pub theme: String,
    pub ascii: bool,
    /// Lines kept per open log view; older lines are dropped.
    pub log_line_cap: usize,
    /// Lines of history fetched when a log opens.
    pub log_tail: u64,
    pub bell: bool,
    /// Click to select a row or a tab, wheel to scroll. Off by default: a
    /// program that captures the mouse takes text selection away from the
    /// terminal (Shift+drag still selects in most terminals).
    pub mouse: bool,
    /// OSC 8 links on run, job and commit names (a terminal without them
    /// ignores the sequence; off for one that prints it).
    pub hyperlinks: bool,
}

impl Default for UiConfig {
    fn default() -> Self {
        UiConfig {
            theme: "dark".into(),
            ascii: false,
            log_line_cap: 50_000,
            log_tail: 1_000,
            bell: false,
            mouse: false,
            hyperlinks: true,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DockerConfig {
    /// Engine address; `DOCKER_HOST` and `DOCKER_CONTEXT` win, then this,
    /// then the current docker context, then the platform default.
    pub host: Option<String>,
    /// Several engines at once, each row tagged with its engine; used as
    /// given (DOCKER_HOST and contexts choose only a single engine).
    pub hosts: Vec<HostEntry>,
    pub enabled: Option<bool>,
}

/// An engine in `hosts`: its address, `{ name = "...", host = "..." }`
/// to choose the name its rows carry, or `{ context = "..." }` for a
/// docker context (its address and TLS files from the context store; its
/// rows carry the context's name unless `name` says another).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum HostEntry {
    Address(String),
    Named(NamedHost),
    Context(ContextHost),
}

/// Unknown keys are refused, so `{ name, host, context }` is an error
/// rather than one of them silently unused.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedHost {
    pub name: String,
    pub host: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextHost {
    pub context: String,
    pub name: Option<String>,
}

/// Where an entry's engine is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineAt {
    Address(String),
    Context(String),
}

impl HostEntry {
    /// The chosen name, if any, and where the engine is.
    pub fn parts(&self) -> (Option<String>, EngineAt) {
        match self {
            HostEntry::Address(host) => (None, EngineAt::Address(host.clone())),
            HostEntry::Named(n) => (Some(n.name.clone()), EngineAt::Address(n.host.clone())),
            HostEntry::Context(c) => (
                Some(c.name.clone().unwrap_or_else(|| c.context.clone())),
                EngineAt::Context(c.context.clone()),
            ),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GithubConfig {
    pub repos: Vec<String>,
    /// Organizations or users whose repositories are watched too.
    pub owners: Vec<String>,
    /// At most this many repositories per owner, most recently pushed first.
    pub owner_repos_max: usize,
    pub api_url: String,
    pub token_command: Option<String>,
    pub poll_active_secs: u64,
    pub poll_idle_secs: u64,
}

impl Default for GithubConfig {
    fn default() -> Self {
        GithubConfig {
            repos: Vec::new(),
            owners: Vec::new(),
            owner_repos_max: 30,
            api_url: "https://api.github.com".into(),
            token_command: None,
            poll_active_secs: 10,
            poll_idle_secs: 60,
        }
    }
}

/// `[timeline]`: how much history is kept, in memory and on disk.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimelineConfig {
    /// Entries kept in memory; the oldest go first.
    pub max_entries: usize,
    /// The cap of `timeline.jsonl` in the data directory, in MiB; 0 keeps
    /// no history on disk.
    pub store_max_mib: u64,
    /// GitHub runs of the last this many hours are read on start beyond
    /// each repository's first page; 0 reads only what is polled anyway.
    pub backfill_hours: u32,
}

impl Default for TimelineConfig {
    fn default() -> Self {
        TimelineConfig {
            max_entries: crate::core::timeline::DEFAULT_MAX_ENTRIES,
            store_max_mib: crate::timeline_store::DEFAULT_MAX_BYTES / (1024 * 1024),
            backfill_hours: 6,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KubernetesConfig {
    /// Contexts to show; empty means the kubeconfig's current context.
    pub contexts: Vec<String>,
    /// Namespace to show; empty means the context's namespace. `*` is all.
    pub namespace: Option<String>,
    /// Context name patterns (`prod*`) that get a red frame and typed confirmation.
    pub danger: Vec<String>,
    /// Seconds between polls of the metrics API while pods or nodes are
    /// on screen; at least 15 (metrics-server's own resolution), default 15.
    pub metrics_interval_secs: Option<u64>,
    /// A set of namespaces to watch when `namespace` is unset, and the
    /// fallback when all namespaces are forbidden.
    pub namespaces: Vec<String>,
    /// A label selector for the pods (and kinds) lists, as kubectl's `-l`.
    pub selector: Option<String>,
    /// How long a drain waits on PodDisruptionBudgets (0: the default).
    pub drain_timeout_secs: u64,
}

/// metrics-server scrapes every 15 s by default: polling faster only
/// repeats the same figures at the API server's expense.
pub const MIN_METRICS_INTERVAL_SECS: u64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config error in {path} at line {line}, column {column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("config error in {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// `~/.config/opsdeck/` on Linux.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "opsdeck").map(|d| d.config_dir().to_path_buf())
}

pub fn default_path() -> Option<PathBuf> {
    config_dir().map(|d| d.join("config.toml"))
}

impl Config {
    /// Loads `explicit` (which must exist) or the default path (which may not).
    pub fn load(explicit: Option<&Path>) -> Result<(Config, Option<PathBuf>), ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match default_path() {
                Some(p) if p.is_file() => p,
                _ => return Ok((Config::default(), None)),
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        let config = Config::parse(&text, &path)?;
        Ok((config, Some(path)))
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        check_keys(&config, text, path)?;
        check_docker(&config.docker).map_err(|message| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        if config
            .kubernetes
            .metrics_interval_secs
            .is_some_and(|s| s < MIN_METRICS_INTERVAL_SECS)
        {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                message: format!(
                    "[kubernetes] metrics_interval_secs must be at least {MIN_METRICS_INTERVAL_SECS} (seconds)"
                ),
            });
        }
        if config.timeline.max_entries == 0 {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                message: "[timeline] max_entries must be at least 1".into(),
            });
        }
        if config.ui.log_line_cap == 0 {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                message: "[ui] log_line_cap must be at least 1".into(),
            });
        }
        Ok(config)
    }

    pub fn key_overrides(&self) -> HashMap<Action, Vec<String>> {
        self.keys
            .iter()
            .map(|(a, k)| (*a, k.get_ref().to_vec()))
            .collect()
    }
}

/// Engine names become part of container keys (`name/id`), so they are
/// unique and hold no `/`; `host` and `hosts` together would leave one
/// of them silently unused.
fn check_docker(docker: &DockerConfig) -> Result<(), String> {
    if docker.host.is_some() && !docker.hosts.is_empty() {
        return Err("[docker] has both host and hosts: keep one (hosts can list the host)".into());
    }
    let mut seen = Vec::new();
    for entry in &docker.hosts {
        let (name, at) = entry.parts();
        match at {
            EngineAt::Address(host) if host.trim().is_empty() => {
                return Err("[docker] hosts has an empty address".into());
            }
            EngineAt::Context(context) if context.trim().is_empty() => {
                return Err("[docker] hosts has an empty context name".into());
            }
            _ => {}
        }
        if let Some(name) = name {
            if name.is_empty() || name.contains('/') || name.chars().any(char::is_whitespace) {
                return Err(format!(
                    "[docker] hosts: engine name `{name}` must be a non-empty word without `/`"
                ));
            }
            if seen.contains(&name) {
                return Err(format!("[docker] hosts names two engines `{name}`"));
            }
            seen.push(name);
        }
    }
    Ok(())
}

/// `[keys]` overrides must name real keys and must not take a key another
/// action answers to in the same view (`restart = "q"` lost quit in the
/// Docker tab, silently). The error points at the override.
fn check_keys(config: &Config, text: &str, path: &Path) -> Result<(), ConfigError> {
    let at = |action: &Action, message: String| {
        let (line, column) = config
            .keys
            .get(action)
            .map(|k| line_column(text, k.span().start))
            .unwrap_or((1, 1));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let overrides = config.key_overrides();
    for (action, keys) in &overrides {
        for key in keys {
            if let Err(e) = crate::core::keymap::KeySpec::parse(key) {
                return Err(at(action, format!("[keys] {e}")));
            }
        }
    }
    let keymap = crate::core::keymap::KeyMap::with_overrides(&overrides).map_err(|e| {
        ConfigError::Invalid {
            path: path.to_path_buf(),
            message: format!("[keys] {e}"),
        }
    })?;
    let mut changed: Vec<Action> = overrides.keys().copied().collect();
    // The order the file has them in, so the first one written is named.
    changed.sort_by_key(|a| config.keys.get(a).map(|k| k.span().start));
    let conflicts = keymap.conflicts(&changed);
    let Some(first) = changed
        .iter()
        .find_map(|a| conflicts.iter().find(|c| c.action == *a))
    else {
        return Ok(());
    };
    let all: Vec<String> = conflicts.iter().map(|c| c.describe()).collect();
    Err(at(
        &first.action,
        format!("[keys] {}; give one of them another key", all.join("; ")),
    ))
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before
        .get(line_start..)
        .map(|s| s.chars().count())
        .unwrap_or(0)
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses_and_matches_defaults() {
        let text = include_str!("../config.example.toml");
        let c = Config::parse(text, Path::new("config.example.toml")).expect("example parses");
        let d = Config::default();
        assert_eq!(c.ui.theme, d.ui.theme);
        assert_eq!(c.ui.log_line_cap, d.ui.log_line_cap);
        assert_eq!(c.github.poll_idle_secs, d.github.poll_idle_secs);
        assert_eq!(c.timeline.max_entries, d.timeline.max_entries);
        assert_eq!(c.timeline.store_max_mib, d.timeline.store_max_mib);
        assert_eq!(c.timeline.backfill_hours, d.timeline.backfill_hours);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        let err = Config::parse("[ui]\ntheme = \"dark\"\nascii = yes\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("c.toml at line 3, column 9"), "{err}");
    }

    #[test]
    fn unknown_keys_are_errors_not_silently_ignored() {
        let err = Config::parse("[ui]\ntheem = \"dark\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("theem"), "{err}");
    }

    #[test]
    fn key_overrides_accept_one_or_many() {
        let c = Config::parse(
            "[keys]\nquit = \"ctrl-q\"\nhelp = [\"?\", \"f1\"]\n",
            Path::new("c.toml"),
        )
        .expect("parses");
        let o = c.key_overrides();
        assert_eq!(o[&Action::Quit], vec!["ctrl-q"]);
        assert_eq!(o[&Action::Help], vec!["?", "f1"]);
    }

    /// `restart = "q"` took `q` from quit in the Docker tab without a word.
    #[test]
    fn a_key_override_that_collides_is_a_config_error_naming_both() {
        let err = Config::parse(
            "[ui]\ntheme = \"dark\"\n[keys]\nhelp = \"f1\"\nrestart = \"q\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("c.toml at line 5, column 11"), "{err}");
        assert!(
            err.contains("key `q` of restart (Docker tab) is also quit (Global)"),
            "{err}"
        );
        // Two actions on one key in one tab.
        let err = Config::parse("[keys]\nstop = \"r\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2, column 8"), "{err}");
        assert!(
            err.contains("of stop (Docker tab) is also restart"),
            "{err}"
        );
        // Moving quit (and closing a log, where Docker's keys act too)
        // away first makes room.
        Config::parse(
            "[keys]\nquit = \"ctrl-q\"\nclose_log = \"ctrl-w\"\nrestart = \"q\"\n",
            Path::new("c.toml"),
        )
        .map_err(|e| e.to_string())
        .expect("no conflict");
    }

    #[test]
    fn a_bad_key_name_points_at_its_line() {
        let err = Config::parse("[keys]\nquit = \"hyper-z\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2, column 8") && err.contains("hyper-z"),
            "{err}"
        );
    }

    #[test]
    fn unknown_action_in_keys_is_an_error() {
        let err = Config::parse("[keys]\nfly = \"z\"\n", Path::new("c.toml")).unwrap_err();
        assert!(err.to_string().contains("fly"), "{err}");
    }

    #[test]
    fn docker_hosts_take_addresses_and_named_engines() {
        let path = Path::new("c.toml");
        let text = r#"
[docker]
hosts = ["unix:///var/run/docker.sock", { name = "build", host = "ssh://ci@build" },
         { context = "prod-tls" }, { name = "stage", context = "stage-tls" }]
"#;
        let c = Config::parse(text, path).unwrap();
        let parts: Vec<_> = c.docker.hosts.iter().map(HostEntry::parts).collect();
        let at = |s: &str| EngineAt::Address(s.to_string());
        let ctx = |s: &str| EngineAt::Context(s.to_string());
        assert_eq!(
            parts,
            [
                (None, at("unix:///var/run/docker.sock")),
                (Some("build".to_string()), at("ssh://ci@build")),
                (Some("prod-tls".to_string()), ctx("prod-tls")),
                (Some("stage".to_string()), ctx("stage-tls")),
            ]
        );
        let mixed = "[docker]\nhosts = [{ name = \"a\", host = \"tcp://h:1\", context = \"c\" }]\n";
        assert!(
            Config::parse(mixed, path).is_err(),
            "host and context together"
        );
        let both = "[docker]\nhost = \"unix:///a\"\nhosts = [\"unix:///b\"]\n";
        let e = Config::parse(both, path).unwrap_err().to_string();
        assert!(e.contains("both host and hosts"), "{e}");
        let slash = "[docker]\nhosts = [{ name = \"a/b\", host = \"unix:///b\" }]\n";
        let e = Config::parse(slash, path).unwrap_err().to_string();
        assert!(e.contains("`a/b`"), "{e}");
    }
}
