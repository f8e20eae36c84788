//! The JSON API handlers.
//!
//! Each handler is documented for the OpenAPI document with
//! `#[utoipa::path]`; the document is served at `/api/openapi.json`.

mod compare;
mod plans;
mod saved;
mod search;

pub use compare::*;
pub use plans::*;
pub use saved::*;
pub use search::*;

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
    /// The payers a scenario's `payer` may name.
    pub payers: Vec<PayerInfo>,
    /// The years a scenario's `dollar_year` may name (the embedded CPI-U);
    /// the last is the default.
    pub dollar_years: DollarYears,
}

/// A payer's id and name.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PayerInfo {
    /// Id used in scenarios and plans (`city`).
    pub id: String,
    /// Name for people (`City or county general fund`).
    pub name: String,
}

/// The first and last year of the embedded CPI-U.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DollarYears {
    /// First year.
    pub first: u16,
    /// Last year (the default dollar year).
    pub last: u16,
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
        payers: safetygap_core::payer::PAYERS.iter().map(|(id, name)| PayerInfo { id: (*id).into(), name: (*name).into() }).collect(),
        dollar_years: {
            let (first, last) = crate::scenario::dollar_years();
            DollarYears { first, last }
        },
    }))
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
