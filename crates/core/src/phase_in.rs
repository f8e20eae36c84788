//! Phase-in plans: closing the gap over several years.
//!
//! A ramp gives the share of the gap closed in each year (linear by
//! default: 1/years each); the cumulative share says how much is in place
//! by the end of each year. Whole-unit programs open whole units — the
//! cumulative share of the whole-unit gap rounded half up, so the last year
//! reaches the full gap. Units run for the whole year they open in (annual
//! cost) and pay their start-up cost in that year. Add-ons follow their
//! base programs. Staff lines tied to units (a mobile crisis unit's team)
//! are in place only with their units: staff = units in place × staff per
//! unit. Every cost is converted from its benchmark's dollar year
//! into the chosen dollar year with the CPI-U; future years are in those
//! same constant dollars (no forecast of inflation).

use crate::catalog::Catalog;
use crate::cpi::{Cpi, CpiError};
use crate::evidence::GapArea;
use crate::plan::{Plan, ProgramKind};
use serde::{Deserialize, Serialize};

/// The longest phase-in accepted.
pub const MAX_YEARS: u32 = 30;

/// Why a phase-in cannot be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum PhaseInError {
    /// Years outside 1..=MAX_YEARS.
    BadYears(u32),
    /// The ramp has the wrong length, a negative share or does not sum to 1.
    BadRamp(String),
    /// A dollar year the CPI series does not cover.
    Cpi(CpiError),
}

impl std::fmt::Display for PhaseInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhaseInError::BadYears(y) => write!(f, "--years {y}: a phase-in runs over 1 to {MAX_YEARS} years (e.g. --years 5)."),
            PhaseInError::BadRamp(m) => write!(f, "--ramp: {m}"),
            PhaseInError::Cpi(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PhaseInError {}

impl From<CpiError> for PhaseInError {
    fn from(e: CpiError) -> Self {
        PhaseInError::Cpi(e)
    }
}

/// Checks years and a ramp (or builds the linear one).
pub fn ramp(years: u32, given: Option<&[f64]>) -> Result<Vec<f64>, PhaseInError> {
    if years == 0 || years > MAX_YEARS {
        return Err(PhaseInError::BadYears(years));
    }
    let Some(r) = given else {
        return Ok(vec![1.0 / years as f64; years as usize]);
    };
    if r.len() != years as usize {
        return Err(PhaseInError::BadRamp(format!(
            "{} shares for {years} years; give one share per year (e.g. --years {} --ramp {}).",
            r.len(),
            r.len(),
            r.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")
        )));
    }
    if let Some(v) = r.iter().find(|v| !v.is_finite() || **v < 0.0) {
        return Err(PhaseInError::BadRamp(format!("share {v} is not a fraction of the gap; each year's share is between 0 and 1.")));
    }
    let sum: f64 = r.iter().sum();
    if (sum - 1.0).abs() > 1e-6 {
        return Err(PhaseInError::BadRamp(format!("the shares sum to {sum}, not 1: they are the fractions of the gap closed each year, so together they must close all of it (e.g. 0.1,0.2,0.2,0.25,0.25).")));
    }
    Ok(r.to_vec())
}

/// One year of one gap area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearCost {
    /// Annual operating cost of everything in place that year.
    pub annual: f64,
    /// Start-up cost of the units opened that year.
    pub startup: f64,
}

impl YearCost {
    /// annual + startup.
    pub fn total(&self) -> f64 {
        self.annual + self.startup
    }
}

/// One program's units by year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramPhase {
    /// Program id.
    pub id: String,
    /// Gap area.
    pub gap_area: GapArea,
    /// Unit.
    pub unit: String,
    /// Units in place at the end of each year (dollars a year for add-ons).
    pub in_place: Vec<f64>,
    /// Units opened each year.
    pub opened: Vec<f64>,
    /// Costs each year, in the plan's dollar year.
    pub costs: Vec<YearCost>,
    /// The plan's dollar year.
    pub cost_year: u16,
    /// The year whose dollars the catalog's figure is written in.
    #[serde(default)]
    pub source_cost_year: u16,
    /// CPI-U multiplier from the source cost year to the dollar year.
    pub cpi_factor: f64,
}

/// One gap area's costs by year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaPhase {
    /// The gap area.
    pub gap_area: GapArea,
    /// Costs each year.
    pub years: Vec<YearCost>,
}

/// A phase-in schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseIn {
    /// Share of the gap closed each year.
    pub ramp: Vec<f64>,
    /// The dollar year every cost is converted into.
    pub dollar_year: u16,
    /// Every program with a gap.
    pub programs: Vec<ProgramPhase>,
    /// Costs per gap area (report order) per year.
    pub gap_areas: Vec<AreaPhase>,
    /// Costs per year over all areas.
    pub totals: Vec<YearCost>,
}

