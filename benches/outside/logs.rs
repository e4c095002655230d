//! (h) log freshness and (i) lines lost, on containers that start writing
//! only once opsdeck follows their log.
//!
//! Freshness: every line's engine timestamp (`docker logs --timestamps`:
//! when dockerd read it from the container) is compared with the wall-clock
//! arrival of the terminal output that first showed it. Both clocks are
//! this machine's realtime clock, so no offset needs estimating; the
//! figure includes the engine -> opsdeck stream, opsdeck's batching and
//! drawing, and the pty. The reader thread stamps chunks as they arrive;
//! if two chunks land before the check runs, the later stamp is used, so
//! the error is towards slower, by at most one chunk's gap.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use tokio::runtime::Runtime;

use crate::engine::{Engine, FRESH, FRESH_LINES, LOSSLESS, LOSSLESS_LINES};
use crate::launch::{STEP, back_to_list, select, settle};
use crate::pty::{Key, Pty};
use crate::report::{Report, ms, quantile, spread};

fn open_log(pty: &Pty, name: &str) -> Result<(), String> {
    select(pty, name)?;
    pty.send("l")?;
    pty.wait_for("Logs:", STEP)?;
    settle(pty);
    Ok(())
}

/// Numbers `n` of the words `<prefix> n` on the screen.
fn numbers_after(text: &str, prefix: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for (i, m) in text.match_indices(prefix) {
        let rest = text.get(i + m.len()..).unwrap_or("");
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse() {
            out.push(n);
        }
    }
    out
}

pub fn freshness(pty: &Pty, engine: &Engine, rt: &Runtime, report: &mut Report) {
    let r = (|| -> Result<Vec<Duration>, String> {
        open_log(pty, FRESH)?;
        engine.go(rt, FRESH)?;
        let mut first_seen: HashMap<u32, SystemTime> = HashMap::new();
        let deadline = Instant::now() + Duration::from_secs(FRESH_LINES as u64 / 4 + 20);
        while first_seen.len() < FRESH_LINES as usize {
            let left = deadline.saturating_duration_since(Instant::now());
            let found = RefCell::new(Vec::new());
            let seen = pty.wait_until("a new `fresh` line", left, |s| {
                let nums = numbers_after(&s.contents(), "fresh ");
                let new: Vec<u32> = nums
                    .into_iter()
                    .filter(|n| !first_seen.contains_key(n))
                    .collect();
                let any = !new.is_empty();
                *found.borrow_mut() = new;
                any
            })?;
            for n in found.into_inner() {
                first_seen.entry(n).or_insert(seen.at);
            }
        }
        let stamps = engine.logs_with_timestamps(rt, FRESH)?;
        let mut deltas = Vec::new();
        for (ts, line) in &stamps {
            let Some(n) = numbers_after(line, "fresh ").first().copied() else {
                continue;
            };
            let Some(at) = first_seen.get(&n) else {
                continue;
            };
            let screen = chrono::DateTime::<chrono::Utc>::from(*at);
            let delta = screen.signed_duration_since(*ts);
            // A negative delta would mean the clocks disagree; count it as 0.
            deltas.push(delta.to_std().unwrap_or(Duration::ZERO));
        }
        if deltas.len() < FRESH_LINES as usize {
            return Err(format!(
                "matched only {} of {FRESH_LINES} lines with engine timestamps",
                deltas.len()
            ));
        }
        Ok(deltas)
    })();
    match r {
        Ok(deltas) => report.check(
            "h",
            "log freshness, engine -> screen (p95)",
            ms(quantile(&deltas, 0.95)),
            250.0,
            "ms",
            format!(
                "{}; a line every 250 ms; engine timestamp vs arrival of the frame showing it",
                spread(&deltas)
            ),
        ),
        Err(e) => report.failed("h", "log freshness", "<= 250 ms", e),
    }
    let _ = back_to_list(pty);
}

pub fn lost_lines(pty: &Pty, engine: &Engine, rt: &Runtime, save_dir: &Path, report: &mut Report) {
    let r = (|| -> Result<(usize, String), String> {
        open_log(pty, LOSSLESS)?;
        engine.go(rt, LOSSLESS)?;
        pty.wait_for("seq end", Duration::from_secs(90))?;
        settle(pty);
        pty.send_key(Key::Ctrl('s'))?;
        let toast = RefCell::new(String::new());
        pty.wait_until("the `saved N lines to PATH` toast", STEP, |s| {
            let text = s.contents();
            let found = text
                .lines()
                .find(|l| l.contains("lines to "))
                .map(str::to_string);
            let ok = found.is_some();
            *toast.borrow_mut() = found.unwrap_or_default();
            ok
        })?;
        let path = saved_path(&toast.into_inner(), save_dir)?;
        let saved =
            std::fs::read_to_string(&path).map_err(|e| format!("read {}: {e}", path.display()))?;
        let mut got = BTreeSet::new();
        let mut seq_lines = 0usize;
        for line in saved.lines() {
            for n in numbers_after(line, "seq ") {
                seq_lines += 1;
                got.insert(n);
            }
        }
        let missing = (0..LOSSLESS_LINES).filter(|n| !got.contains(n)).count();
        let stamps = engine.logs_with_timestamps(rt, LOSSLESS)?;
        let numbered: Vec<_> = stamps
            .iter()
            .filter(|(_, l)| !numbers_after(l, "seq ").is_empty())
            .collect();
        let rate = match (numbered.first(), numbered.last()) {
            (Some(a), Some(b)) if b.0 > a.0 => {
                let secs = (b.0 - a.0).num_milliseconds() as f64 / 1000.0;
                format!(
                    "{} lines in {:.1} s ({:.0}/s)",
                    numbered.len(),
                    secs,
                    numbered.len() as f64 / secs
                )
            }
            _ => format!("{} lines", numbered.len()),
        };
        Ok((
            missing,
            format!(
                "followed live, then Ctrl-s; engine log: {rate}; saved file {}: {seq_lines} numbered lines, {} distinct",
                path.display(),
                got.len()
            ),
        ))
    })();
    match r {
        Ok((missing, note)) => report.check(
            "i",
            "lines lost of 10,000 at ~1000/s",
            missing as f64,
            0.0,
            "lines",
            note,
        ),
        Err(e) => report.failed("i", "lines lost", "0", e),
    }
    let _ = back_to_list(pty);
}

/// The path in the toast, or failing that the newest saved log in `dir`.
fn saved_path(toast: &str, dir: &Path) -> Result<PathBuf, String> {
    if let Some(rest) = toast.split("lines to ").nth(1) {
        let candidate: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '│' && *c != '|')
            .collect();
        let p = PathBuf::from(&candidate);
        if p.is_file() {
            return Ok(p);
        }
    }
    let newest = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("opsdeck-") && name.ends_with(".log")
        })
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    newest
        .map(|e| e.path())
        .ok_or_else(|| format!("no saved log found (toast: {toast:?})"))
}
