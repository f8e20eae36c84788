//! The scenario's options, as the CLI's: `tier` (`--tier`), `dollar_year`
//! (`--dollar-year`), `inventory_defaults` (`--inventory-defaults state`)
//! and `payer` (`--payer`), through the plan, the charts, the exports and
//! saved plans.

use super::*;
use safetygap_core::catalog::Tier;

/// The library plan the CLI computes for 06001 with these options, as its
/// `--format json` prints it.
fn expected(tier: Tier, dollar_year: Option<u16>, state_defaults: bool, local: &[(&str, f64)], payer: Option<&str>) -> Value {
    cli_json(&library_plan(tier, dollar_year, state_defaults, local, payer))
}

/// The plan the CLI computes for 06001 with these options, built with the
/// library calls it makes (`PlanOpts::catalog`, `input`, `PayerOpt::apply`).
fn library_plan(
    tier: Tier,
    dollar_year: Option<u16>,
    state_defaults: bool,
    local: &[(&str, f64)],
    payer: Option<&str>,
) -> safetygap_core::Plan {
    let catalog = shipped::catalog().unwrap().rebase(tier, dollar_year).unwrap();
    let g = gazetteer();
    let j = g.get("06001").unwrap();
    let mut input = plan_input(g, j);
    if state_defaults {
        let pop = input.drivers["population"].value;
        input.inventory = safetygap_data::defaults::state_inventory(g, j, pop).unwrap();
    }
    let mut mine = safetygap_core::Inventory::default();
    for (id, q) in local {
        mine.items.insert(id.to_string(), InventoryItem { quantity: *q, source: String::new(), verified: false });
    }
    input.inventory.overlay(mine);
    let mut plan = compute(&catalog, &input).unwrap();
    if let Some(p) = payer {
        plan = plan.with_payer(p).unwrap();
    }
    plan
}

