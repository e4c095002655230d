//! Short-lived messages, and the session's history of them (`:messages`).
//! Their time is the state's clock (set by each `Msg::Tick`), never a
//! clock read here, so expiry and coalescing are testable.
//!
//! A message that repeats (a container that flaps every 25 s) is one entry
//! with a count, shown as `×3`, not a new toast each time; once the user
//! dismisses it, its repeats only count up in the history until it has
//! been quiet for a while.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToastLevel {
    Info,
    Success,
    Error,
}

impl ToastLevel {
    pub fn word(self) -> &'static str {
        match self {
            ToastLevel::Info => "info",
            ToastLevel::Success => "ok",
            ToastLevel::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub level: ToastLevel,
    pub text: String,
    pub expires_at: DateTime<Utc>,
    /// How often it was said in this run of repeats (1 for once).
    pub count: u32,
}

/// One line of `:messages`: a message and how often it came.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub level: ToastLevel,
    pub text: String,
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
        let count = self.remember(level, &text, now);
        if let Some(last) = self.muted.get_mut(&text) {
            if now - *last <= REPEAT_WINDOW {
                *last = now;
                return;
            }
            self.muted.remove(&text);
        }
        let lifetime = if level == ToastLevel::Error {
            TOAST_LIFETIME * 2
        } else {
            TOAST_LIFETIME
        };
        self.items.retain(|t| t.level != level || t.text != text);
        self.items.push(Toast {
            level,
            text,
            expires_at: now + lifetime,
            count,
        });
        if self.items.len() > MAX_TOASTS {
            self.items.remove(0);
        }
    }

    /// Records the message; returns how often it has come in a row of
    /// repeats (each within `REPEAT_WINDOW` of the one before).
    fn remember(&mut self, level: ToastLevel, text: &str, now: DateTime<Utc>) -> u32 {
        let repeat = self
            .history
            .iter()
            .rposition(|m| m.level == level && m.text == text && now - m.last <= REPEAT_WINDOW);
        let message = match repeat.and_then(|i| self.history.remove(i)) {
            Some(mut m) => {
                m.count += 1;
                m.last = now;
                m
            }
            None => Message {
                level,
                text: text.to_string(),
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
            self.muted.insert(t.text, now);
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
