//! The PATCH flavours the API server accepts: JSON merge patch (RFC 7386),
//! JSON patch (RFC 6902), strategic merge (merge patch that merges lists of
//! named items by name, which covers containers and env), and server-side
//! apply (treated as a merge of the applied fields).

use serde_json::{Map, Value};

use super::errors::ApiError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PatchKind {
    Merge,
    Strategic,
    Json,
    Apply,
}

impl PatchKind {
    pub(crate) fn from_content_type(ct: &str) -> Result<PatchKind, ApiError> {
        let base = ct.split(';').next().unwrap_or_default().trim();
        match base {
            "application/merge-patch+json" => Ok(PatchKind::Merge),
            "application/strategic-merge-patch+json" => Ok(PatchKind::Strategic),
            "application/json-patch+json" => Ok(PatchKind::Json),
            "application/apply-patch+yaml" | "application/apply-patch+json" => Ok(PatchKind::Apply),
            other => Err(ApiError::unsupported_media_type(other)),
        }
    }
}

pub(crate) fn apply(kind: PatchKind, target: &mut Value, body: &[u8]) -> Result<(), ApiError> {
    let patch: Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("error decoding patch: {e}")))?;
    match kind {
        PatchKind::Merge | PatchKind::Apply => {
            merge(target, &patch, false);
            Ok(())
        }
        PatchKind::Strategic => {
            if !patch.is_object() {
                return Err(ApiError::bad_request(
                    "strategic merge patch must be a JSON object",
                ));
            }
            merge(target, &patch, true);
            Ok(())
        }
        PatchKind::Json => json_patch(target, &patch),
    }
}

fn merge(target: &mut Value, patch: &Value, strategic: bool) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else { return };
    for (k, v) in p {
        if k.starts_with("$") {
            continue;
        }
        match v {
            Value::Null => {
                t.remove(k);
            }
            Value::Array(items)
                if strategic
                    && items
                        .iter()
                        .all(|i| i.get("name").is_some_and(Value::is_string)) =>
            {
                let slot = t
                    .entry(k.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                merge_named(slot, items);
            }
            _ => merge(t.entry(k.clone()).or_insert(Value::Null), v, strategic),
        }
    }
}

/// Strategic merge of a list keyed by `name`: matching items merge, new ones
/// are appended, `$patch: delete` removes.
fn merge_named(slot: &mut Value, items: &[Value]) {
    if !slot.is_array() {
        *slot = Value::Array(Vec::new());
    }
    let Value::Array(existing) = slot else { return };
    for item in items {
        let name = item.get("name").and_then(Value::as_str).unwrap_or_default();
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        let pos = existing
            .iter()
            .position(|e| e.get("name").and_then(Value::as_str) == Some(name));
        match (pos, delete) {
            (Some(i), true) => {
                existing.remove(i);
            }
            (Some(i), false) => {
                if let Some(e) = existing.get_mut(i) {
                    merge(e, item, true);
                }
            }
            (None, false) => {
                let mut fresh = Value::Null;
                merge(&mut fresh, item, true);
                existing.push(fresh);
            }
            (None, true) => {}
        }
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn split_pointer(path: &str) -> Result<(String, String), ApiError> {
    let bad = || ApiError::bad_request(format!("invalid JSON pointer {path:?}"));
    let (parent, last) = path.rsplit_once('/').ok_or_else(bad)?;
    if !path.starts_with('/') {
        return Err(bad());
    }
    Ok((parent.to_string(), unescape(last)))
}

fn json_patch(target: &mut Value, patch: &Value) -> Result<(), ApiError> {
    let ops = patch
        .as_array()
        .ok_or_else(|| ApiError::bad_request("json patch must be an array of operations"))?;
    for op in ops {
        let name = op.get("op").and_then(Value::as_str).unwrap_or_default();
        let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
        let value = op.get("value").cloned();
        match name {
            "test" => {
                if target.pointer(path) != value.as_ref() {
                    return Err(ApiError::invalid_patch(format!(
                        "testing value {path} failed"
                    )));
                }
            }
            "remove" => {
                remove_at(target, path)?;
            }
            "add" | "replace" => {
                let v = value
                    .ok_or_else(|| ApiError::bad_request(format!("missing value for {name}")))?;
                if name == "replace" && target.pointer(path).is_none() {
                    return Err(ApiError::invalid_patch(format!(
                        "replace operation does not apply: doc is missing key: {path}"
                    )));
                }
                set_at(target, path, v, name == "add")?;
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unsupported json patch op {other:?}"
                )));
            }
        }
    }
    Ok(())
}

