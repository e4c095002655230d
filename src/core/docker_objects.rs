//! Docker images, volumes and networks as lists of their own (`:images`,
//! `:volumes`, `:networks`, and compose projects as `:projects`): the
//! kinds, the actions on them, each kind's table and the open view. The
//! rows, their filter fields and sort columns are in `docker_object_rows`.
//! The source loads the kind on screen when the view opens and again
//! (debounced) when the engine's events say it changed.

use std::collections::BTreeMap;

use super::docker_compose::ProjectRow;
use super::list::{ListState, RowSpec};

// The rows live in their own file; their paths stay those of this module.
pub use super::docker_object_rows::{
    ImageRow, NetworkRow, ObjectRow, ObjectRows, ObjectSort, VolumeRow,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObjectKind {
    Images,
    Volumes,
    Networks,
    /// Compose projects (`:projects`), from the containers' labels.
    Projects,
}

impl ObjectKind {
    /// The plural, as the palette and the title say it.
    pub fn word(self) -> &'static str {
        match self {
            Self::Images => "images",
            Self::Volumes => "volumes",
            Self::Networks => "networks",
            Self::Projects => "projects",
        }
    }

    /// One of them, as a dialog names it.
    pub fn singular(self) -> &'static str {
        match self {
            Self::Images => "image",
            Self::Volumes => "volume",
            Self::Networks => "network",
            Self::Projects => "compose project",
        }
    }

    /// What prune removes of this kind, in the words of `docker * prune`.
    pub fn prunable(self) -> &'static str {
        match self {
            Self::Images => "dangling images",
            Self::Volumes => "unused volumes",
            Self::Networks => "unused networks",
            // Nothing: a project is its containers, removed with `D`.
            Self::Projects => "",
        }
    }
}

/// A removal or prune, confirmed first (`core::act::ask`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectOp {
    /// `reference`: an image's tag or id, a volume's name, a network's id,
    /// prefixed by its engine as a container's key is (`container_key`)
    /// when several engines are shown, so that it is routed there.
    Remove { kind: ObjectKind, reference: String },
    /// What the dialog listed: every unused one of the kind on `engine`
    /// (empty with one engine). `only_label` narrows it to objects
    /// carrying that label (`key=value`): the app never sets it; tests
    /// sharing an engine with others do.
    Prune {
        kind: ObjectKind,
        engine: String,
        only_label: Option<String>,
    },
}

/// A fresh list of one kind, from the source.
#[derive(Debug, Clone, PartialEq)]
pub enum ObjectList {
    Images(Vec<ImageRow>),
    Volumes(Vec<VolumeRow>),
    Networks(Vec<NetworkRow>),
    Projects(Vec<ProjectRow>),
}

impl ObjectList {
    pub fn kind(&self) -> ObjectKind {
        match self {
            Self::Images(_) => ObjectKind::Images,
            Self::Volumes(_) => ObjectKind::Volumes,
            Self::Networks(_) => ObjectKind::Networks,
            Self::Projects(_) => ObjectKind::Projects,
        }
    }
}

/// One kind's rows (of every engine), list state, and whether a first
/// answer came.
#[derive(Debug, Clone)]
pub struct ObjectTable<R> {
    pub rows: BTreeMap<String, R>,
    pub list: ListState<String, ObjectSort>,
    pub loaded: bool,
    /// Engines whose last load failed, with why (shown in the footer; the
    /// engine's rows stay as last listed, the others' are untouched).
    pub errors: BTreeMap<String, String>,
}

impl<R> Default for ObjectTable<R> {
    fn default() -> Self {
        ObjectTable {
            rows: BTreeMap::new(),
            list: ListState::default(),
            loaded: false,
            errors: BTreeMap::new(),
        }
    }
}

impl<R> ObjectTable<R> {
    /// One engine could not list: said for its part, no row dropped.
    pub fn fail(&mut self, engine: &str, error: String) {
        self.loaded = true;
        self.errors.insert(engine.to_string(), error);
    }

