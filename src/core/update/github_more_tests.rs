//! The Actions pane's dispatch form and rate budget, through `update`.

use chrono::Duration;

use crate::core::effect::{Effect, GitHubCommand};
use crate::core::github::RunOp;
use crate::core::key::KeyCode;
use crate::core::msg::{GitHubEvent, Msg};
use crate::core::state::State;

use super::github_tests::{code, key, loaded, t0};
use super::update;

#[test]
fn dispatch_inputs_are_asked_for_in_a_form_then_named_in_the_confirmation() {
    use crate::core::github::{DispatchInput, InputKind};
    let mut s = loaded(false);
    let read = |result| {
        Msg::GitHub(GitHubEvent::DispatchInputs {
            repo: "acme/api".into(),
            workflow_id: 7,
            result,
        })
    };
    update(&mut s, key('j'));
    let start = |s: &mut State| {
        update(s, key('W'));
        update(s, code(KeyCode::Enter));
    };
    // Inputs that cannot be read: nothing is sent, and the file is named.
    start(&mut s);
    let effects = update(
        &mut s,
        read(Err(".github/workflows/ci.yml is not valid YAML: x".into())),
    );
    assert!(effects.is_empty() && s.confirm.is_none() && s.github.dispatch_form.is_none());
    let last = s
        .toasts
        .visible()
        .last()
        .map(|t| t.text.clone())
        .unwrap_or_default();
    assert!(
        last.contains("ci.yml is not valid YAML") && last.contains("was not sent"),
        "{last}"
    );
    start(&mut s);
    let inputs = vec![
        DispatchInput {
            name: "environment".into(),
            description: "Where to deploy".into(),
            required: true,
            kind: InputKind::Choice {
                options: vec!["staging".into(), "production".into()],
                default: Some("staging".into()),
            },
        },
        DispatchInput {
            name: "dry_run".into(),
            description: String::new(),
            required: false,
            kind: InputKind::Boolean { default: false },
        },
    ];
    update(
        &mut s,
        read(Ok((".github/workflows/ci.yml".into(), Some(inputs)))),
    );
    assert!(s.github.dispatch_form.is_some(), "the form opens");
    // Keys go to the form, not to the list: `j` does not move the selection.
    update(&mut s, code(KeyCode::Right));
    update(&mut s, code(KeyCode::Down));
    update(&mut s, key(' '));
    assert!(s.confirm.is_none());
    update(&mut s, code(KeyCode::Enter));
    assert!(s.github.dispatch_form.is_none());
    let confirm = s.confirm.clone().expect("dialog");
    assert_eq!(
        confirm.question(),
        "Dispatch workflow CI on acme/api@feat/x with environment=production, dry_run=true?"
    );
    let Effect::GitHub(GitHubCommand::Op { op, .. }) = &confirm.effect else {
        panic!("{:?}", confirm.effect);
    };
    let RunOp::Dispatch { inputs, .. } = op else {
        panic!("{op:?}");
    };
    assert_eq!(
        inputs,
        &vec![
            ("environment".to_string(), "production".to_string()),
            ("dry_run".to_string(), "true".to_string())
        ]
    );
    // Nothing is sent without `y`.
    let effects = update(&mut s, key('n'));
    assert!(effects.is_empty());
}

#[test]
fn a_low_rate_budget_toasts_once_per_window_in_local_time() {
    use crate::core::github::RateLimit;
    let mut s = loaded(false);
    // UTC+1: the reset at 12:12 UTC reads 13:12.
    s.settings.utc_offset = chrono::FixedOffset::east_opt(3600).unwrap_or(s.settings.utc_offset);
    let rate = |remaining| {
        Msg::GitHub(GitHubEvent::RateLimit(RateLimit {
            remaining,
            limit: 5000,
            reset: t0() + Duration::minutes(12),
        }))
    };
    let low = |s: &State| {
        s.toasts
            .history()
            .filter(|m| m.text.contains("budget low"))
            .map(|m| (m.text.clone(), m.count))
            .collect::<Vec<_>>()
    };
    update(&mut s, rate(600));
    assert!(low(&s).is_empty(), "12 % left is not low");
    for remaining in [499, 480, 460] {
        update(&mut s, rate(remaining));
    }
    let said = low(&s);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0].1, 1, "once, not every poll: {said:?}");
    assert_eq!(
        said[0].0,
        "GitHub API budget low: 499 of 5000 requests left, resets at 13:12 (in 12 min); \
         polling slows down, your actions keep a reserve"
    );
    // A new window, then low again: said again.
    update(&mut s, rate(5000));
    update(&mut s, rate(300));
    assert_eq!(low(&s).iter().map(|m| m.1).sum::<u32>(), 2);
}
