//! The lines running containers log as time passes, at a pace and in a
//! format that depend on the pod's flavor.

use std::time::Duration;

use chrono::Utc;
use tokio::time::Instant;

use super::kubelet::{CState, Stage};
use super::logtext::{self, Flavor};
use super::state::SimState;

/// Appends log lines for running containers whose next line is due.
pub(crate) fn generate_logs(st: &mut SimState, now: Instant) {
    let t = Utc::now();
    let SimState {
        kubelet, logs, rng, ..
    } = st;
    for (key, rt) in kubelet.pods.iter_mut() {
        if rt.next_log.is_none_or(|d| d > now) {
            continue;
        }
        if !matches!(
            rt.stage,
            Stage::Up | Stage::Starting | Stage::Held | Stage::Terminating
        ) {
            continue;
        }
        let gap = match rt.flavor {
            Flavor::Web | Flavor::Api => 400 + rng.below(1200),
            Flavor::Plain => 3000 + rng.below(3000),
            _ => 900 + rng.below(2500),
        };
        rt.next_log = Some(now + Duration::from_millis(gap));
        for (i, c) in rt.ctrs.iter().enumerate() {
            if !matches!(c.state, CState::Running(_)) || (i > 0 && rng.below(4) != 0) {
                continue;
            }
            rt.log_seq += 1;
            let flavor = if i == 0 { rt.flavor } else { Flavor::Logfmt };
            logs.append(
                &key.0,
                &key.1,
                &c.name,
                t,
                logtext::line(flavor, rt.log_seq, t, rng),
            );
        }
    }
}
