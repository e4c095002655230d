//! The worlds the simulator can start with, and the demo's source of new
//! runs. Everything is seeded: the same scenario gives the same runs.

use chrono::Duration;

use super::engine::{self, Plan, Rerun};
use super::model::{Commit, Time};
use super::stacks::Stack;
use super::world::{Trigger, World};

/// The world the simulator starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// acme/shop-api (Rust), acme/web (Node), acme/infra (Terraform), each
    /// with CI, Deploy and Nightly; a day of history (failures included),
    /// runs in progress, and new runs arriving every minute or two.
    Demo,
    /// `repos` repositories (acme/svc-00 …) with `runs_per_repo` completed
    /// runs each. Nothing changes, so conditional polls get 304.
    Scale { repos: usize, runs_per_repo: usize },
    /// One repository, acme/empty, with the three workflows and no runs.
    Empty,
    /// `busy` repositories (acme/busy-00 …) where pushes start a run every
    /// few seconds each, so their first page changes at almost every poll,
    /// and `quiet` ones (acme/quiet-00 …) where nothing happens: the
    /// polling budget's bench.
    Busy { busy: usize, quiet: usize },
}

/// Seconds between two new runs of a busy repository, on average.
const BUSY_GAP_SECS: u64 = 4;

/// Workflow indexes in `stacks::workflows`.
const CI: usize = 0;
const DEPLOY: usize = 1;
const NIGHTLY: usize = 2;

const ACTORS: [&str; 5] = ["mara-k", "devon-li", "sam-okafor", "priya-n", "jonas-w"];
const FEATURES: [&str; 4] = [
    "feat/order-export",
    "fix/refund-rounding",
    "chore/bump-deps",
    "feat/dark-mode",
];
const MESSAGES: [&str; 10] = [
    "Fix rounding of partial refunds",
    "Add CSV export for orders",
    "Bump serde from 1.0.228 to 1.0.229",
    "Retry payment webhooks with backoff",
    "Cache product lookups for 30s",
    "Tidy up error messages in checkout",
    "Remove the legacy v1 endpoints",
    "Add index on orders.created_at",
    "Make the health check cheaper",
    "Update README with local setup steps",
];

/// xorshift64*: small, seeded, good enough for picking demo events.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = self.below(items.len() as u64) as usize;
        items.get(i).copied().unwrap_or("main")
    }

    fn sha(&mut self) -> String {
        format!(
            "{:016x}{:016x}{:08x}",
            self.next(),
            self.next(),
            self.next() as u32
        )
    }

    fn commit(&mut self, at: Time) -> Commit {
        let author = self.pick(&ACTORS);
        Commit {
            sha: self.sha(),
            tree_id: self.sha(),
            message: self.pick(&MESSAGES).to_string(),
            author: author.to_string(),
            email: format!("{author}@users.noreply.github.com"),
            timestamp: at - Duration::seconds(20),
        }
    }

    /// Mostly green, like a healthy project: the failures are what matter.
    fn plan(&mut self, jobs: usize, pull_request: bool) -> Plan {
        let job = self.below(jobs.max(1) as u64) as usize;
        match self.below(100) {
            0..=75 => Plan::Success,
            76..=89 => Plan::FailJob(job),
            90..=93 => Plan::CancelAfter(20 + self.below(40) as u32),
            94..=95 => Plan::TimeoutJob(job),
            _ if pull_request => Plan::NeedsApproval,
            _ => Plan::Success,
        }
    }
}

/// Starts new runs in the demo as simulated time passes.
pub(crate) struct Spawner {
    rng: Rng,
    next_at: Time,
    /// New runs go to the first this many repositories.
    repos: usize,
    /// Milliseconds between two runs: at least `gap_ms.0`, plus up to `gap_ms.1`.
    gap_ms: (u64, u64),
}

