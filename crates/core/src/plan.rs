//! The plan: need, existing, gap and cost for every program, with
//! subtotals by gap area and totals.

use crate::catalog::{Benchmark, Catalog, Scale};
use crate::drivers::{self, ResolvedDriver, SuppliedDriver};
use crate::evidence::{Evidence, GapArea};
use crate::inventory::Inventory;
use crate::range::{safe_div, Range3};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

fn one() -> f64 {
    1.0
}

fn weakest() -> Evidence {
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

/// Why a plan could not be computed.
pub type PlanError = drivers::DriverError;

/// Computes a plan. Pure: the same catalog and input give the same plan.
pub fn compute(catalog: &Catalog, input: &PlanInput) -> Result<Plan, PlanError> {
    let host = match &input.host {
        Some(h) if h.host.is_none() => Some(HostNeeds::of(&compute(catalog, h)?)),
        _ => None,
    };
    compute_hosted(catalog, input, host.as_ref())
}

/// What a place's plan takes from its host's (county's) plan: the host's
/// name and each line's need. A batch computes it once per county for all
/// the county's places ([`compute_hosted`]).
#[derive(Debug, Clone, PartialEq)]
pub struct HostNeeds {
    /// The host's name.
    pub name: String,
    /// (program id, fractional need, whole units) of each line.
    lines: Vec<(String, f64, Option<f64>)>,
}

impl HostNeeds {
    /// The needs of a host's plan.
    pub fn of(plan: &Plan) -> HostNeeds {
        HostNeeds {
            name: plan.jurisdiction.name.clone(),
            lines: plan.programs.iter().map(|p| (p.id.clone(), p.need.mid, p.need_whole)).collect(),
        }
    }

    fn line(&self, id: &str) -> Option<(f64, Option<f64>)> {
        self.lines.iter().find(|l| l.0 == id).map(|l| (l.1, l.2))
    }
}

/// Like [`compute`], with the host's needs given instead of computed from
/// `input.host` (which still counts in the input hash): the same plan as
/// `compute` when `host` is `HostNeeds::of` the plan of `input.host`.
pub fn compute_hosted(catalog: &Catalog, input: &PlanInput, host: Option<&HostNeeds>) -> Result<Plan, PlanError> {
    let drivers = drivers::resolve(catalog, &input.drivers)?;
    let by_id: std::collections::HashMap<&str, Range3> = drivers.iter().map(|d| (d.id.as_str(), d.value)).collect();
    let value_of = |id: &str| by_id.get(id).copied().unwrap_or(Range3::ZERO);
    // Hashed once per plan, not once per line (it was most of a batch run).
    let lookup = driver_lookup(catalog, &drivers);
    let population = value_of("population").mid;

    let mut programs: Vec<ProgramPlan> =
        catalog.benchmarks.iter().map(|b| benchmark_line(b, value_of(&b.driver), &input.inventory, &lookup)).collect();
    provision(catalog, &mut programs, host, &input.inventory);
    for (l, b) in programs.iter_mut().zip(&catalog.benchmarks) {
        l.payers = crate::payer::split(b.payers.as_ref(), l.annual_cost);
    }

    for a in &catalog.addons {
        let base: Vec<&ProgramPlan> = programs.iter().filter(|p| a.of.contains(&p.id)).collect();
        let need_cost: Range3 = base.iter().map(|p| p.need_cost).sum::<Range3>() * a.share;
        let annual_cost: Range3 = base.iter().map(|p| p.annual_cost).sum::<Range3>() * a.share;
        let existing = (need_cost.mid - annual_cost.mid).max(0.0);
        let mut assumptions: Vec<String> = base.iter().flat_map(|p| p.assumptions.iter().cloned()).collect();
        if a.evidence == Evidence::Assumption {
            assumptions.insert(0, format!("{}: share of cost is an assumption", a.name));
        }
        assumptions.dedup();
        let cost_evidence = base.iter().map(|p| p.cost_evidence).max().unwrap_or(a.evidence).max(a.evidence);
        let grade = base.iter().map(|p| p.grade).max().unwrap_or(a.evidence).max(a.evidence);
        // An add-on is paid as its base lines are: their buckets times the share.
        let payers = crate::payer::merge(
            base.iter()
                .flat_map(|p| p.payers.iter())
                .map(|b| crate::payer::PayerCost { annual_cost: b.annual_cost * a.share, ..b.clone() }),
        )
        .into_iter()
        .map(|b| crate::payer::PayerCost { share: safe_div(b.annual_cost.mid, annual_cost.mid), ..b })
        .collect();
        programs.push(ProgramPlan {
            id: a.id.clone(),
            gap_area: a.gap_area,
            name: a.name.clone(),
            kind: ProgramKind::Addon,
            unit: "USD a year".into(),
            evidence: a.evidence,
            cost_evidence,
            grade,
            driver: String::new(),
            need: need_cost,
            need_whole: None,
            existing,
            existing_source: None,
            existing_verified: false,
            existing_counted: !base.is_empty() && base.iter().all(|p| p.existing_counted),
            existing_default: false,
            gap: annual_cost,
            gap_whole: None,
            coverage: if need_cost.mid > 0.0 { Some(existing / need_cost.mid) } else { None },
            unit_cost: Range3::point(1.0),
            need_cost,
            annual_cost,
            startup_cost: Range3::ZERO,
            cost_year: a.cost_year,
            source_cost_year: base.iter().map(|p| p.source_cost_year).max().unwrap_or(a.cost_year),
            cpi_factor: base.iter().max_by_key(|p| p.source_cost_year).map_or(1.0, |p| p.cpi_factor),
            assumptions,
            share: Some(a.share),
            applies_to: a.of.clone(),
            shared: None,
            team_of: None,
            team_per_unit: None,
            payers,
        });
    }

    // Keep each gap area's lines together, in catalog order within an area.
    programs.sort_by_key(|p| p.gap_area);
    let gap_areas = GapArea::ALL
        .into_iter()
        .map(|g| AreaSubtotal { gap_area: g, totals: subtotal(programs.iter().filter(|p| p.gap_area == g), population) })
        .collect();
    let totals = subtotal(programs.iter(), population);
    let years: Vec<u16> = programs.iter().filter(|p| p.kind == ProgramKind::Benchmark).map(|p| p.source_cost_year).collect();
    let cost_years = [years.iter().copied().min().unwrap_or(0), years.iter().copied().max().unwrap_or(0)];

    let beyond_tier: Vec<BeyondTier> = catalog
        .beyond_tier
        .iter()
        .map(|b| {
            let l = benchmark_line(b, value_of(&b.driver), &input.inventory, &lookup);
            BeyondTier { id: l.id, name: l.name, kind: b.kind, annual_cost: l.annual_cost }
        })
        .collect();
    // The goal tier adds the lines beyond this tier and their add-ons' share.
    let addon_extra: Range3 = catalog
        .addons
        .iter()
        .chain(&catalog.beyond_tier_addons)
        .map(|a| beyond_tier.iter().filter(|b| a.of.contains(&b.id)).map(|b| b.annual_cost).sum::<Range3>() * a.share)
        .sum();
    let goal_tier_annual_cost = beyond_tier.iter().fold(totals.annual_cost + addon_extra, |acc, b| acc + b.annual_cost);

    let quality = crate::quality::assess(catalog, &drivers, &programs);
    let mut h = crate::hash::Fnv::new();
    h.write(catalog.version.as_bytes());
    h.write(format!("{}/{}", catalog.tier, catalog.dollar_year).as_bytes());
    h.write(&serde_json::to_vec(input).unwrap_or_default());
    Ok(Plan {
        jurisdiction: input.jurisdiction.clone(),
        drivers,
        gap_areas,
        totals,
        cost_years,
        dollar_year: catalog.dollar_year,
        tier: catalog.tier,
        beyond_tier,
        goal_tier_annual_cost,
        catalog_version: catalog.version.clone(),
        input_hash: format!("{:016x}", h.finish()),
        quality,
        cost_by_payer: crate::payer::totals(programs_payers(&programs)),
        payer_view: None,
        programs,
    })
}

/// Need from a driver value under a benchmark's scale.
pub fn need(scale: &Scale, driver: Range3) -> Range3 {
    match scale {
        Scale::Ratio { per, units } => (driver * *units).map(|v| drivers::per(v, *per)),
        Scale::Caseload { caseload } => driver.div_inverse(*caseload),
    }
}

/// Rounds half up to whole units; tiny float noise (2.4999999999) counts as the half.
pub fn whole_units(need: f64) -> f64 {
    (need + 0.5 + 1e-9).floor().max(0.0)
}

fn benchmark_line(b: &Benchmark, driver: Range3, inv: &Inventory, lookup: &DriverLookup<'_>) -> ProgramPlan {
    let need = need(&b.scale, driver);
    let item = inv.items.get(&b.id);
    let existing = item.map_or(0.0, |i| i.quantity);
    let gap = need.saturating_sub(existing);
    let need_whole = b.whole_units.then(|| whole_units(need.mid));
    let unit_cost = b.annual_cost.amount;
    let startup = b.startup_cost.as_ref().map_or(Range3::ZERO, |c| c.amount);
    ProgramPlan {
        id: b.id.clone(),
        gap_area: b.gap_area,
        name: b.name.clone(),
        kind: ProgramKind::Benchmark,
        unit: b.unit.clone(),
        evidence: b.evidence,
        cost_evidence: b.annual_cost.evidence,
        grade: grade_with(b, lookup),
        driver: b.driver.clone(),
        need,
        need_whole,
        existing,
        existing_source: item.map(|i| i.source.clone()).filter(|s| !s.is_empty()),
        existing_verified: item.is_some_and(|i| i.verified),
        existing_counted: item.is_some(),
        existing_default: inv.defaults.contains(&b.id),
        gap,
        gap_whole: need_whole.map(|w| (w - existing).max(0.0)),
        coverage: (need.mid > 0.0).then(|| safe_div(existing, need.mid)),
        unit_cost,
        need_cost: need * unit_cost,
        annual_cost: gap * unit_cost,
        startup_cost: gap * startup,
        cost_year: b.annual_cost.year,
        source_cost_year: b.annual_cost.source_year,
        cpi_factor: b.annual_cost.cpi_factor,
        assumptions: assumptions_of(b, lookup),
        share: None,
        applies_to: Vec::new(),
        shared: None,
        team_of: None,
        team_per_unit: None,
        payers: Vec::new(),
    }
}

fn programs_payers(programs: &[ProgramPlan]) -> impl Iterator<Item = (&str, &[crate::payer::PayerCost])> {
    programs.iter().map(|p| (p.id.as_str(), p.payers.as_slice()))
}

/// Units that can be staffed: a need below one viable unit becomes a share
/// of a unit held by the county (its share of the county's units, in
/// proportion to its share of the county's need) or a region; staff lines
/// follow their unit line (staff = units × staff per unit).
fn provision(catalog: &Catalog, programs: &mut [ProgramPlan], host: Option<&HostNeeds>, inv: &Inventory) {
    for i in 0..programs.len() {
        let Some(b) = catalog.benchmark(&programs[i].id) else { continue };
        let l = &mut programs[i];
        if let Some(m) = b.min_viable {
            if l.need.mid > 0.0 && l.need.mid < m {
                let host_line = host.and_then(|h| h.line(&l.id).map(|x| (h, x)));
                let shared = match host_line {
                    Some((h, (host_need, host_whole))) if host_need >= m => {
                        let units = host_whole.unwrap_or_else(|| whole_units(host_need)).max(m);
                        SharedUnit {
                            host: h.name.clone(),
                            host_kind: "county".into(),
                            share: (l.need.mid / host_need * units).min(units),
                            host_need: Some(host_need),
                            host_units: Some(units),
                            min_viable: m,
                        }
                    }
                    Some((_, (host_need, _))) => SharedUnit {
                        host: "a region (the county's own need is below one unit too)".into(),
                        host_kind: "region".into(),
                        share: l.need.mid,
                        host_need: Some(host_need),
                        host_units: None,
                        min_viable: m,
                    },
                    None => SharedUnit {
                        host: "the county or a region".into(),
                        host_kind: "region".into(),
                        share: l.need.mid,
                        host_need: None,
                        host_units: None,
                        min_viable: m,
                    },
                };
                let k = shared.share / l.need.mid;
                set_share(l, shared, k, b);
            }
        }
        let has_team = catalog.benchmarks.iter().any(|x| x.team_of.as_deref() == Some(b.id.as_str()));
        if has_team && programs[i].shared.is_none() {
            if let Some(w) = programs[i].need_whole {
                cost_whole(&mut programs[i], w, b);
            }
        }
        let Some(parent_id) = &b.team_of else { continue };
        let Some(parent) = programs.iter().find(|p| &p.id == parent_id).cloned() else { continue };
        let l = &mut programs[i];
        let per = team_ratio(catalog, b);
        l.team_of = Some(parent.id.clone());
        l.team_per_unit = Some(per);
        if let Some(ps) = &parent.shared {
            let shared = SharedUnit {
                share: ps.share * per,
                min_viable: ps.min_viable * per,
                host_need: ps.host_need.map(|n| n * per),
                host_units: ps.host_units.map(|n| n * per),
                ..ps.clone()
            };
            let k = if l.need.mid > 0.0 { shared.share / l.need.mid } else { 1.0 };
            set_share(l, shared, k, b);
        } else if let Some(w) = parent.need_whole {
            let whole = w * per;
            l.need_whole = Some(whole);
            l.gap_whole = Some((whole - inv.quantity(&l.id)).max(0.0));
            cost_whole(l, whole, b);
        }
    }
}

/// Costs of a unit line with a team, and of the team, follow the whole
/// units that can be staffed (1 mobile crisis unit and its 24 staff), not
/// the fractional need (1.32 units, 31.7 staff): need, gap and costs are
/// scaled by whole ÷ mid need, so the range keeps its spread.
fn cost_whole(l: &mut ProgramPlan, whole: f64, b: &Benchmark) {
    if l.need.mid <= 0.0 || whole <= 0.0 {
        return;
    }
    let staffed = l.need.scale(whole / l.need.mid);
    l.gap = staffed.saturating_sub(l.existing);
    l.need_cost = staffed * l.unit_cost;
    l.annual_cost = l.gap * l.unit_cost;
    l.startup_cost = l.gap * b.startup_cost.as_ref().map_or(Range3::ZERO, |c| c.amount);
}

/// Staff per unit from the two ratios (for a zero need, where it cannot be
/// read off the needs).
fn team_ratio(catalog: &Catalog, b: &Benchmark) -> f64 {
    let per_driver = |x: &Benchmark| match &x.scale {
        Scale::Ratio { per, units } => safe_div(units.mid, *per),
        Scale::Caseload { caseload } => safe_div(1.0, caseload.mid),
    };
    let parent = b.team_of.as_deref().and_then(|id| catalog.benchmark(id)).map_or(1.0, per_driver);
    safe_div(per_driver(b), parent)
}

/// Turns a line into a share of a host's unit: need and costs scaled by `k`
/// (the share ÷ the place's own need), no whole units.
fn set_share(l: &mut ProgramPlan, shared: SharedUnit, k: f64, b: &Benchmark) {
    let need = l.need.scale(k);
    l.gap = need.saturating_sub(l.existing);
    l.need_whole = None;
    l.gap_whole = None;
    l.need_cost = need * l.unit_cost;
    l.annual_cost = l.gap * l.unit_cost;
    l.startup_cost = l.gap * b.startup_cost.as_ref().map_or(Range3::ZERO, |c| c.amount);
    l.coverage = (need.mid > 0.0).then(|| safe_div(l.existing, need.mid));
    l.shared = Some(shared);
}

/// Every graded input a benchmark line rests on, in words: its ratio, its
/// costs, and each factor of the catalog driver estimates behind its driver
/// (a figure supplied for the place replaces the estimate and its factors).
pub fn graded_inputs(catalog: &Catalog, b: &Benchmark, drivers: &[ResolvedDriver]) -> Vec<(String, Evidence)> {
    graded_inputs_with(b, &driver_lookup(catalog, drivers))
}

fn graded_inputs_with(b: &Benchmark, lookup: &DriverLookup<'_>) -> Vec<(String, Evidence)> {
    let mut out = vec![("need ratio".to_string(), b.evidence), ("annual cost per unit".to_string(), b.annual_cost.evidence)];
    if let Some(c) = &b.startup_cost {
        out.push(("start-up cost per unit".to_string(), c.evidence));
    }
    walk_estimates(b, lookup, |d| d.estimate.iter().collect(), |d, f| out.push((format!("{}: {}", d.id, f.name), f.evidence)));
    out
}

/// Walks the catalog driver estimates a line's driver rests on, depth first,
/// each driver once, calling `visit` for every factor of the terms `terms`
/// selects. A supplied value replaces the estimate, and with it its factors.
fn walk_estimates<'a>(
    b: &'a Benchmark,
    (defs, estimated): &DriverLookup<'a>,
    terms: impl Fn(&'a crate::catalog::DriverDef) -> Vec<&'a crate::catalog::Term>,
    mut visit: impl FnMut(&'a crate::catalog::DriverDef, &'a crate::catalog::Factor),
) {
    let mut stack = vec![b.driver.as_str()];
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) || !estimated.contains(id) {
            continue;
        }
        let Some(&d) = defs.get(id) else { continue };
        for t in terms(d) {
            for f in &t.factors {
                visit(d, f);
            }
            stack.push(t.driver.as_str());
        }
    }
}

