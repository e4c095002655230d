//! Compose projects as rows (`:projects`): the containers carrying one
//! `com.docker.compose.project` label, their services, and the order in
//! which a project-wide action touches them. Compose itself starts
//! dependencies first and stops dependents first
//! (https://docs.docker.com/compose/how-tos/startup-order/); the order
//! comes from the `com.docker.compose.depends_on` label Compose v2 puts on
//! every container (`service:condition:restart`, comma-separated).

use std::collections::{BTreeMap, BTreeSet};

use super::docker::{ContainerOp, ContainerState};

/// One container of a project, as much as ordering and the dialog need.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectMember {
    /// The container's key (`Container::key`): engine-qualified with
    /// several engines, so steps and logs are routed to its engine.
    pub id: String,
    pub name: String,
    /// `com.docker.compose.service`; the container's name when missing.
    pub service: String,
    pub state: ContainerState,
    /// Services this one's service depends on.
    pub depends_on: Vec<String>,
}

impl ProjectMember {
    pub fn is_running(&self) -> bool {
        matches!(
            self.state,
            ContainerState::Running | ContainerState::Restarting | ContainerState::Paused
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    /// The engine the project runs on; empty with one engine.
    pub engine: String,
    pub name: String,
    /// By container name.
    pub members: Vec<ProjectMember>,
    /// The members' names (the generic view's "users" column).
    pub names: Vec<String>,
}

impl ProjectRow {
    pub fn new(name: String, mut members: Vec<ProjectMember>) -> ProjectRow {
        members.sort_by(|a, b| a.name.cmp(&b.name));
        let names = members.iter().map(|m| m.name.clone()).collect();
        ProjectRow {
            engine: String::new(),
            name,
            members,
            names,
        }
    }

    pub fn running(&self) -> usize {
        self.members.iter().filter(|m| m.is_running()).count()
    }

    /// Its services in start order (dependencies first).
    pub fn services(&self) -> Vec<String> {
        service_order(&self.members)
    }
}

/// The services of `com.docker.compose.depends_on`
/// (`db:service_healthy:false,cache:service_started:true`).
pub fn parse_depends_on(label: &str) -> Vec<String> {
    label
        .split(',')
        .filter_map(|entry| entry.split(':').next())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Services ordered so that each comes after those it depends on; ties
/// (and services in a dependency cycle, which Compose itself refuses) by
/// name, so the order is stable.
pub fn service_order(members: &[ProjectMember]) -> Vec<String> {
    let mut deps: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for m in members {
        deps.entry(m.service.as_str()).or_default();
    }
    for m in members {
        for d in &m.depends_on {
            // A dependency outside the project's containers (not created,
            // or removed) cannot be waited for.
            if deps.contains_key(d.as_str()) && d != &m.service {
                deps.entry(m.service.as_str())
                    .or_default()
                    .insert(d.as_str());
            }
        }
    }
    let mut order: Vec<String> = Vec::new();
    while !deps.is_empty() {
        let ready: Vec<&str> = deps
            .iter()
            .filter(|(_, d)| d.iter().all(|x| order.iter().any(|o| o == x)))
            .map(|(s, _)| *s)
            .collect();
        // A cycle: take the first by name and go on.
        let take = if ready.is_empty() {
            deps.keys().take(1).copied().collect()
        } else {
            ready
        };
        for s in take {
            deps.remove(s);
            order.push(s.to_string());
        }
    }
    order
}

/// What a project-wide key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectOp {
    Start,
    Stop,
    Restart,
    Remove,
}

impl ProjectOp {
    pub fn verb(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Stop => "stop",
            Self::Restart => "restart",
            Self::Remove => "remove",
        }
    }
}

/// One step of a project action: one container, one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanStep {
    pub op: ContainerOp,
    pub id: String,
    pub name: String,
}

