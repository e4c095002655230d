//! The Overview's rows as a list: their key, fields for the filter, and
//! sort columns. Apart from the rules in `triage` so the state can hold
//! the list without importing those rules.

use std::cmp::Ordering;

use super::item::TriageItem;
use crate::core::filter::Fields;
use crate::core::list::{RowSpec, SortColumn};

/// The Overview's sort columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TriageSort {
    /// The order `items` gives: newest breakage first.
    #[default]
    Newest,
    /// GitHub, Kubernetes, Docker together, newest first within.
    Source,
    What,
}

impl SortColumn for TriageSort {
    fn next(self) -> Self {
        match self {
            Self::Newest => Self::Source,
            Self::Source => Self::What,
            Self::What => Self::Newest,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Source => "source",
            Self::What => "what",
        }
    }
}

/// Triage items as list rows.
pub struct TriageRows;

impl RowSpec<TriageItem> for TriageRows {
    type Key = String;
    type Sort = TriageSort;

    fn key(&self, item: &TriageItem) -> String {
        item.key.clone()
    }

    fn fields(&self, item: &TriageItem, out: &mut Fields) {
        // `pod shop/web-1` names the row; the filter ranks its own name,
        // so `/web` puts `web-1` before a pod merely in a `web` namespace.
        let name = item
            .what
            .split_once(' ')
            .map_or(item.what.as_str(), |(_, n)| n);
        let name = name.rsplit('/').next().unwrap_or(name);
        out.name(name);
        out.field(&["what"], &item.what);
        out.field(&["source", "kind"], item.source.label());
        // Where is a repository, a context/namespace or an engine: the
        // field names users of each tool type all reach it.
        out.field(&["where", "repo", "ctx", "ns", "location"], &item.location);
        out.field(&["reason", "status"], &item.reason);
        if let Some(cause) = &item.cause {
            out.field(&["cause"], &cause.text);
        }
    }

    fn compare(&self, a: &TriageItem, b: &TriageItem, sort: TriageSort) -> Ordering {
        let newest = || b.since.cmp(&a.since).then_with(|| a.what.cmp(&b.what));
        match sort {
            TriageSort::Newest => newest(),
            TriageSort::Source => a.source.label().cmp(b.source.label()).then_with(newest),
            TriageSort::What => a.what.cmp(&b.what).then_with(newest),
        }
    }
}
