//! Open in the browser: the run's and job's addresses come from GitHub's
//! answers (`html_url`), `y` copies them and says them in a toast, and the
//! names on screen carry them as OSC 8 links.

use super::*;

fn toasted(p: &Pane, text: &str) -> bool {
    p.app.state.toasts.history().any(|m| m.text.contains(text))
}

#[tokio::test]
async fn y_copies_the_runs_and_the_jobs_address_and_names_link_to_them() {
    let sim = sim(Scenario::Demo, SimClock::Manual).await;
    let mut p = Pane::start(setup(&sim, &DEMO_REPOS));
    p.until("shop-api", |p| {
        p.app.state.github.answered.contains("acme/shop-api")
    })
    .await;
    let run = p
        .find(|r| r.repo == "acme/shop-api" && r.status == Status::Completed)
        .expect("a finished run");
    let run_url = format!("{}/acme/shop-api/actions/runs/{}", sim.base_url(), run.id);
    assert_eq!(run.html_url, run_url, "read from the answer");
    p.select(&run);
    p.press('y');
    assert!(toasted(&p, &run_url), "the run's address in a toast");
    // On screen, its title links to it.
    let mut look = opsdeck::ui::Look::new(opsdeck::ui::Theme::default(), false);
    look.hyperlinks = true;
    let linked = |state: &mut State, url: &str| {
        let backend = ratatui::backend::TestBackend::new(200, 40);
        let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
        terminal
            .draw(|f| opsdeck::ui::draw(f, state, &look))
            .expect("draw");
        let buf = terminal.backend().buffer().clone();
        buf.content()
            .iter()
            .filter(|c| c.symbol().contains(&format!(";{url}\u{1b}\\")))
            .count()
    };
    assert!(linked(&mut p.app.state, &run_url) >= run.title.chars().count().min(10));
    // A job: its own address, from the jobs answer.
    p.key(KeyCode::Enter);
    p.until("the jobs", |p| {
        let d = p.app.state.github.detail.as_ref();
        d.and_then(|d| d.jobs.data()).is_some_and(|j| !j.is_empty())
    })
    .await;
    let job = p
        .app
        .state
        .github
        .detail
        .as_ref()
        .and_then(|d| d.selected_job())
        .cloned()
        .expect("a job selected");
    let job_url = format!("{run_url}/job/{}", job.id);
    assert_eq!(job.html_url, job_url);
    p.press('y');
    assert!(toasted(&p, &job_url), "the job's address in a toast");
    assert!(
        linked(&mut p.app.state, &job_url) >= 1,
        "the job's name links"
    );
    let commit = format!("{}/acme/shop-api/commit/{}", sim.base_url(), run.head_sha);
    assert_eq!(linked(&mut p.app.state, &commit), 7, "the short sha links");
    sim.shutdown().await;
}
