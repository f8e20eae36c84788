//! The API: saved plans.

use super::*;

/// A plan to save: a name and its scenario.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedPlanInput {
    /// Name to save it under (1–200 characters).
    pub name: String,
    /// The scenario. It must compute: it is checked before saving.
    pub scenario: Scenario,
}

pub(super) fn store_problem(e: StoreError) -> Problem {
    match e {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::DatabaseBusy || f.code == rusqlite::ErrorCode::DatabaseLocked =>
        {
            Problem::new(Kind::Unavailable, "the saved-plan database is busy; try again in a moment.")
        }
        StoreError::Corrupt { id, reason } => {
            Problem::internal(format!("saved plan {id} is stored in a form this version cannot read ({reason})."))
        }
        other => Problem::internal(format!("the saved-plan database failed: {other}.")),
    }
}

pub(super) fn check_name(name: &str) -> ApiResult<String> {
    if name.trim().is_empty() || name.chars().count() > crate::scenario::MAX_NAME {
        let detail = format!("give the plan a name of 1 to {} characters, on one line.", crate::scenario::MAX_NAME);
        return Err(Problem::invalid_at("/name", detail));
    }
    crate::scenario::check_text("/name", name, "name")
}

/// Checks that a scenario computes, so every saved plan opens.
pub(super) async fn validate(s: &AppState, input: SavedPlanInput) -> ApiResult<(String, Scenario)> {
    let name = check_name(&input.name)?;
    input.scenario.check_simulate().map_err(|mut p| {
        p.errors.iter_mut().for_each(|e| e.pointer = Some("/scenario/simulate/draws".into()));
        p
    })?;
    let mut check = input.scenario.clone();
    check.simulate = None;
    evaluate(s, check).await.map_err(|mut p| {
        for e in &mut p.errors {
            e.pointer = e.pointer.as_ref().map(|ptr| format!("/scenario{ptr}"));
        }
        p
    })?;
    Ok((name, input.scenario))
}

pub(super) fn etag(p: &SavedPlan) -> HeaderValue {
    HeaderValue::from_str(&format!("\"r{}\"", p.revision)).unwrap_or(HeaderValue::from_static("\"r0\""))
}

/// What `If-Match` accepts: `*`, a saved plan's ETag (`"r3"`, also weak),
/// or nothing (an empty header is no precondition).
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"r[0-9]{1,18}")?$"#;

pub(super) fn if_match(h: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(v) = h.get(header::IF_MATCH) else { return Ok(None) };
    let t = v.to_str().unwrap_or("?").trim();
    // An empty header is no precondition, as if it were not sent.
    if t == "*" || t.is_empty() {
        return Ok(None);
    }
    let digits = t.strip_prefix("W/").unwrap_or(t).strip_prefix("\"r").and_then(|n| n.strip_suffix('"'));
    digits
        .filter(|d| (1..=18).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse().ok())
        .map(Some)
        .ok_or_else(|| Problem::bad_request(format!("If-Match `{t}` is not an ETag of a saved plan; send the ETag from GET, e.g. \"r3\".")))
}

pub(super) fn missing(id: i64) -> Problem {
    Problem::not_found(format!("no saved plan has id {id}; `GET /api/saved-plans` lists them."))
}

/// Saved plans, most recently updated first.
#[utoipa::path(get, path = "/api/saved-plans", tag = "saved plans", responses((status = 200, body = [SavedPlanSummary])))]
pub async fn saved_list(State(s): State<AppState>) -> ApiResult<axum::Json<Vec<SavedPlanSummary>>> {
    let st = s.clone();
    s.blocking_io(move || st.0.store.list().map_err(store_problem)).await.map(axum::Json)
}

/// Saves a plan.
#[utoipa::path(post, path = "/api/saved-plans", tag = "saved plans", request_body = SavedPlanInput,
    responses((status = 201, body = SavedPlan, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn saved_create(State(s): State<AppState>, ApiJson(input): ApiJson<SavedPlanInput>) -> ApiResult<Response> {
    let (name, scenario) = validate(&s, input).await?;
    let st = s.clone();
    let p = s.blocking_io(move || st.0.store.create(&name, &scenario).map_err(store_problem)).await?;
    let loc = HeaderValue::from_str(&format!("/api/saved-plans/{}", p.id)).map_err(|_| Problem::internal("bad id."))?;
    Ok((StatusCode::CREATED, [(header::LOCATION, loc), (header::ETAG, etag(&p))], axum::Json(p)).into_response())
}

/// One saved plan.
#[utoipa::path(get, path = "/api/saved-plans/{id}", tag = "saved plans", params(("id" = i64, Path)),
    responses((status = 200, body = SavedPlan, headers(("ETag" = String))), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn saved_get(State(s): State<AppState>, ApiPath(id): ApiPath<i64>) -> ApiResult<Response> {
    let st = s.clone();
    let p = s.blocking_io(move || st.0.store.get(id).map_err(store_problem)).await?.ok_or_else(|| missing(id))?;
    Ok(([(header::ETAG, etag(&p))], axum::Json(p)).into_response())
}

/// Replaces a saved plan's name and scenario. With `If-Match: "rN"`, only
/// if nobody changed it since revision N.
#[utoipa::path(put, path = "/api/saved-plans/{id}", tag = "saved plans", request_body = SavedPlanInput,
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "ETag from GET, e.g. \"r3\"")),
    responses((status = 200, body = SavedPlan), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn saved_update(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SavedPlanInput>,
) -> ApiResult<Response> {
    let expected = if_match(&headers)?;
    let (name, scenario) = validate(&s, input).await?;
    let st = s.clone();
    match s.blocking_io(move || st.0.store.update(id, &name, &scenario, expected).map_err(store_problem)).await? {
        Update::Done(p) => Ok(([(header::ETAG, etag(&p))], axum::Json(*p)).into_response()),
        Update::Missing => Err(missing(id)),
        Update::Conflict(now) => Err(Problem::new(
            Kind::PreconditionFailed,
            format!("saved plan {id} is at revision {now}, not the one you edited; reload it (GET) and apply your changes again."),
        )),
    }
}

/// Deletes a saved plan.
#[utoipa::path(delete, path = "/api/saved-plans/{id}", tag = "saved plans", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn saved_delete(State(s): State<AppState>, ApiPath(id): ApiPath<i64>) -> ApiResult<StatusCode> {
    let st = s.clone();
    if s.blocking_io(move || st.0.store.delete(id).map_err(store_problem)).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(missing(id))
    }
}
