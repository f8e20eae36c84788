//! The plan's JSON contract (`safetygap.plan/1`, docs/JSON.md) described for
//! the document only: the report crate writes the JSON from the engine's
//! types, which know nothing of OpenAPI.

use utoipa::ToSchema;

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
    /// For a driver the catalog estimates two ways (the highest-risk
    /// population from homicides or from residents): each estimate's
    /// `formula`, `description`, `value` and whether the plan `used` it.
    #[schema(value_type = Option<Vec<Object>>)]
    alternatives: Option<Vec<serde_json::Value>>,
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
    /// Present when the need is below one viable unit: the place's share of
    /// a unit run by its county or a region, `{host, host_kind, share,
    /// host_need, host_units, min_viable}`.
    #[schema(value_type = Option<Object>)]
    shared: Option<serde_json::Value>,
    /// Staff lines: the line whose units these staff make up.
    team_of: Option<String>,
    /// Staff lines: staff per unit of `team_of`.
    team_per_unit: Option<f64>,
    /// True when the existing count is a default from public sources
    /// (`--inventory-defaults state`), not a local count; absent otherwise.
    existing_default: Option<bool>,
    /// The line's annual cost by usual funder: `{payers, share,
    /// share_published, annual_cost}`; several payers = split unknown.
    #[schema(value_type = Vec<Object>)]
    payers: Vec<serde_json::Value>,
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
// The same fields as `SubtotalJson` plus `gap_area`, written out on
// purpose: flattening one into the other would turn the published schema
// into an `allOf`, a change to the API contract for no change in the JSON.
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
    /// Annual cost to close the gap by usual funder: `{payers, label,
    /// annual_cost, lines}`; a row of several payers is split unknown. The
    /// rows add up to `totals.annual_cost`.
    #[schema(value_type = Vec<Object>)]
    cost_by_payer: Vec<serde_json::Value>,
    /// Present when the scenario names a `payer`: what is that payer's
    /// alone and what it shares with others in unknown proportions
    /// (`{payer, name, annual_cost, lines, shared_unknown, unknown_lines,
    /// plan_annual_cost}`).
    #[schema(value_type = Option<Object>)]
    payer_view: Option<serde_json::Value>,
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
