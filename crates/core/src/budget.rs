//! Allocating a yearly budget across a plan's gaps.
//!
//! Money is counted in whole cents (integers), so an allocation can be
//! checked exactly: it never spends more than the amount, whole-unit
//! programs (a center, a bed) get whole units only, and after allocation no
//! unfunded unit — nor any unfunded part of a divisible program — is
//! affordable with what is left. Costs are each line's mid annual cost per
//! unit, in the plan's dollar year; start-up costs of the funded units
//! are reported but not taken from the yearly amount.
//!
//! Strategies:
//! - `proportional`: each line gets a share of the amount proportional to
//!   its gap's annual cost;
//! - `priority`: gap areas in the order given (the rest after, in the
//!   report's order), each line funded in full before the next;
//! - `equalize`: raise the gap area with the lowest coverage first, so the
//!   areas' coverage (1 − gap cost ÷ need cost) ends as equal as the amount
//!   allows; within an area, proportional to the lines' gaps.
//!
//! Add-ons (training, evaluation: a share of other programs' cost) are not
//! funded on their own: each program they apply to carries them in its unit
//! cost (a CVI outreach worker costs pay × 1.40), because hiring staff
//! without the training and evaluation the benchmark prices in would
//! understate what the money buys.
//!
//! In every strategy a whole-unit line funds as many units as its share
//! buys, and the remainder is carried to the next line; a final pass in the
//! same order spends what is left on anything still affordable.

use crate::evidence::GapArea;
use crate::plan::{Plan, ProgramKind};
use serde::{Deserialize, Serialize};

/// The largest amount accepted: ten trillion dollars a year.
pub const MAX_AMOUNT: f64 = 1.0e13;

/// How to split the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "name", content = "order")]
pub enum Strategy {
    /// In proportion to each line's gap cost.
    Proportional,
    /// Gap areas in this order, each line in full before the next.
    Priority(Vec<GapArea>),
    /// Equal coverage across gap areas, lowest first.
    Equalize,
}

/// Strategy names, for messages and suggestions.
pub const STRATEGIES: [&str; 3] = ["proportional", "priority", "equalize"];

/// A budget request that cannot be met.
#[derive(Debug, Clone, PartialEq)]
pub enum BudgetError {
    /// Negative, not a number or absurdly large.
    BadAmount(f64),
    /// Not one of [`STRATEGIES`].
    UnknownStrategy {
        /// As given.
        name: String,
        /// Closest known name.
        suggestion: Option<String>,
    },
    /// A `--priority` entry that is not a gap area.
    UnknownArea {
        /// As given.
        name: String,
        /// Closest gap area.
        suggestion: Option<String>,
    },
    /// A gap area listed twice.
    DuplicateArea(GapArea),
    /// `--priority` given with another strategy.
    PriorityNotUsed(String),
}

impl std::fmt::Display for BudgetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let areas = GapArea::ALL.map(|g| g.as_str()).join(", ");
        match self {
            BudgetError::BadAmount(a) if a.is_finite() && *a < 0.0 => {
                write!(f, "--amount {a}: a budget cannot be negative; give the yearly dollars available, e.g. --amount 5000000.")
            }
            BudgetError::BadAmount(a) if a.is_finite() => {
                write!(f, "--amount {a}: more than ten trillion dollars a year is not a local budget; check for extra digits.")
            }
            BudgetError::BadAmount(a) => write!(f, "--amount {a}: not a number of dollars; give e.g. --amount 5000000 or 5,000,000."),
            BudgetError::UnknownStrategy { name, suggestion } => {
                write!(f, "`{name}` is not a budget strategy.")?;
                if let Some(s) = suggestion {
                    write!(f, " Did you mean `{s}`?")?;
                }
                write!(
                    f,
                    " Strategies: proportional (to each gap), priority (gap areas in the order of --priority), equalize (coverage across gap areas)."
                )
            }
            BudgetError::UnknownArea { name, suggestion } => {
                write!(f, "--priority: `{name}` is not a gap area.")?;
                if let Some(s) = suggestion {
                    write!(f, " Did you mean `{s}`?")?;
                }
                write!(f, " Gap areas: {areas}.")
            }
            BudgetError::DuplicateArea(g) => write!(f, "--priority lists `{g}` twice; name each gap area at most once ({areas})."),
            BudgetError::PriorityNotUsed(s) => {
                write!(f, "--priority only applies to --strategy priority, not `{s}`; drop it or add --strategy priority.")
            }
        }
    }
}

