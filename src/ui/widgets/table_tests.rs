use super::*;

fn columns() -> Vec<Column> {
    vec![
        Column::new("", Width::Fixed(1), 250),
        Column::new("NAME", Width::Fill { min: 12, weight: 3 }, NAME),
        Column::new("STATE", Width::Fit { min: 6, max: 20 }, 200),
        Column::new("IMAGE", Width::Fill { min: 10, weight: 3 }, 50),
        Column::new("PORTS", Width::Fill { min: 8, weight: 2 }, 40),
        Column::new("UP", Width::Fixed(5), 100),
    ]
}

/// Widest values: the name 30, the state 12, the image 40, ports 9.
const CONTENT: [u16; 6] = [1, 30, 12, 40, 9, 2];

#[test]
fn a_wide_screen_shows_every_column_and_the_name_in_full() {
    let w = layout(&columns(), &CONTENT, 200);
    assert!(w.iter().all(Option::is_some), "{w:?}");
    assert_eq!(w[1], Some(30), "{w:?}");
    assert_eq!(w[2], Some(12));
}

/// At 200 columns a 30-character name got 60 columns of blank: columns
/// are as wide as their values, the spare room stays at the right.
#[test]
fn a_wide_screen_sizes_columns_to_their_content() {
    let w = layout(&columns(), &CONTENT, 200);
    assert_eq!(
        w,
        vec![Some(1), Some(30), Some(12), Some(40), Some(9), Some(5)],
        "no column is wider than its widest value"
    );
}

#[test]
fn a_cut_name_keeps_its_distinguishing_tail() {
    let name = "checkout-7c9f8d6b5-dxx6t";
    assert_eq!(middle_ellipsis(name, 20, "…"), "checkout-7c9f…-dxx6t");
    assert_eq!(middle_ellipsis(name, 12, "~"), "checko~dxx6t");
    assert_eq!(middle_ellipsis(name, 30, "…"), name, "fits: untouched");
    // No separator, or a tail too long: half the room each side.
    assert_eq!(middle_ellipsis("abcdefghijklmnop", 9, "…"), "abcd…mnop");
    // Too narrow for both ends: a plain cut, never wider than asked.
    assert_eq!(middle_ellipsis(name, 3, "…"), "che");
    for w in 0..30 {
        assert!(middle_ellipsis(name, w, "…").chars().count() <= w, "{w}");
    }
}

#[test]
fn other_values_lose_their_end() {
    assert_eq!(end_ellipsis("running (healthy)", 10, "…"), "running (…");
    assert_eq!(end_ellipsis("running", 10, "…"), "running");
    assert_eq!(end_ellipsis("running", 1, "…"), "r");
}

#[test]
fn the_least_important_columns_shrink_then_drop_first() {
    let w = layout(&columns(), &CONTENT, 80);
    assert_eq!(w[1], Some(30), "the name whole: {w:?}");
    assert_eq!(w[2], Some(12), "{w:?}");
    assert_eq!(w[3], Some(28), "the image shrinks: {w:?}");
    assert_eq!(w[4], None, "ports go: {w:?}");
    let w = layout(&columns(), &CONTENT, 55);
    assert_eq!((w[3], w[4]), (None, None), "{w:?}");
    assert_eq!(w[1], Some(30), "the name stays its own width: {w:?}");
    assert!(w[5].is_some(), "{w:?}");
}

#[test]
fn the_name_is_the_last_column_to_shrink() {
    let w = layout(&columns(), &CONTENT, 40);
    assert_eq!(w[1], Some(30), "{w:?}");
    assert_eq!(w[2], Some(7), "the state shrank instead: {w:?}");
    assert_eq!(w[5], None, "{w:?}");
    // Narrower than the name: everything else goes, the name is cut.
    let w = layout(&columns(), &CONTENT, 20);
    assert_eq!(w.iter().flatten().count(), 1, "{w:?}");
    assert_eq!(w[1], Some(20));
}

#[test]
fn widths_never_exceed_the_screen() {
    for total in 0..120 {
        let w = layout(&columns(), &CONTENT, total);
        let shown = w.iter().flatten().count() as u16;
        let used: u16 = w.iter().flatten().sum::<u16>() + shown.saturating_sub(1);
        assert!(used <= total.max(shown.saturating_sub(1)), "{total}: {w:?}");
    }
}

/// At 80 columns the runs list left 8 columns blank: RUN (8 wide) did not
/// fit, and TIME (6 wide, less important) dropped with it.
#[test]
fn a_narrower_column_takes_the_room_a_wider_one_left() {
    let columns = vec![
        Column::new("NAME", Width::Fill { min: 12, weight: 1 }, NAME),
        Column::new("RUN", Width::Fixed(8), 150),
        Column::new("TIME", Width::Fixed(6), 100),
    ];
    let w = layout(&columns, &[20, 8, 6], 28);
    assert_eq!(w, vec![Some(20), None, Some(6)]);
}