impl Spawner {
    pub(crate) fn spawn_due(&mut self, world: &mut World, now: Time) {
        // After a long jump in time, do not flood: start at most a few
        // runs, then carry on from now.
        let mut budget = 20;
        while self.next_at <= now && budget > 0 {
            let at = self.next_at;
            random_run(world, &mut self.rng, at, self.repos);
            let gap = self.gap_ms.0 + self.rng.below(self.gap_ms.1);
            self.next_at = at + Duration::milliseconds(gap as i64);
            budget -= 1;
        }
        if self.next_at <= now {
            self.next_at = now + Duration::milliseconds(self.gap_ms.0 as i64);
        }
    }
}

fn random_run(world: &mut World, rng: &mut Rng, at: Time, among: usize) -> Option<u64> {
    let repo = rng.below(among.min(world.repos.len()) as u64) as usize;
    let (workflow, event, branch) = match rng.below(10) {
        0..=4 => (CI, "push", "main".to_string()),
        5..=7 => (CI, "pull_request", rng.pick(&FEATURES).to_string()),
        _ => (DEPLOY, "push", "main".to_string()),
    };
    let jobs = world
        .repos
        .get(repo)?
        .workflows
        .get(workflow)?
        .spec
        .jobs
        .len();
    let plan = rng.plan(jobs, event == "pull_request");
    let commit = (event != "workflow_dispatch").then(|| rng.commit(at));
    let actor = commit
        .as_ref()
        .map_or("mara-k".to_string(), |c| c.author.clone());
    world.start_run(Trigger {
        repo,
        workflow,
        event,
        branch,
        actor,
        at,
        plan,
        commit,
    })
}

pub(crate) fn populate(world: &mut World, scenario: Scenario) {
    let now = world.now();
    let mut rng = Rng::new(0x0d5d_ec4a_11ce);
    match scenario {
        Scenario::Demo => demo(world, &mut rng, now),
        Scenario::Scale {
            repos,
            runs_per_repo,
        } => {
            for i in 0..repos {
                let head = rng.commit(now - Duration::days(30));
                world.add_repo("acme", &format!("svc-{i:02}"), Stack::Rust, head);
            }
            for i in 0..repos {
                history(world, &mut rng, i, runs_per_repo, now, 20);
            }
        }
        Scenario::Empty => {
            let head = rng.commit(now - Duration::days(1));
            world.add_repo("acme", "empty", Stack::Rust, head);
        }
        Scenario::Busy { busy, quiet } => {
            let names = (0..busy)
                .map(|i| format!("busy-{i:02}"))
                .chain((0..quiet).map(|i| format!("quiet-{i:02}")));
            for name in names {
                let head = rng.commit(now - Duration::days(30));
                world.add_repo("acme", &name, Stack::Rust, head);
            }
            for i in 0..busy + quiet {
                history(world, &mut rng, i, 20, now, 20);
            }
            // Spread over the busy repositories: each sees a new run every
            // BUSY_GAP_SECS on average.
            let gap = BUSY_GAP_SECS * 1000 / busy.max(1) as u64;
            world.spawner = Some(Spawner {
                rng: Rng::new(rng.next()),
                next_at: now,
                repos: busy,
                gap_ms: (gap / 2, gap.max(1)),
            });
        }
    }
    world.progress(now);
}

/// `count` past runs, `spacing_min` minutes apart, all finished by `now`.
fn history(world: &mut World, rng: &mut Rng, repo: usize, count: usize, now: Time, spacing: i64) {
    for i in 0..count {
        let back = (count - i) as i64 * spacing + 15;
        let at = now - Duration::minutes(back) + Duration::seconds(rng.below(300) as i64);
        let (workflow, event, branch) = match (i % 9, i % 4) {
            (4, _) => (NIGHTLY, "schedule", "main".to_string()),
            (_, 1) => (CI, "pull_request", rng.pick(&FEATURES).to_string()),
            (8, _) => (DEPLOY, "push", "main".to_string()),
            _ => (CI, "push", "main".to_string()),
        };
        let jobs = world
            .repos
            .get(repo)
            .and_then(|r| r.workflows.get(workflow))
            .map_or(1, |w| w.spec.jobs.len());
        let plan = rng.plan(jobs, event == "pull_request");
        let commit = (event != "schedule").then(|| rng.commit(at));
        let actor = commit
            .as_ref()
            .map_or("mara-k".to_string(), |c| c.author.clone());
        world.start_run(Trigger {
            repo,
            workflow,
            event,
            branch,
            actor,
            at,
            plan,
            commit,
        });
    }
}

