//! Key specs (`"ctrl-c"`, `"G"`, `"pagedown"`) to actions, with overrides from
//! the `[keys]` table of the config.

use std::collections::HashMap;

use crate::core::key::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, DEFAULTS, Scope};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl KeySpec {
    pub fn parse(text: &str) -> Result<KeySpec, String> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next().unwrap_or(' ')),
            other => return Err(format!("unknown key `{other}`")),
        };
        Ok(KeySpec { code, ctrl, alt })
    }

    pub fn from_event(ev: &KeyEvent) -> KeySpec {
        KeySpec {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
            alt: ev.modifiers.contains(KeyModifiers::ALT),
        }
    }

    pub fn display(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Shift-Tab".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Up => "Up".to_string(),
            KeyCode::Down => "Down".to_string(),
            KeyCode::Left => "Left".to_string(),
            KeyCode::Right => "Right".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (_, true) => format!("Alt-{base}"),
            _ => base,
        }
    }
}

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub action: Action,
    pub scope: Scope,
    pub keys: Vec<KeySpec>,
    pub description: &'static str,
}

#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: Vec<Binding>,
    lookup: HashMap<(Scope, KeySpec), Action>,
}

impl Default for KeyMap {
    fn default() -> Self {
        Self::with_overrides(&HashMap::new()).unwrap_or_else(|_| Self::build(Vec::new()))
    }
}

impl KeyMap {
    /// Builds the map from the defaults with `[keys]` overrides
    /// (`action = "key"` or `action = ["key", "key"]`), which replace an
    /// action's default keys.
    pub fn with_overrides(overrides: &HashMap<Action, Vec<String>>) -> Result<KeyMap, String> {
        let mut bindings = Vec::new();
        for (action, scope, keys, description) in DEFAULTS {
            let specs = match overrides.get(action) {
                Some(custom) => custom
                    .iter()
                    .map(|k| KeySpec::parse(k))
                    .collect::<Result<Vec<_>, _>>()?,
                None => keys
                    .iter()
                    .map(|k| KeySpec::parse(k))
                    .collect::<Result<Vec<_>, _>>()?,
            };
            bindings.push(Binding {
                action: *action,
                scope: *scope,
                keys: specs,
                description,
            });
        }
        Ok(Self::build(bindings))
    }

    fn build(bindings: Vec<Binding>) -> KeyMap {
        let mut lookup = HashMap::new();
        for b in &bindings {
            for k in &b.keys {
                lookup.entry((b.scope, *k)).or_insert(b.action);
            }
        }
        KeyMap { bindings, lookup }
    }

    /// Resolves a key in the given view; the view's own scope wins over
    /// the global one (so `/` searches in logs but filters in lists).
    pub fn resolve(&self, key: &KeyEvent, in_logs: bool) -> Option<Action> {
        self.resolve_in(key, None, in_logs)
    }

    /// Like `resolve`, with the keys of one tab (`Scope::Docker`,
    /// `Scope::Actions`) in play too: a letter may mean one thing in the
    /// Docker tab and another in the Actions tab.
    pub fn resolve_in(&self, key: &KeyEvent, tab: Option<Scope>, in_logs: bool) -> Option<Action> {
        let spec = KeySpec::from_event(key);
        // Shifted letters arrive as uppercase chars with SHIFT set; the spec
        // already carries the case, so SHIFT itself is ignored.
        let base: &[Scope] = if in_logs {
            &[Scope::Logs, Scope::Global, Scope::List]
        } else {
            &[Scope::List, Scope::Global]
        };
        let tab_first = (!in_logs).then_some(tab).flatten();
        let tab_last = in_logs.then_some(tab).flatten();
        tab_first
            .into_iter()
            .chain(base.iter().copied())
            .chain(tab_last)
            .find_map(|s| self.lookup.get(&(s, spec)).copied())
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The first key bound to an action, for hints like "press ? for help".
    pub fn key_for(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(|k| k.display())
            .unwrap_or_else(|| "(unbound)".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn defaults_resolve_by_scope() {
        let km = KeyMap::default();
        let slash = key(KeyCode::Char('/'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&slash, false), Some(Action::Filter));
        assert_eq!(km.resolve(&slash, true), Some(Action::Search));
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(km.resolve(&ctrl_c, false), Some(Action::Quit));
        let big_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.resolve(&big_g, true), Some(Action::Bottom));
    }

    #[test]
    fn tab_keys_apply_only_in_their_tab() {
        let km = KeyMap::default();
        let r = key(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(
            km.resolve_in(&r, Some(Scope::Docker), false),
            Some(Action::Restart)
        );
        assert_eq!(
            km.resolve_in(&r, Some(Scope::Actions), false),
            Some(Action::RerunJob)
        );
        assert_eq!(km.resolve_in(&r, None, false), None);
        // In a log view the log keys win, the tab's still work.
        let big_r = key(KeyCode::Char('R'), KeyModifiers::SHIFT);
        assert_eq!(
            km.resolve_in(&big_r, Some(Scope::Actions), true),
            Some(Action::RerunAll)
        );
    }

    #[test]
    fn overrides_replace_default_keys() {
        let mut o = HashMap::new();
        o.insert(Action::Quit, vec!["ctrl-q".to_string()]);
        let km = KeyMap::with_overrides(&o).expect("valid keys");
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(km.resolve(&q, false), None);
        let cq = key(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(km.resolve(&cq, false), Some(Action::Quit));
        assert_eq!(km.key_for(Action::Quit), "Ctrl-q");
    }

    #[test]
    fn bad_key_names_are_reported() {
        let mut o = HashMap::new();
        o.insert(Action::Quit, vec!["hyper-z".to_string()]);
        let err = KeyMap::with_overrides(&o).unwrap_err();
        assert!(err.contains("hyper-z"), "{err}");
    }
}
