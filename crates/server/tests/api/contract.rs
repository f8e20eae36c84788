//! The published contract.

use super::*;

/// Every `$ref` in `v`.
pub(super) fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                out.push(r.clone());
            }
            o.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[tokio::test]
pub(super) async fn openapi_document_lists_every_status_and_the_servers_security() {
    use safetygap_server::openapi::document_checked;
    for token in [false, true] {
        let (doc, missing) = document_checked(token);
        assert!(missing.is_empty(), "constraints meant for places the document lacks: {missing:?}");
        // The served document is this one.
        let served = if token {
            get(&app_with_token("0123456789abcdef0123"), "/api/openapi.json").await
        } else {
            get(&app(), "/api/openapi.json").await
        };
        assert_eq!(served.json(), doc);
        let mut all = Vec::new();
        refs(&doc, &mut all);
        for r in &all {
            let ptr = r.strip_prefix('#').unwrap_or_else(|| panic!("external $ref {r}"));
            assert!(doc.pointer(ptr).is_some(), "$ref {r} does not resolve");
        }
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let res = op["responses"].as_object().unwrap();
                let has = |c: &str| res.contains_key(c);
                for c in ["414", "421", "431", "500", "503"] {
                    assert!(has(c), "{method} {path} lacks {c}");
                }
                if op.get("requestBody").is_some() {
                    for c in ["400", "404", "413", "415", "422"] {
                        assert!(has(c), "{method} {path} lacks {c}");
                    }
                }
                for (code, r) in res {
                    let r = match r.get("$ref") {
                        Some(Value::String(x)) => doc.pointer(x.trim_start_matches('#')).unwrap(),
                        _ => r,
                    };
                    assert!(r["description"].is_string(), "{method} {path} {code} has no description");
                    if code.starts_with('4') || code.starts_with('5') {
                        assert_eq!(
                            r["content"]["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem",
                            "{method} {path} {code}"
                        );
                    }
                }
                let write = safetygap_server::security::needs_token(&method.to_uppercase().parse().unwrap(), path);
                assert_eq!(op.get("security").is_some(), write && token, "{method} {path} security");
                assert_eq!(has("401"), write && token, "{method} {path} 401");
            }
        }
    }
}

#[tokio::test]
pub(super) async fn the_documented_limits_are_the_enforced_ones() {
    use safetygap_server::api::{MAX_COMPARE_LIMIT, MAX_SEARCH_LEN, MAX_SEARCH_LIMIT};
    use safetygap_server::scenario::{MAX_API_DRAWS, MAX_NAME, MIN_POPULATION};
    let app = app();
    let doc = get(&app, "/api/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Simulate"]["properties"]["draws"]["maximum"], MAX_API_DRAWS);
    assert_eq!(schemas["Scenario"]["properties"]["population"]["minimum"], MIN_POPULATION);
    assert_eq!(schemas["SavedPlanInput"]["properties"]["name"]["maxLength"], MAX_NAME);
    assert!(schemas["Scenario"]["properties"]["drivers"]["propertyNames"]["enum"].as_array().unwrap().contains(&json!("homicides")));
    let q = &doc["paths"]["/api/search"]["get"]["parameters"];
    assert_eq!(q[0]["schema"]["maxLength"], MAX_SEARCH_LEN);
    assert_eq!(q[1]["schema"]["maximum"], MAX_SEARCH_LIMIT);

    // Each side of each bound: the documented edge is accepted, one past it refused.
    let ok = |r: Res| assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    ok(get(&app, &format!("/api/search?q=oak&limit={MAX_SEARCH_LIMIT}")).await);
    get(&app, &format!("/api/search?q=oak&limit={}", MAX_SEARCH_LIMIT + 1)).await.problem(400);
    get(&app, "/api/search?q=oak&limit=0").await.problem(400);
    get(&app, &format!("/api/search?q={}", "a".repeat(MAX_SEARCH_LEN + 1))).await.problem(400);
    get(&app, "/api/search?q=%20%09").await.problem(400);
    ok(get(&app, &format!("/api/compare?level=state&limit={MAX_COMPARE_LIMIT}")).await);
    get(&app, &format!("/api/compare?level=state&limit={}", MAX_COMPARE_LIMIT + 1)).await.problem(400);
    ok(post(&app, "/api/plan", json!({ "population": MIN_POPULATION })).await);
    post(&app, "/api/plan", json!({ "population": 0.5 })).await.problem(422);
    post(&app, "/api/plan", json!({ "drivers": { "population": { "value": 0.5 } } })).await.problem(422);
    post(&app, "/api/plan", json!({ "population": 5, "drivers": { "population": 5 } })).await.problem(422);
    // `integer` in JSON Schema includes 2.0.
    ok(post(&app, "/api/plan", json!({ "population": 1000, "simulate": { "draws": 2.0, "seed": 7.0 } })).await);
    post(&app, "/api/plan", json!({ "population": 1000, "simulate": { "draws": 2.5 } })).await.problem(422);
    // Where the simulation is not run, its settings are still checked.
    post(&app, "/api/charts/cost-by-area", json!({ "population": 1000, "simulate": { "draws": 0 } })).await.problem(422);
    let bad = json!({ "name": "x", "scenario": { "population": 1000, "simulate": { "draws": MAX_API_DRAWS + 1 } } });
    let p = post(&app, "/api/saved-plans", bad).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/scenario/simulate/draws");
    let name = "n".repeat(MAX_NAME);
    ok(post(&app, "/api/plan", json!({ "population": 1000, "name": name })).await);
    post(&app, "/api/plan", json!({ "population": 1000, "name": format!("{name} ") })).await.problem(422);
    post(&app, "/api/plan", json!({ "population": 1000, "other": 1 })).await.problem(422);

    // If-Match: exactly the documented forms.
    let created = post(&app, "/api/saved-plans", json!({ "name": "x", "scenario": { "geoid": "06" } })).await.json();
    let uri = format!("/api/saved-plans/{}", created["id"]);
    let body = json!({ "name": "y", "scenario": { "geoid": "06" } });
    for tag in ["\"r1\"", "W/\"r2\"", "*", ""] {
        let r = with(&app, Method::PUT, &uri, Some(body.clone()), &[("if-match", tag)]).await;
        assert_eq!(r.status, StatusCode::OK, "{tag}: {}", r.text());
    }
    for tag in ["r4", "\"4\"", "\"r-4\"", "null"] {
        with(&app, Method::PUT, &uri, Some(body.clone()), &[("if-match", tag)]).await.problem(400);
    }
}
