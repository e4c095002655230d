//! Start-up of the GitHub source: which repositories, which token, then
//! the worker. All of it runs in the task, off the UI path (the token
//! command and the git remote lookup may take a moment).

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;

use crate::core::effect::GitHubCommand;
use crate::core::msg::{GitHubEvent, Msg};
use crate::core::source::{SourceHealth, SourceKind};

use super::api::Api;
use super::remote;
use super::token::TokenSource;
use super::worker::{Backfill, Worker};

/// Runs per repository fetched per poll: the first page only. The list
/// shows the newest runs; 50 per repository is plenty for triage, and one
/// page keeps every poll a single (conditional) request. Older runs are a
/// click away on github.com.
pub const RUNS_PER_PAGE: u8 = 50;

/// Everything the source needs, resolved from config, environment and cwd.
#[derive(Debug, Clone)]
pub struct GithubSetup {
    /// API base, `https://api.github.com` or `https://HOST/api/v3`.
    pub api_url: String,
    pub token: TokenSource,
    /// `owner/name` from `[github] repos`.
    pub repos: Vec<String>,
    /// Add the repository of this directory's git remote `origin`.
    pub discover_from: Option<PathBuf>,
    /// Organizations or users whose repositories are added (not archived,
    /// most recently pushed first, at most `owner_repos_max` each).
    pub owners: Vec<String>,
    pub owner_repos_max: usize,
    /// Poll interval while a repository has a run queued or in progress.
    pub poll_active: Duration,
    pub poll_idle: Duration,
    pub per_page: u8,
    /// A repository that has not answered a poll in this long is reported
    /// as not answering, and polled again later; the others go on.
    pub answer_timeout: Duration,
    /// The primary rate limit's window: [`super::budget::HOURLY_WINDOW`]
    /// against GitHub; the bench compresses the hour.
    pub rate_window: Duration,
    /// The timeline's history: runs of the last hours read on start
    /// beyond each repository's first page (`[timeline] backfill_hours`).
    pub backfill: Backfill,
}

/// Longer than any answer GitHub gives a healthy client, short enough that
/// a stuck repository is named while the user still looks at the pane.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(20);

/// Starts the GitHub task; commands go in through the returned sender.
pub fn spawn(setup: GithubSetup, tx: mpsc::Sender<Msg>) -> mpsc::UnboundedSender<GitHubCommand> {
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    tokio::spawn(run(setup, tx, cmd_rx));
    cmd_tx
}

async fn send(tx: &mpsc::Sender<Msg>, ev: GitHubEvent) {
    let _ = tx.send(Msg::GitHub(ev)).await;
}

async fn disabled(tx: &mpsc::Sender<Msg>, how_to_enable: impl Into<String>) {
    let how_to_enable = how_to_enable.into();
    tracing::info!(%how_to_enable, "GitHub source disabled");
    let health = SourceHealth::Disabled { how_to_enable };
    let _ = tx.send(Msg::health(SourceKind::GitHub, health)).await;
}

async fn unusable(tx: &mpsc::Sender<Msg>, short: &str, detail: impl Into<String>) {
    let detail = detail.into();
    tracing::warn!(%detail, "GitHub source unusable");
    let health = SourceHealth::Unusable {
        short: short.into(),
        detail,
    };
    let _ = tx.send(Msg::health(SourceKind::GitHub, health)).await;
}

/// "acme/api" or "acme/api and 2 more repositories".
fn repos_words(repos: &[String]) -> String {
    match repos {
        [] => "the repositories".into(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [first, rest @ ..] => format!("{first} and {} more repositories", rest.len()),
    }
}

async fn run(
    setup: GithubSetup,
    tx: mpsc::Sender<Msg>,
    cmds: mpsc::UnboundedReceiver<GitHubCommand>,
) {
    let repos = resolve_repos(&setup).await;
    if repos.is_empty() && setup.owners.is_empty() {
        disabled(
            &tx,
            "add repositories to [github] repos in config.toml (\"owner/name\") \
             or owners to [github] owners, or start opsdeck inside a clone of a \
             GitHub repository",
        )
        .await;
        return;
    }
    send(&tx, GitHubEvent::Repos(repos.clone())).await;
    // Repositories to watch but no way to read them: set up, yet blind.
    let (token, origin) = match setup.token.find().await {
        Ok(Some(found)) => found,
        Ok(None) => {
            let detail = format!(
                "no token to read {}: log in with `gh auth login`, set GH_TOKEN \
                 (e.g. export GH_TOKEN=$(gh auth token)) or GITHUB_TOKEN, \
                 or set [github] token_command = \"gh auth token\"",
                repos_words(&repos)
            );
            unusable(&tx, "no token", detail).await;
            return;
        }
        Err(e) => {
            unusable(&tx, "token failed", format!("fix the token: {e}")).await;
            return;
        }
    };
    // Where it came from is said (help, `opsdeck status`); the token never is.
    tracing::info!(from = origin.label(), "GitHub token found");
    send(&tx, GitHubEvent::TokenFrom(origin.label().to_string())).await;
    let api = match Api::new(&setup.api_url, &token) {
        Ok(api) => api,
        Err(e) => {
            unusable(&tx, "bad API address", e).await;
            return;
        }
    };
    let health = SourceHealth::Connecting {
        target: setup.api_url.clone(),
    };
    let _ = tx.send(Msg::health(SourceKind::GitHub, health)).await;
    Worker::new(api, (token, origin), &setup, repos, tx)
        .serve(cmds)
        .await;
}

/// Configured repositories plus the current directory's, without repeats
/// (GitHub names are case-insensitive) or malformed names.
async fn resolve_repos(setup: &GithubSetup) -> Vec<String> {
    let mut repos: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let name = name.trim().trim_end_matches(".git");
        let valid = name.split('/').count() == 2 && !name.starts_with('/') && !name.ends_with('/');
        if !valid {
            tracing::warn!(repo = %name, "ignoring [github] repos entry: expected owner/name");
            return;
        }
        if !repos.iter().any(|r| r.eq_ignore_ascii_case(name)) {
            repos.push(name.to_string());
        }
    };
    for r in &setup.repos {
        add(r);
    }
    if let (Some(dir), Some(host)) = (
        setup.discover_from.clone(),
        remote::web_host(&setup.api_url),
    ) {
        let found = tokio::task::spawn_blocking(move || remote::discover(&dir, &host))
            .await
            .ok()
            .flatten();
        if let Some(r) = found {
            add(&r);
        }
    }
    repos
}
