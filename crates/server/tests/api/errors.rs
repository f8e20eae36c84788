//! Errors.

use super::*;

#[tokio::test]
pub(super) async fn input_errors_are_problems_with_pointers() {
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
pub(super) async fn transport_errors_are_problems() {
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

pub(super) fn res_404(r: &Res) {
    let p = r.problem(404);
    assert!(p["detail"].as_str().unwrap().contains("/api/nothing"));
}

#[tokio::test]
pub(super) async fn hostile_inputs_never_panic() {
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
