//! The rows of `:images`, `:volumes` and `:networks` (`docker images`,
//! `docker volume ls`, `docker network ls`): what each holds, what prune
//! would take, and the fields and sort columns the generic objects view
//! (`docker_objects`) filters and sorts them by. Compose projects' rows are
//! in `docker_project_rows`.

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use super::docker::container_key;
use super::filter::Fields;
use super::list::{RowSpec, SortColumn};

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
