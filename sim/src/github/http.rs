//! Request and reply plumbing shared by the routes: query parsing,
//! conditional GETs (ETag / If-None-Match), Link-header pagination, and the
//! error bodies of the fixtures.

use std::hash::{DefaultHasher, Hash, Hasher};

use axum::http::{HeaderMap, Method, StatusCode, header};
use bytes::Bytes;
use serde_json::Value;

/// The documented bodies (fixtures error-*.json), verbatim.
pub(crate) const BAD_CREDENTIALS: &str =
    r#"{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"#;
pub(crate) const RATE_LIMITED: &str = r#"{"message":"API rate limit exceeded for xxx.xxx.xxx.xxx. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}"#;
pub(crate) const SECONDARY_LIMITED: &str = r#"{"message":"You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#secondary-rate-limits"}"#;
pub(crate) const NOT_FOUND: &str = r#"{"message":"Not Found"}"#;
pub(crate) const SERVER_ERROR: &str = r#"{"message":"Server Error"}"#;
pub(crate) const PROBLEMS_PARSING_JSON: &str = r#"{"message":"Problems parsing JSON"}"#;

pub(crate) struct Req {
    pub method: Method,
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Req {
    /// Percent-decoded query parameters, in order.
    pub(crate) fn params(&self) -> Vec<(String, String)> {
        self.query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (decode(k), decode(v))
            })
            .collect()
    }

    pub(crate) fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    fn if_none_match(&self) -> Vec<String> {
        self.headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|t| t.trim().trim_start_matches("W/").to_string())
            .collect()
    }

    /// A cacheable GET: answers 304 when the client already holds `key`'s
    /// representation, and only then builds the body.
    pub(crate) fn conditional(&self, key: u64, make: impl FnOnce() -> Paged) -> Reply {
        let mut h = DefaultHasher::new();
        (key, &self.path, &self.query).hash(&mut h);
        let etag = format!("\"{:016x}\"", h.finish());
        if self.if_none_match().iter().any(|t| *t == etag || t == "*") {
            return Reply {
                etag: Some(etag),
                ..Reply::empty(StatusCode::NOT_MODIFIED)
            };
        }
        let Paged { value, link } = make();
        Reply {
            etag: Some(etag),
            link,
            ..Reply::json(StatusCode::OK, &value)
        }
    }
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| {
            bytes
                .get(j)
                .and_then(|c| char::from(*c).to_digit(16))
                .map(|d| d as u8)
        };
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(hi), Some(lo)) => {
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                _ => out.push(b),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) enum Body {
    Empty,
    Json(Vec<u8>),
}

pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Body,
    pub etag: Option<String>,
    pub link: Option<String>,
    pub location: Option<String>,
    pub retry_after: Option<u64>,
    /// Whether this answer uses up one request of the primary limit.
    pub counts: bool,
}

impl Reply {
    pub(crate) fn empty(status: StatusCode) -> Self {
        Reply {
            status,
            body: Body::Empty,
            etag: None,
            link: None,
            location: None,
            retry_after: None,
            counts: true,
        }
    }

    pub(crate) fn json(status: StatusCode, value: &Value) -> Self {
        Reply {
            body: Body::Json(serde_json::to_vec(value).unwrap_or_default()),
            ..Reply::empty(status)
        }
    }

    pub(crate) fn raw_json(status: StatusCode, body: &str) -> Self {
        Reply {
            body: Body::Json(body.as_bytes().to_vec()),
            ..Reply::empty(status)
        }
    }

    pub(crate) fn not_found() -> Self {
        Reply::raw_json(StatusCode::NOT_FOUND, NOT_FOUND)
    }

    /// 422 in the shape of error-422-validation-failed.json.
    pub(crate) fn validation(resource: &str, field: &str, code: &str) -> Self {
        let body = serde_json::json!({
            "message": "Validation Failed",
            "errors": [{ "resource": resource, "field": field, "code": code }]
        });
        Reply::json(StatusCode::UNPROCESSABLE_ENTITY, &body)
    }

    /// An error with a message of its own (no fixture gives these bodies;
    /// they follow the `message` + `documentation_url` shape).
    pub(crate) fn message(status: StatusCode, message: &str, doc: &str) -> Self {
        let body = serde_json::json!({
            "message": message,
            "documentation_url": format!("https://docs.github.com/rest/{doc}")
        });
        Reply::json(status, &body)
    }
}

