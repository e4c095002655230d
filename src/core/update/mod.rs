//! `update(&mut State, Msg) -> Vec<Effect>`: the one place state changes.
//! Plain and synchronous, so every behaviour is testable without a terminal.

mod docker;
mod logs;
mod overview;
mod palette;

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::effect::Effect;
use super::msg::{DockerEvent, Msg};
use super::state::{InputPurpose, State, Tab, TextInput};
use super::toast::ToastLevel;

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) => on_key(state, key),
        Msg::Action(action) => on_action(state, action),
        Msg::Resize { width, height } => {
            state.width = width;
            state.height = height;
            docker::after_view_change(state)
        }
        Msg::Tick { now } => {
            state.clock = now;
            state.toasts.expire(Instant::now());
            Vec::new()
        }
        Msg::Docker(ev) => {
            let changes_list = matches!(
                ev,
                DockerEvent::Snapshot(_) | DockerEvent::Upsert(_) | DockerEvent::Removed { .. }
            );
            let mut effects = docker::on_event(state, ev);
            if changes_list {
                effects.extend(overview::notify_new_breakage(state));
            }
            effects
        }
        Msg::Notify { level, text } => {
            state.toast(level, text);
            Vec::new()
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
    let in_logs = state.tab == Tab::Docker && state.docker.logs.is_some();
    match state.keymap.resolve(&key, in_logs) {
        Some(action) => on_action(state, action),
        None => Vec::new(),
    }
}

fn on_confirm_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => match state.confirm.take() {
            Some(confirm) => vec![confirm.effect],
            None => Vec::new(),
        },
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc | KeyCode::Char('q') => {
            state.confirm = None;
            Vec::new()
        }
        _ => Vec::new(),
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
            if purpose == InputPurpose::Filter {
                return docker::set_filter(state, String::new());
            }
            logs::set_search(state, "");
            Vec::new()
        }
        KeyCode::Enter => {
            state.input = None;
            if purpose == InputPurpose::LogSearch {
                logs::on_action(state, Action::NextMatch);
            }
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
        InputPurpose::Filter => docker::set_filter(state, text),
        InputPurpose::LogSearch => {
            logs::set_search(state, &text);
            Vec::new()
        }
    }
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => {
            state.quit = true;
            Vec::new()
        }
        Action::Palette => palette::open(state),
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
            if state.tab == Tab::Docker {
                state.input = Some(TextInput {
                    purpose: InputPurpose::Filter,
                    text: state.docker.filter.clone(),
                });
            }
            Vec::new()
        }
        Action::Search => {
            state.input = Some(TextInput {
                purpose: InputPurpose::LogSearch,
                text: String::new(),
            });
            Vec::new()
        }
        _ if state.tab == Tab::Docker => docker::on_action(state, action),
        _ if state.tab == Tab::Overview => overview::on_action(state, action),
        _ => Vec::new(),
    }
}

fn switch_tab(state: &mut State, tab: Tab) -> Vec<Effect> {
    state.tab = tab;
    docker::after_view_change(state)
}

#[cfg(test)]
mod tests;
