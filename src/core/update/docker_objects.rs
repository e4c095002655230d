//! The images, volumes and networks views of the Docker pane (`:images`,
//! `:volumes`, `:networks`): opening one asks the source to load it (and
//! to reload it when the engine's events change it), closing it stops
//! that; `D` removes the selection and `P` prunes, both confirmed. With
//! several engines every engine lists its own rows, and an action goes to
//! the engine of the selected row (a prune too: see the README).

use crate::core::act::{self, Proposal, Risk};
use crate::core::action::Action;
use crate::core::docker::human_bytes;
use crate::core::docker_objects::{
    ImageRow, ObjectKind, ObjectList, ObjectOp, ObjectRow, ObjectView,
};
use crate::core::effect::{DockerCommand, Effect};
use crate::core::source::SourceKind;
use crate::core::state::{State, Tab};
use crate::core::toast::ToastLevel;
use crate::each_object_table;

use super::{docker, view};

/// Names a prune dialog lists before saying "and N more".
const NAMES_SHOWN: usize = 8;

/// `:images` and the like: the view in the Docker tab, loaded afresh.
pub(super) fn open(state: &mut State, kind: ObjectKind) -> Vec<Effect> {
    state.tab = Tab::Docker;
    let mut effects = docker::close_logs(state);
    if state.docker.objects.as_ref().map(ObjectView::kind) != Some(kind) {
        state.docker.objects = Some(ObjectView::new(kind));
        effects.push(Effect::Docker(DockerCommand::WatchObjects {
            kind: Some(kind),
        }));
    }
    effects.extend(docker::after_view_change(state));
    effects
}

/// Back to the containers; the source stops reloading the view.
pub(super) fn close(state: &mut State) -> Vec<Effect> {
    if state.docker.objects.take().is_none() {
        return Vec::new();
    }
    let mut effects = vec![Effect::Docker(DockerCommand::WatchObjects { kind: None })];
    effects.extend(docker::after_view_change(state));
    effects
}

pub(super) fn on_list(state: &mut State, engine: &str, list: ObjectList) {
    if let Some(view) = state.docker.objects.as_mut() {
        view.apply(engine, list);
    }
}

pub(super) fn on_failed(state: &mut State, engine: &str, kind: ObjectKind, error: String) {
    if let Some(view) = state.docker.objects.as_mut().filter(|v| v.kind() == kind) {
        each_object_table!(view, t => t.fail(engine, error));
    }
}

/// Keys while a view is open; None when none is.
pub(super) fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let view = state.docker.objects.as_mut()?;
    if view.kind() == ObjectKind::Projects
        && let Some(effects) = super::docker_compose::on_action(state, action)
    {
        return Some(effects);
    }
    let view = state.docker.objects.as_mut()?;
    if let Some(nav) = view::nav(action) {
        each_object_table!(view, t => t.list.navigate(nav));
        return Some(Vec::new());
    }
    let effects = match action {
        Action::SortNext => {
            each_object_table!(view, t => {
                t.list.cycle_sort();
                t.rebuild_order();
            });
            Vec::new()
        }
        Action::SortReverse => {
            each_object_table!(view, t => {
                t.list.reverse();
                t.rebuild_order();
            });
            Vec::new()
        }
        Action::Back if !view.filter().is_empty() => {
            set_filter(state, String::new());
            Vec::new()
        }
        Action::Back => close(state),
        Action::Copy => {
            let name = each_object_table!(view, t => t.selected().map(|r| r.name().to_string()));
            name.map(|n| vec![Effect::Copy(n)]).unwrap_or_default()
        }
        // The users in full, when the column is too narrow for them.
        Action::Open => {
            let said = each_object_table!(view, t => t.selected().map(|r| {
                match r.users() {
                    [] => format!("{}: no container uses it", r.name()),
                    users => format!("{} is used by {}", r.name(), users.join(", ")),
                }
            }));
            if let Some(text) = said {
                state.toast(ToastLevel::Info, text);
            }
            Vec::new()
        }
        Action::Remove => ask_remove(state),
        Action::Prune => ask_prune(state),
        Action::Inspect => super::docker_inspect::object(state),
        // Container keys mean nothing here; they must not act on a
        // container hidden behind the view.
        _ => Vec::new(),
    };
    Some(effects)
}

/// The `/` filter; false when no view is open.
pub(super) fn set_filter(state: &mut State, text: String) -> bool {
    let Some(view) = state.docker.objects.as_mut() else {
        return false;
    };
    each_object_table!(view, t => {
        t.list.set_filter(text);
        t.rebuild_order();
    });
    true
}

/// ` on engine build` with several engines, so the dialog says which;
/// nothing with one.
fn on_engine(engine: &str) -> String {
    match engine {
        "" => String::new(),
        name => format!(" on engine {name}"),
    }
}

