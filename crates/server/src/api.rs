//! The JSON API handlers.
//!
//! Each handler is documented for the OpenAPI document with
//! `#[utoipa::path]`; the document is served at `/api/openapi.json`.

use crate::openapi::{PlanJson, SvgDoc};
use crate::problem::{ApiJson, ApiPath, ApiQuery, ApiResult, FieldError, Kind, Problem};
use crate::scenario::{Evaluated, Scenario};
use crate::storage::{SavedPlan, SavedPlanSummary, StoreError, Update};
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use safetygap_core::GapArea;
use safetygap_data::embedded::{gazetteer, Jurisdiction, Kind as JKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;
use utoipa::{IntoParams, ToSchema};

// ---------------------------------------------------------------- health

/// The server's state.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// safetygap version.
    pub version: String,
    /// Version of the shipped catalog.
    pub catalog_version: String,
    /// True when saving, updating and deleting saved plans need an
    /// `Authorization: Bearer` token.
    pub writes_need_token: bool,
}

/// Whether the server is up, and whether writes need a token.
#[utoipa::path(get, path = "/api/health", tag = "meta", responses((status = 200, body = Health)))]
pub async fn health(State(s): State<AppState>) -> ApiResult<axum::Json<Health>> {
    let catalog = crate::scenario::shipped_catalog()?;
    Ok(axum::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        catalog_version: catalog.version.clone(),
        writes_need_token: s.0.token.is_some(),
    }))
}

// ---------------------------------------------------------------- search

/// A jurisdiction in search results.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Hit {
    /// GEOID to pass as `geoid`.
    pub geoid: String,
    /// The name alone (`Oakland`).
    pub name: String,
    /// The name people read (`Oakland, CA`).
    pub display: String,
    /// nation, state, county or place.
    pub kind: String,
    /// Resident population.
    pub population: f64,
    /// 2-digit FIPS code of its state (absent for the nation).
    pub state_fips: Option<String>,
    /// For places: the county containing it, when known.
    pub county: Option<String>,
}

fn hit(j: &Jurisdiction) -> Hit {
    let g = gazetteer();
    Hit {
        geoid: j.geoid.clone(),
        name: j.name.clone(),
        display: j.display_name(),
        kind: j.kind.as_str().into(),
        population: j.population,
        state_fips: j.state_fips.clone(),
        county: j.county_geoid.as_deref().and_then(|c| g.get(c)).map(|c| c.name.clone()),
    }
}

/// Longest search text, in characters.
pub const MAX_SEARCH_LEN: usize = 200;

/// Most search results one request may ask for.
pub const MAX_SEARCH_LIMIT: usize = 50;

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of a name: `oak`, `Alameda County`, `Springfield, IL`.
    pub q: String,
    /// How many matches (1–50, default 10).
    pub limit: Option<usize>,
}

/// Search text that is blank once trimmed (the document's pattern for `q`
/// is built from the same white-space table).
fn blank(q: &str) -> bool {
    q.trim().is_empty()
}

/// Finds states, counties and places by name, largest first.
#[utoipa::path(get, path = "/api/search", tag = "jurisdictions", params(SearchQuery),
    responses((status = 200, body = [Hit]), (status = 400, body = Problem, content_type = "application/problem+json")))]
pub async fn search(ApiQuery(q): ApiQuery<SearchQuery>) -> ApiResult<axum::Json<Vec<Hit>>> {
    if blank(&q.q) {
        let mut p = Problem::bad_request("give part of a name to search for, e.g. ?q=oakland.");
        p.errors.push(FieldError::at("q", "empty"));
        return Err(p);
    }
    if q.q.chars().count() > MAX_SEARCH_LEN {
        return Err(Problem::bad_request(format!("the search text is longer than {MAX_SEARCH_LEN} characters; give part of a name.")));
    }
    let limit = q.limit.unwrap_or(10);
    if !(1..=MAX_SEARCH_LIMIT).contains(&limit) {
        let mut p = Problem::bad_request(format!("limit={limit}: give 1 to {MAX_SEARCH_LIMIT} matches."));
        p.errors.push(FieldError::at("limit", "out of range"));
        return Err(p);
    }
    Ok(axum::Json(gazetteer().search(&q.q, limit).into_iter().map(hit).collect()))
}

