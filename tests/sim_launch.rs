//! The config.toml `opsdeck-sim` writes is one opsdeck accepts, and it
//! points each source at the simulator serving it.

use opsdeck::config::Config;
use opsdeck::sources::github::{Token, TokenSource};
use opsdeck_sim::launch::{LaunchOptions, Launched};

#[tokio::test]
async fn opsdeck_reads_the_config_opsdeck_sim_writes() {
    let launched = Launched::start(LaunchOptions::default())
        .await
        .expect("simulators");
    let (config, _) = Config::load(Some(&launched.config_path())).expect("opsdeck accepts it");
    assert_eq!(config.docker.host, launched.docker_host());
    let github = launched.github.as_ref().expect("GitHub simulator");
    assert_eq!(config.github.api_url, github.base_url());
    assert_eq!(config.github.repos, github.repos());
    // Through the token command alone, as when GH_TOKEN is not set.
    let token = TokenSource {
        command: config.github.token_command.clone(),
        ..TokenSource::default()
    }
    .resolve()
    .await;
    assert_eq!(token, Ok(Token::new(github.token())));
    assert_eq!(config.kubernetes.namespace.as_deref(), Some("*"));
    launched.shutdown().await;
}
