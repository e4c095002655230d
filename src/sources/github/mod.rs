//! The GitHub Actions source: one task owning the octocrab client. It polls
//! each repository's first page of runs with conditional requests (a 304
//! is free), faster while runs are going, fetches the jobs of the run the
//! user opened and job logs on request, runs re-run/cancel/dispatch, and
//! pauses on rate limits, a rejected token or an outage, saying why.

mod api;
pub mod artifacts;
pub mod budget;
pub mod inputs;
mod ops;
mod remote;
mod task;
mod token;
mod wire;
mod worker;

pub use api::{ApiError, classify};
pub use budget::HOURLY_WINDOW;
pub use remote::{discover, origin_url, parse_remote, web_host};
pub use task::{ANSWER_TIMEOUT, GithubSetup, RUNS_PER_PAGE, spawn};
pub use token::{GhCli, Token, TokenOrigin, TokenSource};
pub use worker::Backfill;
