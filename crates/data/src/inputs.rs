//! Turning a gazetteer jurisdiction into the engine's input: which driver
//! figures are known for the place itself and which are estimated from a
//! larger geography, each with its source and vintage.
//!
//! Figures come, highest precedence first, from drivers files the user
//! imported, official files the user imported or downloaded (see
//! [`crate::store`]), the embedded data, and finally the catalog's
//! national estimators (drivers left unset here).

use crate::embedded::{Gazetteer, Jurisdiction, Kind};
use crate::store::{self, Figure, StoredData};
use safetygap_core::drivers::SuppliedDriver;
use safetygap_core::plan::{self, PlanInput};
use std::collections::BTreeMap;

/// The engine's view of a gazetteer jurisdiction.
pub fn jurisdiction(j: &Jurisdiction) -> plan::Jurisdiction {
    plan::Jurisdiction { id: j.geoid.clone(), name: j.display_name(), kind: j.kind.as_str().to_string() }
}

fn supplied(value: f64, source: String, vintage: &str, estimated: bool) -> SuppliedDriver {
    SuppliedDriver { value, source, vintage: Some(vintage.to_string()), estimated }
}

fn from_figure(f: &Figure) -> SuppliedDriver {
    supplied(f.value, f.source.clone(), &f.vintage, f.estimated)
}

/// Builds the plan input for a jurisdiction from the embedded data and the
/// user's imported data in the default data directory (loaded once per
/// process; see [`store::default_data`]).
pub fn plan_input(g: &Gazetteer, j: &Jurisdiction) -> PlanInput {
    plan_input_with(store::default_data(), g, j)
}

/// Builds the plan input from the embedded data alone, ignoring anything
/// the user imported.
pub fn embedded_plan_input(g: &Gazetteer, j: &Jurisdiction) -> PlanInput {
    plan_input_with(&StoredData::empty(), g, j)
}

/// A jurisdiction's population: a drivers file's figure, else an imported
/// Census figure, else (for the nation, once state figures are imported)
/// the sum of the states, else the embedded figure.
pub fn population(data: &StoredData, g: &Gazetteer, j: &Jurisdiction) -> SuppliedDriver {
    if let Some(f) = data.local(&j.geoid).and_then(|l| l.get("population")) {
        return from_figure(f);
    }
    if let Some(f) = data.population(&j.geoid) {
        return from_figure(f);
    }
    if j.kind == Kind::Nation && data.has_state_population() {
        let mut total = 0.0;
        let mut vintages: Vec<String> = Vec::new();
        let mut any_embedded = false;
        for s in g.states() {
            let p = population(data, g, s);
            total += p.value;
            any_embedded |= data.population(&s.geoid).is_none() && !data.local(&s.geoid).is_some_and(|l| l.contains_key("population"));
            if let Some(v) = p.vintage {
                if !vintages.contains(&v) {
                    vintages.push(v);
                }
            }
        }
        let files: Vec<&str> =
            data.sources().iter().filter(|s| matches!(s.kind.as_str(), "census-counties" | "drivers")).map(|s| s.file.as_str()).collect();
        let source = format!(
            "sum of the 50 states and DC ({}{})",
            files.join(", "),
            if any_embedded { "; embedded figures where nothing is imported" } else { "" }
        );
        return supplied(total, source, &vintages.join(", "), false);
    }
    let attribution = j.population_source.attribution.as_ref().map(|a| format!("; {a}")).unwrap_or_default();
    supplied(j.population, format!("{}{attribution}", j.population_source.name), &j.population_source.vintage, false)
}

/// Builds the plan input for a jurisdiction:
///
/// - population: see [`population`];
/// - population in poverty: the county's or state's own ACS count; for a
///   county without one (created after 2019), the state's count less its
///   other counties', shared by population (estimated); for a place, its
///   county's poverty rate (else its state's) × its population (estimated);
/// - homicides and violent crimes: the state's own FBI count (imported if
///   any, else embedded) for a state or the nation; for a county or place,
///   the state's count shared out by population (estimated), which makes
///   county figures add up to the state; but a county with FBI-reporting
///   cities gets their own 2018 counts, or the figures imported for them
///   (a city spanning counties by its residents' share) plus the state's rate × its residents outside them
///   (estimated, the source says so; see `county_from_places`);
/// - for a place whose police report to the FBI (embedded 2018 Table 8,
///   matched by Census GEOID): its own homicides and violent crimes (given,
///   2018), replacing the state share;
/// - prison releases: the state's own count from an imported BJS table, else
///   the embedded BJS 2022 state releases (the U.S. total for the nation
///   only when imported); for a county or place, the state's count shared by
///   population (estimated);
/// - any driver a drivers file gives for the jurisdiction itself (given).
///
/// Drivers not set here fall back to the catalog's national estimators.
/// A place's input holds its county's ([`PlanInput::host`]).
pub fn plan_input_with(data: &StoredData, g: &Gazetteer, j: &Jurisdiction) -> PlanInput {
    let mut input = own_plan_input(data, g, j);
    // A place's county holds the units the place is too small to run alone
    // (a share of a county trauma recovery center or mobile crisis unit).
    input.host = host_of(g, j).map(|c| Box::new(plan_input_with(data, g, c)));
    input
}

