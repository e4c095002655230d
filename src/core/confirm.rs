//! A destructive action waits in a dialog that holds the effect it will run,
//! so "what happens on yes" is data and can be tested as data.

use super::key::{KeyCode, KeyEvent, KeyModifiers};

use super::effect::Effect;

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// e.g. "Kill container".
    pub title: String,
    /// The exact target, always named in the dialog.
    pub target: String,
    pub effect: Effect,
    /// Text the user must type before yes counts (a production context's
    /// name); `y` alone is not enough there.
    pub required: Option<String>,
    /// What has been typed so far toward `required`.
    pub typed: String,
    /// Stops, removes or disrupts something: drawn in the danger colour.
    /// Either way only an explicit `y` says yes (see `on_key`).
    pub destructive: bool,
    /// A second form of the same action the dialog can switch to before
    /// `y` (a re-run with debug logging).
    pub switch: Option<ConfirmSwitch>,
}

/// An option of the action, switched by one key in the dialog. Switching
/// never acts: it swaps which effect `y` sends, so the dialog still holds
/// exactly one request and says which.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmSwitch {
    pub key: char,
    /// e.g. `debug logging`.
    pub label: String,
    pub on: bool,
    /// The effect of the other setting, swapped with `Confirm::effect`.
    pub other: Box<Effect>,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfirmOutcome {
    /// Still open (typing, or a key that means nothing here).
    Pending,
    Yes(Effect),
    No,
}

impl Confirm {
    pub fn new(title: impl Into<String>, target: impl Into<String>, effect: Effect) -> Self {
        Confirm {
            title: title.into(),
            target: target.into(),
            effect,
            required: None,
            typed: String::new(),
            destructive: false,
            switch: None,
        }
    }

    /// Lets `key` switch between this effect (off) and `other` (on).
    pub fn with_switch(mut self, key: char, label: impl Into<String>, other: Effect) -> Self {
        self.switch = Some(ConfirmSwitch {
            key,
            label: label.into(),
            on: false,
            other: Box::new(other),
        });
        self
    }

    /// Marks the dialog as guarding a destructive action.
    pub fn destructive(mut self) -> Self {
        self.destructive = true;
        self
    }

    /// Requires `text` to be typed before the effect runs.
    pub fn with_required_text(mut self, text: impl Into<String>) -> Self {
        self.required = Some(text.into());
        self
    }

    pub fn question(&self) -> String {
        format!("{} {}?", self.title, self.target)
    }

    /// True when Enter would run the effect.
    pub fn satisfied(&self) -> bool {
        self.required.as_ref().is_none_or(|r| *r == self.typed)
    }

    /// Feeds one key. Only an explicit `y` says yes, never `Enter`: the key
    /// that opened the dialog followed by a reflexive `Enter` must not act,
    /// and "harmless" is not a promise opsdeck can keep (a re-run of a
    /// deploy job deploys; a stopped container may be stopped on purpose).
    /// With a required text, letters are typed (so `y` and `n` are just
    /// letters) and only Enter on an exact match says yes.
    pub fn on_key(&mut self, key: &KeyEvent) -> ConfirmOutcome {
        if key.code == KeyCode::Esc {
            return ConfirmOutcome::No;
        }
        if self.required.is_none() {
            if let (Some(switch), KeyCode::Char(c)) = (self.switch.as_mut(), key.code)
                && c == switch.key
            {
                std::mem::swap(&mut self.effect, &mut switch.other);
                switch.on = !switch.on;
                return ConfirmOutcome::Pending;
            }
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => ConfirmOutcome::Yes(self.effect.clone()),
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Char('q') => ConfirmOutcome::No,
                _ => ConfirmOutcome::Pending,
            };
        }
        match key.code {
            KeyCode::Enter if self.satisfied() => ConfirmOutcome::Yes(self.effect.clone()),
            KeyCode::Backspace => {
                self.typed.pop();
                ConfirmOutcome::Pending
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                // Bounded: nothing longer than the required text is useful.
                if self.typed.chars().count() < 256 {
                    self.typed.push(c);
                }
                ConfirmOutcome::Pending
            }
            _ => ConfirmOutcome::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(c: &mut Confirm, text: &str) {
        for ch in text.chars() {
            assert_eq!(c.on_key(&key(KeyCode::Char(ch))), ConfirmOutcome::Pending);
        }
    }

    #[test]
    fn plain_dialog_says_yes_to_y_only_and_no_to_n_and_esc() {
        let mut c = Confirm::new("Start container", "web-1", Effect::Bell);
        assert_eq!(c.on_key(&key(KeyCode::Enter)), ConfirmOutcome::Pending);
        assert_eq!(
            c.on_key(&key(KeyCode::Char('y'))),
            ConfirmOutcome::Yes(Effect::Bell)
        );
        assert_eq!(c.on_key(&key(KeyCode::Char('n'))), ConfirmOutcome::No);
        assert_eq!(c.on_key(&key(KeyCode::Esc)), ConfirmOutcome::No);
        assert_eq!(c.on_key(&key(KeyCode::Char('x'))), ConfirmOutcome::Pending);
    }

    #[test]
    fn a_switch_swaps_the_effect_and_never_acts_by_itself() {
        let mut c = Confirm::new("Re-run", "run #1", Effect::Bell).with_switch(
            'd',
            "debug logging",
            Effect::ReadJournal,
        );
        assert_eq!(c.on_key(&key(KeyCode::Char('d'))), ConfirmOutcome::Pending);
        assert!(c.switch.as_ref().is_some_and(|s| s.on));
        assert_eq!(
            c.on_key(&key(KeyCode::Char('y'))),
            ConfirmOutcome::Yes(Effect::ReadJournal)
        );
        c.on_key(&key(KeyCode::Char('d')));
        assert_eq!(
            c.on_key(&key(KeyCode::Char('y'))),
            ConfirmOutcome::Yes(Effect::Bell)
        );
    }

    #[test]
    fn destructive_dialog_ignores_enter_and_acts_only_on_y() {
        let mut c = Confirm::new("Kill container", "web", Effect::Bell).destructive();
        assert_eq!(c.on_key(&key(KeyCode::Enter)), ConfirmOutcome::Pending);
        assert_eq!(
            c.on_key(&key(KeyCode::Char('y'))),
            ConfirmOutcome::Yes(Effect::Bell)
        );
        assert_eq!(c.on_key(&key(KeyCode::Char('n'))), ConfirmOutcome::No);
    }

    #[test]
    fn required_text_must_be_typed_exactly_before_enter_counts() {
        let mut c = Confirm::new("Delete pod", "web-1", Effect::Bell).with_required_text("prod-eu");
        // `y` is only a letter here, and Enter without the name does nothing.
        assert_eq!(c.on_key(&key(KeyCode::Char('y'))), ConfirmOutcome::Pending);
        assert_eq!(c.on_key(&key(KeyCode::Enter)), ConfirmOutcome::Pending);
        c.on_key(&key(KeyCode::Backspace));
        typed(&mut c, "prod-e");
        assert!(!c.satisfied());
        assert_eq!(c.on_key(&key(KeyCode::Enter)), ConfirmOutcome::Pending);
        typed(&mut c, "uu");
        assert_eq!(c.on_key(&key(KeyCode::Enter)), ConfirmOutcome::Pending);
        c.on_key(&key(KeyCode::Backspace));
        assert!(c.satisfied());
        assert_eq!(
            c.on_key(&key(KeyCode::Enter)),
            ConfirmOutcome::Yes(Effect::Bell)
        );
        assert_eq!(c.on_key(&key(KeyCode::Esc)), ConfirmOutcome::No);
    }
}