fn set_at(target: &mut Value, path: &str, v: Value, insert: bool) -> Result<(), ApiError> {
    if path.is_empty() {
        *target = v;
        return Ok(());
    }
    let (parent, last) = split_pointer(path)?;
    let missing = || {
        ApiError::invalid_patch(format!(
            "add operation does not apply: doc is missing path: {path}"
        ))
    };
    match target.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(last, v);
            Ok(())
        }
        Value::Array(a) if last == "-" => {
            a.push(v);
            Ok(())
        }
        Value::Array(a) => {
            let i: usize = last.parse().map_err(|_| missing())?;
            match (insert, i <= a.len(), i < a.len()) {
                (true, true, _) => a.insert(i, v),
                (false, _, true) => a[i] = v,
                _ => return Err(missing()),
            }
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove_at(target: &mut Value, path: &str) -> Result<(), ApiError> {
    let (parent, last) = split_pointer(path)?;
    let missing = || {
        ApiError::invalid_patch(format!(
            "remove operation does not apply: doc is missing path: {path}"
        ))
    };
    match target.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => m.remove(&last).map(|_| ()).ok_or_else(missing),
        Value::Array(a) => {
            let i: usize = last.parse().map_err(|_| missing())?;
            if i < a.len() {
                a.remove(i);
                Ok(())
            } else {
                Err(missing())
            }
        }
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rollout_restart_patch_adds_the_annotation() {
        let mut d =
            json!({"spec": {"replicas": 3, "template": {"metadata": {"labels": {"app": "web"}}}}});
        let body = br#"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2024-05-01T12:00:00Z"}}}}}"#;
        apply(PatchKind::Strategic, &mut d, body).expect("patch");
        assert_eq!(
            d["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"],
            json!("2024-05-01T12:00:00Z")
        );
        assert_eq!(
            d["spec"]["template"]["metadata"]["labels"]["app"],
            json!("web")
        );
        assert_eq!(d["spec"]["replicas"], json!(3));
    }

    #[test]
    fn merge_null_removes_and_strategic_merges_named_lists() {
        let mut d = json!({"a": 1, "b": 2, "containers": [{"name": "app", "image": "x:1"}, {"name": "side", "image": "s"}]});
        apply(PatchKind::Merge, &mut d, br#"{"a":null}"#).expect("merge");
        assert!(d.get("a").is_none());
        apply(
            PatchKind::Strategic,
            &mut d,
            br#"{"containers":[{"name":"app","image":"x:2"}]}"#,
        )
        .expect("smp");
        assert_eq!(d["containers"][0]["image"], json!("x:2"));
        assert_eq!(d["containers"][1]["name"], json!("side"));
        apply(
            PatchKind::Merge,
            &mut d,
            br#"{"containers":[{"name":"only"}]}"#,
        )
        .expect("merge list");
        assert_eq!(d["containers"], json!([{"name": "only"}]));
    }

    #[test]
    fn json_patch_ops_and_errors() {
        let mut d = json!({"spec": {"replicas": 1, "list": [1, 2]}});
        let ops = br#"[{"op":"test","path":"/spec/replicas","value":1},{"op":"replace","path":"/spec/replicas","value":4},
                      {"op":"add","path":"/spec/list/-","value":3},{"op":"remove","path":"/spec/list/0"}]"#;
        apply(PatchKind::Json, &mut d, ops).expect("json patch");
        assert_eq!(d, json!({"spec": {"replicas": 4, "list": [2, 3]}}));
        assert!(
            apply(
                PatchKind::Json,
                &mut d,
                br#"[{"op":"replace","path":"/nope","value":1}]"#
            )
            .is_err()
        );
        assert!(apply(PatchKind::Json, &mut d, b"not json").is_err());
        assert!(PatchKind::from_content_type("text/plain").is_err());
    }
}