/// The county whose input a place's input holds as its host: `None` for
/// other levels.
pub fn host_of<'g>(g: &'g Gazetteer, j: &Jurisdiction) -> Option<&'g Jurisdiction> {
    match j.kind {
        Kind::Place => j.county_geoid.as_deref().and_then(|c| g.get(c)),
        _ => None,
    }
}

/// [`plan_input_with`] without the host: a batch builds each county's input
/// once and gives it to all the county's places.
pub fn own_plan_input(data: &StoredData, g: &Gazetteer, j: &Jurisdiction) -> PlanInput {
    let mut d: BTreeMap<String, SuppliedDriver> = BTreeMap::new();
    let pop = population(data, g, j);
    let pop_value = pop.value;
    d.insert("population".into(), pop);

    // Poverty.
    match (&j.poverty, j.kind) {
        (Some((count, src)), _) => {
            d.insert("population_in_poverty".into(), supplied(*count, src.name.clone(), &src.vintage, false));
        }
        (None, Kind::County) => {
            // A county made after the ACS 2015-2019 (Connecticut's planning
            // regions, two Alaska census areas): the state's count less its
            // counties with a figure, shared by population among the others,
            // so counties still add up to their state.
            if let Some((state, (count, src))) = j.state_fips.as_deref().and_then(|s| g.get(s)).and_then(|s| Some((s, s.poverty.as_ref()?)))
            {
                let counties: Vec<&Jurisdiction> = g.counties(Some(&state.geoid)).collect();
                let known: f64 = counties.iter().filter_map(|c| c.poverty.as_ref().map(|p| p.0)).sum();
                let unknown_pop: f64 = counties.iter().filter(|c| c.poverty.is_none()).map(|c| c.population).sum();
                if unknown_pop > 0.0 {
                    let value = (count - known).max(0.0) * j.population / unknown_pop;
                    d.insert(
                        "population_in_poverty".into(),
                        supplied(
                            value,
                            format!(
                                "{}'s {} count less its counties with their own figure, shared by population ({} has no figure of its own: it was created after 2019)",
                                state.display_name(),
                                src.name,
                                j.display_name()
                            ),
                            &src.vintage,
                            true,
                        ),
                    );
                }
            }
        }
        (None, Kind::Place) => {
            // Its county's poverty rate, or its state's when the county has
            // none of its own.
            let county = j.county_geoid.as_deref().and_then(|c| g.get(c));
            let state = j.state_fips.as_deref().and_then(|s| g.get(s));
            let area = county.into_iter().chain(state).find(|a| a.poverty_rate().is_some());
            if let Some(area) = area {
                if let (Some(rate), Some((_, src))) = (area.poverty_rate(), &area.poverty) {
                    d.insert(
                        "population_in_poverty".into(),
                        supplied(
                            rate * pop_value,
                            format!("{}'s poverty rate ({:.1}%, {}) × population", area.display_name(), rate * 100.0, src.name),
                            &src.vintage,
                            true,
                        ),
                    );
                }
            }
        }
        _ => {}
    }

    // The share of the state's residents, for figures known only statewide.
    let (share, share_how) = match j.kind {
        Kind::Nation | Kind::State => (1.0, String::new()),
        _ => {
            let state = j.state_fips.as_deref().and_then(|s| g.get(s));
            let state_pop = state.map_or(0.0, |s| population(data, g, s).value);
            let share = if state_pop > 0.0 { pop_value / state_pop } else { 0.0 };
            let name = state.map_or("the state".to_string(), |s| s.display_name());
            (share, format!("{name}'s count shared by population ({:.3}% of residents): ", share * 100.0))
        }
    };
    let estimated = !matches!(j.kind, Kind::Nation | Kind::State);
    let area = match j.kind {
        Kind::Nation => Some("US"),
        _ => j.state_fips.as_deref(),
    };

    // Crime: the state's (or nation's) own count, shared by population below it.
    if let Some(area) = area {
        let state_crime = match data.crime(area) {
            Some(c) => Some((c.homicide, c.violent_crime, c.source.clone(), c.year.to_string())),
            None => match j.kind {
                Kind::Nation => Some(g.national_crime()),
                _ => g.state_crime(area),
            }
            .map(|c| (c.homicide, c.violent_crime, c.source.name.clone(), c.year.to_string())),
        };
        if let Some((homicide, violent, source, vintage)) = state_crime {
            d.insert("homicides".into(), supplied(homicide * share, format!("{share_how}{source}"), &vintage, estimated));
            d.insert("violent_crimes".into(), supplied(violent * share, format!("{share_how}{source}"), &vintage, estimated));
            // A county whose cities report to the FBI: their own counts plus
            // the state's rate for the residents outside them.
            if j.kind == Kind::County && share > 0.0 {
                let state_pop = pop_value / share;
                for (driver, state_count, what) in [("homicides", homicide, "murders"), ("violent_crimes", violent, "violent crimes")] {
                    let rate = state_count / state_pop;
                    if let Some(f) = county_from_places(data, g, j, pop_value, driver, what, rate, &source, &vintage) {
                        d.insert(driver.into(), f);
                    }
                }
            }
        }
        // Prison releases: an imported BJS table, else the embedded one.
        if let Some(r) = data.releases(area) {
            d.insert(
                "prison_releases".into(),
                supplied(r.value * share, format!("{share_how}{}", r.source), &r.vintage, estimated || r.estimated),
            );
        } else if let Some(r) = crate::violence::state_releases(area) {
            d.insert(
                "prison_releases".into(),
                supplied(
                    r * share,
                    format!("{share_how}{}", crate::violence::RELEASES_SOURCE),
                    crate::violence::RELEASES_VINTAGE,
                    estimated,
                ),
            );
        }
    }

    // A place's own police figures (FBI 2018) replace the state share.
    if j.kind == Kind::Place {
        if let Some(c) = crate::violence::city(&j.geoid) {
            let own = |what: &str| {
                format!(
                    "{}: {} police, {what} (population {}); the place's own count, old (2018)",
                    crate::violence::CITY_SOURCE,
                    c.fbi_name,
                    safetygap_core::drivers::fmt_thousands(c.population)
                )
            };
            if let Some(m) = c.murder {
                d.insert(
                    "homicides".into(),
                    supplied(m, own("murders and nonnegligent manslaughters"), crate::violence::CITY_VINTAGE, false),
                );
            }
            if let Some(v) = c.violent_crime {
                d.insert("violent_crimes".into(), supplied(v, own("violent crimes"), crate::violence::CITY_VINTAGE, false));
            }
        }
    }

    // Local figures for the jurisdiction itself win over everything above.
    if let Some(local) = data.local(&j.geoid) {
        for (id, f) in local {
            d.insert(id.clone(), from_figure(f));
        }
    }

    PlanInput { jurisdiction: jurisdiction(j), drivers: d, inventory: Default::default(), host: None }
}

