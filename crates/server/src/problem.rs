//! Errors as RFC 9457 problem details (`application/problem+json`), and
//! request extractors whose rejections are problems too.
//!
//! Every error the API returns — bad JSON, an unknown driver, a saved plan
//! that does not exist, a timeout, even a caught panic — has the same shape:
//! `type`, `title`, `status`, a `detail` that says what was wrong and how to
//! fix it, and for input errors an `errors` list pointing into the request.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// One problem in the request, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// JSON Pointer into the request body (`/drivers/homicides`), or the
    /// query parameter's name, when the problem is in the request itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// For catalog override text: the file name given to the loader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line in that text, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The entry or field at fault, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong and how to fix it.
    pub detail: String,
}

impl FieldError {
    /// A problem at a JSON Pointer.
    pub fn at(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError { pointer: Some(pointer.into()), file: None, line: None, field: None, detail: detail.into() }
    }
}

/// An RFC 9457 problem details object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem; it resolves to the
    /// section of the API reference page that describes it.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind of problem (the same for every occurrence).
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this request, and how to fix it.
    pub detail: String,
    /// Each input problem, located (input errors only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// The kinds of problem the API returns, with their status and title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 400: the request could not be read (malformed JSON, bad query).
    BadRequest,
    /// 401: a write without a valid bearer token.
    Unauthorized,
    /// 404: no such jurisdiction, saved plan or endpoint.
    NotFound,
    /// 405: the endpoint exists but not with this method.
    MethodNotAllowed,
    /// 412: the saved plan changed since it was read (If-Match).
    PreconditionFailed,
    /// 413: the request body is larger than the limit.
    TooLarge,
    /// 415: the body is not JSON.
    UnsupportedMediaType,
    /// 421: a Host header that is not this loopback server's.
    MisdirectedRequest,
    /// 422: the request was read but its content cannot be used.
    Invalid,
    /// 503: the server is busy or the request took too long.
    Unavailable,
    /// 500: a bug.
    Internal,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 11] = [
        Kind::BadRequest,
        Kind::Unauthorized,
        Kind::NotFound,
        Kind::MethodNotAllowed,
        Kind::PreconditionFailed,
        Kind::TooLarge,
        Kind::UnsupportedMediaType,
        Kind::MisdirectedRequest,
        Kind::Invalid,
        Kind::Unavailable,
        Kind::Internal,
    ];

    /// The HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            Kind::BadRequest => StatusCode::BAD_REQUEST,
            Kind::Unauthorized => StatusCode::UNAUTHORIZED,
            Kind::NotFound => StatusCode::NOT_FOUND,
            Kind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Kind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Kind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Kind::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Kind::MisdirectedRequest => StatusCode::MISDIRECTED_REQUEST,
            Kind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
            Kind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Kind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `type` URI: a fragment of the API reference page.
    pub fn uri(self) -> &'static str {
        match self {
            Kind::BadRequest => "/api/docs#problem-bad-request",
            Kind::Unauthorized => "/api/docs#problem-unauthorized",
            Kind::NotFound => "/api/docs#problem-not-found",
            Kind::MethodNotAllowed => "/api/docs#problem-method-not-allowed",
            Kind::PreconditionFailed => "/api/docs#problem-precondition-failed",
            Kind::TooLarge => "/api/docs#problem-too-large",
            Kind::UnsupportedMediaType => "/api/docs#problem-unsupported-media-type",
            Kind::MisdirectedRequest => "/api/docs#problem-misdirected-request",
            Kind::Invalid => "/api/docs#problem-invalid",
            Kind::Unavailable => "/api/docs#problem-unavailable",
            Kind::Internal => "/api/docs#problem-internal",
        }
    }

    /// The title.
    pub fn title(self) -> &'static str {
        match self {
            Kind::BadRequest => "The request could not be read",
            Kind::Unauthorized => "A valid access token is needed",
            Kind::NotFound => "Not found",
            Kind::MethodNotAllowed => "Method not allowed",
            Kind::PreconditionFailed => "The saved plan has changed",
            Kind::TooLarge => "The request is too large",
            Kind::UnsupportedMediaType => "The request body must be JSON",
            Kind::MisdirectedRequest => "Wrong host name",
            Kind::Invalid => "The input cannot be used",
            Kind::Unavailable => "The server is busy or the request took too long",
            Kind::Internal => "Internal error",
        }
    }

    /// The kind for an HTTP status (for responses made outside the handlers).
    pub fn from_status(s: StatusCode) -> Kind {
        match s.as_u16() {
            400 => Kind::BadRequest,
            401 => Kind::Unauthorized,
            404 => Kind::NotFound,
            405 => Kind::MethodNotAllowed,
            408 | 503 | 504 => Kind::Unavailable,
            412 => Kind::PreconditionFailed,
            413 => Kind::TooLarge,
            415 => Kind::UnsupportedMediaType,
            421 => Kind::MisdirectedRequest,
            422 => Kind::Invalid,
            402..=499 => Kind::BadRequest,
            _ => Kind::Internal,
        }
    }
}

