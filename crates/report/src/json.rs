//! The JSON contract (documented in docs/JSON.md).

use safetygap_core::plan::Plan;

/// The schema identifier written into every JSON plan; bumped only on
/// breaking changes.
pub const SCHEMA: &str = "safetygap.plan/1";

/// The plan as a JSON value with its schema id.
pub fn value(plan: &Plan) -> serde_json::Value {
    let mut v = serde_json::to_value(plan).unwrap_or(serde_json::Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("schema".into(), SCHEMA.into());
    }
    v
}

/// Pretty-printed JSON followed by a newline.
pub fn render(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(&value(plan)).unwrap_or_default();
    s.push('\n');
    s
}
