//! The OpenAPI 3.1 document, generated from the handlers' annotations.
//!
//! The plan's JSON contract (`safetygap.plan/1`, docs/JSON.md) is produced
//! by the report crate from the engine's types, which know nothing of
//! OpenAPI; the `*Json` types below describe it for the document only, and
//! a test checks that every member of a real plan is described.

use crate::api;
use crate::problem::{FieldError, Problem};
use crate::scenario::{DriverValue, InventoryValue, Scenario, Simulate};
use crate::storage::{SavedPlan, SavedPlanSummary};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// `{low, mid, high}` with low ≤ mid ≤ high.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct Range3Json {
    /// Low end.
    low: f64,
    /// Central estimate.
    mid: f64,
    /// High end.
    high: f64,
}

/// Who a plan is for.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct JurisdictionJson {
    /// GEOID, or `custom`.
    id: String,
    /// Display name.
    name: String,
    /// nation, state, county, place or custom.
    kind: String,
}

/// A driver with its value and provenance.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DriverJson {
    /// Driver id.
    id: String,
    /// Name.
    name: String,
    /// Unit.
    unit: String,
    /// Value.
    value: Range3Json,
    /// `given` (a figure for this place) or `estimated`.
    basis: String,
    /// Where the value comes from.
    source: String,
    /// Year or period, when known.
    vintage: Option<String>,
    /// Weakest evidence grade among an estimator's factors.
    evidence: Option<String>,
    /// The catalog estimator with mid factor values (catalog estimates only).
    formula: Option<String>,
}

/// One plan line.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ProgramJson {
    /// Program id.
    id: String,
    /// Program name.
    name: String,
    /// victim_services, violence_prevention, behavioral_health or reentry.
    gap_area: String,
    /// `benchmark`, or `addon` (a share of other programs' cost; its need,
    /// existing and gap are dollars a year).
    kind: String,
    /// What one unit is.
    unit: String,
    /// Evidence grade of the need formula.
    evidence: String,
    /// Evidence grade of the unit cost.
    cost_evidence: String,
    /// Overall grade: the weakest of every input the line rests on.
    grade: String,
    /// The year whose dollars the catalog's unit cost is written in.
    source_cost_year: u16,
    /// CPI-U multiplier from `source_cost_year` to the plan's dollar year.
    cpi_factor: f64,
    /// Driver the need scales with.
    driver: String,
    /// Need, fractional.
    need: Range3Json,
    /// Mid need rounded half up, for indivisible units.
    need_whole: Option<f64>,
    /// What exists (0 when not listed).
    existing: f64,
    /// Where the existing count comes from.
    existing_source: Option<String>,
    /// True when the existing count was verified.
    existing_verified: bool,
    /// False when no inventory line was given: existing not counted (0).
    existing_counted: bool,
    /// max(0, need − existing).
    gap: Range3Json,
    /// max(0, need_whole − existing).
    gap_whole: Option<f64>,
    /// existing ÷ mid need; null when need is 0.
    coverage: Option<f64>,
    /// Annual cost per unit.
    unit_cost: Range3Json,
    /// Annual cost of the whole need.
    need_cost: Range3Json,
    /// Annual cost to close the gap.
    annual_cost: Range3Json,
    /// One-off start-up cost of the gap's units.
    startup_cost: Range3Json,
    /// Dollar year.
    cost_year: u16,
    /// Assumption-graded inputs the line rests on.
    assumptions: Vec<String>,
    /// Add-ons: the share of the base programs' cost.
    share: Option<Range3Json>,
    /// Add-ons: the program ids whose annual cost the share applies to.
    applies_to: Option<Vec<String>>,
}

/// Costs summed over programs.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct SubtotalJson {
    /// Annual cost to close the gap.
    annual_cost: Range3Json,
    /// One-off start-up cost.
    startup_cost: Range3Json,
    /// Annual cost of the whole need.
    need_cost: Range3Json,
    /// 1 − gap cost ÷ need cost (mid) over the lines with an inventory;
    /// null when no line has one.
    coverage: Option<f64>,
    /// Lines with an inventory (what `coverage` is computed over).
    lines_with_inventory: usize,
    /// Lines in all.
    lines: usize,
    /// Annual gap cost ÷ population.
    annual_cost_per_resident: Range3Json,
}

