//! The merged runs table. Columns drop out as the width shrinks, the run's
//! title last; status is always a symbol and a word.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::outcome_look;
use crate::core::action::Action;
use crate::core::github::{Run, short_duration};
use crate::core::list::ListId;
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::core::time::short_age;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, MARK, NAME, Props, Width};

/// The TITLE column's place in `columns()`.
const TITLE_COLUMN: usize = 8;

fn columns() -> [Column; 11] {
    [
        Column::new("", Width::Fixed(1), MARK),
        Column::new("STATUS", Width::Fixed(9), 240),
        Column::new("REPO", Width::Fit { min: 4, max: 28 }, 200),
        Column::new("WORKFLOW", Width::Fit { min: 8, max: 20 }, 190),
        Column::new("RUN", Width::Fixed(8), 150),
        Column::new("BRANCH", Width::Fit { min: 6, max: 24 }, 140),
        Column::new("EVENT", Width::Fit { min: 5, max: 17 }, 40),
        Column::new("ACTOR", Width::Fit { min: 5, max: 14 }, 30),
        Column::new("TITLE", Width::Fill { min: 12, weight: 1 }, NAME),
        Column::new("AGE", Width::Fixed(4), 220),
        Column::new("TIME", Width::Fixed(6), 100),
    ]
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) -> (ListId, usize) {
    let pane = &state.github;
    let theme = &look.theme;
    let sep = look.symbols.separator;
    let total = pane.runs.data().map_or(0, |m| m.len());
    let active = pane.active_runs();
    let count = if active > 0 {
        format!("{total} runs {sep} {active} going")
    } else {
        format!("{total} runs")
    };
    let (footer, footer_style, border) =
        match (&state.github_health, pane.repo_errors.values().next()) {
            (SourceHealth::Reconnecting { error, .. }, _) => (
                format!(" {error} (showing last known runs) "),
                theme.error,
                theme.error,
            ),
            (_, Some(e)) => {
                let more = pane.repo_errors.len() - 1;
                let text = if more > 0 {
                    format!(" {e} (+{more} more) ")
                } else {
                    format!(" {e} ")
                };
                (text, theme.error, theme.border)
            }
            _ => (
                table::hints(
                    &state.keymap,
                    &[
                        (Action::Open, "jobs"),
                        (Action::Logs, "log"),
                        (Action::RerunAll, "re-run"),
                        (Action::RerunFailed, "re-run failed"),
                        (Action::Cancel, "cancel"),
                        (Action::Dispatch, "dispatch"),
                    ],
                ),
                theme.muted,
                theme.border,
            ),
        };
    let props = Props {
        title: match pane.loaded_of_total() {
            Some(counts) => format!("Actions {sep} {} repos {sep} {counts}", pane.repos.len()),
            None => format!("Actions {sep} {} repos", pane.repos.len()),
        },
        count: Some(count),
        border,
        footer: Some(Span::styled(footer, footer_style)),
        ..Props::default()
    }
    .with_list(&pane.list);
    let inner = table::draw_frame(frame, area, &props, look);
    let empty = if !pane.list.filter().is_empty() {
        "No run matches the filter. Esc clears it."
    } else if pane.answered.is_empty() {
        "Loading runs..."
    } else {
        "No workflow runs in these repositories yet."
    };
    // A wide screen has room for the full `owner/name`.
    let full_repo = inner.width >= 150;
    let now = state.clock;
    let cells = |key: &_, _selected: bool| Some(run_cells(pane.run(key)?, full_repo, now, look));
    let columns = columns();
    // The run's title and its number open the run on GitHub.
    let link = |key: &_| Some((TITLE_COLUMN, pane.run(key)?.html_url.clone()));
    let body = Body {
        columns: &columns,
        list: &pane.list,
        cells: &cells,
        heading: None,
        empty: Line::from(Span::styled(empty, theme.muted)),
        link: Some(&link),
    };
    (ListId::Runs, table::draw_body(frame, inner, &body, look))
}

fn run_cells<'a>(run: &'a Run, full_repo: bool, now: DateTime<Utc>, look: &Look) -> Vec<Line<'a>> {
    let (symbol, style) = outcome_look(run.outcome(), look);
    let repo = if full_repo {
        run.repo.as_str()
    } else {
        run.repo_short()
    };
    let duration = run.duration(now).map(short_duration).unwrap_or_default();
    vec![
        Line::from(Span::styled(symbol, style)),
        Line::from(Span::styled(run.word(), style)),
        Line::from(repo),
        Line::from(run.workflow.as_str()),
        Line::from(run.number_text()),
        Line::from(run.branch.as_str()),
        Line::from(run.event.as_str()),
        Line::from(run.actor.as_str()),
        Line::from(run.title.as_str()),
        Line::from(short_age(run.created_at, now)),
        Line::from(duration),
    ]
}
