//! Rows for unit tests: one plain value of each domain type, which a test
//! changes with struct update syntax (`Container { exit_code: Some(1),
//! ..Container::fixture(..) }`) instead of spelling every field again.

use chrono::{DateTime, Utc};

use super::docker::{Container, ContainerState};
use super::github::{Conclusion, Run, Status};
use super::kube::{PodKey, PodRow};

impl Container {
    pub fn fixture(id: &str, name: &str, state: ContainerState) -> Container {
        Container {
            id: id.into(),
            engine: String::new(),
            name: name.into(),
            project: None,
            service: None,
            image: "busybox".into(),
            state,
            health: None,
            exit_code: None,
            oom_killed: false,
            restart_count: 0,
            ports: String::new(),
            created: None,
            started_at: None,
            finished_at: None,
            revision: None,
        }
    }
}

impl Run {
    /// Run `id` (also its number) of the `CI` workflow on `main`.
    pub fn fixture(
        repo: &str,
        id: u64,
        status: Status,
        conclusion: Option<Conclusion>,
        created_at: DateTime<Utc>,
    ) -> Run {
        Run {
            repo: repo.into(),
            id,
            number: id,
            attempt: 1,
            workflow: "CI".into(),
            workflow_id: 7,
            branch: "main".into(),
            event: "push".into(),
            actor: "mara".into(),
            title: format!("change {id}"),
            status,
            conclusion,
            head_sha: "abc1234".into(),
            created_at,
            updated_at: created_at,
            started_at: None,
            html_url: String::new(),
        }
    }
}

impl PodRow {
    /// A ready pod of one container, created at `created`.
    pub fn fixture(context: &str, namespace: &str, name: &str, created: DateTime<Utc>) -> PodRow {
        PodRow {
            key: PodKey::new(context, namespace, name),
            status: "Running".into(),
            phase: "Running".into(),
            ready: 1,
            total: 1,
            restarts: 0,
            last_restart: None,
            created: Some(created),
            not_ready_since: None,
            node: None,
            ip: None,
            owner: None,
            containers: Vec::new(),
        }
    }
}
