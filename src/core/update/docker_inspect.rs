//! `i`: the engine's object (container, image, volume, network) in the
//! log viewer, where `/` searches its keys. The source writes it out,
//! secret-looking values masked, and ends the stream.

use crate::core::docker::container_key;
use crate::core::docker_inspect::InspectKind;
use crate::core::docker_objects::{ObjectRow, ObjectView};
use crate::core::effect::{DockerCommand, Effect};
use crate::core::log_session::LogSession;
use crate::core::state::State;

/// The selected container of the list.
pub(super) fn container(state: &mut State) -> Vec<Effect> {
    let Some(c) = state.docker.selected_container() else {
        return Vec::new();
    };
    // The key, not the id: with several engines it names the engine.
    let (id, name) = (c.key(), c.name.clone());
    let effects = open(state, InspectKind::Container, id.clone(), &name);
    // The container keys in this view act on the inspected container.
    if let Some(session) = state.docker.logs.as_mut() {
        session.container_id = Some(id);
    }
    effects
}

/// The selected image, volume or network of the open view.
pub(super) fn object(state: &mut State) -> Vec<Effect> {
    let picked = match state.docker.objects.as_ref() {
        // Engine-qualified as the rows' keys are, so the source asks the
        // row's engine.
        Some(ObjectView::Images(t)) => t.selected().map(|r| {
            let reference = container_key(&r.engine, &r.id);
            (InspectKind::Image, reference, r.name().to_string())
        }),
        Some(ObjectView::Volumes(t)) => t
            .selected()
            .map(|r| (InspectKind::Volume, r.key(), r.name.clone())),
        Some(ObjectView::Networks(t)) => t
            .selected()
            .map(|r| (InspectKind::Network, r.key(), r.name.clone())),
        Some(ObjectView::Projects(_)) | None => None,
    };
    match picked {
        Some((kind, reference, name)) => open(state, kind, reference, &name),
        None => Vec::new(),
    }
}

fn open(state: &mut State, kind: InspectKind, reference: String, name: &str) -> Vec<Effect> {
    let stream = state.new_stream_id();
    let mut session = LogSession::new(
        stream,
        format!("inspect {} {name}", kind.word()),
        state.settings.log_line_cap,
    );
    // An object is read from the top, not followed at its end.
    session.buffer.set_timestamps(false);
    session.opens_at_top = true;
    state.docker.logs = Some(session);
    // The caller re-plans the stats streams (none while a log is open).
    vec![Effect::Docker(DockerCommand::Inspect {
        stream,
        kind,
        reference,
    })]
}
