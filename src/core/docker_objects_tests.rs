use super::*;

pub(crate) fn image(id: &str, tags: &[&str], size: u64, users: &[&str]) -> ImageRow {
    ImageRow {
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
    view.apply(ObjectList::Images(vec![
        image("11", &["small:1"], 10, &["a", "b"]),
        image("22", &["big:1"], 1000, &[]),
        image("33", &[], 500, &[]),
    ]));
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
    assert_eq!(t.prunable().len(), 1);
}

#[test]
fn a_list_of_another_kind_is_dropped_and_the_selection_follows_its_key() {
    let mut view = ObjectView::new(ObjectKind::Images);
    view.apply(ObjectList::Volumes(vec![]));
    let ObjectView::Images(t) = &view else {
        panic!("an images view");
    };
    assert!(!t.loaded, "a volumes list must not fill the images view");
    view.apply(ObjectList::Images(vec![
        image("11", &["a:1"], 1, &[]),
        image("22", &["b:1"], 1, &[]),
    ]));
    if let ObjectView::Images(t) = &mut view {
        t.list.select(&"b:1".to_string());
    }
    view.apply(ObjectList::Images(vec![
        image("00", &["0:1"], 1, &[]),
        image("11", &["a:1"], 1, &[]),
        image("22", &["b:1"], 1, &[]),
    ]));
    let ObjectView::Images(t) = &view else {
        panic!("an images view");
    };
    assert_eq!(t.selected().map(|r| r.name()), Some("b:1"));
    assert_eq!(t.rows["b:1"].short_id(), "22");
}
