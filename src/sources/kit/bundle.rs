//! The one writer of incident bundles. A source hands over a fetch of its
//! evidence; the Markdown is assembled by `core::incident` and the file is
//! written here, on the source's side, never on the UI task.

use std::future::Future;
use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::core::incident::Evidence;
use crate::core::msg::Msg;
use crate::core::triage::TriageItem;

/// Runs `fetch` as a task of its own, writes the bundle and answers with
/// `Msg::FileWritten` (the number of log lines, or why there is no file).
pub fn write_bundle(
    tx: mpsc::Sender<Msg>,
    path: PathBuf,
    item: Box<TriageItem>,
    timeline: String,
    fetch: impl Future<Output = Result<Evidence, String>> + Send + 'static,
) {
    tokio::spawn(async move {
        let result = match fetch.await {
            Ok(evidence) => {
                let mut markdown = evidence.markdown(&item, chrono::Utc::now());
                markdown.push_str(&timeline);
                tokio::fs::write(&path, markdown)
                    .await
                    .map(|()| evidence.log_lines())
                    .map_err(|e| e.to_string())
            }
            Err(e) => Err(e),
        };
        let _ = tx.send(Msg::FileWritten { path, result }).await;
    });
}