/// A gap area's subtotal.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AreaSubtotalJson {
    /// The gap area.
    gap_area: String,
    /// Annual cost to close the gap.
    annual_cost: Range3Json,
    /// One-off start-up cost.
    startup_cost: Range3Json,
    /// Annual cost of the whole need.
    need_cost: Range3Json,
    /// 1 − gap cost ÷ need cost (mid) over the lines with an inventory.
    coverage: Option<f64>,
    /// Lines with an inventory (what `coverage` is computed over).
    lines_with_inventory: usize,
    /// Lines in all.
    lines: usize,
    /// Annual gap cost ÷ population.
    annual_cost_per_resident: Range3Json,
}

/// A plan, schema `safetygap.plan/1` (docs/JSON.md): what `safetygap plan
/// --format json` prints.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PlanJson {
    /// `safetygap.plan/1`.
    schema: String,
    /// Who it is for.
    jurisdiction: JurisdictionJson,
    /// Every driver with value and provenance.
    drivers: Vec<DriverJson>,
    /// Every program line, grouped by gap area.
    programs: Vec<ProgramJson>,
    /// Subtotals by gap area.
    gap_areas: Vec<AreaSubtotalJson>,
    /// Totals.
    totals: SubtotalJson,
    /// First and last year the catalog's cost figures are written in.
    cost_years: Vec<u16>,
    /// The year whose dollars every cost is in (CPI-U converted).
    dollar_year: u16,
    /// The tier applied: `floor`, `standard` or `goal`.
    tier: String,
    /// Benchmarks beyond the tier: `{id, name, kind, annual_cost}`.
    #[schema(value_type = Vec<Object>)]
    beyond_tier: Vec<serde_json::Value>,
    /// Annual cost to close the gap if the goal tier applied.
    goal_tier_annual_cost: Range3Json,
    /// Catalog version (`+user.<hash>` with overrides).
    catalog_version: String,
    /// FNV-1a fingerprint of the inputs and catalog version.
    input_hash: String,
    /// Data-quality assessment: `grade` (1–3), `label`, `reasons`, and
    /// per-line `flags` (`{id, flags: [{kind, detail}]}`).
    #[schema(value_type = Option<Object>)]
    quality: Option<serde_json::Value>,
    /// Present when the scenario asked for a simulation: draws, seed, and
    /// 5th/50th/95th percentiles (`p5`, `p50`, `p95`) of need, gap and cost
    /// per program, gap area and total.
    #[schema(value_type = Option<Object>)]
    simulation: Option<serde_json::Value>,
}

/// An SVG document.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct SvgDoc(String);

struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Needed for writes (saving, updating, deleting saved plans) when the operator set a token: \
                         always when the server listens beyond loopback. The token is the value of the environment \
                         variable named by `safetygap serve --token-env` (default SAFETYGAP_TOKEN).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "safetygap API",
        description = "Size community safety infrastructure — victim services, violence prevention, behavioral health \
                       and reentry — for any U.S. state, county or city from population-based benchmarks, and compare \
                       need with what exists. Plans equal `safetygap plan --format json` for the same inputs. Errors \
                       are RFC 9457 problem details (`application/problem+json`).",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        api::health, api::search, api::jurisdiction, api::catalog, api::plan_get, api::plan_post, api::explain,
        api::export, api::chart, api::compare, api::map, api::saved_list, api::saved_create, api::saved_get,
        api::saved_update, api::saved_delete
    ),
    components(schemas(
        Problem, FieldError, Scenario, DriverValue, InventoryValue, Simulate, SavedPlan, SavedPlanSummary,
        PlanJson, ProgramJson, DriverJson, SubtotalJson, AreaSubtotalJson, Range3Json, JurisdictionJson
    )),
    modifiers(&Security),
    tags(
        (name = "plans", description = "Compute, explain and export plans"),
        (name = "jurisdictions", description = "Find, compare and map places"),
        (name = "catalog", description = "The benchmark catalog"),
        (name = "saved plans", description = "Named scenarios stored on the server"),
        (name = "meta", description = "Server state")
    )
)]
pub struct ApiDoc;

/// The document as JSON text.
pub fn json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_else(|_| "{}".into())
}
