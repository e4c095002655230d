//! Short-lived messages. Their time is the state's clock (set by each
//! `Msg::Tick`), never a clock read here, so expiry is testable.

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastLevel {
    Info,
    Success,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub level: ToastLevel,
    pub text: String,
    pub expires_at: DateTime<Utc>,
}

/// Recent toasts, newest last; at most a few are shown at once.
#[derive(Debug, Default)]
pub struct Toasts {
    items: Vec<Toast>,
}

const TOAST_LIFETIME: Duration = Duration::seconds(5);
const MAX_TOASTS: usize = 4;

impl Toasts {
    pub fn push(&mut self, level: ToastLevel, text: impl Into<String>, now: DateTime<Utc>) {
        let lifetime = if level == ToastLevel::Error {
            TOAST_LIFETIME * 2
        } else {
            TOAST_LIFETIME
        };
        self.items.push(Toast {
            level,
            text: text.into(),
            expires_at: now + lifetime,
        });
        if self.items.len() > MAX_TOASTS {
            self.items.remove(0);
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toasts_expire_and_are_capped() {
        let now = DateTime::<Utc>::UNIX_EPOCH;
        let mut t = Toasts::default();
        for i in 0..6 {
            t.push(ToastLevel::Info, format!("t{i}"), now);
        }
        assert_eq!(t.visible().len(), MAX_TOASTS);
        assert_eq!(t.visible()[0].text, "t2");
        assert!(!t.expire(now + Duration::seconds(1)));
        assert!(t.expire(now + Duration::seconds(6)));
        assert!(t.visible().is_empty());
    }
}
