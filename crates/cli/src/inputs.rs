//! Options shared by every command that computes a plan, and turning them
//! into the engine's inputs.

use anyhow::{anyhow, bail, Context, Result};
use safetygap_core::catalog::CatalogSource;
use safetygap_core::drivers::SuppliedDriver;
use safetygap_core::plan::PlanInput;
use safetygap_core::{shipped, Catalog, Inventory};
use safetygap_data::embedded::{gazetteer, Jurisdiction};
use safetygap_data::inputs::plan_input_with;

/// Where the plan's numbers come from.
#[derive(clap::Args, Debug, Clone)]
pub struct PlanOpts {
    /// A state, county or city ("Oakland, CA"); same as --place.
    #[arg(value_name = "PLACE", conflicts_with_all = ["place", "geoid"])]
    pub place_arg: Option<String>,
    /// A U.S. state, county or city by name: "Oakland, CA", "Alameda County,
    /// CA", "California". `safetygap search TEXT` finds names.
    #[arg(long, value_name = "NAME")]
    pub place: Option<String>,
    /// A jurisdiction by GEOID: 2-digit state (06), 5-digit county (06001),
    /// 7-digit Census place code (0653000), or US. Old place ids of earlier
    /// releases (GN5378538) still work, with a notice.
    #[arg(long, value_name = "GEOID", conflicts_with = "place")]
    pub geoid: Option<String>,
    /// Resident population of a custom area (e.g. 250000 or 250,000); with a
    /// place, replaces its embedded population.
    #[arg(long, value_parser = parse_population)]
    pub population: Option<f64>,
    /// Name to print for a custom area.
    #[arg(long)]
    pub name: Option<String>,
    /// A local driver figure that replaces the default estimate, e.g.
    /// `--set homicides=50`. Repeatable. `safetygap catalog drivers` lists
    /// the driver ids.
    #[arg(long = "set", value_name = "DRIVER=VALUE")]
    pub set: Vec<String>,
    /// What already exists: CSV with `program,quantity,source,verified`, or
    /// TOML with one `[program_id]` table per program.
    #[arg(long, value_name = "FILE")]
    pub inventory: Option<std::path::PathBuf>,
    /// A user catalog that overrides or extends the shipped one (TOML, same
    /// format; an entry with a shipped id replaces just the fields it
    /// writes). Repeatable.
    #[arg(long = "catalog", value_name = "FILE")]
    pub catalogs: Vec<std::path::PathBuf>,
    /// Which benchmarks apply: `floor` (minimums only), `standard` (what a
    /// system needs; the default) or `goal` (also aspirational targets such
    /// as the Justice Index attorney ratio).
    #[arg(long, value_enum, default_value_t = TierArg::Standard)]
    pub tier: TierArg,
    /// The year whose dollars every cost is shown in, converted with the
    /// embedded CPI-U (default: the latest year of the series).
    #[arg(long, value_name = "YEAR")]
    pub dollar_year: Option<u16>,
    /// Start from a default inventory of existing capacity from public
    /// sources: `state` = domestic violence shelter beds from HUD's 2024
    /// Housing Inventory Count (the state's count shared by population; a
    /// floor) and state psychiatric beds at the national 10.8 per 100,000.
    /// Lines of --inventory replace them. Needs a named place.
    #[arg(long, value_enum, value_name = "SOURCE")]
    pub inventory_defaults: Option<InventoryDefaults>,
}

/// `--inventory-defaults`: where default existing counts come from.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InventoryDefaults {
    // No doc comments on the variants: clap would list them in --help.
    State,
}

/// `--payer`: show what falls on one payer's own budget.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PayerOpt {
    /// Show what falls on one payer's own budget: `city` (the city or county
    /// general fund), `state`, `medicaid`, ... (`safetygap catalog show ID`
    /// lists a program's usual funders). Lines whose funders share the cost
    /// in proportions no source gives are listed apart, never counted as the
    /// payer's.
    #[arg(long, value_name = "PAYER", value_parser = parse_payer)]
    pub payer: Option<String>,
}

