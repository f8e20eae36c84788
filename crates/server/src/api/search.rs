//! The API: search.

use super::*;

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

pub(super) fn hit(j: &Jurisdiction) -> Hit {
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
pub(super) fn blank(q: &str) -> bool {
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
