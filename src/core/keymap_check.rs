//! `[keys]` overrides that collide with another binding: `restart = "q"`
//! took `q` from quit in the Docker tab, silently. A key the user gave an
//! action may not be one another action already answers to where both
//! apply; the defaults' own overlaps (`/` filters in lists and searches in
//! logs) are by design and not reported.

use super::action::{Action, DEFAULTS, Scope};
use super::keymap::{KeyMap, KeySpec};

/// One key claimed by two actions that can be in play at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub key: KeySpec,
    /// The action the user gave the key to.
    pub action: Action,
    pub scope: Scope,
    /// The action that answers to it too.
    pub other: Action,
    pub other_scope: Scope,
}

impl Conflict {
    /// `key q of restart (Docker tab) is also quit (Global)`.
    pub fn describe(&self) -> String {
        format!(
            "key `{}` of {} ({}) is also {} ({})",
            self.key.display(),
            action_name(self.action),
            self.scope.title(),
            action_name(self.other),
            self.other_scope.title()
        )
    }
}

/// The name `[keys]` knows an action by (`rollout_restart`).
pub fn action_name(action: Action) -> String {
    serde_json::to_value(action)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| format!("{action:?}"))
}

/// Whether a key can reach both scopes in one view (see
/// `KeyMap::resolve_in`: a tab's keys, the list keys and the global ones
/// in a list; in a log the log keys too; two tabs never at once).
fn overlap(a: Scope, b: Scope) -> bool {
    use Scope::*;
    let tab = |s: Scope| matches!(s, Docker | Actions | Kubernetes | Overview);
    a == b
        || a == Global
        || b == Global
        || (a == List || b == List)
        || (a == Logs && tab(b))
        || (b == Logs && tab(a))
}

impl KeyMap {
    /// The keys of the `changed` actions (those `[keys]` overrides) that
    /// were not theirs by default and that another action answers to
    /// where both apply.
    pub fn conflicts(&self, changed: &[Action]) -> Vec<Conflict> {
        let defaults = |action: Action| -> Vec<KeySpec> {
            DEFAULTS
                .iter()
                .filter(|(a, ..)| *a == action)
                .flat_map(|(_, _, keys, _)| keys.iter().filter_map(|k| KeySpec::parse(k).ok()))
                .collect()
        };
        let mut out = Vec::new();
        for mine in self
            .bindings()
            .iter()
            .filter(|b| changed.contains(&b.action))
        {
            let own = defaults(mine.action);
            for key in mine.keys.iter().filter(|k| !own.contains(k)) {
                for other in self.bindings() {
                    if other.action != mine.action
                        && other.keys.contains(key)
                        && overlap(mine.scope, other.scope)
                    {
                        out.push(Conflict {
                            key: *key,
                            action: mine.action,
                            scope: mine.scope,
                            other: other.action,
                            other_scope: other.scope,
                        });
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn with(overrides: &[(Action, &str)]) -> (KeyMap, Vec<Action>) {
        let map: HashMap<Action, Vec<String>> = overrides
            .iter()
            .map(|(a, k)| (*a, vec![k.to_string()]))
            .collect();
        let km = KeyMap::with_overrides(&map).expect("valid keys");
        (km, overrides.iter().map(|(a, _)| *a).collect())
    }

    #[test]
    fn the_defaults_have_no_conflicts_of_their_own() {
        let km = KeyMap::default();
        let all: Vec<Action> = DEFAULTS.iter().map(|(a, ..)| *a).collect();
        assert_eq!(km.conflicts(&all), Vec::new());
    }

    #[test]
    fn a_key_taken_from_a_global_action_is_a_conflict() {
        let (km, changed) = with(&[(Action::Restart, "q")]);
        let found = km.conflicts(&changed);
        assert_eq!(
            found.first().map(Conflict::describe).as_deref(),
            Some("key `q` of restart (Docker tab) is also quit (Global)")
        );
        // Docker's keys act in a container's log too, where `q` closes it.
        assert_eq!(
            found.get(1).map(Conflict::describe).as_deref(),
            Some("key `q` of restart (Docker tab) is also close_log (Log viewer)"),
            "{found:?}"
        );
    }

    #[test]
    fn two_actions_on_one_key_in_one_tab_conflict() {
        let (km, changed) = with(&[(Action::Stop, "r")]);
        let found = km.conflicts(&changed);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].action, found[0].other),
            (Action::Stop, Action::Restart)
        );
    }

    #[test]
    fn the_same_letter_in_two_tabs_is_fine() {
        // `C` cancels a run in the Actions tab; nothing has it in Docker.
        let (km, changed) = with(&[(Action::Kill, "C")]);
        assert_eq!(km.conflicts(&changed), Vec::new());
        // Moving quit away frees `q` for restart.
        let (km, changed) = with(&[(Action::Quit, "ctrl-q"), (Action::Restart, "q")]);
        let found = km.conflicts(&changed);
        assert!(found.iter().all(|c| c.other != Action::Quit), "{found:?}");
    }
}
