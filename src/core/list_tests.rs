use std::cmp::Ordering;

use super::*;
use crate::core::filter::Fields;

/// A row: a name, a group and a number to sort by.
#[derive(Debug, Clone)]
struct Item {
    name: &'static str,
    group: u8,
    n: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum By {
    #[default]
    Name,
    Number,
}

impl SortColumn for By {
    fn next(self) -> Self {
        match self {
            By::Name => By::Number,
            By::Number => By::Name,
        }
    }
    fn label(self) -> &'static str {
        match self {
            By::Name => "name",
            By::Number => "number",
        }
    }
}

struct Spec {
    grouped: bool,
}

impl RowSpec<Item> for Spec {
    type Key = &'static str;
    type Sort = By;
    fn key(&self, row: &Item) -> &'static str {
        row.name
    }
    fn fields(&self, row: &Item, out: &mut Fields) {
        out.name(row.name);
    }
    fn compare(&self, a: &Item, b: &Item, sort: By) -> Ordering {
        match sort {
            By::Name => a.name.cmp(b.name),
            // Biggest first is this column's natural order.
            By::Number => b.n.cmp(&a.n),
        }
    }
    fn grouped(&self) -> bool {
        self.grouped
    }
    fn group_cmp(&self, a: &Item, b: &Item) -> Ordering {
        if self.grouped {
            a.group.cmp(&b.group)
        } else {
            Ordering::Equal
        }
    }
}

const FLAT: Spec = Spec { grouped: false };

fn items(names: &[&'static str]) -> Vec<Item> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| Item {
            name,
            group: 0,
            n: i as u32,
        })
        .collect()
}

fn list_of(names: &[&'static str]) -> ListState<&'static str, By> {
    let mut list = ListState::default();
    list.rebuild(&items(names), &FLAT);
    list
}

#[test]
fn an_empty_list_has_no_selection_and_ignores_keys() {
    let mut list: ListState<&str, By> = ListState::default();
    list.rebuild(&Vec::<Item>::new(), &FLAT);
    list.set_viewport(5);
    for nav in [Nav::Up, Nav::Down, Nav::PageDown, Nav::Top, Nav::Bottom] {
        list.navigate(nav);
    }
    assert_eq!(list.selected(), None);
    assert_eq!(list.offset(), 0);
    assert!(list.visible().is_empty());
}

#[test]
fn the_first_row_is_selected_when_rows_arrive() {
    let list = list_of(&["b", "a", "c"]);
    assert_eq!(list.order(), ["a", "b", "c"]);
    assert_eq!(list.selected(), Some(&"a"));
}

#[test]
fn the_selection_follows_its_key_when_rows_are_added_and_resorted() {
    let mut list = list_of(&["b", "c"]);
    list.navigate(Nav::Down);
    assert_eq!(list.selected(), Some(&"c"));
    list.rebuild(&items(&["a", "b", "c", "aa"]), &FLAT);
    assert_eq!(list.selected(), Some(&"c"));
    assert_eq!(list.selected_index(), Some(3));
    list.cycle_sort();
    list.rebuild(&items(&["a", "b", "c", "aa"]), &FLAT);
    assert_eq!(list.order(), ["aa", "c", "b", "a"]);
    assert_eq!(list.selected(), Some(&"c"));
}

#[test]
fn a_removed_row_hands_the_selection_to_its_nearest_neighbour() {
    let mut list = list_of(&["a", "b", "c", "d", "e"]);
    list.navigate(Nav::Down);
    list.navigate(Nav::Down);
    assert_eq!(list.selected(), Some(&"c"));
    list.rebuild(&items(&["a", "b", "d", "e"]), &FLAT);
    assert_eq!(
        list.selected(),
        Some(&"d"),
        "the row below moves into the gap"
    );
    // The last row goes: the one above it is the nearest left.
    list.navigate(Nav::Bottom);
    list.rebuild(&items(&["a", "b", "d"]), &FLAT);
    assert_eq!(list.selected(), Some(&"d"));
    list.rebuild(&items(&["a", "b"]), &FLAT);
    assert_eq!(list.selected(), Some(&"b"));
}

#[test]
fn the_nearest_surviving_row_wins_even_when_neighbours_go_too() {
    let mut list = list_of(&["a", "b", "c", "d", "e", "f"]);
    list.navigate(Nav::Down);
    list.navigate(Nav::Down);
    // c, d and b go at once; e is nearer below than a is above.
    list.rebuild(&items(&["a", "e", "f"]), &FLAT);
    assert_eq!(list.selected(), Some(&"e"));
    // Not the top, as a reset would give.
    assert_ne!(list.selected_index(), Some(0));
}

#[test]
fn filtering_to_nothing_and_back_restores_the_selection() {
    let rows = items(&["api", "web", "worker", "db"]);
    let mut list: ListState<&str, By> = ListState::default();
    list.rebuild(&rows, &FLAT);
    list.navigate(Nav::Bottom);
    assert_eq!(list.selected(), Some(&"worker"));
    list.set_filter("zzz");
    list.rebuild(&rows, &FLAT);
    assert!(list.is_empty());
    assert_eq!(
        list.selected(),
        None,
        "nothing to act on while nothing shows"
    );
    list.set_filter("");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.selected(), Some(&"worker"));
}

#[test]
fn the_filter_ranks_name_prefixes_first_and_keeps_the_sort_within() {
    let rows = items(&["shop-web", "shop-worker", "db", "web-proxy", "cobweb"]);
    let mut list: ListState<&str, By> = ListState::default();
    list.set_filter("shop");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.order(), ["shop-web", "shop-worker"]);
    list.set_filter("web");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.order(), ["web-proxy", "shop-web", "cobweb"]);
    // An abbreviation of the name: its letters start words or follow on.
    list.set_filter("swe");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.order(), ["shop-web"]);
}