async fn ok(app: &Router, body: Value) -> Value {
    let r = post(app, "/api/plan", body.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{body}: {}", r.text());
    r.json()
}

#[tokio::test]
pub(super) async fn each_option_gives_the_cli_plan() {
    let app = app();
    let standard = ok(&app, json!({ "geoid": "06001" })).await;
    assert_eq!(standard["tier"], "standard");

    // --tier goal: the goal-tier lines apply, and the total is the goal total.
    let goal = ok(&app, json!({ "geoid": "06001", "tier": "goal" })).await;
    assert_eq!(goal, expected(Tier::Goal, None, false, &[], None));
    assert_eq!(goal["tier"], "goal");
    for k in ["low", "mid", "high"] {
        // The same sum in another order: equal to rounding.
        let (a, b) = (goal["totals"]["annual_cost"][k].as_f64().unwrap(), standard["goal_tier_annual_cost"][k].as_f64().unwrap());
        assert!((a - b).abs() <= 1e-9 * b, "the standard plan's goal total is the goal plan's total: {k} {a} {b}");
    }
    assert!(goal["programs"].as_array().unwrap().len() > standard["programs"].as_array().unwrap().len());
    let floor = ok(&app, json!({ "geoid": "06001", "tier": "floor" })).await;
    assert_eq!(floor, expected(Tier::Floor, None, false, &[], None));

    // --dollar-year 2020: every cost in 2020 dollars.
    let y2020 = ok(&app, json!({ "geoid": "06001", "dollar_year": 2020 })).await;
    assert_eq!(y2020, expected(Tier::Standard, Some(2020), false, &[], None));
    assert_eq!(y2020["dollar_year"], 2020);
    assert!(y2020["programs"].as_array().unwrap().iter().all(|p| p["cost_year"] == 2020));
    assert_ne!(y2020["totals"]["annual_cost"], standard["totals"]["annual_cost"]);

    // --inventory-defaults state, with one local line replacing a default.
    let body = json!({ "geoid": "06001", "inventory_defaults": "state", "inventory": { "dv_shelter_bed": 3 } });
    let defaults = ok(&app, body).await;
    assert_eq!(defaults, expected(Tier::Standard, None, true, &[("dv_shelter_bed", 3.0)], None));
    let line = |v: &Value, id: &str| v["programs"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap().clone();
    let psych = line(&defaults, "psychiatric_bed");
    assert_eq!(psych["existing_default"], true);
    assert!(psych["existing"].as_f64().unwrap() > 0.0);
    let dv = line(&defaults, "dv_shelter_bed");
    assert_eq!(dv["existing"], 3.0);
    assert!(dv.get("existing_default").is_none_or(|d| d != true), "a local line is not a default: {dv}");

    // --payer city: the payer view, and the same cost by payer.
    let city = ok(&app, json!({ "geoid": "06001", "payer": "city" })).await;
    assert_eq!(city, expected(Tier::Standard, None, false, &[], Some("city")));
    assert_eq!(city["payer_view"]["payer"], "city");
    assert_eq!(city["cost_by_payer"], standard["cost_by_payer"]);
    assert!(standard.get("payer_view").is_none());

    // All at once, and the same by query.
    let all = json!({ "geoid": "06001", "tier": "goal", "dollar_year": 2020, "inventory_defaults": "state", "payer": "state" });
    let by_post = ok(&app, all).await;
    assert_eq!(by_post, expected(Tier::Goal, Some(2020), true, &[], Some("state")));
    let by_get = get(&app, "/api/plan?geoid=06001&tier=goal&dollar_year=2020&inventory_defaults=state&payer=state").await;
    assert_eq!(by_get.status, StatusCode::OK, "{}", by_get.text());
    assert_eq!(by_get.json(), by_post);
}

#[tokio::test]
pub(super) async fn bad_options_are_refused_with_the_allowed_values() {
    let app = app();
    let (first, last) = safetygap_server::scenario::dollar_years();
    for (body, pointer, words) in [
        (json!({ "geoid": "06001", "tier": "gold" }), "/tier", "floor, standard, goal"),
        (json!({ "geoid": "06001", "tier": " goal" }), "/tier", "floor, standard, goal"),
        (json!({ "geoid": "06001", "payer": "mayor" }), "/payer", "city, state, medicaid"),
        (json!({ "geoid": "06001", "inventory_defaults": "county" }), "/inventory_defaults", "use one of: state"),
        (json!({ "population": 50000, "inventory_defaults": "state" }), "/inventory_defaults", "give a `geoid`"),
        (json!({ "geoid": "06001", "dollar_year": first - 1 }), "/dollar_year", &format!("{first}–{last}")),
        (json!({ "geoid": "06001", "dollar_year": last + 1 }), "/dollar_year", &format!("{first}–{last}")),
        (json!({ "geoid": "06001", "dollar_year": 2020.5 }), "/dollar_year", "whole number"),
        (json!({ "geoid": "06001", "tier": null }), "/tier", "expected a string"),
    ] {
        let p = post(&app, "/api/plan", body.clone()).await.problem(422);
        assert_eq!(p["errors"][0]["pointer"], pointer, "{body}: {p}");
        assert!(p["detail"].as_str().unwrap().contains(words), "{body}: {p}");
    }
    // The documented edges are accepted.
    for y in [first, last] {
        ok(&app, json!({ "geoid": "06", "dollar_year": y })).await;
    }
    // The chart and export routes check them too; saving says where in the body.
    post(&app, "/api/charts/cost-by-area", json!({ "geoid": "06", "tier": "gold" })).await.problem(422);
    post(&app, "/api/export/csv", json!({ "geoid": "06", "payer": "mayor" })).await.problem(422);
    let p = post(&app, "/api/saved-plans", json!({ "name": "x", "scenario": { "geoid": "06", "payer": "mayor" } })).await.problem(422);
    assert_eq!(p["errors"][0]["pointer"], "/scenario/payer");
}

#[tokio::test]
pub(super) async fn charts_and_exports_follow_the_options() {
    let app = app();
    let body = json!({ "geoid": "06001", "tier": "goal", "dollar_year": 2020, "payer": "city" });
    let plan = ok(&app, body.clone()).await;

    let md = post(&app, "/api/export/markdown", body.clone()).await.text();
    assert!(md.contains("2020 dollars"), "markdown names the dollar year");
    assert!(md.contains("Goal tier"), "markdown names the tier");
    assert!(md.contains("## Who pays") && md.contains("On the city's own budget"), "markdown has the payer view");
    let html = post(&app, "/api/export/html", body.clone()).await.text();
    assert!(html.contains("2020 dollars") && html.contains("Goal tier") && html.contains("own budget</h3>"), "the brief names them");
    let json_file = post(&app, "/api/export/json", body.clone()).await.json();
    assert_eq!(json_file, plan);
    let csv = post(&app, "/api/export/csv", body.clone()).await.text();
    assert!(csv.lines().next().unwrap().ends_with(",payers"));
    assert!(csv.contains(",2020,"), "CSV cost years are the dollar year");

    // The cost-by-area chart draws the goal plan in 2020 dollars.
    let svg = post(&app, "/api/charts/cost-by-area", body.clone()).await.text();
    assert_eq!(svg, safetygap_report::svg::cost_by_area(&library_plan(Tier::Goal, Some(2020), false, &[], Some("city"))));
    assert_ne!(svg, post(&app, "/api/charts/cost-by-area", json!({ "geoid": "06001" })).await.text());
}

#[tokio::test]
pub(super) async fn saved_plans_keep_the_options_and_old_ones_still_open() {
    let dir = std::env::temp_dir().join(format!("safetygap-options-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("plans.db");
    // A plan saved before these options existed, written as it was.
    let old = r#"{"geoid":"06001","inventory":{"trauma_recovery_center":1}}"#;
    let old_scenario: Scenario = serde_json::from_str(old).unwrap();
    let stored = serde_json::to_value(&old_scenario).unwrap();
    assert_eq!(stored.as_object().unwrap().keys().collect::<Vec<_>>(), ["geoid", "inventory"], "an old scenario is stored as it was");
    let id = Store::open(&db).unwrap().create("Before tiers", &old_scenario).unwrap().id;
    let app = router(AppState::new(Store::open(&db).unwrap(), None, true));
    let saved = get(&app, &format!("/api/saved-plans/{id}")).await.json();
    assert_eq!(saved["scenario"], stored);
    let opened = ok(&app, saved["scenario"].clone()).await;
    assert_eq!(opened, expected(Tier::Standard, None, false, &[("trauma_recovery_center", 1.0)], None));

    // Saved with the options, they come back.
    let scenario = json!({ "geoid": "06001", "tier": "goal", "dollar_year": 2021, "inventory_defaults": "state", "payer": "city" });
    let created = post(&app, "/api/saved-plans", json!({ "name": "With options", "scenario": scenario })).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let back = get(&app, &format!("/api/saved-plans/{}", created.json()["id"])).await.json();
    assert_eq!(back["scenario"], scenario);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
pub(super) async fn the_documented_choices_are_the_enforced_ones() {
    let app = app();
    let doc = get(&app, "/api/openapi.json").await.json();
    let props = &doc["components"]["schemas"]["Scenario"]["properties"];
    let query = &doc["paths"]["/api/plan"]["get"]["parameters"][0]["schema"]["properties"];
    let (first, last) = safetygap_server::scenario::dollar_years();
    for p in [props, query] {
        assert_eq!(p["dollar_year"]["minimum"], first);
        assert_eq!(p["dollar_year"]["maximum"], last);
        assert_eq!(p["inventory_defaults"]["enum"], json!(["state"]));
        assert_eq!(p["tier"]["enum"], json!(["floor", "standard", "goal"]));
        // Every payer the engine knows, and only those.
        let payers: Vec<&str> = safetygap_core::payer::PAYERS.iter().map(|(id, _)| *id).collect();
        assert_eq!(p["payer"]["enum"], json!(payers));
    }
    // Each documented value computes.
    for t in props["tier"]["enum"].as_array().unwrap() {
        ok(&app, json!({ "geoid": "06", "tier": t })).await;
    }
    for p in props["payer"]["enum"].as_array().unwrap() {
        let plan = ok(&app, json!({ "geoid": "06", "payer": p })).await;
        assert_eq!(&plan["payer_view"]["payer"], p);
    }
}

/// Switching tiers keeps a scenario's inventory usable: a line above the
/// tier is still a program, and its count still tells what the goal tier
/// would add.
#[tokio::test]
pub(super) async fn inventory_of_lines_above_the_tier_is_kept() {
    let app = app();
    let inventory = json!({ "dv_shelter_bed": 12, "civil_legal_aid_attorney": 3 });
    for tier in ["floor", "standard", "goal"] {
        let plan = ok(&app, json!({ "geoid": "06001", "tier": tier, "inventory": inventory })).await;
        let applied: Vec<&str> = plan["programs"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
        let beyond: Vec<&str> = plan["beyond_tier"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
        for id in ["dv_shelter_bed", "civil_legal_aid_attorney"] {
            assert!(applied.contains(&id) != beyond.contains(&id), "{tier}: {id} is either applied or beyond the tier");
        }
    }
    let p = post(&app, "/api/plan", json!({ "geoid": "06001", "tier": "floor", "inventory": { "dv_shelter_beds": 1 } })).await.problem(422);
    assert!(p["detail"].as_str().unwrap().contains("Did you mean `dv_shelter_bed`?"), "{p}");
}

/// The state defaults are shared by the population the plan uses, given as
/// `population` or as the `population` driver (10.8 state psychiatric beds
/// per 100,000, Treatment Advocacy Center 2023).
#[tokio::test]
pub(super) async fn state_defaults_follow_the_population_given() {
    let app = app();
    for body in [
        json!({ "geoid": "0653000", "inventory_defaults": "state", "population": 100000 }),
        json!({ "geoid": "0653000", "inventory_defaults": "state", "drivers": { "population": 100000 } }),
    ] {
        let plan = ok(&app, body.clone()).await;
        let psych =
            plan["programs"].as_array().unwrap().iter().find(|p| p["id"] == "psychiatric_bed").unwrap()["existing"].as_f64().unwrap();
        assert!((psych - 10.8).abs() < 1e-9, "{body}: {psych}");
    }
}
