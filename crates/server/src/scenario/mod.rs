//! A scenario: everything a plan is computed from, as the API and the page
//! send it, and its evaluation with the same library calls the CLI makes
//! (`plan_input`, `compute`, `json::value`).

mod text;
mod values;

pub use text::{check_text, class, text_pattern, REFUSED, WHITESPACE};
use values::{opt_whole, some_text};
pub use values::{DriverValue, InventoryValue, Simulate};

use crate::problem::{FieldError, Problem};
use safetygap_core::catalog::{CatalogErrors, CatalogSource, Tier};
use safetygap_core::drivers::{self, DriverError, SuppliedDriver};
use safetygap_core::inventory::InventoryItem;
use safetygap_core::plan::{Jurisdiction, PlanInput};
use safetygap_core::simulate::{self, SimOptions, Simulation};
use safetygap_core::{shipped, Catalog, Plan};
use safetygap_data::embedded::gazetteer;
use safetygap_data::inputs::plan_input;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use utoipa::ToSchema;

/// Source recorded for a driver figure or population given without one.
pub const DEFAULT_SOURCE: &str = "local figure (web/API)";

/// The most simulation draws one API request may ask for; percentiles are
/// stable long before, and it bounds the time a request can take.
pub const MAX_API_DRAWS: u32 = 20_000;

/// The most numbers one request's simulation may hold: draws times the
/// catalog's uncertain figures and result series per draw. The shipped
/// catalog at [`MAX_API_DRAWS`] uses about half; a catalog with thousands
/// of ranged factors gets proportionally fewer draws (80 MB at most).
pub const MAX_API_WORK: u64 = 10_000_000;

/// Seed used when a simulation request gives none.
pub const DEFAULT_SEED: u64 = 1;

/// Longest accepted display name, in characters.
pub const MAX_NAME: usize = 200;

/// Longest accepted `source` of a driver figure or inventory count, in
/// characters.
pub const MAX_SOURCE: usize = 500;

/// Smallest accepted population, given as `population` or as the
/// `population` driver: figures per resident divide by it.
pub const MIN_POPULATION: f64 = 1.0;

/// Largest accepted existing quantity of one program.
pub const MAX_QUANTITY: f64 = 1e9;

/// Name under which catalog override text is loaded (and which its error
/// messages cite).
pub const OVERRIDE_FILE: &str = "catalog override";

/// Everything a plan is computed from: a jurisdiction (a GEOID) or a custom
/// area (a population), local driver figures, what already exists, an
/// optional catalog override and optional simulation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"geoid": "06001", "drivers": {"homicides": 120}, "inventory": {"trauma_recovery_center": 1, "dv_shelter_bed": {"quantity": 40, "source": "County DV coalition count 2024", "verified": true}}}))]
pub struct Scenario {
    /// GEOID of a state (`06`), county (`06001`) or Census place
    /// (`0653000`) in the embedded gazetteer, or `US`; omit for a custom
    /// area. Place ids of earlier releases (`GN5378538`, in saved plans and
    /// share links) open the Census place, county or state they now are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geoid: Option<String>,
    /// Resident population: required for a custom area; for a GEOID it
    /// replaces the embedded figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<f64>,
    /// Display name (a custom area's name, or replacing a place's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Local driver figures replacing default estimates, by driver id
    /// (`GET /api/catalog` lists them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub drivers: BTreeMap<String, DriverValue>,
    /// What already exists, by program id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inventory: BTreeMap<String, InventoryValue>,
    /// A user catalog in the catalog's TOML format, overriding or extending
    /// the shipped one (an entry with a shipped id replaces the fields it
    /// writes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog: Option<String>,
    /// Run a Monte Carlo simulation and add percentile intervals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulate: Option<Simulate>,
    /// Which benchmarks apply: `floor` (minimums only), `standard` (what a
    /// system needs; the default) or `goal` (also aspirational targets such
    /// as the Justice Index attorney ratio) — like `--tier`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "some_text")]
    #[schema(nullable = false)]
    pub tier: Option<String>,
    /// The year whose dollars every cost is in, converted with the embedded
    /// CPI-U (default: the latest year the series covers) — like
    /// `--dollar-year`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "opt_whole")]
    #[schema(value_type = Option<u16>, nullable = false)]
    pub dollar_year: Option<u64>,
    /// `state`: start from default counts of existing capacity from public
    /// sources — DV shelter beds from HUD's 2024 Housing Inventory Count
    /// (the state's count shared by population; a floor) and state
    /// psychiatric beds at the national 10.8 per 100,000 — which lines of
    /// `inventory` replace. Needs a `geoid` — like `--inventory-defaults state`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "some_text")]
    #[schema(nullable = false)]
    pub inventory_defaults: Option<String>,
    /// Also show what falls on one payer's own budget (`payer_view`):
    /// `city` (the city or county general fund), `state`, `medicaid`, ...
    /// Lines whose funders share the cost in proportions no source gives
    /// are listed apart, never counted as the payer's — like `--payer`.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "some_text")]
    #[schema(nullable = false)]
    pub payer: Option<String>,
}

