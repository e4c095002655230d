//! Correlation shown, not guessed: a link between two timeline entries is
//! made only when named fields are equal, and it carries those fields so
//! the row can say why ("image commit 3f2c1ab = head SHA of acme/web #231").
//! Links are found at display time from the timeline's indexes, so they
//! hold whatever order the entries arrived in (a run read after the
//! rollout it built, history read back from disk).

use chrono::Duration;
use serde::Serialize;

use super::cause::sha_matches;
use super::time::short_age;
use super::timeline::{Change, Entry, Seq, Timeline};

/// How long after a rollout a breakage of the same workload is said to
/// follow it. Ten minutes covers a slow rollout's last pods starting and
/// their first crash-loop back-offs; past that the rollout is history.
pub const ROLLOUT_WINDOW_SECS: i64 = 600;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The entry's image was built from the commit of this run.
    BuiltBy,
    /// The breakage came within the window after this rollout.
    AfterRollout,
}

/// One field that matched, with the value on each side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matched {
    pub field: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub kind: LinkKind,
    /// The other entry's id.
    pub to: String,
    /// What the row says.
    pub text: String,
    pub matched: Vec<Matched>,
}

/// The reason with the links' words after it; a "built by" that the
/// rollout's link already says is not said twice.
pub fn row_text(entry: &Entry, links: &[Link]) -> String {
    let mut text = entry.reason.clone();
    for (i, link) in links.iter().enumerate() {
        let said_later = links[i + 1..].iter().any(|l| l.text.contains(&link.text));
        if !said_later {
            text.push_str("; ");
            text.push_str(&link.text);
        }
    }
    text
}

impl Timeline {
    /// Every link of `entry`: the run that built its image, and for a
    /// breakage the rollout of its workload it followed.
    pub fn links(&self, entry: &Entry) -> Vec<Link> {
        let mut links = Vec::new();
        if let Some(link) = self.built_by(entry) {
            links.push(link);
        }
        if let Some(link) = self.after_rollout(entry) {
            links.push(link);
        }
        links
    }

    /// The run whose head SHA is the entry's image commit; of several (a
    /// re-run, a push and a tag), the newest that finished by the entry's
    /// time, else the newest at all.
    pub fn built_by(&self, entry: &Entry) -> Option<Link> {
        if matches!(entry.change, Change::RunStarted | Change::RunFinished) {
            return None;
        }
        let commit = entry.commit.as_deref()?;
        let runs = self
            .runs_by_sha
            .get(&commit.get(..7)?.to_ascii_lowercase())?;
        let candidates: Vec<(Seq, &Entry)> = runs
            .iter()
            .filter_map(|s| self.get(*s).map(|e| (*s, e)))
            .filter(|(_, run)| {
                run.commit
                    .as_deref()
                    .is_some_and(|sha| sha_matches(commit, sha))
            })
            .collect();
        let finished_before = candidates
            .iter()
            .filter(|(_, r)| r.change == Change::RunFinished && r.at <= entry.at)
            .max_by_key(|(s, r)| (r.at, *s));
        let (_, run) =
            finished_before.or_else(|| candidates.iter().max_by_key(|(s, r)| (r.at, *s)))?;
        let sha = run.commit.as_deref().unwrap_or_default();
        Some(Link {
            kind: LinkKind::BuiltBy,
            to: run.id.clone(),
            text: format!("built by {} {}", run.place, run.what),
            matched: vec![
                Matched {
                    field: "image commit",
                    value: commit.to_string(),
                },
                Matched {
                    field: "run head SHA",
                    value: sha.chars().take(12).collect(),
                },
            ],
        })
    }

    /// The last rollout of the entry's workload at most
    /// [`ROLLOUT_WINDOW_SECS`] before a breakage.
    pub fn after_rollout(&self, entry: &Entry) -> Option<Link> {
        if !entry.bad || entry.change == Change::Rollout {
            return None;
        }
        let workload = entry.workload.as_deref()?;
        let from = entry.at - Duration::seconds(ROLLOUT_WINDOW_SECS);
        let (slot, _) = self
            .rollouts
            .get(workload)?
            .range((from, 0)..=(entry.at, Seq::MAX))
            .next_back()?;
        let rollout = self.get(slot.1)?;
        let gap = short_age(rollout.at, entry.at);
        let mut text = format!("{gap} after rollout of {}", rollout.what);
        if let Some(built) = self.built_by(rollout) {
            text.push_str(&format!(", {}", built.text));
        }
        Some(Link {
            kind: LinkKind::AfterRollout,
            to: rollout.id.clone(),
            text,
            matched: vec![
                Matched {
                    field: "workload",
                    value: workload.to_string(),
                },
                Matched {
                    field: "within",
                    value: format!("{} min", ROLLOUT_WINDOW_SECS / 60),
                },
            ],
        })
    }
}
