//! The `A` dialog of a run waiting for an environment's approval: the
//! pending environments (wait timer, reviewers, whether this token may
//! approve), a comment typed in, and approve or reject (Tab switches).
//! Enter asks for the usual confirmation; nothing is sent from here.

use super::key::KeyCode;

/// One environment a run waits on, as `GET .../pending_deployments` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEnv {
    pub id: u64,
    pub name: String,
    /// Minutes the environment's wait timer holds the deployment.
    pub wait_timer: u64,
    /// The token's user may approve or reject it.
    pub can_approve: bool,
    /// Logins and team names that may review.
    pub reviewers: Vec<String>,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewStep {
    Editing,
    /// Enter with a comment and an environment this user may review.
    Done,
    Cancelled,
}

/// GitHub requires the comment; a bound keeps a pasted log out of it.
const MAX_COMMENT: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewForm {
    pub repo: String,
    pub run_id: u64,
    /// `acme/web Deploy #12`.
    pub label: String,
    pub envs: Vec<PendingEnv>,
    pub comment: String,
    pub approve: bool,
    /// Why Enter was refused.
    pub problem: Option<String>,
}

impl ReviewForm {
    pub fn new(repo: String, run_id: u64, label: String, envs: Vec<PendingEnv>) -> ReviewForm {
        ReviewForm {
            repo,
            run_id,
            label,
            envs,
            comment: String::new(),
            approve: true,
            problem: None,
        }
    }

    /// The environments the review is sent for: only those this user may
    /// review (GitHub refuses the whole request otherwise).
    pub fn reviewable(&self) -> Vec<&PendingEnv> {
        self.envs.iter().filter(|e| e.can_approve).collect()
    }

    pub fn key(&mut self, code: KeyCode) -> ReviewStep {
        match code {
            KeyCode::Esc => return ReviewStep::Cancelled,
            KeyCode::Tab | KeyCode::BackTab => self.approve = !self.approve,
            KeyCode::Backspace => {
                self.comment.pop();
            }
            KeyCode::Char(c) if !c.is_control() && self.comment.chars().count() < MAX_COMMENT => {
                self.comment.push(c);
            }
            KeyCode::Enter => {
                self.problem = if self.reviewable().is_empty() {
                    Some("you may not review any of these environments".into())
                } else if self.comment.trim().is_empty() {
                    Some("type a comment first (GitHub requires one)".into())
                } else {
                    return ReviewStep::Done;
                };
            }
            _ => {}
        }
        ReviewStep::Editing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(id: u64, can_approve: bool) -> PendingEnv {
        PendingEnv {
            id,
            name: format!("env{id}"),
            wait_timer: 0,
            can_approve,
            reviewers: Vec::new(),
        }
    }

    #[test]
    fn letters_are_typed_tab_switches_and_enter_needs_a_comment() {
        let mut f = ReviewForm::new("a/b".into(), 1, "a/b D #1".into(), vec![env(7, true)]);
        assert_eq!(f.key(KeyCode::Enter), ReviewStep::Editing);
        assert!(f.problem.as_deref().unwrap().contains("comment"));
        for c in "ship y".chars() {
            assert_eq!(f.key(KeyCode::Char(c)), ReviewStep::Editing);
        }
        f.key(KeyCode::Backspace);
        assert_eq!(f.comment, "ship ");
        f.key(KeyCode::Tab);
        assert!(!f.approve);
        assert_eq!(f.key(KeyCode::Enter), ReviewStep::Done);
        assert_eq!(f.key(KeyCode::Esc), ReviewStep::Cancelled);
    }

    #[test]
    fn only_environments_this_user_may_review_are_sent() {
        let mut f = ReviewForm::new("a/b".into(), 1, "x".into(), vec![env(1, false)]);
        f.key(KeyCode::Char('k'));
        assert_eq!(f.key(KeyCode::Enter), ReviewStep::Editing);
        assert!(f.problem.as_deref().unwrap().contains("may not review"));
        let f = ReviewForm::new(
            "a/b".into(),
            1,
            "x".into(),
            vec![env(1, false), env(2, true)],
        );
        let ids: Vec<u64> = f.reviewable().iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![2]);
    }
}
