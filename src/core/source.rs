use chrono::{DateTime, Utc};
use serde::Serialize;

/// The sources opsdeck talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    #[serde(rename = "github")]
    GitHub,
    Kubernetes,
    Docker,
}

impl SourceKind {
    /// The source's word in the action journal.
    pub fn journal_name(self) -> &'static str {
        match self {
            SourceKind::GitHub => "github",
            SourceKind::Kubernetes => "kubernetes",
            SourceKind::Docker => "docker",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SourceKind::GitHub => "GitHub",
            SourceKind::Kubernetes => "Kubernetes",
            SourceKind::Docker => "Docker",
        }
    }
}

/// Connection state of one source, shown in the status bar and the pane.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceHealth {
    /// Not configured (or turned off); the text says how to enable it.
    Disabled {
        how_to_enable: String,
    },
    /// Set up, yet nothing can be seen until the user fixes something (no
    /// token for the repositories found, a kubeconfig that does not parse):
    /// nothing is retried, and the Overview and `status` say the picture is
    /// incomplete rather than "nothing broken".
    Unusable {
        /// A few words for titles and the status bar: "no token".
        short: String,
        /// The whole sentence: what is wrong, naming the file or variable,
        /// and what to do.
        detail: String,
    },
    Connecting {
        target: String,
    },
    Connected {
        target: String,
        last_update: DateTime<Utc>,
    },
    /// Waiting before the next try. The moment is kept, not a number of
    /// seconds, so the UI counts down from its own clock as time passes.
    Reconnecting {
        target: String,
        error: String,
        retry_at: DateTime<Utc>,
        pause: Pause,
    },
}

/// The health of a source made of parts (Kubernetes contexts, Docker
/// engines) for the status bar: connected only when all are; otherwise
/// the first trouble, named by its part when there are several.
pub fn combine<'a>(
    parts: impl ExactSizeIterator<Item = (&'a str, &'a SourceHealth)>,
) -> Option<SourceHealth> {
    let many = parts.len() > 1;
    let named = |name: &str, text: &str| {
        if many {
            format!("{name}: {text}")
        } else {
            text.to_string()
        }
    };
    let mut connected: Option<SourceHealth> = None;
    for (name, health) in parts {
        match health {
            SourceHealth::Reconnecting {
                target,
                error,
                retry_at,
                pause,
            } => {
                return Some(SourceHealth::Reconnecting {
                    target: target.clone(),
                    error: named(name, error),
                    retry_at: *retry_at,
                    pause: *pause,
                });
            }
            // A part its configuration makes unusable is trouble too.
            SourceHealth::Unusable { short, detail } => {
                return Some(SourceHealth::Unusable {
                    short: short.clone(),
                    detail: named(name, detail),
                });
            }
            SourceHealth::Connecting { .. } | SourceHealth::Disabled { .. } => {
                connected = Some(health.clone());
            }
            SourceHealth::Connected { .. } => {
                if connected.is_none() {
                    connected = Some(health.clone());
                }
            }
        }
    }
    connected
}

/// Why a source is waiting: a lost connection, or a limit the server set.
/// The words differ, so a user is not told to worry about a connection
/// that is fine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// Backing off after a failure.
    Backoff,
    /// The server asked for a pause (a rate limit); resuming is planned.
    RateLimit,
}

impl SourceHealth {
    pub fn is_connected(&self) -> bool {
        matches!(self, SourceHealth::Connected { .. })
    }

    /// What the source talks to (engine, context, API), when it has one.
    pub fn target(&self) -> Option<&str> {
        match self {
            SourceHealth::Connected { target, .. }
            | SourceHealth::Reconnecting { target, .. }
            | SourceHealth::Connecting { target } => Some(target),
            SourceHealth::Disabled { .. } | SourceHealth::Unusable { .. } => None,
        }
    }

    pub fn short_word(&self) -> &'static str {
        match self {
            SourceHealth::Disabled { .. } => "off",
            SourceHealth::Unusable { .. } => "unusable",
            SourceHealth::Connecting { .. } => "connecting",
            SourceHealth::Connected { .. } => "ok",
            SourceHealth::Reconnecting {
                pause: Pause::RateLimit,
                ..
            } => "rate limited",
            SourceHealth::Reconnecting { .. } => "reconnecting",
        }
    }

    /// What the source is waiting for and for how long, counted down from
    /// `now`: "reconnecting in 7s", "rate limited, resumes in 4m10s". The
    /// one wording of a wait, used by every pane and the status bar.
    pub fn waiting_words(&self, now: DateTime<Utc>) -> Option<String> {
        let SourceHealth::Reconnecting {
            retry_at, pause, ..
        } = self
        else {
            return None;
        };
        let left = (*retry_at - now).num_milliseconds();
        // To the nearest second: the clock ticks once a second, so the
        // words step down once a second too.
        let secs = u64::try_from(left).unwrap_or(0).saturating_add(500) / 1000;
        Some(match (pause, secs) {
            (Pause::Backoff, 0) => "reconnecting now".to_string(),
            (Pause::Backoff, s) => format!("reconnecting in {}", duration_words(s)),
            (Pause::RateLimit, 0) => "rate limited, resuming now".to_string(),
            (Pause::RateLimit, s) => format!("rate limited, resumes in {}", duration_words(s)),
        })
    }
}

/// `7s`, `4m10s`, `2h05m`: short enough for the status bar.
pub fn duration_words(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    fn waiting(pause: Pause, retry_at: DateTime<Utc>) -> SourceHealth {
        SourceHealth::Reconnecting {
            target: "t".into(),
            error: "e".into(),
            retry_at,
            pause,
        }
    }

    #[test]
    fn the_wait_counts_down_from_the_clock() {
        let h = waiting(Pause::Backoff, at(8));
        assert_eq!(
            h.waiting_words(at(0)).as_deref(),
            Some("reconnecting in 8s")
        );
        assert_eq!(
            h.waiting_words(at(1)).as_deref(),
            Some("reconnecting in 7s")
        );
        let half = at(7) + Duration::milliseconds(500);
        assert_eq!(h.waiting_words(half).as_deref(), Some("reconnecting in 1s"));
        assert_eq!(h.waiting_words(at(9)).as_deref(), Some("reconnecting now"));
        let connected = SourceHealth::Connected {
            target: "t".into(),
            last_update: at(0),
        };
        assert_eq!(connected.waiting_words(at(0)), None);
    }

    #[test]
    fn a_rate_limit_is_called_what_it_is() {
        let h = waiting(Pause::RateLimit, at(250));
        assert_eq!(
            h.waiting_words(at(0)).as_deref(),
            Some("rate limited, resumes in 4m10s")
        );
        assert_eq!(h.short_word(), "rate limited");
        assert_eq!(duration_words(3 * 3600 + 5 * 60 + 9), "3h05m");
    }
}
