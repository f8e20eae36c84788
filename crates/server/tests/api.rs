//! The API, called in-process through the router (no sockets).

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use safetygap_core::drivers::SuppliedDriver;
use safetygap_core::inventory::InventoryItem;
use safetygap_core::{compute, shipped};
use safetygap_data::embedded::gazetteer;
use safetygap_data::inputs::plan_input;
use safetygap_server::scenario::Scenario;
use safetygap_server::storage::Store;
use safetygap_server::{router, AppState};
use serde_json::{json, Value};
use tower::ServiceExt;

/// Hermetic tests: the imported-data directory the API reads (through
/// `plan_input`) is this process's own empty temporary directory, never the
/// developer's `~/.local/share/safetygap`.
fn hermetic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let dir = std::env::temp_dir().join(format!("safetygap-api-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(safetygap_data::store::set_default_dir(&dir), "the data directory was chosen before the tests set it");
    });
}

fn app() -> Router {
    hermetic();
    router(AppState::new(Store::open_in_memory().unwrap(), None, true))
}

fn app_with_token(token: &str) -> Router {
    hermetic();
    router(AppState::new(Store::open_in_memory().unwrap(), Some(token.into()), false))
}

struct Res {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Res {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn ctype(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    /// Asserts an RFC 9457 problem with this status and returns it.
    fn problem(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "{}", self.text());
        assert_eq!(self.ctype(), "application/problem+json");
        let p = self.json();
        assert_eq!(p["status"], status);
        assert!(p["type"].as_str().unwrap().starts_with("/api/docs#problem-"));
        assert!(!p["title"].as_str().unwrap().is_empty());
        assert!(p["detail"].as_str().unwrap().len() > 10, "useless detail: {p}");
        p
    }
}

async fn send(app: &Router, req: Request<Body>) -> Res {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    Res { status, headers, body }
}

async fn get(app: &Router, uri: &str) -> Res {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, uri: &str, body: Value) -> Res {
    send(app, Request::post(uri).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string())).unwrap()).await
}

async fn with(app: &Router, method: Method, uri: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Res {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    send(app, b.body(body).unwrap()).await
}

// ------------------------------------------------------------ equality with the CLI

/// What `safetygap plan --format json` prints for a plan, parsed the same
/// way as the API's response (so float parsing treats both alike).
fn cli_json(plan: &safetygap_core::Plan) -> Value {
    serde_json::from_str(&safetygap_report::json::render(plan)).unwrap()
}

#[tokio::test]
async fn plan_for_a_geoid_equals_the_cli_json() {
    let app = app();
    let catalog = shipped::catalog().unwrap();
    let g = gazetteer();
    for geoid in ["06001", "06", "US", "0653000", "09110"] {
        // What `safetygap plan --geoid X --format json` prints.
        let expected = cli_json(&compute(&catalog, &plan_input(g, g.get(geoid).unwrap())).unwrap());
        let by_get = get(&app, &format!("/api/plan?geoid={geoid}")).await;
        assert_eq!(by_get.status, StatusCode::OK, "{}", by_get.text());
        assert_eq!(by_get.json(), expected, "GET {geoid}");
        let by_post = post(&app, "/api/plan", json!({ "geoid": geoid })).await;
        assert_eq!(by_post.json(), expected, "POST {geoid}");
    }
}

#[tokio::test]
async fn plan_with_overrides_and_inventory_equals_the_cli_json() {
    // safetygap plan --geoid 06001 --set homicides=120 --inventory have.csv --format json,
    // built with the same library calls the CLI makes.
    let catalog = shipped::catalog().unwrap();
    let g = gazetteer();
    let mut input = plan_input(g, g.get("06001").unwrap());
    input.drivers.insert("homicides".into(), SuppliedDriver::given(120.0, "local figure (--set)"));
    input
        .inventory
        .items
        .insert("dv_shelter_bed".into(), InventoryItem { quantity: 12.0, source: "County DV coalition count 2024".into(), verified: true });
    input.inventory.items.insert("trauma_recovery_center".into(), InventoryItem { quantity: 1.0, source: String::new(), verified: false });
    let expected = cli_json(&compute(&catalog, &input).unwrap());

    let res = post(
        &app(),
        "/api/plan",
        json!({
            "geoid": "06001",
            "drivers": { "homicides": { "value": 120, "source": "local figure (--set)" } },
            "inventory": {
                "dv_shelter_bed": { "quantity": 12, "source": "County DV coalition count 2024", "verified": true },
                "trauma_recovery_center": 1
            }
        }),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json(), expected);
}

#[tokio::test]
async fn custom_area_equals_the_library_plan() {
    let catalog = shipped::catalog().unwrap();
    let input = safetygap_core::PlanInput::custom("Example City", 250_000.0, safetygap_server::scenario::DEFAULT_SOURCE);
    let expected = cli_json(&compute(&catalog, &input).unwrap());
    let res = post(&app(), "/api/plan", json!({ "population": 250000, "name": "Example City" })).await;
    assert_eq!(res.json(), expected);
    // The numbers equal the CLI's custom-area plan; only the population's
    // provenance wording differs ("given on the command line").
    let cli =
        cli_json(&compute(&catalog, &safetygap_core::PlanInput::custom("Example City", 250_000.0, "given on the command line")).unwrap());
    assert_eq!(res.json()["totals"], cli["totals"]);
    assert_eq!(res.json()["programs"], cli["programs"]);
}

#[tokio::test]
async fn simulation_equals_the_cli_simulated_json() {
    let catalog = shipped::catalog().unwrap();
    let input2 = safetygap_core::PlanInput::custom("Custom area", 100_000.0, safetygap_server::scenario::DEFAULT_SOURCE);
    let plan = compute(&catalog, &input2).unwrap();
    let sim = safetygap_core::simulate::simulate(&catalog, &input2, safetygap_core::simulate::SimOptions { draws: 500, seed: 7 }).unwrap();
    let expected: Value = serde_json::from_str(&safetygap_report::simulated::json(&plan, &sim)).unwrap();
    let res = post(&app(), "/api/plan", json!({ "population": 100000, "simulate": { "draws": 500, "seed": 7 } })).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json(), expected);
    assert!(res.json()["simulation"]["totals"]["annual_cost"]["p95"].as_f64().unwrap() > 0.0);
}

