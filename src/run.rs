//! Start-up: config, logging, look, sources, then the UI loop.

use std::process::ExitCode;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::app::{self, SourceHandles};
use crate::cli::{Cli, Command};
use crate::config::{self, Config};
use crate::core::keymap::KeyMap;
use crate::core::msg::Msg;
use crate::core::source::SourceHealth;
use crate::core::state::{Settings, State};
#[cfg(feature = "demo")]
use crate::demo::Demo;
use crate::sources;
use crate::terminal;
use crate::ui::{Look, Theme};
#[cfg(not(feature = "demo"))]
use without_demo::Demo;

/// Room for bursts of source messages; when full, producers (log streams)
/// wait, which is the back-pressure that keeps memory bounded.
const MSG_CHANNEL: usize = 1024;

/// Why opsdeck stopped before or outside its work: the exit code differs, so
/// a script can tell a wrong config from a failure to run.
#[derive(Debug)]
pub enum Failure {
    /// The config file, a theme or `[keys]` is wrong.
    Config(String),
    /// Anything else that kept opsdeck from running.
    Run(String),
}

impl From<String> for Failure {
    fn from(text: String) -> Self {
        Failure::Run(text)
    }
}

pub fn main(cli: Cli) -> Result<ExitCode, Failure> {
    // Need no config, terminal or sources: answered before any of them.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            return crate::cli_docs::print(&crate::cli_docs::completions(*shell))
                .map_err(Failure::Run);
        }
        Some(Command::Man) => {
            return crate::cli_docs::print(&crate::cli_docs::man()).map_err(Failure::Run);
        }
        _ => {}
    }
    // Before the config is read: the user asked for the demo, and the useful
    // answer is how to get it, not an unrelated config error.
    #[cfg(not(feature = "demo"))]
    if cli.demo {
        return Err(Failure::Run(without_demo::HOW_TO_GET_IT.into()));
    }
    let (config, _path) =
        Config::load(cli.config.as_deref()).map_err(|e| Failure::Config(e.to_string()))?;
    if let Some(Command::Timeline { since, json }) = &cli.command {
        return timeline_command(&cli, &config, *since, *json);
    }
    let keymap = KeyMap::with_overrides(&config.key_overrides())
        .map_err(|e| Failure::Config(format!("config error in [keys]: {e}")))?;
    let look = make_look(&cli, &config).map_err(Failure::Config)?;
    let log_path = cli
        .log_file
        .clone()
        .or_else(crate::logging::default_log_path);
    let _log_guard = match &log_path {
        Some(p) => Some(
            crate::logging::init(p)
                .map_err(|e| format!("cannot open log file {}: {e}", p.display()))?,
        ),
        None => None,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let settings = Settings {
        readonly: cli.readonly,
        log_line_cap: config.ui.log_line_cap,
        log_tail: config.ui.log_tail,
        bell: config.ui.bell,
        journal_path: crate::logging::data_dir().map(|d| d.join("journal.log")),
        utc_offset: chrono::Offset::fix(chrono::Local::now().offset()),
        // The demo's made-up history never mixes with the real one.
        timeline_store: (!cli.demo && config.timeline.store_max_mib > 0)
            .then(crate::logging::data_dir)
            .flatten()
            .map(|d| {
                let bytes = config.timeline.store_max_mib.saturating_mul(1024 * 1024);
                (d.join("timeline.jsonl"), bytes)
            }),
        kube_metrics_every: std::time::Duration::from_secs(
            config
                .kubernetes
                .metrics_interval_secs
                .unwrap_or(crate::config::MIN_METRICS_INTERVAL_SECS),
        ),
        ..Settings::default()
    };
    let status_command = match cli.command {
        Some(Command::Status { json, wait }) => Some((json, wait)),
        _ => None,
    };
    let start_tab = cli.tab;
    let mouse = config.ui.mouse;
    runtime.block_on(async move {
        // From here on, SIGHUP/SIGTERM/SIGINT end the session through the
        // paths below, which restore the terminal and drop the demo (its
        // kubeconfig with it), instead of killing the process mid-way.
        let mut leaving = terminal::signals::Leaving::listen()
            .map_err(|e| format!("cannot listen for signals: {e}"))?;
        let demo = if cli.demo {
            tokio::select! {
                demo = Demo::start() => {
                    Some(demo.map_err(|e| format!("cannot start the demo: {e}"))?)
                }
                code = leaving.recv() => return Ok(ExitCode::from(code)),
            }
        } else {
            None
        };
        let (tx, rx) = mpsc::channel(MSG_CHANNEL);
        let alt_keys = keymap.clone();
        let mut state = State::new(settings, keymap);
        // The core never reads the clock; the edge sets it, then ticks do.
        state.clock = chrono::Utc::now();
        crate::timeline_store::load_into(&mut state, config.timeline.max_entries);
        state.tab = start_tab.tab();
        let handles = start_sources(&config, demo.as_ref(), &mut state, &tx);
        if let Some((json, wait)) = status_command {
            let (app, _themes) = app::Driver::new(state, handles, tx);
            return Ok(tokio::select! {
                code = crate::status::run(app, rx, json, Duration::from_secs(wait)) => code,
                code = leaving.recv() => ExitCode::from(code),
            });
        }
        terminal::install_panic_hook(log_path.clone());
        let mut tui =
            terminal::enter(mouse).map_err(|e| format!("cannot set up the terminal: {e}"))?;
        let input = terminal::input_events(alt_keys, leaving);
        let result = app::run(&mut tui, state, look, input, rx, tx, handles).await;
        terminal::restore();
        result.map_err(|e| format!("terminal error: {e}"))?;
        // Ended by a signal: report it as a shell would (143 for SIGTERM).
        Ok(terminal::signals::exit_code().map_or(ExitCode::SUCCESS, ExitCode::from))
    })
}

