//! `kubectl get -o yaml`, less the noise: `metadata.managedFields` (server-
//! side apply's bookkeeping, often longer than the object) is left out, and
//! a Secret's values are masked.
//!
//! The emitter is serde-saphyr: serde_yaml is archived, and serde-saphyr is
//! what the kube client itself moved to, so it costs no new crate.

use serde_json::Value;

use super::mask_secret;

/// The object as YAML, or why it could not be written.
pub fn render(kind: &str, mut object: Value) -> Result<String, String> {
    mask_secret(kind, &mut object);
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    serde_saphyr::to_string(&object).map_err(|e| format!("could not write it as YAML: {e}"))
}