/// A jurisdiction with the areas containing it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JurisdictionInfo {
    /// The jurisdiction.
    #[serde(flatten)]
    pub hit: Hit,
    /// Where its population comes from.
    pub population_source: String,
    /// Its county (places), state and the nation, nearest first.
    pub parents: Vec<Hit>,
    /// Set when the GEOID asked for is a place id of an earlier release
    /// (`GN` + GeoNames id): what it opens now and how that was judged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

/// One jurisdiction by GEOID.
#[utoipa::path(get, path = "/api/jurisdictions/{geoid}", tag = "jurisdictions",
    params(("geoid" = String, Path, description = "GEOID: US, 06, 06001 or 0653000 (old place ids such as GN5378538 still open, with a notice)")),
    responses((status = 200, body = JurisdictionInfo), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn jurisdiction(ApiPath(geoid): ApiPath<String>) -> ApiResult<axum::Json<JurisdictionInfo>> {
    let g = gazetteer();
    let j = g
        .get(geoid.trim())
        .or_else(|| crate::scenario::migrated(&geoid))
        .ok_or_else(|| Problem::not_found(format!("no jurisdiction has GEOID `{geoid}`; `GET /api/search?q=NAME` finds GEOIDs.")))?;
    Ok(axum::Json(JurisdictionInfo {
        hit: hit(j),
        population_source: j.population_source.to_string(),
        parents: g.parents(j).into_iter().map(hit).collect(),
        notice: crate::scenario::migration_notice(&geoid),
    }))
}

// ---------------------------------------------------------------- catalog

/// A gap area's id and title.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct GapAreaInfo {
    /// Id used in plans (`victim_services`).
    pub id: String,
    /// Title for people (`Victim services`).
    pub title: String,
}

/// The catalog in use: drivers, benchmarks and add-ons with their
/// formulas, costs, evidence grades and citations.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CatalogInfo {
    /// Catalog version.
    pub version: String,
    /// The four gap areas, in report order.
    pub gap_areas: Vec<GapAreaInfo>,
    /// Driver definitions with their default estimators.
    #[schema(value_type = Vec<Object>)]
    pub drivers: serde_json::Value,
    /// Benchmarks: need formula, unit, costs, evidence, citations.
    #[schema(value_type = Vec<Object>)]
    pub benchmarks: serde_json::Value,
    /// Add-ons: shares of other programs' cost.
    #[schema(value_type = Vec<Object>)]
    pub addons: serde_json::Value,
}

/// The shipped catalog.
#[utoipa::path(get, path = "/api/catalog", tag = "catalog", responses((status = 200, body = CatalogInfo)))]
pub async fn catalog() -> ApiResult<axum::Json<CatalogInfo>> {
    let c = crate::scenario::shipped_catalog()?;
    let to = |v: serde_json::Result<serde_json::Value>| v.map_err(|e| Problem::internal(format!("the catalog does not serialize: {e}.")));
    Ok(axum::Json(CatalogInfo {
        version: c.version.clone(),
        gap_areas: GapArea::ALL.iter().map(|g| GapAreaInfo { id: g.as_str().into(), title: g.title().into() }).collect(),
        drivers: to(serde_json::to_value(&c.drivers))?,
        benchmarks: to(serde_json::to_value(&c.benchmarks))?,
        addons: to(serde_json::to_value(&c.addons))?,
    }))
}

// ---------------------------------------------------------------- plans

/// Evaluates a scenario, off the async workers when it is heavy.
pub(crate) async fn evaluate(s: &AppState, scenario: Scenario) -> ApiResult<Evaluated> {
    if scenario.is_heavy() {
        s.blocking(move || scenario.evaluate()).await
    } else {
        scenario.evaluate()
    }
}

fn json_response(v: &serde_json::Value) -> Response {
    match serde_json::to_vec(v) {
        Ok(body) => ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response(),
        Err(e) => Problem::internal(format!("the plan does not serialize: {e}.")).into_response(),
    }
}

/// Parameters of a plan for a place.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// GEOID of the jurisdiction (omit for a custom area).
    pub geoid: Option<String>,
    /// Population of a custom area, or replacing the place's.
    pub population: Option<f64>,
    /// Display name.
    pub name: Option<String>,
}

