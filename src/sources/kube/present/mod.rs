//! Objects as text, for `y` (YAML) and `d` (describe): pure functions of
//! the JSON the API server sent (no I/O, no clock), so every word is
//! unit-tested. A Secret's values are masked here, first thing, before any
//! text exists; nothing else sees them.

pub mod describe;
mod describe_containers;
mod describe_generic;
mod describe_jobs;
mod describe_node;
mod describe_node_pods;
mod describe_pod;
mod describe_service;
mod describe_volumes;
mod describe_workloads;
mod resource_list;
mod tabwriter;
pub mod yaml;

use serde_json::Value;

/// What a masked value reads as.
pub const MASK: &str = "<hidden>";

/// kubectl's annotation holding what `kubectl apply` sent: for a Secret,
/// its values in plain JSON.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// A Secret's `data` and `stringData` values and its last-applied
/// annotation replaced by [`MASK`] (keys kept); other kinds untouched.
pub fn mask_secret(kind: &str, object: &mut Value) {
    if kind != "Secret" {
        return;
    }
    for field in ["data", "stringData"] {
        if let Some(map) = object.get_mut(field).and_then(Value::as_object_mut) {
            for v in map.values_mut() {
                *v = Value::String(MASK.into());
            }
        }
    }
    if let Some(a) = object
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
        && let Some(v) = a.get_mut(LAST_APPLIED)
    {
        *v = Value::String(MASK.into());
    }
}

#[cfg(test)]
mod describe_tests;
#[cfg(test)]
mod tests;
