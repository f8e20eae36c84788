//! Security.

use super::*;

#[tokio::test]
pub(super) async fn writes_need_the_token_when_one_is_set() {
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
pub(super) async fn loopback_server_refuses_foreign_host_names() {
    let app = app();
    with(&app, Method::GET, "/api/health", None, &[("host", "attacker.example:8080")]).await.problem(421);
    assert_eq!(with(&app, Method::GET, "/api/health", None, &[("host", "localhost:8080")]).await.status, StatusCode::OK);
    assert_eq!(with(&app, Method::GET, "/api/health", None, &[("host", "127.0.0.1:8080")]).await.status, StatusCode::OK);
}

#[test]
pub(super) fn refuses_to_start_off_loopback_without_a_token() {
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
pub(super) async fn security_headers_on_every_response() {
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
