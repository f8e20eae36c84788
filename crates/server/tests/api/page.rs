//! Page and OpenAPI.

use super::*;

#[tokio::test]
pub(super) async fn page_and_assets_are_served_without_inline_script() {
    let app = app();
    let page = get(&app, "/").await;
    assert!(page.ctype().starts_with("text/html"));
    let html = page.text();
    assert!(html.contains("<script src=\"/assets/app.js\""));
    // No inline script or style, no outside URL.
    assert!(!html.contains("<script>") && !html.contains("style=\"") && !html.contains("<style"));
    for (name, ..) in safetygap_server::assets::FILES {
        let res = get(&app, &format!("/assets/{name}")).await;
        assert_eq!(res.status, StatusCode::OK, "{name}");
        let text = res.text();
        assert!(!text.contains("http://") && !text.contains("https://") || name.ends_with(".svg"), "{name} refers to another origin");
    }
    get(&app, "/assets/nope.js").await.problem(404);
    let docs = get(&app, "/api/docs").await;
    assert!(docs.text().contains("/assets/docs.js"));
}

#[tokio::test]
pub(super) async fn openapi_document_describes_every_plan_member() {
    let app = app();
    let doc = get(&app, "/api/openapi.json").await.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/plan",
        "/api/search",
        "/api/compare",
        "/api/catalog",
        "/api/saved-plans",
        "/api/saved-plans/{id}",
        "/api/export/{format}",
        "/api/map/{state}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    let schemas = &doc["components"]["schemas"];
    let props = |name: &str| -> Vec<String> {
        schemas[name]["properties"].as_object().unwrap_or_else(|| panic!("{name}")).keys().cloned().collect()
    };
    let plan = post(&app, "/api/plan", json!({ "geoid": "06001", "simulate": { "draws": 10 } })).await.json();
    let check = |v: &Value, schema: &str| {
        let known = props(schema);
        for k in v.as_object().unwrap().keys() {
            assert!(known.contains(k), "{schema} does not describe `{k}`");
        }
    };
    check(&plan, "PlanJson");
    check(&plan["jurisdiction"], "JurisdictionJson");
    check(&plan["totals"], "SubtotalJson");
    check(&plan["gap_areas"][0], "AreaSubtotalJson");
    for d in plan["drivers"].as_array().unwrap() {
        check(d, "DriverJson");
    }
    for p in plan["programs"].as_array().unwrap() {
        check(p, "ProgramJson");
    }
    // Every problem type used is documented on the reference page.
    let docs_js = String::from_utf8_lossy(safetygap_server::assets::FILES.iter().find(|f| f.0 == "docs.js").unwrap().2).into_owned();
    for kind in [
        "bad-request",
        "unauthorized",
        "not-found",
        "method-not-allowed",
        "precondition-failed",
        "too-large",
        "unsupported-media-type",
        "misdirected-request",
        "invalid",
        "unavailable",
        "internal",
    ] {
        assert!(docs_js.contains(&format!("'{kind}'")), "problem-{kind} not documented in docs.js");
    }
}

#[tokio::test]
pub(super) async fn a_panic_becomes_a_problem() {
    // The real router (every layer `router()` has), with one extra route
    // that panics: removing the panic-catching layer fails this test.
    hermetic();
    let boom = Router::new().route(
        "/api/boom",
        axum::routing::get(|| async {
            if true {
                panic!("boom")
            }
            "unreachable"
        }),
    );
    let app = safetygap_server::router_with_extra(AppState::new(Store::open_in_memory().unwrap(), None, true), boom);
    let res = get(&app, "/api/boom").await;
    let p = res.problem(500);
    assert!(!p["detail"].as_str().unwrap().contains("boom"), "internal text leaked: {p}");
    assert_eq!(res.headers["x-frame-options"], "DENY", "security headers on the panic response");
    // The same router still answers.
    assert_eq!(get(&app, "/api/health").await.status, StatusCode::OK);
}
