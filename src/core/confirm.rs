//! A destructive action waits in a dialog that holds the effect it will run,
//! so "what happens on yes" is data and can be tested as data.

use super::effect::Effect;

#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    /// e.g. "Kill container".
    pub title: String,
    /// The exact target, always named in the dialog.
    pub target: String,
    pub effect: Effect,
}

impl Confirm {
    pub fn new(title: impl Into<String>, target: impl Into<String>, effect: Effect) -> Self {
        Confirm {
            title: title.into(),
            target: target.into(),
            effect,
        }
    }

    pub fn question(&self) -> String {
        format!("{} {}?", self.title, self.target)
    }
}