#[tokio::test]
async fn catalog_override_changes_one_coefficient() {
    // The example of docs/CATALOG.md, as `--catalog FILE` would load it.
    let text = "[[benchmark]]\nid = \"psychiatric_bed\"\nratio = { per = 100000, low = 40, mid = 50, high = 60 }\nevidence = \"published\"\ncitations = [\"Treatment Advocacy Center: 40-60 beds per 100,000\"]\n";
    let base = post(&app(), "/api/plan", json!({ "population": 250000 })).await.json();
    let res = post(&app(), "/api/plan", json!({ "population": 250000, "catalog": text })).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let over = res.json();
    assert!(over["catalog_version"].as_str().unwrap().contains("+user."));
    let beds = |v: &Value| {
        v["programs"].as_array().unwrap().iter().find(|p| p["id"] == "psychiatric_bed").unwrap()["need"]["mid"].as_f64().unwrap()
    };
    assert_eq!(beds(&over), 125.0, "50 per 100,000 of 250,000");
    assert_ne!(beds(&base), beds(&over));
    // The same as the library with the override loaded as the CLI loads it.
    let catalog = shipped::load_with(&[safetygap_core::CatalogSource { name: safetygap_server::scenario::OVERRIDE_FILE, text }]).unwrap();
    let input = safetygap_core::PlanInput::custom("Custom area", 250_000.0, safetygap_server::scenario::DEFAULT_SOURCE);
    assert_eq!(over, cli_json(&compute(&catalog, &input).unwrap()));
}

#[tokio::test]
async fn bad_catalog_override_is_located() {
    let res = post(&app(), "/api/plan", json!({ "population": 250000, "catalog": "[[benchmark]]\nid = \"x\"\nratio = \"lots\"\n" })).await;
    let p = res.problem(422);
    let e = &p["errors"][0];
    assert_eq!(e["file"], "catalog override");
    assert_eq!(e["pointer"], "/catalog");
    assert!(e["detail"].as_str().unwrap().len() > 5);
}

// ------------------------------------------------------------ errors

