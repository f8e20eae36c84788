//! Reads.

use super::*;

#[tokio::test]
pub(super) async fn search_jurisdiction_catalog_compare_map() {
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
pub(super) async fn exports_and_charts() {
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