fn demo(world: &mut World, rng: &mut Rng, now: Time) {
    for (name, stack) in [
        ("shop-api", Stack::Rust),
        ("web", Stack::Node),
        ("infra", Stack::Terraform),
    ] {
        let head = rng.commit(now - Duration::days(2));
        world.add_repo("acme", name, stack, head);
    }
    for repo in 0..world.repos.len() {
        history(world, rng, repo, 22, now, 70);
    }
    let mut at = |world: &mut World, repo, workflow, event, branch: &str, ago: i64, plan| {
        let when = now - Duration::seconds(ago);
        let commit = Some(rng.commit(when));
        let actor = commit.as_ref().map_or(String::new(), |c| c.author.clone());
        world.start_run(Trigger {
            repo,
            workflow,
            event,
            branch: branch.to_string(),
            actor,
            at: when,
            plan,
            commit,
        })
    };
    // shop-api: a flaky test failed yesterday and passed on re-run …
    if let Some(id) = at(world, 0, CI, "push", "main", 5 * 3600, Plan::FailJob(1)) {
        rerun_in_history(world, 0, id, now - Duration::seconds(5 * 3600 - 600));
    }
    // … and fails again on the latest push to main.
    at(world, 0, CI, "push", "main", 420, Plan::FailJob(1));
    // web: a pull request being tested right now, and a deploy on its way.
    at(
        world,
        1,
        CI,
        "pull_request",
        "feat/dark-mode",
        40,
        Plan::Success,
    );
    story_run(world, now);
    at(world, 1, DEPLOY, "push", "main", 15, Plan::Success);
    // web: a first-time contributor's pull request waits for approval.
    at(
        world,
        1,
        CI,
        "pull_request",
        "feat/order-export",
        3 * 3600,
        Plan::NeedsApproval,
    );
    // infra: terraform plan is broken on main (a re-run will not fix it).
    at(world, 2, CI, "push", "main", 900, Plan::FailJob(0));
    world.spawner = Some(Spawner {
        rng: Rng::new(rng.next()),
        next_at: now + Duration::seconds(30),
        repos: world.repos.len(),
        gap_ms: (45_000, 75_000),
    });
}

/// acme/web's deploy of [`crate::story::COMMIT`], whose image the
/// Kubernetes simulator's shop/storefront rolls out: a commit of its own
/// (not drawn from the generator, so the rest of the demo stays as it was).
fn story_run(world: &mut World, now: Time) {
    use crate::story;
    let Some(repo) = world.repo_index(story::REPO_OWNER, story::REPO_NAME) else {
        return;
    };
    let at = now - Duration::from_std(story::RUN_STARTED_AGO).unwrap_or_default();
    let commit = Commit {
        sha: story::COMMIT.to_string(),
        tree_id: story::COMMIT.chars().rev().collect(),
        message: story::COMMIT_MESSAGE.to_string(),
        author: story::AUTHOR.to_string(),
        email: format!("{}@users.noreply.github.com", story::AUTHOR),
        timestamp: at - Duration::seconds(40),
    };
    world.start_run(Trigger {
        repo,
        workflow: DEPLOY,
        event: "push",
        branch: "main".to_string(),
        actor: story::AUTHOR.to_string(),
        at,
        plan: Plan::Success,
        commit: Some(commit),
    });
}

fn rerun_in_history(world: &mut World, repo: usize, run_id: u64, at: Time) {
    let World { repos, ids, .. } = world;
    let Some(repo) = repos.get_mut(repo) else {
        return;
    };
    let Some(run) = repo.run_index(run_id).and_then(|i| repo.runs.get_mut(i)) else {
        return;
    };
    if let Some(attempt) = run.latest_mut() {
        engine::advance_attempt(attempt, at);
    }
    engine::rerun(ids, run, Rerun::Failed, at);
}