/// The tiers a scenario may ask for, as written.
pub fn tier_names() -> Vec<&'static str> {
    Tier::ALL.iter().map(|t| t.as_str()).collect()
}

/// The payer ids a scenario may name.
pub fn payer_names() -> Vec<&'static str> {
    safetygap_core::payer::PAYERS.iter().map(|(p, _)| *p).collect()
}

/// The sources of default inventory a scenario may ask for.
pub const INVENTORY_DEFAULTS: &[&str] = &["state"];

/// The first and last year a `dollar_year` may name (the embedded CPI-U).
pub fn dollar_years() -> (u16, u16) {
    static YEARS: OnceLock<(u16, u16)> = OnceLock::new();
    *YEARS.get_or_init(|| {
        let c = safetygap_core::cpi::Cpi::embedded();
        (c.first_year(), c.last_year())
    })
}

/// A computed scenario.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The catalog used (the shipped one, or it with the override).
    pub catalog: Arc<Catalog>,
    /// The engine input built from the scenario.
    pub input: PlanInput,
    /// The plan.
    pub plan: Plan,
    /// The simulation, when asked for.
    pub simulation: Option<Simulation>,
}

impl Evaluated {
    /// The plan as the CLI's `--format json` prints it, plus a
    /// `simulation` member when one was run.
    pub fn json(&self) -> serde_json::Value {
        let mut v = safetygap_report::json::value(&self.plan);
        if let (Some(sim), Some(obj)) = (&self.simulation, v.as_object_mut()) {
            obj.insert("simulation".into(), serde_json::to_value(sim).unwrap_or(serde_json::Value::Null));
        }
        v
    }
}

/// What an old place id (`GN` + GeoNames id) of an earlier release opens
/// now; `None` for anything else.
pub fn migrated(geoid: &str) -> Option<&'static safetygap_data::embedded::Jurisdiction> {
    let g = gazetteer();
    geoid.trim().to_ascii_uppercase().starts_with("GN").then(|| g.resolve_noted(geoid).ok().map(|r| r.jurisdiction)).flatten()
}

/// The notice to show for an old place id, if `geoid` is one.
pub fn migration_notice(geoid: &str) -> Option<String> {
    let g = gazetteer();
    geoid.trim().to_ascii_uppercase().starts_with("GN").then(|| g.resolve_noted(geoid).ok().and_then(|r| r.notice)).flatten()
}

/// The shipped catalog, loaded once.
pub fn shipped_catalog() -> Result<Arc<Catalog>, Problem> {
    static SHIPPED: OnceLock<Result<Arc<Catalog>, String>> = OnceLock::new();
    SHIPPED
        .get_or_init(|| shipped::catalog().map(Arc::new).map_err(|e| e.to_string()))
        .clone()
        .map_err(|e| Problem::internal(format!("the built-in catalog does not load: {e}")))
}

/// Catalog errors as located field errors.
pub fn catalog_problem(e: &CatalogErrors) -> Problem {
    let errors =
        e.0.iter()
            .map(|c| {
                let mut detail = c.message.clone();
                if !c.hint.is_empty() {
                    detail.push_str(" Fix: ");
                    detail.push_str(&c.hint);
                }
                FieldError {
                    pointer: Some("/catalog".into()),
                    file: Some(c.file.clone()),
                    line: c.line,
                    field: match (&c.entry, &c.field) {
                        (Some(e), Some(f)) => Some(format!("{e}.{f}")),
                        (Some(e), None) => Some(e.clone()),
                        (None, f) => f.clone(),
                    },
                    detail,
                }
            })
            .collect();
    Problem::invalid(format!("the catalog override cannot be used: {e}")).with_errors(errors)
}

fn driver_problem(e: &DriverError, population_given: bool) -> Problem {
    let id = match e {
        DriverError::Missing { id } | DriverError::Unknown { id, .. } | DriverError::BadValue { id, .. } => id,
    };
    let pointer = if id == "population" && population_given { "/population".to_string() } else { format!("/drivers/{id}") };
    let detail = match e {
        DriverError::Missing { .. } => {
            "a custom area needs its population: give `population` (e.g. 250000), or a `geoid` for a place in the gazetteer.".to_string()
        }
        other => other.to_string().replace("--set ", "").replace(" --population 100000", " population = 100000"),
    };
    Problem::invalid_at(&pointer, detail)
}

