//! `safetygap search`: find jurisdictions by name.

use anyhow::{bail, Result};
use safetygap_data::embedded::gazetteer;
use safetygap_report::fmt::thousands;

/// List states, counties and places whose names match TEXT, largest first,
/// with their GEOIDs (for --geoid) and populations.
///
/// Example:
///   safetygap search oakland
#[derive(clap::Args, Debug)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Part of a name ("oak", "Alameda County", "Springfield, IL").
    pub text: String,
    /// How many matches to show.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

pub fn run(a: Args) -> Result<()> {
    if a.text.trim().is_empty() {
        bail!("search needs some text, e.g. safetygap search oakland");
    }
    let hits = gazetteer().search(&a.text, a.limit);
    if hits.is_empty() {
        bail!("nothing matches \"{}\"; try part of the name, e.g. the first few letters", a.text);
    }
    println!("{:<40} {:<7} {:<11} {:>12}", "NAME", "KIND", "GEOID", "POPULATION");
    for j in hits {
        let name: String = j.display_name().chars().take(40).collect();
        println!("{:<40} {:<7} {:<11} {:>12}", name, j.kind.as_str(), j.geoid, thousands(j.population));
    }
    Ok(())
}
