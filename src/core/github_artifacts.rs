//! `b` in a run's jobs: the run's artifacts (name, size, expiry) in a
//! dialog; `Enter` downloads the selected one with its progress shown, into
//! the current directory or one typed after `o`; an expired one is refused
//! in plain words.

use super::key::KeyCode;

/// One artifact as GitHub lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    pub id: u64,
    pub name: String,
    pub size: u64,
    pub expired: bool,
    pub expires_at: Option<String>,
}

/// A download under way or finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Download {
    Going { id: u64, done: u64, total: u64 },
    Saved(String),
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactsView {
    pub repo: String,
    pub run_id: u64,
    pub label: String,
    /// None until the list is read.
    pub items: Option<Result<Vec<Artifact>, String>>,
    pub selected: usize,
    pub download: Option<Download>,
    /// Where downloads go: the current directory until `o` changes it.
    pub dir: std::path::PathBuf,
    /// The directory being typed after `o`; keys edit it until Enter/Esc.
    pub dir_edit: Option<String>,
}

/// What a key asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArtifactsStep {
    Stay,
    Close,
    Download(Artifact),
    /// Enter on an expired artifact: said, nothing sent.
    Expired(String),
    /// `o` then Enter: later downloads go there.
    DirChosen(std::path::PathBuf),
}

impl ArtifactsView {
    pub fn new(repo: String, run_id: u64, label: String) -> ArtifactsView {
        ArtifactsView {
            repo,
            run_id,
            label,
            items: None,
            selected: 0,
            download: None,
            dir: std::path::PathBuf::from("."),
            dir_edit: None,
        }
    }

    /// Keys while the directory is typed: text, Backspace, Enter keeps it
    /// (an empty line means the current directory), Esc drops the edit.
    fn edit_dir(&mut self, code: KeyCode) -> ArtifactsStep {
        let Some(text) = self.dir_edit.as_mut() else {
            return ArtifactsStep::Stay;
        };
        match code {
            KeyCode::Esc => self.dir_edit = None,
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !c.is_control() => text.push(c),
            KeyCode::Enter => {
                let typed = text.trim();
                let typed = if typed.is_empty() { "." } else { typed };
                self.dir = std::path::PathBuf::from(typed);
                self.dir_edit = None;
                return ArtifactsStep::DirChosen(self.dir.clone());
            }
            _ => {}
        }
        ArtifactsStep::Stay
    }

    fn list(&self) -> &[Artifact] {
        match &self.items {
            Some(Ok(items)) => items,
            _ => &[],
        }
    }

    pub fn key(&mut self, code: KeyCode) -> ArtifactsStep {
        if self.dir_edit.is_some() {
            return self.edit_dir(code);
        }
        let n = self.list().len();
        match code {
            KeyCode::Esc | KeyCode::Char('q') => ArtifactsStep::Close,
            KeyCode::Char('o') => {
                self.dir_edit = Some(self.dir.display().to_string());
                ArtifactsStep::Stay
            }
            KeyCode::Down | KeyCode::Char('j') if n > 0 => {
                self.selected = (self.selected + 1).min(n - 1);
                ArtifactsStep::Stay
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                ArtifactsStep::Stay
            }
            KeyCode::Enter => {
                if matches!(self.download, Some(Download::Going { .. })) {
                    return ArtifactsStep::Stay;
                }
                match self.list().get(self.selected) {
                    Some(a) if a.expired => ArtifactsStep::Expired(format!(
                        "artifact {} has expired; GitHub no longer keeps it",
                        a.name
                    )),
                    Some(a) => ArtifactsStep::Download(a.clone()),
                    None => ArtifactsStep::Stay,
                }
            }
            _ => ArtifactsStep::Stay,
        }
    }
}

/// `1.2 MB`, `512 B`.
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "kB", "MB", "GB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: u64, expired: bool) -> Artifact {
        Artifact {
            id,
            name: format!("a{id}"),
            size: 10,
            expired,
            expires_at: None,
        }
    }

    #[test]
    fn enter_downloads_the_selected_one_and_refuses_an_expired_one() {
        let mut v = ArtifactsView::new("a/b".into(), 1, "x".into());
        assert_eq!(
            v.key(KeyCode::Enter),
            ArtifactsStep::Stay,
            "nothing listed yet"
        );
        v.items = Some(Ok(vec![art(1, false), art(2, true)]));
        assert_eq!(
            v.key(KeyCode::Enter),
            ArtifactsStep::Download(art(1, false))
        );
        v.key(KeyCode::Char('j'));
        v.key(KeyCode::Char('j'));
        assert_eq!(v.selected, 1);
        assert!(
            matches!(v.key(KeyCode::Enter), ArtifactsStep::Expired(m) if m.contains("a2 has expired"))
        );
        assert_eq!(v.key(KeyCode::Esc), ArtifactsStep::Close);
    }

    #[test]
    fn o_types_the_directory_and_esc_keeps_the_old_one() {
        let mut v = ArtifactsView::new("a/b".into(), 1, "x".into());
        v.items = Some(Ok(vec![art(1, false)]));
        v.key(KeyCode::Char('o'));
        assert_eq!(v.dir_edit.as_deref(), Some("."));
        v.key(KeyCode::Backspace);
        for c in "~/inc-42".chars() {
            v.key(KeyCode::Char(c));
        }
        // While typing, j and q are text, not moves or a close.
        v.key(KeyCode::Char('q'));
        v.key(KeyCode::Backspace);
        assert_eq!(
            v.key(KeyCode::Enter),
            ArtifactsStep::DirChosen("~/inc-42".into())
        );
        assert_eq!(v.dir, std::path::PathBuf::from("~/inc-42"));
        assert_eq!(
            v.key(KeyCode::Enter),
            ArtifactsStep::Download(art(1, false)),
            "the next Enter downloads"
        );
        v.key(KeyCode::Char('o'));
        v.key(KeyCode::Char('x'));
        assert_eq!(v.key(KeyCode::Esc), ArtifactsStep::Stay);
        assert_eq!(v.dir, std::path::PathBuf::from("~/inc-42"));
        v.key(KeyCode::Char('o'));
        for _ in 0..20 {
            v.key(KeyCode::Backspace);
        }
        v.key(KeyCode::Enter);
        assert_eq!(v.dir, std::path::PathBuf::from("."), "empty means here");
    }

    #[test]
    fn sizes_read_plainly() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(1_234_567), "1.2 MB");
    }
}