impl Scenario {
    /// A scenario for a gazetteer jurisdiction with nothing changed.
    pub fn for_geoid(geoid: &str) -> Self {
        Scenario { geoid: Some(geoid.to_string()), ..Default::default() }
    }

    /// The catalog this scenario is computed with: the shipped one or it
    /// with the override, at the scenario's tier and in its dollar year
    /// (as the CLI's `--tier` and `--dollar-year`).
    pub fn catalog(&self) -> Result<Arc<Catalog>, Problem> {
        let tier = self.tier()?;
        let dollar_year = self.dollar_year()?;
        let base = match self.catalog.as_deref() {
            None => shipped_catalog()?,
            Some(t) if t.trim().is_empty() => shipped_catalog()?,
            Some(text) => {
                let src = [CatalogSource { name: OVERRIDE_FILE, text }];
                shipped::load_with(&src).map(Arc::new).map_err(|e| catalog_problem(&e))?
            }
        };
        if tier == base.tier && dollar_year.is_none_or(|y| y == base.dollar_year) {
            return Ok(base);
        }
        // The dollar year was checked: a year the series lacks is a cost's
        // year in the override.
        base.rebase(tier, dollar_year).map(Arc::new).map_err(|e| {
            Problem::invalid_at(
                "/catalog",
                format!(
                    "a cost of the catalog override is written in {}, which the embedded CPI-U ({}–{}) does not cover; give its costs in a year it covers.",
                    e.year, e.first, e.last
                ),
            )
        })
    }

    /// The tier asked for (`standard` when none is).
    pub fn tier(&self) -> Result<Tier, Problem> {
        match self.tier.as_deref() {
            None => Ok(Tier::Standard),
            // Exactly as written (the document's enum), not trimmed.
            Some(t) => Tier::ALL.into_iter().find(|x| x.as_str() == t).ok_or_else(|| {
                Problem::invalid_at(
                    "/tier",
                    format!(
                        "`{t}` is not a tier; use one of: {} (`floor` minimums only, `standard` what a system needs, `goal` also aspirational targets).",
                        tier_names().join(", ")
                    ),
                )
            }),
        }
    }

    /// The dollar year asked for, checked against the embedded CPI-U.
    pub fn dollar_year(&self) -> Result<Option<u16>, Problem> {
        let Some(y) = self.dollar_year else { return Ok(None) };
        let (first, last) = dollar_years();
        match u16::try_from(y) {
            Ok(y) if (first..=last).contains(&y) => Ok(Some(y)),
            _ => Err(Problem::invalid_at(
                "/dollar_year",
                format!("no CPI-U annual average for {y}: the embedded series covers {first}–{last}; choose a dollar year in that range (e.g. {last})."),
            )),
        }
    }

    /// The payer whose own budget to show, checked.
    pub fn payer(&self) -> Result<Option<&str>, Problem> {
        match self.payer.as_deref() {
            None => Ok(None),
            Some(p) if safetygap_core::payer::is_payer(p) => Ok(Some(p)),
            Some(p) => Err(Problem::invalid_at(
                "/payer",
                format!(
                    "`{p}` is not a payer; use one of: {} (`GET /api/catalog` lists each program's usual funders).",
                    payer_names().join(", ")
                ),
            )),
        }
    }

    /// Whether to start from the state default inventory, checked.
    pub fn state_defaults(&self) -> Result<bool, Problem> {
        match self.inventory_defaults.as_deref() {
            None => Ok(false),
            Some("state") => Ok(true),
            Some(other) => Err(Problem::invalid_at(
                "/inventory_defaults",
                format!(
                    "`{other}` is not a source of default inventory; use one of: {}, or leave `inventory_defaults` out.",
                    INVENTORY_DEFAULTS.join(", ")
                ),
            )),
        }
    }

