use super::*;

fn t0() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

#[test]
fn toasts_expire_and_are_capped() {
    let now = t0();
    let mut t = Toasts::default();
    for i in 0..6 {
        t.push(ToastLevel::Info, format!("t{i}"), now);
    }
    assert_eq!(t.visible().len(), MAX_TOASTS);
    assert_eq!(t.visible()[0].text, "t2");
    assert!(!t.expire(now + Duration::seconds(1)));
    assert!(t.expire(now + Duration::seconds(6)));
    assert!(t.visible().is_empty());
    assert_eq!(t.history().count(), 6, "the history keeps them all");
}

/// A container flapping every 25 s said the same thing again and again:
/// one toast with a count, one history entry.
#[test]
fn repeats_coalesce_into_one_toast_with_a_count() {
    let mut t = Toasts::default();
    let said = "container web is broken: exited (1)";
    for i in 0..3 {
        t.push(ToastLevel::Error, said, t0() + Duration::seconds(25 * i));
    }
    assert_eq!(t.visible().len(), 1, "{:?}", t.visible());
    assert_eq!(t.visible()[0].count, 3);
    let history: Vec<_> = t.history().collect();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].count, 3);
    assert_eq!(history[0].first, t0());
    // Quiet for longer than the window: a new message.
    t.push(ToastLevel::Error, said, t0() + Duration::hours(1));
    assert_eq!(t.visible().last().map(|m| m.count), Some(1));
    assert_eq!(t.history().count(), 2);
}

#[test]
fn a_dismissed_message_stays_hidden_while_it_repeats() {
    let mut t = Toasts::default();
    t.push(ToastLevel::Error, "flap", t0());
    t.push(ToastLevel::Info, "saved", t0());
    assert!(t.dismiss(t0()));
    assert!(t.visible().is_empty());
    assert!(!t.dismiss(t0()), "nothing left to hide");
    t.push(ToastLevel::Error, "flap", t0() + Duration::seconds(25));
    assert!(t.visible().is_empty(), "a repeat of a dismissed message");
    assert_eq!(
        t.history().find(|m| m.text == "flap").map(|m| m.count),
        Some(2)
    );
    // Another message still shows.
    t.push(ToastLevel::Error, "other", t0() + Duration::seconds(30));
    assert_eq!(t.visible().len(), 1);
    // After a long quiet, the same text shows again.
    t.push(ToastLevel::Error, "flap", t0() + Duration::hours(2));
    assert!(t.visible().iter().any(|m| m.text == "flap"));
}

#[test]
fn the_history_is_capped() {
    let mut t = Toasts::default();
    for i in 0..(MAX_HISTORY + 10) {
        t.push(ToastLevel::Info, format!("m{i}"), t0());
    }
    assert_eq!(t.history().count(), MAX_HISTORY);
    assert_eq!(t.history().next().map(|m| m.text.as_str()), Some("m10"));
}

/// The demo's shop-worker-1 flaps: "restarting, 6 restarts", then 7, then
/// 8. Messages about the same thing are repeats whatever their wording.
#[test]
fn messages_about_the_same_thing_coalesce_with_the_latest_wording() {
    let mut t = Toasts::default();
    for n in 6..9 {
        t.push_about(
            ToastLevel::Error,
            "docker:c1",
            format!("container shop-worker-1: restarting, {n} restarts"),
            t0() + Duration::seconds(30 * i64::from(n)),
        );
    }
    assert_eq!(t.visible().len(), 1);
    assert_eq!(t.visible()[0].count, 3);
    assert!(t.visible()[0].text.ends_with("8 restarts"));
    assert_eq!(t.history().count(), 1);
    t.push_about(
        ToastLevel::Error,
        "docker:c2",
        "another",
        t0() + Duration::seconds(300),
    );
    assert_eq!(t.visible().len(), 2, "another container is another message");
}
