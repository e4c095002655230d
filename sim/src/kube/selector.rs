//! Label and field selectors with the API server's grammar and its error
//! messages for the parts it rejects. The label grammar is the one in
//! https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
//! (equality `=`, `==`, `!=`; set-based `in`, `notin`, `key`, `!key`;
//! requirements joined by commas, all of which must hold), with the
//! apimachinery parser's `gt`/`lt` (`>`/`<`) too; keys and values are
//! checked as the docs' "Syntax and character set" section says. Lists
//! and watches both filter by it (`list.rs`, `watch.rs`).

use serde_json::Value;

use super::errors::ApiError;
use super::store::Kind;

#[derive(Debug, Clone, PartialEq)]
enum Req {
    Exists(String),
    NotExists(String),
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Gt(String, i64),
    Lt(String, i64),
}

/// A parsed `labelSelector`; empty matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct LabelSelector(Vec<Req>);

impl LabelSelector {
    pub(crate) fn parse(text: &str) -> Result<LabelSelector, ApiError> {
        let bad = |why: &str| ApiError::bad_request(format!("unable to parse requirement: {why}"));
        let mut reqs = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let req = if let Some(key) = part.strip_prefix('!') {
                Req::NotExists(valid_key(key.trim()).map_err(|e| bad(&e))?)
            } else if let Some((k, v)) = part.split_once("!=") {
                Req::NotEq(
                    valid_key(k.trim()).map_err(|e| bad(&e))?,
                    valid_value(v.trim()).map_err(|e| bad(&e))?,
                )
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                Req::Eq(
                    valid_key(k.trim()).map_err(|e| bad(&e))?,
                    valid_value(v.trim()).map_err(|e| bad(&e))?,
                )
            } else if let Some((k, v)) = part.split_once('>') {
                let n = v
                    .trim()
                    .parse()
                    .map_err(|_| bad("for 'gt', 'lt' operators, the value must be an integer"))?;
                Req::Gt(valid_key(k.trim()).map_err(|e| bad(&e))?, n)
            } else if let Some((k, v)) = part.split_once('<') {
                let n = v
                    .trim()
                    .parse()
                    .map_err(|_| bad("for 'gt', 'lt' operators, the value must be an integer"))?;
                Req::Lt(valid_key(k.trim()).map_err(|e| bad(&e))?, n)
            } else if let Some((k, set)) = split_set(part, " notin ") {
                Req::NotIn(valid_key(k).map_err(|e| bad(&e))?, set)
            } else if let Some((k, set)) = split_set(part, " in ") {
                Req::In(valid_key(k).map_err(|e| bad(&e))?, set)
            } else {
                Req::Exists(valid_key(part).map_err(|e| bad(&e))?)
            };
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn matches(&self, obj: &Value) -> bool {
        let labels = obj.pointer("/metadata/labels").and_then(Value::as_object);
        let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Req::Exists(k) => get(k).is_some(),
            Req::NotExists(k) => get(k).is_none(),
            Req::Eq(k, v) => get(k) == Some(v.as_str()),
            Req::NotEq(k, v) => get(k) != Some(v.as_str()),
            Req::In(k, set) => get(k).is_some_and(|x| set.iter().any(|s| s == x)),
            Req::NotIn(k, set) => get(k).is_none_or(|x| set.iter().all(|s| s != x)),
            Req::Gt(k, n) => get(k)
                .and_then(|x| x.parse::<i64>().ok())
                .is_some_and(|x| x > *n),
            Req::Lt(k, n) => get(k)
                .and_then(|x| x.parse::<i64>().ok())
                .is_some_and(|x| x < *n),
        })
    }
}

/// Splits on commas that are not inside a `( … )` value set.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn split_set<'a>(part: &'a str, op: &str) -> Option<(&'a str, Vec<String>)> {
    let (k, rest) = part.split_once(op)?;
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    let set = inner
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    Some((k.trim(), set))
}

fn valid_key(key: &str) -> Result<String, String> {
    let ok = !key.is_empty()
        && key.len() <= 316
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if ok {
        Ok(key.to_string())
    } else {
        Err(format!("invalid label key \"{key}\""))
    }
}

/// A label value: empty, or at most 63 characters of alphanumerics, `-`,
/// `_` and `.`, starting and ending with an alphanumeric.
fn valid_value(value: &str) -> Result<String, String> {
    let inner_ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    let ends_ok = value.is_empty()
        || (value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()));
    if value.len() <= 63 && inner_ok && ends_ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "Invalid value: \"{value}\": a valid label must be an empty string or consist of \
             alphanumeric characters, '-', '_' or '.', and must start and end with an \
             alphanumeric character"
        ))
    }
}