/// The plan for a place or a custom population (`safetygap plan --format
/// json`, schema `safetygap.plan/1`).
#[utoipa::path(get, path = "/api/plan", tag = "plans", params(PlanQuery),
    responses((status = 200, body = PlanJson), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn plan_get(State(s): State<AppState>, ApiQuery(q): ApiQuery<PlanQuery>) -> ApiResult<Response> {
    let scenario = Scenario { geoid: q.geoid, population: q.population, name: q.name, ..Default::default() };
    Ok(json_response(&evaluate(&s, scenario).await?.json()))
}

/// The plan for a scenario: a place or custom population with local driver
/// figures, an inventory, a catalog override and optional simulation. The
/// result equals `safetygap plan --format json` for the same inputs, plus
/// a `simulation` member when asked for.
#[utoipa::path(post, path = "/api/plan", tag = "plans", request_body = Scenario,
    responses((status = 200, body = PlanJson), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn plan_post(State(s): State<AppState>, ApiJson(scenario): ApiJson<Scenario>) -> ApiResult<Response> {
    Ok(json_response(&evaluate(&s, scenario).await?.json()))
}

/// How one program's figures were computed, step by step
/// (`safetygap explain`).
#[utoipa::path(post, path = "/api/explain/{program}", tag = "plans", request_body = Scenario,
    params(("program" = String, Path, description = "Program id, e.g. cvi_street_outreach")),
    responses((status = 200, description = "Titled sections of explanation lines", body = Object),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn explain(
    State(s): State<AppState>,
    ApiPath(program): ApiPath<String>,
    ApiJson(scenario): ApiJson<Scenario>,
) -> ApiResult<axum::Json<safetygap_core::explain::Explanation>> {
    let e = evaluate(&s, scenario).await?;
    safetygap_core::explain::explain(&e.catalog, &e.plan, &program)
        .map(axum::Json)
        .map_err(|m| Problem::not_found(m.replace("`safetygap catalog list`", "`GET /api/catalog`")))
}

/// Export formats: name, media type, file extension.
pub const EXPORTS: &[(&str, &str, &str)] = &[
    ("csv", "text/csv; charset=utf-8", "csv"),
    ("json", "application/json", "json"),
    ("markdown", "text/markdown; charset=utf-8", "md"),
    ("html", "text/html; charset=utf-8", "html"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
];

/// A file name from a jurisdiction name: lower-case ASCII letters, digits
/// and hyphens only.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(60).collect();
    if out.is_empty() {
        "plan".into()
    } else {
        out
    }
}

/// The plan as a file to download: `csv`, `json`, `markdown`, `html` (the
/// printable brief with charts) or `xlsx` (workbook with live formulas).
#[utoipa::path(post, path = "/api/export/{format}", tag = "plans", request_body = Scenario,
    params(("format" = String, Path, description = "csv, json, markdown, html or xlsx")),
    responses((status = 200, description = "The file, as an attachment", content(
            ("text/csv"), ("application/json"), ("text/markdown"), ("text/html"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn export(
    State(s): State<AppState>,
    ApiPath(format): ApiPath<String>,
    ApiJson(scenario): ApiJson<Scenario>,
) -> ApiResult<Response> {
    let Some(&(fmt, ctype, ext)) = EXPORTS.iter().find(|(f, ..)| *f == format) else {
        return Err(Problem::not_found(format!("`{format}` is not an export format; use csv, json, markdown, html or xlsx.")));
    };
    let e = s.blocking(move || scenario.evaluate()).await?;
    let file = format!("safetygap-{}.{ext}", slug(&e.plan.jurisdiction.name));
    let body: Vec<u8> = match fmt {
        // With a simulation, the same files `safetygap plan --simulate N` writes.
        "csv" => match &e.simulation {
            Some(sim) => safetygap_report::simulated::csv(&e.plan, sim),
            None => safetygap_report::csv_out::render(std::slice::from_ref(&e.plan)),
        }
        .into_bytes(),
        "json" => match &e.simulation {
            Some(sim) => safetygap_report::simulated::json(&e.plan, sim),
            None => safetygap_report::json::render(&e.plan),
        }
        .into_bytes(),
        "markdown" => {
            let mut md = safetygap_report::markdown::render(&e.plan);
            if let Some(sim) = &e.simulation {
                md.push_str(&safetygap_report::simulated::markdown_section(&e.plan, sim));
            }
            md.into_bytes()
        }
        "html" => {
            let (plan, catalog) = (e.plan.clone(), e.catalog.clone());
            s.blocking(move || Ok(safetygap_report::html::render(&plan, &catalog, &safetygap_report::html::HtmlOptions::default())))
                .await?
                .into_bytes()
        }
        _ => {
            let (plan, catalog) = (e.plan.clone(), e.catalog.clone());
            s.blocking(move || {
                safetygap_report::xlsx::render(&plan, &catalog)
                    .map_err(|x| Problem::internal(format!("the workbook could not be written: {x}.")))
            })
            .await?
        }
    };
    let disposition =
        HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")).map_err(|_| Problem::internal("bad file name."))?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static(ctype)), (header::CONTENT_DISPOSITION, disposition)], body).into_response())
}

fn svg_response(svg: String) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")), (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
        svg,
    )
        .into_response()
}

/// A chart's drawing function.
pub type Draw = fn(&safetygap_core::Plan) -> String;

/// The charts: name in the path, drawing function.
pub const CHARTS: &[(&str, Draw)] = &[
    ("need-vs-existing", safetygap_report::svg::need_vs_existing),
    ("cost-by-area", safetygap_report::svg::cost_by_area),
    ("cost-by-program", safetygap_report::svg::cost_by_program),
];

/// A chart of the plan as SVG: `need-vs-existing`, `cost-by-area` or
/// `cost-by-program`.
#[utoipa::path(post, path = "/api/charts/{chart}", tag = "plans", request_body = Scenario,
    params(("chart" = String, Path, description = "need-vs-existing, cost-by-area or cost-by-program")),
    responses((status = 200, body = SvgDoc, content_type = "image/svg+xml"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn chart(
    State(s): State<AppState>,
    ApiPath(chart): ApiPath<String>,
    ApiJson(mut scenario): ApiJson<Scenario>,
) -> ApiResult<Response> {
    let Some(&(_, draw)) = CHARTS.iter().find(|(c, _)| *c == chart) else {
        return Err(Problem::not_found(format!("`{chart}` is not a chart; use need-vs-existing, cost-by-area or cost-by-program.")));
    };
    scenario.check_simulate()?;
    scenario.simulate = None;
    let e = evaluate(&s, scenario).await?;
    Ok(svg_response(draw(&e.plan)))
}

// ---------------------------------------------------------------- compare and map

/// Geographic level to rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The 50 states and DC.
    State,
    /// Counties.
    County,
    /// Census places (incorporated places and CDPs).
    Place,
}

/// Ranking order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Annual gap cost per resident, largest first.
    #[default]
    GapPerResident,
    /// Annual gap cost, largest first.
    Gap,
    /// Population, largest first.
    Population,
    /// Coverage, lowest first.
    Coverage,
    /// Name, A to Z.
    Name,
}

/// Compare parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// Level to rank (default county).
    pub level: Option<Level>,
    /// Only this state: name, abbreviation or FIPS (`CA`, `06`). Needed for places.
    pub state: Option<String>,
    /// Ranking (default gap_per_resident).
    pub sort: Option<Sort>,
    /// How many rows (default 25, 0 = all, at most 100,000).
    pub limit: Option<usize>,
}

/// Largest `limit` of a ranking (0 asks for all rows).
pub const MAX_COMPARE_LIMIT: usize = 100_000;

/// One ranked jurisdiction.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CompareRow {
    /// Rank, from 1.
    pub rank: usize,
    /// GEOID.
    pub geoid: String,
    /// Display name.
    pub name: String,
    /// Population.
    pub population: f64,
    /// Annual cost to close the gap {low, mid, high}.
    #[schema(value_type = crate::openapi::Range3Json)]
    pub annual_gap_cost: safetygap_core::Range3,
    /// Annual gap cost per resident (mid).
    pub gap_per_resident: f64,
    /// Share of the need's cost already met (null when need is 0).
    pub coverage: Option<f64>,
}

/// A ranking.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CompareResult {
    /// Level ranked.
    pub level: Level,
    /// State FIPS, when limited to one state.
    pub state: Option<String>,
    /// Order used.
    pub sort: Sort,
    /// How many jurisdictions were ranked (rows may be fewer).
    pub total: usize,
    /// The rows, best-ranked first.
    pub rows: Vec<CompareRow>,
}

fn state_fips(state: &str) -> ApiResult<String> {
    let g = gazetteer();
    let j = g.resolve(state).map_err(|e| {
        let mut p = Problem::not_found(format!("state `{state}`: {e}").replace("--geoid", "a FIPS code"));
        p.errors.push(FieldError::at("state", "not a state"));
        p
    })?;
    if j.kind != JKind::State {
        return Err(Problem::invalid(format!(
            "`{state}` is {} ({}), not a state; give a state name, abbreviation (CA) or FIPS code (06).",
            j.display_name(),
            j.kind.as_str()
        )));
    }
    Ok(j.geoid.clone())
}

/// Every jurisdiction of a level (within a state) with its shipped-catalog
/// plan figures, cached: the embedded data and catalog never change while
/// the server runs.
pub(crate) async fn ranked(s: &AppState, level: Level, state: Option<String>) -> ApiResult<Arc<Vec<CompareRow>>> {
    let key = (level, state.clone());
    if let Some(rows) = s.0.compare_cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(rows.clone());
    }
    let rows = s
        .blocking(move || {
            let g = gazetteer();
            let catalog = crate::scenario::shipped_catalog()?;
            let st = state.as_deref();
            let list: Vec<&Jurisdiction> = match level {
                Level::State => g.states().filter(|j| st.is_none_or(|f| j.geoid == f)).collect(),
                Level::County => g.counties(st).collect(),
                Level::Place => g.places(st).collect(),
            };
            list.iter()
                .map(|j| {
                    let p = safetygap_core::compute(&catalog, &safetygap_data::inputs::plan_input(g, j))
                        .map_err(|e| Problem::internal(format!("{}: {e}", j.display_name())))?;
                    Ok(CompareRow {
                        rank: 0,
                        geoid: j.geoid.clone(),
                        name: j.display_name(),
                        population: j.population,
                        annual_gap_cost: p.totals.annual_cost,
                        gap_per_resident: p.totals.annual_cost_per_resident.mid,
                        coverage: p.totals.coverage,
                    })
                })
                .collect::<ApiResult<Vec<_>>>()
        })
        .await?;
    let rows = Arc::new(rows);
    s.0.compare_cache.lock().unwrap_or_else(|p| p.into_inner()).insert(key, rows.clone());
    Ok(rows)
}

/// Ranks the states, counties or places of an area by their safety gap
/// (`safetygap compare`), with each place's embedded data and the shipped
/// catalog.
#[utoipa::path(get, path = "/api/compare", tag = "jurisdictions", params(CompareQuery),
    responses((status = 200, body = CompareResult), (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such state", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn compare(State(s): State<AppState>, ApiQuery(q): ApiQuery<CompareQuery>) -> ApiResult<axum::Json<CompareResult>> {
    let level = q.level.unwrap_or(Level::County);
    if q.limit.is_some_and(|n| n > MAX_COMPARE_LIMIT) {
        let mut p = Problem::bad_request(format!("limit: give 0 (all rows) to {MAX_COMPARE_LIMIT}."));
        p.errors.push(FieldError::at("limit", "out of range"));
        return Err(p);
    }
    let sort = q.sort.unwrap_or_default();
    let state = q.state.as_deref().filter(|t| !t.trim().is_empty()).map(state_fips).transpose()?;
    if level == Level::Place && state.is_none() {
        return Err(Problem::invalid(
            "ranking every place in the country is a batch job; give a state (`state=CA`), or run `safetygap compare --level place`.",
        ));
    }
    let all = ranked(&s, level, state.clone()).await?;
    let mut rows: Vec<CompareRow> = all.as_ref().clone();
    let key = |r: &CompareRow| match sort {
        Sort::Gap => r.annual_gap_cost.mid,
        Sort::Population => r.population,
        Sort::Coverage => -r.coverage.unwrap_or(0.0),
        _ => r.gap_per_resident,
    };
    if sort == Sort::Name {
        rows.sort_by(|a, b| a.name.cmp(&b.name));
    } else {
        rows.sort_by(|a, b| key(b).total_cmp(&key(a)).then_with(|| a.geoid.cmp(&b.geoid)));
    }
    let total = rows.len();
    let limit = match q.limit.unwrap_or(25) {
        0 => total,
        n => n.min(total),
    };
    rows.truncate(limit);
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    Ok(axum::Json(CompareResult { level, state, sort, total, rows }))
}

/// What a map colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Annual gap cost per resident.
    #[default]
    GapPerResident,
    /// Annual gap cost.
    Gap,
    /// Coverage of the need's cost.
    Coverage,
}

/// Map parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapQuery {
    /// What to colour (default gap_per_resident).
    pub measure: Option<Measure>,
    /// A county GEOID to outline.
    pub highlight: Option<String>,
}