    /// Builds the engine input, exactly as the CLI does for the same
    /// options: a place's embedded drivers from `plan_input`, then the
    /// population, name, driver figures and inventory given here.
    pub fn input(&self, catalog: &Catalog) -> Result<PlanInput, Problem> {
        let g = gazetteer();
        let state_defaults = self.state_defaults()?;
        let mut place = None;
        let mut input = match self.geoid.as_deref().map(str::trim) {
            Some(geoid) => match g.get(geoid).or_else(|| migrated(geoid)) {
                Some(j) => {
                    place = Some(j);
                    plan_input(g, j)
                }
                None => {
                    let why = g.resolve(geoid).err().map(|e| e.to_string()).unwrap_or_default();
                    let detail = format!("no jurisdiction has GEOID `{geoid}`. {why} `GET /api/search?q=NAME` finds GEOIDs.");
                    let mut p = Problem::not_found(detail.trim().replace("  ", " ").replace("--geoid", "`geoid`"));
                    p.errors.push(FieldError::at("/geoid", "unknown GEOID"));
                    return Err(p);
                }
            },
            None => PlanInput {
                jurisdiction: Jurisdiction { id: "custom".into(), name: "Custom area".into(), kind: "custom".into() },
                drivers: BTreeMap::new(),
                inventory: Default::default(),
                host: None,
            },
        };
        if let Some(name) = &self.name {
            input.jurisdiction.name = check_text("/name", name, "name")?;
        }
        if let Some(pop) = self.population {
            if self.drivers.contains_key("population") {
                return Err(Problem::invalid_at(
                    "/population",
                    "the population is given twice, as `population` and as `drivers.population`; give it once.",
                ));
            }
            drivers::check_value("population", pop).map_err(|e| driver_problem(&e, true))?;
            if pop < MIN_POPULATION {
                return Err(Problem::invalid_at(
                    "/population",
                    format!("{pop} residents: give the area's population, at least {MIN_POPULATION}."),
                ));
            }
            input.drivers.insert("population".into(), SuppliedDriver::given(pop, DEFAULT_SOURCE));
        }
        for (id, v) in &self.drivers {
            let s = v.supplied();
            if id == "population" && s.value.is_finite() && (0.0..MIN_POPULATION).contains(&s.value) {
                return Err(Problem::invalid_at(
                    "/drivers/population",
                    format!("{} residents: give the area's population, at least {MIN_POPULATION}.", s.value),
                ));
            }
            if let DriverValue::Detailed { source: Some(src), .. } = v {
                if src.chars().count() > MAX_SOURCE {
                    return Err(Problem::invalid_at(
                        &format!("/drivers/{id}/source"),
                        format!("the source is longer than {MAX_SOURCE} characters; shorten it."),
                    ));
                }
            }
            input.drivers.insert(id.clone(), s);
        }
        if state_defaults {
            // As `--inventory-defaults state`: the state's counts shared by
            // the area's population (the one given here, if any); the lines
            // of `inventory` below replace them.
            let Some(j) = place else {
                return Err(Problem::invalid_at(
                    "/inventory_defaults",
                    "`state` defaults need a named place (its state's counts are shared by population): give a `geoid`, or leave `inventory_defaults` out.",
                ));
            };
            let pop = input.drivers.get("population").map_or(0.0, |d| d.value);
            input.inventory = safetygap_data::defaults::state_inventory(g, j, pop).ok_or_else(|| {
                Problem::invalid_at(
                    "/inventory_defaults",
                    format!("{} has no state whose counts could be used; leave `inventory_defaults` out.", j.name),
                )
            })?;
        }
        for (id, v) in &self.inventory {
            let ptr = format!("/inventory/{id}");
            // A line above the tier is still a program (its count tells
            // what the goal tier would add), so switching tiers keeps the
            // inventory usable.
            if catalog.any_benchmark(id).is_none() {
                let hint =
                    safetygap_core::suggest::closest(id, catalog.benchmarks.iter().chain(&catalog.beyond_tier).map(|b| b.id.as_str()))
                        .map(|s| format!(" Did you mean `{s}`?"))
                        .unwrap_or_default();
                let addon = if catalog.addon(id).is_some() {
                    " It is an add-on (a share of other programs' cost), which has no units to count."
                } else {
                    ""
                };
                return Err(Problem::invalid_at(
                    &ptr,
                    format!("`{id}` is not a program with units in the catalog.{addon}{hint} `GET /api/catalog` lists the ids."),
                ));
            }
            let q = v.quantity();
            if !q.is_finite() || q < 0.0 {
                return Err(Problem::invalid_at(
                    &ptr,
                    format!("{q} cannot be an existing quantity; write how many units exist, 0 or more."),
                ));
            }
            if q > MAX_QUANTITY {
                return Err(Problem::invalid_at(&ptr, format!("{q} is implausibly large for existing programs; check for a typo.")));
            }
            let (source, verified) = match v {
                InventoryValue::Number(_) => (String::new(), false),
                InventoryValue::Detailed { source, verified, .. } => (source.clone().unwrap_or_default(), *verified),
            };
            if source.chars().count() > MAX_SOURCE {
                return Err(Problem::invalid_at(
                    &format!("{ptr}/source"),
                    format!("the source is longer than {MAX_SOURCE} characters; shorten it."),
                ));
            }
            // A local line replaces a default one.
            input.inventory.defaults.remove(id);
            input.inventory.items.insert(id.clone(), InventoryItem { quantity: q, source, verified });
        }
        self.payer()?;
        self.check_simulate()?;
        Ok(input)
    }

