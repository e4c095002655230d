use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Look;
use crate::core::state::State;
use crate::core::toast::ToastLevel;

/// Toasts stack up from the bottom-right corner of the body.
pub fn draw(frame: &mut Frame, body: Rect, state: &State, look: &Look) {
    let theme = &look.theme;
    let mut bottom = body.y + body.height;
    for toast in state.toasts.visible().iter().rev() {
        let width = (toast.text.chars().count() as u16 + 4)
            .min(body.width)
            .min(70);
        if bottom < body.y + 3 || width < 6 {
            break;
        }
        let area = Rect {
            x: body.x + body.width - width,
            y: bottom - 3,
            width,
            height: 3,
        };
        let style = match toast.level {
            ToastLevel::Info => theme.text,
            ToastLevel::Success => theme.ok,
            ToastLevel::Error => theme.error,
        };
        frame.render_widget(Clear, area);
        frame.render_widget(
            Paragraph::new(toast.text.as_str()).style(style).block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_set(look.symbols.border)
                    .border_style(style),
            ),
            area,
        );
        bottom -= 3;
    }
}
