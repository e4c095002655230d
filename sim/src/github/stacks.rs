//! Workflow definitions of the simulated repositories: a Rust service, a
//! Node front-end and a Terraform repository, each with CI, Deploy and
//! Nightly. Step names and durations follow what hosted runners show for
//! such workflows.

use super::model::{JobSpec, StepKind, StepSpec, Tool, WorkflowSpec};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stack {
    Rust,
    Node,
    Terraform,
}

const fn step(name: &'static str, secs: u32, kind: StepKind) -> StepSpec {
    StepSpec { name, secs, kind }
}

const SET_UP: StepSpec = step("Set up job", 2, StepKind::SetUpJob);
const CHECKOUT: StepSpec = step("Run actions/checkout@v4", 2, StepKind::Checkout);
const POST_CHECKOUT: StepSpec = step("Post Run actions/checkout@v4", 1, StepKind::PostCheckout);
const COMPLETE: StepSpec = step("Complete job", 1, StepKind::CompleteJob);

fn run(name: &'static str, secs: u32, tool: Tool) -> StepSpec {
    step(name, secs, StepKind::Run(tool))
}

fn action(name: &'static str, secs: u32) -> StepSpec {
    // The action reference is the step name without its "Run " prefix.
    let uses = name.strip_prefix("Run ").unwrap_or(name);
    step(name, secs, StepKind::Action(uses))
}

/// Wraps the job's own steps with the ones every hosted job has.
fn job(name: &'static str, needs: Option<usize>, own: Vec<StepSpec>, fragile: usize) -> JobSpec {
    let mut steps = vec![SET_UP, CHECKOUT];
    steps.extend(own);
    steps.push(POST_CHECKOUT);
    steps.push(COMPLETE);
    JobSpec {
        name,
        needs,
        // +2: "Set up job" and the checkout come first.
        fragile_step: fragile + 2,
        steps,
        persistent: false,
        main_only: false,
    }
}

pub(crate) fn workflows(stack: Stack) -> Vec<WorkflowSpec> {
    vec![ci(stack), deploy(stack), nightly(stack)]
}

fn ci(stack: Stack) -> WorkflowSpec {
    let jobs = match stack {
        Stack::Rust => {
            let toolchain = || action("Run dtolnay/rust-toolchain@stable", 6);
            let cache = || action("Run Swatinem/rust-cache@v2", 5);
            vec![
                job(
                    "lint",
                    None,
                    vec![
                        toolchain(),
                        cache(),
                        run(
                            "Run cargo clippy --all-targets -- -D warnings",
                            24,
                            Tool::CargoClippy,
                        ),
                    ],
                    2,
                ),
                job(
                    "test",
                    None,
                    vec![
                        toolchain(),
                        cache(),
                        run("Run cargo build --locked", 38, Tool::CargoBuild),
                        run("Run cargo test --locked", 31, Tool::CargoTest),
                    ],
                    3,
                ),
            ]
        }
        Stack::Node => {
            let node = || action("Run actions/setup-node@v4", 4);
            let npm_ci = || run("Run npm ci", 19, Tool::NpmCi);
            vec![
                job(
                    "build",
                    None,
                    vec![
                        node(),
                        npm_ci(),
                        run("Run npm run build", 27, Tool::NpmBuild),
                    ],
                    2,
                ),
                job(
                    "test",
                    None,
                    vec![node(), npm_ci(), run("Run npm test", 33, Tool::NpmTest)],
                    2,
                ),
            ]
        }
        Stack::Terraform => {
            let mut plan = job(
                "plan",
                None,
                vec![
                    action("Run hashicorp/setup-terraform@v3", 4),
                    run("Run terraform plan -input=false", 29, Tool::TerraformPlan),
                ],
                1,
            );
            // A plan that fails because of the code does not pass on re-run.
            plan.persistent = true;
            vec![plan]
        }
    };
    WorkflowSpec {
        name: "CI",
        file: "ci.yml",
        dispatchable: true,
        inputs: "",
        jobs,
    }
}

fn deploy(stack: Stack) -> WorkflowSpec {
    let build = match stack {
        Stack::Rust => run("Run cargo build --release --locked", 52, Tool::CargoBuild),
        Stack::Node => run("Run npm run build", 27, Tool::NpmBuild),
        Stack::Terraform => run("Run terraform plan -input=false", 29, Tool::TerraformPlan),
    };
    let mut release = job(
        "deploy",
        Some(0),
        vec![
            run("Run ./scripts/deploy.sh production", 21, Tool::Deploy),
            run("Run ./scripts/smoke-test.sh", 9, Tool::Smoke),
        ],
        1,
    );
    release.main_only = true;
    WorkflowSpec {
        name: "Deploy",
        file: "deploy.yml",
        dispatchable: true,
        // One input of each kind the form asks for.
        inputs: DEPLOY_INPUTS,
        jobs: vec![job("build", None, vec![build], 0), release],
    }
}

fn nightly(stack: Stack) -> WorkflowSpec {
    let own = match stack {
        Stack::Rust => vec![
            action("Run dtolnay/rust-toolchain@stable", 6),
            run(
                "Run cargo test --release -- --include-ignored",
                64,
                Tool::CargoTest,
            ),
        ],
        Stack::Node => vec![
            action("Run actions/setup-node@v4", 4),
            run("Run npm ci", 19, Tool::NpmCi),
            run("Run npm test -- --runInBand", 58, Tool::NpmTest),
        ],
        Stack::Terraform => vec![
            action("Run hashicorp/setup-terraform@v3", 4),
            run(
                "Run terraform plan -input=false -detailed-exitcode",
                41,
                Tool::TerraformPlan,
            ),
        ],
    };
    let fragile = own.len().saturating_sub(1);
    WorkflowSpec {
        name: "Nightly",
        file: "nightly.yml",
        dispatchable: true,
        inputs: NIGHTLY_INPUTS,
        jobs: vec![job("e2e", None, own, fragile)],
    }
}

const DEPLOY_INPUTS: &str = "      environment:
        description: Where to deploy
        required: true
        type: choice
        options:
          - staging
          - production
        default: staging
      dry_run:
        description: Print the plan, change nothing
        type: boolean
        default: false
      version:
        description: Release tag to deploy, e.g. v1.4.2
        required: true
        type: string
      replicas:
        description: Instances to run
        type: number
        default: 2
";

const NIGHTLY_INPUTS: &str = "      debug:
        description: Verbose test output
        type: boolean
        default: false
";
