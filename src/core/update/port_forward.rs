//! `F` on a pod or a Service: the ports dialog (the target's declared
//! ports, read from the API; `LOCAL:REMOTE` or `REMOTE` typed, several
//! with spaces or commas, `all` for every declared one, Tab for the next
//! offered port; see `core::port_specs`), then `core::act` asks (a forward opens access,
//! so it is confirmed, typed on a danger context, refused under
//! `--readonly`, journaled). `:pf` lists the forwards; `x` stops one
//! (harmless, so not asked, but journaled).

use crate::core::act::{self, Proposal, Risk, Ticket};
use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::kube_msg::KubeCommand;
use crate::core::port_forwards::{
    ForwardCommand, ForwardEvent, ForwardState, ForwardTarget, PortPick,
};
use crate::core::port_specs;
use crate::core::source::SourceKind;
use crate::core::state::{InputPurpose, State, Tab, TextInput};
use crate::core::toast::ToastLevel;

use super::{kube_kind, kube_logs, view};

/// The selected Service of `:svc`, else the pod of the detail or the
/// selection; `Err` says why there is nothing to forward to.
fn target(state: &State) -> Result<Option<ForwardTarget>, &'static str> {
    let pane = &state.kube;
    if let Some(kind) = pane.kind.as_ref().filter(|k| k.listing()) {
        if kind.spec.kind != "Service" {
            return Err("port-forward works on a pod or a Service (:svc)");
        }
        return Ok(kind.selected().map(|row| ForwardTarget {
            context: row.key.context.to_string(),
            namespace: row.key.namespace.to_string(),
            service: true,
            name: row.key.name.to_string(),
        }));
    }
    let key = match &pane.detail {
        Some(d) => Some(&d.key),
        None => pane.list.selected(),
    };
    Ok(key.map(|k| ForwardTarget {
        context: k.context.to_string(),
        namespace: k.namespace.to_string(),
        service: false,
        name: k.name.to_string(),
    }))
}

/// `F`: opens the ports dialog and asks the source for the ports.
pub(super) fn ask_ports(state: &mut State) -> Vec<Effect> {
    let target = match target(state) {
        Ok(Some(t)) => t,
        Ok(None) => return Vec::new(),
        Err(why) => {
            state.toast(ToastLevel::Info, why);
            return Vec::new();
        }
    };
    let refused = act::refusal(
        state,
        SourceKind::Kubernetes,
        format!("{}/{}", target.context, target.namespace),
        target.label(),
        "port-forward",
    );
    if let Some(effects) = refused {
        return effects;
    }
    let request = state.new_stream_id();
    state.kube.forwards.pick = Some(PortPick {
        target: target.clone(),
        request,
        ports: None,
    });
    state.input = Some(TextInput {
        purpose: InputPurpose::ForwardPorts,
        text: String::new(),
    });
    vec![Effect::Kube(KubeCommand::PortForward(
        ForwardCommand::ListPorts { request, target },
    ))]
}

pub(super) fn on_event(state: &mut State, event: ForwardEvent) -> Vec<Effect> {
    let ports_arrived = matches!(event, ForwardEvent::Ports { .. });
    let now = state.clock;
    state.kube.forwards.apply(event, now);
    // The first offered port is typed in for the user (Enter takes it).
    if ports_arrived
        && let Some(first) = first_port(state)
        && let Some(input) = state
            .input
            .as_mut()
            .filter(|i| i.purpose == InputPurpose::ForwardPorts && i.text.is_empty())
    {
        input.text = first.to_string();
    }
    Vec::new()
}

fn offered(state: &State) -> Vec<u16> {
    match state
        .kube
        .forwards
        .pick
        .as_ref()
        .and_then(|p| p.ports.as_ref())
    {
        Some(Ok(ports)) => ports.iter().map(|p| p.port).collect(),
        _ => Vec::new(),
    }
}

fn first_port(state: &State) -> Option<u16> {
    offered(state).first().copied()
}

/// Tab: the last spec's remote port becomes the next offered one (a typed
/// local port kept), then `all`; after a space, a further port.
pub(super) fn next_port(state: &mut State) {
    let ports = offered(state);
    let Some(input) = state.input.as_mut() else {
        return;
    };
    if let Some(text) = port_specs::next(&input.text, &ports) {
        input.text = text;
    }
}

pub(super) fn cancel_pick(state: &mut State) {
    state.kube.forwards.pick = None;
}

