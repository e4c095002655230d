//! Compose projects from the containers' labels (what `docker compose ls`
//! and `ps` read: `com.docker.compose.project`, `.service`, and
//! `.depends_on` since Compose v2), and a project action run step by step.

use std::collections::BTreeMap;

use bollard::Docker;
use bollard::models::ContainerSummary;

use crate::core::docker::{ContainerOp, ContainerState};
use crate::core::docker_compose::{PlanStep, ProjectMember, ProjectRow, parse_depends_on};

const PROJECT: &str = "com.docker.compose.project";
const SERVICE: &str = "com.docker.compose.service";
const DEPENDS_ON: &str = "com.docker.compose.depends_on";

/// One row per project; containers without the label are left out.
pub fn project_rows(list: &[ContainerSummary]) -> Vec<ProjectRow> {
    let mut projects: BTreeMap<String, Vec<ProjectMember>> = BTreeMap::new();
    for c in list {
        let Some(labels) = &c.labels else { continue };
        let Some(project) = labels.get(PROJECT).filter(|p| !p.is_empty()) else {
            continue;
        };
        let Some(id) = c.id.clone() else { continue };
        let name = c
            .names
            .as_ref()
            .and_then(|n| n.first())
            .map(|n| n.trim_start_matches('/').to_string())
            .unwrap_or_else(|| id.chars().take(12).collect());
        let member = ProjectMember {
            service: labels.get(SERVICE).cloned().unwrap_or_else(|| name.clone()),
            depends_on: labels
                .get(DEPENDS_ON)
                .map(|l| parse_depends_on(l))
                .unwrap_or_default(),
            state: ContainerState::parse(&c.state.map(|s| s.to_string()).unwrap_or_default()),
            id,
            name,
        };
        projects.entry(project.clone()).or_default().push(member);
    }
    projects
        .into_iter()
        .map(|(name, members)| ProjectRow::new(name, members))
        .collect()
}

/// Runs the steps in order and stops at the first failure (a dependency
/// that did not start leaves its dependents alone). Ok says how many.
pub async fn run(docker: &Docker, steps: &[PlanStep]) -> Result<String, String> {
    let mut done: BTreeMap<&'static str, usize> = BTreeMap::new();
    for step in steps {
        if let Err(e) = super::task::lifecycle(docker, &step.id, step.op).await {
            let so_far = words(&done);
            let before = if so_far.is_empty() {
                String::new()
            } else {
                format!(" (after {so_far})")
            };
            return Err(format!(
                "{} {} failed{before}: {e}",
                step.op.verb(),
                step.name
            ));
        }
        *done.entry(past(step.op)).or_default() += 1;
    }
    Ok(words(&done))
}

fn past(op: ContainerOp) -> &'static str {
    match op {
        ContainerOp::Start => "started",
        ContainerOp::Stop => "stopped",
        ContainerOp::Remove => "removed",
        ContainerOp::Restart => "restarted",
        ContainerOp::Pause => "paused",
        ContainerOp::Unpause => "unpaused",
        ContainerOp::Kill => "killed",
    }
}

fn words(done: &BTreeMap<&'static str, usize>) -> String {
    done.iter()
        .map(|(verb, n)| format!("{verb} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
