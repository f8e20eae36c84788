//! The page's files, compiled into the binary: plain HTML, CSS and
//! JavaScript with no build step and nothing fetched from elsewhere.

use crate::problem::Problem;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// A JavaScript module under `assets/`.
macro_rules! module {
    ($name:literal) => {
        ($name, "text/javascript; charset=utf-8", include_bytes!(concat!("../assets/", $name)))
    };
}

/// (path under /assets/, content type, bytes). The page's script is ES
/// modules: `app.js` (the entry point) imports the others by relative path;
/// `docs.js` shares `dom.js` and `api.js` with it.
pub const FILES: &[(&str, &str, &[u8])] = &[
    module!("app.js"),
    module!("dom.js"),
    module!("format.js"),
    module!("api.js"),
    module!("state.js"),
    module!("status.js"),
    module!("link.js"),
    module!("plan.js"),
    module!("views.js"),
    module!("search.js"),
    module!("saved.js"),
    module!("docs.js"),
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../assets/favicon.svg")),
];

/// The page.
pub const INDEX: &str = include_str!("../assets/index.html");

/// The API reference page (rendered in the browser from /api/openapi.json).
pub const DOCS: &str = include_str!("../assets/docs.html");

fn html(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

/// `GET /`.
pub async fn index() -> Response {
    html(INDEX)
}

/// `GET /api/docs`.
pub async fn docs() -> Response {
    html(DOCS)
}

/// `GET /assets/{file}`.
pub async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match FILES.iter().find(|(name, ..)| *name == file) {
        Some((_, ctype, bytes)) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(ctype)), (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
            *bytes,
        )
            .into_response(),
        None => Problem::not_found(format!("no asset called `{file}`.")).into_response(),
    }
}

/// `GET /api/openapi.json`.
/// The document says what this server does: whether writes need a token.
pub async fn openapi(axum::extract::State(s): axum::extract::State<crate::AppState>) -> Response {
    static DOCS: [std::sync::OnceLock<String>; 2] = [std::sync::OnceLock::new(), std::sync::OnceLock::new()];
    let token = s.0.token.is_some();
    let body = DOCS[usize::from(token)].get_or_init(|| crate::openapi::json(token)).clone();
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}
