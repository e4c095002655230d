use super::*;

fn only_kube(dir: Option<PathBuf>) -> LaunchOptions {
    LaunchOptions {
        docker: None,
        github: None,
        kube: Some(KubeScenario::Scale {
            pods: 20,
            namespaces: 2,
        }),
        dir,
    }
}

#[test]
fn shell_quote_leaves_plain_words_alone() {
    assert_eq!(shell_quote("tcp://127.0.0.1:2375"), "tcp://127.0.0.1:2375");
    assert_eq!(shell_quote("/tmp/a b"), "'/tmp/a b'");
    assert_eq!(shell_quote("it's"), r"'it'\''s'");
    assert_eq!(shell_quote(""), "''");
}

#[test]
fn config_has_only_the_served_sections() {
    let all = text::config_toml(&text::Endpoints {
        docker_host: Some("tcp://127.0.0.1:1".into()),
        github: Some((
            "http://127.0.0.1:2".into(),
            vec!["acme/web".into(), "acme/infra".into()],
            "ghp_fake".into(),
        )),
        kube: true,
    });
    assert!(
        all.contains("[docker]\nhost = \"tcp://127.0.0.1:1\"\n"),
        "{all}"
    );
    assert!(
        all.contains("repos = [\"acme/web\", \"acme/infra\"]\n"),
        "{all}"
    );
    assert!(
        all.contains("token_command = \"printf '%s\\\\n' ghp_fake\"\n"),
        "{all}"
    );
    assert!(all.contains("[kubernetes]\nnamespace = \"*\""), "{all}");
    let kube = text::config_toml(&text::Endpoints {
        docker_host: None,
        github: None,
        kube: true,
    });
    assert!(
        !kube.contains("[docker]") && !kube.contains("[github]"),
        "{kube}"
    );
}

#[tokio::test]
async fn named_dir_keeps_what_was_there_and_loses_what_was_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = dir.path().join("mine.txt");
    std::fs::write(&before, "keep").expect("write");
    let launched = Launched::start(only_kube(Some(dir.path().to_path_buf())))
        .await
        .expect("start");
    let kubeconfig = launched.kubeconfig_path().expect("kubeconfig");
    let config = launched.config_path();
    assert!(kubeconfig.is_file() && config.is_file());
    let ready = launched.ready_json();
    assert_eq!(ready["ready"], true);
    assert_eq!(ready["docker_host"], Value::Null);
    assert_eq!(ready["env"]["KUBECONFIG"], kubeconfig.display().to_string());
    assert!(ready["env"].get("GH_TOKEN").is_none());
    let command = ready["command"].as_str().expect("command");
    assert!(command.starts_with("KUBECONFIG="), "{command}");
    launched.shutdown().await;
    assert!(!kubeconfig.exists() && !config.exists());
    assert!(
        before.is_file(),
        "a file the simulator did not write was removed"
    );
}

#[tokio::test]
async fn temporary_dir_goes_away() {
    let launched = Launched::start(only_kube(None)).await.expect("start");
    let dir = launched.dir().to_path_buf();
    assert!(dir.join(CONFIG_FILE).is_file());
    launched.shutdown().await;
    assert!(!dir.exists());
}

#[tokio::test]
async fn control_lines_answer_in_json_and_never_fail() {
    let launched = Launched::start(only_kube(None)).await.expect("start");
    assert_eq!(launched.control("   "), None);
    assert_eq!(
        launched.control("kube-burst 5"),
        Some(json!({ "kube_burst": 5 }))
    );
    for bad in ["kube-burst", "kube-burst x", "kube-burst 1 2", "reboot"] {
        let answer = launched.control(bad).expect("answer");
        assert!(answer["error"].is_string(), "{bad}: {answer}");
    }
    launched.shutdown().await;
}

#[tokio::test]
async fn all_three_point_opsdeck_at_loopback() {
    let launched = Launched::start(LaunchOptions::default())
        .await
        .expect("start");
    let config = std::fs::read_to_string(launched.config_path()).expect("config");
    assert!(config.contains("\"acme/shop-api\""), "{config}");
    let env = launched.env();
    let names: Vec<&str> = env.iter().map(|(k, _)| *k).collect();
    assert_eq!(names, ["DOCKER_HOST", "KUBECONFIG", "GH_TOKEN"]);
    assert!(
        env.iter()
            .all(|(k, v)| *k == "KUBECONFIG" || v.contains("127.0.0.1") || v.starts_with("ghp_"))
    );
    let words = launched.instructions();
    assert!(words.contains(&launched.command()), "{words}");
    launched.shutdown().await;
}

#[tokio::test]
async fn never_overwrites_a_config_in_the_named_dir() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mine = dir.path().join(CONFIG_FILE);
    std::fs::write(&mine, "# the user's own\n").expect("write");
    let err = match Launched::start(only_kube(Some(dir.path().to_path_buf()))).await {
        Ok(_) => panic!("started over an existing config.toml"),
        Err(e) => e,
    };
    assert!(err.to_string().contains("exists already"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&mine).expect("read"),
        "# the user's own\n"
    );
    // What it had written before it stopped is gone.
    assert!(!dir.path().join(KUBECONFIG_FILE).exists());
}