#[tokio::test]
async fn input_errors_are_problems_with_pointers() {
    let app = app();
    let p = post(&app, "/api/plan", json!({ "geoid": "06001", "drivers": { "homicidez": 3 } })).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/drivers/homicidez");
    assert!(p["detail"].as_str().unwrap().contains("Did you mean `homicides`?"));

    let p = post(&app, "/api/plan", json!({ "geoid": "06001", "drivers": { "homicides": -4 } })).await.problem(422);
    assert!(p["detail"].as_str().unwrap().contains("negative"));

    let p = post(&app, "/api/plan", json!({ "geoid": "06001", "drivers": { "homicides": "many" } })).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/drivers/homicides");
    assert!(p["detail"].as_str().unwrap().contains("expected a number"), "{p}");

    let p = post(&app, "/api/plan", json!({ "geoid": "06001", "inventory": { "dv_shelter_beds": 3 } })).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/inventory/dv_shelter_beds");
    assert!(p["detail"].as_str().unwrap().contains("dv_shelter_bed"));

    let p = post(&app, "/api/plan", json!({ "geoid": "99999" })).await.problem(404);
    assert_eq!(p["errors"][0]["pointer"], "/geoid");

    let p = post(&app, "/api/plan", json!({})).await.problem(422);
    assert!(p["detail"].as_str().unwrap().contains("population"));

    let p = post(&app, "/api/plan", json!({ "population": 0 })).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/population");

    let p = post(&app, "/api/plan", json!({ "population": 1000, "colour": "red" })).await.problem(422);
    assert!(p["detail"].as_str().unwrap().contains("colour"));

    let p = post(&app, "/api/plan", json!({ "population": 1000, "simulate": { "draws": 10000000 } })).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/simulate/draws");

    let p = post(&app, "/api/plan", json!({ "population": 1000, "name": "a\nb" })).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/name");
}

#[tokio::test]
async fn transport_errors_are_problems() {
    let app = app();
    // Malformed JSON.
    let res =
        send(&app, Request::post("/api/plan").header(header::CONTENT_TYPE, "application/json").body(Body::from("{\"geoid\": ")).unwrap())
            .await;
    assert!(res.problem(400)["detail"].as_str().unwrap().contains("not valid JSON"));
    // Not JSON at all.
    let res = send(&app, Request::post("/api/plan").header(header::CONTENT_TYPE, "text/plain").body(Body::from("geoid=06")).unwrap()).await;
    res.problem(415);
    // Too large.
    let big = "x".repeat(safetygap_server::BODY_LIMIT + 10);
    let res = post(&app, "/api/plan", json!({ "population": 1, "catalog": big })).await;
    res.problem(413);
    // Unknown route and wrong method.
    res_404(&get(&app, "/api/nothing").await);
    let res = with(&app, Method::DELETE, "/api/search", None, &[]).await;
    let p = res.problem(405);
    assert!(res.headers.get(header::ALLOW).is_some());
    assert!(p["detail"].as_str().unwrap().contains("GET"), "{p}");
    // Bad query.
    get(&app, "/api/compare?level=galaxy").await.problem(400);
    get(&app, "/api/search?q=").await.problem(400);
    get(&app, "/api/saved-plans/abc").await.problem(404);
}

fn res_404(r: &Res) {
    let p = r.problem(404);
    assert!(p["detail"].as_str().unwrap().contains("/api/nothing"));
}

#[tokio::test]
async fn hostile_inputs_never_panic() {
    let app = app();
    let nasty = [
        json!({ "population": 1e308 }),
        json!({ "population": -0.0 }),
        json!({ "population": 5, "drivers": { "population": 6 } }),
        json!({ "geoid": "" }),
        json!({ "geoid": "../../etc/passwd" }),
        json!({ "geoid": "06", "name": "<script>alert(1)</script>" }),
        json!({ "population": 1000, "drivers": { "homicides": 1e300 } }),
        json!({ "population": 1000, "inventory": { "dv_shelter_bed": -1 } }),
        json!({ "population": 1000, "inventory": { "dv_shelter_bed": { "quantity": 1, "bogus": 1 } } }),
        json!({ "population": 1000, "catalog": "[[[" }),
        json!({ "population": 1000, "catalog": "" }),
        json!({ "population": 1000, "simulate": { "draws": 0 } }),
        json!({ "population": 1000, "simulate": { "draws": 1, "seed": 18446744073709551615u64 } }),
        json!([1, 2, 3]),
        json!("string"),
        json!(null),
    ];
    for body in nasty {
        for uri in ["/api/plan", "/api/export/xlsx", "/api/export/html", "/api/charts/need-vs-existing", "/api/explain/dv_shelter_bed"] {
            let res = post(&app, uri, body.clone()).await;
            assert!(res.status != StatusCode::INTERNAL_SERVER_ERROR, "{uri} {body}: {}", res.text());
            if !res.status.is_success() {
                res.problem(res.status.as_u16());
            }
        }
    }
    // A name with markup comes back as data, never interpreted.
    let res = post(&app, "/api/plan", json!({ "geoid": "06", "name": "<script>alert(1)</script>" })).await;
    assert_eq!(res.json()["jurisdiction"]["name"], "<script>alert(1)</script>");
    assert_eq!(res.ctype(), "application/json");
}

// ------------------------------------------------------------ reads

