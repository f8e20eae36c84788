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
    }
    let (gov, cdp, vintages) = totals(places);
    summary(county, gov, cdp, &vintages, &mut out);
    out.push_str(&sources(county));
    out.push('\n');
    out
}

/// The lines under the table: residents in and outside places, vintages,
/// where each place's own figures are.
fn summary(county: &Jurisdiction, gov: f64, cdp: f64, vintages: &[(&str, usize)], out: &mut String) {
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
}

/// Residents of incorporated places and of CDPs, and the places' counts by
/// population vintage.
fn totals<'p>(places: &'p [CountyPlace<'_>]) -> (f64, f64, Vec<(&'p str, usize)>) {
    let (mut gov, mut cdp) = (0.0, 0.0);
    let mut vintages: Vec<(&str, usize)> = Vec::new();
    for p in places {
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
    (gov, cdp, vintages)
}

/// The Markdown section, after a plan's memo.
pub fn markdown(county: &Jurisdiction, places: &[CountyPlace<'_>]) -> String {
    use crate::markdown::esc;
    let mut out = format!("\n## Places in this county ({})\n\n", esc(&county.display_name()));
    if places.is_empty() {
        out.push_str("No Census place has residents here: every resident lives outside incorporated places and CDPs.\n");
        return out;
    }
    out.push_str("| Place | Kind | Residents here | Share of the place in the county | Share of the county |\n|---|---|---:|---:|---:|\n");
    for p in places {
        out.push_str(&format!(
            "| {} ({}) | {} | {} | {:.1}% | {:.1}% |\n",
            esc(&p.place.display_name()),
            p.place.geoid,
            kind(p),
            thousands(p.residents.round()),
            p.share_in_county * 100.0,
            p.share_of_county * 100.0
        ));
    }
    out.push('\n');
    let (gov, cdp, vintages) = totals(places);
    let mut notes = String::new();
    summary(county, gov, cdp, &vintages, &mut notes);
    notes.push_str(&sources(county));
    for line in notes.lines() {
        out.push_str(&esc(line));
        out.push_str("\n\n");
    }
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