impl std::error::Error for BudgetError {}

impl Strategy {
    /// Parses `--strategy` and `--priority` (comma-separated gap areas).
    pub fn parse(name: &str, priority: Option<&str>) -> Result<Strategy, BudgetError> {
        let name = name.trim();
        let strategy = match name {
            "proportional" => Strategy::Proportional,
            "equalize" | "equalise" => Strategy::Equalize,
            "priority" => {
                let mut order = Vec::new();
                for part in priority.unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    let key = part.replace(['-', ' '], "_").to_lowercase();
                    let g = GapArea::parse(&key).ok_or_else(|| BudgetError::UnknownArea {
                        name: part.to_string(),
                        suggestion: crate::suggest::closest(&key, GapArea::ALL.iter().map(|g| g.as_str())).map(str::to_string),
                    })?;
                    if order.contains(&g) {
                        return Err(BudgetError::DuplicateArea(g));
                    }
                    order.push(g);
                }
                for g in GapArea::ALL {
                    if !order.contains(&g) {
                        order.push(g);
                    }
                }
                return Ok(Strategy::Priority(order));
            }
            _ => {
                return Err(BudgetError::UnknownStrategy {
                    name: name.to_string(),
                    suggestion: crate::suggest::closest(name, STRATEGIES.into_iter()).map(str::to_string),
                })
            }
        };
        if priority.is_some() {
            return Err(BudgetError::PriorityNotUsed(name.to_string()));
        }
        Ok(strategy)
    }

    /// The strategy's name.
    pub fn name(&self) -> &'static str {
        match self {
            Strategy::Proportional => "proportional",
            Strategy::Priority(_) => "priority",
            Strategy::Equalize => "equalize",
        }
    }
}

/// One plan line's share of the budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funded {
    /// Program id.
    pub id: String,
    /// Program name.
    pub name: String,
    /// Gap area.
    pub gap_area: GapArea,
    /// Unit (`USD a year` for add-ons).
    pub unit: String,
    /// True when only whole units are funded.
    pub whole_units: bool,
    /// Annual cost per unit (mid), dollars, including add-ons.
    pub unit_cost: f64,
    /// The add-on share carried in `unit_cost` (0.40 = +40%).
    pub addon_share: f64,
    /// Units to close the gap (whole units for whole-unit programs).
    pub gap_units: f64,
    /// Units funded.
    pub funded_units: f64,
    /// Dollars a year allocated.
    pub funded: f64,
    /// Units still unfunded.
    pub unfunded_units: f64,
    /// Annual cost of the unfunded units.
    pub unfunded: f64,
    /// One-off start-up cost of the funded units (not taken from the amount).
    pub startup: f64,
    /// For staff lines: the line whose units they make up. Staff are funded
    /// only with their units (a unit's price includes its team), never alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_of: Option<String>,
}

impl Funded {
    /// A program line before anything is allocated to it.
    fn unfunded(
        p: &crate::plan::ProgramPlan,
        whole_units: bool,
        unit_cost: f64,
        addon_share: f64,
        gap_units: f64,
        team_of: Option<String>,
    ) -> Self {
        Funded {
            id: p.id.clone(),
            name: p.name.clone(),
            gap_area: p.gap_area,
            unit: p.unit.clone(),
            whole_units,
            unit_cost,
            addon_share,
            gap_units,
            funded_units: 0.0,
            funded: 0.0,
            unfunded_units: 0.0,
            unfunded: 0.0,
            startup: 0.0,
            team_of,
        }
    }
}

/// A gap area before and after the allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaFunding {
    /// The gap area.
    pub gap_area: GapArea,
    /// Annual cost of its whole need (mid).
    pub need_cost: f64,
    /// Annual cost of its gap (mid) before the allocation.
    pub gap_cost: f64,
    /// Dollars a year allocated to it.
    pub funded: f64,
    /// Coverage before: 1 − gap cost ÷ need cost.
    pub coverage_before: Option<f64>,
    /// Coverage reached with the allocation.
    pub coverage_after: Option<f64>,
}

