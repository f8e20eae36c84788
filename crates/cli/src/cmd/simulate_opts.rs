//! `--simulate N --seed S`: Monte Carlo percentile intervals for a plan.

use anyhow::Result;
use safetygap_core::catalog::Catalog;
use safetygap_core::plan::{Plan, PlanInput};
use safetygap_core::simulate::{self, SimOptions};
use safetygap_report::{simulated, Format};

/// The seed used when `--simulate` is given without `--seed`.
pub const DEFAULT_SEED: u64 = 1;

/// Simulation flags shared by commands that compute plans.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SimArgs {
    /// Also report P5 / P50 / P95 from N Monte Carlo draws of every ranged
    /// input (PERT over low / mid / high), e.g. --simulate 2000.
    #[arg(long, value_name = "N", value_parser = parse_draws)]
    pub simulate: Option<u32>,
    /// Seed of the simulation's random stream (default 1): the same seed
    /// gives the same numbers on every machine and thread count.
    #[arg(long, value_name = "S", requires = "simulate")]
    pub seed: Option<u64>,
}

/// Parses a number of draws (thousands separators allowed).
pub fn parse_draws(s: &str) -> Result<u32, String> {
    let v = crate::inputs::parse_number(s).ok_or_else(|| format!("`{s}` is not a whole number of draws; e.g. --simulate 2000"))?;
    if v < 0.0 || v.fract() != 0.0 {
        return Err(format!("`{s}` is not a whole number of draws; e.g. --simulate 2000"));
    }
    simulate::check_draws(v as u64).map_err(|e| e.to_string())
}

impl SimArgs {
    /// The simulation options, when `--simulate` was given.
    pub fn options(&self) -> Option<SimOptions> {
        self.simulate.map(|draws| SimOptions { draws, seed: self.seed.unwrap_or(DEFAULT_SEED) })
    }

    /// The plan rendered with its simulation, or None without `--simulate`.
    pub fn render(&self, catalog: &Catalog, input: &PlanInput, plan: &Plan, format: Format) -> Result<Option<String>> {
        let Some(options) = self.options() else { return Ok(None) };
        let sim = simulate::simulate(catalog, input, options)?;
        Ok(Some(match format {
            Format::Json => simulated::json(plan, &sim),
            Format::Csv => simulated::csv(plan, &sim),
            Format::Tsv => safetygap_report::tsv::from_csv(&simulated::csv(plan, &sim)),
            Format::Markdown => safetygap_report::render(plan, format) + &simulated::markdown_section(plan, &sim),
            _ => safetygap_report::render(plan, format) + &simulated::table_section(plan, &sim),
        }))
    }
}
