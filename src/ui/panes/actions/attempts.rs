//! A run's attempts (`a` in its jobs), newest first: status, when each
//! started (local time), how long it took and who started it.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::outcome_look;
use crate::core::github::short_duration;
use crate::core::github_attempts::AttemptList;
use crate::core::list::ListId;
use crate::core::loadable::Loadable;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, NAME, Width};

pub fn draw(
    frame: &mut Frame,
    area: Rect,
    list: &AttemptList,
    (now, offset): (DateTime<Utc>, chrono::FixedOffset),
    look: &Look,
) -> Option<(ListId, usize)> {
    let theme = &look.theme;
    let attempts = match &list.attempts {
        Loadable::Loaded(a) => a,
        Loadable::Failed { error, .. } => {
            let text = format!("Could not read the attempts: {error}");
            frame.render_widget(Paragraph::new(Span::styled(text, theme.error)), area);
            return None;
        }
        _ => {
            let text = "Reading the run's attempts...";
            frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), area);
            return None;
        }
    };
    let columns = [
        Column::new("ATTEMPT", Width::Fixed(8), NAME),
        Column::new("STATUS", Width::Fixed(12), 240),
        Column::new("STARTED", Width::Fixed(17), 150),
        Column::new("TIME", Width::Fixed(7), 200),
        Column::new("BY", Width::Fill { min: 6, weight: 1 }, 100),
    ];
    let cells = |n: &u32, _selected: bool| {
        let run = attempts.iter().find(|r| r.attempt == *n)?;
        let (symbol, style) = outcome_look(run.outcome(), look);
        let started = run
            .started_at
            .unwrap_or(run.created_at)
            .with_timezone(&offset)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        Some(vec![
            Line::from(format!("#{n}")),
            Line::from(Span::styled(format!("{symbol} {}", run.word()), style)),
            Line::from(started),
            Line::from(run.duration(now).map(short_duration).unwrap_or_default()),
            Line::from(run.actor.as_str()),
        ])
    };
    let body = Body {
        columns: &columns,
        list: &list.list,
        cells: &cells,
        heading: None,
        empty: Line::from("No attempts."),
        link: None,
    };
    Some((ListId::Attempts, table::draw_body(frame, area, &body, look)))
}
