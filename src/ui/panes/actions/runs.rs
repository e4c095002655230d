//! The merged runs table. Columns drop out as the width shrinks; status is
//! always a symbol and a word.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{hints, outcome_look};
use crate::core::action::Action;
use crate::core::github::{Run, short_duration};
use crate::core::github_pane::GithubPane;
use crate::core::source::SourceHealth;
use crate::core::state::State;
use crate::core::time::short_age;
use crate::ui::Look;

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) {
    let pane = &state.github;
    let theme = &look.theme;
    let sep = look.symbols.separator;
    let total = pane.runs.data().map_or(0, |m| m.len());
    let mut title = format!(
        " Actions {sep} {} repos {sep} {total} runs ",
        pane.repos.len()
    );
    let active = pane.active_runs();
    if active > 0 {
        title.push_str(&format!("{sep} {active} going "));
    }
    if !pane.filter.is_empty() {
        title.push_str(&format!(
            "{sep} filter \"{}\" ({}) ",
            pane.filter,
            pane.order.len()
        ));
    }
    title.push_str(&format!("{sep} sort: {} ", pane.sort.label()));
    let (bottom, bottom_style, border) =
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
                hints(
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
    let block = Block::default()
        .title(title)
        .title_bottom(Span::styled(bottom, bottom_style))
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if pane.order.is_empty() {
        let text = if !pane.filter.is_empty() {
            "No run matches the filter. Esc clears it."
        } else if pane.answered.is_empty() {
            "Loading runs..."
        } else {
            "No workflow runs in these repositories yet."
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), inner);
        return;
    }
    draw_table(frame, inner, pane, state.clock, look);
}

#[derive(Clone, Copy)]
struct Columns {
    title: bool,
    wide: bool,
}

fn draw_table(frame: &mut Frame, area: Rect, pane: &GithubPane, now: DateTime<Utc>, look: &Look) {
    let theme = &look.theme;
    let cols = Columns {
        title: area.width >= 100,
        wide: area.width >= 150,
    };
    let body_rows = usize::from(area.height.saturating_sub(1));
    let visible: Vec<&Run> = pane
        .order
        .iter()
        .skip(pane.offset)
        .take(body_rows)
        .filter_map(|key| pane.run(key))
        .collect();
    // With a title column to fill, the other text columns are as wide as
    // their longest visible value (capped); without one they share the width.
    let fit = |min: usize, cap: usize, len: &dyn Fn(&Run) -> usize| {
        if cols.title {
            let longest = visible.iter().map(|r| len(r)).max().unwrap_or(0);
            Constraint::Length(longest.clamp(min, cap) as u16)
        } else {
            Constraint::Fill(2)
        }
    };
    let repo_len = |r: &Run| {
        let name = if cols.wide {
            r.repo.as_str()
        } else {
            r.repo_short()
        };
        name.chars().count()
    };
    let mut header = vec!["", "STATUS", "REPO", "WORKFLOW", "RUN", "BRANCH"];
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(9),
        fit(4, 28, &repo_len),
        fit(8, 20, &|r: &Run| r.workflow.chars().count()),
        Constraint::Length(8),
        fit(6, 24, &|r: &Run| r.branch.chars().count()),
    ];
    if cols.wide {
        header.extend(["EVENT", "ACTOR"]);
        widths.extend([Constraint::Length(17), Constraint::Length(14)]);
    }
    if cols.title {
        header.push("TITLE");
        widths.push(Constraint::Fill(1));
    }
    header.extend(["AGE", "TIME"]);
    widths.extend([Constraint::Length(4), Constraint::Length(6)]);

    let selected = pane.selected.as_ref();
    let rows: Vec<Row> = visible
        .into_iter()
        .map(|run| {
            let row = run_row(run, cols, now, look);
            if selected.is_some_and(|k| k.0 == run.repo && k.1 == run.id) {
                row.style(theme.selection)
            } else {
                row
            }
        })
        .collect();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn run_row<'a>(run: &'a Run, cols: Columns, now: DateTime<Utc>, look: &Look) -> Row<'a> {
    let (symbol, style) = outcome_look(run.outcome(), look);
    let repo = if cols.wide {
        run.repo.as_str()
    } else {
        run.repo_short()
    };
    let duration = run.duration(now).map(short_duration).unwrap_or_default();
    let mut cells = vec![
        Cell::from(Span::styled(symbol, style)),
        Cell::from(Span::styled(run.word(), style)),
        Cell::from(repo),
        Cell::from(run.workflow.as_str()),
        Cell::from(run.number_text()),
        Cell::from(run.branch.as_str()),
    ];
    if cols.wide {
        cells.push(Cell::from(run.event.as_str()));
        cells.push(Cell::from(run.actor.as_str()));
    }
    if cols.title {
        cells.push(Cell::from(run.title.as_str()));
    }
    cells.push(Cell::from(short_age(run.created_at, now)));
    cells.push(Cell::from(duration));
    Row::new(cells)
}
