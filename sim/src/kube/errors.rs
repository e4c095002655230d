//! Failures as the API server reports them: a `Status` object with the HTTP
//! code, a machine reason and the exact human message kubectl prints.

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::store::Kind;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
    pub details: Option<Value>,
}

impl ApiError {
    fn new(code: u16, reason: &'static str, message: String) -> ApiError {
        ApiError {
            code,
            reason,
            message,
            details: None,
        }
    }

    fn with_details(mut self, kind: Kind, name: &str) -> ApiError {
        let mut d = json!({"kind": kind.plural()});
        if !name.is_empty() {
            d["name"] = json!(name);
        }
        if !kind.group().is_empty() {
            d["group"] = json!(kind.group());
        }
        self.details = Some(d);
        self
    }

    pub(crate) fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError::new(
            404,
            "NotFound",
            format!("{} \"{name}\" not found", resource(kind)),
        )
        .with_details(kind, name)
    }

    pub(crate) fn path_not_found() -> ApiError {
        ApiError::new(
            404,
            "NotFound",
            "the server could not find the requested resource".into(),
        )
    }

    pub(crate) fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError::new(
            409,
            "AlreadyExists",
            format!("{} \"{name}\" already exists", resource(kind)),
        )
        .with_details(kind, name)
    }

    pub(crate) fn conflict(kind: Kind, name: &str) -> ApiError {
        ApiError::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; \
                 please apply your changes to the latest version and try again",
                resource(kind)
            ),
        )
        .with_details(kind, name)
    }

    pub(crate) fn conflict_msg(kind: Kind, name: &str, message: String) -> ApiError {
        ApiError::new(409, "Conflict", message).with_details(kind, name)
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(400, "BadRequest", message.into())
    }

    pub(crate) fn invalid(kind: Kind, name: &str, cause: &str) -> ApiError {
        ApiError::new(
            422,
            "Invalid",
            format!("{} \"{name}\" is invalid: {cause}", kind_ref(kind)),
        )
        .with_details(kind, name)
    }

    pub(crate) fn invalid_patch(message: String) -> ApiError {
        ApiError::new(422, "Invalid", message)
    }

    pub(crate) fn unauthorized() -> ApiError {
        ApiError::new(401, "Unauthorized", "Unauthorized".into())
    }

    /// The RBAC denial text, word for word as the authorizer writes it.
    pub(crate) fn forbidden(
        user: &str,
        verb: &str,
        resource: &str,
        kind: Kind,
        ns: Option<&str>,
        name: &str,
    ) -> ApiError {
        let subject = if name.is_empty() {
            format!("{resource} is forbidden")
        } else {
            format!("{resource} \"{name}\" is forbidden")
        };
        let scope = match ns {
            Some(ns) => format!("in the namespace \"{ns}\""),
            None => "at the cluster scope".to_string(),
        };
        let group = kind.group();
        ApiError::new(
            403,
            "Forbidden",
            format!(
                "{subject}: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{group}\" {scope}"
            ),
        )
        .with_details(kind, name)
    }

    pub(crate) fn expired(message: String) -> ApiError {
        ApiError::new(410, "Expired", message)
    }

    pub(crate) fn too_large_rv(asked: u64, current: u64) -> ApiError {
        let mut e = ApiError::new(
            504,
            "Timeout",
            format!("Too large resource version: {asked}, current: {current}"),
        );
        e.details = Some(json!({"causes": [{"reason": "ResourceVersionTooLarge",
            "message": "Too large resource version"}], "retryAfterSeconds": 1}));
        e
    }

    pub(crate) fn method_not_allowed() -> ApiError {
        ApiError::new(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource".into(),
        )
    }

    pub(crate) fn unsupported_media_type(ct: &str) -> ApiError {
        ApiError::new(
            415,
            "UnsupportedMediaType",
            format!(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {ct:?})"
            ),
        )
    }

    pub(crate) fn to_value(&self) -> Value {
        let mut v = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(d) = &self.details {
            v["details"] = d.clone();
        }
        v
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self.to_value()).unwrap_or_default();
        let mut resp = Response::new(Body::from(body));
        *resp.status_mut() = code;
        if let Some(secs) = self
            .details
            .as_ref()
            .and_then(|d| d["retryAfterSeconds"].as_u64())
        {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            header::HeaderValue::from_static("application/json"),
        );
        resp
    }
}

/// `pods`, or `deployments.apps` for grouped kinds, as error messages name them.
fn resource(kind: Kind) -> String {
    if kind.group().is_empty() {
        kind.plural().to_string()
    } else {
        format!("{}.{}", kind.plural(), kind.group())
    }
}

/// `Pod`, or `Deployment.apps` for grouped kinds.
fn kind_ref(kind: Kind) -> String {
    if kind.group().is_empty() {
        kind.name().to_string()
    } else {
        format!("{}.{}", kind.name(), kind.group())
    }
}

/// A JSON 200 (or other) response from pre-serialized bytes.
pub(crate) fn json_bytes(code: StatusCode, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = code;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    resp
}

pub(crate) fn json_value(code: StatusCode, v: &Value) -> Response {
    json_bytes(code, serde_json::to_vec(v).unwrap_or_default())
}
