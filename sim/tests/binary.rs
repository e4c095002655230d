//! The `opsdeck-sim` binary as a program drives it: the ready line, control
//! commands on stdin, and a clean exit (files removed) when stdin ends or
//! SIGTERM comes.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

struct Sim {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

impl Sim {
    fn start(args: &[&str]) -> Sim {
        let mut child = Command::new(env!("CARGO_BIN_EXE_opsdeck-sim"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn opsdeck-sim");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Sim {
            child,
            stdin,
            lines,
        }
    }

    fn next_json(&self) -> Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(30))
            .expect("a line from opsdeck-sim");
        serde_json::from_str(&line).expect("JSON line")
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write stdin");
    }

    fn wait(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "opsdeck-sim did not exit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn path(ready: &Value, key: &str) -> PathBuf {
    PathBuf::from(ready[key].as_str().expect(key))
}

#[test]
fn serves_until_stdin_ends_then_removes_its_files() {
    let mut sim = Sim::start(&[
        "--serve",
        "kube",
        "--kube-pods",
        "12",
        "--kube-namespaces",
        "3",
    ]);
    let ready = sim.next_json();
    assert_eq!(ready["ready"], true);
    let dir = path(&ready, "dir");
    let kubeconfig = path(&ready, "kubeconfig");
    assert!(path(&ready, "config").is_file());
    let yaml = std::fs::read_to_string(&kubeconfig).expect("kubeconfig");
    let url = ready["kube_url"].as_str().expect("kube_url");
    assert!(yaml.contains(url), "{yaml}");
    assert_eq!(ready["docker_host"], Value::Null);
    assert_eq!(ready["github_url"], Value::Null);

    sim.send("kube-burst 4");
    assert_eq!(sim.next_json(), serde_json::json!({ "kube_burst": 4 }));
    sim.send("no-such-command");
    assert!(sim.next_json()["error"].is_string());

    sim.stdin = None;
    assert!(sim.wait().success());
    assert!(!dir.exists(), "{} left behind", dir.display());
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly_and_a_named_dir_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    let mut sim = Sim::start(&["--serve", "docker,github", "--dir", dir_arg]);
    let ready = sim.next_json();
    let config = path(&ready, "config");
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(
        text.contains("[docker]") && text.contains("[github]"),
        "{text}"
    );
    assert!(!text.contains("[kubernetes]"), "{text}");
    assert_eq!(ready["kubeconfig"], Value::Null);
    assert!(ready["env"]["GH_TOKEN"].is_string());

    let status = Command::new("kill")
        .args(["-TERM", &sim.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    assert!(sim.wait().success());
    assert!(!config.exists());
    assert!(dir.path().is_dir());
}
