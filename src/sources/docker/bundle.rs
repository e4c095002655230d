//! What a container's incident bundle holds: its state and its last log
//! lines. Only fetched here; `core::incident` writes the Markdown.

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::LogsOptions;
use futures::StreamExt;

use crate::core::docker::Container;
use crate::core::incident::Evidence;
use crate::logview::{LineSource, LogBuffer};

use super::connect::plain_error;

/// Fetches the last `tail` log lines, sanitised by the log viewer's rules
/// so a bundle never carries terminal escapes.
pub async fn fetch(
    docker: Docker,
    container: Option<Box<Container>>,
    tail: u64,
) -> Result<Evidence, String> {
    let mut log = LogBuffer::new(tail.max(1) as usize);
    log.set_timestamps(true);
    if let Some(c) = &container {
        let options = LogsOptions {
            follow: false,
            stdout: true,
            stderr: true,
            timestamps: true,
            tail: tail.to_string(),
            ..Default::default()
        };
        let mut frames = docker.logs(&c.id, Some(options));
        while let Some(frame) = frames.next().await {
            match frame {
                Ok(LogOutput::StdErr { message }) => log.push_bytes(LineSource::stderr(), &message),
                Ok(LogOutput::StdOut { message } | LogOutput::Console { message }) => {
                    log.push_bytes(LineSource::stdout(), &message)
                }
                Ok(LogOutput::StdIn { .. }) => {}
                Err(e) => return Err(plain_error(&e)),
            }
        }
        log.flush();
    }
    let lines: Vec<String> = log
        .iter()
        .map(|(_, line)| match line.timestamp() {
            Some(ts) => format!("{ts} {}", line.text()),
            None => line.text().to_string(),
        })
        .collect();
    Ok(Evidence::Container {
        container,
        log_lines: lines,
    })
}