/// The result of allocating a budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    /// Yearly amount available.
    pub amount: f64,
    /// The strategy used.
    pub strategy: Strategy,
    /// Dollars allocated (≤ amount).
    pub spent: f64,
    /// amount − spent.
    pub left_over: f64,
    /// Every line with a gap, in allocation order.
    pub lines: Vec<Funded>,
    /// Per gap area.
    pub gap_areas: Vec<AreaFunding>,
    /// Over all areas.
    pub total: AreaFunding,
    /// Start-up cost of everything funded (one-off, not from the amount).
    pub startup: f64,
}

/// A unit line's team (staff = units × staff per unit), funded with it.
struct Team {
    line: Funded,
    /// Staff per unit (whole staff for whole units).
    per: i64,
    staff_cents: i64,
    /// Whole staff still needed (whole units) or the team's gap in cents.
    gap_units: i64,
    gap_cents: i64,
    funded_units: i64,
    startup_per_unit: f64,
}

struct Work {
    line: Funded,
    /// For a unit with a team: its own cost per unit (without the team).
    own_cents: i64,
    unit_cents: i64,
    gap_units: i64,
    funded_units: i64,
    gap_cents: i64,
    funded_cents: i64,
    startup_per_unit: f64,
    team: Option<Team>,
}

impl Work {
    fn gap_cost_cents(&self) -> i64 {
        if self.line.whole_units {
            match &self.team {
                Some(t) => self.gap_units * self.own_cents + t.gap_units * t.staff_cents,
                None => self.gap_units * self.unit_cents,
            }
        } else {
            self.gap_cents
        }
    }

    /// Spends up to `budget` cents on this line; returns what it spent.
    fn fund(&mut self, budget: i64) -> i64 {
        if budget <= 0 {
            return 0;
        }
        if self.line.whole_units {
            if let Some(t) = &mut self.team {
                // Unit by unit: each unit brings its team (as many staff as
                // are still needed, at most `per`).
                let mut spent = 0;
                while self.funded_units < self.gap_units {
                    let staff = t.per.min(t.gap_units - t.funded_units).max(0);
                    let cost = self.own_cents + staff * t.staff_cents;
                    if spent + cost > budget {
                        break;
                    }
                    spent += cost;
                    self.funded_units += 1;
                    t.funded_units += staff;
                }
                return spent;
            }
            let units = (self.gap_units - self.funded_units).min(budget / self.unit_cents.max(1));
            self.funded_units += units;
            units * self.unit_cents
        } else {
            let cents = (self.gap_cents - self.funded_cents).min(budget);
            self.funded_cents += cents;
            cents
        }
    }
}

fn cents(dollars: f64) -> i64 {
    (dollars * 100.0).round() as i64
}