/// The steps of `op`, in order. Start: the stopped containers,
/// dependencies first. Stop: the running ones, dependents first.
/// Restart: stop as above, then start every container dependencies
/// first, so no dependent runs against a dependency that is down. Remove:
/// stop the running ones, then remove all, dependents first (remove never
/// forces, as for one container).
pub fn plan(row: &ProjectRow, op: ProjectOp) -> Vec<PlanStep> {
    let order = service_order(&row.members);
    let rank = |m: &ProjectMember| order.iter().position(|s| *s == m.service);
    let mut forward: Vec<&ProjectMember> = row.members.iter().collect();
    forward.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
    let backward: Vec<&ProjectMember> = forward.iter().rev().copied().collect();
    let step = |op: ContainerOp, m: &ProjectMember| PlanStep {
        op,
        id: m.id.clone(),
        name: m.name.clone(),
    };
    let stops = || {
        backward
            .iter()
            .filter(|m| m.is_running())
            .map(|m| step(ContainerOp::Stop, m))
    };
    match op {
        ProjectOp::Start => forward
            .iter()
            .filter(|m| !m.is_running())
            .map(|m| step(ContainerOp::Start, m))
            .collect(),
        ProjectOp::Stop => stops().collect(),
        ProjectOp::Restart => stops()
            .chain(forward.iter().map(|m| step(ContainerOp::Start, m)))
            .collect(),
        ProjectOp::Remove => stops()
            .chain(backward.iter().map(|m| step(ContainerOp::Remove, m)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(service: &str, state: ContainerState, deps: &[&str]) -> ProjectMember {
        ProjectMember {
            id: format!("id-{service}"),
            name: format!("shop-{service}-1"),
            service: service.into(),
            state,
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn names(steps: &[PlanStep]) -> Vec<String> {
        steps
            .iter()
            .map(|s| format!("{} {}", s.op.verb(), s.name))
            .collect()
    }

    fn shop() -> ProjectRow {
        use ContainerState::*;
        ProjectRow::new(
            "shop".into(),
            vec![
                member("web", Running, &["api"]),
                member("api", Running, &["db", "cache"]),
                member("db", Running, &[]),
                member("cache", Exited, &[]),
            ],
        )
    }

    #[test]
    fn the_label_compose_writes_gives_the_services() {
        assert_eq!(
            parse_depends_on("db:service_healthy:false,cache:service_started:true"),
            ["db", "cache"]
        );
        assert_eq!(parse_depends_on(""), Vec::<String>::new());
        assert_eq!(parse_depends_on("db"), ["db"]);
    }

    #[test]
    fn dependencies_start_first_and_dependents_stop_first() {
        let row = shop();
        assert_eq!(row.services(), ["cache", "db", "api", "web"]);
        assert_eq!(names(&plan(&row, ProjectOp::Start)), ["start shop-cache-1"]);
        assert_eq!(
            names(&plan(&row, ProjectOp::Stop)),
            ["stop shop-web-1", "stop shop-api-1", "stop shop-db-1"]
        );
        assert_eq!(
            names(&plan(&row, ProjectOp::Restart)),
            [
                "stop shop-web-1",
                "stop shop-api-1",
                "stop shop-db-1",
                "start shop-cache-1",
                "start shop-db-1",
                "start shop-api-1",
                "start shop-web-1"
            ]
        );
        let remove = names(&plan(&row, ProjectOp::Remove));
        assert_eq!(
            remove[3..],
            [
                "remove shop-web-1",
                "remove shop-api-1",
                "remove shop-db-1",
                "remove shop-cache-1"
            ]
        );
    }

    #[test]
    fn a_cycle_or_a_missing_service_still_orders_every_container() {
        use ContainerState::*;
        let row = ProjectRow::new(
            "loop".into(),
            vec![
                member("a", Exited, &["b"]),
                member("b", Exited, &["a", "gone"]),
                member("c", Exited, &["b"]),
            ],
        );
        let order = row.services();
        assert_eq!(order.len(), 3);
        assert_eq!(order.last().map(String::as_str), Some("c"));
    }
}
