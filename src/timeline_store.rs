//! The timeline's history on disk: one JSON object per line in
//! `timeline.jsonl` in the data directory, appended batch by batch and
//! kept under a size cap. Past the cap the file is rewritten with its
//! newest entries filling three quarters of it, so the rewrite (a read of
//! the whole file) happens once per quarter of the cap written, not on
//! every append. Lines that do not parse (a file cut by a crash, a newer
//! format) are skipped and counted, never fatal.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::core::timeline::Entry;

/// One writer at a time in this process: appends come from blocking tasks.
static WRITING: Mutex<()> = Mutex::new(());

/// The default cap: a day of a busy cluster's changes is a few MB.
pub const DEFAULT_MAX_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineStore {
    pub path: PathBuf,
    pub max_bytes: u64,
}

/// What was read back: the entries, oldest first, and how many lines
/// could not be read.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub unreadable: usize,
}

impl TimelineStore {
    /// `timeline.jsonl` in the platform data directory.
    pub fn in_data_dir(max_bytes: u64) -> Option<TimelineStore> {
        crate::logging::data_dir().map(|d| TimelineStore {
            path: d.join("timeline.jsonl"),
            max_bytes,
        })
    }

    /// Reads the history; a missing file is an empty history.
    pub fn load(&self) -> Result<Loaded, String> {
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
            Err(e) => return Err(format!("cannot read {}: {e}", self.path.display())),
        };
        let mut loaded = Loaded::default();
        for line in std::io::BufReader::new(file).split(b'\n') {
            let line = line.map_err(|e| format!("cannot read {}: {e}", self.path.display()))?;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match serde_json::from_slice::<Entry>(&line) {
                Ok(entry) => loaded.entries.push(entry),
                Err(_) => loaded.unreadable += 1,
            }
        }
        loaded.entries.sort_by_key(|e| e.at);
        Ok(loaded)
    }

    /// Appends `entries`, then trims the file if it went past the cap.
    pub fn append<E: std::borrow::Borrow<Entry>>(&self, entries: &[E]) -> Result<(), String> {
        let _one = WRITING.lock().unwrap_or_else(|e| e.into_inner());
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", self.path.display());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(fail)?;
        }
        let mut text = Vec::new();
        for entry in entries {
            if let Ok(line) = serde_json::to_vec(entry.borrow()) {
                text.extend_from_slice(&line);
                text.push(b'\n');
            }
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(fail)?;
        // One write per batch, so another opsdeck appending at the same
        // time does not interleave inside a line.
        file.write_all(&text).map_err(fail)?;
        let size = file.metadata().map_err(fail)?.len();
        drop(file);
        if size > self.max_bytes {
            self.trim().map_err(fail)?;
        }
        Ok(())
    }

    /// Keeps the newest entries that fill three quarters of the cap.
    fn trim(&self) -> std::io::Result<()> {
        let loaded = self.load().map_err(std::io::Error::other)?;
        let budget = self.max_bytes / 4 * 3;
        let mut kept: Vec<Vec<u8>> = Vec::new();
        let mut used = 0u64;
        for entry in loaded.entries.iter().rev() {
            let Ok(mut line) = serde_json::to_vec(entry) else {
                continue;
            };
            line.push(b'\n');
            if used + line.len() as u64 > budget {
                break;
            }
            used += line.len() as u64;
            kept.push(line);
        }
        let tmp = temp_beside(&self.path);
        {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            for line in kept.iter().rev() {
                out.write_all(line)?;
            }
            out.flush()?;
        }
        std::fs::rename(&tmp, &self.path)
    }
}

/// Sizes the state's timeline and fills it with the stored history, before
/// the sources start; a store that cannot be read is said in a toast.
pub fn load_into(state: &mut crate::core::state::State, max_entries: usize) {
    state.timeline = crate::core::timeline_view::TimelineState::with_capacity(max_entries);
    let Some((path, max_bytes)) = state.settings.timeline_store.clone() else {
        return;
    };
    match (TimelineStore { path, max_bytes }).load() {
        Ok(loaded) => {
            if loaded.unreadable > 0 {
                tracing::warn!(
                    lines = loaded.unreadable,
                    "timeline store: unreadable lines skipped"
                );
            }
            state.timeline.entries.load(loaded.entries);
        }
        Err(e) => state.toast(crate::core::toast::ToastLevel::Error, e),
    }
}

fn temp_beside(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
#[path = "timeline_store_tests.rs"]
mod tests;
