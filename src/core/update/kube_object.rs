//! `y` and `d` in the Kubernetes tab: the selected object as YAML or as
//! `kubectl describe` prints it, in the log viewer (so `/`, `n`, `&`, `w`
//! and `Ctrl-s` work on it). The source gets the object once, on demand,
//! and sends the text as the view's only chunk.

use crate::core::effect::Effect;
use crate::core::kube_kind::Link;
use crate::core::kube_msg::{KubeCommand, ObjectRef, ObjectView};
use crate::core::log_session::LogSession;
use crate::core::state::State;
use crate::logview::LineSource;

/// The object the keys act on: the pod of an open detail, the selected row
/// of a kind's view (an event's involved object), else the selected pod.
pub(super) fn selected(state: &State) -> Option<ObjectRef> {
    let pane = &state.kube;
    let object = |kind: &str, key: &crate::core::kube::PodKey| ObjectRef {
        context: key.context.to_string(),
        kind: kind.to_string(),
        namespace: key.namespace.to_string(),
        name: key.name.to_string(),
    };
    if let Some(detail) = &pane.detail {
        return Some(object("Pod", &detail.key));
    }
    if let Some(view) = pane.kind.as_ref().filter(|v| v.listing()) {
        let row = view.selected()?;
        return Some(match &row.link {
            Link::Object {
                kind,
                namespace,
                name,
            } => ObjectRef {
                context: row.key.context.to_string(),
                kind: kind.clone(),
                namespace: namespace.clone(),
                name: name.clone(),
            },
            _ => object(view.spec.kind, &row.key),
        });
    }
    pane.selected_pod().map(|p| object("Pod", &p.key))
}

/// `y` / `d`: the selected object's view.
pub(super) fn open_selected(state: &mut State, view: ObjectView) -> Vec<Effect> {
    match selected(state) {
        Some(object) => open(state, object, view),
        None => Vec::new(),
    }
}

/// Opens the view at once (empty until the object arrives) and asks for it.
pub(super) fn open(state: &mut State, object: ObjectRef, view: ObjectView) -> Vec<Effect> {
    let stream = state.new_stream_id();
    let title = format!("{} {object}", view.word());
    let mut session = LogSession::new(stream, title, state.settings.log_line_cap);
    session.buffer.set_timestamps(false);
    state.overlay_log = Some(session);
    vec![Effect::Kube(KubeCommand::ShowObject {
        stream,
        object,
        view,
    })]
}

/// The text arrived (or the reason it did not): the view shows it from the top.
pub(super) fn arrived(state: &mut State, stream: u64, result: Result<String, String>) {
    let Some(session) = state.overlay_log.as_mut().filter(|s| s.stream == stream) else {
        return;
    };
    let (text, ended) = match result {
        Ok(text) => (text, "got once, not live".to_string()),
        Err(e) => (format!("{e}\n"), format!("could not get it: {e}")),
    };
    session
        .buffer
        .push_bytes(LineSource::stdout(), text.as_bytes());
    session.buffer.flush();
    session.ended = Some(ended);
    session.view.top(&session.buffer);
}

#[cfg(test)]
#[path = "kube_object_tests.rs"]
mod tests;
