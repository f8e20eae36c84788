//! Saved plans.

use super::*;

#[tokio::test]
pub(super) async fn saved_plan_crud() {
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
pub(super) async fn saved_plans_survive_a_restart() {
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
pub(super) async fn old_geonames_ids_in_saved_plans_and_share_links_still_open() {
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

pub(super) fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "safetygap-api-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}
