//! Docker images, volumes and networks as lists of their own (`:images`,
//! `:volumes`, `:networks`): the rows, their filter and sort columns, and
//! the open view. The source loads the kind on screen when the view opens
//! and again (debounced) when the engine's events say it changed.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::docker::container_key;
use super::docker_compose::ProjectRow;
use super::filter::Fields;
use super::list::{ListState, RowSpec, SortColumn};

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

/// One row of `docker images`: an image under one of its tags (an image
/// with three tags is three rows, as the docker CLI shows it), or a
/// dangling image (no tag), with the containers using it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRow {
    /// The engine's name when several are shown; empty with one.
    pub engine: String,
    /// The full `sha256:…` id.
    pub id: String,
    /// `repository:tag`; None for a dangling image.
    pub tag: Option<String>,
    /// How many tags the image has in all (removing one of several only
    /// untags it).
    pub tag_count: usize,
    pub size: u64,
    pub created: Option<DateTime<Utc>>,
    /// Names of the containers (any state) created from it.
    pub users: Vec<String>,
}

impl ImageRow {
    /// No tag: what `docker image prune` removes (when no container uses it).
    pub fn dangling(&self) -> bool {
        self.tag.is_none()
    }

    /// Its tag, or `<none>:<none>` as the docker CLI says.
    pub fn name(&self) -> &str {
        self.tag.as_deref().unwrap_or("<none>:<none>")
    }

    /// The 12 hex digits the docker CLI shows.
    pub fn short_id(&self) -> &str {
        let hex = self.id.strip_prefix("sha256:").unwrap_or(&self.id);
        hex.get(..12).unwrap_or(hex)
    }