/// A parsed `fieldSelector` (`=`, `==`, `!=` terms), checked against the
/// fields the kind supports.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub(crate) fn parse(kind: Kind, text: &str) -> Result<FieldSelector, ApiError> {
        let mut terms = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, eq, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (f, true, v)
            } else {
                return Err(ApiError::bad_request(format!(
                    "invalid selector: '{text}'; can't understand '{part}'"
                )));
            };
            let field = field.trim();
            if pointer_for(kind, field).is_none() {
                return Err(ApiError::bad_request(format!(
                    "field label not supported: {field}"
                )));
            }
            terms.push((field.to_string(), eq, value.trim().to_string()));
        }
        Ok(FieldSelector(terms))
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn matches(&self, kind: Kind, obj: &Value) -> bool {
        self.0.iter().all(|(field, eq, want)| {
            let got = pointer_for(kind, field)
                .and_then(|p| obj.pointer(p))
                .map(scalar_text)
                .unwrap_or_default();
            (got == *want) == *eq
        })
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The JSON location of each field a kind may be selected by.
fn pointer_for(kind: Kind, field: &str) -> Option<&'static str> {
    let common = match field {
        "metadata.name" => Some("/metadata/name"),
        "metadata.namespace" => Some("/metadata/namespace"),
        _ => None,
    };
    common.or(match (kind, field) {
        (Kind::Pod, "spec.nodeName") => Some("/spec/nodeName"),
        (Kind::Pod, "spec.restartPolicy") => Some("/spec/restartPolicy"),
        (Kind::Pod, "spec.schedulerName") => Some("/spec/schedulerName"),
        (Kind::Pod, "spec.serviceAccountName") => Some("/spec/serviceAccountName"),
        (Kind::Pod, "spec.hostNetwork") => Some("/spec/hostNetwork"),
        (Kind::Pod, "status.phase") => Some("/status/phase"),
        (Kind::Pod, "status.podIP") => Some("/status/podIP"),
        (Kind::Pod, "status.nominatedNodeName") => Some("/status/nominatedNodeName"),
        (Kind::Event, "involvedObject.kind") => Some("/involvedObject/kind"),
        (Kind::Event, "involvedObject.namespace") => Some("/involvedObject/namespace"),
        (Kind::Event, "involvedObject.name") => Some("/involvedObject/name"),
        (Kind::Event, "involvedObject.uid") => Some("/involvedObject/uid"),
        (Kind::Event, "involvedObject.apiVersion") => Some("/involvedObject/apiVersion"),
        (Kind::Event, "involvedObject.resourceVersion") => Some("/involvedObject/resourceVersion"),
        (Kind::Event, "involvedObject.fieldPath") => Some("/involvedObject/fieldPath"),
        (Kind::Event, "reason") => Some("/reason"),
        (Kind::Event, "reportingComponent") => Some("/reportingComponent"),
        (Kind::Event, "source") => Some("/source/component"),
        (Kind::Event, "type") => Some("/type"),
        (Kind::Namespace, "status.phase") => Some("/status/phase"),
        (Kind::ReplicaSet, "status.replicas") => Some("/status/replicas"),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj() -> Value {
        json!({"metadata": {"name": "web-1", "namespace": "shop",
                "labels": {"app": "web", "tier": "front", "rev": "7"}},
               "spec": {"nodeName": "node-a"}, "status": {"phase": "Running"}})
    }

    #[test]
    fn label_selector_grammar() {
        let o = obj();
        let yes = [
            "",
            "app=web",
            "app==web,tier!=back",
            "tier in (front, mid)",
            "app,!missing",
            "tier notin (back)",
            "rev>5",
            "rev<8",
            "app=web,tier in (front,x),rev",
        ];
        for s in yes {
            assert!(LabelSelector::parse(s).expect(s).matches(&o), "{s}");
        }
        let no = [
            "app=api",
            "app!=web",
            "tier in (back)",
            "missing",
            "!app",
            "rev>7",
            "tier notin (front)",
        ];
        for s in no {
            assert!(!LabelSelector::parse(s).expect(s).matches(&o), "{s}");
        }
        assert!(LabelSelector::parse("a b=c").is_err());
        assert!(LabelSelector::parse("app=we b").is_err());
        assert!(LabelSelector::parse("app!=-x").is_err());
        let empty = LabelSelector::parse("app=").expect("an empty value is valid");
        assert!(!empty.matches(&json!({})));
        assert!(LabelSelector::parse("rev>x").is_err());
    }

    #[test]
    fn field_selector_per_kind() {
        let o = obj();
        let sel = FieldSelector::parse(Kind::Pod, "metadata.name=web-1,spec.nodeName==node-a")
            .expect("ok");
        assert!(sel.matches(Kind::Pod, &o));
        let sel = FieldSelector::parse(Kind::Pod, "status.phase!=Running").expect("ok");
        assert!(!sel.matches(Kind::Pod, &o));
        let err = FieldSelector::parse(Kind::Pod, "spec.foo=1").expect_err("unsupported");
        assert_eq!(err.message, "field label not supported: spec.foo");
        assert!(FieldSelector::parse(Kind::Pod, "involvedObject.name=x").is_err());
        let ev = json!({"metadata": {"name": "e"}, "involvedObject": {"name": "web-1"}});
        let sel = FieldSelector::parse(Kind::Event, "involvedObject.name=web-1").expect("ok");
        assert!(sel.matches(Kind::Event, &ev));
        let unscheduled = FieldSelector::parse(Kind::Pod, "spec.nodeName=").expect("ok");
        assert!(unscheduled.matches(Kind::Pod, &json!({"spec": {}})));
        // kubectl describe node's list: the node's pods that have not ended.
        let on_node = FieldSelector::parse(
            Kind::Pod,
            "spec.nodeName=node-a,status.phase!=Succeeded,status.phase!=Failed",
        )
        .expect("ok");
        assert!(on_node.matches(Kind::Pod, &o));
        let mut done = o.clone();
        done["status"]["phase"] = json!("Succeeded");
        assert!(!on_node.matches(Kind::Pod, &done));
        let mut elsewhere = o.clone();
        elsewhere["spec"]["nodeName"] = json!("node-b");
        assert!(!on_node.matches(Kind::Pod, &elsewhere));
    }
}
