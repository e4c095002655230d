//! `update(&mut State, Msg) -> Vec<Effect>`: the one place state changes.
//! Plain and synchronous, so every behaviour is testable without a terminal.

mod docker;
mod docker_compose;
mod docker_inspect;
mod docker_objects;
mod github;
mod github_artifacts;
mod github_attempts;
mod github_ops;
mod github_review;
mod health;
mod kube;
mod kube_kind;
mod kube_logs;
mod kube_metrics;
mod kube_nodes;
mod kube_object;
mod kube_ops;
mod kube_select;
mod kube_shell;
mod logs;
mod messages;
mod mouse;
mod overview;
mod palette;
mod palette_entries;
mod port_forward;
mod timeline;
mod view;

use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};

use super::act;
use super::action::Action;
use super::confirm::ConfirmOutcome;
use super::effect::Effect;
use super::log_session::LogSession;
use super::msg::{DockerEvent, GitHubEvent, Msg};
use super::source::SourceHealth;
use super::state::{InputPurpose, State, Tab, TextInput};
use super::toast::ToastLevel;
use crate::logview::LineSource;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    timeline::feed(state, &msg);
    let mut effects = on_msg(state, msg);
    effects.extend(kube_metrics::sync(state));
    effects
}

fn on_msg(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Mouse(m) => mouse::on_mouse(state, m),
        Msg::Action(action) => on_action(state, action),
        Msg::Resize { width, height } => {
            state.width = width;
            state.height = height;
            docker::after_view_change(state)
        }
        Msg::ListRows { list, rows } => view::set_rows(state, list, rows),
        Msg::Tick { now } => {
            state.clock = now;
            state.toasts.expire(now);
            Vec::new()
        }
        Msg::Docker(ev) => {
            let changes_list = matches!(
                ev,
                DockerEvent::Snapshot(_) | DockerEvent::Upsert(_) | DockerEvent::Removed { .. }
            );
            let effects = docker::on_event(state, ev);
            if changes_list {
                if let SourceHealth::Connected { last_update, .. } = &mut state.docker.health {
                    *last_update = state.clock;
                }
                state.breakage_dirty = true;
            }
            effects
        }
        Msg::Kube(ev) => kube::on_event(state, ev),
        Msg::BatchDone => {
            let mut effects = if std::mem::take(&mut state.breakage_dirty) {
                overview::notify_new_breakage(state)
            } else {
                Vec::new()
            };
            effects.extend(timeline::after_batch(state));
            effects
        }
        Msg::Notify { level, text } => {
            state.toast(level, text);
            Vec::new()
        }
        Msg::ActionDone { ticket, result } => act::done(state, ticket, result),
        Msg::ActionReported { ticket, result } => act::done_saying(state, ticket, result),
        Msg::Health {
            source,
            part,
            health,
        } => health::on_health(state, source, part, health),
        Msg::LogChunk { stream, parts } => {
            logs::on_chunk(state, stream, parts);
            Vec::new()
        }
        Msg::LogEnded { stream, reason } => {
            logs::on_ended(state, stream, reason);
            Vec::new()
        }
        Msg::JournalLoaded(result) => {
            match result {
                Ok(bytes) => {
                    let stream = state.new_stream_id();
                    let mut session =
                        LogSession::new(stream, "action journal", state.settings.log_line_cap);
                    session.buffer.set_timestamps(false);
                    session.buffer.push_bytes(LineSource::stdout(), &bytes);
                    session.buffer.flush();
                    session.ended = Some("journal loaded".into());
                    state.overlay_log = Some(session);
                }
                Err(e) => state.toast(ToastLevel::Error, e),
            }
            Vec::new()
        }
        Msg::GitHub(ev) => {
            let changes_runs = matches!(ev, GitHubEvent::Runs { .. });
            let effects = github::on_event(state, ev);
            if changes_runs {
                state.breakage_dirty = true;
            }
            effects
        }
        Msg::FileWritten { path, result } => {
            match result {
                Ok(lines) => state.toast(
                    ToastLevel::Success,
                    format!("saved {lines} lines to {}", path.display()),
                ),
                Err(e) => state.toast(
                    ToastLevel::Error,
                    format!("could not save {}: {e}", path.display()),
                ),
            }
            Vec::new()
        }
    }
}

fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    // Ctrl-C always quits, whatever is open: the way out must never be blocked.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        state.quit = true;
        return Vec::new();
    }
    if state.confirm.is_some() {
        return on_confirm_key(state, key);
    }
    if state.input.is_some() {
        return on_input_key(state, key);
    }
    if state.github.dispatch_form.is_some() {
        return github_ops::on_form_key(state, key.code);
    }
    if state.github.artifacts.is_some() {
        return github_artifacts::on_key(state, key.code);
    }
    if state.github.review_form.is_some() {
        return github_review::on_form_key(state, key.code);
    }
    if state.palette.is_some() {
        return palette::on_key(state, key);
    }
    if state.help_open {
        // Any key closes help; `q` still quits.
        state.help_open = false;
        if key.code == KeyCode::Char('q') {
            state.quit = true;
        }
        return Vec::new();
    }
    let in_logs = state.active_log().is_some();
    match state
        .keymap
        .resolve_in(&key, state.tab.key_scope(), in_logs)
    {
        Some(action) => on_action(state, action),
        None => Vec::new(),
    }
}

fn on_confirm_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(confirm) = state.confirm.as_mut() else {
        return Vec::new();
    };
    match confirm.on_key(&key) {
        ConfirmOutcome::Yes(effect) => {
            state.confirm = None;
            vec![effect]
        }
        ConfirmOutcome::No => {
            state.confirm = None;
            Vec::new()
        }
        ConfirmOutcome::Pending => Vec::new(),
    }
}

fn on_input_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let Some(input) = state.input.as_mut() else {
        return Vec::new();
    };
    let purpose = input.purpose;
    match key.code {
        KeyCode::Esc => {
            state.input = None;
            match purpose {
                InputPurpose::Filter => return set_filter(state, String::new()),
                InputPurpose::LogSearch => logs::set_search(state, ""),
                InputPurpose::LogFilter => logs::set_filter(state, ""),
                InputPurpose::DispatchBranch => github_ops::cancel_dispatch(state),
                InputPurpose::Replicas => kube_ops::cancel_scale(state),
                InputPurpose::ShellContainer => kube_shell::cancel_pick(state),
                InputPurpose::ForwardPorts => port_forward::cancel_pick(state),
            }
            Vec::new()
        }
        KeyCode::Enter => {
            let text = input.text.clone();
            state.input = None;
            match purpose {
                InputPurpose::LogSearch => {
                    logs::on_action(state, Action::NextMatch);
                    Vec::new()
                }
                InputPurpose::DispatchBranch => github_ops::confirm_dispatch(state, &text),
                InputPurpose::Replicas => kube_ops::confirm_scale(state, &text),
                InputPurpose::ShellContainer => kube_shell::picked(state, &text),
                InputPurpose::ForwardPorts => port_forward::picked(state, &text),
                InputPurpose::Filter if state.tab == Tab::Kubernetes => {
                    kube_select::filter_entered(state, &text)
                }
                InputPurpose::Filter | InputPurpose::LogFilter => Vec::new(),
            }
        }
        KeyCode::Tab if purpose == InputPurpose::ShellContainer => {
            kube_shell::next_container(state);
            Vec::new()
        }
        KeyCode::Tab if purpose == InputPurpose::ForwardPorts => {
            port_forward::next_port(state);
            Vec::new()
        }
        KeyCode::Backspace => {
            input.text.pop();
            let text = input.text.clone();
            apply_input(state, purpose, text)
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            input.text.push(c);
            let text = input.text.clone();
            apply_input(state, purpose, text)
        }
        _ => Vec::new(),
    }
}

