//! `safetygap phase-in`: close the gap over several years.

use crate::inputs::{parse_number, PlanOpts};
use anyhow::{anyhow, Result};
use safetygap_core::cpi::{self, Cpi};
use safetygap_core::phase_in::{self, PhaseIn};
use safetygap_core::GapArea;
use safetygap_report::fmt::money;

/// Spread closing the gap over years: the cost each year by gap area, with
/// start-up costs in the year a unit opens, in one year's dollars.
///
/// The ramp gives the share of the gap closed each year (linear when not
/// given); shares must sum to 1. Every benchmark's costs are converted from
/// its cost year into --dollar-year dollars with the CPI-U (embedded annual
/// averages; default: the latest year in the series). Later years stay in
/// those constant dollars.
///
/// Examples:
///   safetygap phase-in --population 250000 --years 5
///   safetygap phase-in "Oakland, CA" --years 5 --ramp 0.1,0.2,0.2,0.25,0.25 --dollar-year 2025
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub opts: PlanOpts,
    /// Years to close the gap over (1 to 30).
    #[arg(long, default_value_t = 5, allow_negative_numbers = true)]
    pub years: i64,
    /// Share of the gap closed in each year, comma-separated, one per year,
    /// summing to 1 (e.g. 0.1,0.2,0.2,0.25,0.25). Default: equal shares.
    #[arg(long, value_name = "SHARES", allow_hyphen_values = true)]
    pub ramp: Option<String>,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = super::TableOrJson::Table)]
    pub format: super::TableOrJson,
}

pub fn run(a: Args) -> Result<()> {
    let years = u32::try_from(a.years)
        .map_err(|_| anyhow!("--years {}: a phase-in runs over 1 to {} years (e.g. --years 5).", a.years, phase_in::MAX_YEARS))?;
    let shares: Option<Vec<f64>> = a
        .ramp
        .as_deref()
        .map(|r| {
            r.split(',')
                .map(|s| {
                    parse_number(s).ok_or_else(|| {
                        anyhow!("--ramp {r}: `{}` is not a number; give one share per year, e.g. --ramp 0.1,0.2,0.2,0.25,0.25", s.trim())
                    })
                })
                .collect::<Result<Vec<f64>>>()
        })
        .transpose()?;
    let ramp = phase_in::ramp(years, shares.as_deref())?;
    let cpi = Cpi::embedded();
    let catalog = a.opts.catalog()?;
    let dollar_year = catalog.dollar_year;
    let input = a.opts.input(&catalog)?;
    let plan = safetygap_core::compute(&catalog, &input)?;
    let p = phase_in::phase_in(&catalog, &plan, &ramp, dollar_year, &cpi)?;
    if a.format == super::TableOrJson::Json {
        let mut v = serde_json::to_value(&p)?;
        v["jurisdiction"] = serde_json::to_value(&plan.jurisdiction)?;
        v["cpi_source"] = cpi::SOURCE.into();
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", table(&plan.jurisdiction.name, &p));
    }
    Ok(())
}

fn table(name: &str, p: &PhaseIn) -> String {
    let ramp: Vec<String> = p.ramp.iter().map(|r| format!("{:.0}%", r * 100.0)).collect();
    let mut o = format!("Phase-in for {name}: {} years, ramp {}, in {} dollars\n", p.ramp.len(), ramp.join(" "), p.dollar_year);
    o.push_str("Each area's cell: its operating cost that year plus the start-up costs of the\nunits opened that year. Whole units (centers, beds) open whole.\n\n");
    let heads = ["Victim", "Violence", "Behavior", "Reentry"];
    o.push_str(&format!(
        "{:<5} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9} {:>10}\n",
        "Year", heads[0], heads[1], heads[2], heads[3], "Operating", "Start-up", "Total"
    ));
    o.push_str(&format!("{}\n", "─".repeat(79)));
    for y in 0..p.ramp.len() {
        let cell = |g: GapArea| p.gap_areas.iter().find(|a| a.gap_area == g).map_or(0.0, |a| a.years[y].total());
        let t = p.totals[y];
        o.push_str(&format!(
            "{:<5} {:>9} {:>9} {:>9} {:>9} {:>10} {:>9} {:>10}\n",
            y + 1,
            money(cell(GapArea::VictimServices)),
            money(cell(GapArea::ViolencePrevention)),
            money(cell(GapArea::BehavioralHealth)),
            money(cell(GapArea::Reentry)),
            money(t.annual),
            money(t.startup),
            money(t.total())
        ));
    }
    let total: f64 = p.totals.iter().map(|t| t.total()).sum();
    o.push_str(&format!("{}\n{:<5} {:>70}\n", "─".repeat(79), "All", money(total)));
    let years: Vec<u16> = p.programs.iter().map(|l| l.source_cost_year).collect();
    let (lo, hi) = (years.iter().min().copied().unwrap_or(p.dollar_year), years.iter().max().copied().unwrap_or(p.dollar_year));
    o.push_str(&format!("\nCosts converted from {lo}–{hi} dollars with the CPI-U (BLS series CUUR0000SA0,\nannual averages as shipped in PyPI cpi 2.1.0; see data/embedded/cpi/).\n"));
    o
}