/// Allocates `amount` dollars a year across the plan's gaps.
pub fn allocate(plan: &Plan, amount: f64, strategy: &Strategy) -> Result<Allocation, BudgetError> {
    if !amount.is_finite() || !(0.0..=MAX_AMOUNT).contains(&amount) {
        return Err(BudgetError::BadAmount(amount));
    }
    let amount_cents = (amount * 100.0).floor() as i64;
    // Each program's add-on load: the shares of the add-ons that apply to it.
    let mut load: std::collections::HashMap<&str, f64> = std::collections::HashMap::new();
    for p in plan.programs.iter().filter(|p| p.kind == ProgramKind::Addon) {
        for id in &p.applies_to {
            *load.entry(id.as_str()).or_default() += p.share.map_or(0.0, |s| s.mid);
        }
    }
    let teamed = |p: &crate::plan::ProgramPlan| p.team_of.as_ref().is_some_and(|u| plan.programs.iter().any(|x| &x.id == u));
    let mut work: Vec<Work> = plan
        .programs
        .iter()
        // An add-on without the programs it applies to (an older plan) is
        // still funded as a line of its own.
        .filter(|p| p.kind != ProgramKind::Addon || p.applies_to.is_empty())
        // Staff lines are funded with their units, never on their own.
        .filter(|p| !teamed(p))
        .filter_map(|p| {
            let addon = p.kind == ProgramKind::Addon;
            let addon_share = load.get(p.id.as_str()).copied().unwrap_or(0.0);
            let unit_cost = if addon { 1.0 } else { p.unit_cost.mid * (1.0 + addon_share) };
            let whole = !addon && p.need_whole.is_some();
            let gap_units = if whole { p.gap_whole.unwrap_or(0.0) } else { p.gap.mid };
            let unit_cents = if addon { 1 } else { cents(unit_cost) };
            let gap_cents = if whole { 0 } else { cents(p.gap.mid * unit_cost) };
            let has_gap = if whole { gap_units >= 1.0 && unit_cents > 0 } else { gap_cents > 0 };
            has_gap.then(|| {
                let startup_per_unit = if p.gap.mid > 0.0 { p.startup_cost.mid / p.gap.mid } else { 0.0 };
                Work {
                    line: Funded::unfunded(p, whole, unit_cost, addon_share, gap_units, None),
                    own_cents: unit_cents,
                    unit_cents,
                    gap_units: if whole { gap_units as i64 } else { 0 },
                    funded_units: 0,
                    gap_cents,
                    funded_cents: 0,
                    startup_per_unit,
                    team: None,
                }
            })
        })
        .collect();
    // Attach each team to its unit line: the unit's price includes its team.
    for t in plan.programs.iter().filter(|p| teamed(p)) {
        let Some(w) = work.iter_mut().find(|w| Some(&w.line.id) == t.team_of.as_ref()) else { continue };
        let addon_share = load.get(t.id.as_str()).copied().unwrap_or(0.0);
        let unit_cost = t.unit_cost.mid * (1.0 + addon_share);
        let staff_cents = cents(unit_cost);
        let per = t.team_per_unit.unwrap_or(0.0);
        let whole = w.line.whole_units;
        let gap_units = if whole { t.gap_whole.unwrap_or(0.0) } else { t.gap.mid };
        let team = Team {
            line: Funded::unfunded(t, whole, unit_cost, addon_share, gap_units, Some(w.line.id.clone())),
            per: per.ceil() as i64,
            staff_cents,
            gap_units: if whole { gap_units as i64 } else { 0 },
            gap_cents: if whole { 0 } else { cents(t.gap.mid * unit_cost) },
            funded_units: 0,
            startup_per_unit: if t.gap.mid > 0.0 { t.startup_cost.mid / t.gap.mid } else { 0.0 },
        };
        if whole {
            w.unit_cents = w.own_cents + team.per * staff_cents;
            w.line.unit_cost = w.unit_cents as f64 / 100.0;
        } else {
            w.gap_cents += team.gap_cents;
        }
        w.team = Some(team);
    }
    // A team whose unit line has no gap (the units exist, staff do not) is
    // not funded here: staff are only ever funded with a unit.

    if let Strategy::Priority(order) = strategy {
        work.sort_by_key(|w| order.iter().position(|g| *g == w.line.gap_area).unwrap_or(usize::MAX));
    }
    let gap_total: i64 = work.iter().map(Work::gap_cost_cents).sum();
    let mut left = amount_cents;

    // First pass: each line's target share, whole units with the remainder
    // carried to the next line.
    let targets: Option<Vec<f64>> = match strategy {
        _ if amount_cents >= gap_total => None,
        Strategy::Priority(_) => None,
        Strategy::Proportional => Some(work.iter().map(|w| amount_cents as f64 * w.gap_cost_cents() as f64 / gap_total as f64).collect()),
        Strategy::Equalize => Some(equalize_targets(plan, &work, amount_cents)),
    };
    if let Some(targets) = targets {
        let mut carry = 0i64;
        for (w, t) in work.iter_mut().zip(targets) {
            let budget = ((t.floor() as i64) + carry).min(left);
            let spent = w.fund(budget);
            left -= spent;
            carry = budget - spent;
        }
    }
    // Final pass, in the same order: anything still affordable is funded.
    for w in &mut work {
        let spent = w.fund(left);
        left -= spent;
    }
    debug_assert!(left >= 0);

    let lines: Vec<Funded> = work
        .into_iter()
        .flat_map(|mut w| {
            let team = w.team.take();
            let team_line = team.map(|t| {
                let mut tl = t.line;
                if tl.whole_units {
                    tl.funded_units = t.funded_units as f64;
                    tl.funded = (t.funded_units * t.staff_cents) as f64 / 100.0;
                    tl.unfunded_units = (t.gap_units - t.funded_units) as f64;
                    tl.unfunded = ((t.gap_units - t.funded_units) * t.staff_cents) as f64 / 100.0;
                } else {
                    // The same fraction of the team's gap as of the whole.
                    let cents =
                        if w.gap_cents > 0 { (t.gap_cents as i128 * w.funded_cents as i128 / w.gap_cents as i128) as i64 } else { 0 };
                    w.funded_cents -= cents;
                    w.gap_cents -= t.gap_cents;
                    tl.funded = cents as f64 / 100.0;
                    tl.unfunded = (t.gap_cents - cents) as f64 / 100.0;
                    tl.funded_units =
                        if cents >= t.gap_cents { tl.gap_units } else { tl.gap_units * cents as f64 / t.gap_cents.max(1) as f64 };
                    tl.unfunded_units = tl.gap_units - tl.funded_units;
                }
                tl.startup = tl.funded_units * t.startup_per_unit;
                tl
            });
            let mut l = w.line;
            if l.whole_units {
                l.funded_units = w.funded_units as f64;
                l.funded = (w.funded_units * w.own_cents) as f64 / 100.0;
                l.unfunded_units = (w.gap_units - w.funded_units) as f64;
                l.unfunded = ((w.gap_units - w.funded_units) * w.own_cents) as f64 / 100.0;
            } else {
                l.funded = w.funded_cents as f64 / 100.0;
                l.unfunded = (w.gap_cents - w.funded_cents) as f64 / 100.0;
                // In proportion to the cents funded, so never above the gap.
                l.funded_units =
                    if w.funded_cents >= w.gap_cents { l.gap_units } else { l.gap_units * w.funded_cents as f64 / w.gap_cents as f64 };
                l.unfunded_units = l.gap_units - l.funded_units;
            }
            l.startup = l.funded_units * w.startup_per_unit;
            std::iter::once(l).chain(team_line)
        })
        .collect();

    let area = |g: Option<GapArea>| {
        let (need_cost, gap_cost) = match g {
            Some(g) => {
                plan.gap_areas.iter().find(|a| a.gap_area == g).map_or((0.0, 0.0), |a| (a.totals.need_cost.mid, a.totals.annual_cost.mid))
            }
            None => (plan.totals.need_cost.mid, plan.totals.annual_cost.mid),
        };
        let funded: f64 = lines.iter().filter(|l| g.is_none_or(|g| l.gap_area == g)).map(|l| l.funded).sum();
        let cov = |gap: f64| (need_cost > 0.0).then(|| (1.0 - gap.max(0.0) / need_cost).clamp(0.0, 1.0));
        AreaFunding {
            gap_area: g.unwrap_or(GapArea::VictimServices),
            need_cost,
            gap_cost,
            funded,
            coverage_before: cov(gap_cost),
            coverage_after: cov(gap_cost - funded),
        }
    };
    let gap_areas = GapArea::ALL.iter().map(|g| area(Some(*g))).collect();
    let total = area(None);
    let spent_cents = amount_cents - left;
    Ok(Allocation {
        amount,
        strategy: strategy.clone(),
        spent: spent_cents as f64 / 100.0,
        left_over: amount - spent_cents as f64 / 100.0,
        startup: lines.iter().map(|l| l.startup).sum(),
        lines,
        gap_areas,
        total,
    })
}

