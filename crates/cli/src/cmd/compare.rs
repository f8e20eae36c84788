//! `safetygap compare`: rank jurisdictions by their gap.

use crate::select::{jurisdictions, Level};
use anyhow::{Context, Result};
use rayon::prelude::*;
use safetygap_core::{shipped, Plan};
use safetygap_data::embedded::gazetteer;
use safetygap_data::inputs::plan_input;
use safetygap_report::fmt::{money, percent, thousands};

/// Rank the states, counties or places of an area by their safety gap.
///
/// Examples:
///   safetygap compare --state CA --level county --sort gap_per_resident
///   safetygap compare --level state --sort gap --limit 10
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Geographic level to rank.
    #[arg(long, value_enum, default_value = "county")]
    pub level: Level,
    /// Only this state (name, abbreviation or FIPS).
    #[arg(long)]
    pub state: Option<String>,
    /// Ranking: gap_per_resident, gap, population, coverage or name.
    #[arg(long, value_enum, default_value_t = Sort::GapPerResident)]
    pub sort: Sort,
    /// How many rows to show (0 = all).
    #[arg(long, default_value_t = 25)]
    pub limit: usize,
    /// Output: table or csv.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
}

/// `--sort` of `compare`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
#[value(rename_all = "snake_case")]
pub enum Sort {
    // No doc comments on the variants: clap would list them in --help.
    GapPerResident,
    Gap,
    Population,
    Coverage,
    Name,
}

/// `--format` of `compare`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareFormat {
    Table,
    Csv,
}

pub fn run(a: Args) -> Result<()> {
    let catalog = shipped::catalog()?;
    let list = jurisdictions(a.level, a.state.as_deref())?;
    // A damaged store is an error here, not a silent fall-back to embedded data.
    safetygap_data::store::try_default_data()?;
    let g = gazetteer();
    let mut rows: Vec<(Plan, f64)> = list
        .par_iter()
        .map(|j| {
            let input = plan_input(g, j);
            safetygap_core::compute(&catalog, &input).map(|p| (p, j.population)).with_context(|| j.display_name().to_string())
        })
        .collect::<Result<_>>()?;
    let key = |p: &Plan, pop: f64| -> f64 {
        match a.sort {
            Sort::Gap => p.totals.annual_cost.mid,
            Sort::Population => pop,
            Sort::Coverage => -p.totals.coverage.unwrap_or(0.0),
            Sort::GapPerResident | Sort::Name => p.totals.annual_cost_per_resident.mid,
        }
    };
    if a.sort == Sort::Name {
        rows.sort_by(|x, y| x.0.jurisdiction.name.cmp(&y.0.jurisdiction.name));
    } else {
        rows.sort_by(|x, y| key(&y.0, y.1).total_cmp(&key(&x.0, x.1)).then_with(|| x.0.jurisdiction.id.cmp(&y.0.jurisdiction.id)));
    }
    let n = if a.limit == 0 { rows.len() } else { a.limit.min(rows.len()) };
    if a.format == CompareFormat::Csv {
        let mut w = csv::Writer::from_writer(std::io::stdout().lock());
        w.write_record([
            "rank",
            "geoid",
            "name",
            "population",
            "annual_gap_cost_mid",
            "annual_gap_cost_low",
            "annual_gap_cost_high",
            "gap_per_resident",
            "coverage",
        ])?;
        for (i, (p, pop)) in rows.iter().take(n).enumerate() {
            w.write_record(safetygap_report::csv_out::safe_record([
                (i + 1).to_string(),
                p.jurisdiction.id.clone(),
                p.jurisdiction.name.clone(),
                format!("{pop:.0}"),
                format!("{:.0}", p.totals.annual_cost.mid),
                format!("{:.0}", p.totals.annual_cost.low),
                format!("{:.0}", p.totals.annual_cost.high),
                format!("{:.2}", p.totals.annual_cost_per_resident.mid),
                p.totals.coverage.map(|c| format!("{c:.4}")).unwrap_or_default(),
            ]))?;
        }
        w.flush()?;
        return Ok(());
    }
    println!("{:>4} {:<30} {:>12} {:>9} {:>10} {:>8}", "#", "Jurisdiction", "Population", "Gap/yr", "Per person", "Coverage");
    println!("{}", "─".repeat(78));
    for (i, (p, pop)) in rows.iter().take(n).enumerate() {
        let name: String = p.jurisdiction.name.chars().take(30).collect();
        println!(
            "{:>4} {:<30} {:>12} {:>9} {:>10} {:>8}",
            i + 1,
            name,
            thousands(*pop),
            money(p.totals.annual_cost.mid),
            format!("${:.2}", p.totals.annual_cost_per_resident.mid),
            percent(p.totals.coverage)
        );
    }
    if n < rows.len() {
        println!("… {} more (--limit 0 shows all)", rows.len() - n);
    }
    println!("\nDrivers per place: embedded Census/ACS/FBI data; figures estimated from the state or\nnational rates are marked in each plan (safetygap plan --geoid ID).");
    Ok(())
}
