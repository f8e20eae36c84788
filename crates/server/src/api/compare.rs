//! The API: compare and map.

use super::*;

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

pub(super) fn state_fips(state: &str) -> ApiResult<String> {
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