fn proposal(
    state: &State,
    engine: &str,
    target: String,
    verb: &str,
    title: String,
    shown: String,
) -> Proposal {
    let on = on_engine(engine);
    Proposal {
        source: SourceKind::Docker,
        location: docker::engine_location(state, engine),
        target: format!("{target}{on}"),
        verb: verb.to_string(),
        title: format!("{title}{on}"),
        shown_target: shown,
        // Removed data does not come back.
        risk: Risk::Destructive,
        required_text: None,
    }
}

fn ask_remove(state: &mut State) -> Vec<Effect> {
    let Some(view) = state.docker.objects.as_ref() else {
        return Vec::new();
    };
    let kind = view.kind();
    // The reference is the row's key: engine-qualified with several
    // engines, so the source routes the removal to the row's engine.
    let picked = match view {
        ObjectView::Images(t) => t.selected().map(|r| {
            let shown = image_words(r);
            (
                ObjectRow::key(r),
                r.engine.clone(),
                r.name().to_string(),
                shown,
            )
        }),
        ObjectView::Volumes(t) => t.selected().map(|r| {
            let shown = users_words(&r.name, &r.users);
            (ObjectRow::key(r), r.engine.clone(), r.name.clone(), shown)
        }),
        ObjectView::Networks(t) => t.selected().map(|r| {
            let shown = users_words(&r.name, &r.users);
            (ObjectRow::key(r), r.engine.clone(), r.name.clone(), shown)
        }),
        // Its own keys (`docker_compose`) act on a project.
        ObjectView::Projects(_) => None,
    };
    let Some((reference, engine, name, shown)) = picked else {
        return Vec::new();
    };
    let noun = kind.singular();
    let proposal = proposal(
        state,
        &engine,
        format!("{noun} {name}"),
        "remove",
        format!("Remove {noun}"),
        shown,
    );
    act::ask(state, proposal, |ticket| {
        Effect::Docker(DockerCommand::ObjectOp {
            ticket,
            op: ObjectOp::Remove { kind, reference },
        })
    })
}

fn image_words(r: &ImageRow) -> String {
    let mut s = format!("{} ({}, {})", r.name(), r.short_id(), human_bytes(r.size));
    if r.tag_count > 1 {
        let others = r.tag_count - 1;
        s.push_str(&format!(
            "; only the tag goes, the image keeps {others} other tag(s)"
        ));
    }
    if !r.users.is_empty() {
        s.push_str(&format!(", used by {}", r.users.join(", ")));
    }
    s
}

fn users_words(name: &str, users: &[String]) -> String {
    if users.is_empty() {
        name.to_string()
    } else {
        format!("{name}, used by {}", users.join(", "))
    }
}

/// The dialog says what prune will remove, from the list on screen: the
/// count, the first names and, for images, their total size. It prunes
/// one engine, the selected row's (named in the dialog with several):
/// what `docker image prune` does against the engine one is looking at,
/// and never a sweep over machines the user did not pick.
fn ask_prune(state: &mut State) -> Vec<Effect> {
    let Some(view) = state.docker.objects.as_ref() else {
        return Vec::new();
    };
    let kind = view.kind();
    let selected = each_object_table!(view, t => t.selected().map(|r| r.engine().to_string()));
    let engine = match selected {
        Some(engine) => engine,
        None if !state.docker.many_engines() => String::new(),
        None => {
            let text = format!(
                "select a row first: P prunes the {} of the selected row's engine",
                kind.prunable()
            );
            state.toast(ToastLevel::Info, text);
            return Vec::new();
        }
    };
    let (names, bytes): (Vec<String>, Option<u64>) = match view {
        ObjectView::Images(t) => {
            let rows = t.prunable(&engine);
            let size = rows.iter().map(|r| r.size).sum();
            (
                rows.iter().map(|r| r.short_id().to_string()).collect(),
                Some(size),
            )
        }
        ObjectView::Volumes(t) => (names_of(t.prunable(&engine)), None),
        ObjectView::Networks(t) => (names_of(t.prunable(&engine)), None),
        ObjectView::Projects(_) => return Vec::new(),
    };
    let mut shown = format!("{} {}", names.len(), kind.prunable());
    if let Some(bytes) = bytes {
        shown.push_str(&format!(" ({})", human_bytes(bytes)));
    }
    if !names.is_empty() {
        shown.push_str(": ");
        shown.push_str(&names[..names.len().min(NAMES_SHOWN)].join(", "));
        if names.len() > NAMES_SHOWN {
            shown.push_str(&format!(" and {} more", names.len() - NAMES_SHOWN));
        }
    }
    let proposal = proposal(
        state,
        &engine,
        kind.prunable().to_string(),
        "prune",
        format!("Prune {}", kind.word()),
        shown,
    );
    act::ask(state, proposal, |ticket| {
        Effect::Docker(DockerCommand::ObjectOp {
            ticket,
            op: ObjectOp::Prune {
                kind,
                engine,
                only_label: None,
            },
        })
    })
}

fn names_of<R: ObjectRow>(rows: Vec<&R>) -> Vec<String> {
    rows.iter().map(|r| r.name().to_string()).collect()
}

#[cfg(test)]
#[path = "docker_objects_tests.rs"]
mod tests;
