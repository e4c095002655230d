//! Starting opsdeck in a pty against the bench's engine, and the few key
//! sequences every measurement shares.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::pty::{Key, Pty};

pub const COLS: u16 = 200;
pub const ROWS: u16 = 50;
pub const STEP: Duration = Duration::from_secs(15);

pub struct Launch {
    pub bin: PathBuf,
    pub docker_host: String,
    /// Scratch directory: the log file, configs, and TMPDIR (where opsdeck
    /// saves logs).
    pub dir: PathBuf,
}

impl Launch {
    /// Starts opsdeck; returns it with the instant just before the spawn.
    pub fn spawn(&self, config: Option<&str>) -> Result<(Pty, Instant), String> {
        let log = self.dir.join("opsdeck.log");
        let log = log.to_string_lossy().into_owned();
        let mut args = vec![
            "--tab".to_string(),
            "docker".to_string(),
            "--log-file".to_string(),
            log,
        ];
        if let Some(text) = config {
            let path = self.dir.join("config.toml");
            std::fs::write(&path, text).map_err(|e| format!("write config: {e}"))?;
            args.push("--config".into());
            args.push(path.to_string_lossy().into_owned());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let tmp = self.dir.to_string_lossy().into_owned();
        let env = [
            ("DOCKER_HOST", self.docker_host.as_str()),
            ("TMPDIR", tmp.as_str()),
            ("NO_COLOR", ""),
        ];
        let start = Instant::now();
        let bin = self.bin.to_string_lossy().into_owned();
        let pty = Pty::spawn_program(&bin, &args, &env, COLS, ROWS)?;
        Ok((pty, start))
    }
}

/// Filters the list down to `name` and waits until it is shown alone and
/// the screen has settled, so the next key acts on that container.
pub fn select(pty: &Pty, name: &str) -> Result<(), String> {
    filter(pty, name, 1)
}

/// Applies the filter `text` and waits until it shows `count` rows.
pub fn filter(pty: &Pty, text: &str, count: usize) -> Result<(), String> {
    pty.send("/")?;
    pty.send(text)?;
    pty.send_key(Key::Enter)?;
    let marker = format!("filter \"{text}\" ({count})");
    pty.wait_until(&format!("{marker:?}"), STEP, |s| {
        let text = s.contents();
        text.contains(&marker) && !text.contains("filter:")
    })?;
    settle(pty);
    Ok(())
}

/// Esc until neither a log view nor a filter is open.
pub fn back_to_list(pty: &Pty) -> Result<(), String> {
    for _ in 0..3 {
        let text = pty.screen_text();
        if !text.contains("Logs:") && !text.contains("filter \"") {
            return Ok(());
        }
        pty.send_key(Key::Esc)?;
        let _ = pty.wait_change(&pty.snapshot(), Duration::from_secs(2));
        settle(pty);
    }
    let text = pty.screen_text();
    if text.contains("Logs:") || text.contains("filter \"") {
        return Err("Esc did not return to the unfiltered list".into());
    }
    Ok(())
}

/// Gives a frame in flight time to land, so the next snapshot is whole.
pub fn settle(pty: &Pty) {
    let _ = pty.wait_quiet(Duration::from_millis(40), Duration::from_secs(2));
}

/// A log line of a ticking container: "tick " and a digit (the list never
/// shows it: the command column is not on screen).
pub fn has_tick_line(text: &str) -> bool {
    text.match_indices("tick ").any(|(i, m)| {
        text.get(i + m.len()..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| c.is_ascii_digit())
    })
}
