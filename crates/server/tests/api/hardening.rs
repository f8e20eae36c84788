//! Issue 12: hardening.

use super::*;

/// A catalog override of about 800 KB: one driver estimated with `n`
/// ranged factors, which a shipped benchmark then uses.
pub(super) fn wide_driver_catalog(n: usize) -> String {
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
pub(super) async fn simulation_work_budget_is_checked_before_work_starts() {
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
pub(super) async fn work_outliving_its_request_is_cancelled() {
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
pub(super) async fn over_long_targets_and_too_many_headers_are_problems() {
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

/// Issue 12 row 13 over a real socket, through `run`'s hyper settings: 200
/// headers (beyond hyper's default of 100, which it would refuse with a
/// bare 431) and a 20 KB target reach the router and get a problem body
/// with the security headers. What stays hyper's is pinned too: a request
/// it cannot parse (a malformed request line, a target over its 64 KB
/// limit, more than `PARSED_HEADERS` headers) gets its bare status line
/// with no body, and the connection is closed rather than left hanging.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub(super) async fn limits_over_a_socket_are_problems_up_to_what_hyper_refuses_itself() {
    use safetygap_server::security::{MAX_HEADERS, PARSED_HEADERS};
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    hermetic();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server =
        tokio::spawn(safetygap_server::run(listener, router(AppState::new(Store::open_in_memory().unwrap(), None, true)), async move {
            let _ = stop_rx.await;
        }));
    // Sends one raw request and reads the answer: head (lower-cased) and body.
    let ask = |raw: Vec<u8>| async move {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(&raw).await.unwrap();
        let mut buf = Vec::new();
        // `connection: close` on our requests, and hyper closes after an
        // error, so the answer ends at end of stream.
        tokio::time::timeout(Duration::from_secs(20), s.read_to_end(&mut buf)).await.expect("the server answers and closes").unwrap();
        let text = String::from_utf8_lossy(&buf).to_string();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        (head.to_ascii_lowercase(), body.to_string())
    };
    let headers = |n: usize| (0..n).map(|i| format!("x-h{i}: v\r\n")).collect::<String>();
    let request = |target: &str, n: usize| {
        format!("GET {target} HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n{}\r\n", headers(n)).into_bytes()
    };

    // Ours: problem+json with the security headers. (200 headers is
    // beyond hyper's default and within ours.)
    const { assert!(PARSED_HEADERS > 200 && MAX_HEADERS < 200) };
    for (what, raw, status) in [
        ("200 headers", request("/api/health", 200), "431"),
        (
            "the most headers hyper parses",
            request("/api/health", PARSED_HEADERS - 2), // plus host and connection
            "431",
        ),
        ("a 20 KB target", request(&format!("/api/search?q={}", "a".repeat(20_000)), 0), "414"),
    ] {
        let (head, body) = ask(raw).await;
        assert!(head.starts_with(&format!("http/1.1 {status} ")), "{what}: {head}");
        assert!(head.contains("content-type: application/problem+json"), "{what}: {head}");
        assert!(head.contains("content-security-policy:") && head.contains("x-content-type-options: nosniff"), "{what}: {head}");
        let p: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: {e}: {body}"));
        assert_eq!(p["status"], status.parse::<u16>().unwrap(), "{what}: {p}");
    }
    // Hyper's: a bare status line, no body, no security headers.
    for (what, raw, status) in [
        ("more headers than hyper parses", request("/api/health", PARSED_HEADERS), "431"),
        ("a 70 KB target", request(&format!("/api/search?q={}", "a".repeat(70_000)), 0), "414"),
        ("a malformed request line", b"GARBAGE\r\n\r\n".to_vec(), "400"),
    ] {
        let (head, body) = ask(raw).await;
        assert!(head.starts_with(&format!("http/1.1 {status} ")), "{what}: {head}");
        assert!(head.contains("content-length: 0") && body.is_empty(), "{what}: {head}");
        assert!(!head.contains("content-security-policy"), "{what}: hyper's answer has a hook now? update docs/SECURITY.md: {head}");
    }
    stop_tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(15), server).await.expect("server stops").unwrap();
}

/// Issue 12 row 10: names with control, separator or bidi-override
/// characters are refused, in scenarios and saved plans alike.
#[tokio::test]
pub(super) async fn names_refuse_controls_separators_and_bidi_overrides() {
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
pub(super) async fn an_overflowing_catalog_override_is_rejected_by_charts_and_exports() {
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
pub(super) async fn stalled_and_idle_connections_are_closed_and_limited() {
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
