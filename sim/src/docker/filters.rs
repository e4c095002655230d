//! The `filters` query parameter: JSON, either `{"key": ["v1", "v2"]}` or
//! the older `{"key": {"v1": true}}`. Values of one key are alternatives,
//! except `label`, whose values must all hold — as in the engine.

use std::collections::BTreeMap;

use serde_json::Value;

use super::world::{ApiError, Container, Event, Status};

pub(crate) type Filters = BTreeMap<String, Vec<String>>;

const CONTAINER_KEYS: &[&str] = &[
    "id", "name", "label", "status", "ancestor", "exited", "health",
];
const EVENT_KEYS: &[&str] = &["type", "event", "container", "label", "image", "scope"];
const STATUSES: &[&str] = &[
    "created",
    "restarting",
    "running",
    "removing",
    "paused",
    "exited",
    "dead",
];

pub(crate) fn parse(raw: Option<&String>, allowed: &[&str]) -> Result<Filters, ApiError> {
    let mut out = Filters::new();
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(out);
    };
    let bad = || ApiError::new(400, format!("invalid filter: {raw}"));
    let value: Value = serde_json::from_str(raw).map_err(|_| bad())?;
    let Value::Object(map) = value else {
        return Err(bad());
    };
    for (key, vals) in map {
        if !allowed.contains(&key.as_str()) {
            return Err(ApiError::new(400, format!("invalid filter '{key}'")));
        }
        let list: Vec<String> = match vals {
            Value::Array(items) => items
                .into_iter()
                .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
                .collect::<Result<_, _>>()?,
            Value::Object(items) => items.into_iter().map(|(k, _)| k).collect(),
            _ => return Err(bad()),
        };
        out.insert(key, list);
    }
    Ok(out)
}

pub(crate) fn parse_container(raw: Option<&String>) -> Result<Filters, ApiError> {
    let f = parse(raw, CONTAINER_KEYS)?;
    if let Some(bad) = f
        .get("status")
        .into_iter()
        .flatten()
        .find(|s| !STATUSES.contains(&s.as_str()))
    {
        return Err(ApiError::new(400, format!("invalid filter 'status={bad}'")));
    }
    Ok(f)
}

pub(crate) fn parse_events(raw: Option<&String>) -> Result<Filters, ApiError> {
    parse(raw, EVENT_KEYS)
}

/// `key` or `key=value` against a label map.
fn label_holds(labels: &BTreeMap<String, String>, want: &str) -> bool {
    match want.split_once('=') {
        Some((k, v)) => labels.get(k).is_some_and(|have| have == v),
        None => labels.contains_key(want),
    }
}

/// The engine matches names as regular expressions; substrings with `^` and
/// `$` anchors cover what people type.
fn name_matches(name: &str, pattern: &str) -> bool {
    let full = format!("/{name}");
    let (anchored_start, rest) = match pattern.strip_prefix('^') {
        Some(r) => (true, r),
        None => (false, pattern),
    };
    let (anchored_end, core) = match rest.strip_suffix('$') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    [name, full.as_str()]
        .iter()
        .any(|cand| match (anchored_start, anchored_end) {
            (true, true) => *cand == core,
            (true, false) => cand.starts_with(core),
            (false, true) => cand.ends_with(core),
            (false, false) => cand.contains(core),
        })
}

fn image_matches(image: &str, want: &str) -> bool {
    let repo = image.rsplit_once(':').map(|(r, _)| r).unwrap_or(image);
    image == want || repo == want
}

fn any(f: &Filters, key: &str, pred: impl Fn(&str) -> bool) -> bool {
    f.get(key).is_none_or(|vals| vals.iter().any(|v| pred(v)))
}

pub(crate) fn container_matches(c: &Container, f: &Filters) -> bool {
    let labels_ok = f
        .get("label")
        .is_none_or(|vals| vals.iter().all(|v| label_holds(&c.spec.labels, v)));
    labels_ok
        && any(f, "id", |v| c.id.starts_with(v))
        && any(f, "name", |v| name_matches(&c.name, v))
        && any(f, "status", |v| v == c.status.as_str())
        && any(f, "ancestor", |v| {
            image_matches(&c.spec.image, v) || c.image_id.starts_with(v)
        })
        && any(f, "exited", |v| {
            c.status == Status::Exited && v.parse::<i64>().is_ok_and(|code| code == c.exit_code)
        })
        && any(f, "health", |v| {
            let have = c
                .health
                .as_ref()
                .map(|h| h.status.as_str())
                .unwrap_or("none");
            v == have
        })
}

pub(crate) fn event_matches(e: &Event, f: &Filters) -> bool {
    let labels_ok = f
        .get("label")
        .is_none_or(|vals| vals.iter().all(|v| label_holds(&e.attributes, v)));
    let name = e.attributes.get("name").map(String::as_str).unwrap_or("");
    let image = e.attributes.get("image").map(String::as_str).unwrap_or("");
    labels_ok
        && any(f, "type", |v| v == e.kind)
        && any(f, "scope", |v| v == "local")
        && any(f, "event", |v| {
            v == e.action || e.action.split(':').next().is_some_and(|head| head == v)
        })
        && any(f, "container", |v| {
            v == name || (!v.is_empty() && e.id.starts_with(v))
        })
        && any(f, "image", |v| image_matches(image, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_json_forms_parse() {
        let a = parse_container(Some(&r#"{"label":["a=b","c"]}"#.to_string()));
        let b = parse_container(Some(&r#"{"label":{"a=b":true,"c":true}}"#.to_string()));
        assert_eq!(a, b);
        assert_eq!(
            a.ok().and_then(|f| f.get("label").cloned()),
            Some(vec!["a=b".to_string(), "c".to_string()])
        );
    }

    #[test]
    fn bad_filters_are_rejected_with_400() {
        for raw in [
            r#"{"colour":["red"]}"#,
            r#"{"status":["sleepy"]}"#,
            "not json",
            r#"["x"]"#,
        ] {
            let err = parse_container(Some(&raw.to_string())).err();
            assert_eq!(err.map(|e| e.status), Some(400), "{raw}");
        }
    }

    #[test]
    fn names_and_labels_match_like_the_engine() {
        assert!(name_matches("shop-web-1", "web"));
        assert!(name_matches("shop-web-1", "^/shop"));
        assert!(name_matches("shop-web-1", "^shop-web-1$"));
        assert!(!name_matches("shop-web-1", "^web"));
        let mut labels = BTreeMap::new();
        labels.insert("tier".to_string(), "front".to_string());
        assert!(label_holds(&labels, "tier"));
        assert!(label_holds(&labels, "tier=front"));
        assert!(!label_holds(&labels, "tier=back"));
        assert!(image_matches("nginx:1.27", "nginx"));
        assert!(!image_matches("nginx:1.27", "ngin"));
    }
}
