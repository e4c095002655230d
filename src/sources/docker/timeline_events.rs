//! The engine's event stream, as the timeline reads it.

use chrono::{TimeZone, Utc};

/// A message of the engine's event stream the timeline keeps, with the
/// attributes the engine sends along (Docker Engine API, `GET /events`:
/// a container event's actor attributes carry `name`, `image`, its labels
/// and, for `die`, `exitCode`; an image event's actor id is the reference).
pub fn engine_event(
    event_type: &str,
    ev: &bollard::models::EventMessage,
) -> Option<crate::core::timeline_feed::EngineEvent> {
    let action = ev.action.clone()?;
    let keeps = match event_type {
        "container" => {
            matches!(action.as_str(), "create" | "start" | "die" | "oom")
                || action.starts_with("health_status")
        }
        "image" => action == "pull",
        _ => false,
    };
    if !keeps {
        return None;
    }
    let actor = ev.actor.as_ref()?;
    let id = actor.id.clone()?;
    let attrs = actor.attributes.clone().unwrap_or_default();
    let time = ev
        .time_nano
        .map(|n| Utc.timestamp_nanos(n))
        .or_else(|| ev.time.and_then(|s| Utc.timestamp_opt(s, 0).single()))?;
    let name = attrs.get("name").cloned().unwrap_or_else(|| {
        if event_type == "image" {
            id.clone()
        } else {
            id.chars().take(12).collect()
        }
    });
    Some(crate::core::timeline_feed::EngineEvent {
        time,
        object: event_type.to_string(),
        action,
        name,
        image: attrs.get("image").cloned().unwrap_or_default(),
        exit_code: attrs.get("exitCode").and_then(|c| c.parse().ok()),
        revision: attrs.get("org.opencontainers.image.revision").cloned(),
        id,
        // Named by the forwarder when several engines are configured.
        engine: String::new(),
    })
}
