//! Turning a gazetteer jurisdiction into the engine's input: which driver
//! figures are known for the place itself and which are estimated from a
//! larger geography, each with its source and vintage.

use crate::embedded::{Gazetteer, Jurisdiction, Kind};
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

/// Builds the plan input for a jurisdiction from the embedded data:
///
/// - population: the place's own figure;
/// - population in poverty: the county's or state's own ACS count; for a
///   place, its county's poverty rate × its population (estimated);
/// - homicides and violent crimes: the state's own FBI count for a state or
///   the nation; for a county or place, the state's count shared out by
///   population (estimated), which makes county figures add up to the state.
///
/// Drivers not set here fall back to the catalog's national estimators.
pub fn plan_input(g: &Gazetteer, j: &Jurisdiction) -> PlanInput {
    let mut d: BTreeMap<String, SuppliedDriver> = BTreeMap::new();
    let attribution = j.population_source.attribution.as_ref().map(|a| format!("; {a}")).unwrap_or_default();
    d.insert(
        "population".into(),
        supplied(j.population, format!("{}{attribution}", j.population_source.name), &j.population_source.vintage, false),
    );

    // Poverty.
    match (&j.poverty, j.kind) {
        (Some((count, src)), _) => {
            d.insert("population_in_poverty".into(), supplied(*count, src.name.clone(), &src.vintage, false));
        }
        (None, Kind::Place) => {
            let area = j.county_geoid.as_deref().and_then(|c| g.get(c)).or_else(|| j.state_fips.as_deref().and_then(|s| g.get(s)));
            if let Some(area) = area {
                if let (Some(rate), Some((_, src))) = (area.poverty_rate(), &area.poverty) {
                    d.insert(
                        "population_in_poverty".into(),
                        supplied(rate * j.population, format!("{}'s poverty rate ({:.1}%, {}) × population", area.display_name(), rate * 100.0, src.name), &src.vintage, true),
                    );
                }
            }
        }
        _ => {}
    }

    // Crime: the state's (or nation's) own count, shared by population below it.
    let crime = match j.kind {
        Kind::Nation => Some(g.national_crime()),
        _ => j.state_fips.as_deref().and_then(|s| g.state_crime(s)),
    };
    if let Some(c) = crime {
        let (share, estimated, how) = match j.kind {
            Kind::Nation | Kind::State => (1.0, false, String::new()),
            _ => {
                let state = j.state_fips.as_deref().and_then(|s| g.get(s));
                let state_pop = state.map_or(0.0, |s| s.population);
                let share = if state_pop > 0.0 { j.population / state_pop } else { 0.0 };
                let name = state.map_or("the state".to_string(), |s| s.display_name());
                (share, true, format!("{name}'s count shared by population ({:.3}% of residents): ", share * 100.0))
            }
        };
        let vintage = c.year.to_string();
        d.insert("homicides".into(), supplied(c.homicide * share, format!("{how}{}", c.source.name), &vintage, estimated));
        d.insert("violent_crimes".into(), supplied(c.violent_crime * share, format!("{how}{}", c.source.name), &vintage, estimated));
    }

    PlanInput { jurisdiction: jurisdiction(j), drivers: d, inventory: Default::default() }
}