/// Per-line targets that bring the gap areas' coverage to one level, the
/// lowest raised first (water-filling); within an area, by gap cost.
fn equalize_targets(plan: &Plan, work: &[Work], amount_cents: i64) -> Vec<f64> {
    struct A {
        g: GapArea,
        need: f64,
        gap: f64,
    }
    let areas: Vec<A> = GapArea::ALL
        .iter()
        .map(|&g| {
            let gap: f64 = work.iter().filter(|w| w.line.gap_area == g).map(|w| w.gap_cost_cents() as f64).sum();
            let need = plan.gap_areas.iter().find(|a| a.gap_area == g).map_or(0.0, |a| a.totals.need_cost.mid * 100.0).max(gap);
            A { g, need, gap }
        })
        .collect();
    let budget_at = |level: f64| -> Vec<f64> {
        areas.iter().map(|a| if a.need > 0.0 { ((level - (1.0 - a.gap / a.need)) * a.need).clamp(0.0, a.gap) } else { 0.0 }).collect()
    };
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if budget_at(mid).iter().sum::<f64>() > amount_cents as f64 {
            hi = mid
        } else {
            lo = mid
        }
    }
    let per_area = budget_at(lo);
    work.iter()
        .map(|w| {
            let i = areas.iter().position(|a| a.g == w.line.gap_area).unwrap_or(0);
            if areas[i].gap > 0.0 {
                per_area[i] * w.gap_cost_cents() as f64 / areas[i].gap
            } else {
                0.0
            }
        })
        .collect()
}
