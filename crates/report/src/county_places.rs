//! "Places in this county": the incorporated places and census-designated
//! places with residents in a county, each with its residents there and
//! their share of the county's residents (`plan "Alameda County, CA"
//! --places`), as a text table or JSON.

use crate::fmt::thousands;
use safetygap_data::county_places::{CountyPlace, SHARE_SOURCE};
use safetygap_data::embedded::Jurisdiction;
use serde_json::{json, Value};

/// Where the figures come from, in one sentence.
fn sources(county: &Jurisdiction) -> String {
    format!(
        "Places: Census us_geo 2023 places, each with its own population figure and vintage (Census Vintage 2023 where given, else ACS 2018-2022); a place spanning counties counts with its share from the {SHARE_SOURCE}. County: {} ({}).",
        county.population_source.name, county.population_source.vintage
    )
}

fn kind(p: &CountyPlace<'_>) -> &'static str {
    if p.government {
        "incorporated"
    } else {
        "CDP (not a gov't)"
    }
}

/// The text table, after a plan's (75 columns).
pub fn table(county: &Jurisdiction, places: &[CountyPlace<'_>]) -> String {
    let mut out = format!("\nPLACES IN THIS COUNTY ({})\n", county.display_name());
    if places.is_empty() {
        out.push_str("No Census place has residents here: every resident lives outside incorporated places and CDPs.\n");
        return out;
    }
    out.push_str(&format!(
        "{:<26} {:<17} {:>10} {:>9} {:>9}\n{}\n",
        "Place",
        "Kind",
        "Residents",
        "In county",
        "Of county",
        "─".repeat(75)
    ));
    let (mut gov, mut cdp) = (0.0, 0.0);
    let mut vintages: Vec<(&str, usize)> = Vec::new();
    for p in places {
        let name: String = p.place.name.chars().take(26).collect();
        out.push_str(&format!(
            "{:<26} {:<17} {:>10} {:>8.1}% {:>8.1}%\n",
            name,
            kind(p),
            thousands(p.residents.round()),
            p.share_in_county * 100.0,
            p.share_of_county * 100.0
        ));
        if p.government {
            gov += p.residents;
        } else {
            cdp += p.residents;
        }
        let v = p.place.population_source.vintage.as_str();
        match vintages.iter_mut().find(|(w, _)| *w == v) {
            Some((_, n)) => *n += 1,
            None => vintages.push((v, 1)),
        }
    }
    let share = |v: f64| if county.population > 0.0 { v / county.population * 100.0 } else { 0.0 };
    out.push_str(&format!(
        "Incorporated places: {} residents ({:.1}% of the county); CDPs: {} ({:.1}%).\n",
        thousands(gov.round()),
        share(gov),
        thousands(cdp.round()),
        share(cdp)
    ));
    let rest = county.population - gov - cdp;
    if rest >= 0.0 {
        out.push_str(&format!("Outside any Census place: {} ({:.1}%).\n", thousands(rest.round()), share(rest)));
    } else {
        out.push_str(&format!(
            "The places' figures add up to {} more than the county's: they are of other years than the county's estimate.\n",
            thousands((-rest).round())
        ));
    }
    let years: Vec<String> = vintages.iter().map(|(v, n)| format!("{v} for {n}")).collect();
    out.push_str(&format!("Place populations by vintage: {}.\n", years.join(", ")));
    out.push_str("Each place's own plan gives its need and cost (safetygap plan --geoid GEOID); CDPs have no government of their own: the county serves them.\n");
    out.push_str(&sources(county));
    out.push('\n');
    out
}

/// The JSON value: the places, and the sources.
pub fn value(county: &Jurisdiction, places: &[CountyPlace<'_>]) -> Value {
    json!({
        "county": county.geoid,
        "places": places.iter().map(|p| json!({
            "geoid": p.place.geoid,
            "name": p.place.display_name(),
            "government": p.government,
            "share_in_county": p.share_in_county,
            "residents": p.residents,
            "share_of_county": p.share_of_county,
            "population_vintage": p.place.population_source.vintage,
        })).collect::<Vec<_>>(),
        "source": sources(county),
    })
}
