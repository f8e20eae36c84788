//! The OpenAPI 3.1 document, generated from the handlers' annotations.
//!
//! The plan's JSON contract (`safetygap.plan/1`, docs/JSON.md) is produced
//! by the report crate from the engine's types, which know nothing of
//! OpenAPI; the `*Json` types (`schemas.rs`) describe it for the document only, and
//! a test checks that every member of a real plan is described.

mod schemas;

pub use schemas::*;

use crate::api::{self, Level, Measure, Sort};
use crate::problem::{FieldError, Problem};
use crate::problem::{Kind, PROBLEM_JSON};
use crate::scenario::{DriverValue, InventoryValue, Scenario, Simulate};
use crate::storage::{SavedPlan, SavedPlanSummary};
use serde_json::{json, Map, Value};
use utoipa::OpenApi;

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "safetygap API",
        description = "Size community safety infrastructure — victim services, violence prevention, behavioral health \
                       and reentry — for any U.S. state, county or city from population-based benchmarks, and compare \
                       need with what exists. Plans equal `safetygap plan --format json` for the same inputs. Errors \
                       are RFC 9457 problem details (`application/problem+json`).",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        api::health, api::search, api::jurisdiction, api::catalog, api::plan_get, api::plan_post, api::explain,
        api::export, api::chart, api::compare, api::map, api::saved_list, api::saved_create, api::saved_get,
        api::saved_update, api::saved_delete
    ),
    components(schemas(
        Problem, FieldError, Scenario, DriverValue, InventoryValue, Simulate, SavedPlan, SavedPlanSummary,
        PlanJson, ProgramJson, DriverJson, SubtotalJson, AreaSubtotalJson, Range3Json, JurisdictionJson, Measure, Level, Sort
    )),
    tags(
        (name = "plans", description = "Compute, explain and export plans"),
        (name = "jurisdictions", description = "Find, compare and map places"),
        (name = "catalog", description = "The benchmark catalog"),
        (name = "saved plans", description = "Named scenarios stored on the server"),
        (name = "meta", description = "Server state")
    )
)]
pub struct ApiDoc;

/// The document a server serves: the annotations' document with the
/// constraints the handlers enforce, every status code each operation can
/// answer, and the security this server applies (`writes_need_token`:
/// whether it was started with a token).
pub fn document(writes_need_token: bool) -> Value {
    document_checked(writes_need_token).0
}

/// [`document`], and the places the constraints were meant for but not
/// found (empty unless an annotation or a type was renamed; a test checks).
pub fn document_checked(writes_need_token: bool) -> (Value, Vec<String>) {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_else(|_| json!({}));
    let mut missing = Vec::new();
    let mut p = Patch { doc: &mut doc, missing: &mut missing };
    p.constraints();
    p.statuses(writes_need_token);
    p.security(writes_need_token);
    p.links();
    (doc, missing)
}

/// The document as JSON text.
pub fn json(writes_need_token: bool) -> String {
    serde_json::to_string_pretty(&document(writes_need_token)).unwrap_or_else(|_| "{}".into())
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

/// JSON Pointer of an operation.
fn op(path: &str, method: &str) -> String {
    format!("/paths/{}/{method}", path.replace('~', "~0").replace('/', "~1"))
}

/// The JSON Schema pattern of a string that is not blank (has a character
/// `trim` keeps).
fn not_blank() -> String {
    format!("[^{}]", crate::scenario::class(&[crate::scenario::WHITESPACE]))
}

/// The scenario's options with a fixed set of values (as the CLI's
/// `--tier`, `--dollar-year`, `--inventory-defaults`, `--payer`), for the
/// scenario and the plan query alike.
fn choices() -> [(&'static str, Value); 4] {
    let (first, last) = crate::scenario::dollar_years();
    [
        ("tier", json!({ "enum": crate::scenario::tier_names() })),
        ("dollar_year", json!({ "minimum": first, "maximum": last })),
        ("inventory_defaults", json!({ "enum": crate::scenario::INVENTORY_DEFAULTS })),
        ("payer", json!({ "enum": crate::scenario::payer_names() })),
    ]
}

/// The name of the shared response of a problem kind.
fn response_name(k: Kind) -> &'static str {
    k.uri().rsplit('#').next().unwrap_or("problem")
}

struct Patch<'a> {
    doc: &'a mut Value,
    missing: &'a mut Vec<String>,
}