#[test]
fn a_new_filter_selects_the_best_match_unless_the_selection_is_one() {
    let rows = items(&["fz-c1", "fz-c2", "fz-long", "other"]);
    let mut list: ListState<&str, By> = ListState::default();
    list.rebuild(&rows, &FLAT);
    list.select(&"fz-c1");
    // Narrowing while typing: `fz` keeps fz-c1 (a best match itself) …
    for typed in ["f", "fz", "fz-"] {
        list.set_filter(typed);
        list.rebuild(&rows, &FLAT);
        assert_eq!(list.selected(), Some(&"fz-c1"), "after {typed:?}");
    }
    // … `fz-l` drops it and lands on the row that matches, not a neighbour.
    list.set_filter("fz-l");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.selected(), Some(&"fz-long"));
    // A row still shown but matching worse than the best gives way too.
    let rows = items(&["api-web", "web-1"]);
    let mut list: ListState<&str, By> = ListState::default();
    list.rebuild(&rows, &FLAT);
    list.select(&"api-web");
    list.set_filter("web");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.order(), ["web-1", "api-web"]);
    assert_eq!(list.selected(), Some(&"web-1"));
    // A refresh with the same filter keeps whatever the user picked.
    list.select(&"api-web");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.selected(), Some(&"api-web"));
    // Clearing the filter keeps the row the filter found.
    list.set_filter("");
    list.rebuild(&rows, &FLAT);
    assert_eq!(list.selected(), Some(&"api-web"));
}

#[test]
fn a_reversed_sort_reverses_the_column_only() {
    let rows = vec![
        Item {
            name: "b",
            group: 1,
            n: 0,
        },
        Item {
            name: "a",
            group: 1,
            n: 0,
        },
        Item {
            name: "z",
            group: 0,
            n: 0,
        },
    ];
    let spec = Spec { grouped: true };
    let mut list: ListState<&str, By> = ListState::default();
    list.set_sort(By::Name, Direction::Reversed);
    list.rebuild(&rows, &spec);
    assert_eq!(list.order(), ["z", "b", "a"], "groups stay in their order");
    assert_eq!(list.sort_label(), "name (reversed)");
    list.cycle_sort();
    assert_eq!(list.sort_label(), "number");
}

