use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::core::docker::{Container, ContainerState, Health};
use crate::core::keymap::KeyMap;
use crate::core::msg::{DockerEvent, Msg};
use crate::core::state::Settings;
use crate::core::update::update;

fn c(id: &str, state: ContainerState, exit: Option<i64>, minutes_ago: i64) -> Container {
    let now = Utc
        .with_ymd_and_hms(2026, 1, 1, 12, 0, 0)
        .single()
        .expect("time");
    Container {
        image: "img".into(),
        exit_code: exit,
        started_at: Some(now - Duration::minutes(minutes_ago + 1)),
        finished_at: (state == ContainerState::Exited)
            .then(|| now - Duration::minutes(minutes_ago)),
        ..Container::fixture(id, &format!("c-{id}"), state)
    }
}

fn state_with(list: Vec<Container>) -> State {
    let mut s = State::new(Settings::default(), KeyMap::default());
    update(&mut s, Msg::Docker(DockerEvent::Snapshot(list)));
    s
}

#[test]
fn broken_containers_are_the_non_zero_the_unhealthy_and_the_restarting() {
    let mut unhealthy = c("u", ContainerState::Running, None, 3);
    unhealthy.health = Some(Health::Unhealthy);
    let mut oom = c("o", ContainerState::Exited, Some(137), 1);
    oom.oom_killed = true;
    let s = state_with(vec![
        c("ok", ContainerState::Running, None, 0),
        c("clean", ContainerState::Exited, Some(0), 0),
        c("bad", ContainerState::Exited, Some(2), 5),
        c("loop", ContainerState::Restarting, None, 9),
        unhealthy,
        oom,
    ]);
    let got = items(&s);
    let keys: Vec<&str> = got.iter().map(|i| i.key.as_str()).collect();
    // Newest first.
    assert_eq!(
        keys,
        vec!["docker:o", "docker:u", "docker:bad", "docker:loop"]
    );
    assert_eq!(got[0].reason, "OOMKilled (exit 137)");
    assert_eq!(got[2].reason, "exited with code 2");
}

#[test]
fn nothing_is_announced_on_the_first_load_and_each_breakage_once() {
    let mut n = Notifier::default();
    let s = state_with(vec![c("a", ContainerState::Exited, Some(1), 1)]);
    let first = n.newly_broken(&items(&s), &["docker".to_string()]);
    assert!(first.is_empty(), "first load is not news");

    let s = state_with(vec![
        c("a", ContainerState::Exited, Some(1), 1),
        c("b", ContainerState::Exited, Some(1), 0),
    ]);
    let news = n.newly_broken(&items(&s), &["docker".to_string()]);
    assert_eq!(news.len(), 1);
    assert_eq!(news[0].key, "docker:b");
    assert!(
        n.newly_broken(&items(&s), &["docker".to_string()])
            .is_empty(),
        "not repeated"
    );

    // b recovers, then breaks again: that is news again.
    let s_ok = state_with(vec![c("a", ContainerState::Exited, Some(1), 1)]);
    assert!(
        n.newly_broken(&items(&s_ok), &["docker".to_string()])
            .is_empty()
    );
    let again = n.newly_broken(&items(&s), &["docker".to_string()]);
    assert_eq!(again.len(), 1);
}

#[test]
fn a_source_not_yet_loaded_primes_nothing() {
    let mut n = Notifier::default();
    let s = state_with(vec![c("a", ContainerState::Exited, Some(1), 1)]);
    assert!(n.newly_broken(&items(&s), &[]).is_empty());
    // Its first real load is still a first load: no announcement.
    assert!(
        n.newly_broken(&items(&s), &["docker".to_string()])
            .is_empty()
    );
}