/// Enter in the dialog: the typed ports, asked through `core::act`.
pub(super) fn picked(state: &mut State, text: &str) -> Vec<Effect> {
    let Some(pick) = state.kube.forwards.pick.clone() else {
        return Vec::new();
    };
    let pairs = match port_specs::parse_pairs(text, &offered(state)) {
        Ok(p) => p,
        Err(why) => {
            // The dialog stays, with what was typed, to be corrected.
            state.toast(ToastLevel::Error, why);
            state.input = Some(TextInput {
                purpose: InputPurpose::ForwardPorts,
                text: text.to_string(),
            });
            return Vec::new();
        }
    };
    state.kube.forwards.pick = None;
    let target = pick.target;
    let required_text = state
        .kube
        .is_danger(&target.context)
        .then(|| target.context.clone());
    let proposal = Proposal {
        source: SourceKind::Kubernetes,
        location: format!("{}/{}", target.context, target.namespace),
        target: format!("{} {}", target.label(), port_specs::remotes(&pairs)),
        verb: "port-forward".to_string(),
        title: "Port-forward".to_string(),
        shown_target: format!(
            "{} {} (this machine only), in context {}",
            target.label(),
            port_specs::describe(&pairs),
            target.context
        ),
        risk: Risk::Harmless,
        required_text,
    };
    let forwards = pairs
        .into_iter()
        .map(|pair| (state.new_stream_id(), pair))
        .collect();
    act::ask(state, proposal, |ticket| {
        Effect::Kube(KubeCommand::PortForward(ForwardCommand::Start {
            ticket,
            target,
            forwards,
        }))
    })
}

/// `:pf`: the forwards, in the Kubernetes tab.
pub(super) fn open_view(state: &mut State) -> Vec<Effect> {
    state.tab = Tab::Kubernetes;
    let mut effects = kube_logs::close(state);
    if state.kube.detail.take().is_some() {
        effects.push(Effect::Kube(KubeCommand::StopEvents));
    }
    effects.extend(kube_kind::close(state));
    let pf = &mut state.kube.forwards;
    pf.open = true;
    pf.rebuild_order();
    effects
}

/// Keys: `F` anywhere in the tab; the list's keys while `:pf` is open.
pub(super) fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    if !state.kube.forwards.open {
        return (action == Action::PortForward).then(|| ask_ports(state));
    }
    let pf = &mut state.kube.forwards;
    if let Some(nav) = view::nav(action) {
        pf.list.navigate(nav);
        return Some(Vec::new());
    }
    let effects = match action {
        Action::SortNext => {
            pf.list.cycle_sort();
            pf.rebuild_order();
            Vec::new()
        }
        Action::SortReverse => {
            pf.list.reverse();
            pf.rebuild_order();
            Vec::new()
        }
        Action::Back if !pf.list.filter().is_empty() => {
            pf.list.set_filter("");
            pf.rebuild_order();
            Vec::new()
        }
        Action::Back => {
            pf.open = false;
            Vec::new()
        }
        Action::StopForward => stop_selected(state),
        Action::Copy => match pf.selected() {
            Some(row) => vec![Effect::Copy(row.local.clone())],
            None => Vec::new(),
        },
        Action::PortForward => {
            state.toast(
                ToastLevel::Info,
                "F forwards a pod or a Service: Esc back to the pods, or :svc",
            );
            Vec::new()
        }
        // Filter and the global keys are the pane's as usual.
        Action::Filter => return None,
        _ => Vec::new(),
    };
    Some(effects)
}

/// `x`: stops the selected forward (journaled); on one that has ended
/// already, takes it off the list.
fn stop_selected(state: &mut State) -> Vec<Effect> {
    let Some(row) = state.kube.forwards.selected().cloned() else {
        return Vec::new();
    };
    if row.state != ForwardState::Listening {
        state.kube.forwards.rows.remove(&row.id);
        state.kube.forwards.rebuild_order();
        return Vec::new();
    }
    if let Some(r) = state.kube.forwards.rows.get_mut(&row.id) {
        r.state = ForwardState::Ended("stopped".into());
        r.open = 0;
    }
    let ticket = Ticket::new(
        state.new_stream_id(),
        Some(SourceKind::Kubernetes),
        format!("{}/{}", row.target.context, row.target.namespace),
        format!("{} port {} ({})", row.target.label(), row.remote, row.local),
        "stop port-forward",
    );
    state.toast(ToastLevel::Success, format!("{}: done", ticket.describe()));
    vec![
        Effect::Kube(KubeCommand::PortForward(ForwardCommand::Stop {
            id: row.id,
        })),
        Effect::AppendJournal(ticket.journal(state.clock, Ok(()))),
    ]
}

/// `/` while `:pf` is open filters the forwards.
pub(super) fn set_filter(state: &mut State, text: &str) -> bool {
    let pf = &mut state.kube.forwards;
    if !pf.open {
        return false;
    }
    pf.list.set_filter(text);
    pf.rebuild_order();
    true
}

#[cfg(test)]
#[path = "port_forward_tests.rs"]
mod tests;
