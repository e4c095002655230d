//! One run opened: a header naming it, its jobs on the left and the steps
//! of the selected job on the right, updated live while it runs.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::{attempts, outcome_look};
use crate::core::action::Action;
use crate::core::github::{Job, Outcome, Run, Step, short_duration};
use crate::core::github_pane::{JobSort, RunDetail};
use crate::core::list::ListId;
use crate::core::loadable::Loadable;
use crate::core::state::State;
use crate::ui::Look;
use crate::ui::widgets::table::{self, Body, Column, NAME, Width};

pub fn draw(frame: &mut Frame, area: Rect, state: &State, look: &Look) -> Option<(ListId, usize)> {
    let pane = &state.github;
    let detail = pane.detail.as_ref()?;
    let theme = &look.theme;
    let sep = look.symbols.separator;
    let now = state.clock;
    let latest = pane.run(&detail.key);
    // An older attempt is shown as itself: its status, time and actor.
    let run = detail.attempt.as_ref().or(latest);
    let mut title = match run {
        Some(r) => format!(" {} {sep} {} {} ", r.repo, r.workflow, r.number_text()),
        None => format!(" {} run {} ", detail.key.0, detail.key.1),
    };
    if let (Some(old), Some(latest)) = (&detail.attempt, latest) {
        title.push_str(&format!(
            "{sep} attempt {} of {} ",
            old.attempt, latest.attempt
        ));
    }
    // The title names the run; the jobs' filter and sort join it only when
    // set, since GitHub's own order is what a run's page shows.
    if !detail.list.filter().is_empty() {
        let (text, n) = (detail.list.filter(), detail.list.len());
        title.push_str(&format!("{sep} jobs filter \"{text}\" ({n}) "));
    }
    if detail.list.sort() != JobSort::default() {
        title.push_str(&format!("{sep} sort: {} ", detail.list.sort_label()));
    }
    let block = Block::default()
        .title(title)
        .title_bottom(Span::styled(
            table::hints(
                &state.keymap,
                &[
                    (Action::Logs, "log"),
                    (Action::RerunJob, "re-run job"),
                    (Action::RerunAll, "all"),
                    (Action::RerunFailed, "failed"),
                    (Action::Cancel, "cancel"),
                    (Action::Attempts, "attempts"),
                    (Action::Back, "back"),
                ],
            ),
            theme.muted,
        ))
        .borders(Borders::ALL)
        .border_set(look.symbols.border)
        .border_style(theme.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    if let Some(r) = run {
        let (symbol, style) = outcome_look(r.outcome(), look);
        let took = r.duration(now).map(short_duration).unwrap_or_default();
        let sha = r.head_sha.get(..7).unwrap_or(&r.head_sha);
        let lines = vec![
            Line::from(vec![
                Span::styled(format!("{symbol} {}", r.word()), style),
                Span::styled(
                    format!("  {took}  {} {} by {}  {}", r.branch, r.event, r.actor, sha),
                    theme.text,
                ),
            ]),
            Line::from(Span::styled(r.title.as_str(), theme.muted)),
        ];
        // The commit is the line's end: its short sha links to it.
        let sha_end = u16::try_from(lines[0].width()).unwrap_or(u16::MAX);
        frame.render_widget(Paragraph::new(lines), head);
        if look.hyperlinks {
            link_header(frame, head, r, (sha_end, sha.len() as u16));
        }
    }
    if let Some(list) = &detail.attempts {
        return attempts::draw(frame, body, list, (now, state.settings.utc_offset), look);
    }
    let jobs = match &detail.jobs {
        Loadable::Loaded(jobs) => jobs,
        Loadable::Failed { error, stale } => match stale {
            Some(jobs) => jobs,
            None => {
                let text = format!("Could not load the jobs: {error}");
                frame.render_widget(Paragraph::new(Span::styled(text, theme.error)), body);
                return None;
            }
        },
        Loadable::Loading { stale: Some(jobs) } => jobs,
        Loadable::Loading { stale: None } | Loadable::NotLoaded => {
            frame.render_widget(
                Paragraph::new(Span::styled("Loading jobs...", theme.muted)),
                body,
            );
            return None;
        }
    };
    if jobs.is_empty() {
        let text = "No jobs yet: the run is waiting for a runner or an approval.";
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), body);
        return None;
    }
    let left = (body.width * 2 / 5).clamp(24, 60);
    let [jobs_area, steps_area] =
        Layout::horizontal([Constraint::Length(left), Constraint::Min(10)]).areas(body);
    let rows = draw_jobs(frame, jobs_area, detail, jobs, now, look);
    if let Some(job) = detail.selected_job() {
        draw_steps(frame, steps_area, job, now, look);
    }
    Some((ListId::Jobs, rows))
}