#[test]
fn navigation_scrolls_the_selection_into_view() {
    let names: Vec<&'static str> = vec!["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    let mut list = list_of(&names);
    list.set_viewport(3);
    assert_eq!(list.visible(), 0..3);
    list.navigate(Nav::Down);
    list.navigate(Nav::Down);
    assert_eq!(list.offset(), 0);
    list.navigate(Nav::Down);
    assert_eq!(list.offset(), 1, "one row down, one line scrolled");
    list.navigate(Nav::PageDown);
    assert_eq!(list.selected(), Some(&"g"));
    assert_eq!(list.visible(), 4..7);
    list.navigate(Nav::Bottom);
    assert_eq!(list.selected(), Some(&"j"));
    assert_eq!(list.offset(), 7);
    list.navigate(Nav::PageUp);
    assert_eq!(list.selected(), Some(&"g"));
    assert_eq!(list.offset(), 6);
    list.navigate(Nav::Top);
    assert_eq!(list.offset(), 0);
}

#[test]
fn a_taller_view_pulls_the_list_down_to_fill_it() {
    let mut list = list_of(&["a", "b", "c", "d", "e"]);
    list.set_viewport(2);
    list.navigate(Nav::Bottom);
    assert_eq!(list.offset(), 3);
    list.set_viewport(4);
    assert_eq!(list.offset(), 1, "no empty lines below the last row");
    assert_eq!(list.visible(), 1..5);
    list.set_viewport(1);
    assert_eq!(list.visible(), 4..5);
}

#[test]
fn rows_shrinking_below_the_offset_keep_a_row_on_screen() {
    let mut list = list_of(&["a", "b", "c", "d", "e", "f"]);
    list.set_viewport(2);
    list.navigate(Nav::Bottom);
    list.rebuild(&items(&["a", "b"]), &FLAT);
    assert_eq!(list.selected(), Some(&"b"));
    assert_eq!(list.offset(), 0);
    assert_eq!(list.visible(), 0..2);
}

#[test]
fn group_headings_take_lines_and_the_selection_stays_visible() {
    // Groups: 0: a b, 1: c d, 2: e.
    let rows: Vec<Item> = [("a", 0), ("b", 0), ("c", 1), ("d", 1), ("e", 2)]
        .into_iter()
        .map(|(name, group)| Item { name, group, n: 0 })
        .collect();
    let spec = Spec { grouped: true };
    let mut list: ListState<&str, By> = ListState::default();
    list.rebuild(&rows, &spec);
    list.set_viewport(4);
    // heading, a, b, heading: c does not fit.
    assert_eq!(list.visible(), 0..2);
    assert!(list.heading_at(0, 0) && !list.heading_at(1, 0) && list.heading_at(2, 0));
    list.navigate(Nav::Down);
    list.navigate(Nav::Down);
    assert_eq!(list.selected(), Some(&"c"));
    // heading(0), b, heading(1), c.
    assert_eq!(list.offset(), 1);
    assert!(list.visible().contains(&2));
    list.navigate(Nav::Bottom);
    // heading, d, heading, e.
    assert_eq!(list.visible(), 3..5);
    assert!(
        list.heading_at(3, 3),
        "the first row on screen names its group"
    );
}

#[test]
fn a_window_for_another_height_leaves_the_list_as_it_is() {
    let mut list = list_of(&["a", "b", "c", "d", "e"]);
    list.set_viewport(5);
    list.navigate(Nav::Bottom);
    assert_eq!(list.window(2), 3..5);
    assert_eq!(list.offset(), 0);
    assert_eq!(list.visible(), 0..5);
}

#[test]
fn before_the_first_draw_the_list_only_keeps_its_top_sane() {
    let mut list = list_of(&["a", "b", "c"]);
    list.navigate(Nav::PageDown);
    assert_eq!(
        list.selected(),
        Some(&"b"),
        "a page is a row until measured"
    );
    assert_eq!(list.offset(), 0);
    assert!(list.visible().is_empty());
}

#[test]
fn selecting_a_key_that_is_not_shown_changes_nothing() {
    let mut list = list_of(&["a", "b"]);
    assert!(!list.select(&"zz"));
    assert_eq!(list.selected(), Some(&"a"));
    assert!(list.select(&"b"));
    assert_eq!(list.selected(), Some(&"b"));
}
