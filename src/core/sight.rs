//! What opsdeck cannot see right now, and why. "Nothing broken" is only
//! true of what was looked at: the Overview's title and `opsdeck status`
//! name every source that is set up but gives no picture (no token, a
//! kubeconfig that does not parse, an engine that does not answer).
//! A source turned off on purpose (or never set up) is not a blind spot.

use serde::Serialize;

use super::source::{Pause, SourceHealth, SourceKind};
use super::state::State;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlindSpot {
    pub source: SourceKind,
    /// A few words for a title: "no token", "unreachable".
    pub short: String,
    /// The whole reason, naming the file, host or repository.
    pub detail: String,
}

/// Every source with its health, in the order they are shown.
pub fn sources(state: &State) -> [(SourceKind, &SourceHealth); 3] {
    [
        (SourceKind::GitHub, &state.github_health),
        (SourceKind::Kubernetes, &state.kube_health),
        (SourceKind::Docker, &state.docker.health),
    ]
}

pub fn blind_spots(state: &State) -> Vec<BlindSpot> {
    sources(state)
        .into_iter()
        .filter_map(|(source, health)| {
            let (short, detail) = match health {
                SourceHealth::Disabled { .. } => return None,
                SourceHealth::Connected { .. } => {
                    if source != SourceKind::GitHub {
                        return None;
                    }
                    return repos_unseen(state);
                }
                SourceHealth::Unusable { short, detail } => (short.clone(), detail.clone()),
                SourceHealth::Connecting { target } => (
                    "connecting".to_string(),
                    format!("still connecting to {target}"),
                ),
                SourceHealth::Reconnecting {
                    target,
                    error,
                    pause,
                    ..
                } => {
                    let short = match pause {
                        Pause::RateLimit => "rate limited",
                        Pause::Backoff => "unreachable",
                    };
                    (short.to_string(), with_target(target, error))
                }
            };
            Some(BlindSpot {
                source,
                short,
                detail,
            })
        })
        .collect()
}

/// GitHub answers, but not for every repository: those runs are unseen.
fn repos_unseen(state: &State) -> Option<BlindSpot> {
    let errors = &state.github.repo_errors;
    let first = errors.keys().next()?;
    let short = match errors.len() {
        1 => format!("{first} failing"),
        n => format!("{n} repositories failing"),
    };
    let detail = errors
        .iter()
        .map(|(repo, e)| format!("{repo}: {e}"))
        .collect::<Vec<_>>()
        .join("; ");
    Some(BlindSpot {
        source: SourceKind::GitHub,
        short,
        detail,
    })
}

/// "cannot see GitHub (no token), Docker (unreachable)".
pub fn summary(spots: &[BlindSpot]) -> Option<String> {
    if spots.is_empty() {
        return None;
    }
    let parts: Vec<String> = spots
        .iter()
        .map(|s| format!("{} ({})", s.source.label(), s.short))
        .collect();
    Some(format!("cannot see {}", parts.join(", ")))
}

/// The Overview's title in at most `width` characters: how many are
/// broken, and what was not looked at with why; when that is too long, the
/// sources alone (the health lines under the title say why).
pub fn title(broken: usize, spots: &[BlindSpot], width: usize) -> String {
    let head = match (broken, spots.is_empty()) {
        (0, true) => "nothing broken".to_string(),
        (0, false) => "nothing broken in what it can see".to_string(),
        (n, _) => format!("{n} broken"),
    };
    let Some(blind) = summary(spots) else {
        return format!("Overview: {head}");
    };
    let names = spots
        .iter()
        .map(|s| s.source.label())
        .collect::<Vec<_>>()
        .join(", ");
    let short_head = if broken == 0 {
        "nothing broken seen".to_string()
    } else {
        head.clone()
    };
    let candidates = [
        format!("Overview: {head}; {blind}"),
        format!("Overview: {short_head}; cannot see {names}"),
        match broken {
            0 => format!("Overview: cannot see {names}"),
            n => format!("Overview: {n} broken; cannot see {names}"),
        },
    ];
    let fits = candidates.iter().find(|t| t.chars().count() <= width);
    fits.unwrap_or(&candidates[2]).clone()
}

/// "host: error", without the host twice when the error already names it.
fn with_target(target: &str, error: &str) -> String {
    if error.contains(target) {
        error.to_string()
    } else {
        format!("{target}: {error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::keymap::KeyMap;
    use crate::core::state::Settings;

    /// Every source off, as with nothing set up.
    fn state() -> State {
        let mut s = State::new(Settings::default(), KeyMap::default());
        s.docker.health = SourceHealth::Disabled {
            how_to_enable: "set [docker] enabled = true".into(),
        };
        s
    }

    #[test]
    fn sources_turned_off_are_not_blind_spots() {
        let s = state();
        assert_eq!(blind_spots(&s), Vec::new());
        assert_eq!(title(0, &blind_spots(&s), 80), "Overview: nothing broken");
    }

    #[test]
    fn a_source_that_cannot_be_used_or_reached_is_named_with_why() {
        let mut s = state();
        s.github_health = SourceHealth::Unusable {
            short: "no token".into(),
            detail: "set GH_TOKEN".into(),
        };
        s.docker.health = SourceHealth::Reconnecting {
            target: "tcp://127.0.0.1:1".into(),
            error: "connection refused".into(),
            retry_at: s.clock,
            pause: Pause::Backoff,
        };
        let spots = blind_spots(&s);
        assert_eq!(spots.len(), 2);
        assert_eq!(spots[1].detail, "tcp://127.0.0.1:1: connection refused");
        assert_eq!(
            title(0, &spots, 200),
            "Overview: nothing broken in what it can see; \
             cannot see GitHub (no token), Docker (unreachable)"
        );
        assert_eq!(
            title(0, &spots, 60),
            "Overview: nothing broken seen; cannot see GitHub, Docker"
        );
        assert_eq!(
            title(2, &spots[..1], 80),
            "Overview: 2 broken; cannot see GitHub (no token)"
        );
    }

    #[test]
    fn repositories_that_do_not_answer_are_unseen() {
        let mut s = state();
        s.github_health = SourceHealth::Connected {
            target: "api".into(),
            last_update: s.clock,
        };
        assert!(blind_spots(&s).is_empty());
        s.github
            .repo_errors
            .insert("acme/api".into(), "not found (404)".into());
        let spots = blind_spots(&s);
        assert_eq!(spots[0].short, "acme/api failing");
        assert_eq!(spots[0].detail, "acme/api: not found (404)");
    }
}
