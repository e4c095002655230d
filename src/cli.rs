use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// A terminal cockpit for on-call: GitHub Actions runs, Kubernetes pods and
/// Docker containers in one screen, with logs and safe actions.
#[derive(Debug, Parser)]
#[command(name = "opsdeck", version, about)]
pub struct Cli {
    /// Run against simulated GitHub, Kubernetes and Docker APIs served on
    /// loopback: no token, cluster or engine needed.
    #[arg(long)]
    pub demo: bool,
    /// Config file (default: config.toml in the platform config directory).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Refuse every action that changes anything.
    #[arg(long)]
    pub readonly: bool,
    /// Draw with plain ASCII only (no box drawing or symbols).
    #[arg(long)]
    pub ascii: bool,
    /// Theme name: dark, light, high-contrast, or one in the config dir's themes/.
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// The tab to start on.
    #[arg(long, value_enum, default_value_t = StartTab::Overview)]
    pub tab: StartTab,
    /// Write the log here instead of the platform state directory.
    #[arg(long, value_name = "PATH")]
    pub log_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print what is broken once and exit: 0 nothing broken, 1 something is,
    /// 2 a source could not be reached.
    Status {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Seconds to wait for every source to load once.
        #[arg(long, default_value_t = 10)]
        wait: u64,
    },
    /// Print a shell completion script, e.g.
    /// `opsdeck completions bash > ~/.local/share/bash-completion/completions/opsdeck`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `opsdeck man > ~/.local/share/man/man1/opsdeck.1`.
    Man,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StartTab {
    Overview,
    Actions,
    Kubernetes,
    Docker,
}

impl StartTab {
    pub fn tab(self) -> crate::core::state::Tab {
        use crate::core::state::Tab;
        match self {
            StartTab::Overview => Tab::Overview,
            StartTab::Actions => Tab::Actions,
            StartTab::Kubernetes => Tab::Kubernetes,
            StartTab::Docker => Tab::Docker,
        }
    }
}
