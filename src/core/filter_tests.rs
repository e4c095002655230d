use super::*;

/// A pod-like row: name, namespace, status, node.
fn pod(name: &str, ns: &str, status: &str, node: &str) -> Fields {
    let mut f = Fields::default();
    f.name(name);
    f.field(&["namespace", "ns"], ns);
    f.field(&["status"], status);
    f.field(&["node"], node);
    f
}

fn rank(query: &str, row: &Fields) -> Option<Rank> {
    Filter::parse(query).rank(row)
}

#[test]
fn letters_scattered_over_columns_do_not_match() {
    // `/web` used to find these: w, e, b spread over name, status and node.
    for row in [
        pod("hello-7d4b9c-x2x", "default", "Running", "worker-b"),
        pod("redis-0", "shop", "Running", "kind-worker-b2"),
        pod("fraud-check-worker-7b9c4", "payments", "Running", "node-a"),
    ] {
        assert_eq!(rank("web", &row), None, "{row:?}");
        assert_eq!(rank("wrb", &row), None, "{row:?}");
    }
}

#[test]
fn name_prefix_then_word_then_inside_then_other_fields() {
    assert_eq!(rank("web", &pod("web-1", "shop", "Running", "n")), Some(0));
    assert_eq!(
        rank("web", &pod("shop-web-1", "shop", "Running", "n")),
        Some(1)
    );
    assert_eq!(
        rank("web", &pod("cobweb-1", "shop", "Running", "n")),
        Some(2)
    );
    assert_eq!(rank("web", &pod("api-1", "web", "Running", "n")), Some(3));
}

#[test]
fn abbreviations_of_the_name_match_last() {
    let row = pod("fraud-check-worker-7b9c4", "payments", "Running", "node-a");
    assert_eq!(rank("fcw", &row), Some(4));
    assert_eq!(rank("fracheck", &row), Some(4));
    // Not an abbreviation: `e` neither continues `w` nor starts a word.
    assert_eq!(rank("we", &row), None);
    // Never across fields: `p` is only in the namespace.
    assert_eq!(rank("fp", &row), None);
    // Nor in a sentence, where every word start is a chance to match.
    let titled = pod("fail fast in ui release", "ns", "success", "n");
    assert_eq!(rank("failure", &titled), None);
    assert_eq!(rank("fail", &titled), Some(0));
}

#[test]
fn case_is_ignored() {
    let row = pod("Api-Gateway", "shop", "CrashLoopBackOff", "n");
    assert_eq!(rank("API", &row), Some(0));
    assert_eq!(rank("crashloop", &row), Some(3));
}

#[test]
fn field_terms_look_in_their_field_only() {
    let row = pod("payments-api-1", "shop", "Running", "n");
    assert_eq!(rank("ns:shop", &row), Some(0));
    assert_eq!(rank("ns:payments", &row), None);
    assert_eq!(rank("namespace:sh", &row), Some(0));
    assert_eq!(rank("status:running", &row), Some(0));
    // Half typed: holds for every row.
    assert_eq!(rank("ns:", &row), Some(0));
    assert_eq!(rank("name:api", &row), Some(0));
}

#[test]
fn a_word_that_is_no_field_is_plain_text() {
    let mut row = Fields::default();
    row.name("probe");
    row.field(&["url"], "http://shop/health");
    assert_eq!(rank("http://shop", &row), Some(3));
    assert_eq!(rank("nosuch:x", &row), None);
}

#[test]
fn terms_are_anded_and_rank_by_the_worst() {
    let row = pod("web-1", "shop", "Running", "n");
    assert_eq!(rank("web ns:shop", &row), Some(0));
    assert_eq!(rank("web ns:pay", &row), None);
    assert_eq!(rank("web run", &row), Some(3));
}

#[test]
fn bang_negates_a_term() {
    let ok = pod("web-1", "shop", "Running", "n");
    let failing = pod("web-2", "shop", "CrashLoopBackOff", "n");
    assert_eq!(rank("!status:running", &ok), None);
    assert_eq!(rank("!status:running", &failing), Some(0));
    assert_eq!(rank("!web", &ok), None);
    assert_eq!(rank("web !web-1", &failing), Some(0));
    // An abbreviation does not exclude: `!w1` keeps `web-1`.
    assert_eq!(rank("!w1", &ok), Some(0));
    // A lone `!` (being typed) is no term.
    assert_eq!(rank("!", &ok), Some(0));
}

#[test]
fn odd_input_does_not_panic() {
    let row = pod("é-ü-名前", "ns", "s", "n");
    for q in [
        "", " ", ":", "!:", "::", "é", "ü名", "名前", "!!", "a:b:c", "\u{0}",
    ] {
        let _ = rank(q, &row);
    }
    assert_eq!(rank("名前", &row), Some(1));
    assert!(Filter::parse("  ").is_empty());
}
