//! Collection reads: list with selectors, `limit`/`continue` pagination and
//! the resourceVersion / resourceVersionMatch rules of the API server.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::errors::{ApiError, json_bytes};
use super::selector::{FieldSelector, LabelSelector};
use super::state::Shared;
use super::store::{Key, Kind, Store};

/// What a list or watch is looking at.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    pub kind: Kind,
    pub ns: Option<String>,
    pub labels: LabelSelector,
    pub fields: FieldSelector,
}

impl Filter {
    pub(crate) fn parse(
        kind: Kind,
        ns: Option<&str>,
        q: &HashMap<String, String>,
    ) -> Result<Filter, ApiError> {
        Ok(Filter {
            kind,
            ns: ns.map(str::to_string),
            labels: LabelSelector::parse(q.get("labelSelector").map_or("", String::as_str))?,
            fields: FieldSelector::parse(kind, q.get("fieldSelector").map_or("", String::as_str))?,
        })
    }

    pub(crate) fn matches(&self, obj: &Value) -> bool {
        let ns_ok = self.ns.as_deref().is_none_or(|ns| {
            obj.pointer("/metadata/namespace").and_then(Value::as_str) == Some(ns)
        });
        ns_ok && self.labels.matches(obj) && self.fields.matches(self.kind, obj)
    }
}

/// Parses a `resourceVersion` parameter; empty means "unset".
pub(crate) fn parse_rv(q: &HashMap<String, String>) -> Result<Option<u64>, ApiError> {
    match q.get("resourceVersion").map(String::as_str) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse::<u64>()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("invalid resource version \"{s}\""))),
    }
}

pub(crate) fn too_old(asked: u64, oldest: u64) -> ApiError {
    ApiError::expired(format!("too old resource version: {asked} ({oldest})"))
}

const CONTINUE_TOO_OLD: &str = "The provided continue parameter is too old to display a consistent list result. \
You can start a new list without the continue parameter, or use the continue token in this response to retrieve \
the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that \
were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

fn encode_continue(rv: u64, key: &Key) -> String {
    format!("{rv}/{}/{}", key.0, key.1)
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode_continue(token: &str) -> Option<(u64, Key)> {
    let bytes: Option<Vec<u8>> = (0..token.len())
        .step_by(2)
        .map(|i| {
            token
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let text = String::from_utf8(bytes?).ok()?;
    let mut parts = text.splitn(3, '/');
    let rv = parts.next()?.parse().ok()?;
    Some((rv, (parts.next()?.to_string(), parts.next()?.to_string())))
}

pub(crate) fn handle(
    shared: Arc<Shared>,
    kind: Kind,
    ns: Option<&str>,
    q: &HashMap<String, String>,
) -> Response {
    if kind == Kind::Pod {
        shared.pod_reads.asked(q);
    }
    match build(&shared, kind, ns, q) {
        Ok(body) => json_bytes(StatusCode::OK, body),
        Err(e) => e.into_response(),
    }
}

fn build(
    shared: &Shared,
    kind: Kind,
    ns: Option<&str>,
    q: &HashMap<String, String>,
) -> Result<Vec<u8>, ApiError> {
    let filter = Filter::parse(kind, ns, q)?;
    let rv = parse_rv(q)?;
    let exact = q.get("resourceVersionMatch").map(String::as_str) == Some("Exact");
    let limit = match q.get("limit").map(|l| l.parse::<usize>()) {
        None => None,
        Some(Ok(0)) => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return Err(ApiError::bad_request("invalid limit")),
    };
    let cont = q.get("continue").filter(|c| !c.is_empty());
    shared.read(|st| {
        let store = &st.store;
        let current = store.rv();
        let (list_rv, after) = match cont {
            Some(token) => {
                let (trv, key) = decode_continue(token).ok_or_else(|| {
                    ApiError::bad_request("continue key is not valid: invalid token")
                })?;
                if trv < store.oldest_admitted() {
                    return Err(ApiError::expired(CONTINUE_TOO_OLD.to_string()));
                }
                (trv, Some(key))
            }
            None => {
                match rv {
                    Some(n) if n > current => return Err(ApiError::too_large_rv(n, current)),
                    Some(n) if exact && n < store.oldest_admitted() => {
                        return Err(too_old(n, store.oldest_admitted()));
                    }
                    _ => {}
                }
                (current, None)
            }
        };
        let (page, items) = render_page_counted(store, &filter, list_rv, after.as_ref(), limit);
        if kind == Kind::Pod {
            shared.pod_reads.sent(items);
        }
        Ok(page)
    })
}

#[cfg(test)]
fn render_page(
    store: &Store,
    filter: &Filter,
    list_rv: u64,
    after: Option<&Key>,
    limit: Option<usize>,
) -> Vec<u8> {
    render_page_counted(store, filter, list_rv, after, limit).0
}

/// The page and how many items it holds.
fn render_page_counted(
    store: &Store,
    filter: &Filter,
    list_rv: u64,
    after: Option<&Key>,
    limit: Option<usize>,
) -> (Vec<u8>, usize) {
    let mut items: Vec<&[u8]> = Vec::new();
    let mut last: Option<&Key> = None;
    let mut more = false;
    let mut iter = store
        .range(filter.kind, filter.ns.as_deref(), after)
        .filter(|(_, o)| filter.matches(&o.value));
    for (k, o) in iter.by_ref() {
        if limit.is_some_and(|l| items.len() >= l) {
            more = true;
            break;
        }
        items.push(&o.json);
        last = Some(k);
    }
    let mut meta = json!({"resourceVersion": list_rv.to_string()});
    if more && let Some(k) = last {
        meta["continue"] = json!(encode_continue(list_rv, k));
        if filter.labels.is_empty() && filter.fields.is_empty() {
            // The item that proved there is more was consumed; count it back.
            meta["remainingItemCount"] = json!(iter.count() + 1);
        }
    }
    let mut out = Vec::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 128);
    out.extend_from_slice(
        format!(
            "{{\"kind\":\"{}List\",\"apiVersion\":\"{}\",\"metadata\":{},\"items\":[",
            filter.kind.name(),
            filter.kind.api_version(),
            meta
        )
        .as_bytes(),
    );
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item);
    }
    out.extend_from_slice(b"]}");
    (out, items.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continue_tokens_round_trip_and_reject_garbage() {
        let key = ("shop".to_string(), "web-1".to_string());
        let t = encode_continue(42, &key);
        assert_eq!(decode_continue(&t), Some((42, key)));
        assert_eq!(decode_continue("zz"), None);
        assert_eq!(decode_continue("abc"), None);
    }

    #[test]
    fn pages_cover_everything_once() {
        let mut store = Store::new(1000);
        for i in 0..7 {
            store
                .create(
                    Kind::Pod,
                    json!({"metadata": {"name": format!("p{i}"), "namespace": "a"}}),
                )
                .expect("create");
        }
        let filter = Filter::parse(Kind::Pod, None, &HashMap::new()).expect("filter");
        let mut seen = Vec::new();
        let mut after: Option<Key> = None;
        loop {
            let page: Value = serde_json::from_slice(&render_page(
                &store,
                &filter,
                store.rv(),
                after.as_ref(),
                Some(3),
            ))
            .expect("json");
            for it in page["items"].as_array().expect("items") {
                seen.push(
                    it["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            match page["metadata"]["continue"].as_str() {
                Some(t) => after = decode_continue(t).map(|(_, k)| k),
                None => break,
            }
        }
        assert_eq!(seen, ["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);
    }
}