/// A choropleth of a state's counties (or, for `US`, of the states) as SVG,
/// from each area's embedded data and the shipped catalog.
#[utoipa::path(get, path = "/api/map/{state}", tag = "jurisdictions", params(("state" = String, Path, description = "State name, abbreviation or FIPS, or US for all states"), MapQuery),
    responses((status = 200, body = SvgDoc, content_type = "image/svg+xml"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn map(State(s): State<AppState>, ApiPath(state): ApiPath<String>, ApiQuery(q): ApiQuery<MapQuery>) -> ApiResult<Response> {
    use safetygap_report::map::{choropleth, Level as MapLevel, MapOptions, ValueFormat};
    let measure = q.measure.unwrap_or_default();
    let national = state.eq_ignore_ascii_case("us");
    let (level, fips) = if national { (Level::State, None) } else { (Level::County, Some(state_fips(&state)?)) };
    let rows = ranked(&s, level, fips.clone()).await?;
    let values: BTreeMap<String, f64> = rows
        .iter()
        .map(|r| {
            let v = match measure {
                Measure::GapPerResident => r.gap_per_resident,
                Measure::Gap => r.annual_gap_cost.mid,
                Measure::Coverage => r.coverage.unwrap_or(0.0),
            };
            (r.geoid.clone(), v)
        })
        .collect();
    let place = match &fips {
        Some(f) => gazetteer().get(f).map_or_else(|| f.clone(), |j| j.name.clone()),
        None => "the United States".into(),
    };
    let what = match measure {
        Measure::GapPerResident => "Annual cost to close the gap per resident",
        Measure::Gap => "Annual cost to close the gap",
        Measure::Coverage => "Share of need already met",
    };
    let title = if national { format!("{what}, by state") } else { format!("{what}, counties of {place}") };
    let mut opts = MapOptions::new(if national { MapLevel::State } else { MapLevel::County }, title);
    opts.within_state = fips;
    opts.format = match measure {
        Measure::Coverage => ValueFormat::Percent,
        _ => ValueFormat::Money,
    };
    opts.highlight = q.highlight.filter(|h| h.len() <= 5 && h.chars().all(|c| c.is_ascii_digit()));
    let svg =
        s.blocking(move || choropleth(&values, &opts).map_err(|e| Problem::invalid(format!("the map cannot be drawn: {e}.")))).await?;
    Ok(svg_response(svg.svg))
}

// ---------------------------------------------------------------- saved plans

/// A plan to save: a name and its scenario.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedPlanInput {
    /// Name to save it under (1–200 characters).
    pub name: String,
    /// The scenario. It must compute: it is checked before saving.
    pub scenario: Scenario,
}

fn store_problem(e: StoreError) -> Problem {
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

fn check_name(name: &str) -> ApiResult<String> {
    if name.trim().is_empty() || name.chars().count() > crate::scenario::MAX_NAME {
        let detail = format!("give the plan a name of 1 to {} characters, on one line.", crate::scenario::MAX_NAME);
        return Err(Problem::invalid_at("/name", detail));
    }
    crate::scenario::check_text("/name", name, "name")
}

/// Checks that a scenario computes, so every saved plan opens.
async fn validate(s: &AppState, input: SavedPlanInput) -> ApiResult<(String, Scenario)> {
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

fn etag(p: &SavedPlan) -> HeaderValue {
    HeaderValue::from_str(&format!("\"r{}\"", p.revision)).unwrap_or(HeaderValue::from_static("\"r0\""))
}

/// What `If-Match` accepts: `*`, a saved plan's ETag (`"r3"`, also weak),
/// or nothing (an empty header is no precondition).
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"r[0-9]{1,18}")?$"#;

fn if_match(h: &HeaderMap) -> ApiResult<Option<i64>> {
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

fn missing(id: i64) -> Problem {
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

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Oakland, CA"), "oakland-ca");
        assert_eq!(slug("\"; rm -rf /"), "rm-rf");
        assert_eq!(slug("Île-de-Ça"), "le-de-a");
        assert_eq!(slug("!!!"), "plan");
    }
}
