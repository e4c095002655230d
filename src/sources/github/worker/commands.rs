//! Commands from the app, each taken up at once: watches change, one-off
//! requests (logs, actions, attempts) run as tasks of their own.

use tokio::time::Instant;

use crate::core::effect::GitHubCommand;

use super::super::super::kit::write_bundle;
use super::{JobsWatch, Worker, ops};

impl Worker {
    /// Never awaits: a command is taken up the moment it arrives, and the
    /// one-off requests run as tasks of their own.
    pub(super) fn on_command(&mut self, cmd: GitHubCommand) {
        let now = Instant::now();
        match cmd {
            GitHubCommand::LoadOlderRuns => self.load_older_pages(),
            GitHubCommand::PollNow => {
                for r in &mut self.repos {
                    r.due = now;
                    r.again = r.busy;
                }
            }
            GitHubCommand::WatchJobs {
                request,
                repo,
                run_id,
                attempt,
            } => {
                // A poll still in flight for the previous run is dropped on
                // arrival (its request id no longer matches).
                self.jobs = Some(JobsWatch {
                    request,
                    repo,
                    run_id,
                    attempt,
                    etag: None,
                    due: now,
                    active: true,
                    busy: false,
                    again: false,
                    cost: 1.0,
                });
            }
            GitHubCommand::StopJobs => self.jobs = None,
            GitHubCommand::ListAttempts {
                request,
                repo,
                run_id,
                count,
            } => {
                let ctx = self.op_context();
                tokio::spawn(ops::list_attempts(ctx, request, repo, run_id, count));
            }
            GitHubCommand::FetchLog {
                stream,
                repo,
                job_id,
            } => {
                let ctx = self.op_context();
                tokio::spawn(ops::fetch_log(ctx, stream, repo, job_id));
            }
            GitHubCommand::IncidentBundle {
                path,
                item,
                run,
                timeline,
            } => {
                let fetch = ops::bundle(self.op_context(), run);
                write_bundle(self.tx.clone(), path, item, timeline, fetch);
            }
            GitHubCommand::ReadDispatchInputs {
                repo,
                workflow_id,
                branch,
            } => {
                let ctx = self.op_context();
                tokio::spawn(ops::read_dispatch_inputs(ctx, repo, workflow_id, branch));
            }
            GitHubCommand::ListArtifacts { repo, run_id } => {
                let ctx = self.op_context();
                tokio::spawn(super::super::artifacts::list_task(ctx, repo, run_id));
            }
            GitHubCommand::DownloadArtifact {
                repo,
                artifact,
                dir,
            } => {
                let ctx = self.op_context();
                tokio::spawn(super::super::artifacts::download_task(
                    ctx, repo, artifact, dir,
                ));
            }
            GitHubCommand::ReadPendingDeployments { repo, run_id } => {
                let ctx = self.op_context();
                tokio::spawn(ops::read_pending_deployments(ctx, repo, run_id));
            }
            GitHubCommand::Op { ticket, repo, op } => {
                let ctx = self.op_context();
                tokio::spawn(ops::run_op(ctx, ticket, repo, op));
            }
        }
    }

    pub(super) fn op_context(&self) -> ops::Context {
        ops::Context {
            api: self.api.clone(),
            tx: self.tx.clone(),
            stats: self.stats.clone(),
            internal: self.internal_tx.clone(),
        }
    }
}
