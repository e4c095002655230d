//! bollard types to opsdeck's own at the edge; nothing past here sees bollard.

use bollard::models::{ContainerInspectResponse, ContainerStatsResponse, ContainerSummary};
use chrono::{DateTime, TimeZone, Utc};

use crate::core::docker::{Container, ContainerState, Health};

const PROJECT_LABEL: &str = "com.docker.compose.project";
const SERVICE_LABEL: &str = "com.docker.compose.service";
const REVISION_LABEL: &str = "org.opencontainers.image.revision";

/// From the list endpoint: enough to draw the row at once; details such as
/// exit code and restart count follow from an inspect.
pub fn container_from_summary(s: &ContainerSummary) -> Option<Container> {
    let id = s.id.clone()?;
    let name = s
        .names
        .as_ref()
        .and_then(|n| n.first())
        .map(|n| n.trim_start_matches('/').to_string())
        .unwrap_or_else(|| short_id(&id));
    let status = s.status.clone().unwrap_or_default();
    let state = s
        .state
        .map(|st| ContainerState::parse(st.as_ref()))
        .unwrap_or(ContainerState::Unknown);
    let labels = s.labels.clone().unwrap_or_default();
    let ports = s
        .ports
        .as_ref()
        .map(|ps| {
            let mut v: Vec<String> = ps
                .iter()
                .map(|p| match p.public_port {
                    Some(public) => format!("{public}->{}", p.private_port),
                    None => p.private_port.to_string(),
                })
                .collect();
            v.sort();
            v.dedup();
            v.join(",")
        })
        .unwrap_or_default();
    Some(Container {
        engine: String::new(),
        name,
        project: labels.get(PROJECT_LABEL).cloned(),
        service: labels.get(SERVICE_LABEL).cloned(),
        image: s.image.clone().unwrap_or_default(),
        state,
        health: health_from_status_text(&status),
        exit_code: exit_code_from_status_text(&status),
        oom_killed: false,
        restart_count: 0,
        ports,
        created: s.created.and_then(|t| Utc.timestamp_opt(t, 0).single()),
        started_at: None,
        finished_at: None,
        revision: labels.get(REVISION_LABEL).cloned(),
        id,
    })
}

pub fn container_from_inspect(r: &ContainerInspectResponse) -> Option<Container> {
    let id = r.id.clone()?;
    let st = r.state.as_ref();
    let config = r.config.as_ref();
    let labels = config.and_then(|c| c.labels.clone()).unwrap_or_default();
    let state = st
        .and_then(|s| s.status)
        .map(|s| ContainerState::parse(s.as_ref()))
        .unwrap_or(ContainerState::Unknown);
    let ports = r
        .network_settings
        .as_ref()
        .and_then(|n| n.ports.as_ref())
        .map(|ports| {
            let mut v: Vec<String> = ports
                .iter()
                .map(|(private, bindings)| {
                    let private = private.split('/').next().unwrap_or(private);
                    match bindings
                        .as_ref()
                        .and_then(|b| b.first())
                        .and_then(|b| b.host_port.clone())
                    {
                        Some(public) => format!("{public}->{private}"),
                        None => private.to_string(),
                    }
                })
                .collect();
            v.sort();
            v.join(",")
        })
        .unwrap_or_default();
    Some(Container {
        engine: String::new(),
        name: r
            .name
            .as_deref()
            .map(|n| n.trim_start_matches('/').to_string())
            .unwrap_or_else(|| short_id(&id)),
        project: labels.get(PROJECT_LABEL).cloned(),
        service: labels.get(SERVICE_LABEL).cloned(),
        image: config.and_then(|c| c.image.clone()).unwrap_or_default(),
        state,
        health: st
            .and_then(|s| s.health.as_ref())
            .and_then(|h| h.status)
            .and_then(|h| Health::parse(h.as_ref())),
        exit_code: st.and_then(|s| s.exit_code),
        oom_killed: st.and_then(|s| s.oom_killed).unwrap_or(false),
        restart_count: r.restart_count.unwrap_or(0),
        ports,
        created: r.created.as_deref().and_then(parse_time),
        started_at: st
            .and_then(|s| s.started_at.as_deref())
            .and_then(parse_time),
        finished_at: st
            .and_then(|s| s.finished_at.as_deref())
            .and_then(parse_time),
        revision: labels.get(REVISION_LABEL).cloned(),
        id,
    })
}

