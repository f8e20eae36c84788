//! `safetygap plan`: the plan for one area.

use crate::inputs::PlanOpts;
use anyhow::{anyhow, bail, Result};
use safetygap_data::county_places::CountyPlace;
use safetygap_data::embedded::{gazetteer, Jurisdiction, Kind};
use safetygap_data::inputs::plan_input;
use safetygap_report::Format;

/// Compute the plan for a U.S. place or a custom population.
///
/// Examples:
///   safetygap plan "Oakland, CA" --context
///   safetygap plan "Alameda County, CA" --places
///   safetygap plan --geoid 06001 --format json
///   safetygap plan --population 250000 --name "Our City"
///   safetygap plan --population 238005 --set homicides=50 --format json
///   safetygap plan --population 100000 --inventory have.csv --format markdown
///   safetygap plan --population 250000 --simulate 2000 --seed 42
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    pub opts: PlanOpts,
    /// Also show the county's, state's and nation's headline figures.
    #[arg(long)]
    pub context: bool,
    /// For a county: also list the places with residents in it (cities
    /// and towns, and CDPs, which are not governments), each with its
    /// residents there and their share of the county's; table, JSON and
    /// Markdown.
    #[arg(long)]
    pub places: bool,
    /// Output format: table, json, csv, tsv (for pasting into a spreadsheet) or markdown.
    #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
    pub format: PlanFormat,
    #[command(flatten)]
    pub sim: super::simulate_opts::SimArgs,
    #[command(flatten)]
    pub payer: crate::inputs::PayerOpt,
}

/// `--format` of `plan`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanFormat {
    // No doc comments on the variants: clap would list them in --help.
    Table,
    Json,
    Csv,
    Tsv,
    Markdown,
}

impl From<PlanFormat> for Format {
    fn from(f: PlanFormat) -> Format {
        match f {
            PlanFormat::Table => Format::Table,
            PlanFormat::Json => Format::Json,
            PlanFormat::Csv => Format::Csv,
            PlanFormat::Tsv => Format::Tsv,
            PlanFormat::Markdown => Format::Markdown,
        }
    }
}

pub fn run(a: Args) -> Result<()> {
    let catalog = a.opts.catalog()?;
    let input = a.opts.input(&catalog)?;
    let plan = a.payer.apply(safetygap_core::compute(&catalog, &input)?)?;
    let format = Format::from(a.format);
    let places = match a.places {
        false => None,
        true => Some(county_places(&a, format)?),
    };
    if let Some(out) = a.sim.render(&catalog, &input, &plan, format)? {
        print!("{out}");
    } else if let (Some((county, list)), Format::Json) = (&places, format) {
        // The places as one more key of the plan's object.
        let mut v = safetygap_report::json::value(&plan);
        if let Some(o) = v.as_object_mut() {
            o.insert("places_in_county".into(), safetygap_report::county_places::value(county, list));
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        print!("{}", safetygap_report::render(&plan, format));
    }
    match (&places, format) {
        (Some((county, list)), Format::Table) => print!("{}", safetygap_report::county_places::table(county, list)),
        (Some((county, list)), Format::Markdown) => print!("{}", safetygap_report::county_places::markdown(county, list)),
        _ => {}
    }
    if a.context {
        let Some(j) = a.opts.jurisdiction()? else {
            return Err(anyhow!("--context needs a named place (its county, state and nation are shown for comparison)"));
        };
        let g = gazetteer();
        let mut plans = vec![plan];
        for parent in g.parents(j) {
            let input = plan_input(g, parent);
            plans.push(safetygap_core::compute(&catalog, &input)?);
        }
        print!("{}", context_table(&plans));
    }
    Ok(())
}

/// The county asked for and its places (`--places`).
fn county_places(a: &Args, format: Format) -> Result<(&'static Jurisdiction, Vec<CountyPlace<'static>>)> {
    if !matches!(format, Format::Table | Format::Json | Format::Markdown) || a.sim.simulate.is_some() {
        bail!("--places is shown in the table, JSON and Markdown formats, without --simulate: drop --places, or use --format table, json or markdown");
    }
    match a.opts.jurisdiction()? {
        Some(j) if j.kind == Kind::County => Ok((j, safetygap_data::county_places::county_places(gazetteer(), j))),
        Some(j) => bail!(
            "--places lists the places in a county; {} is a {}: ask for its county, e.g. --geoid {}",
            j.display_name(),
            j.kind.as_str(),
            j.county_geoid.as_deref().unwrap_or("06001")
        ),
        None => bail!("--places needs a county (e.g. \"Alameda County, CA\" or --geoid 06001)"),
    }
}

/// The headline figures of a place and the areas that contain it.
fn context_table(plans: &[safetygap_core::Plan]) -> String {
    use safetygap_report::fmt::{money, percent, thousands};
    let mut out = format!(
        "\nCONTEXT\n{:<30} {:>12} {:>9} {:>10} {:>8}\n{}\n",
        "Area",
        "Population",
        "Gap/yr",
        "Per person",
        "Coverage",
        "─".repeat(73)
    );
    for p in plans {
        let pop = p.drivers.iter().find(|d| d.id == "population").map_or(0.0, |d| d.value.mid);
        let name: String = p.jurisdiction.name.chars().take(30).collect();
        out.push_str(&format!(
            "{:<30} {:>12} {:>9} {:>10} {:>8}\n",
            name,
            thousands(pop),
            money(p.totals.annual_cost.mid),
            format!("${:.2}", p.totals.annual_cost_per_resident.mid),
            percent(p.totals.coverage)
        ));
    }
    out
}
