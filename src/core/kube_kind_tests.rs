use chrono::TimeZone;

use super::*;
use crate::core::kube_kinds::{all, by_kind, find};

fn at(min: u32) -> Option<DateTime<Utc>> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, min, 0).single()
}

fn row(name: &str, cells: Vec<Cell>, warning: bool) -> KindRow {
    KindRow {
        key: PodKey::new("c", "ns", name),
        cells,
        severity: Severity::Ok,
        link: Link::Nothing,
        warning,
        owner: None,
    }
}

static SPEC: KindSpec = KindSpec {
    kind: "Test",
    plural: "tests",
    aliases: &["t"],
    namespaced: true,
    shows_name: true,
    columns: &[
        ColSpec::new("SEEN", 4, 4, 1),
        ColSpec::new("COUNT", 4, 4, 1),
        ColSpec::new("READY", 4, 4, 1),
    ],
    first_sort: 1,
    actions: &[],
};

fn names(v: &KindView) -> Vec<&str> {
    v.list.order().iter().map(|k| &*k.name).collect()
}

#[test]
fn typed_cells_sort_times_newest_first_numbers_largest_first_and_missing_most_first() {
    let mut v = KindView::new(&SPEC, 1);
    v.apply(KindEvent::Snapshot {
        context: "c".into(),
        namespace: None,
        rows: vec![
            row(
                "a",
                vec![Cell::Age(at(5)), Cell::Count(9), Cell::Ratio(3, 3)],
                false,
            ),
            row(
                "b",
                vec![Cell::Age(None), Cell::Count(10), Cell::Ratio(0, 2)],
                true,
            ),
            row(
                "c",
                vec![Cell::Age(at(30)), Cell::Count(2), Cell::Ratio(1, 2)],
                false,
            ),
        ],
    });
    // Opens on its first sort (column 1, SEEN): newest first, unknown last.
    assert_eq!(v.sort_label(), "seen");
    assert_eq!(names(&v), ["c", "a", "b"]);
    v.cycle_sort();
    assert_eq!(v.sort_label(), "count");
    // 10 before 9 (a text sort would put "10" first too, but "2" last).
    assert_eq!(names(&v), ["b", "a", "c"]);
    v.cycle_sort();
    assert_eq!(names(&v), ["b", "c", "a"]);
    v.cycle_sort();
    assert_eq!(v.sort_label(), "name");
    assert_eq!(names(&v), ["a", "b", "c"]);
}

#[test]
fn warnings_only_hides_the_rest_and_changes_apply() {
    let mut v = KindView::new(&SPEC, 1);
    v.apply(KindEvent::Snapshot {
        context: "c".into(),
        namespace: None,
        rows: vec![
            row("a", vec![Cell::Age(at(5))], false),
            row("b", vec![Cell::Age(at(6))], true),
        ],
    });
    v.warnings_only = true;
    v.rebuild_order();
    assert_eq!(names(&v), ["b"]);
    v.apply(KindEvent::Changes {
        upserts: vec![row("c", vec![Cell::Age(at(7))], true)],
        deleted: vec![PodKey::new("c", "ns", "b")],
    });
    assert_eq!(names(&v), ["c"]);
    assert_eq!(v.rows.len(), 2);
}

#[test]
fn a_row_asked_for_before_it_arrives_is_selected_when_it_does() {
    let mut v = KindView::new(&SPEC, 1);
    v.select_when_listed = Some(PodKey::new("c", "ns", "late"));
    v.rebuild_order();
    v.apply(KindEvent::Snapshot {
        context: "c".into(),
        namespace: None,
        rows: vec![row("early", vec![], false), row("late", vec![], false)],
    });
    assert_eq!(v.selected().map(|r| &*r.key.name), Some("late"));
}

#[test]
fn every_alias_names_one_kind_and_kubectls_short_names_are_there() {
    let mut seen = std::collections::HashSet::new();
    for spec in all() {
        for a in spec.aliases {
            assert!(seen.insert(*a), "{a} names two kinds");
        }
        assert!(spec.aliases.contains(&spec.plural), "{}", spec.plural);
        assert!(usize::from(spec.first_sort) <= spec.columns.len());
    }
    for (short, plural) in [
        ("sts", "statefulsets"),
        ("ds", "daemonsets"),
        ("rs", "replicasets"),
        ("job", "jobs"),
        ("cj", "cronjobs"),
        ("svc", "services"),
        ("ing", "ingresses"),
        ("cm", "configmaps"),
        ("sec", "secrets"),
        ("pvc", "persistentvolumeclaims"),
        ("no", "nodes"),
        ("ns", "namespaces"),
        ("ev", "events"),
    ] {
        assert_eq!(find(short).map(|k| k.plural), Some(plural), "{short}");
    }
    assert_eq!(by_kind("Node").map(|k| k.plural), Some("nodes"));
}