fn round_half_up(v: f64) -> f64 {
    (v + 0.5 + 1e-9).floor().max(0.0)
}

/// Spreads closing the plan's mid gap over the ramp's years.
pub fn phase_in(catalog: &Catalog, plan: &Plan, ramp: &[f64], dollar_year: u16, cpi: &Cpi) -> Result<PhaseIn, PhaseInError> {
    let years = ramp.len();
    let cumulative: Vec<f64> = ramp
        .iter()
        .scan(0.0, |acc, r| {
            *acc += r;
            Some(*acc)
        })
        .enumerate()
        .map(|(i, c)| if i + 1 == years { 1.0 } else { c.min(1.0) })
        .collect();
    cpi.get(dollar_year)?;
    let mut programs: Vec<ProgramPhase> = Vec::new();
    for p in plan.programs.iter().filter(|p| p.kind == ProgramKind::Benchmark) {
        let whole = p.need_whole.is_some();
        let target = if whole { p.gap_whole.unwrap_or(0.0) } else { p.gap.mid };
        if target <= 0.0 {
            continue;
        }
        let factor = cpi.factor(p.cost_year, dollar_year)?;
        // A team opens with its units: staff in place = units in place ×
        // staff per unit (never staff without a unit).
        let parent = p.team_of.as_ref().and_then(|u| programs.iter().find(|x| &x.id == u)).filter(|_| whole);
        let in_place: Vec<f64> = match (parent, p.team_per_unit) {
            (Some(u), Some(per)) => u.in_place.iter().map(|n| (n * per).min(target)).collect(),
            _ => cumulative.iter().map(|c| if whole { round_half_up(c * target) } else { c * target }).collect(),
        };
        let opened: Vec<f64> = in_place.iter().enumerate().map(|(i, v)| v - if i == 0 { 0.0 } else { in_place[i - 1] }).collect();
        let startup_per_unit = catalog.benchmark(&p.id).and_then(|b| b.startup_cost.as_ref()).map_or(0.0, |c| c.amount.mid);
        let costs = in_place
            .iter()
            .zip(&opened)
            .map(|(n, o)| YearCost { annual: n * p.unit_cost.mid * factor, startup: o * startup_per_unit * factor })
            .collect();
        programs.push(ProgramPhase {
            id: p.id.clone(),
            gap_area: p.gap_area,
            unit: p.unit.clone(),
            in_place,
            opened,
            costs,
            cost_year: p.cost_year,
            source_cost_year: p.source_cost_year,
            cpi_factor: factor * p.cpi_factor,
        });
    }
    // Add-ons: their share of their base programs' annual cost, year by year.
    for p in plan.programs.iter().filter(|p| p.kind == ProgramKind::Addon) {
        let share = p.share.map_or(0.0, |s| s.mid);
        let of: &[String] = catalog.addon(&p.id).map_or(&[], |a| a.of.as_slice());
        let costs: Vec<YearCost> = (0..years)
            .map(|y| {
                let base: f64 = programs.iter().filter(|b| of.contains(&b.id)).map(|b| b.costs[y].annual).sum();
                YearCost { annual: share * base, startup: 0.0 }
            })
            .collect();
        if costs.iter().all(|c| c.annual <= 0.0) {
            continue;
        }
        let in_place: Vec<f64> = costs.iter().map(|c| c.annual).collect();
        let opened = in_place.iter().enumerate().map(|(i, v)| v - if i == 0 { 0.0 } else { in_place[i - 1] }).collect();
        programs.push(ProgramPhase {
            id: p.id.clone(),
            gap_area: p.gap_area,
            unit: "USD a year".into(),
            in_place,
            opened,
            costs,
            cost_year: p.cost_year,
            source_cost_year: p.source_cost_year,
            cpi_factor: cpi.factor(p.cost_year, dollar_year)?,
        });
    }
    // Plan order: by gap area, benchmarks then add-ons within an area.
    programs.sort_by_key(|p| p.gap_area);
    let sum = |filter: &dyn Fn(&ProgramPhase) -> bool| -> Vec<YearCost> {
        (0..years)
            .map(|y| {
                let (mut annual, mut startup) = (0.0, 0.0);
                for p in programs.iter().filter(|p| filter(p)) {
                    annual += p.costs[y].annual;
                    startup += p.costs[y].startup;
                }
                YearCost { annual, startup }
            })
            .collect()
    };
    let gap_areas = GapArea::ALL.iter().map(|&g| AreaPhase { gap_area: g, years: sum(&|p: &ProgramPhase| p.gap_area == g) }).collect();
    let totals = sum(&|_| true);
    Ok(PhaseIn { ramp: ramp.to_vec(), dollar_year, programs, gap_areas, totals })
}
