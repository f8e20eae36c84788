//! What a plan is made of: its input, its program lines, subtotals and totals.

use super::*;

/// Who the plan is for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Jurisdiction {
    /// GEOID or custom id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// nation, state, county, place or custom.
    pub kind: String,
}

/// Everything a plan is computed from, apart from the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanInput {
    /// Who the plan is for.
    pub jurisdiction: Jurisdiction,
    /// Driver figures supplied from outside the catalog (population at least).
    pub drivers: BTreeMap<String, SuppliedDriver>,
    /// What already exists.
    pub inventory: Inventory,
    /// The county (or region) that holds units too small for this place to
    /// run alone: its own input, without a host of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Box<PlanInput>>,
}

impl PlanInput {
    /// A custom area with only a population; `source` says where the
    /// population came from, in the caller's words ("given on the command
    /// line", "local figure (web/API)").
    pub fn custom(name: &str, population: f64, source: &str) -> Self {
        let mut drivers = BTreeMap::new();
        drivers.insert("population".to_string(), SuppliedDriver::given(population, source));
        PlanInput {
            jurisdiction: Jurisdiction { id: "custom".into(), name: name.into(), kind: "custom".into() },
            drivers,
            inventory: Inventory::default(),
            host: None,
        }
    }
}

/// A place's share of a unit held by its county or a region, when its own
/// need is below one viable unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedUnit {
    /// Who holds the unit: the county's name, or "a region" (neighbouring
    /// places or counties together).
    pub host: String,
    /// `county` or `region`.
    pub host_kind: String,
    /// The place's share, in units of the host's (0.4 = 40% of one unit).
    pub share: f64,
    /// The host's fractional need, when known.
    pub host_need: Option<f64>,
    /// The whole units the host runs, when known.
    pub host_units: Option<f64>,
    /// The smallest viable unit (usually 1).
    pub min_viable: f64,
}

/// Whether a plan line is a benchmark with units or a cost add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgramKind {
    /// Units scaled from a driver.
    Benchmark,
    /// A share of other programs' cost; its need, existing and gap are in
    /// dollars a year.
    Addon,
}

/// One line of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramPlan {
    /// Program id.
    pub id: String,
    /// Safety gap it belongs to.
    pub gap_area: GapArea,
    /// Program name.
    pub name: String,
    /// Benchmark or add-on.
    pub kind: ProgramKind,
    /// What one unit is (`USD a year` for add-ons).
    pub unit: String,
    /// Evidence grade of the need formula.
    pub evidence: Evidence,
    /// Evidence grade of the unit cost.
    pub cost_evidence: Evidence,
    /// Overall grade: the weakest of every input the line rests on (need
    /// ratio, unit and start-up costs, each factor of a catalog driver
    /// estimate it uses; for an add-on, its share and its base lines).
    #[serde(default = "weakest")]
    pub grade: Evidence,
    /// Driver the need scales with (empty for add-ons).
    pub driver: String,
    /// Need, fractional.
    pub need: Range3,
    /// Whole-unit recommendation: mid need rounded half up (see METHODOLOGY).
    pub need_whole: Option<f64>,
    /// What exists now.
    pub existing: f64,
    /// Where the existing count comes from, if an inventory gave it.
    pub existing_source: Option<String>,
    /// True when the existing count was verified.
    pub existing_verified: bool,
    /// True when an inventory line was given for this program; false means
    /// existing capacity was not counted (taken as 0), not that none exists.
    #[serde(default)]
    pub existing_counted: bool,
    /// True when the existing count is a default from public sources
    /// (`--inventory-defaults state`: a floor or a national rate), not a
    /// local count.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub existing_default: bool,
    /// max(0, need − existing).
    pub gap: Range3,
    /// max(0, whole need − existing), for whole-unit programs.
    pub gap_whole: Option<f64>,
    /// existing ÷ mid need (may exceed 1); absent when need is 0.
    pub coverage: Option<f64>,
    /// Annual cost per unit.
    pub unit_cost: Range3,
    /// Annual cost of meeting the whole need.
    pub need_cost: Range3,
    /// Annual cost to close the gap.
    pub annual_cost: Range3,
    /// One-off cost of opening the gap's units.
    pub startup_cost: Range3,
    /// Dollar year of the costs (the plan's dollar year).
    pub cost_year: u16,
    /// The year whose dollars the catalog's unit cost is written in.
    #[serde(default)]
    pub source_cost_year: u16,
    /// CPI-U multiplier from `source_cost_year` to `cost_year` dollars.
    #[serde(default = "one")]
    pub cpi_factor: f64,
    /// Every assumption-graded input this line rests on, in words.
    pub assumptions: Vec<String>,
    /// Set when the need is below one viable unit: the place's share of a
    /// unit its county or a region runs (no whole units are recommended).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<SharedUnit>,
    /// For staff lines: the line whose units these staff make up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_of: Option<String>,
    /// For staff lines: staff per unit of `team_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_per_unit: Option<f64>,
    /// For add-ons: the share of the base programs' cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Range3>,
    /// For add-ons: the program ids whose annual cost the share applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// Who pays the annual cost: buckets of one payer, of several payers
    /// whose split is unknown, or none when the catalog records no payers
    /// (see [`crate::payer`]). They sum to `annual_cost`.
    #[serde(default)]
    pub payers: Vec<crate::payer::PayerCost>,
}

