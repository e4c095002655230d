//! Every glyph the UI draws, in a Unicode and a plain-ASCII set (`--ascii`,
//! for terminals and fonts over SSH that mangle box drawing).

use ratatui::symbols::border;

use crate::core::docker::Severity;

#[derive(Debug, Clone, Copy)]
pub struct Symbols {
    pub border: border::Set<'static>,
    pub ok: &'static str,
    pub idle: &'static str,
    pub warning: &'static str,
    pub broken: &'static str,
    /// A CI run or job in progress, queued, cancelled.
    pub running: &'static str,
    pub queued: &'static str,
    pub cancelled: &'static str,
    pub group: &'static str,
    pub separator: &'static str,
    pub ellipsis: &'static str,
}

const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Symbols {
    pub fn unicode() -> Symbols {
        Symbols {
            border: border::ROUNDED,
            ok: "●",
            idle: "○",
            warning: "▲",
            broken: "✖",
            running: "◐",
            queued: "◌",
            cancelled: "⊘",
            group: "▾",
            separator: "│",
            ellipsis: "…",
        }
    }

    pub fn ascii() -> Symbols {
        Symbols {
            border: ASCII_BORDER,
            ok: "+",
            idle: "-",
            warning: "!",
            broken: "X",
            running: "*",
            queued: ".",
            cancelled: "/",
            group: "#",
            separator: "|",
            ellipsis: "~",
        }
    }

    pub fn severity(&self, s: Severity) -> &'static str {
        match s {
            Severity::Ok => self.ok,
            Severity::Idle => self.idle,
            Severity::Warning => self.warning,
            Severity::Broken => self.broken,
        }
    }
}