impl Problem {
    /// A problem of `kind` with a detail.
    pub fn new(kind: Kind, detail: impl Into<String>) -> Self {
        Problem {
            kind: kind.uri().into(),
            title: kind.title().into(),
            status: kind.status().as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// 400.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(Kind::BadRequest, detail)
    }

    /// 404.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(Kind::NotFound, detail)
    }

    /// 422.
    pub fn invalid(detail: impl Into<String>) -> Self {
        Problem::new(Kind::Invalid, detail)
    }

    /// 422 with the problem located at a JSON Pointer.
    pub fn invalid_at(pointer: &str, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        let mut p = Problem::new(Kind::Invalid, detail.clone());
        p.errors.push(FieldError::at(pointer, detail));
        p
    }

    /// 500, with a detail that leaks nothing internal beyond `what`.
    pub fn internal(what: impl Into<String>) -> Self {
        Problem::new(
            Kind::Internal,
            format!("{} This is a bug in safetygap; please report it with the request that caused it.", what.into()),
        )
    }

    /// Adds located errors.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.title, self.status, self.detail)
    }
}

impl std::error::Error for Problem {}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).unwrap_or_else(|_| b"{\"title\":\"Internal error\",\"status\":500}".to_vec());
        let mut res = (status, body).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if status == StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"safetygap\""));
        }
        res
    }
}

/// Result type of handlers.
pub type ApiResult<T> = Result<T, Problem>;

/// `axum::Json`, with rejections turned into problems that say what to fix.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> Problem {
    match e {
        JsonRejection::MissingJsonContentType(_) => {
            Problem::new(Kind::UnsupportedMediaType, "send the body as JSON with the header `Content-Type: application/json`.")
        }
        JsonRejection::JsonDataError(e) => {
            // serde_path_to_error text: "Failed to deserialize ...: path: message"
            let text = e.body_text();
            let msg = text.split_once("target type: ").map_or(text.as_str(), |(_, m)| m).to_string();
            let (path, what) = match msg.split_once(": ") {
                Some((p, w)) if !p.contains(' ') => (Some(p.to_string()), w.to_string()),
                _ => (None, msg.clone()),
            };
            let pointer = path.map(|p| format!("/{}", p.replace('.', "/")));
            let detail = match &pointer {
                Some(ptr) => {
                    format!("the JSON body has a value of the wrong shape at {ptr}: {what}. See /api/docs for the request schema.")
                }
                None => format!("the JSON body does not match the request schema: {what}. See /api/docs."),
            };
            let mut p = Problem::new(Kind::Invalid, detail.clone());
            p.errors.push(FieldError { pointer, file: None, line: None, field: None, detail: what });
            p
        }
        JsonRejection::JsonSyntaxError(e) => {
            let text = e.body_text();
            let msg = text.split_once("body: ").map_or(text.as_str(), |(_, m)| m);
            Problem::bad_request(format!("the body is not valid JSON ({msg}). Check quotes, commas and braces."))
        }
        JsonRejection::BytesRejection(e) => {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                Problem::new(
                    Kind::TooLarge,
                    format!("the body is larger than {} bytes. Send a smaller catalog override or inventory.", crate::BODY_LIMIT),
                )
            } else {
                Problem::bad_request(format!("the body could not be read: {}", e.body_text()))
            }
        }
        other => Problem::bad_request(other.body_text()),
    }
}

/// `axum::extract::Query`, with rejections as problems.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(query_rejection(e)),
        }
    }
}

fn query_rejection(e: QueryRejection) -> Problem {
    let text = e.body_text();
    let msg = text.split_once("query string: ").map_or(text.as_str(), |(_, m)| m);
    Problem::bad_request(format!("the query string cannot be used: {msg}. See /api/docs for the parameters."))
}

/// `axum::extract::Path`, with rejections as problems.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(e) => Err(path_rejection(e)),
        }
    }
}

fn path_rejection(e: PathRejection) -> Problem {
    Problem::not_found(format!("the path cannot be used: {}. See /api/docs.", e.body_text()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_status(k.status()), k);
            assert!(k.uri().starts_with("/api/docs#problem-"));
        }
    }
}
