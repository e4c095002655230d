//! The simulated container's shell for `pods/exec`: `sh` (interactive, or
//! `sh -c SCRIPT`) with the builtins `echo`, `ls`, `env`, `stty size` and
//! `exit`; anything else is "command not found" (exit 127, as POSIX shells
//! report it). There is no `bash` in the image, so asking for it fails the
//! way a missing binary does, and a client's fallback to `sh` is exercised.
//!
//! With a TTY the container's terminal echoes keys, turns Enter into CR LF
//! and handles Backspace, Ctrl-c and Ctrl-d (the line discipline a real
//! pty gives the shell); without one, input lines run silently.

/// What the shell does next, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Out(Vec<u8>),
    Err(Vec<u8>),
    Exit(i32),
}

pub(crate) enum Program {
    Run(Shell),
    /// The program named is not in the image.
    Missing(String),
}

impl Program {
    pub(crate) fn from_command(command: &[String]) -> Program {
        let first = command.first().map(String::as_str).unwrap_or_default();
        let base = first.rsplit('/').next().unwrap_or(first);
        match base {
            "sh" => {
                let script = match command.get(1).map(String::as_str) {
                    Some("-c") => Some(command.get(2).cloned().unwrap_or_default()),
                    _ => None,
                };
                Program::Run(Shell::new(script))
            }
            "echo" | "ls" | "env" | "stty" | "exit" => {
                Program::Run(Shell::new(Some(command.join(" "))))
            }
            _ => Program::Missing(first.to_string()),
        }
    }
}

pub(crate) struct Shell {
    script: Option<String>,
    tty: bool,
    pod: String,
    env: Vec<(String, String)>,
    line: Vec<u8>,
    /// Columns and rows, as the resize channel last said.
    size: (u16, u16),
    last_status: i32,
}

impl Shell {
    fn new(script: Option<String>) -> Shell {
        Shell {
            script,
            tty: false,
            pod: String::new(),
            env: Vec::new(),
            line: Vec::new(),
            size: (80, 24),
            last_status: 0,
        }
    }

    pub(crate) fn with(mut self, tty: bool, pod: &str, env: Vec<(String, String)>) -> Shell {
        self.tty = tty;
        self.pod = pod.to_string();
        self.env = env;
        self
    }