impl PayerOpt {
    /// The plan with its payer view, when `--payer` was given.
    pub fn apply(&self, plan: safetygap_core::Plan) -> Result<safetygap_core::Plan> {
        match &self.payer {
            Some(p) => plan.with_payer(p).map_err(|e| anyhow!("--payer: {e}")),
            None => Ok(plan),
        }
    }
}

fn parse_payer(s: &str) -> Result<String, String> {
    let t = s.trim();
    if safetygap_core::payer::is_payer(t) {
        Ok(t.to_string())
    } else {
        let known: Vec<&str> = safetygap_core::payer::PAYERS.iter().map(|(p, _)| *p).collect();
        Err(format!("unknown payer `{t}`; use one of: {}", known.join(", ")))
    }
}

/// `--tier`: the catalog's tiers as a command-line choice.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TierArg {
    // No doc comments on the variants: clap would list them in --help.
    Floor,
    Standard,
    Goal,
}

impl From<TierArg> for safetygap_core::catalog::Tier {
    fn from(t: TierArg) -> Self {
        use safetygap_core::catalog::Tier;
        match t {
            TierArg::Floor => Tier::Floor,
            TierArg::Standard => Tier::Standard,
            TierArg::Goal => Tier::Goal,
        }
    }
}

/// Parses a population: digits with optional thousands separators.
pub fn parse_population(s: &str) -> Result<f64, String> {
    let v = parse_number(s).ok_or_else(|| format!("`{s}` is not a number; write the population as digits, e.g. 250000"))?;
    if v < 0.0 {
        Err(format!("{s} is negative; a population is a count of residents"))
    } else if v == 0.0 {
        Err("0 residents: a plan for nobody is all zeros; give the area's population".into())
    } else if v > safetygap_core::drivers::MAX_DRIVER_VALUE {
        Err(format!("{s} is more people than any U.S. jurisdiction has (the whole country is about 335 million); check for extra digits"))
    } else {
        Ok(v)
    }
}

/// Checks a display name (`--name`): one line of plain text, as the API
/// requires of names.
pub fn check_name(name: &str) -> Result<String> {
    let t = name.trim();
    if t.is_empty() {
        bail!("--name is empty; give the area a name, or leave --name out");
    }
    if t.chars().count() > 200 {
        bail!("--name is longer than 200 characters; shorten it");
    }
    if let Some(why) = safetygap_core::text::name_problem(t) {
        bail!("--name {why}");
    }
    Ok(t.to_string())
}

/// Parses a number allowing `,` and `_` as thousands separators.
pub fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s.trim().chars().filter(|&c| c != ',' && c != '_').collect();
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a text file with errors that say which file and why.
pub fn read_text(path: &std::path::Path, what: &str) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read the {what} file {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{}: the {what} file is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.trim().is_empty() {
        bail!("{}: the {what} file is empty", path.display());
    }
    Ok(text)
}

impl PlanOpts {
    /// The shipped catalog with the user's override files applied.
    pub fn catalog(&self) -> Result<Catalog> {
        let texts: Vec<(String, String)> =
            self.catalogs.iter().map(|p| Ok((p.display().to_string(), read_text(p, "catalog")?))).collect::<Result<_>>()?;
        let sources: Vec<CatalogSource> = texts.iter().map(|(n, t)| CatalogSource { name: n, text: t }).collect();
        let catalog = shipped::load_with(&sources)?;
        catalog.rebase(self.tier.into(), self.dollar_year).context("--dollar-year")
    }

    /// Parses `--set` pairs into supplied drivers.
    pub fn overrides(&self) -> Result<Vec<(String, SuppliedDriver)>> {
        self.set
            .iter()
            .map(|kv| {
                let (k, v) = kv.split_once('=').ok_or_else(|| anyhow!("--set {kv}: write DRIVER=VALUE, e.g. --set homicides=50"))?;
                let value = parse_number(v).ok_or_else(|| anyhow!("--set {kv}: `{v}` is not a number"))?;
                Ok((k.trim().to_string(), SuppliedDriver::given(value, "local figure (--set)")))
            })
            .collect()
    }

