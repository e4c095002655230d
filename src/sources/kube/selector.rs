//! A label selector the API server refused. The server parses
//! `labelSelector` itself and answers a bad one with 400 BadRequest and
//! its parser's words (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
//! gives the grammar: `=`, `==`, `!=`, `in`, `notin`, `key`, `!key`);
//! retrying cannot help, so the pane is told once, in plain words.

use kube::runtime::watcher;

/// The server's message when `e` is its refusal of the request (400).
pub fn refusal(e: &watcher::Error) -> Option<String> {
    match e {
        watcher::Error::WatchError(status) if status.code == 400 => Some(status.message.clone()),
        watcher::Error::InitialListFailed(kube::Error::Api(status))
        | watcher::Error::WatchStartFailed(kube::Error::Api(status))
        | watcher::Error::WatchFailed(kube::Error::Api(status))
            if status.code == 400 =>
        {
            Some(status.message.clone())
        }
        _ => None,
    }
}

/// One sentence naming the selector and what the server said of it.
pub fn words(selector: &str, message: &str) -> String {
    let message = message.trim();
    let why = if message.is_empty() {
        "the API server refused it".to_string()
    } else {
        format!("the API server says: {message}")
    };
    format!(
        "label selector \"{selector}\" is not valid ({why}); write it as kubectl -l takes it \
         (app=web, tier!=db, env in (a,b)), or :sel alone to clear it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_name_the_selector_and_the_servers_reason() {
        let text = words(
            "a b=c",
            "unable to parse requirement: invalid label key \"a b\"",
        );
        assert!(
            text.starts_with("label selector \"a b=c\" is not valid"),
            "{text}"
        );
        assert!(text.contains("invalid label key"), "{text}");
        assert!(!text.contains('\n'));
    }
}
