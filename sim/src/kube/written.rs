//! What the API server adds to an object as it is written: a Secret's
//! `stringData` merged into `data`, and the field manager of the write.

use serde_json::{Value, json};

use super::store::Kind;

/// A Secret's `stringData` is write-only: "merged into the data field on
/// write, overwriting any existing values. The stringData field is never
/// output when reading from the API"
/// (https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/secret-v1/).
pub(crate) fn merge_string_data(v: &mut Value) {
    use base64::Engine;
    let Some(Value::Object(plain)) = v.as_object_mut().and_then(|o| o.remove("stringData")) else {
        return;
    };
    if !v["data"].is_object() {
        v["data"] = json!({});
    }
    for (key, value) in plain {
        let text = value.as_str().unwrap_or_default();
        v["data"][key] = json!(base64::engine::general_purpose::STANDARD.encode(text));
    }
}

/// Field management: a create records its manager, operation and the
/// fields it set in `metadata.managedFields`
/// (https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management).
/// The simulator lists the top-level fields only, where the API server
/// lists every leaf; the shape (`fieldsType: FieldsV1`) is the same.
pub(crate) fn record_manager(v: &mut Value, kind: Kind, manager: &str) {
    let mut fields = serde_json::Map::new();
    if let Some(o) = v.as_object() {
        for key in o
            .keys()
            .filter(|k| !matches!(k.as_str(), "apiVersion" | "kind" | "status"))
        {
            fields.insert(format!("f:{key}"), json!({}));
        }
    }
    v["metadata"]["managedFields"] = json!([{
        "manager": manager,
        "operation": "Update",
        "apiVersion": kind.api_version(),
        "time": super::objects::now_rfc3339(),
        "fieldsType": "FieldsV1",
        "fieldsV1": fields,
    }]);
}
