//! Tracing goes to a file, never to the screen (it would tear the UI).

use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use redact::Redacting;

mod redact;

/// `~/.local/state/opsdeck/opsdeck.log` on Linux (cache dir where the
/// platform has no state dir).
pub fn default_log_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "opsdeck")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.cache_dir());
    Some(dir.join("opsdeck.log"))
}

/// `~/.local/share/opsdeck` on Linux: the action journal lives here.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "opsdeck").map(|d| d.data_dir().to_path_buf())
}

/// Starts file logging; the guard flushes on drop. Level from `OPSDECK_LOG`
/// (e.g. `debug`, `opsdeck=trace`), default `info`.
pub fn init(path: &Path) -> std::io::Result<WorkerGuard> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = filter(std::env::var("OPSDECK_LOG").ok().as_deref());
    // A second init (tests) is harmless; keep the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Redacting(writer))
        .with_ansi(false)
        .try_init();
    Ok(guard)
}

/// The user's `OPSDECK_LOG` (default `info`), with octocrab's own request
/// tracing off unless asked for by name: it writes an ERROR line for every
/// failed request (a hundred in 30 s against a closed port), where opsdeck
/// logs the change of state once.
fn filter(spec: Option<&str>) -> EnvFilter {
    let spec = spec.filter(|s| !s.trim().is_empty()).unwrap_or("info");
    let mut filter = EnvFilter::try_new(spec).unwrap_or_else(|_| EnvFilter::new("info"));
    if !spec.contains("octocrab")
        && let Ok(quiet) = "octocrab=off".parse()
    {
        filter = filter.add_directive(quiet);
    }
    filter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octocrab_is_quiet_unless_named() {
        assert!(filter(None).to_string().contains("octocrab=off"));
        assert!(filter(Some("debug")).to_string().contains("octocrab=off"));
        let named = filter(Some("debug,octocrab=debug")).to_string();
        assert!(!named.contains("octocrab=off"), "{named}");
    }
}