#[tokio::test]
async fn search_jurisdiction_catalog_compare_map() {
    let app = app();
    let hits = get(&app, "/api/search?q=oakland&limit=5").await.json();
    let first = &hits[0];
    assert_eq!(first["display"], "Oakland, CA");
    assert_eq!(first["state_fips"], "06");

    let j = get(&app, "/api/jurisdictions/06001").await.json();
    assert_eq!(j["display"], "Alameda County, CA");
    assert_eq!(j["parents"][0]["geoid"], "06");
    get(&app, "/api/jurisdictions/00000").await.problem(404);

    let c = get(&app, "/api/catalog").await.json();
    assert_eq!(c["gap_areas"].as_array().unwrap().len(), 4);
    assert!(c["benchmarks"].as_array().unwrap().len() > 10);

    let r = get(&app, "/api/compare?level=county&state=CA&sort=gap&limit=3").await.json();
    assert_eq!(r["total"], 58);
    assert_eq!(r["rows"].as_array().unwrap().len(), 3);
    assert_eq!(r["rows"][0]["geoid"], "06037", "Los Angeles has the largest gap");
    assert_eq!(r["rows"][0]["rank"], 1);
    let s = get(&app, "/api/compare?level=state&sort=name&limit=0").await.json();
    assert_eq!(s["total"], 51);
    get(&app, "/api/compare?level=place").await.problem(422);
    get(&app, "/api/compare?state=Atlantis").await.problem(422);
    get(&app, "/api/compare?state=Narnia").await.problem(404);

    let m = get(&app, "/api/map/CA?highlight=06001").await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.text());
    assert_eq!(m.ctype(), "image/svg+xml");
    assert!(m.text().starts_with("<svg"));
    let us = get(&app, "/api/map/US?measure=coverage").await;
    assert_eq!(us.status, StatusCode::OK);
    get(&app, "/api/map/Narnia").await.problem(404);
}

#[tokio::test]
async fn exports_and_charts() {
    let app = app();
    let scenario = json!({ "geoid": "06001", "inventory": { "dv_shelter_bed": 10 } });
    for (fmt, ctype, magic) in [
        ("csv", "text/csv", &b"row_kind"[..]),
        ("json", "application/json", &b"{"[..]),
        ("markdown", "text/markdown", &b"#"[..]),
        ("html", "text/html", &b"<!DOCTYPE"[..]),
        ("xlsx", "application/vnd.openxmlformats", &b"PK"[..]),
    ] {
        let res = post(&app, &format!("/api/export/{fmt}"), scenario.clone()).await;
        assert_eq!(res.status, StatusCode::OK, "{fmt}: {}", res.text());
        assert!(res.ctype().starts_with(ctype), "{fmt}: {}", res.ctype());
        let disp = res.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disp.starts_with("attachment; filename=\"safetygap-alameda-county-ca."), "{disp}");
        let body_start = &res.body[..magic.len().min(res.body.len())];
        assert!(
            body_start.eq_ignore_ascii_case(magic) || res.text().contains("row_kind"),
            "{fmt} starts {:?}",
            String::from_utf8_lossy(&res.body[..20.min(res.body.len())])
        );
    }
    post(&app, "/api/export/pdf", scenario.clone()).await.problem(404);
    for chart in ["need-vs-existing", "cost-by-area", "cost-by-program"] {
        let res = post(&app, &format!("/api/charts/{chart}"), scenario.clone()).await;
        assert_eq!(res.ctype(), "image/svg+xml");
        assert!(res.text().starts_with("<svg"));
    }
    post(&app, "/api/charts/pie", scenario.clone()).await.problem(404);
    let e = post(&app, "/api/explain/dv_shelter_bed", scenario.clone()).await.json();
    assert_eq!(e["id"], "dv_shelter_bed");
    post(&app, "/api/explain/nope", scenario).await.problem(404);
}

// ------------------------------------------------------------ saved plans

