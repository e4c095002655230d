//! `[ui] mouse = true`: a click selects a tab or a row, the wheel scrolls
//! the list or the log on screen, each by going through the same actions
//! as the keys (so a click on a row is the `j`/`k` presses it saves).
//!
//! Where things are on screen is the drawing code's business; the two
//! facts this relies on are fixed by `ui::draw_measured` and the table
//! widget: the tab bar is the top line (labels ` N Title ` after
//! ` opsdeck `), and a list's rows fill its frame down to the frame's
//! bottom border, just above the status line, in the `Msg::ListRows` lines
//! the last frame measured. The headless test clicking a row guards both.

use super::on_action;
use crate::core::action::Action;
use crate::core::effect::Effect;
use crate::core::key::{MouseEvent, MouseKind};
use crate::core::list::{ListId, ListState, SortColumn};
use crate::core::state::{State, Tab};

/// Lines one wheel notch moves, as in most terminals' own scrollback.
const WHEEL_LINES: usize = 3;
/// ` opsdeck ` before the first tab label.
const BRAND_WIDTH: u16 = 9;

pub(super) fn on_mouse(state: &mut State, m: MouseEvent) -> Vec<Effect> {
    // A dialog, a prompt, the palette or help wants keys, not clicks.
    if state.confirm.is_some()
        || state.input.is_some()
        || state.palette.is_some()
        || state.help_open
    {
        return Vec::new();
    }
    match m.kind {
        MouseKind::ScrollUp => repeat(state, Action::Up, WHEEL_LINES),
        MouseKind::ScrollDown => repeat(state, Action::Down, WHEEL_LINES),
        MouseKind::Click if m.row == 0 => match tab_at(m.column) {
            Some(tab) => on_action(state, tab_action(tab)),
            None => Vec::new(),
        },
        MouseKind::Click => click_row(state, m.row),
    }
}

fn repeat(state: &mut State, action: Action, times: usize) -> Vec<Effect> {
    let mut effects = Vec::new();
    for _ in 0..times {
        effects.extend(on_action(state, action));
    }
    effects
}

/// The tab whose label covers `column` of the tab bar.
fn tab_at(column: u16) -> Option<Tab> {
    let mut x = BRAND_WIDTH;
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let width = format!(" {} {} ", i + 1, tab.title()).chars().count() as u16;
        if (x..x + width).contains(&column) {
            return Some(*tab);
        }
        x += width;
    }
    None
}

fn tab_action(tab: Tab) -> Action {
    match tab {
        Tab::Overview => Action::TabOverview,
        Tab::Actions => Action::TabActions,
        Tab::Kubernetes => Action::TabKubernetes,
        Tab::Docker => Action::TabDocker,
    }
}

/// The list drawn on screen now, if a plain list is (not a log, a pod's
/// detail, or a run's jobs beside their steps).
fn list_on_screen(state: &State) -> Option<ListId> {
    if state.overlay_log.is_some() {
        return None;
    }
    match state.tab {
        Tab::Overview if state.timeline.open => Some(ListId::Timeline),
        Tab::Overview => Some(ListId::Overview),
        Tab::Docker if state.docker.logs.is_none() => match &state.docker.objects {
            Some(_) => Some(ListId::DockerObjects),
            None => Some(ListId::Containers),
        },
        Tab::Kubernetes if state.kube.logs.is_none() && state.kube.forwards.open => {
            Some(ListId::PortForwards)
        }
        Tab::Kubernetes if state.kube.logs.is_none() && state.kube.detail.is_none() => {
            match &state.kube.kind {
                Some(view) if view.listing() => Some(ListId::Kind),
                _ => Some(ListId::Pods),
            }
        }
        Tab::Actions if state.github.logs.is_none() && state.github.detail.is_none() => {
            Some(ListId::Runs)
        }
        _ => None,
    }
}

/// Selects the row drawn at screen line `row`, by as many Up/Down actions
/// as it is away from the selection.
fn click_row(state: &mut State, row: u16) -> Vec<Effect> {
    let Some(list) = list_on_screen(state) else {
        return Vec::new();
    };
    let lines = state.list_rows(list);
    // The frame's bottom border and the status line are the last two lines.
    let bottom = usize::from(state.height).saturating_sub(2);
    let Some(top) = bottom.checked_sub(lines) else {
        return Vec::new();
    };
    let row = usize::from(row);
    if row < top || row >= bottom {
        return Vec::new();
    }
    let line = row - top;
    let hit = match list {
        ListId::Overview => row_at(&state.overview, lines, line),
        ListId::Timeline => row_at(&state.timeline.list, lines, line),
        ListId::Containers => row_at(&state.docker.list, lines, line),
        ListId::Pods => row_at(&state.kube.list, lines, line),
        ListId::Runs => row_at(&state.github.list, lines, line),
        ListId::Kind => state
            .kube
            .kind
            .as_ref()
            .and_then(|k| row_at(&k.list, lines, line)),
        ListId::PortForwards => row_at(&state.kube.forwards.list, lines, line),
        ListId::DockerObjects => state
            .docker
            .objects
            .as_ref()
            .and_then(|v| crate::each_object_table!(v, t => row_at(&t.list, lines, line))),
        ListId::Jobs | ListId::Attempts => None,
    };
    let Some((target, selected)) = hit else {
        return Vec::new();
    };
    if target >= selected {
        repeat(state, Action::Down, target - selected)
    } else {
        repeat(state, Action::Up, selected - target)
    }
}

/// The index of the row at `line` of a list `lines` high (a group heading
/// is no row), and the selected index.
fn row_at<K: Clone + Eq + std::hash::Hash, S: SortColumn>(
    list: &ListState<K, S>,
    lines: usize,
    line: usize,
) -> Option<(usize, usize)> {
    let selected = list.selected_index()?;
    let window = list.window(lines);
    let mut y = 0;
    for index in window.clone() {
        if list.heading_at(index, window.start) {
            if y == line {
                return None;
            }
            y += 1;
        }
        if y == line {
            return Some((index, selected));
        }
        y += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_labels_are_found_by_column() {
        // " opsdeck " then " 1 Overview " (12) then " 2 Actions " (11)...
        assert_eq!(tab_at(0), None);
        assert_eq!(tab_at(8), None);
        assert_eq!(tab_at(9), Some(Tab::Overview));
        assert_eq!(tab_at(20), Some(Tab::Overview));
        assert_eq!(tab_at(21), Some(Tab::Actions));
        assert_eq!(tab_at(32), Some(Tab::Kubernetes));
        assert_eq!(tab_at(47), Some(Tab::Docker));
        assert_eq!(tab_at(56), None);
    }
}
