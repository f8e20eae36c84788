//! The API, called in-process through the router (no sockets), and the
//! saved-plan storage on its own (`storage`: restarts and `kill -9`).

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

mod cli_equality;
mod contract;
mod errors;
mod fuzz_corpus;
mod hardening;
mod options;
mod page;
mod reads;
mod saved;
mod security;
mod storage;

#[allow(unused_imports)]
use cli_equality::*;
#[allow(unused_imports)]
use contract::*;
#[allow(unused_imports)]
use errors::*;
#[allow(unused_imports)]
use fuzz_corpus::*;
#[allow(unused_imports)]
use hardening::*;
#[allow(unused_imports)]
use options::*;
#[allow(unused_imports)]
use page::*;
#[allow(unused_imports)]
use reads::*;
#[allow(unused_imports)]
use saved::*;
#[allow(unused_imports)]
use security::*;

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
