//! Compose projects as rows of the generic objects view (`:projects`):
//! what the view, its filter and its sort columns read of a project. Kept
//! apart from `docker_compose` (the ordering) and `docker_objects` (the
//! view), so that neither imports the other; the other kinds' rows are in
//! `docker_object_rows`.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::docker_compose::ProjectRow;
use super::docker_object_rows::{ObjectRow, ObjectRows, ObjectSort, users_then};
use super::filter::Fields;
use super::list::RowSpec;

/// A project as a row of the generic objects view: its containers are its
/// "users"; `P` prunes nothing here.
impl ObjectRow for ProjectRow {
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
        &self.names
    }
    fn prunable(&self) -> bool {
        false
    }
}

/// `/service:web`, `/state:exited` find the projects having one.
impl RowSpec<ProjectRow> for ObjectRows {
    type Key = String;
    type Sort = ObjectSort;
    fn key(&self, r: &ProjectRow) -> String {
        ObjectRow::key(r)
    }
    fn fields(&self, r: &ProjectRow, out: &mut Fields) {
        out.name(&r.name);
        out.field(&["engine", "host"], &r.engine);
        out.field(&["service"], &r.services().join(" "));
        out.field(&["used", "container"], &r.names.join(" "));
        let states: BTreeSet<&str> = r.members.iter().map(|m| m.state.word()).collect();
        out.field(
            &["state", "status"],
            &states.into_iter().collect::<Vec<_>>().join(" "),
        );
    }
    fn compare(&self, a: &ProjectRow, b: &ProjectRow, sort: ObjectSort) -> Ordering {
        let by_name = || a.name.cmp(&b.name);
        match sort {
            ObjectSort::Name | ObjectSort::Age => by_name(),
            ObjectSort::Users => users_then(a, b).then_with(by_name),
            // Most containers down first: what needs a look.
            ObjectSort::Size => {
                let down = |r: &ProjectRow| r.members.len() - r.running();
                down(b).cmp(&down(a)).then_with(by_name)
            }
        }
    }
}
