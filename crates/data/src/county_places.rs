//! The places in a county, with their residents there: what a county
//! budget office sees of its cities and towns (`plan "Alameda County, CA"
//! --places`). A place spanning counties counts with the share of its
//! residents living in this one (MCDC Geocorr 2022, `afact2`, a share of
//! the 2020 census population, applied to the place's current figure).

use crate::embedded::{Gazetteer, Jurisdiction, Kind};

/// Where the shares come from, for the output's source line.
pub const SHARE_SOURCE: &str =
    "MCDC Geocorr 2022 county–place crosswalk (afact2: each place's share of its 2020 census population living in the county)";

/// One place with residents in a county.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyPlace<'g> {
    /// The place.
    pub place: &'g Jurisdiction,
    /// Whether it is a government (an incorporated place); a
    /// census-designated place is not.
    pub government: bool,
    /// Share of the place's residents living in the county (1 for a place
    /// within it).
    pub share_in_county: f64,
    /// The place's population × that share.
    pub residents: f64,
    /// Those residents as a share of the county's population.
    pub share_of_county: f64,
}

/// The places with residents in `county`, most residents first (then by
/// GEOID); empty for anything but a county.
pub fn county_places<'g>(g: &'g Gazetteer, county: &Jurisdiction) -> Vec<CountyPlace<'g>> {
    if county.kind != Kind::County {
        return Vec::new();
    }
    let mut out: Vec<CountyPlace<'g>> = g
        .places_in_county(&county.geoid)
        .map(|place| {
            let share_in_county = g.county_share(place, &county.geoid);
            let residents = place.population * share_in_county;
            CountyPlace {
                place,
                government: place.place_type.is_some_and(|t| t.is_government()),
                share_in_county,
                residents,
                share_of_county: if county.population > 0.0 { residents / county.population } else { 0.0 },
            }
        })
        .collect();
    out.sort_by(|a, b| b.residents.total_cmp(&a.residents).then_with(|| a.place.geoid.cmp(&b.place.geoid)));
    out
}
