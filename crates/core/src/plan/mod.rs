//! The plan: need, existing, gap and cost for every program, with
//! subtotals by gap area and totals.

mod grade;
mod types;
mod units;

use grade::*;
pub use grade::{grade_of, graded_inputs};
pub use types::*;
use units::*;

use crate::catalog::{Benchmark, Catalog, Scale};
use crate::drivers::{self, ResolvedDriver, SuppliedDriver};
use crate::evidence::{Evidence, GapArea};
use crate::inventory::Inventory;
use crate::range::{safe_div, Range3};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    compute_with(catalog, input, host, drivers::Texts::All)
}

/// [`compute_hosted`] with the drivers' texts `texts` asks for: with
/// [`Texts::Figures`](drivers::Texts::Figures) every figure, line, flag and
/// grade is the same, but the drivers do not say in words how the catalog
/// estimated them (for tables that never print it).
pub fn compute_with(catalog: &Catalog, input: &PlanInput, host: Option<&HostNeeds>, texts: drivers::Texts) -> Result<Plan, PlanError> {
    let drivers = drivers::resolve_with(catalog, &input.drivers, texts)?;
    let by_id: crate::hash::IdMap<&str, Range3> = drivers.iter().map(|d| (d.id.as_str(), d.value)).collect();
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
        let payers =
            crate::payer::addon(&base.iter().map(|p| (p.payers.as_slice(), p.need_cost)).collect::<Vec<_>>(), a.share, annual_cost);
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
