//! kubectl's generic describer (`genericDescriber`,
//! `printUnstructuredContent`), for kinds it has no describer for: the
//! header, then every other field, keys in words, nested by indentation.

use serde_json::Value;

use super::describe::{Writer, scalar, str_at};

/// kubectl's describer for kinds it has none for: the header, then every
/// other field, keys in words (`clusterIP` → `Cluster IP`).
pub(super) fn generic(w: &mut Writer, object: &Value) {
    w.header(object);
    w.field(0, "API Version", str_at(object, "/apiVersion"));
    w.field(0, "Kind", str_at(object, "/kind"));
    let Some(map) = object.as_object() else {
        return;
    };
    // In the object's own order (kubectl's: the keys sorted), so the rest
    // of the metadata comes before the spec.
    for (key, value) in map {
        match key.as_str() {
            "apiVersion" | "kind" => {}
            "metadata" => metadata_rest(w, value),
            _ => nested(w, 0, key, value),
        }
    }
}

/// What the header did not show of the metadata (times, owners, uid).
fn metadata_rest(w: &mut Writer, meta: &Value) {
    let Some(meta) = meta.as_object() else {
        return;
    };
    let shown = [
        "name",
        "namespace",
        "labels",
        "annotations",
        "managedFields",
    ];
    let rest: Vec<_> = meta
        .iter()
        .filter(|(k, _)| !shown.contains(&k.as_str()))
        .collect();
    if !rest.is_empty() {
        w.head(0, "Metadata");
        for (k, v) in rest {
            nested(w, 1, k, v);
        }
    }
}

fn nested(w: &mut Writer, level: usize, key: &str, value: &Value) {
    let label = words(key);
    match value {
        Value::Object(map) if map.is_empty() => {}
        Value::Object(map) => {
            w.head(level, &label);
            for (k, v) in map {
                nested(w, level + 1, k, v);
            }
        }
        Value::Array(items) if items.is_empty() => {}
        Value::Array(items) => {
            w.head(level, &label);
            for item in items {
                match item {
                    Value::Object(map) => {
                        for (k, v) in map {
                            nested(w, level + 1, k, v);
                        }
                    }
                    other => w.raw(level + 1, &scalar(other)),
                }
            }
        }
        other => w.field(level, &label, scalar(other)),
    }
}

/// kubectl's label for a field name: words split at capitals, the first
/// capitalised, known initialisms in capitals (`podIP` → `Pod IP`).
pub(super) fn words(key: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = String::new();
    // `podIPs` is one initialism and a plural, not `I` and `Ps`.
    let chars: Vec<char> = key.replace("IPs", "Ips").chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        let prev_lower = i > 0 && chars[i - 1].is_lowercase();
        if c.is_uppercase() && !current.is_empty() && (prev_lower || next_lower) {
            parts.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
        .into_iter()
        .map(|p| {
            let upper = p.to_uppercase();
            if ["IP", "IPS", "URL", "API", "UID", "ID", "DNS", "TLS", "CIDR"]
                .contains(&upper.as_str())
            {
                if upper == "IPS" {
                    "IPs".to_string()
                } else {
                    upper
                }
            } else {
                let mut cs = p.chars();
                cs.next()
                    .map(|f| f.to_uppercase().collect::<String>() + cs.as_str())
                    .unwrap_or_default()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
