//! The validated catalog: what the engine computes with.

use crate::evidence::{Evidence, GapArea};
use crate::range::Range3;
use serde::Serialize;

/// Where an entry was written, so later errors and `catalog show` can point
/// users back to the text they would edit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// File name as given to the loader (e.g. `catalog/reentry.toml`).
    pub file: String,
    /// 1-based line of the entry's `[[...]]` header.
    pub line: usize,
}

/// A multiplier in a derived driver: a share, a rate or a length of stay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// What the factor is, in words ("share of residents at highest risk").
    pub name: String,
    /// Its value as a range.
    pub value: Range3,
    /// True when the term is divided by this factor instead of multiplied.
    pub divide: bool,
    /// How the factor is known.
    pub evidence: Evidence,
    /// Where it comes from.
    pub citations: Vec<String>,
}

/// When a term of a driver estimate counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(tag = "when", content = "driver", rename_all = "snake_case")]
pub enum Condition {
    /// Always.
    #[default]
    Always,
    /// Only when the named driver has a figure for the place (its own count,
    /// or one estimated from its county or state), not the catalog's
    /// national default: e.g. the highest-risk population from homicides.
    IfKnown(String),
    /// Only when the named driver has no figure for the place: the
    /// fallback of an `IfKnown` term.
    UnlessKnown(String),
}

impl Condition {
    /// The driver the condition tests, if any.
    pub fn driver(&self) -> Option<&str> {
        match self {
            Condition::Always => None,
            Condition::IfKnown(d) | Condition::UnlessKnown(d) => Some(d),
        }
    }

    /// Whether the term counts, given a test for "this driver has a figure for the place".
    pub fn holds(&self, given: impl Fn(&str) -> bool) -> bool {
        match self {
            Condition::Always => true,
            Condition::IfKnown(d) => given(d),
            Condition::UnlessKnown(d) => !given(d),
        }
    }

    /// In words, for formulas: "" or " (when `homicides` has a figure for the place)".
    pub fn describe(&self) -> String {
        match self {
            Condition::Always => String::new(),
            Condition::IfKnown(d) => format!(" (when `{d}` has a figure for the place)"),
            Condition::UnlessKnown(d) => format!(" (when `{d}` has no figure for the place, only the national default)"),
        }
    }
}

/// One addend of a derived driver: another driver times its factors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Term {
    /// The driver this term scales.
    pub driver: String,
    /// Multipliers (or divisors) applied in order.
    pub factors: Vec<Factor>,
    /// When the term counts (always, unless the catalog says otherwise).
    #[serde(skip_serializing_if = "is_always")]
    pub condition: Condition,
}

fn is_always(c: &Condition) -> bool {
    *c == Condition::Always
}

/// Something benchmarks scale with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverDef {
    /// Identifier used in `--set` and in benchmarks.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// What one of it is ("people", "homicides a year").
    pub unit: String,
    /// Why this driver, and how its default is built.
    pub description: String,
    /// The default estimator as a sum of terms; empty for inputs that must
    /// be given (population).
    pub estimate: Vec<Term>,
    /// The year or period the estimator's figures describe ("2023").
    pub vintage: Option<String>,
    /// Where it was written.
    pub origin: Origin,
}

impl DriverDef {
    /// True when the user (or a data set) must supply the value.
    pub fn is_required(&self) -> bool {
        self.estimate.is_empty()
    }

    /// The weakest evidence grade among the estimator's factors.
    pub fn evidence(&self) -> Option<Evidence> {
        self.estimate.iter().flat_map(|t| &t.factors).map(|f| f.evidence).max()
    }

    /// True when some term counts only under a condition (two estimators,
    /// one chosen per place).
    pub fn is_conditional(&self) -> bool {
        self.estimate.iter().any(|t| t.condition != Condition::Always)
    }

    /// The terms that count for a place, given a test for "this driver has
    /// a figure for the place".
    pub fn active_terms<'a>(&'a self, given: impl Fn(&str) -> bool + 'a) -> impl Iterator<Item = &'a Term> + 'a {
        self.estimate.iter().filter(move |t| t.condition.holds(&given))
    }

    /// The terms that count for a place whose drivers resolved as `resolved`.
    pub fn active_terms_in<'a>(&'a self, resolved: &'a [crate::drivers::ResolvedDriver]) -> impl Iterator<Item = &'a Term> + 'a {
        self.active_terms(move |id| crate::drivers::is_known(resolved, id))
    }
}