/// Driver definitions by id, and the ids whose value is the catalog's
/// estimate: hashed once per plan, so walking a long chain of derived
/// drivers is linear rather than a scan per link.
type DriverLookup<'a> = (std::collections::HashMap<&'a str, &'a crate::catalog::DriverDef>, std::collections::HashSet<&'a str>);

fn driver_lookup<'a>(catalog: &'a Catalog, drivers: &'a [ResolvedDriver]) -> DriverLookup<'a> {
    (
        catalog.drivers.iter().map(|d| (d.id.as_str(), d)).collect(),
        drivers.iter().filter(|r| r.is_catalog_estimate()).map(|r| r.id.as_str()).collect(),
    )
}

/// A line's overall grade: the weakest of [`graded_inputs`].
pub fn grade_of(catalog: &Catalog, b: &Benchmark, drivers: &[ResolvedDriver]) -> Evidence {
    grade_with(b, &driver_lookup(catalog, drivers))
}

fn grade_with(b: &Benchmark, lookup: &DriverLookup<'_>) -> Evidence {
    graded_inputs_with(b, lookup).into_iter().map(|(_, e)| e).max().unwrap_or(b.evidence)
}

/// Every assumption-graded input behind a benchmark line: its ratio, its
/// costs, and the factors of any driver estimate it rests on.
fn assumptions_of(b: &Benchmark, lookup: &DriverLookup<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if b.evidence == Evidence::Assumption {
        out.push(format!("{}: need ratio is an assumption", b.name));
    }
    if b.annual_cost.evidence == Evidence::Assumption {
        out.push(format!("{}: annual cost per unit is an assumption", b.name));
    }
    if b.startup_cost.as_ref().is_some_and(|c| c.evidence == Evidence::Assumption) {
        out.push(format!("{}: start-up cost per unit is an assumption", b.name));
    }
    // Every catalog driver is resolved, so one with a figure for the place
    // is one the plan did not estimate (a hashed test: a scan per term was
    // quadratic down a chain of conditional drivers).
    let known = |id: &str| lookup.0.contains_key(id) && !lookup.1.contains(id);
    walk_estimates(
        b,
        lookup,
        |d| d.estimate.iter().filter(|t| t.condition.holds(known)).collect(),
        |d, f| {
            if f.evidence == Evidence::Assumption {
                out.push(format!("{}: {} is an assumption", d.name, f.name));
            }
        },
    );
    out
}

fn subtotal<'a>(programs: impl Iterator<Item = &'a ProgramPlan>, population: f64) -> Subtotal {
    let (mut annual, mut startup, mut need_cost) = (Range3::ZERO, Range3::ZERO, Range3::ZERO);
    let (mut inv_gap, mut inv_need, mut counted, mut lines) = (0.0, 0.0, 0, 0);
    for p in programs {
        annual = annual + p.annual_cost;
        startup = startup + p.startup_cost;
        need_cost = need_cost + p.need_cost;
        lines += 1;
        if p.existing_counted {
            counted += 1;
            inv_gap += p.annual_cost.mid;
            inv_need += p.need_cost.mid;
        }
    }
    Subtotal {
        annual_cost: annual,
        startup_cost: startup,
        need_cost,
        coverage: (inv_need > 0.0).then(|| 1.0 - inv_gap / inv_need),
        lines_with_inventory: counted,
        lines,
        annual_cost_per_resident: annual.map(|v| safe_div(v, population)),
    }
}