/// Filters and searches apply while typing, like fzf.
fn apply_input(state: &mut State, purpose: InputPurpose, text: String) -> Vec<Effect> {
    match purpose {
        InputPurpose::Filter => set_filter(state, text),
        InputPurpose::LogSearch => {
            logs::set_search(state, &text);
            Vec::new()
        }
        InputPurpose::LogFilter => {
            logs::set_filter(state, &text);
            Vec::new()
        }
        // The branch is only read on Enter.
        InputPurpose::DispatchBranch
        | InputPurpose::ShellContainer
        | InputPurpose::ForwardPorts => Vec::new(),
        // The number is only read on Enter.
        InputPurpose::Replicas => Vec::new(),
    }
}

/// The `/` filter of the current tab's list.
fn set_filter(state: &mut State, text: String) -> Vec<Effect> {
    match state.tab {
        Tab::Actions => {
            github::set_filter(state, text);
            Vec::new()
        }
        Tab::Kubernetes => kube::set_filter(state, text),
        Tab::Overview if state.timeline.open => timeline::set_filter(state, text),
        Tab::Overview => overview::set_filter(state, text),
        Tab::Docker => docker::set_filter(state, text),
    }
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            state.quit = true;
            Vec::new()
        }
        Action::Palette => palette::open(state),
        Action::DismissToasts => {
            state.toasts.dismiss(state.clock);
            Vec::new()
        }
        Action::Help => {
            state.help_open = !state.help_open;
            Vec::new()
        }
        Action::NextTab | Action::PrevTab => {
            let n = Tab::ALL.len();
            let i = state.tab.index();
            let next = if action == Action::NextTab {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            switch_tab(state, Tab::ALL[next])
        }
        Action::TabOverview => switch_tab(state, Tab::Overview),
        Action::TabActions => switch_tab(state, Tab::Actions),
        Action::TabKubernetes => switch_tab(state, Tab::Kubernetes),
        Action::TabDocker => switch_tab(state, Tab::Docker),
        Action::Filter => {
            // A pod's detail is no list: `/` there filters the pods it
            // came from, rather than doing nothing while the letters typed
            // next run as commands.
            let effects = if state.tab == Tab::Kubernetes && state.kube.detail.is_some() {
                kube::close_detail(state)
            } else {
                Vec::new()
            };
            let text = match state.tab {
                Tab::Overview if state.timeline.open => state.timeline.list.filter(),
                Tab::Overview => state.overview.filter(),
                Tab::Docker => match &state.docker.objects {
                    Some(view) => view.filter(),
                    None => state.docker.list.filter(),
                },
                Tab::Actions => match &state.github.detail {
                    Some(detail) => detail.list.filter(),
                    None => state.github.list.filter(),
                },
                Tab::Kubernetes => state.kube.active_filter(),
            };
            state.input = Some(TextInput {
                purpose: InputPurpose::Filter,
                text: text.to_string(),
            });
            effects
        }
        Action::Search => {
            state.input = Some(TextInput {
                purpose: InputPurpose::LogSearch,
                text: String::new(),
            });
            Vec::new()
        }
        Action::LogFilter => logs::open_filter(state),
        _ if state.overlay_log.is_some() => logs::on_action(state, action),
        _ if state.tab == Tab::Docker => docker::on_action(state, action),
        _ if state.tab == Tab::Actions => github::on_action(state, action),
        Action::Timeline => timeline::toggle(state),
        _ if state.tab == Tab::Overview => {
            let effects = if state.timeline.open {
                timeline::on_action(state, action)
            } else {
                overview::on_action(state, action)
            };
            logs::opened_from_overview(state, action);
            effects
        }
        _ if state.tab == Tab::Kubernetes => kube::on_action(state, action),
        _ => Vec::new(),
    }
}

fn switch_tab(state: &mut State, tab: Tab) -> Vec<Effect> {
    state.tab = tab;
    docker::after_view_change(state)
}

#[cfg(test)]
mod filter_tests;
#[cfg(test)]
mod github_more_tests;
#[cfg(test)]
mod github_tests;
#[cfg(test)]
mod log_keys_tests;
#[cfg(test)]
mod screen_tests;
#[cfg(test)]
mod shell_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod timeline_tests;