impl Patch<'_> {
    /// Merges `with` into the object at `ptr`.
    fn merge(&mut self, ptr: &str, with: Value) {
        match (self.doc.pointer_mut(ptr), with) {
            (Some(Value::Object(o)), Value::Object(w)) => o.extend(w),
            _ => self.missing.push(ptr.to_string()),
        }
    }

    /// Sets the value at `ptr`, whose parent must exist.
    fn set(&mut self, ptr: &str, v: Value) {
        let (parent, key) = ptr.rsplit_once('/').unwrap_or(("", ptr));
        match self.doc.pointer_mut(parent) {
            Some(Value::Object(o)) => {
                o.insert(key.replace("~1", "/").replace("~0", "~"), v);
            }
            _ => self.missing.push(ptr.to_string()),
        }
    }

    /// Merges `with` into the schema of parameter `name` of an operation.
    fn param(&mut self, op_ptr: &str, name: &str, with: Value) {
        let Some(Value::Array(params)) = self.doc.pointer_mut(&format!("{op_ptr}/parameters")) else {
            self.missing.push(format!("{op_ptr}/parameters"));
            return;
        };
        match params.iter_mut().find(|p| p["name"] == name) {
            Some(p) => match (&mut p["schema"], with) {
                (Value::Object(o), Value::Object(w)) => o.extend(w),
                _ => self.missing.push(format!("{op_ptr} parameter {name}")),
            },
            None => self.missing.push(format!("{op_ptr} parameter {name}")),
        }
    }

    /// Replaces an operation's query parameters by one exploded `form`
    /// object (each property is one query parameter), so the object schema
    /// can say which parameters go together.
    fn query_object(&mut self, op_ptr: &str, name: &str, description: &str, rules: Value) {
        let Some(Value::Array(params)) = self.doc.pointer_mut(&format!("{op_ptr}/parameters")) else {
            self.missing.push(format!("{op_ptr}/parameters"));
            return;
        };
        let mut props = Map::new();
        params.retain(|p| {
            if p["in"] != "query" {
                return true;
            }
            let mut schema = p["schema"].clone();
            if let (Value::Object(o), Some(d)) = (&mut schema, p.get("description")) {
                o.entry("description").or_insert(d.clone());
            }
            props.insert(p["name"].as_str().unwrap_or("").to_string(), schema);
            false
        });
        let mut schema = json!({ "type": "object", "properties": props });
        if let (Value::Object(o), Value::Object(r)) = (&mut schema, rules) {
            o.extend(r);
        }
        params.push(json!({
            "name": name, "in": "query", "style": "form", "explode": true, "required": true,
            "description": description, "schema": schema,
        }));
    }

    fn constraints(&mut self) {
        use crate::scenario::{MAX_API_DRAWS, MAX_NAME, MAX_QUANTITY, MAX_SOURCE, MIN_POPULATION};
        use safetygap_core::drivers::MAX_DRIVER_VALUE;
        let text = json!({ "minLength": 1, "maxLength": MAX_NAME, "pattern": crate::scenario::text_pattern() });
        let (drivers, programs) = match crate::scenario::shipped_catalog() {
            Ok(c) => {
                // Every program with units, also those above the standard tier
                // (`tier: goal` applies them).
                let mut programs: Vec<&safetygap_core::catalog::Benchmark> = c.benchmarks.iter().chain(&c.beyond_tier).collect();
                programs.sort_by_key(|b| b.seq);
                (c.drivers.iter().map(|d| d.id.clone()).collect::<Vec<_>>(), programs.iter().map(|b| b.id.clone()).collect::<Vec<_>>())
            }
            Err(_) => Default::default(),
        };
        let population = json!({ "minimum": MIN_POPULATION, "maximum": MAX_DRIVER_VALUE });

        // Search.
        let search = op("/api/search", "get");
        self.param(
            &search,
            "q",
            json!({ "minLength": 1, "maxLength": api::MAX_SEARCH_LEN, "pattern": not_blank(), "examples": ["oakland", "Alameda County"] }),
        );
        self.param(&search, "limit", json!({ "minimum": 1, "maximum": api::MAX_SEARCH_LIMIT }));

        // A plan by query: a GEOID, or a custom area's population.
        let plan_get = op("/api/plan", "get");
        self.query_object(
            &plan_get,
            "place",
            "`geoid`, or `population` for a custom area (or both: the population replaces the place's), an optional `name`, \
             and the options `tier`, `dollar_year`, `inventory_defaults` (needs `geoid`) and `payer`, as in a scenario.",
            json!({
                "anyOf": [{ "required": ["geoid"] }, { "required": ["population"], "properties": { "inventory_defaults": { "not": {} } } }]
            }),
        );
        self.merge(&format!("{plan_get}/parameters/0/schema/properties/population"), population.clone());
        self.merge(&format!("{plan_get}/parameters/0/schema/properties/name"), text.clone());
        for (field, rule) in choices() {
            self.merge(&format!("{plan_get}/parameters/0/schema/properties/{field}"), rule);
        }

        // Rankings: places only within a state.
        let compare = op("/api/compare", "get");
        self.query_object(
            &compare,
            "ranking",
            "What to rank, where, in which order and how many rows; `state` is needed when `level` is `place`.",
            json!({
                "if": { "required": ["level"], "properties": { "level": { "const": "place" } } },
                "then": { "required": ["state"], "properties": { "state": { "pattern": not_blank() } } },
            }),
        );
        self.merge(&format!("{compare}/parameters/0/schema/properties/limit"), json!({ "minimum": 0, "maximum": api::MAX_COMPARE_LIMIT }));

        // Path parameters with a fixed set of values.
        let names = |list: Vec<&str>| json!({ "enum": list });
        self.param(&op("/api/export/{format}", "post"), "format", names(api::EXPORTS.iter().map(|e| e.0).collect()));
        self.param(&op("/api/charts/{chart}", "post"), "chart", names(api::CHARTS.iter().map(|c| c.0).collect()));
        for m in ["get", "put", "delete"] {
            self.param(&op("/api/saved-plans/{id}", m), "id", json!({ "minimum": 1 }));
        }
        self.param(&op("/api/saved-plans/{id}", "put"), "If-Match", json!({ "type": "string", "pattern": api::IF_MATCH_PATTERN }));

        // The scenario.
        let sc = "/components/schemas/Scenario";
        // A jurisdiction, or a custom area with its population (the one
        // driver without an estimator, see `population_is_the_only_required_driver`),
        // given once: as `population` or as the `population` driver.
        // (if/then/else rather than anyOf: code generators read an anyOf
        // of objects as a union of several scenario types.)
        self.merge(
            sc,
            json!({
                "additionalProperties": false,
                "if": { "required": ["population"], "properties": { "population": { "type": "number" } } },
                // A custom area (population without a GEOID) has no state
                // whose default inventory it could use.
                "then": {
                    "properties": { "drivers": { "properties": { "population": { "not": {} } } } },
                    "anyOf": [
                        { "required": ["geoid"], "properties": { "geoid": { "type": "string" } } },
                        { "properties": { "inventory_defaults": { "type": "null" } } },
                    ],
                },
                "else": { "anyOf": [
                    { "required": ["geoid"], "properties": { "geoid": { "type": "string" } } },
                    { "required": ["drivers"], "properties": { "drivers": { "required": ["population"] }, "inventory_defaults": { "type": "null" } } },
                ] },
            }),
        );
        self.merge(&format!("{sc}/properties/population"), population);
        self.merge(&format!("{sc}/properties/name"), text.clone());
        self.merge(&format!("{sc}/properties/drivers"), json!({ "propertyNames": { "enum": drivers } }));
        self.merge(&format!("{sc}/properties/inventory"), json!({ "propertyNames": { "enum": programs } }));
        for (field, rule) in choices() {
            self.merge(&format!("{sc}/properties/{field}"), rule);
        }
        self.merge("/components/schemas/Simulate/properties/draws", json!({ "minimum": 1, "maximum": MAX_API_DRAWS }));
        if let Some(Value::String(d)) = self.doc.pointer_mut("/components/schemas/Simulate/properties/draws/description") {
            d.push_str(
                " A catalog override with many uncertain figures gets fewer: draws times figures per draw is \
                 limited (422 names the most draws allowed); the shipped catalog stays well within it.",
            );
        }
        self.merge("/components/schemas/Simulate/properties/seed", json!({ "maximum": u64::MAX }));
        let amount = |max: f64| json!({ "minimum": 0, "maximum": max });
        let source = json!({ "maxLength": MAX_SOURCE });
        for (schema, field, max) in [("DriverValue", "value", MAX_DRIVER_VALUE), ("InventoryValue", "quantity", MAX_QUANTITY)] {
            let base = format!("/components/schemas/{schema}/oneOf");
            self.merge(&format!("{base}/0"), amount(max));
            self.merge(&format!("{base}/1"), json!({ "additionalProperties": false }));
            self.merge(&format!("{base}/1/properties/{field}"), amount(max));
            self.merge(&format!("{base}/1/properties/source"), source.clone());
        }
        self.merge("/components/schemas/SavedPlanInput/properties/name", text);
        // The population driver: a driver value of at least MIN_POPULATION
        // (a copy of DriverValue: code generators cannot take allOf of a oneOf).
        let mut min_population = self.doc.pointer("/components/schemas/DriverValue").cloned().unwrap_or(Value::Null);
        for ptr in ["/oneOf/0/minimum", "/oneOf/1/properties/value/minimum"] {
            match min_population.pointer_mut(ptr) {
                Some(v) => *v = json!(MIN_POPULATION),
                None => self.missing.push(format!("/components/schemas/DriverValue{ptr}")),
            }
        }
        self.merge(&format!("{sc}/properties/drivers"), json!({ "properties": { "population": min_population } }));
    }

    /// Every status each operation can answer: the ones its annotation
    /// lists, plus those the extractors and middleware give every
    /// operation of its shape; every error is a shared problem response.
    fn statuses(&mut self, writes_need_token: bool) {
        let mut responses = Map::new();
        for k in Kind::ALL {
            responses.insert(
                response_name(k).to_string(),
                json!({
                    "description": format!("{} (problem type `{}`).", k.title(), k.uri()),
                    "content": { PROBLEM_JSON: { "schema": { "$ref": "#/components/schemas/Problem" } } },
                }),
            );
        }
        let components = &mut self.doc["components"];
        if let Value::Object(c) = components {
            c.insert("responses".into(), Value::Object(responses));
        }
        let Some(Value::Object(paths)) = self.doc.get_mut("paths") else { return };
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                let Some(operation) = item.get_mut(method) else { continue };
                let params = operation["parameters"].as_array().cloned().unwrap_or_default();
                let has = |place: &str| params.iter().any(|p| p["in"] == place);
                // Any request: target too long, too many headers, wrong Host,
                // a bug, busy or too slow.
                let mut codes: Vec<u16> = vec![414, 421, 431, 500, 503];
                if operation.get("requestBody").is_some() {
                    // Unreadable, too large, not JSON, unusable; and a
                    // scenario's unknown GEOID.
                    codes.extend([400, 404, 413, 415, 422]);
                }
                if has("query") || has("header") {
                    codes.push(400);
                }
                if has("path") {
                    codes.push(404);
                }
                let write = method.to_uppercase().parse::<axum::http::Method>().is_ok_and(|m| crate::security::needs_token(&m, path));
                if write && writes_need_token {
                    codes.push(401);
                }
                let Some(Value::Object(res)) = operation.get_mut("responses") else { continue };
                if !writes_need_token {
                    // Without a token nothing answers 401.
                    res.remove("401");
                }
                for (code, r) in res.iter_mut() {
                    let status = code.parse::<u16>().ok().and_then(|c| axum::http::StatusCode::from_u16(c).ok());
                    match status {
                        Some(s) if s.is_client_error() || s.is_server_error() => {
                            *r = json!({ "$ref": format!("#/components/responses/{}", response_name(Kind::from_status(s))) });
                        }
                        Some(s) if r.get("description").is_none() => {
                            r["description"] = json!(s.canonical_reason().unwrap_or("Success"));
                        }
                        _ => {}
                    }
                }
                for c in codes {
                    let kind = Kind::from_status(axum::http::StatusCode::from_u16(c).unwrap_or_default());
                    res.entry(c.to_string())
                        .or_insert_with(|| json!({ "$ref": format!("#/components/responses/{}", response_name(kind)) }));
                }
            }
        }
    }

    /// Bearer security on the saved-plan operations when this server has a
    /// token (`security::needs_token`, what the middleware checks); none
    /// otherwise (a loopback server without a token lets anyone on this
    /// machine read and write them).
    fn security(&mut self, writes_need_token: bool) {
        let how = if writes_need_token {
            "This server was started with a token: every saved-plan operation (listing, reading, saving, \
             updating, deleting) needs `Authorization: Bearer <token>` (401 otherwise); computing plans and \
             everything else stays open."
        } else {
            "This server was started without a token, which it allows only on loopback: every operation, \
             saved plans included, is open to anyone who can reach it, and no operation lists a security \
             requirement. Started with a token (always, off loopback), every saved-plan operation needs \
             `Authorization: Bearer <token>`."
        };
        self.set(
            "/components/securitySchemes",
            json!({ "bearer": { "type": "http", "scheme": "bearer", "description": format!(
                "The value of the environment variable named by `safetygap serve --token-env` (default SAFETYGAP_TOKEN). {how}"
            ) } }),
        );
        if let Some(Value::String(d)) = self.doc.pointer_mut("/info/description") {
            d.push_str("\n\nSecurity: ");
            d.push_str(how);
        }
        if !writes_need_token {
            return;
        }
        let Some(Value::Object(paths)) = self.doc.get_mut("paths") else { return };
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                let write = method.to_uppercase().parse::<axum::http::Method>().is_ok_and(|m| crate::security::needs_token(&m, path));
                if let (true, Some(operation)) = (write, item.get_mut(method)) {
                    operation["security"] = json!([{ "bearer": [] }]);
                }
            }
        }
    }

    /// Links from a saved plan to the operations on it (for clients and
    /// stateful testing).
    fn links(&mut self) {
        let id = json!({ "id": "$response.body#/id" });
        let links = json!({
            "GetSavedPlan": { "operationId": "saved_get", "parameters": id },
            "UpdateSavedPlan": { "operationId": "saved_update", "parameters": id },
            "DeleteSavedPlan": { "operationId": "saved_delete", "parameters": id },
        });
        for (path, method, code) in
            [("/api/saved-plans", "post", "201"), ("/api/saved-plans/{id}", "get", "200"), ("/api/saved-plans/{id}", "put", "200")]
        {
            self.set(&format!("{}/responses/{code}/links", op(path, method)), links.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn population_is_the_only_required_driver() {
        // The Scenario schema's anyOf (a GEOID, or a custom area's
        // population) assumes it; a new driver without an estimator must
        // be added there.
        let c = crate::scenario::shipped_catalog().unwrap();
        let required: Vec<&str> = c.drivers.iter().filter(|d| d.is_required()).map(|d| d.id.as_str()).collect();
        assert_eq!(required, ["population"]);
    }
}
