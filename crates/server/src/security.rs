//! Middleware: bearer tokens for writes, the loopback Host check, standard
//! security headers, and turning every error response into problem+json.

use crate::problem::{Kind, Problem, PROBLEM_JSON};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The Content-Security-Policy of every response: only this origin's own
/// scripts and styles (no inline script or style), images from this origin
/// or made by the page (blob:), no framing, no plugins.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
                       connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
                       frame-ancestors 'none'";

/// Headers added to every response.
pub const HEADERS: &[(&str, &str)] = &[
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()"),
];

/// Adds [`HEADERS`], replacing any a handler set.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    for (k, v) in HEADERS {
        h.insert(HeaderName::from_static(k), HeaderValue::from_static(v));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// True for requests that change saved state.
pub fn is_write(method: &Method, path: &str) -> bool {
    path.starts_with("/api/saved-plans") && !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True for requests that need the token when the server has one: every
/// request about saved plans, reads included. Saved plans hold people's
/// names and scenarios, and their ids are sequential, so on a server that
/// others can reach, reading them is as private as writing them. (We chose
/// the token over unguessable ids: ids would still leave the list open,
/// and the token is already there for writes.)
pub fn needs_token(method: &Method, path: &str) -> bool {
    is_write(method, path) || path == "/api/saved-plans" || path.starts_with("/api/saved-plans/")
}

/// Longest request target (path and query) accepted, in bytes.
pub const MAX_URI: usize = 8 * 1024;

/// Most request headers accepted.
pub const MAX_HEADERS: usize = 64;

/// Most request headers hyper parses (its default is 100): requests with
/// more than [`MAX_HEADERS`] and up to this many reach [`limits`], which
/// answers 431 with a problem body and the security headers; beyond it
/// hyper answers a bare 431 itself (see docs/SECURITY.md, row 13).
pub const PARSED_HEADERS: usize = MAX_HEADERS * 8;

/// Answers over-long request targets (414) and too many headers (431) with
/// a problem body (and, being inside [`headers`], the security headers).
/// Beyond 64 KB of target or [`PARSED_HEADERS`] headers hyper refuses the
/// request itself, before any of this runs.
pub async fn limits(req: Request, next: Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI {
        let mut p = Problem::bad_request(format!(
            "the request target is {uri_len} bytes; at most {MAX_URI} are accepted. Send long scenarios with POST as JSON."
        ));
        p.status = 414;
        p.title = "URI too long".into();
        return p.into_response();
    }
    if req.headers().len() > MAX_HEADERS {
        let mut p = Problem::bad_request(format!("the request has {} headers; at most {MAX_HEADERS} are accepted.", req.headers().len()));
        p.status = 431;
        p.title = "Request header fields too large".into();
        return p.into_response();
    }
    next.run(req).await
}

/// Compares in time independent of where the strings differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= (*x ^ b.get(i).copied().unwrap_or(0)) as usize;
    }
    diff == 0
}

/// Requires `Authorization: Bearer <token>` on writes when a token is set.
pub async fn auth(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(token) = s.0.token.as_deref() {
        if needs_token(req.method(), req.uri().path()) {
            let given = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| {
                let (scheme, rest) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
            let ok = given.is_some_and(|g| same(g.as_bytes(), token.as_bytes()));
            if !ok {
                let detail = if given.is_some() {
                    "the bearer token does not match the server's. Ask the operator for the token (the value of the environment variable named by --token-env)."
                } else {
                    "saved plans on this server (listing, reading, saving, changing and deleting them) need the header `Authorization: Bearer <token>`, with the token the operator set (the value of the environment variable named by --token-env)."
                };
                return Problem::new(Kind::Unauthorized, detail).into_response();
            }
        }
    }
    next.run(req).await
}

/// True for `localhost`, `127.x.x.x` and `[::1]`, with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim();
    let name = if let Some(rest) = h.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        h.rsplit_once(':').map_or(h, |(n, port)| if port.chars().all(|c| c.is_ascii_digit()) { n } else { h })
    };
    let name = name.trim_end_matches('.');
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        || name.to_ascii_lowercase().ends_with(".localhost")
}

/// On a loopback server, refuses requests whose Host is not a loopback
/// name: a web page elsewhere cannot reach this server through a DNS name
/// that points at 127.0.0.1 (DNS rebinding).
pub async fn loopback_host(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if s.0.check_host {
        if let Some(host) = req.headers().get(header::HOST) {
            let ok = host.to_str().is_ok_and(is_loopback_host);
            if !ok {
                return Problem::new(
                    Kind::MisdirectedRequest,
                    "this server listens on loopback only and answers to localhost or 127.0.0.1; open it as http://localhost:PORT/ or http://127.0.0.1:PORT/.",
                )
                .into_response();
            }
        }
    }
    next.run(req).await
}

/// Turns error responses made outside the handlers (unknown route, wrong
/// method, body too large, timeout) into problem+json.
pub async fn problems(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_problem = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if is_problem {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.map(|b| String::from_utf8_lossy(&b).trim().to_string()).unwrap_or_default();
    let kind = Kind::from_status(status);
    let detail = match kind {
        Kind::NotFound => format!("nothing at {path}. The page is at /, the API under /api (reference: /api/docs)."),
        Kind::MethodNotAllowed => {
            let allow = parts.headers.get(header::ALLOW).and_then(|v| v.to_str().ok()).unwrap_or("");
            format!("{path} does not accept this method; it accepts {allow}. See /api/docs.")
        }
        Kind::TooLarge => format!("the request body is larger than {} bytes.", crate::BODY_LIMIT),
        Kind::Unavailable => format!(
            "the request took longer than {} seconds and was stopped; ask for fewer simulation draws or a smaller area.",
            crate::TIMEOUT.as_secs()
        ),
        _ if !text.is_empty() => text,
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let mut p = Problem::new(kind, detail);
    p.status = status.as_u16();
    let mut out = p.into_response();
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

/// The response for a panic caught in a handler.
pub fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    Problem::internal("the request hit an unexpected error and was stopped.").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "localhost:8080", "127.0.0.1:80", "127.1.2.3", "[::1]:8080", "[::1]", "app.localhost:3000"] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["example.org", "evil.com:8080", "10.0.0.1", "[fe80::1]:80", "localhost.evil.com", "127.0.0.1.nip.io"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn token_comparison() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
        assert!(!same(b"", b"a"));
    }
}
