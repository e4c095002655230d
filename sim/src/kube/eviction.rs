//! The `pods/eviction` subresource (policy/v1 Eviction) and the
//! PodDisruptionBudgets it honours, with the disruption controller's
//! status on each budget.
//!
//! Behaviour follows the API reference and the eviction docs
//! (https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/):
//! POST `.../pods/NAME/eviction` answers 201 with a Success `Status` and
//! deletes the pod gracefully, 429 TooManyRequests ("Cannot evict pod as
//! it would violate the pod's disruption budget.", the budget named in a
//! `DisruptionBudget` cause) while a budget allows no disruption, and 500
//! when more than one budget selects the pod. Pods that are terminal,
//! Pending or already terminating bypass the budgets, as the API server's
//! eviction REST does; an unready pod may go while its budget is met
//! (the default `unhealthyPodEvictionPolicy: IfHealthyBudget`,
//! https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy).
//! `minAvailable`/`maxUnavailable` take a count or a percentage, rounded
//! up (https://kubernetes.io/docs/tasks/run-application/configure-pdb/#rounding-logic-when-specifying-percentages).

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::time::Instant;

use super::controllers::{pod_ready, str_at, terminating, u64_at};
use super::errors::{ApiError, json_value};
use super::pod_ops;
use super::selector::LabelSelector;
use super::state::{Shared, SimState};
use super::store::{Kind, Stored};

/// What the disruption controller writes in a budget's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Budget {
    expected: u64,
    healthy: u64,
    desired: u64,
}

impl Budget {
    fn allowed(self) -> u64 {
        self.healthy.saturating_sub(self.desired)
    }
}

/// A `metav1.LabelSelector` as the selector text the list API parses.
fn selector_text(selector: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(labels) = selector.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in labels {
            parts.push(format!("{k}={}", v.as_str().unwrap_or_default()));
        }
    }
    for e in selector
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = str_at(e, "/key");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        parts.push(match str_at(e, "/operator") {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "DoesNotExist" => format!("!{key}"),
            _ => key.to_string(),
        });
    }
    parts.join(",")
}

/// The pods in the budget's namespace its selector picks (an empty
/// selector picks every pod there, as in policy/v1).
fn selected(st: &SimState, pdb: &Value) -> Vec<Arc<Stored>> {
    let ns = str_at(pdb, "/metadata/namespace");
    let text = pdb
        .pointer("/spec/selector")
        .map(selector_text)
        .unwrap_or_default();
    let Ok(sel) = LabelSelector::parse(&text) else {
        return Vec::new();
    };
    st.store
        .range(Kind::Pod, Some(ns), None)
        .map(|(_, p)| p.clone())
        .filter(|p| sel.matches(&p.value))
        .filter(|p| !matches!(str_at(&p.value, "/status/phase"), "Succeeded" | "Failed"))
        .collect()
}

/// A count or a percentage of `of`, rounded up.
fn amount(v: &Value, of: u64) -> Option<u64> {
    if let Some(n) = v.as_u64() {
        return Some(n);
    }
    let pct: u64 = v.as_str()?.strip_suffix('%')?.trim().parse().ok()?;
    Some((of * pct).div_ceil(100))
}

fn budget(st: &SimState, pdb: &Value) -> Budget {
    let pods = selected(st, pdb);
    let expected = pods.len() as u64;
    let healthy = pods
        .iter()
        .filter(|p| !terminating(&p.value) && pod_ready(&p.value))
        .count() as u64;
    let spec = pdb.get("spec").cloned().unwrap_or(Value::Null);
    let desired = match (spec.get("minAvailable"), spec.get("maxUnavailable")) {
        (Some(min), _) => amount(min, expected).unwrap_or(expected),
        (None, Some(max)) => expected.saturating_sub(amount(max, expected).unwrap_or(0)),
        // Neither set: the API defaults minAvailable to 1.
        (None, None) => 1,
    };
    Budget {
        expected,
        healthy,
        desired,
    }
}