    /// Checks the simulation settings (also where the simulation is not
    /// run: a chart, the check before saving).
    pub fn check_simulate(&self) -> Result<(), Problem> {
        match self.simulate {
            Some(sim) if sim.draws == 0 || sim.draws > MAX_API_DRAWS => Err(Problem::invalid_at(
                "/simulate/draws",
                format!("{} draws: give 1 to {MAX_API_DRAWS} (2,000 gives stable 5th and 95th percentiles).", sim.draws),
            )),
            _ => Ok(()),
        }
    }

    /// Computes the plan (and the simulation, when asked for).
    pub fn evaluate(&self) -> Result<Evaluated, Problem> {
        let catalog = self.catalog()?;
        self.evaluate_with(catalog)
    }

    /// Computes the plan with a given catalog.
    pub fn evaluate_with(&self, catalog: Arc<Catalog>) -> Result<Evaluated, Problem> {
        let input = self.input(&catalog)?;
        let mut plan = safetygap_core::compute(&catalog, &input).map_err(|e| driver_problem(&e, self.population.is_some()))?;
        if let Some(p) = self.payer()? {
            plan = plan.with_payer(p).map_err(|e| Problem::invalid_at("/payer", e))?;
        }
        let simulation = match self.simulate {
            None => None,
            Some(s) => {
                // The work budget, checked before any draw is made.
                let model = simulate::Model::compile(&catalog);
                let work = model.cells_per_draw().saturating_mul(s.draws as u64);
                if work > MAX_API_WORK {
                    let max = (MAX_API_WORK / model.cells_per_draw().max(1)).max(1);
                    return Err(Problem::invalid_at(
                        "/simulate/draws",
                        format!(
                            "{} draws over this catalog ({} uncertain figures a draw) exceed what one request may compute; ask for at most {max} draws, or use a smaller catalog.",
                            s.draws,
                            model.cells_per_draw()
                        ),
                    ));
                }
                let options = SimOptions { draws: s.draws, seed: s.seed };
                Some(simulate::simulate_cancellable(&catalog, &input, options, crate::cancel_flag()).map_err(|e| match e {
                    simulate::SimError::Driver(d) => driver_problem(&d, self.population.is_some()),
                    simulate::SimError::Cancelled => Problem::new(
                        crate::problem::Kind::Unavailable,
                        "the request took too long and its simulation was stopped; ask for fewer draws.",
                    ),
                    other => Problem::invalid_at("/simulate/draws", other.to_string()),
                })?)
            }
        };
        Ok(Evaluated { catalog, input, plan, simulation })
    }

    /// True when evaluating may take long enough to belong off the async
    /// workers: a simulation or a catalog to parse.
    pub fn is_heavy(&self) -> bool {
        self.simulate.is_some() || self.catalog.as_deref().is_some_and(|t| !t.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(ranges: &[(char, char)], c: char) -> bool {
        ranges.iter().any(|(a, b)| (*a..=*b).contains(&c))
    }

    #[test]
    fn the_pattern_classes_are_rusts() {
        // The document's text pattern is built from these tables; they must
        // be exactly what `trim` removes and what `is_control` finds.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(within(WHITESPACE, c), c.is_whitespace(), "{:04x}", c as u32);
            let refused = safetygap_core::text::refused_char(c.encode_utf8(&mut [0; 4])).is_some();
            assert_eq!(within(REFUSED, c), refused, "{:04x}", c as u32);
        }
        let p = text_pattern();
        assert!(p.starts_with("^[\\u0009-\\u000d\\u0020\\u0085"), "{p}");
    }

    #[test]
    fn text_rules() {
        for ok in ["Oakland", " Oakland\n", "a b", "\u{a0}x\u{3000}"] {
            assert!(check_text("/name", ok, "name").is_ok(), "{ok:?}");
        }
        for bad in [
            "",
            "  ",
            "\n",
            "a\tb",
            "a\u{1c}",
            "a\u{2028}b",
            "evil\u{202e}fdp",
            &"x".repeat(MAX_NAME + 1),
            &format!("{} ", "x".repeat(MAX_NAME)),
        ] {
            assert!(check_text("/name", bad, "name").is_err(), "{bad:?}");
        }
    }
}