pub(super) fn one() -> f64 {
    1.0
}

pub(super) fn weakest() -> Evidence {
    Evidence::Assumption
}

/// Costs summed over a set of programs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subtotal {
    /// Annual cost to close the gap.
    pub annual_cost: Range3,
    /// One-off start-up cost.
    pub startup_cost: Range3,
    /// Annual cost of meeting the whole need.
    pub need_cost: Range3,
    /// Share of the need's mid cost already met, over the lines with an
    /// inventory only: 1 − their gap cost ÷ their need cost. Absent when no
    /// line has an inventory (existing capacity was not counted anywhere).
    pub coverage: Option<f64>,
    /// How many lines the coverage is computed over (lines with an inventory).
    #[serde(default)]
    pub lines_with_inventory: usize,
    /// How many lines there are.
    #[serde(default)]
    pub lines: usize,
    /// Annual gap cost ÷ population.
    pub annual_cost_per_resident: Range3,
}

/// A gap area's subtotal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaSubtotal {
    /// The gap area.
    pub gap_area: GapArea,
    /// Its sums.
    #[serde(flatten)]
    pub totals: Subtotal,
}

/// A complete plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Who it is for.
    pub jurisdiction: Jurisdiction,
    /// Every driver with value and provenance.
    pub drivers: Vec<ResolvedDriver>,
    /// Every program line.
    pub programs: Vec<ProgramPlan>,
    /// Subtotals per gap area, in the report's order.
    pub gap_areas: Vec<AreaSubtotal>,
    /// Totals over all programs.
    pub totals: Subtotal,
    /// Range of the years the catalog's costs are written in (before the
    /// CPI-U conversion to `dollar_year`).
    pub cost_years: [u16; 2],
    /// The year whose dollars every cost is in.
    #[serde(default)]
    pub dollar_year: u16,
    /// The tier applied: floor, standard or goal.
    #[serde(default)]
    pub tier: crate::catalog::Tier,
    /// Benchmarks above the tier, with what they would add.
    #[serde(default)]
    pub beyond_tier: Vec<BeyondTier>,
    /// Annual cost to close the gap if the goal tier applied (this plan's
    /// total plus every benchmark beyond its tier).
    #[serde(default)]
    pub goal_tier_annual_cost: Range3,
    /// Catalog version used.
    pub catalog_version: String,
    /// Fingerprint of the inputs and catalog version (FNV-1a, hex).
    pub input_hash: String,
    /// Data-quality flags per line and a 1–3 grade for the plan.
    #[serde(default)]
    pub quality: crate::quality::Quality,
    /// The annual cost to close the gap by payer (sums to the total).
    #[serde(default)]
    pub cost_by_payer: Vec<crate::payer::PayerTotal>,
    /// What falls on one payer's budget, when asked for (`--payer city`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_view: Option<crate::payer::PayerView>,
}

impl Plan {
    /// Each line's id and payer buckets.
    pub fn payer_lines(&self) -> impl Iterator<Item = (&str, &[crate::payer::PayerCost])> {
        self.programs.iter().map(|p| (p.id.as_str(), p.payers.as_slice()))
    }

    /// The same plan showing what falls on `payer`'s own budget
    /// (`--payer city`); fails on an unknown payer id.
    pub fn with_payer(mut self, payer: &str) -> Result<Plan, String> {
        if !crate::payer::is_payer(payer) {
            let known: Vec<&str> = crate::payer::PAYERS.iter().map(|(p, _)| *p).collect();
            return Err(format!("unknown payer `{payer}`; use one of: {}", known.join(", ")));
        }
        self.payer_view = Some(crate::payer::view(payer, self.payer_lines(), self.totals.annual_cost));
        Ok(self)
    }
}

/// A benchmark the plan's tier leaves out, with what it would add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BeyondTier {
    /// Program id.
    pub id: String,
    /// Program name.
    pub name: String,
    /// Its kind (goal, or standard under a floor plan).
    pub kind: crate::catalog::Tier,
    /// Annual cost to close its gap, in the plan's dollar year.
    pub annual_cost: Range3,
}
