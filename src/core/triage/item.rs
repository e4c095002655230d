//! What the Overview lists: one broken thing, where it is, why, and what
//! `Enter` jumps to. Plain data (the rules that find them are in `triage`).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::core::source::SourceKind;

/// Where `Enter` on an Overview row goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Container {
        id: String,
    },
    Run {
        repo: String,
        id: u64,
    },
    Pod {
        context: String,
        namespace: String,
        name: String,
    },
    /// Another Kubernetes object a Warning event is about (a node, a
    /// claim); `object_kind` is the API kind (`Node`).
    KubeObject {
        context: String,
        object_kind: String,
        namespace: String,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriageItem {
    pub source: SourceKind,
    /// Stable identity of the broken thing, e.g. `docker:<id>`.
    pub key: String,
    pub what: String,
    /// Repo, context/namespace, or engine.
    #[serde(rename = "where")]
    pub location: String,
    pub since: Option<DateTime<Utc>>,
    pub reason: String,
    pub target: Target,
    /// The CI run that built the broken thing's image, when it is known.
    pub cause: Option<Cause>,
}

/// "Built by" link from a container to the run of its image's commit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    pub commit: String,
    pub text: String,
    pub run: Option<Target>,
}

impl TriageItem {
    /// What loads together: the Docker engine, or one GitHub repository
    /// (repositories answer one by one, each first answer is not news).
    pub fn scope(&self) -> String {
        match self.source {
            SourceKind::GitHub => format!("github:{}", self.location),
            other => other.label().to_ascii_lowercase(),
        }
    }

    /// One line for a toast.
    pub fn headline(&self) -> String {
        format!("{}: {}", self.what, self.reason)
    }
}
