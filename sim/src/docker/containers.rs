//! Container list, inspect and lifecycle handlers.

use axum::Json;
use axum::extract::State;
use serde_json::Value;

use super::api::{AppState, Query, Ref, bool_value};
use super::filters;
use super::lifecycle::Outcome;
use super::render;
use super::world::ApiError;

pub(crate) async fn list(
    State(shared): State<AppState>,
    q: Query,
) -> Result<Json<Value>, ApiError> {
    let f = filters::parse_container(q.get("filters"))?;
    let limit = match q.get("limit").map(|l| l.trim()).filter(|l| !l.is_empty()) {
        Some(l) => l
            .parse::<i64>()
            .map_err(|_| ApiError::new(400, format!("invalid limit: {l}")))?,
        None => -1,
    };
    // As in the engine, a status filter or a limit implies all=true.
    let all = bool_value(&q, "all") || f.contains_key("status") || limit > 0;
    let (world, now) = shared.world_now().await;
    let mut hits: Vec<_> = world
        .containers
        .iter()
        .filter(|c| all || c.status.running_flag())
        .filter(|c| filters::container_matches(c, &f))
        .collect();
    // Newest first, ties broken by id so the order is stable.
    hits.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
    if limit > 0 {
        hits.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    Ok(Json(Value::Array(
        hits.into_iter().map(|c| render::summary(c, now)).collect(),
    )))
}

pub(crate) async fn inspect(
    State(shared): State<AppState>,
    Ref(id): Ref,
) -> Result<Json<Value>, ApiError> {
    let (world, now) = shared.world_now().await;
    let c = world.get(&id).ok_or_else(|| ApiError::no_such(&id))?;
    Ok(Json(render::inspect(c, now)))
}

fn int_param(q: &Query, key: &str) -> Result<Option<i64>, ApiError> {
    match q.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse::<i64>()
            .map(Some)
            .map_err(|_| ApiError::new(400, format!("invalid value for {key}: {v}"))),
    }
}

pub(crate) async fn start(
    State(shared): State<AppState>,
    Ref(id): Ref,
) -> Result<Outcome, ApiError> {
    let (mut world, now) = shared.world_now().await;
    world.op_start(&id, now)
}

pub(crate) async fn stop(
    State(shared): State<AppState>,
    Ref(id): Ref,
    q: Query,
) -> Result<Outcome, ApiError> {
    let t = int_param(&q, "t")?;
    let (mut world, now) = shared.world_now().await;
    world.op_stop(
        &id,
        now,
        q.get("signal")
            .map(String::as_str)
            .filter(|s| !s.is_empty()),
        t,
    )
}

pub(crate) async fn restart(
    State(shared): State<AppState>,
    Ref(id): Ref,
    q: Query,
) -> Result<Outcome, ApiError> {
    let t = int_param(&q, "t")?;
    let (mut world, now) = shared.world_now().await;
    world.op_restart(&id, now, t)
}

pub(crate) async fn kill(
    State(shared): State<AppState>,
    Ref(id): Ref,
    q: Query,
) -> Result<Outcome, ApiError> {
    let signal = q
        .get("signal")
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("SIGKILL");
    let (mut world, now) = shared.world_now().await;
    world.op_kill(&id, now, signal)
}

pub(crate) async fn pause(
    State(shared): State<AppState>,
    Ref(id): Ref,
) -> Result<Outcome, ApiError> {
    let (mut world, now) = shared.world_now().await;
    world.op_pause(&id, now)
}

pub(crate) async fn unpause(
    State(shared): State<AppState>,
    Ref(id): Ref,
) -> Result<Outcome, ApiError> {
    let (mut world, now) = shared.world_now().await;
    world.op_unpause(&id, now)
}

pub(crate) async fn remove(
    State(shared): State<AppState>,
    Ref(id): Ref,
    q: Query,
) -> Result<Outcome, ApiError> {
    let force = bool_value(&q, "force");
    let (mut world, now) = shared.world_now().await;
    world.op_remove(&id, now, force)
}
