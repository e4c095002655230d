//! What the lists on screen look like to `update`: the navigation keys
//! they share, and their size, which the UI measures and passes in.
//!
//! Why the size comes in as a message (`Msg::ListRows`) rather than with
//! `Msg::Resize` or as a constant: only the drawing code knows how many
//! lines a list gets (the Overview's health lines, a run's header, a
//! filter bar all take some), and that changes with the state, not only
//! with the terminal. The loop sends what the last frame measured when it
//! differs; `update` then keeps the selection on screen and follows up on
//! what depends on the rows shown (Docker's stats streams).

use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::list::{ListId, Nav};
use crate::core::state::State;

/// The list move an action asks for, if any.
pub(super) fn nav(action: Action) -> Option<Nav> {
    Some(match action {
        Action::Up => Nav::Up,
        Action::Down => Nav::Down,
        Action::PageUp => Nav::PageUp,
        Action::PageDown => Nav::PageDown,
        Action::Top => Nav::Top,
        Action::Bottom => Nav::Bottom,
        _ => return None,
    })
}

/// Records how many lines `list` has on screen.
pub(super) fn set_rows(state: &mut State, list: ListId, rows: usize) -> Vec<Effect> {
    match list {
        ListId::Overview => state.overview.set_viewport(rows),
        ListId::Timeline => state.timeline.list.set_viewport(rows),
        ListId::Runs => state.github.list.set_viewport(rows),
        ListId::Jobs => {
            if let Some(detail) = state.github.detail.as_mut() {
                detail.list.set_viewport(rows);
            }
        }
        ListId::Attempts => {
            if let Some(a) = state
                .github
                .detail
                .as_mut()
                .and_then(|d| d.attempts.as_mut())
            {
                a.list.set_viewport(rows);
            }
        }
        ListId::Pods => state.kube.list.set_viewport(rows),
        ListId::Kind => {
            if let Some(k) = state.kube.kind.as_mut() {
                k.list.set_viewport(rows);
            }
        }
        ListId::PortForwards => state.kube.forwards.list.set_viewport(rows),
        ListId::DockerObjects => {
            if let Some(v) = state.docker.objects.as_mut() {
                crate::each_object_table!(v, t => t.list.set_viewport(rows));
            }
        }
        ListId::Containers => {
            state.docker.list.set_viewport(rows);
            return super::docker::after_view_change(state);
        }
    }
    Vec::new()
}
