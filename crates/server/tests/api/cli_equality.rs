//! Equality with the CLI.

use super::*;

/// What `safetygap plan --format json` prints for a plan, parsed the same
/// way as the API's response (so float parsing treats both alike).
pub(super) fn cli_json(plan: &safetygap_core::Plan) -> Value {
    serde_json::from_str(&safetygap_report::json::render(plan)).unwrap()
}

#[tokio::test]
pub(super) async fn plan_for_a_geoid_equals_the_cli_json() {
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
pub(super) async fn plan_with_overrides_and_inventory_equals_the_cli_json() {
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
pub(super) async fn custom_area_equals_the_library_plan() {
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
pub(super) async fn simulation_equals_the_cli_simulated_json() {
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
pub(super) async fn catalog_override_changes_one_coefficient() {
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
pub(super) async fn bad_catalog_override_is_located() {
    let res = post(&app(), "/api/plan", json!({ "population": 250000, "catalog": "[[benchmark]]\nid = \"x\"\nratio = \"lots\"\n" })).await;
    let p = res.problem(422);
    let e = &p["errors"][0];
    assert_eq!(e["file"], "catalog override");
    assert_eq!(e["pointer"], "/catalog");
    assert!(e["detail"].as_str().unwrap().len() > 5);
}
