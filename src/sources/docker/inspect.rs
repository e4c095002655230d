//! `i`: the engine's own object (what `docker inspect` prints) as YAML in
//! the log viewer. Every `Env` list in it is masked
//! (`core::docker_inspect`) before it leaves this file, and a container's
//! health-check log (`State.Health.Log`) is written out first, readable,
//! since that is what an unhealthy container is inspected for.

use bollard::Docker;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::core::docker_inspect::{InspectKind, mask_env_entry, mask_url_password};
use crate::core::effect::StreamId;
use crate::core::msg::{LogPart, Msg};
use crate::logview::LineSource;

use super::connect::plain_error;

pub async fn show(
    docker: Docker,
    stream: StreamId,
    kind: InspectKind,
    reference: String,
    tx: mpsc::Sender<Msg>,
) {
    let reason = match fetch(&docker, kind, &reference).await {
        Ok(mut value) => {
            mask_secrets(&mut value);
            let text = render(&value);
            let part = LogPart::new(LineSource::stdout(), text.into_bytes());
            if tx
                .send(Msg::LogChunk {
                    stream,
                    parts: vec![part],
                })
                .await
                .is_err()
            {
                return;
            }
            format!(
                "{} as the engine reports it (secret-looking values masked)",
                kind.word()
            )
        }
        Err(e) => format!("could not inspect {} {reference}: {e}", kind.word()),
    };
    let _ = tx.send(Msg::LogEnded { stream, reason }).await;
}

async fn fetch(docker: &Docker, kind: InspectKind, reference: &str) -> Result<Value, String> {
    fn json<T: serde::Serialize>(v: T) -> Result<Value, String> {
        serde_json::to_value(v).map_err(|e| format!("the engine's answer could not be read: {e}"))
    }
    let err = |e: bollard::errors::Error| plain_error(&e);
    match kind {
        InspectKind::Container => json(
            docker
                .inspect_container(reference, None)
                .await
                .map_err(err)?,
        ),
        InspectKind::Image => json(docker.inspect_image(reference).await.map_err(err)?),
        InspectKind::Volume => json(docker.inspect_volume(reference).await.map_err(err)?),
        InspectKind::Network => json(docker.inspect_network(reference, None).await.map_err(err)?),
    }
}

/// Masks every `Env` list anywhere in the object (a container's
/// `Config.Env`, an image's `Config.Env` and `ContainerConfig.Env`).
pub fn mask_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::Array(items) if key == "Env" => {
                        for item in items.iter_mut() {
                            if let Value::String(s) = item {
                                *s = mask_env_entry(s);
                            }
                        }
                    }
                    other => mask_secrets(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secrets),
        _ => {}
    }
}

/// The health-check log first (when there is one), then the object.
pub fn render(value: &Value) -> String {
    let mut out = health_log(value);
    match serde_saphyr::to_string(value) {
        Ok(yaml) => out.push_str(&yaml),
        // YAML cannot fail on JSON values in practice; JSON is the fallback.
        Err(_) => out.push_str(&serde_json::to_string_pretty(value).unwrap_or_default()),
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn health_log(value: &Value) -> String {
    let Some(health) = value.pointer("/State/Health") else {
        return String::new();
    };
    let status = health.get("Status").and_then(Value::as_str).unwrap_or("?");
    let streak = health
        .get("FailingStreak")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let entries = health
        .get("Log")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = format!(
        "# health: {status}, failing streak {streak}; health-check log (State.Health.Log), oldest first:\n"
    );
    if entries.is_empty() {
        out.push_str("#   (no check has run yet)\n");
    }
    for e in &entries {
        let start = e.get("Start").and_then(Value::as_str).unwrap_or("?");
        let code = e.get("ExitCode").and_then(Value::as_i64).unwrap_or(-1);
        let output = e.get("Output").and_then(Value::as_str).unwrap_or("");
        out.push_str(&format!("#   {start}  exit {code}\n"));
        for line in output.lines().filter(|l| !l.trim().is_empty()) {
            out.push_str(&format!("#     {}\n", mask_url_password(line)));
        }
    }
    out.push_str("---\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::docker_inspect::MASK;

    #[test]
    fn env_lists_anywhere_are_masked_and_the_rest_is_kept() {
        let mut v = serde_json::json!({
            "Config": {"Env": ["DB_PASSWORD=hunter2", "PATH=/bin"], "Image": "x"},
            "ContainerConfig": {"Env": ["API_TOKEN=abc"]},
            "Labels": {"Env": "not a list"}
        });
        mask_secrets(&mut v);
        let text = render(&v);
        assert!(
            !text.contains("hunter2") && !text.contains("abc\n"),
            "{text}"
        );
        assert!(text.contains(&format!("DB_PASSWORD={MASK}")), "{text}");
        assert!(
            text.contains("PATH=/bin") && text.contains("Image: x"),
            "{text}"
        );
    }

    #[test]
    fn the_health_log_comes_first_with_each_check() {
        let v = serde_json::json!({
            "State": {"Health": {"Status": "unhealthy", "FailingStreak": 3, "Log": [
                {"Start": "2026-12-07T09:00:00Z", "ExitCode": 1, "Output": "curl: refused\n"}
            ]}}
        });
        let text = render(&v);
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.contains("health: unhealthy, failing streak 3"),
            "{text}"
        );
        assert!(
            text.contains("exit 1") && text.contains("curl: refused"),
            "{text}"
        );
        assert!(text.contains("Status: unhealthy"), "{text}");
    }
}