/// `opsdeck timeline`: prints the store, connecting to nothing.
fn timeline_command(
    cli: &Cli,
    config: &Config,
    since: chrono::Duration,
    json: bool,
) -> Result<ExitCode, Failure> {
    if cli.demo {
        return Err(Failure::Run(
            "the demo keeps no timeline on disk: open it with T in `opsdeck --demo`".into(),
        ));
    }
    let max_bytes = config.timeline.store_max_mib.saturating_mul(1024 * 1024);
    let store = crate::timeline_store::TimelineStore::in_data_dir(max_bytes)
        .ok_or_else(|| "no data directory on this platform: no timeline is kept".to_string())?;
    crate::timeline_cli::print(&store, since, json, chrono::Utc::now())?;
    Ok(ExitCode::SUCCESS)
}

/// Starts every enabled source (against the simulators under `--demo`) and
/// marks the others disabled with how to enable them.
fn start_sources(
    config: &Config,
    demo: Option<&Demo>,
    state: &mut State,
    tx: &mpsc::Sender<Msg>,
) -> SourceHandles {
    let mut handles = SourceHandles::default();
    let mut shells = sources::shell::Shells::default();
    if config.docker.enabled.unwrap_or(true) {
        match docker_engines(config, demo) {
            Ok(engines) => {
                if engines.len() > 1 {
                    for e in &engines {
                        let connecting = SourceHealth::Connecting {
                            target: e.host.clone(),
                        };
                        state.docker.engines.insert(e.name.clone(), connecting);
                    }
                }
                shells.docker_host = engines.first().map(|e| e.host.clone());
                shells.docker_engines = engines
                    .iter()
                    .map(|e| (e.name.clone(), e.host.clone()))
                    .collect();
                handles.docker = Some(sources::docker::spawn_engines(engines, tx.clone()));
            }
            Err(detail) => {
                state.docker.health = SourceHealth::Unusable {
                    short: "Docker context".into(),
                    detail,
                };
            }
        }
    } else {
        state.docker.health = SourceHealth::Disabled {
            how_to_enable: "set [docker] enabled = true in config.toml".into(),
        };
    }
    let github = match demo {
        Some(d) => d.github_setup(),
        None => github_setup(&config.github, &config.timeline),
    };
    // Until the task has looked for repositories and a token.
    state.github_health = SourceHealth::Connecting {
        target: github.api_url.clone(),
    };
    handles.github = Some(sources::github::spawn(github, tx.clone()));
    handles.kube = Some(start_kube(config, demo, state, tx));
    shells.kube = Some(demo.map(Demo::kubeconfig));
    handles.shells = Some(std::sync::Arc::new(shells));
    handles
}

/// The engines to show: `[docker] hosts` as listed, else the one engine
/// `DOCKER_HOST`, `DOCKER_CONTEXT`, `[docker] host` or the current docker
/// context names (an unreadable context is the error).
fn docker_engines(
    config: &Config,
    demo: Option<&Demo>,
) -> Result<Vec<sources::docker::Engine>, String> {
    let one = |host: String| {
        vec![sources::docker::Engine {
            name: String::new(),
            host,
        }]
    };
    if let Some(d) = demo {
        return Ok(one(d.docker_host()));
    }
    let hosts = &config.docker.hosts;
    if hosts.is_empty() {
        return sources::docker::resolve_host(config.docker.host.as_deref()).map(one);
    }
    // Each entry's address, its TLS files kept for connecting (an
    // address takes DOCKER_TLS_VERIFY's files, a context its own).
    let mut entries = Vec::new();
    for entry in hosts {
        let (name, at) = entry.parts();
        let host = match at {
            config::EngineAt::Address(host) => sources::docker::resolve_address(&host)?,
            config::EngineAt::Context(context) => sources::docker::resolve_context(&context)?,
        };
        entries.push((name, host));
    }
    let mut engines = sources::docker::name_engines(&entries);
    if let [only] = engines.as_mut_slice() {
        // One entry is one engine: its rows need no tag.
        only.name.clear();
    }
    Ok(engines)
}