/// Writes every budget's status, as the disruption controller does.
pub(crate) fn refresh_budgets(st: &mut SimState) {
    let budgets: Vec<(String, String, Value)> = st
        .store
        .range(Kind::PodDisruptionBudget, None, None)
        .map(|(k, o)| (k.0.clone(), k.1.clone(), o.value.clone()))
        .collect();
    for (ns, name, pdb) in budgets {
        let b = budget(st, &pdb);
        let generation = u64_at(&pdb, "/metadata/generation", 1);
        let _ = st.store.update(Kind::PodDisruptionBudget, &ns, &name, |v| {
            v["status"] = json!({
                "currentHealthy": b.healthy,
                "desiredHealthy": b.desired,
                "disruptionsAllowed": b.allowed(),
                "expectedPods": b.expected,
                "observedGeneration": generation,
            });
            Ok(())
        });
    }
}

fn too_many(budget: &str, b: Budget) -> ApiError {
    ApiError {
        code: 429,
        reason: "TooManyRequests",
        message: "Cannot evict pod as it would violate the pod's disruption budget.".into(),
        details: Some(json!({"causes": [{"reason": "DisruptionBudget",
            "message": format!("The disruption budget {budget} needs {} healthy pods and has {} currently",
                b.desired, b.healthy)}]})),
    }
}

/// POST `/api/v1/namespaces/NS/pods/NAME/eviction`.
pub(crate) fn handle(shared: &Shared, ns: &str, name: &str, body: &[u8]) -> Response {
    let eviction: Value = match serde_json::from_slice(body) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            return ApiError::bad_request("error decoding Eviction: not a JSON object")
                .into_response();
        }
    };
    let named = str_at(&eviction, "/metadata/name");
    if !named.is_empty() && named != name {
        return ApiError::bad_request("name in URL does not match name in Eviction object")
            .into_response();
    }
    let grace = eviction
        .pointer("/deleteOptions/gracePeriodSeconds")
        .and_then(Value::as_u64);
    let now = Instant::now();
    let r = shared.mutate(|st| -> Result<(), ApiError> {
        let pod = st
            .store
            .get(Kind::Pod, ns, name)
            .ok_or_else(|| ApiError::not_found(Kind::Pod, name))?;
        let phase = str_at(&pod.value, "/status/phase");
        let bypass =
            matches!(phase, "Succeeded" | "Failed" | "Pending") || terminating(&pod.value);
        if !bypass {
            let view: &SimState = st;
            let budgets: Vec<(String, Value)> = view
                .store
                .range(Kind::PodDisruptionBudget, Some(ns), None)
                .map(|(k, o)| (k.1.clone(), o.value.clone()))
                .filter(|(_, pdb)| {
                    selected(view, pdb)
                        .iter()
                        .any(|p| str_at(&p.value, "/metadata/name") == name)
                })
                .collect();
            if budgets.len() > 1 {
                return Err(ApiError {
                    code: 500,
                    reason: "InternalError",
                    message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
                    details: None,
                });
            }
            if let Some((budget_name, pdb)) = budgets.first() {
                let b = budget(view, pdb);
                let unready_within_budget = !pod_ready(&pod.value) && b.healthy >= b.desired;
                if b.allowed() == 0 && !unready_within_budget {
                    return Err(too_many(budget_name, b));
                }
            }
        }
        let default = u64_at(&pod.value, "/spec/terminationGracePeriodSeconds", 30);
        let wait = Duration::from_secs(grace.unwrap_or(default));
        pod_ops::begin_delete(st, ns, name, wait, now)?;
        refresh_budgets(st);
        Ok(())
    });
    match r {
        Ok(()) => json_value(
            StatusCode::CREATED,
            &json!({"kind": "Status", "apiVersion": "v1", "metadata": {},
                    "status": "Success", "code": 201}),
        ),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_become_list_selectors() {
        let sel = json!({"matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]},
                                 {"key": "canary", "operator": "DoesNotExist"}]});
        assert_eq!(selector_text(&sel), "app=web,tier in (a,b),!canary");
    }

    #[test]
    fn amounts_are_counts_or_percentages_rounded_up() {
        assert_eq!(amount(&json!(2), 5), Some(2));
        assert_eq!(amount(&json!("50%"), 5), Some(3));
        assert_eq!(amount(&json!("100%"), 4), Some(4));
        assert_eq!(amount(&json!("x%"), 4), None);
    }
}