    /// The failures in words: the error alone with one engine, each
    /// named by its engine with several.
    pub fn error_text(&self) -> Option<String> {
        if self.errors.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|(engine, error)| match engine.as_str() {
                "" => error.clone(),
                _ => format!("{engine}: {error}"),
            })
            .collect();
        Some(parts.join("; "))
    }
}

impl<R: ObjectRow> ObjectTable<R>
where
    ObjectRows: RowSpec<R, Key = String, Sort = ObjectSort>,
{
    /// One engine's fresh list: replaces that engine's rows only.
    pub fn replace_engine(&mut self, engine: &str, rows: Vec<R>) {
        self.rows.retain(|_, r| r.engine() != engine);
        self.rows.extend(rows.into_iter().map(|r| (r.key(), r)));
        self.loaded = true;
        self.errors.remove(engine);
        self.rebuild_order();
    }

    pub fn rebuild_order(&mut self) {
        self.list.rebuild(self.rows.values(), &ObjectRows);
    }

    pub fn selected(&self) -> Option<&R> {
        self.list.selected().and_then(|k| self.rows.get(k))
    }

    /// What prune would remove on `engine`, by name.
    pub fn prunable(&self, engine: &str) -> Vec<&R> {
        let mut v: Vec<&R> = self
            .rows
            .values()
            .filter(|r| r.engine() == engine && r.prunable())
            .collect();
        v.sort_by(|a, b| a.name().cmp(b.name()));
        v
    }
}

/// The open view: one kind at a time, in place of the containers.
#[derive(Debug, Clone)]
pub enum ObjectView {
    Images(ObjectTable<ImageRow>),
    Volumes(ObjectTable<VolumeRow>),
    Networks(ObjectTable<NetworkRow>),
    Projects(ObjectTable<ProjectRow>),
}

/// Runs `$body` on the open view's table, whatever its row type.
#[macro_export]
macro_rules! each_object_table {
    ($view:expr, $t:ident => $body:expr) => {
        match $view {
            $crate::core::docker_objects::ObjectView::Images($t) => $body,
            $crate::core::docker_objects::ObjectView::Volumes($t) => $body,
            $crate::core::docker_objects::ObjectView::Networks($t) => $body,
            $crate::core::docker_objects::ObjectView::Projects($t) => $body,
        }
    };
}

impl ObjectView {
    pub fn new(kind: ObjectKind) -> ObjectView {
        match kind {
            ObjectKind::Images => Self::Images(ObjectTable::default()),
            ObjectKind::Volumes => Self::Volumes(ObjectTable::default()),
            ObjectKind::Networks => Self::Networks(ObjectTable::default()),
            ObjectKind::Projects => Self::Projects(ObjectTable::default()),
        }
    }

    pub fn kind(&self) -> ObjectKind {
        match self {
            Self::Images(_) => ObjectKind::Images,
            Self::Volumes(_) => ObjectKind::Volumes,
            Self::Networks(_) => ObjectKind::Networks,
            Self::Projects(_) => ObjectKind::Projects,
        }
    }

    /// Takes `engine`'s fresh list if it is of this view's kind (an
    /// answer to a view closed since is dropped).
    pub fn apply(&mut self, engine: &str, list: ObjectList) {
        match (self, list) {
            (Self::Images(t), ObjectList::Images(rows)) => t.replace_engine(engine, rows),
            (Self::Volumes(t), ObjectList::Volumes(rows)) => t.replace_engine(engine, rows),
            (Self::Networks(t), ObjectList::Networks(rows)) => t.replace_engine(engine, rows),
            (Self::Projects(t), ObjectList::Projects(rows)) => t.replace_engine(engine, rows),
            _ => {}
        }
    }

    pub fn list_viewport(&self) -> usize {
        each_object_table!(self, t => t.list.viewport())
    }

    pub fn filter(&self) -> &str {
        each_object_table!(self, t => t.list.filter())
    }
}

#[cfg(test)]
#[path = "docker_objects_tests.rs"]
mod tests;
