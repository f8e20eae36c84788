//! The API: plans.

use super::*;

/// Evaluates a scenario, off the async workers when it is heavy.
pub(crate) async fn evaluate(s: &AppState, scenario: Scenario) -> ApiResult<Evaluated> {
    if scenario.is_heavy() {
        s.blocking(move || scenario.evaluate()).await
    } else {
        scenario.evaluate()
    }
}

pub(super) fn json_response(v: &serde_json::Value) -> Response {
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
    /// Which benchmarks apply: `floor`, `standard` (default) or `goal`.
    pub tier: Option<String>,
    /// The year whose dollars every cost is in (default: the latest year of
    /// the embedded CPI-U).
    pub dollar_year: Option<u16>,
    /// `state`: start from the state default inventory (needs `geoid`).
    pub inventory_defaults: Option<String>,
    /// Also show what falls on this payer's own budget (`city`, `state`, ...).
    pub payer: Option<String>,
}

/// The plan for a place or a custom population (`safetygap plan --format
/// json`, schema `safetygap.plan/1`).
#[utoipa::path(get, path = "/api/plan", tag = "plans", params(PlanQuery),
    responses((status = 200, body = PlanJson), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn plan_get(State(s): State<AppState>, ApiQuery(q): ApiQuery<PlanQuery>) -> ApiResult<Response> {
    let scenario = Scenario {
        geoid: q.geoid,
        population: q.population,
        name: q.name,
        tier: q.tier,
        dollar_year: q.dollar_year.map(u64::from),
        inventory_defaults: q.inventory_defaults,
        payer: q.payer,
        ..Default::default()
    };
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

pub(super) fn svg_response(svg: String) -> Response {
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
