//! `safetygap plan`: the plan for one area.

use crate::inputs::PlanOpts;
use anyhow::{anyhow, Result};
use safetygap_report::Format;

/// Compute the plan for a custom population.
///
/// Examples:
///   safetygap plan --population 250000 --name "Our City"
///   safetygap plan --population 238005 --set homicides=50 --format json
///   safetygap plan --population 100000 --inventory have.csv --format markdown
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub opts: PlanOpts,
    /// Output format: table, json, csv or markdown.
    #[arg(long, default_value = "table", value_parser = ["table", "json", "csv", "markdown"])]
    pub format: String,
}

pub fn run(a: Args) -> Result<()> {
    let catalog = a.opts.catalog()?;
    let input = a.opts.input(&catalog)?;
    let plan = safetygap_core::compute(&catalog, &input).map_err(|e| anyhow!("{e}"))?;
    let format = Format::parse(&a.format).unwrap_or(Format::Table);
    print!("{}", safetygap_report::render(&plan, format));
    Ok(())
}