/// How need follows from the driver.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scale {
    /// `units` per `per` of the driver (e.g. 20 beds per 100,000 residents).
    Ratio {
        /// How much driver one set of `units` serves.
        per: f64,
        /// Units per `per` of the driver.
        units: Range3,
    },
    /// One unit per `caseload` of the driver (e.g. one outreach worker per
    /// 15 participants). A high caseload means low need.
    Caseload {
        /// Driver units served by one unit.
        caseload: Range3,
    },
}

/// What kind of target a benchmark is, and the tier a plan applies: a
/// plan at tier `standard` applies floors and standards, at `goal` every
/// benchmark, at `floor` floors only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// A minimum below which a service is not provided at all.
    Floor,
    /// What a system needs (e.g. Scaling Safety's per-100,000 figures).
    #[default]
    Standard,
    /// An aspirational target (e.g. the Justice Index's attorney ratio).
    Goal,
}

impl Tier {
    /// All tiers, lowest first.
    pub const ALL: [Tier; 3] = [Tier::Floor, Tier::Standard, Tier::Goal];

    /// As written in catalogs, options and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Floor => "floor",
            Tier::Standard => "standard",
            Tier::Goal => "goal",
        }
    }

    /// Parses a kind or tier as written.
    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

impl std::fmt::Display for Tier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An annual or one-off cost per unit, with its dollar year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    /// Dollars per unit, in the catalog's dollar year (`year`).
    pub amount: Range3,
    /// The year whose dollars `amount` is in: the catalog's dollar year.
    pub year: u16,
    /// Dollars per unit as the source gives them, in `source_year` dollars.
    pub source_amount: Range3,
    /// The year whose dollars the source figure is in.
    pub source_year: u16,
    /// CPI-U multiplier from `source_year` to `year` dollars.
    pub cpi_factor: f64,
    /// How the cost is known.
    pub evidence: Evidence,
    /// Where it comes from.
    pub citations: Vec<String>,
    /// The arithmetic or reasoning behind it.
    pub note: Option<String>,
}

/// One program benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    /// Stable identifier (used in inventories and `explain`).
    pub id: String,
    /// Which safety gap it belongs to.
    pub gap_area: GapArea,
    /// Program name for people.
    pub name: String,
    /// What it is and why this benchmark.
    pub description: String,
    /// What one unit is ("centers", "beds", "FTE staff").
    pub unit: String,
    /// Whether units are indivisible (a center, a bed) for whole-unit
    /// recommendations and budget allocation.
    pub whole_units: bool,
    /// The driver need scales with.
    pub driver: String,
    /// Standard, goal or floor: which plan tiers apply it.
    pub kind: Tier,
    /// How need follows from the driver.
    pub scale: Scale,
    /// How the need ratio is known.
    pub evidence: Evidence,
    /// Where the ratio comes from.
    pub citations: Vec<String>,
    /// Annual operating cost per unit.
    pub annual_cost: Cost,
    /// One-off start-up cost per new unit.
    pub startup_cost: Option<Cost>,
    /// Optional group name that add-ons can refer to.
    pub group: Option<String>,
    /// The smallest number of units that can exist and be staffed (one
    /// center, one round-the-clock team). A place whose need is below it
    /// holds a share of a unit run by its county or region instead.
    pub min_viable: Option<f64>,
    /// For staff lines: the benchmark whose units these staff make up (a
    /// mobile crisis unit's team). Their need follows that line's units.
    pub team_of: Option<String>,
    /// Who usually pays for it (absent when the catalog does not say).
    pub payers: Option<crate::payer::Payers>,
    /// Where it was written.
    pub origin: Origin,
    /// Position in the catalog, to keep order when tiers are changed.
    #[serde(skip)]
    pub seq: usize,
}

/// A cost that is a share of other benchmarks' cost (training, evaluation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Addon {
    /// Stable identifier.
    pub id: String,
    /// Which safety gap it belongs to.
    pub gap_area: GapArea,
    /// Name for people.
    pub name: String,
    /// What it pays for.
    pub description: String,
    /// Fraction of the base cost (0.25 = 25%).
    pub share: Range3,
    /// Benchmark ids whose annual cost the share applies to (groups are
    /// expanded at load time).
    pub of: Vec<String>,
    /// How the share is known.
    pub evidence: Evidence,
    /// Where it comes from.
    pub citations: Vec<String>,
    /// The dollar year (taken from the base benchmarks).
    pub cost_year: u16,
    /// Where it was written.
    pub origin: Origin,
}