    /// What remove is given: the tag (untagging it, and removing the
    /// image with its last tag, as `docker rmi NAME`), else the id.
    pub fn reference(&self) -> &str {
        self.tag.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VolumeRow {
    pub engine: String,
    pub name: String,
    pub driver: String,
    pub mountpoint: String,
    pub users: Vec<String>,
    /// `UsageData.Size`: the engine fills it only from `docker system df`
    /// (`/system/df`), which walks every volume's files; the list does not
    /// ask for it, so this is None (see the README).
    pub size: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkRow {
    pub engine: String,
    pub id: String,
    pub name: String,
    pub driver: String,
    pub scope: String,
    pub users: Vec<String>,
}

impl NetworkRow {
    /// The engine's own networks, which it never removes or prunes.
    pub fn builtin(&self) -> bool {
        matches!(self.name.as_str(), "bridge" | "host" | "none")
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

/// What a row of any kind tells the generic view.
pub trait ObjectRow: Clone {
    type Sort: SortColumn;
    /// The engine the row comes from; empty with one engine.
    fn engine(&self) -> &str;
    /// What the engine knows it by (its reference).
    fn local_key(&self) -> &str;
    /// Its key in the view: `local_key`, engine-qualified as a
    /// container's key is, since two engines can hold the same name.
    fn key(&self) -> String {
        container_key(self.engine(), self.local_key())
    }
    fn name(&self) -> &str;
    fn users(&self) -> &[String];
    /// What prune would remove: dangling unused images, unused volumes,
    /// unused networks other than the engine's own.
    fn prunable(&self) -> bool;
}

/// Sort columns: name, then what the kind has most to say about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObjectSort {
    #[default]
    Name,
    /// Most users first (unused ones, what prune removes, last).
    Users,
    /// Images: biggest first; volumes and networks: by driver.
    Size,
    /// Images: newest first; others: by name.
    Age,
}

impl SortColumn for ObjectSort {
    fn next(self) -> Self {
        match self {
            Self::Name => Self::Users,
            Self::Users => Self::Size,
            Self::Size => Self::Age,
            Self::Age => Self::Name,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Users => "containers",
            Self::Size => "size",
            Self::Age => "age",
        }
    }
}

impl ObjectRow for ImageRow {
    type Sort = ObjectSort;
    fn engine(&self) -> &str {
        &self.engine
    }
    fn local_key(&self) -> &str {
        self.reference()
    }
    fn name(&self) -> &str {
        ImageRow::name(self)
    }
    fn users(&self) -> &[String] {
        &self.users
    }
    fn prunable(&self) -> bool {
        self.dangling() && self.users.is_empty()
    }
}

impl ObjectRow for VolumeRow {
    type Sort = ObjectSort;
    fn engine(&self) -> &str {
        &self.engine
    }
    fn local_key(&self) -> &str {
        &self.name
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn users(&self) -> &[String] {
        &self.users
    }
    fn prunable(&self) -> bool {
        self.users.is_empty()
    }
}

impl ObjectRow for NetworkRow {
    type Sort = ObjectSort;
    fn engine(&self) -> &str {
        &self.engine
    }
    fn local_key(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn users(&self) -> &[String] {
        &self.users
    }
    fn prunable(&self) -> bool {
        self.users.is_empty() && !self.builtin()
    }
}

/// Rows as a list: the name ranks the filter; `image:`, `driver:`,
/// `used:` (a container's name), `dangling:yes|no` narrow it.
pub struct ObjectRows;

pub(super) fn users_then<R: ObjectRow>(a: &R, b: &R) -> Ordering {
    b.users().len().cmp(&a.users().len())
}

impl RowSpec<ImageRow> for ObjectRows {
    type Key = String;
    type Sort = ObjectSort;
    fn key(&self, r: &ImageRow) -> String {
        ObjectRow::key(r)
    }
    fn fields(&self, r: &ImageRow, out: &mut Fields) {
        out.name(r.name());
        out.field(&["engine", "host"], &r.engine);
        out.field(&["id"], r.short_id());
        out.field(&["used", "container"], &r.users.join(" "));
        out.field(&["dangling"], if r.dangling() { "yes" } else { "no" });
    }
    fn compare(&self, a: &ImageRow, b: &ImageRow, sort: ObjectSort) -> Ordering {
        let by_name = || a.name().cmp(b.name()).then_with(|| a.id.cmp(&b.id));
        match sort {
            ObjectSort::Name => by_name(),
            ObjectSort::Users => users_then(a, b).then_with(by_name),
            ObjectSort::Size => b.size.cmp(&a.size).then_with(by_name),
            ObjectSort::Age => b.created.cmp(&a.created).then_with(by_name),
        }
    }
}

impl RowSpec<VolumeRow> for ObjectRows {
    type Key = String;
    type Sort = ObjectSort;
    fn key(&self, r: &VolumeRow) -> String {
        ObjectRow::key(r)
    }
    fn fields(&self, r: &VolumeRow, out: &mut Fields) {
        out.name(&r.name);
        out.field(&["engine", "host"], &r.engine);
        out.field(&["driver"], &r.driver);
        out.field(&["mount", "path"], &r.mountpoint);
        out.field(&["used", "container"], &r.users.join(" "));
    }
    fn compare(&self, a: &VolumeRow, b: &VolumeRow, sort: ObjectSort) -> Ordering {
        let by_name = || a.name.cmp(&b.name);
        match sort {
            ObjectSort::Name | ObjectSort::Age => by_name(),
            ObjectSort::Users => users_then(a, b).then_with(by_name),
            ObjectSort::Size => b.size.cmp(&a.size).then_with(by_name),
        }
    }
}

impl RowSpec<NetworkRow> for ObjectRows {
    type Key = String;
    type Sort = ObjectSort;
    fn key(&self, r: &NetworkRow) -> String {
        ObjectRow::key(r)
    }
    fn fields(&self, r: &NetworkRow, out: &mut Fields) {
        out.name(&r.name);
        out.field(&["engine", "host"], &r.engine);
        out.field(&["driver"], &r.driver);
        out.field(&["scope"], &r.scope);
        out.field(&["used", "container"], &r.users.join(" "));
    }
    fn compare(&self, a: &NetworkRow, b: &NetworkRow, sort: ObjectSort) -> Ordering {
        let by_name = || a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id));
        match sort {
            ObjectSort::Name | ObjectSort::Age => by_name(),
            ObjectSort::Users => users_then(a, b).then_with(by_name),
            ObjectSort::Size => a.driver.cmp(&b.driver).then_with(by_name),
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
