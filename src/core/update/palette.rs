//! Keys while the palette is open, and what a chosen entry does.

use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};

use crate::core::effect::Effect;
use crate::core::palette::{Choice, Palette};
use crate::core::state::State;
use crate::core::toast::ToastLevel;

use super::overview;

pub(super) fn open(state: &mut State) -> Vec<Effect> {
    state.palette = Some(Palette::new(super::palette_entries::entries(state)));
    Vec::new()
}

pub(super) fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(palette) = state.palette.as_mut() else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => state.palette = None,
        KeyCode::Up => palette.move_selection(-1),
        KeyCode::Down | KeyCode::Tab => palette.move_selection(1),
        KeyCode::Char('p') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            palette.move_selection(-1)
        }
        KeyCode::Char('n') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            palette.move_selection(1)
        }
        KeyCode::Backspace => {
            let mut q = palette.query.clone();
            q.pop();
            palette.set_query(q);
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            let q = format!("{}{c}", palette.query);
            palette.set_query(q);
        }
        KeyCode::Enter => {
            let choice = palette.chosen().map(|e| e.choice.clone());
            let query = palette.query.trim().to_ascii_lowercase();
            state.palette = None;
            match choice {
                // `:` `Enter` (a palette opened by mistake, or a reflex)
                // must not end the session: quitting takes `q` or `quit`
                // typed, not an entry the selection happens to sit on.
                Some(Choice::Quit) if query.is_empty() || !"quit".starts_with(&query) => {}
                Some(choice) => return run(state, choice),
                None => {}
            }
        }
        _ => {}
    }
    Vec::new()
}

fn run(state: &mut State, choice: Choice) -> Vec<Effect> {
    // Another Kubernetes view replaces `:pf` on screen.
    if matches!(
        choice,
        Choice::Jump(_)
            | Choice::KubeContext(_)
            | Choice::KubeNamespace(_)
            | Choice::KubeKind(_)
            | Choice::KubeWorkload { .. }
    ) {
        state.kube.forwards.open = false;
    }
    match choice {
        Choice::Quit => state.quit = true,
        Choice::Journal => return vec![Effect::ReadJournal],
        Choice::Help => state.help_open = true,
        Choice::Readonly => {
            state.settings.readonly = true;
            state.toast(ToastLevel::Info, "read-only mode on for this session");
            return crate::core::act::journal_switch(state, "read-only mode", "turn on");
        }
        Choice::Theme(name) => return vec![Effect::SetTheme(name)],
        Choice::Tab(tab) => {
            state.tab = tab;
            return super::docker::after_view_change(state);
        }
        Choice::Jump(target) => return overview::jump(state, &target, false),
        Choice::Runs(filter) => {
            state.tab = crate::core::state::Tab::Actions;
            state.github.detail = None;
            state.github.logs = None;
            super::github::set_filter(state, filter);
            return vec![Effect::GitHub(crate::core::effect::GitHubCommand::StopJobs)];
        }
        Choice::Messages => return super::messages::open(state),
        Choice::Timeline => super::timeline::open(state),
        Choice::KubeContext(name) => {
            let scope = crate::core::kube::KubeScope {
                contexts: vec![name],
                ..state.kube.scope.clone()
            };
            state.tab = crate::core::state::Tab::Kubernetes;
            return super::kube::set_scope(state, scope);
        }
        Choice::KubeNamespace(ns) => {
            let scope = crate::core::kube::KubeScope {
                namespace: crate::core::kube::NamespaceScope::parse(&ns),
                ..state.kube.scope.clone()
            };
            state.tab = crate::core::state::Tab::Kubernetes;
            return super::kube::set_scope(state, scope);
        }
        Choice::KubeSelector(selector) => return super::kube_select::set(state, selector),
        Choice::PortForwards => return super::port_forward::open_view(state),
        Choice::KubeKind(plural) => return super::kube_kind::open_named(state, plural),
        Choice::DockerObjects(kind) => return super::docker_objects::open(state, kind),
        Choice::KubeWorkload {
            context,
            namespace,
            name,
        } => return super::kube::show_workload(state, &context, &namespace, &name),
    }
    Vec::new()
}
