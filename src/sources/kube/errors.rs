//! kube and watcher errors in plain words: what failed, and what to do.

use kube::runtime::watcher;

/// One line for a toast, the status bar or the pane.
pub fn plain_error(e: &kube::Error) -> String {
    match e {
        kube::Error::Api(status) => status_words(status.code, &status.message),
        kube::Error::Auth(inner) => {
            format!("could not get credentials (exec plugin or token file): {inner}")
        }
        kube::Error::HyperError(inner) => connection_words(&inner.to_string()),
        kube::Error::Service(inner) => connection_words(&chain(inner.as_ref())),
        kube::Error::InferConfig(inner) => format!("kubeconfig: {inner}"),
        kube::Error::InferKubeconfig(inner) => format!("kubeconfig: {inner}"),
        other => other.to_string(),
    }
}

/// The words for an API status code; `message` is the server's own text.
pub fn status_words(code: u16, message: &str) -> String {
    match code {
        401 => format!(
            "unauthorized (401): the credentials were rejected or have expired; \
             log in again or refresh the token ({message})"
        ),
        403 => format!("forbidden (403): RBAC does not allow this: {message}"),
        404 => format!("not found (404): it no longer exists: {message}"),
        409 => format!("conflict (409): it changed meanwhile; try again: {message}"),
        410 => format!("expired (410): {message}"),
        422 => format!("rejected as invalid (422): {message}"),
        429 => format!("throttled by the API server (429): {message}"),
        500..=599 => format!("the API server failed ({code}): {message}"),
        _ => format!("{message} ({code})"),
    }
}

fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

fn connection_words(detail: &str) -> String {
    let lower = detail.to_lowercase();
    if lower.contains("connection refused") {
        "API server unreachable: connection refused".to_string()
    } else if lower.contains("timed out") || lower.contains("elapsed") {
        "API server unreachable: timed out".to_string()
    } else if lower.contains("dns") || lower.contains("lookup") {
        format!("API server name does not resolve: {detail}")
    } else {
        format!("API server unreachable: {detail}")
    }
}

/// The server did not answer at all (refused, reset, timed out): worth
/// trying again soon, unlike an answer that says no.
pub fn is_connection_error(e: &kube::Error) -> bool {
    matches!(e, kube::Error::HyperError(_) | kube::Error::Service(_))
}

/// A pod log the kubelet no longer has or does not have yet: a dead
/// container already collected ("unable to retrieve container logs"), no
/// previous container, or one still waiting to start. The kubelet answers
/// all of them with 400 and its own sentence (pkg/kubelet's
/// validateContainerLogStatus and kuberuntime's GetContainerLogs).
pub fn is_log_gone(e: &kube::Error) -> bool {
    let kube::Error::Api(status) = e else {
        return false;
    };
    status.code == 400
        && [
            "unable to retrieve container logs",
            "previous terminated container",
            "is waiting to start",
            "is terminated",
        ]
        .iter()
        .any(|w| status.message.contains(w))
}

/// A watcher error in plain words.
pub fn watch_error(e: &watcher::Error) -> String {
    match e {
        watcher::Error::InitialListFailed(inner)
        | watcher::Error::WatchStartFailed(inner)
        | watcher::Error::WatchFailed(inner) => plain_error(inner),
        watcher::Error::WatchError(status) => status_words(status.code, &status.message),
        watcher::Error::NoResourceVersion => {
            "the API server sent no resourceVersion; it cannot be watched".to_string()
        }
    }
}

/// 403 Forbidden: RBAC does not allow the list or watch.
pub fn is_forbidden(e: &watcher::Error) -> bool {
    match e {
        watcher::Error::WatchError(status) => status.code == 403,
        watcher::Error::InitialListFailed(kube::Error::Api(status))
        | watcher::Error::WatchStartFailed(kube::Error::Api(status))
        | watcher::Error::WatchFailed(kube::Error::Api(status)) => status.code == 403,
        _ => false,
    }
}

/// 410 Gone: the watcher re-lists by itself; nothing is wrong.
pub fn is_gone(e: &watcher::Error) -> bool {
    match e {
        watcher::Error::WatchError(status) => status.code == 410,
        watcher::Error::WatchStartFailed(kube::Error::Api(status))
        | watcher::Error::InitialListFailed(kube::Error::Api(status)) => status.code == 410,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_codes_read_as_plain_words() {
        let m = "pods \"web-1\" is forbidden: User \"dev\" cannot delete resource \"pods\"";
        let t = status_words(403, m);
        assert!(
            t.starts_with("forbidden (403): RBAC") && t.contains("cannot delete"),
            "{t}"
        );
        assert!(status_words(401, "Unauthorized").contains("expired"));
        assert!(status_words(404, "pods \"x\" not found").contains("no longer exists"));
        assert!(status_words(409, "x").contains("try again"));
        assert_eq!(
            connection_words("tcp connect error: Connection refused (os error 111)"),
            "API server unreachable: connection refused"
        );
    }
}
