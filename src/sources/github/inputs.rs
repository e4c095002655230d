//! A workflow file's `on.workflow_dispatch.inputs`, as `gh workflow run`
//! asks for them. The file comes from the contents API (base64); it is
//! parsed with saphyr, a YAML 1.2 parser (`serde_yaml` is archived).
//!
//! Shapes, per GitHub's "Workflow syntax" docs: `on` is a string
//! (`on: workflow_dispatch`), a list of events, or a mapping whose
//! `workflow_dispatch` is empty or has `inputs`, each with `description`,
//! `required`, `default` and `type` (`string`, `boolean`, `choice` with
//! `options`, `number`, `environment`). A YAML 1.1 reader turns the key
//! `on` into the boolean true; both are accepted.

use saphyr::{LoadableYamlNode, YamlOwned};

use crate::core::github::{DispatchInput, InputKind};

/// The inputs of `file` (its path, for messages). `Ok(None)`: the workflow
/// has no `workflow_dispatch` trigger; `Ok(Some(vec![]))`: it has one
/// without inputs.
pub fn dispatch_inputs(file: &str, yaml: &str) -> Result<Option<Vec<DispatchInput>>, String> {
    let docs =
        YamlOwned::load_from_str(yaml).map_err(|e| format!("{file} is not valid YAML: {e}"))?;
    let Some(doc) = docs.first() else {
        return Err(format!("{file} is empty"));
    };
    let Some(on) = trigger_key(doc) else {
        return Err(format!("{file} has no `on:` triggers"));
    };
    let dispatch = match on {
        YamlOwned::Mapping(events) => events
            .iter()
            .find(|(k, _)| k.as_str() == Some("workflow_dispatch"))
            .map(|(_, v)| v),
        other if other.as_str() == Some("workflow_dispatch") => return Ok(Some(Vec::new())),
        YamlOwned::Sequence(events) => {
            let listed = events
                .iter()
                .any(|e| e.as_str() == Some("workflow_dispatch"));
            return Ok(listed.then(Vec::new));
        }
        _ => None,
    };
    let Some(dispatch) = dispatch else {
        return Ok(None);
    };
    let Some(inputs) = dispatch.as_mapping_get("inputs") else {
        return Ok(Some(Vec::new()));
    };
    let YamlOwned::Mapping(inputs) = inputs else {
        if inputs.is_null() {
            return Ok(Some(Vec::new()));
        }
        return Err(format!("{file}: workflow_dispatch.inputs is not a mapping"));
    };
    inputs
        .iter()
        .map(|(name, spec)| {
            let name = scalar_text(name)
                .ok_or_else(|| format!("{file}: an input's name is not a plain word"))?;
            input(file, name, spec)
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `on`, or `true` where a YAML 1.1 writer left the key as a boolean.
fn trigger_key(doc: &YamlOwned) -> Option<&YamlOwned> {
    let YamlOwned::Mapping(top) = doc else {
        return None;
    };
    top.iter()
        .find(|(k, _)| k.as_str() == Some("on") || k.as_bool() == Some(true))
        .map(|(_, v)| v)
}

/// A scalar as the text a user would type (`true`, `3`, `staging`).
fn scalar_text(node: &YamlOwned) -> Option<String> {
    if let Some(s) = node.as_str() {
        return Some(s.to_string());
    }
    if let Some(b) = node.as_bool() {
        return Some(b.to_string());
    }
    if let Some(i) = node.as_integer() {
        return Some(i.to_string());
    }
    node.as_floating_point().map(|f| f.to_string())
}

fn input(file: &str, name: String, spec: &YamlOwned) -> Result<DispatchInput, String> {
    let text = |key: &str| spec.as_mapping_get(key).and_then(scalar_text);
    let description = text("description").unwrap_or_default();
    let required = match spec.as_mapping_get("required") {
        None => false,
        Some(r) => r
            .as_bool()
            .or_else(|| r.as_str().map(|s| s == "true"))
            .unwrap_or(false),
    };
    let default = text("default");
    let kind = match text("type").as_deref().unwrap_or("string") {
        "boolean" => InputKind::Boolean {
            default: default.as_deref() == Some("true"),
        },
        "choice" => {
            let options: Vec<String> = match spec.as_mapping_get("options") {
                Some(YamlOwned::Sequence(items)) => items.iter().filter_map(scalar_text).collect(),
                _ => Vec::new(),
            };
            if options.is_empty() {
                return Err(format!("{file}: choice input `{name}` has no options"));
            }
            InputKind::Choice { options, default }
        }
        "number" => InputKind::Number { default },
        "environment" => InputKind::Environment { default },
        "string" => InputKind::String { default },
        other => {
            return Err(format!(
                "{file}: input `{name}` has an unknown type `{other}`"
            ));
        }
    };
    Ok(DispatchInput {
        name,
        description,
        required,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RELEASE: &str = r#"
name: Release
on:
  push:
    tags: ["v*"]
  workflow_dispatch:
    inputs:
      environment:
        description: Where to deploy
        required: true
        type: choice
        options: [staging, production]
        default: staging
      dry_run:
        description: Only print what would happen
        type: boolean
        default: true
      version:
        description: Version to release
        required: true
      retries:
        type: number
        default: 3
jobs:
  release:
    runs-on: ubuntu-latest
    steps: [{run: echo}]
"#;

    #[test]
    fn each_kind_of_input_is_read_with_its_default() {
        let inputs = dispatch_inputs("release.yml", RELEASE).unwrap().unwrap();
        let names: Vec<_> = inputs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["environment", "dry_run", "version", "retries"]);
        assert_eq!(
            inputs[0].kind,
            InputKind::Choice {
                options: vec!["staging".into(), "production".into()],
                default: Some("staging".into()),
            }
        );
        assert!(inputs[0].required);
        assert_eq!(inputs[0].description, "Where to deploy");
        assert_eq!(inputs[1].kind, InputKind::Boolean { default: true });
        assert!(!inputs[1].required);
        assert_eq!(inputs[2].kind, InputKind::String { default: None });
        assert!(inputs[2].required);
        assert_eq!(
            inputs[3].kind,
            InputKind::Number {
                default: Some("3".into())
            }
        );
    }

    #[test]
    fn triggers_without_inputs_and_the_yaml_1_1_on_key() {
        let plain = "on: workflow_dispatch\njobs: {}\n";
        assert_eq!(dispatch_inputs("a.yml", plain), Ok(Some(vec![])));
        let listed = "on: [push, workflow_dispatch]\n";
        assert_eq!(dispatch_inputs("a.yml", listed), Ok(Some(vec![])));
        let empty = "on:\n  workflow_dispatch:\n";
        assert_eq!(dispatch_inputs("a.yml", empty), Ok(Some(vec![])));
        let none = "on: [push]\n";
        assert_eq!(dispatch_inputs("a.yml", none), Ok(None));
        // A YAML 1.1 writer's `true:` for `on:`.
        let old = "true:\n  workflow_dispatch:\n    inputs:\n      x: {default: 'a'}\n";
        let inputs = dispatch_inputs("a.yml", old).unwrap().unwrap();
        assert_eq!(inputs[0].name, "x");
    }

    #[test]
    fn bad_yaml_is_named_in_plain_words() {
        let err = dispatch_inputs(".github/workflows/bad.yml", "on: [push\n").unwrap_err();
        assert!(
            err.starts_with(".github/workflows/bad.yml is not valid YAML"),
            "{err}"
        );
        let err = dispatch_inputs(
            "c.yml",
            "on:\n  workflow_dispatch:\n    inputs:\n      e: {type: choice}\n",
        )
        .unwrap_err();
        assert_eq!(err, "c.yml: choice input `e` has no options");
        assert!(dispatch_inputs("d.yml", "jobs: {}\n").is_err());
    }
}
