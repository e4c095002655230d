use super::*;

pub(crate) fn image(id: &str, tags: &[&str], size: u64, users: &[&str]) -> ImageRow {
    ImageRow {
        engine: String::new(),
        id: format!("sha256:{id}"),
        tag: tags.first().map(|t| t.to_string()),
        tag_count: tags.len(),
        size,
        created: None,
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

fn names(t: &ObjectTable<ImageRow>) -> Vec<String> {
    t.list
        .order()
        .iter()
        .map(|k| t.rows[k].name().to_string())
        .collect()
}

#[test]
fn prune_takes_dangling_unused_images_and_unused_volumes_and_networks() {
    assert!(image("aa", &[], 1, &[]).prunable());
    assert!(!image("ab", &[], 1, &["web"]).prunable());
    assert!(!image("ac", &["nginx:1"], 1, &[]).prunable());
    let net = |name: &str, users: &[&str]| NetworkRow {
        engine: String::new(),
        id: format!("id-{name}"),
        name: name.into(),
        driver: "bridge".into(),
        scope: "local".into(),
        users: users.iter().map(|u| u.to_string()).collect(),
    };
    assert!(
        !net("bridge", &[]).prunable(),
        "the engine's own network stays"
    );
    assert!(net("old_default", &[]).prunable());
    assert!(!net("shop_default", &["web"]).prunable());
}

#[test]
fn images_sort_by_size_and_users_and_filter_on_dangling() {
    let mut view = ObjectView::new(ObjectKind::Images);
    view.apply(
        "",
        ObjectList::Images(vec![
            image("11", &["small:1"], 10, &["a", "b"]),
            image("22", &["big:1"], 1000, &[]),
            image("33", &[], 500, &[]),
        ]),
    );
    let ObjectView::Images(t) = &mut view else {
        panic!("an images view");
    };
    assert_eq!(names(t), ["<none>:<none>", "big:1", "small:1"]);
    t.list.set_sort(ObjectSort::Size, Default::default());
    t.rebuild_order();
    assert_eq!(names(t), ["big:1", "<none>:<none>", "small:1"]);
    t.list.reverse();
    t.rebuild_order();
    assert_eq!(names(t), ["small:1", "<none>:<none>", "big:1"]);
    t.list.set_sort(ObjectSort::Users, Default::default());
    t.rebuild_order();
    assert_eq!(names(t)[0], "small:1");
    t.list.set_filter("dangling:yes");
    t.rebuild_order();
    assert_eq!(names(t), ["<none>:<none>"]);
    assert_eq!(t.prunable("").len(), 1);
}

#[test]
fn a_list_of_another_kind_is_dropped_and_the_selection_follows_its_key() {
    let mut view = ObjectView::new(ObjectKind::Images);
    view.apply("", ObjectList::Volumes(vec![]));
    let ObjectView::Images(t) = &view else {
        panic!("an images view");
    };
    assert!(!t.loaded, "a volumes list must not fill the images view");
    view.apply(
        "",
        ObjectList::Images(vec![
            image("11", &["a:1"], 1, &[]),
            image("22", &["b:1"], 1, &[]),
        ]),
    );
    if let ObjectView::Images(t) = &mut view {
        t.list.select(&"b:1".to_string());
    }
    view.apply(
        "",
        ObjectList::Images(vec![
            image("00", &["0:1"], 1, &[]),
            image("11", &["a:1"], 1, &[]),
            image("22", &["b:1"], 1, &[]),
        ]),
    );
    let ObjectView::Images(t) = &view else {
        panic!("an images view");
    };
    assert_eq!(t.selected().map(|r| r.name()), Some("b:1"));
    assert_eq!(t.rows["b:1"].short_id(), "22");
}

#[test]
fn each_engine_replaces_and_fails_for_its_own_rows_only() {
    let on = |engine: &str, id: &str, tag: &str| ImageRow {
        engine: engine.into(),
        ..image(id, &[tag], 1, &[])
    };
    let mut view = ObjectView::new(ObjectKind::Images);
    view.apply("a", ObjectList::Images(vec![on("a", "11", "web:1")]));
    view.apply(
        "b",
        ObjectList::Images(vec![on("b", "11", "web:1"), on("b", "22", "db:1")]),
    );
    let ObjectView::Images(t) = &mut view else {
        panic!("an images view");
    };
    // The same tag on two engines is two rows, keyed by engine.
    let keys: Vec<&String> = t.rows.keys().collect();
    assert_eq!(keys, ["a/web:1", "b/db:1", "b/web:1"]);
    t.fail("b", "the Docker engine at tcp://x is unreachable".into());
    assert_eq!(t.rows.len(), 3, "a failed engine keeps its last rows");
    assert_eq!(
        t.error_text().as_deref(),
        Some("b: the Docker engine at tcp://x is unreachable")
    );
    t.replace_engine("a", Vec::new());
    let keys: Vec<&String> = t.rows.keys().collect();
    assert_eq!(keys, ["b/db:1", "b/web:1"], "a's empty list empties a only");
    assert!(t.errors.contains_key("b"), "b still says it failed");
    t.replace_engine("b", vec![on("b", "22", "db:1")]);
    assert_eq!(t.error_text(), None);
    t.list.set_filter("engine:b");
    t.rebuild_order();
    assert_eq!(t.list.order(), ["b/db:1"]);
}