/// The short sha links to the commit, the run's title to the run.
fn link_header(frame: &mut Frame, head: Rect, run: &Run, (end, len): (u16, u16)) {
    let buf = frame.buffer_mut();
    if let Some(url) = run.commit_url()
        && end <= head.width
    {
        let at = Rect::new(head.x + end - len, head.y, len, 1);
        crate::ui::hyperlink::link(buf, at, &url);
    }
    if head.height > 1 {
        let title = Rect::new(head.x, head.y + 1, head.width, 1);
        crate::ui::hyperlink::link(buf, title, &run.html_url);
    }
}

fn draw_jobs(
    frame: &mut Frame,
    area: Rect,
    detail: &RunDetail,
    jobs: &[Job],
    now: DateTime<Utc>,
    look: &Look,
) -> usize {
    let columns = [
        Column::new("", Width::Fixed(1), 250),
        Column::new("JOB", Width::Fill { min: 8, weight: 1 }, NAME),
        Column::new("TIME", Width::Fixed(6), 200),
    ];
    let cells = |id: &u64, _selected: bool| {
        let job = jobs.iter().find(|j| j.id == *id)?;
        let (symbol, style) = outcome_look(job.outcome(), look);
        let (done, all) = job.progress();
        let right = match job.outcome() {
            Outcome::Running => format!("{done}/{all}"),
            _ => job.duration(now).map(short_duration).unwrap_or_default(),
        };
        Some(vec![
            Line::from(Span::styled(symbol, style)),
            Line::from(job.name.as_str()),
            Line::from(right),
        ])
    };
    // The job's name opens its page on GitHub.
    let link = |id: &u64| Some((1, jobs.iter().find(|j| j.id == *id)?.html_url.clone()));
    let body = Body {
        columns: &columns,
        list: &detail.list,
        cells: &cells,
        heading: None,
        empty: Line::default(),
        link: Some(&link),
    };
    table::draw_body(frame, area, &body, look)
}

fn draw_steps(frame: &mut Frame, area: Rect, job: &Job, now: DateTime<Utc>, look: &Look) {
    let theme = &look.theme;
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_set(look.symbols.border)
        .border_style(theme.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (done, all) = job.progress();
    let header = format!("STEPS of {} ({done}/{all}, {})", job.name, job.word());
    let [header_area, inner] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Span::styled(header, theme.header)),
        header_area,
    );
    if job.steps.is_empty() {
        let text = "No steps yet: the job has not started.";
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted)), inner);
        return;
    }
    let rows_fit = usize::from(inner.height).max(1);
    // Keep the step that is running (or the last one) in view.
    let focus = job
        .steps
        .iter()
        .position(|s| s.outcome() == Outcome::Running)
        .or_else(|| {
            job.steps
                .iter()
                .position(|s| s.outcome() == Outcome::Failure)
        })
        .unwrap_or(0);
    let offset = (focus + 1).saturating_sub(rows_fit);
    let rows: Vec<Row> = job
        .steps
        .iter()
        .skip(offset)
        .take(rows_fit)
        .map(|step| step_row(step, now, look))
        .collect();
    let widths = [
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Fill(1),
        Constraint::Length(6),
    ];
    frame.render_widget(Table::new(rows, widths).column_spacing(1), inner);
}

fn step_row<'a>(step: &'a Step, now: DateTime<Utc>, look: &Look) -> Row<'a> {
    let (symbol, style) = outcome_look(step.outcome(), look);
    let took = match (step.started_at, step.completed_at, step.outcome()) {
        (Some(s), Some(e), _) if e >= s => short_duration(e - s),
        (Some(s), None, Outcome::Running) if now >= s => short_duration(now - s),
        _ => String::new(),
    };
    let name_style = match step.outcome() {
        Outcome::Running => look.theme.accent,
        Outcome::Failure => look.theme.error,
        Outcome::Queued | Outcome::Skipped => look.theme.muted,
        _ => look.theme.text,
    };
    Row::new(vec![
        Cell::from(Span::styled(symbol, style)),
        Cell::from(step.number.to_string()),
        Cell::from(Span::styled(step.name.as_str(), name_style)),
        Cell::from(took),
    ])
}