/// Working set and limit from a stats answer: like `docker stats`, the
/// page cache is not counted as the container's memory.
pub fn memory_from_stats(s: &ContainerStatsResponse) -> (u64, u64) {
    let mem = s.memory_stats.as_ref();
    // cgroup v2 names it inactive_file, cgroup v1 total_inactive_file.
    let cache = mem
        .and_then(|m| m.stats.as_ref())
        .and_then(|st| {
            st.get("inactive_file")
                .or_else(|| st.get("total_inactive_file"))
                .copied()
        })
        .unwrap_or(0);
    (
        mem.and_then(|m| m.usage).unwrap_or(0).saturating_sub(cache),
        mem.and_then(|m| m.limit).unwrap_or(0),
    )
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    // The engine writes 0001-01-01T00:00:00Z for "never".
    let t = DateTime::parse_from_rfc3339(s).ok()?.with_timezone(&Utc);
    (t.timestamp() > 0).then_some(t)
}

fn short_id(id: &str) -> String {
    id.chars().take(12).collect()
}

/// `Up 3 hours (unhealthy)` → Unhealthy.
fn health_from_status_text(status: &str) -> Option<Health> {
    if status.contains("(unhealthy)") {
        Some(Health::Unhealthy)
    } else if status.contains("(healthy)") {
        Some(Health::Healthy)
    } else if status.contains("(health: starting)") {
        Some(Health::Starting)
    } else {
        None
    }
}

/// `Exited (137) 5 minutes ago` → 137.
fn exit_code_from_status_text(status: &str) -> Option<i64> {
    let rest = status.strip_prefix("Exited (")?;
    rest.split(')').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_text_gives_exit_code_and_health() {
        assert_eq!(
            exit_code_from_status_text("Exited (137) 5 minutes ago"),
            Some(137)
        );
        assert_eq!(exit_code_from_status_text("Up 2 hours"), None);
        assert_eq!(exit_code_from_status_text("Exited (garbage"), None);
        assert_eq!(
            health_from_status_text("Up 1m (unhealthy)"),
            Some(Health::Unhealthy)
        );
        assert_eq!(
            health_from_status_text("Up 1m (health: starting)"),
            Some(Health::Starting)
        );
    }

    #[test]
    fn zero_time_means_never() {
        assert_eq!(parse_time("0001-01-01T00:00:00Z"), None);
        assert!(parse_time("2024-05-01T10:00:00.123456789Z").is_some());
        assert_eq!(parse_time("not a time"), None);
    }

    #[test]
    fn memory_leaves_out_the_page_cache() {
        let json = serde_json::json!({
            "memory_stats": {"usage": 5000, "limit": 9000, "stats": {"inactive_file": 1200}}
        });
        let s: ContainerStatsResponse = serde_json::from_value(json).expect("stats json");
        assert_eq!(memory_from_stats(&s), (3800, 9000));
        // cgroup v1's name for it; no memory figures at all is zero, not a panic.
        let json = serde_json::json!({
            "memory_stats": {"usage": 5000, "stats": {"total_inactive_file": 6000}}
        });
        let s: ContainerStatsResponse = serde_json::from_value(json).expect("stats json");
        assert_eq!(memory_from_stats(&s), (0, 0));
        assert_eq!(
            memory_from_stats(&ContainerStatsResponse::default()),
            (0, 0)
        );
    }

    #[test]
    fn a_summary_without_id_is_skipped_not_a_panic() {
        let s = ContainerSummary::default();
        assert!(container_from_summary(&s).is_none());
    }
}