/// A county's homicides or violent crimes from the FBI-reporting cities
/// with residents in it (2018 Table 8; a city spanning counties counted by
/// its residents' share here) plus the state's rate × the residents outside
/// them. A city's imported local figure (a drivers file, an incident file,
/// Urban Institute place rates) replaces its FBI 2018 count, and a city
/// with an imported figure but no FBI row counts too, as it does in the
/// city's own plan. Residents are Census figures on both sides (the
/// county's population less the cities' Census populations × share), not
/// the FBI's agency populations, so the two parts add up to the county's
/// population. `None` when no city with a figure has residents in the
/// county.
#[allow(clippy::too_many_arguments)]
fn county_from_places(
    data: &StoredData,
    g: &Gazetteer,
    j: &Jurisdiction,
    county_pop: f64,
    driver: &str,
    what: &str,
    state_rate: f64,
    state_source: &str,
    state_vintage: &str,
) -> Option<SuppliedDriver> {
    /// One city's part: its place, the share of its residents here, its
    /// count, the name to print and, when imported, the figure.
    struct Part<'a> {
        place: &'a Jurisdiction,
        share: f64,
        value: f64,
        name: String,
        imported: Option<&'a Figure>,
    }
    let imported = |geoid: &str| data.local(geoid).and_then(|l| l.get(driver));
    let mut parts: Vec<Part> = crate::violence::county_reporting_places(&j.geoid)
        .iter()
        .filter_map(|p| {
            let fbi = if driver == "homicides" { p.city.murder } else { p.city.violent_crime };
            let local = imported(&p.place.geoid);
            let value = local.map(|f| f.value).or(fbi)?;
            Some(Part { place: p.place, share: p.share, value, name: p.city.fbi_name.clone(), imported: local })
        })
        .collect();
    // Places with an imported figure and no FBI row (7-digit GEOIDs of the county's state).
    let state = j.geoid.get(..2).unwrap_or_default();
    let mut extra: Vec<&str> =
        data.local_geoids().filter(|id| id.len() == 7 && id.starts_with(state) && !parts.iter().any(|p| p.place.geoid == *id)).collect();
    extra.sort_unstable();
    for id in extra {
        let (Some(f), Some(place)) = (imported(id), g.get(id)) else { continue };
        let share = g.county_share(place, &j.geoid);
        if share > 0.0 {
            parts.push(Part { place, share, value: f.value, name: place.name.clone(), imported: Some(f) });
        }
    }
    if parts.is_empty() {
        return None;
    }
    let mut own = 0.0;
    let mut inside = 0.0;
    for p in &parts {
        own += p.value * p.share;
        inside += population(data, g, p.place).value * p.share;
    }
    let outside = (county_pop - inside).max(0.0);
    let rest = state_rate * outside;
    let mut named: Vec<&Part> = parts.iter().collect();
    named.sort_by(|a, b| (b.value * b.share).total_cmp(&(a.value * a.share)));
    let list: Vec<String> = named
        .iter()
        .take(3)
        .map(|p| {
            let part = if p.share < 1.0 { format!(" × {:.1}% living here", p.share * 100.0) } else { String::new() };
            let from = if p.imported.is_some() { " imported" } else { "" };
            format!("{} {}{from}{part}", p.name, fmt_count(p.value))
        })
        .collect();
    let more = if parts.len() > 3 { format!(", and {} more", parts.len() - 3) } else { String::new() };
    let local: Vec<&Part> = parts.iter().filter(|p| p.imported.is_some()).collect();
    let n_fbi = parts.len() - local.len();
    let mut vintages: Vec<&str> = local.iter().filter_map(|p| p.imported.map(|f| f.vintage.as_str())).collect();
    if n_fbi > 0 {
        vintages.push(crate::violence::CITY_VINTAGE);
    }
    vintages.sort_unstable();
    vintages.dedup();
    let whose = if local.is_empty() {
        format!("{}, 2018, the cities' own counts", crate::violence::CITY_SOURCE)
    } else {
        let mut files: Vec<&str> = local.iter().filter_map(|p| p.imported.map(|f| f.source.as_str())).collect();
        files.sort_unstable();
        files.dedup();
        let fbi = if n_fbi > 0 { format!("the other {n_fbi}: {}, 2018; ", crate::violence::CITY_SOURCE) } else { String::new() };
        format!("{} of them imported: {}; {fbi}the cities' own counts", local.len(), files.join("; "))
    };
    let state = j.state_fips.as_deref().and_then(|s| g.get(s)).map_or("the state".to_string(), |s| s.display_name());
    let source = format!(
        "the {n} {cities} ({list}{more}; {whose}) = {own} {what}, plus {state}'s rate ({rate:.2} per 100,000: {state_source}, {state_vintage}) × the {outside} residents outside those cities (Census population of the county less the cities' Census populations, not the FBI's) = {rest}",
        n = parts.len(),
        cities = if local.is_empty() { "FBI-reporting cities with residents here" } else { "cities with residents here and a count of their own" },
        list = list.join(", "),
        own = fmt_count(own),
        rate = state_rate * 100_000.0,
        outside = safetygap_core::drivers::fmt_thousands(outside.round()),
        rest = fmt_count(rest),
    );
    let vintage = format!("{} (cities), {state_vintage} (state rate)", vintages.join(", "));
    Some(supplied(own + rest, source, &vintage, true))
}

/// A count as printed in a source text: whole when it is, else one decimal.
fn fmt_count(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        safetygap_core::drivers::fmt_thousands(v)
    } else if v >= 1000.0 {
        safetygap_core::drivers::fmt_thousands(v.round())
    } else {
        format!("{v:.1}")
    }
}
