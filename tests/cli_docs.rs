//! `opsdeck completions SHELL` and `opsdeck man`, run as a user would
//! (`opsdeck completions bash > file`): they print without a config, a
//! terminal or any source, and name what the CLI has.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests and benches may panic on what they did not expect

use std::process::Command;

fn opsdeck(args: &[&str]) -> String {
    // A config that would not parse: these must not read it.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "this is = = not toml").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_opsdeck"))
        .arg("--config")
        .arg(&config)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "opsdeck {args:?}: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completions_for_bash_zsh_and_fish_name_the_subcommands_and_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let script = opsdeck(&["completions", shell]);
        for word in [
            "status",
            "timeline",
            "completions",
            "man",
            "demo",
            "log-file",
        ] {
            assert!(script.contains(word), "{shell}: no {word:?}:\n{script}");
        }
    }
    assert!(opsdeck(&["completions", "bash"]).contains("complete -F"));
}

#[test]
fn man_prints_a_page_naming_the_subcommands() {
    let page = opsdeck(&["man"]);
    assert!(page.contains(".TH opsdeck 1"), "{page}");
    for word in ["status", "timeline", "completions", "man", "readonly"] {
        assert!(page.contains(word), "no {word:?}:\n{page}");
    }
}
