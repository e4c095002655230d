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
    assert!(w[1] >= Some(30), "{w:?}");
    assert_eq!(w[2], Some(12));
    let used: u16 = w.iter().flatten().sum::<u16>() + 5;
    assert_eq!(used, 200, "the fill columns take what is left");
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
    assert_eq!(w[1], Some(34), "the name takes what they leave: {w:?}");
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