#[tokio::test]
async fn saved_plan_crud() {
    let app = app();
    assert_eq!(get(&app, "/api/saved-plans").await.json(), json!([]));
    let scenario = json!({ "geoid": "06001", "drivers": { "homicides": 120 }, "inventory": { "dv_shelter_bed": 12 } });
    let res = post(&app, "/api/saved-plans", json!({ "name": "Alameda draft", "scenario": scenario })).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let saved = res.json();
    let id = saved["id"].as_i64().unwrap();
    assert_eq!(res.headers[header::LOCATION], format!("/api/saved-plans/{id}").as_str());
    assert_eq!(res.headers[header::ETAG], "\"r1\"");
    let as_scenario = |v: &Value| serde_json::from_value::<safetygap_server::scenario::Scenario>(v.clone()).unwrap();
    assert_eq!(as_scenario(&saved["scenario"]), as_scenario(&scenario));

    let list = get(&app, "/api/saved-plans").await.json();
    assert_eq!(list[0]["name"], "Alameda draft");
    assert_eq!(list[0]["geoid"], "06001");

    // The saved scenario computes the same plan as posting it.
    let got = get(&app, &format!("/api/saved-plans/{id}")).await.json();
    let a = post(&app, "/api/plan", got["scenario"].clone()).await.json();
    let b = post(&app, "/api/plan", scenario.clone()).await.json();
    assert_eq!(a, b);

    // Update with the right and the wrong revision.
    let changed = json!({ "name": "Alameda v2", "scenario": { "geoid": "06001" } });
    let res = with(&app, Method::PUT, &format!("/api/saved-plans/{id}"), Some(changed.clone()), &[("if-match", "\"r1\"")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["revision"], 2);
    with(&app, Method::PUT, &format!("/api/saved-plans/{id}"), Some(changed.clone()), &[("if-match", "\"r1\"")]).await.problem(412);
    with(&app, Method::PUT, "/api/saved-plans/999", Some(changed), &[]).await.problem(404);

    // Invalid scenarios are not saved, and the pointer says where.
    let p = post(&app, "/api/saved-plans", json!({ "name": "bad", "scenario": { "geoid": "06001", "drivers": { "nope": 1 } } }))
        .await
        .problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/scenario/drivers/nope");
    post(&app, "/api/saved-plans", json!({ "name": "  ", "scenario": { "geoid": "06" } })).await.problem(422);

    let res = with(&app, Method::DELETE, &format!("/api/saved-plans/{id}"), None, &[]).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    with(&app, Method::DELETE, &format!("/api/saved-plans/{id}"), None, &[]).await.problem(404);
    get(&app, &format!("/api/saved-plans/{id}")).await.problem(404);
}

#[tokio::test]
async fn saved_plans_survive_a_restart() {
    let dir = tempdir();
    let db = dir.join("plans.db");
    let app1 = router(AppState::new(Store::open(&db).unwrap(), None, true));
    let saved = post(
        &app1,
        "/api/saved-plans",
        json!({ "name": "Keep me", "scenario": { "geoid": "06", "inventory": { "trauma_recovery_center": 2 } } }),
    )
    .await
    .json();
    drop(app1);
    let app2 = router(AppState::new(Store::open(&db).unwrap(), None, true));
    let got = get(&app2, &format!("/api/saved-plans/{}", saved["id"])).await.json();
    assert_eq!(got, saved);
    std::fs::remove_dir_all(dir).ok();
}

/// Plans saved and links shared by earlier releases name places by
/// GeoNames id (`GN5378538` was Oakland, CA). They still open: as the Census
/// place the id now stands for, with a notice saying so.
#[tokio::test]
async fn old_geonames_ids_in_saved_plans_and_share_links_still_open() {
    let dir = tempdir();
    let db = dir.join("plans.db");
    // A plan saved by an earlier release, written to the database as it was.
    let old: Scenario = serde_json::from_value(json!({ "geoid": "GN5378538", "inventory": { "trauma_recovery_center": 1 } })).unwrap();
    let id = Store::open(&db).unwrap().create("Oakland draft (2025)", &old).unwrap().id;
    let app = router(AppState::new(Store::open(&db).unwrap(), None, true));
    let saved = get(&app, &format!("/api/saved-plans/{id}")).await.json();
    assert_eq!(saved["scenario"]["geoid"], "GN5378538", "the saved plan is kept as it was");

    // Opening it computes the plan of the Census place 0653000.
    let catalog = shipped::catalog().unwrap();
    let g = gazetteer();
    let mut now: Scenario = serde_json::from_value(saved["scenario"].clone()).unwrap();
    let by_old = post(&app, "/api/plan", serde_json::to_value(&now).unwrap()).await;
    assert_eq!(by_old.status, StatusCode::OK, "{}", by_old.text());
    now.geoid = Some("0653000".into());
    let by_new = post(&app, "/api/plan", serde_json::to_value(&now).unwrap()).await.json();
    assert_eq!(by_old.json(), by_new);
    assert_eq!(by_new["jurisdiction"]["id"], "0653000");
    let plain = cli_json(&compute(&catalog, &plan_input(g, g.get("0653000").unwrap())).unwrap());
    assert_eq!(get(&app, "/api/plan?geoid=GN5378538").await.json(), plain);

    // A share link (#geoid=GN5378538) looks the place up by its old id: the
    // answer is the Census place, with a one-line notice.
    let info = get(&app, "/api/jurisdictions/GN5378538").await.json();
    assert_eq!(info["geoid"], "0653000");
    let notice = info["notice"].as_str().unwrap();
    assert!(notice.contains("GN5378538") && notice.contains("0653000") && !notice.contains('\n'), "{notice}");
    assert!(get(&app, "/api/jurisdictions/0653000").await.json().get("notice").is_none());
    // A GeoNames neighbourhood opens the Census place containing it.
    let brooklyn = get(&app, "/api/jurisdictions/GN5110302").await.json();
    assert_eq!(brooklyn["geoid"], "3651000", "Brooklyn lies in New York city");
    assert!(brooklyn["notice"].as_str().unwrap().contains("not a Census place"));
    get(&app, "/api/jurisdictions/GN1").await.problem(404);
    std::fs::remove_dir_all(dir).ok();
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "safetygap-api-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ------------------------------------------------------------ security

#[tokio::test]
async fn writes_need_the_token_when_one_is_set() {
    let token = "0123456789abcdef0123";
    let app = app_with_token(token);
    assert_eq!(get(&app, "/api/health").await.json()["writes_need_token"], true);
    let body = json!({ "name": "x", "scenario": { "geoid": "06" } });
    let res = post(&app, "/api/saved-plans", body.clone()).await;
    res.problem(401);
    assert!(res.headers[header::WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));
    with(&app, Method::POST, "/api/saved-plans", Some(body.clone()), &[("authorization", "Bearer wrong-token-wrong-token")])
        .await
        .problem(401);
    let ok = with(&app, Method::POST, "/api/saved-plans", Some(body.clone()), &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(ok.status, StatusCode::CREATED);
    let id = ok.json()["id"].as_i64().unwrap();
    with(&app, Method::DELETE, &format!("/api/saved-plans/{id}"), None, &[]).await.problem(401);
    // Issue 12 row 5: reading saved plans needs the token too (their names
    // and scenarios are private, and ids are sequential).
    get(&app, "/api/saved-plans").await.problem(401);
    get(&app, &format!("/api/saved-plans/{id}")).await.problem(401);
    let auth = format!("Bearer {token}");
    let list = with(&app, Method::GET, "/api/saved-plans", None, &[("authorization", &auth)]).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let one = with(&app, Method::GET, &format!("/api/saved-plans/{id}"), None, &[("authorization", &auth)]).await;
    assert_eq!(one.json()["name"], "x");
    // Computations stay open.
    assert_eq!(post(&app, "/api/plan", json!({ "geoid": "06" })).await.status, StatusCode::OK);
    // A server off loopback does not check Host names.
    assert_eq!(with(&app, Method::GET, "/api/health", None, &[("host", "safety.example.org")]).await.status, StatusCode::OK);
}

#[tokio::test]
async fn loopback_server_refuses_foreign_host_names() {
    let app = app();
    with(&app, Method::GET, "/api/health", None, &[("host", "attacker.example:8080")]).await.problem(421);
    assert_eq!(with(&app, Method::GET, "/api/health", None, &[("host", "localhost:8080")]).await.status, StatusCode::OK);
    assert_eq!(with(&app, Method::GET, "/api/health", None, &[("host", "127.0.0.1:8080")]).await.status, StatusCode::OK);
}

#[test]
fn refuses_to_start_off_loopback_without_a_token() {
    use safetygap_server::{prepare, ServeConfig};
    let cfg = |addr: &str, token: Option<&str>| ServeConfig {
        addr: addr.parse().unwrap(),
        db: Some(":memory:".into()),
        token: token.map(str::to_string),
    };
    let e = prepare(&cfg("0.0.0.0:8080", None)).err().expect("must refuse").to_string();
    assert!(e.contains("token"), "{e}");
    assert!(prepare(&cfg("0.0.0.0:8080", Some("short"))).is_err());
    assert!(prepare(&cfg("0.0.0.0:8080", Some("0123456789abcdef0123"))).is_ok());
    assert!(prepare(&cfg("127.0.0.1:8080", None)).is_ok());
    assert!(prepare(&cfg("[::1]:8080", None)).is_ok());
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = app();
    for res in [get(&app, "/").await, get(&app, "/api/health").await, get(&app, "/api/nothing").await, get(&app, "/assets/app.js").await] {
        let csp = res.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'"));
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert_eq!(res.headers["x-content-type-options"], "nosniff");
        assert_eq!(res.headers["referrer-policy"], "no-referrer");
        assert_eq!(res.headers["x-frame-options"], "DENY");
    }
}

// ------------------------------------------------------------ page and OpenAPI

#[tokio::test]
async fn page_and_assets_are_served_without_inline_script() {
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
async fn openapi_document_describes_every_plan_member() {
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
async fn a_panic_becomes_a_problem() {
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

// ------------------------------------------------------------ issue 12: hardening

/// A catalog override of about 800 KB: one driver estimated with `n`
/// ranged factors, which a shipped benchmark then uses.
fn wide_driver_catalog(n: usize) -> String {
    let mut t = String::from("[[driver]]\nid = \"wide\"\nname = \"w\"\nunit = \"people\"\ndescription = \"d\"\nestimate = [{ driver = \"population\", factors = [\n");
    for _ in 0..n {
        t.push_str("{ name = \"f\", low = 1, mid = 1, high = 1.00001, evidence = \"assumption\", citations = [\"x\"] },\n");
    }
    t.push_str("] }]\n\n[[benchmark]]\nid = \"dv_shelter_bed\"\ndriver = \"wide\"\n");
    t
}

/// Issue 12 row 2: a 1 MB catalog with thousands of ranged factors and
/// 20,000 draws took 22 s, 4.3 GB and could abort the server. The work
/// budget refuses it before any draw is made.
#[tokio::test]
async fn simulation_work_budget_is_checked_before_work_starts() {
    let app = app();
    let catalog = wide_driver_catalog(8_000);
    assert!(catalog.len() < safetygap_server::BODY_LIMIT - 1000, "{}", catalog.len());
    let res = post(&app, "/api/plan", json!({ "population": 100000, "catalog": catalog, "simulate": { "draws": 20000 } })).await;
    let p = res.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/simulate/draws", "{p}");
    assert!(p["detail"].as_str().unwrap().contains("at most"), "{p}");
    // The shipped catalog keeps the full limit.
    let ok =
        post(&app, "/api/plan", json!({ "population": 100000, "simulate": { "draws": safetygap_server::scenario::MAX_API_DRAWS } })).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
}

/// Issue 12 row 2, second half: work that outlives its request is
/// cancelled (the flag the simulation loop checks is set), not abandoned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_outliving_its_request_is_cancelled() {
    hermetic();
    let state = AppState::new(Store::open_in_memory().unwrap(), None, true);
    let (tx, rx) = std::sync::mpsc::channel();
    let job = state.blocking(move || {
        let flag = safetygap_server::cancel_flag();
        let start = std::time::Instant::now();
        while !flag.load(std::sync::atomic::Ordering::Relaxed) && start.elapsed() < std::time::Duration::from_secs(20) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        tx.send(flag.load(std::sync::atomic::Ordering::Relaxed)).unwrap();
        Ok(())
    });
    // The request times out and its future is dropped.
    assert!(tokio::time::timeout(std::time::Duration::from_millis(100), job).await.is_err());
    let cancelled = tokio::task::spawn_blocking(move || rx.recv_timeout(std::time::Duration::from_secs(10))).await.unwrap();
    assert_eq!(cancelled, Ok(true), "the job did not see its cancel flag");
}

/// Issue 12 row 13: limits answer with a problem body and the security
/// headers, not an empty 414/431.
#[tokio::test]
async fn over_long_targets_and_too_many_headers_are_problems() {
    let app = app();
    let long = format!("/api/search?q={}", "a".repeat(safetygap_server::security::MAX_URI + 10));
    let res = get(&app, &long).await;
    let p = res.problem(414);
    assert!(p["detail"].as_str().unwrap().contains("POST"), "{p}");
    assert_eq!(res.headers["x-content-type-options"], "nosniff");
    let mut b = Request::get("/api/health");
    for i in 0..(safetygap_server::security::MAX_HEADERS + 5) {
        b = b.header(format!("x-h{i}"), "v");
    }
    let res = send(&app, b.body(Body::empty()).unwrap()).await;
    res.problem(431);
    assert_eq!(res.headers["x-frame-options"], "DENY");
}

/// Issue 12 row 10: names with control, separator or bidi-override
/// characters are refused, in scenarios and saved plans alike.
#[tokio::test]
async fn names_refuse_controls_separators_and_bidi_overrides() {
    let app = app();
    for name in ["a\u{1b}[31mRED", "evil\u{202e}fdp.exe", "line\u{2028}two", "para\u{2029}two", "x\u{2066}y"] {
        let p = post(&app, "/api/plan", json!({ "population": 1000, "name": name })).await.problem(422);
        assert_eq!(p["errors"][0]["pointer"], "/name", "{name:?}: {p}");
        assert!(p["detail"].as_str().unwrap().contains("U+"), "{p}");
        let p = post(&app, "/api/saved-plans", json!({ "name": name, "scenario": { "population": 1000 } })).await.problem(422);
        assert_eq!(p["errors"][0]["pointer"], "/name", "{name:?}: {p}");
    }
    assert_eq!(post(&app, "/api/plan", json!({ "population": 1000, "name": "Saint-Étienne — 東京" })).await.status, StatusCode::OK);
}

/// Issue 12 rows 1 and 3 through the API: the 192-byte override that made
/// the chart allocate 4.5 GB is rejected, naming the benchmark and field.
#[tokio::test]
async fn an_overflowing_catalog_override_is_rejected_by_charts_and_exports() {
    let app = app();
    let cat = "[[benchmark]]\nid=\"psychiatric_bed\"\nratio={per=1e-300,low=1e300,mid=1e300,high=1e300}\nevidence=\"published\"\ncitations=[\"x\"]\n";
    for uri in ["/api/charts/cost-by-area", "/api/export/html", "/api/plan"] {
        let p = post(&app, uri, json!({ "population": 100000, "catalog": cat })).await.problem(422);
        let e = &p["errors"][0];
        assert_eq!(e["field"], "benchmark `psychiatric_bed`.ratio", "{uri}: {p}");
    }
}

/// Issue 12 row 4: connections that send only part of their headers were
/// kept open forever and 20,000 of them exhausted the file limit. Over a
/// real socket: stalled clients are cut off by the header-read timeout, at
/// most `max_connections` are open at once, idle keep-alive connections
/// are closed, and real requests are still served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_and_idle_connections_are_closed_and_limited() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    hermetic();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = safetygap_server::Limits { header_read: Duration::from_millis(300), idle: Duration::from_secs(1), max_connections: 4 };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(safetygap_server::run_with(
        listener,
        router(AppState::new(Store::open_in_memory().unwrap(), None, true)),
        async move {
            let _ = stop_rx.await;
        },
        limits,
    ));
    let t0 = Instant::now();
    let mut stalled = Vec::new();
    for _ in 0..8 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Partial: ").await.unwrap();
        stalled.push(s);
    }
    for (i, s) in stalled.iter_mut().enumerate() {
        let mut buf = Vec::new();
        let r = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf)).await;
        assert!(r.is_ok(), "stalled connection {i} still open after {:?}", t0.elapsed());
        assert!(!String::from_utf8_lossy(&buf).contains("200 OK"), "a half-sent request was answered");
    }
    // Eight stalled clients, four slots: two rounds of the timeout.
    assert!(t0.elapsed() >= Duration::from_millis(550), "{:?}", t0.elapsed());
    // A real request is served; kept alive, it is closed once idle.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), s.read(&mut buf)).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200 OK"), "{}", String::from_utf8_lossy(&buf[..n]));
    let idle_from = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "idle keep-alive connection still open");
    assert!(idle_from.elapsed() >= Duration::from_millis(250), "closed too early: {:?}", idle_from.elapsed());
    stop_tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), server).await.expect("server stops").unwrap();
}

