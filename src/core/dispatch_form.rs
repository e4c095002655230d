//! The form `W` shows for a workflow's `workflow_dispatch` inputs, before
//! the confirmation: one row per input, defaults pre-filled. ↑/↓ (or
//! Tab/Shift-Tab) move between rows; ←/→ cycle a choice and toggle a
//! boolean (as Space does); typing edits a text or number; Enter asks for
//! confirmation once every required input has a value; Esc cancels.

use super::github::{DispatchInput, InputKind};
use super::key::KeyCode;

/// One input and what the user has set it to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub input: DispatchInput,
    /// The text sent: typed, the chosen option, or `true`/`false`.
    pub value: String,
}

impl Field {
    fn new(input: DispatchInput) -> Field {
        let value = match &input.kind {
            InputKind::Boolean { default } => default.to_string(),
            InputKind::Choice { options, default } => default
                .clone()
                .filter(|d| options.contains(d))
                .or_else(|| options.first().cloned())
                .unwrap_or_default(),
            InputKind::String { default }
            | InputKind::Number { default }
            | InputKind::Environment { default } => default.clone().unwrap_or_default(),
        };
        Field { input, value }
    }

    fn typed(&self) -> bool {
        matches!(
            self.input.kind,
            InputKind::String { .. } | InputKind::Number { .. } | InputKind::Environment { .. }
        )
    }

    /// The next (`step` 1) or previous (`step` -1) option; a boolean flips.
    fn cycle(&mut self, step: isize) {
        match &self.input.kind {
            InputKind::Boolean { .. } => {
                self.value = (self.value != "true").to_string();
            }
            InputKind::Choice { options, .. } if !options.is_empty() => {
                let at = options.iter().position(|o| *o == self.value).unwrap_or(0);
                let n = options.len() as isize;
                let next = (at as isize + step).rem_euclid(n) as usize;
                self.value = options.get(next).cloned().unwrap_or_default();
            }
            _ => {}
        }
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormStep {
    /// Still filling in.
    Editing,
    /// Enter with every required input set: confirm with these values.
    Done(Vec<(String, String)>),
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchForm {
    pub repo: String,
    pub workflow_id: u64,
    pub workflow: String,
    /// The workflow file, named in messages.
    pub path: String,
    pub branch: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why Enter was refused (a required input left empty).
    pub problem: Option<String>,
}

impl DispatchForm {
    pub fn new(
        (repo, workflow_id, workflow): (String, u64, String),
        path: String,
        branch: String,
        inputs: Vec<DispatchInput>,
    ) -> DispatchForm {
        DispatchForm {
            repo,
            workflow_id,
            workflow,
            path,
            branch,
            fields: inputs.into_iter().map(Field::new).collect(),
            focus: 0,
            problem: None,
        }
    }

    pub fn key(&mut self, code: KeyCode) -> FormStep {
        let last = self.fields.len().saturating_sub(1);
        let field = self.fields.get_mut(self.focus);
        match (code, field) {
            (KeyCode::Esc, _) => return FormStep::Cancelled,
            (KeyCode::Enter, _) => return self.submit(),
            (KeyCode::Down | KeyCode::Tab, _) => self.focus = (self.focus + 1).min(last),
            (KeyCode::Up | KeyCode::BackTab, _) => self.focus = self.focus.saturating_sub(1),
            (KeyCode::Right, Some(f)) => f.cycle(1),
            (KeyCode::Left, Some(f)) => f.cycle(-1),
            (KeyCode::Char(' '), Some(f)) if !f.typed() => f.cycle(1),
            (KeyCode::Backspace, Some(f)) if f.typed() => {
                f.value.pop();
            }
            (KeyCode::Char(c), Some(f)) if f.typed() && !c.is_control() => f.value.push(c),
            _ => {}
        }
        self.problem = None;
        FormStep::Editing
    }

    fn submit(&mut self) -> FormStep {
        let missing: Vec<&str> = self
            .fields
            .iter()
            .filter(|f| f.input.required && f.value.trim().is_empty())
            .map(|f| f.input.name.as_str())
            .collect();
        if let Some(first) = missing.first() {
            self.problem = Some(format!("required: {}", missing.join(", ")));
            if let Some(at) = self.fields.iter().position(|f| f.input.name == *first) {
                self.focus = at;
            }
            return FormStep::Editing;
        }
        FormStep::Done(
            self.fields
                .iter()
                .map(|f| (f.input.name.clone(), f.value.clone()))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, required: bool, kind: InputKind) -> DispatchInput {
        DispatchInput {
            name: name.into(),
            description: format!("the {name}"),
            required,
            kind,
        }
    }

    fn form() -> DispatchForm {
        let inputs = vec![
            input(
                "environment",
                true,
                InputKind::Choice {
                    options: vec!["staging".into(), "production".into(), "dev".into()],
                    default: Some("staging".into()),
                },
            ),
            input("dry_run", false, InputKind::Boolean { default: true }),
            input("version", true, InputKind::String { default: None }),
            input(
                "retries",
                false,
                InputKind::Number {
                    default: Some("3".into()),
                },
            ),
        ];
        DispatchForm::new(
            ("acme/web".into(), 7, "Release".into()),
            ".github/workflows/release.yml".into(),
            "main".into(),
            inputs,
        )
    }

    fn values(f: &DispatchForm) -> Vec<&str> {
        f.fields.iter().map(|f| f.value.as_str()).collect()
    }

    #[test]
    fn defaults_are_prefilled() {
        assert_eq!(values(&form()), ["staging", "true", "", "3"]);
    }

    #[test]
    fn arrows_cycle_a_choice_both_ways_and_toggle_a_boolean() {
        let mut f = form();
        f.key(KeyCode::Right);
        assert_eq!(f.fields[0].value, "production");
        f.key(KeyCode::Left);
        f.key(KeyCode::Left);
        assert_eq!(f.fields[0].value, "dev", "wraps around");
        f.key(KeyCode::Down);
        f.key(KeyCode::Right);
        assert_eq!(f.fields[1].value, "false");
        f.key(KeyCode::Char(' '));
        assert_eq!(f.fields[1].value, "true");
        // Letters do not change a choice or a boolean.
        f.key(KeyCode::Char('x'));
        assert_eq!(values(&f)[..2], ["dev", "true"]);
    }

    #[test]
    fn typing_edits_text_and_required_inputs_must_be_filled() {
        let mut f = form();
        assert_eq!(f.key(KeyCode::Enter), FormStep::Editing, "version is empty");
        assert_eq!(f.problem.as_deref(), Some("required: version"));
        assert_eq!(f.focus, 2, "the cursor goes to the missing input");
        for c in "1.2.x".chars() {
            f.key(KeyCode::Char(c));
        }
        f.key(KeyCode::Backspace);
        f.key(KeyCode::Char('3'));
        assert_eq!(f.problem, None);
        f.key(KeyCode::Down);
        f.key(KeyCode::Backspace);
        f.key(KeyCode::Char('5'));
        f.key(KeyCode::Down);
        assert_eq!(f.focus, 3, "stays on the last row");
        let done = f.key(KeyCode::Enter);
        let expected = [
            ("environment", "staging"),
            ("dry_run", "true"),
            ("version", "1.2.3"),
            ("retries", "5"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .to_vec();
        assert_eq!(done, FormStep::Done(expected));
    }

    #[test]
    fn escape_cancels() {
        let mut f = form();
        assert_eq!(f.key(KeyCode::Esc), FormStep::Cancelled);
    }
}