    /// The place named with --place or as the positional argument.
    pub fn place_name(&self) -> Option<&String> {
        self.place.as_ref().or(self.place_arg.as_ref())
    }

    /// The named jurisdiction, if the options name one.
    pub fn jurisdiction(&self) -> Result<Option<&'static Jurisdiction>> {
        if self.geoid.is_none() && self.place_name().is_none() {
            // A custom area: do not pay for loading the gazetteer.
            return Ok(None);
        }
        let g = gazetteer();
        if let Some(geoid) = &self.geoid {
            if let Some(j) = g.get(geoid.trim()) {
                return Ok(Some(j));
            }
            // Old place ids (GN + GeoNames id) open the Census place they
            // now are, with a notice; anything else is explained.
            return match g.resolve_noted(geoid) {
                Ok(r) if geoid.trim().to_ascii_uppercase().starts_with("GN") => {
                    if let Some(n) = &r.notice {
                        eprintln!("notice: {n}");
                    }
                    Ok(Some(r.jurisdiction))
                }
                Ok(_) => Err(anyhow!("no jurisdiction has GEOID {geoid}; `safetygap search NAME` shows GEOIDs")),
                Err(e) => Err(e.into()),
            };
        }
        match self.place_name() {
            Some(q) => {
                let r = g.resolve_noted(q)?;
                if let Some(n) = &r.notice {
                    eprintln!("notice: {n}");
                }
                Ok(Some(r.jurisdiction))
            }
            None => Ok(None),
        }
    }

    /// Builds the engine input: a named place's embedded drivers, or a
    /// custom area from `--population`, then `--set` and `--inventory`.
    pub fn input(&self, catalog: &Catalog) -> Result<PlanInput> {
        let place = self.jurisdiction()?;
        let mut input = match place {
            Some(j) => {
                // Imported data (`safetygap data import`) over the embedded figures.
                let stored = safetygap_data::store::try_default_data()?;
                let mut input = plan_input_with(stored, gazetteer(), j);
                if let Some(pop) = self.population {
                    input.drivers.insert("population".into(), SuppliedDriver::given(pop, "local figure (--population)"));
                }
                input
            }
            None if self.inventory_defaults.is_some() => {
                bail!("--inventory-defaults state needs a named place (its state's counts are shared by population); name a place or leave the option out")
            }
            None => {
                let Some(pop) = self.population else {
                    bail!("no place and no population: name a place (safetygap plan \"Oakland, CA\"), give --geoid, or give --population N for a custom area");
                };
                PlanInput::custom("Custom area", pop, "given on the command line")
            }
        };
        if let Some(name) = &self.name {
            input.jurisdiction.name = check_name(name)?;
        }
        for (k, v) in self.overrides()? {
            // As the API: one figure, given once.
            if k == "population" && self.population.is_some() {
                bail!("the population is given twice, as --population and as --set population=; give it once (--population {})", v.value);
            }
            input.drivers.insert(k, v);
        }
        if let (Some(j), Some(InventoryDefaults::State)) = (place, self.inventory_defaults) {
            // Shared by the population the plan uses (--population or --set
            // population=), as the API does.
            let pop = input.drivers.get("population").map_or(0.0, |d| d.value);
            input.inventory = safetygap_data::defaults::state_inventory(gazetteer(), j, pop)
                .ok_or_else(|| anyhow!("--inventory-defaults state: {} has no state whose counts could be used", j.name))?;
        }
        if let Some(path) = &self.inventory {
            let text = read_text(path, "inventory")?;
            // A local line replaces a default one (--inventory-defaults).
            input.inventory.overlay(Inventory::parse(&path.display().to_string(), &text, catalog)?);
        }
        Ok(input)
    }
}