/// From `[github]`, `GH_TOKEN`/`GITHUB_TOKEN` and the current directory.
fn github_setup(
    cfg: &config::GithubConfig,
    timeline: &config::TimelineConfig,
) -> sources::github::GithubSetup {
    use sources::github::{
        ANSWER_TIMEOUT, Backfill, GithubSetup, HOURLY_WINDOW, RUNS_PER_PAGE, TokenSource,
    };
    GithubSetup {
        api_url: cfg.api_url.trim_end_matches('/').to_string(),
        token: TokenSource::from_env(cfg.token_command.clone(), &cfg.api_url),
        repos: cfg.repos.clone(),
        discover_from: std::env::current_dir().ok(),
        owners: cfg.owners.clone(),
        owner_repos_max: cfg.owner_repos_max,
        poll_active: Duration::from_secs(cfg.poll_active_secs.max(1)),
        poll_idle: Duration::from_secs(cfg.poll_idle_secs.max(1)),
        per_page: RUNS_PER_PAGE,
        answer_timeout: ANSWER_TIMEOUT,
        rate_window: HOURLY_WINDOW,
        backfill: Backfill {
            window: Duration::from_secs(u64::from(timeline.backfill_hours) * 3600),
            // Each run is two entries (start and end) of the timeline's.
            max_runs: timeline.max_entries / 2,
        },
    }
}

fn start_kube(
    config: &Config,
    demo: Option<&Demo>,
    state: &mut State,
    tx: &mpsc::Sender<Msg>,
) -> mpsc::UnboundedSender<crate::core::kube_msg::KubeCommand> {
    use crate::core::kube::{KubeScope, NamespaceScope};
    let k = &config.kubernetes;
    let mut namespace = match k.namespace.as_deref() {
        None => NamespaceScope::of(k.namespaces.iter().map(String::as_str)),
        Some(ns) => NamespaceScope::parse(ns),
    };
    let mut danger = k.danger.clone();
    if demo.is_some() {
        // The demo shows the whole simulated cluster, and its `prod-eu`
        // context (`:ctx prod-eu`) shows what a dangerous context looks like.
        if k.namespace.is_none() && k.namespaces.is_empty() {
            namespace = NamespaceScope::All;
        }
        if danger.is_empty() {
            danger.push("prod*".into());
        }
    }
    let scope = KubeScope {
        contexts: k.contexts.clone(),
        namespace,
        selector: k.selector.clone().filter(|s| !s.trim().is_empty()),
        fallback: k.namespaces.clone(),
    };
    state.kube.scope = scope.clone();
    state.kube.nodes.drain_timeout_secs = k.drain_timeout_secs;
    state.kube_health = SourceHealth::Connecting {
        target: "kubeconfig".into(),
    };
    let options = sources::kube::KubeOptions {
        kubeconfig: demo.map(Demo::kubeconfig),
        scope,
        danger,
    };
    sources::kube::spawn(options, tx.clone())
}

fn make_look(cli: &Cli, config: &Config) -> Result<Look, String> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let theme = if no_color {
        Theme::monochrome()
    } else {
        let name = cli.theme.as_deref().unwrap_or(&config.ui.theme);
        let user_dir = config::config_dir().map(|d| d.join("themes"));
        Theme::load(name, user_dir.as_deref())?
    };
    let mut look = Look::new(theme, cli.ascii || config.ui.ascii);
    look.hyperlinks = config.ui.hyperlinks;
    Ok(look)
}

/// A build without the `demo` feature: no simulators, and a `Demo` that
/// cannot exist, so the wiring above stays one piece of code either way.
#[cfg(not(feature = "demo"))]
mod without_demo {
    use std::path::PathBuf;

    use crate::sources::github::GithubSetup;

    pub const HOW_TO_GET_IT: &str = "--demo is not available: this opsdeck was built without \
        the simulators (the `demo` feature was turned off). Either build it with the default \
        features (`cargo build --release`), or run the simulators in a process of their own \
        with `cargo run --release -p opsdeck-sim` and start opsdeck the way it prints \
        (`opsdeck --config` with the config.toml it writes)";

    pub enum Demo {}

    impl Demo {
        pub async fn start() -> std::io::Result<Demo> {
            Err(std::io::Error::new(
                std::io::ErrorKind::Unsupported,
                HOW_TO_GET_IT,
            ))
        }

        pub fn docker_host(&self) -> String {
            match *self {}
        }

        pub fn kubeconfig(&self) -> PathBuf {
            match *self {}
        }

        pub fn github_setup(&self) -> GithubSetup {
            match *self {}
        }
    }
}