/// A page of a list and its Link header.
pub(crate) struct Paged {
    pub value: Value,
    pub link: Option<String>,
}

impl Paged {
    pub(crate) fn one(value: Value) -> Self {
        Paged { value, link: None }
    }
}

/// `per_page` (default 30, at most 100) and `page` (from 1).
pub(crate) struct PageReq {
    pub per_page: usize,
    pub page: usize,
    explicit_per_page: bool,
}

impl PageReq {
    pub(crate) fn from(req: &Req) -> Self {
        let num = |name| {
            req.param(name)
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|n| *n > 0)
        };
        let per_page = num("per_page");
        PageReq {
            per_page: per_page.unwrap_or(30).min(100),
            page: num("page").unwrap_or(1),
            explicit_per_page: per_page.is_some(),
        }
    }

    pub(crate) fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = self.per_page.saturating_mul(self.page.saturating_sub(1));
        let end = start.saturating_add(self.per_page).min(items.len());
        items.get(start..end).unwrap_or(&[])
    }

    /// `rel="prev"`, `"next"`, `"last"`, `"first"`, as the docs' example
    /// orders them; none when everything fits on one page.
    pub(crate) fn link(&self, base: &str, req: &Req, total: usize) -> Option<String> {
        let last = total.div_ceil(self.per_page).max(1);
        if last == 1 && self.page == 1 {
            return None;
        }
        let mut kept: Vec<&str> = req
            .query
            .split('&')
            .filter(|p| {
                let key = p.split('=').next().unwrap_or("");
                !p.is_empty() && key != "page" && key != "per_page"
            })
            .collect();
        let per_page = format!("per_page={}", self.per_page);
        if self.explicit_per_page {
            kept.push(&per_page);
        }
        let url = |page: usize| {
            let mut q = kept.join("&");
            if !q.is_empty() {
                q.push('&');
            }
            format!("<{base}{}?{q}page={page}>", req.path)
        };
        let mut rels = Vec::new();
        if self.page > 1 {
            rels.push(format!("{}; rel=\"prev\"", url((self.page - 1).min(last))));
        }
        if self.page < last {
            rels.push(format!("{}; rel=\"next\"", url(self.page + 1)));
            rels.push(format!("{}; rel=\"last\"", url(last)));
        }
        if self.page > 1 {
            rels.push(format!("{}; rel=\"first\"", url(1)));
        }
        Some(rels.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(query: &str) -> Req {
        Req {
            method: Method::GET,
            path: "/repos/a/b/actions/runs".to_string(),
            query: query.to_string(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    #[test]
    fn query_values_are_percent_decoded() {
        let r = req("branch=feat%2Fx&actor=a+b&bad=%zz");
        assert_eq!(r.param("branch").as_deref(), Some("feat/x"));
        assert_eq!(r.param("actor").as_deref(), Some("a b"));
        assert_eq!(r.param("bad").as_deref(), Some("%zz"));
    }

    #[test]
    fn pages_default_to_30_and_cap_at_100() {
        assert_eq!(PageReq::from(&req("")).per_page, 30);
        assert_eq!(PageReq::from(&req("per_page=500")).per_page, 100);
        assert_eq!(PageReq::from(&req("per_page=0&page=0")).page, 1);
        let items: Vec<u32> = (0..25).collect();
        let p = PageReq::from(&req("per_page=10&page=3"));
        assert_eq!(p.slice(&items), [20, 21, 22, 23, 24]);
        assert!(PageReq::from(&req("page=9")).slice(&items).is_empty());
    }

    #[test]
    fn link_header_keeps_filters_and_omits_a_single_page() {
        let r = req("branch=main&per_page=10&page=2");
        let link = PageReq::from(&r)
            .link("http://h", &r, 25)
            .unwrap_or_default();
        let url = |n| format!("<http://h/repos/a/b/actions/runs?branch=main&per_page=10&page={n}>");
        let expected = format!(
            "{}; rel=\"prev\", {}; rel=\"next\", {}; rel=\"last\", {}; rel=\"first\"",
            url(1),
            url(3),
            url(3),
            url(1)
        );
        assert_eq!(link, expected);
        let one = req("");
        assert_eq!(PageReq::from(&one).link("http://h", &one, 30), None);
    }
}