// ------------------------------------------------------------ fuzz corpus

/// The fuzz targets' entry points (fuzz/src/lib.rs), compiled here on the
/// stable toolchain.
#[path = "../../../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod fuzz_entries;

/// Replays every committed fuzz input (the seed corpus and the minimised
/// inputs that once crashed, `fuzz/seeds/<target>/` and
/// `fuzz/regressions/<target>/`) through the same entry points the fuzzer
/// runs, so a regression fails `cargo test` without nightly.
#[test]
fn fuzz_corpus_replays_without_a_crash() {
    hermetic();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    for (target, run) in fuzz_entries::TARGETS {
        let mut n = 0;
        for dir in ["seeds", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
            let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            for f in files {
                let bytes = std::fs::read(&f).unwrap();
                let r = std::panic::catch_unwind(|| run(&bytes));
                assert!(r.is_ok(), "fuzz input {} crashes target `{target}`", f.display());
                n += 1;
            }
        }
        assert!(n > 0, "no committed inputs for fuzz target `{target}`");
    }
}

// ------------------------------------------------------------ the published contract

/// Every `$ref` in `v`.
fn refs(v: &Value, out: &mut Vec<String>) {
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
async fn openapi_document_lists_every_status_and_the_servers_security() {
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
async fn the_documented_limits_are_the_enforced_ones() {
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