/// A validated catalog: drivers in dependency order, benchmarks, add-ons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalog {
    /// Version string recorded in every plan.
    pub version: String,
    /// Drivers, each after every driver its estimate uses.
    pub drivers: Vec<DriverDef>,
    /// Program benchmarks in catalog order.
    pub benchmarks: Vec<Benchmark>,
    /// Cost add-ons in catalog order.
    pub addons: Vec<Addon>,
    /// The tier applied: `benchmarks` holds the benchmarks whose kind is at
    /// or below it.
    pub tier: Tier,
    /// The year whose dollars every cost is in (CPI-U converted).
    pub dollar_year: u16,
    /// Benchmarks above the tier, kept to show what a higher tier adds.
    pub beyond_tier: Vec<Benchmark>,
    /// Add-ons whose programs are all above the tier.
    pub beyond_tier_addons: Vec<Addon>,
}

impl Catalog {
    /// The same catalog at another tier and dollar year (default: the
    /// latest year of the embedded CPI-U series). Costs are converted from
    /// each figure's source year with the CPI-U.
    pub fn rebase(&self, tier: Tier, dollar_year: Option<u16>) -> Result<Catalog, crate::cpi::CpiError> {
        let cpi = crate::cpi::Cpi::embedded();
        let dy = dollar_year.unwrap_or(cpi.last_year());
        cpi.get(dy)?;
        let mut all: Vec<Benchmark> = self.benchmarks.iter().chain(&self.beyond_tier).cloned().collect();
        all.sort_by_key(|b| b.seq);
        let convert = |c: &mut Cost| -> Result<(), crate::cpi::CpiError> {
            c.cpi_factor = cpi.factor(c.source_year, dy)?;
            c.amount = c.source_amount.scale(c.cpi_factor);
            c.year = dy;
            Ok(())
        };
        for b in &mut all {
            convert(&mut b.annual_cost)?;
            if let Some(s) = &mut b.startup_cost {
                convert(s)?;
            }
        }
        let (benchmarks, beyond_tier): (Vec<Benchmark>, Vec<Benchmark>) = all.into_iter().partition(|b| b.kind <= tier);
        let mut all_addons: Vec<Addon> = self.addons.iter().chain(&self.beyond_tier_addons).cloned().collect();
        for a in &mut all_addons {
            a.cost_year = dy;
        }
        let (addons, beyond_tier_addons) =
            all_addons.into_iter().partition(|a| a.of.iter().any(|id| benchmarks.iter().any(|b| &b.id == id)));
        Ok(Catalog {
            version: self.version.clone(),
            drivers: self.drivers.clone(),
            benchmarks,
            addons,
            tier,
            dollar_year: dy,
            beyond_tier,
            beyond_tier_addons,
        })
    }

    /// A benchmark in or beyond the tier.
    pub fn any_benchmark(&self, id: &str) -> Option<&Benchmark> {
        self.benchmark(id).or_else(|| self.beyond_tier.iter().find(|b| b.id == id))
    }

    /// Looks up a driver.
    /// A scan: for one look-up; code that walks many drivers hashes them.
    pub fn driver(&self, id: &str) -> Option<&DriverDef> {
        let at = self.drivers.iter().position(|d| d.id == id);
        crate::drivers::count_work(at.map_or(self.drivers.len(), |i| i + 1));
        at.map(|i| &self.drivers[i])
    }

    /// Looks up a benchmark.
    pub fn benchmark(&self, id: &str) -> Option<&Benchmark> {
        self.benchmarks.iter().find(|b| b.id == id)
    }

    /// Looks up an add-on.
    pub fn addon(&self, id: &str) -> Option<&Addon> {
        self.addons.iter().find(|a| a.id == id)
    }

    /// Every program id (benchmarks then add-ons), for suggestions.
    pub fn program_ids(&self) -> impl Iterator<Item = &str> {
        self.benchmarks.iter().chain(&self.beyond_tier).map(|b| b.id.as_str()).chain(self.addons.iter().map(|a| a.id.as_str()))
    }
}
