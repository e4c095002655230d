use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// A terminal cockpit for on-call: GitHub Actions runs, Kubernetes pods and
/// Docker containers in one screen, with logs and safe actions.
#[derive(Debug, Parser)]
#[command(name = "opsdeck", version, about, after_help = EXIT_CODES_HELP)]
pub struct Cli {
    /// Run against simulated GitHub, Kubernetes and Docker APIs served on
    /// loopback: no token, cluster or engine needed.
    #[arg(long, global = true)]
    pub demo: bool,
    /// Config file (default: config.toml in the platform config directory).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// Refuse every action that changes anything.
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Draw with plain ASCII only (no box drawing or symbols).
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Theme name: dark, light, high-contrast, or one in the config dir's themes/.
    #[arg(long, value_name = "NAME", global = true)]
    pub theme: Option<String>,
    /// The tab to start on.
    #[arg(long, value_enum, default_value_t = StartTab::Overview, global = true)]
    pub tab: StartTab,
    /// Write the log here instead of the platform state directory.
    #[arg(long, value_name = "PATH", global = true)]
    pub log_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The process's exit codes, one place for `main`, `status` and `--help`.
/// Usage and config errors have codes of their own so a script can tell
/// "opsdeck was called wrong" from "a source could not be seen".
pub mod exit {
    /// Nothing broken (or the TUI ended normally).
    pub const OK: u8 = 0;
    /// `status`: something is broken.
    pub const BROKEN: u8 = 1;
    /// `status`: a source could not be seen, so the picture is incomplete.
    pub const UNSEEN: u8 = 2;
    /// The command line is wrong (unknown flag, bad value).
    pub const USAGE: u8 = 3;
    /// The config file (or a theme, or `[keys]`) is wrong.
    pub const CONFIG: u8 = 4;
    /// opsdeck could not run: no terminal, the demo did not start, ...
    pub const FAILED: u8 = 5;
}

const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  nothing broken (status), or the TUI ended normally
  1  something is broken (status)
  2  a source could not be seen: unreachable, or not usable as set up (status)
  3  usage error: unknown flag or bad value
  4  config error: config file, theme or [keys]
  5  opsdeck could not run (terminal, runtime, demo)";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print what is broken once and exit: 0 nothing broken, 1 something is,
    /// 2 a source could not be seen (unreachable, or not usable as set up).
    #[command(after_help = EXIT_CODES_HELP)]
    Status {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Seconds to wait for every source to load once.
        #[arg(long, default_value_t = 10)]
        wait: u64,
    },
    /// Print the stored timeline (what changed, across sources), newest
    /// first, e.g. `opsdeck timeline --since 30m`.
    Timeline {
        /// How far back: 90s, 30m, 2h, 7d.
        #[arg(long, value_name = "AGO", default_value = "2h", value_parser = crate::timeline_cli::parse_since)]
        since: chrono::Duration,
        /// Print JSON (schema opsdeck.timeline/v1) instead of lines.
        #[arg(long)]
        json: bool,
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
