//! Short-lived messages, and the session's history of them (`:messages`).
//! Their time is the state's clock (set by each `Msg::Tick`), never a
//! clock read here, so expiry and coalescing are testable.
//!
//! A message that repeats (a container that flaps every 25 s) is one entry
//! with a count, shown as `×3`, not a new toast each time. A repeat is the
//! same text, or a message about the same thing (`push_about`: a flapping
//! container's "restarting, 7 restarts" then "8 restarts"). Once the user
//! dismisses it, its repeats only count up in the history until it has
//! been quiet for a while.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToastLevel {
    Info,
    Success,
    /// Not broken yet, but soon: a budget running low.
    Warning,
    Error,
}

impl ToastLevel {
    pub fn word(self) -> &'static str {
        match self {
            ToastLevel::Info => "info",
            ToastLevel::Success => "ok",
            ToastLevel::Warning => "warning",
            ToastLevel::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub level: ToastLevel,
    pub text: String,
    /// What it is about (a triage key), when the caller said; else the text.
    pub about: String,
    pub expires_at: DateTime<Utc>,
    /// How often it was said in this run of repeats (1 for once).
    pub count: u32,
}

/// One line of `:messages`: a message and how often it came.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub level: ToastLevel,
    /// The latest wording.
    pub text: String,
    pub about: String,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
    pub count: u32,
}

/// Recent toasts, newest last; at most a few are shown at once.
#[derive(Debug, Default)]
pub struct Toasts {
    items: Vec<Toast>,
    history: VecDeque<Message>,
    /// Texts the user dismissed, with when they were last said: their
    /// repeats stay out of sight while they keep coming.
    muted: HashMap<String, DateTime<Utc>>,
}

const TOAST_LIFETIME: Duration = Duration::seconds(5);
const MAX_TOASTS: usize = 4;
/// The same text again within this time is a repeat, not a new message.
const REPEAT_WINDOW: Duration = Duration::minutes(10);
/// `:messages` keeps this many; the oldest go first.
const MAX_HISTORY: usize = 500;

impl Toasts {
    pub fn push(&mut self, level: ToastLevel, text: impl Into<String>, now: DateTime<Utc>) {
        let text = text.into();
        self.push_about(level, &text.clone(), text, now);
    }

    /// A message about `about` (e.g. `docker:<id>`): one about the same
    /// thing within a while is a repeat, whatever its wording.
    pub fn push_about(
        &mut self,
        level: ToastLevel,
        about: &str,
        text: impl Into<String>,
        now: DateTime<Utc>,
    ) {
        let text = text.into();
        let count = self.remember(level, about, &text, now);
        if let Some(last) = self.muted.get_mut(about) {
            if now - *last <= REPEAT_WINDOW {
                *last = now;
                return;
            }
            self.muted.remove(about);
        }
        let lifetime = if level == ToastLevel::Error {
            TOAST_LIFETIME * 2
        } else {
            TOAST_LIFETIME
        };
        self.items.retain(|t| t.level != level || t.about != about);
        self.items.push(Toast {
            level,
            text,
            about: about.to_string(),
            expires_at: now + lifetime,
            count,
        });
        if self.items.len() > MAX_TOASTS {
            self.items.remove(0);
        }
    }

    /// Records the message; returns how often it has come in a row of
    /// repeats (each within `REPEAT_WINDOW` of the one before).
    fn remember(&mut self, level: ToastLevel, about: &str, text: &str, now: DateTime<Utc>) -> u32 {
        let repeat = self
            .history
            .iter()
            .rposition(|m| m.level == level && m.about == about && now - m.last <= REPEAT_WINDOW);
        let message = match repeat.and_then(|i| self.history.remove(i)) {
            Some(mut m) => {
                m.count += 1;
                m.last = now;
                m.text = text.to_string();
                m
            }
            None => Message {
                level,
                text: text.to_string(),
                about: about.to_string(),
                first: now,
                last: now,
                count: 1,
            },
        };
        let count = message.count;
        self.history.push_back(message);
        if self.history.len() > MAX_HISTORY {
            self.history.pop_front();
        }
        count
    }

    /// Hides every toast shown; their repeats stay hidden (and counted in
    /// the history) until they have been quiet for a while. True when
    /// something was hidden.
    pub fn dismiss(&mut self, now: DateTime<Utc>) -> bool {
        let any = !self.items.is_empty();
        for t in self.items.drain(..) {
            self.muted.insert(t.about, now);
        }
        any
    }

    /// Drops expired toasts; true when something disappeared (a redraw is due).
    pub fn expire(&mut self, now: DateTime<Utc>) -> bool {
        let before = self.items.len();
        self.items.retain(|t| t.expires_at > now);
        before != self.items.len()
    }

    pub fn visible(&self) -> &[Toast] {
        &self.items
    }

    /// Every message of the session (up to a cap), oldest first.
    pub fn history(&self) -> impl Iterator<Item = &Message> {
        self.history.iter()
    }
}

#[cfg(test)]
#[path = "toast_tests.rs"]
mod tests;
