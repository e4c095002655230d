use chrono::{DateTime, Utc};
use serde::Serialize;

/// The sources opsdeck talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
    Connecting {
        target: String,
    },
    Connected {
        target: String,
        last_update: DateTime<Utc>,
    },
    Reconnecting {
        target: String,
        error: String,
        retry_in_secs: u64,
    },
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
            SourceHealth::Disabled { .. } => None,
        }
    }

    pub fn short_word(&self) -> &'static str {
        match self {
            SourceHealth::Disabled { .. } => "off",
            SourceHealth::Connecting { .. } => "connecting",
            SourceHealth::Connected { .. } => "ok",
            SourceHealth::Reconnecting { .. } => "reconnecting",
        }
    }
}