    fn nl(&self) -> &'static str {
        if self.tty { "\r\n" } else { "\n" }
    }

    fn prompt(&self) -> Step {
        Step::Out(format!("{}:/# ", self.pod).into_bytes())
    }

    /// A script runs to its end at once; an interactive shell prompts.
    pub(crate) fn start(&mut self) -> Vec<Step> {
        let Some(script) = self.script.take() else {
            return if self.tty {
                vec![self.prompt()]
            } else {
                Vec::new()
            };
        };
        let mut steps = Vec::new();
        for line in script.split([';', '\n']) {
            steps.extend(self.run(line));
            if matches!(steps.last(), Some(Step::Exit(_))) {
                return steps;
            }
        }
        steps.push(Step::Exit(self.last_status));
        steps
    }

    pub(crate) fn resize(&mut self, cols: u16, rows: u16) {
        self.size = (cols, rows);
    }

    /// Bytes typed (or piped) on stdin.
    pub(crate) fn input(&mut self, bytes: &[u8]) -> Vec<Step> {
        let mut steps = Vec::new();
        for &b in bytes {
            match b {
                b'\r' | b'\n' => {
                    if self.tty {
                        steps.push(Step::Out(b"\r\n".to_vec()));
                    }
                    let line =
                        String::from_utf8_lossy(&std::mem::take(&mut self.line)).into_owned();
                    steps.extend(self.run(&line));
                    if matches!(steps.last(), Some(Step::Exit(_))) {
                        return steps;
                    }
                    if self.tty {
                        steps.push(self.prompt());
                    }
                }
                0x7f | 0x08 if self.tty => {
                    if self.line.pop().is_some() {
                        steps.push(Step::Out(b"\x08 \x08".to_vec()));
                    }
                }
                0x03 if self.tty => {
                    self.line.clear();
                    steps.push(Step::Out(b"^C\r\n".to_vec()));
                    steps.push(self.prompt());
                }
                0x04 if self.line.is_empty() => {
                    steps.push(Step::Exit(self.last_status));
                    return steps;
                }
                _ => {
                    self.line.push(b);
                    if self.tty {
                        steps.push(Step::Out(vec![b]));
                    }
                }
            }
        }
        steps
    }

    /// One command line.
    fn run(&mut self, line: &str) -> Vec<Step> {
        let words = split_words(line);
        let Some((cmd, args)) = words.split_first() else {
            return Vec::new();
        };
        let nl = self.nl();
        let (steps, status) = match cmd.as_str() {
            "echo" => (
                vec![Step::Out(format!("{}{nl}", args.join(" ")).into_bytes())],
                0,
            ),
            "ls" => {
                let listing = "bin  dev  etc  home  proc  root  sys  tmp  usr  var";
                (vec![Step::Out(format!("{listing}{nl}").into_bytes())], 0)
            }
            "env" => {
                let text: String = self
                    .env
                    .iter()
                    .map(|(k, v)| format!("{k}={v}{nl}"))
                    .collect();
                (vec![Step::Out(text.into_bytes())], 0)
            }
            "stty" if args.first().map(String::as_str) == Some("size") => {
                let (cols, rows) = self.size;
                (
                    vec![Step::Out(format!("{rows} {cols}{nl}").into_bytes())],
                    0,
                )
            }
            "exit" => {
                let code = args
                    .first()
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(self.last_status);
                return vec![Step::Exit(code)];
            }
            other => (
                vec![Step::Err(
                    format!("sh: {other}: command not found{nl}").into_bytes(),
                )],
                127,
            ),
        };
        self.last_status = status;
        steps
    }
}

/// Words split on blanks, with '...' and "..." kept whole (quotes removed).
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(tty: bool) -> Shell {
        match Program::from_command(&["sh".to_string()]) {
            Program::Run(s) => s.with(tty, "web-1", vec![("APP".into(), "shop".into())]),
            Program::Missing(_) => panic!("sh is in the image"),
        }
    }

    fn out(steps: &[Step]) -> String {
        steps
            .iter()
            .filter_map(|s| match s {
                Step::Out(b) | Step::Err(b) => Some(String::from_utf8_lossy(b).into_owned()),
                Step::Exit(_) => None,
            })
            .collect()
    }

    #[test]
    fn a_tty_echoes_runs_on_enter_and_exits_with_the_code_given() {
        let mut sh = shell(true);
        assert_eq!(out(&sh.start()), "web-1:/# ");
        let steps = sh.input(b"echo 'hi there'\r");
        assert_eq!(out(&steps), "echo 'hi there'\r\nhi there\r\nweb-1:/# ");
        let steps = sh.input(b"nope\rexit 3\r");
        assert!(out(&steps).contains("sh: nope: command not found\r\n"));
        assert_eq!(steps.last(), Some(&Step::Exit(3)));
    }

    #[test]
    fn bash_is_missing_and_sh_c_runs_a_script() {
        assert!(matches!(
            Program::from_command(&["bash".into()]),
            Program::Missing(p) if p == "bash"
        ));
        let Program::Run(sh) =
            Program::from_command(&["sh".into(), "-c".into(), "env; exit 4".into()])
        else {
            panic!("sh runs");
        };
        let mut sh = sh.with(false, "p", vec![("HOSTNAME".into(), "p".into())]);
        let steps = sh.start();
        assert_eq!(out(&steps), "HOSTNAME=p\n");
        assert_eq!(steps.last(), Some(&Step::Exit(4)));
    }

    #[test]
    fn stty_size_reports_the_last_resize() {
        let mut sh = shell(false);
        sh.resize(132, 43);
        assert_eq!(out(&sh.input(b"stty size\n")), "43 132\n");
    }
}
