//! Which workflow runs count as broken: the latest run of each workflow on
//! each branch, when it failed, timed out or was cancelled. A later run of
//! the same workflow and branch (a fix, a re-run that passed) clears it.

use std::collections::BTreeMap;

use super::{Target, TriageItem};
use crate::core::github::{Conclusion, Run, Status};
use crate::core::source::SourceKind;
use crate::core::state::State;

pub fn run_reason(run: &Run) -> Option<String> {
    if run.status != Status::Completed {
        return None;
    }
    let word = match run.conclusion? {
        Conclusion::Failure => "failed",
        Conclusion::TimedOut => "timed out",
        Conclusion::Cancelled => "cancelled",
        Conclusion::StartupFailure => "failed to start",
        _ => return None,
    };
    let attempt = if run.attempt > 1 {
        format!(" (attempt {})", run.attempt)
    } else {
        String::new()
    };
    Some(format!("{word}{attempt} on {}", run.branch))
}

/// The latest run per (repo, workflow, branch); newer means a higher run number.
pub fn latest_runs(runs: &BTreeMap<(String, u64), Run>) -> Vec<&Run> {
    let mut latest: BTreeMap<(&str, u64, &str), &Run> = BTreeMap::new();
    for run in runs.values() {
        let key = (run.repo.as_str(), run.workflow_id, run.branch.as_str());
        match latest.get(&key) {
            Some(seen) if (seen.number, seen.attempt) >= (run.number, run.attempt) => {}
            _ => {
                latest.insert(key, run);
            }
        }
    }
    latest.into_values().collect()
}

pub fn items(state: &State) -> Vec<TriageItem> {
    let Some(runs) = state.github.runs.data() else {
        return Vec::new();
    };
    latest_runs(runs)
        .into_iter()
        .filter_map(|run| {
            let reason = run_reason(run)?;
            Some(TriageItem {
                source: SourceKind::GitHub,
                key: format!("github:{}:{}:{}", run.repo, run.id, run.attempt),
                what: format!("{} {} #{}", run.repo, run.workflow, run.number),
                location: run.repo.clone(),
                since: Some(run.updated_at),
                reason,
                target: Target::Run {
                    repo: run.repo.clone(),
                    id: run.id,
                },
                cause: None,
            })
        })
        .collect()
}
